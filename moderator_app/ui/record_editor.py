"""What the two library editors share (canned answers, partner organizations): a list of records and a form,
changes kept until saved or reverted, a question before they are dropped, texts by language in tabs."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, Protocol, TypeVar

from PySide6.QtCore import QModelIndex, QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QListView,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from moderator_app.ui.language_tabs import LanguageTabs, may_drop_changes
from moderator_app.ui.ops import Ops
from moderator_app.ui.plain import ask


class Record(Protocol):
    @property
    def id(self) -> int | None: ...


R = TypeVar("R", bound=Record)


class RecordEditor(QDialog, Generic[R]):
    """A subclass builds its form (:meth:`_fill` shows a record, :meth:`edited` reads it back) and says what is
    wrong with a record (:meth:`problems`); saving, reverting, new, delete, leaving with changes and the
    language tabs are handled here. ``changed`` after each save or deletion (the picker rebuilds its index)."""

    changed = Signal()

    def __init__(
        self,
        load: Callable[[], list[R]],
        save: Callable[[R], R],
        delete: Callable[[int], None],
        parent: QWidget | None = None,
        *,
        ops: Ops | None = None,
    ) -> None:
        """With ``ops`` the records are read, saved and deleted on the database worker (the window's); without,
        here (an editor on its own, in tests)."""
        super().__init__(parent)
        self._load, self._save, self._delete = load, save, delete
        self._ops = ops
        self.current: R | None = None  # as saved (None: a new record not saved yet)
        self.records: list[R] = []
        self.proxy: QSortFilterProxyModel | None = None  # a filter between the records and the list, if any
        self._filling = False
        self.dirty = False
        self.list = QListView()
        # Long names are elided, not scrolled to sideways (the form beside it shows them whole).
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.list.setUniformItemSizes(True)
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.setTextFormat(Qt.TextFormat.PlainText)
        self.problem.setStyleSheet("color: #b02a37;")
        self.problem.setAccessibleName(self.tr("Problems"))
        self.new_button = QPushButton(self.tr("&New"))
        self.new_button.clicked.connect(self.new)
        self.delete_button = QPushButton()
        self.delete_button.clicked.connect(self.delete)
        self.save_button = QPushButton(self.tr("&Save"))
        self.save_button.clicked.connect(self.save)
        self.revert_button = QPushButton(self.tr("Re&vert"))
        self.revert_button.setToolTip(self.tr("Undo the changes not saved yet."))
        self.revert_button.clicked.connect(self.revert)
        QShortcut(QKeySequence.StandardKey.Save, self, self.save)

    # -- what a subclass says ------------------------------------------------------------------------------------
    def _set_records(self, records: list[R]) -> None:
        """Give the records to the list's model."""
        raise NotImplementedError

    def _fill(self, record: R | None) -> None:
        """Show ``record`` in the form (None: an empty form for a new one)."""
        raise NotImplementedError

    def edited(self) -> R:
        """The form as a record (not saved)."""
        raise NotImplementedError

    def problems(self, record: R) -> list[str]:
        raise NotImplementedError

    def _first_field(self) -> QWidget:
        raise NotImplementedError

    def _leave_question(self) -> str:
        raise NotImplementedError

    def _delete_question(self, record: R) -> tuple[str, str]:
        """The title and question asked before ``record`` is deleted."""
        raise NotImplementedError

    def _tabs(self) -> LanguageTabs:
        raise NotImplementedError

    # -- layout pieces ---------------------------------------------------------------------------------------
    def _list_panel(self, *above: QWidget) -> QWidget:
        """The list with New and Delete under it (``above``: a filter field, ...)."""
        self.list.selectionModel().currentRowChanged.connect(self._chosen)
        left = QWidget()
        layout = QVBoxLayout(left)
        for widget in above:
            layout.addWidget(widget)
        layout.addWidget(self.list, 1)
        row = QHBoxLayout()
        row.addWidget(self.new_button)
        row.addWidget(self.delete_button)
        layout.addLayout(row)
        return left

    def _buttons_row(self) -> QHBoxLayout:
        buttons = QHBoxLayout()
        buttons.addWidget(self.problem, 1)
        buttons.addWidget(self.revert_button)
        buttons.addWidget(self.save_button)
        return buttons

    # -- list ------------------------------------------------------------------------------------------------
    def _index(self, row: int) -> QModelIndex:
        if self.proxy is not None:
            return self.proxy.mapFromSource(self.proxy.sourceModel().index(row, 0))
        return self.list.model().index(row, 0)

    def _row(self, index: QModelIndex) -> int:
        return self.proxy.mapToSource(index).row() if self.proxy is not None else index.row()

    def reload(self, select_id: int | None = None) -> None:
        if self._ops is None:
            self._show_records(self._load(), select_id)
        else:
            self._ops.run(self._load).success(lambda records: self._show_records(records, select_id))

    def _show_records(self, records: list[R], select_id: int | None) -> None:
        self.records = records
        self._set_records(self.records)
        row = next((i for i, r in enumerate(self.records) if r.id == select_id), 0 if self.records else -1)
        if row >= 0:
            self.list.setCurrentIndex(self._index(row))
        else:
            self._show(None)

    def _chosen(self, current: QModelIndex, previous: QModelIndex) -> None:
        if self._filling or not current.isValid():
            return
        if self.dirty and not self._may_leave():
            self._filling = True
            self.list.setCurrentIndex(previous)
            self._filling = False
            return
        self._show(self.records[self._row(current)])

    def _may_leave(self) -> bool:
        return may_drop_changes(self, self._leave_question())

    # -- form ------------------------------------------------------------------------------------------------
    def _show(self, record: R | None) -> None:
        self._filling = True
        self.current = record
        self._fill(record)
        self._filling = False
        self.dirty = False
        self.problem.clear()
        self.delete_button.setEnabled(record is not None)

    def _edited(self, *_: Any) -> None:
        if not self._filling:
            self.dirty = True

    def save(self) -> bool:
        record = self.edited()
        found = self.problems(record)
        if found:
            self.problem.setText("\n".join(found))
            return False
        if self._ops is not None:
            save = self._save
            self._busy(True)
            self._ops.run(lambda: save(record)).success(self._saved).failure(self._refused)
            return True  # asked: the list and the form follow once the log has it
        try:
            saved = self._save(record)
        except ValueError as exc:  # refused by the log: a shortcut or name already used, ...
            self.problem.setText(str(exc))
            return False
        self._saved(saved)
        return True

    def _saved(self, saved: R) -> None:
        self._busy(False)
        self.dirty = False
        self.reload(saved.id)
        self.problem.setText("")
        self.changed.emit()

    def _refused(self, message: str) -> None:
        """Refused by the log (a shortcut or name already used), or the log could not be written: what was
        typed stays in the form, to correct and save again."""
        self._busy(False)
        self.problem.setText(message)

    def _busy(self, busy: bool) -> None:
        for button in (self.save_button, self.delete_button, self.new_button):
            button.setEnabled(not busy)
        if not busy:
            self.delete_button.setEnabled(self.current is not None)

    def revert(self) -> None:
        """Back to the record as saved: the changes not saved are undone."""
        self._show(self.current)

    def new(self) -> None:
        if self.dirty and not self._may_leave():
            return
        self.list.clearSelection()
        self._show(None)
        self._first_field().setFocus()

    def delete(self) -> None:
        record = self.current
        if record is None or record.id is None:
            return
        title, question = self._delete_question(record)
        if not ask(self, title, question):
            return
        if self._ops is not None:
            delete, record_id = self._delete, record.id
            self._busy(True)
            self._ops.run(lambda: delete(record_id)).success(lambda _: self._deleted()).failure(self._refused)
            return
        try:
            self._delete(record.id)
        except ValueError as exc:  # still needed (a partner already referred to: kept for the statistics)
            self.problem.setText(str(exc))
            return
        self._deleted()

    def _deleted(self) -> None:
        self._busy(False)
        self.dirty = False
        self.reload()
        self.changed.emit()

    # -- texts by language ---------------------------------------------------------------------------------------
    def ask_language(self) -> None:
        self.add_language_for(self._tabs().ask_language(self.tr("Add a language")))

    def add_language_for(self, tag: str) -> None:
        problem = self._tabs().add_language(tag) if tag else None
        if problem:
            self.problem.setText(problem)

    def drop_language(self) -> None:
        self._tabs().drop_current()

    def reject(self) -> None:
        if self.dirty and not self._may_leave():
            return
        super().reject()
