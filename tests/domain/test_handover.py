"""The handover's rules: which section an inquiry is in, the order, the snapshot kept, and when a note is asked
for or a handover offered at start-up."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from moderator_app.domain.handover import (
    LISTED,
    NOTE_LIMIT,
    SECTIONS,
    Handover,
    HandoverError,
    HandoverItem,
    HandoverSummary,
    Section,
    clean_note,
    counts_of,
    first_line,
    is_failed_send,
    needs_note,
    offer_at_start,
    sections_of,
    summarize,
)
from moderator_app.domain.inquiries import InquiryState
from moderator_app.domain.outbox import OutboxState

NOW = datetime(2026, 11, 17, 15, 0, tzinfo=UTC)
TODAY = date(2026, 11, 17)
S = InquiryState


def test_sections_follow_the_inbox_filters() -> None:
    past, later = NOW - timedelta(hours=1), NOW + timedelta(hours=1)
    assert sections_of(S.OPEN, past, None, None, NOW, TODAY) == {Section.OVERDUE}
    assert sections_of(S.OPEN, NOW, None, None, NOW, TODAY) == {Section.OVERDUE}  # due now: overdue now
    assert sections_of(S.OPEN, later, None, None, NOW, TODAY) == {Section.OPEN}
    # A promise: the holding reply was the first response, so it is never overdue, whatever its due time.
    assert sections_of(S.ACKNOWLEDGED, past, past, None, NOW, TODAY) == {Section.PROMISED}
    # A member answered an inquiry staff never answered, past its due time: to verify, and overdue.
    assert sections_of(S.MEMBER_ANSWERED, past, None, None, NOW, TODAY) == {Section.MEMBER_ANSWERED, Section.OVERDUE}
    assert sections_of(S.MEMBER_ANSWERED, later, None, None, NOW, TODAY) == {Section.MEMBER_ANSWERED}
    # Follow-ups: a date of today or earlier, the inquiry long answered.
    assert sections_of(S.ANSWERED, past, past, TODAY, NOW, TODAY) == {Section.FOLLOW_UP}
    assert sections_of(S.ANSWERED, past, past, TODAY - timedelta(days=3), NOW, TODAY) == {Section.FOLLOW_UP}
    assert sections_of(S.ANSWERED, past, past, TODAY + timedelta(days=1), NOW, TODAY) == frozenset()
    for state in (S.ANSWERED, S.DISMISSED, S.POSSIBLE):
        assert sections_of(state, past, None, None, NOW, TODAY) == frozenset()


def test_failed_sends_are_sends_that_failed_for_good() -> None:
    assert is_failed_send(OutboxState.FAILED, "message")
    assert is_failed_send(OutboxState.FAILED, "moderate")
    assert not is_failed_send(OutboxState.FAILED, "download")  # a file asked from Telegram: not a send
    assert not is_failed_send(OutboxState.QUEUED, "message")  # waiting out a FloodWait: it will be sent


def _item(inquiry_id: int, due: datetime, follow_up: date | None = None) -> HandoverItem:
    return HandoverItem(Section.OPEN, inquiry_id, inquiry_id, "Newcomers", "أمل", "سؤال", due, follow_up)


def test_summary_counts_everything_and_lists_the_most_urgent_first() -> None:
    inquiries: list[tuple[HandoverItem, InquiryState, datetime | None]] = [
        (_item(i, NOW - timedelta(minutes=i)), S.OPEN, None) for i in range(1, LISTED + 6)
    ]
    inquiries.append((_item(900, NOW + timedelta(hours=5)), S.OPEN, None))
    inquiries.append((_item(901, NOW + timedelta(hours=2)), S.OPEN, None))
    inquiries.append((_item(902, NOW - timedelta(days=2), TODAY - timedelta(days=1)), S.ANSWERED, NOW))
    inquiries.append((_item(903, NOW - timedelta(days=1), TODAY), S.ANSWERED, NOW))
    failed = [
        HandoverItem(Section.FAILED, 12, 3, "Newcomers", None, "Hello", NOW, error="FLOOD"),
        HandoverItem(Section.FAILED, 7, None, "Newcomers", None, "", NOW, kind="moderate"),
    ]
    summary = summarize(inquiries, failed, NOW, TODAY)
    assert summary.count(Section.OVERDUE) == LISTED + 5
    assert len(summary.listed(Section.OVERDUE)) == LISTED and summary.unlisted(Section.OVERDUE) == 5
    # Overdue longest first: the one due 55 minutes ago leads.
    assert [i.id for i in summary.listed(Section.OVERDUE)[:2]] == [LISTED + 5, LISTED + 4]
    assert [i.id for i in summary.listed(Section.OPEN)] == [901, 900]
    assert all(i.section is Section.OPEN for i in summary.listed(Section.OPEN))
    assert [i.id for i in summary.listed(Section.FOLLOW_UP)] == [902, 903]
    assert all(i.section is Section.FOLLOW_UP for i in summary.listed(Section.FOLLOW_UP))
    assert [i.id for i in summary.listed(Section.FAILED)] == [7, 12]
    assert summary.count(Section.PROMISED) == 0 and not summary.nothing_owed
    assert summarize([], [], NOW, TODAY).nothing_owed


def test_the_snapshot_keeps_counts_and_ids_and_no_words() -> None:
    summary = summarize([(_item(5, NOW - timedelta(hours=1)), S.OPEN, None)], [], NOW, TODAY)
    kept = summary.snapshot()
    assert kept["counts"] == {s.value: (1 if s is Section.OVERDUE else 0) for s in SECTIONS}
    assert kept["ids"]["overdue"] == [5] and kept["today"] == "2026-11-17"
    assert "سؤال" not in repr(kept) and "أمل" not in repr(kept)
    assert counts_of(kept) == {s: (1 if s is Section.OVERDUE else 0) for s in SECTIONS}
    # A snapshot written by another version, or edited by hand, reads as zeros where it cannot be read.
    assert counts_of({"counts": {"overdue": "3", "open": -1, "promised": True, "failed": 2}})[Section.FAILED] == 2
    assert set(counts_of({"counts": {"overdue": "3", "open": -1, "promised": True}}).values()) == {0}
    assert counts_of(None) == {s: 0 for s in SECTIONS}


def test_a_summary_cannot_list_more_than_it_counts() -> None:
    with pytest.raises(ValueError, match="listed"):
        HandoverSummary(NOW, TODAY, {Section.OPEN: 0}, {Section.OPEN: (_item(1, NOW),)})


def test_first_line_and_note() -> None:
    assert first_line("\n  \n  Where   is\tthe clinic?\nThanks") == "Where is the clinic?"
    assert first_line(None) == "" and first_line("   ") == ""
    assert first_line("ا" * 300, limit=10) == "ا" * 9 + "…"
    assert clean_note("  Call back Amal \r\nوعدته بالرد غداً   \n\n") == "  Call back Amal\nوعدته بالرد غداً"
    with pytest.raises(HandoverError, match="at most"):
        clean_note("x" * (NOTE_LIMIT + 1))


def _handover(at: datetime, giver: int | None, taker: int | None) -> Handover:
    return Handover(1, at, giver, "A", taker, None, "note", {})


def test_a_note_is_asked_of_the_outgoing_person_unless_just_written() -> None:
    assert not needs_note(None, None, NOW)  # nobody was on duty: nobody to write one
    assert needs_note(None, 1, NOW)
    # Person 1 handed over to whoever comes next (Handover…) an hour ago: changing the profile shows it.
    assert not needs_note(_handover(NOW - timedelta(hours=1), 1, None), 1, NOW)
    assert needs_note(_handover(NOW - timedelta(hours=13), 1, None), 1, NOW)  # yesterday's: a new shift
    assert needs_note(_handover(NOW - timedelta(hours=1), 1, 2), 1, NOW)  # handed to person 2, who left again
    assert needs_note(_handover(NOW - timedelta(hours=1), 3, None), 1, NOW)  # someone else's note


def test_the_latest_handover_is_offered_at_start_when_it_is_news_here() -> None:
    seen = NOW - timedelta(hours=10)
    assert not offer_at_start(None, 2, seen)
    assert offer_at_start(_handover(NOW - timedelta(hours=1), 1, None), 2, seen)  # written since: news
    assert offer_at_start(_handover(NOW - timedelta(hours=1), 1, 2), 2, seen)  # for me, written elsewhere
    assert offer_at_start(_handover(NOW - timedelta(hours=1), 1, None), None, None)  # first start here
    assert not offer_at_start(_handover(NOW - timedelta(hours=11), 1, None), 2, seen)  # seen here already
    assert not offer_at_start(_handover(NOW - timedelta(hours=1), 2, None), 2, seen)  # my own note
    assert not offer_at_start(_handover(NOW - timedelta(hours=1), 1, 3), 2, seen)  # for someone else
