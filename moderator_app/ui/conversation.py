"""The conversation pane: the selected inquiry in context, and the composer that replies through the outbox.

Telegram text is shown as plain text only (no rich text, no links fetched, no remote content).
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from PySide6.QtCore import (
    QDate,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPoint,
    Qt,
    QTimer,
    QUrl,
    Signal,
)
from PySide6.QtGui import QDesktopServices, QKeyEvent, QKeySequence, QShortcut, QTextCursor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListView,
    QMenu,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from moderator_app.domain.actions import Details
from moderator_app.domain.conversation import MemberCard, ThreadMessage
from moderator_app.domain.drafts import Draft
from moderator_app.domain.inbox import InboxEntry
from moderator_app.domain.library import unfilled
from moderator_app.domain.moderation import ModerationKind
from moderator_app.domain.outbox import OutboxError, OutboxState, Outgoing
from moderator_app.domain.referrals import ReferralMatcher, ReferralOrganization
from moderator_app.domain.topics import TOPICS
from moderator_app.ui.access import ConversationAccess
from moderator_app.ui.conversation_model import ConversationModel
from moderator_app.ui.delegates import MessageDelegate, isolate
from moderator_app.ui.inbox_model import source_label
from moderator_app.ui.library_picker import BlanksDialog, LibraryCatalog, LibraryPicker, blanks_of, insert_text
from moderator_app.ui.media import (
    VoicePlayer,
    may_open,
)
from moderator_app.ui.member_card import MemberCardWidget
from moderator_app.ui.ops import Ops

Index = QModelIndex | QPersistentModelIndex

#: The standard holding reply sent by "acknowledge" when the composer is empty, in the member's language.
HOLDING_REPLIES = {
    "en": "Thank you for your question. We are looking into it and will get back to you soon.",
    "fr": "Merci pour votre question. Nous nous en occupons et vous répondrons bientôt.",
    "ar": "شكرًا على سؤالك. نحن نتابع الموضوع وسنرد عليك قريبًا.",
    "fa": "از سؤال شما سپاسگزاریم. در حال بررسی هستیم و به‌زودی پاسخ می‌دهیم.",
    "zh": "谢谢您的提问。我们正在处理，会尽快回复您。",
}

PENDING_CHECK_MS = 5000
#: A draft is written to the log this long after the last key (and at once when the moderator moves on).
DRAFT_SAVE_MS = 1000


class ConversationPanel(QWidget):
    """Shows one inquiry's thread; the composer queues replies (Ctrl+Enter) and shows their state."""

    replied = Signal(object)  # Outgoing
    loaded = Signal()  # the shown inquiry's thread and member card are on screen

    def __init__(
        self,
        timezone: ZoneInfo,
        access: ConversationAccess,
        act: Callable[[InboxEntry, str], None],
        parent: QWidget | None = None,
        *,
        set_details: Callable[[InboxEntry, Details], None] | None = None,
        relink: Callable[[InboxEntry, int, bool], None] | None = None,
        open_file: Callable[[str], bool] | None = None,
        catalog: LibraryCatalog | None = None,
        variables: Callable[[InboxEntry], dict[str, str]] | None = None,
        ops: Ops | None = None,
        on_duty: Callable[[], int | None] = lambda: None,
        moderate: Callable[[InboxEntry, ThreadMessage, ModerationKind], None] | None = None,
    ) -> None:
        """``access`` reads and queues; the decisions (``act``, ``set_details``, ``relink``) go to the window,
        which says their outcome. With ``ops`` what ``access`` does runs on the database worker (the window's);
        without, here (a panel on its own, in tests)."""
        super().__init__(parent)
        self._ops = ops
        self._on_duty = on_duty
        self._sending = False  # a reply is being queued: a second Ctrl+Enter must not queue it twice
        self._read_only = ""  # why nothing can be sent from here (a manager on duty), or "" when it can
        self._relink = relink  # entry, staff message, link (True) or unlink: the window reports the outcome
        self._moderate = moderate  # the window asks how (ui/moderation_dialog) and queues it
        self._timezone = timezone
        self._access = access
        self.catalog = catalog
        self._variables = variables
        self._referred: dict[int, ReferralOrganization] = {}  # partners inserted into the reply being written
        # Drafts (domain.drafts): the composer holds the draft of ``_draft_of``; the others wait here, and in
        # the log (``_kept``: what the log has, so an unchanged draft is not written again).
        self._draft_of: int | None = None
        self._drafts: dict[int, tuple[str, dict[int, ReferralOrganization]]] = {}
        self._kept: dict[int, str] = {}
        self._in_flight: tuple[int, str] | None = None  # (inquiry, text) of the reply being queued
        self._restoring = False
        self._draft_note = ""  # whose draft the composer holds, when another moderator left it
        self.system_open = open_file or (lambda path: QDesktopServices.openUrl(QUrl.fromLocalFile(path)))
        self._downloads: dict[int, int] = {}  # outbox id -> telegram id of a file asked for
        self._asking: set[int] = set()  # telegram ids of files being queued (not yet in the outbox)
        self._set_details = set_details
        self._filling = False
        self._act = act
        self.entry: InboxEntry | None = None
        self.header = QLabel(self.tr("Select an inquiry to read it here."))
        self.header.setWordWrap(True)
        self.header.setTextFormat(Qt.TextFormat.PlainText)
        self.card = MemberCardWidget(timezone)
        self.model = ConversationModel(timezone, self)
        self.list = QListView()
        self.list.setAccessibleName(self.tr("Conversation"))
        self.list.setModel(self.model)
        self.delegate = MessageDelegate(self.list)
        self.list.setItemDelegate(self.delegate)
        self.delegate.mediaActivated.connect(self.activate_media)
        self.list.installEventFilter(self)
        self.list.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.list.customContextMenuRequested.connect(self._context_menu)
        self.player = VoicePlayer(self)
        self.player.changed.connect(self.model.set_playback)
        self.player.failed.connect(self._media_problem)
        self.list.setWordWrap(True)
        self.list.setUniformItemSizes(False)
        self.list.setSpacing(2)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.doubleClicked.connect(lambda index: self.activate_media(index.row()))
        # New messages below while the moderator reads higher up: said, not scrolled to (see _show_read).
        self.new_messages = QPushButton()
        self.new_messages.setAccessibleName(self.tr("Go to the new messages"))
        self.new_messages.clicked.connect(self._to_newest)
        self.new_messages.hide()
        self.list.verticalScrollBar().valueChanged.connect(self._scrolled)
        self.composer = QPlainTextEdit()
        self.composer.setAccessibleName(self.tr("Reply"))
        self.composer.setPlaceholderText(self.tr("Write a reply… (Ctrl+Enter sends)"))
        self.composer.setMinimumHeight(56)  # three lines; the splitter above it gives it more
        self.send_button = QPushButton(self.tr("&Send reply"))
        self.send_button.setAccessibleName(self.tr("Send reply"))
        self.send_button.clicked.connect(self.send)
        self.read_only_note = QLabel()
        self.read_only_note.setTextFormat(Qt.TextFormat.PlainText)
        self.read_only_note.setWordWrap(True)
        self.read_only_note.setAccessibleName(self.tr("Why nothing can be sent"))
        self.read_only_note.setStyleSheet("background: #e7f1ff; color: #084298; padding: 6px; border-radius: 4px;")
        self.read_only_note.hide()
        self.status = QLabel()
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.status.setAccessibleName(self.tr("Replies and their state"))
        self.status.setWordWrap(True)
        self.acknowledge_button = QPushButton(self.tr("&Acknowledge"))
        self.acknowledge_button.setToolTip(
            self.tr(
                "Send a holding reply (the text above, or a standard one in the member's language): the "
                "first response is met and the inquiry stays open."
            )
        )
        self.answered_button = QPushButton(self.tr("&Mark answered"))
        self.answered_button.setToolTip(self.tr("Answered outside this chat (by phone, in person)."))
        self.confirm_button = QPushButton(self.tr("&Confirm answer"))
        self.confirm_button.setToolTip(self.tr("A member answered and the answer is right."))
        self.correct_button = QPushButton(self.tr("Co&rrect answer"))
        self.correct_button.setToolTip(
            self.tr(
                "A member answered and the answer is wrong: the text above goes as a reply to their answer, "
                "so the group sees the correction where the mistake is."
            )
        )
        self.correct_button.setAccessibleName(self.tr("Correct answer"))
        self.correct_button.clicked.connect(self.correct)
        self.dismiss_button = QPushButton(self.tr("&Dismiss: not an inquiry"))
        self.dismiss_button.setToolTip(self.tr("Thanks, chatter: leaves the inbox and the counts; the messages stay."))
        self.promote_button = QPushButton(self.tr("Make it an in&quiry"))
        self.promote_button.setToolTip(
            self.tr(
                "A possible (or dismissed) inquiry that is a real one: it is counted and its countdown runs from "
                "when it was asked. The detector learns from the decision, as it does from dismissals."
            )
        )
        self.why = QLabel()
        self.why.setTextFormat(Qt.TextFormat.PlainText)  # the reason can quote a member's words
        self.why.setWordWrap(True)
        self.why.setAccessibleName(self.tr("Why this is an inquiry"))
        for button, name in (
            (self.acknowledge_button, "acknowledge"),
            (self.answered_button, "mark_answered"),
            (self.confirm_button, "confirm_answer"),
            (self.dismiss_button, "dismiss"),
            (self.promote_button, "promote"),
        ):
            button.setAccessibleName(button.text().replace("&", ""))
            if name == "acknowledge":
                button.clicked.connect(self.acknowledge)
            else:
                button.clicked.connect(lambda _=False, n=name: self._action(n))
        self.topic = QComboBox()
        self.topic.setAccessibleName(self.tr("Topic"))
        for topic in (*TOPICS, "other"):
            self.topic.addItem(topic, topic)
        self.topic.activated.connect(lambda _: self._details(Details(topic=self.topic.currentData())))
        self.follow_up = QCheckBox(self.tr("&Follow up on"))
        self.follow_up_date = QDateEdit()
        self.follow_up_date.setCalendarPopup(True)
        # ISO, whatever the locale (a bare "d MM yyyy" read "1 01 2000"); nothing shown before an inquiry is.
        # In a right-to-left window Qt writes the parts in reverse so that it reads right to left as ISO.
        self.follow_up_date.setDisplayFormat("yyyy-MM-dd")
        self.follow_up_date.setMinimumDate(QDate(2000, 1, 1))
        self.follow_up_date.setSpecialValueText(" ")
        self.follow_up_date.setDate(QDate(2000, 1, 1))
        self.follow_up_date.setAccessibleName(self.tr("Follow-up date"))
        self.follow_up.toggled.connect(lambda _: self._follow_up_changed())
        self.follow_up_date.editingFinished.connect(self._follow_up_changed)
        details = QGridLayout()  # two rows, so the pane stays narrow beside a wide inbox
        topic_label = QLabel(self.tr("T&opic:"))
        topic_label.setBuddy(self.topic)
        details.addWidget(topic_label, 0, 0)
        details.addWidget(self.topic, 0, 1)
        details.addWidget(self.follow_up, 1, 0)
        details.addWidget(self.follow_up_date, 1, 1)
        details.setColumnStretch(1, 1)
        actions = QGridLayout()  # two by two: the pane stays narrow enough beside a wide inbox
        for position, button in enumerate(
            (
                self.acknowledge_button,
                self.answered_button,
                self.confirm_button,
                self.correct_button,
                self.dismiss_button,
                self.promote_button,
            )
        ):
            actions.addWidget(button, position // 2, position % 2)
        buttons = QHBoxLayout()
        buttons.addWidget(self.status, 1)
        buttons.addWidget(self.send_button)
        thread = QWidget()
        thread_layout = QVBoxLayout(thread)
        thread_layout.setContentsMargins(0, 0, 0, 0)
        thread_layout.addWidget(self.list, 1)
        thread_layout.addWidget(self.new_messages, 0, Qt.AlignmentFlag.AlignHCenter)
        reply = QWidget()
        reply_layout = QVBoxLayout(reply)
        reply_layout.setContentsMargins(0, 0, 0, 0)
        reply_layout.addLayout(details)
        reply_layout.addLayout(actions)
        reply_layout.addWidget(self.read_only_note, 1)
        reply_layout.addWidget(self.composer, 1)
        reply_layout.addLayout(buttons)
        # The thread above, the reply below: a long reply can take the thread's place (drag the handle up, or
        # Ctrl+Shift+E), and give it back.
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(thread)
        self.splitter.addWidget(reply)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 0)
        self.splitter.setSizes([700, 1])  # the reply at its smallest at first: the thread has the room
        self.splitter.handle(1).setAccessibleName(self.tr("Between the conversation and the reply"))
        layout = QVBoxLayout(self)
        layout.addWidget(self.header)
        layout.addWidget(self.why)
        layout.addWidget(self.card)
        layout.addWidget(self.splitter, 1)
        for keys in (QKeySequence("Ctrl+Return"), QKeySequence("Ctrl+Enter")):
            shortcut = QShortcut(keys, self.composer)
            shortcut.activated.connect(self.send)
        self.shortcuts = [
            (QKeySequence("Ctrl+Shift+A"), self.acknowledge, self.tr("Acknowledge (holding reply)")),
            (QKeySequence("Ctrl+Shift+M"), lambda: self._action("mark_answered"), self.tr("Mark answered")),
            (
                QKeySequence("Ctrl+Shift+C"),
                lambda: self._action("confirm_answer"),
                self.tr("Confirm a member's answer"),
            ),
            (QKeySequence("Ctrl+Shift+R"), self.correct, self.tr("Correct a member's answer")),
            (QKeySequence("Ctrl+Shift+D"), lambda: self._action("dismiss"), self.tr("Dismiss: not an inquiry")),
            (
                QKeySequence("Ctrl+Shift+P"),
                lambda: self._action("promote") if self.promote_button.isEnabled() else None,
                self.tr("Make a possible inquiry an inquiry"),
            ),
            (
                QKeySequence("Ctrl+L"),
                lambda: self.relink_selected(True),
                self.tr("Link the selected staff message to this question (it answers it)"),
            ),
            (
                QKeySequence("Ctrl+U"),
                lambda: self.relink_selected(False),
                self.tr("Unlink the selected staff message from this question (it answers something else)"),
            ),
            (QKeySequence("Ctrl+R"), self.composer.setFocus, self.tr("Write a reply")),
            (
                QKeySequence("Ctrl+Shift+E"),
                self.toggle_long_reply,
                self.tr("A long reply: the reply takes the thread's place (and back)"),
            ),
            (
                QKeySequence("Ctrl+K"),
                self.open_library,
                self.tr("Insert a canned answer (or type / in an empty reply)"),
            ),
        ]
        for keys, slot, _ in self.shortcuts:
            QShortcut(keys, self, slot)
        self.composer.textChanged.connect(self._slash)
        self.composer.textChanged.connect(self._typed)
        self._draft_timer = QTimer(self)
        self._draft_timer.setSingleShot(True)
        self._draft_timer.setInterval(DRAFT_SAVE_MS)
        self._draft_timer.timeout.connect(self._keep_draft)
        self._set_enabled(False)
        # The connector says when an outbox item changes (the window calls refresh_replies); this slower check
        # is for a connector running elsewhere (a team's), and only while something is still on its way.
        self.refresh_timer = QTimer(self)
        self.refresh_timer.setInterval(PENDING_CHECK_MS)
        self.refresh_timer.timeout.connect(self.refresh_replies)

    def toggle_long_reply(self) -> None:
        """The reply takes most of the pane (a long answer), or gives the thread its room back."""
        thread, reply = self.splitter.sizes()
        total = thread + reply
        small = self.list.minimumSizeHint().height() + 40
        if thread > small:
            self.splitter.setSizes([small, total - small])
        else:
            self.splitter.setSizes([total * 2 // 3, total - total * 2 // 3])
        self.composer.setFocus()

    def set_read_only(self, reason: str) -> None:
        """Nothing is sent from the pane while ``reason`` is given (a manager on duty: the reply, a holding
        reply, a correction, moderating a message), and the reason is said above the reply; "" lifts it. The
        decisions that send nothing (mark answered, dismiss, topic, follow-up) stay."""
        self._read_only = reason
        self.read_only_note.setText(reason)
        self.read_only_note.setVisible(bool(reason))
        for widget in (self.composer, self.send_button):  # the reason takes their place
            widget.setVisible(not reason)
        # Five lines at least: the pane is narrow, and a wrapped label's own minimum would clip the sentence.
        self.read_only_note.setMinimumHeight(self.read_only_note.fontMetrics().lineSpacing() * 5 + 14 if reason else 0)
        self._set_enabled(self.entry is not None)

    @property
    def read_only(self) -> str:
        return self._read_only

    def _set_enabled(self, enabled: bool) -> None:
        self.topic.setEnabled(enabled and self._set_details is not None)
        self.follow_up.setEnabled(enabled and self._set_details is not None)
        self.composer.setEnabled(enabled and not self._read_only)
        # A reply on its way to the outbox: nothing is sent twice; a manager on duty: nothing is sent at all.
        sendable = enabled and not self._sending and not self._read_only
        self.send_button.setEnabled(sendable)
        entry = self.entry
        state = entry.state if entry is not None else ""
        still_owed = enabled and state in ("open", "acknowledged", "member_answered")
        self.acknowledge_button.setEnabled(still_owed and sendable and state != "acknowledged")
        self.answered_button.setEnabled(still_owed)
        self.confirm_button.setEnabled(enabled and state == "member_answered")
        self.correct_button.setEnabled(sendable and state == "member_answered")
        self.dismiss_button.setEnabled(enabled and state != "dismissed")
        self.promote_button.setEnabled(enabled and state in ("possible", "dismissed"))

    def show_entry(self, entry: InboxEntry | None) -> None:
        switching = entry is None or self.entry is None or entry.id != self.entry.id
        if switching:
            self.player.stop()
            self._downloads.clear()
            self._asking.clear()
            # Another inquiry's messages must never stand for this one's while its own are read.
            self.model.set_messages([])
            self.card.set_card(None)
            self._put_draft_away()
        self.entry = entry
        if switching and entry is not None:
            self._take_draft(entry)
        self.why.setText(self._why(entry))
        self.why.setVisible(bool(self.why.text()))
        if entry is None:
            self.header.setText(self.tr("Select an inquiry to read it here."))
            self._filling = True
            self.follow_up.setChecked(False)
            self.follow_up_date.setDate(self.follow_up_date.minimumDate())  # blank, not a date nobody chose
            self.topic.setCurrentIndex(-1)  # no inquiry, no topic (it showed the last one's)
            self._filling = False
            self.model.inquiry_id = None
            self.model.set_messages([])
            self.card.set_card(None)
            self._set_enabled(False)
            return
        # A plain-text label aligns by its own text's direction; the header follows the window's instead.
        side = (
            Qt.AlignmentFlag.AlignRight
            if self.layoutDirection() == Qt.LayoutDirection.RightToLeft
            else Qt.AlignmentFlag.AlignLeft
        )
        self.header.setAlignment(Qt.AlignmentFlag.AlignAbsolute | side | Qt.AlignmentFlag.AlignVCenter)
        self.header.setText(
            self.tr("%1 in %2 — %3")
            .replace("%1", isolate(entry.member or self.tr("(unknown)")))
            .replace("%2", isolate(source_label(entry)))
            .replace("%3", entry.topic)
        )
        self.model.inquiry_id = entry.id
        # The same inquiry shown again (the inbox was read again): the reader stays where they are.
        self._read(entry, scroll=switching)
        self._filling = True
        self.topic.setCurrentIndex(max(0, self.topic.findData(entry.topic)))
        self.follow_up.setChecked(entry.follow_up_on is not None)
        day = entry.follow_up_on or (date.today() + timedelta(days=7))
        self.follow_up_date.setDate(QDate(day.year, day.month, day.day))
        self.follow_up_date.setEnabled(entry.follow_up_on is not None)
        self._filling = False
        self._set_enabled(True)
        self.refresh_replies()

    # -- drafts -----------------------------------------------------------------------------------------

    def _typed(self) -> None:
        if not self._restoring and self._draft_of is not None:
            self._draft_timer.start()

    def _draft_text(self, inquiry_id: int, text: str) -> str:
        """What to keep as the inquiry's draft: not the reply on its way (kept, it could be sent twice)."""
        if self._in_flight == (inquiry_id, text):
            return ""
        return text if text.strip() else ""

    def _keep_draft(self) -> None:
        """The composer's text as its inquiry's draft, in the log (on the database worker)."""
        inquiry_id = self._draft_of
        if inquiry_id is None:
            return
        self._draft_timer.stop()
        self._write_draft(inquiry_id, self._draft_text(inquiry_id, self.composer.toPlainText()), self._referred)

    def _write_draft(self, inquiry_id: int, text: str, referred: dict[int, ReferralOrganization]) -> None:
        if self._kept.get(inquiry_id, "") == text:
            return
        self._kept[inquiry_id] = text
        save, partners, profile = self._access.save_draft, tuple(referred), self._on_duty()
        if self._ops is None:
            save(inquiry_id, text, partners, profile)
        else:
            self._ops.run(lambda: save(inquiry_id, text, partners, profile))

    def _put_draft_away(self) -> None:
        """Moving to another inquiry: what was written stays with its own inquiry (in memory and the log)."""
        inquiry_id = self._draft_of
        if inquiry_id is None:
            return
        text = self._draft_text(inquiry_id, self.composer.toPlainText())
        referred = dict(self._referred)
        if text:
            self._drafts[inquiry_id] = (text, referred)
        else:
            self._drafts.pop(inquiry_id, None)
        self._write_draft(inquiry_id, text, referred)
        self._draft_of = None
        self._fill_composer("", {})

    def _fill_composer(self, text: str, referred: dict[int, ReferralOrganization]) -> None:
        self._draft_timer.stop()
        self._restoring = True
        try:
            self.composer.setPlainText(text)
            self.composer.moveCursor(QTextCursor.MoveOperation.End)
        finally:
            self._restoring = False
        self._referred = dict(referred)

    def _take_draft(self, entry: InboxEntry) -> None:
        """The inquiry's own draft in the composer: from memory, else from the log (read on the worker)."""
        self._draft_of = entry.id
        self._draft_note = ""
        held = self._drafts.get(entry.id)
        if held is not None:
            self._fill_composer(*held)
            return
        if entry.id in self._kept:
            return  # this session knows the log has none
        read = self._access.draft

        def shown(found: tuple[Draft, list[ReferralOrganization]] | None) -> None:
            if found is None:
                self._kept.setdefault(entry.id, "")
                return
            draft, partners = found
            self._kept.setdefault(entry.id, draft.text)
            if self._draft_of == entry.id and not self.composer.toPlainText():  # nothing typed meanwhile
                self._fill_composer(draft.text, {o.id: o for o in partners if o.id is not None})
                if draft.author and draft.profile_id != self._on_duty():  # a handover: whose words these are
                    when = draft.updated_at.astimezone(self._timezone).strftime("%a %d %b %H:%M")
                    self._draft_note = (
                        self.tr("Draft left by %1 (%2): check it before sending.")
                        .replace("%1", isolate(draft.author))
                        .replace("%2", when)
                    )
                    self.status.setText(self._draft_note)

        if self._ops is None:
            shown(read(entry.id))
        else:
            self._ops.run(lambda: read(entry.id)).success(shown)

    def _why(self, entry: InboxEntry | None) -> str:
        """ "Why is this an inquiry?": the signals the rules saw (a possible inquiry: why it might be one)."""
        if entry is None or not entry.reason:
            return ""
        if entry.state == "possible":
            return self.tr("Possible inquiry, not counted yet. Why: %1").replace("%1", entry.reason)
        return self.tr("Why an inquiry: %1").replace("%1", entry.reason)

    def reload(self) -> None:
        if self.entry is not None:
            self._read(self.entry, scroll=False)

    def set_timezone(self, timezone: ZoneInfo) -> None:
        """The general standard's time zone changed: times and the member's card are shown in the new one."""
        self._timezone = timezone
        self.model.set_timezone(timezone)
        self.card.set_timezone(timezone)
        self.reload()

    def _read(self, entry: InboxEntry, *, scroll: bool) -> None:
        """The thread and the member's card, read off the window's thread when the panel has ``ops``."""
        access = self._access

        def read() -> tuple[list[ThreadMessage], MemberCard | None]:
            return access.thread(entry), access.member_card(entry)

        if self._ops is None:
            self._show_read(entry, read(), scroll)
        else:
            self._ops.run(read).success(lambda result: self._show_read(entry, result, scroll))

    def _show_read(
        self, entry: InboxEntry, result: tuple[list[ThreadMessage], MemberCard | None], scroll: bool
    ) -> None:
        if self.entry is None or self.entry.id != entry.id:
            return  # the moderator has moved on: this is for an inquiry no longer shown
        messages, card = result
        # The member's card above the thread; hidden when no card is wired in or the inquiry has no member.
        self.card.set_card(card, year=entry.arrival.astimezone(self._timezone).year)
        bar = self.list.verticalScrollBar()
        at_bottom = bar.value() >= bar.maximum() - 4
        added = self.model.set_messages(messages)  # the same thread: rows change in place, the view stays put
        if scroll or at_bottom:
            self.list.scrollToBottom()  # a reader at the newest message follows the conversation
            self.new_messages.hide()
        elif added:
            self.new_messages.setText(self.tr("%n new messages ↓", "", added))
            self.new_messages.show()
        self.loaded.emit()

    def _scrolled(self, value: int) -> None:
        if self.new_messages.isVisible() and value >= self.list.verticalScrollBar().maximum() - 4:
            self.new_messages.hide()  # read down to them

    def _to_newest(self) -> None:
        self.list.scrollToBottom()
        self.new_messages.hide()

    def send(self, *, holding: bool = False, reply_to: int | None = None) -> None:
        if self.entry is None or self._sending:
            return
        if self._read_only:
            self.status.setText(self._read_only)
            return
        entry = self.entry
        text = self.composer.toPlainText()
        if holding and not text.strip():
            text = HOLDING_REPLIES.get(entry.language, HOLDING_REPLIES["en"])
        if self._refuse_unfilled(text):
            return
        # A partner inserted, then deleted before sending, is no referral: the reply must still name it, by the
        # rule the statistics use for imported history.
        named = ReferralMatcher(self._referred.values()).find(text) if self._referred and not holding else []
        referrals = tuple(o.id for o in named if o.id is not None)
        queue, profile = self._access.queue_reply, self._on_duty()

        def work() -> Outgoing:
            return queue(entry, text, holding, reply_to, referrals, profile)

        typed = self.composer.toPlainText()
        if self._ops is None:
            try:
                item = work()
            except OutboxError as exc:
                self.status.setText(str(exc))
                return
            self._queued(entry.id, typed, item)
            return
        self._in_flight = (entry.id, typed)
        self._draft_timer.stop()
        self._set_sending(True)
        self.status.setText(self.tr("Queuing the reply…"))
        self._ops.run(work).success(lambda item: self._queued(entry.id, typed, item)).failure(
            lambda message: self._not_queued(entry.id, typed, message)
        )

    def _refuse_unfilled(self, text: str) -> bool:
        """A blank or variable of a canned answer still in the reply: nothing is sent; the first is selected
        in the composer, ready to type over, and named."""
        left = unfilled(text)
        if not left:
            return False
        first = left[0]
        cursor = self.composer.textCursor()
        cursor.setPosition(first.start)
        cursor.setPosition(first.end, QTextCursor.MoveMode.KeepAnchor)
        self.composer.setTextCursor(cursor)
        self.composer.setFocus()
        message = (
            self.tr("Not sent: fill in the blank “%1” first (it is selected in the reply).")
            if first.blank
            else self.tr("Not sent: “%1” has no value here; type it in place of the selection.")
        )
        if len(left) > 1:
            message += " " + self.tr("(And %n more after it.)", "", len(left) - 1)
        self.status.setText(message.replace("%1", isolate(first.label)))  # an Arabic label in an English line
        return True

    def _set_sending(self, sending: bool) -> None:
        self._sending = sending
        self._set_enabled(self.entry is not None)

    def _queued(self, inquiry_id: int, typed: str, item: Outgoing) -> None:
        """The reply is in the outbox, and the inquiry's draft gone from the log with it: the composer is
        emptied if it still holds what was sent (the moderator may have gone on writing, or moved to another
        inquiry, meanwhile)."""
        self._in_flight = None
        if self._sending:
            self._set_sending(False)
        self._kept[inquiry_id] = ""
        held = self._drafts.get(inquiry_id)
        if held is not None and held[0] == typed:
            del self._drafts[inquiry_id]
        if self._draft_of == inquiry_id:
            if self.composer.toPlainText() == typed:
                self._fill_composer("", {})
            else:
                self._keep_draft()  # what was typed after it is the draft now
        self.replied.emit(item)
        self.refresh_replies()

    def _not_queued(self, inquiry_id: int, typed: str, message: str) -> None:
        """Nothing was queued: the text stays the inquiry's (in the composer, or as its draft if the moderator
        has moved on), to send again."""
        self._in_flight = None
        self._set_sending(False)
        if self._draft_of == inquiry_id:
            self._keep_draft()
        elif inquiry_id not in self._drafts and typed.strip():
            self._drafts[inquiry_id] = (typed, {})
            self._write_draft(inquiry_id, typed, {})
        self.status.setText(message)

    def correct(self) -> None:
        """The right answer, as a reply to the member's wrong one: it answers the inquiry (information)."""
        if self.entry is None or self.entry.state != "member_answered":
            return
        answers = [
            self.model.message(row)
            for row in range(self.model.rowCount())
            if self.model.message(row).role == "member_answer"
        ]
        if not self.composer.toPlainText().strip():
            self.composer.setFocus()
            self.status.setText(self.tr("Write the right answer above, then press “Correct answer” again."))
            return
        if not answers:  # the thread is still being read: the wrong answer to reply to is not known yet
            self.status.setText(self.tr("The conversation is still being read: press “Correct answer” again."))
            return
        self.send(reply_to=answers[-1].telegram_id if answers else None)

    def acknowledge(self) -> None:
        """A holding reply: sent like any reply, logged as the acknowledgement (not as information)."""
        self.send(holding=True)

    def _details(self, details: Details) -> None:
        if self.entry is not None and self._set_details is not None and not self._filling:
            self._set_details(self.entry, details)

    def _follow_up_changed(self) -> None:
        day = self.follow_up_date.date().toPython() if self.follow_up.isChecked() else None
        self.follow_up_date.setEnabled(self.follow_up.isChecked())
        self._details(Details(follow_up=day, change_follow_up=True))  # type: ignore[arg-type]

    def _action(self, name: str) -> None:
        if self.entry is not None:
            self._act(self.entry, name)

    def refresh_replies(self) -> None:
        """The state of the inquiry's last replies (and of files asked for), read on the database worker."""
        if self.entry is None or not self.isVisible():
            return
        entry_id = self.entry.id
        replies_of, outbox_item = self._access.replies_of, self._access.outbox_item
        asked = list(self._downloads)

        def read() -> tuple[list[Outgoing], list[tuple[int, Outgoing | None]]]:
            files = [(item_id, outbox_item(item_id)) for item_id in asked]
            return replies_of(entry_id)[-3:], files

        if self._ops is None:
            self._show_replies(entry_id, read())
        else:
            self._ops.run(read).success(lambda result: self._show_replies(entry_id, result))

    def _show_replies(self, entry_id: int, result: tuple[list[Outgoing], list[tuple[int, Outgoing | None]]]) -> None:
        if self.entry is None or self.entry.id != entry_id:
            return  # read for an inquiry no longer shown
        replies, files = result
        problem = self._check_downloads(files)
        if self._sending:
            return  # "Queuing the reply…" stays until the outbox has it
        names = {
            OutboxState.QUEUED: self.tr("queued"),
            OutboxState.SENDING: self.tr("sending"),
            OutboxState.SENT: self.tr("sent"),
            OutboxState.FAILED: self.tr("failed"),
        }
        lines = []
        pending = False
        for item in replies:
            first = item.text.splitlines()[0][:60] if item.text else ""
            line = f"{names[item.state]}: {first}"
            if item.state is OutboxState.FAILED and item.last_error:
                line += f" — {item.last_error}"
            lines.append(line)
            pending = pending or item.state in (OutboxState.QUEUED, OutboxState.SENDING)
        if self._draft_note and self.composer.toPlainText():
            lines.insert(0, self._draft_note)
        if self._downloads:  # said until the file is here, whatever the replies' state says meanwhile
            lines.append(self.tr("Download asked for; the file appears here when it has arrived."))
        if problem:
            lines.append(problem)  # under the replies' state, not replaced by it
        self.status.setText("\n".join(lines))
        if pending or self._downloads:
            self.refresh_timer.start()
        else:
            self.refresh_timer.stop()

    # -- the canned-answer library ---------------------------------------------------------------------------

    def _slash(self) -> None:
        """ "/" typed into an empty reply opens the library, as in chat apps."""
        if self.composer.toPlainText() == "/" and self.catalog is not None and self.entry is not None:
            self.composer.clear()
            self.open_library()

    def open_library(self) -> None:
        """The picker for the selected inquiry; the chosen answer goes in at the cursor, ready to edit."""
        if self.entry is None or self.catalog is None:
            return
        language = self.entry.language if self.entry.language != "und" else "en"
        picker = LibraryPicker(self.catalog, language, self.entry.text or "", parent=self)
        if picker.exec() != QDialog.DialogCode.Accepted or picker.chosen is None:
            self.composer.setFocus()
            return
        chosen = picker.chosen
        labels = blanks_of(chosen.answer, chosen.language)
        answers: dict[str, str] = {}
        if labels:
            dialog = BlanksDialog(labels, self)
            if dialog.exec() != QDialog.DialogCode.Accepted:
                self.composer.setFocus()
                return
            answers = dialog.answers()
        values = self._variables(self.entry) if self._variables is not None else {}
        self.composer.insertPlainText(insert_text(chosen.answer, chosen.language, values, answers))
        if isinstance(chosen.answer, ReferralOrganization):
            if chosen.answer.id is not None:  # counted as a referral if the reply still names it when sent
                self._referred[chosen.answer.id] = chosen.answer
        elif chosen.answer.id is not None:
            record, answer_id = self._access.record_use, chosen.answer.id
            if self._ops is None:
                record(answer_id)
            else:
                self._ops.run(lambda: record(answer_id))
        self.composer.setFocus()

    # -- media ---------------------------------------------------------------------------------------------

    def activate_media(self, row: int) -> None:
        """Enter, a double-click or a click on the media: play or pause a voice note, open a file with the
        system's viewer, or ask the connector for a file that was too large to fetch on arrival."""
        if not 0 <= row < self.model.rowCount():
            return
        view = self.model.media_view(row)
        if view is None:
            return
        if view.playable and view.path is not None:
            self.player.toggle(view.path)
        elif view.path is not None:
            self.open_file(row)
        elif view.downloadable:
            self.download(row)

    def open_file(self, row: int) -> None:
        path = self.model.file(row)
        if path is None:
            return
        if not may_open(path):
            self._media_problem(
                self.tr(
                    "%1 is not opened from the workstation: only images, sound, video, PDF, text and office "
                    "documents without macros are, when their content matches their name. Right-click it to save "
                    "a copy."
                ).replace("%1", Path(path).name)
            )
            return
        if not self.system_open(path):
            self._media_problem(
                self.tr("No program on this computer opens %1. The file is at %2.")
                .replace("%1", Path(path).name)
                .replace("%2", path)
            )

    def save_copy(self, row: int) -> None:
        """Any received file can be saved where the moderator chooses (what is not opened from here, too)."""
        path = self.model.file(row)
        if path is None:
            return
        target, _ = QFileDialog.getSaveFileName(self, self.tr("Save a copy as"), str(Path.home() / Path(path).name))
        if not target:
            return
        try:
            shutil.copyfile(path, target)
        except OSError as exc:
            self._media_problem(self.tr("The copy could not be saved (%1).").replace("%1", exc.strerror or str(exc)))
            return
        self.status.setText(self.tr("Saved a copy as %1.").replace("%1", target))

    def download(self, row: int) -> None:
        if self.entry is None:
            return
        telegram_id = self.model.message(row).telegram_id
        if telegram_id in self._downloads.values() or telegram_id in self._asking:
            return
        entry, queue = self.entry, self._access.queue_download
        if self._ops is None:
            try:
                item = queue(entry, telegram_id)
            except OutboxError as exc:
                self._media_problem(str(exc))
                return
            self._download_queued(entry.id, telegram_id, item)
            return
        self._asking.add(telegram_id)

        def failed(message: str) -> None:
            self._asking.discard(telegram_id)
            self._media_problem(message)

        self._ops.run(lambda: queue(entry, telegram_id)).success(
            lambda item: self._download_queued(entry.id, telegram_id, item)
        ).failure(failed)

    def _download_queued(self, entry_id: int, telegram_id: int, item: Outgoing) -> None:
        self._asking.discard(telegram_id)
        if self.entry is None or self.entry.id != entry_id:
            return  # the connector fetches it all the same; it shows when that inquiry is opened again
        self._downloads[item.id] = telegram_id
        self.status.setText(self.tr("Download asked for; the file appears here when it has arrived."))
        self.refresh_timer.start()

    def _check_downloads(self, files: list[tuple[int, Outgoing | None]]) -> str:
        """Files that arrived are shown (the thread is read again); the sentence for one that failed."""
        arrived = False
        problem = ""
        for item_id, item in files:
            if item_id not in self._downloads:
                continue  # the inquiry changed while this was read
            if item is None or item.state is OutboxState.SENT:
                arrived = True
                del self._downloads[item_id]
            elif item.state is OutboxState.FAILED:
                del self._downloads[item_id]
                problem = self.tr("The file could not be downloaded: %1").replace("%1", item.last_error or "")
        if arrived:
            self.reload()
        return problem

    def _media_problem(self, message: str) -> None:
        self.status.setText(message)

    def linkable(self, row: int) -> tuple[bool, bool]:
        """Whether the message at ``row`` can be linked to the inquiry shown, and whether it can be unlinked."""
        entry = self.entry
        if self._relink is None or entry is None or not 0 <= row < self.model.rowCount():
            return False, False
        message = self.model.message(row)
        if not message.from_staff or message.is_service or message.date < entry.arrival:
            return False, False
        tied = message.tied_to is not None and message.tied_to == entry.id
        return not tied and entry.state != "dismissed", tied

    def relink_selected(self, link: bool) -> None:
        """Ctrl+L / Ctrl+U on the selected staff message (the context menu does the same)."""
        index = self.list.currentIndex()
        row = index.row() if index.isValid() else -1
        can_link, can_unlink = self.linkable(row)
        if self.entry is None or self._relink is None:
            return
        if not (can_link if link else can_unlink):
            self.status.setText(
                self.tr("Select a staff message sent after the question to link it to this question.")
                if link
                else self.tr("Select a staff message linked to this question to unlink it.")
            )
            return
        self._relink(self.entry, self.model.message(row).telegram_id, link)

    def _context_menu(self, position: QPoint) -> None:
        index = self.list.indexAt(position)
        if not index.isValid():
            return
        row = index.row()
        menu = QMenu(self)
        can_link, can_unlink = self.linkable(row)
        if can_link:
            menu.addAction(self.tr("Answers this question: link it")).triggered.connect(
                lambda: self._relink_row(row, True)
            )
        if can_unlink:
            menu.addAction(self.tr("Not an answer to this question: unlink it")).triggered.connect(
                lambda: self._relink_row(row, False)
            )
        self._media_actions(menu, row)
        self._moderation_actions(menu, row)
        if not menu.isEmpty():
            menu.popup(self.list.viewport().mapToGlobal(position))

    def _moderation_actions(self, menu: QMenu, row: int) -> None:
        """A member's message: warn, mute, remove or ban its sender, or delete it (the window asks how)."""
        if self.entry is None or self._moderate is None or self._read_only:
            return
        message = self.model.message(row)
        if message.from_staff or message.is_service or message.sender_id is None:
            return
        entry, moderate, name = self.entry, self._moderate, isolate(message.sender or self.tr("the sender"))
        menu.addSeparator()
        menu.addAction(self.tr("Warn %1…").replace("%1", name)).triggered.connect(
            lambda: moderate(entry, message, ModerationKind.WARN)
        )
        menu.addAction(self.tr("Mute, remove or ban %1…").replace("%1", name)).triggered.connect(
            lambda: moderate(entry, message, ModerationKind.REMOVE)
        )
        if not message.deleted:
            menu.addAction(self.tr("Delete this message…")).triggered.connect(
                lambda: moderate(entry, message, ModerationKind.DELETE)
            )

    def _relink_row(self, row: int, link: bool) -> None:
        if self.entry is not None and self._relink is not None and 0 <= row < self.model.rowCount():
            self._relink(self.entry, self.model.message(row).telegram_id, link)

    def _media_actions(self, menu: QMenu, row: int) -> None:
        view = self.model.media_view(row)
        if view is None:
            return
        if view.playable:
            play = menu.addAction(self.tr("Pause") if view.playing else self.tr("Play"))
            play.triggered.connect(lambda: self.activate_media(row))
        if view.path is not None:
            opener = menu.addAction(self.tr("Open with the system's viewer"))
            opener.setEnabled(may_open(view.path))
            opener.triggered.connect(lambda: self.open_file(row))
        if view.path is not None:
            menu.addAction(self.tr("Save a copy as…")).triggered.connect(lambda: self.save_copy(row))
        if view.downloadable:
            menu.addAction(self.tr("Download")).triggered.connect(lambda: self.download(row))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Enter and Space on the conversation act on the selected message's media (keyboard users too)."""
        if (
            watched is self.list
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space)
            and not event.modifiers()
        ):
            index = self.list.currentIndex()
            if index.isValid() and self.model.media_view(index.row()) is not None:
                self.activate_media(index.row())
                return True
        return super().eventFilter(watched, event)
