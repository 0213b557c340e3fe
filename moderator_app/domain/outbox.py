"""A message the organization sends (a reply, a download request), as plain data, and its states."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

#: Telegram's limit for one text message.
MAX_TEXT = 4096


class OutboxState(StrEnum):
    QUEUED = "queued"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"


class OutboxError(ValueError):
    """A reply that cannot be queued as asked (empty, too long, replying to a message not in the log)."""


@dataclass(frozen=True)
class Outgoing:
    """A row of the outbox as plain data (it crosses to the connector's thread)."""

    id: int
    source_id: int
    chat_id: int
    kind: str
    text: str
    reply_to: int | None
    random_id: int
    state: OutboxState
    attempts: int
    last_error: str | None
    created_at: datetime
    sent_at: datetime | None
    telegram_id: int | None
    purpose: str = "reply"
    inquiry_id: int | None = None
    profile_id: int | None = None  # who wrote it (the profile on duty)
    referrals: tuple[int, ...] = ()  # partner organizations inserted from the library: counted as referrals
    moderation_id: int | None = None  # the moderation action it carries (kind "moderate") or notifies
    join_request_id: int | None = None  # the join request it decides (kind "join_request") or questions
