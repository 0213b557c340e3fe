"""What the connector's parts share: the log as ingestion sees it, one writer lock, the watched sources, the
names Telegram told us, counts and status, and the one way a Telegram message enters the log.

The parts (catch-up, live updates, sender, media, housekeeping) each hold this hub and nothing of each other,
except what their constructor is given; the :class:`~moderator_app.telegram.connector.Connector` builds them.
Everything here runs on the connector's asyncio loop.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from telethon import TelegramClient, errors, utils
from telethon.tl import types

from moderator_app.domain.events import MembershipKind, SourceKind, SourceRef
from moderator_app.domain.inbox import SourceInfo
from moderator_app.store.db import Database
from moderator_app.store.ingest import SourceIngest
from moderator_app.store.live import LiveLog
from moderator_app.store.repositories import InquiryRepository, SourceRepository
from moderator_app.telegram.convert import membership_records, message_record, topic_change
from moderator_app.telegram.errors import explain
from moderator_app.telegram.status import ConnectionState, ConnectorStatus

T = TypeVar("T")

#: Media downloaded as soon as they arrive (a moderator listens to a voice note at once); others on demand.
EAGER_MEDIA = frozenset({"voice", "photo", "video_message"})


@dataclass
class ConnectorCounts:
    messages: int = 0
    edits: int = 0
    deletions: int = 0
    sent: int = 0
    failed: int = 0
    downloads: int = 0
    join_requests: int = 0


class ConnectorHub:
    def __init__(
        self,
        db: Database,
        log: logging.Logger,
        *,
        media_cap: int,
        on_status: Callable[[ConnectorStatus], None] | None = None,
        on_stored: Callable[[str, int], None] | None = None,
    ) -> None:
        self.db = db
        self.log = log
        self.media_cap = media_cap
        self.on_status = on_status
        self.on_stored = on_stored  # (kind, telegram id) after each committed live change: tests, latency
        self.sources = SourceRepository(db)
        self.counts = ConnectorCounts()
        self.status = ConnectorStatus(ConnectionState.STOPPED)
        self.live: LiveLog | None = None
        self.me: types.User | None = None
        self.names: dict[int, Any] = {}
        self.watched: dict[tuple[SourceKind, int], SourceInfo] = {}
        self.private: SourceInfo | None = None
        #: One writer to the log at a time: catch-up (whole), each live update, a sent reply, a download.
        self.ingest_lock = asyncio.Lock()
        #: Joins were stored since the welcomes were last looked at (Sender.loop queues the automatic ones).
        self.joins_stored = False
        #: Messages whose media are fetched on arrival (the media part takes them).
        self.downloads: asyncio.Queue[tuple[SourceInfo, Any]] = asyncio.Queue()
        self.holding: set[tuple[int, str]] = set()  # (chat, text) of holding replies being sent
        self.moderated_seen = 0  # the last decision written to the log elsewhere that this connector adopted

    # -- status and what was stored ------------------------------------------------------------------------
    def set_status(self, state: ConnectionState, detail: str = "", source: str | None = None, done: int = 0) -> None:
        self.status = ConnectorStatus(state, detail, source, done)
        if detail:
            self.log.info("%s: %s", state.value, detail)
        if self.on_status is not None:
            self.on_status(self.status)

    def stored(self, kind: str, telegram_id: int) -> None:
        if self.on_stored is not None:
            self.on_stored(kind, telegram_id)

    # -- sources and names -----------------------------------------------------------------------------------
    def load_watched(self) -> None:
        self.watched = {(s.kind, s.telegram_id): s for s in self.sources.watched()}
        self.private = self.watched.get((SourceKind.PRIVATE, 0))

    def source_for_peer(self, peer: Any) -> SourceInfo | None:
        if isinstance(peer, types.PeerUser):
            return self.private
        if isinstance(peer, types.PeerChannel):
            return self.watched.get((SourceKind.GROUP, peer.channel_id)) or self.watched.get(
                (SourceKind.CHANNEL, peer.channel_id)
            )
        if isinstance(peer, types.PeerChat):
            return self.watched.get((SourceKind.GROUP, peer.chat_id))
        return None

    def ingest_for(self, info: SourceInfo) -> SourceIngest:
        assert self.live is not None
        opened = self.live.opened(info.id)
        if opened is not None:
            return opened
        return self.live.source(SourceRef(info.kind, info.telegram_id, info.name, info.telegram_type))

    def remember(self, *entities: Any) -> None:
        for entity in entities:
            if entity is not None:
                with contextlib.suppress(TypeError, ValueError):
                    self.names[utils.get_peer_id(entity)] = entity

    def lookup(self, message: Any) -> Callable[[int], Any]:
        self.remember(message.sender, message.chat, *(getattr(message, "action_entities", None) or ()))
        return self.names.get

    def staff(self) -> frozenset[int]:
        assert self.live is not None
        return self.live.ingestor.staff

    # -- Telegram requests -------------------------------------------------------------------------------------
    async def call(self, client: TelegramClient, request: Any, what: str) -> Any:
        return await self.with_flood_wait(lambda: client(request), what)

    async def with_flood_wait(self, call: Callable[[], Awaitable[T]], what: str) -> T:
        while True:
            try:
                return await call()
            except errors.FloodWaitError as exc:
                self.set_status(self.status.state, f"{what}: {explain(exc).message}")
                await asyncio.sleep(exc.seconds)

    @staticmethod
    async def input_peer(client: TelegramClient, info: SourceInfo, chat_id: int) -> Any:
        if info.kind is SourceKind.PRIVATE:
            return await client.get_input_entity(types.PeerUser(chat_id))
        if info.telegram_type == "private_group":
            return await client.get_input_entity(types.PeerChat(chat_id))
        return await client.get_input_entity(types.PeerChannel(chat_id))

    # -- the log ---------------------------------------------------------------------------------------------
    def store_message(
        self, message: Any, info: SourceInfo, ingest: SourceIngest, lookup: Callable[[int], Any] | None = None
    ) -> bool:
        """A Telegram message into the log through the rules (catch-up and live updates alike); its media are
        fetched on arrival when small and worth it, else marked to fetch on demand."""
        assert self.live is not None and self.me is not None
        if lookup is None:
            lookup = self.lookup(message)
        record = message_record(message, lookup, self.me.id)
        if record is None:
            return False
        if self.holding and getattr(message, "out", False):
            # Telegram's echo of a holding reply we sent: it must count as the acknowledgement it is.
            key = (record.chat_id, record.text.strip())
            if key in self.holding:
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
            if any(m.kind is MembershipKind.JOINED for m in memberships):
                self.joins_stored = True  # the sender welcomes them once the batch is committed
            if eager:
                self.downloads.put_nowait((info, message))
        return stored

    def adopt_moderated(self) -> None:
        """Decisions written to the log by a workstation without a connector of its own (team mode: this
        connector runs elsewhere): the inquiries held in memory take them before the next message is applied."""
        if self.live is None:
            return
        changed = InquiryRepository(self.db).moderated_since(self.moderated_seen)
        for number, fresh in changed:
            self.moderated_seen = max(self.moderated_seen, number)
            for opened in self.live.opened_sources():
                held = opened.tracked(fresh.id) if fresh.id is not None else None
                if held is not None and held is not fresh:
                    opened.tracker.adopt(held, fresh)
                    self.live.ingestor.forget_change(held)
                    break
