"""Moderator profiles: who is on duty, credited with a response, assigned an inquiry."""

from __future__ import annotations

from dataclasses import dataclass

ROLES = ("moderator", "backup", "manager")


class ProfileError(ValueError):
    """A profile that cannot be saved; the message says why."""


@dataclass(frozen=True, slots=True)
class Profile:
    id: int
    name: str
    role: str
    languages: tuple[str, ...]
