"""Live updates: Telegram's events queued as typed records and applied in order, one transaction each."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Any

from telethon import TelegramClient, errors, events, utils
from telethon.tl import types

from moderator_app.domain.events import MembershipKind, MembershipRecord, SourceKind
from moderator_app.telegram.client import save_update_state
from moderator_app.telegram.convert import chat_id_of, user_peer
from moderator_app.telegram.errors import explain
from moderator_app.telegram.hub import ConnectorHub
from moderator_app.telegram.join_requests import JoinRequestSync
from moderator_app.telegram.sources import TELEGRAM_SERVICE_USER, is_member_chat
from moderator_app.telegram.updates import DeletedMessages, EditedMessage, JoinRequests, NewMessage, Update


class LiveUpdates:
    def __init__(self, hub: ConnectorHub) -> None:
        self.hub = hub
        self.join_requests = JoinRequestSync(hub)
        self._queue: asyncio.Queue[Update] = asyncio.Queue()

    def register(self, client: TelegramClient) -> None:
        queue = self._queue

        async def on_new(event: Any) -> None:
            queue.put_nowait(NewMessage(event.message))

        async def on_action(event: Any) -> None:
            # NewMessage leaves out service messages (joins, leaves, removals, pins): they come as chat actions.
            if event.action_message is not None:
                queue.put_nowait(NewMessage(event.action_message))

        async def on_edit(event: Any) -> None:
            queue.put_nowait(EditedMessage(event.message))

        async def on_delete(event: Any) -> None:
            queue.put_nowait(DeletedMessages(event.chat_id, tuple(event.deleted_ids)))

        async def on_raw(update: Any) -> None:
            if isinstance(update, types.UpdatePendingJoinRequests):
                queue.put_nowait(JoinRequests(update))
                return
            # Telethon's ChatAction leaves out "joined by request" (a join request approved): taken here, or
            # the members a moderator approved would never be counted as joins.
            message = getattr(update, "message", None)
            if isinstance(message, types.MessageService) and isinstance(
                message.action, types.MessageActionChatJoinedByRequest
            ):
                message._finish_init(client, getattr(update, "_entities", {}) or {}, None)
                queue.put_nowait(NewMessage(message))

        client.add_event_handler(on_new, events.NewMessage())
        client.add_event_handler(on_action, events.ChatAction())
        client.add_event_handler(on_edit, events.MessageEdited())
        client.add_event_handler(on_delete, events.MessageDeleted())
        client.add_event_handler(
            on_raw,
            events.Raw((types.UpdatePendingJoinRequests, types.UpdateNewChannelMessage, types.UpdateNewMessage)),
        )

    async def save_update_state(self, client: TelegramClient | None) -> None:
        """Keep Telethon's update state in the log (it does so itself only on a clean disconnect), when every
        update dispatched so far is committed, so a crash loses no edit or deletion Telethon could replay."""
        if client is not None and self._queue.empty() and client.is_connected():
            await save_update_state(client)

    async def consume(self, client: TelegramClient) -> None:
        while True:
            item = await self._queue.get()
            try:
                async with self.hub.ingest_lock:
                    await self.apply(client, item)
            except errors.RPCError as exc:
                self.hub.log.warning("could not apply %s: %s", type(item).__name__, explain(exc).message)

    async def apply(self, client: TelegramClient, update: Update) -> None:
        """One update (the caller holds the ingest lock)."""
        assert self.hub.live is not None and self.hub.me is not None
        self.hub.adopt_moderated()
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
        hub = self.hub
        assert hub.live is not None
        info = hub.source_for_peer(message.peer_id)
        if info is None:
            return
        if info.kind is SourceKind.PRIVATE and not self._private_chat_wanted(message):
            return
        ingest = hub.ingest_for(info)
        opened = hub.live.ingestor.counts.inquiries_opened
        if hub.store_message(message, info, ingest):
            hub.live.commit()
            hub.stored("message", message.id)
            if hub.live.ingestor.counts.inquiries_opened > opened:
                hub.log.info("%s: message %d opened an inquiry", info.name, message.id)

    def _edited_message(self, message: Any) -> None:
        hub = self.hub
        assert hub.live is not None
        info = hub.source_for_peer(message.peer_id)
        if info is None or message.edit_hide:
            return
        chat_id = chat_id_of(message.peer_id)
        ingest = hub.ingest_for(info)
        if not ingest.has(chat_id, message.id):
            # Edited before we saw it (e.g. during a gap): store it as it is now.
            if hub.store_message(message, info, ingest):
                hub.live.commit()
                hub.stored("message", message.id)
            return
        edited = message.edit_date or datetime.now(UTC)
        if hub.live.edit(info, chat_id, message.id, message.message or "", edited):
            hub.counts.edits += 1
            hub.stored("edit", message.id)

    def _deleted_messages(self, chat: int | None, ids: tuple[int, ...]) -> None:
        hub = self.hub
        assert hub.live is not None
        at = datetime.now(UTC)
        if chat is None:
            changed = hub.live.mark_deleted(ids, at)
        else:
            bare, peer_class = utils.resolve_id(chat)
            info = hub.source_for_peer(peer_class(bare))
            if info is None:
                return
            changed = hub.live.mark_deleted(ids, at, source=info)
        if changed:
            hub.counts.deletions += changed
            hub.stored("delete", ids[0])

    def _private_chat_wanted(self, message: Any) -> bool:
        hub = self.hub
        assert hub.me is not None
        peer_user = message.peer_id.user_id
        entity = hub.names.get(peer_user) or (message.chat if message.chat is not None else None)
        if entity is None:
            return peer_user not in hub.staff() and peer_user != TELEGRAM_SERVICE_USER
        return is_member_chat(entity, hub.staff(), hub.me.id)

    async def _join_requests(self, client: TelegramClient, update: Any) -> None:
        hub = self.hub
        assert hub.live is not None
        info = hub.source_for_peer(update.peer)
        if info is None or info.kind is not SourceKind.GROUP:
            return
        result = await self.join_requests.pending(client, info, update.peer)
        users = {u.id: u for u in result.users}
        hub.remember(*result.users)
        ingest = hub.ingest_for(info)
        chat_id = info.telegram_id
        for importer in result.importers:
            user = users.get(importer.user_id)
            member = user_peer(importer.user_id, user)
            name = member.name
            key = f"{chat_id}:request:{importer.user_id}:{int(importer.date.timestamp())}"
            if hub.live.membership(
                ingest, MembershipRecord(MembershipKind.REQUESTED, importer.date, member, name, None, "request", key)
            ):
                hub.counts.join_requests += 1
        hub.live.commit()
        await self.join_requests.store(client, info, result)  # the queue the window shows
        hub.stored("join_request", chat_id)
