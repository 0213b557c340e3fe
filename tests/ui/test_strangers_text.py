"""Strangers' text is shown as text everywhere the window shows it: a group title, a member's name, a question
written as HTML never become markup (an <img> of a local file, a fake banner), in labels, item views and
their tooltips, notifications; walked over the real window (issue: hardening, item 1, in part)."""

from __future__ import annotations

import html
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from PySide6.QtCore import QAbstractItemModel, QAbstractListModel, QModelIndex, Qt
from PySide6.QtGui import Qt as GuiQt
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QLabel

from moderator_app.domain.events import MessageRecord, Peer, SourceKind, SourceRef
from moderator_app.ui.delegates import BODY_ROLE, HEADER_ROLE
from moderator_app.ui.plain import plain_notification, plain_tooltip
from tests.support.memory_settings import MemorySettings

IMG = '<img src="file:///dev/zero">'
BANNER = "<h1>URGENT: send your passport</h1>"
GROUP = f"Newcomers {IMG}"
MEMBER = f"{BANNER} Amal"
QUESTION = f"{IMG} where is the office?"
HOSTILE = (IMG, BANNER)


def shown(text: str) -> str:
    """What a tooltip (or a label in its automatic format) shows of ``text``: Qt renders what looks like rich
    text as HTML."""
    if not GuiQt.mightBeRichText(text):
        return text
    document = QTextDocument()
    document.setHtml(text)
    return document.toPlainText()


def _columns(model: QAbstractItemModel) -> int:
    """A list model's column count is not callable from Python (private in QAbstractListModel): one."""
    return 1 if isinstance(model, QAbstractListModel) else model.columnCount(QModelIndex())


def _strings(model: QAbstractItemModel) -> list[tuple[int, str]]:
    roles = (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole)
    found = []
    for row in range(model.rowCount(QModelIndex())):
        for column in range(_columns(model)):
            index = model.index(row, column)
            for role in (*roles, HEADER_ROLE, BODY_ROLE):
                value = model.data(index, role)
                if isinstance(value, str):
                    found.append((int(role), value))
    return found


def test_the_window_shows_hostile_titles_names_and_questions_as_text(qtbot: Any, tmp_path: Path) -> None:
    from moderator_app.app import window_services
    from moderator_app.store.db import open_database
    from moderator_app.store.live import LiveLog
    from moderator_app.ui.connector_bridge import ConnectorBridge
    from moderator_app.ui.main_window import MainWindow
    from tests.conftest import toronto_standard

    db = open_database(data_dir=tmp_path / "log")
    toronto_standard(db)
    live = LiveLog(db)
    group = live.source(SourceRef(SourceKind.GROUP, 1500, GROUP, "public_supergroup"))
    now = datetime.now(UTC) - timedelta(minutes=5)
    live.record(group, MessageRecord(1500, 1, now, Peer("user", 7, MEMBER), QUESTION))
    live.commit()
    window = MainWindow(window_services(db, lambda: None), ConnectorBridge())
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.proxy.rowCount() == 1, timeout=10_000)
    with qtbot.waitSignal(window.conversation.loaded):
        window.inbox.select_row(0)
    assert window.conversation.entry is not None

    seen = 0
    for model in (window.proxy, window.sources_model, window.conversation.model):
        for role, value in _strings(model):
            if any(tag in value for tag in HOSTILE):
                seen += 1
                visible = shown(value) if role == Qt.ItemDataRole.ToolTipRole else value
                assert any(tag in visible for tag in HOSTILE), (role, value)  # the tag is text, not markup
    assert seen >= 6  # the group, the member and the question were all met
    for label in window.findChildren(QLabel):
        if any(tag in label.text() for tag in HOSTILE):
            assert label.textFormat() == Qt.TextFormat.PlainText, label.accessibleName()
    window.shutdown()
    db.close()


def test_notification_bodies_are_escaped_where_the_desktop_reads_markup() -> None:
    import sys

    body = plain_notification(QUESTION)
    if sys.platform.startswith("linux"):
        assert "<img" not in body and html.unescape(body) == QUESTION
    else:
        assert body == QUESTION


@settings(max_examples=200, deadline=None)
@given(
    st.text(
        alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\u2028\u2029"),
        max_size=60,
    ).map(lambda text: text + "<b>x</b>")
)
def test_a_tooltip_shows_any_text_exactly(qapp: Any, text: str) -> None:
    assert shown(plain_tooltip(text)) == text.replace("\xa0", " ")  # Qt's plain text turns no-break spaces to spaces


def test_bidi_controls_in_names_are_isolated_where_they_meet_the_windows_words() -> None:
    """A U+202E in a name or title reverses what follows it up to the end of its isolate only: every place the
    window puts a stranger's text inside its own sentence wraps it in FSI…PDI (issue: hardening, item 1)."""
    from moderator_app.domain.inbox import InboxEntry
    from moderator_app.ui.inbox_model import source_label

    title, topic = "\u202eNewcomers", "\u202eJobs"
    entry = InboxEntry(
        id=1,
        source=title,
        member="\u202eAmal",
        text="\u202elive?",
        media_kind=None,
        state="open",
        language="en",
        topic="other",
        arrival=datetime(2026, 11, 16, tzinfo=UTC),
        due=datetime(2026, 11, 17, tzinfo=UTC),
        first_response=None,
        source_id=1,
        chat_id=1,
        question_id=1,
        forum_topic_id=5,
        forum_topic=topic,
    )
    assert source_label(entry) == f"\u2068{title}\u2069 › \u2068{topic}\u2069"


def test_dialogs_quote_a_files_titles_as_text(qtbot: Any, sqlite_db: Any) -> None:
    """A library imported from someone's file can title an answer "<img …>": the confirmation quoting it shows
    it as written (every message box goes through ui.plain)."""
    from datetime import date

    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMessageBox

    from moderator_app.domain.library import CannedAnswer
    from moderator_app.store.library import LibraryRepository
    from moderator_app.ui.library_editor import LibraryEditor

    library = LibraryRepository(sqlite_db)
    library.upsert_all([CannedAnswer(f"{IMG} Bus pass", "bus-pass", {"en": "The pass costs $5."}, ("transportation",))])
    editor = LibraryEditor(library.all, library.save, library.delete, today=lambda: date(2026, 11, 22))
    qtbot.addWidget(editor)
    editor.show()
    seen: list[tuple[Qt.TextFormat, str]] = []

    def answer(left: int = 250) -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            seen.append((box.textFormat(), box.text()))
            box.button(QMessageBox.StandardButton.No).click()
        elif left:
            QTimer.singleShot(20, lambda: answer(left - 1))

    QTimer.singleShot(20, answer)
    editor.delete()
    quoted = f"\u2068{IMG} Bus pass\u2069"  # isolated: an Arabic title keeps the sentence's order
    assert seen == [(Qt.TextFormat.PlainText, f"Delete “{quoted}” for everyone using this library?")]
    assert [a.shortcut for a in library.all()] == ["bus-pass"]  # "No": kept


STRANGERS = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp"), blacklist_characters="\xa0"),
    min_size=1,
    max_size=40,
).flatmap(lambda text: st.sampled_from([text, f"<b>{text}</b>", f'<img src="file:///{text}">', f"<h1>{text}"]))


@settings(max_examples=60, deadline=None)
@given(source=STRANGERS, member=STRANGERS, question=STRANGERS, topic=STRANGERS, sender=STRANGERS)
def test_any_strangers_text_shows_as_written_in_the_inbox_conversation_and_card(
    qapp: Any, source: str, member: str, question: str, topic: str, sender: str
) -> None:
    """Random and hostile strings as group titles, topics, names and questions, through the inbox and
    conversation models, the member card and the notifications: what the views show holds each as written."""
    from zoneinfo import ZoneInfo

    from moderator_app.domain.conversation import MemberCard, ThreadMessage
    from moderator_app.domain.inbox import InboxEntry
    from moderator_app.ui.conversation_model import ConversationModel
    from moderator_app.ui.inbox_model import InboxModel
    from moderator_app.ui.member_card import MemberCardWidget
    from moderator_app.ui.notifications import Notifier
    from tests.support.inbox_entries import OneClock

    tz = ZoneInfo("America/Toronto")
    now = datetime(2026, 11, 16, 15, 0, tzinfo=UTC)
    entry = InboxEntry(
        id=1, source=source, member=member, text=question, media_kind=None, state="open", language="und",
        topic="other", arrival=now, due=now + timedelta(hours=24), first_response=None, source_id=1,
        forum_topic_id=5, forum_topic=topic, reason=f"question mark: “{question}”",
    )  # fmt: skip
    inbox = InboxModel(OneClock(), lambda: now, tz)
    inbox.set_entries([entry])
    conversation = ConversationModel(tz)
    conversation.inquiry_id = 1
    conversation.set_messages(
        [
            ThreadMessage(1, now, sender, False, question, None, None, None, False, False, False, "question", True),
            ThreadMessage(2, now, sender, True, question, 1, None, None, False, False, False, "staff_reply", False,
                          link="reply", tied_to=1),
        ]
    )  # fmt: skip
    from moderator_app.domain.events import SourceKind, SourceRef
    from moderator_app.domain.inbox import SourceInfo
    from moderator_app.ui.login_wizard import SourcesChoice
    from moderator_app.ui.main_window import SourcesModel

    sources = SourcesModel(inbox)  # the window's list of sources
    sources.set_sources([SourceInfo(1, SourceKind.GROUP, 1500, source, "public_supergroup", None)])
    choice = SourcesChoice()  # the login wizard's list of what to watch
    choice.set_refs([SourceRef(SourceKind.GROUP, 1500, source, "public_supergroup")])
    for model in (inbox, conversation, sources, choice):
        for role, value in _strings(model):
            visible = shown(value) if role == Qt.ItemDataRole.ToolTipRole else value
            for text in (source, member, question, topic, sender):
                if "<" in text and (text in value or html.escape(text, quote=False) in value):
                    assert text in visible.replace("\xa0", " "), (role, value)  # shown as written, not as markup

    card = MemberCardWidget(tz)
    card.set_card(
        MemberCard(member, question, 7, False, None, None, False, None, False, 0, ()), year=2026
    )  # fmt: skip
    for label in card.findChildren(QLabel):
        assert label.textFormat() == Qt.TextFormat.PlainText or not GuiQt.mightBeRichText(label.text())

    notifier = Notifier(inbox, MemorySettings())
    messages: list[tuple[str, str]] = []
    notifier.message.connect(lambda title, text: messages.append((title, text)))
    notifier.log_read()
    notifier._announce([entry])
    assert messages
    for title, text in messages:
        assert source in title and member in text and question.split("\n", 1)[0][:120] in text
    card.deleteLater()


def test_grouped_numbers_in_right_to_left_text_keep_their_order() -> None:
    """ "اتصل على 613-555-0100" showed the number as "0100-555-613": each grouped number is a left-to-right
    isolate when shown (the stored and sent text is unchanged); Latin text is left alone."""
    from moderator_app.ui.delegates import numbers_isolated

    assert numbers_isolated("اتصل على 613-555-0100 أو (613) 555 0199") == (
        "اتصل على \u2066613-555-0100\u2069 أو \u2066(613) 555 0199\u2069"
    )
    assert numbers_isolated("شماره من ۰۹۱۲-۳۴۵-۶۷۸۹ است") == "شماره من \u2066۰۹۱۲-۳۴۵-۶۷۸۹\u2069 است"
    assert numbers_isolated("Call 613-555-0100") == "Call 613-555-0100"
    assert numbers_isolated("عندي 3 أطفال") == "عندي 3 أطفال"  # a lone number is already in order


def test_the_follow_up_date_is_iso_and_blank_when_nothing_is_chosen(qtbot: Any) -> None:
    from moderator_app.ui.conversation import ConversationPanel
    from tests.support.conversation_access import FakeConversation
    from tests.support.inbox_entries import TORONTO, entry, local

    panel = ConversationPanel(TORONTO, FakeConversation(), lambda shown, action: None, set_details=lambda e, d: None)
    qtbot.addWidget(panel)
    assert panel.follow_up_date.text().strip() == ""  # not "1 01 2000"
    panel.show_entry(entry(1, local(2026, 12, 3, 10), follow_up_on=date(2026, 12, 11)))
    assert panel.follow_up_date.text() == "2026-12-11"
    panel.show_entry(None)
    assert panel.follow_up_date.text().strip() == ""
