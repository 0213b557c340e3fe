"""The inbox model and proxy: countdown text and colours from a controllable clock, filters, sorting, and
qtmodeltester on both."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from typing import Any

import pytest
from PySide6.QtCore import Qt

from moderator_app.domain.clock import ServiceClock
from moderator_app.domain.standard import Mode, ServiceStandard
from moderator_app.ui.inbox_model import (
    COLOURS,
    PAUSED_COLOUR,
    Column,
    InboxModel,
    InboxProxy,
    Urgency,
    View,
)
from tests.support.inbox_entries import STANDARD, TORONTO, FakeNow, OneClock, entry, local

HUB = "\u2068Newcomers Hub\u2069"


@pytest.fixture
def now() -> FakeNow:
    return FakeNow(local(2026, 11, 17, 10, 0))  # a Tuesday, open


@pytest.fixture
def model(now: FakeNow) -> InboxModel:
    model = InboxModel(OneClock(), now, TORONTO)
    model.set_entries(
        [
            entry(1, local(2026, 11, 16, 12, 0)),  # due Tue 12:00: within the warning at 10:00
            entry(2, local(2026, 11, 17, 9, 30)),  # due Wed 09:30: calm
            entry(3, local(2026, 11, 13, 16, 0)),  # due Mon 16:00: overdue
            entry(4, local(2026, 11, 16, 9, 0), state="acknowledged", first_response=local(2026, 11, 16, 9, 5)),
            entry(5, local(2026, 11, 16, 9, 0), state="dismissed", language="ar", text="شكرا جزيلا"),
            entry(6, local(2026, 11, 16, 11, 0), state="member_answered", language="fa", topic="housing"),
            entry(7, local(2026, 11, 10, 11, 0), state="answered", follow_up_on=date(2026, 11, 17)),
        ]
    )
    return model


def _cell(model: Any, row: int, column: Column, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
    return model.data(model.index(row, column), role)


def test_countdown_text_and_colour_follow_the_clock(qtmodeltester: Any, model: InboxModel, now: FakeNow) -> None:
    qtmodeltester.check(model)
    assert _cell(model, 0, Column.TIME_LEFT) == "2 h 00 min"
    assert _cell(model, 0, Column.TIME_LEFT, Qt.ItemDataRole.BackgroundRole) == COLOURS[Urgency.WARNING]
    assert _cell(model, 1, Column.TIME_LEFT, Qt.ItemDataRole.BackgroundRole) == COLOURS[Urgency.CALM]
    assert _cell(model, 2, Column.TIME_LEFT) == "overdue 18 h 00 min"
    assert _cell(model, 2, Column.TIME_LEFT, Qt.ItemDataRole.BackgroundRole) == COLOURS[Urgency.OVERDUE]
    assert _cell(model, 3, Column.TIME_LEFT) == "met · answer overdue 1 h 00 min"  # acknowledged: still owed
    assert _cell(model, 4, Column.TIME_LEFT) == "dismissed"
    assert "Due Tue 17 Nov 2026 12:00" in _cell(model, 0, Column.TIME_LEFT, Qt.ItemDataRole.ToolTipRole)
    # The calm one enters its warning threshold (6 h left of 24 h) as the clock moves on.
    now.at = local(2026, 11, 18, 4, 0)
    model.advance()  # what each tick does
    assert _cell(model, 1, Column.TIME_LEFT) == "5 h 30 min"
    assert _cell(model, 1, Column.TIME_LEFT, Qt.ItemDataRole.BackgroundRole) == COLOURS[Urgency.WARNING]
    # Friday 10:00 is due Monday 10:00: over the weekend the countdown stands still, and says so.
    model.upsert(entry(9, local(2026, 11, 20, 10, 0)))
    now.at = local(2026, 11, 21, 12, 0)
    model.advance()
    assert _cell(model, 7, Column.TIME_LEFT) == "⏸ 10 h 00 min"
    assert _cell(model, 7, Column.TIME_LEFT, Qt.ItemDataRole.BackgroundRole) == PAUSED_COLOUR
    tooltip = _cell(model, 7, Column.TIME_LEFT, Qt.ItemDataRole.ToolTipRole)
    assert "Due Mon 23 Nov 2026 10:00" in tooltip and "paused" in tooltip and "Mon 23 Nov 00:00" in tooltip
    assert _cell(model, 7, Column.TIME_LEFT, Qt.ItemDataRole.AccessibleTextRole) == "paused 10 h 00 min"


def test_proxy_filters_and_sorts_most_urgent_first(
    qtmodeltester: Any, qtbot: Any, model: InboxModel, now: FakeNow
) -> None:
    proxy = InboxProxy(model)
    qtmodeltester.check(proxy)

    def ids() -> list[int]:
        return [proxy.entry(r).id for r in range(proxy.rowCount())]

    assert ids() == [3, 6, 1, 2, 4]  # overdue, then by due time; the acknowledged (standard met) last
    proxy.set_view(View.OVERDUE)
    assert ids() == [3]
    proxy.set_view(View.MEMBER_ANSWERED)
    assert ids() == [6]
    proxy.set_view(View.ACKNOWLEDGED)
    assert ids() == [4]
    proxy.set_view(View.DISMISSED)
    assert ids() == [5]
    proxy.set_view(View.FOLLOW_UP_TODAY)
    assert ids() == [7]
    proxy.set_view(View.ALL)
    assert len(ids()) == 7
    proxy.set_language("fa")
    assert ids() == [6]
    proxy.set_language(None)
    proxy.set_topic("health")
    assert 6 not in ids()
    proxy.set_topic(None)
    proxy.set_source(2)
    assert ids() == []
    proxy.set_source(None)
    proxy.sort(Column.MEMBER, Qt.SortOrder.DescendingOrder)
    assert ids() == [7, 6, 5, 4, 3, 2, 1]
    # A tick repaints only the time-left cells of the rows asked for, and only those that changed.
    proxy.set_view(View.OPEN)
    proxy.sort(Column.TIME_LEFT)
    proxy.tick(0, 2)
    now.at += timedelta(minutes=1)
    with qtbot.waitSignal(proxy.dataChanged) as signal:
        assert proxy.tick(0, 2) == 3
    top_left, bottom_right = signal.args[0], signal.args[1]
    assert (top_left.row(), bottom_right.row(), top_left.column(), bottom_right.column()) == (0, 2, 0, 0)
    now.at += timedelta(seconds=30)
    proxy.tick(0, 2)
    now.at += timedelta(seconds=1)
    with qtbot.assertNotEmitted(proxy.dataChanged):
        assert proxy.tick(0, 2) == 0  # same minute: nothing to repaint
    # A new inquiry arriving live is inserted and placed by urgency.
    model.upsert(entry(8, local(2026, 11, 17, 9, 45), text="أين أجد بنك الطعام؟", language="ar"))
    assert ids() == [3, 6, 1, 2, 8, 4]
    qtmodeltester.check(proxy)


def test_forum_topics_show_as_source_and_topic_and_can_be_filtered(
    qtmodeltester: Any, model: InboxModel, now: FakeNow
) -> None:
    arrival = local(2026, 11, 17, 9, 30)
    model.set_entries(
        [
            entry(1, arrival, source="Newcomers Hub", forum_topic_id=5, forum_topic="Housing"),
            entry(2, arrival, source="Newcomers Hub", forum_topic_id=9, forum_topic="Jobs"),
            entry(3, arrival, source="Newcomers Hub"),  # the General topic
            entry(4, arrival, source="Newcomers Hub", forum_topic_id=12),  # created before the log began
        ]
    )
    qtmodeltester.check(model)
    assert [_cell(model, row, Column.SOURCE) for row in range(4)] == [
        f"{HUB} › \u2068Housing\u2069",  # each stranger's text isolated (a U+202E in one cannot reorder the other)
        f"{HUB} › \u2068Jobs\u2069",
        "Newcomers Hub",
        f"{HUB} › \u2068#12\u2069",
    ]
    proxy = InboxProxy(model)
    proxy.set_source((1, 9))
    assert [proxy.entry(row).id for row in range(proxy.rowCount())] == [2]
    proxy.set_source(1)
    assert proxy.rowCount() == 4


class _Clocks:
    def __init__(self, standard: ServiceStandard) -> None:
        self.clock = ServiceClock(standard)

    def for_source(self, source_id: int) -> ServiceClock:
        return self.clock


def test_a_question_before_opening_waits_for_the_opening_and_says_so() -> None:
    """07:23 on a Monday, asked at 07:00: the countdown has not started (it used to tick from 07:23 while
    the tooltip said due Tuesday 09:00)."""
    now = FakeNow(local(2026, 12, 7, 7, 23))
    model = InboxModel(OneClock(), now, TORONTO)
    model.set_entries([entry(1, local(2026, 12, 7, 7, 0))])
    assert _cell(model, 0, Column.TIME_LEFT) == "⏸ 1 d 0 h"
    now.at = local(2026, 12, 7, 8, 30)
    model.advance()
    assert _cell(model, 0, Column.TIME_LEFT) == "⏸ 1 d 0 h"  # still not started
    tooltip = _cell(model, 0, Column.TIME_LEFT, Qt.ItemDataRole.ToolTipRole)
    assert "Due Tue 08 Dec 2026 09:00" in tooltip and "has not started: the service opens Mon 07 Dec 09:00" in tooltip
    assert "Until then by the clock on the wall: 1 d 0 h." in tooltip
    now.at = local(2026, 12, 7, 10, 0)
    model.advance()
    assert _cell(model, 0, Column.TIME_LEFT) == "23 h 00 min"  # an hour counted since the opening


def test_opening_hours_count_in_hours_never_in_days() -> None:
    """Eight opening hours a day: 24 counted hours are three days of them, not "1 d 0 h"."""
    standard = replace(STANDARD, mode=Mode.BUSINESS_HOURS)
    now = FakeNow(local(2026, 12, 7, 18, 0))  # Monday evening, closed
    model = InboxModel(_Clocks(standard), now, TORONTO)
    model.set_entries([entry(1, local(2026, 12, 7, 10, 0), due=ServiceClock(standard).due(local(2026, 12, 7, 10, 0)))])
    assert _cell(model, 0, Column.TIME_LEFT) == "⏸ 17 h 00 min"  # 7 of 24 opening hours counted
    tooltip = _cell(model, 0, Column.TIME_LEFT, Qt.ItemDataRole.ToolTipRole)
    assert "Due Thu 10 Dec 2026 10:00" in tooltip
    assert "Time left as the standard counts it (in opening hours): 17 h 00 min." in tooltip
    assert "by the clock on the wall: 2 d 16 h" in tooltip and "runs again from Tue 08 Dec 09:00" in tooltip
