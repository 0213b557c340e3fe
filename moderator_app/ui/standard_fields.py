"""The service-standard dialog's pickers: a duration, opening hours day by day, a country and its region for
public holidays, and closure dates on a calendar.

Each gives the text the standard's parsers read (the command line's syntax), so a mistake still gets the
parsers' sentence; nobody has to type that syntax.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, time, timedelta
from functools import lru_cache

import holidays
from PySide6.QtCore import QDate, QLocale, QStringListModel, Qt, QTime, Signal
from PySide6.QtGui import QTextCharFormat
from PySide6.QtWidgets import (
    QCalendarWidget,
    QCheckBox,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListView,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from moderator_app.domain.standard import DAY_NAMES, WeekHours, format_closures


class DurationField(QWidget):
    """Hours and minutes ("24 h 0 min"), read as "24h"."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.hours = QSpinBox()
        self.hours.setRange(0, 24 * 30)
        self.hours.setSuffix(self.tr(" h"))
        self.hours.setAccessibleName(self.tr("Response target, hours"))
        self.minutes = QSpinBox()
        self.minutes.setRange(0, 59)
        self.minutes.setSingleStep(5)
        self.minutes.setSuffix(self.tr(" min"))
        self.minutes.setAccessibleName(self.tr("Response target, minutes"))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.hours)
        layout.addWidget(self.minutes)
        layout.addStretch(1)
        for box in (self.hours, self.minutes):
            box.valueChanged.connect(lambda _: self.changed.emit())

    def set_duration(self, duration: timedelta) -> None:
        minutes = int(duration.total_seconds() // 60)
        self.hours.setValue(minutes // 60)
        self.minutes.setValue(minutes % 60)

    def text(self) -> str:
        return f"{self.hours.value()}h{self.minutes.value()}m"


class _TwoDigits(QSpinBox):
    def textFromValue(self, value: int) -> str:
        return f"{value:02d}"


class TimeField(QWidget):
    """Hours and minutes in two boxes ("09" : "00"). Not a QTimeEdit: in a right-to-left window Qt writes its
    parts in reverse ("00:17" for 17:00), and digits with a colon read left to right whatever the window."""

    timeChanged = Signal()

    def __init__(self, at: QTime, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.hour, self.minute = _TwoDigits(), _TwoDigits()
        self.hour.setRange(0, 24)  # 24:00 closes at midnight
        self.minute.setRange(0, 59)
        self.minute.setSingleStep(5)
        for box in (self.hour, self.minute):
            # Typed, or stepped with the arrow keys and the wheel: no buttons, so a week of them fits a laptop.
            box.setButtonSymbols(QSpinBox.ButtonSymbols.NoButtons)
            box.setAlignment(Qt.AlignmentFlag.AlignCenter)
            box.setFixedWidth(box.fontMetrics().horizontalAdvance("000") + 12)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.hour)
        layout.addWidget(QLabel(":"))
        layout.addWidget(self.minute)
        self.setLayoutDirection(Qt.LayoutDirection.LeftToRight)  # hours first, as the digits read
        self.setTime(at)
        for box in (self.hour, self.minute):
            box.valueChanged.connect(lambda _: self.timeChanged.emit())

    def setAccessibleName(self, name: str) -> None:
        super().setAccessibleName(name)
        self.hour.setAccessibleName(f"{name}, {self.tr('hour')}")
        self.minute.setAccessibleName(f"{name}, {self.tr('minutes')}")

    def setTime(self, at: QTime) -> None:
        self.hour.setValue(at.hour())
        self.minute.setValue(at.minute())

    def time(self) -> QTime:
        """00:00 for 24:00 (the end of a day that closes at midnight)."""
        hour = self.hour.value()
        return QTime(0, 0) if hour == 24 else QTime(hour, self.minute.value())


class _DayRow:
    """One day: open or not, its hours, and an optional second period (a lunch break between)."""

    def __init__(self, grid: QGridLayout, row: int, day: int, parent: QWidget) -> None:
        name = QLocale().dayName(day + 1, QLocale.FormatType.LongFormat)
        self.open = QCheckBox(name)
        self.start, self.end = TimeField(QTime(9, 0)), TimeField(QTime(17, 0))
        self.split = QCheckBox(parent.tr("and"))
        self.split.setToolTip(parent.tr("A second period the same day (closed in between, e.g. for lunch)."))
        self.start2, self.end2 = TimeField(QTime(13, 0)), TimeField(QTime(17, 0))
        for edit, what in ((self.start, "opens"), (self.end, "closes"), (self.start2, "opens again"),
                           (self.end2, "closes again")):  # fmt: skip
            edit.setAccessibleName(f"{name} {parent.tr(what)}")
        dash, dash2 = QLabel("–"), QLabel("–")
        for column, widget in enumerate((self.open, self.start, dash, self.end, self.split, self.start2, dash2,
                                         self.end2)):  # fmt: skip
            grid.addWidget(widget, row, column)
        self.open.toggled.connect(lambda _: self._enable())
        self.split.toggled.connect(lambda _: self._enable())
        self._enable()

    def _enable(self) -> None:
        on = self.open.isChecked()
        for edit in (self.start, self.end, self.split):
            edit.setEnabled(on)
        for edit in (self.start2, self.end2):
            edit.setEnabled(on and self.split.isChecked())

    def set_periods(self, periods: tuple[tuple[time, time], ...]) -> None:
        self.open.setChecked(bool(periods))
        if periods:
            self.start.setTime(QTime(periods[0][0].hour, periods[0][0].minute))
            self.end.setTime(QTime(periods[0][1].hour, periods[0][1].minute))
        self.split.setChecked(len(periods) > 1)
        if len(periods) > 1:
            self.start2.setTime(QTime(periods[1][0].hour, periods[1][0].minute))
            self.end2.setTime(QTime(periods[1][1].hour, periods[1][1].minute))
        self._enable()

    def text(self) -> str:
        """ "09:00-17:00" (or two periods); 00:00 as a closing time is midnight, "24:00"."""
        if not self.open.isChecked():
            return ""

        def period(start: TimeField, end: TimeField) -> str:
            closes = end.time().toString("HH:mm")
            return f"{start.time().toString('HH:mm')}-{'24:00' if closes == '00:00' else closes}"

        text = period(self.start, self.end)
        if self.split.isChecked():
            text += "," + period(self.start2, self.end2)
        return text


class WeekHoursField(QWidget):
    """Opening hours, day by day."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        self.days = [_DayRow(grid, day, day, self) for day in range(7)]
        for row in self.days:
            for widget in (row.open, row.split):
                widget.toggled.connect(lambda _: self.changed.emit())
            for edit in (row.start, row.end, row.start2, row.end2):
                edit.timeChanged.connect(self.changed.emit)

    def set_hours(self, hours: WeekHours) -> None:
        for row, periods in zip(self.days, hours, strict=True):
            row.set_periods(periods)

    def text(self) -> str:
        """The parser's text: "Mon 09:00-17:00; Tue …" ("closed" when no day opens)."""
        days = [f"{DAY_NAMES[day]} {row.text()}" for day, row in enumerate(self.days) if row.text()]
        return "; ".join(days) if days else "closed"


@lru_cache(maxsize=1)
def _countries() -> list[tuple[str, str, list[tuple[str, str]]]]:
    """(name, code, [(region name, region code)]) for every country the holidays library knows, by name."""
    found = []
    for code, regions in holidays.list_supported_countries().items():
        territory = QLocale.codeToTerritory(code)
        name = QLocale.territoryToString(territory) if territory != QLocale.Country.AnyTerritory else code
        try:
            aliases = getattr(type(holidays.country_holidays(code)), "subdivisions_aliases", {}) or {}
        except NotImplementedError:
            aliases = {}
        names: dict[str, str] = {}
        for alias, region in aliases.items():
            names.setdefault(region, alias)  # the first alias given is the English name
        found.append((name, code, [(names.get(region, region), region) for region in regions]))
    return sorted(found, key=lambda item: item[0].casefold())


class HolidaysField(QWidget):
    """The country whose public holidays close the service, and its province or region."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.country = QComboBox()
        self.country.setAccessibleName(self.tr("Public holidays of"))
        self.country.addItem(self.tr("No public holidays"), "")
        for name, code, _ in _countries():
            self.country.addItem(f"{name} ({code})", code)
        self.region = QComboBox()
        self.region.setAccessibleName(self.tr("Province or region"))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.country, 1)
        layout.addWidget(self.region, 1)
        self.country.currentIndexChanged.connect(lambda _: self._fill_regions())
        self.country.currentIndexChanged.connect(lambda _: self.changed.emit())
        self.region.currentIndexChanged.connect(lambda _: self.changed.emit())
        self._fill_regions()

    def _fill_regions(self, chosen: str | None = None) -> None:
        code = self.country.currentData()
        regions = next((r for _, c, r in _countries() if c == code), [])
        self.region.blockSignals(True)
        self.region.clear()
        self.region.addItem(self.tr("The whole country"), "")
        for name, region in sorted(regions, key=lambda item: item[0].casefold()):
            self.region.addItem(f"{name} ({region})", region)
        self.region.setCurrentIndex(max(0, self.region.findData(chosen or "")))
        self.region.setEnabled(bool(regions))
        self.region.blockSignals(False)

    def set_holidays(self, country: str | None, region: str | None) -> None:
        self.country.blockSignals(True)
        self.country.setCurrentIndex(max(0, self.country.findData(country or "")))
        self.country.blockSignals(False)
        self._fill_regions(region)

    def text(self) -> str:
        """ "CA-ON", "FR" or "none", as the parser reads it."""
        country, region = self.country.currentData(), self.region.currentData()
        if not country:
            return "none"
        return f"{country}-{region}" if region else str(country)


class ClosuresField(QWidget):
    """Extra closure dates (a staff day, the days between holidays), chosen on a calendar."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._dates: set[date] = set()
        self.calendar = QCalendarWidget()
        self.calendar.setAccessibleName(self.tr("Closure calendar"))
        self.calendar.setGridVisible(True)
        self.model = QStringListModel(self)
        self.list = QListView()
        self.list.setModel(self.model)
        self.list.setAccessibleName(self.tr("Closure dates"))
        self.add = QPushButton(self.tr("Close on this &date"))
        self.remove = QPushButton(self.tr("Open again"))
        self.add.clicked.connect(self._add_chosen)
        self.remove.clicked.connect(self._remove_selected)
        self.calendar.activated.connect(lambda _: self._add_chosen())  # a double-click closes that day
        buttons = QVBoxLayout()
        buttons.addWidget(self.add)
        buttons.addWidget(self.remove)
        buttons.addWidget(self.list, 1)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.calendar, 2)
        layout.addLayout(buttons, 1)

    def set_dates(self, dates: Iterable[date]) -> None:
        self._dates = set(dates)
        self._show()

    def dates(self) -> frozenset[date]:
        return frozenset(self._dates)

    def text(self) -> str:
        return format_closures(self._dates)

    def _add_chosen(self) -> None:
        chosen = self.calendar.selectedDate().toPython()
        if isinstance(chosen, date) and chosen not in self._dates:
            self._dates.add(chosen)
            self._show()
            self.changed.emit()

    def _remove_selected(self) -> None:
        index = self.list.currentIndex()
        if index.isValid():
            self._dates.discard(date.fromisoformat(str(self.model.data(index)).split(" ")[0]))
            self._show()
            self.changed.emit()

    def _show(self) -> None:
        locale = QLocale()
        self.model.setStringList(
            [
                f"{day.isoformat()} ({locale.dayName(day.isoweekday(), QLocale.FormatType.ShortFormat)})"
                for day in sorted(self._dates)
            ]
        )
        self.calendar.setDateTextFormat(QDate(), QTextCharFormat())  # a null date clears every date's format
        for day in self._dates:
            fmt = self.calendar.dateTextFormat(QDate(day.year, day.month, day.day))
            fmt.setBackground(Qt.GlobalColor.lightGray)
            fmt.setFontStrikeOut(True)
            self.calendar.setDateTextFormat(QDate(day.year, day.month, day.day), fmt)
