"""The main window: sources (left), inbox (centre), conversation and composer (right), connection state.

Everything it needs is passed in (:class:`WindowServices`, built in app.py); it never talks to Telegram,
only to the log and the outbox, and hears from the connector through :class:`ConnectorBridge` signals.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import (
    QAbstractListModel,
    QDate,
    QEvent,
    QLocale,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPoint,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QCloseEvent, QColor, QIcon, QKeySequence, QPainter, QPixmap, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QDialog,
    QLabel,
    QListView,
    QMainWindow,
    QMenu,
    QMessageBox,
    QPushButton,
    QSplitter,
    QSystemTrayIcon,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from moderator_app.domain.actions import Details, ModeratorAction, Undo
from moderator_app.domain.conversation import MemberCard, ThreadMessage
from moderator_app.domain.drafts import Draft
from moderator_app.domain.events import SourceKind
from moderator_app.domain.inbox import InboxEntry, SourceInfo
from moderator_app.domain.inquiries import OPEN_STATES
from moderator_app.domain.library import CannedAnswer
from moderator_app.domain.moderation import MemberStanding, ModerationAction, ModerationKind
from moderator_app.domain.outbox import Outgoing
from moderator_app.domain.people import Membership, PersonDetail
from moderator_app.domain.profiles import Profile
from moderator_app.domain.referrals import ReferralOrganization
from moderator_app.domain.reports import MemberReport
from moderator_app.domain.settings import ON_DUTY, ORGANIZATION_NAME, REVIEW_MONTHS, WINDOW_SEEN, SettingsAccess
from moderator_app.domain.standard import ServiceStandard
from moderator_app.services.changes import Changes
from moderator_app.telegram.status import ConnectionState, ConnectorStatus
from moderator_app.ui.access import (
    AuditAccess,
    Decisions,
    FileCommands,
    HandoverAccess,
    InboxAccess,
    JoinRequestsAccess,
    LibraryAccess,
    ModerationAccess,
    OutboxAccess,
    PeopleAccess,
    ProfilesAccess,
    ReportsAccess,
    RetentionAccess,
    SafetyAccess,
    StandardsAccess,
    StatisticsAccess,
    WelcomeAccess,
)
from moderator_app.ui.audit_dialog import AuditDialog
from moderator_app.ui.connector_bridge import ConnectorBridge
from moderator_app.ui.conversation import ConversationPanel
from moderator_app.ui.delegates import isolate
from moderator_app.ui.duty import DutyRoles, combo_boxes
from moderator_app.ui.file_menu import FileMenu
from moderator_app.ui.handover import HandoverFlow
from moderator_app.ui.inbox_loader import CLOSED_WINDOW, InboxLoader
from moderator_app.ui.inbox_model import Clocks, InboxModel, InboxProxy, View, source_label
from moderator_app.ui.inbox_panel import InboxPanel
from moderator_app.ui.join_requests import JoinRequestsDialog
from moderator_app.ui.library_editor import LibraryEditor
from moderator_app.ui.library_picker import LibraryCatalog
from moderator_app.ui.moderation_dialog import ModerationDialog
from moderator_app.ui.moderation_record import ModerationRecordDialog
from moderator_app.ui.notifications import Notifier
from moderator_app.ui.ops import Ops, run_here
from moderator_app.ui.people import PeopleDialog
from moderator_app.ui.plain import plain_notification, plain_tooltip
from moderator_app.ui.profile_dialog import ProfileDialog
from moderator_app.ui.referral_editor import ReferralEditor
from moderator_app.ui.report_page import ReportPage
from moderator_app.ui.reports import ReportsDialog
from moderator_app.ui.retention_dialog import RetentionDialog
from moderator_app.ui.slow_mode import SlowModeDialog
from moderator_app.ui.standard_dialog import StandardDialog
from moderator_app.ui.threads import emit_from_worker
from moderator_app.ui.urgent_words import UrgentWordsDialog
from moderator_app.ui.welcome import WelcomeDialog

Index = QModelIndex | QPersistentModelIndex

#: How long a decision (dismiss, mark answered, confirm, promote) can be undone.
UNDO_SECONDS = 60


def _no_changes(follower: Callable[[Changes], None]) -> Callable[[], None]:
    return lambda: None


@dataclass(frozen=True, slots=True)
class ModerationTarget:
    """Who (and which message, if any) a moderation dialog is about, and where."""

    source_id: int
    chat_id: int
    member_id: int | None
    member: str
    message_id: int | None
    message: str
    language: str  # the reminder's language


@dataclass
class WindowServices:
    """What the window is given (app.py builds it): one access per area (ui/access.py), the settings, the
    database worker, the sentence for a failure, and the change bus the window follows."""

    clocks: Clocks
    timezone: ZoneInfo
    now: Callable[[], datetime]
    inbox: InboxAccess
    decisions: Decisions
    outbox: OutboxAccess
    library: LibraryAccess
    standards: StandardsAccess
    profiles: ProfilesAccess
    settings: SettingsAccess  # the declared settings (domain/settings.py)
    commands: FileCommands | None = None  # the File menu's imports and exports (None: not offered)
    moderation: ModerationAccess | None = None  # warnings, removals and their record (None: not offered)
    safety: SafetyAccess | None = None  # the urgent-word lists (None: not editable here)
    people: PeopleAccess | None = None  # the people panel (None: not offered)
    reports: ReportsAccess | None = None  # member reports (None: not offered)
    welcome: WelcomeAccess | None = None  # welcome messages (None: not offered)
    join_requests: JoinRequestsAccess | None = None  # requests to join the groups (None: not offered)
    statistics: StatisticsAccess | None = None  # the reports page (None: not offered)
    handovers: HandoverAccess | None = None  # handovers between the people on duty (None: not offered)
    audit: AuditAccess | None = None  # the audit record (None: not offered, nothing recorded by the window)
    retention: RetentionAccess | None = None  # message retention (None: not offered)
    demo: bool = False
    run: Callable[[Callable[[], Any]], Future[Any]] = field(default=run_here)
    describe: Callable[[BaseException], str] = str
    follow_changes: Callable[[Callable[[Changes], None]], Callable[[], None]] = field(default=_no_changes)


def tray_icon(count: int) -> QIcon:
    """A round badge with the number of open inquiries (drawn: no image files, nothing loaded)."""
    pixmap = QPixmap(64, 64)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setBrush(QColor("#0b5ed7") if count == 0 else QColor("#b02a37"))
    painter.setPen(Qt.PenStyle.NoPen)
    painter.drawEllipse(2, 2, 60, 60)
    painter.setPen(QColor("white"))
    font = painter.font()
    font.setBold(True)
    font.setPixelSize(30 if count < 100 else 22)
    painter.setFont(font)
    painter.drawText(pixmap.rect(), int(Qt.AlignmentFlag.AlignCenter), str(count) if count < 1000 else "999+")
    painter.end()
    return QIcon(pixmap)


class SourcesModel(QAbstractListModel):
    """ "All sources" and each watched source, with its open and overdue counts."""

    def __init__(self, inbox: InboxModel, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._inbox = inbox
        self._rows: list[tuple[int | None, str, int, int]] = []

    def set_sources(self, sources: list[SourceInfo]) -> None:
        self.beginResetModel()
        self._rows = [(None, self.tr("All sources"), 0, 0)] + [(s.id, s.name, 0, 0) for s in sources if s.watched]
        self.endResetModel()
        self.recount()

    def recount(self) -> None:
        now = self._inbox.now()
        open_: dict[int | None, int] = {}
        overdue: dict[int | None, int] = {}
        for entry in self._inbox.entries:
            if entry.state not in OPEN_STATES:
                continue
            late = entry.first_response is None and now >= entry.due
            for key in (entry.source_id, None):
                open_[key] = open_.get(key, 0) + 1
                if late:
                    overdue[key] = overdue.get(key, 0) + 1
        self._rows = [(sid, name, open_.get(sid, 0), overdue.get(sid, 0)) for sid, name, _, _ in self._rows]
        if self._rows:
            self.dataChanged.emit(self.index(0), self.index(len(self._rows) - 1))

    def source_id(self, row: int) -> int | None:
        return self._rows[row][0]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        _, name, open_count, overdue = self._rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole, Qt.ItemDataRole.ToolTipRole):
            # The list is narrow: a long name is elided there, and shown whole in the tooltip (as text: a
            # group's title is whatever its creator typed).
            counts = self.tr("%1 open").replace("%1", str(open_count))
            if overdue:
                counts += " · " + self.tr("%1 overdue").replace("%1", str(overdue))
            shown = f"{name}\n{isolate(counts)}"
            return plain_tooltip(shown) if role == Qt.ItemDataRole.ToolTipRole else shown
        if role == Qt.ItemDataRole.ForegroundRole and overdue:
            return QColor("#b02a37")
        return None


class _AfterPaint(QObject):
    """Calls ``done`` once, just after ``widget`` has next been painted."""

    def __init__(self, widget: QWidget, done: Callable[[], None]) -> None:
        super().__init__(widget)
        self._done = done
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            QTimer.singleShot(0, self._done)  # queued: runs once this paint is over
            self.deleteLater()
        return False


class MainWindow(QMainWindow):
    relinked = Signal(bool, str)  # linked (or unlinked), the refusal's sentence ("" when it was done)
    changed = Signal(object)  # Changes committed by a use case, on the window's thread
    loaded = Signal()  # the whole inbox (open, then recently closed) is read after a first load
    problem = Signal(str)  # an error nobody caught, as a sentence (see launch.install_excepthook)
    log_in_asked = Signal()  # Telegram ▸ Log in… (app.py opens the wizard)
    log_out_asked = Signal()  # Telegram ▸ Log out (app.py stops the connector and ends the session)

    def __init__(self, services: WindowServices, bridge: ConnectorBridge) -> None:
        super().__init__()
        self.services = services
        self.ops = Ops(services.run, services.describe, self._show_failure, self)
        self._unfollow = services.follow_changes(self._changes_announced)
        self.setWindowTitle(self.tr("Moderator Workstation") + (" — " + self.tr("DEMO") if services.demo else ""))
        self.inbox_model = InboxModel(services.clocks, services.now, services.timezone, self)
        self.proxy = InboxProxy(self.inbox_model, self)
        self._loaders: list[InboxLoader] = []
        self._last_reload = services.now()
        # Inquiries a catch-up closes were answered while the window was not watching (before the connector
        # started, or while offline): the refresh after it reaches back to then, not to the last refresh.
        self._catch_up_from: datetime | None = self._last_reload - CLOSED_WINDOW
        self._catalog_started = False
        self._relinked_since: datetime | None = None  # see _relink
        self.catalog: LibraryCatalog | None = None
        self.reload(first=True)  # before the widgets: the log is read while they are built
        self.inbox = InboxPanel(self.proxy, [])  # the sources are read on the database worker (reload_sources)
        for changed in (self.inbox_model.modelReset, self.inbox_model.rowsInserted, self.inbox_model.merged):
            changed.connect(self._offer_topics)
        self.sources_model = SourcesModel(self.inbox_model, self)
        self.sources_view = QListView()
        self.sources_view.setAccessibleName(self.tr("Sources"))
        self.sources_view.setModel(self.sources_model)
        self.sources_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        # Long group names are elided (whole in the tooltip) rather than scrolled to sideways.
        self.sources_view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.sources_view.setCurrentIndex(self.sources_model.index(0))
        self._syncing_sources = False
        self.known_sources: list[SourceInfo] = []  # as last read (the people panel's source filter)
        self._open_reports: int | None = None  # member reports waiting, as last counted
        self._join_dialog: JoinRequestsDialog | None = None  # open, it follows the connector's changes
        self._telegram_connected: bool | None = None  # None: no connector reports here (a team's is elsewhere)
        self.inbox.review_reports.connect(self.show_reports)
        self.inbox.review_welcomes.connect(self.show_welcome)
        self.inbox.review_join_requests.connect(self.show_join_requests)
        self.sources_view.selectionModel().currentRowChanged.connect(self._source_chosen)
        self.inbox.source_box.currentIndexChanged.connect(self._source_filtered)
        self.reload_sources()
        self.connection = QLabel(self.tr("Telegram: not connected"))
        self.connection.setAccessibleName(self.tr("Connection to Telegram"))
        self.connection.setWordWrap(True)
        self.connection.setTextFormat(Qt.TextFormat.PlainText)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        if services.demo:
            banner = QLabel(self.tr("Demo: a simulated organization. Nothing here is real or sent to Telegram."))
            banner.setWordWrap(True)
            banner.setStyleSheet("background: #fff3cd; color: #664d03; padding: 6px; border-radius: 4px;")
            banner.setAccessibleName(self.tr("Demo mode"))
            left_layout.addWidget(banner)
        left.setMinimumWidth(190)
        left_layout.addWidget(self.sources_view, 1)
        duty_label = QLabel(self.tr("On d&uty:"))
        self.on_duty = QComboBox()
        self.on_duty.setAccessibleName(self.tr("Moderator on duty"))
        self.on_duty.setToolTip(self.tr("Replies and decisions made here are credited to this person."))
        duty_label.setBuddy(self.on_duty)
        left_layout.addWidget(duty_label)
        left_layout.addWidget(self.on_duty)
        left_layout.addWidget(self.connection)
        # Indexed once the first inquiries are on screen (see _first_page_painted).
        self.catalog = LibraryCatalog(
            services.library.answers, self, services.library.organizations, submit=services.run
        )
        self.conversation = ConversationPanel(
            services.timezone,
            _PaneAccess(services),
            self._act,
            set_details=self._set_details,
            relink=self._relink,
            catalog=self.catalog,
            variables=self._variables,
            ops=self.ops,
            on_duty=lambda: self.on_duty_id,
            moderate=self.moderate if services.moderation is not None else None,
        )
        self.relinked.connect(self._relink_done)
        self.changed.connect(self._follow)
        self.problem.connect(self._show_failure)
        # What the role of the person on duty allows (a manager sends nothing: ui/duty.py); their taking the
        # workstation is kept in the audit record.
        self.duty = DutyRoles(self._record_duty if services.audit is not None else None, self)
        self.duty.changed.connect(self.conversation.set_read_only)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(self.inbox)
        splitter.addWidget(self.conversation)
        splitter.setStretchFactor(0, 0)
        splitter.setStretchFactor(1, 3)
        splitter.setStretchFactor(2, 2)
        splitter.setSizes([210, 880, 410])
        # The inbox and, for whoever reports, the reports page (built when first shown: it reads a period).
        self.pages = QTabWidget()
        self.pages.setDocumentMode(True)
        self.pages.setAccessibleName(self.tr("Pages"))
        self.pages.addTab(splitter, self.tr("&Inbox"))
        self.report_page: ReportPage | None = None
        self._first_page_chosen = False
        if services.statistics is not None:
            self._reports_holder = QWidget()
            self._reports_layout = QVBoxLayout(self._reports_holder)
            self._reports_layout.setContentsMargins(0, 0, 0, 0)
            self.pages.addTab(self._reports_holder, self.tr("&Reports"))
            self.pages.currentChanged.connect(self._page_shown)
        self.setCentralWidget(self.pages)
        self.statusBar().showMessage(self.tr("Loading the inbox…"))
        self.inbox.selected.connect(self.conversation.show_entry)
        bridge.status.connect(self.show_status)
        bridge.stored.connect(self._stored)
        self._reload = QTimer(self)
        self._reload.setSingleShot(True)
        self._reload.setInterval(1500)  # new messages come in bursts: reload the inbox once per burst
        self._reload.timeout.connect(self.reload)
        self._reload.timeout.connect(self._count_reports)  # joins and reports come without inquiries
        self._recount = QTimer(self)
        self._recount.setInterval(30_000)
        self._recount.timeout.connect(self.sources_model.recount)
        self._recount.start()
        self._keys = [
            (QKeySequence("Ctrl+Down"), self.tr("Next inquiry")),
            (QKeySequence("Ctrl+Up"), self.tr("Previous inquiry")),
            (QKeySequence("Ctrl+1"), self.tr("Go to the inbox")),
            (QKeySequence("F1"), self.tr("This list of shortcuts")),
        ]
        QShortcut(QKeySequence("Ctrl+Down"), self, lambda: self._move(1))
        QShortcut(QKeySequence("Ctrl+Up"), self, lambda: self._move(-1))
        QShortcut(QKeySequence("Ctrl+1"), self, self._go_to_inbox)
        if services.statistics is not None:
            self._keys.append((QKeySequence("Ctrl+2"), self.tr("Go to the reports")))
            QShortcut(QKeySequence("Ctrl+2"), self, self.show_report_page)
        QShortcut(QKeySequence("F1"), self, self.show_shortcuts)
        file_menu = self.menuBar().addMenu(self.tr("&File"))
        self.file_work: FileMenu | None = None
        if services.commands is not None:  # a manager's imports and exports, as the command line does them
            self.file_work = FileMenu(services.commands, self, self.ops, self._imported)
            self.file_work.add_to(file_menu)
        # The handover: at each change of the person on duty, and from File ▸ Handover… (see ui/handover.py).
        self.handover: HandoverFlow | None = None
        if services.handovers is not None:
            self.handover = HandoverFlow(
                services.handovers,
                self.ops,
                self,
                services.timezone,
                self.open_inquiry,
                lambda sentence: self.statusBar().showMessage(isolate(sentence), 10000),
                services.settings.read(WINDOW_SEEN),  # before this start's "last open" replaces it
            )
            handover_action = file_menu.addAction(self.tr("&Handover…"))
            handover_action.setShortcut(QKeySequence("Ctrl+Shift+H"))
            handover_action.triggered.connect(self.show_handover)
            self._keys.append((QKeySequence("Ctrl+Shift+H"), self.tr("Handover: what is owed, the last shift note")))
        quit_action = file_menu.addAction(self.tr("&Quit"))
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        telegram_menu = self.menuBar().addMenu(self.tr("&Telegram"))
        telegram_menu.addAction(self.tr("&Log in…"), self.log_in_asked.emit)
        telegram_menu.addAction(self.tr("Log &out"), self._confirm_log_out)
        settings_menu = self.menuBar().addMenu(self.tr("&Settings"))
        standard_action = settings_menu.addAction(self.tr("&Service standard…"))
        standard_action.setShortcut(QKeySequence("Ctrl+,"))
        standard_action.triggered.connect(self.edit_standard)
        library_menu = self.menuBar().addMenu(self.tr("&Library"))
        answers_action = library_menu.addAction(self.tr("&Canned answers…"))
        answers_action.setShortcut(QKeySequence("Ctrl+Shift+L"))
        answers_action.triggered.connect(self.edit_library)
        self._keys.append((QKeySequence("Ctrl+Shift+L"), self.tr("Edit the canned answers")))
        library_menu.addAction(self.tr("&Partner organizations…"), self.edit_partners)
        if services.moderation is not None:
            moderation_menu = self.menuBar().addMenu(self.tr("&Moderation"))
            record_action = moderation_menu.addAction(self.tr("Moderation &record…"))
            record_action.setShortcut(QKeySequence("Ctrl+Shift+O"))  # (Ctrl+Shift+M: Mark answered)
            record_action.triggered.connect(self.show_moderation_record)
            self._keys.append((QKeySequence("Ctrl+Shift+O"), self.tr("Moderation record")))
            if services.people is not None:
                people_action = moderation_menu.addAction(self.tr("&People…"))
                people_action.setShortcut(QKeySequence("Ctrl+Shift+U"))
                people_action.triggered.connect(self.show_people)
                self._keys.append((QKeySequence("Ctrl+Shift+U"), self.tr("People: the members of every source")))
            if services.reports is not None:
                reports_action = moderation_menu.addAction(self.tr("Member &reports…"))
                reports_action.setShortcut(QKeySequence("Ctrl+Shift+J"))  # (Ctrl+Shift+R: Correct answer)
                reports_action.triggered.connect(self.show_reports)
                self._keys.append((QKeySequence("Ctrl+Shift+J"), self.tr("Member reports")))
            if services.join_requests is not None:
                moderation_menu.addAction(self.tr("&Join requests…"), self.show_join_requests)
            self.duty.guard_action(moderation_menu.addAction(self.tr("&Slow mode…"), self.set_slow_mode))
            if services.welcome is not None:
                moderation_menu.addAction(self.tr("&Welcome messages…"), self.show_welcome)
            if services.safety is not None:
                moderation_menu.addAction(self.tr("&Urgent words…"), self.edit_urgent_words)
        if services.retention is not None:
            settings_menu.addAction(self.tr("Message &retention…"), self.edit_retention)
        if services.audit is not None:
            settings_menu.addSeparator()
            settings_menu.addAction(self.tr("&Audit record…"), self.show_audit_record)
        help_menu = self.menuBar().addMenu(self.tr("&Help"))
        help_menu.addAction(self.tr("&Keyboard shortcuts"), self.show_shortcuts)
        self._keys.append((QKeySequence("Ctrl+,"), self.tr("Service standard")))
        self.notifier = Notifier(self.inbox_model, services.settings, self)
        self.notifier.message.connect(self.notify)
        self.notifier.urgent.connect(self.notify_urgent)
        self._checks = 0
        self._warnings = QTimer(self)
        self._warnings.setInterval(30_000)
        self._warnings.timeout.connect(self._check_warnings)
        self._warnings.start()
        self.tray: QSystemTrayIcon | None = None
        if QSystemTrayIcon.isSystemTrayAvailable():
            self._make_tray()
        self._profiles: list[Profile] = []  # as last read, for the inbox's "Assign to" menu
        self._fill_on_duty([], None)
        self.load_on_duty(saved=True)
        self.on_duty.activated.connect(self._duty_chosen)
        self.inbox.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.inbox.table.customContextMenuRequested.connect(self._inbox_menu)
        QShortcut(QKeySequence("Ctrl+Shift+I"), self, self.assign_to_me)
        # Undo: the last decision, for a while. In the reply, Ctrl+Z undoes typing (the editor takes it first).
        self._undo: Undo | None = None
        self.undo_label = QLabel()
        self.undo_label.setTextFormat(Qt.TextFormat.PlainText)  # it quotes the member's question
        self.undo_label.setAccessibleName(self.tr("Last decision"))
        self.undo_button = QPushButton(self.tr("&Undo"))
        self.undo_button.setAccessibleName(self.tr("Undo the last decision"))
        self.undo_button.setToolTip(self.tr("Ctrl+Z (outside the reply)"))
        self.undo_button.clicked.connect(self.undo_last)
        for widget in (self.undo_label, self.undo_button):
            widget.hide()
            self.statusBar().addPermanentWidget(widget)
        self._undo_timer = QTimer(self)
        self._undo_timer.setSingleShot(True)
        self._undo_timer.setInterval(UNDO_SECONDS * 1000)
        self._undo_timer.timeout.connect(self._forget_undo)
        QShortcut(QKeySequence.StandardKey.Undo, self, self.undo_last)
        self._keys.append(
            (QKeySequence("Ctrl+Z"), self.tr("Undo the last decision (for %1 s)").replace("%1", str(UNDO_SECONDS)))
        )
        self._keys.append((QKeySequence("Ctrl+Shift+I"), self.tr("Assign the inquiry to me")))

    # -- notifications ----------------------------------------------------------------------------------------
    def _make_tray(self) -> None:
        tray = self.tray = QSystemTrayIcon(tray_icon(0), self)
        menu = QMenu(self)
        show = menu.addAction(self.tr("Show the workstation"))
        show.triggered.connect(self._raise)
        new = menu.addAction(self.tr("Notify new inquiries"))
        new.setCheckable(True)
        new.setChecked(self.notifier.new_inquiries)
        new.toggled.connect(lambda on: setattr(self.notifier, "new_inquiries", on))
        warn = menu.addAction(self.tr("Notify inquiries close to their deadline"))
        warn.setCheckable(True)
        warn.setChecked(self.notifier.warnings)
        warn.toggled.connect(lambda on: setattr(self.notifier, "warnings", on))
        tray.setContextMenu(menu)
        tray.activated.connect(lambda _: self._raise())
        tray.show()
        self._update_tray()

    def _raise(self) -> None:
        self.showNormal()
        self.raise_()
        self.activateWindow()

    def _update_tray(self) -> None:
        count = self.notifier.open_count()
        if self.tray is not None:
            self.tray.setIcon(tray_icon(count))
            self.tray.setToolTip(self.tr("Moderator Workstation: %n open inquiries", "", count))

    def _check_warnings(self) -> None:
        self.notifier.check_warnings()  # at the instant of the last countdown tick
        self._update_tray()
        self._checks += 1
        if self._checks % 10 == 0:  # every five minutes: a crash loses at most that much of "last open"
            self.notifier.seen_now()

    def notify(self, title: str, text: str) -> None:
        if self.tray is not None and self.tray.supportsMessages():
            self.tray.showMessage(
                plain_notification(title), plain_notification(text), QSystemTrayIcon.MessageIcon.Information, 8000
            )
        else:
            # One isolate round the sentence: in a right-to-left window it reads "New inquiries: 9 …", not
            # "9 … :New inquiries".
            self.statusBar().showMessage(isolate(f"{title}: {isolate(text)}"), 8000)

    def notify_urgent(self, title: str, text: str) -> None:
        """Louder than news: a critical tray message that stays, the taskbar entry flashing until the window is
        looked at, and the status bar; the inbox's red bar stays until the message is answered or dismissed."""
        if self.tray is not None and self.tray.supportsMessages():
            self.tray.showMessage(
                plain_notification(title), plain_notification(text), QSystemTrayIcon.MessageIcon.Critical, 0
            )
        QApplication.alert(self, 0)
        self.statusBar().showMessage(isolate(f"{title}: {isolate(text)}"), 30_000)

    def edit_urgent_words(self) -> None:
        safety = self.services.safety
        if safety is None:
            return
        dialog = UrgentWordsDialog(safety.lists, safety.save, self.ops, self)
        dialog.load()
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.statusBar().showMessage(
                self.tr("Urgent words saved: new messages are read against them from now on."), 8000
            )

    def edit_standard(self) -> None:
        """The standards (every watched source's and the general one) and the answer window are read on the
        database worker, then the dialog checks and previews; saving (which may re-date every log row when
        the time zone changes) runs on the worker too, and the window says when it is done."""
        standards, inbox = self.services.standards, self.services.inbox

        def read() -> tuple[list[tuple[int, str]], dict[int | None, ServiceStandard], timedelta]:
            watched = [(s.id, s.name) for s in inbox.sources() if s.watched]
            by_source = {source_id: standards.standard_for(source_id) for source_id in [None, *(i for i, _ in watched)]}
            return watched, by_source, standards.answer_window()

        self.ops.run(read).success(lambda result: self._open_standard(*result))

    def _open_standard(
        self, watched: list[tuple[int, str]], by_source: dict[int | None, ServiceStandard], window: timedelta
    ) -> None:
        standards = self.services.standards
        dialog = StandardDialog(
            watched,
            lambda source_id: by_source.get(source_id) or by_source[None],
            self._save_standard,
            self.services.now,
            self,
            answer_window=(lambda: window, lambda chosen: self.ops.follow(standards.set_answer_window(chosen))),
        )
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.statusBar().showMessage(dialog.result_message, 8000)

    def _save_standard(self, standard: ServiceStandard, source_id: int | None) -> str:
        def saved(message: str) -> None:
            self.statusBar().showMessage(isolate(message), 8000)
            self.reload(first=True)  # due times changed: the inbox is read again

        self.ops.follow(self.services.standards.save(standard, source_id)).success(saved)
        return self.tr("Saving the service standard…")

    def _offer_topics(self) -> None:
        """Forum topics with inquiries become choices of the Source filter ("Source › Topic"), each after
        its group; the list grows as topics appear."""
        box = self.inbox.source_box
        known = {box.itemData(i) for i in range(box.count())}
        fresh = {
            (e.source_id, e.forum_topic_id): source_label(e)
            for e in self.inbox_model.entries
            if e.forum_topic_id is not None and (e.source_id, e.forum_topic_id) not in known
        }
        if not fresh:
            return
        box.blockSignals(True)
        for (source_id, topic_id), label in sorted(fresh.items(), key=lambda item: item[1].casefold()):
            after = box.findData(source_id)
            position = after + 1 if after >= 0 else box.count()
            while position < box.count() and isinstance(box.itemData(position), tuple):
                position += 1
            box.insertItem(position, label, (source_id, topic_id))
        box.blockSignals(False)

    def _go_to_inbox(self) -> None:
        self.pages.setCurrentIndex(0)
        self.inbox.table.setFocus()

    def _page_shown(self, index: int) -> None:
        if self.pages.widget(index) is getattr(self, "_reports_holder", None):
            self.show_report_page()

    def show_report_page(self) -> ReportPage | None:
        """The Reports tab, its page built (and its first period read) the first time it is shown."""
        statistics = self.services.statistics
        if statistics is None:
            return None
        if self.report_page is None:
            commands = self.services.commands
            self.report_page = ReportPage(
                statistics,
                self.ops,
                lambda: self.services.now().astimezone(self.services.timezone).date(),
                export=commands.export_report if commands is not None else None,
            )
            self.report_page.set_sources([s.name for s in self.known_sources])
            self._reports_layout.addWidget(self.report_page)
            self.report_page.load()
        self.pages.setCurrentWidget(self._reports_holder)
        return self.report_page

    def reload_sources(self) -> None:
        """At start, and after the sources to watch changed (the login wizard): read on the database worker,
        then the list and the inbox filter follow."""
        self.ops.run(self.services.inbox.sources).success(self._show_sources)

    def show_people(self) -> PeopleDialog | None:
        """Moderation ▸ People: a window of its own (not modal), so a moderator can keep it open beside the
        inbox."""
        people = self.services.people
        if people is None:
            return None
        dialog = PeopleDialog(
            people.people,
            people.detail,
            lambda member_id, text: people.add_note(member_id, text, self.on_duty_id),
            self.moderate_member,
            [(s.id, s.name) for s in self.known_sources if s.watched],
            self.services.timezone,
            self.ops,
            self,
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.duty.restrict(dialog, [dialog.warn_button, dialog.sanction_button])
        dialog.load()
        dialog.show()
        return dialog

    def moderate_member(self, detail: PersonDetail, membership: Membership, kind: ModerationKind) -> None:
        """Warn, mute, remove or ban a member from the people panel, in one of their groups (no message)."""
        language = detail.language if detail.language not in ("", "und") else "en"
        target = ModerationTarget(
            membership.source_id, membership.chat_id, detail.row.member_id, detail.row.name, None, "", language
        )
        self.open_moderation(target, kind)

    def _show_sources(self, sources: list[SourceInfo]) -> None:
        self.known_sources = sources
        self.sources_model.set_sources(sources)
        box = self.inbox.source_box
        chosen = box.currentData()
        box.blockSignals(True)
        while box.count() > 1:
            box.removeItem(1)
        for source in sources:
            if source.watched:
                box.addItem(source.name, source.id)
        if chosen is not None:
            box.setCurrentIndex(max(0, box.findData(chosen)))
        box.blockSignals(False)
        self._offer_topics()  # the topics of inquiries already shown go back under their group
        self._source_filtered(box.currentIndex())  # the list, read again, highlights the filter's source

    def reload(self, first: bool = False, since: datetime | None = None) -> None:
        loader = InboxLoader(
            self.services.inbox.query,
            self.services.now,
            submit=self.services.run,
            wait_for_first_paint=first,
            parent=self,
        )
        loader.failed.connect(self._failed)
        for previous in self._loaders:
            previous.retire()  # a read still under way for it is dropped when it ends, then the loader goes
        self._loaders = [loader]
        if first:
            loader.first_loaded.connect(lambda entries: self._first_page(loader, entries))
            loader.open_loaded.connect(self._first_open)
            loader.closed_loaded.connect(self._closed)
            loader.start()
        else:
            loader.refreshed.connect(self._refreshed)
            loader.start_refresh(since or self._last_reload - timedelta(minutes=10))
        self._last_reload = self.services.now()

    def _first_page(self, loader: InboxLoader, entries: list[InboxEntry]) -> None:
        self.inbox_model.set_entries(entries)
        viewport = self.inbox.table.viewport()
        if viewport.isVisible():
            _AfterPaint(viewport, lambda: self._first_page_painted(loader))
        else:
            self._first_page_painted(loader)

    def _first_page_painted(self, loader: InboxLoader) -> None:
        """The rest of the inbox, and the library's index, are read once the moderator sees the first rows."""
        loader.first_page_painted()
        self._start_catalog()

    def _start_catalog(self) -> None:
        if self.catalog is not None and not self._catalog_started:
            self._catalog_started = True
            self.catalog.start()

    def _count_reports(self) -> None:
        """Read with the inbox: the bars say how many reports and welcomes wait, and a new report is
        announced."""
        reports, welcome, joins = self.services.reports, self.services.welcome, self.services.join_requests
        if welcome is not None:
            self.ops.run(welcome.waiting_count).success(self.inbox.set_welcomes)
        if joins is not None:
            self.ops.run(joins.pending_count).success(self.inbox.set_join_requests)
            if self._join_dialog is not None:
                self._join_dialog.load()
        if reports is None:
            return
        self.ops.run(reports.open_count).success(self._reports_counted)

    def set_slow_mode(self) -> None:
        """A group's slow mode, queued like any moderation action (the profile on duty recorded)."""
        moderation = self.services.moderation
        if moderation is None or self.duty.refuse(self._show_failure):
            return
        if self.on_duty_id is None:
            self.statusBar().showMessage(self.tr("Choose who is on duty first (left, under the sources)."), 8000)
            self.on_duty.setFocus()
            return
        groups = [(s.id, s.name) for s in self.known_sources if s.watched and s.kind is SourceKind.GROUP]
        dialog = SlowModeDialog(groups, self.on_duty_id, self)
        if dialog.exec() != QDialog.DialogCode.Accepted or dialog.request is None:
            return
        request = dialog.request
        chat_id = next(s.telegram_id for s in self.known_sources if s.id == request.source_id)
        self.ops.run(lambda: moderation.queue(replace(request, chat_id=chat_id))).success(
            lambda _: self.statusBar().showMessage(
                self.tr("Slow mode queued. See Moderation ▸ Moderation record."), 10000
            )
        )

    def show_join_requests(self) -> JoinRequestsDialog | None:
        joins = self.services.join_requests
        if joins is None:
            return None
        dialog = JoinRequestsDialog(
            joins.requests,
            lambda ids, approve: joins.decide(ids, approve, self.on_duty_id),
            lambda ids: joins.send_questions(ids, self.on_duty_id),
            self.services.timezone,
            self.ops,
            self,
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(lambda _: self._join_dialog_closed(dialog))
        dialog.set_connected(self._telegram_connected is not False)
        buttons = (dialog.approve_button, dialog.decline_button, dialog.questions_button)
        self.duty.restrict(dialog, [*buttons, dialog.approve_all, dialog.decline_all])
        self._join_dialog = dialog
        dialog.load()
        dialog.show()
        return dialog

    def _join_dialog_closed(self, dialog: JoinRequestsDialog) -> None:
        if self._join_dialog is dialog:
            self._join_dialog = None
        self._count_reports()

    def show_welcome(self) -> WelcomeDialog | None:
        welcome = self.services.welcome
        if welcome is None:
            return None
        groups = [(s.id, s.name) for s in self.known_sources if s.watched and s.kind is SourceKind.GROUP]
        dialog = WelcomeDialog(
            groups,
            welcome.read,
            welcome.save,
            lambda event_ids: welcome.welcome(event_ids, self.on_duty_id),
            self.services.timezone,
            self.ops,
            self,
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(lambda _: self._count_reports())
        sends = [dialog.save_button, dialog.welcome_selected, dialog.welcome_all]
        self.duty.restrict(dialog, sends, combo_boxes(dialog))  # automatic welcomes send too
        dialog.load()
        dialog.show()
        return dialog

    def _reports_counted(self, count: int) -> None:
        before, self._open_reports = self._open_reports, count
        self.inbox.set_reports(count)
        if before is not None and count > before:
            self.notify(
                self.tr("Member report"),
                self.tr("A member reported a message: Moderation ▸ Member reports (Ctrl+Shift+J)."),
            )

    def show_reports(self) -> ReportsDialog | None:
        reports = self.services.reports
        if reports is None:
            return None
        dialog = ReportsDialog(
            reports.reports,
            lambda report, state, action: reports.decide(report.id, state, action, self.on_duty_id),
            self.moderate_report,
            self.services.timezone,
            self.ops,
            self,
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(lambda _: self._count_reports())
        self.duty.restrict(dialog, [dialog.delete_button, dialog.warn_button, dialog.sanction_button])
        dialog.load()
        dialog.show()
        return dialog

    def moderate_report(
        self, report: MemberReport, kind: ModerationKind, queued: Callable[[ModerationAction], object]
    ) -> None:
        """Delete the reported message, or warn, mute, remove or ban its author; the report is acted on once
        the action is queued."""
        target = ModerationTarget(
            report.source_id,
            report.chat_id,
            report.reported_member_id,
            report.reported_member,
            report.reported_id,
            report.reported_text,
            report.language if report.language not in ("", "und") else "en",
        )
        self.open_moderation(target, kind, queued)

    def _first_open(self, entries: list[InboxEntry]) -> None:
        self._count_reports()
        self.inbox_model.merge(entries)  # the most urgent are already shown
        self.notifier.log_read()
        self.sources_model.recount()
        self._update_tray()
        self.statusBar().showMessage(isolate(self.tr("%n open inquiries", "", len(entries))), 5000)

    def _closed(self, entries: list[InboxEntry]) -> None:
        self.inbox_model.extend(entries)
        self.loaded.emit()

    def _refreshed(self, entries: list[InboxEntry]) -> None:
        self._count_reports()
        self.inbox_model.merge(entries)
        self.sources_model.recount()
        self._update_tray()
        self.conversation.reload()

    def _failed(self, message: str) -> None:
        self._start_catalog()  # the library does not wait for an inbox that could not be read
        self.statusBar().showMessage(self.tr("The log could not be read: %1").replace("%1", isolate(message)))

    def _stored(self, kind: str, telegram_id: int) -> None:
        """The connector committed something: ``kind`` "outbox" (an outbox item's id) changes what the reply
        status says; anything else may change the inbox."""
        if kind == "outbox":
            self.conversation.refresh_replies()
            return
        if not self._reload.isActive():
            self._reload.start()

    # -- who is on duty, and assignment ------------------------------------------------------------------
    NEW_PROFILE = -1

    @property
    def on_duty_id(self) -> int | None:
        data = self.on_duty.currentData()
        return int(data) if isinstance(data, int) and data > 0 else None

    def load_on_duty(self, chosen: int | None = None, *, saved: bool = False) -> None:
        """The profiles read on the database worker, then the "On duty" list filled with ``chosen`` (with
        ``saved``: who is on duty at this workstation, as saved) selected."""
        profiles, settings = self.services.profiles.all, self.services.settings

        if saved:
            chosen = settings.read(ON_DUTY)
        self.ops.run(profiles).success(lambda read: self._fill_on_duty(read, chosen))

    def _fill_on_duty(self, profiles: list[Profile], chosen: int | None) -> None:
        self._profiles = profiles
        self._chosen_on_duty = chosen
        box = self.on_duty
        box.blockSignals(True)
        box.clear()
        box.addItem(self.tr("(nobody chosen)"), 0)
        for profile in profiles:
            box.addItem(profile.name, profile.id)
        box.insertSeparator(box.count())
        box.addItem(self.tr("New profile…"), self.NEW_PROFILE)
        box.setCurrentIndex(max(0, box.findData(chosen)) if chosen else 0)
        box.blockSignals(False)
        self.proxy.set_me(self.on_duty.currentText() if self.on_duty_id is not None else None)
        on_duty = next((p for p in profiles if p.id == self.on_duty_id), None)
        self.duty.apply(on_duty)
        self.duty.started(on_duty)
        if profiles and not self._first_page_chosen:  # a manager sees the reports first (once, at start-up)
            self._first_page_chosen = True
            if any(p.id == chosen and p.role == "manager" for p in profiles):
                self.show_report_page()
            if self.handover is not None:  # the latest handover, if it is news at this workstation
                self.handover.at_start(self.on_duty_id)

    def _duty_chosen(self, _: int) -> None:
        chosen = self.on_duty.currentData()
        dialog_profile: Profile | None = None
        if chosen == self.NEW_PROFILE:
            dialog = ProfileDialog(self.services.profiles.add, self, submit=self.services.run)
            if dialog.exec() == QDialog.DialogCode.Accepted and dialog.profile is not None:
                chosen, dialog_profile = dialog.profile.id, dialog.profile
            else:
                chosen = self._chosen_on_duty
        kept, previous = chosen or None, self._chosen_on_duty
        if self.handover is not None and kept != previous:
            # A change of the person on duty is a handover: it takes effect once the outgoing person's note
            # is written (cancelled: the outgoing person stays on duty).
            names = {p.id: p.name for p in self._profiles}
            if kept is not None and kept not in names and dialog_profile is not None:
                names[kept] = dialog_profile.name
            outgoing = (previous, names.get(previous, "") if previous is not None else "")
            incoming = (kept, names.get(kept, "") if kept is not None else "")
            self.handover.change(outgoing, incoming, lambda go: self._duty_changed(kept if go else previous))
            return
        self._duty_changed(kept)

    def _duty_changed(self, kept: int | None) -> None:
        if kept != self._chosen_on_duty:
            names = {p.id: p.name for p in self._profiles}
            self.duty.changed_to(kept, names.get(self._chosen_on_duty or 0, ""))
        self.duty.apply(next((p for p in self._profiles if p.id == kept), None))  # a new one: once listed
        settings = self.services.settings
        settings.write(ON_DUTY, kept)
        self._chosen_on_duty = kept
        self.proxy.set_me(self.on_duty.currentText() if self.on_duty_id is not None else None)
        if (kept or 0) != self.on_duty.currentData():  # a new profile, or cancelled: list it again
            self.load_on_duty(kept)

    def _record_duty(self, profile_id: int | None, previous: str, how: str) -> None:
        audit = self.services.audit
        if audit is not None:
            self.ops.run(lambda: audit.on_duty(profile_id, previous, how))

    def show_audit_record(self) -> AuditDialog | None:
        """Settings ▸ Audit record: read only, the current month first."""
        audit = self.services.audit
        if audit is None:
            return None
        dialog = AuditDialog(audit.entries, self.services.timezone, self.ops, QDate.currentDate(), self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.load()
        dialog.show()
        return dialog

    def edit_retention(self) -> None:
        """Settings ▸ Message retention: the setting, what it removes, applied when saved."""
        retention = self.services.retention
        if retention is None:
            return
        dialog = RetentionDialog(retention.months, retention.preview, retention.save, self.ops, self)
        dialog.load()
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.statusBar().showMessage(isolate(dialog.result_message), 10000)

    def show_handover(self) -> None:
        """File ▸ Handover…: what is owed now and the latest shift note; the person on duty can hand over."""
        if self.handover is not None:
            self.handover.open((self.on_duty_id, self.on_duty.currentText()))

    def open_inquiry(self, inquiry_id: int) -> None:
        """Show an inquiry in the inbox and its conversation (from the handover): under the filters as they are
        if they show it, else under "All" with no source, language or topic filter."""
        self._go_to_inbox()
        row = self.proxy.row_of(inquiry_id)
        if row is None:
            panel = self.inbox
            for box, data in ((panel.view_box, View.ALL), (panel.source_box, None)):
                box.setCurrentIndex(max(0, box.findData(data)))
            for box in (panel.language_box, panel.topic_box):
                box.setCurrentIndex(0)
            row = self.proxy.row_of(inquiry_id)
        if row is None:
            self.statusBar().showMessage(
                self.tr("Inquiry #%1 is not in the inbox's lists (closed long ago, or not read yet).").replace(
                    "%1", str(inquiry_id)
                ),
                10000,
            )
            return
        self.inbox.select_row(row)
        self.activateWindow()

    def _inbox_menu(self, position: QPoint) -> None:
        index = self.inbox.table.indexAt(position)
        if not index.isValid():
            return
        entry = self.proxy.entry(index.row())
        menu = QMenu(self)
        mine = menu.addAction(self.tr("Assign to me"))
        mine.setEnabled(self.on_duty_id is not None)
        mine.triggered.connect(lambda: self.assign(entry, self.on_duty_id))
        others = menu.addMenu(self.tr("Assign to"))
        for profile in self._profiles:
            action = others.addAction(profile.name)
            action.triggered.connect(lambda _=False, p=profile.id: self.assign(entry, p))
        others.setEnabled(not others.isEmpty())
        nobody = menu.addAction(self.tr("Unassign"))
        nobody.setEnabled(entry.assignee is not None)
        nobody.triggered.connect(lambda: self.assign(entry, None))
        menu.popup(self.inbox.table.viewport().mapToGlobal(position))

    def edit_library(self) -> None:
        """The canned-answer editor; the picker's index is rebuilt after each change."""
        services = self.services
        editor = LibraryEditor(
            services.library.answers,
            services.library.save_answer,
            services.library.delete_answer,
            parent=self,
            review_months=services.settings.read(REVIEW_MONTHS),
            set_review_months=lambda months: services.settings.write(REVIEW_MONTHS, months),
            ops=self.ops,
            sources=[(s.id, s.name) for s in self.known_sources if s.watched and s.kind is SourceKind.GROUP],
        )
        if self.catalog is not None:
            editor.changed.connect(self.catalog.start)
        editor.exec()

    def edit_partners(self) -> None:
        """The partner organizations (referrals); the picker's index is rebuilt after each change."""
        library = self.services.library
        editor = ReferralEditor(
            library.organizations, library.save_organization, library.delete_organization, parent=self, ops=self.ops
        )
        if self.catalog is not None:
            editor.changed.connect(self.catalog.start)
        editor.exec()

    def _variables(self, entry: InboxEntry) -> dict[str, str]:
        """What a canned answer's variables become for this inquiry, at this workstation."""
        language = entry.language if entry.language not in ("", "und") else "en"
        return {
            "member_first_name": (entry.member or "").split(" ")[0],
            "moderator_name": self.on_duty.currentText() if self.on_duty_id is not None else "",
            "organization": self.services.settings.read(ORGANIZATION_NAME),
            "today": QLocale(language).toString(QDate.currentDate(), QLocale.FormatType.LongFormat),
        }

    def moderate(self, entry: InboxEntry, message: ThreadMessage, kind: ModerationKind) -> None:
        """Warn, mute, remove or ban a message's sender, or delete the message (from the conversation)."""
        language = entry.language if entry.language not in ("", "und") else "en"
        target = ModerationTarget(
            entry.source_id,
            entry.chat_id,
            message.sender_id,
            message.sender,
            message.telegram_id,
            message.text,
            language,
        )
        self.open_moderation(target, kind)

    def open_moderation(
        self,
        target: ModerationTarget,
        kind: ModerationKind,
        queued: Callable[[ModerationAction], object] | None = None,
    ) -> None:
        """The member's warnings and the guidelines are read on the database worker, the dialog asks, and the
        action is queued there too; ``queued`` is told once it is (a member report marks itself acted on)."""
        moderation = self.services.moderation
        if moderation is None or self.duty.refuse(self._show_failure):
            return
        if self.on_duty_id is None:
            self.statusBar().showMessage(self.tr("Choose who is on duty first (left, under the sources)."), 8000)
            self.on_duty.setFocus()
            return
        member_id = target.member_id

        def read() -> tuple[MemberStanding | None, list[CannedAnswer]]:
            return (moderation.standing(member_id) if member_id is not None else None, moderation.guidelines())

        self.ops.run(read).success(lambda got: self._ask_moderation(target, kind, queued, *got))

    def _ask_moderation(
        self,
        target: ModerationTarget,
        kind: ModerationKind,
        queued: Callable[[ModerationAction], object] | None,
        standing: MemberStanding | None,
        guidelines: list[CannedAnswer],
    ) -> None:
        moderation = self.services.moderation
        assert moderation is not None
        dialog = ModerationDialog(
            kind,
            source_id=target.source_id,
            member_id=target.member_id,
            member=target.member,
            message_id=target.message_id,
            message=target.message,
            language=target.language,
            standing=standing,
            guidelines=guidelines,
            profile_id=self.on_duty_id,
            parent=self,
        )
        if dialog.exec() != QDialog.DialogCode.Accepted or dialog.request is None:
            return
        request = replace(dialog.request, chat_id=target.chat_id)
        said = {
            ModerationKind.WARN: self.tr("Warning to %1 queued: the reminder goes privately."),
            ModerationKind.MUTE: self.tr("Mute of %1 queued."),
            ModerationKind.REMOVE: self.tr("Removal of %1 queued."),
            ModerationKind.BAN: self.tr("Ban of %1 queued."),
            ModerationKind.UNBAN: self.tr("Unban of %1 queued."),
            ModerationKind.DELETE: self.tr("Deletion of %1's message queued (the log keeps its text)."),
            ModerationKind.PURGE: self.tr("Deletion of all of %1's messages queued (the log keeps them)."),
        }[request.kind].replace("%1", isolate(target.member))

        def done(action: ModerationAction) -> None:
            self.statusBar().showMessage(said + " " + self.tr("See Moderation ▸ Moderation record."), 10000)
            if queued is not None:
                queued(action)

        self.ops.run(lambda: moderation.queue(request)).success(done)

    def show_moderation_record(self) -> None:
        moderation = self.services.moderation
        if moderation is None:
            return
        dialog = ModerationRecordDialog(
            moderation.record, moderation.export, self.services.timezone, self.ops, QDate.currentDate(), self
        )
        dialog.load()
        dialog.exec()

    def assign_to_me(self) -> None:
        entry = self.inbox.current_entry()
        if entry is None:
            return
        if self.on_duty_id is None:
            self.statusBar().showMessage(self.tr("Choose who is on duty first (left, under the sources)."), 8000)
            self.on_duty.setFocus()
            return
        self.assign(entry, self.on_duty_id)

    def assign(self, entry: InboxEntry, profile_id: int | None) -> None:
        """On the database worker; the inbox is read again once it is done (a refusal: the inquiry is gone)."""
        assign = self.services.decisions.assign
        self.ops.run(lambda: assign(entry, profile_id)).success(lambda _: self.reload())

    def closeEvent(self, event: QCloseEvent) -> None:
        """An import still running: closing stops it (what it read is stored), if the person agrees; the
        process would otherwise stay on, with no window, until the import ends."""
        if self.file_work is not None and self.file_work.importing:
            answer = QMessageBox.question(
                self,
                self.tr("An import is running"),
                self.tr(
                    "An import is running. Stop it and close? What it has read is kept; importing the same "
                    "file again goes on from there."
                ),
            )
            if answer != QMessageBox.StandardButton.Yes:
                event.ignore()
                return
            self.file_work.stop_import()
        super().closeEvent(event)

    def _imported(self) -> None:
        """Something came in from a file: the inbox, the sources and the library's index are read again."""
        self.reload_sources()
        self.reload(first=True)
        if self.catalog is not None:
            self.catalog.start()

    def _confirm_log_out(self) -> None:
        answer = QMessageBox.question(
            self,
            self.tr("Log out of Telegram"),
            self.tr(
                "Log out? The session ends on Telegram and leaves this computer; the log and its history stay. "
                "Replies still in the outbox wait until someone logs in again."
            ),
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.log_out_asked.emit()

    def shutdown(self) -> None:
        """Before the application ends: release what must not outlive the event loop (the voice player)."""
        self.conversation.player.close()
        self.notifier.seen_now()
        self._unfollow()

    def _changes_announced(self, changes: Changes) -> None:
        """On the thread that committed them: handed to the window's thread."""
        emit_from_worker(self, self.changed, changes)

    def _follow(self, changes: Changes) -> None:
        """A use case committed a change (here, or the connector on its thread): a new standard is read and
        every countdown follows it at once; changed inquiries are read again."""
        if changes.standard:
            standards = self.services.standards
            self.ops.run(lambda: (standards.clocks(), standards.timezone())).success(
                lambda read: self._new_standard(*read)
            )
        if changes.inquiries or changes.everything:
            self._reload.start()
        if changes.library and self.catalog is not None and self._catalog_started:  # edited at another workstation
            self.catalog.start()

    def _new_standard(self, clocks: Clocks, timezone: ZoneInfo) -> None:
        self.inbox_model.set_clocks(clocks)
        if timezone != self.inbox_model.timezone:
            self.inbox_model.set_timezone(timezone)
            self.conversation.set_timezone(timezone)
            if self.handover is not None:
                self.handover.set_timezone(timezone)

    def _show_failure(self, sentence: str) -> None:
        self.statusBar().showMessage(isolate(sentence), 10000)

    def _act(self, entry: InboxEntry, action: str) -> None:
        """A decision on the inquiry; a refusal (it changed meanwhile) is said in the status bar. Once done, it
        can be undone for UNDO_SECONDS (Ctrl+Z, or "Undo" in the status bar): no decision needs a "sure?"."""
        decision = ModeratorAction(action)
        self.ops.follow(self.services.decisions.act(entry, decision, self.on_duty_id)).success(
            lambda taken: self._decided(entry, decision, taken)
        )

    def _decided(self, entry: InboxEntry, decision: ModeratorAction, taken: Undo) -> None:
        self._reload.start()
        done = {
            ModeratorAction.DISMISS: self.tr("Dismissed"),
            ModeratorAction.MARK_ANSWERED: self.tr("Marked answered"),
            ModeratorAction.CONFIRM_ANSWER: self.tr("Answer confirmed"),
            ModeratorAction.PROMOTE: self.tr("Made an inquiry"),
        }[decision]
        question = " ".join((entry.text or "").split())
        shown = question if len(question) <= 50 else question[:49] + "…"
        self._undo = taken
        self.undo_label.setText(
            self.tr("%1: %2 — %3.")
            .replace("%1", done)
            .replace("%2", isolate(entry.member or self.tr("(unknown)")))
            .replace("%3", isolate(shown))
        )
        self.undo_label.show()
        self.undo_button.show()
        self._undo_timer.start()

    def undo_last(self) -> None:
        """Take the last decision back (Ctrl+Z outside the reply, or "Undo"), if it is still recent."""
        taken = self._undo
        if taken is None:
            self.statusBar().showMessage(self.tr("Nothing to undo."), 5000)
            return
        self._forget_undo()
        self.ops.follow(self.services.decisions.undo(taken)).success(lambda _: self._undone())

    def _undone(self) -> None:
        self.statusBar().showMessage(self.tr("Undone: the inquiry is back as it was."), 8000)
        self._reload.start()

    def _forget_undo(self) -> None:
        self._undo = None
        self._undo_timer.stop()
        self.undo_label.hide()
        self.undo_button.hide()

    def _relink(self, entry: InboxEntry, telegram_id: int, link: bool) -> None:
        """A staff message answers this inquiry (or not): the correction is written (by the connector when one
        runs here, between two updates) and the outcome comes back through :attr:`relinked`."""
        # The inquiry answered by the correction closed when the message was sent, perhaps long ago: the
        # refresh that follows reaches back to its question so the inbox shows it answered.
        self._relinked_since = min(self._relinked_since or entry.arrival, entry.arrival)
        future = self.services.decisions.relink(entry, telegram_id, entry.id if link else None, self.on_duty_id)
        self.ops.follow(future).success(lambda _: self.relinked.emit(link, "")).failure(
            lambda refusal: self.relinked.emit(link, refusal)
        )

    def _relink_done(self, link: bool, refusal: str) -> None:
        if refusal:
            self.statusBar().showMessage(isolate(refusal), 10000)
            return
        self.statusBar().showMessage(
            isolate(
                self.tr("Linked: the staff message answers this question; the statistics follow.")
                if link
                else self.tr("Unlinked: the staff message no longer answers this question; the statistics follow.")
            ),
            8000,
        )
        self.conversation.reload()
        since, self._relinked_since = self._relinked_since, None
        usual = self._last_reload - timedelta(minutes=10)
        self.reload(since=min(since, usual) if since is not None else usual)

    def _set_details(self, entry: InboxEntry, details: Details) -> None:
        self.ops.follow(self.services.decisions.set_details(entry, details)).success(lambda _: self._reload.start())

    def _move(self, step: int) -> None:
        table = self.inbox.table
        rows = self.proxy.rowCount()
        if not rows:
            return
        current = table.currentIndex().row()
        row = 0 if current < 0 else min(rows - 1, max(0, current + step))
        self.inbox.select_row(row)
        table.setFocus()

    def show_shortcuts(self) -> None:
        lines = [f"{keys.toString(QKeySequence.SequenceFormat.NativeText)}\t{label}" for keys, label in self._keys]
        lines += [
            f"{keys.toString(QKeySequence.SequenceFormat.NativeText)}\t{label}"
            for keys, _, label in self.conversation.shortcuts
        ]
        lines.append("Ctrl+Enter\t" + self.tr("Send the reply"))
        QMessageBox.information(self, self.tr("Keyboard shortcuts"), "\n".join(lines))

    def _source_chosen(self, current: QModelIndex, previous: QModelIndex) -> None:
        if self._syncing_sources:
            return
        source_id = self.sources_model.source_id(current.row()) if current.isValid() else None
        box = self.inbox.source_box
        box.setCurrentIndex(max(0, box.findData(source_id)))

    def _source_filtered(self, _: int) -> None:
        """The Source filter changed: the sources list highlights the same source (a forum topic: its group),
        so the two never disagree."""
        chosen = self.inbox.source_box.currentData()
        source_id = chosen[0] if isinstance(chosen, tuple) else chosen
        row = next((r for r in range(self.sources_model.rowCount()) if self.sources_model.source_id(r) == source_id), 0)
        self._syncing_sources = True
        try:
            self.sources_view.setCurrentIndex(self.sources_model.index(row))
        finally:
            self._syncing_sources = False

    def show_status(self, status: ConnectorStatus) -> None:
        texts = {
            ConnectionState.CONNECTING: self.tr("Telegram: connecting…"),
            ConnectionState.CATCHING_UP: self.tr("Telegram: catching up"),
            ConnectionState.CONNECTED: self.tr("Telegram: connected"),
            ConnectionState.OFFLINE: self.tr("Telegram: offline"),
            ConnectionState.LOGIN_NEEDED: self.tr("Telegram: log in again"),
            ConnectionState.STOPPED: self.tr("Telegram: stopped"),
        }
        text = texts.get(status.state, status.state.value)
        self._telegram_connected = status.state in (ConnectionState.CONNECTED, ConnectionState.CATCHING_UP)
        if self._join_dialog is not None:
            self._join_dialog.set_connected(self._telegram_connected)
        if status.state is ConnectionState.OFFLINE and self._catch_up_from is None:
            self._catch_up_from = self.services.now() - timedelta(minutes=10)
        elif status.state is ConnectionState.CONNECTED and self._catch_up_from is not None:
            self.reload(since=self._catch_up_from)
            self._catch_up_from = None
        if status.state is ConnectionState.CATCHING_UP and status.source:
            text += " — " + self.tr("%1: %2 messages").replace("%1", status.source).replace("%2", f"{status.done:,}")
        if status.detail and status.state in (
            ConnectionState.OFFLINE,
            ConnectionState.LOGIN_NEEDED,
            ConnectionState.STOPPED,
        ):
            text += "\n" + status.detail
        self.connection.setText(text)


class _PaneAccess:
    """The conversation pane's access (ui/access.ConversationAccess) over the window's: a reply or a download
    queued wakes a connector running here; called on the database worker."""

    def __init__(self, services: WindowServices) -> None:
        self._inbox, self._outbox, self._library = services.inbox, services.outbox, services.library

    def thread(self, entry: InboxEntry) -> list[ThreadMessage]:
        return self._inbox.thread(entry)

    def member_card(self, entry: InboxEntry) -> MemberCard | None:
        return self._inbox.member_card(entry)

    def queue_reply(
        self,
        entry: InboxEntry,
        text: str,
        holding: bool,
        reply_to: int | None,
        referrals: tuple[int, ...],
        profile_id: int | None,
    ) -> Outgoing:
        item = self._outbox.queue_reply(entry, text, holding, profile_id, reply_to, referrals)
        self._outbox.wake_connector()
        return item

    def queue_download(self, entry: InboxEntry, telegram_id: int) -> Outgoing:
        item = self._outbox.queue_download(entry, telegram_id)
        self._outbox.wake_connector()
        return item

    def replies_of(self, inquiry_id: int) -> list[Outgoing]:
        return self._outbox.replies_of(inquiry_id)

    def outbox_item(self, item_id: int) -> Outgoing | None:
        return self._outbox.item(item_id)

    def record_use(self, answer_id: int) -> None:
        self._library.record_use(answer_id)

    def draft(self, inquiry_id: int) -> tuple[Draft, list[ReferralOrganization]] | None:
        return self._outbox.draft(inquiry_id)

    def save_draft(self, inquiry_id: int, text: str, partner_ids: tuple[int, ...], profile_id: int | None) -> None:
        self._outbox.save_draft(inquiry_id, text, partner_ids, profile_id)
