"""Monthly statistics on a small log whose every figure is worked out by hand."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from moderator_app.domain.referrals import ReferralMatcher
from moderator_app.domain.statistics import ALL_SOURCES, Month
from moderator_app.store.db import Database
from moderator_app.store.months import month_keyer, month_timezone, rekey_months
from moderator_app.store.repositories import StandardRepository
from moderator_app.store.statistics import StatisticsService
from tests.conftest import TORONTO
from tests.support.exportgen import _ChatWriter, write_single_chat
from tests.support.october_log import import_chat, october_log, t

UTC = ZoneInfo("UTC")


@pytest.fixture
def log(db: Database, tmp_path: Path) -> Database:
    return october_log(db, tmp_path)


def test_october_figures(log: Database) -> None:
    now = datetime(2025, 12, 15, tzinfo=UTC)
    report = StatisticsService(log).report(Month(2025, 10), Month(2025, 11), TORONTO, now=now)
    oct_, nov = "2025-10", "2025-11"
    assert report.get(oct_, "Group A", "inquiries") == 3
    assert report.get(oct_, "Group B", "inquiries") == 1
    assert report.get(oct_, ALL_SOURCES, "inquiries") == 4
    assert report.get(oct_, ALL_SOURCES, "information") == 2 and report.get(nov, ALL_SOURCES, "information") == 1
    assert report.get(oct_, ALL_SOURCES, "posts") == 1
    assert report.get(oct_, ALL_SOURCES, "posts_event") == 1
    # Participants: Ana (both groups, counted once for all), Ben, Cy.
    assert report.get(oct_, "Group A", "participants") == 3
    assert report.get(oct_, "Group B", "participants") == 1
    assert report.get(oct_, ALL_SOURCES, "participants") == 3
    # Service standard: 2 met of 4 decided (q3 past due, unanswered; q4 late).
    assert report.get(oct_, ALL_SOURCES, "answered_within_standard") == 2
    assert report.get(oct_, ALL_SOURCES, "answered_within_standard_pct") == 50.0
    # Wall-clock first responses: 30 min, 90 h (Fri 16:00 -> Tue 10:00), 83 h (Thu 23:30 -> Mon 09:30, across
    # the night the clocks go back).
    assert report.get(oct_, ALL_SOURCES, "first_response_median_minutes") == 83 * 60.0
    # Business time from the clock start: 0.5 h, 18 h (Fri 8 h + Tue 10 h), 24.5 h (Fri from 09:00 15 h + Mon 9.5 h).
    assert report.get(oct_, ALL_SOURCES, "first_response_business_median_minutes") == 18 * 60.0
    assert report.get(oct_, ALL_SOURCES, "first_response_0_1h") == 1
    assert report.get(oct_, ALL_SOURCES, "first_response_8_24h") == 1
    assert report.get(oct_, ALL_SOURCES, "first_response_over_24h") == 1
    # At the end of October: q3 and q4 still open; q3 overdue (due Oct 30), q4 not yet due (Nov 3).
    assert report.get(oct_, ALL_SOURCES, "open_end") == 2
    assert report.get(oct_, ALL_SOURCES, "open_overdue_end") == 1
    assert report.get(nov, ALL_SOURCES, "open_end") == 1  # q3
    assert report.get(nov, "Group B", "open_end") == 0
    assert report.get(nov, ALL_SOURCES, "questions_answered_public") == 1
    assert report.get(oct_, ALL_SOURCES, "inquiries_language:fr") == 1
    assert report.get(oct_, ALL_SOURCES, "inquiries_moderator:Settlement Org") == 3


def test_month_end_figures_wait_for_the_month_to_end(log: Database) -> None:
    now = datetime(2025, 11, 15, tzinfo=UTC)
    report = StatisticsService(log).report(Month(2025, 10), Month(2025, 11), TORONTO, now=now)
    assert report.get("2025-10", ALL_SOURCES, "open_end") == 2
    assert report.get("2025-11", ALL_SOURCES, "open_end") is None
    # Not yet due and unanswered at "now" would not be decided; here all four are decided.
    assert report.get("2025-10", ALL_SOURCES, "answered_within_standard_pct") == 50.0


def test_months_follow_the_service_time_zone(log: Database, tmp_path: Path) -> None:
    """A question at 21:00 on Oct 31 in Toronto is Nov 1 in UTC: it changes month with the zone."""
    edge = _ChatWriter(TORONTO)
    edge.text(t("2025-10-31T21:00"), 4, "Dee", "Is the office open on Saturday?")  # Nov 1 01:00 UTC
    assert month_timezone(log) == TORONTO
    write_single_chat(tmp_path / "edge.json", "Group C", "private_supergroup", 300, edge.messages)
    import_chat(log, tmp_path / "edge.json")
    now = datetime(2025, 12, 15, tzinfo=UTC)
    in_toronto = StatisticsService(log).report(Month(2025, 10), Month(2025, 11), TORONTO, now=now)
    assert in_toronto.get("2025-10", "Group C", "inquiries") == 1
    in_utc = StatisticsService(log).report(Month(2025, 10), Month(2025, 11), UTC, now=now)
    assert month_timezone(log) == UTC  # the report re-keyed the log for the zone it was asked for
    assert in_utc.get("2025-10", "Group C", "inquiries") == 0
    assert in_utc.get("2025-11", "Group C", "inquiries") == 1
    assert rekey_months(log, TORONTO) > 0
    assert (
        StatisticsService(log)
        .report(Month(2025, 10), Month(2025, 10), TORONTO, now=now)
        .get("2025-10", "Group C", "inquiries")
        == 1
    )


def test_dismissed_inquiries_leave_the_counts(log: Database) -> None:
    from moderator_app.domain.events import SourceKind
    from moderator_app.domain.inquiries import ConversationTracker
    from moderator_app.store.repositories import InquiryRepository

    repository = InquiryRepository(log)
    clock = StandardRepository(log).clocks().global_clock
    tracker = ConversationTracker(SourceKind.GROUP, ReferralMatcher([]), clock)
    open_ones = repository.open_inquiries()
    school = next(i for i in open_ones if i.arrival == t("2025-10-29T11:00"))
    tracker.dismiss(school, datetime(2025, 11, 1, tzinfo=UTC) + timedelta(hours=1))
    assert repository.save([school], month_keyer(log)) == 1
    report = StatisticsService(log).report(
        Month(2025, 10), Month(2025, 10), TORONTO, now=datetime(2025, 12, 1, tzinfo=UTC)
    )
    assert report.get("2025-10", "Group A", "inquiries") == 2
    assert report.get("2025-10", ALL_SOURCES, "open_overdue_end") == 0
    assert report.get("2025-10", ALL_SOURCES, "answered_within_standard_pct") == round(100 * 2 / 3, 1)


def test_a_month_as_two_dates_gives_the_month_s_figures(log: Database) -> None:
    """October asked as 2025-10-01 to 2025-10-31 is one column with every figure of the month column."""
    from datetime import date

    now = datetime(2025, 12, 15, tzinfo=UTC)
    service = StatisticsService(log)
    month = service.report(Month(2025, 10), Month(2025, 10), TORONTO, now=now)
    span = service.report(date(2025, 10, 1), date(2025, 10, 31), TORONTO, now=now)
    assert [str(p) for p in span.periods] == ["2025-10-01..2025-10-31"]
    assert span.metric_names() == month.metric_names()
    for source in month.source_columns():
        for metric in month.metric_names():
            assert span.get(span.periods[0], source, metric) == month.get("2025-10", source, metric), (source, metric)


def test_a_span_of_days_is_one_column_cut_at_its_instants(log: Database) -> None:
    """Mon Oct 6 to Fri Oct 10: q1 and q2 arrived; q1's answer (Oct 6) is in, q2's (Oct 14) is not; at the
    span's end q2 is still open; Ana, Cy and Ben wrote in it."""
    from datetime import date

    now = datetime(2025, 12, 15, tzinfo=UTC)
    report = StatisticsService(log).report(date(2025, 10, 6), date(2025, 10, 10), TORONTO, now=now)
    (span,) = report.periods
    assert report.get(span, ALL_SOURCES, "inquiries") == 2
    assert report.get(span, ALL_SOURCES, "information") == 1
    assert report.get(span, ALL_SOURCES, "posts") == 1  # the workshop post of Oct 8
    assert report.get(span, "Group A", "participants") == 3
    assert report.get(span, ALL_SOURCES, "open_end") == 1
    assert report.get(span, "Group B", "inquiries") == 0
    assert report.get(span, ALL_SOURCES, "answered_within_standard") == 2


def test_distinct_participants_are_counted_over_the_whole_span(log: Database, tmp_path: Path) -> None:
    """Ana writes in October and in November: once in the two-month span, once in each month."""
    from datetime import date

    later = _ChatWriter(TORONTO)
    later.text(t("2025-11-05T10:00"), 1, "Ana", "Merci beaucoup")
    later.text(t("2025-11-06T10:00"), 5, "Eve", "Bonjour")
    write_single_chat(tmp_path / "later.json", "Group C", "private_supergroup", 300, later.messages)
    import_chat(log, tmp_path / "later.json")
    now = datetime(2025, 12, 15, tzinfo=UTC)
    service = StatisticsService(log)
    months = service.report(Month(2025, 10), Month(2025, 11), TORONTO, now=now)
    span = service.report(Month(2025, 10), date(2025, 11, 30), TORONTO, now=now)
    assert months.get("2025-10", ALL_SOURCES, "participants") == 3
    assert months.get("2025-11", ALL_SOURCES, "participants") == 2
    assert span.get(span.periods[0], ALL_SOURCES, "participants") == 4  # Ana, Ben, Cy, Eve
    assert span.get(span.periods[0], ALL_SOURCES, "inquiries") == 4
    assert span.get(span.periods[0], ALL_SOURCES, "information") == 3
    assert span.get(span.periods[0], ALL_SOURCES, "open_end") == 1  # q3, at Nov 30's end


def test_resolution_times_and_a_moderator_breakdown_that_adds_up(log: Database) -> None:
    """Resolution is arrival to answer: q1 30 min, q2 90 h, q4 83 h (calendar); 0.5 h, 18 h and 24.5 h
    counted by the standard. q3 was never answered: unattributed, so the moderator rows add up."""
    from moderator_app.domain.statistics import UNATTRIBUTED, breakdown_metric

    now = datetime(2025, 12, 15, tzinfo=UTC)
    report = StatisticsService(log).report(Month(2025, 10), Month(2025, 10), TORONTO, now=now)
    assert report.get("2025-10", ALL_SOURCES, "resolution_median_minutes") == 83 * 60.0
    assert report.get("2025-10", ALL_SOURCES, "resolution_business_median_minutes") == 18 * 60.0
    assert report.get("2025-10", "Group B", "resolution_median_minutes") == 83 * 60.0
    keys = report.breakdown_keys["moderator"]
    assert UNATTRIBUTED in keys
    assert report.get("2025-10", ALL_SOURCES, breakdown_metric("moderator", UNATTRIBUTED)) == 1
    total = sum(int(report.get("2025-10", ALL_SOURCES, breakdown_metric("moderator", k)) or 0) for k in keys)
    assert total == report.get("2025-10", ALL_SOURCES, "inquiries") == 4
    # Per source too: Group B's one inquiry was answered by the organization's account.
    assert report.get("2025-10", "Group B", breakdown_metric("moderator", "Settlement Org")) == 1
    assert report.get("2025-10", "Group B", breakdown_metric("topic", report.breakdown_keys["topic"][0])) in (0, 1)


def test_the_inquiries_behind_a_figure_are_the_ones_it_counts(log: Database) -> None:
    """The reports page lists what a number counts: each figure's list has as many inquiries as the figure."""
    from moderator_app.domain.statistics import UNATTRIBUTED, breakdown_metric

    now = datetime(2025, 12, 15, tzinfo=UTC)
    service = StatisticsService(log)
    october = Month(2025, 10)
    report = service.report(october, october, TORONTO, now=now)
    figures = [
        "inquiries",
        "answered_within_standard",
        "open_end",
        "open_overdue_end",
        "first_response_0_1h",
        "first_response_8_24h",
        "first_response_over_24h",
        breakdown_metric("language", "fr"),
        breakdown_metric("moderator", UNATTRIBUTED),
        breakdown_metric("moderator", "Settlement Org"),
    ]
    for source in (ALL_SOURCES, "Group A", "Group B"):
        for metric in figures:
            rows, found = service.inquiries_behind(october, TORONTO, source, metric, now=now)
            assert found == len(rows) == report.get(october, source, metric), (source, metric)
    rows, _ = service.inquiries_behind(october, TORONTO, ALL_SOURCES, "open_overdue_end", now=now)
    assert [(r.member, r.text, r.source) for r in rows] == [("Ana", "When does school start?", "Group A")]
    decided, _ = service.inquiries_behind(october, TORONTO, ALL_SOURCES, "answered_within_standard_pct", now=now)
    assert len(decided) == 4 and sorted(str(r.met) for r in decided) == ["False", "None", "True", "True"]
    with pytest.raises(ValueError):
        service.inquiries_behind(october, TORONTO, ALL_SOURCES, "participants", now=now)


def test_usage_by_month_is_table_6_of_the_whole_report(log: Database) -> None:
    now = datetime(2025, 12, 15, tzinfo=UTC)
    service = StatisticsService(log)
    whole = service.report(Month(2025, 10), Month(2025, 11), TORONTO, now=now)
    usage = service.usage_by_month(Month(2025, 10), Month(2025, 11), TORONTO)
    for month in ("2025-10", "2025-11"):
        for source in whole.source_columns():
            for metric in ("inquiries", "information", "referrals", "posts"):
                assert usage.get(month, source, metric) == whole.get(month, source, metric), (month, source, metric)
