"""What the conversation pane and the member card show, as plain data read from the log."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from moderator_app.domain.inquiries import InquiryState

PREVIOUS_SHOWN = 3  # earlier inquiries listed on the member's card


@dataclass(frozen=True, slots=True)
class ThreadMessage:
    telegram_id: int
    date: datetime
    sender: str
    from_staff: bool
    text: str
    reply_to: int | None
    media_kind: str | None
    media: dict[str, Any] | None
    is_service: bool
    edited: bool
    deleted: bool
    role: str
    is_question: bool
    link: str | None = None  # a staff answer: how it was tied to the inquiry (reply, mention, sequence, ...)
    tied_to: int | None = None  # a staff answer or holding reply: the inquiry it is tied to (this one or another)
    #: A staff message shown near the question though not part of its thread (a post, or an answer to another
    #: inquiry), so a moderator can link it when the rules missed it.
    nearby: bool = False
    sender_id: int | None = None  # the sender's member id in the log (moderation acts on it)


@dataclass(frozen=True, slots=True)
class PreviousInquiry:
    """One of the member's other inquiries, as the card lists it."""

    id: int
    arrival: datetime
    source: str
    state: InquiryState
    first_line: str  # of the question's text, at most FIRST_LINE characters; "" for a message with no text


@dataclass(frozen=True, slots=True)
class MemberCard:
    """Who asked an inquiry, seen from that inquiry's source.

    ``joined_at`` is the latest join in the source, or (``first_seen``) when the member was first seen
    posting there with no join on record, or None. ``left_at`` is a departure after that (``removed`` when a
    moderator removed them). Private chats have no joins: ``private`` says so and the three stay empty.
    """

    name: str
    username: str | None
    telegram_id: int
    private: bool
    joined_at: datetime | None
    joined_via: str | None  # link, request, invite, joined (added themselves), ... as the log has it
    first_seen: bool
    left_at: datetime | None
    removed: bool
    inquiries_total: int  # the member's other inquiries in every source, dismissed ones not counted
    previous: tuple[PreviousInquiry, ...]  # the most recent of those, newest first
