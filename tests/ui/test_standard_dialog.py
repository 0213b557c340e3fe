"""The service-standard dialog: filled from the log, mistakes explained before saving, saved for all sources
or as one source's override, with a preview of the due time."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from PySide6.QtCore import QDate, QTime
from PySide6.QtWidgets import QDialogButtonBox

from moderator_app.domain.events import SourceKind, SourceRef
from moderator_app.domain.standard import Mode
from moderator_app.services.changes import ChangeBus
from moderator_app.services.standards import StandardsService
from moderator_app.store.db import Database
from moderator_app.store.repositories import SourceRepository, StandardRepository
from moderator_app.ui.standard_dialog import StandardDialog
from tests.conftest import toronto_standard


def test_edit_the_standard(qtbot: Any, sqlite_db: Database) -> None:
    toronto_standard(sqlite_db)
    group = SourceRepository(sqlite_db).set_watched(SourceRef(SourceKind.GROUP, 1500, "Newcomers", "x"), True)
    standards = StandardRepository(sqlite_db)

    def load(source_id: int | None) -> Any:
        return (standards.override(source_id) if source_id else None) or standards.global_standard()

    def save(standard: Any, source_id: int | None) -> str:
        StandardsService(sqlite_db, ChangeBus()).save(standard, source_id)
        return "saved"

    friday_evening = datetime(2026, 11, 20, 23, 0, tzinfo=UTC)  # 18:00 in Toronto
    dialog = StandardDialog([(group.id, group.name)], load, save, lambda: friday_evening)
    qtbot.addWidget(dialog)
    # Pickers, not the command line's syntax: hours and minutes, a country and its province, days and times.
    assert (dialog.target.hours.value(), dialog.target.minutes.value()) == (24, 0)
    assert dialog.holidays.country.currentData() == "CA" and dialog.holidays.region.currentData() == "ON"
    assert "Ontario" in dialog.holidays.region.currentText() and "Canada" in dialog.holidays.country.currentText()
    monday, saturday = dialog.hours.days[0], dialog.hours.days[5]
    assert monday.open.isChecked() and monday.start.time().toString("HH:mm") == "09:00"
    assert not saturday.open.isChecked()
    assert dialog.timezone.currentText() == "America/Toronto"
    assert "Tuesday 24 November 2026, 09:00" in dialog.preview.text()
    save_button = dialog.buttons.button(QDialogButtonBox.StandardButton.Save)
    monday.end.setTime(QTime(8, 0))  # closes before it opens: the parser's sentence, and no saving
    assert "Mon" in dialog.problem.text() and not save_button.isEnabled()
    monday.end.setTime(QTime(17, 0))
    dialog.target.hours.setValue(0)
    assert dialog.problem.text() and not save_button.isEnabled()  # a target of nothing
    dialog.target.hours.setValue(48)
    assert save_button.isEnabled() and "Wednesday 25 November 2026, 09:00" in dialog.preview.text()
    # Friday 27 November closed (a staff day), chosen on the calendar; Saturday mornings open.
    dialog.closures.calendar.setSelectedDate(QDate(2026, 11, 27))
    dialog.closures.add.click()
    assert dialog.closures.model.stringList()[0].startswith("2026-11-27")
    saturday.open.setChecked(True)
    saturday.end.setTime(QTime(12, 0))
    dialog.holidays.region.setCurrentIndex(dialog.holidays.region.findData("QC"))
    dialog.save()
    saved = standards.global_standard()
    assert saved.target == timedelta(hours=48) and saved.closures == frozenset({date(2026, 11, 27)})
    assert (saved.holidays_country, saved.holidays_subdivision) == ("CA", "QC")
    assert saved.hours[5] == ((time(9, 0), time(12, 0)),) and saved.hours[6] == ()
    # One source's override: business hours only.
    dialog = StandardDialog([(group.id, group.name)], load, save, lambda: friday_evening)
    qtbot.addWidget(dialog)
    dialog.scope.setCurrentIndex(1)
    dialog.mode.setCurrentIndex(dialog.mode.findData(Mode.BUSINESS_HOURS.value))
    dialog.save()
    override = standards.override(group.id)
    assert override is not None and override.mode is Mode.BUSINESS_HOURS
    assert standards.global_standard().mode is Mode.BUSINESS_DAYS


def test_the_answer_window_is_set_with_the_standard_for_all_sources(qtbot: Any, sqlite_db: Database) -> None:
    """(issue 14, left from before) The window sets the answer window too, as `standard set --answer-window`."""
    from moderator_app.store.repositories import SettingsRepository

    toronto_standard(sqlite_db)
    group = SourceRepository(sqlite_db).set_watched(SourceRef(SourceKind.GROUP, 1500, "Newcomers", "x"), True)
    standards, settings = StandardRepository(sqlite_db), SettingsRepository(sqlite_db)

    def save(standard: Any, source_id: int | None) -> str:
        StandardsService(sqlite_db, ChangeBus()).save(standard, source_id)
        return "Service standard saved."

    def open_dialog() -> StandardDialog:
        dialog = StandardDialog(
            [(group.id, group.name)],
            lambda source_id: standards.global_standard(),
            save,
            answer_window=(settings.answer_window, settings.set_answer_window),
        )
        qtbot.addWidget(dialog)
        return dialog

    dialog = open_dialog()
    assert dialog.answer_within.value() == 120 and dialog.answer_within.isEnabled()
    dialog.scope.setCurrentIndex(1)  # one source's override: the window is the organization's, not the source's
    assert not dialog.answer_within.isEnabled()
    dialog.scope.setCurrentIndex(0)
    dialog.answer_within.setValue(180)
    dialog.save()
    assert settings.answer_window() == timedelta(hours=3)
    assert "within 180 min" in dialog.result_message
    assert open_dialog().answer_within.value() == 180
