"""(issue 16) The use cases: run on the database worker, announce what they committed, refuse in sentences."""

from __future__ import annotations

import threading
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.exc import OperationalError

from moderator_app.domain.actions import ActionRefused, ModeratorAction
from moderator_app.domain.events import MessageRecord, Peer, SourceKind, SourceRef
from moderator_app.domain.inbox import InboxEntry
from moderator_app.domain.inquiries import InquiryState
from moderator_app.services.changes import ChangeBus, Changes
from moderator_app.services.errors import sentence
from moderator_app.services.inquiries import InquiryService
from moderator_app.services.standards import StandardsService
from moderator_app.services.worker import DatabaseWorker
from moderator_app.store.db import Database
from moderator_app.store.live import LiveLog
from moderator_app.store.models import Inquiry
from moderator_app.store.repositories import StandardRepository
from tests.conftest import toronto_standard

MONDAY = datetime(2026, 11, 16, 15, 0, tzinfo=UTC)
GROUP = SourceRef(SourceKind.GROUP, 1500, "Newcomers Ottawa", "public_supergroup")
AMAL = Peer("user", 7, "Amal")


def _question(db: Database) -> Inquiry:
    live = LiveLog(db)
    live.record(live.source(GROUP), MessageRecord(1500, 1, MONDAY, AMAL, "Where do I get a health card?"))
    live.commit()
    with db.sessions() as session:
        return session.scalars(select(Inquiry)).one()


def _entry(row: Inquiry) -> InboxEntry:
    return InboxEntry(
        row.id, "Newcomers Ottawa", "Amal", "?", None, row.state, "en", "other", row.arrival_at, row.due_at, None,
        source_id=row.source_id, chat_id=row.chat_id, question_id=row.question_telegram_id,
    )  # fmt: skip


def test_the_bus_reaches_every_follower_even_after_one_fails() -> None:
    bus = ChangeBus()
    heard: list[Changes] = []

    def broken(changes: Changes) -> None:
        raise RuntimeError("a view that broke")

    bus.subscribe(broken)
    stop = bus.subscribe(heard.append)
    bus.announce(Changes(standard=True))
    stop()
    bus.announce(Changes(library=True))
    assert heard == [Changes(standard=True)]


def test_decisions_run_on_the_worker_and_are_announced_after_the_commit(sqlite_db: Database) -> None:
    toronto_standard(sqlite_db)
    row = _question(sqlite_db)
    bus, worker = ChangeBus(), DatabaseWorker()
    seen: list[tuple[str, InquiryState]] = []

    def follow(changes: Changes) -> None:
        with sqlite_db.sessions() as session:  # committed by the time it is announced
            state = session.get(Inquiry, row.id).state  # type: ignore[union-attr]
        seen.append((threading.current_thread().name, state))

    bus.subscribe(follow)
    service = InquiryService(sqlite_db, worker, bus)
    try:
        service.act(_entry(row), ModeratorAction.DISMISS, None).result(10)
        assert len(seen) == 1 and seen[0][0].startswith("database") and seen[0][1] is InquiryState.DISMISSED
        refused = service.act(_entry(row), ModeratorAction.DISMISS, None)
        with pytest.raises(ActionRefused, match="already dismissed"):
            refused.result(10)
        assert len(seen) == 1  # nothing committed, nothing announced
        assert sentence(refused.exception()) == "This inquiry is already dismissed."  # type: ignore[arg-type]
    finally:
        worker.close()


def test_a_saved_standard_recomputes_open_inquiries_and_is_announced(sqlite_db: Database) -> None:
    toronto_standard(sqlite_db)
    row = _question(sqlite_db)
    bus = ChangeBus()
    heard: list[Changes] = []
    bus.subscribe(heard.append)
    standards = StandardRepository(sqlite_db)
    longer = replace(standards.global_standard(), target=timedelta(hours=48))
    saved = StandardsService(sqlite_db, bus).save(longer, None)
    assert saved.recomputed == 1 and saved.rekeyed is None
    assert heard == [Changes(standard=True)]
    with sqlite_db.sessions() as session:
        due = session.get(Inquiry, row.id).due_at  # type: ignore[union-attr]
    assert due == standards.clocks().for_source(row.source_id).start_and_due(row.arrival_at)[1] != row.due_at
    StandardsService(sqlite_db, bus).set_answer_window(timedelta(minutes=30))
    assert heard[-1] == Changes(standard=True)


def test_a_locked_log_is_a_sentence_that_says_nothing_changed(sqlite_db: Database) -> None:
    problem = OperationalError("UPDATE inquiries", {}, Exception("database is locked"))
    said = sentence(problem, sqlite_db)
    assert "locked by another program" in said and said.endswith("Nothing was changed.")
