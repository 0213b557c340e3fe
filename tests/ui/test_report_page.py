"""Issue 19, item 1: the reports page reads a period on the worker, shows Tables 6 and 7, the standard in
hours and minutes, breakdowns that add up, the trend, and lists the inquiries behind a figure."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from moderator_app.domain.statistics import Month
from moderator_app.services.window_access import LogStatistics
from moderator_app.store.db import Database, open_database
from moderator_app.ui.ops import Ops, run_here
from moderator_app.ui.report_page import BehindDialog, PeriodKind, ReportPage, trend_months
from tests.support.october_log import october_log


@pytest.fixture
def page(qtbot: Any, tmp_path: Path) -> ReportPage:
    db: Database = open_database(data_dir=tmp_path / "data")
    october_log(db, tmp_path)
    failures: list[str] = []
    widget = ReportPage(LogStatistics(db), Ops(run_here, str, failures.append), lambda: date(2025, 11, 20))
    qtbot.addWidget(widget)
    widget.resize(1300, 700)
    return widget


def figure(page: ReportPage, label: str) -> str:
    """The value as shown, without the left-to-right isolate around measures."""
    model = page.figures
    for row in range(model.rowCount()):
        if model.data(model.index(row, 0)) == label:
            return str(model.data(model.index(row, 1))).strip("\u2066\u2069")
    raise AssertionError(f"no figure {label!r}")


def choose(page: ReportPage, kind: PeriodKind, text: str) -> None:
    page.kind.setCurrentIndex(page.kind.findData(kind))
    page.choice.setCurrentIndex(page.choice.findText(text))


def test_a_month_of_figures_in_the_toolkit_s_order(qtbot: Any, page: ReportPage, qtmodeltester: Any) -> None:
    choose(page, PeriodKind.MONTH, "October 2025")
    page.load()
    qtbot.waitUntil(lambda: page.figures.rowCount() > 0 and "Oct-25" in page.status.text())
    assert figure(page, "Number of inquiries") == "4"
    assert figure(page, "Information provided") == "2"
    assert figure(page, "Group participants (distinct)") == "3"
    assert figure(page, "Share answered within the standard") == "50.0 %"
    # Hours and minutes, never thousands of minutes: 83 h calendar, 18 h as the standard counts.
    assert figure(page, "First response, median (business hours)") == "18 h 0 min"
    assert figure(page, "First response, median (calendar)") == "83 h 0 min"
    assert figure(page, "Resolution, median (calendar)") == "83 h 0 min"
    assert figure(page, "Open and overdue at the end of the month") == "1"
    moderators = page.breakdown_models["moderator"]
    counts = {str(moderators.data(moderators.index(r, 0))): moderators.data(moderators.index(r, 1)) for r in range(2)}
    assert sorted(counts.values()) == ["1", "3"]  # the organization's account 3, unattributed 1: they add up
    assert any("Unattributed" in name for name in counts)
    qtmodeltester.check(page.figures)
    qtmodeltester.check(moderators)
    # The chart has the twelve months up to October, inquiries among them.
    assert page.chart._labels[-1] == "Oct-25" and len(page.chart._labels) == 12
    assert page.chart._series[0].values[-1] == 4
    # One source.
    page.source.setCurrentIndex(page.source.findData("Group B"))
    page.source.activated.emit(page.source.currentIndex())
    assert figure(page, "Number of inquiries") == "1"


def test_a_quarter_is_one_column_and_two_dates_too(qtbot: Any, page: ReportPage) -> None:
    choose(page, PeriodKind.QUARTER, "Q4 2025")
    page.load()
    qtbot.waitUntil(lambda: "Oct-25 to Dec-25" in page.status.text())
    assert figure(page, "Number of inquiries") == "4"
    assert figure(page, "Information provided") == "3"  # q4's answer came in November
    page.kind.setCurrentIndex(page.kind.findData(PeriodKind.DATES))
    assert page.date_from.isVisibleTo(page) and not page.choice.isVisibleTo(page)
    page.date_from.setDate(date(2025, 10, 6))
    page.date_to.setDate(date(2025, 10, 10))
    page.load()
    qtbot.waitUntil(lambda: "06 Oct 2025 to 10 Oct 2025" in page.status.text())
    assert figure(page, "Number of inquiries") == "2"
    assert figure(page, "Still open at the end of the period") == "1"
    page.date_to.setDate(date(2025, 10, 1))
    page.load()
    assert "empty" in page.status.text()


def test_double_clicking_a_figure_lists_the_inquiries_behind_it(qtbot: Any, page: ReportPage) -> None:
    choose(page, PeriodKind.MONTH, "October 2025")
    page.load()
    qtbot.waitUntil(lambda: page.figures.rowCount() > 0 and "Oct-25" in page.status.text())
    model = page.figures
    row = next(r for r in range(model.rowCount()) if model.line(r).metric == "open_overdue_end")
    page.figures_view.activated.emit(model.index(row, 0))
    qtbot.waitUntil(lambda: isinstance(getattr(page, "behind_dialog", None), BehindDialog))
    dialog = page.behind_dialog
    assert dialog.model.rowCount() == 1
    assert dialog.model.data(dialog.model.index(0, 2)) == "Ana"
    assert "When does school start?" in str(dialog.model.data(dialog.model.index(0, 3)))
    assert dialog.summary.text().startswith("1 ")
    dialog.close()
    # A figure of members, not inquiries: said, no list.
    row = next(r for r in range(model.rowCount()) if model.line(r).metric == "participants")
    page.figures_view.activated.emit(model.index(row, 0))
    assert "not inquiries" in page.status.text()
    # A breakdown row lists its inquiries.
    view = page.breakdown_views["language"]
    proxy = view.model()
    french = next(r for r in range(proxy.rowCount()) if "(fr)" in str(proxy.data(proxy.index(r, 0))))
    page.behind_dialog = None  # type: ignore[assignment]
    view.activated.emit(proxy.index(french, 0))
    qtbot.waitUntil(lambda: page.behind_dialog is not None)
    assert page.behind_dialog.model.rowCount() == 1


def test_the_chart_shows_a_year_up_to_a_short_period() -> None:
    assert trend_months(Month(2025, 10), Month(2025, 10)) == (Month(2024, 11), Month(2025, 10))
    assert trend_months(date(2024, 1, 1), date(2025, 6, 30)) == (Month(2024, 1), Month(2025, 6))


def test_strangers_text_behind_a_figure_is_text(qtbot: Any) -> None:
    from datetime import UTC, datetime

    from moderator_app.domain.statistics import InquiryBehind

    row = InquiryBehind(
        inquiry_id=1,
        arrival=datetime(2025, 10, 1, 10, tzinfo=UTC),
        source="<b>Group</b>",
        member="<img src=x>",
        language="en",
        topic="other",
        state="open",
        first_response_minutes=None,
        met=None,
        text="<h1>help</h1>",
    )
    dialog = BehindDialog("t", [row], 1)
    qtbot.addWidget(dialog)
    model = dialog.model
    assert model.data(model.index(0, 1)) == "<b>Group</b>"
    assert model.data(model.index(0, 2)) == "<img src=x>"
    assert "<h1>help</h1>" in str(model.data(model.index(0, 3)))
    tooltip = str(model.data(model.index(0, 3), Qt.ItemDataRole.ToolTipRole))
    assert "<h1>" not in tooltip and "&lt;h1&gt;help" in tooltip  # escaped: a tooltip would read markup


def test_a_manager_on_duty_sees_the_reports_first(qtbot: Any, tmp_path: Path) -> None:
    from moderator_app.app import window_services
    from moderator_app.domain.settings import ON_DUTY
    from moderator_app.store.profiles import ProfileRepository
    from moderator_app.store.repositories import SettingsRepository
    from moderator_app.ui.connector_bridge import ConnectorBridge
    from moderator_app.ui.main_window import MainWindow

    db = open_database(data_dir=tmp_path / "data")
    october_log(db, tmp_path)
    profiles = ProfileRepository(db)
    moderator = profiles.add("Amina", "moderator", ("ar",))
    manager = profiles.add("Claire", "manager", ("fr",))
    SettingsRepository(db).write(ON_DUTY, manager.id)
    window = MainWindow(window_services(db), ConnectorBridge())
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: window.report_page is not None, timeout=5000)
    assert window.pages.currentIndex() == 1
    page = window.report_page
    assert page is not None
    qtbot.waitUntil(lambda: page.figures.rowCount() > 0, timeout=5000)
    window._go_to_inbox()
    assert window.pages.currentIndex() == 0
    window.show_report_page()  # Ctrl+2
    assert window.pages.currentIndex() == 1 and window.report_page is page  # built once
    window.shutdown()
    # A moderator starts on the inbox; the page is built only when its tab is shown.
    SettingsRepository(db).write(ON_DUTY, moderator.id)
    other = MainWindow(window_services(db), ConnectorBridge())
    qtbot.addWidget(other)
    qtbot.waitUntil(lambda: bool(getattr(other, "_profiles", None)), timeout=5000)  # the profiles were read
    assert other.pages.currentIndex() == 0 and other.report_page is None
    other.pages.setCurrentIndex(1)
    assert other.report_page is not None
    other.shutdown()


def test_export_asks_the_report_command_for_the_period_and_source(qtbot: Any, tmp_path: Path) -> None:
    from concurrent.futures import Future

    db = open_database(data_dir=tmp_path / "data")
    october_log(db, tmp_path)
    asked: list[tuple[str, str, Path, str | None]] = []

    def export(first: str, last: str, path: Path, source: str | None) -> Future[tuple[bool, str]]:
        asked.append((first, last, path, source))
        done: Future[tuple[bool, str]] = Future()
        done.set_result((True, f"Wrote {path.name}\n"))
        return done

    page = ReportPage(LogStatistics(db), Ops(run_here, str, print), lambda: date(2025, 11, 20), export=export)
    qtbot.addWidget(page)
    choose(page, PeriodKind.QUARTER, "Q4 2025")
    page.load()
    qtbot.waitUntil(lambda: page.source.count() > 1)
    page.source.setCurrentIndex(page.source.findData("Group B"))
    page.export(tmp_path / "q4.pdf")
    qtbot.waitUntil(lambda: page.status.text() == "Wrote q4.pdf")
    page.export(tmp_path / "q4.xlsx")  # the workbook has every source: no --source
    assert asked == [
        ("2025-10-01", "2025-12-31", tmp_path / "q4.pdf", "Group B"),
        ("2025-10-01", "2025-12-31", tmp_path / "q4.xlsx", None),
    ]
    choose(page, PeriodKind.MONTH, "October 2025")
    page.source.setCurrentIndex(0)
    page.export(tmp_path / "oct.csv")
    assert asked[-1] == ("2025-10", "2025-10", tmp_path / "oct.csv", None)
