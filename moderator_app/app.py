"""The composition root of the window: builds the log, the services, the window and the connector, and wires
them. The command line is in ``cli/`` (``moderator-app COMMAND``); without a command it starts here.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, TextIO

from moderator_app.process import end_startup
from moderator_app.services.changes import ChangeBus
from moderator_app.services.standards import StandardsService
from moderator_app.services.team_bus import TeamBus
from moderator_app.services.worker import DatabaseWorker
from moderator_app.store.db import (
    Database,
    StoreError,
    default_data_dir,
    default_log_dir,
    open_database,
)
from moderator_app.store.keyring_backends import SecretStoreUnavailable
from moderator_app.store.repositories import (
    SettingsRepository,
    SourceRepository,
)

if TYPE_CHECKING:
    from moderator_app.services.inquiries import LiveInquiries
    from moderator_app.store.secrets import SecretStore
    from moderator_app.telegram.client import ConnectionSettings, Credentials
    from moderator_app.telegram.connector_thread import ConnectorThread
    from moderator_app.ui.access import FileCommands
    from moderator_app.ui.connector_bridge import ConnectorBridge
    from moderator_app.ui.main_window import MainWindow, WindowServices
from moderator_app.telegram.problems import SettingsError


def window_services(
    db: Database,
    connector: Callable[[], ConnectorThread | None] = lambda: None,
    *,
    demo: bool = False,
    bus: ChangeBus | None = None,
    worker: DatabaseWorker | None = None,
    commands: FileCommands | None = None,
) -> WindowServices:
    """What the window needs, one access per area (ui/access.py; the window imports no store code).

    Reads and writes the window asks for run on ``worker`` (the database worker) and come back as futures.
    A moderator's decision goes to the connector when one runs in this process (it holds open inquiries in
    memory), to the log otherwise; ``connector`` gives the running one, if any. Committed changes are
    announced on ``bus``, which the window and the connector follow."""
    from moderator_app.domain.settings import (
        NOTIFY_NEW,
        NOTIFY_WARNINGS,
        ON_DUTY,
        ORGANIZATION_NAME,
        REVIEW_MONTHS,
        WINDOW_SEEN,
    )
    from moderator_app.services.audit import LogAudit
    from moderator_app.services.errors import sentence
    from moderator_app.services.handovers import LogHandovers
    from moderator_app.services.inquiries import InquiryService
    from moderator_app.services.retention import LogRetention, RetentionService
    from moderator_app.services.roles import LogJoinRequests
    from moderator_app.services.safety import SafetyService
    from moderator_app.services.settings import WriteThroughSettings
    from moderator_app.services.window_access import (
        LogDecisions,
        LogInbox,
        LogLibrary,
        LogModeration,
        LogOutbox,
        LogPeople,
        LogProfiles,
        LogStandards,
        LogStatistics,
        LogWelcome,
    )
    from moderator_app.store.reports import ReportRepository
    from moderator_app.ui.main_window import WindowServices

    bus = bus or ChangeBus()
    worker = worker or DatabaseWorker()

    def live() -> LiveInquiries | None:
        thread = connector()
        return thread.inquiries() if thread is not None else None

    def wake() -> None:
        thread = connector()
        running = thread.live() if thread is not None else None
        if thread is not None and running is not None:
            thread.call(running.wake_sender)

    standards = LogStandards(db, StandardsService(db, bus), worker)
    return WindowServices(
        clocks=standards.clocks(),
        timezone=standards.timezone(),
        now=lambda: datetime.now(UTC),
        inbox=LogInbox(db),
        decisions=LogDecisions(db, InquiryService(db, worker, bus, live)),
        outbox=LogOutbox(db, wake, bus),
        moderation=LogModeration(db, wake),
        safety=SafetyService(db, bus),
        people=LogPeople(db),
        reports=ReportRepository(db),
        welcome=LogWelcome(db),
        join_requests=LogJoinRequests(db),  # a manager's decisions refused (services/roles.py)
        statistics=LogStatistics(db),
        handovers=LogHandovers(db),
        audit=LogAudit(db),
        retention=LogRetention(RetentionService(db, (db.data_dir or default_data_dir()) / "media", bus)),
        library=LogLibrary(db, bus),
        standards=standards,
        profiles=LogProfiles(db),
        # Read now, before the window exists; written through on the database worker.
        settings=WriteThroughSettings(
            SettingsRepository(db),
            worker.submit,
            (ON_DUTY, ORGANIZATION_NAME, REVIEW_MONTHS, NOTIFY_NEW, NOTIFY_WARNINGS, WINDOW_SEEN),
        ),
        commands=commands,
        demo=demo,
        run=worker.submit,
        describe=lambda problem: sentence(problem, db),
        follow_changes=bus.subscribe,
    )


def run_demo(args: argparse.Namespace, err: TextIO) -> int:
    """The window on a simulated organization, served by the local MTProto server in this process."""
    import contextlib

    from moderator_app import demo

    if args.database_url:
        print("error: the demo keeps its log in a folder: give --data-dir (or nothing), not --database-url.", file=err)
        return 2
    end_startup()  # three months of history are generated first: the collector must run meanwhile
    with contextlib.ExitStack() as stack:
        print("Starting the demo organization (three months of history)…", file=err)
        args.data_dir = demo.prepare(args.data_dir, stack)
        print(f"Demo log in {args.data_dir}", file=err)
        return run_gui(args, err)


def run_gui(args: argparse.Namespace, err: TextIO) -> int:
    """The workstation window (``moderator-app`` without a command): the log, the inbox and, when logged
    in, the connector on its own thread. The window is on screen first; Telegram (Telethon, the login
    wizard, the connector) is set up once the event loop runs, so the inbox does not wait for it."""
    from PySide6.QtCore import QTimer
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QApplication

    from moderator_app.process import install_excepthook, setup_logging
    from moderator_app.ui.connector_bridge import ConnectorBridge
    from moderator_app.ui.i18n import install_translations
    from moderator_app.ui.main_window import MainWindow
    from moderator_app.ui.threads import emit_from_worker

    app = QApplication.instance() or QApplication([*sys.argv[:1], *getattr(args, "qt_arguments", [])])
    app.setApplicationName("Moderator Workstation")
    translators = install_translations(app)  # "1 inquiry", not "1 inquiries"
    try:
        db = open_database(data_dir=args.data_dir, database_url=args.database_url)
    except StoreError as exc:
        print(f"error: {exc}", file=err)
        return 1
    log_file = setup_logging(
        db.data_dir / "logs" if args.data_dir is not None and db.data_dir is not None else default_log_dir()
    )
    _rederive_with_progress(db)
    bridge = ConnectorBridge()
    running: list[ConnectorThread] = []
    bus, worker = ChangeBus(), DatabaseWorker()
    team = TeamBus.open(db, bus)  # a team's PostgreSQL log: the other workstations' changes, and ours to them
    # A running connector follows what the window's use cases commit (a new standard, first of all).
    bus.subscribe(lambda changes: running[-1].follow(changes) if running else None)
    make_commands = getattr(args, "file_commands", None)  # the command line's commands, for the File menu
    services = window_services(
        db,
        lambda: running[-1] if running else None,
        demo=bool(getattr(args, "demo", False)),
        bus=bus,
        worker=worker,
        commands=make_commands(db) if make_commands is not None else None,
    )
    window = MainWindow(services, bridge)
    where = f" Details are in {log_file}." if log_file is not None else ""
    restore_hooks = install_excepthook(
        lambda problem: emit_from_worker(window, window.problem, f"Something went wrong: {problem}.{where}")
    )
    # 1440 x 860 where the screen has room; an office laptop's 1366 x 768 gets the whole screen, not a window
    # whose right-hand pane runs off it.
    screen = QGuiApplication.primaryScreen()
    room = screen.availableGeometry() if screen is not None else None
    if room is not None and (room.width() < 1440 or room.height() < 860):
        window.showMaximized()
    else:
        window.resize(1440, 860)
        window.show()
    end_startup()
    telegram = _Telegram(db, window, bridge, running)
    QTimer.singleShot(0, telegram.connect)
    QTimer.singleShot(0, lambda: _retention_at_start(db, window))
    try:
        return int(app.exec())
    finally:
        window.shutdown()
        for translator in translators:
            app.removeTranslator(translator)
        for thread in running:
            thread.stop()
        worker.close()
        if team is not None:  # after the worker: what it committed last is told to the others
            team.close()
        restore_hooks()
        db.close()


def _rederive_with_progress(db: Database) -> None:
    """After an upgrade whose rules read history differently: re-derive it once, with a dialog showing how far
    it got, before the window opens (it would otherwise show counts the new rules disagree with)."""
    from moderator_app.store.rules_version import rules_outdated

    if not rules_outdated(db):
        return
    from moderator_app.store.rederive import Rederiver
    from moderator_app.ui.upgrade_dialog import rederive_with_progress

    rederive_with_progress(lambda progress: Rederiver(db, on_progress=progress).run())


def _retention_at_start(db: Database, window: MainWindow) -> None:
    """With retention on, the months that turned since the last start lose their text (on the database
    worker, once the window is on screen); the window says so."""
    from moderator_app.domain.retention import RetentionResult
    from moderator_app.services.retention import RetentionService
    from moderator_app.ui.retention_dialog import RetentionNotice

    service = RetentionService(db, (db.data_dir or default_data_dir()) / "media")

    def said(result: RetentionResult | None) -> None:
        if result is not None and result.messages:
            window.statusBar().showMessage(RetentionNotice().applied(result), 10000)

    window.ops.run(service.at_start).success(said)


class _Telegram:
    """The window's Telegram session: connected at start when logged in, else the login wizard; logged in
    and out again from the Telegram menu. ``running`` holds the connector's thread."""

    def __init__(self, db: Database, window: MainWindow, bridge: ConnectorBridge, running: list[ConnectorThread]):
        self.db, self.window, self.bridge, self.running = db, window, bridge, running
        self._session: tuple[ConnectionSettings, SecretStore] | None = None  # what the connector runs with
        window.log_in_asked.connect(self.log_in)
        window.log_out_asked.connect(self.log_out)

    def connect(self) -> None:
        """The connection settings and credentials (the log and the system keyring, which may be slow to
        answer) are read on the database worker; the window goes on meanwhile. Without a usable keyring the
        wizard still opens, for a login that lasts this run only (said in it)."""
        from moderator_app.store.secrets import SecretStore
        from moderator_app.telegram.client import ConnectionSettings, Credentials
        from moderator_app.telegram.status import ConnectionState, ConnectorStatus

        db, settings = self.db, SettingsRepository(self.db)

        def read() -> tuple[ConnectionSettings, SecretStore, Credentials | None, str] | SettingsError:
            try:
                connection = ConnectionSettings.load(settings)
            except SettingsError as exc:
                return exc  # settings of the wrong shape: said in the window
            try:
                secrets = SecretStore(db)
                return connection, secrets, Credentials.load(settings, secrets), ""
            except SecretStoreUnavailable as exc:
                return connection, SecretStore(db, this_run_only=True), None, str(exc)

        def then(found: tuple[ConnectionSettings, SecretStore, Credentials | None, str] | SettingsError) -> None:
            if isinstance(found, SettingsError):
                self.window.show_status(ConnectorStatus(ConnectionState.LOGIN_NEEDED, str(found)))
                return
            connection, secrets, credentials, no_keyring = found
            if credentials is not None and credentials.session:
                self._start(connection, secrets)
            else:
                self._wizard(connection, secrets, no_keyring)

        self.window.ops.run(read).success(then)

    def log_in(self) -> None:
        if any(thread.running for thread in self.running):
            self.window.statusBar().showMessage(
                self.window.tr("Already logged in: Telegram ▸ Log out first to use another account."), 8000
            )
            return
        self.connect()

    def log_out(self) -> None:
        """The connector stops, then the session ends on Telegram and leaves this computer (off the window's
        thread: stopping and telling Telegram take a moment)."""
        import asyncio

        from moderator_app.telegram.login import log_out
        from moderator_app.telegram.status import ConnectionState, ConnectorStatus

        running, session = list(self.running), self._session
        if session is None:
            self.window.statusBar().showMessage(self.window.tr("Not logged in to Telegram: nothing to log out."), 8000)
            return
        self.running.clear()
        self._session = None
        connection, secrets = session
        settings = SettingsRepository(self.db)

        def work() -> str:
            for thread in running:
                thread.stop()
            # The store the connector ran with: a login for this run only is forgotten from memory too.
            return asyncio.run(log_out(settings, secrets, connection))

        def done(sentence: str) -> None:
            self.window.show_status(ConnectorStatus(ConnectionState.LOGIN_NEEDED, sentence))

        self.window.statusBar().showMessage(self.window.tr("Logging out…"))
        self.window.ops.run(work).success(done)
        self._audit(False)

    def _audit(self, logged_in: bool) -> None:
        """A Telegram login (the wizard done) or logout, in the audit record with the profile on duty."""
        audit = self.window.services.audit
        if audit is not None:
            self.window.ops.run(lambda: audit.telegram(logged_in))

    def _start(self, connection: ConnectionSettings, secrets: SecretStore) -> None:
        from moderator_app.telegram.connector import Connector
        from moderator_app.telegram.connector_thread import ConnectorThread, ended_status

        db, bridge = self.db, self.bridge
        media_dir = (db.data_dir or default_data_dir()) / "media"
        started = ConnectorThread(
            lambda: Connector(
                db, secrets, connection, media_dir=media_dir, on_status=bridge.on_status, on_stored=bridge.on_stored
            ),
            on_exit=lambda problem: bridge.on_status(ended_status(problem)) if problem is not None else None,
        )
        started.start()
        self.running.append(started)
        self._session = (connection, secrets)

    def _wizard(self, connection: ConnectionSettings, secrets: SecretStore, no_keyring: str) -> None:
        from PySide6.QtWidgets import QDialog

        from moderator_app.domain.events import SourceRef
        from moderator_app.telegram.dialogs import account_dialogs
        from moderator_app.telegram.login import LoginFlow
        from moderator_app.telegram.status import ConnectionState, ConnectorStatus
        from moderator_app.ui.login_wizard import LoginWizard

        db, window = self.db, self.window
        sources = SourceRepository(db)

        def watch(refs: list[SourceRef]) -> None:
            for ref in refs:
                sources.set_watched(ref, True)

        notice = (
            window.tr(
                "No keyring can keep the Telegram session on this computer, so this login lasts until the app "
                "closes (nothing is written to disk). To stay logged in: %1"
            ).replace("%1", no_keyring)
            if no_keyring
            else ""
        )
        wizard = LoginWizard(
            LoginFlow(SettingsRepository(db), secrets, connection),
            lambda: account_dialogs(db, connection),
            watch,
            window,
            submit=window.services.run,  # the sources chosen are written on the database worker
            notice=notice,
        )
        if wizard.exec() == QDialog.DialogCode.Accepted:
            window.reload_sources()
            self._start(connection, secrets)
            self._audit(True)
        else:
            window.show_status(
                ConnectorStatus(
                    ConnectionState.LOGIN_NEEDED,
                    window.tr("Not logged in to Telegram. The log is shown; Telegram ▸ Log in… logs in."),
                )
            )
