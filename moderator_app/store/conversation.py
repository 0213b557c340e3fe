"""What the conversation pane shows: an inquiry in context, as plain rows.

In a group, the inquiry's own messages (the question, follow-ups, answers) and every reply to them; in a
private chat, the recent messages of that chat. Both queries use the unique (source, chat, telegram id)
index and the inquiry index, so they stay small whatever the size of the log.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import or_, select

from moderator_app.domain.events import SourceKind
from moderator_app.store.db import Database
from moderator_app.store.models import Member, Message
from moderator_app.store.repositories import InboxEntry, SourceRepository

PRIVATE_CONTEXT = 60  # messages of a private chat shown around an inquiry


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


class ConversationRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    def thread(self, entry: InboxEntry) -> list[ThreadMessage]:
        source = next((s for s in SourceRepository(self.db).all() if s.id == entry.source_id), None)
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
            )
            for r in rows
        ]
