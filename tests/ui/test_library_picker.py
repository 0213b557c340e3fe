"""The canned-answer picker in the composer, on a real log with the starter library: Ctrl+K or "/" opens it,
the inquiry's language is pre-selected, the best matches for the question are suggested, typing searches
(Arabic with a clitic prefix too), Enter inserts with the variables filled and the blanks asked for, and the
use is counted."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QLineEdit

from moderator_app.importers.library_files import STARTER_LIBRARY, read_library
from moderator_app.store.db import Database
from moderator_app.store.library import LibraryRepository
from moderator_app.store.outbox import Outgoing
from moderator_app.store.repositories import InboxEntry
from moderator_app.ui.conversation import ConversationPanel
from moderator_app.ui.library_picker import BlanksDialog, LibraryCatalog, LibraryPicker
from tests.ui.test_inbox_model import TORONTO, entry, local


def _catalog(qtbot: Any, db: Database) -> LibraryCatalog:
    LibraryRepository(db).upsert_all(read_library(STARTER_LIBRARY))
    catalog = LibraryCatalog(LibraryRepository(db).all)
    with qtbot.waitSignal(catalog.ready, timeout=10_000):
        catalog.start()
    return catalog


def test_picker_searches_suggests_and_chooses(qtbot: Any, sqlite_db: Database) -> None:
    catalog = _catalog(qtbot, sqlite_db)
    picker = LibraryPicker(catalog, "ar", "كيف أحصل على البطاقة الصحية؟ وأين أسجل أطفالي بالمدرسة؟")
    qtbot.addWidget(picker)
    picker.show()
    assert picker.language == "ar"
    suggested = [answer.shortcut for answer, _, flag in picker.model.rows if flag]
    assert 1 <= len(suggested) <= 3 and "health-card" in suggested  # the question's words, as a search
    picker.search_field.setText("بالمدرسة")  # a prefix the library's text does not have (QTest types ASCII only)
    shortcuts = [answer.shortcut for answer, _, _ in picker.model.rows]
    assert shortcuts and shortcuts[0] == "school-registration"
    picker.search_field.clear()
    qtbot.keyClicks(picker.search_field, "transit-pass")
    assert picker.model.rows[0][0].shortcut == "transit-pass"  # a shortcut comes first
    assert "transit" in picker.preview.toPlainText().casefold() or picker.preview.toPlainText()
    qtbot.keyClick(picker.search_field, Qt.Key.Key_Return)
    assert picker.chosen is not None and picker.chosen.answer.shortcut == "transit-pass"
    assert picker.chosen.language == "ar"
    picker.search_field.setText("zzzz qqqq")
    assert picker.model.rows == [] and "No answer matches" in picker.status.text()


def _when_modal(action: Callable[[Any], None]) -> None:
    def run() -> None:
        widget = QApplication.activeModalWidget()
        if widget is None:
            QTimer.singleShot(20, run)
            return
        action(widget)

    QTimer.singleShot(20, run)


def test_composer_inserts_an_answer_with_variables_and_blanks(qtbot: Any, sqlite_db: Database) -> None:
    catalog = _catalog(qtbot, sqlite_db)
    used: list[int] = []

    def queue_reply(entry: InboxEntry, text: str, holding: bool, reply_to: int | None) -> Outgoing:
        raise AssertionError("nothing is sent here")

    panel = ConversationPanel(
        TORONTO,
        lambda entry: [],
        queue_reply,
        lambda inquiry_id: [],
        lambda entry, action: None,
        catalog=catalog,
        variables=lambda entry: {
            "member_first_name": "Amal",
            "moderator_name": "Nadia",
            "organization": "Ottawa Newcomer Services",
            "today": "22 November 2026",
        },
        record_use=used.append,
    )
    qtbot.addWidget(panel)
    panel.resize(480, 700)
    panel.show()
    qtbot.waitExposed(panel)
    panel.show_entry(
        entry(7, local(2026, 11, 17, 9, 0), member="Amal Haddad", language="en", text="Hi, how do I join the group?")
    )

    def choose_welcome(picker: LibraryPicker) -> None:
        assert isinstance(picker, LibraryPicker) and picker.language == "en"
        qtbot.keyClicks(picker.search_field, "welcome")
        _when_blanks()
        qtbot.keyClick(picker.search_field, Qt.Key.Key_Return)

    def _when_blanks() -> None:
        def fill(dialog: Any) -> None:
            assert isinstance(dialog, BlanksDialog)
            fields = dialog.findChildren(QLineEdit)
            assert len(fields) == 2  # the welcome answer's two blanks
            fields[0].setText("Ottawa")
            dialog.accept()

        _when_modal(fill)

    _when_modal(choose_welcome)
    qtbot.keyClicks(panel.composer, "/")  # "/" in an empty reply opens the picker
    text = panel.composer.toPlainText()
    assert text.startswith("Hello Amal, and welcome to the Ottawa Newcomer Services group! My name is Nadia")
    assert "settling in Ottawa" in text and "{?usual response time" in text  # an empty blank stays to complete
    welcome = LibraryRepository(sqlite_db).get("welcome")
    assert welcome is not None and used == [welcome.id]
