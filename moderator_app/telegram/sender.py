"""The sender: the outbox sent in order, each reply exactly once (its ``random_id`` was chosen when it was
queued, so Telegram drops a resend after a crash), logged and credited before it is marked sent."""

from __future__ import annotations

import asyncio
import contextlib
from datetime import UTC, datetime, timedelta
from typing import Any

from telethon import TelegramClient, errors, functions, utils
from telethon.tl import types

from moderator_app.domain.events import MessageRecord, SourceKind
from moderator_app.domain.inbox import SourceInfo
from moderator_app.domain.moderation import ModerationAction, ModerationKind
from moderator_app.domain.outbox import Outgoing
from moderator_app.store.join_requests import JoinRequestRepository
from moderator_app.store.moderation import ModerationRepository
from moderator_app.store.outbox import OutboxRepository
from moderator_app.store.profiles import ProfileRepository
from moderator_app.store.responses import record_referrals
from moderator_app.store.welcome import WelcomeRepository
from moderator_app.telegram.convert import user_peer
from moderator_app.telegram.errors import Remedy, explain
from moderator_app.telegram.hub import ConnectorHub
from moderator_app.telegram.media import Media

#: How far this computer's clock may be from Telegram's, for telling a reply sent before it was queued.
_CLOCKS = timedelta(minutes=5)


class Sender:
    """``media`` fetches the files a moderator asks for (they wait in the outbox like replies)."""

    def __init__(self, hub: ConnectorHub, outbox: OutboxRepository, media: Media, *, poll_interval: float) -> None:
        self.hub = hub
        self.outbox = outbox
        self.media = media
        self.poll_interval = poll_interval
        self.moderation = ModerationRepository(hub.db)
        self.welcomes = WelcomeRepository(hub.db)
        self.join_requests = JoinRequestRepository(hub.db)
        self._wake = asyncio.Event()

    def wake(self) -> None:
        """Something was queued in this process: send it now rather than at the next poll."""
        self._wake.set()

    async def loop(self, client: TelegramClient) -> None:
        while True:
            if self.hub.joins_stored:
                await self._welcome_joins()
            item = self.outbox.claim_next()
            if item is None:
                self._wake.clear()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), self.poll_interval)
                continue
            self.hub.stored("outbox", item.id)  # sending
            try:
                await self._send(client, item)
            finally:
                self.hub.stored("outbox", item.id)  # sent, failed, or queued again after a wait

    async def _welcome_joins(self) -> None:
        """Members who joined groups with automatic welcomes: their welcomes queued (once each), after the
        joins are committed (under the writer lock, so the batch holding them is written)."""
        hub = self.hub
        async with hub.ingest_lock:
            hub.joins_stored = False
            if hub.live is not None:
                hub.live.commit()
        queued = self.welcomes.queue_due()
        if queued:
            hub.log.info("%d welcome(s) queued for members who joined", queued)

    async def _send(self, client: TelegramClient, item: Outgoing) -> None:
        hub = self.hub
        info = hub.sources.by_id(item.source_id)
        if info is None:
            self.outbox.mark_failed(item.id, "The source of this message no longer exists in the log.")
            return
        try:
            if item.kind == "download":
                await self.media.on_demand(client, info, item)
                return
            if item.kind == "moderate":
                await self._moderate(client, info, item)
                return
            if item.kind == "join_request":
                await self._join_request(client, info, item)
                return
            if item.kind != "message":
                self.outbox.mark_failed(item.id, f"The connector cannot do {item.kind!r} yet.")
                return
            peer = await hub.input_peer(client, info, item.chat_id)
            if item.purpose == "holding":
                hub.holding.add((item.chat_id, item.text.strip()))
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
                    await self.record_sent(info, item, telegram_id, date or datetime.now(UTC))
            finally:
                self.outbox.mark_sent(item.id, telegram_id, date)  # "sent" once the log has it, credit included
            hub.counts.sent += 1
            hub.log.info("outbox #%d was already sent, as message %d in %s", item.id, telegram_id, info.name)
            return
        except (errors.FloodWaitError, errors.SlowModeWaitError) as exc:
            problem = explain(exc)
            self.outbox.mark_failed(item.id, problem.message, retry_after=timedelta(seconds=exc.seconds))
            hub.log.info("outbox #%d: %s", item.id, problem.message)
            return
        except (OSError, ConnectionError, TimeoutError) as exc:
            self.outbox.mark_failed(item.id, explain(exc).message, retry_after=timedelta(seconds=15))
            raise
        except errors.RPCError as exc:
            problem = explain(exc)
            if problem.remedy is Remedy.WAIT:
                self.outbox.mark_failed(item.id, problem.message, retry_after=timedelta(seconds=30))
            else:
                self._failed(item, problem.message)
                hub.counts.failed += 1
            hub.log.warning("outbox #%d failed: %s", item.id, problem.message)
            if problem.remedy is Remedy.LOG_IN:
                raise problem from exc
            return
        except ValueError as exc:  # the chat (or the member) is not known to this account
            self._failed(item, f"Telegram does not know this chat or person for the account ({exc}).")
            hub.counts.failed += 1
            return
        except ModerationRefused as exc:
            self._failed(item, str(exc))
            hub.counts.failed += 1
            return
        telegram_id, date = _sent_message(result, item.random_id)
        # Logged (and credited) first, then marked sent: a crash in between sends it again, which Telegram
        # answers RANDOM_ID_DUPLICATE and the log already has; "sent" means the log has it. If the log cannot
        # be written now, it is still marked sent (Telegram has it; its echo is logged like any message).
        try:
            await self.record_sent(info, item, telegram_id, date)
        finally:
            self.outbox.mark_sent(item.id, telegram_id, date)
        if item.moderation_id is not None:
            action = self.moderation.get(item.moderation_id)
            if action is not None and action.kind is ModerationKind.WARN:  # a warning is its reminder
                self.moderation.done(action.id, date)
        hub.counts.sent += 1
        hub.log.info("outbox #%d sent as message %d in %s", item.id, telegram_id, info.name)

    def _failed(self, item: Outgoing, reason: str) -> None:
        """A permanent failure: the outbox row waits for a person, and a moderation action says why it was not
        done (a notice that could not be delivered leaves its action as it is: the action itself may be done)."""
        self.outbox.mark_failed(item.id, reason)
        if item.join_request_id is not None:
            if item.kind == "join_request":
                self.join_requests.failed(item.join_request_id, reason)  # pending again, the reason shown
            else:
                self.join_requests.failed_questions(item.join_request_id, reason)
        if item.moderation_id is None:
            return
        action = self.moderation.get(item.moderation_id)
        if action is not None and (item.kind == "moderate" or action.kind is ModerationKind.WARN):
            self.moderation.failed(action.id, reason)

    async def _join_request(self, client: TelegramClient, info: SourceInfo, item: Outgoing) -> None:
        """Approve or decline a request to join (messages.HideChatJoinRequest); an approval's "joined by
        request" service message is stored at once, so the join is counted."""
        request = self.join_requests.get(item.join_request_id) if item.join_request_id is not None else None
        if request is None:
            raise ModerationRefused("The join request of this row is no longer in the log.")
        approve = item.text == "approve"
        peer = await self.hub.input_peer(client, info, item.chat_id)
        user = await client.get_input_entity(types.PeerUser(request.user_id))
        done = datetime.now(UTC)
        try:
            result = await client(
                functions.messages.HideChatJoinRequestRequest(peer=peer, user_id=user, approved=approve)
            )
        except errors.HideRequesterMissingError:
            gone = "The request is no longer pending: withdrawn, or handled from a phone or by another admin."
            self.join_requests.settled(request.id, None, gone)
            self.outbox.mark_sent(item.id, 0, done)
            return
        await self._store_service_messages(client, info, result)
        self.join_requests.settled(request.id, approve)
        self.outbox.mark_sent(item.id, 0, done)
        self.hub.counts.sent += 1
        self.hub.log.info(
            "join request of %d %s in %s", request.user_id, "approved" if approve else "declined", info.name
        )

    async def _moderate(self, client: TelegramClient, info: SourceInfo, item: Outgoing) -> None:
        """Carry out a moderation action: a deletion, or a member's rights in a supergroup or channel."""
        action = self.moderation.get(item.moderation_id) if item.moderation_id is not None else None
        if action is None:
            raise ModerationRefused("The moderation action of this row is no longer in the log.")
        peer = await self.hub.input_peer(client, info, item.chat_id)
        if action.kind is ModerationKind.DELETE:
            assert action.message_id is not None
            if isinstance(peer, types.InputPeerChannel):
                await client(functions.channels.DeleteMessagesRequest(channel=peer, id=[action.message_id]))
            else:
                await client(functions.messages.DeleteMessagesRequest(id=[action.message_id], revoke=True))
        elif action.kind is ModerationKind.SLOW_MODE:
            if not isinstance(peer, types.InputPeerChannel):
                raise ModerationRefused(
                    "Telegram has slow mode only in supergroups; this is a basic group. Telegram makes it a "
                    "supergroup when it gets a public link or more than 200 members (or in the group's settings)."
                )
            seconds = int((action.until - action.at).total_seconds()) if action.until is not None else 0
            with contextlib.suppress(errors.ChatNotModifiedError):  # it was already so: done all the same
                await client(functions.channels.ToggleSlowModeRequest(channel=peer, seconds=seconds))
        elif action.kind is ModerationKind.PURGE:
            if not isinstance(peer, types.InputPeerChannel):
                raise ModerationRefused(
                    "Telegram deletes all of a member's messages at once only in supergroups; this is a basic "
                    "group. Delete the messages one by one, or remove the member."
                )
            assert action.member_telegram_id is not None
            member = await client.get_input_entity(types.PeerUser(action.member_telegram_id))
            while True:  # Telegram deletes a slice per call and says whether more are left (offset)
                affected = await client(
                    functions.channels.DeleteParticipantHistoryRequest(channel=peer, participant=member)
                )
                if not affected.offset:
                    break
        else:
            if not isinstance(peer, types.InputPeerChannel):
                raise ModerationRefused(
                    "Telegram allows mutes, removals and bans only in supergroups and channels; this is a basic "
                    "group. Telegram makes it a supergroup when it gets a public link or more than 200 members "
                    "(or in Telegram's group settings): do it there, or remove the member in Telegram."
                )
            assert action.member_telegram_id is not None
            member = await client.get_input_entity(types.PeerUser(action.member_telegram_id))
            for rights in _rights(action):
                result = await client(
                    functions.channels.EditBannedRequest(channel=peer, participant=member, banned_rights=rights)
                )
                await self._store_service_messages(client, info, result)
        done = datetime.now(UTC)
        self.moderation.done(action.id, done)
        self.outbox.mark_sent(item.id, 0, done)
        self.hub.counts.sent += 1
        self.hub.log.info("moderation #%d (%s) done in %s", action.id, action.kind.value, info.name)

    async def _store_service_messages(self, client: TelegramClient, info: SourceInfo, result: Any) -> None:
        """Telegram answers a removal with its service message ("X removed Y") and sends it to no other
        connection: stored now, so the month's removals count it at once (not at the next sweep)."""
        hub = self.hub
        updates = getattr(result, "updates", None) or []
        entities = {utils.get_peer_id(e): e for e in (*getattr(result, "users", ()), *getattr(result, "chats", ()))}
        async with hub.ingest_lock:
            if hub.live is None:
                return
            stored = False
            for update in updates:
                message = getattr(update, "message", None)
                if isinstance(message, types.MessageService):
                    message._finish_init(client, entities, None)
                    stored = hub.store_message(message, info, hub.ingest_for(info)) or stored
            if stored:
                hub.live.commit()
                hub.stored("message", 0)

    async def record_sent(self, info: SourceInfo, item: Outgoing, telegram_id: int, date: datetime) -> None:
        """A reply Telegram has: logged once, credited to who wrote it, its library referrals counted."""
        hub = self.hub
        async with hub.ingest_lock:
            self.store_sent(info, item, telegram_id, date)
            if item.profile_id is not None:
                ProfileRepository(hub.db).credit_reply(
                    info.id, item.chat_id, telegram_id, item.profile_id, item.inquiry_id, date
                )
            if item.referrals:  # inserted from the library: exactly these referrals, not a guess from the text
                record_referrals(hub.db, info.id, item.chat_id, telegram_id, item.referrals, item.profile_id)

    def store_sent(self, info: SourceInfo, item: Outgoing, telegram_id: int, date: datetime) -> None:
        """Log the reply now (the update Telegram echoes may come later, or not at all); stored once."""
        hub = self.hub
        assert hub.live is not None and hub.me is not None
        ingest = hub.ingest_for(info)
        # In a forum a reply goes into its target's topic (Telegram's echo, which would say so, is not stored
        # again): one indexed look-up per reply sent.
        topic = None
        if item.reply_to is not None and info.kind is SourceKind.GROUP:
            topic = hub.live.topic_of(info, item.chat_id, item.reply_to)
        record = MessageRecord(
            chat_id=item.chat_id,
            telegram_id=telegram_id,
            date=date,
            sender=user_peer(hub.me.id, hub.me),
            text=item.text,
            reply_to=item.reply_to,
            holding=item.purpose == "holding",
            topic_id=topic,
            answers_nothing=item.purpose
            in ("moderation", "welcome", "join_questions"),  # a reminder or a welcome answers nothing
        )
        if hub.live.record(ingest, record):
            hub.live.commit()
            if record.answers_nothing:  # said so in the log too, so re-deriving it agrees
                self.moderation.answers_nothing(info.id, item.chat_id, telegram_id, item.profile_id)
            hub.stored("sent", telegram_id)

    async def _find_sent(self, client: TelegramClient, info: SourceInfo, item: Outgoing) -> tuple[int, datetime | None]:
        """The message a reused random_id stands for: the latest of ours with the item's text, sent after it was
        queued (Telegram does not say which); (0, None) if it is no longer among the chat's last 50."""
        peer = await self.hub.input_peer(client, info, item.chat_id)
        async for message in client.iter_messages(peer, limit=50):
            # Telegram's dates are whole seconds, and the clocks of this computer and Telegram's may differ.
            if message.out and (message.message or "") == item.text and message.date >= item.created_at - _CLOCKS:
                return int(message.id), message.date
        return 0, None


class ModerationRefused(Exception):
    """A moderation action that cannot be done as asked; the message says why and what to do."""


def _rights(action: ModerationAction) -> list[types.ChatBannedRights]:
    """The rights to set, in order. A removal is Telegram's "kick": banned, then the ban lifted at once, so
    the member is out but may come back."""
    until = action.until
    if action.kind is ModerationKind.MUTE:
        muted = dict.fromkeys(
            ("send_messages", "send_media", "send_stickers", "send_gifs", "send_games", "send_inline", "send_polls"),
            True,
        )
        return [types.ChatBannedRights(until_date=until, **muted)]
    if action.kind is ModerationKind.BAN:
        return [types.ChatBannedRights(until_date=until, view_messages=True)]
    if action.kind is ModerationKind.REMOVE:
        return [types.ChatBannedRights(until_date=None, view_messages=True), types.ChatBannedRights(until_date=None)]
    return [types.ChatBannedRights(until_date=None)]  # unban: every right back


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
