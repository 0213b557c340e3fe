"""The moderation record: every action of a period (the app's decisions and what history holds), filterable,
exported as CSV or XLSX. Read on the database worker; names and messages are shown as plain text."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import (
    QAbstractTableModel,
    QDate,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDateEdit,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from moderator_app.domain.moderation import ModerationOrigin, RecordEntry
from moderator_app.ui.delegates import isolate
from moderator_app.ui.ops import Ops

Index = QModelIndex | QPersistentModelIndex


class RecordModel(QAbstractTableModel):
    """One row per action; the columns of the export, in the service time zone."""

    def __init__(self, timezone: ZoneInfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.timezone = timezone
        self._entries: list[RecordEntry] = []
        self._headers = [
            self.tr("Time"),
            self.tr("Source"),
            self.tr("Member"),
            self.tr("Action"),
            self.tr("Until"),
            self.tr("Guideline"),
            self.tr("Reason"),
            self.tr("By"),
            self.tr("State"),
            self.tr("Message"),
        ]

    def set_entries(self, entries: Sequence[RecordEntry]) -> None:
        self.beginResetModel()
        self._entries = list(entries)
        self.endResetModel()

    def entry(self, row: int) -> RecordEntry:
        return self._entries[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._entries)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._headers)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self._headers[section]
        return None

    def _local(self, moment: datetime | None) -> str:
        return moment.astimezone(self.timezone).strftime("%Y-%m-%d %H:%M") if moment is not None else ""

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._entries):
            return None
        e = self._entries[index.row()]
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            values = (
                self._local(e.at),
                e.source,
                e.member,
                e.kind,
                self._local(e.until),
                e.guideline,
                e.reason,
                # Done from a phone or by another admin: read from Telegram's admin log.
                self.tr("%1 (in Telegram)").replace("%1", e.by) if e.origin is ModerationOrigin.TELEGRAM else e.by,
                self.tr("failed: %1").replace("%1", e.error) if e.state == "failed" else e.state,
                e.message.replace("\n", " ") if role == Qt.ItemDataRole.DisplayRole else e.message,
            )
            return values[column]
        if role == Qt.ItemDataRole.UserRole:  # sorting: times as instants
            return e.at.timestamp() if column == 0 else self.data(index)
        return None


class ModerationRecordDialog(QDialog):
    """``read`` gives the record of [start, end) (on the database worker, through ``ops``); ``export`` writes
    the entries to a .csv or .xlsx path."""

    def __init__(
        self,
        read: Callable[[datetime, datetime], list[RecordEntry]],
        export: Callable[[list[RecordEntry], Path], int],
        timezone: ZoneInfo,
        ops: Ops,
        today: QDate,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Moderation record"))
        self.resize(1100, 560)
        self._read, self._export, self._ops, self.timezone = read, export, ops, timezone
        self.model = RecordModel(timezone, self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setFilterKeyColumn(-1)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.proxy.setSortRole(Qt.ItemDataRole.UserRole)
        self.first = QDateEdit(today.addDays(1 - today.day()))
        self.first.setCalendarPopup(True)
        self.first.setDisplayFormat("yyyy-MM-dd")
        self.first.setAccessibleName(self.tr("From"))
        self.last = QDateEdit(today)
        self.last.setCalendarPopup(True)
        self.last.setDisplayFormat("yyyy-MM-dd")
        self.last.setAccessibleName(self.tr("To (included)"))
        self.filter = QLineEdit()
        self.filter.setAccessibleName(self.tr("Filter the record"))
        self.filter.setPlaceholderText(self.tr("Filter: a name, an action, a guideline…"))
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(self.proxy.setFilterFixedString)
        show = QPushButton(self.tr("&Show"))
        show.clicked.connect(self.load)
        self.export_button = QPushButton(self.tr("&Export…"))
        self.export_button.setAccessibleName(self.tr("Export the record as CSV or XLSX"))
        self.export_button.clicked.connect(self.export)
        self.table = QTableView()
        self.table.setAccessibleName(self.tr("Moderation record"))
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.DescendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for column, width in enumerate((115, 130, 120, 100, 110, 115, 115, 150, 60)):
            self.table.setColumnWidth(column, width)
        self.status = QLabel()
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.status.setWordWrap(True)
        bar = QHBoxLayout()
        bar.addWidget(QLabel(self.tr("From")))
        bar.addWidget(self.first)
        bar.addWidget(QLabel(self.tr("to")))
        bar.addWidget(self.last)
        bar.addWidget(show)
        bar.addWidget(self.filter, 1)
        bar.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status)

    def _period(self) -> tuple[datetime, datetime]:
        first, last = self.first.date(), self.last.date()
        start = datetime(first.year(), first.month(), first.day(), tzinfo=self.timezone)
        end = datetime(last.year(), last.month(), last.day(), tzinfo=self.timezone) + timedelta(days=1)
        return start, end

    def load(self) -> None:
        start, end = self._period()
        if end <= start:
            self.status.setText(self.tr("The end of the period is before its start."))
            return
        self.status.setText(self.tr("Reading the record…"))
        read = self._read
        self._ops.run(lambda: read(start, end)).success(self._show).failure(self.status.setText)

    def _show(self, entries: list[RecordEntry]) -> None:
        self.model.set_entries(entries)
        self.status.setText(self.tr("%n action(s) in the period.", "", len(entries)))

    def export(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self,
            self.tr("Export the moderation record"),
            "moderation-record.xlsx",
            self.tr("Spreadsheet (*.xlsx);;CSV (*.csv)"),
        )
        if not path:
            return
        # What is shown: the period, and the filter if one is typed.
        rows = [self.proxy.mapToSource(self.proxy.index(r, 0)).row() for r in range(self.proxy.rowCount())]
        entries = [self.model.entry(row) for row in rows]
        entries.sort(key=lambda e: e.at)
        target = Path(path)
        export = self._export
        self._ops.run(lambda: export(entries, target)).success(
            lambda count: self.status.setText(
                self.tr("Wrote %n action(s) to %1.", "", count).replace("%1", isolate(str(target)))
            )
        ).failure(self.status.setText)
