"""Moderation as the toolkit practises it: a private reminder (a warning) when someone breaks the guidelines,
removal after two warnings, deletion of offensive or off-topic posts, each action recorded with who did it
and why. Plain data and rules only: the log keeps the record (store.moderation), the connector carries the
actions to Telegram through the outbox.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Final

from moderator_app.domain.library import GUIDELINE_TOPIC as GUIDELINE_TOPIC  # where the record's users look


class ModerationKind(StrEnum):
    WARN = "warn"  # a private reminder of the guideline broken; counts towards removal
    MUTE = "mute"  # may read, may not send, for a while
    REMOVE = "remove"  # out of the group; may come back (by link or request)
    BAN = "ban"  # out of the group and may not come back, for a while or for good
    UNBAN = "unban"  # lifts a mute or a ban
    DELETE = "delete"  # a message deleted in Telegram (the log keeps its text, marked deleted)
    PURGE = "purge"  # all of a member's messages in a supergroup deleted (a spammer's); the log keeps them
    SLOW_MODE = "slow_mode"  # members may send one message per interval in the group (0: off)


#: What each kind is called in the record and its exports.
KIND_LABELS: Final = {
    ModerationKind.WARN: "warning",
    ModerationKind.MUTE: "mute",
    ModerationKind.REMOVE: "removal",
    ModerationKind.BAN: "ban",
    ModerationKind.UNBAN: "unban",
    ModerationKind.DELETE: "deletion",
    ModerationKind.PURGE: "all messages deleted",
    ModerationKind.SLOW_MODE: "slow mode",
}


class ModerationState(StrEnum):
    QUEUED = "queued"  # decided, waiting for the connector
    DONE = "done"  # Telegram did it
    FAILED = "failed"  # Telegram refused (the reason is kept); the decision stays on record


class ModerationOrigin(StrEnum):
    APP = "app"  # decided in this app
    HISTORY = "history"  # read from an imported export or Telegram's service messages
    TELEGRAM = "telegram"  # read from Telegram's admin log: done from a phone or by another admin


class ModerationError(ValueError):
    """An action that cannot be queued as asked; the message says what to change."""


DEFAULT_WARNING_THRESHOLD: Final = 2
DEFAULT_WARNING_EXPIRY: Final = timedelta(days=90)
#: Telegram treats a restriction of less than 30 seconds or more than 366 days as forever.
LONGEST_RESTRICTION: Final = timedelta(days=366)
SHORTEST_RESTRICTION: Final = timedelta(seconds=30)

#: Kinds that act on a member (the others act on a message).
ON_MEMBER: Final = frozenset(
    {
        ModerationKind.WARN,
        ModerationKind.MUTE,
        ModerationKind.REMOVE,
        ModerationKind.BAN,
        ModerationKind.UNBAN,
        ModerationKind.PURGE,
    }
)


@dataclass(frozen=True, slots=True)
class ModerationRequest:
    """A moderator's decision, before it is recorded and sent.

    ``message_id`` is the Telegram id (in ``chat_id``) of the message concerned: the one deleted, or the one a
    warning is about. ``notice`` is the text sent to the member privately: the reminder of a warning
    (required), or an optional notice of a mute, removal or ban. ``duration``: how long a mute or ban lasts
    (None: until lifted).
    """

    kind: ModerationKind
    source_id: int
    member_id: int | None = None
    reason: str = ""
    guideline: str = ""
    message_id: int | None = None
    chat_id: int | None = None
    duration: timedelta | None = None
    notice: str = ""
    profile_id: int | None = None


#: The slow-mode intervals Telegram accepts (channels.toggleSlowMode), in seconds; 0 turns it off.
SLOW_MODE_SECONDS: Final = (0, 10, 30, 60, 300, 900, 3600)


def check_request(request: ModerationRequest) -> None:
    """Refuse what Telegram or the record could not take, with what to change."""
    kind = request.kind
    if kind is ModerationKind.SLOW_MODE:
        seconds = request.duration.total_seconds() if request.duration is not None else None
        if seconds not in SLOW_MODE_SECONDS:
            raise ModerationError("Slow mode is off, 10 or 30 seconds, 1, 5 or 15 minutes, or 1 hour.")
        return
    if kind in ON_MEMBER and request.member_id is None:
        raise ModerationError(f"A {KIND_LABELS[kind]} needs the member it is about.")
    if kind is ModerationKind.DELETE and request.message_id is None:
        raise ModerationError("A deletion needs the message to delete.")
    if kind is ModerationKind.WARN and not request.notice.strip():
        raise ModerationError("A warning is a private reminder: write the reminder to send.")
    if kind is ModerationKind.MUTE and request.duration is None:
        raise ModerationError("Say how long the mute lasts.")
    if request.duration is not None:
        if kind not in (ModerationKind.MUTE, ModerationKind.BAN):
            raise ModerationError(f"A {KIND_LABELS[kind]} has no duration.")
        if not SHORTEST_RESTRICTION <= request.duration <= LONGEST_RESTRICTION:
            raise ModerationError(
                "A mute or ban lasts from 30 seconds to 366 days (Telegram makes anything else permanent); "
                "leave the duration empty for a ban until it is lifted."
            )


@dataclass(frozen=True, slots=True)
class WarningPolicy:
    """Warnings count across all the organization's sources while they are recent; at the threshold the app
    proposes removal (a person decides)."""

    threshold: int = DEFAULT_WARNING_THRESHOLD
    expiry: timedelta = DEFAULT_WARNING_EXPIRY

    def active(self, warned_at: Iterable[datetime], now: datetime) -> int:
        since = now - self.expiry
        return sum(1 for at in warned_at if since < at <= now)

    def proposes_removal(self, warned_at: Iterable[datetime], now: datetime) -> bool:
        return self.active(warned_at, now) >= self.threshold


@dataclass(frozen=True, slots=True)
class ModerationAction:
    """A recorded action, as plain data (it crosses to the connector's thread)."""

    id: int
    kind: ModerationKind
    source_id: int
    chat_id: int
    member_id: int | None
    member_telegram_id: int | None
    message_id: int | None
    until: datetime | None
    reason: str
    guideline: str
    notice: str
    state: ModerationState
    at: datetime
    profile_id: int | None
    error: str | None = None


@dataclass(frozen=True, slots=True)
class RecordEntry:
    """One line of the moderation record: an action decided here, or one read from history (an export's or
    Telegram's service messages: removals, members added, join requests)."""

    at: datetime
    source: str
    member: str
    kind: str  # KIND_LABELS' values, or "removed in Telegram", "added", "join request"
    origin: ModerationOrigin
    by: str  # the profile on duty, or the Telegram account that did it
    reason: str = ""
    guideline: str = ""
    state: str = ""
    until: datetime | None = None
    message: str = ""  # the text of the message concerned, as the log keeps it
    error: str = ""


@dataclass(frozen=True, slots=True)
class OutsideAction:
    """An action Telegram's admin log reports (done from a phone, or by another admin), as plain data from the
    connector. ``message_id``/``message_text``: a deleted message."""

    event_id: int
    at: datetime
    kind: ModerationKind
    actor_id: int  # Telegram user id of the admin who did it
    actor_name: str
    member_id: int | None  # Telegram user id of the member concerned
    member_name: str = ""
    until: datetime | None = None
    message_id: int | None = None
    message_text: str = ""


@dataclass(frozen=True, slots=True)
class MemberStanding:
    """A member's warnings as the moderation dialog shows them: those that count now, and the policy."""

    member_id: int
    active_warnings: int
    policy: WarningPolicy

    @property
    def removal_proposed(self) -> bool:
        return self.active_warnings >= self.policy.threshold
