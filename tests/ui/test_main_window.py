"""The real window on a real log, with the real connector talking to the local MTProto server: a new
question appears in the inbox, a reply typed in the composer goes through the outbox to Telegram and shows
as sent, and the connection state is shown."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import select

from fake_telegram import FakeTelegram
from moderator_app.domain.events import SourceKind, SourceRef
from moderator_app.store.db import Database
from moderator_app.store.models import Response
from moderator_app.store.profiles import ProfileRepository
from moderator_app.store.repositories import SourceRepository
from moderator_app.telegram.client import ConnectionSettings
from moderator_app.ui.conversation import HOLDING_REPLIES
from moderator_app.ui.inbox_model import Column, View
from moderator_app.ui.main_window import MainWindow
from moderator_app.ui.plain import plain_tooltip
from tests.telegram.conftest import log_in
from tests.ui.conftest import watched_group, window_with_connector


@dataclass
class LiveWindow:
    """The window with its connector running and connected, on a group where Amal asks and Reza answers."""

    window: MainWindow
    world: FakeTelegram
    group: int
    amal: int
    reza: int

    def ask(self, qtbot: Any, text: str, rows: int) -> int:
        """Amal asks in the group; the open inbox then shows ``rows`` inquiries."""
        question: int = self.world.send(self.group, self.amal, text)
        qtbot.waitUntil(lambda: self.window.proxy.rowCount() == rows, timeout=10_000)
        return question

    def sent(self) -> list[Any]:
        return list(self.world.sent_by_account(self.group))

    def on_duty(self, qtbot: Any, log: Database, name: str) -> int:
        person = ProfileRepository(log).add(name, "moderator", ("ar", "fr"))
        assert person.id is not None
        self.window.load_on_duty(person.id)  # read on the database worker
        qtbot.waitUntil(lambda: self.window.on_duty_id == person.id)
        return person.id


@pytest.fixture
def live(
    qtbot: Any,
    log: Database,
    world: FakeTelegram,
    account: int,
    connection: ConnectionSettings,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[LiveWindow]:
    # The reply's status follows the connector's word, not a poll of the outbox (its fallback is off here).
    monkeypatch.setattr("moderator_app.ui.conversation.PENDING_CHECK_MS", 3_600_000)
    amal = world.add_user("Amal", "Haddad")
    reza = world.add_user("Reza", "Karimi")
    group = watched_group(log, world, connection, "Newcomers Ottawa", [amal, reza])
    window, thread = window_with_connector(qtbot, log, connection, tmp_path)
    thread.start()
    try:
        qtbot.waitUntil(lambda: window.connection.text() == "Telegram: connected", timeout=10_000)
        yield LiveWindow(window, world, group, amal, reza)
    finally:
        thread.stop()


def test_a_question_arrives_and_the_reply_goes_out_once_credited_to_who_is_on_duty(
    qtbot: Any, log: Database, live: LiveWindow
) -> None:
    window = live.window
    question = live.ask(qtbot, "كيف أسجل أطفالي في المدرسة؟", rows=1)
    entry = window.proxy.entry(0)
    assert entry.question_id == question and entry.language == "ar"
    assert window.sources_model.data(window.sources_model.index(0)) == "All sources\n\u20681 open\u2069"
    assert window.sources_model.data(window.sources_model.index(1)) == "Newcomers Ottawa\n\u20681 open\u2069"
    # A long name is elided in the narrow list, not scrolled to sideways, and whole in the tooltip.
    tooltip = window.sources_model.data(window.sources_model.index(1), Qt.ItemDataRole.ToolTipRole)
    assert tooltip == plain_tooltip("Newcomers Ottawa\n\u20681 open\u2069")  # the title as text
    assert window.sources_view.horizontalScrollBarPolicy() == Qt.ScrollBarPolicy.ScrollBarAlwaysOff
    with qtbot.waitSignal(window.conversation.loaded):  # read on the database worker
        window.inbox.table.selectRow(0)
    assert window.conversation.entry is not None and window.conversation.entry.id == entry.id
    assert window.conversation.model.rowCount() == 1
    # Nadia is on duty at this workstation: what she sends and decides is credited to her.
    nadia = live.on_duty(qtbot, log, "Nadia")
    assert window.on_duty.currentText() == "Nadia"
    qtbot.keyClicks(window.conversation.composer, "Bonjour - the school board office, 133 Greenbank.")
    with qtbot.waitSignal(window.conversation.replied):  # queued on the database worker
        qtbot.keyClick(window.conversation.composer, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
        # On its way to the outbox: a second Ctrl+Enter queues nothing, and the buttons say so.
        assert not window.conversation.send_button.isEnabled()
        qtbot.keyClick(window.conversation.composer, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert window.conversation.composer.toPlainText() == ""
    assert window.conversation.send_button.isEnabled()
    qtbot.waitUntil(lambda: "sent:" in window.conversation.status.text(), timeout=10_000)
    assert [m.message for m in live.sent()] == ["Bonjour - the school board office, 133 Greenbank."]
    # The reply answers the inquiry: it leaves the open inbox once the connector has logged it.
    qtbot.waitUntil(lambda: window.inbox_model.entries[0].state == "answered", timeout=10_000)
    assert window.proxy.rowCount() == 0
    qtbot.waitUntil(lambda: window.inbox_model.entries[0].responder == "Nadia", timeout=10_000)
    with log.sessions() as session:
        credited = session.execute(select(Response.kind, Response.profile_id)).all()
    assert credited == [("information", nadia)]


def test_assign_acknowledge_and_dismiss_from_the_keyboard(qtbot: Any, log: Database, live: LiveWindow) -> None:
    window = live.window
    live.on_duty(qtbot, log, "Nadia")
    second = live.ask(qtbot, "هل يوجد بنك طعام قريب من فانير؟", rows=1)
    window.inbox.table.selectRow(0)
    assert window.conversation.entry is not None and window.conversation.entry.question_id == second
    # Ctrl+Shift+I: assigned to Nadia, and on her "Assigned to me" list.
    qtbot.keyClick(
        window.inbox.table, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    )
    qtbot.waitUntil(lambda: window.proxy.rowCount() == 1 and window.proxy.entry(0).assignee == "Nadia")
    window.inbox.view_box.setCurrentIndex(window.inbox.view_box.findData(View.MINE))
    assert window.proxy.rowCount() == 1 and window.proxy.entry(0).question_id == second
    assert window.proxy.headerData(Column.ASSIGNEE, Qt.Orientation.Horizontal) == "Assigned to"
    window.inbox.view_box.setCurrentIndex(window.inbox.view_box.findData(View.OPEN))
    # Acknowledge: the standard holding reply in the member's language; the inquiry stays open, "met".
    window.inbox.table.selectRow(0)
    qtbot.mouseClick(window.conversation.acknowledge_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(live.sent()) == 1, timeout=10_000)
    assert live.sent()[0].message == HOLDING_REPLIES["ar"]
    qtbot.waitUntil(lambda: window.proxy.rowCount() == 1 and window.proxy.entry(0).state == "acknowledged")
    assert window.proxy.data(window.proxy.index(0, 0)).startswith("met · answer in ")  # the answer still owed

    # Dismiss from the keyboard: "thanks" is not an inquiry.
    third = live.ask(qtbot, "Merci beaucoup ! Est-ce que je peux venir demain ?", rows=2)
    row = window.proxy.row_of(next(e.id for e in window.inbox_model.entries if e.question_id == third))
    assert row is not None
    window.inbox.table.selectRow(row)
    qtbot.keyClick(
        window.conversation, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    )
    qtbot.waitUntil(lambda: window.proxy.rowCount() == 1, timeout=10_000)
    assert window.proxy.entry(0).question_id == second
    # The dismissed inquiry left the list: the pane shows the one in its place, not the dismissed one.
    qtbot.waitUntil(lambda: window.conversation.entry is not None and window.conversation.entry.question_id == second)
    assert window.conversation.dismiss_button.isEnabled()
    # The Source filter and the sources list agree, whichever the moderator uses.
    box = window.inbox.source_box
    box.setCurrentIndex(1)
    assert window.sources_model.source_id(window.sources_view.currentIndex().row()) == box.currentData()
    window.sources_view.setCurrentIndex(window.sources_model.index(0))
    assert box.currentData() is None
    # Dismissed by mistake: Ctrl+Z (outside the reply) takes it back, through the running connector.
    assert window.undo_button.isVisible() and "Dismissed" in window.undo_label.text()
    window.inbox.table.setFocus()
    qtbot.keyClick(window.inbox.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.proxy.rowCount() == 2, timeout=10_000)
    assert {window.proxy.entry(r).question_id: window.proxy.entry(r).state for r in range(2)}[third] == "open"
    assert not window.undo_button.isVisible() and "Undone" in window.statusBar().currentMessage()


def test_topic_and_follow_up_reach_the_log_through_the_connector(qtbot: Any, live: LiveWindow) -> None:
    window = live.window
    live.ask(qtbot, "Where can I get some help this week?", rows=1)
    assert window.proxy.entry(0).topic != "food" and window.proxy.entry(0).follow_up_on is None
    window.inbox.table.selectRow(0)
    panel = window.conversation
    panel.topic.setCurrentIndex(panel.topic.findData("food"))
    panel.topic.activated.emit(panel.topic.currentIndex())
    panel.follow_up.setChecked(True)
    qtbot.waitUntil(
        lambda: (
            window.proxy.rowCount() == 1
            and window.proxy.entry(0).topic == "food"
            and window.proxy.entry(0).follow_up_on is not None
        ),
        timeout=10_000,
    )


def test_correct_answer_replies_to_the_members_wrong_answer(qtbot: Any, live: LiveWindow) -> None:
    window, panel = live.window, live.window.conversation
    fourth = live.ask(qtbot, "Is the bus pass free for children under 12?", rows=1)
    wrong = live.world.send(live.group, live.reza, "No, everyone pays full fare.", reply_to=fourth)
    qtbot.waitUntil(
        lambda: any(e.question_id == fourth and e.state == "member_answered" for e in window.inbox_model.entries),
        timeout=10_000,
    )
    window.inbox.view_box.setCurrentIndex(window.inbox.view_box.findData(View.MEMBER_ANSWERED))
    with qtbot.waitSignal(panel.loaded):
        window.inbox.table.selectRow(0)
    assert panel.entry is not None and panel.entry.question_id == fourth
    assert panel.correct_button.isEnabled() and panel.confirm_button.isEnabled()
    qtbot.mouseClick(panel.correct_button, Qt.MouseButton.LeftButton)  # empty: asks for the text first
    assert "Write the right answer" in panel.status.text()
    qtbot.keyClicks(panel.composer, "Children under 12 ride free with a paying adult.")
    qtbot.keyClick(panel, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: len(live.sent()) == 1, timeout=10_000)
    assert live.sent()[0].reply_to.reply_to_msg_id == wrong
    qtbot.waitUntil(
        lambda: any(e.question_id == fourth and e.state == "answered" for e in window.inbox_model.entries),
        timeout=10_000,
    )


def test_inquiries_answered_before_the_connector_caught_up_reach_the_window(
    qtbot: Any,
    log: Database,
    world: FakeTelegram,
    account: int,
    connection: ConnectionSettings,
    tmp_path: Path,
) -> None:
    """The window loads before the first catch-up; what the catch-up brings in closed (asked and answered
    while the app was not running) must appear under "All" without a restart."""
    amal = world.add_user("Amal", "Haddad")
    group = world.add_supergroup("Newcomers Ottawa", members=[amal])
    log_in(log, world, connection)
    SourceRepository(log).set_watched(
        SourceRef(SourceKind.GROUP, group, "Newcomers Ottawa", "private_supergroup"), True
    )
    yesterday = int(time.time()) - 86_400
    question = world.send(group, amal, "Où trouver un médecin de famille ?", date=yesterday)
    world.send(group, account, "Health Care Connect: inscrivez-vous en ligne.", reply_to=question, date=yesterday + 600)
    window, thread = window_with_connector(qtbot, log, connection, tmp_path)  # its first load is done
    window.inbox.view_box.setCurrentIndex(window.inbox.view_box.findData(View.ALL))
    assert window.proxy.rowCount() == 0
    thread.start()
    try:
        qtbot.waitUntil(lambda: window.proxy.rowCount() == 1, timeout=15_000)
        entry = window.proxy.entry(0)
        assert entry.question_id == question and entry.state == "answered"
    finally:
        thread.stop()
