"""Moderation ▸ Join requests: who asked to join which group, with their profile and bio (a stranger's words:
shown as text); send the organization's join questions privately; approve or decline, one by one or all.
Decisions go through the connector's outbox; read and queued on the database worker."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import (
    QAbstractTableModel,
    QItemSelection,
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    QTimer,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from moderator_app.domain.join_requests import UNDECIDED, JoinRequest, RequestState
from moderator_app.ui.delegates import DirectionDelegate, isolate
from moderator_app.ui.ops import Ops
from moderator_app.ui.people import fill

Index = QModelIndex | QPersistentModelIndex
COLUMNS = 6
#: While the window is open, the queue is read again this often (requests handled on a phone, or by a
#: connector running on another machine, announce nothing to this window).
REFRESH_MS = 30_000


class JoinRequestsModel(QAbstractTableModel):
    def __init__(self, timezone: ZoneInfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.timezone = timezone
        self._requests: list[JoinRequest] = []
        self._headers = [
            self.tr("Asked"),
            self.tr("Group"),
            self.tr("Name"),
            self.tr("Username"),
            self.tr("Bio"),
            self.tr("State"),
        ]
        self._states = {
            RequestState.PENDING: self.tr("waiting"),
            RequestState.APPROVING: self.tr("approving…"),
            RequestState.DECLINING: self.tr("declining…"),
            RequestState.APPROVED: self.tr("approved"),
            RequestState.DECLINED: self.tr("declined"),
            RequestState.GONE: self.tr("no longer pending"),
        }

    def set_requests(self, requests: list[JoinRequest]) -> None:
        self.beginResetModel()
        self._requests = requests
        self.endResetModel()

    def request(self, row: int) -> JoinRequest:
        return self._requests[row]

    @property
    def requests(self) -> list[JoinRequest]:
        return self._requests

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._requests)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else COLUMNS

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole and 0 <= section < COLUMNS:
            return self._headers[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._requests):
            return None
        request = self._requests[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return "\u2066" + request.requested_at.astimezone(self.timezone).strftime("%d %b %H:%M") + "\u2069"
            if column == 5:
                state = self._states[request.state]
                return f"{state} — {request.error}" if request.error else state
            return (
                request.source,
                request.name,
                f"\u2066@{request.username}\u2069" if request.username else "",  # "@name", also right to left
                request.about.split("\n", 1)[0][:120],
            )[column - 1]
        if role == Qt.ItemDataRole.ToolTipRole and column == 5 and request.error:  # our sentence, never theirs
            return self.data(index)
        if role == Qt.ItemDataRole.UserRole:  # sorting
            return request.requested_at.timestamp() if column == 0 else self.data(index)
        return None


class JoinRequestsDialog(QDialog):
    """``read()`` the requests still to decide; ``decide(ids, approve)`` and ``questions(ids)`` queue on the
    database worker and return how many were queued."""

    def __init__(
        self,
        read: Callable[[], list[JoinRequest]],
        decide: Callable[[list[int], bool], int],
        questions: Callable[[list[int]], int],
        timezone: ZoneInfo,
        ops: Ops,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Join requests"))
        self._read, self._decide, self._questions, self._ops = read, decide, questions, ops
        self.model = JoinRequestsModel(timezone, self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(Qt.ItemDataRole.UserRole)
        self.table = QTableView()
        self.table.setAccessibleName(self.tr("Join requests"))
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.DescendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.setItemDelegate(DirectionDelegate(self.table))  # each name and bio in its own direction
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for column, width in enumerate((100, 150, 150, 110, 260)):
            self.table.setColumnWidth(column, width)
        self.profile = QLabel()
        self.profile.setTextFormat(Qt.TextFormat.PlainText)
        self.profile.setWordWrap(True)
        self.bio = QTextEdit()
        self.bio.setReadOnly(True)
        self.bio.setAcceptRichText(False)
        self.bio.setAccessibleName(self.tr("The applicant's bio"))
        self.bio.setMaximumHeight(110)
        self.approve_button = QPushButton(self.tr("&Approve"))
        self.decline_button = QPushButton(self.tr("&Decline"))
        self.questions_button = QPushButton(self.tr("Send the join &questions"))
        # Isolated, so a right-to-left window does not move an English label's "…" to its start ("…Approve all").
        self.approve_all = QPushButton(isolate(self.tr("Approve a&ll…")))
        self.decline_all = QPushButton(isolate(self.tr("Decline all…")))
        for button, name in (
            (self.approve_button, self.tr("Approve the selected requests")),
            (self.decline_button, self.tr("Decline the selected requests")),
            (self.questions_button, self.tr("Send the join questions privately to the selected applicants")),
            (self.approve_all, self.tr("Approve every waiting request")),
            (self.decline_all, self.tr("Decline every waiting request")),
        ):
            button.setAccessibleName(name)
        self.approve_button.clicked.connect(lambda: self.decide(self.selected(), True))
        self.decline_button.clicked.connect(lambda: self.decide(self.selected(), False))
        self.questions_button.clicked.connect(lambda: self.send_questions(self.selected()))
        self.approve_all.clicked.connect(lambda: self.decide_all(True))
        self.decline_all.clicked.connect(lambda: self.decide_all(False))
        self.status = QLabel()
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.status.setWordWrap(True)
        self.status.setAccessibleName(self.tr("Join requests status"))
        # Decisions wait in the outbox while Telegram is not connected: said, so nobody clicks twice.
        self.offline = QLabel(
            self.tr(
                "Telegram is not connected: approvals, refusals and join questions wait in the outbox and are sent "
                "when the connection is back."
            )
        )
        self.offline.setTextFormat(Qt.TextFormat.PlainText)
        self.offline.setWordWrap(True)
        self.offline.setAccessibleName(self.tr("Connection"))
        self.offline.setStyleSheet("QLabel { background: #fff3cd; border: 1px solid #e0c36a; padding: 4px; }")
        self.offline.hide()
        note = QLabel(
            self.tr(
                "An approved member joins the group (counted as a join). The join questions go privately: Telegram "
                "delivers them only if the applicant's privacy settings accept messages from accounts they have "
                "not written to; if not, the request says so."
            )
        )
        note.setWordWrap(True)
        row = QHBoxLayout()
        for button in (self.approve_button, self.decline_button, self.questions_button):
            row.addWidget(button)
        row.addStretch(1)
        row.addWidget(self.approve_all)
        row.addWidget(self.decline_all)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.profile)
        layout.addWidget(self.bio)
        layout.addLayout(row)
        layout.addWidget(note)
        layout.addWidget(self.offline)
        layout.addWidget(self.status)
        self.resize(1000, 580)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._show_current())
        self._show_current()
        self._loaded = False
        self._closed = False  # a read under way when the window closes (and is deleted) is dropped
        self.finished.connect(self._closing)
        self._refresh = QTimer(self)
        self._refresh.setInterval(REFRESH_MS)
        self._refresh.timeout.connect(self.load)
        self._refresh.start()

    def _closing(self) -> None:
        self._closed = True
        self._refresh.stop()

    def _said(self, sentence: str) -> None:
        if not self._closed:
            self.status.setText(sentence)

    def set_connected(self, connected: bool) -> None:
        """The main window's connection state: while not connected, the note says decisions wait."""
        self.offline.setVisible(not connected)

    def load(self) -> None:
        """Read the queue again (on the database worker); the selection is kept, by request."""
        if self._closed:
            return
        if not self._loaded:
            self.status.setText(self.tr("Reading the requests…"))
        self._ops.run(self._read).success(self._show).failure(self._said)

    def _show(self, requests: list[JoinRequest]) -> None:
        if self._closed:
            return
        self._loaded = True
        chosen = {
            self.model.request(self.proxy.mapToSource(i).row()).id for i in self.table.selectionModel().selectedRows()
        }
        current = self.table.currentIndex()
        current_id = self.model.request(self.proxy.mapToSource(current).row()).id if current.isValid() else None
        self.model.set_requests(requests)
        self._reselect(chosen, current_id)
        waiting = sum(1 for r in requests if r.state in UNDECIDED)
        self.status.setText(self.tr("%n requests waiting", "", waiting) if waiting else self.tr("No request waiting."))
        for button in (self.approve_all, self.decline_all):
            button.setEnabled(waiting > 0)
        self._show_current()

    def _reselect(self, chosen: set[int], current_id: int | None) -> None:
        """The rows selected before a reload, selected again (a refresh must not drop a moderator's choice)."""
        selection = QItemSelection()
        for row, request in enumerate(self.model.requests):
            if request.id in chosen:
                first = self.proxy.mapFromSource(self.model.index(row, 0))
                selection.select(first, first.siblingAtColumn(COLUMNS - 1))
            if request.id == current_id:
                self.table.selectionModel().setCurrentIndex(
                    self.proxy.mapFromSource(self.model.index(row, 0)), QItemSelectionModel.SelectionFlag.NoUpdate
                )
        if not selection.isEmpty():
            self.table.selectionModel().select(selection, QItemSelectionModel.SelectionFlag.ClearAndSelect)

    def selected(self) -> list[int]:
        rows = {self.proxy.mapToSource(i).row() for i in self.table.selectionModel().selectedRows()}
        return [self.model.request(r).id for r in sorted(rows) if self.model.request(r).state in UNDECIDED]

    def _show_current(self) -> None:
        rows = [self.proxy.mapToSource(i).row() for i in self.table.selectionModel().selectedRows()]
        chosen = [self.model.request(r) for r in rows]
        undecided = [r for r in chosen if r.state in UNDECIDED]
        for button in (self.approve_button, self.decline_button):
            button.setEnabled(bool(undecided))
        self.questions_button.setEnabled(any(not r.questions_sent for r in undecided))
        if len(chosen) != 1:
            self.profile.setText("")
            self.bio.clear()
            return
        request = chosen[0]
        parts = [isolate(request.name)]
        if request.username:
            parts.append(isolate("@" + request.username))
        parts.append(self.tr("Telegram id %1").replace("%1", str(request.user_id)))
        parts.append(self.tr("asks to join %1").replace("%1", isolate(request.source)))
        if request.questions_sent:
            parts.append(self.tr("join questions sent"))
        text = " · ".join(parts)
        if request.error:  # why it was not done, in full (the table's cell is cut)
            text += "\n" + request.error
        self.profile.setText(text)
        fill(self.bio, request.about or self.tr("(no bio)"))

    def decide(self, ids: list[int], approve: bool) -> None:
        if not ids:
            return
        decide = self._decide
        self._ops.run(lambda: decide(ids, approve)).success(lambda _: self.load()).failure(self._said)

    def decide_all(self, approve: bool) -> None:
        ids = [r.id for r in self.model.requests if r.state in UNDECIDED]
        if not ids:
            return
        question = (
            self.tr("Approve all %n waiting requests? They join the groups at once.", "", len(ids))
            if approve
            else self.tr("Decline all %n waiting requests?", "", len(ids))
        )
        if QMessageBox.question(self, self.tr("Join requests"), question) == QMessageBox.StandardButton.Yes:
            self.decide(ids, approve)

    def send_questions(self, ids: list[int]) -> None:
        if not ids:
            return
        questions = self._questions
        self._ops.run(lambda: questions(ids)).success(lambda _: self.load()).failure(self._said)
