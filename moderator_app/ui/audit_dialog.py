"""The audit record, read only: logins, exports, settings changes and retention runs of a period, each with the
profile on duty and the time. Read on the database worker; what it shows is plain text (a path or a group's
name is whatever someone typed)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
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
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from moderator_app.domain.audit import AuditAction, AuditEntry, describe_detail
from moderator_app.ui.delegates import DirectionDelegate
from moderator_app.ui.ops import Ops

Index = QModelIndex | QPersistentModelIndex


def action_label(action: str) -> str:
    """The stored action in the reader's words (an action of a later version: as stored)."""
    labels: dict[str, str] = {
        AuditAction.ON_DUTY: QCoreApplication.translate("AuditModel", "On duty"),
        AuditAction.TELEGRAM_LOGIN: QCoreApplication.translate("AuditModel", "Telegram login"),
        AuditAction.TELEGRAM_LOGOUT: QCoreApplication.translate("AuditModel", "Telegram logout"),
        AuditAction.EXPORT: QCoreApplication.translate("AuditModel", "Export"),
        AuditAction.IMPORT: QCoreApplication.translate("AuditModel", "Import"),
        AuditAction.SETTING: QCoreApplication.translate("AuditModel", "Setting changed"),
        AuditAction.PROFILE: QCoreApplication.translate("AuditModel", "Profile added"),
        AuditAction.RETENTION: QCoreApplication.translate("AuditModel", "Retention run"),
    }
    return labels.get(action, action)


class AuditModel(QAbstractTableModel):
    """One row per event: when (service time zone), who, what, the details."""

    def __init__(self, timezone: ZoneInfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.timezone = timezone
        self._entries: list[AuditEntry] = []
        self._headers = [self.tr("Time"), self.tr("Profile"), self.tr("What"), self.tr("Details")]

    def set_entries(self, entries: Sequence[AuditEntry]) -> None:
        self.beginResetModel()
        self._entries = list(entries)
        self.endResetModel()

    def entry(self, row: int) -> AuditEntry:
        return self._entries[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._entries)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._headers)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self._headers[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._entries):
            return None
        entry = self._entries[index.row()]
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
            values = (
                entry.at.astimezone(self.timezone).strftime("%Y-%m-%d %H:%M"),
                entry.profile or self.tr("(nobody on duty)"),
                action_label(entry.action),
                describe_detail(entry.detail),
            )
            return values[column]
        if role == Qt.ItemDataRole.UserRole:  # sorting: times as instants
            return entry.at.timestamp() if column == 0 else self.data(index)
        return None


class AuditDialog(QDialog):
    """``read`` gives the events of [start, end) (on the database worker, through ``ops``). Nothing here
    changes the record: there is no edit, no delete, no export that would itself need recording."""

    def __init__(
        self,
        read: Callable[[datetime, datetime], list[AuditEntry]],
        timezone: ZoneInfo,
        ops: Ops,
        today: QDate,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Audit record"))
        self.resize(1000, 520)
        self._read, self._ops, self.timezone = read, ops, timezone
        self.model = AuditModel(timezone, self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setFilterKeyColumn(-1)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.proxy.setSortRole(Qt.ItemDataRole.UserRole)
        self.about = QLabel(
            self.tr(
                "Who logged in, exported, changed a setting or ran retention, and when. The record is kept in "
                "the log and cannot be changed here."
            )
        )
        self.about.setWordWrap(True)
        self.first = QDateEdit(today.addDays(1 - today.day()))
        self.first.setCalendarPopup(True)
        self.first.setDisplayFormat("yyyy-MM-dd")
        self.first.setAccessibleName(self.tr("From"))
        self.last = QDateEdit(today)
        self.last.setCalendarPopup(True)
        self.last.setDisplayFormat("yyyy-MM-dd")
        self.last.setAccessibleName(self.tr("To (included)"))
        from_label = QLabel(self.tr("&From"))
        from_label.setBuddy(self.first)
        to_label = QLabel(self.tr("&to"))
        to_label.setBuddy(self.last)
        self.show_button = QPushButton(self.tr("&Show"))
        self.show_button.setAccessibleName(self.tr("Show the period"))
        self.show_button.clicked.connect(self.load)
        self.filter = QLineEdit()
        self.filter.setAccessibleName(self.tr("Filter the audit record"))
        self.filter.setPlaceholderText(self.tr("Filter: a name, an action, a file…"))
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(self.proxy.setFilterFixedString)
        self.table = QTableView()
        self.table.setAccessibleName(self.tr("Audit record"))
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.DescendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.setItemDelegate(DirectionDelegate(self.table))  # a path or a name in its own direction
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for column, width in enumerate((125, 160, 130)):
            self.table.setColumnWidth(column, width)
        self.status = QLabel()
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.status.setWordWrap(True)
        self.status.setAccessibleName(self.tr("Audit record status"))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        bar = QHBoxLayout()  # laid out from the reading side: mirrored in a right-to-left window
        bar.addWidget(from_label)
        bar.addWidget(self.first)
        bar.addWidget(to_label)
        bar.addWidget(self.last)
        bar.addWidget(self.show_button)
        bar.addWidget(self.filter, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.about)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.status, 1)
        bottom.addWidget(buttons)
        layout.addLayout(bottom)

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
        self.status.setText(self.tr("Reading the audit record…"))
        read = self._read
        self._ops.run(lambda: read(start, end)).success(self._show).failure(self.status.setText)

    def _show(self, entries: list[AuditEntry]) -> None:
        self.model.set_entries(entries)
        self.status.setText(self.tr("%n event(s) in the period.", "", len(entries)))
