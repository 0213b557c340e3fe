"""Possible inquiries in the window (their own filter, the reason, one key to make one an inquiry) and a staff
answer given without Telegram's reply shown as linked in the conversation: the real window, a real connector,
the local MTProto server."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt

from fake_telegram import FakeTelegram
from moderator_app.domain.events import MessageRecord, Peer, SourceKind, SourceRef
from moderator_app.store.db import Database
from moderator_app.store.examples import ExampleRepository
from moderator_app.telegram.client import ConnectionSettings
from moderator_app.ui.delegates import HEADER_ROLE
from moderator_app.ui.inbox_model import Column, View
from tests.ui.conftest import watched_group, window_with_connector


def test_possible_inquiries_and_answers_without_a_reply(
    qtbot: Any,
    log: Database,
    world: FakeTelegram,
    account: int,
    connection: ConnectionSettings,
    tmp_path: Path,
) -> None:
    amal = world.add_user("Amal", "Haddad")
    omid = world.add_user("Omid", "Rezaei")
    group = watched_group(log, world, connection, "Newcomers Ottawa", [amal, omid])
    window, thread = window_with_connector(qtbot, log, connection, tmp_path)
    thread.start()
    try:
        qtbot.waitUntil(lambda: window.connection.text() == "Telegram: connected", timeout=10_000)
        # A sign of asking under the threshold, with markup in it: a possible inquiry, not in the open inbox.
        maybe = world.send(group, omid, "<b>OHIP</b> info")
        qtbot.waitUntil(lambda: any(e.question_id == maybe for e in window.inbox_model.entries), timeout=10_000)
        assert window.proxy.rowCount() == 0
        window.inbox.view_box.setCurrentIndex(window.inbox.view_box.findData(View.POSSIBLE))
        assert window.proxy.rowCount() == 1
        assert window.proxy.data(window.proxy.index(0, Column.STATE)) == "possible"
        tooltip = window.proxy.data(window.proxy.index(0, Column.TIME_LEFT), Qt.ItemDataRole.ToolTipRole)
        assert "Why:" in tooltip and "info" in tooltip and "<b>" not in tooltip.replace("&lt;b&gt;", "")
        window.inbox.table.selectRow(0)
        panel = window.conversation
        assert panel.why.isVisible() and panel.why.text().startswith("Possible inquiry, not counted yet. Why:")
        assert panel.promote_button.isEnabled() and not panel.answered_button.isEnabled()
        # One key makes it an inquiry: counted, with a countdown, in the open inbox; the detector learns it.
        qtbot.keyClick(panel, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
        qtbot.waitUntil(
            lambda: any(e.question_id == maybe and e.state == "open" for e in window.inbox_model.entries),
            timeout=10_000,
        )
        assert window.proxy.rowCount() == 0
        assert [(e.text, e.origin) for e in ExampleRepository(log).examples()] == [("<b>OHIP</b> info", "promoted")]

        # Amal asks without a question mark; staff answer the next message, without Telegram's reply.
        window.inbox.view_box.setCurrentIndex(window.inbox.view_box.findData(View.OPEN))
        asked = world.send(group, amal, "Looking for a used car seat for my baby")
        qtbot.waitUntil(lambda: any(e.question_id == asked for e in window.inbox_model.entries), timeout=10_000)
        world.send(group, account, "Amal, the thrift store on Bank St has car seats every Saturday")
        qtbot.waitUntil(
            lambda: any(e.question_id == asked and e.state == "answered" for e in window.inbox_model.entries),
            timeout=10_000,
        )
        window.inbox.view_box.setCurrentIndex(window.inbox.view_box.findData(View.ALL))
        row = window.proxy.row_of(next(e.id for e in window.inbox_model.entries if e.question_id == asked))
        assert row is not None
        with qtbot.waitSignal(panel.loaded):
            window.inbox.table.selectRow(row)
        headers = [panel.model.data(panel.model.index(r), HEADER_ROLE) for r in range(panel.model.rowCount())]
        assert any("answer: named" in h for h in headers), headers
        assert panel.why.text().startswith("Why an inquiry:") and "looking for" in panel.why.text()

        # With the connector running, a moderator unlinks that answer (the connector writes it between two
        # updates and its in-memory inquiry follows), then links it again by hand.
        staff = next(m.telegram_id for m in panel.model._messages if m.from_staff)
        _select_message(qtbot, panel, staff)
        qtbot.keyClick(panel.list, Qt.Key.Key_U, Qt.KeyboardModifier.ControlModifier)
        qtbot.waitUntil(lambda: "Unlinked:" in window.statusBar().currentMessage(), timeout=10_000)
        qtbot.waitUntil(
            lambda: any(e.question_id == asked and e.state == "open" for e in window.inbox_model.entries),
            timeout=10_000,
        )
        _select_message(qtbot, panel, staff)
        qtbot.keyClick(panel.list, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
        qtbot.waitUntil(lambda: "answer: linked by hand" in _headers(panel)[staff], timeout=10_000)
        qtbot.waitUntil(
            lambda: any(e.question_id == asked and e.state == "answered" for e in window.inbox_model.entries),
            timeout=10_000,
        )
    finally:
        thread.stop()


def test_forum_topics_in_the_inbox_and_its_source_filter(qtbot: Any, tmp_path: Path) -> None:
    """An imported forum export: questions show as "Source › Topic" and each topic is a choice of the filter."""
    from moderator_app.app import window_services
    from moderator_app.store.db import open_database
    from moderator_app.store.live import LiveLog
    from moderator_app.ui.connector_bridge import ConnectorBridge
    from moderator_app.ui.main_window import MainWindow
    from tests.conftest import FIXTURES, toronto_standard
    from tests.support.exports import run_import

    db = open_database(data_dir=tmp_path / "log")
    toronto_standard(db)
    run_import(db, FIXTURES / "telegram-export-forum.json")
    # Two questions today, one in each topic (the imported ones were answered long ago: not in the inbox).
    live = LiveLog(db)
    hub = live.source(SourceRef(SourceKind.GROUP, 1700000123, "Newcomers Hub", "private_supergroup"))
    now = datetime.now(UTC)
    leila, omid = Peer("user", 5001, "Leila"), Peer("user", 5002, "Omid")
    live.record(hub, MessageRecord(1700000123, 20, now, leila, "Where can I see rooms this week?", topic_id=1))
    live.record(hub, MessageRecord(1700000123, 21, now, omid, "Is the warehouse still hiring?", topic_id=2))
    live.commit()
    window = MainWindow(window_services(db, lambda: None), ConnectorBridge())
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.proxy.rowCount() == 2, timeout=10_000)
    labels = sorted(window.proxy.data(window.proxy.index(r, Column.SOURCE)) for r in range(2))
    hub = "\u2068Newcomers Hub\u2069"
    assert labels == [f"{hub} › \u2068Housing\u2069", f"{hub} › \u2068Jobs\u2069"]
    box = window.inbox.source_box
    choices = [box.itemText(i) for i in range(box.count())]
    assert choices[-2:] == [f"{hub} › \u2068Housing\u2069", f"{hub} › \u2068Jobs\u2069"], choices
    box.setCurrentIndex(box.findText(f"{hub} › \u2068Jobs\u2069"))
    assert window.proxy.rowCount() == 1 and window.proxy.entry(0).question_id == 21
    window.shutdown()
    db.close()


def _select_message(qtbot: Any, panel: Any, telegram_id: int) -> None:
    row = next(r for r in range(panel.model.rowCount()) if panel.model.message(r).telegram_id == telegram_id)
    panel.list.setCurrentIndex(panel.model.index(row))


def _headers(panel: Any) -> dict[int, str]:
    return {
        panel.model.message(r).telegram_id: panel.model.data(panel.model.index(r), HEADER_ROLE)
        for r in range(panel.model.rowCount())
    }


def test_a_moderator_relinks_a_staff_answer_to_the_question_it_was_for(qtbot: Any, tmp_path: Path) -> None:
    """The rules tied "Amal, …" to Amal's question; it answered Omid's. Opening Omid's inquiry shows the
    staff message beside it ("answers another question"); Ctrl+L links it there, and Amal's is open again."""
    from datetime import timedelta

    from moderator_app.app import window_services
    from moderator_app.store.db import open_database
    from moderator_app.store.live import LiveLog
    from moderator_app.store.repositories import SettingsRepository
    from moderator_app.ui.connector_bridge import ConnectorBridge
    from moderator_app.ui.main_window import MainWindow
    from tests.conftest import toronto_standard

    db = open_database(data_dir=tmp_path / "log")
    toronto_standard(db)
    SettingsRepository(db).add_staff([99])
    live = LiveLog(db)
    group = live.source(SourceRef(SourceKind.GROUP, 1500, "Newcomers Ottawa", "public_supergroup"))
    now = datetime.now(UTC) - timedelta(minutes=30)
    amal, omid, desk = Peer("user", 7, "Amal Haddad"), Peer("user", 8, "Omid"), Peer("user", 99, "Desk")
    live.record(group, MessageRecord(1500, 1, now, amal, "Where is the nearest food bank"))
    live.record(group, MessageRecord(1500, 2, now + timedelta(minutes=1), omid, "How do I renew my health card"))
    answer = "Amal, any ServiceOntario centre renews it, bring two IDs"
    live.record(group, MessageRecord(1500, 3, now + timedelta(minutes=9), desk, answer))
    live.commit()
    window = MainWindow(window_services(db, lambda: None), ConnectorBridge())
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(  # open, Omid's; Amal's is answered (read after the open ones)
        lambda: {e.question_id: e.state for e in window.inbox_model.entries} == {1: "answered", 2: "open"},
        timeout=10_000,
    )
    assert window.proxy.rowCount() == 1
    panel = window.conversation
    with qtbot.waitSignal(panel.loaded):
        window.inbox.table.selectRow(0)
    assert panel.entry is not None and panel.entry.question_id == 2
    assert "answers another question" in _headers(panel)[3]
    assert panel.linkable(
        next(r for r in range(panel.model.rowCount()) if panel.model.message(r).telegram_id == 2)
    ) == (
        False,
        False,
    )  # a member's message is never an answer
    _select_message(qtbot, panel, 3)
    with qtbot.waitSignal(window.relinked, timeout=10_000):  # written on the database worker
        qtbot.keyClick(panel.list, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert "Linked:" in window.statusBar().currentMessage()
    qtbot.waitUntil(
        lambda: {e.question_id: e.state for e in window.inbox_model.entries} == {1: "open", 2: "answered"},
        timeout=10_000,
    )
    # Answered, Omid's question left the open ones: the pane moved on to the next (Amal's, open again).
    qtbot.waitUntil(lambda: panel.entry is not None and panel.entry.question_id == 1)
    window.inbox.view_box.setCurrentIndex(window.inbox.view_box.findData(View.ALL))
    with qtbot.waitSignal(panel.loaded):
        window.inbox.select_row(
            window.proxy.row_of(next(e.id for e in window.inbox_model.entries if e.question_id == 2))
        )
    qtbot.waitUntil(lambda: "answer: linked by hand" in _headers(panel)[3], timeout=10_000)
    # And undone with Ctrl+U: the message answers nothing (a post), both questions wait.
    _select_message(qtbot, panel, 3)
    with qtbot.waitSignal(window.relinked, timeout=10_000):
        qtbot.keyClick(panel.list, Qt.Key.Key_U, Qt.KeyboardModifier.ControlModifier)
    assert "Unlinked:" in window.statusBar().currentMessage()
    qtbot.waitUntil(lambda: "not linked" in _headers(panel)[3], timeout=10_000)
    qtbot.waitUntil(
        lambda: {e.question_id: e.state for e in window.inbox_model.entries} == {1: "open", 2: "open"},
        timeout=10_000,
    )
    # Nothing to unlink on a message that answers nothing: said, not done.
    qtbot.keyClick(panel.list, Qt.Key.Key_U, Qt.KeyboardModifier.ControlModifier)
    assert panel.status.text() == "Select a staff message linked to this question to unlink it."
    window.shutdown()
    db.close()
