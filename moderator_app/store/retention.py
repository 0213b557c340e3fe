"""Retention in the log: the text of messages older than the boundary goes (domain/retention.py); every row the
reports count (messages as rows, inquiries, responses, membership events) and the pseudonymised inquiry log stay.

Removed with the text, because each is a copy of it or points at the member's content: the file reference (and
the downloaded file in this computer's media folder), the name a message was forwarded from, the ids a text
mentions, the text of sent replies in the outbox, unsent drafts, and the detector's examples (copies of member
messages). Messages of inquiries still open keep their text until those close (a moderator is answering them).

Kept: member notes and the moderation record (the organization's own words about a member, which moderation
needs for longer), the member names the people panel and the counts use, and the inquiry rows themselves.
The boundary reached is kept (:data:`RETENTION_BEFORE`): re-deriving the log leaves what was derived before it.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import cast
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, Table, and_, delete, func, null, or_, select, update

from moderator_app.domain.inquiries import OPEN_STATES
from moderator_app.domain.outbox import OutboxState
from moderator_app.domain.retention import RetentionPreview, RetentionResult, boundary
from moderator_app.domain.settings import RETENTION_BEFORE, RETENTION_MONTHS
from moderator_app.store.db import Database
from moderator_app.store.models import DetectorExample, DraftRow, Inquiry, Message, OutboxItem
from moderator_app.store.repositories import SettingsRepository, StandardRepository, now_utc

log = logging.getLogger(__name__)

MESSAGES = cast(Table, Message.__table__)
INQUIRIES = cast(Table, Inquiry.__table__)
OUTBOX = cast(Table, OutboxItem.__table__)
DRAFTS = cast(Table, DraftRow.__table__)
EXAMPLES = cast(Table, DetectorExample.__table__)


def removed_before(db: Database) -> datetime | None:
    """The latest boundary applied: messages before it have no text (None: retention never ran)."""
    return SettingsRepository(db).read(RETENTION_BEFORE)


def _open_inquiries() -> ColumnElement[bool]:
    return INQUIRIES.c.state.in_([s.value for s in OPEN_STATES])


def _still_open(column: ColumnElement[int | None]) -> ColumnElement[bool]:
    """``column`` names an inquiry that is still open."""
    return and_(column.is_not(None), column.in_(select(INQUIRIES.c.id).where(_open_inquiries())))


def _with_content() -> ColumnElement[bool]:
    m = MESSAGES.c
    return or_(m.text != "", m.media.is_not(null()), m.forwarded_from.is_not(None), m.mentions.is_not(None))


class Retention:
    """``media_dir``: this computer's media folder (downloads are named source/chat/message id there)."""

    def __init__(self, db: Database, media_dir: Path | None = None) -> None:
        self.db = db
        self.media_dir = media_dir
        self.settings = SettingsRepository(db)

    def months(self) -> int | None:
        return self.settings.read(RETENTION_MONTHS)

    def boundary(self, months: int, now: datetime | None = None) -> datetime:
        timezone = ZoneInfo(StandardRepository(self.db).global_standard().timezone)
        return boundary(now or now_utc(), months, timezone)

    def preview(self, months: int, now: datetime | None = None) -> RetentionPreview:
        before = self.boundary(months, now)
        with self.db.engine.connect() as connection:
            old = and_(MESSAGES.c.date < before, _with_content())
            total = int(connection.scalar(select(func.count()).select_from(MESSAGES).where(old)) or 0)
            kept = int(
                connection.scalar(
                    select(func.count()).select_from(MESSAGES).where(old, _still_open(MESSAGES.c.inquiry_id))
                )
                or 0
            )
        return RetentionPreview(months, before, total - kept, kept)

    def apply(self, months: int, now: datetime | None = None) -> RetentionResult:
        """Remove what is older than the boundary ``months`` whole months back, in one transaction (a failure
        leaves the log as it was), then the downloaded files of those messages."""
        before = self.boundary(months, now)
        with self.db.engine.begin() as connection:
            old = and_(MESSAGES.c.date < before, _with_content())
            kept_open = int(
                connection.scalar(
                    select(func.count()).select_from(MESSAGES).where(old, _still_open(MESSAGES.c.inquiry_id))
                )
                or 0
            )
            messages = connection.execute(
                update(MESSAGES)
                .where(old, ~_still_open(MESSAGES.c.inquiry_id))
                .values(text="", media=null(), forwarded_from=None, mentions=None)
            ).rowcount
            outbox = connection.execute(
                update(OUTBOX)
                .where(
                    OUTBOX.c.created_at < before,
                    OUTBOX.c.text != "",
                    OUTBOX.c.state.in_([OutboxState.SENT.value, OutboxState.FAILED.value]),
                    ~_still_open(OUTBOX.c.inquiry_id),
                )
                .values(text="")
            ).rowcount
            drafts = connection.execute(
                delete(DRAFTS).where(DRAFTS.c.updated_at < before, ~_still_open(DRAFTS.c.inquiry_id))
            ).rowcount
            asked_before = select(INQUIRIES.c.id).where(INQUIRIES.c.arrival_at < before)
            examples = connection.execute(
                delete(EXAMPLES).where(
                    or_(
                        EXAMPLES.c.inquiry_id.in_(asked_before),
                        and_(EXAMPLES.c.inquiry_id.is_(None), EXAMPLES.c.at < before),
                    ),
                    ~_still_open(EXAMPLES.c.inquiry_id),
                )
            ).rowcount
        reached = removed_before(self.db)
        if reached is None or reached < before:
            self.settings.write(RETENTION_BEFORE, before)
        files = self._delete_files(before)
        return RetentionResult(before, messages, outbox, drafts, examples, files, kept_open)

    # -- downloaded files -------------------------------------------------------------------------------
    def _delete_files(self, before: datetime) -> int:
        """Files the connector downloaded here (media/<source id>/<chat id>/<message id>.<ext>) whose message
        is older than the boundary and whose text went. Files elsewhere (an export's folder) are the person's
        own copy: only their reference was removed."""
        if self.media_dir is None or not self.media_dir.is_dir():
            return 0
        deleted = 0
        for (source_id, chat_id), files in self._downloads():
            ids = list(files)
            with self.db.engine.connect() as connection:
                gone: set[int] = set()
                for start in range(0, len(ids), 500):
                    gone.update(
                        connection.scalars(
                            select(MESSAGES.c.telegram_id).where(
                                MESSAGES.c.source_id == source_id,
                                MESSAGES.c.chat_id == chat_id,
                                MESSAGES.c.telegram_id.in_(ids[start : start + 500]),
                                MESSAGES.c.date < before,
                                ~_still_open(MESSAGES.c.inquiry_id),
                            )
                        )
                    )
            for telegram_id in gone:
                for path in files[telegram_id]:
                    try:
                        path.unlink()
                        deleted += 1
                    except OSError as exc:
                        log.warning("retention: %s could not be deleted: %s", path, exc)
        return deleted

    def _downloads(self) -> Iterator[tuple[tuple[int, int], dict[int, list[Path]]]]:
        assert self.media_dir is not None
        for source_dir in self.media_dir.iterdir():
            if not source_dir.is_dir() or not _is_int(source_dir.name):
                continue
            for chat_dir in source_dir.iterdir():
                if not chat_dir.is_dir() or not _is_int(chat_dir.name):
                    continue
                files: dict[int, list[Path]] = {}
                for path in chat_dir.iterdir():
                    stem = path.name.split(".", 1)[0]
                    if path.is_file() and _is_int(stem):
                        files.setdefault(int(stem), []).append(path)
                if files:
                    yield (int(source_dir.name), int(chat_dir.name)), files


def _is_int(text: str) -> bool:
    return text.lstrip("-").isdigit()
