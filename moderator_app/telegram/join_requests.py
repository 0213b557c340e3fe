"""Join requests kept in step with Telegram: the pending requests of each watched group where the account is an
admin (messages.GetChatInviteImporters with requested=True), on Telegram's UpdatePendingJoinRequests and every
few minutes; the bio of each new applicant is fetched once (users.GetFullUser)."""

from __future__ import annotations

from typing import Any

from telethon import TelegramClient, errors, functions
from telethon.tl import types

from moderator_app.domain.events import SourceKind
from moderator_app.domain.inbox import SourceInfo
from moderator_app.domain.join_requests import PendingRequest
from moderator_app.store.join_requests import JoinRequestRepository
from moderator_app.telegram.convert import display_name, username_of
from moderator_app.telegram.hub import ConnectorHub


class JoinRequestSync:
    def __init__(self, hub: ConnectorHub) -> None:
        self.hub = hub
        self.repository = JoinRequestRepository(hub.db)

    async def pending(self, client: TelegramClient, info: SourceInfo, peer: Any) -> Any:
        """Telegram's answer listing the group's pending requests (all of them, a hundred per request)."""
        importers: list[Any] = []
        users: list[Any] = []
        offset_date, offset_user = None, types.InputUserEmpty()
        while True:
            result = await self.hub.call(
                client,
                functions.messages.GetChatInviteImportersRequest(
                    peer=peer, offset_date=offset_date, offset_user=offset_user, limit=100, requested=True
                ),
                f"reading the join requests of {info.name}",
            )
            importers += result.importers
            users += result.users
            if len(result.importers) < 100:
                return types.messages.ChatInviteImporters(count=len(importers), importers=importers, users=users)
            last = result.importers[-1]
            offset_date = last.date
            offset_user = await client.get_input_entity(types.PeerUser(last.user_id))

    async def store(self, client: TelegramClient, info: SourceInfo, result: Any) -> int:
        """Keep the listed requests (those gone from the list are marked so); the bio of new applicants is
        fetched. Returns how many are new."""
        users = {u.id: u for u in result.users}
        pending = [
            PendingRequest(
                user_id=int(importer.user_id),
                name=display_name(users.get(importer.user_id)) if users.get(importer.user_id) is not None else "",
                username=(username_of(users[importer.user_id]) or None) if importer.user_id in users else None,
                requested_at=importer.date,
                about=getattr(importer, "about", None) or "",
            )
            for importer in result.importers
        ]
        new = self.repository.sync(info, pending)
        for user_id in new:
            listed = next(p for p in pending if p.user_id == user_id)
            if listed.about:
                continue
            try:
                full = await self.hub.call(
                    client,
                    functions.users.GetFullUserRequest(id=await client.get_input_entity(types.PeerUser(user_id))),
                    "reading an applicant's profile",
                )
            except (errors.RPCError, ValueError):
                continue  # the bio stays empty: the request is listed all the same
            if full.full_user.about:
                self.repository.set_about(info.id, user_id, full.full_user.about)
        if new:
            self.hub.stored("join_request", info.telegram_id)
        return len(new)

    async def sync(self, client: TelegramClient) -> int:
        """Every watched group where the account may see join requests (others are skipped quietly)."""
        new = 0
        for info in list(self.hub.watched.values()):
            if info.kind is not SourceKind.GROUP:
                continue
            try:
                peer = await self.hub.input_peer(client, info, info.telegram_id)
                new += await self.store(client, info, await self.pending(client, info, peer))
            except (errors.ChatAdminRequiredError, errors.ChatWriteForbiddenError):
                continue  # Telegram shows join requests to admins only
            except ValueError:
                continue  # a group the account does not know (yet)
            except errors.RPCError as exc:  # one group's refusal (left, banned, private) must not stop the rest
                self.hub.log.info("join requests of %s not read: %s", info.name, exc)
        return new
