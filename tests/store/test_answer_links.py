"""A moderator re-links or unlinks a staff answer: the message's role and counted responses, both inquiries'
first response and state, and the month's figures follow at once; re-deriving the log keeps the correction
(SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from moderator_app.domain.actions import ActionRefused, ModeratorAction
from moderator_app.domain.events import MessageRecord, Peer, SourceKind, SourceRef
from moderator_app.domain.statistics import ALL_SOURCES, Month
from moderator_app.store.actions import InquiryActions
from moderator_app.store.answer_links import AnswerLinks
from moderator_app.store.db import Database
from moderator_app.store.live import LiveLog
from moderator_app.store.models import AnswerLink, Inquiry, Message, Response
from moderator_app.store.rederive import Rederiver
from moderator_app.store.repositories import SettingsRepository, SourceRepository
from moderator_app.store.statistics import StatisticsService
from tests.conftest import toronto_standard

TORONTO = ZoneInfo("America/Toronto")
MONDAY = datetime(2026, 11, 16, 15, 0, tzinfo=UTC)
GROUP = SourceRef(SourceKind.GROUP, 1500, "Newcomers Ottawa", "public_supergroup")
AMAL, OMID, STAFF = Peer("user", 7, "Amal Haddad", "amal_h"), Peer("user", 8, "Omid"), Peer("user", 99, "Desk")
MINUTE = timedelta(minutes=1)


def _log(db: Database, messages: list[tuple[int, datetime, Peer, str, int | None]]) -> int:
    """The group's messages in a log with staff account 99; returns the source id."""
    toronto_standard(db)
    SettingsRepository(db).add_staff([99])
    live = LiveLog(db)
    group = live.source(GROUP)
    for telegram_id, at, sender, text, reply_to in messages:
        live.record(group, MessageRecord(1500, telegram_id, at, sender, text, reply_to=reply_to))
    live.commit()
    return next(s.id for s in SourceRepository(db).all() if s.telegram_id == 1500)


def _inquiries(db: Database) -> dict[int, tuple[str, datetime | None, bool | None]]:
    """Question message -> (state, first response, met the standard)."""
    with db.sessions() as session:
        rows = session.execute(
            select(Inquiry.question_telegram_id, Inquiry.state, Inquiry.first_response_at, Inquiry.met_standard)
        )
        return {q: (state, first, met) for q, state, first, met in rows}


def _inquiry_id(db: Database, question: int) -> int:
    with db.sessions() as session:
        return session.scalars(select(Inquiry.id).where(Inquiry.question_telegram_id == question)).one()


def _message(db: Database, telegram_id: int) -> tuple[str, int | None, list[tuple[str, str | None, int | None]]]:
    """The message's role, the question of the inquiry it belongs to, and its responses (kind, link, question)."""
    with db.sessions() as session:
        role, inquiry_id, message_id = session.execute(
            select(Message.role, Message.inquiry_id, Message.id).where(Message.telegram_id == telegram_id)
        ).one()
        question = session.scalar(select(Inquiry.question_telegram_id).where(Inquiry.id == inquiry_id))
        responses = [
            (kind, link, session.scalar(select(Inquiry.question_telegram_id).where(Inquiry.id == owner)))
            for kind, link, owner in session.execute(
                select(Response.kind, Response.link, Response.inquiry_id).where(Response.message_id == message_id)
            )
        ]
    return role, question, responses


def _month(db: Database) -> dict[str, int]:
    report = StatisticsService(db).report(
        Month(2026, 11), Month(2026, 11), TORONTO, now=datetime(2026, 12, 1, tzinfo=UTC)
    )
    names = ("inquiries", "information", "posts", "questions_answered_public", "answered_within_standard")
    return {name: int(report.get("2026-11", ALL_SOURCES, name) or 0) for name in names}


def test_relinking_an_answer_to_the_member_it_was_for_moves_the_figures(db: Database) -> None:
    # "Amal, …" was meant for Omid's question (the moderator mistyped the name): the rules link it to Amal.
    source = _log(
        db,
        [
            (1, MONDAY, AMAL, "Where is the nearest food bank", None),
            (2, MONDAY + 5 * MINUTE, OMID, "How do I renew my health card", None),
            (3, MONDAY + 30 * MINUTE, STAFF, "Amal, any ServiceOntario centre renews it, bring two IDs", None),
        ],
    )
    assert _message(db, 3) == ("staff_reply", 1, [("information", "mention", 1)])
    before = _month(db)
    moved = AnswerLinks(db).link(source, 1500, 3, _inquiry_id(db, 2))
    assert moved.before == _inquiry_id(db, 1) and moved.after == _inquiry_id(db, 2)
    assert _message(db, 3) == ("staff_reply", 2, [("information", "moderator", 2)])
    inquiries = _inquiries(db)
    assert inquiries[1] == ("open", None, None)  # Amal still waits: overdue figures will say so
    assert inquiries[2] == ("answered", MONDAY + 30 * MINUTE, True)
    assert _month(db) == before  # one answered inquiry either way: the same counts, now the right ones
    with db.sessions() as session:
        link = session.scalars(select(AnswerLink)).one()
        assert link.question_message_id is not None


def test_unlinking_makes_the_message_a_post_and_the_question_open_again(db: Database) -> None:
    source = _log(
        db,
        [
            (1, MONDAY, AMAL, "Where is the nearest food bank", None),
            (2, MONDAY + 10 * MINUTE, STAFF, "Hi everyone, I am back from vacation today", None),
        ],
    )
    assert _message(db, 2) == ("staff_reply", 1, [("information", "sequence", 1)])
    assert _month(db) == {
        "inquiries": 1,
        "information": 1,
        "posts": 0,
        "questions_answered_public": 1,
        "answered_within_standard": 1,
    }
    AnswerLinks(db).link(source, 1500, 2, None)
    assert _message(db, 2) == ("post", None, [("post", None, None)])
    assert _inquiries(db)[1] == ("open", None, None)
    assert _month(db) == {
        "inquiries": 1,
        "information": 0,
        "posts": 1,
        "questions_answered_public": 0,
        "answered_within_standard": 0,
    }
    # And back: a post linked by hand answers the question again.
    AnswerLinks(db).link(source, 1500, 2, _inquiry_id(db, 1))
    assert _message(db, 2) == ("staff_reply", 1, [("information", "moderator", 1)])
    assert _month(db)["information"] == 1 and _month(db)["posts"] == 0


def test_the_first_response_moves_to_the_next_answer_and_a_moderators_answered_stays(db: Database) -> None:
    source = _log(
        db,
        [
            (1, MONDAY, AMAL, "Where is the nearest food bank", None),
            (2, MONDAY + 10 * MINUTE, STAFF, "Job fair on Thursday at City Hall", 1),
            (3, MONDAY + 50 * MINUTE, STAFF, "The food bank is on Rideau, open Saturdays", 1),
        ],
    )
    assert _inquiries(db)[1] == ("answered", MONDAY + 10 * MINUTE, True)
    AnswerLinks(db).link(source, 1500, 2, None)
    assert _inquiries(db)[1] == ("answered", MONDAY + 50 * MINUTE, True)
    with db.sessions() as session:
        assert session.scalars(select(Inquiry.answered_at)).one() == MONDAY + 50 * MINUTE

    # An inquiry a moderator marked answered (by phone) stays answered when its only staff message is unlinked.
    source_two = _second_group(db)
    question = _inquiry_id(db, 11)
    InquiryActions(db).apply(question, ModeratorAction.MARK_ANSWERED, MONDAY + 2 * 60 * MINUTE)
    AnswerLinks(db).link(source_two, 1600, 12, question)
    AnswerLinks(db).link(source_two, 1600, 12, None)
    with db.sessions() as session:
        row = session.execute(select(Inquiry.state, Inquiry.answered_at).where(Inquiry.id == question)).one()
    state, answered = row
    assert (state, answered) == ("answered", MONDAY + 2 * 60 * MINUTE)


def _second_group(db: Database) -> int:
    other = SourceRef(SourceKind.GROUP, 1600, "Newcomers Gatineau", "public_supergroup")
    live = LiveLog(db)
    group = live.source(other)
    live.record(group, MessageRecord(1600, 11, MONDAY, OMID, "Where can I get winter boots cheap", None))
    live.record(group, MessageRecord(1600, 12, MONDAY + 4 * 60 * MINUTE, STAFF, "Reminder: office closed Friday"))
    live.commit()
    return next(s.id for s in SourceRepository(db).all() if s.telegram_id == 1600)


def test_unlinking_the_reply_that_revealed_an_inquiry_leaves_it_possible(db: Database) -> None:
    source = _log(
        db,
        [
            (1, MONDAY, AMAL, "My landlord kept the whole deposit", None),
            (2, MONDAY + 10 * MINUTE, STAFF, "Congratulations on the new flat!", 1),
        ],
    )
    assert _inquiries(db)[1][0] == "answered"
    AnswerLinks(db).link(source, 1500, 2, None)
    assert _inquiries(db)[1] == ("possible", None, None)  # listed for a decision, not counted
    assert _month(db)["inquiries"] == 0 and _month(db)["posts"] == 1


def test_corrections_that_cannot_be_are_refused_with_a_reason(db: Database) -> None:
    source = _log(
        db,
        [
            (1, MONDAY, STAFF, "Welcome to the group! Read the pinned rules", None),
            (2, MONDAY + MINUTE, AMAL, "Where is the nearest food bank", None),
            (3, MONDAY + 2 * MINUTE, OMID, "On Rideau I think", 2),
            (4, MONDAY + 3 * MINUTE, OMID, "How do I renew my health card", None),
            (5, MONDAY + 9 * MINUTE, STAFF, "Hi everyone, I am back from vacation today", None),
        ],
    )
    links = AnswerLinks(db)
    with pytest.raises(ActionRefused, match="member's"):
        links.link(source, 1500, 3, _inquiry_id(db, 2))
    with pytest.raises(ActionRefused, match="before the question"):
        links.link(source, 1500, 1, _inquiry_id(db, 2))
    with pytest.raises(ActionRefused, match="no inquiry already"):
        links.link(source, 1500, 1, None)
    InquiryActions(db).apply(_inquiry_id(db, 4), ModeratorAction.DISMISS, MONDAY + 5 * MINUTE)
    with pytest.raises(ActionRefused, match="dismissed"):
        links.link(source, 1500, 5, _inquiry_id(db, 4))
    with pytest.raises(ActionRefused, match="not in the log"):
        links.link(source, 1500, 404, None)


def test_re_deriving_the_log_follows_the_moderators_links(db: Database) -> None:
    source = _log(
        db,
        [
            (1, MONDAY, AMAL, "Where is the nearest food bank", None),
            (2, MONDAY + 5 * MINUTE, OMID, "How do I renew my health card", None),
            (3, MONDAY + 30 * MINUTE, STAFF, "Amal, any ServiceOntario centre renews it, bring two IDs", None),
            (4, MONDAY + 40 * MINUTE, STAFF, "Food bank: 123 Rideau St, Saturdays", 1),
            (5, MONDAY + 50 * MINUTE, AMAL, "My landlord kept the whole deposit", None),
            (6, MONDAY + 55 * MINUTE, STAFF, "Congratulations on the new flat!", 5),
        ],
    )
    links = AnswerLinks(db)
    links.link(source, 1500, 3, _inquiry_id(db, 2))
    links.link(source, 1500, 6, None)
    corrected = ({m: _message(db, m) for m in (3, 4, 6)}, _inquiries(db), _month(db))
    Rederiver(db).run()
    assert ({m: _message(db, m) for m in (3, 4, 6)}, _inquiries(db), _month(db)) == corrected
    assert corrected[0][3] == ("staff_reply", 2, [("information", "moderator", 2)])
    assert corrected[0][6] == ("post", None, [("post", None, None)])


def test_an_answer_linked_by_a_text_mention_stays_linked_when_the_log_is_re_derived(db: Database) -> None:
    """A text mention names the member by their Telegram id ("Dear friend" linked to Omid): neither a username
    nor the first name, and two questions are open, so only the mention links it, then and after a replay."""
    toronto_standard(db)
    SettingsRepository(db).add_staff([99])
    live = LiveLog(db)
    group = live.source(GROUP)
    live.record(group, MessageRecord(1500, 1, MONDAY, AMAL, "Where is the nearest food bank"))
    live.record(group, MessageRecord(1500, 2, MONDAY + MINUTE, OMID, "How do I renew my health card"))
    answer = MessageRecord(
        1500, 3, MONDAY + 9 * MINUTE, STAFF, "Dear friend, any ServiceOntario centre renews it", mentioned_ids=(8,)
    )
    live.record(group, answer)
    live.commit()
    assert _message(db, 3) == ("staff_reply", 2, [("information", "mention", 2)])
    Rederiver(db).run()
    assert _message(db, 3) == ("staff_reply", 2, [("information", "mention", 2)])
    assert _inquiries(db)[1][0] == "open"
