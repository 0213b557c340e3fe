"""Moderation ▸ People: the members of every source (or one), searchable in any script, and a member opened:
where they are and how they came, their inquiries, their latest messages, the moderation record about them and
the moderators' notes; warn, mute, remove or ban them from here. Read on the database worker; everything a
member wrote is shown as plain text."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import (
    QAbstractTableModel,
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    QTimer,
)
from PySide6.QtGui import QTextBlockFormat, QTextCursor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from moderator_app.domain.conversation import PreviousInquiry
from moderator_app.domain.inquiries import InquiryState
from moderator_app.domain.moderation import ModerationKind
from moderator_app.domain.people import MemberNote, Membership, PersonDetail, PersonRow
from moderator_app.domain.text import normalize
from moderator_app.ui.delegates import isolate
from moderator_app.ui.ops import Ops

Index = QModelIndex | QPersistentModelIndex

#: Sorted by this role: numbers as numbers, instants as instants (an empty one last).
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
COLUMNS = 9
NAME, USERNAME, SOURCES, JOINED, LAST_ACTIVE, MESSAGES, INQUIRIES, WARNINGS, NOTES = range(COLUMNS)


def fill(view: QTextEdit, text: str) -> None:
    """``text`` as plain text (inserted as text: never read as markup), each line laid out in the direction
    of its own words: a Farsi message reads from the right under an English date line."""
    view.clear()
    cursor = view.textCursor()
    for number, line in enumerate(text.split("\n")):
        block = QTextBlockFormat()
        if _starts_right_to_left(line):
            block.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
            block.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignAbsolute)
        if number:
            cursor.insertBlock(block)
        else:
            cursor.setBlockFormat(block)
        cursor.insertText(line)
    view.moveCursor(QTextCursor.MoveOperation.Start)


def _starts_right_to_left(line: str) -> bool:
    for char in line:
        kind = unicodedata.bidirectional(char)
        if kind in ("R", "AL"):
            return True
        if kind == "L":
            return False
    return False


class PeopleModel(QAbstractTableModel):
    def __init__(self, timezone: ZoneInfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.timezone = timezone
        self._rows: list[PersonRow] = []
        self._headers = [
            self.tr("Name"),
            self.tr("Username"),
            self.tr("Sources"),
            self.tr("Joined"),
            self.tr("Last active"),
            self.tr("Messages"),
            self.tr("Inquiries"),
            self.tr("Warnings"),
            self.tr("Notes"),
        ]
        self._ways = {
            "link": self.tr("by link"),
            "request": self.tr("by request"),
            "invite": self.tr("added"),
            "joined": self.tr("joined"),
        }

    def set_rows(self, rows: list[PersonRow]) -> None:
        self.beginResetModel()
        self._rows = rows
        self.endResetModel()

    def row(self, index: int) -> PersonRow:
        return self._rows[index]

    def row_of(self, member_id: int) -> int | None:
        return next((i for i, r in enumerate(self._rows) if r.member_id == member_id), None)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else COLUMNS

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole and 0 <= section < COLUMNS:
            return self._headers[section]
        return None

    def day(self, at: datetime | None) -> str:
        # Isolated left to right: in a right-to-left window "05 Dec 2026" must not read "Dec 2026 05".
        return "" if at is None else "\u2066" + at.astimezone(self.timezone).strftime("%d %b %Y") + "\u2069"

    def joined(self, row: PersonRow) -> str:
        if row.joined_at is None:
            return ""
        if row.left is not None:
            return (self.tr("removed after %1") if row.left == "removed" else self.tr("left after %1")).replace(
                "%1", self.day(row.joined_at)
            )
        if row.joined_via is None:
            return self.tr("seen %1").replace("%1", self.day(row.joined_at))
        way = self._ways.get(row.joined_via, row.joined_via)
        return f"{self.day(row.joined_at)} ({way})"

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row, column = self._rows[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return (
                row.name,
                f"\u2066@{row.username}\u2069" if row.username else "",  # "@name", also right to left
                ", ".join(row.sources),
                self.joined(row),
                self.day(row.last_active),
                row.messages,
                row.inquiries,
                row.warnings,
                row.notes,
            )[column]
        if role == SORT_ROLE:
            return (
                row.name.casefold(),
                (row.username or "").casefold(),
                ", ".join(row.sources).casefold(),
                row.joined_at.timestamp() if row.joined_at is not None else 0.0,
                row.last_active.timestamp() if row.last_active is not None else 0.0,
                row.messages,
                row.inquiries,
                row.warnings,
                row.notes,
            )[column]
        if role == Qt.ItemDataRole.TextAlignmentRole and column >= MESSAGES:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole and column == NAME:
            return self.tr("Telegram id %1").replace("%1", str(row.telegram_id))
        return None


class PeopleProxy(QSortFilterProxyModel):
    """The search, folded as the log's search folds text: any script, any case."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._folded = ""
        self.setSortRole(SORT_ROLE)

    def set_search(self, text: str) -> None:
        self.beginFilterChange()
        self._folded = normalize(text.strip())
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        model = self.sourceModel()
        assert isinstance(model, PeopleModel)
        return model.row(source_row).matches(self._folded)


class PeopleDialog(QDialog):
    """``read(source_id)`` the rows, ``open_member(member_id)`` a member, ``add_note(member_id, text)`` a note:
    on the database worker through ``ops``. ``moderate(detail, membership, kind)`` opens the moderation
    dialog for the member in that source (the main window's, which knows who is on duty)."""

    def __init__(
        self,
        read: Callable[[int | None], list[PersonRow]],
        open_member: Callable[[int], PersonDetail | None],
        add_note: Callable[[int, str], MemberNote],
        moderate: Callable[[PersonDetail, Membership, ModerationKind], None],
        sources: Sequence[tuple[int, str]],
        timezone: ZoneInfo,
        ops: Ops,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("People"))
        self._read, self._open, self._add_note, self._moderate = read, open_member, add_note, moderate
        self._ops = ops
        self.timezone = timezone
        self.detail: PersonDetail | None = None

        self.source_box = QComboBox()
        self.source_box.setAccessibleName(self.tr("Source"))
        self.source_box.addItem(self.tr("All sources"), None)
        for source_id, name in sources:
            self.source_box.addItem(name, source_id)
        self.search = QLineEdit()
        self.search.setAccessibleName(self.tr("Search people"))
        self.search.setPlaceholderText(self.tr("Name, @username or Telegram id, in any script"))
        self.search.setClearButtonEnabled(True)
        self.count = QLabel()
        self.count.setTextFormat(Qt.TextFormat.PlainText)
        self.model = PeopleModel(timezone, self)
        self.proxy = PeopleProxy(self)
        self.proxy.setSourceModel(self.model)
        self.table = QTableView()
        self.table.setAccessibleName(self.tr("People"))
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(LAST_ACTIVE, Qt.SortOrder.DescendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for column, width in enumerate((130, 90, 120, 115, 85, 70, 62, 68, 48)):
            self.table.setColumnWidth(column, width)

        # The member opened.
        self.title = QLabel()
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        self.title.setWordWrap(True)
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        self.memberships = QLabel()
        self.memberships.setTextFormat(Qt.TextFormat.PlainText)
        self.memberships.setWordWrap(True)
        self.in_source = QComboBox()
        self.in_source.setAccessibleName(self.tr("Act in the source"))
        self.warn_button = QPushButton(self.tr("&Warn…"))
        self.warn_button.setAccessibleName(self.tr("Warn this member"))
        self.warn_button.clicked.connect(lambda: self._act(ModerationKind.WARN))
        self.sanction_button = QPushButton(self.tr("&Mute, remove or ban…"))
        self.sanction_button.setAccessibleName(self.tr("Mute, remove or ban this member"))
        self.sanction_button.clicked.connect(lambda: self._act(ModerationKind.MUTE))
        acts = QHBoxLayout()
        in_caption = QLabel(self.tr("&In:"))
        in_caption.setBuddy(self.in_source)
        acts.addWidget(in_caption)
        acts.addWidget(self.in_source, 1)
        acts.addWidget(self.warn_button)
        acts.addWidget(self.sanction_button)
        self.tabs = QTabWidget()
        self.inquiries = self._text_view(self.tr("Their inquiries"))
        self.messages = self._text_view(self.tr("Their latest messages"))
        self.record = self._text_view(self.tr("The moderation record about them"))
        self.notes = self._text_view(self.tr("Notes by moderators"))
        self.note_edit = QLineEdit()
        self.note_edit.setAccessibleName(self.tr("New note"))
        self.note_edit.setPlaceholderText(self.tr("A note for the other moderators (kept with your name)"))
        self.note_button = QPushButton(self.tr("Add &note"))
        self.note_button.clicked.connect(self.add_note)
        self.note_edit.returnPressed.connect(self.add_note)
        notes_page = QWidget()
        notes_layout = QVBoxLayout(notes_page)
        notes_layout.setContentsMargins(0, 0, 0, 0)
        notes_layout.addWidget(self.notes, 1)
        note_row = QHBoxLayout()
        note_row.addWidget(self.note_edit, 1)
        note_row.addWidget(self.note_button)
        notes_layout.addLayout(note_row)
        self.tabs.addTab(self.inquiries, self.tr("Inquiries"))
        self.tabs.addTab(self.messages, self.tr("Messages"))
        self.tabs.addTab(self.record, self.tr("Moderation"))
        self.tabs.addTab(notes_page, self.tr("Notes"))
        self.pane = QWidget()
        pane = QVBoxLayout(self.pane)
        pane.addWidget(self.title)
        pane.addWidget(self.memberships)
        pane.addLayout(acts)
        pane.addWidget(self.tabs, 1)
        self.pane.setEnabled(False)

        self.status = QLabel()
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.status.setWordWrap(True)
        bar = QHBoxLayout()
        for caption_text, widget in ((self.tr("S&ource:"), self.source_box), (self.tr("&Search:"), self.search)):
            caption = QLabel(caption_text)
            caption.setBuddy(widget)
            bar.addWidget(caption)
            bar.addWidget(widget, 1)
        bar.addWidget(self.count)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addLayout(bar)
        left_layout.addWidget(self.table, 1)
        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(self.pane)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([800, 480])
        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.status)
        self.resize(1300, 700)

        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(150)
        self._search_timer.timeout.connect(self._apply_search)
        self.search.textChanged.connect(lambda _: self._search_timer.start())
        self.source_box.currentIndexChanged.connect(lambda _: self.load())
        self.table.selectionModel().currentRowChanged.connect(self._selected)

    def _text_view(self, name: str) -> QTextEdit:
        # A QTextEdit, not a QPlainTextEdit: only it lays a block out right to left. Text goes in through
        # fill() as plain text.
        view = QTextEdit()
        view.setReadOnly(True)
        view.setAcceptRichText(False)
        view.setAccessibleName(name)
        return view

    # -- the list ------------------------------------------------------------------------------------------
    def load(self) -> None:
        self.status.setText(self.tr("Reading the members…"))
        source_id = self.source_box.currentData()
        read = self._read
        self._ops.run(lambda: read(source_id)).success(self._show_rows).failure(self.status.setText)

    def _show_rows(self, rows: list[PersonRow]) -> None:
        keep = self.detail.row.member_id if self.detail is not None else None
        self.model.set_rows(rows)
        self.status.setText("")
        self._update_count()
        if keep is not None:
            self.select_member(keep)

    def _apply_search(self) -> None:
        self.proxy.set_search(self.search.text())
        self._update_count()

    def _update_count(self) -> None:
        self.count.setText(self.tr("%n members", "", self.proxy.rowCount()))

    def select_member(self, member_id: int) -> None:
        row = self.model.row_of(member_id)
        if row is None:
            return
        index = self.proxy.mapFromSource(self.model.index(row, 0))
        if index.isValid():
            # (Not selectRow: in a right-to-left window it looks for a column at the table's empty edge.)
            self.table.selectionModel().setCurrentIndex(
                index,
                QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
            )
            self.table.scrollTo(index)

    def _selected(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not current.isValid():
            return
        member_id = self.model.row(self.proxy.mapToSource(current).row()).member_id
        opened = self._open
        self._ops.run(lambda: opened(member_id)).success(self.show_detail).failure(self.status.setText)

    # -- the member opened -----------------------------------------------------------------------------------
    def show_detail(self, detail: PersonDetail | None) -> None:
        self.detail = detail
        self.pane.setEnabled(detail is not None)
        if detail is None:
            self.title.setText(self.tr("This member is no longer in the log."))
            return
        row = detail.row
        parts = [isolate(row.name)]
        if row.username:
            parts.append(isolate("@" + row.username))
        parts.append(self.tr("Telegram id %1").replace("%1", str(row.telegram_id)))
        self.title.setText(" · ".join(parts))
        self.memberships.setText("\n".join(self._membership_line(m) for m in detail.memberships))
        self.in_source.clear()
        for membership in detail.memberships:
            if not membership.private:
                self.in_source.addItem(membership.source, membership.source_id)
        groups = self.in_source.count() > 0
        for widget in (self.in_source, self.warn_button, self.sanction_button):
            widget.setEnabled(groups)
        fill(self.inquiries, "\n".join(self._inquiry_line(i) for i in detail.inquiries) or self.tr("None."))
        fill(
            self.messages,
            "\n\n".join(
                f"{self._when(m.at)} · {isolate(m.source)}"
                + (" · " + self.tr("deleted") if m.deleted else "")
                + "\n"
                + (m.text or f"[{m.media_kind or '…'}]")
                for m in detail.messages
            )
            or self.tr("None."),
        )
        fill(
            self.record,
            "\n".join(
                " · ".join(
                    part
                    for part in (
                        self._when(e.at),
                        isolate(e.source),
                        e.kind,
                        isolate(e.guideline) if e.guideline else "",
                        isolate(e.reason) if e.reason else "",
                        self.tr("by %1").replace("%1", isolate(e.by)) if e.by else "",
                        e.state,
                    )
                    if part
                )
                for e in detail.record
            )
            or self.tr("Nothing on record."),
        )
        self._show_notes(detail.notes)

    def _show_notes(self, notes: Sequence[MemberNote]) -> None:
        fill(
            self.notes,
            "\n\n".join(
                f"{self._when(n.at)} · {isolate(n.author) if n.author else self.tr('(nobody on duty)')}\n{n.text}"
                for n in notes
            )
            or self.tr("No notes yet."),
        )

    def _when(self, at: datetime) -> str:
        return "\u2066" + at.astimezone(self.timezone).strftime("%d %b %Y %H:%M") + "\u2069"

    def _membership_line(self, membership: Membership) -> str:
        source = isolate(membership.source)
        if membership.private:
            return self.tr("%1: private chat").replace("%1", source)
        if membership.left_at is not None:
            text = self.tr("%1: removed on %2") if membership.removed else self.tr("%1: left on %2")
            return text.replace("%1", source).replace("%2", self.model.day(membership.left_at))
        if membership.joined_at is None:
            return self.tr("%1: no join on record").replace("%1", source)
        if membership.joined_via is None:
            text = self.tr("%1: first seen %2")
        else:
            text = {
                "link": self.tr("%1: joined %2 by link"),
                "request": self.tr("%1: joined %2, join request approved"),
                "invite": self.tr("%1: added %2 by someone"),
            }.get(membership.joined_via, self.tr("%1: joined %2"))
        return text.replace("%1", source).replace("%2", self.model.day(membership.joined_at))

    def _inquiry_line(self, inquiry: PreviousInquiry) -> str:
        states = {
            InquiryState.OPEN: self.tr("open"),
            InquiryState.ACKNOWLEDGED: self.tr("acknowledged"),
            InquiryState.MEMBER_ANSWERED: self.tr("member answered"),
            InquiryState.ANSWERED: self.tr("answered"),
            InquiryState.DISMISSED: self.tr("dismissed"),
            InquiryState.POSSIBLE: self.tr("possible"),
        }
        return " · ".join(
            (
                self._when(inquiry.arrival),
                isolate(inquiry.source),
                states.get(inquiry.state, str(inquiry.state)),
                isolate(inquiry.first_line),
            )
        )

    def _act(self, kind: ModerationKind) -> None:
        detail = self.detail
        source_id = self.in_source.currentData()
        if detail is None or source_id is None:
            return
        membership = next(m for m in detail.memberships if m.source_id == source_id)
        self._moderate(detail, membership, kind)

    def add_note(self) -> None:
        detail, text = self.detail, self.note_edit.text()
        if detail is None or not text.strip():
            return
        member_id = detail.row.member_id
        add = self._add_note
        self.note_button.setEnabled(False)

        def added(note: MemberNote) -> None:
            self.note_button.setEnabled(True)
            self.note_edit.clear()
            if self.detail is not None and self.detail.row.member_id == note.member_id:
                self.detail = replace(self.detail, notes=(note, *self.detail.notes))
                self._show_notes(self.detail.notes)
            self.status.setText(self.tr("Note kept."))

        def refused(sentence: str) -> None:
            self.note_button.setEnabled(True)
            self.status.setText(sentence)

        self._ops.run(lambda: add(member_id, text)).success(added).failure(refused)
