"""Safety flags in the window: an inquiry flagged urgent is said in words and colour, listed first and under its
own view, announced at once (not for history), and the urgent words are edited in their dialog; against the
fake server, a member's message with urgent words reaches the window flagged, and edited lists are followed by
the running connector."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QMessageBox
from pytestqt.modeltest import ModelTester

from fake_telegram import FakeTelegram
from moderator_app.app import window_services
from moderator_app.domain.safety import starter_lists
from moderator_app.domain.settings import URGENT_WORDS, WINDOW_SEEN
from moderator_app.services.changes import ChangeBus
from moderator_app.services.safety import SafetyService
from moderator_app.store.db import Database
from moderator_app.store.repositories import SettingsRepository
from moderator_app.store.secrets import SecretStore
from moderator_app.telegram.client import ConnectionSettings
from moderator_app.telegram.connector import Connector
from moderator_app.telegram.connector_thread import ConnectorThread
from moderator_app.ui.connector_bridge import ConnectorBridge
from moderator_app.ui.inbox_model import Column, InboxModel, InboxProxy, View
from moderator_app.ui.main_window import MainWindow
from moderator_app.ui.notifications import Notifier
from moderator_app.ui.ops import Ops
from moderator_app.ui.urgent_words import UrgentWordsDialog
from tests.support.inbox_entries import TORONTO, FakeNow, OneClock, entry, local
from tests.support.memory_settings import MemorySettings
from tests.support.modal import answer_message_box
from tests.ui.conftest import watched_group

NOW = local(2026, 11, 17, 10, 0)


def test_a_flagged_inquiry_is_said_listed_first_and_under_its_own_view(qtbot: Any) -> None:
    model = InboxModel(OneClock(), FakeNow(NOW), TORONTO)
    proxy = InboxProxy(model)
    ModelTester(qtbot).check(proxy, force_py=True)
    model.set_entries(
        [
            entry(1, local(2026, 11, 16, 9, 0)),  # due first
            entry(2, local(2026, 11, 17, 9, 0), urgent="self_harm: want to die", text="<b>I want to die</b>"),
            entry(3, local(2026, 11, 17, 9, 30), state="possible", urgent="violence: he beats me"),
            entry(4, local(2026, 11, 17, 9, 40), state="answered", urgent="medical: chest pain"),  # dealt with
            entry(5, local(2026, 11, 17, 9, 50), state="possible"),
        ]
    )
    # Urgent first, whatever is due; a possible one flagged urgent is open business too.
    assert [proxy.entry(r).id for r in range(proxy.rowCount())] == [2, 3, 1]
    assert proxy.index(0, Column.STATE).data() == "URGENT · open"
    assert proxy.index(0, Column.STATE).data(Qt.ItemDataRole.BackgroundRole) is not None
    tooltip = proxy.index(0, Column.STATE).data(Qt.ItemDataRole.ToolTipRole)
    assert "self-harm" in tooltip and "want to die" in tooltip
    assert proxy.index(2, Column.STATE).data() == "open"
    assert proxy.index(2, Column.STATE).data(Qt.ItemDataRole.BackgroundRole) is None
    assert proxy.index(0, Column.QUESTION).data() == "<b>I want to die</b>"  # text, as written
    proxy.set_view(View.URGENT)
    assert [proxy.entry(r).id for r in range(proxy.rowCount())] == [2, 3]
    assert proxy.index(1, Column.STATE).data() == "URGENT · possible"


def test_urgent_flags_are_announced_once_and_history_is_not(qtbot: Any) -> None:
    now = FakeNow(NOW)
    settings = MemorySettings()
    settings.write(WINDOW_SEEN, local(2026, 11, 16, 17, 0))  # closed last evening
    model = InboxModel(OneClock(), now, TORONTO)
    notifier = Notifier(model, settings)
    news: list[tuple[str, str]] = []
    alarms: list[tuple[str, str]] = []
    notifier.message.connect(lambda title, text: news.append((title, text)))
    notifier.urgent.connect(lambda title, text: alarms.append((title, text)))
    model.set_entries(
        [
            entry(1, local(2026, 11, 2, 10, 0), urgent="violence: he beats me"),  # history: listed, not sounded
            entry(
                2, local(2026, 11, 16, 22, 0), member="Reza", text="دیگه میخوام بمیرم", urgent="self_harm: میخوام بمیرم"
            ),
            entry(3, local(2026, 11, 16, 23, 0), member="Amal"),
        ]
    )
    notifier.log_read()
    assert alarms == [
        (
            "Urgent in \u2068Newcomers Ottawa\u2069: self-harm (“\u2068میخوام بمیرم\u2069”)",
            "\u2068Reza\u2069: \u2068دیگه میخوام بمیرم\u2069",
        )
    ]
    assert [title for title, _ in news] == ["New inquiry in \u2068Newcomers Ottawa\u2069"]  # Amal's; Reza's was louder
    # A follow-up flags Amal's inquiry: announced at once; the same flag again is not.
    model.merge([*model.entries[:2], entry(3, local(2026, 11, 16, 23, 0), member="Amal", urgent="medical: chest pain")])
    assert alarms[-1][0] == "Urgent in \u2068Newcomers Ottawa\u2069: a medical emergency (“\u2068chest pain\u2069”)"
    model.upsert(entry(3, local(2026, 11, 16, 23, 0), member="Amal", urgent="medical: chest pain", topic="other"))
    assert len(alarms) == 2
    # Another danger on the same inquiry is worth saying; loading old possible ones with flags is not.
    model.upsert(entry(3, local(2026, 11, 16, 23, 0), member="Amal", urgent="medical: chest pain; violence: raped"))
    assert len(alarms) == 3
    model.extend([entry(9, local(2026, 11, 10, 9, 0), state="possible", urgent="self_harm: suicide")])
    assert len(alarms) == 3
    # A fresh one, even with notifications of new inquiries turned off.
    notifier.new_inquiries = False
    model.upsert(entry(10, local(2026, 11, 17, 9, 59), state="possible", urgent="trafficking: took my passport"))
    assert len(alarms) == 4


def test_the_urgent_words_dialog_tries_saves_and_restores(qtbot: Any, log: Database) -> None:
    service = SafetyService(log, ChangeBus())
    ops = Ops(lambda work: __import__("moderator_app.ui.ops", fromlist=["run_here"]).run_here(work), str, print)
    dialog = UrgentWordsDialog(service.lists, service.save, ops)
    qtbot.addWidget(dialog)
    dialog.load()
    qtbot.waitUntil(lambda: bool(dialog.boxes))
    assert dialog.tabs.count() == 4 and dialog.tabs.tabText(0) == "Self-harm"
    farsi = dialog.boxes[("self_harm", "fa")]
    assert "خودکشی" in farsi.toPlainText() and farsi.layoutDirection() == Qt.LayoutDirection.RightToLeft
    dialog.trial.setText("the landlord locked us in the basement")
    assert dialog.trial_result.text() == "Not flagged."
    dialog.boxes[("trafficking", "en")].appendPlainText("locked us in\n   \n")
    assert dialog.trial_result.text() == "Flagged urgent: Trafficking, forced labour (“\u2068locked us in\u2069”)"
    with qtbot.waitSignal(dialog.accepted):
        dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    stored = SettingsRepository(log).read(URGENT_WORDS)
    assert stored["trafficking"]["en"][-1] == "locked us in"
    # Emptied by mistake: refused in a sentence, nothing saved.
    again = UrgentWordsDialog(service.lists, service.save, ops)
    qtbot.addWidget(again)
    again.load()
    qtbot.waitUntil(lambda: bool(again.boxes))
    for box in again.boxes.values():
        box.setPlainText("")
    again.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    qtbot.waitUntil(lambda: "empty" in again.status.text())
    assert SettingsRepository(log).read(URGENT_WORDS) == stored
    answer_message_box(QMessageBox.StandardButton.Yes)
    again.starter_button.click()
    assert again.lists() == starter_lists()


def test_a_members_urgent_message_reaches_the_window_flagged_and_edited_words_are_followed(
    qtbot: Any, log: Database, world: FakeTelegram, account: int, connection: ConnectionSettings, tmp_path: Path
) -> None:
    amal, reza = world.add_user("Amal", "Haddad"), world.add_user("رضا", "کریمی")
    group = watched_group(log, world, connection, "Newcomers Ottawa", [amal, reza])
    bridge = ConnectorBridge()
    thread = ConnectorThread(
        lambda: Connector(
            log,
            SecretStore(log),
            connection,
            media_dir=tmp_path / "media",
            on_status=bridge.on_status,
            on_stored=bridge.on_stored,
            poll_interval=0.05,
        )
    )
    bus = ChangeBus()
    bus.subscribe(thread.follow)  # as app.py does: the running connector follows what the window saves
    window = MainWindow(window_services(log, lambda: thread, bus=bus), bridge)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.loaded, timeout=10_000):
        window.resize(1366, 768)
        window.show()
        qtbot.waitExposed(window)
    alarms: list[tuple[str, str]] = []
    window.notifier.urgent.connect(lambda title, text: alarms.append((title, text)))
    thread.start()
    try:
        qtbot.waitUntil(lambda: window.connection.text() == "Telegram: connected", timeout=10_000)
        world.send(group, amal, "Where can I find a family doctor?")
        world.send(group, reza, "شوهرم کتکم میزنه و خشونت خانگی هر شب")  # no question: urgent words only
        qtbot.waitUntil(lambda: window.inbox.urgent_bar.isVisible(), timeout=10_000)
        assert "1 message flagged urgent, not answered or dismissed yet" in window.inbox.urgent_label.text()
        assert len(alarms) == 1 and "violence" in alarms[0][0]
        assert window.proxy.entry(0).member == "رضا کریمی"  # first in the open view
        window.inbox.urgent_button.click()
        assert window.proxy.view is View.URGENT and window.proxy.rowCount() == 1
        assert window.inbox.view_box.currentText() == "Urgent (1)"

        # The organization adds its own words; the running connector reads the next message against them.
        service = SafetyService(log, bus)
        lists = service.lists()
        lists["trafficking"]["en"].append("locked us in")
        saved = window.ops.run(lambda: service.save(lists))
        done: list[object] = []
        saved.success(done.append)
        qtbot.waitUntil(lambda: bool(done))
        qtbot.wait(200)  # the connector follows the announcement on its own loop
        with qtbot.waitSignal(window.notifier.urgent, timeout=10_000):
            world.send(group, amal, "the landlord locked us in the basement")
        assert "trafficking" in alarms[-1][0]
        assert starter_lists() == URGENT_WORDS.default  # editing a copy left the starter lists as they were
        qtbot.waitUntil(lambda: window.proxy.rowCount() == 2, timeout=10_000)
    finally:
        thread.stop()
