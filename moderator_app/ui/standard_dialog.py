"""The service-standard dialog: everything `standard set` can do, for all sources or one source's override.

Fields are read with the same parsers as the command line, so a mistake gets the same sentence; a preview
says when an inquiry arriving now would be due, before anything is saved.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo, available_timezones

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from moderator_app.domain.clock import ServiceClock
from moderator_app.domain.standard import (
    Mode,
    ServiceStandard,
    parse_closures,
    parse_duration,
    parse_holidays,
    parse_hours,
)
from moderator_app.ui.standard_fields import ClosuresField, DurationField, HolidaysField, WeekHoursField


class StandardDialog(QDialog):
    def __init__(
        self,
        sources: list[tuple[int, str]],
        load: Callable[[int | None], ServiceStandard],
        save: Callable[[ServiceStandard, int | None], str],
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
        parent: QWidget | None = None,
        *,
        answer_window: tuple[Callable[[], timedelta], Callable[[timedelta], object]] | None = None,
    ) -> None:
        super().__init__(parent)
        self._answer_window = answer_window
        self.setWindowTitle(self.tr("Service standard"))
        self._load = load
        self._save = save
        self._now = now
        self.result_message = ""
        self._filling = False
        self.scope = QComboBox()
        self.scope.setAccessibleName(self.tr("Applies to"))
        self.scope.addItem(self.tr("All sources"), None)
        for source_id, name in sources:
            self.scope.addItem(self.tr("Only %1 (override)").replace("%1", name), source_id)
        self.target = DurationField()
        self.mode = QComboBox()
        self.mode.setAccessibleName(self.tr("What time counts"))
        for mode, label in (
            (Mode.BUSINESS_DAYS, self.tr("Business days (whole days, Monday to Friday, not holidays)")),
            (Mode.BUSINESS_HOURS, self.tr("Opening hours only")),
            (Mode.CALENDAR, self.tr("Every hour of every day")),
        ):
            self.mode.addItem(label, mode.value)
        self.hours = WeekHoursField()
        self.timezone = QComboBox()
        self.timezone.setEditable(True)
        self.timezone.setAccessibleName(self.tr("Time zone"))
        self.timezone.addItems(sorted(available_timezones()))
        self.holidays = HolidaysField()
        self.closures = ClosuresField()
        self.warning = QSpinBox()
        self.warning.setAccessibleName(self.tr("Warning threshold"))
        self.warning.setRange(1, 90)
        self.warning.setSuffix(" %")
        self.answer_within = QSpinBox()
        self.answer_within.setAccessibleName(self.tr("Answer without a reply within"))
        self.answer_within.setRange(0, 24 * 60)
        self.answer_within.setSingleStep(15)
        self.answer_within.setSuffix(self.tr(" min"))
        self.answer_within.setToolTip(
            self.tr(
                "A staff message sent without Telegram's reply answers the group's only open question when that "
                "question was asked within this time (0: never). For every source; imports and re-deriving use "
                "it at once, a running connector at its next start."
            )
        )
        if answer_window is not None:
            self.answer_within.setValue(round(answer_window[0]().total_seconds() / 60))
        self.preview = QLabel()
        self.preview.setWordWrap(True)
        self.preview.setTextFormat(Qt.TextFormat.PlainText)
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.setTextFormat(Qt.TextFormat.PlainText)
        self.problem.setStyleSheet("color: #b02a37;")
        form = QFormLayout()
        for label, field in (
            (self.tr("&Applies to:"), self.scope),
            (self.tr("Response &target:"), self.target),
            (self.tr("&What counts:"), self.mode),
            (self.tr("Time &zone:"), self.timezone),
            (self.tr("Public &holidays:"), self.holidays),
            (self.tr("&Warn when left:"), self.warning),
            *([(self.tr("Answer without a &reply within:"), self.answer_within)] if answer_window is not None else []),
        ):
            caption = QLabel(label)
            caption.setBuddy(field)
            form.addRow(caption, field)
        hours_box = QGroupBox(self.tr("&Opening hours"))
        QVBoxLayout(hours_box).addWidget(self.hours)
        closures_box = QGroupBox(self.tr("Extra &closures (besides public holidays)"))
        QVBoxLayout(closures_box).addWidget(self.closures)
        right = QVBoxLayout()
        right.addWidget(hours_box)
        right.addWidget(closures_box, 1)
        columns = QHBoxLayout()
        left = QVBoxLayout()
        left.addLayout(form)
        left.addWidget(self.preview)
        left.addWidget(self.problem)
        left.addStretch(1)
        columns.addLayout(left, 1)
        columns.addLayout(right, 1)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(columns, 1)
        layout.addWidget(self.buttons)
        self.scope.currentIndexChanged.connect(lambda _: self._fill())
        for picker in (self.target, self.hours, self.holidays, self.closures):
            picker.changed.connect(self._check)
        self.mode.currentIndexChanged.connect(lambda _: self._check())
        self.timezone.currentTextChanged.connect(lambda _: self._check())
        self.warning.valueChanged.connect(lambda _: self._check())
        self._fill()

    def _fill(self) -> None:
        # The answer window is the organization's, not a source's: set with "All sources" only.
        self.answer_within.setEnabled(self.scope.currentData() is None)
        standard = self._load(self.scope.currentData())
        self._filling = True
        try:
            self.target.set_duration(standard.target)
            self.mode.setCurrentIndex(max(0, self.mode.findData(standard.mode.value)))
            self.hours.set_hours(standard.hours)
            self.timezone.setCurrentText(standard.timezone)
            self.holidays.set_holidays(standard.holidays_country, standard.holidays_subdivision)
            self.closures.set_dates(standard.closures)
            self.warning.setValue(round(standard.warning_fraction * 100))
        finally:
            self._filling = False
        self._check()

    def standard(self) -> ServiceStandard:
        """The standard the fields describe; ValueError with the parsers' sentence when one is wrong."""
        country, sub = parse_holidays(self.holidays.text())
        zone = self.timezone.currentText().strip()
        try:
            ZoneInfo(zone)
        except (ValueError, KeyError) as exc:
            raise ValueError(f"{zone!r} is not a time zone; choose one from the list, e.g. America/Toronto") from exc
        base = self._load(self.scope.currentData())
        return replace(
            base,
            target=parse_duration(self.target.text()),  # the parsers' sentences for a mistake
            mode=Mode(self.mode.currentData()),
            hours=parse_hours(self.hours.text()),
            timezone=zone,
            holidays_country=country,
            holidays_subdivision=sub,
            closures=parse_closures(self.closures.text()),
            warning_fraction=self.warning.value() / 100.0,
        )

    def _check(self) -> ServiceStandard | None:
        if self._filling:
            return None
        try:
            standard = self.standard()
            clock = ServiceClock(standard)
        except ValueError as exc:
            self.problem.setText(str(exc))
            self.preview.clear()
            self.buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(False)
            return None
        self.problem.clear()
        now = self._now()
        due = clock.due(now).astimezone(ZoneInfo(standard.timezone))
        self.preview.setText(
            self.tr("An inquiry arriving now would be due %1.").replace("%1", due.strftime("%A %d %B %Y, %H:%M"))
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(True)
        return standard

    def save(self) -> None:
        standard = self._check()
        if standard is None:
            return
        self.result_message = self._save(standard, self.scope.currentData())
        if self._answer_window is not None and self.scope.currentData() is None:
            load, store = self._answer_window
            chosen = timedelta(minutes=self.answer_within.value())
            if chosen != load():
                store(chosen)
                self.result_message += " " + self.tr("Answers without a reply: within %1 min of the question.").replace(
                    "%1", str(self.answer_within.value())
                )
        self.accept()
