"""The canned-answer editor on a real log: edit and save, validation messages that keep the form, revert of
unsaved changes, a new answer with an Arabic text laid out right to left, deletion; qtmodeltester on its list."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QPlainTextEdit

from moderator_app.domain.library import CannedAnswer
from moderator_app.store.db import Database
from moderator_app.store.library import LibraryRepository
from moderator_app.ui.library_editor import LibraryEditor
from tests.support.modal import answer_message_box

chosen_months: list[int] = []


def _editor(qtbot: Any, db: Database) -> tuple[LibraryEditor, LibraryRepository]:
    library = LibraryRepository(db)
    library.upsert_all(
        [
            CannedAnswer("Bus pass", "bus-pass", {"en": "The pass costs {?price}."}, ("transportation",)),
            CannedAnswer("Tax clinic", "tax-clinic", {"en": "Free tax clinics run in March."}, ("finance",)),
        ]
    )
    editor = LibraryEditor(
        library.all,
        library.save,
        library.delete,
        today=lambda: date(2026, 11, 22),
        set_review_months=chosen_months.append,
    )
    qtbot.addWidget(editor)
    editor.show()
    return editor, library


def test_edit_validate_revert_new_delete(qtbot: Any, qtmodeltester: Any, sqlite_db: Database) -> None:
    editor, library = _editor(qtbot, sqlite_db)
    qtmodeltester.check(editor.model)
    assert editor.current is not None and editor.current.shortcut == "bus-pass"
    assert "⚑" in editor.model.data(editor.model.index(0))  # never reviewed: flagged

    # A mistake is refused with the reason, and nothing is saved.
    editor.shortcut.setText("Bus Pass")
    editor.shortcut.textEdited.emit("Bus Pass")
    body = editor.bodies.widget(0)
    assert isinstance(body, QPlainTextEdit)
    body.setPlainText("The pass costs {price}.")
    assert not editor.save()
    assert (
        "shortcut 'Bus Pass'" in editor.problem.text() and "{price}, which is not a variable" in editor.problem.text()
    )
    assert library.get("bus-pass") is not None and library.get("bus-pass").bodies["en"].endswith("{?price}.")  # type: ignore[union-attr]

    # Revert undoes what was not saved.
    editor.revert()
    assert editor.shortcut.text() == "bus-pass" and not editor.dirty

    # A valid change, reviewed today, is saved.
    editor.title.setText("Bus and metro pass")
    editor.title.textEdited.emit("Bus and metro pass")
    editor.mark_reviewed()
    assert editor.save()
    saved = library.get("bus-pass")
    assert saved is not None and saved.title == "Bus and metro pass"
    assert not saved.needs_review and saved.last_reviewed == date(2026, 11, 22)
    row = next(i for i, a in enumerate(editor.model.answers) if a.shortcut == "bus-pass")
    assert "⚑" not in editor.model.data(editor.model.index(row))  # reviewed today
    editor.review_months.setValue(6)  # the reminder period is the organization's choice
    assert chosen_months[-1] == 6 and editor.model.months == 6

    # A new answer with an Arabic text, laid out right to left.
    editor.new()
    editor.title.setText("Food bank")
    editor.shortcut.setText("food-bank")
    editor.topics.setText("food")
    editor.add_language_for("ar")
    arabic = editor.bodies.currentWidget()
    assert isinstance(arabic, QPlainTextEdit) and arabic.layoutDirection() == Qt.LayoutDirection.RightToLeft
    arabic.setPlainText("بنك الطعام مفتوح يوم {?اليوم}.")
    editor.bodies.setCurrentIndex(0)
    editor.drop_language()  # the empty English text of a new answer
    editor.add_language_for("not a tag")
    assert "not a language tag" in editor.problem.text()
    assert editor.save()
    food = library.get("food-bank")
    assert food is not None and food.bodies == {"ar": "بنك الطعام مفتوح يوم {?اليوم}."} and food.topics == ("food",)

    # A shortcut another answer has is refused.
    editor.shortcut.setText("tax-clinic")
    assert not editor.save() and "already has the shortcut 'tax-clinic'" in editor.problem.text()
    editor.revert()

    # Deleting asks first.
    answer_message_box(QMessageBox.StandardButton.Yes)
    editor.delete()
    assert library.get("food-bank") is None
    assert [a.shortcut for a in library.all()] == ["bus-pass", "tax-clinic"]
