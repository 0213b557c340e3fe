"""Housekeeping: the lease's heartbeat, Telethon's update state kept, a sweep for sources watched meanwhile
and anything missed, the view counts of the week's channel posts, and the admin log read (actions taken outside
the app)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta

from telethon import TelegramClient, errors, functions
from telethon.tl import types

from moderator_app.domain.events import SourceKind
from moderator_app.store.lease import ConnectorLeases
from moderator_app.telegram.admin_log import AdminLogReader
from moderator_app.telegram.errors import Remedy, TelegramProblem, explain
from moderator_app.telegram.hub import ConnectorHub
from moderator_app.telegram.join_requests import JoinRequestSync
from moderator_app.telegram.status import ConnectionState

#: Channel posts younger than this get their view counts refreshed.
VIEWS_WINDOW = timedelta(days=7)


class Housekeeping:
    """``catch_up`` sweeps the watched sources; ``save_state`` keeps Telethon's update state in the log."""

    def __init__(
        self,
        hub: ConnectorHub,
        leases: ConnectorLeases,
        catch_up: Callable[[TelegramClient], Awaitable[int]],
        save_state: Callable[[], Awaitable[None]],
        *,
        heartbeat_every: float,
        sweep_every: float,
        views_every: float,
        admin_log: AdminLogReader | None = None,
        admin_log_every: float = 180.0,
        join_requests: JoinRequestSync | None = None,
    ) -> None:
        self.hub = hub
        self.leases = leases
        self._catch_up = catch_up
        self._save_state = save_state
        self.heartbeat_every = heartbeat_every
        self.sweep_every = sweep_every
        self.views_every = views_every
        self.admin_log = admin_log
        self.admin_log_every = admin_log_every
        self.join_requests = join_requests

    async def loop(self, client: TelegramClient) -> None:
        loop = asyncio.get_running_loop()
        next_sweep = loop.time() + self.sweep_every
        next_views = loop.time()
        next_admin_log = loop.time()
        while True:
            await asyncio.sleep(min(self.heartbeat_every, self.sweep_every, self.views_every, self.admin_log_every))
            await self._save_state()
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
                self.hub.set_status(ConnectionState.CONNECTED, f"watching {len(self.hub.watched)}")
            if now >= next_views:
                next_views = now + self.views_every
                await self.refresh_views(client)
            if now >= next_admin_log:  # actions taken outside the app, and join requests handled there
                next_admin_log = now + self.admin_log_every
                if self.admin_log is not None:
                    await self.admin_log.read(client)
                if self.join_requests is not None:
                    await self.join_requests.sync(client)

    async def refresh_views(self, client: TelegramClient) -> int:
        """View counts of the channel posts of the last week."""
        hub = self.hub
        assert hub.live is not None
        since = datetime.now(UTC) - VIEWS_WINDOW
        updated = 0
        for info in list(hub.watched.values()):
            if info.kind is not SourceKind.CHANNEL:
                continue
            ids = hub.live.recent_posts(info, since)
            for start in range(0, len(ids), 100):
                chunk = ids[start : start + 100]
                peer = await client.get_input_entity(types.PeerChannel(info.telegram_id))
                result = await client(functions.messages.GetMessagesViewsRequest(peer=peer, id=chunk, increment=False))
                views = {i: v.views for i, v in zip(chunk, result.views, strict=False) if v.views is not None}
                async with hub.ingest_lock:
                    updated += hub.live.set_views(info, info.telegram_id, views)
        return updated
