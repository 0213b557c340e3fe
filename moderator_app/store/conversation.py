"""What the conversation pane shows: an inquiry in context, as plain rows.

In a group, the inquiry's own messages (the question, follow-ups, answers) and every reply to them; in a
private chat, the recent messages of that chat. Both queries use the unique (source, chat, telegram id)
index and the inquiry index, so they stay small whatever the size of the log.

Above the thread, the member's card: who asked, when they joined the source (or were first seen in it),
whether they have left since, and their other inquiries.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Row, Select, case, func, or_, select
from sqlalchemy.engine import Connection

from moderator_app.domain.conversation import PREVIOUS_SHOWN, MemberCard, PreviousInquiry, ThreadMessage
from moderator_app.domain.events import MembershipKind, SourceKind
from moderator_app.domain.inbox import InboxEntry
from moderator_app.domain.inquiries import TIED_ROLES, InquiryState
from moderator_app.domain.people import read_stay
from moderator_app.store.db import Database
from moderator_app.store.models import Inquiry, Member, MembershipEvent, Message, Response, Source, asked_in
from moderator_app.store.repositories import SourceRepository

PRIVATE_CONTEXT = 60  # messages of a private chat shown around an inquiry
JOINED, PRESENT = MembershipKind.JOINED.value, MembershipKind.PRESENT.value
DEPARTURES = (MembershipKind.LEFT.value, MembershipKind.REMOVED.value)
NEARBY = timedelta(days=1)  # staff messages after a group question shown for linking by hand ...
NEARBY_SHOWN = 8  # ... at most this many
FIRST_LINE = 80  # characters of an earlier question shown on the card


# Warnings join the card when moderation records them (a later issue); the log has none yet.


def _first_line(text: str | None) -> str:
    line = next((part.strip() for part in (text or "").splitlines() if part.strip()), "")
    return line if len(line) <= FIRST_LINE else line[: FIRST_LINE - 1] + "…"


class ConversationRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    def thread(self, entry: InboxEntry) -> list[ThreadMessage]:
        source = SourceRepository(self.db).by_id(entry.source_id)
        private = source is not None and source.kind is SourceKind.PRIVATE
        query = (
            select(
                Message.telegram_id,
                Message.date,
                Member.display_name,
                Message.from_staff,
                Message.text,
                Message.reply_to,
                Message.media_kind,
                Message.media,
                Message.is_service,
                Message.edited_at,
                Message.deleted_at,
                Message.role,
                select(func.max(Response.link)).where(Response.message_id == Message.id).scalar_subquery(),
                case((Message.role.in_(TIED_ROLES), Message.inquiry_id), else_=None),
                Message.sender_id,
            )
            .outerjoin(Member, Member.id == Message.sender_id)
            .where(Message.source_id == entry.source_id, Message.chat_id == entry.chat_id)
        )
        with self.db.engine.connect() as connection:
            if private:
                rows = list(
                    connection.execute(
                        query.where(Message.telegram_id >= entry.question_id)
                        .order_by(Message.telegram_id)
                        .limit(PRIVATE_CONTEXT)
                    )
                )
                before = list(
                    connection.execute(
                        query.where(Message.telegram_id < entry.question_id)
                        .order_by(Message.telegram_id.desc())
                        .limit(10)
                    )
                )
                rows = [*reversed(before), *rows]
            else:
                own = select(Message.telegram_id).where(
                    Message.source_id == entry.source_id,
                    Message.chat_id == entry.chat_id,
                    Message.inquiry_id == entry.id,
                )
                ids = set(connection.scalars(own)) | {entry.question_id}
                rows = list(
                    connection.execute(
                        query.where(or_(Message.telegram_id.in_(ids), Message.reply_to.in_(ids))).order_by(
                            Message.telegram_id
                        )
                    )
                )
                nearby = self._nearby(connection, query, entry, {r[0] for r in rows})
                rows = sorted([*rows, *nearby], key=lambda r: (r[1], r[0]))
        near = {r[0] for r in nearby} if not private else set()
        return [
            ThreadMessage(
                telegram_id=r[0],
                date=r[1],
                sender=r[2] or "",
                from_staff=bool(r[3]),
                text=r[4] or "",
                reply_to=r[5],
                media_kind=r[6],
                media=r[7],
                is_service=bool(r[8]),
                edited=r[9] is not None,
                deleted=r[10] is not None,
                role=r[11],
                is_question=r[0] == entry.question_id,
                link=r[12],
                tied_to=r[13],
                nearby=r[0] in near,
                sender_id=r[14],
            )
            for r in rows
        ]

    @staticmethod
    def _nearby(connection: Connection, query: Select[Any], entry: InboxEntry, shown: set[int]) -> list[Row[Any]]:
        """Staff messages of the question's chat (and forum topic) in the day after it, not in its thread."""
        question = connection.execute(
            select(Message.date, Message.topic_id).where(
                Message.source_id == entry.source_id,
                Message.chat_id == entry.chat_id,
                Message.telegram_id == entry.question_id,
            )
        ).first()
        if question is None:
            return []
        asked, topic = question
        near = query.where(
            Message.from_staff.is_(True),
            Message.is_service.is_(False),
            Message.date >= asked,
            Message.date <= asked + NEARBY,
            Message.topic_id.is_(None) if topic is None else Message.topic_id == topic,
        )
        if shown:
            near = near.where(Message.telegram_id.not_in(shown))
        return list(connection.execute(near.order_by(Message.date, Message.telegram_id).limit(NEARBY_SHOWN)))

    def member_card(self, entry: InboxEntry) -> MemberCard | None:
        """The card of the member who asked ``entry``; None when the inquiry has no member (four small
        queries: the member, their membership events in the source, the count and the latest of their other
        inquiries)."""
        with self.db.engine.connect() as connection:
            who = connection.execute(
                select(
                    Inquiry.member_id,
                    Inquiry.source_id,
                    Source.kind,
                    Member.display_name,
                    Member.username,
                    Member.telegram_id,
                )
                .join(Member, Member.id == Inquiry.member_id)
                .join(Source, Source.id == Inquiry.source_id)
                .where(Inquiry.id == entry.id)
            ).first()
            if who is None:
                return None
            member_id, source_id, source_kind, name, username, telegram_id = who
            private = source_kind == SourceKind.PRIVATE.value
            events: list[tuple[str, datetime, str | None]] = []
            if not private:
                events = [
                    (kind, at, via)
                    for kind, at, via in connection.execute(
                        select(MembershipEvent.kind, MembershipEvent.at, MembershipEvent.via)
                        .where(
                            MembershipEvent.source_id == source_id,
                            MembershipEvent.member_id == member_id,
                            MembershipEvent.kind.in_([JOINED, PRESENT, *DEPARTURES]),
                        )
                        .order_by(MembershipEvent.at, MembershipEvent.id)
                    )
                ]
            others = (
                Inquiry.member_id == member_id,
                Inquiry.id != entry.id,
                Inquiry.state != InquiryState.DISMISSED.value,
            )
            total = connection.scalar(select(func.count()).select_from(Inquiry).where(*others)) or 0
            question = asked_in(Message)
            previous = tuple(
                PreviousInquiry(id=r[0], arrival=r[1], source=r[2], state=r[3], first_line=_first_line(r[4]))
                for r in connection.execute(
                    select(Inquiry.id, Inquiry.arrival_at, Source.name, Inquiry.state, Message.text)
                    .join(Source, Source.id == Inquiry.source_id)
                    .outerjoin(Message, question)
                    .where(*others)
                    .order_by(Inquiry.arrival_at.desc(), Inquiry.id.desc())
                    .limit(PREVIOUS_SHOWN)
                )
            )
        stay = read_stay(events)
        return MemberCard(
            name=name or "",
            username=username or None,
            telegram_id=telegram_id,
            private=private,
            joined_at=stay.joined_at,
            joined_via=stay.joined_via,
            first_seen=stay.first_seen,
            left_at=stay.left_at,
            removed=stay.removed,
            inquiries_total=int(total),
            previous=previous,
        )
