"""Moderator profiles: who is on duty, credited with a response, assigned an inquiry."""

from __future__ import annotations

from dataclasses import dataclass

ROLES = ("moderator", "backup", "manager")
#: Roles that read the inbox, the conversations, the records and the reports, and send nothing to Telegram.
READ_ONLY_ROLES = frozenset({"manager"})


class ProfileError(ValueError):
    """A profile that cannot be saved; the message says why."""


class RoleRefused(ProfileError):
    """A use case that sends to Telegram, asked for a profile whose role sends nothing (a manager)."""


def may_send(role: str | None) -> bool:
    """Whether a profile of this role may send (replies, moderation, join decisions, welcomes); nobody chosen
    (None) may, as before profiles had roles."""
    return role not in READ_ONLY_ROLES


@dataclass(frozen=True, slots=True)
class Profile:
    id: int
    name: str
    role: str
    languages: tuple[str, ...]
