"""The outbox: durable, ordered, sent exactly once.

Whoever wants something sent (the workstation, the ``send`` command) writes a row; the connector claims
rows one at a time, in order per chat, and records the outcome. A row's Telegram ``random_id`` is chosen
when it is written, so a resend after a crash between "sending" and "sent" is dropped by Telegram as a
duplicate instead of posting twice.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import Table, and_, delete, exists, or_, select, update
from sqlalchemy.orm import Session, aliased

from moderator_app.domain.inbox import SourceInfo
from moderator_app.domain.outbox import MAX_TEXT, OutboxError, OutboxState, Outgoing
from moderator_app.store.db import Database
from moderator_app.store.models import DraftRow, Inquiry, Message, ModeratorProfile, OutboxItem
from moderator_app.store.repositories import now_utc

OUTBOX = cast(Table, OutboxItem.__table__)


def _outgoing(row: OutboxItem) -> Outgoing:
    return Outgoing(
        id=row.id,
        source_id=row.source_id,
        chat_id=row.chat_id,
        kind=row.kind,
        text=row.text,
        reply_to=row.reply_to,
        random_id=row.random_id,
        state=OutboxState(row.state),
        attempts=row.attempts,
        last_error=row.last_error,
        created_at=row.created_at,
        sent_at=row.sent_at,
        telegram_id=row.telegram_id,
        purpose=row.purpose or "reply",
        inquiry_id=row.inquiry_id,
        profile_id=row.profile_id,
        referrals=tuple(row.referrals or ()),
        moderation_id=row.moderation_id,
        join_request_id=row.join_request_id,
    )


def queued_row(
    source_id: int,
    chat_id: int,
    *,
    kind: str = "message",
    purpose: str = "reply",
    text: str = "",
    reply_to: int | None = None,
    created_at: datetime,
    **links: Any,
) -> OutboxItem:
    """A new outbox row, queued, with its random_id chosen now (before any attempt: see OutboxItem).
    ``links``: the columns that say what it carries (inquiry_id, profile_id, referrals, moderation_id, …)."""
    return OutboxItem(
        source_id=source_id,
        chat_id=chat_id,
        kind=kind,
        purpose=purpose,
        text=text,
        reply_to=reply_to,
        random_id=OutboxRepository._new_random_id(),
        state=OutboxState.QUEUED,
        attempts=0,
        created_at=created_at,
        **links,
    )


def _refuse_a_second(session: Session, inquiry_id: int, text: str, holding: bool) -> None:
    """Two moderators answering one inquiry at once (two workstations on a team's log) must not send the member
    the same thing twice: a second holding reply, or a reply with the text of one already queued or sent for
    the inquiry, is refused, saying who queued the first (a failed one does not count). The inquiry's row is
    locked first (on PostgreSQL), so two moderators queuing at once take turns and the second sees the first."""
    session.execute(select(Inquiry.id).where(Inquiry.id == inquiry_id).with_for_update())
    earlier = session.execute(
        select(OutboxItem.purpose, OutboxItem.text, OutboxItem.state, ModeratorProfile.name)
        .outerjoin(ModeratorProfile, ModeratorProfile.id == OutboxItem.profile_id)
        .where(
            OutboxItem.inquiry_id == inquiry_id,
            OutboxItem.kind == "message",
            OutboxItem.state != OutboxState.FAILED,
        )
        .order_by(OutboxItem.id)
    ).all()
    words = " ".join(text.split())
    for purpose, sent_text, state, name in earlier:
        by = f" by {name}" if name else ""
        done = "sent" if state == OutboxState.SENT else "queued"
        if holding and purpose == "holding":
            raise OutboxError(f"A holding reply was already {done}{by} for this inquiry: nothing was queued.")
        if " ".join(sent_text.split()) == words:
            raise OutboxError(f"This reply was already {done}{by} for this inquiry: nothing was queued.")


class OutboxRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    # -- writing -----------------------------------------------------------------------------------------
    def queue_reply(
        self,
        source: SourceInfo,
        text: str,
        *,
        reply_to: int | None = None,
        chat_id: int | None = None,
        inquiry_id: int | None = None,
        profile_id: int | None = None,
        holding: bool = False,
        referrals: Sequence[int] = (),
    ) -> Outgoing:
        """Queue a text message in ``source``; in a group the chat is the group, in private messages it is
        the chat of the message replied to (or ``chat_id``)."""
        text = text.strip()
        if not text:
            raise OutboxError("The message is empty: write the text to send.")
        if len(text) > MAX_TEXT:
            raise OutboxError(f"The message is {len(text):,} characters; Telegram takes at most {MAX_TEXT:,}.")
        with self.db.sessions.begin() as session:
            if reply_to is not None:
                query = select(Message.chat_id).where(Message.source_id == source.id, Message.telegram_id == reply_to)
                if chat_id is not None:
                    query = query.where(Message.chat_id == chat_id)
                chats = session.scalars(query).all()
                if not chats:
                    raise OutboxError(f"There is no message {reply_to} in {source.name} to reply to.")
                if len(chats) > 1:
                    raise OutboxError(
                        f"Message {reply_to} exists in several chats of {source.name}: say which with --chat."
                    )
                chat_id = chats[0]
            elif chat_id is None:
                if source.kind.value == "private":
                    raise OutboxError("Private messages need the chat: give --chat ID or --reply-to MESSAGE_ID.")
                chat_id = source.telegram_id
            if inquiry_id is not None:
                _refuse_a_second(session, inquiry_id, text, holding)
            row = queued_row(
                source.id,
                chat_id,
                purpose="holding" if holding else "reply",
                text=text,
                reply_to=reply_to,
                created_at=now_utc(),
                inquiry_id=inquiry_id,
                profile_id=profile_id,
                referrals=list(referrals) or None,
            )
            session.add(row)
            if inquiry_id is not None:  # what was being written for the inquiry is on its way: no draft is left
                session.execute(delete(DraftRow).where(DraftRow.inquiry_id == inquiry_id))
            session.flush()
            return _outgoing(row)

    def queue_download(self, source: SourceInfo, telegram_id: int, *, chat_id: int | None = None) -> Outgoing:
        """Ask the connector to download a message's media now (large files are not fetched on arrival)."""
        with self.db.sessions.begin() as session:
            query = select(Message).where(Message.source_id == source.id, Message.telegram_id == telegram_id)
            if chat_id is not None:
                query = query.where(Message.chat_id == chat_id)
            found = session.scalars(query).all()
            if not found:
                raise OutboxError(f"There is no message {telegram_id} in {source.name}.")
            if len(found) > 1:
                raise OutboxError(f"Message {telegram_id} exists in several chats of {source.name}: give --chat.")
            if not found[0].media_kind:
                raise OutboxError(f"Message {telegram_id} in {source.name} has no photo, voice note or file.")
            row = queued_row(source.id, found[0].chat_id, kind="download", reply_to=telegram_id, created_at=now_utc())
            session.add(row)
            session.flush()
            return _outgoing(row)

    @staticmethod
    def _new_random_id() -> int:
        """A random non-zero signed 64-bit integer, as Telegram's random_id is."""
        return secrets.randbits(63) + 1

    # -- the connector's side ------------------------------------------------------------------------------
    def recover(self) -> int:
        """After a crash, rows left "sending" go back to the queue with the same random_id (so Telegram
        drops the resend if the first attempt did get through). Returns how many."""
        with self.db.engine.begin() as connection:
            result = connection.execute(
                update(OUTBOX).where(OUTBOX.c.state == OutboxState.SENDING).values(state=OutboxState.QUEUED)
            )
            return int(result.rowcount or 0)

    def claim_next(self, now: datetime | None = None) -> Outgoing | None:
        """The oldest row that may be sent now, marked "sending"; rows of a chat go strictly in order, so a
        row waits while an earlier one of its chat is unfinished."""
        now = now or now_utc()
        earlier = aliased(OutboxItem)
        waiting = [OutboxState.QUEUED, OutboxState.SENDING]
        with self.db.sessions.begin() as session:
            candidate = session.scalars(
                select(OutboxItem)
                .where(
                    OutboxItem.state == OutboxState.QUEUED,
                    or_(OutboxItem.not_before.is_(None), OutboxItem.not_before <= now),
                    ~exists().where(
                        and_(
                            earlier.chat_id == OutboxItem.chat_id,
                            earlier.source_id == OutboxItem.source_id,
                            earlier.id < OutboxItem.id,
                            earlier.state.in_(waiting),
                        )
                    ),
                )
                .order_by(OutboxItem.id)
                .limit(1)
                .with_for_update(skip_locked=True)
            ).first()
            if candidate is None:
                return None
            candidate.state = OutboxState.SENDING
            candidate.attempts += 1
            session.flush()
            return _outgoing(candidate)

    def mark_sent(self, item_id: int, telegram_id: int, at: datetime | None = None) -> None:
        with self.db.engine.begin() as connection:
            connection.execute(
                update(OUTBOX)
                .where(OUTBOX.c.id == item_id)
                .values(state=OutboxState.SENT, telegram_id=telegram_id, sent_at=at or now_utc(), last_error=None)
            )

    def mark_failed(self, item_id: int, reason: str, *, retry_after: timedelta | None = None) -> None:
        """A failure: with ``retry_after`` (FloodWait, no network) it goes back to the queue until then;
        without, it stays failed with the reason until a person retries it."""
        values: dict[str, object] = {"last_error": reason}
        if retry_after is not None:
            values.update(state=OutboxState.QUEUED, not_before=now_utc() + retry_after)
        else:
            values.update(state=OutboxState.FAILED)
        with self.db.engine.begin() as connection:
            connection.execute(update(OUTBOX).where(OUTBOX.c.id == item_id).values(values))

    def retry(self, item_id: int) -> bool:
        """Put a failed row back in the queue (same random_id)."""
        with self.db.engine.begin() as connection:
            result = connection.execute(
                update(OUTBOX)
                .where(OUTBOX.c.id == item_id, OUTBOX.c.state == OutboxState.FAILED)
                .values(state=OutboxState.QUEUED, not_before=None)
            )
            return bool(result.rowcount)

    # -- reading -------------------------------------------------------------------------------------------
    def recent(self, limit: int = 50) -> list[Outgoing]:
        with self.db.sessions() as session:
            rows = session.scalars(select(OutboxItem).order_by(OutboxItem.id.desc()).limit(limit)).all()
            return [_outgoing(r) for r in rows]

    def for_inquiry(self, inquiry_id: int) -> list[Outgoing]:
        """The replies queued for an inquiry, oldest first (the composer shows their state)."""
        with self.db.sessions() as session:
            rows = session.scalars(
                select(OutboxItem).where(OutboxItem.inquiry_id == inquiry_id).order_by(OutboxItem.id)
            ).all()
            return [_outgoing(r) for r in rows]

    def get(self, item_id: int) -> Outgoing | None:
        with self.db.sessions() as session:
            row = session.get(OutboxItem, item_id)
            return _outgoing(row) if row is not None else None
