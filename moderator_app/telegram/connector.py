"""The connector: the only code that talks to Telegram once logged in.

It brings every watched source up to date from the last stored message (catch-up), then turns live updates
into log rows through the domain rules, one transaction per update, and sends the outbox in order. It runs
on its own asyncio loop (its own thread inside the app, the main thread for ``moderator-app connector``);
only plain data leaves it (:class:`ConnectorStatus` through a callback).

Exactly once: catch-up and live updates meet in one queue consumed in order, and everything stored has a
unique key, so a message seen twice is stored once; replies carry a ``random_id`` chosen when queued, so
Telegram drops a resend after a crash.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import re
import time
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Final

from telethon import TelegramClient, errors, events, functions, utils
from telethon.tl import types

from moderator_app.domain.actions import TEACHING, Details, ModeratorAction, perform
from moderator_app.domain.events import (
    PRIVATE_SOURCE_NAME,
    MembershipKind,
    MembershipRecord,
    MessageRecord,
    SourceKind,
    SourceRef,
)
from moderator_app.domain.examples import ExampleMemory
from moderator_app.domain.inbox import SourceInfo
from moderator_app.domain.inquiries import ConversationTracker, TrackedInquiry
from moderator_app.domain.outbox import Outgoing
from moderator_app.domain.settings import MEDIA_CAP
from moderator_app.services.changes import Changes
from moderator_app.store.actions import InquiryActions
from moderator_app.store.answer_links import AnswerLinks, Relinked
from moderator_app.store.db import Database
from moderator_app.store.examples import ExampleRepository
from moderator_app.store.ingest import SourceIngest, fewer_collections
from moderator_app.store.lease import ConnectorAlreadyRunning, ConnectorLeases
from moderator_app.store.live import LiveLog
from moderator_app.store.outbox import OutboxRepository
from moderator_app.store.profiles import ProfileRepository
from moderator_app.store.repositories import InquiryRepository, SettingsRepository, SourceRepository
from moderator_app.store.responses import record_referrals
from moderator_app.store.secrets import SecretStore
from moderator_app.telegram.client import ConnectionSettings, Credentials, LogSession, make_client, save_update_state
from moderator_app.telegram.convert import (
    chat_id_of,
    display_name,
    membership_records,
    message_record,
    topic_change,
    user_peer,
)
from moderator_app.telegram.errors import Remedy, TelegramProblem, explain
from moderator_app.telegram.sources import TELEGRAM_SERVICE_USER, is_member_chat, source_ref_for
from moderator_app.telegram.status import ConnectionState, ConnectorStatus
from moderator_app.telegram.updates import DeletedMessages, EditedMessage, JoinRequests, NewMessage, Update

#: Media downloaded as soon as they arrive (a moderator listens to a voice note at once); others on demand.
EAGER_MEDIA = frozenset({"voice", "photo", "video_message"})
DEFAULT_MEDIA_CAP = 20 * 1024 * 1024
#: Files a moderator asks for are fetched up to this size (Telegram's own limit for user accounts).
ON_DEMAND_CAP = 2 * 1024 * 1024 * 1024
#: How often a standby connector looks whether the lease is free (it goes stale 60 s after the last heartbeat).
STANDBY_POLL = 5.0

#: Catch-up commits (and reports progress) every this many messages: a crash re-fetches at most this many.
CATCH_UP_BATCH = 2000

#: History is fetched in windows of this many ids (Telegram's page size), this many requests in flight.
HISTORY_PAGE = 100
HISTORY_IN_FLIGHT = 4

#: Channel posts younger than this get their view counts refreshed.
VIEWS_WINDOW = timedelta(days=7)


#: Suffixes Python's mimetypes table lacks on some systems (a file without one does not open by a double-click).
_SUFFIXES: Final = {"audio/wav": ".wav", "audio/x-wav": ".wav", "audio/ogg": ".ogg", "audio/opus": ".opus"}


_SAFE_SUFFIX: Final = re.compile(r"\.[A-Za-z0-9]{1,10}")


def _suffix(file: Any) -> str:
    """The file's extension: the sender's file name's (what the system picks a program by), else the MIME
    type's, else nothing. Only letters and digits: a sender's name is any text (a NUL in it failed the
    download; "x.pdf " with a space is no PDF), and the saved file is named by the message id anyway."""
    if file is None:
        return ""
    for candidate in (
        Path((file.name or "").replace("\x00", "")).suffix,
        file.ext,
        _SUFFIXES.get(file.mime_type or ""),
    ):
        if candidate and _SAFE_SUFFIX.fullmatch(candidate):
            return str(candidate)
    return ""


@dataclass
class ConnectorCounts:
    messages: int = 0
    edits: int = 0
    deletions: int = 0
    sent: int = 0
    failed: int = 0
    downloads: int = 0
    join_requests: int = 0


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
        reconnect_delay: float = 5.0,
        standby: bool = False,
    ) -> None:
        self.db = db
        #: Wait while another connector holds the log, and take over when it stops or goes silent.
        self.standby = standby
        self.secrets = secrets
        self.connection = connection
        self.media_dir = media_dir
        self._moderated_seen = 0  # the last decision written to the log elsewhere that this connector adopted
        self.on_status = on_status
        self.on_stored = on_stored  # (kind, telegram id) after each committed live change: tests, latency
        self.log = log or logging.getLogger("moderator_app.connector")
        self._factory = client_factory or self._default_client
        self.poll_interval = poll_interval
        self.heartbeat_every = heartbeat_every
        self.sweep_every = sweep_every
        self.views_every = views_every
        self.reconnect_delay = reconnect_delay
        self.settings = SettingsRepository(db)
        self.sources = SourceRepository(db)
        self.outbox = OutboxRepository(db)
        self.leases = ConnectorLeases(db)
        self.counts = ConnectorCounts()
        self.status = ConnectorStatus(ConnectionState.STOPPED)
        self.media_cap = self.settings.read(MEDIA_CAP)
        self._queue: asyncio.Queue[Update] = asyncio.Queue()
        self._downloads: asyncio.Queue[tuple[SourceInfo, Any]] = asyncio.Queue()
        self._names: dict[int, Any] = {}
        self._watched: dict[tuple[SourceKind, int], SourceInfo] = {}
        self._private: SourceInfo | None = None
        self.live: LiveLog | None = None
        self.client: TelegramClient | None = None
        self.me: types.User | None = None
        self._wake_sender = asyncio.Event()
        self._holding: set[tuple[int, str]] = set()  # (chat, text) of holding replies being sent
        #: One writer to the log at a time: catch-up (whole), each live update, a sent reply, a download.
        self._ingest_lock = asyncio.Lock()
        #: The last history catch-up: (new messages, seconds from the list of chats to the last commit).
        self.last_catch_up: tuple[int, float] = (0, 0.0)

    def _default_client(self, credentials: Credentials, connection: ConnectionSettings) -> TelegramClient:
        return make_client(credentials, connection, session=LogSession(credentials.session, self.settings))

    async def save_update_state(self) -> None:
        """Keep Telethon's update state in the log (it does so itself only on a clean disconnect), when every
        update dispatched so far is committed, so a crash loses no edit or deletion Telethon could replay."""
        client = self.client
        if client is not None and self._queue.empty() and client.is_connected():
            await save_update_state(client)

    # -- status ----------------------------------------------------------------------------------------------
    def _status(self, state: ConnectionState, detail: str = "", source: str | None = None, done: int = 0) -> None:
        self.status = ConnectorStatus(state, detail, source, done)
        if detail:
            self.log.info("%s: %s", state.value, detail)
        if self.on_status is not None:
            self.on_status(self.status)

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
                self._status(ConnectionState.STOPPED, f"standby: {exc}")
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
                self._status(ConnectionState.LOGIN_NEEDED, problem.message)
                raise problem
            recovered = self.outbox.recover()
            if recovered:
                self.log.info("outbox: %d message(s) left 'sending' by a stopped connector are queued again", recovered)
            self.live = LiveLog(self.db)
            self._moderated_seen = InquiryRepository(self.db).latest_moderated()
            client = self.client = self._factory(credentials, self.connection)
            self._register(client)
            while not stop.is_set():
                try:
                    await self._session(client, stop)
                except TelegramProblem as problem:
                    if problem.remedy is Remedy.LOG_IN:
                        self._status(ConnectionState.LOGIN_NEEDED, problem.message)
                        raise
                    self._status(ConnectionState.OFFLINE, problem.message)
                except (OSError, ConnectionError, TimeoutError, errors.RPCError) as exc:
                    explained = explain(exc)
                    if explained.remedy is Remedy.LOG_IN:
                        self._status(ConnectionState.LOGIN_NEEDED, explained.message)
                        raise explained from exc
                    self._status(ConnectionState.OFFLINE, explained.message)
                finally:
                    with contextlib.suppress(Exception):
                        await client.disconnect()
                if stop.is_set():
                    break
                delay = self.reconnect_delay
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), delay)
        finally:
            if self.live is not None:
                with contextlib.suppress(Exception):
                    self.live.commit()
            self.leases.release()
            self._status(ConnectionState.STOPPED)

    async def _session(self, client: TelegramClient, stop: asyncio.Event) -> None:
        """One connection: connect, check the session, catch up, then live until stop or disconnect."""
        self._status(ConnectionState.CONNECTING, "connecting to Telegram")
        await client.connect()
        if not await client.is_user_authorized():
            raise TelegramProblem(
                "Telegram no longer accepts this session (it was logged out or ended from another device). "
                "Log in again; the log on this computer is kept as it is.",
                Remedy.LOG_IN,
            )
        me = self.me = await client.get_me()
        assert self.live is not None
        self.live.add_staff([me.id])
        self._names[me.id] = me
        await self._catch_up(client)
        await self._catch_up_changes(client)
        self._status(ConnectionState.CONNECTED, f"connected as {display_name(me)}; watching {len(self._watched)}")
        tasks = [
            asyncio.create_task(self._consume(client), name="consume"),
            asyncio.create_task(self._send_loop(client), name="send"),
            asyncio.create_task(self._download_loop(client), name="download"),
            asyncio.create_task(self._housekeeping(client), name="housekeeping"),
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

    # -- sources -------------------------------------------------------------------------------------------
    def _load_watched(self) -> None:
        self._watched = {(s.kind, s.telegram_id): s for s in self.sources.watched()}
        self._private = self._watched.get((SourceKind.PRIVATE, 0))

    def _source_for_peer(self, peer: Any) -> SourceInfo | None:
        if isinstance(peer, types.PeerUser):
            return self._private
        if isinstance(peer, types.PeerChannel):
            return self._watched.get((SourceKind.GROUP, peer.channel_id)) or self._watched.get(
                (SourceKind.CHANNEL, peer.channel_id)
            )
        if isinstance(peer, types.PeerChat):
            return self._watched.get((SourceKind.GROUP, peer.chat_id))
        return None

    def _ingest_for(self, info: SourceInfo) -> SourceIngest:
        assert self.live is not None
        opened = self.live.opened(info.id)
        if opened is not None:
            return opened
        return self.live.source(SourceRef(info.kind, info.telegram_id, info.name, info.telegram_type))

    def _remember(self, *entities: Any) -> None:
        for entity in entities:
            if entity is not None:
                with contextlib.suppress(TypeError, ValueError):
                    self._names[utils.get_peer_id(entity)] = entity

    def _lookup(self, message: Any) -> Callable[[int], Any]:
        self._remember(message.sender, message.chat, *(getattr(message, "action_entities", None) or ()))
        names = self._names
        return names.get

    # -- catch-up --------------------------------------------------------------------------------------------
    async def _catch_up(self, client: TelegramClient) -> int:
        async with self._ingest_lock:
            return await self._catch_up_locked(client)

    async def _catch_up_locked(self, client: TelegramClient) -> int:
        """Every watched source from its last stored message to now; returns how many messages were new."""
        self._load_watched()
        self._adopt_moderated()
        started = time.perf_counter()
        self._status(ConnectionState.CATCHING_UP, "catching up")
        assert self.live is not None and self.me is not None
        staff = self.ingestor_staff()
        dialogs = await self._with_flood_wait(lambda: client.get_dialogs(limit=None), "the list of chats")
        total = 0
        with fewer_collections():
            total = await self._catch_up_dialogs(client, dialogs, staff)
        self.live.commit()
        self.last_catch_up = (total, time.perf_counter() - started)
        self.log.info("catch-up done: %d new message(s) in %.1f s", total, self.last_catch_up[1])
        if total:
            self._stored("catch_up", total)
        return total

    async def _catch_up_dialogs(self, client: TelegramClient, dialogs: list[Any], staff: frozenset[int]) -> int:
        assert self.live is not None and self.me is not None
        total = 0
        for dialog in dialogs:
            entity = dialog.entity
            self._remember(entity)
            top = dialog.message.id if dialog.message is not None else 0
            if isinstance(entity, types.User):
                if self._private is None or not is_member_chat(entity, staff, self.me.id):
                    continue
                info = self._private
                label = f"{PRIVATE_SOURCE_NAME}: {display_name(entity)}"
            else:
                ref = source_ref_for(entity)
                if ref is None:
                    continue
                found = self._watched.get((ref.kind, ref.telegram_id))
                if found is None:
                    continue
                info = found
                label = info.name
            ingest = self._ingest_for(info)
            chat_id = chat_id_of(dialog.dialog.peer)
            if top and top <= self.live.last_id(ingest, chat_id):
                continue
            if isinstance(entity, types.Channel):
                total += await self._catch_up_channel(client, entity, info, ingest, chat_id, label, top)
            else:
                total += await self._catch_up_chat(client, entity, info, ingest, chat_id, label)
        return total

    async def _catch_up_changes(self, client: TelegramClient) -> int:
        async with self._ingest_lock:
            return await self._catch_up_changes_locked(client)

    async def _catch_up_changes_locked(self, client: TelegramClient) -> int:
        """Edits and deletions made while the connector was off, from Telegram's differences since the pts
        saved at the last stop (history paging, above, already brought every new message)."""
        session = client.session
        if not isinstance(session, LogSession):
            return 0
        saved = session.saved_state()
        applied = 0
        common = saved.get("common")
        if common and (
            self._private is not None or any(s.telegram_type == "private_group" for s in self._watched.values())
        ):
            pts, qts, date, seq = common["pts"], common["qts"], common["date"], common["seq"]
            while True:
                request = functions.updates.GetDifferenceRequest(
                    pts=pts, date=datetime.fromtimestamp(date, UTC), qts=qts
                )
                diff = await self._call(client, request, "changes while offline")
                if isinstance(diff, types.updates.DifferenceEmpty | types.updates.DifferenceTooLong):
                    break
                for update in diff.other_updates:
                    applied += await self._apply_change(client, update)
                state = diff.intermediate_state if isinstance(diff, types.updates.DifferenceSlice) else diff.state
                pts, qts, date, seq = state.pts, state.qts, int(state.date.timestamp()), state.seq
                if isinstance(diff, types.updates.Difference):
                    break
            session.record_common(pts, qts, date, seq)
        channels = saved.get("channels") or {}
        for info in list(self._watched.values()):
            entry = channels.get(str(info.telegram_id))
            if info.kind is SourceKind.PRIVATE or info.telegram_type == "private_group" or not entry:
                continue
            channel_pts, access_hash = entry
            channel = types.InputChannel(info.telegram_id, access_hash)
            while True:
                channel_request = functions.updates.GetChannelDifferenceRequest(
                    channel=channel, filter=types.ChannelMessagesFilterEmpty(), pts=channel_pts, limit=100, force=True
                )
                cdiff = await self._call(client, channel_request, f"{info.name}: changes while offline")
                if isinstance(cdiff, types.updates.ChannelDifferenceEmpty):
                    channel_pts = cdiff.pts
                    break
                if isinstance(cdiff, types.updates.ChannelDifferenceTooLong):
                    channel_pts = cdiff.dialog.pts
                    self.log.warning(
                        "%s: too much changed while offline for Telegram to list edits and deletions; "
                        "new messages are caught up, older edits are not",
                        info.name,
                    )
                    break
                for update in cdiff.other_updates:
                    applied += await self._apply_change(client, update)
                channel_pts = cdiff.pts
                if cdiff.final:
                    break
            session.record_channel(info.telegram_id, channel_pts, access_hash)
        if applied:
            self.log.info("catch-up: %d edit(s) and deletion(s) made while offline", applied)
            self._stored("catch_up_changes", applied)
        return applied

    async def _apply_change(self, client: TelegramClient, update: Any) -> int:
        before = self.counts.edits + self.counts.deletions
        if isinstance(update, types.UpdateEditMessage | types.UpdateEditChannelMessage):
            await self._apply(client, EditedMessage(update.message))
        elif isinstance(update, types.UpdateDeleteChannelMessages):
            marked = utils.get_peer_id(types.PeerChannel(update.channel_id))
            await self._apply(client, DeletedMessages(marked, tuple(update.messages)))
        elif isinstance(update, types.UpdateDeleteMessages):
            await self._apply(client, DeletedMessages(None, tuple(update.messages)))
        return self.counts.edits + self.counts.deletions - before

    def ingestor_staff(self) -> frozenset[int]:
        assert self.live is not None
        return self.live.ingestor.staff

    async def _catch_up_chat(
        self, client: TelegramClient, entity: Any, info: SourceInfo, ingest: SourceIngest, chat_id: int, label: str
    ) -> int:
        assert self.live is not None and self.me is not None
        stored = 0
        fetched = 0
        while True:
            last = self.live.last_id(ingest, chat_id)
            try:
                async for message in client.iter_messages(entity, min_id=last, reverse=True, wait_time=0):
                    fetched += 1
                    if self._store_message(message, info, ingest):
                        stored += 1
                    if fetched % CATCH_UP_BATCH == 0:
                        self.live.commit()
                        self._status(ConnectionState.CATCHING_UP, "", label, fetched)
                self.live.commit()
                return stored
            except errors.FloodWaitError as exc:
                self.live.commit()
                self._status(ConnectionState.CATCHING_UP, f"{label}: {explain(exc).message}", label, fetched)
                await asyncio.sleep(exc.seconds)

    async def _catch_up_channel(
        self,
        client: TelegramClient,
        entity: Any,
        info: SourceInfo,
        ingest: SourceIngest,
        chat_id: int,
        label: str,
        top: int,
    ) -> int:
        """A supergroup or channel, whose message ids are its own and dense: fetched as windows of ids,
        several requests in flight, stored oldest first, so storing one page overlaps fetching the next."""
        assert self.live is not None
        peer = utils.get_input_peer(entity)
        stored = fetched = since_commit = 0
        start = self.live.last_id(ingest, chat_id)
        pending: deque[tuple[int, asyncio.Future[Any]]] = deque()

        def window(low: int) -> asyncio.Future[Any]:
            high = low + HISTORY_PAGE + 1  # ids strictly between low and high
            request = functions.messages.GetHistoryRequest(
                peer=peer,
                offset_id=high,
                offset_date=None,
                add_offset=0,
                limit=HISTORY_PAGE,
                max_id=high,
                min_id=low,
                hash=0,
            )
            future: asyncio.Future[Any] = asyncio.ensure_future(client(request))
            return future

        next_low = start
        try:
            while next_low < top or pending:
                while len(pending) < HISTORY_IN_FLIGHT and next_low < top:
                    pending.append((next_low, window(next_low)))
                    next_low += HISTORY_PAGE
                low, future = pending.popleft()
                try:
                    result = await future
                except errors.FloodWaitError as exc:
                    for _, other in pending:
                        other.cancel()
                    await asyncio.gather(*(f for _, f in pending), return_exceptions=True)
                    pending.clear()
                    next_low = low
                    self.live.commit()
                    self._status(ConnectionState.CATCHING_UP, f"{label}: {explain(exc).message}", label, fetched)
                    await asyncio.sleep(exc.seconds)
                    continue
                names = self._names
                for user in result.users:
                    names[user.id] = user  # a user's marked id is their id
                for chat in result.chats:
                    with contextlib.suppress(TypeError, ValueError):
                        names[utils.get_peer_id(chat)] = chat
                lookup = names.get
                for message in reversed(result.messages):
                    fetched += 1
                    if self._store_message(message, info, ingest, lookup):
                        stored += 1
                since_commit += len(result.messages)
                if since_commit >= CATCH_UP_BATCH:
                    since_commit = 0
                    # On a worker thread: SQLite works without the interpreter lock meanwhile, so Telethon
                    # decrypts and parses the pages in flight. Nothing else touches the log meanwhile (catch-up
                    # holds the ingest lock; live updates wait in the queue) and this task awaits the commit.
                    await asyncio.to_thread(self.live.commit)
                    self._status(ConnectionState.CATCHING_UP, "", label, fetched)
        finally:
            for _, other in pending:
                other.cancel()
        self.live.commit()
        return stored

    def _store_message(
        self, message: Any, info: SourceInfo, ingest: SourceIngest, lookup: Callable[[int], Any] | None = None
    ) -> bool:
        assert self.live is not None and self.me is not None
        if lookup is None:
            lookup = self._lookup(message)
        record = message_record(message, lookup, self.me.id)
        if record is None:
            return False
        if self._holding and getattr(message, "out", False):
            # Telegram's echo of a holding reply we sent: it must count as the acknowledgement it is.
            key = (record.chat_id, record.text.strip())
            if key in self._holding:
                record.holding = True
        memberships = membership_records(message, record, lookup)
        eager = False
        if record.media_kind is not None and record.media_kind not in ("poll", "location", "contact"):
            size = (record.media or {}).get("file_size") or 0
            eager = record.media_kind in EAGER_MEDIA and size <= self.media_cap
            if not eager:
                record.media = {**(record.media or {}), "download": "on_demand"}
        stored = self.live.record(ingest, record, memberships)
        if stored and record.is_service:
            topic = topic_change(message, record)
            if topic is not None:
                ingest.topic(*topic)
        if stored:
            self.counts.messages += 1
            if eager:
                self._downloads.put_nowait((info, message))
        return stored

    async def _call(self, client: TelegramClient, request: Any, what: str) -> Any:
        return await self._with_flood_wait(lambda: client(request), what)

    async def _with_flood_wait(self, call: Callable[[], Awaitable[Any]], what: str) -> Any:
        while True:
            try:
                return await call()
            except errors.FloodWaitError as exc:
                self._status(self.status.state, f"{what}: {explain(exc).message}")
                await asyncio.sleep(exc.seconds)

    # -- live updates ----------------------------------------------------------------------------------------
    def _register(self, client: TelegramClient) -> None:
        async def on_new(event: Any) -> None:
            self._queue.put_nowait(NewMessage(event.message))

        async def on_action(event: Any) -> None:
            # NewMessage leaves out service messages (joins, leaves, removals, pins): they come as chat actions.
            if event.action_message is not None:
                self._queue.put_nowait(NewMessage(event.action_message))

        async def on_edit(event: Any) -> None:
            self._queue.put_nowait(EditedMessage(event.message))

        async def on_delete(event: Any) -> None:
            self._queue.put_nowait(DeletedMessages(event.chat_id, tuple(event.deleted_ids)))

        async def on_raw(update: Any) -> None:
            if isinstance(update, types.UpdatePendingJoinRequests):
                self._queue.put_nowait(JoinRequests(update))

        client.add_event_handler(on_new, events.NewMessage())
        client.add_event_handler(on_action, events.ChatAction())
        client.add_event_handler(on_edit, events.MessageEdited())
        client.add_event_handler(on_delete, events.MessageDeleted())
        client.add_event_handler(on_raw, events.Raw(types.UpdatePendingJoinRequests))

    async def _consume(self, client: TelegramClient) -> None:
        while True:
            item = await self._queue.get()
            try:
                async with self._ingest_lock:
                    await self._apply(client, item)
            except errors.RPCError as exc:
                self.log.warning("could not apply %s: %s", type(item).__name__, explain(exc).message)

    def _adopt_moderated(self) -> None:
        """Decisions written to the log by a workstation without a connector of its own (team mode: this
        connector runs elsewhere): the inquiries held in memory take them before the next message is applied."""
        if self.live is None:
            return
        changed = InquiryRepository(self.db).moderated_since(self._moderated_seen)
        for number, fresh in changed:
            self._moderated_seen = max(self._moderated_seen, number)
            for opened in self.live.opened_sources():
                held = opened.tracked(fresh.id) if fresh.id is not None else None
                if held is not None and held is not fresh:
                    opened.tracker.adopt(held, fresh)
                    self.live.ingestor.forget_change(held)
                    break

    async def _apply(self, client: TelegramClient, update: Update) -> None:
        assert self.live is not None and self.me is not None
        self._adopt_moderated()
        match update:
            case NewMessage(message=message):
                self._new_message(message)
            case EditedMessage(message=message):
                self._edited_message(message)
            case DeletedMessages(chat=chat, ids=ids):
                self._deleted_messages(chat, ids)
            case JoinRequests(update=pending):
                await self._join_requests(client, pending)

    def _new_message(self, message: Any) -> None:
        assert self.live is not None
        info = self._source_for_peer(message.peer_id)
        if info is None:
            return
        if info.kind is SourceKind.PRIVATE and not self._private_chat_wanted(message):
            return
        ingest = self._ingest_for(info)
        opened = self.live.ingestor.counts.inquiries_opened
        if self._store_message(message, info, ingest):
            self.live.commit()
            self._stored("message", message.id)
            if self.live.ingestor.counts.inquiries_opened > opened:
                self.log.info("%s: message %d opened an inquiry", info.name, message.id)

    def _edited_message(self, message: Any) -> None:
        assert self.live is not None
        info = self._source_for_peer(message.peer_id)
        if info is None or message.edit_hide:
            return
        chat_id = chat_id_of(message.peer_id)
        ingest = self._ingest_for(info)
        if not ingest.has(chat_id, message.id):
            # Edited before we saw it (e.g. during a gap): store it as it is now.
            if self._store_message(message, info, ingest):
                self.live.commit()
                self._stored("message", message.id)
            return
        edited = message.edit_date or datetime.now(UTC)
        if self.live.edit(info, chat_id, message.id, message.message or "", edited):
            self.counts.edits += 1
            self._stored("edit", message.id)

    def _deleted_messages(self, chat: int | None, ids: tuple[int, ...]) -> None:
        assert self.live is not None
        at = datetime.now(UTC)
        if chat is None:
            changed = self.live.mark_deleted(ids, at)
        else:
            bare, peer_class = utils.resolve_id(chat)
            info = self._source_for_peer(peer_class(bare))
            if info is None:
                return
            changed = self.live.mark_deleted(ids, at, source=info)
        if changed:
            self.counts.deletions += changed
            self._stored("delete", ids[0])

    def _private_chat_wanted(self, message: Any) -> bool:
        assert self.me is not None
        peer_user = message.peer_id.user_id
        entity = self._names.get(peer_user) or (message.chat if message.chat is not None else None)
        if entity is None:
            return peer_user not in self.ingestor_staff() and peer_user != TELEGRAM_SERVICE_USER
        return is_member_chat(entity, self.ingestor_staff(), self.me.id)

    def _stored(self, kind: str, telegram_id: int) -> None:
        if self.on_stored is not None:
            self.on_stored(kind, telegram_id)

    async def _join_requests(self, client: TelegramClient, update: Any) -> None:
        assert self.live is not None
        info = self._source_for_peer(update.peer)
        if info is None or info.kind is not SourceKind.GROUP:
            return
        result = await client(
            functions.messages.GetChatInviteImportersRequest(
                peer=update.peer,
                offset_date=None,
                offset_user=types.InputUserEmpty(),
                limit=100,
                requested=True,
            )
        )
        users = {u.id: u for u in result.users}
        self._remember(*result.users)
        ingest = self._ingest_for(info)
        chat_id = info.telegram_id
        for importer in result.importers:
            user = users.get(importer.user_id)
            member = user_peer(importer.user_id, user)
            name = member.name
            key = f"{chat_id}:request:{importer.user_id}:{int(importer.date.timestamp())}"
            if self.live.membership(
                ingest, MembershipRecord(MembershipKind.REQUESTED, importer.date, member, name, None, "request", key)
            ):
                self.counts.join_requests += 1
        self.live.commit()
        self._stored("join_request", chat_id)

    # -- outbox ---------------------------------------------------------------------------------------------
    async def _send_loop(self, client: TelegramClient) -> None:
        while True:
            item = self.outbox.claim_next()
            if item is None:
                self._wake_sender.clear()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake_sender.wait(), self.poll_interval)
                continue
            self._stored("outbox", item.id)  # sending
            try:
                await self._send(client, item)
            finally:
                self._stored("outbox", item.id)  # sent, failed, or queued again after a wait

    async def apply_action(
        self, inquiry_id: int, action: ModeratorAction, at: datetime | None = None, profile_id: int | None = None
    ) -> None:
        """A moderator's decision, applied to the in-memory inquiry too (else the next message would write
        the connector's older view of it back); credited to ``profile_id`` when it is the first response."""
        when = at or datetime.now(UTC)
        await self._change_inquiry(
            inquiry_id,
            lambda tracker, inquiry: perform(tracker, inquiry, action, when),
            lambda: InquiryActions(self.db).apply(inquiry_id, action, when),
        )
        if profile_id is not None:
            ProfileRepository(self.db).credit_decision(inquiry_id, profile_id, when)
        if action in TEACHING:
            example = ExampleRepository(self.db).record(inquiry_id, TEACHING[action], when, profile_id)
            memory = self.live.ingestor.detector.examples if self.live is not None else None
            if example is not None and isinstance(memory, ExampleMemory):
                memory.add(example)  # the next message is judged with it, without a restart

    async def relink_answer(
        self, source_id: int, chat_id: int, telegram_id: int, inquiry_id: int | None, profile_id: int | None = None
    ) -> Relinked:
        """A moderator ties a staff message to another inquiry (or to none): written to the log between two
        updates, then adopted by the inquiries held in memory, so the next message builds on the correction."""
        async with self._ingest_lock:
            relinked = AnswerLinks(self.db).link(source_id, chat_id, telegram_id, inquiry_id, profile_id=profile_id)
            self._adopt_moderated()
            opened = self.live.opened(source_id) if self.live is not None else None
            if opened is not None:
                held = opened.tracked(inquiry_id) if inquiry_id is not None else None
                opened.tracker.relinked(chat_id, telegram_id, held)
        self._stored("action", inquiry_id if inquiry_id is not None else relinked.before or 0)
        return relinked

    async def follow(self, changes: Changes) -> None:
        """A use case committed ``changes`` (in this process): a new standard or answer window is read again
        and applied to the inquiries held in memory, between two updates."""
        if not changes.standard:
            return
        async with self._ingest_lock:
            if self.live is not None:
                changed = self.live.follow_standard()
                self.log.info("service standard changed: %d open inquiries held here re-measured", changed)

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
        async with self._ingest_lock:
            self._adopt_moderated()  # a decision made elsewhere meanwhile is the state this one applies to
            live = self.live
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
        self._stored("action", inquiry_id)

    def wake_sender(self) -> None:
        """Something was queued in this process: send it now rather than at the next poll."""
        self._wake_sender.set()

    async def _send(self, client: TelegramClient, item: Outgoing) -> None:
        info = next((s for s in self.sources.all() if s.id == item.source_id), None)
        if info is None:
            self.outbox.mark_failed(item.id, "The source of this message no longer exists in the log.")
            return
        try:
            if item.kind == "download":
                await self._download_on_demand(client, info, item)
                return
            if item.kind != "message":
                self.outbox.mark_failed(item.id, f"The connector cannot do {item.kind!r} yet.")
                return
            peer = await self._input_peer(client, info, item.chat_id)
            if item.purpose == "holding":
                self._holding.add((item.chat_id, item.text.strip()))
            request = functions.messages.SendMessageRequest(
                peer=peer,
                message=item.text,
                random_id=item.random_id,
                reply_to=types.InputReplyToMessage(reply_to_msg_id=item.reply_to) if item.reply_to else None,
                no_webpage=True,
            )
            result = await client(request)
        except errors.RandomIdDuplicateError:
            # Telegram already has it (a resend after a crash or a dropped connection): find the message and
            # record it once, as sent, with its credit and referrals, as if the first answer had arrived.
            telegram_id, date = await self._find_sent(client, info, item)
            try:
                if telegram_id:
                    await self._record_sent(info, item, telegram_id, date or datetime.now(UTC))
            finally:
                self.outbox.mark_sent(item.id, telegram_id, date)  # "sent" once the log has it, credit included
            self.counts.sent += 1
            self.log.info("outbox #%d was already sent, as message %d in %s", item.id, telegram_id, info.name)
            return
        except (errors.FloodWaitError, errors.SlowModeWaitError) as exc:
            problem = explain(exc)
            self.outbox.mark_failed(item.id, problem.message, retry_after=timedelta(seconds=exc.seconds))
            self.log.info("outbox #%d: %s", item.id, problem.message)
            return
        except (OSError, ConnectionError, TimeoutError) as exc:
            self.outbox.mark_failed(item.id, explain(exc).message, retry_after=timedelta(seconds=15))
            raise
        except errors.RPCError as exc:
            problem = explain(exc)
            if problem.remedy is Remedy.WAIT:
                self.outbox.mark_failed(item.id, problem.message, retry_after=timedelta(seconds=30))
            else:
                self.outbox.mark_failed(item.id, problem.message)
                self.counts.failed += 1
            self.log.warning("outbox #%d failed: %s", item.id, problem.message)
            if problem.remedy is Remedy.LOG_IN:
                raise problem from exc
            return
        except ValueError as exc:  # the chat is not known to this account
            self.outbox.mark_failed(item.id, f"Telegram does not know this chat for the account ({exc}).")
            self.counts.failed += 1
            return
        telegram_id, date = _sent_message(result, item.random_id)
        # Logged (and credited) first, then marked sent: a crash in between sends it again, which Telegram
        # answers RANDOM_ID_DUPLICATE and the log already has; "sent" means the log has it. If the log cannot
        # be written now, it is still marked sent (Telegram has it; its echo is logged like any message).
        try:
            await self._record_sent(info, item, telegram_id, date)
        finally:
            self.outbox.mark_sent(item.id, telegram_id, date)
        self.counts.sent += 1
        self.log.info("outbox #%d sent as message %d in %s", item.id, telegram_id, info.name)

    async def _record_sent(self, info: SourceInfo, item: Outgoing, telegram_id: int, date: datetime) -> None:
        """A reply Telegram has: logged once, credited to who wrote it, its library referrals counted."""
        async with self._ingest_lock:
            self._store_sent(info, item, telegram_id, date)
            if item.profile_id is not None:
                ProfileRepository(self.db).credit_reply(
                    info.id, item.chat_id, telegram_id, item.profile_id, item.inquiry_id, date
                )
            if item.referrals:  # inserted from the library: exactly these referrals, not a guess from the text
                record_referrals(self.db, info.id, item.chat_id, telegram_id, item.referrals, item.profile_id)

    def _store_sent(self, info: SourceInfo, item: Outgoing, telegram_id: int, date: datetime) -> None:
        """Log the reply now (the update Telegram echoes may come later, or not at all); stored once."""
        assert self.live is not None and self.me is not None
        ingest = self._ingest_for(info)
        # In a forum a reply goes into its target's topic (Telegram's echo, which would say so, is not stored
        # again): one indexed look-up per reply sent.
        topic = None
        if item.reply_to is not None and info.kind is SourceKind.GROUP:
            topic = self.live.topic_of(info, item.chat_id, item.reply_to)
        record = MessageRecord(
            chat_id=item.chat_id,
            telegram_id=telegram_id,
            date=date,
            sender=user_peer(self.me.id, self.me),
            text=item.text,
            reply_to=item.reply_to,
            holding=item.purpose == "holding",
            topic_id=topic,
        )
        if self.live.record(ingest, record):
            self.live.commit()
            self._stored("sent", telegram_id)

    async def _find_sent(self, client: TelegramClient, info: SourceInfo, item: Outgoing) -> tuple[int, datetime | None]:
        """The message a reused random_id stands for: the latest of ours with the item's text, sent after it was
        queued (Telegram does not say which); (0, None) if it is no longer among the chat's last 50."""
        peer = await self._input_peer(client, info, item.chat_id)
        async for message in client.iter_messages(peer, limit=50):
            # Telegram's dates are whole seconds, and the clocks of this computer and Telegram's may differ.
            if message.out and (message.message or "") == item.text and message.date >= item.created_at - _CLOCKS:
                return int(message.id), message.date
        return 0, None

    async def _input_peer(self, client: TelegramClient, info: SourceInfo, chat_id: int) -> Any:
        if info.kind is SourceKind.PRIVATE:
            return await client.get_input_entity(types.PeerUser(chat_id))
        if info.telegram_type == "private_group":
            return await client.get_input_entity(types.PeerChat(chat_id))
        return await client.get_input_entity(types.PeerChannel(chat_id))

    # -- media -----------------------------------------------------------------------------------------------
    async def _download_loop(self, client: TelegramClient) -> None:
        while True:
            info, message = await self._downloads.get()
            try:
                await self._download(client, info, message)
            except errors.FloodWaitError as exc:
                await asyncio.sleep(exc.seconds)
                self._downloads.put_nowait((info, message))
            except (errors.RPCError, OSError) as exc:
                self.log.warning("message %d: media not downloaded: %s", message.id, explain(exc).message)

    async def _download_on_demand(self, client: TelegramClient, info: SourceInfo, item: Outgoing) -> None:
        """A moderator asked for this file (too large to fetch on arrival)."""
        assert item.reply_to is not None
        peer = await self._input_peer(client, info, item.chat_id)
        message = await client.get_messages(peer, ids=item.reply_to)
        if message is None or message.media is None:
            self.outbox.mark_failed(item.id, "The message or its file no longer exists in Telegram.")
            return
        path = await self._download(client, info, message, cap=ON_DEMAND_CAP)
        if path is None:
            self.outbox.mark_failed(item.id, "Telegram gave no file for this message.")
            return
        self.outbox.mark_sent(item.id, item.reply_to)
        self.log.info("downloaded %s for message %d in %s", path.name, item.reply_to, info.name)

    async def _download(
        self, client: TelegramClient, info: SourceInfo, message: Any, *, cap: int | None = None
    ) -> Path | None:
        assert self.live is not None
        chat_id = chat_id_of(message.peer_id)
        size = message.file.size if message.file is not None else None
        if size is not None and size > (cap if cap is not None else self.media_cap):
            async with self._ingest_lock:
                self.live.set_media(info, chat_id, message.id, {"download": "on_demand"})
            return None
        folder = self.media_dir / str(info.id) / str(chat_id)
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        target = folder / f"{message.id}{_suffix(message.file)}"
        written = await client.download_media(message, file=str(target))
        if written is None:
            return None
        path = Path(written)
        os.chmod(path, 0o600)
        async with self._ingest_lock:
            self.live.set_media(
                info, chat_id, message.id, {"file": str(path), "file_size": path.stat().st_size, "download": "done"}
            )
        self.counts.downloads += 1
        self._stored("download", message.id)
        return path

    # -- housekeeping ------------------------------------------------------------------------------------------
    async def _housekeeping(self, client: TelegramClient) -> None:
        """Heartbeat the lease, pick up sources watched meanwhile, sweep for anything missed, refresh views."""
        loop = asyncio.get_running_loop()
        next_sweep = loop.time() + self.sweep_every
        next_views = loop.time()
        while True:
            await asyncio.sleep(min(self.heartbeat_every, self.sweep_every, self.views_every))
            await self.save_update_state()
            try:
                # Also tells whether Telegram still accepts the session: a session ended from another device
                # shows only as refused requests (Telethon itself just logs them after a reconnect).
                await client(functions.updates.GetStateRequest())
            except errors.UnauthorizedError as exc:
                raise explain(exc) from exc
            if not self.leases.heartbeat():
                raise TelegramProblem(
                    "Another connector took over this log (this one was not seen for minutes); stopping.",
                    Remedy.PERMANENT,
                )
            now = loop.time()
            if now >= next_sweep:
                next_sweep = now + self.sweep_every
                await self._catch_up(client)
                self._status(ConnectionState.CONNECTED, f"watching {len(self._watched)}")
            if now >= next_views:
                next_views = now + self.views_every
                await self.refresh_views(client)

    async def refresh_views(self, client: TelegramClient) -> int:
        """View counts of the channel posts of the last week."""
        assert self.live is not None
        since = datetime.now(UTC) - VIEWS_WINDOW
        updated = 0
        for info in list(self._watched.values()):
            if info.kind is not SourceKind.CHANNEL:
                continue
            ids = self.live.recent_posts(info, since)
            for start in range(0, len(ids), 100):
                chunk = ids[start : start + 100]
                peer = await client.get_input_entity(types.PeerChannel(info.telegram_id))
                result = await client(functions.messages.GetMessagesViewsRequest(peer=peer, id=chunk, increment=False))
                views = {i: v.views for i, v in zip(chunk, result.views, strict=False) if v.views is not None}
                async with self._ingest_lock:
                    updated += self.live.set_views(info, info.telegram_id, views)
        return updated


#: How far this computer's clock may be from Telegram's, for telling a reply sent before it was queued.
_CLOCKS = timedelta(minutes=5)


def _sent_message(result: Any, random_id: int) -> tuple[int, datetime]:
    """The new message's id and date from SendMessage's answer (a short form in private chats)."""
    if isinstance(result, types.UpdateShortSentMessage):
        return int(result.id), result.date
    updates = getattr(result, "updates", None) or []
    message_id: int | None = None
    for update in updates:
        if isinstance(update, types.UpdateMessageID) and update.random_id == random_id:
            message_id = update.id
    for update in updates:
        message = getattr(update, "message", None)
        if isinstance(message, types.Message) and (message_id is None or message.id == message_id):
            return int(message.id), message.date
    if message_id is not None:
        return message_id, datetime.now(UTC)
    raise ValueError(f"Telegram's answer names no sent message: {type(result).__name__}")
