"""The composer never sends the wrong thing: a canned answer's blanks left empty stop the reply (the blank
is selected to type over), and each inquiry keeps its own draft, across switching and restarts."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from typing import Any

from PySide6.QtCore import Qt

from moderator_app.domain.conversation import ThreadMessage
from moderator_app.domain.inbox import InboxEntry
from moderator_app.domain.library import fill
from moderator_app.domain.outbox import OutboxError, Outgoing
from moderator_app.importers.library_files import STARTER_LIBRARY, read_library
from moderator_app.services.errors import sentence
from moderator_app.ui.conversation import ConversationPanel
from moderator_app.ui.ops import Ops
from tests.support.conversation_access import FakeConversation
from tests.support.held_worker import HeldWorker, outgoing
from tests.support.inbox_entries import TORONTO, entry, local

FIRST, SECOND = entry(1, local(2026, 12, 3, 10)), entry(2, local(2026, 12, 3, 11), member="Omid")


def _queue_into(outbox: list[Outgoing], access: FakeConversation) -> Any:
    def queue(shown: InboxEntry, text: str, *rest: Any) -> Outgoing:
        if not text.strip():
            raise OutboxError("The message is empty: write the text to send.")  # as the log refuses it
        access.drafts.pop(shown.id, None)  # as the log does: the draft goes with the queued reply
        item = outgoing(len(outbox) + 1, text, shown.id)
        outbox.append(item)
        return item

    return queue


def _shown(qtbot: Any, panel: ConversationPanel) -> ConversationPanel:
    qtbot.addWidget(panel)
    with qtbot.waitActive(panel):  # the window active, as on a desk: Ctrl+Enter reaches its shortcut
        panel.show()
        panel.activateWindow()
    return panel


def _send_keys(qtbot: Any, panel: ConversationPanel) -> None:
    qtbot.keyClick(panel.composer, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)


def test_a_reply_with_an_unfilled_blank_does_not_leave_and_the_blank_is_selected(qtbot: Any) -> None:
    licence = next(a for a in read_library(STARTER_LIBRARY) if a.shortcut == "drivers-licence")
    body = fill(licence.bodies["en"], {"member_first_name": "Amal", "moderator_name": "Sara"}, {})
    assert "{?" in body  # the moderator pressed OK with the blanks empty
    outbox: list[Outgoing] = []
    access = FakeConversation()
    access.queue = _queue_into(outbox, access)
    panel = _shown(qtbot, ConversationPanel(TORONTO, access, lambda shown, action: None))
    panel.show_entry(FIRST)
    panel.composer.setPlainText(body)
    _send_keys(qtbot, panel)
    assert outbox == []
    first_blank = body[body.index("{?") : body.index("}", body.index("{?")) + 1]
    assert panel.composer.textCursor().selectedText() == first_blank
    assert panel.composer.hasFocus()
    assert first_blank[2:-1] in panel.status.text() and "Not sent" in panel.status.text()
    while "{?" in panel.composer.toPlainText():  # typing replaces the selected blank; the next one is shown
        qtbot.keyClicks(panel.composer, "six months")
        _send_keys(qtbot, panel)
    assert len(outbox) == 1 and "{" not in outbox[0].text and "six months" in outbox[0].text

    panel.composer.setPlainText("Hello {member_first_name}, the office is on Bank Street.")  # no name known
    _send_keys(qtbot, panel)
    assert len(outbox) == 1 and panel.composer.textCursor().selectedText() == "{member_first_name}"


def test_each_inquiry_keeps_its_own_draft_across_switching_and_a_restart(qtbot: Any) -> None:
    outbox: list[Outgoing] = []
    access = FakeConversation()
    access.queue = _queue_into(outbox, access)
    panel = _shown(qtbot, ConversationPanel(TORONTO, access, lambda shown, action: None, on_duty=lambda: 7))
    panel.show_entry(FIRST)
    qtbot.keyClicks(panel.composer, "The clinic on Bank Street")
    panel.show_entry(SECOND)  # Ctrl+Down: the next member must not get the first one's reply
    assert panel.composer.toPlainText() == ""
    _send_keys(qtbot, panel)
    assert outbox == []  # nothing to send for Omid
    panel.composer.insertPlainText("بطاقة الصحة")  # typed through the input method
    qtbot.waitUntil(lambda: 2 in access.drafts)  # written to the log a moment after the last key
    panel.show_entry(FIRST)
    assert panel.composer.toPlainText() == "The clinic on Bank Street"
    assert access.drafts == {1: ("The clinic on Bank Street", (), 7), 2: ("بطاقة الصحة", (), 7)}

    panel.close()
    restarted = _shown(qtbot, ConversationPanel(TORONTO, access, lambda shown, action: None))  # started again
    restarted.show_entry(SECOND)
    assert restarted.composer.toPlainText() == "بطاقة الصحة"
    _send_keys(qtbot, restarted)
    assert [item.text for item in outbox] == ["بطاقة الصحة"] and outbox[0].inquiry_id == 2
    assert restarted.composer.toPlainText() == "" and 2 not in access.drafts
    restarted.show_entry(FIRST)
    restarted.show_entry(SECOND)
    assert restarted.composer.toPlainText() == ""  # sent: not offered again


def test_moving_on_while_a_reply_is_queued_keeps_no_copy_of_it_as_a_draft(qtbot: Any) -> None:
    worker = HeldWorker()
    outbox: list[Outgoing] = []
    access = FakeConversation()
    access.queue = _queue_into(outbox, access)
    panel = _shown(
        qtbot, ConversationPanel(TORONTO, access, lambda shown, action: None, ops=Ops(worker.submit, sentence, print))
    )
    panel.show_entry(FIRST)
    while worker.waiting:
        worker.run_next()
        qtbot.wait(1)
    panel.composer.setPlainText("The clinic is open until 8.")
    _send_keys(qtbot, panel)
    panel.show_entry(SECOND)  # Ctrl+Down at once, before the worker has queued the reply
    panel.show_entry(FIRST)
    assert panel.composer.toPlainText() == ""  # the reply on its way is not offered for sending again
    while worker.waiting:
        worker.run_next()
        qtbot.wait(1)
    qtbot.waitUntil(lambda: len(outbox) == 1)
    assert 1 not in access.drafts and panel.composer.toPlainText() == ""


def _message(telegram_id: int, text: str) -> ThreadMessage:
    at = local(2026, 12, 3, 10) + timedelta(minutes=telegram_id)
    return ThreadMessage(telegram_id, at, "Amal", False, text, None, None, None, False, False, False, "chatter", False)


def test_the_reader_stays_where_they_are_while_messages_arrive(qtbot: Any) -> None:
    """The thread read again (new messages, the inbox refreshed) used to jump back to the bottom every few
    seconds: now a reader higher up stays there and is told of the new messages; one at the bottom follows."""
    thread = [_message(i, f"Message {i}: " + "a long line of text about housing " * 4) for i in range(1, 60)]
    access = FakeConversation(messages=list(thread))
    panel = _shown(qtbot, ConversationPanel(TORONTO, access, lambda shown, action: None))
    panel.resize(420, 500)
    panel.show_entry(FIRST)
    bar = panel.list.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 0 and bar.value() == bar.maximum())  # opened at the newest
    panel.list.setCurrentIndex(panel.model.index(3))
    panel.list.scrollToTop()
    access.messages.append(_message(60, "The office is on Bank Street"))
    panel.reload()  # what the window does when the connector stores a message
    panel.show_entry(replace(FIRST, state="acknowledged"))  # and when the inbox is read again
    assert bar.value() == 0 and panel.list.currentIndex().row() == 3
    assert panel.new_messages.isVisible() and panel.new_messages.text() == "1 new message ↓"
    qtbot.mouseClick(panel.new_messages, Qt.MouseButton.LeftButton)
    assert bar.value() == bar.maximum() and not panel.new_messages.isVisible()
    access.messages.append(_message(61, "Thank you!"))
    panel.reload()
    qtbot.waitUntil(lambda: bar.value() == bar.maximum())  # at the bottom: it follows the conversation
    assert panel.model.rowCount() == 61 and not panel.new_messages.isVisible()


def test_a_draft_left_by_another_moderator_says_whose_it_is(qtbot: Any) -> None:
    """At a handover the next person sees whose words are in the reply before sending them."""
    access = FakeConversation()
    access.drafts[1] = ("The office opens at 9.", (), 3)
    real = access.draft

    def draft(inquiry_id: int) -> Any:
        found = real(inquiry_id)
        return (replace(found[0], author="Amal Haddad"), found[1]) if found is not None else None

    access.draft = draft  # type: ignore[method-assign]
    panel = _shown(qtbot, ConversationPanel(TORONTO, access, lambda shown, action: None, on_duty=lambda: 7))
    panel.show_entry(FIRST)
    assert panel.composer.toPlainText() == "The office opens at 9."
    assert "Draft left by \u2068Amal Haddad\u2069" in panel.status.text()
