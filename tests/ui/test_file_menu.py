"""A manager's file work from the window's File menu: the command line's own commands, off the window's
thread, with a progress bar and Stop for an import, and the command line's sentences when done."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox

from moderator_app.store.db import Database
from moderator_app.store.library import LibraryRepository
from moderator_app.store.repositories import SettingsRepository, SourceRepository
from tests.conftest import FIXTURES, toronto_standard
from tests.support.exportgen import bulk_group_export


def _window(qtbot: Any, db: Database) -> Any:
    from moderator_app.app import window_services
    from moderator_app.cli.main import run_for_window
    from moderator_app.cli.window_commands import WindowCommands
    from moderator_app.ui.connector_bridge import ConnectorBridge
    from moderator_app.ui.main_window import MainWindow

    # As `moderator-app` wires it: the command line's commands behind the File menu.
    window = MainWindow(window_services(db, commands=WindowCommands(db, run_for_window)), ConnectorBridge())
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.loaded, timeout=10_000):
        window.show()
    return window


def _close_boxes() -> None:
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, QMessageBox) and widget.isVisible():
            widget.close()


def test_import_an_export_and_the_library_and_export_a_report(qtbot: Any, sqlite_db: Database, tmp_path: Path) -> None:
    toronto_standard(sqlite_db)
    window = _window(qtbot, sqlite_db)
    work = window.file_work
    assert work is not None
    menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&File")
    assert [a.text() for a in menu.actions() if a.text()][:2] == [
        "&Import a Telegram export…",
        "Import canned &answers…",
    ]

    work.import_export(FIXTURES / "telegram-export-channel.json")  # a channel: no staff ids needed
    qtbot.waitUntil(lambda: "Settlement" in work.last_said or "messages" in work.last_said, timeout=30_000)
    assert SourceRepository(sqlite_db).all(), work.last_said
    _close_boxes()

    yaml = tmp_path / "answers.yaml"
    work.export_library(yaml)
    qtbot.waitUntil(lambda: "Wrote 0 canned answers" in work.last_said, timeout=10_000)
    _close_boxes()
    from moderator_app.importers.library_files import STARTER_LIBRARY

    work.import_library(STARTER_LIBRARY)
    qtbot.waitUntil(lambda: "Canned answers: " in work.last_said, timeout=10_000)
    count = len(LibraryRepository(sqlite_db).all())
    assert count > 20 and f"Canned answers: {count} added, 0 updated" in work.last_said
    _close_boxes()

    work.import_library(tmp_path / "missing.yaml")  # the command line's sentence, word for word
    qtbot.waitUntil(lambda: "missing.yaml: no such file." in work.last_said, timeout=10_000)
    _close_boxes()

    report = tmp_path / "month.xlsx"
    work.export_report(("2026-10", "2026-11"), report)
    qtbot.waitUntil(lambda: "report to" in work.last_said, timeout=30_000)
    assert report.is_file() and report.stat().st_size > 0
    _close_boxes()


def test_stop_stores_what_was_read_and_says_how_to_go_on(qtbot: Any, sqlite_db: Database, tmp_path: Path) -> None:
    toronto_standard(sqlite_db)
    SettingsRepository(sqlite_db).add_staff([9000])
    export = tmp_path / "result.json"
    bulk_group_export(export, 30_000)
    window = _window(qtbot, sqlite_db)
    work = window.file_work
    dialog = work.import_export(export)
    assert dialog is not None
    dialog.canceled.emit()  # Stop clicked, at once: the import stops between two messages, at its next progress report
    qtbot.waitUntil(lambda: bool(work.last_said), timeout=30_000)
    assert "Stopped as asked" in work.last_said, work.last_said
    assert "again" in work.last_said, work.last_said  # what to run to go on
    with sqlite_db.sessions() as session:
        from sqlalchemy import func, select

        from moderator_app.store.models import Message

        stored = session.scalar(select(func.count()).select_from(Message))
    assert stored is not None and stored < 30_000  # stopped: what was read is stored, the rest is not
    _close_boxes()


def test_an_export_with_groups_asks_for_the_staff_accounts(
    qtbot: Any, sqlite_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The command line's --staff, asked in the window (the account that made the export offered)."""
    from PySide6.QtWidgets import QInputDialog

    toronto_standard(sqlite_db)
    window = _window(qtbot, sqlite_db)
    asked: list[str] = []

    def answer(parent: Any, title: str, label: str, text: str = "") -> tuple[str, bool]:
        asked.append(text)
        return (text or "1000") + ", 1001", True

    monkeypatch.setattr(QInputDialog, "getText", answer)
    window.file_work.import_export(FIXTURES / "telegram-export-full-account.json")
    qtbot.waitUntil(lambda: window.file_work.last_said.startswith("Imported"), timeout=30_000)
    assert len(asked) == 1
    assert SettingsRepository(sqlite_db).staff_ids() >= {1001}  # remembered for later imports
    _close_boxes()


def test_closing_the_window_during_an_import_asks_and_stops_it(
    qtbot: Any, sqlite_db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    toronto_standard(sqlite_db)
    SettingsRepository(sqlite_db).add_staff([9000])
    export = tmp_path / "result.json"
    bulk_group_export(export, 30_000)
    window = _window(qtbot, sqlite_db)
    work = window.file_work
    answers = [QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes]
    monkeypatch.setattr(QMessageBox, "question", lambda *args: answers.pop(0))
    work.import_export(export)
    assert work.importing
    assert not window.close()  # "No": the window stays, the import goes on
    assert window.isVisible() and work.importing
    assert window.close()  # "Yes": the import is asked to stop between two messages
    qtbot.waitUntil(lambda: not work.importing, timeout=30_000)
    assert "Stopped as asked" in work.last_said or work.last_said.startswith("Imported")
    _close_boxes()
