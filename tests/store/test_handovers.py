"""Handovers in the log: the summary's queries give what the domain's rules say on a random log, and a
handover is kept and read back (the next person sees the previous person's note)."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from moderator_app.domain.handover import (
    SECTIONS,
    HandoverError,
    HandoverItem,
    Section,
    first_line,
    is_failed_send,
    summarize,
)
from moderator_app.domain.inquiries import InquiryState
from moderator_app.domain.outbox import OutboxState
from moderator_app.store.db import Database
from moderator_app.store.handovers import HandoverRepository
from moderator_app.store.models import HandoverRow, Inquiry, Member, Message, OutboxItem, Source, Topic
from moderator_app.store.profiles import ProfileRepository

NOW = datetime(2026, 11, 17, 4, 30, tzinfo=UTC)  # 23:30 on the 16th in Toronto: "today" is the 16th there
TORONTO = ZoneInfo("America/Toronto")
NAMES = ("أمل حداد", "رضا کریمی", "Marie Dubois", "王芳", "")
TEXTS = ("أين أجد طبيب عائلة؟\nشكراً", "کجا می‌توانم کار پیدا کنم؟", "Où est la clinique ?", "", "\n  Need a lawyer  ")


def _random_log(db: Database, seed: int, *, open_responded: bool = True) -> None:
    """``open_responded``: some open inquiries have a first response (a rare case the queries look for)."""
    rng = random.Random(seed)
    with db.sessions.begin() as session:
        session.add_all(
            [
                Source(id=1, kind="group", telegram_id=100, name="گروه تازه‌واردان", created_at=NOW),
                Source(id=2, kind="private", telegram_id=0, name="Private messages", created_at=NOW),
            ]
        )
        session.add(Topic(source_id=1, topic_id=50, title="Housing"))
        session.add_all(Member(id=i, telegram_id=1000 + i, display_name=NAMES[i % len(NAMES)]) for i in range(1, 11))
        session.flush()  # (no relationships declared: the rows go in as flushed)
        for i in range(1, 161):
            source = rng.choice((1, 1, 2))
            state = rng.choice(list(InquiryState))
            arrival = NOW - timedelta(hours=rng.uniform(0, 96))
            due = arrival + timedelta(hours=24)
            responded = state in (InquiryState.ACKNOWLEDGED, InquiryState.ANSWERED) or (
                rng.random() < 0.2 and (open_responded or state is not InquiryState.OPEN)
            )
            first_response = arrival + timedelta(hours=rng.uniform(0, 30)) if responded else None
            follow_up = NOW.date() + timedelta(days=rng.randint(-4, 3)) if rng.random() < 0.3 else None
            chat = 100 if source == 1 else 5000 + i
            member = rng.randint(1, 10) if rng.random() < 0.95 else None
            session.add(
                Inquiry(
                    id=i,
                    source_id=source,
                    chat_id=chat,
                    question_telegram_id=i,
                    member_id=member,
                    state=state,
                    detection="question",
                    arrival_at=arrival,
                    month=202611,
                    clock_start_at=arrival,
                    due_at=due,
                    first_response_at=first_response,
                    follow_up_on=follow_up,
                )
            )
            session.flush()
            session.add(
                Message(
                    source_id=source,
                    chat_id=chat,
                    telegram_id=i,
                    sender_id=member,
                    date=arrival,
                    month=202611,
                    text=rng.choice(TEXTS),
                    topic_id=50 if source == 1 and rng.random() < 0.3 else None,
                    role="question",
                    inquiry_id=i,
                    media_kind="photo" if rng.random() < 0.1 else None,
                )
            )
        session.flush()
        for i in range(1, 41):
            session.add(
                OutboxItem(
                    id=i,
                    source_id=1,
                    chat_id=100,
                    kind=rng.choice(("message", "message", "download", "moderate")),
                    text=rng.choice(TEXTS),
                    random_id=i,
                    state=rng.choice(list(OutboxState)),
                    last_error="FLOOD_WAIT" if rng.random() < 0.5 else None,
                    created_at=NOW - timedelta(minutes=i),
                    inquiry_id=rng.randint(1, 160) if rng.random() < 0.7 else None,
                )
            )


def _facts(row: Inquiry) -> HandoverItem:
    return HandoverItem(Section.OPEN, row.id, row.id, "", None, "", row.due_at, row.follow_up_on)


def _by_the_rules(db: Database, listed: int) -> dict[Section, tuple[list[int], int]]:
    """Every row read and judged by the domain's rules in Python: the ids listed and the count, per section."""
    today = NOW.astimezone(TORONTO).date()
    with db.sessions() as session:
        inquiries = [
            (
                HandoverItem(Section.OPEN, r.id, r.id, "", None, "", r.due_at, r.follow_up_on),
                r.state,
                r.first_response_at,
            )
            for r in session.scalars(select(Inquiry))
        ]
        failed = [
            HandoverItem(Section.FAILED, r.id, r.inquiry_id, "", None, "", r.created_at)
            for r in session.scalars(select(OutboxItem))
            if is_failed_send(r.state, r.kind)
        ]
    summary = summarize(inquiries, failed, NOW, today, listed)
    return {s: ([i.id for i in summary.listed(s)], summary.count(s)) for s in SECTIONS}


@pytest.mark.parametrize(("seed", "open_responded"), [(1, True), (2, True), (3, False), (4, False)])
def test_the_summary_is_what_the_rules_say(db: Database, seed: int, open_responded: bool) -> None:
    _random_log(db, seed, open_responded=open_responded)
    with db.sessions() as session:
        responded = session.scalar(
            select(func.count())
            .select_from(Inquiry)
            .where(Inquiry.state == InquiryState.OPEN, Inquiry.first_response_at.is_not(None))
        )
    assert bool(responded) == open_responded
    summary = HandoverRepository(db).summary(NOW, TORONTO, listed=7)
    assert summary.today == date(2026, 11, 16)  # the service's date, not UTC's
    expected = _by_the_rules(db, 7)
    got = {s: ([i.id for i in summary.listed(s)], summary.count(s)) for s in SECTIONS}
    assert got == expected
    assert all(summary.count(s) for s in SECTIONS), "the random log should fill every section"
    with db.sessions() as session:
        for item in summary.listed(Section.OVERDUE) + summary.listed(Section.FOLLOW_UP):
            row = session.get(Inquiry, item.id)
            assert row is not None and item.due == row.due_at and item.follow_up_on == row.follow_up_on
            member = session.get(Member, row.member_id) if row.member_id else None
            assert item.member == (member.display_name if member else None)
            question = session.scalars(select(Message).where(Message.inquiry_id == item.id)).one()
            source = session.get(Source, row.source_id)
            assert source is not None and item.source == source.name
            if source.kind == "group":  # private chats read as their latest asking message (below)
                assert item.text == first_line(question.text)
            assert item.forum_topic == ("Housing" if question.topic_id == 50 else None)
        for item in summary.listed(Section.FAILED):
            outbox = session.get(OutboxItem, item.id)
            assert outbox is not None and item.inquiry_id == outbox.inquiry_id and item.kind != "download"
            assert item.text == first_line(outbox.text) and item.due == outbox.created_at


def test_a_private_chat_reads_as_its_latest_question(db: Database) -> None:
    with db.sessions.begin() as session:
        session.add(Source(id=2, kind="private", telegram_id=0, name="Private messages", created_at=NOW))
        session.add(Member(id=1, telegram_id=1001, display_name="رضا"))
        session.flush()
        session.add(
            Inquiry(
                id=1,
                source_id=2,
                chat_id=1001,
                question_telegram_id=1,
                member_id=1,
                state=InquiryState.OPEN,
                detection="private",
                arrival_at=NOW - timedelta(hours=30),
                month=202611,
                clock_start_at=NOW - timedelta(hours=30),
                due_at=NOW - timedelta(hours=6),
            )
        )
        session.flush()
        for telegram_id, text in ((1, "سلام"), (2, "کجا می‌توانم کلاس زبان پیدا کنم؟")):
            session.add(
                Message(
                    source_id=2,
                    chat_id=1001,
                    telegram_id=telegram_id,
                    sender_id=1,
                    date=NOW - timedelta(hours=30, minutes=-telegram_id),
                    month=202611,
                    text=text,
                    role="question",
                    inquiry_id=1,
                )
            )
    (item,) = HandoverRepository(db).summary(NOW, TORONTO).listed(Section.OVERDUE)
    assert item.text == "کجا می‌توانم کلاس زبان پیدا کنم؟" and item.member == "رضا"


def test_a_handover_is_kept_and_the_next_person_reads_the_latest(db: Database) -> None:
    _random_log(db, 4)
    profiles = ProfileRepository(db)
    nadia, reza = profiles.add("نادیا"), profiles.add("Reza", "backup")
    handovers = HandoverRepository(db)
    assert handovers.latest() is None
    summary = handovers.summary(NOW, TORONTO)
    first = handovers.save(nadia.id, reza.id, "Amal is waiting for the clinic's answer.  \n\n", summary, NOW)
    assert (first.from_name, first.to_name, first.note) == ("نادیا", "Reza", "Amal is waiting for the clinic's answer.")
    assert first.counts == {s: summary.count(s) for s in SECTIONS}
    later = NOW + timedelta(hours=8)
    second = handovers.save(reza.id, None, "وعدت أمل بالرد غداً\nCheck the failed replies", summary, later)
    latest = handovers.latest()
    assert latest == second and latest is not None
    assert (latest.from_name, latest.to_profile_id, latest.to_name) == ("Reza", None, None)
    assert latest.note == "وعدت أمل بالرد غداً\nCheck the failed replies" and latest.at == later
    assert handovers.get(first.id) == first
    with db.sessions() as session:  # the snapshot: counts and ids, none of the members' words
        kept = session.get(HandoverRow, first.id)
        assert kept is not None and kept.summary == summary.snapshot()
        assert not any(name in repr(kept.summary) for name in NAMES if name)
    with pytest.raises(HandoverError, match="no moderator profile"):
        handovers.save(nadia.id, 999, "", summary)
    with pytest.raises(HandoverError, match="needs a note"):
        handovers.save(None, reza.id, "   ", summary)
    assert handovers.latest() == second
