"""Catch-up: every watched source brought up to date from its last stored message (history paging), then the
edits and deletions made while the connector was off (Telegram's differences since the saved state)."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections import deque
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

from telethon import TelegramClient, errors, functions, utils
from telethon.tl import types

from moderator_app.domain.events import PRIVATE_SOURCE_NAME, SourceKind
from moderator_app.domain.inbox import SourceInfo
from moderator_app.store.ingest import SourceIngest, fewer_collections
from moderator_app.telegram.client import LogSession
from moderator_app.telegram.convert import chat_id_of, display_name
from moderator_app.telegram.errors import explain
from moderator_app.telegram.hub import ConnectorHub
from moderator_app.telegram.sources import is_member_chat, source_ref_for
from moderator_app.telegram.status import ConnectionState
from moderator_app.telegram.updates import DeletedMessages, EditedMessage, Update

#: Catch-up commits (and reports progress) every this many messages: a crash re-fetches at most this many.
CATCH_UP_BATCH = 2000

#: History is fetched in windows of this many ids (Telegram's page size), this many requests in flight.
HISTORY_PAGE = 100
HISTORY_IN_FLIGHT = 4


class CatchUp:
    """``apply`` is how live updates apply an edit or a deletion: changes made while offline go the same way."""

    def __init__(self, hub: ConnectorHub, apply: Callable[[TelegramClient, Update], Awaitable[None]]) -> None:
        self.hub = hub
        self._apply = apply
        #: The last history catch-up: (new messages, seconds from the list of chats to the last commit).
        self.last: tuple[int, float] = (0, 0.0)

    async def history(self, client: TelegramClient) -> int:
        async with self.hub.ingest_lock:
            return await self._history_locked(client)

    async def _history_locked(self, client: TelegramClient) -> int:
        """Every watched source from its last stored message to now; returns how many messages were new."""
        hub = self.hub
        hub.load_watched()
        hub.adopt_moderated()
        started = time.perf_counter()
        hub.set_status(ConnectionState.CATCHING_UP, "catching up")
        assert hub.live is not None and hub.me is not None
        staff = hub.staff()
        dialogs = await hub.with_flood_wait(lambda: client.get_dialogs(limit=None), "the list of chats")
        total = 0
        with fewer_collections():
            total = await self._dialogs(client, dialogs, staff)
        hub.live.commit()
        self.last = (total, time.perf_counter() - started)
        hub.log.info("catch-up done: %d new message(s) in %.1f s", total, self.last[1])
        if total:
            hub.stored("catch_up", total)
        return total

    async def _dialogs(self, client: TelegramClient, dialogs: list[Any], staff: frozenset[int]) -> int:
        hub = self.hub
        assert hub.live is not None and hub.me is not None
        total = 0
        for dialog in dialogs:
            entity = dialog.entity
            hub.remember(entity)
            top = dialog.message.id if dialog.message is not None else 0
            if isinstance(entity, types.User):
                if hub.private is None or not is_member_chat(entity, staff, hub.me.id):
                    continue
                info = hub.private
                label = f"{PRIVATE_SOURCE_NAME}: {display_name(entity)}"
            else:
                ref = source_ref_for(entity)
                if ref is None:
                    continue
                found = hub.watched.get((ref.kind, ref.telegram_id))
                if found is None:
                    continue
                info = found
                label = info.name
            ingest = hub.ingest_for(info)
            chat_id = chat_id_of(dialog.dialog.peer)
            if top and top <= hub.live.last_id(ingest, chat_id):
                continue
            if isinstance(entity, types.Channel):
                total += await self._channel(client, entity, info, ingest, chat_id, label, top)
            else:
                total += await self._chat(client, entity, info, ingest, chat_id, label)
        return total

    async def _chat(
        self, client: TelegramClient, entity: Any, info: SourceInfo, ingest: SourceIngest, chat_id: int, label: str
    ) -> int:
        hub = self.hub
        assert hub.live is not None
        stored = 0
        fetched = 0
        while True:
            last = hub.live.last_id(ingest, chat_id)
            try:
                async for message in client.iter_messages(entity, min_id=last, reverse=True, wait_time=0):
                    fetched += 1
                    if hub.store_message(message, info, ingest):
                        stored += 1
                    if fetched % CATCH_UP_BATCH == 0:
                        hub.live.commit()
                        hub.set_status(ConnectionState.CATCHING_UP, "", label, fetched)
                hub.live.commit()
                return stored
            except errors.FloodWaitError as exc:
                hub.live.commit()
                hub.set_status(ConnectionState.CATCHING_UP, f"{label}: {explain(exc).message}", label, fetched)
                await asyncio.sleep(exc.seconds)

    async def _channel(
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
        hub = self.hub
        live = hub.live
        assert live is not None
        peer = utils.get_input_peer(entity)
        stored = fetched = since_commit = 0
        start = live.last_id(ingest, chat_id)
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
                    live.commit()
                    hub.set_status(ConnectionState.CATCHING_UP, f"{label}: {explain(exc).message}", label, fetched)
                    await asyncio.sleep(exc.seconds)
                    continue
                names = hub.names
                for user in result.users:
                    names[user.id] = user  # a user's marked id is their id
                for chat in result.chats:
                    with contextlib.suppress(TypeError, ValueError):
                        names[utils.get_peer_id(chat)] = chat
                lookup = names.get
                for message in reversed(result.messages):
                    fetched += 1
                    if hub.store_message(message, info, ingest, lookup):
                        stored += 1
                since_commit += len(result.messages)
                if since_commit >= CATCH_UP_BATCH:
                    since_commit = 0
                    # On a worker thread: SQLite works without the interpreter lock meanwhile, so Telethon
                    # decrypts and parses the pages in flight. Nothing else touches the log meanwhile (catch-up
                    # holds the ingest lock; live updates wait in the queue) and this task awaits the commit.
                    await asyncio.to_thread(live.commit)
                    hub.set_status(ConnectionState.CATCHING_UP, "", label, fetched)
        finally:
            for _, other in pending:
                other.cancel()
        live.commit()
        return stored

    # -- edits and deletions made while offline -------------------------------------------------------------
    async def changes(self, client: TelegramClient) -> int:
        async with self.hub.ingest_lock:
            return await self._changes_locked(client)

    async def _changes_locked(self, client: TelegramClient) -> int:
        """Edits and deletions made while the connector was off, from Telegram's differences since the pts
        saved at the last stop (history paging, above, already brought every new message)."""
        hub = self.hub
        session = client.session
        if not isinstance(session, LogSession):
            return 0
        saved = session.saved_state()
        applied = 0
        common = saved.get("common")
        if common and (
            hub.private is not None or any(s.telegram_type == "private_group" for s in hub.watched.values())
        ):
            pts, qts, date, seq = common["pts"], common["qts"], common["date"], common["seq"]
            while True:
                request = functions.updates.GetDifferenceRequest(
                    pts=pts, date=datetime.fromtimestamp(date, UTC), qts=qts
                )
                diff = await hub.call(client, request, "changes while offline")
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
        for info in list(hub.watched.values()):
            entry = channels.get(str(info.telegram_id))
            if info.kind is SourceKind.PRIVATE or info.telegram_type == "private_group" or not entry:
                continue
            channel_pts, access_hash = entry
            channel = types.InputChannel(info.telegram_id, access_hash)
            while True:
                channel_request = functions.updates.GetChannelDifferenceRequest(
                    channel=channel, filter=types.ChannelMessagesFilterEmpty(), pts=channel_pts, limit=100, force=True
                )
                cdiff = await hub.call(client, channel_request, f"{info.name}: changes while offline")
                if isinstance(cdiff, types.updates.ChannelDifferenceEmpty):
                    channel_pts = cdiff.pts
                    break
                if isinstance(cdiff, types.updates.ChannelDifferenceTooLong):
                    channel_pts = cdiff.dialog.pts
                    hub.log.warning(
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
            hub.log.info("catch-up: %d edit(s) and deletion(s) made while offline", applied)
            hub.stored("catch_up_changes", applied)
        return applied

    async def _apply_change(self, client: TelegramClient, update: Any) -> int:
        counts = self.hub.counts
        before = counts.edits + counts.deletions
        if isinstance(update, types.UpdateEditMessage | types.UpdateEditChannelMessage):
            await self._apply(client, EditedMessage(update.message))
        elif isinstance(update, types.UpdateDeleteChannelMessages):
            marked = utils.get_peer_id(types.PeerChannel(update.channel_id))
            await self._apply(client, DeletedMessages(marked, tuple(update.messages)))
        elif isinstance(update, types.UpdateDeleteMessages):
            await self._apply(client, DeletedMessages(None, tuple(update.messages)))
        return counts.edits + counts.deletions - before
