"""Join requests: people who asked to join a group through a request link, waiting for an admin. The window
lists them with their profile and bio; a moderator sends the organization's join questions privately, and
approves or declines them, one by one or all. An approval is counted as a join when Telegram's service message
for it arrives (Table 7), like any join."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from moderator_app.domain.language import detect_language
from moderator_app.domain.library import JOIN_QUESTIONS_TOPIC as JOIN_QUESTIONS_TOPIC  # where users look


class RequestState(StrEnum):
    PENDING = "pending"
    APPROVING = "approving"  # queued for the connector
    DECLINING = "declining"
    APPROVED = "approved"
    DECLINED = "declined"
    GONE = "gone"  # Telegram no longer lists it: withdrawn, or handled from a phone or by another admin


#: States in which a moderator can still decide.
UNDECIDED = frozenset({RequestState.PENDING})


@dataclass(frozen=True, slots=True)
class PendingRequest:
    """A request as Telegram lists it (plain data from the connector)."""

    user_id: int  # Telegram user id
    name: str
    username: str | None
    requested_at: datetime
    about: str  # the bio, or what the applicant wrote with the request


@dataclass(frozen=True, slots=True)
class JoinRequest:
    id: int
    source_id: int
    source: str
    chat_id: int
    user_id: int
    member_id: int | None
    name: str
    username: str | None
    about: str
    requested_at: datetime
    state: RequestState
    decided_by: str = ""
    questions_sent: bool = False
    error: str = ""


def applicant_language(asked_in: str | None, about: str, group_language: str | None) -> str:
    """The language to send the join questions in: the one the applicant asked earlier questions in (the log
    knows it when they wrote to the organization before), else the one their bio is written in, else the
    group's, else English. An applicant reads questions in their own language, not the group's."""
    for tag in (asked_in, detect_language(about) if about.strip() else None, group_language):
        if tag and tag != "und":
            return tag
    return "en"
