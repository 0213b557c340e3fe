"""Retention: message text older than N months goes, the reports of those months (tables and the pseudonymised
inquiry log) stay exactly as they were, and re-deriving the log afterwards changes none of their counts
(SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from moderator_app.domain.actions import ModeratorAction
from moderator_app.domain.events import MessageRecord, Peer, SourceKind, SourceRef
from moderator_app.domain.retention import RetentionError, first_kept_day
from moderator_app.domain.settings import RETENTION_BEFORE
from moderator_app.domain.statistics import Month, Report
from moderator_app.services.retention import RetentionService
from moderator_app.store.actions import InquiryActions
from moderator_app.store.audit import AuditRepository
from moderator_app.store.db import Database
from moderator_app.store.models import DetectorExample, Inquiry, Message
from moderator_app.store.rederive import Rederiver
from moderator_app.store.repositories import SettingsRepository
from moderator_app.store.statistics import StatisticsService
from tests.conftest import TORONTO
from tests.support.october_log import october_log
from tests.support.older_rules import QuestionMarksOnly, older_ingestor

MONTHS = (Month(2025, 10), Month(2025, 11), Month(2025, 12))
NOW = datetime(2026, 1, 20, 15, 0, tzinfo=UTC)  # two months back from January: text before Nov 1 goes
PRIVATE = SourceRef(SourceKind.PRIVATE, 0, "Private messages", "personal_chat")
DECEMBER_GROUP = SourceRef(SourceKind.GROUP, 1600, "Newcomers Kanata", "public_supergroup")
AMAL, OMID, LEILA = Peer("user", 7, "Amal Haddad"), Peer("user", 8, "Omid"), Peer("user", 10, "Leila")
STAFF = Peer("user", 99, "Desk")


def _reports(db: Database, months: tuple[Month, ...] = MONTHS) -> tuple[Report, Report]:
    """A column per month, and the whole span as one column, each with the inquiry log (as the XLSX has it)."""
    service = StatisticsService(db)
    salt = SettingsRepository(db).pseudonym_salt()
    monthly = service.report(months[0], months[-1], TORONTO, include_log=True, pseudonym_salt=salt, now=NOW)
    first_day = datetime(months[0].year, months[0].month, 1).date()
    span = service.report(first_day, NOW.date(), TORONTO, include_log=True, pseudonym_salt=salt, now=NOW)
    return monthly, span


def _texts(db: Database) -> dict[tuple[int, int], str]:
    with db.sessions() as session:
        return {(r.chat_id, r.telegram_id): r.text for r in session.scalars(select(Message))}


def _december(db: Database) -> None:
    """Messages after the boundary: a group's question answered, and a private chat that began in October
    (its inquiry still open) writing again in December."""
    ingestor = older_ingestor(db)
    group = ingestor.source(DECEMBER_GROUP)
    at = datetime(2025, 12, 3, 15, 0, tzinfo=UTC)
    group.message(MessageRecord(1600, 1, at, OMID, "Where can I get winter boots for my kids?"))
    group.message(MessageRecord(1600, 2, at + timedelta(minutes=30), STAFF, "The Kanata food bank has some", 1))
    ingestor.flush()
    private = ingestor.source(PRIVATE)
    october = datetime(2025, 10, 20, 14, 0, tzinfo=UTC)
    private.message(MessageRecord(10, 1, october, LEILA, "Is there a French class for adults near Orleans?"))
    private.message(MessageRecord(10, 2, datetime(2025, 12, 10, 14, 0, tzinfo=UTC), LEILA, "Hello? Anyone?"))
    ingestor.flush()


@pytest.fixture
def log(db: Database, tmp_path: Path) -> Database:
    october_log(db, tmp_path)  # October 2025, one answer on November 3
    _december(db)
    return db


def test_first_kept_day_is_a_month_start_n_whole_months_back() -> None:
    assert first_kept_day(NOW.date(), 2) == datetime(2025, 11, 1).date()
    assert first_kept_day(datetime(2026, 12, 5).date(), 12) == datetime(2025, 12, 1).date()
    assert first_kept_day(datetime(2026, 1, 31).date(), 1) == datetime(2025, 12, 1).date()


def test_reports_are_unchanged_by_retention_and_by_rederiving_after_it(log: Database, tmp_path: Path) -> None:
    before = _reports(log)
    assert before[0].get("2025-10", "Group A", "inquiries") == 3  # the month whose text goes has counts
    texts = _texts(log)
    result = RetentionService(log, tmp_path / "media").apply(2, NOW, profile_id=None)
    assert result is not None
    assert result.before == datetime(2025, 11, 1, tzinfo=TORONTO)

    after = _texts(log)
    with log.sessions() as session:
        still_open = set(
            session.scalars(select(Inquiry.id).where(Inquiry.state.in_(["open", "acknowledged", "member_answered"])))
        )
        old = session.execute(select(Message.text, Message.inquiry_id).where(Message.date < result.before)).all()
    # Every message of before November 1 lost its text, but those of inquiries still open (a moderator may be
    # answering them): Leila's French class, and the school question nobody answered yet.
    assert all(text == "" or inquiry in still_open for text, inquiry in old)
    assert sorted(text for text, _ in old if text) == [
        "Is there a French class for adults near Orleans?",
        "When does school start?",
    ]
    assert result.kept_open == 2
    assert result.messages == sum(1 for key, text in texts.items() if text and not after[key]) == len(old) - 2
    assert "Voici." in after.values()  # November 3: after the boundary, kept
    assert "Where can I get winter boots for my kids?" in after.values()

    assert _reports(log) == before  # tables and inquiry log alike
    Rederiver(log).run()
    assert _reports(log) == before
    again = Rederiver(log).run()
    assert _reports(log) == before and again.roles_changed == 0


def test_rederiving_without_the_boundary_would_change_the_months_whose_text_is_gone(log: Database) -> None:
    """Why the rederive keeps what was derived: replaying the emptied messages reads nothing in them."""
    before = _reports(log)
    RetentionService(log).apply(2, NOW, profile_id=None)
    SettingsRepository(log).write(RETENTION_BEFORE, None)  # as if the run had not said where it stopped
    Rederiver(log).run()
    assert _reports(log) != before


def test_months_after_the_boundary_still_follow_new_rules(db: Database) -> None:
    """October (text removed) keeps its figures; December is re-derived like any history."""
    ingestor = older_ingestor(db, detector=QuestionMarksOnly(), answer_window=timedelta(0))
    group = ingestor.source(SourceRef(SourceKind.GROUP, 1500, "Newcomers Ottawa", "public_supergroup"))
    for day in (datetime(2025, 10, 6, 14, 0, tzinfo=UTC), datetime(2025, 12, 8, 14, 0, tzinfo=UTC)):
        base = 1 if day.month == 10 else 100
        group.message(MessageRecord(1500, base, day, AMAL, "I need someone to explain a letter from the tax office"))
        group.message(MessageRecord(1500, base + 1, day + timedelta(minutes=5), OMID, "Where is the food bank?"))
        group.message(MessageRecord(1500, base + 2, day + timedelta(minutes=9), STAFF, "On Rideau", base + 1))
    ingestor.flush()

    def inquiries(month: str) -> Any:
        report = StatisticsService(db).report(Month(2025, 10), Month(2025, 12), TORONTO, now=NOW)
        return report.get(month, "Newcomers Ottawa", "inquiries")

    assert (inquiries("2025-10"), inquiries("2025-12")) == (1, 1)  # the old rules miss the request
    RetentionService(db).apply(2, NOW, profile_id=None)
    Rederiver(db).run()  # the rules now in force see "I need …" as a request
    assert (inquiries("2025-10"), inquiries("2025-12")) == (1, 2)


def test_a_private_chat_open_across_the_boundary_is_not_split_by_rederiving(log: Database) -> None:
    RetentionService(log).apply(2, NOW, profile_id=None)
    Rederiver(log).run()
    with log.sessions() as session:
        rows = session.execute(select(Inquiry.question_telegram_id, Inquiry.state).where(Inquiry.chat_id == 10))
        assert [tuple(r) for r in rows] == [(1, "open")]
        joined = session.scalar(select(Message.inquiry_id).where(Message.chat_id == 10, Message.telegram_id == 2))
        assert joined is not None


def test_files_examples_and_the_audit_record(log: Database, tmp_path: Path) -> None:
    media = tmp_path / "media"
    with log.sessions() as session:
        old = session.scalars(select(Message).where(Message.text == "Good morning")).one()
        new = session.scalars(select(Message).where(Message.text == "Voici.")).one()
        chatter = session.scalars(select(Inquiry.id).where(Inquiry.question_telegram_id == old.telegram_id)).first()
        asked = session.scalars(
            select(Inquiry.id).join(Message, Message.inquiry_id == Inquiry.id).where(Message.text.like("When does%"))
        ).one()
    files = []
    for message in (old, new):
        folder = media / str(message.source_id) / str(message.chat_id)
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{message.telegram_id}.ogg"
        path.write_bytes(b"OggS")
        files.append(path)
    assert chatter is None
    InquiryActions(log).apply(asked, ModeratorAction.DISMISS, datetime(2025, 10, 30, tzinfo=UTC))  # an example

    service = RetentionService(log, media)
    preview = service.preview(2, NOW)
    result = service.apply(2, NOW, profile_id=None)
    assert result is not None and preview.messages == result.messages
    assert not files[0].exists() and files[1].exists()
    assert result.files == 1 and result.examples == 1
    with log.sessions() as session:
        assert session.scalars(select(DetectorExample)).all() == []
    (event,) = AuditRepository(log).entries()
    assert event.action == "retention" and event.detail["messages"] == result.messages
    assert event.detail["before"] == "2025-11-01"
    assert service.preview(2, NOW).messages == 0  # a second run has nothing left to remove


def test_the_setting_is_off_by_default_and_checked(db: Database) -> None:
    service = RetentionService(db)
    assert service.months() is None and service.apply() is None and service.at_start() is None
    with pytest.raises(RetentionError):
        service.set_months(500, profile_id=None)
    service.set_months(18, profile_id=None)
    service.set_months(18, profile_id=None)  # no change: not recorded again
    service.set_months(0, profile_id=None)
    assert service.months() is None
    assert [e.detail["to"] for e in reversed(AuditRepository(db).entries())] == [18, "off"]
