"""The log: typed SQLAlchemy models.

Every table that receives Telegram data has a unique key on what Telegram identifies it by, so storing the
same message or event twice stores it once. Times are UTC instants (see :class:`UTCDateTime`).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Any, Generic, TypeVar

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Dialect,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy import text as sql_text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

from moderator_app.domain.inquiries import InquiryState
from moderator_app.domain.outbox import OutboxState

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """An instant: stored as UTC (timestamptz on PostgreSQL, ISO text on SQLite), read back tz-aware.

    Naive datetimes are refused: a naive time is a bug (whose local time?), not something to guess.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> Any:
        if dialect.name == "sqlite":
            return dialect.type_descriptor(DateTime(timezone=False))
        return dialect.type_descriptor(DateTime(timezone=True))

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r} given where a UTC instant is required")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


E = TypeVar("E", bound=StrEnum)


class StateText(TypeDecorator[E], Generic[E]):
    """A state column: stored as its text (the schema is unchanged), read back as the domain's enum, so
    every layer above compares members, not strings."""

    impl = String
    cache_ok = True

    def __init__(self, states: type[E], length: int) -> None:
        super().__init__(length)
        self.states = states
        self._members: dict[str, E] = {member.value: member for member in states}

    def process_bind_param(self, value: E | str | None, dialect: Dialect) -> str | None:
        return None if value is None else self.states(value).value

    def process_result_value(self, value: str | None, dialect: Dialect) -> E | None:
        return None if value is None else self._members[value]


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Source(Base):
    """A watched Telegram dialog; all private chats together are one source of kind ``private``."""

    __tablename__ = "sources"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))  # group | channel | private
    telegram_id: Mapped[int] = mapped_column(BigInteger)  # chat id; 0 for the private-messages source
    name: Mapped[str] = mapped_column(String(255))
    telegram_type: Mapped[str | None] = mapped_column(String(32))  # e.g. private_supergroup
    language: Mapped[str | None] = mapped_column(String(16))  # default language of the source
    watched: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())

    __table_args__ = (UniqueConstraint("kind", "telegram_id", name="uq_sources_kind_telegram_id"),)


class Member(Base):
    """A Telegram user (or channel posting as itself) seen in any source, staff included."""

    __tablename__ = "members"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    peer_type: Mapped[str] = mapped_column(String(8), default="user")  # user | channel
    telegram_id: Mapped[int] = mapped_column(BigInteger)
    display_name: Mapped[str] = mapped_column(String(255), default="")
    username: Mapped[str | None] = mapped_column(String(64))

    __table_args__ = (UniqueConstraint("peer_type", "telegram_id", name="uq_members_peer"),)


class Message(Base):
    """Everything seen in a source, kept as text; ``role`` records what the rules made of it."""

    __tablename__ = "messages"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id"))
    chat_id: Mapped[int] = mapped_column(BigInteger)  # the peer for private chats, else the chat's own id
    telegram_id: Mapped[int] = mapped_column(BigInteger)
    sender_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"))
    from_staff: Mapped[bool] = mapped_column(Boolean, default=False)
    date: Mapped[datetime] = mapped_column(UTCDateTime())
    month: Mapped[int] = mapped_column(Integer)  # YYYYMM of `date` in the service time zone
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    text: Mapped[str] = mapped_column(Text, default="")
    reply_to: Mapped[int | None] = mapped_column(BigInteger)  # Telegram id in the same chat
    # Forum supergroups: the id of the topic's root message (see Topic); None in "General" and elsewhere.
    topic_id: Mapped[int | None] = mapped_column(BigInteger)
    media_kind: Mapped[str | None] = mapped_column(String(32))
    media: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    is_service: Mapped[bool] = mapped_column(Boolean, default=False)
    action: Mapped[str | None] = mapped_column(String(64))
    forwarded_from: Mapped[str | None] = mapped_column(String(255))
    # Telegram user ids the text mentions by a text mention (a name linked to the user, no @username), comma
    # separated: re-deriving the log links an answer that names its member so, as the first pass did.
    mentions: Mapped[str | None] = mapped_column(Text)
    role: Mapped[str] = mapped_column(String(24))  # question, follow_up, member_answer, staff_reply, ...
    inquiry_id: Mapped[int | None] = mapped_column(ForeignKey("inquiries.id"))
    views: Mapped[int | None] = mapped_column(Integer)  # channel posts: Telegram's view count at views_at
    views_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    __table_args__ = (
        UniqueConstraint("source_id", "chat_id", "telegram_id", name="uq_messages_telegram"),
        # Covers the monthly participant and private-message counts without touching the table.
        Index("ix_messages_month", "month", "source_id", "from_staff", "is_service", "sender_id"),
        Index("ix_messages_inquiry", "inquiry_id"),
        Index("ix_messages_sender", "sender_id", "date"),  # a member's messages (the people panel)
        Index(  # member reports (domain.reports): few, read at every inbox refresh
            "ix_messages_reports",
            "source_id",
            "date",
            sqlite_where=sql_text("role = 'report'"),  # (`text` is the message's column here)
            postgresql_where=sql_text("role = 'report'"),
        ),
    )


#: Where the partial index of inquiries still waiting for a first response applies (both dialects).
_WAITING = "first_response_at IS NULL"


class Inquiry(Base):
    """A member's question the service owes an answer to, with its service-standard clock."""

    __tablename__ = "inquiries"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id"))
    chat_id: Mapped[int] = mapped_column(BigInteger)
    question_telegram_id: Mapped[int] = mapped_column(BigInteger)
    member_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"))
    state: Mapped[InquiryState] = mapped_column(StateText(InquiryState, 24))
    detection: Mapped[str] = mapped_column(String(24))  # question, private, promoted, courtesy, revealed, possible
    reason: Mapped[str | None] = mapped_column(Text)  # why the rules took it for one (the detector's signals)
    # The urgent words its messages matched ("self_harm: kill myself"), if any: the inbox's "Urgent" view.
    urgent: Mapped[str | None] = mapped_column(Text)
    language: Mapped[str] = mapped_column(String(16), default="und")
    topic: Mapped[str] = mapped_column(String(32), default="other")
    arrival_at: Mapped[datetime] = mapped_column(UTCDateTime())
    month: Mapped[int] = mapped_column(Integer)  # YYYYMM of arrival in the service time zone
    clock_start_at: Mapped[datetime] = mapped_column(UTCDateTime())
    due_at: Mapped[datetime] = mapped_column(UTCDateTime())
    first_response_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    first_response_seconds: Mapped[float | None] = mapped_column(Float)
    business_response_seconds: Mapped[float | None] = mapped_column(Float)
    met_standard: Mapped[bool | None] = mapped_column(Boolean)
    responder_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"))
    responder_profile_id: Mapped[int | None] = mapped_column(ForeignKey("moderator_profiles.id"))
    member_answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    answered_month: Mapped[int | None] = mapped_column(Integer)
    dismissed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    follow_up_on: Mapped[date | None] = mapped_column(Date)
    assignee_profile_id: Mapped[int | None] = mapped_column(ForeignKey("moderator_profiles.id"))
    # Raised (to the log's highest + 1) each time a moderator's decision is written straight to the log, so a
    # connector running elsewhere adopts it instead of writing its older in-memory view back.
    moderated: Mapped[int | None] = mapped_column(Integer)

    __table_args__ = (
        UniqueConstraint("source_id", "chat_id", "question_telegram_id", name="uq_inquiries_question"),
        # Covers the monthly inquiry counts: GROUP BY these columns streams in index order, no sort.
        Index(
            "ix_inquiries_counts",
            "month",
            "source_id",
            "language",
            "topic",
            "met_standard",
            "responder_id",
            "responder_profile_id",
            "answered_month",
            "state",
        ),
        # Inquiries still waiting for a first response: few, and the ones the inbox and the
        # "decided" count look at.
        Index("ix_inquiries_waiting", "month", "source_id", "due_at", sqlite_where=text(_WAITING)),
        Index("ix_inquiries_state", "state", "due_at"),
        Index("ix_inquiries_member", "member_id", "arrival_at"),  # a member's earlier inquiries (member card)
        Index("ix_inquiries_moderated", "moderated"),
    )


def asked_in(message: Any) -> Any:
    """The condition joining an inquiry to the message that asked it; ``message`` is :class:`Message`, an
    alias of it, or its table's columns."""
    return (
        (message.source_id == Inquiry.source_id)
        & (message.chat_id == Inquiry.chat_id)
        & (message.telegram_id == Inquiry.question_telegram_id)
    )


class Response(Base):
    """One counted unit of the usage table: an information, one referral per organization, or a post."""

    __tablename__ = "responses"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id"))
    message_id: Mapped[int] = mapped_column(ForeignKey("messages.id"))
    inquiry_id: Mapped[int | None] = mapped_column(ForeignKey("inquiries.id"))
    kind: Mapped[str] = mapped_column(String(16))  # information | referral | post | acknowledgement
    post_type: Mapped[str | None] = mapped_column(String(32))
    organization_id: Mapped[int | None] = mapped_column(ForeignKey("referral_organizations.id"))
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"))
    profile_id: Mapped[int | None] = mapped_column(ForeignKey("moderator_profiles.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    month: Mapped[int] = mapped_column(Integer)
    link: Mapped[str | None] = mapped_column(String(16))  # reply | mention | sequence | moderator (answers)

    __table_args__ = (
        UniqueConstraint("message_id", "kind", "organization_id", name="uq_responses_unit"),
        Index("ix_responses_month", "month", "source_id", "kind", "post_type", "inquiry_id"),
        Index("ix_responses_inquiry", "inquiry_id"),
    )


class DetectorExample(Base):
    """A member message the organization judged: promoted to an inquiry, or dismissed as none. The detector
    learns from these (domain.examples); each stays traceable to its inquiry and who decided."""

    __tablename__ = "detector_examples"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source_id: Mapped[int | None] = mapped_column(ForeignKey("sources.id"))
    inquiry_id: Mapped[int | None] = mapped_column(ForeignKey("inquiries.id"))
    text: Mapped[str] = mapped_column(Text)
    language: Mapped[str] = mapped_column(String(16))
    asks: Mapped[bool] = mapped_column(Boolean)
    origin: Mapped[str] = mapped_column(String(16))  # promoted | dismissed
    profile_id: Mapped[int | None] = mapped_column(ForeignKey("moderator_profiles.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime())

    __table_args__ = (UniqueConstraint("inquiry_id", name="uq_detector_examples_inquiry"),)


class AnswerLink(Base):
    """A moderator's word on what a staff message answers: the question message of the inquiry it answers, or
    none (it answers nothing: a post). The rules follow it, when the log is re-derived too."""

    __tablename__ = "answer_links"

    message_id: Mapped[int] = mapped_column(ForeignKey("messages.id"), primary_key=True)
    question_message_id: Mapped[int | None] = mapped_column(ForeignKey("messages.id"))
    profile_id: Mapped[int | None] = mapped_column(ForeignKey("moderator_profiles.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime())


class Topic(Base):
    """A forum supergroup's topic, so a message can show as "Source › Topic".

    ``topic_id`` is the id of the topic's root (its ``topic_created`` service message), as in
    ``messages.topic_id``. "General" (id 1 in Telegram) has no row: its messages have no topic_id.
    """

    __tablename__ = "topics"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id"))
    topic_id: Mapped[int] = mapped_column(BigInteger)
    title: Mapped[str] = mapped_column(String(255), default="")
    # When it was created; None for a topic first seen renamed (created before the log began).
    created_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    __table_args__ = (UniqueConstraint("source_id", "topic_id", name="uq_topics_source_topic"),)


class MembershipEvent(Base):
    """Joins, leaves and removals; ``present`` marks a member first seen posting with no join on record."""

    __tablename__ = "membership_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id"))
    kind: Mapped[str] = mapped_column(String(16))  # joined | left | removed | present | requested
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    month: Mapped[int] = mapped_column(Integer)
    member_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"))
    member_name: Mapped[str] = mapped_column(String(255), default="")
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"))
    via: Mapped[str | None] = mapped_column(String(32))  # link, request, invite, ...
    # The service message (or update) it came from plus the member's position in it: the idempotency key.
    event_key: Mapped[str] = mapped_column(String(64))

    __table_args__ = (
        UniqueConstraint("source_id", "event_key", name="uq_membership_events_key"),
        Index("ix_membership_events_month", "month", "source_id"),
        Index("ix_membership_events_member", "source_id", "member_id"),  # a member's joins (member card)
    )


class ReferralOrganizationRow(Base):
    __tablename__ = "referral_organizations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(255), unique=True)
    aliases: Mapped[list[str]] = mapped_column(JSON, default=list)
    phone: Mapped[str] = mapped_column(String(64), default="")
    website: Mapped[str] = mapped_column(String(255), default="")
    topics: Mapped[list[str]] = mapped_column(JSON, default=list)
    languages: Mapped[list[str]] = mapped_column(JSON, default=list)
    address: Mapped[str] = mapped_column(String(255), default="", server_default="")
    email: Mapped[str] = mapped_column(String(255), default="", server_default="")
    hours: Mapped[str] = mapped_column(String(255), default="", server_default="")
    eligibility: Mapped[str] = mapped_column(Text, default="", server_default="")
    templates: Mapped[dict[str, str] | None] = mapped_column(JSON)  # language tag -> referral message
    names: Mapped[dict[str, str] | None] = mapped_column(JSON)  # language tag -> the name in that language


class CannedAnswerRow(Base):
    """A canned answer of the library; its text per language is in :class:`CannedAnswerBody`."""

    __tablename__ = "canned_answers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    shortcut: Mapped[str] = mapped_column(String(64), unique=True)
    title: Mapped[str] = mapped_column(String(255))
    topics: Mapped[list[str]] = mapped_column(JSON, default=list)
    sources: Mapped[list[int] | None] = mapped_column(JSON)  # the sources it is for; none: every source
    needs_review: Mapped[bool] = mapped_column(Boolean, default=True)
    last_reviewed: Mapped[date | None] = mapped_column(Date)
    usage_count: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class CannedAnswerBody(Base):
    __tablename__ = "canned_answer_bodies"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    answer_id: Mapped[int] = mapped_column(ForeignKey("canned_answers.id", ondelete="CASCADE"))
    language: Mapped[str] = mapped_column(String(35))  # a BCP 47 tag
    body: Mapped[str] = mapped_column(Text)

    __table_args__ = (UniqueConstraint("answer_id", "language", name="uq_canned_answer_bodies_language"),)


class LibrarySearchRow(Base):
    """One searchable document of the libraries (a canned answer in one language, or a partner), as the
    search index stores it. Written by ``store.library_search`` with the library, never edited by hand;
    the full-text and trigram indexes over ``key`` and ``words`` are in migration 0011 (they differ by
    database)."""

    __tablename__ = "library_search"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))  # answer | partner
    doc_id: Mapped[int] = mapped_column(Integer)
    language: Mapped[str] = mapped_column(String(35))
    shortcut: Mapped[str] = mapped_column(String(64))
    key: Mapped[str] = mapped_column(Text)  # the fields as search keys (substring matches)
    words: Mapped[str] = mapped_column(Text)  # words and stems (word and word-start matches)
    tokens: Mapped[list[dict[str, int]]] = mapped_column(JSON)  # [words, stems] with field weights, to rank

    __table_args__ = (UniqueConstraint("kind", "doc_id", "language", name="uq_library_search_document"),)


class ModeratorProfile(Base):
    __tablename__ = "moderator_profiles"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(255), unique=True)
    languages: Mapped[list[str]] = mapped_column(JSON, default=list)
    role: Mapped[str] = mapped_column(String(16), default="moderator")  # moderator | backup | manager


class ServiceStandardRow(Base):
    """The global standard (source_id NULL) and per-source overrides, as ServiceStandard.to_dict() JSON."""

    __tablename__ = "service_standards"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source_id: Mapped[int | None] = mapped_column(ForeignKey("sources.id"), unique=True)
    standard: Mapped[dict[str, Any]] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class Setting(Base):
    """Plain settings (never secrets: those live in the OS keyring)."""

    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[Any] = mapped_column(JSON)


class ImportRun(Base):
    """One run of an export import: what was read, stored and skipped, so a rerun can be explained."""

    __tablename__ = "import_runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    path: Mapped[str] = mapped_column(Text)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    status: Mapped[str] = mapped_column(String(16))  # running | done | failed | interrupted (Ctrl+C)
    summary: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class DraftRow(Base):
    """The reply being written for an inquiry (domain.drafts): removed when a reply to it is queued."""

    __tablename__ = "drafts"

    inquiry_id: Mapped[int] = mapped_column(ForeignKey("inquiries.id"), primary_key=True)
    text: Mapped[str] = mapped_column(Text)
    partner_ids: Mapped[list[int] | None] = mapped_column(JSON)
    profile_id: Mapped[int | None] = mapped_column(ForeignKey("moderator_profiles.id"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class OutboxItem(Base):
    """Something to send to Telegram, written by whoever wants it sent and sent by the connector.

    ``random_id`` is chosen when the row is written, before any attempt: Telegram drops a second message
    with the same random id, so a resend after a crash between "sending" and "sent" cannot post twice.
    """

    __tablename__ = "outbox"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id"))
    chat_id: Mapped[int] = mapped_column(BigInteger)
    kind: Mapped[str] = mapped_column(String(24), default="message")  # later also moderation commands
    purpose: Mapped[str] = mapped_column(String(16), default="reply", server_default="reply")  # reply | holding
    referrals: Mapped[list[int] | None] = mapped_column(JSON)  # organizations inserted from the library
    text: Mapped[str] = mapped_column(Text, default="")
    reply_to: Mapped[int | None] = mapped_column(BigInteger)
    random_id: Mapped[int] = mapped_column(BigInteger, unique=True)
    state: Mapped[OutboxState] = mapped_column(StateText(OutboxState, 16))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    not_before: Mapped[datetime | None] = mapped_column(UTCDateTime())  # backoff after FloodWait/network
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    telegram_id: Mapped[int | None] = mapped_column(BigInteger)  # the sent message's id
    inquiry_id: Mapped[int | None] = mapped_column(ForeignKey("inquiries.id"))
    profile_id: Mapped[int | None] = mapped_column(ForeignKey("moderator_profiles.id"))
    # The moderation action this carries to Telegram (its kind "moderate"), or whose private notice it is.
    moderation_id: Mapped[int | None] = mapped_column(ForeignKey("moderation_actions.id"))
    # The join request this approves or declines (kind "join_request"), or whose join questions it sends.
    join_request_id: Mapped[int | None] = mapped_column(ForeignKey("join_requests.id"))

    __table_args__ = (Index("ix_outbox_state", "state", "id"),)


class ModerationActionRow(Base):
    """A moderation action decided in the app (domain.moderation), kept for good: Telegram's own admin log
    keeps 48 hours. ``message_id`` is the Telegram id (in ``chat_id``) of the message concerned."""

    __tablename__ = "moderation_actions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id"))
    chat_id: Mapped[int] = mapped_column(BigInteger)
    member_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"))
    kind: Mapped[str] = mapped_column(String(16))  # warn | mute | remove | ban | unban | delete
    state: Mapped[str] = mapped_column(String(16))  # queued | done | failed
    reason: Mapped[str] = mapped_column(Text, default="")
    guideline: Mapped[str] = mapped_column(String(255), default="")
    notice: Mapped[str] = mapped_column(Text, default="")  # sent to the member privately
    message_id: Mapped[int | None] = mapped_column(BigInteger)
    until: Mapped[datetime | None] = mapped_column(UTCDateTime())  # a mute's or ban's end; None: until lifted
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    month: Mapped[int] = mapped_column(Integer)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    error: Mapped[str | None] = mapped_column(Text)
    profile_id: Mapped[int | None] = mapped_column(ForeignKey("moderator_profiles.id"))
    # "app": decided here; "telegram": read from Telegram's admin log (done from a phone or by another admin),
    # with its event id there and the account that did it.
    origin: Mapped[str] = mapped_column(String(16), default="app", server_default="app")
    event_id: Mapped[int | None] = mapped_column(BigInteger)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"))

    __table_args__ = (
        UniqueConstraint("chat_id", "event_id", name="uq_moderation_actions_event"),
        Index("ix_moderation_actions_member", "member_id", "kind", "at"),  # warnings across sources
        Index("ix_moderation_actions_month", "month", "source_id"),
    )


class MemberNoteRow(Base):
    """A moderator's note about a member (the people panel): kept with who wrote it and when."""

    __tablename__ = "member_notes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"))
    text: Mapped[str] = mapped_column(Text)
    profile_id: Mapped[int | None] = mapped_column(ForeignKey("moderator_profiles.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime())

    __table_args__ = (Index("ix_member_notes_member", "member_id", "at"),)


class ReportDecision(Base):
    """What a moderator made of a member report (the report is its message, of role "report")."""

    __tablename__ = "report_decisions"

    message_id: Mapped[int] = mapped_column(ForeignKey("messages.id"), primary_key=True)
    state: Mapped[str] = mapped_column(String(16))  # dismissed | acted
    action: Mapped[str] = mapped_column(String(16), default="")  # the moderation kind, when acted
    profile_id: Mapped[int | None] = mapped_column(ForeignKey("moderator_profiles.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime())


class WelcomeRow(Base):
    """A join welcomed: the outbox message that carries the welcome (at most one per join)."""

    __tablename__ = "welcomes"

    event_id: Mapped[int] = mapped_column(ForeignKey("membership_events.id"), primary_key=True)
    outbox_id: Mapped[int] = mapped_column(ForeignKey("outbox.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    profile_id: Mapped[int | None] = mapped_column(ForeignKey("moderator_profiles.id"))


class JoinRequestRow(Base):
    """A request to join a group, as Telegram listed it, and what was decided (domain.join_requests)."""

    __tablename__ = "join_requests"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id"))
    chat_id: Mapped[int] = mapped_column(BigInteger)
    user_id: Mapped[int] = mapped_column(BigInteger)  # Telegram user id
    member_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"))
    name: Mapped[str] = mapped_column(String(255), default="")
    username: Mapped[str | None] = mapped_column(String(64))
    about: Mapped[str] = mapped_column(Text, default="")
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime())
    state: Mapped[str] = mapped_column(String(16))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    profile_id: Mapped[int | None] = mapped_column(ForeignKey("moderator_profiles.id"))
    questions_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    error: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (UniqueConstraint("source_id", "user_id", "requested_at", name="uq_join_requests_request"),)


class ConnectorLease(Base):
    """Which machine runs the Telegram connector for this log (one row at most): one session, one sender."""

    __tablename__ = "connector_lease"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)  # always 1
    holder: Mapped[str] = mapped_column(String(64))  # a random token per running connector
    hostname: Mapped[str] = mapped_column(String(255))
    pid: Mapped[int] = mapped_column(Integer)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime())
    heartbeat_at: Mapped[datetime] = mapped_column(UTCDateTime())


def declare_postgresql_options() -> None:
    """The PostgreSQL half of the declarations above, added once a PostgreSQL log is opened.

    Naming a ``postgresql_*`` option imports SQLAlchemy's PostgreSQL dialect and its drivers' modules (30 ms
    or more) as the models are defined, at every launch of the workstation on SQLite."""
    index = next(i for i in Base.metadata.tables["inquiries"].indexes if i.name == "ix_inquiries_waiting")
    index.dialect_kwargs["postgresql_where"] = text(_WAITING)


class AuditEvent(Base):
    """Who did what a funder or an auditor may ask about: exports, settings changes, logins, retention runs,
    handovers. The profile's name is kept as it was, so a renamed or removed profile still reads right."""

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    profile_id: Mapped[int | None] = mapped_column(ForeignKey("moderator_profiles.id"))
    profile_name: Mapped[str] = mapped_column(String(255), default="")
    action: Mapped[str] = mapped_column(String(32))
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    __table_args__ = (Index("ix_audit_events_at", "at"),)


class HandoverRow(Base):
    """A change of the person on duty: the summary the next person read (as counts and ids at that moment)
    and the free shift note."""

    __tablename__ = "handovers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    from_profile_id: Mapped[int | None] = mapped_column(ForeignKey("moderator_profiles.id"))
    to_profile_id: Mapped[int | None] = mapped_column(ForeignKey("moderator_profiles.id"))
    note: Mapped[str] = mapped_column(Text, default="")
    summary: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    __table_args__ = (Index("ix_handovers_at", "at"),)
