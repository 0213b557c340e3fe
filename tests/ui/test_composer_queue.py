"""The composer queues a reply on the database worker: the window never waits on the log, a reply is never
queued twice, and what the moderator wrote is never lost when the outbox refuses it or the log is locked."""

from __future__ import annotations

import threading
from typing import Any

from PySide6.QtCore import Qt
from sqlalchemy.exc import OperationalError

from moderator_app.domain.inbox import InboxEntry
from moderator_app.domain.outbox import OutboxError, Outgoing
from moderator_app.services.errors import sentence
from moderator_app.ui.conversation import ConversationPanel
from moderator_app.ui.ops import Ops
from tests.support.conversation_access import FakeConversation
from tests.support.held_worker import HeldWorker, outgoing
from tests.support.inbox_entries import TORONTO, entry, local


def _panel(qtbot: Any, worker: HeldWorker, queue_reply: Any) -> tuple[ConversationPanel, list[str]]:
    unhandled: list[str] = []
    ops = Ops(worker.submit, sentence, unhandled.append)
    # The fake keeps its own outbox (the replies' state); the test's list says what was queued, and when.
    access = FakeConversation(queue=queue_reply)
    panel = ConversationPanel(TORONTO, access, lambda shown, action: None, ops=ops, on_duty=lambda: 7)
    qtbot.addWidget(panel)
    panel.show()
    return panel, unhandled


def _show(qtbot: Any, worker: HeldWorker, panel: ConversationPanel, shown: InboxEntry) -> None:
    panel.show_entry(shown)
    while worker.waiting:  # the thread and the replies' state are read on the worker too
        worker.run_next()
        qtbot.wait(1)


def test_a_reply_is_queued_on_the_worker_once_and_the_composer_emptied_after(qtbot: Any) -> None:
    worker = HeldWorker()
    outbox: list[Outgoing] = []

    def queue_reply(
        shown: InboxEntry, text: str, holding: bool, reply_to: Any, referrals: Any, profile: Any
    ) -> Outgoing:
        assert threading.current_thread().name == "database worker"
        assert profile == 7  # the profile on duty, read on the window's thread when Ctrl+Enter was pressed
        item = outgoing(len(outbox) + 1, text, shown.id)
        outbox.append(item)
        return item

    panel, unhandled = _panel(qtbot, worker, queue_reply)
    _show(qtbot, worker, panel, entry(1, local(2026, 12, 3, 10)))
    panel.composer.setPlainText("The clinic on Bank Street is open until 8.")
    qtbot.keyClick(panel.composer, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert len(worker.waiting) == 1 and outbox == []  # nothing written on the window's thread
    assert not panel.send_button.isEnabled() and panel.status.text() == "Queuing the reply…"
    assert panel.composer.toPlainText() == "The clinic on Bank Street is open until 8."  # kept until queued
    qtbot.keyClick(panel.composer, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    panel.send()
    assert len(worker.waiting) == 1  # a second Ctrl+Enter while the first is on its way queues nothing

    with qtbot.waitSignal(panel.replied) as replied:
        worker.run_next()
    assert replied.args[0].text == "The clinic on Bank Street is open until 8."
    assert panel.composer.toPlainText() == "" and panel.send_button.isEnabled()
    worker.run_next()  # the replies' state, read after queuing
    qtbot.waitUntil(lambda: panel.status.text() == "queued: The clinic on Bank Street is open until 8.")
    assert [item.text for item in outbox] == ["The clinic on Bank Street is open until 8."]
    assert unhandled == []


def test_what_the_moderator_writes_meanwhile_is_not_emptied(qtbot: Any) -> None:
    worker = HeldWorker()
    outbox: list[Outgoing] = []

    def queue_reply(shown: InboxEntry, text: str, *rest: Any) -> Outgoing:
        item = outgoing(len(outbox) + 1, text, shown.id)
        outbox.append(item)
        return item

    panel, _ = _panel(qtbot, worker, queue_reply)
    _show(qtbot, worker, panel, entry(1, local(2026, 12, 3, 10)))
    panel.composer.setPlainText("First part.")
    panel.send()
    panel.composer.setPlainText("First part. And a second thought")  # typed while the first was being queued
    with qtbot.waitSignal(panel.replied):
        worker.run_next()
    assert panel.composer.toPlainText() == "First part. And a second thought"


def test_a_refused_reply_or_a_locked_log_keeps_the_text_and_says_why(qtbot: Any) -> None:
    worker = HeldWorker()
    problems: list[BaseException] = [
        OutboxError("This reply is longer than Telegram allows (4096 characters); shorten it."),
        OperationalError("INSERT INTO outbox", {}, Exception("database is locked")),
    ]

    def queue_reply(*args: Any) -> Outgoing:
        raise problems.pop(0)

    panel, unhandled = _panel(qtbot, worker, queue_reply)
    _show(qtbot, worker, panel, entry(1, local(2026, 12, 3, 10)))
    panel.composer.setPlainText("مرحبا، العيادة مفتوحة حتى الساعة الثامنة.")
    panel.send()
    worker.run_next()
    qtbot.waitUntil(lambda: "shorten it" in panel.status.text())
    assert panel.composer.toPlainText() == "مرحبا، العيادة مفتوحة حتى الساعة الثامنة."
    assert panel.send_button.isEnabled()

    panel.send()  # the moderator tries again; another program holds the log
    while worker.waiting:  # the text kept as the inquiry's draft, then the second attempt
        worker.run_next()
    qtbot.waitUntil(lambda: "Nothing was changed" in panel.status.text())
    assert "locked" in panel.status.text() or "busy" in panel.status.text()
    assert panel.composer.toPlainText() == "مرحبا، العيادة مفتوحة حتى الساعة الثامنة."
    assert panel.send_button.isEnabled() and unhandled == []
