"""The connector's side of the log: live records in, one transaction per update (per page in catch-up).

It keeps one :class:`Ingestor` warm for the connector's lifetime, so a new message costs the rules and one
small transaction, not a reload of the source. Edits, deletions, view counts and downloaded media change
rows in place; nothing is ever removed (a deleted message is marked, its text kept for the record).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, bindparam, func, select, update

from moderator_app.domain.events import MembershipRecord, MessageRecord, SourceKind, SourceRef
from moderator_app.domain.inbox import SourceInfo
from moderator_app.domain.referrals import ReferralMatcher
from moderator_app.store.db import Database
from moderator_app.store.examples import ExampleRepository
from moderator_app.store.ingest import MESSAGES, Ingestor, SourceIngest
from moderator_app.store.months import month_keyer
from moderator_app.store.repositories import (
    ReferralRepository,
    SettingsRepository,
    SourceRepository,
    StandardRepository,
    now_utc,
)


class LiveLog:
    def __init__(self, db: Database, *, batch_size: int = 100_000) -> None:
        self.db = db
        self.settings = SettingsRepository(db)
        self.sources = SourceRepository(db)
        self.ingestor = Ingestor(
            db,
            staff=self.settings.staff_ids(),
            matcher=ReferralMatcher(ReferralRepository(db).all()),
            clocks=StandardRepository(db).clocks(),
            month_of=month_keyer(db),
            batch_size=batch_size,
            detector=ExampleRepository(db).detector(),
            answer_window=self.settings.answer_window(),
            urgent_words=self.settings.urgent_words(),
        )
        self._open: dict[int, SourceIngest] = {}

    def follow_urgent_words(self) -> None:
        """Re-read the urgent-word lists (a moderator edited them): the sources held match the new ones."""
        words = self.settings.urgent_words()
        self.ingestor.urgent_words = words
        for opened in self._open.values():
            opened.tracker.urgent_words = words

    def follow_standard(self) -> int:
        """Re-read the service standards and the answer window (a moderator saved them) and apply them to
        the sources held, in memory and in the log; returns the open inquiries re-measured."""
        self.commit()
        clocks = StandardRepository(self.db).clocks()
        window = self.settings.answer_window()
        self.ingestor.clocks = clocks
        self.ingestor.answer_window = window
        changed = sum(s.follow_standard(clocks.for_source(s.info.id), window) for s in self._open.values())
        self.commit()
        return changed

    def add_staff(self, ids: Iterable[int]) -> None:
        self.ingestor.staff = self.settings.add_staff(ids)

    def source(self, ref: SourceRef) -> SourceIngest:
        info = self.sources.get_or_create(ref)
        ingest = self._open.get(info.id)
        if ingest is None:
            ingest = self._open[info.id] = SourceIngest(self.ingestor, info)
        return ingest

    def opened(self, source_id: int) -> SourceIngest | None:
        return self._open.get(source_id)

    def opened_sources(self) -> list[SourceIngest]:
        return list(self._open.values())

    def record(self, source: SourceIngest, record: MessageRecord, memberships: Iterable[MembershipRecord] = ()) -> bool:
        """Buffer one message (and the membership changes it announces); False if the log had it."""
        if source.has(record.chat_id, record.telegram_id):
            self.ingestor.counts.messages_already_stored += 1
            return False
        source.message(record, checked=True)
        if source.info.kind is not SourceKind.PRIVATE:
            for membership in memberships:
                source.membership(membership)
        return True

    def membership(self, source: SourceIngest, record: MembershipRecord) -> bool:
        return source.membership(record)

    def commit(self) -> None:
        self.ingestor.flush()
        for source in self._open.values():
            source.mark_present_now()

    def topic_of(self, source: SourceInfo, chat_id: int, telegram_id: int) -> int | None:
        """The forum topic of a logged message: a reply sent to it goes into the same topic."""
        self.commit()
        with self.db.engine.connect() as connection:
            topic = connection.scalar(
                select(MESSAGES.c.topic_id).where(
                    MESSAGES.c.source_id == source.id,
                    MESSAGES.c.chat_id == chat_id,
                    MESSAGES.c.telegram_id == telegram_id,
                )
            )
        return None if topic is None else int(topic)

    def last_id(self, source: SourceIngest, chat_id: int) -> int:
        return source.stored.last(chat_id)

    # -- changes in place -----------------------------------------------------------------------------------
    def edit(self, source: SourceInfo, chat_id: int, telegram_id: int, text: str, edited_at: datetime) -> bool:
        self.commit()
        with self.db.engine.begin() as connection:
            result = connection.execute(
                update(MESSAGES)
                .where(
                    MESSAGES.c.source_id == source.id,
                    MESSAGES.c.chat_id == chat_id,
                    MESSAGES.c.telegram_id == telegram_id,
                )
                .values(text=text, edited_at=edited_at)
            )
        return bool(result.rowcount)

    def mark_deleted(self, telegram_ids: Iterable[int], at: datetime, *, source: SourceInfo | None = None) -> int:
        """Mark messages deleted. Without ``source`` (Telegram names only ids for private chats and basic
        groups, whose ids are unique across the account) every non-channel source is searched."""
        self.commit()
        ids = list(telegram_ids)
        if not ids:
            return 0
        where: list[ColumnElement[bool]] = [MESSAGES.c.telegram_id.in_(ids), MESSAGES.c.deleted_at.is_(None)]
        if source is not None:
            where.append(MESSAGES.c.source_id == source.id)
            if source.kind is not SourceKind.PRIVATE:
                where.append(MESSAGES.c.chat_id == source.telegram_id)
        else:
            candidates = [
                s.id for s in self.sources.all() if s.kind is SourceKind.PRIVATE or s.telegram_type == "private_group"
            ]
            if not candidates:
                return 0
            where.append(MESSAGES.c.source_id.in_(candidates))
        with self.db.engine.begin() as connection:
            result = connection.execute(update(MESSAGES).where(*where).values(deleted_at=at))
        return int(result.rowcount or 0)

    def set_views(self, source: SourceInfo, chat_id: int, views: Mapping[int, int], at: datetime | None = None) -> int:
        self.commit()
        if not views:
            return 0
        at = at or now_utc()
        with self.db.engine.begin() as connection:
            result = connection.execute(
                update(MESSAGES)
                .where(
                    MESSAGES.c.source_id == source.id,
                    MESSAGES.c.chat_id == chat_id,
                    MESSAGES.c.telegram_id == bindparam("_id"),
                )
                .values(views=bindparam("_views"), views_at=at),
                [{"_id": k, "_views": v} for k, v in views.items()],
            )
        return int(result.rowcount or 0)

    def recent_posts(self, source: SourceInfo, since: datetime) -> list[int]:
        with self.db.engine.connect() as connection:
            return list(
                connection.scalars(
                    select(MESSAGES.c.telegram_id)
                    .where(
                        MESSAGES.c.source_id == source.id,
                        MESSAGES.c.is_service.is_(False),
                        MESSAGES.c.date >= since,
                        MESSAGES.c.deleted_at.is_(None),
                    )
                    .order_by(MESSAGES.c.telegram_id)
                )
            )

    def set_media(self, source: SourceInfo, chat_id: int, telegram_id: int, changes: Mapping[str, Any]) -> None:
        """Merge ``changes`` (e.g. the downloaded file's path) into a message's media description."""
        self.commit()
        with self.db.engine.begin() as connection:
            where = (
                MESSAGES.c.source_id == source.id,
                MESSAGES.c.chat_id == chat_id,
                MESSAGES.c.telegram_id == telegram_id,
            )
            current = connection.scalar(select(MESSAGES.c.media).where(*where))
            merged = {**(current or {}), **changes}
            connection.execute(update(MESSAGES).where(*where).values(media=merged))

    def media_of(self, source: SourceInfo, chat_id: int, telegram_id: int) -> tuple[str | None, dict[str, Any] | None]:
        with self.db.engine.connect() as connection:
            row = connection.execute(
                select(MESSAGES.c.media_kind, MESSAGES.c.media).where(
                    MESSAGES.c.source_id == source.id,
                    MESSAGES.c.chat_id == chat_id,
                    MESSAGES.c.telegram_id == telegram_id,
                )
            ).first()
        return (row[0], row[1]) if row is not None else (None, None)

    def message_count(self, source: SourceInfo) -> int:
        with self.db.engine.connect() as connection:
            return int(
                connection.scalar(select(func.count()).select_from(MESSAGES).where(MESSAGES.c.source_id == source.id))
                or 0
            )
