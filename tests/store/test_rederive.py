"""Re-deriving history under new rules: a month's figures before and after, moderators' decisions kept, and
a second run changes nothing (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from moderator_app.domain.actions import ModeratorAction
from moderator_app.domain.asking import InquiryDetector, Verdict
from moderator_app.domain.events import MessageRecord, Peer, SourceKind, SourceRef
from moderator_app.domain.statistics import ALL_SOURCES, Month
from moderator_app.store.actions import InquiryActions
from moderator_app.store.db import Database
from moderator_app.store.drafts import DraftRepository
from moderator_app.store.models import Inquiry, Message
from moderator_app.store.rederive import Rederiver, rules_outdated
from moderator_app.store.repositories import SettingsRepository
from moderator_app.store.statistics import StatisticsService
from tests.support.older_rules import QuestionMarksOnly, older_ingestor

TORONTO = ZoneInfo("America/Toronto")
OCT = datetime(2026, 10, 5, 14, 0, tzinfo=UTC)  # a Monday
GROUP = SourceRef(SourceKind.GROUP, 1500, "Newcomers Ottawa", "public_supergroup")
AMAL, OMID, LEILA = Peer("user", 7, "Amal Haddad"), Peer("user", 8, "Omid"), Peer("user", 10, "Leila")
STAFF = Peer("user", 99, "Desk")


def _old_log(db: Database) -> None:
    """October under older rules: requests missed, answers without a reply counted as posts."""
    ingestor = older_ingestor(db, detector=QuestionMarksOnly(), answer_window=timedelta(0))
    group = ingestor.source(GROUP)
    minute = timedelta(minutes=1)
    messages = [
        (1, OCT, AMAL, "I need someone to explain a letter from the tax office", None),
        (2, OCT + 20 * minute, STAFF, "Amal, the tax clinic on Bank St reads letters on Tuesdays", None),
        (3, OCT + 60 * minute, OMID, "Where is the food bank?", None),
        (4, OCT + 65 * minute, STAFF, "On Rideau, open Saturdays", 3),
        (5, OCT + 2 * 60 * minute, LEILA, "Looking for a used car seat for my baby", None),
        (6, OCT + 3 * 60 * minute, STAFF, "Workshop on tenant rights this Saturday at 10", None),
        (7, OCT + 4 * 60 * minute, OMID, "Does anyone know if the library has English classes?", None),
    ]
    for telegram_id, at, sender, text, reply_to in messages:
        group.message(MessageRecord(1500, telegram_id, at, sender, text, reply_to=reply_to))
    ingestor.flush()


def _figures(db: Database) -> tuple[int, int, int]:
    report = StatisticsService(db).report(
        Month(2026, 10), Month(2026, 10), TORONTO, now=datetime(2026, 12, 1, tzinfo=UTC)
    )
    return tuple(int(report.get("2026-10", ALL_SOURCES, m)) for m in ("inquiries", "information", "posts"))  # type: ignore[return-value]


def test_rederiving_changes_the_month_only_where_the_new_rules_say_so(db: Database) -> None:
    _old_log(db)
    assert _figures(db) == (2, 1, 2)  # the food bank and the library; posts: the clinic answer, the workshop
    with db.sessions() as session:
        library = session.scalars(select(Inquiry.id).where(Inquiry.question_telegram_id == 7)).one()
    InquiryActions(db).apply(library, ModeratorAction.DISMISS, OCT + timedelta(hours=5))  # a moderator's word
    assert _figures(db) == (1, 1, 2)
    assert not rules_outdated(db)  # a log created under these rules
    SettingsRepository(db).set("rules.version", 1)  # as migration 0012 marks a log upgraded with history
    assert rules_outdated(db)

    progress: list[tuple[int, int]] = []
    summary = Rederiver(db, on_progress=lambda done, total: progress.append((done, total))).run()
    # Now: the tax letter (answered by name) and the car seat are inquiries too; the library stays dismissed.
    assert _figures(db) == (3, 2, 1)
    assert summary.messages == 7 and summary.kept_as_decided == 1 and progress[-1] == (7, 7)
    assert not rules_outdated(db)
    with db.sessions() as session:
        roles = dict(session.execute(select(Message.telegram_id, Message.role)).all())
        states = dict(session.execute(select(Inquiry.question_telegram_id, Inquiry.state)).all())
    assert roles == {
        1: "question",
        2: "staff_reply",
        3: "question",
        4: "staff_reply",
        5: "question",
        6: "post",
        7: "question",
    }
    assert states == {1: "answered", 3: "answered", 5: "open", 7: "dismissed"}
    again = Rederiver(db).run()
    assert _figures(db) == (3, 2, 1) and again.roles_changed == 0


def test_an_inquiry_a_moderator_made_stays_one_when_the_new_rules_see_nothing_in_it(db: Database) -> None:
    ingestor = older_ingestor(db)
    ingestor.source(GROUP).message(MessageRecord(1500, 1, OCT, AMAL, "OHIP info for my parents"))
    ingestor.flush()
    with db.sessions() as session:
        possible = session.scalars(select(Inquiry.id)).one()
    InquiryActions(db).apply(possible, ModeratorAction.PROMOTE, OCT + timedelta(minutes=5))
    rederiver = Rederiver(db)
    rederiver.detector = QuestionMarksOnly()  # rules under which the message asks nothing
    rederiver.run()
    with db.sessions() as session:
        assert session.execute(select(Message.role, Message.inquiry_id)).one() == ("question", possible)
        assert session.execute(select(Inquiry.id, Inquiry.state)).all() == [(possible, "open")]


def test_an_inquiry_with_a_reply_being_written_is_kept_with_its_draft(db: Database) -> None:
    """A draft is work on the inquiry: rules that no longer make it one leave it (and the draft) in place."""
    ingestor = older_ingestor(db)
    ingestor.source(GROUP).message(MessageRecord(1500, 1, OCT, AMAL, "Where is the food bank?"))
    ingestor.flush()
    with db.sessions() as session:
        inquiry = session.scalars(select(Inquiry.id)).one()
    DraftRepository(db).save(inquiry, "The food bank on Rideau opens on Saturdays")
    rederiver = Rederiver(db)
    rederiver.detector = NothingAsks()
    rederiver.run()
    with db.sessions() as session:
        assert session.scalars(select(Inquiry.id)).all() == [inquiry]
    draft = DraftRepository(db).get(inquiry)
    assert draft is not None and draft.text == "The food bank on Rideau opens on Saturdays"


class NothingAsks(InquiryDetector):
    def judge(self, text: str, language: str) -> tuple[Verdict, str]:
        return Verdict.NONE, ""
