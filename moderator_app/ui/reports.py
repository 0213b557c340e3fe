"""Member reports: the ``/report`` and ``@admin`` replies members sent, each with the message it points at, and
one key each to delete that message (D), warn its author (W), or dismiss the report (X). Read and decided on
the database worker; the reported message is shown as the text it is."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from moderator_app.domain.moderation import ModerationKind
from moderator_app.domain.reports import MemberReport, ReportState
from moderator_app.ui.delegates import isolate
from moderator_app.ui.ops import Ops
from moderator_app.ui.people import fill

Index = QModelIndex | QPersistentModelIndex
COLUMNS = 6


class ReportsModel(QAbstractTableModel):
    def __init__(self, timezone: ZoneInfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.timezone = timezone
        self._reports: list[MemberReport] = []
        self._headers = [
            self.tr("Time"),
            self.tr("Source"),
            self.tr("Reported by"),
            self.tr("Reason"),
            self.tr("Author"),
            self.tr("Reported message"),
        ]

    def set_reports(self, reports: list[MemberReport]) -> None:
        self.beginResetModel()
        self._reports = reports
        self.endResetModel()

    def report(self, row: int) -> MemberReport:
        return self._reports[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._reports)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else COLUMNS

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole and 0 <= section < COLUMNS:
            return self._headers[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._reports):
            return None
        report = self._reports[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            if index.column() == 0:
                return "\u2066" + report.at.astimezone(self.timezone).strftime("%d %b %H:%M") + "\u2069"
            if index.column() == 5:
                if report.reported_id is None:
                    return self.tr("(the conversation: no message replied to)")
                text = report.reported_text.split("\n", 1)[0][:200] or self.tr("(no text)")
                return self.tr("%1 (deleted)").replace("%1", text) if report.reported_deleted else text
            return (report.source, report.reporter, report.reason, report.reported_member)[index.column() - 1]
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == 5 and report.reported_text:
            return None  # the full text is shown below the table, as text
        return None


class ReportsDialog(QDialog):
    """``read()`` the open reports; ``decide(report, state, action)`` records a decision; ``moderate(report,
    kind, queued)`` opens the moderation dialog for the reported message (the main window's), calling
    ``queued`` once the action is queued."""

    def __init__(
        self,
        read: Callable[[], list[MemberReport]],
        decide: Callable[[MemberReport, ReportState, str], None],
        moderate: Callable[[MemberReport, ModerationKind, Callable[[object], object]], None],
        timezone: ZoneInfo,
        ops: Ops,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Member reports"))
        self._read, self._decide, self._moderate, self._ops = read, decide, moderate, ops
        self.model = ReportsModel(timezone, self)
        self.table = QTableView()
        self.table.setAccessibleName(self.tr("Member reports"))
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for column, width in enumerate((100, 140, 120, 140, 120)):
            self.table.setColumnWidth(column, width)
        self.about = QLabel()
        self.about.setTextFormat(Qt.TextFormat.PlainText)
        self.about.setWordWrap(True)
        self.reported = QTextEdit()
        self.reported.setReadOnly(True)
        self.reported.setAcceptRichText(False)
        self.reported.setAccessibleName(self.tr("The reported message"))
        self.reported.setMaximumHeight(140)
        self.delete_button = QPushButton(self.tr("&Delete the message… (D)"))
        self.warn_button = QPushButton(self.tr("&Warn the author… (W)"))
        self.sanction_button = QPushButton(self.tr("&Mute, remove or ban…"))
        self.dismiss_button = QPushButton(self.tr("Di&smiss (X)"))
        for button, name in (
            (self.delete_button, self.tr("Delete the reported message")),
            (self.warn_button, self.tr("Warn the author of the reported message")),
            (self.sanction_button, self.tr("Mute, remove or ban the author")),
            (self.dismiss_button, self.tr("Dismiss the report")),
        ):
            button.setAccessibleName(name)
        self.delete_button.clicked.connect(lambda: self.act(ModerationKind.DELETE))
        self.warn_button.clicked.connect(lambda: self.act(ModerationKind.WARN))
        self.sanction_button.clicked.connect(lambda: self.act(ModerationKind.MUTE))
        self.dismiss_button.clicked.connect(self.dismiss)
        # One key each, as the issue asks: there is no text field in this window to type into.
        for key, do in (
            ("D", lambda: self.act(ModerationKind.DELETE)),
            ("W", lambda: self.act(ModerationKind.WARN)),
            ("X", self.dismiss),
        ):
            QShortcut(QKeySequence(key), self, do)
        self.status = QLabel()
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.status.setWordWrap(True)
        buttons = QHBoxLayout()
        for button in (self.delete_button, self.warn_button, self.sanction_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.dismiss_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.about)
        layout.addWidget(self.reported)
        layout.addLayout(buttons)
        layout.addWidget(self.status)
        self.resize(1000, 560)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._show_current())
        self._show_current()

    def load(self) -> None:
        self.status.setText(self.tr("Reading the reports…"))
        self._ops.run(self._read).success(self._show).failure(self.status.setText)

    def _show(self, reports: list[MemberReport]) -> None:
        self.model.set_reports(reports)
        self.status.setText(self.tr("%n open reports", "", len(reports)) if reports else self.tr("No open report."))
        if reports:
            self.table.setCurrentIndex(self.model.index(0, 0))
        self._show_current()

    def current(self) -> MemberReport | None:
        index = self.table.currentIndex()
        return self.model.report(index.row()) if index.isValid() else None

    def _show_current(self) -> None:
        report = self.current()
        has_message = report is not None and report.reported_id is not None
        for button in (self.delete_button, self.warn_button, self.sanction_button):
            button.setEnabled(has_message and report is not None and report.reported_member_id is not None)
        self.delete_button.setEnabled(has_message and report is not None and not report.reported_deleted)
        self.dismiss_button.setEnabled(report is not None)
        if report is None:
            self.about.setText("")
            self.reported.clear()
            return
        about = self.tr("%1 reported %2 in %3.").replace("%1", isolate(report.reporter))
        about = about.replace("%2", isolate(report.reported_member) if report.reported_member else self.tr("a message"))
        about = about.replace("%3", isolate(report.source))
        if report.reason:
            about += " " + self.tr("Reason: %1").replace("%1", isolate(report.reason))
        self.about.setText(about)
        fill(self.reported, report.reported_text if report.reported_id is not None else "")

    def act(self, kind: ModerationKind) -> None:
        report = self.current()
        if report is None or report.reported_id is None:
            return
        if kind is ModerationKind.DELETE and report.reported_deleted:
            return
        self._moderate(report, kind, lambda _action: self._decided(report, ReportState.ACTED, kind.value))

    def dismiss(self) -> None:
        report = self.current()
        if report is not None:
            self._decided(report, ReportState.DISMISSED, "")

    def _decided(self, report: MemberReport, state: ReportState, action: str) -> None:
        decide = self._decide
        self._ops.run(lambda: decide(report, state, action)).success(lambda _: self.load()).failure(self.status.setText)
