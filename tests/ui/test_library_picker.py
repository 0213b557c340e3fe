"""The canned-answer picker in the composer, on a real log with the starter library: Ctrl+K or "/" opens it,
the inquiry's language is pre-selected, the best matches for the question are suggested, typing searches
(Arabic with a clitic prefix too), Enter inserts with the variables filled and the blanks asked for, and the
use is counted."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QLineEdit

from moderator_app.domain.library import CannedAnswer
from moderator_app.importers.library_files import STARTER_LIBRARY, read_library
from moderator_app.store.db import Database
from moderator_app.store.library import LibraryRepository
from moderator_app.ui.conversation import ConversationPanel
from moderator_app.ui.library_picker import BlanksDialog, LibraryCatalog, LibraryPicker
from tests.support.conversation_access import FakeConversation
from tests.support.inbox_entries import TORONTO, entry, local


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


def _when_modal(action: Callable[[Any], None], kind: type = QDialog, tries: int = 250) -> None:
    """Run ``action`` on the next modal dialog of ``kind`` (within about 5 s; never on a later test's)."""

    def run(left: int) -> None:
        widget = QApplication.activeModalWidget()
        if isinstance(widget, kind):
            action(widget)
        elif left > 0:
            QTimer.singleShot(20, lambda: run(left - 1))

    QTimer.singleShot(20, lambda: run(tries))


def test_composer_inserts_an_answer_with_variables_and_blanks(qtbot: Any, sqlite_db: Database) -> None:
    catalog = _catalog(qtbot, sqlite_db)
    access = FakeConversation()
    panel = ConversationPanel(
        TORONTO,
        access,
        lambda entry, action: None,
        catalog=catalog,
        variables=lambda entry: {
            "member_first_name": "Amal",
            "moderator_name": "Nadia",
            "organization": "Ottawa Newcomer Services",
            "today": "22 November 2026",
        },
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

        _when_modal(fill, BlanksDialog)

    _when_modal(choose_welcome, LibraryPicker)
    qtbot.keyClicks(panel.composer, "/")  # "/" in an empty reply opens the picker
    text = panel.composer.toPlainText()
    assert text.startswith("Hello Amal, and welcome to the Ottawa Newcomer Services group! My name is Nadia")
    assert "settling in Ottawa" in text and "{?usual response time" in text  # an empty blank stays to complete
    welcome = LibraryRepository(sqlite_db).get("welcome")
    assert welcome is not None and access.used == [welcome.id]


def test_a_referral_inserted_from_the_library_counts_as_that_referral(
    qtbot: Any, log: Database, world: Any, account: int, connection: Any, tmp_path: Any
) -> None:
    """Through the real window and connector: the partner chosen in the picker is recorded on the reply, so the
    statistics count it without matching names in the text; a referral deleted before sending is not one."""
    from sqlalchemy import select

    from moderator_app.domain.events import SourceKind, SourceRef
    from moderator_app.domain.referrals import ReferralOrganization
    from moderator_app.store.models import Response
    from moderator_app.store.outbox import OutboxRepository
    from moderator_app.store.repositories import ReferralRepository, SourceRepository
    from tests.telegram.conftest import log_in
    from tests.ui.conftest import window_with_connector

    amal = world.add_user("Amal", "Haddad")
    group = world.add_supergroup("Newcomers Ottawa", members=[amal])
    log_in(log, world, connection)
    SourceRepository(log).set_watched(
        SourceRef(SourceKind.GROUP, group, "Newcomers Ottawa", "private_supergroup"), True
    )
    ReferralRepository(log).upsert_all(
        [ReferralOrganization("Community Health Clinic", ("CHC",), "613-555-0142", "chc.example.org", ("health",))]
    )
    window, thread = window_with_connector(qtbot, log, connection, tmp_path)
    assert window.catalog is not None
    qtbot.waitUntil(lambda: window.catalog is not None and window.catalog.organization_index is not None)
    thread.start()
    panel = window.conversation

    referred: list[bool] = []

    def refer(picker: Any) -> None:
        referred.append(True)
        qtbot.keyClicks(picker.search_field, "clinic")
        assert isinstance(picker.model.rows[-1][0], ReferralOrganization)
        picker.list.setCurrentIndex(picker.model.index(len(picker.model.rows) - 1))
        picker.choose(len(picker.model.rows) - 1)

    try:
        qtbot.waitUntil(lambda: window.connection.text() == "Telegram: connected", timeout=10_000)
        first = world.send(group, amal, "Where can I see a nurse without a family doctor?")
        qtbot.waitUntil(lambda: window.proxy.rowCount() == 1, timeout=10_000)
        window.inbox.select_row(0)
        _when_modal(refer, LibraryPicker)
        qtbot.keyClick(panel, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
        assert referred == [True]
        assert "Community Health Clinic (613-555-0142, chc.example.org)" in panel.composer.toPlainText()
        qtbot.mouseClick(panel.send_button, Qt.MouseButton.LeftButton)  # the window may not be active after a dialog
        qtbot.waitUntil(lambda: len(world.sent_by_account(group)) == 1, timeout=10_000)

        # Inserted, then deleted before sending: the reply is information, not a referral.
        second = world.send(group, amal, "And is there a food bank open on Sunday?")
        qtbot.waitUntil(lambda: any(e.question_id == second for e in window.inbox_model.entries), timeout=10_000)
        window.inbox.select_row(
            window.proxy.row_of(next(e.id for e in window.inbox_model.entries if e.question_id == second)) or 0
        )
        window.activateWindow()  # offscreen, closing the first picker leaves no window active (shortcuts need one)
        qtbot.waitUntil(window.isActiveWindow)
        _when_modal(refer, LibraryPicker)
        qtbot.keyClick(panel, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
        assert referred == [True, True]
        panel.composer.setPlainText("The Vanier food bank is open on Sundays from 10 to 2.")
        qtbot.mouseClick(panel.send_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: len(world.sent_by_account(group)) == 2, timeout=10_000)

        def units() -> list[tuple[str, int | None]]:
            with log.sessions() as session:
                return sorted(session.execute(select(Response.kind, Response.organization_id)).all(), key=str)

        clinic = ReferralRepository(log).all()[0].id
        qtbot.waitUntil(lambda: units() == [("information", None), ("referral", clinic)], timeout=10_000)
        sent = sorted(OutboxRepository(log).recent(), key=lambda item: item.id)
        assert [item.referrals for item in sent] == [(clinic,), ()]  # recorded on the reply, not guessed
        assert first != second
    finally:
        thread.stop()


def test_a_window_closed_while_the_library_index_is_built_ends_the_worker_quietly(
    qtbot: Any, sqlite_db: Database, monkeypatch: Any
) -> None:
    """Closing the window within a second of launch deletes the catalog while its index is built: the
    worker used to end with 'Signal source has been deleted'; now the index is simply not announced."""
    crashes: list[Any] = []
    monkeypatch.setattr(threading, "excepthook", crashes.append)
    LibraryRepository(sqlite_db).upsert_all(read_library(STARTER_LIBRARY))
    reading, go_on = threading.Event(), threading.Event()

    def slow() -> list[Any]:
        reading.set()
        go_on.wait(5)
        return LibraryRepository(sqlite_db).all()

    catalog = LibraryCatalog(slow)
    catalog.start()
    assert reading.wait(5)
    shiboken6.delete(catalog)
    go_on.set()
    catalog.wait(5)
    assert crashes == []


def test_an_answer_without_the_members_language_is_said_never_replaced_silently(
    qtbot: Any, sqlite_db: Database
) -> None:
    """A Chinese member; an answer with no Chinese text: the picker says which languages it has and inserts
    nothing until the moderator chooses one of them."""
    LibraryRepository(sqlite_db).upsert_all(
        [CannedAnswer("Tenant board", "tenant-board", {"en": "The Landlord and Tenant Board hears deposit disputes."})]
    )
    catalog = LibraryCatalog(LibraryRepository(sqlite_db).all)
    with qtbot.waitSignal(catalog.ready, timeout=10_000):
        catalog.start()
    picker = LibraryPicker(catalog, "zh", "房东不退押金怎么办")
    qtbot.addWidget(picker)
    picker.show()
    assert picker.language == "zh" and picker.language_box.currentText() == "中文"
    qtbot.keyClicks(picker.search_field, "tenant-board")
    row = picker.model.index(0)
    assert "no 中文 text" in picker.model.data(row)
    assert "It has: English" in picker.model.data(row, Qt.ItemDataRole.ToolTipRole)
    assert "no 中文 text" in picker.preview.toPlainText() and "Landlord" not in picker.preview.toPlainText()
    qtbot.keyClick(picker.search_field, Qt.Key.Key_Return)
    assert picker.chosen is None and "It has: English" in picker.status.text()
    picker.language_box.setCurrentIndex(picker.language_box.findData("en"))  # the moderator's choice
    qtbot.keyClick(picker.search_field, Qt.Key.Key_Return)
    assert picker.chosen is not None and picker.chosen.language == "en"
