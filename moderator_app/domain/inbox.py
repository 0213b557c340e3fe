"""What the inbox shows: a watched source and an inquiry as plain data (they cross threads and layers)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from moderator_app.domain.events import SourceKind
from moderator_app.domain.inquiries import InquiryState


@dataclass(frozen=True)
class SourceInfo:
    id: int
    kind: SourceKind
    telegram_id: int
    name: str
    telegram_type: str | None
    language: str | None
    watched: bool = True


@dataclass(frozen=True)
class InboxEntry:
    id: int
    source: str
    member: str | None
    text: str | None
    media_kind: str | None
    state: InquiryState
    language: str
    topic: str
    arrival: datetime
    due: datetime
    first_response: datetime | None
    source_id: int = 0
    chat_id: int = 0
    question_id: int = 0
    follow_up_on: date | None = None
    responder: str | None = None
    assignee: str | None = None  # the moderator profile it is assigned to
    reason: str | None = None  # why the rules took it for one (a possible inquiry: why it might be one)
    forum_topic_id: int | None = None  # forum supergroups: the topic the question was asked in
    forum_topic: str | None = None  # and its title ("Source › Topic")
    urgent: str | None = None  # the urgent words its messages matched (safety.describe), if any
