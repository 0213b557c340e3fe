"""Pieces the library editors share: texts kept per language (a tab each, laid out in the language's own
direction) and the question before unsaved changes are dropped."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QInputDialog, QMessageBox, QPlainTextEdit, QTabWidget, QWidget

from moderator_app.domain.library import LANGUAGE_TAG_RE, is_right_to_left_language
from moderator_app.ui.plain import ask


class LanguageTabs(QTabWidget):
    """One plain-text editor per language tag; ``edited`` when a text, or the set of languages, changes."""

    edited = Signal()
    counted = Signal(int)  # how many languages have a tab now

    def __init__(self, editor_name: Callable[[str], str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._editor_name = editor_name  # the accessible name of a tag's editor

    def tabInserted(self, index: int) -> None:
        super().tabInserted(index)
        self.counted.emit(self.count())

    def tabRemoved(self, index: int) -> None:
        super().tabRemoved(index)
        self.counted.emit(self.count())

    def set_texts(self, texts: Iterable[tuple[str, str]]) -> None:
        self.clear()
        for tag, text in texts:
            self._add(tag, text)

    def texts(self) -> list[tuple[str, str]]:
        """(tag, text) of every tab, in tab order, as typed."""
        found = []
        for i in range(self.count()):
            editor = self.widget(i)
            assert isinstance(editor, QPlainTextEdit)
            found.append((self.tabText(i), editor.toPlainText()))
        return found

    def _add(self, tag: str, text: str) -> QPlainTextEdit:
        editor = QPlainTextEdit(text)
        editor.setAccessibleName(self._editor_name(tag))
        rtl = is_right_to_left_language(tag)
        editor.setLayoutDirection(Qt.LayoutDirection.RightToLeft if rtl else Qt.LayoutDirection.LeftToRight)
        editor.textChanged.connect(self.edited)
        self.addTab(editor, tag)
        return editor

    def add_language(self, tag: str) -> str | None:
        """Show the tab of ``tag``, adding an empty one if there is none; the problem, if ``tag`` is not a
        language tag (None otherwise)."""
        if not LANGUAGE_TAG_RE.match(tag):
            return self.tr("“%1” is not a language tag: use ar, fa, fr, fr-CA, en, zh…").replace("%1", tag)
        existing = [self.tabText(i) for i in range(self.count())]
        if tag in existing:
            self.setCurrentIndex(existing.index(tag))
            return None
        editor = self._add(tag, "")
        self.setCurrentWidget(editor)
        editor.setFocus()
        self.edited.emit()
        return None

    def ask_language(self, title: str) -> str:
        """The tag the moderator types in a small dialog ("" if cancelled)."""
        tag, accepted = QInputDialog.getText(self, title, self.tr("Language tag (ar, fa, fr, fr-CA, en, zh…):"))
        return tag.strip() if accepted else ""

    def drop_current(self) -> None:
        if self.currentIndex() >= 0:
            self.removeTab(self.currentIndex())
            self.edited.emit()


def may_drop_changes(parent: QWidget, question: str) -> bool:
    """Whether the person agrees to lose the changes not saved yet."""
    buttons = QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel
    return ask(parent, parent.tr("Unsaved changes"), question, buttons)
