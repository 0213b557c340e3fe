"""Moderation ▸ Welcome: for each watched group, whether members who join are welcomed (automatically or with
one click), where (in the group or privately) and with which library answer; and the recent joins with where
each welcome stands, to send the waiting ones. Read and saved on the database worker."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from moderator_app.domain.library import CannedAnswer
from moderator_app.domain.welcome import Joiner, WelcomeMode, WelcomePlace, WelcomeSetup, WelcomeState
from moderator_app.ui.ops import Ops

Index = QModelIndex | QPersistentModelIndex


class JoinersModel(QAbstractTableModel):
    def __init__(self, timezone: ZoneInfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.timezone = timezone
        self._joiners: list[Joiner] = []
        self._headers = [self.tr("Joined"), self.tr("Group"), self.tr("Member"), self.tr("Welcome")]
        self._states = {
            WelcomeState.WAITING: self.tr("waiting"),
            WelcomeState.QUEUED: self.tr("being sent"),
            WelcomeState.SENT: self.tr("sent"),
            WelcomeState.FAILED: self.tr("not delivered"),
        }

    def set_joiners(self, joiners: list[Joiner]) -> None:
        self.beginResetModel()
        self._joiners = joiners
        self.endResetModel()

    def joiner(self, row: int) -> Joiner:
        return self._joiners[row]

    @property
    def joiners(self) -> Sequence[Joiner]:
        return self._joiners

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._joiners)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._headers)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole and 0 <= section < 4:
            return self._headers[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._joiners):
            return None
        joiner = self._joiners[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            if index.column() == 0:
                return "\u2066" + joiner.at.astimezone(self.timezone).strftime("%d %b %H:%M") + "\u2069"
            if index.column() == 3:
                state = self._states[joiner.state]
                # Why it did not reach them, in the connector's sentence (privacy settings, most often).
                return f"{state}: {joiner.error}" if joiner.state is WelcomeState.FAILED and joiner.error else state
            return (joiner.source, joiner.member)[index.column() - 1]
        return None


class WelcomeDialog(QDialog):
    """``read()`` gives (setups, welcome answers, joiners); ``save(setups)`` stores the setups (ValueError when
    one is on without an answer); ``welcome(event_ids)`` queues the welcomes of those joins."""

    def __init__(
        self,
        groups: Sequence[tuple[int, str]],
        read: Callable[[], tuple[dict[int, WelcomeSetup], list[CannedAnswer], list[Joiner]]],
        save: Callable[[list[WelcomeSetup]], object],
        welcome: Callable[[list[int]], int],
        timezone: ZoneInfo,
        ops: Ops,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Welcome messages"))
        self._groups, self._read, self._save, self._welcome, self._ops = list(groups), read, save, welcome, ops
        self.rows: dict[int, tuple[QComboBox, QComboBox, QComboBox]] = {}
        grid = QGridLayout()
        for column, title in enumerate((self.tr("Group"), self.tr("Welcome"), self.tr("Where"), self.tr("Message"))):
            header = QLabel(title)
            font = header.font()
            font.setBold(True)
            header.setFont(font)
            grid.addWidget(header, 0, column)
        for row, (source_id, name) in enumerate(self._groups, start=1):
            label = QLabel(name)
            label.setTextFormat(Qt.TextFormat.PlainText)
            mode = QComboBox()
            mode.setAccessibleName(self.tr("Welcome in %1").replace("%1", name))
            for value, text in (
                (WelcomeMode.OFF, self.tr("Off")),
                (WelcomeMode.AUTOMATIC, self.tr("Automatically")),
                (WelcomeMode.ONE_CLICK, self.tr("With one click")),
            ):
                mode.addItem(text, value)
            place = QComboBox()
            place.setAccessibleName(self.tr("Where to welcome in %1").replace("%1", name))
            place.addItem(self.tr("In the group"), WelcomePlace.GROUP)
            place.addItem(self.tr("Privately"), WelcomePlace.PRIVATE)
            answer = QComboBox()
            answer.setAccessibleName(self.tr("Welcome message for %1").replace("%1", name))
            for column, widget in enumerate((label, mode, place, answer)):
                grid.addWidget(widget, row, column)
            self.rows[source_id] = (mode, place, answer)
        grid.setColumnStretch(3, 1)
        self.limits = QLabel(
            self.tr(
                "Telegram's limits: a private welcome reaches only members whose privacy settings accept messages "
                "from accounts they have not written to; the others are listed as not delivered, with the reason. "
                "A welcome in the group is seen by everyone in it. The welcome is in the member's language when the "
                "log knows it (an earlier question), else in the group's. Write the welcomes in Library ▸ Canned "
                "answers with the topic “welcome”; they can link the guidelines."
            )
        )
        self.limits.setWordWrap(True)
        self.save_button = QPushButton(self.tr("&Save"))
        self.save_button.clicked.connect(self.save)
        self.model = JoinersModel(timezone, self)
        self.table = QTableView()
        self.table.setAccessibleName(self.tr("Members who joined"))
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        for column, width in enumerate((110, 180, 180)):
            self.table.setColumnWidth(column, width)
        self.welcome_selected = QPushButton(self.tr("Welcome the &selected"))
        self.welcome_selected.clicked.connect(lambda: self.send(self._selected()))
        self.welcome_all = QPushButton(self.tr("Welcome &all waiting"))
        self.welcome_all.clicked.connect(
            lambda: self.send([j.event_id for j in self.model.joiners if j.state is WelcomeState.WAITING])
        )
        self.status = QLabel()
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.status.setWordWrap(True)
        save_row = QHBoxLayout()
        save_row.addStretch(1)
        save_row.addWidget(self.save_button)
        send_row = QHBoxLayout()
        send_row.addWidget(self.welcome_selected)
        send_row.addWidget(self.welcome_all)
        send_row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(grid)
        layout.addWidget(self.limits)
        layout.addLayout(save_row)
        layout.addWidget(QLabel(self.tr("Members who joined in the last week:")))
        layout.addWidget(self.table, 1)
        layout.addLayout(send_row)
        layout.addWidget(self.status)
        self.resize(900, 600)

    def load(self) -> None:
        self.status.setText(self.tr("Reading…"))
        self._ops.run(self._read).success(self._show).failure(self.status.setText)

    def _show(self, read: tuple[dict[int, WelcomeSetup], list[CannedAnswer], list[Joiner]]) -> None:
        setups, answers, joiners = read
        for source_id, (mode, place, answer) in self.rows.items():
            setup = setups.get(source_id, WelcomeSetup(source_id))
            mode.setCurrentIndex(max(0, mode.findData(setup.mode)))
            place.setCurrentIndex(max(0, place.findData(setup.place)))
            answer.clear()
            answer.addItem(self.tr("(choose a welcome)"), None)
            for canned in answers:
                answer.addItem(canned.title, canned.id)
            answer.setCurrentIndex(max(0, answer.findData(setup.answer_id)))
        self.model.set_joiners(joiners)
        waiting = sum(1 for j in joiners if j.state is WelcomeState.WAITING)
        self.welcome_all.setEnabled(waiting > 0)
        self.status.setText(
            "" if answers else self.tr("No welcome yet: write one in the library with the topic “welcome”.")
        )

    def setups(self) -> list[WelcomeSetup]:
        return [
            WelcomeSetup(
                source_id, WelcomeMode(mode.currentData()), WelcomePlace(place.currentData()), answer.currentData()
            )
            for source_id, (mode, place, answer) in self.rows.items()
        ]

    def save(self) -> None:
        setups, save = self.setups(), self._save
        self._ops.run(lambda: save(setups)).success(lambda _: self._saved()).failure(self.status.setText)

    def _saved(self) -> None:
        self.status.setText(self.tr("Saved. Members who join from now on are welcomed as set."))
        self.load()

    def _selected(self) -> list[int]:
        rows = {index.row() for index in self.table.selectionModel().selectedRows()}
        return [self.model.joiner(row).event_id for row in sorted(rows)]

    def send(self, event_ids: list[int]) -> None:
        if not event_ids:
            return
        welcome = self._welcome
        self._ops.run(lambda: welcome(event_ids)).success(self._sent).failure(self.status.setText)

    def _sent(self, count: int) -> None:
        self.status.setText(self.tr("%n welcomes queued.", "", count))
        self.load()
