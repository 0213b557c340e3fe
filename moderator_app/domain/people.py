"""The people panel: the members of the organization's sources as plain rows, and what opening one shows.

A member is one Telegram account across every source (warnings count across sources, DESIGN "Moderation");
the row says where they are and how they came, what they wrote and asked, and how they stand.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Final

from moderator_app.domain.conversation import PreviousInquiry
from moderator_app.domain.events import MembershipKind
from moderator_app.domain.moderation import RecordEntry
from moderator_app.domain.text import normalize


@dataclass(frozen=True, slots=True)
class PersonRow:
    member_id: int
    name: str
    username: str | None
    telegram_id: int
    sources: tuple[str, ...]  # the sources they wrote in or joined, by name
    joined_at: datetime | None  # the latest join (or first time seen posting, with no join on record)
    joined_via: str | None  # link, request, invite, joined, … as the log has it; None: first seen posting
    left: str | None  # "left" or "removed" when that came after the latest join (in the source shown)
    last_active: datetime | None  # their latest message
    messages: int
    inquiries: int  # counted ones (not dismissed, possible, …)
    warnings: int  # those that count now (the warning policy's expiry)
    notes: int = 0

    def matches(self, folded_query: str) -> bool:
        """Whether the search (already :func:`normalize`'d) is in the name or the username, in any script:
        case, Arabic letter variants and marks are folded as the library's search folds them."""
        if not folded_query:
            return True
        if folded_query.lstrip("@") in normalize(self.username or ""):
            return True
        return folded_query in normalize(self.name) or folded_query == str(self.telegram_id)


@dataclass(frozen=True, slots=True)
class MemberNote:
    id: int
    member_id: int
    text: str
    author: str  # the profile that wrote it ("" when none was on duty)
    at: datetime


@dataclass(frozen=True, slots=True)
class PersonMessage:
    at: datetime
    source: str
    text: str
    media_kind: str | None
    deleted: bool


@dataclass(frozen=True, slots=True)
class Stay:
    """A member in one source as their membership events tell it: the latest join (``joined_via`` None: no join
    on record, first seen posting), and a departure after it (``removed``: a moderator's)."""

    joined_at: datetime | None
    joined_via: str | None
    first_seen: bool
    left_at: datetime | None
    removed: bool


def read_stay(events: Sequence[tuple[str, datetime, str | None]]) -> Stay:
    """``events``: (kind, at, via) in (time, insertion) order, kinds joined, present, left and removed."""
    joined = [i for i, e in enumerate(events) if e[0] == MembershipKind.JOINED.value]
    present = [i for i, e in enumerate(events) if e[0] == MembershipKind.PRESENT.value]
    departed = [i for i, e in enumerate(events) if e[0] in _DEPARTURES]
    start = events[joined[-1]] if joined else events[present[0]] if present else None
    left = events[departed[-1]] if departed else None
    if start is not None and left is not None:
        # A presence is written after the source's other events, so a member first seen when leaving (the log
        # began after they joined) left at or after that time.
        after = departed[-1] > joined[-1] if joined else left[1] >= start[1]
        left = left if after else None
    return Stay(
        joined_at=start[1] if start is not None else None,
        joined_via=start[2] if start is not None and joined else None,
        first_seen=start is not None and not joined,
        left_at=left[1] if left is not None else None,
        removed=left is not None and left[0] == MembershipKind.REMOVED.value,
    )


_DEPARTURES: Final = (MembershipKind.LEFT.value, MembershipKind.REMOVED.value)


@dataclass(frozen=True, slots=True)
class Membership:
    """The member in one source: the latest join (or first seen posting), and a departure after it."""

    source: str
    source_id: int
    chat_id: int  # the source's Telegram id (a group's; 0 for private chats)
    joined_at: datetime | None
    joined_via: str | None
    left_at: datetime | None
    removed: bool
    private: bool = False  # a private chat: no joins


@dataclass(frozen=True, slots=True)
class PersonDetail:
    """What opening a member shows: their inquiries, their latest messages, the moderation record about them
    and the moderators' notes, newest first."""

    row: PersonRow
    memberships: tuple[Membership, ...]
    inquiries: tuple[PreviousInquiry, ...]
    messages: tuple[PersonMessage, ...]
    record: tuple[RecordEntry, ...]
    notes: tuple[MemberNote, ...] = ()
    language: str = "und"  # of their latest inquiry: the language a reminder is written in


#: How much of a member's history opening them reads (the conversation panel shows the rest, inquiry by one).
DETAIL_INQUIRIES = 50
DETAIL_MESSAGES = 50
