"""The reports page: a manager's month (or quarter, year, any two dates) in the window.

The figures are read on the database worker (a year of a 1M-message log in under 2 s); the window's thread
only shows them. A month is a column of its own; a quarter, a year or two dates are one period, so distinct
participants are counted over it. Double-clicking a figure that counts inquiries lists them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import Future
from dataclasses import dataclass
from datetime import date, timedelta
from enum import Enum
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QDate,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from moderator_app.domain.language import language_name
from moderator_app.domain.statistics import (
    ALL_SOURCES,
    UNATTRIBUTED,
    DateSpan,
    InquiryBehind,
    Month,
    PageFigures,
    Report,
    Value,
    breakdown_metric,
    hours_and_minutes,
    lists_inquiries,
    post_metric,
)
from moderator_app.ui.access import StatisticsAccess
from moderator_app.ui.delegates import isolate, numbers_isolated
from moderator_app.ui.ops import Ops
from moderator_app.ui.plain import plain_tooltip
from moderator_app.ui.trend_chart import TrendChart, TrendSeries

Index = QModelIndex | QPersistentModelIndex

#: Months in the trend chart: the period's own months when it has at least this many, else the twelve
#: months up to its end.
TREND_MONTHS = 12


class PeriodKind(Enum):
    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"
    DATES = "dates"


def period_of(kind: PeriodKind, start: date, end: date) -> tuple[Month | date, Month | date]:
    """The report's ends: a month as a Month (its own column), anything longer as two dates (one column)."""
    if kind is PeriodKind.MONTH:
        month = Month(start.year, start.month)
        return month, month
    return start, end


def trend_months(first: Month | date, last: Month | date) -> tuple[Month, Month]:
    """The chart's months: the period's own when it has at least a year's, else the year up to its end."""
    start = first if isinstance(first, Month) else Month(first.year, first.month)
    stop = last if isinstance(last, Month) else Month(last.year, last.month)
    count = (stop.year - start.year) * 12 + stop.month - start.month + 1
    if count >= TREND_MONTHS:
        return start, stop
    back = stop.year * 12 + stop.month - 1 - (TREND_MONTHS - 1)
    return Month(back // 12, back % 12 + 1), stop


@dataclass(frozen=True)
class FigureLine:
    label: str
    metric: str
    kind: str = "count"  # count | percent | duration | heading


def figure_lines(tr: Callable[[str], str], report: Report) -> list[FigureLine]:
    """The figures of the page and of the funder PDF, in the toolkit's order: Table 6, Table 7, the standard."""
    month = isinstance(report.periods[0], Month) if report.periods else True
    end = tr("at the end of the month") if month else tr("at the end of the period")
    lines = [
        FigureLine(tr("Usage (Table 6)"), "", "heading"),
        FigureLine(tr("Number of inquiries"), "inquiries"),
        FigureLine(tr("Information provided"), "information"),
        FigureLine(tr("Referrals to partner agencies"), "referrals"),
        FigureLine(tr("Posts"), "posts"),
        FigureLine(tr("Total"), "total"),
        FigureLine(tr("Membership and activity (Table 7)"), "", "heading"),
        FigureLine(tr("Members %1").replace("%1", end), "members_end"),
        FigureLine(tr("New members who joined"), "members_joined"),
        FigureLine(tr("Members who left"), "members_left"),
        FigureLine(tr("Members removed by a moderator"), "members_removed"),
        FigureLine(tr("Questions answered (excluding private messages)"), "questions_answered_public"),
        FigureLine(tr("Group participants (distinct)"), "participants"),
        FigureLine(tr("Private messages"), "private_messages"),
    ]
    lines += [
        FigureLine(tr("Posts: %1").replace("%1", post_type.replace("_", " ")), post_metric(post_type))
        for post_type in report.post_types
    ]
    lines += [
        FigureLine(tr("Service standard"), "", "heading"),
        FigureLine(tr("Answered within the standard"), "answered_within_standard"),
        FigureLine(tr("Share answered within the standard"), "answered_within_standard_pct", "percent"),
        FigureLine(tr("First response, median (business hours)"), "first_response_business_median_minutes", "duration"),
        FigureLine(tr("First response, median (calendar)"), "first_response_median_minutes", "duration"),
        FigureLine(
            tr("First response, 90th percentile (business hours)"),
            "first_response_business_p90_minutes",
            "duration",
        ),
        FigureLine(tr("First response, 90th percentile (calendar)"), "first_response_p90_minutes", "duration"),
        FigureLine(tr("Resolution, median (business hours)"), "resolution_business_median_minutes", "duration"),
        FigureLine(tr("Resolution, median (calendar)"), "resolution_median_minutes", "duration"),
        FigureLine(tr("Resolution, 90th percentile (business hours)"), "resolution_business_p90_minutes", "duration"),
        FigureLine(tr("Resolution, 90th percentile (calendar)"), "resolution_p90_minutes", "duration"),
        FigureLine(tr("First response within 1 business hour"), "first_response_0_1h"),
        FigureLine(tr("First response in 1–4 business hours"), "first_response_1_4h"),
        FigureLine(tr("First response in 4–8 business hours"), "first_response_4_8h"),
        FigureLine(tr("First response in 8–24 business hours"), "first_response_8_24h"),
        FigureLine(tr("First response after 24 business hours"), "first_response_over_24h"),
        FigureLine(tr("Still open %1").replace("%1", end), "open_end"),
        FigureLine(tr("Open and overdue %1").replace("%1", end), "open_overdue_end"),
    ]
    return lines


class FiguresModel(QAbstractTableModel):
    """The period's figures for one source, in the toolkit's order: Table 6, Table 7, the standard."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._lines: list[FigureLine] = []
        self._report: Report | None = None
        self._source = ALL_SOURCES

    def show(self, report: Report, source: str) -> None:
        self.beginResetModel()
        self._report, self._source = report, source
        self._lines = figure_lines(self.tr, report)
        self.endResetModel()

    def line(self, row: int) -> FigureLine:
        return self._lines[row]

    def value(self, row: int) -> Value:
        line = self._lines[row]
        if self._report is None or not line.metric or not self._report.periods:
            return None
        return self._report.get(self._report.periods[0], self._source, line.metric)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._lines)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 2

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        if self._lines[index.row()].kind == "heading":
            return Qt.ItemFlag.ItemIsEnabled
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return (self.tr("Figure"), self.tr("Value"))[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        line = self._lines[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            if index.column() == 0:
                return line.label
            return "" if line.kind == "heading" else format_value(self.tr, self.value(index.row()), line.kind)
        if role == Qt.ItemDataRole.FontRole and line.kind == "heading":
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() == 1:
            return int(Qt.AlignmentFlag.AlignTrailing | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole and line.kind != "heading":
            if self.value(index.row()) is None:
                return self.tr("No value: nothing to measure yet, or the period has not ended.")
            if lists_inquiries(line.metric):
                return self.tr("Double-click to list the inquiries behind this figure.")
        if role == Qt.ItemDataRole.AccessibleTextRole and index.column() == 1 and line.kind != "heading":
            return f"{line.label}: {format_value(self.tr, self.value(index.row()), line.kind)}"
        return None


def format_value(tr: Callable[[str], str], value: Value, kind: str) -> str:
    """Counts with the locale's digit groups, shares in per cent, durations in hours and minutes."""
    if value is None:
        return "—"
    if kind == "percent":
        return left_to_right(tr("%1 %").replace("%1", f"{float(value):.1f}"))
    if kind == "duration":
        split = hours_and_minutes(float(value))
        if split is None:
            return "—"
        hours, minutes = split
        if hours == 0:
            return left_to_right(tr("%1 min").replace("%1", str(minutes)))
        return left_to_right(tr("%1 h %2 min").replace("%1", f"{hours:,}").replace("%2", str(minutes)))
    return f"{int(value):,}"


def left_to_right(text: str) -> str:
    """A measure ("94 h 21 min", "87.5 %") in a left-to-right isolate: in a right-to-left layout its parts
    would otherwise be reordered ("min 21 h 94")."""
    return f"\u2066{text}\u2069"


class BreakdownModel(QAbstractTableModel):
    """Inquiries of the period by one dimension (topic, language, moderator), each with its share."""

    def __init__(self, dimension: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.dimension = dimension
        self._rows: list[tuple[str, str, int]] = []  # key, label, count
        self._total = 0

    def show(self, report: Report, source: str) -> None:
        self.beginResetModel()
        self._rows = []
        period = report.periods[0] if report.periods else None
        for key in report.breakdown_keys.get(self.dimension, []):
            count = int(report.get(period, source, breakdown_metric(self.dimension, key)) or 0) if period else 0
            if count:
                self._rows.append((key, self._label(key), count))
        self._rows.sort(key=lambda row: (-row[2], row[1].casefold()))
        self._total = sum(count for _, _, count in self._rows)
        self.endResetModel()

    def _label(self, key: str) -> str:
        if self.dimension == "language":
            # The name as its speakers write it, isolated so "(fa)" stays after it in either direction.
            return f"{isolate(language_name(key))} ({key})" if key and key != "und" else self.tr("Undetermined")
        if self.dimension == "topic":
            text = key.replace("_", " ").strip()
            return text[:1].upper() + text[1:] if text else self.tr("(none)")
        if key == UNATTRIBUTED:
            return self.tr("Unattributed (no response yet, or by an unknown account)")
        return key or self.tr("(none)")

    def key(self, row: int) -> str:
        return self._rows[row][0]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 3

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            first = {"topic": self.tr("Topic"), "language": self.tr("Language"), "moderator": self.tr("Moderator")}
            return (first[self.dimension], self.tr("Inquiries"), self.tr("Share"))[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        _key, label, count = self._rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            if index.column() == 0:  # a moderator's name is someone's own text, in its own direction
                return label if self.dimension == "language" else isolate(label)
            if index.column() == 1:
                return f"{count:,}"
            share = 100.0 * count / self._total if self._total else 0.0
            return format_value(self.tr, share, "percent")
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() > 0:
            return int(Qt.AlignmentFlag.AlignTrailing | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.tr("Double-click to list these inquiries.")
        if role == Qt.ItemDataRole.UserRole:
            return count
        return None


class BehindModel(QAbstractTableModel):
    """The inquiries behind a figure; members' names and questions are their text, shown as text."""

    def __init__(self, rows: Sequence[InquiryBehind], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._rows = list(rows)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 7

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return (
                self.tr("Arrived"),
                self.tr("Source"),
                self.tr("Member"),
                self.tr("Question"),
                self.tr("State"),
                self.tr("First response"),
                self.tr("Met"),
            )[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return isolate(row.arrival.strftime("%Y-%m-%d %H:%M"))
            if column == 1:
                return row.source
            if column == 2:
                return row.member or self.tr("(unknown)")
            if column == 3:
                return numbers_isolated(row.text.split("\n", 1)[0][:200])
            if column == 4:
                return row.state.replace("_", " ")
            if column == 5:
                return format_value(self.tr, row.first_response_minutes, "duration")
            return {True: self.tr("yes"), False: self.tr("no"), None: "—"}[row.met]
        if role == Qt.ItemDataRole.ToolTipRole and column == 3:
            return plain_tooltip(row.text[:1000])  # a tooltip would read markup
        if role == Qt.ItemDataRole.UserRole:
            return row.inquiry_id
        return None


class BehindDialog(QDialog):
    """The inquiries a figure counts, with how many there are (the first 5,000 are listed)."""

    def __init__(self, title: str, rows: list[InquiryBehind], found: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self.resize(1000, 520)
        layout = QVBoxLayout(self)
        said = (
            self.tr("%n inquiries.", "", found)
            if found == len(rows)
            else self.tr("%1 inquiries; the first %2 are listed.")
            .replace("%1", f"{found:,}")
            .replace("%2", f"{len(rows):,}")
        )
        self.summary = QLabel(said)
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(self.summary)
        self.model = BehindModel(rows, self)
        self.table = QTableView()
        self.table.setAccessibleName(self.tr("Inquiries behind the figure"))
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        for column, width in ((0, 130), (1, 150), (2, 140), (4, 110), (5, 110), (6, 50)):
            self.table.setColumnWidth(column, width)
        layout.addWidget(self.table, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)


ExportReport = Callable[[str, str, Path, str | None], Future[tuple[bool, str]]]


class ReportPage(QWidget):
    """Pick a period and a source; read the figures on the worker; show Tables 6 and 7, the standard,
    breakdowns and the trend; list what is behind a figure; export the period."""

    def __init__(
        self,
        access: StatisticsAccess,
        ops: Ops,
        today: Callable[[], date],
        *,
        export: ExportReport | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._access = access
        self._ops = ops
        self._today = today
        self._export = export
        self._figures: PageFigures | None = None
        self._asked = 0  # the latest reading asked for: an older answer arriving late is dropped
        self.setAccessibleName(self.tr("Reports"))

        self.kind = QComboBox()
        self.kind.setAccessibleName(self.tr("Kind of period"))
        for kind, label in (
            (PeriodKind.MONTH, self.tr("Month")),
            (PeriodKind.QUARTER, self.tr("Quarter")),
            (PeriodKind.YEAR, self.tr("Year")),
            (PeriodKind.DATES, self.tr("Two dates")),
        ):
            self.kind.addItem(label, kind)
        self.choice = QComboBox()
        self.choice.setAccessibleName(self.tr("Period"))
        self.date_from = QDateEdit()
        self.date_to = QDateEdit()
        for edit, name in ((self.date_from, self.tr("From")), (self.date_to, self.tr("To (included)"))):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setAccessibleName(name)
        today_value = today()
        self.date_to.setDate(QDate(today_value.year, today_value.month, today_value.day))
        start = today_value.replace(day=1)
        self.date_from.setDate(QDate(start.year, start.month, start.day))
        self.source = QComboBox()
        self.source.setAccessibleName(self.tr("Source"))
        self.source.addItem(self.tr("All sources"), ALL_SOURCES)
        self.show_button = QPushButton(self.tr("&Show"))
        self.show_button.setAccessibleName(self.tr("Show the figures of this period"))
        self.export_button = QPushButton(self.tr("&Export…"))
        self.export_button.setAccessibleName(self.tr("Export the period as PDF, XLSX or CSV"))
        self.export_button.setEnabled(export is not None)
        self.status = QLabel()
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.status.setAccessibleName(self.tr("Reports status"))
        self.status.setWordWrap(True)

        bar = QHBoxLayout()
        period_caption = QLabel(self.tr("&Period:"))
        period_caption.setBuddy(self.kind)
        bar.addWidget(period_caption)
        bar.addWidget(self.kind)
        bar.addWidget(self.choice)
        bar.addWidget(self.date_from)
        bar.addWidget(self.date_to)
        source_caption = QLabel(self.tr("S&ource:"))
        source_caption.setBuddy(self.source)
        bar.addSpacing(12)
        bar.addWidget(source_caption)
        bar.addWidget(self.source, 1)
        bar.addWidget(self.show_button)
        bar.addWidget(self.export_button)

        self.figures = FiguresModel(self)
        self.figures_view = QTableView()
        self.figures_view.setAccessibleName(self.tr("Figures of the period"))
        self.figures_view.setModel(self.figures)
        self.figures_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.figures_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.figures_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.figures_view.verticalHeader().setVisible(False)
        self.figures_view.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.figures_view.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.figures_view.activated.connect(self._figure_activated)

        self.breakdowns = QTabWidget()
        self.breakdowns.setAccessibleName(self.tr("Breakdowns of inquiries"))
        self.breakdown_models: dict[str, BreakdownModel] = {}
        self.breakdown_views: dict[str, QTableView] = {}
        for dimension, title in (
            ("topic", self.tr("By topic")),
            ("language", self.tr("By language")),
            ("moderator", self.tr("By moderator")),
        ):
            model = BreakdownModel(dimension, self)
            proxy = QSortFilterProxyModel(self)
            proxy.setSourceModel(model)
            proxy.setSortRole(Qt.ItemDataRole.UserRole)
            view = QTableView()
            view.setAccessibleName(title)
            view.setModel(proxy)
            view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
            view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
            view.verticalHeader().setVisible(False)
            view.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
            view.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
            view.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
            view.activated.connect(
                lambda index, d=dimension, p=proxy: self._breakdown_activated(d, p.mapToSource(index))
            )
            self.breakdown_models[dimension] = model
            self.breakdown_views[dimension] = view
            self.breakdowns.addTab(view, title)
        self.chart = TrendChart()
        self.chart.setMinimumHeight(200)

        right = QSplitter(Qt.Orientation.Vertical)
        right.addWidget(self.breakdowns)
        chart_box = QWidget()
        chart_layout = QVBoxLayout(chart_box)
        chart_layout.setContentsMargins(0, 0, 0, 0)
        self.chart_title = QLabel()
        self.chart_title.setTextFormat(Qt.TextFormat.PlainText)
        chart_layout.addWidget(self.chart_title)
        chart_layout.addWidget(self.chart, 1)
        right.addWidget(chart_box)
        right.setSizes([300, 300])
        body = QSplitter(Qt.Orientation.Horizontal)
        body.addWidget(self.figures_view)
        body.addWidget(right)
        body.setStretchFactor(0, 1)
        body.setStretchFactor(1, 1)
        body.setSizes([560, 700])

        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.status)
        layout.addWidget(body, 1)

        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.show_button.clicked.connect(self.load)
        self.choice.activated.connect(lambda _: self.load())
        self.source.activated.connect(lambda _: self._show_source())
        self.export_button.clicked.connect(self.export)
        self._kind_changed()

    # -- the period ---------------------------------------------------------------------------------------
    def _kind_changed(self) -> None:
        kind: PeriodKind = self.kind.currentData()
        today = self._today()
        self.choice.clear()
        if kind is PeriodKind.MONTH:
            month = Month(today.year, today.month)
            for _ in range(24):
                first = month.first_day()
                self.choice.addItem(first.strftime("%B %Y"), (first, month.next().first_day() - timedelta(days=1)))
                back = month.year * 12 + month.month - 2
                month = Month(back // 12, back % 12 + 1)
        elif kind is PeriodKind.QUARTER:
            year, quarter = today.year, (today.month - 1) // 3
            for _ in range(8):
                first = date(year, quarter * 3 + 1, 1)
                last = DateSpan.of_months(Month(year, quarter * 3 + 1), Month(year, quarter * 3 + 3)).last
                self.choice.addItem(
                    self.tr("Q%1 %2").replace("%1", str(quarter + 1)).replace("%2", str(year)), (first, last)
                )
                year, quarter = (year, quarter - 1) if quarter else (year - 1, 3)
        elif kind is PeriodKind.YEAR:
            for year in range(today.year, today.year - 6, -1):
                self.choice.addItem(str(year), (date(year, 1, 1), date(year, 12, 31)))
        dates = kind is PeriodKind.DATES
        self.choice.setVisible(not dates)
        self.date_from.setVisible(dates)
        self.date_to.setVisible(dates)

    def period(self) -> tuple[Month | date, Month | date]:
        kind: PeriodKind = self.kind.currentData()
        chosen: tuple[date, date] = (
            (self.date_from.date().toPython(), self.date_to.date().toPython())  # type: ignore[assignment]
            if kind is PeriodKind.DATES
            else self.choice.currentData()
        )
        return period_of(kind, *chosen)

    def set_sources(self, names: Sequence[str]) -> None:
        current = self.source.currentData()
        self.source.clear()
        self.source.addItem(self.tr("All sources"), ALL_SOURCES)
        for name in names:
            self.source.addItem(name, name)
        index = self.source.findData(current)
        self.source.setCurrentIndex(max(index, 0))

    # -- reading and showing ------------------------------------------------------------------------------
    def load(self) -> None:
        try:
            first, last = self.period()
            if isinstance(first, date) and isinstance(last, date) and last < first:
                raise ValueError(self.tr("The period is empty: the second date is before the first."))
        except ValueError as exc:
            self.status.setText(str(exc))
            return
        trend = trend_months(first, last)
        self._asked += 1
        asked = self._asked
        self.status.setText(self.tr("Counting…"))
        self.show_button.setEnabled(False)
        access = self._access
        self._ops.run(lambda: access.figures(first, last, trend)).success(
            lambda figures: self._show(asked, figures)
        ).failure(self._failed)

    def _failed(self, sentence: str) -> None:
        self.show_button.setEnabled(True)
        self.status.setText(sentence)

    def _show(self, asked: int, figures: PageFigures) -> None:
        if asked != self._asked:
            return
        self.show_button.setEnabled(True)
        self._figures = figures
        known = [self.source.itemData(i) for i in range(1, self.source.count())]
        if known != figures.report.sources:
            self.set_sources(figures.report.sources)
        self._show_source()

    def _show_source(self) -> None:
        figures = self._figures
        if figures is None:
            return
        source = self.source.currentData() or ALL_SOURCES
        report = figures.report
        self.figures.show(report, source)
        for model in self.breakdown_models.values():
            model.show(report, source)
        usage = figures.usage
        labels = [period.label() for period in usage.periods]
        series = [
            TrendSeries(name, tuple(int(usage.get(period, source, metric) or 0) for period in usage.periods))
            for name, metric in (
                (self.tr("Inquiries"), "inquiries"),
                (self.tr("Information"), "information"),
                (self.tr("Referrals"), "referrals"),
                (self.tr("Posts"), "posts"),
            )
        ]
        self.chart.set_data(labels, series)
        shown = report.label()
        self.chart_title.setText(self.tr("Per month, %1").replace("%1", usage.label()))
        where = self.tr("all sources") if source == ALL_SOURCES else source
        self.status.setText(
            self.tr("%1, %2 (time zone %3). Double-click a figure to list the inquiries behind it.")
            .replace("%1", shown)
            .replace("%2", isolate(where))
            .replace("%3", report.timezone)
        )

    # -- what is behind a figure --------------------------------------------------------------------------
    def _figure_activated(self, index: QModelIndex) -> None:
        line = self.figures.line(index.row())
        if line.kind == "heading":
            return
        if not lists_inquiries(line.metric):
            self.status.setText(
                self.tr("“%1” counts messages or members, not inquiries: there is no list behind it.").replace(
                    "%1", line.label
                )
            )
            return
        self.list_behind(line.metric, line.label)

    def _breakdown_activated(self, dimension: str, index: QModelIndex) -> None:
        model = self.breakdown_models[dimension]
        key = model.key(index.row())
        label = str(model.data(model.index(index.row(), 0)))
        self.list_behind(breakdown_metric(dimension, key), label)

    def list_behind(self, metric: str, label: str) -> None:
        figures = self._figures
        if figures is None or not figures.report.periods:
            return
        period = figures.report.periods[0]
        source = self.source.currentData() or ALL_SOURCES
        access = self._access
        title = self.tr("%1 — %2").replace("%1", label).replace("%2", figures.report.label())
        self.status.setText(self.tr("Listing…"))
        self._ops.run(lambda: access.behind(period, source, metric)).success(
            lambda found: self._open_behind(title, *found)
        ).failure(self.status.setText)

    def _open_behind(self, title: str, rows: list[InquiryBehind], found: int) -> BehindDialog:
        self.status.clear()
        dialog = BehindDialog(title, rows, found, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()
        self.behind_dialog = dialog
        return dialog

    # -- export -------------------------------------------------------------------------------------------
    def export(self, path: Path | None = None) -> None:
        if self._export is None:
            return
        first, last = self.period()
        name = f"report-{first}" + (f"-to-{last}" if first != last else "")
        if path is None:
            chosen, _ = QFileDialog.getSaveFileName(
                self,
                self.tr("Export the period"),
                f"{name}.pdf",
                self.tr("PDF for funders (*.pdf);;Excel workbook (*.xlsx);;CSV (*.csv)"),
            )
            if not chosen:
                return
            path = Path(chosen)
        self.status.setText(self.tr("Exporting…"))
        source = self.source.currentData()
        one = source if source and source != ALL_SOURCES and path.suffix.lower() == ".pdf" else None
        future = self._export(str(first), str(last), path, one)
        self._ops.follow(future).success(lambda done: self.status.setText(done[1].strip())).failure(self.status.setText)
