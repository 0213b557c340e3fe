"""Actions taken outside the app (from a phone, or by another admin) read from Telegram's admin log ("Recent
actions", kept 48 hours) every few minutes while connected, and kept in the moderation record for good.

Bans, mutes, unbans and deletions of other members' messages are read; a ban lifted by the same admin within
a minute is a removal (Telegram's "kick" is exactly that). The organization's own account also appears for
what the app did: the record keeps the app's entry, not its echo (ModerationRepository.record_outside).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from typing import Any

from telethon import TelegramClient, errors, functions, utils
from telethon.tl import types

from moderator_app.domain.events import Peer, SourceKind
from moderator_app.domain.inbox import SourceInfo
from moderator_app.domain.moderation import ModerationKind, OutsideAction
from moderator_app.domain.settings import ADMIN_LOG_SEEN
from moderator_app.store.moderation import ModerationRepository
from moderator_app.store.repositories import SettingsRepository
from moderator_app.telegram.convert import display_name
from moderator_app.telegram.hub import ConnectorHub

#: A ban lifted this soon by the same admin was a removal ("kick"): the member may come back.
KICK_WITHIN = timedelta(minutes=1)
#: Telegram writes "forever" as a date decades away.
FOREVER_AFTER = datetime(2037, 1, 1, tzinfo=UTC)
_FILTER = types.ChannelAdminLogEventsFilter(ban=True, unban=True, kick=True, unkick=True, delete=True)


def _participant_user(participant: Any) -> int | None:
    peer = getattr(participant, "peer", None)
    if isinstance(peer, types.PeerUser):
        return int(peer.user_id)
    user_id = getattr(participant, "user_id", None)
    return int(user_id) if user_id is not None else None


def read_events(events: Iterable[Any], users: dict[int, Any]) -> list[OutsideAction]:
    """Telethon's admin-log events (any order) as actions, oldest first; kinds the record does not keep are
    left out."""
    actions: list[OutsideAction] = []
    for event in sorted(events, key=lambda e: e.id):
        action = event.action
        actor = int(event.user_id)
        actor_name = display_name(users.get(actor)) if users.get(actor) is not None else ""
        if isinstance(action, types.ChannelAdminLogEventActionParticipantToggleBan):
            new, previous = action.new_participant, action.prev_participant
            member = _participant_user(new) if _participant_user(new) is not None else _participant_user(previous)
            until = None
            if isinstance(new, types.ChannelParticipantBanned):
                rights = new.banned_rights
                if rights.view_messages:
                    kind = ModerationKind.BAN
                elif rights.send_messages:
                    kind = ModerationKind.MUTE
                else:
                    kind = ModerationKind.UNBAN
                if rights.until_date is not None and rights.until_date < FOREVER_AFTER:
                    until = rights.until_date
            elif isinstance(previous, types.ChannelParticipantBanned):
                kind = ModerationKind.UNBAN
            else:
                continue
            last = actions[-1] if actions else None
            if (
                kind is ModerationKind.UNBAN
                and last is not None
                and last.kind is ModerationKind.BAN
                and last.member_id == member
                and last.actor_id == actor
                and event.date - last.at <= KICK_WITHIN
            ):
                actions[-1] = OutsideAction(
                    last.event_id, last.at, ModerationKind.REMOVE, actor, actor_name, member, last.member_name
                )
                continue
            member_entity = users.get(member) if member is not None else None
            actions.append(
                OutsideAction(
                    event_id=int(event.id),
                    at=event.date,
                    kind=kind,
                    actor_id=actor,
                    actor_name=actor_name,
                    member_id=member,
                    member_name=display_name(member_entity) if member_entity is not None else "",
                    until=until,
                )
            )
        elif isinstance(action, types.ChannelAdminLogEventActionDeleteMessage):
            message = action.message
            sender = getattr(message, "from_id", None)
            member = int(sender.user_id) if isinstance(sender, types.PeerUser) else None
            member_entity = users.get(member) if member is not None else None
            actions.append(
                OutsideAction(
                    event_id=int(event.id),
                    at=event.date,
                    kind=ModerationKind.DELETE,
                    actor_id=actor,
                    actor_name=actor_name,
                    member_id=member,
                    member_name=display_name(member_entity) if member_entity is not None else "",
                    message_id=int(message.id),
                    message_text=getattr(message, "message", "") or "",
                )
            )
    return actions


class AdminLogReader:
    """One pass over the watched supergroups (basic groups keep no admin log): the events since the last one
    read, kept in the record."""

    def __init__(self, hub: ConnectorHub) -> None:
        self.hub = hub
        self.settings = SettingsRepository(hub.db)
        self.moderation = ModerationRepository(hub.db)

    async def read(self, client: TelegramClient) -> int:
        """Returns how many actions were new to the record."""
        kept = 0
        for info in list(self.hub.watched.values()):
            if info.kind is not SourceKind.GROUP:
                continue
            kept += await self._read_source(client, info)
        return kept

    async def _read_source(self, client: TelegramClient, info: SourceInfo) -> int:
        hub = self.hub
        peer = await hub.input_peer(client, info, info.telegram_id)
        if not isinstance(peer, types.InputPeerChannel):
            return 0
        channel = utils.get_input_channel(peer)
        stored: dict[str, Any] = self.settings.read(ADMIN_LOG_SEEN)
        seen = dict(stored)
        since = int(seen.get(str(info.telegram_id), 0))
        events: list[Any] = []
        users: dict[int, Any] = {}
        max_id = 0
        try:
            while True:  # newest first, a hundred at a time, down to the last event read
                result = await hub.call(
                    client,
                    functions.channels.GetAdminLogRequest(
                        channel=channel, q="", max_id=max_id, min_id=since, limit=100, events_filter=_FILTER
                    ),
                    f"reading the admin log of {info.name}",
                )
                users.update({u.id: u for u in result.users})
                events.extend(result.events)
                if len(result.events) < 100:
                    break
                max_id = min(e.id for e in result.events)
        except errors.ChatAdminRequiredError:
            return 0  # not an admin there: Telegram shows the log to admins only
        if not events:
            return 0
        actions = read_events(events, users)
        own = hub.me.id if hub.me is not None else None
        async with hub.ingest_lock:
            live = hub.live
            assert live is not None
            ingestor = live.ingestor
            named = {a.actor_id: a.actor_name for a in actions} | {
                a.member_id: a.member_name for a in actions if a.member_id is not None
            }
            provisional = {tid: ingestor.member_id(Peer("user", tid, name)) for tid, name in named.items()}
            live.commit()  # members new to the log are written first, so the record can point at them
            members = {tid: ingestor.resolve(mid) for tid, mid in provisional.items()}
            kept = self.moderation.record_outside(info, actions, ingestor.month_of, own, members)
        seen[str(info.telegram_id)] = max(since, *(e.id for e in events))
        self.settings.write(ADMIN_LOG_SEEN, seen)
        if kept:
            hub.log.info("admin log of %s: %d action(s) taken outside the app kept", info.name, kept)
            hub.stored("moderation", info.telegram_id)
        return kept
