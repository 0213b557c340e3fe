"""The File menu's imports and exports, for a manager at the window: what the command line does (import a
Telegram export, the library and the partner list in and out, a month's report), off the window's thread,
with a progress bar (and Stop) for the import and the command line's own sentences when it is done.
"""

from __future__ import annotations

import concurrent.futures
import re
import threading
from collections.abc import Callable
from datetime import date
from pathlib import Path

from PySide6.QtCore import QDate, QObject, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QInputDialog,
    QMenu,
    QMessageBox,
    QProgressDialog,
    QWidget,
)

from moderator_app.ui.access import FileCommands
from moderator_app.ui.ops import Ops
from moderator_app.ui.threads import emit_from_worker


class MonthsDialog(QDialog):
    """The months a report covers (one column each) and its format."""

    def __init__(self, today: date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Export a report"))
        last_month = QDate(today.year, today.month, 1).addMonths(-1)
        self.first = QDateEdit(last_month)
        self.last = QDateEdit(last_month)
        for edit, name in ((self.first, self.tr("From month")), (self.last, self.tr("To month"))):
            edit.setDisplayFormat("yyyy-MM")
            edit.setCalendarPopup(True)
            edit.setAccessibleName(name)
        self.format = QComboBox()
        self.format.setAccessibleName(self.tr("Format"))
        self.format.addItem(self.tr("Excel workbook (XLSX: Tables 6 and 7, the inquiry log)"), "xlsx")
        self.format.addItem(self.tr("CSV (one value per row)"), "csv")
        self.format.addItem(self.tr("PDF for funders (Tables 6 and 7, the standard, the trend)"), "pdf")
        form = QFormLayout(self)
        form.addRow(self.tr("&From:"), self.first)
        form.addRow(self.tr("&To:"), self.last)
        form.addRow(self.tr("F&ormat:"), self.format)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.setMinimumWidth(420)

    def months(self) -> tuple[str, str]:
        return self.first.date().toString("yyyy-MM"), self.last.date().toString("yyyy-MM")


class FileMenu(QObject):
    """Adds the manager's file work to ``menu``; ``changed`` runs after something was imported."""

    progressed = Signal(int, int)

    def __init__(
        self,
        commands: FileCommands,
        window: QWidget,
        ops: Ops,
        changed: Callable[[], None],
        today: Callable[[], date] = date.today,
    ) -> None:
        super().__init__(window)
        self._commands, self._window, self._ops, self._changed, self._today = commands, window, ops, changed, today
        self._busy = False
        self.last_said = ""  # what the last command said (the message box shows it)
        self._stop: threading.Event | None = None  # the import running, if any

    @property
    def importing(self) -> bool:
        return self._stop is not None

    def stop_import(self) -> None:
        """Stop the running import between two messages (what it read is stored)."""
        if self._stop is not None:
            self._stop.set()

    def add_to(self, menu: QMenu) -> None:
        menu.addAction(self.tr("&Import a Telegram export…"), self.import_export)
        menu.addSeparator()
        menu.addAction(self.tr("Import canned &answers…"), self.import_library)
        menu.addAction(self.tr("Export canned answers…"), self.export_library)
        menu.addAction(self.tr("Import &partner organizations…"), self.import_partners)
        menu.addAction(self.tr("Export partner organizations…"), self.export_partners)
        menu.addSeparator()
        menu.addAction(self.tr("Export a &report…"), self.export_report)
        menu.addSeparator()

    # -- the actions ------------------------------------------------------------------------------------------
    def import_export(self, path: Path | None = None, staff: str = "") -> QProgressDialog | None:
        """A Telegram Desktop export into the log, with a progress bar; Stop stores what was read and says
        what to run to go on (the same import again skips what is stored)."""
        if self._refuse_while_busy():
            return None
        chosen = path or self._open(self.tr("Import a Telegram export"), self.tr("Telegram export (*.json)"))
        if chosen is None:
            return None
        stop = self._stop = threading.Event()
        dialog = QProgressDialog(
            self.tr("Importing %1…").replace("%1", chosen.name), self.tr("Stop"), 0, 1000, self._window
        )
        dialog.setWindowTitle(self.tr("Import a Telegram export"))
        dialog.setMinimumWidth(440)  # the title whole
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.setMinimumDuration(0)

        def stopping() -> None:
            stop.set()
            dialog.setLabelText(self.tr("Stopping after the message being read…"))
            dialog.show()  # a cancelled QProgressDialog hides itself: it stays until the import has stopped

        dialog.canceled.connect(stopping)
        shown = self.progressed.connect(lambda done, total: dialog.setValue(int(done * 1000 / total) if total else 0))

        def progress(done: int, total: int) -> None:  # on the import's thread
            emit_from_worker(self, self.progressed, done, total)

        future = self._commands.import_export(chosen, progress, stop, staff)

        def finished(result: tuple[bool, str]) -> None:
            self._stop = None
            self.progressed.disconnect(shown)
            dialog.close()
            ok, said = result
            if not ok and "need staff ids" in said and not staff:
                ids = self.ask_staff(said)  # groups and private chats: which accounts are the organization's
                if ids:
                    self.import_export(chosen, ids)
                    return
            self._changed()
            self._said(self.tr("Import a Telegram export"), result)

        self._follow(future, finished, dialog)
        dialog.show()
        return dialog

    def import_library(self, path: Path | None = None) -> None:
        chosen = path or self._open(self.tr("Import canned answers"), self._library_files())
        if chosen is not None:
            self._simple(self.tr("Import canned answers"), self._commands.import_library(chosen), imported=True)

    def export_library(self, path: Path | None = None) -> None:
        chosen = path or self._save(self.tr("Export canned answers"), "canned-answers.yaml", self._library_files())
        if chosen is not None:
            self._simple(self.tr("Export canned answers"), self._commands.export_library(chosen))

    def import_partners(self, path: Path | None = None) -> None:
        chosen = path or self._open(self.tr("Import partner organizations"), self._partner_files())
        if chosen is not None:
            self._simple(self.tr("Import partner organizations"), self._commands.import_partners(chosen), imported=True)

    def export_partners(self, path: Path | None = None) -> None:
        chosen = path or self._save(self.tr("Export partner organizations"), "partners.csv", self._partner_files())
        if chosen is not None:
            self._simple(self.tr("Export partner organizations"), self._commands.export_partners(chosen))

    def export_report(self, months: tuple[str, str] | None = None, path: Path | None = None) -> None:
        if months is None:
            dialog = MonthsDialog(self._today(), self._window)
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return
            months = dialog.months()
            suffix = dialog.format.currentData()
        else:
            suffix = path.suffix.lstrip(".") if path is not None else "xlsx"
        first, last = months
        name = f"report-{first}.{suffix}" if first == last else f"report-{first}-to-{last}.{suffix}"
        filters = {
            "xlsx": self.tr("Excel workbook (*.xlsx)"),
            "pdf": self.tr("PDF (*.pdf)"),
        }.get(suffix, self.tr("CSV (*.csv)"))
        chosen = path or self._save(self.tr("Export a report"), name, filters)
        if chosen is not None:
            self._simple(self.tr("Export a report"), self._commands.export_report(first, last, chosen))

    def ask_staff(self, said: str) -> str:
        """The staff accounts' ids, asked in the window (the command line's --staff), with the account that
        made the export offered when the file names it."""
        suggested = re.search(r"--staff (\d+)", said)
        ids, accepted = QInputDialog.getText(
            self._window,
            self.tr("Staff accounts"),
            self.tr(
                "This export has groups or private chats: the import must know which accounts are the "
                "organization's, or their answers would count as members' questions.\n\nThe numeric Telegram "
                'user ids of the staff accounts, separated by commas (in the export, from_id "user1000" is '
                "1000):"
            ),
            text=suggested.group(1) if suggested else "",
        )
        return ",".join(part.strip() for part in ids.split(",") if part.strip()) if accepted else ""

    # -- running and saying -----------------------------------------------------------------------------------
    def _simple(self, title: str, future: concurrent.futures.Future[tuple[bool, str]], imported: bool = False) -> None:
        busy = QProgressDialog(title + "…", "", 0, 0, self._window)
        busy.setCancelButton(None)  # these take seconds: nothing to stop
        busy.setWindowModality(Qt.WindowModality.WindowModal)
        busy.setMinimumDuration(500)

        def finished(result: tuple[bool, str]) -> None:
            busy.close()
            if imported:
                self._changed()
            self._said(title, result)

        self._follow(future, finished, busy)

    def _follow(
        self,
        future: concurrent.futures.Future[tuple[bool, str]],
        finished: Callable[[tuple[bool, str]], None],
        dialog: QProgressDialog,
    ) -> None:
        self._busy = True

        def done(result: tuple[bool, str]) -> None:
            self._busy = False
            finished(result)

        def failed(message: str) -> None:
            self._busy = False
            dialog.close()
            self._said(self.tr("Something went wrong"), (False, message))

        self._ops.follow(future).success(done).failure(failed)

    def _refuse_while_busy(self) -> bool:
        if self._busy:
            QMessageBox.information(
                self._window, self.tr("Please wait"), self.tr("Another import or export is running.")
            )
        return self._busy

    def _said(self, title: str, result: tuple[bool, str]) -> None:
        ok, said = result
        box = QMessageBox(
            QMessageBox.Icon.Information if ok else QMessageBox.Icon.Warning,
            title,
            said or (self.tr("Done.") if ok else self.tr("It could not be done.")),
            QMessageBox.StandardButton.Ok,
            self._window,
        )
        box.setTextFormat(Qt.TextFormat.PlainText)  # file names and group titles are anyone's text
        self.last_said = box.text()
        box.open()

    def _library_files(self) -> str:
        return self.tr("Canned answers (*.yaml *.yml *.csv *.xlsx)")

    def _partner_files(self) -> str:
        return self.tr("Partner organizations (*.csv *.xlsx *.yaml *.yml)")

    def _open(self, title: str, filters: str) -> Path | None:
        name, _ = QFileDialog.getOpenFileName(self._window, title, str(Path.home()), filters)
        return Path(name) if name else None

    def _save(self, title: str, suggested: str, filters: str) -> Path | None:
        name, _ = QFileDialog.getSaveFileName(self._window, title, str(Path.home() / suggested), filters)
        return Path(name) if name else None
