"""Revealed inquiries, answers without Telegram's reply and possible inquiries, written to a real log and
counted in the monthly statistics (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from moderator_app.domain.events import MessageRecord, Peer, SourceKind, SourceRef
from moderator_app.store.db import Database
from moderator_app.store.ingest import SourceIngest
from moderator_app.store.live import LiveLog
from moderator_app.store.models import Inquiry, Message, Response
from moderator_app.store.repositories import SettingsRepository
from tests.conftest import toronto_standard

MONDAY = datetime(2026, 11, 16, 15, 0, tzinfo=UTC)
GROUP = SourceRef(SourceKind.GROUP, 1500, "Newcomers Ottawa", "public_supergroup")
AMAL, OMID, STAFF = Peer("user", 7, "Amal Haddad", "amal_h"), Peer("user", 8, "Omid"), Peer("user", 99, "Desk")


def _group_log(db: Database) -> tuple[LiveLog, SourceIngest]:
    """A log with the Toronto standard and staff account 99, and the group's source open in it."""
    toronto_standard(db)
    SettingsRepository(db).add_staff([99])
    live = LiveLog(db)
    return live, live.source(GROUP)


def _rows(db: Database) -> tuple[list[tuple[int, str, str | None]], list[tuple[int, str, str | None]]]:
    with db.sessions() as session:
        messages = session.execute(
            select(Message.telegram_id, Message.role, Inquiry.state)
            .outerjoin(Inquiry, Inquiry.id == Message.inquiry_id)
            .order_by(Message.telegram_id)
        ).all()
        responses = session.execute(
            select(Message.telegram_id, Response.kind, Response.link)
            .join(Message, Message.id == Response.message_id)
            .order_by(Message.telegram_id)
        ).all()
    return [tuple(m) for m in messages], [tuple(r) for r in responses]  # type: ignore[misc]


def test_a_staff_reply_reveals_an_inquiry_in_the_same_batch_and_after_a_commit(db: Database) -> None:
    live, group = _group_log(db)
    hour = timedelta(hours=1)
    live.record(group, MessageRecord(1500, 1, MONDAY, AMAL, "My landlord kept the whole deposit"))
    live.record(group, MessageRecord(1500, 2, MONDAY + hour, STAFF, "The tenant board can order it back", reply_to=1))
    live.record(group, MessageRecord(1500, 3, MONDAY + 2 * hour, OMID, "The bus pass went up again this month"))
    live.commit()  # message 3 is in the log when the reply that reveals it arrives
    live.record(group, MessageRecord(1500, 4, MONDAY + 3 * hour, STAFF, "Low-income passes are half price", reply_to=3))
    live.commit()
    messages, responses = _rows(db)
    assert messages == [
        (1, "question", "answered"),
        (2, "staff_reply", "answered"),
        (3, "question", "answered"),
        (4, "staff_reply", "answered"),
    ]
    assert responses == [(2, "information", "reply"), (4, "information", "reply")]
    with db.sessions() as session:
        assert session.scalars(select(Inquiry.detection)).all() == ["revealed", "revealed"]


def test_answers_without_a_reply_and_possible_inquiries_in_the_log(db: Database) -> None:
    live, group = _group_log(db)
    minute = timedelta(minutes=1)
    live.record(group, MessageRecord(1500, 1, MONDAY, AMAL, "Looking for a used car seat for my baby"))
    live.record(group, MessageRecord(1500, 2, MONDAY + minute, STAFF, "@amal_h the thrift store on Bank St has them"))
    live.record(group, MessageRecord(1500, 3, MONDAY + 5 * minute, OMID, "OHIP info"))
    live.record(group, MessageRecord(1500, 4, MONDAY + 6 * minute, STAFF, "Job fair on Thursday at City Hall"))
    live.commit()
    messages, responses = _rows(db)
    assert messages == [
        (1, "question", "answered"),
        (2, "staff_reply", "answered"),
        (3, "possible", "possible"),
        (4, "post", None),
    ]
    assert responses == [(2, "information", "mention"), (4, "post", None)]
    with db.sessions() as session:
        reasons = dict(session.execute(select(Inquiry.state, Inquiry.reason)).all())
    assert "looking for" in (reasons["answered"] or "") and "info" in (reasons["possible"] or "")


def test_a_restarted_connector_still_links_an_answer_by_name(db: Database) -> None:
    first, group = _group_log(db)
    first.record(group, MessageRecord(1500, 1, MONDAY, OMID, "دنبال کار پاره وقت هستم"))
    first.commit()
    again = LiveLog(db)  # a new process: the open inquiry and its asker come back from the log
    group = again.source(GROUP)
    late = MONDAY + timedelta(hours=5)
    again.record(group, MessageRecord(1500, 2, late, STAFF, "Omid, the employment centre posts part-time jobs"))
    again.commit()
    messages, responses = _rows(db)
    assert messages == [(1, "question", "answered"), (2, "staff_reply", "answered")]
    assert responses == [(2, "information", "mention")]


def test_promote_and_dismiss_are_kept_as_examples_and_teach_the_next_start(db: Database) -> None:
    from moderator_app.domain.actions import ActionRefused, ModeratorAction
    from moderator_app.store.actions import InquiryActions
    from moderator_app.store.examples import ExampleRepository

    live, group = _group_log(db)
    live.record(group, MessageRecord(1500, 1, MONDAY, AMAL, "OHIP info for my parents"))
    live.record(group, MessageRecord(1500, 2, MONDAY, OMID, "Does anyone know what time it is lol"))
    live.commit()
    with db.sessions() as session:
        ids = dict(session.execute(select(Inquiry.question_telegram_id, Inquiry.id)).all())
        states = dict(session.execute(select(Inquiry.question_telegram_id, Inquiry.state)).all())
    assert states == {1: "possible", 2: "open"}
    actions = InquiryActions(db)
    try:
        actions.apply(ids[1], ModeratorAction.MARK_ANSWERED)
    except ActionRefused as refused:
        assert "possible" in str(refused)
    else:
        raise AssertionError("a possible inquiry was marked answered")
    promoted = actions.apply(ids[1], ModeratorAction.PROMOTE, MONDAY + timedelta(minutes=5))
    assert promoted.after.value == "open" and dict(promoted.before)["detection"].value == "possible"
    with db.sessions() as session:
        assert session.get(Inquiry, ids[1]).detection == "promoted"  # type: ignore[union-attr]
    actions.apply(ids[2], ModeratorAction.DISMISS, MONDAY + timedelta(minutes=5))
    assert [(e.text, e.asks, e.origin) for e in ExampleRepository(db).examples()] == [
        ("OHIP info for my parents", True, "promoted"),
        ("Does anyone know what time it is lol", False, "dismissed"),
    ]
    again = LiveLog(db)  # the next start judges lookalikes as the moderators did
    group = again.source(GROUP)
    again.record(group, MessageRecord(1500, 3, MONDAY + timedelta(hours=1), OMID, "OHIP info for my parents please"))
    again.record(group, MessageRecord(1500, 4, MONDAY + timedelta(hours=1), AMAL, "does anyone know what time it is"))
    again.commit()
    with db.sessions() as session:
        later = dict(
            session.execute(
                select(Inquiry.question_telegram_id, Inquiry.state).where(Inquiry.question_telegram_id > 2)
            ).all()
        )
        reason = session.scalar(select(Inquiry.reason).where(Inquiry.question_telegram_id == 3))
    assert later[3] == "open" and "promoted" in (reason or "")
    assert later.get(4) in (None, "possible")


def test_a_staff_reply_after_a_restart_reveals_a_member_message_stored_before(db: Database) -> None:
    first, group = _group_log(db)
    first.record(group, MessageRecord(1500, 1, MONDAY, AMAL, "My landlord kept the whole deposit"))
    first.commit()
    again = LiveLog(db)  # a new process: the message is in the log, not in memory
    group = again.source(GROUP)
    again.record(group, MessageRecord(1500, 2, MONDAY + timedelta(hours=1), STAFF, "Call the tenant board", reply_to=1))
    again.commit()
    messages, responses = _rows(db)
    assert messages == [(1, "question", "answered"), (2, "staff_reply", "answered")]
    assert responses == [(2, "information", "reply")]


def test_the_answer_window_is_the_organization_s_setting(db: Database) -> None:
    from moderator_app.store.repositories import SettingsRepository as Settings

    assert Settings(db).answer_window() == timedelta(hours=2)
    Settings(db).set_answer_window(timedelta(hours=4))
    live, group = _group_log(db)  # built after the change: it reads the setting
    live.record(group, MessageRecord(1500, 1, MONDAY, AMAL, "Where do I renew my health card"))
    live.record(group, MessageRecord(1500, 2, MONDAY + timedelta(hours=3), STAFF, "At any ServiceOntario centre"))
    live.commit()
    _, responses = _rows(db)
    assert responses == [(2, "information", "sequence")]  # 3 h after: within the 4 h the organization chose


def test_usernames_of_live_senders_are_kept_and_link_answers_after_a_restart(db: Database) -> None:
    from moderator_app.store.models import Member

    first, group = _group_log(db)
    first.record(group, MessageRecord(1500, 1, MONDAY, AMAL, "Looking for a used car seat for my baby"))
    first.commit()
    with db.sessions() as session:
        assert session.scalars(select(Member.username).where(Member.telegram_id == 7)).one() == "amal_h"
    again = LiveLog(db)  # a new process: the asker's username comes back from the log
    group = again.source(GROUP)
    late = MONDAY + timedelta(hours=5)
    again.record(group, MessageRecord(1500, 2, late, STAFF, "@amal_h the thrift store on Bank St has them"))
    again.commit()
    _, responses = _rows(db)
    assert responses == [(2, "information", "mention")]
