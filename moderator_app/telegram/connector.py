"""The connector: the only code that talks to Telegram once logged in.

It brings every watched source up to date from the last stored message (catch-up), then turns live updates
into log rows through the domain rules, one transaction per update, and sends the outbox in order. It runs
on its own asyncio loop (its own thread inside the app, the main thread for ``moderator-app connector``);
only plain data leaves it (:class:`ConnectorStatus` through a callback).

Exactly once: catch-up and live updates meet in one queue consumed in order, and everything stored has a
unique key, so a message seen twice is stored once; replies carry a ``random_id`` chosen when queued, so
Telegram drops a resend after a crash.

The work is done by parts, each in its module and each holding the shared :class:`ConnectorHub`: catch-up,
live updates, the sender, media and housekeeping. This class builds them, runs a connection's tasks, and
applies the moderators' decisions between two updates.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from telethon import TelegramClient, errors
from telethon.tl import types

from moderator_app.domain.actions import TEACHING, Details, ModeratorAction, Undo, decide, undo
from moderator_app.domain.examples import Example, ExampleMemory
from moderator_app.domain.inquiries import ConversationTracker, TrackedInquiry
from moderator_app.domain.settings import MEDIA_CAP, URGENT_WORDS
from moderator_app.services.changes import Changes
from moderator_app.store.actions import InquiryActions
from moderator_app.store.answer_links import AnswerLinks, Relinked
from moderator_app.store.db import Database
from moderator_app.store.examples import ExampleRepository
from moderator_app.store.lease import ConnectorAlreadyRunning, ConnectorLeases
from moderator_app.store.live import LiveLog
from moderator_app.store.outbox import OutboxRepository
from moderator_app.store.profiles import ProfileRepository
from moderator_app.store.repositories import InquiryRepository, SettingsRepository
from moderator_app.store.secrets import SecretStore
from moderator_app.telegram.admin_log import AdminLogReader
from moderator_app.telegram.catch_up import CatchUp
from moderator_app.telegram.client import ConnectionSettings, Credentials, LogSession, make_client
from moderator_app.telegram.convert import display_name
from moderator_app.telegram.errors import Remedy, TelegramProblem, explain
from moderator_app.telegram.housekeeping import Housekeeping
from moderator_app.telegram.hub import ConnectorCounts, ConnectorHub
from moderator_app.telegram.live_updates import LiveUpdates
from moderator_app.telegram.media import Media
from moderator_app.telegram.sender import Sender
from moderator_app.telegram.status import ConnectionState, ConnectorStatus

__all__ = ["ConnectionState", "Connector", "ConnectorCounts", "ConnectorStatus"]

#: How often a standby connector looks whether the lease is free (it goes stale 60 s after the last heartbeat).
STANDBY_POLL = 5.0


class Connector:
    def __init__(
        self,
        db: Database,
        secrets: SecretStore,
        connection: ConnectionSettings,
        *,
        media_dir: Path,
        on_status: Callable[[ConnectorStatus], None] | None = None,
        on_stored: Callable[[str, int], None] | None = None,
        log: logging.Logger | None = None,
        client_factory: Callable[[Credentials, ConnectionSettings], TelegramClient] | None = None,
        poll_interval: float = 0.5,
        heartbeat_every: float = 30.0,
        sweep_every: float = 60.0,
        views_every: float = 300.0,
        admin_log_every: float = 180.0,
        reconnect_delay: float = 5.0,
        standby: bool = False,
    ) -> None:
        self.db = db
        #: Wait while another connector holds the log, and take over when it stops or goes silent.
        self.standby = standby
        self.secrets = secrets
        self.connection = connection
        self.log = log or logging.getLogger("moderator_app.connector")
        self._factory = client_factory or self._default_client
        self.reconnect_delay = reconnect_delay
        self.settings = SettingsRepository(db)
        self.outbox = OutboxRepository(db)
        self.leases = ConnectorLeases(db)
        self.hub = ConnectorHub(
            db, self.log, media_cap=self.settings.read(MEDIA_CAP), on_status=on_status, on_stored=on_stored
        )
        self.sources = self.hub.sources
        self.updates = LiveUpdates(self.hub)
        self.catch_up = CatchUp(self.hub, self.updates.apply)
        self.media = Media(self.hub, self.outbox, media_dir)
        self.sender = Sender(self.hub, self.outbox, self.media, poll_interval=poll_interval)
        self.housekeeping = Housekeeping(
            self.hub,
            self.leases,
            self.catch_up.history,
            self.save_update_state,
            heartbeat_every=heartbeat_every,
            sweep_every=sweep_every,
            views_every=views_every,
            admin_log=AdminLogReader(self.hub),
            admin_log_every=admin_log_every,
            join_requests=self.updates.join_requests,
        )
        self.client: TelegramClient | None = None

    # -- what the parts share, as the app and tests read it ----------------------------------------------------
    @property
    def counts(self) -> ConnectorCounts:
        return self.hub.counts

    @property
    def status(self) -> ConnectorStatus:
        return self.hub.status

    @property
    def live(self) -> LiveLog | None:
        return self.hub.live

    @property
    def me(self) -> types.User | None:
        return self.hub.me

    @me.setter
    def me(self, value: types.User | None) -> None:
        self.hub.me = value

    @property
    def on_stored(self) -> Callable[[str, int], None] | None:
        return self.hub.on_stored

    @on_stored.setter
    def on_stored(self, value: Callable[[str, int], None] | None) -> None:
        self.hub.on_stored = value

    @property
    def last_catch_up(self) -> tuple[int, float]:
        """The last history catch-up: (new messages, seconds from the list of chats to the last commit)."""
        return self.catch_up.last

    def _default_client(self, credentials: Credentials, connection: ConnectionSettings) -> TelegramClient:
        return make_client(credentials, connection, session=LogSession(credentials.session, self.settings))

    async def save_update_state(self) -> None:
        await self.updates.save_update_state(self.client)

    async def refresh_views(self, client: TelegramClient) -> int:
        return await self.housekeeping.refresh_views(client)

    def wake_sender(self) -> None:
        """Something was queued in this process: send it now rather than at the next poll."""
        self.sender.wake()

    # -- running ---------------------------------------------------------------------------------------------
    async def run(self, stop: asyncio.Event) -> None:
        """Run until ``stop`` is set. Raises :class:`TelegramProblem` (remedy LOG_IN) when the session is
        missing or no longer valid, and ConnectorAlreadyRunning when another connector holds this log (a
        standby waits for it instead)."""
        while True:
            try:
                self.leases.acquire()
                break
            except ConnectorAlreadyRunning as exc:
                if not self.standby:
                    raise
                self.hub.set_status(ConnectionState.STOPPED, f"standby: {exc}")
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), STANDBY_POLL)
                if stop.is_set():
                    return
        if self.standby:
            self.log.info("standby: the lease is ours now; taking over")
        try:
            credentials = Credentials.load(self.settings, self.secrets)
            if credentials is None or not credentials.session:
                problem = TelegramProblem(
                    "Not logged in to Telegram: run `moderator-app login` (or use the login window) first.",
                    Remedy.LOG_IN,
                )
                self.hub.set_status(ConnectionState.LOGIN_NEEDED, problem.message)
                raise problem
            recovered = self.outbox.recover()
            if recovered:
                self.log.info("outbox: %d message(s) left 'sending' by a stopped connector are queued again", recovered)
            self.hub.live = LiveLog(self.db)
            self.hub.moderated_seen = InquiryRepository(self.db).latest_moderated()
            client = self.client = self._factory(credentials, self.connection)
            self.updates.register(client)
            while not stop.is_set():
                try:
                    await self._session(client, stop)
                except TelegramProblem as problem:
                    if problem.remedy is Remedy.LOG_IN:
                        self.hub.set_status(ConnectionState.LOGIN_NEEDED, problem.message)
                        raise
                    self.hub.set_status(ConnectionState.OFFLINE, problem.message)
                except (OSError, ConnectionError, TimeoutError, errors.RPCError) as exc:
                    explained = explain(exc)
                    if explained.remedy is Remedy.LOG_IN:
                        self.hub.set_status(ConnectionState.LOGIN_NEEDED, explained.message)
                        raise explained from exc
                    self.hub.set_status(ConnectionState.OFFLINE, explained.message)
                finally:
                    with contextlib.suppress(Exception):
                        await client.disconnect()
                if stop.is_set():
                    break
                delay = self.reconnect_delay
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), delay)
        finally:
            if self.hub.live is not None:
                with contextlib.suppress(Exception):
                    self.hub.live.commit()
            self.leases.release()
            self.hub.set_status(ConnectionState.STOPPED)

    async def _session(self, client: TelegramClient, stop: asyncio.Event) -> None:
        """One connection: connect, check the session, catch up, then live until stop or disconnect."""
        self.hub.set_status(ConnectionState.CONNECTING, "connecting to Telegram")
        await client.connect()
        if not await client.is_user_authorized():
            raise TelegramProblem(
                "Telegram no longer accepts this session (it was logged out or ended from another device). "
                "Log in again; the log on this computer is kept as it is.",
                Remedy.LOG_IN,
            )
        me = self.hub.me = await client.get_me()
        assert self.hub.live is not None
        self.hub.live.add_staff([me.id])
        self.hub.names[me.id] = me
        await self.catch_up.history(client)
        await self.catch_up.changes(client)
        # Requests made, withdrawn or handled on a phone while the connector was away: the queue as it is now.
        await self.updates.join_requests.sync(client)
        self.hub.set_status(
            ConnectionState.CONNECTED, f"connected as {display_name(me)}; watching {len(self.hub.watched)}"
        )
        tasks = [
            asyncio.create_task(self.updates.consume(client), name="consume"),
            asyncio.create_task(self.sender.loop(client), name="send"),
            asyncio.create_task(self.media.loop(client), name="download"),
            asyncio.create_task(self.housekeeping.loop(client), name="housekeeping"),
            asyncio.create_task(stop.wait(), name="stop"),
            asyncio.create_task(self._until_disconnected(client), name="disconnected"),
        ]
        try:
            done, _ = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
            for task in done:
                if task.get_name() == "disconnected" and not stop.is_set():
                    raise ConnectionError("the connection to Telegram was lost")
                exc = task.exception()
                if exc is not None:
                    raise exc
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)

    async def _until_disconnected(self, client: TelegramClient) -> None:
        await client.disconnected

    # -- the moderators' decisions, between two updates ------------------------------------------------------
    async def apply_action(
        self, inquiry_id: int, action: ModeratorAction, at: datetime | None = None, profile_id: int | None = None
    ) -> Undo:
        """A moderator's decision, applied to the in-memory inquiry too (else the next message would write
        the connector's older view of it back); credited to ``profile_id`` when it is the first response."""
        when = at or datetime.now(UTC)
        taken: list[Undo] = []
        await self._change_inquiry(
            inquiry_id,
            lambda tracker, inquiry: taken.append(decide(tracker, inquiry, action, when)),
            lambda: taken.append(InquiryActions(self.db).apply(inquiry_id, action, when)),
        )
        if profile_id is not None:
            ProfileRepository(self.db).credit_decision(inquiry_id, profile_id, when)
        if action in TEACHING:
            example = ExampleRepository(self.db).record(inquiry_id, TEACHING[action], when, profile_id)
            memory = self._examples_in_memory()
            if example is not None and memory is not None:
                memory.add(example)  # the next message is judged with it, without a restart
        return taken[0]

    async def undo_action(self, taken: Undo) -> None:
        """A decision taken back (the window's Undo), in memory too (see :meth:`apply_action`)."""
        in_log: list[Example | None] = []
        await self._change_inquiry(
            taken.inquiry_id,
            lambda tracker, inquiry: undo(tracker, inquiry, taken),
            lambda: in_log.append(InquiryActions(self.db).undo(taken)),
        )
        forgotten = in_log[0] if in_log else InquiryActions(self.db).after_undo(taken)
        memory = self._examples_in_memory()
        if forgotten is not None and memory is not None:
            memory.forget(forgotten.text)

    def _examples_in_memory(self) -> ExampleMemory | None:
        """The organization's examples the live rules judge with (changed by decisions, without a restart)."""
        memory = self.hub.live.ingestor.detector.examples if self.hub.live is not None else None
        return memory if isinstance(memory, ExampleMemory) else None

    async def relink_answer(
        self, source_id: int, chat_id: int, telegram_id: int, inquiry_id: int | None, profile_id: int | None = None
    ) -> Relinked:
        """A moderator ties a staff message to another inquiry (or to none): written to the log between two
        updates, then adopted by the inquiries held in memory, so the next message builds on the correction."""
        async with self.hub.ingest_lock:
            relinked = AnswerLinks(self.db).link(source_id, chat_id, telegram_id, inquiry_id, profile_id=profile_id)
            self.hub.adopt_moderated()
            opened = self.hub.live.opened(source_id) if self.hub.live is not None else None
            if opened is not None:
                held = opened.tracked(inquiry_id) if inquiry_id is not None else None
                opened.tracker.relinked(chat_id, telegram_id, held)
        self.hub.stored("action", inquiry_id if inquiry_id is not None else relinked.before or 0)
        return relinked

    async def follow(self, changes: Changes) -> None:
        """A use case committed ``changes`` (in this process): a new standard or answer window is read again
        and applied to the inquiries held in memory, between two updates; so are new urgent-word lists (the
        next member message is read against them)."""
        words = URGENT_WORDS.key in changes.settings
        if not changes.standard and not words:
            return
        async with self.hub.ingest_lock:
            if self.hub.live is None:
                return
            if changes.standard:
                changed = self.hub.live.follow_standard()
                self.log.info("service standard changed: %d open inquiries held here re-measured", changed)
            if words:
                self.hub.live.follow_urgent_words()
                self.log.info("urgent-word lists changed: read again")

    async def apply_details(self, inquiry_id: int, details: Details) -> None:
        """Topic or follow-up date set by a moderator, in memory too (see :meth:`apply_action`)."""
        await self._change_inquiry(
            inquiry_id,
            lambda _, inquiry: details.apply_to(inquiry),
            lambda: InquiryActions(self.db).update(inquiry_id, details),
        )

    async def _change_inquiry(
        self,
        inquiry_id: int,
        in_memory: Callable[[ConversationTracker, TrackedInquiry], None],
        in_log: Callable[[], object],
    ) -> None:
        """Change the inquiry the rules hold in memory and write it, or, when they hold none, the log's row."""
        async with self.hub.ingest_lock:
            self.hub.adopt_moderated()  # a decision made elsewhere meanwhile is the state this one applies to
            live = self.hub.live
            for opened in live.opened_sources() if live is not None else []:
                known = opened.tracked(inquiry_id)
                if known is not None:
                    assert live is not None
                    in_memory(opened.tracker, known)
                    live.ingestor.mark_changed(known)
                    live.commit()
                    break
            else:
                in_log()
        self.hub.stored("action", inquiry_id)
