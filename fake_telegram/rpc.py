"""Telegram API methods served by the fake: each handler mirrors what Telegram answers, errors included.

Handlers run on the server thread with the world lock held and return real TL objects (or raise
``RpcFailure``); the server serializes them into ``rpc_result``.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from telethon.tl import functions, types

from fake_telegram.keys import DH_G, DH_PRIME_BYTES
from fake_telegram.store import PeerKey, StoredMessage, private_key
from fake_telegram.world import (
    MAX_MESSAGE_LENGTH,
    AuthKeyRecord,
    ChatRecord,
    Event,
    FakeTelegram,
    RpcFailure,
    UserRecord,
    now_ts,
    to_dt,
    to_ts,
)

log = logging.getLogger(__name__)

Handler = Callable[["CallContext", Any], Any]

# Requests that work before login (everything else needs a key bound to a user: AUTH_KEY_UNREGISTERED).
_NO_LOGIN: frozenset[type] = frozenset(
    {
        functions.auth.SendCodeRequest,
        functions.auth.ResendCodeRequest,
        functions.auth.SignInRequest,
        functions.auth.CancelCodeRequest,
        functions.auth.CheckPasswordRequest,
        functions.account.GetPasswordRequest,
        functions.help.GetConfigRequest,
        functions.help.GetNearestDcRequest,
    }
)


@dataclass
class CallContext:
    """Who is calling: the auth key (and thus the logged-in user) and the connection (to skip its pushes)."""

    key: AuthKeyRecord
    conn_id: int


def request_names(request: Any) -> tuple[str, str]:
    """("SendMessageRequest", "messages.SendMessageRequest"): the names ``fail``/``drop_after`` match."""
    name = type(request).__name__
    module = type(request).__module__.rsplit(".", 1)[-1]
    return name, name if module == "functions" else f"{module}.{name}"


class Api:
    """The method table of the fake server."""

    def __init__(self, world: FakeTelegram) -> None:
        self.w = world
        f = functions
        self._handlers: dict[type, Handler] = {
            f.help.GetConfigRequest: self.get_config,
            f.help.GetNearestDcRequest: self.get_nearest_dc,
            f.auth.SendCodeRequest: self.send_code,
            f.auth.ResendCodeRequest: self.resend_code,
            f.auth.CancelCodeRequest: self.cancel_code,
            f.auth.SignInRequest: self.sign_in,
            f.account.GetPasswordRequest: self.get_password,
            f.auth.CheckPasswordRequest: self.check_password,
            f.auth.LogOutRequest: self.log_out,
            f.users.GetUsersRequest: self.get_users,
            f.users.GetFullUserRequest: self.get_full_user,
            f.account.UpdateStatusRequest: lambda ctx, req: True,
            f.messages.SetTypingRequest: lambda ctx, req: True,
            f.updates.GetStateRequest: self.get_state,
            f.updates.GetDifferenceRequest: self.get_difference,
            f.updates.GetChannelDifferenceRequest: self.get_channel_difference,
            f.messages.GetDialogsRequest: self.get_dialogs,
            f.messages.GetHistoryRequest: self.get_history,
            f.messages.GetMessagesRequest: self.get_messages,
            f.channels.GetMessagesRequest: self.get_channel_messages,
            f.channels.GetChannelsRequest: self.get_channels,
            f.messages.GetChatsRequest: self.get_chats,
            f.channels.GetFullChannelRequest: self.get_full_channel,
            f.messages.GetFullChatRequest: self.get_full_chat,
            f.channels.GetParticipantsRequest: self.get_participants,
            f.contacts.ResolveUsernameRequest: self.resolve_username,
            f.messages.SendMessageRequest: self.send_message,
            f.messages.EditMessageRequest: self.edit_message,
            f.messages.DeleteMessagesRequest: self.delete_messages,
            f.channels.DeleteMessagesRequest: self.delete_channel_messages,
            f.messages.ReadHistoryRequest: self.read_history,
            f.channels.ReadHistoryRequest: self.read_channel_history,
            f.channels.EditBannedRequest: self.edit_banned,
            f.channels.GetAdminLogRequest: self.get_admin_log,
            f.channels.DeleteParticipantHistoryRequest: self.delete_participant_history,
            f.channels.ToggleSlowModeRequest: self.toggle_slow_mode,
            f.messages.GetChatInviteImportersRequest: self.get_invite_importers,
            f.messages.HideChatJoinRequestRequest: self.hide_join_request,
            f.messages.GetMessagesViewsRequest: self.get_messages_views,
            f.upload.GetFileRequest: self.get_file,
        }

    def call(self, ctx: CallContext, request: Any) -> Any:
        """Answer one (already unwrapped) request, or raise RpcFailure."""
        names = request_names(request)
        w = self.w
        try:
            with w.lock:
                w.count_request(names[0])
                fault = w.take_fault(names)
                if fault is not None:
                    raise RpcFailure(*fault)
                handler = self._handlers.get(type(request))
                if handler is None:
                    log.warning("fake Telegram: %s is not implemented", names[1])
                    w.unimplemented.append(names[1])
                    raise RpcFailure(400, "METHOD_NOT_IMPLEMENTED")
                if type(request) not in _NO_LOGIN and ctx.key.user_id is None:
                    raise RpcFailure(401, "AUTH_KEY_UNREGISTERED")
                return handler(ctx, request)
        finally:
            w.run_account_hooks()  # outside the lock: hooks may call back into the world

    # region helpers

    def me(self, ctx: CallContext) -> UserRecord:
        uid = ctx.key.user_id
        if uid is None:
            raise RpcFailure(401, "AUTH_KEY_UNREGISTERED")
        return self.w._users[uid]

    def user_from_input(self, me: UserRecord, value: Any) -> UserRecord:
        if isinstance(value, types.InputUserSelf | types.InputPeerSelf):
            return me
        if isinstance(value, types.InputUserFromMessage | types.InputPeerUserFromMessage):
            user = self.w._users.get(value.user_id)
        elif isinstance(value, types.InputUser | types.InputPeerUser):
            user = self.w._users.get(value.user_id)
            if user is not None and user.access_hash != value.access_hash:
                user = None
        else:
            user = None
        if user is None:
            raise RpcFailure(400, "USER_ID_INVALID")
        return user

    def channel_from_input(self, me: UserRecord, value: Any, *, member: bool = True) -> ChatRecord:
        if isinstance(value, types.InputChannelFromMessage | types.InputPeerChannelFromMessage):
            chat = self.w._chats.get(value.channel_id)
        elif isinstance(value, types.InputChannel | types.InputPeerChannel):
            chat = self.w._chats.get(value.channel_id)
            if chat is not None and chat.access_hash != value.access_hash:
                chat = None
        else:
            chat = None
        if chat is None or not chat.is_channel:
            raise RpcFailure(400, "CHANNEL_INVALID")
        if member and me.id not in chat.members and chat.username is None:
            raise RpcFailure(400, "CHANNEL_PRIVATE")
        return chat

    def basic_chat(self, chat_id: int) -> ChatRecord:
        chat = self.w._chats.get(chat_id)
        if chat is None or chat.is_channel:
            raise RpcFailure(400, "CHAT_ID_INVALID")
        return chat

    def peer_from_input(self, me: UserRecord, peer: Any) -> PeerKey:
        """The conversation an InputPeer names, from ``me``'s point of view."""
        if isinstance(peer, types.InputPeerChat):
            return self.basic_chat(peer.chat_id).peer
        if isinstance(peer, types.InputPeerChannel | types.InputPeerChannelFromMessage):
            return self.channel_from_input(me, peer).peer
        if isinstance(peer, types.InputPeerSelf | types.InputPeerUser | types.InputPeerUserFromMessage):
            return private_key(me.id, self.user_from_input(me, peer).id)
        raise RpcFailure(400, "PEER_ID_INVALID")

    def messages_answer(
        self, me: UserRecord, messages: list[StoredMessage], *, peers: Iterable[PeerKey] = ()
    ) -> tuple[list[Any], list[Any], list[Any]]:
        """Serialized messages plus the users/chats they mention (cached bytes: history pages are hot)."""
        w = self.w
        users, chats = w.entities_for(messages, me.id, peers=peers, raw=True)
        return [w.message_bytes(m, me.id) for m in messages], users, chats

    def updates(self, me: UserRecord, update_list: list[Any], messages: list[StoredMessage], peer: PeerKey) -> Any:
        users, chats = self.w.entities_for(messages, me.id, peers=[peer])
        return types.Updates(updates=update_list, users=users, chats=chats, date=to_dt(now_ts()), seq=0)

    # endregion

    # region config, login

    def get_config(self, ctx: CallContext, request: Any) -> Any:
        w = self.w
        host, port = w.address
        now = now_ts()
        return types.Config(
            date=to_dt(now),
            expires=to_dt(now + 3600),
            test_mode=False,
            this_dc=w.dc_id,
            dc_options=[types.DcOption(id=w.dc_id, ip_address=host, port=port)],
            dc_txt_domain_name="fake.telegram.invalid",
            chat_size_max=200,
            megagroup_size_max=200000,
            forwarded_count_max=100,
            online_update_period_ms=210000,
            offline_blur_timeout_ms=5000,
            offline_idle_timeout_ms=30000,
            online_cloud_timeout_ms=300000,
            notify_cloud_delay_ms=30000,
            notify_default_delay_ms=1500,
            push_chat_period_ms=60000,
            push_chat_limit=2,
            edit_time_limit=172800,
            revoke_time_limit=2147483647,
            revoke_pm_time_limit=2147483647,
            rating_e_decay=2419200,
            stickers_recent_limit=200,
            channels_read_media_period=604800,
            call_receive_timeout_ms=20000,
            call_ring_timeout_ms=90000,
            call_connect_timeout_ms=30000,
            call_packet_timeout_ms=10000,
            me_url_prefix="https://t.me/",
            caption_length_max=1024,
            message_length_max=MAX_MESSAGE_LENGTH,
            webfile_dc_id=w.dc_id,
        )

    def get_nearest_dc(self, ctx: CallContext, request: Any) -> Any:
        return types.NearestDc(country="CA", this_dc=self.w.dc_id, nearest_dc=self.w.dc_id)

    def _account_for_phone(self, phone: str) -> UserRecord:
        uid = self.w._by_phone.get(phone) if phone.isdigit() else None
        if uid is None:
            raise RpcFailure(400, "PHONE_NUMBER_INVALID")
        return self.w._users[uid]

    def _sent_code(self, code: str, phone_code_hash: str) -> Any:
        return types.auth.SentCode(type=types.auth.SentCodeTypeApp(length=len(code)), phone_code_hash=phone_code_hash)

    def send_code(self, ctx: CallContext, request: Any) -> Any:
        if self.w._apps.get(request.api_id) != request.api_hash:
            raise RpcFailure(400, "API_ID_INVALID")
        self._account_for_phone(request.phone_number)
        pending = self.w.issue_code(request.phone_number)
        return self._sent_code(pending.code, pending.phone_code_hash)

    def _pending_code(self, phone: str, phone_code_hash: str) -> Any:
        pending = self.w._codes.get(phone)
        if pending is None or pending.phone_code_hash != phone_code_hash or pending.expired:
            raise RpcFailure(400, "PHONE_CODE_EXPIRED")
        return pending

    def resend_code(self, ctx: CallContext, request: Any) -> Any:
        self._account_for_phone(request.phone_number)
        pending = self._pending_code(request.phone_number, request.phone_code_hash)
        return self._sent_code(pending.code, pending.phone_code_hash)

    def cancel_code(self, ctx: CallContext, request: Any) -> Any:
        self._pending_code(request.phone_number, request.phone_code_hash)
        del self.w._codes[request.phone_number]
        return True

    def _authorization(self, ctx: CallContext, user: UserRecord) -> Any:
        ctx.key.user_id, ctx.key.pending_user = user.id, None
        return types.auth.Authorization(user=self.w.render_user(user, user.id))

    def sign_in(self, ctx: CallContext, request: Any) -> Any:
        user = self._account_for_phone(request.phone_number)
        pending = self._pending_code(request.phone_number, request.phone_code_hash)
        if not request.phone_code:
            raise RpcFailure(400, "PHONE_CODE_EMPTY")
        if request.phone_code != pending.code:
            raise RpcFailure(400, "PHONE_CODE_INVALID")
        del self.w._codes[request.phone_number]  # a code logs in once
        if user.password is not None:
            ctx.key.pending_user = user.id
            raise RpcFailure(401, "SESSION_PASSWORD_NEEDED")
        return self._authorization(ctx, user)

    def _password_user(self, ctx: CallContext) -> UserRecord:
        uid = ctx.key.pending_user or ctx.key.user_id
        if uid is None:
            raise RpcFailure(401, "AUTH_KEY_UNREGISTERED")
        return self.w._users[uid]

    def get_password(self, ctx: CallContext, request: Any) -> Any:
        user = self._password_user(ctx)
        new_algo = types.PasswordKdfAlgoSHA256SHA256PBKDF2HMACSHA512iter100000SHA256ModPow(
            salt1=os.urandom(32), salt2=os.urandom(16), g=DH_G, p=DH_PRIME_BYTES
        )
        extra: dict[str, Any] = {}
        if user.password is not None:
            srp_id, srp_b = user.password.new_challenge()
            extra = dict(
                has_password=True,
                current_algo=user.password.algo,
                srp_B=srp_b,
                srp_id=srp_id,
                hint=user.password.hint,
            )
        return types.account.Password(
            new_algo=new_algo,
            new_secure_algo=types.SecurePasswordKdfAlgoSHA512(salt=os.urandom(32)),
            secure_random=os.urandom(32),
            **extra,
        )

    def check_password(self, ctx: CallContext, request: Any) -> Any:
        user = self._password_user(ctx)
        check = request.password
        if user.password is None or not isinstance(check, types.InputCheckPasswordSRP):
            raise RpcFailure(400, "PASSWORD_HASH_INVALID")
        verdict = user.password.verify(check.srp_id, check.A, check.M1)
        if verdict is None:
            raise RpcFailure(400, "SRP_ID_INVALID")
        if not verdict:
            raise RpcFailure(400, "PASSWORD_HASH_INVALID")
        return self._authorization(ctx, user)

    def log_out(self, ctx: CallContext, request: Any) -> Any:
        ctx.key.user_id = ctx.key.pending_user = None
        return types.auth.LoggedOut()

    # endregion

    # region users and chats

    def get_users(self, ctx: CallContext, request: Any) -> Any:
        me = self.me(ctx)
        found = []
        for value in request.id:
            try:
                found.append(self.w.render_user(self.user_from_input(me, value), me.id))
            except RpcFailure:
                continue
        return found

    def get_full_user(self, ctx: CallContext, request: Any) -> Any:
        me = self.me(ctx)
        user = self.user_from_input(me, request.id)
        full = types.UserFull(
            id=user.id,
            settings=types.PeerSettings(),
            notify_settings=types.PeerNotifySettings(),
            common_chats_count=0,
            about=user.about or None,
        )
        return types.users.UserFull(full_user=full, chats=[], users=[self.w.render_user(user, me.id)])

    def get_channels(self, ctx: CallContext, request: Any) -> Any:
        me = self.me(ctx)
        chats = [self.w.render_chat(self.channel_from_input(me, c, member=False), me.id) for c in request.id]
        return types.messages.Chats(chats=chats)

    def get_chats(self, ctx: CallContext, request: Any) -> Any:
        me = self.me(ctx)
        return types.messages.Chats(chats=[self.w.render_chat(self.basic_chat(c), me.id) for c in request.id])

    def _counts(self, me: UserRecord, peer: PeerKey) -> tuple[int, int, int]:
        """(read_inbox_max_id, read_outbox_max_id, unread_count) of a conversation for ``me``."""
        store = self.w._stores.get(peer)
        top = store.top() if store is not None else None
        top_id = top.id if top is not None else 0
        read_max = me.read_max.get(peer, 0)
        unread = 0
        if store is not None and read_max < top_id:
            unread = sum(1 for m in store.after(read_max) if m.sender_id != me.id)
        return read_max, top_id, unread

    def get_full_channel(self, ctx: CallContext, request: Any) -> Any:
        me = self.me(ctx)
        chat = self.channel_from_input(me, request.channel)
        read_in, read_out, unread = self._counts(me, chat.peer)
        admin = chat.is_admin(me.id)
        full = types.ChannelFull(
            id=chat.id,
            about=chat.about,
            read_inbox_max_id=read_in,
            read_outbox_max_id=read_out,
            unread_count=unread,
            chat_photo=types.PhotoEmpty(id=0),
            notify_settings=types.PeerNotifySettings(),
            bot_info=[],
            pts=chat.pts,
            can_view_participants=True,
            participants_count=len(chat.members),
            admins_count=sum(1 for uid in chat.members if chat.is_admin(uid)),
            requests_pending=len(chat.join_requests) if admin and chat.join_requests else None,
            recent_requesters=list(chat.join_requests)[-3:][::-1] if admin and chat.join_requests else None,
        )
        return types.messages.ChatFull(full_chat=full, chats=[self.w.render_chat(chat, me.id)], users=[])

    def get_full_chat(self, ctx: CallContext, request: Any) -> Any:
        me = self.me(ctx)
        chat = self.basic_chat(request.chat_id)
        participants: list[Any] = []
        for member in chat.members.values():
            if member.user_id == chat.creator_id:
                participants.append(types.ChatParticipantCreator(user_id=member.user_id))
            elif member.admin:
                participants.append(
                    types.ChatParticipantAdmin(
                        user_id=member.user_id, inviter_id=member.inviter_id, date=to_dt(member.date)
                    )
                )
            else:
                participants.append(
                    types.ChatParticipant(user_id=member.user_id, inviter_id=member.inviter_id, date=to_dt(member.date))
                )
        full = types.ChatFull(
            id=chat.id,
            about=chat.about,
            notify_settings=types.PeerNotifySettings(),
            participants=types.ChatParticipants(chat_id=chat.id, participants=participants, version=chat.version),
        )
        users = [self.w.render_user(self.w._users[uid], me.id) for uid in chat.members]
        return types.messages.ChatFull(full_chat=full, chats=[self.w.render_chat(chat, me.id)], users=users)

    def get_participants(self, ctx: CallContext, request: Any) -> Any:
        me = self.me(ctx)
        chat = self.channel_from_input(me, request.channel)
        wanted = request.filter
        members = list(chat.members.values())
        if isinstance(wanted, types.ChannelParticipantsAdmins):
            members = [m for m in members if chat.is_admin(m.user_id)]
        elif isinstance(wanted, types.ChannelParticipantsKicked | types.ChannelParticipantsBanned):
            members = []
        elif isinstance(wanted, types.ChannelParticipantsSearch) and wanted.q:
            q = wanted.q.lower()
            members = [
                m
                for m in members
                if q in f"{self.w._users[m.user_id].first_name} {self.w._users[m.user_id].last_name or ''}".lower()
                or q in (self.w._users[m.user_id].username or "").lower()
            ]
        page = members[request.offset : request.offset + max(0, min(request.limit, 200))]
        rights = types.ChatAdminRights(change_info=True, delete_messages=True, ban_users=True, invite_users=True)
        participants: list[Any] = []
        for m in page:
            if m.user_id == chat.creator_id:
                participants.append(types.ChannelParticipantCreator(user_id=m.user_id, admin_rights=rights))
            elif m.admin:
                participants.append(
                    types.ChannelParticipantAdmin(
                        user_id=m.user_id,
                        promoted_by=chat.creator_id or m.user_id,
                        date=to_dt(m.date),
                        admin_rights=rights,
                        inviter_id=m.inviter_id,
                    )
                )
            else:
                participants.append(
                    types.ChannelParticipantSelf(user_id=m.user_id, inviter_id=m.inviter_id, date=to_dt(m.date))
                    if m.user_id == me.id
                    else types.ChannelParticipant(user_id=m.user_id, date=to_dt(m.date))
                )
        users = [self.w.render_user(self.w._users[m.user_id], me.id) for m in page]
        return types.channels.ChannelParticipants(
            count=len(members), participants=participants, chats=[self.w.render_chat(chat, me.id)], users=users
        )

    def resolve_username(self, ctx: CallContext, request: Any) -> Any:
        me = self.me(ctx)
        username = request.username.lstrip("@")
        if not username or not all(ch.isalnum() or ch == "_" for ch in username):
            raise RpcFailure(400, "USERNAME_INVALID")
        record = self.w._find_username(username)
        if isinstance(record, UserRecord):
            return types.contacts.ResolvedPeer(
                peer=types.PeerUser(record.id), chats=[], users=[self.w.render_user(record, me.id)]
            )
        if isinstance(record, ChatRecord):
            return types.contacts.ResolvedPeer(
                peer=types.PeerChannel(record.id), chats=[self.w.render_chat(record, me.id)], users=[]
            )
        raise RpcFailure(400, "USERNAME_NOT_OCCUPIED")

    # endregion

    # region updates

    def _state(self, me: UserRecord, pts: int | None = None) -> Any:
        return types.updates.State(
            pts=me.pts if pts is None else pts, qts=0, date=to_dt(now_ts()), seq=0, unread_count=0
        )

    def get_state(self, ctx: CallContext, request: Any) -> Any:
        return self._state(self.me(ctx))

    def _fold(self, me: UserRecord, events: list[Event]) -> tuple[list[StoredMessage], list[Any], list[Any]]:
        """Replay events as Telegram's difference does: messages that are new in the range are listed once in
        their current state; edits of older messages (the last per message) and deletions become updates."""
        w = self.w
        created = {(e.peer, e.ids[0]) for e in events if e.kind == "new"}
        new_messages: list[StoredMessage] = []
        last_edit: dict[tuple[PeerKey, int], Event] = {}
        others: list[tuple[int, Any]] = []
        for event in events:
            if event.kind == "new":
                message = w.lookup(event.peer, event.ids[0])
                if message is not None:
                    new_messages.append(message)
            elif event.kind == "edit":
                if (event.peer, event.ids[0]) not in created:
                    last_edit[(event.peer, event.ids[0])] = event
            else:
                update, _ = w.update_for_event(me.id, event)
                others.append((event.pts, update))
        edited: list[StoredMessage] = []
        for event in last_edit.values():
            update, messages = w.update_for_event(me.id, event)
            if update is not None:
                others.append((event.pts, update))
                edited.extend(messages)
        others.sort(key=lambda item: item[0])
        return new_messages, [u for _, u in others], edited

    def get_difference(self, ctx: CallContext, request: Any) -> Any:
        me = self.me(ctx)
        w = self.w
        since = to_ts(request.date)
        if request.pts > me.pts:
            return types.updates.DifferenceTooLong(pts=me.pts)
        events = [e for e in me.events if e.pts > request.pts]
        channels = [
            chat
            for chat in w._chats.values()
            if chat.is_channel and me.id in chat.members and chat.events and chat.last_event >= since
        ]
        if not events and not channels:
            return types.updates.DifferenceEmpty(date=to_dt(now_ts()), seq=0)
        if request.pts_total_limit and len(events) > request.pts_total_limit:
            return types.updates.DifferenceTooLong(pts=me.pts)
        sliced = len(events) > w.difference_limit
        if sliced:
            events = events[: w.difference_limit]
        new_messages, other_updates, edited = self._fold(me, events)
        rendered = [w.render_message(m, me.id) for m in new_messages]
        users, chats = w.entities_for([*new_messages, *edited], me.id, peers=[e.peer for e in events])
        if sliced:
            return types.updates.DifferenceSlice(
                new_messages=rendered,
                new_encrypted_messages=[],
                other_updates=other_updates,
                chats=chats,
                users=users,
                intermediate_state=self._state(me, events[-1].pts),
            )
        known = {c.id for c in chats}
        for chat in channels:
            other_updates.append(types.UpdateChannelTooLong(channel_id=chat.id, pts=chat.pts))
            if chat.id not in known:
                chats.append(w.render_chat(chat, me.id))
        return types.updates.Difference(
            new_messages=rendered,
            new_encrypted_messages=[],
            other_updates=other_updates,
            chats=chats,
            users=users,
            state=self._state(me),
        )

    def get_channel_difference(self, ctx: CallContext, request: Any) -> Any:
        me = self.me(ctx)
        w = self.w
        chat = self.channel_from_input(me, request.channel)
        if request.pts >= chat.pts or not chat.events:
            return types.updates.ChannelDifferenceEmpty(pts=chat.pts, final=True)
        events = [e for e in chat.events if e.pts > request.pts]
        first_logged = chat.events[0].pts - chat.events[0].count
        if len(events) > w.channel_difference_too_long or request.pts < first_logged:
            store = w.store(chat.peer)
            top = store.top()
            read_in, read_out, unread = self._counts(me, chat.peer)
            dialog = types.Dialog(
                peer=types.PeerChannel(chat.id),
                top_message=top.id if top else 0,
                read_inbox_max_id=read_in,
                read_outbox_max_id=read_out,
                unread_count=unread,
                unread_mentions_count=0,
                unread_reactions_count=0,
                unread_poll_votes_count=0,
                notify_settings=types.PeerNotifySettings(),
                pts=chat.pts,
            )
            latest = store.history(offset_id=0, offset_date=0, add_offset=0, limit=request.limit, max_id=0, min_id=0)
            users, chats = w.entities_for(latest, me.id, peers=[chat.peer])
            return types.updates.ChannelDifferenceTooLong(
                dialog=dialog,
                messages=[w.render_message(m, me.id) for m in latest],
                chats=chats,
                users=users,
                final=True,
            )
        final = len(events) <= request.limit
        if not final:
            events = events[: request.limit]
        new_messages, other_updates, edited = self._fold(me, events)
        users, chats = w.entities_for([*new_messages, *edited], me.id, peers=[chat.peer])
        return types.updates.ChannelDifference(
            pts=events[-1].pts,
            new_messages=[w.render_message(m, me.id) for m in new_messages],
            other_updates=other_updates,
            chats=chats,
            users=users,
            final=final,
        )

    # endregion

    # region dialogs and history

    def get_dialogs(self, ctx: CallContext, request: Any) -> Any:
        """All dialogs in one ``messages.dialogs``: private chats that have messages, groups and channels the
        account belongs to, newest first."""
        me = self.me(ctx)
        w = self.w
        if request.folder_id == 1:  # nothing is archived here
            return types.messages.Dialogs(dialogs=[], messages=[], chats=[], users=[])
        rows: list[tuple[tuple[int, int], Any, StoredMessage | None]] = []
        for peer, store in w._stores.items():
            if peer[0] == "user":
                if me.id not in peer[1:] or not len(store):
                    continue
            elif me.id not in w._chats[peer[1]].members:
                continue
            top = store.top()
            read_in, read_out, unread = self._counts(me, peer)
            dialog = types.Dialog(
                peer=w.peer_for(peer, me.id),
                top_message=top.id if top else 0,
                read_inbox_max_id=read_in,
                read_outbox_max_id=read_out,
                unread_count=unread,
                unread_mentions_count=0,
                unread_reactions_count=0,
                unread_poll_votes_count=0,
                notify_settings=types.PeerNotifySettings(),
                pts=w._chats[peer[1]].pts if peer[0] == "channel" else None,
            )
            date = top.date if top is not None else (w._chats[peer[1]].date if peer[0] != "user" else 0)
            rows.append(((date, w.activity(peer)), dialog, top))
        rows.sort(key=lambda row: row[0], reverse=True)
        tops = [top for _, _, top in rows if top is not None]
        all_peers: list[PeerKey] = [key for key, store in w._stores.items() if self._dialog_visible(me, key, store)]
        users, chats = w.entities_for(tops, me.id, peers=all_peers)
        return types.messages.Dialogs(
            dialogs=[dialog for _, dialog, _ in rows],
            messages=[w.render_message(m, me.id) for m in tops],
            chats=chats,
            users=users,
        )

    def _dialog_visible(self, me: UserRecord, peer: PeerKey, store: Any) -> bool:
        if peer[0] == "user":
            return me.id in peer[1:] and bool(len(store))
        return me.id in self.w._chats[peer[1]].members

    def get_history(self, ctx: CallContext, request: Any) -> Any:
        me = self.me(ctx)
        w = self.w
        peer = self.peer_from_input(me, request.peer)
        store = w.store(peer)
        found = store.history(
            offset_id=request.offset_id,
            offset_date=to_ts(request.offset_date),
            add_offset=request.add_offset,
            limit=request.limit,
            max_id=request.max_id,
            min_id=request.min_id,
        )
        messages, users, chats = self.messages_answer(me, found, peers=[peer])
        if peer[0] == "channel":
            return types.messages.ChannelMessages(
                pts=w._chats[peer[1]].pts, count=len(store), messages=messages, topics=[], chats=chats, users=users
            )
        if len(found) == len(store):
            return types.messages.Messages(messages=messages, topics=[], chats=chats, users=users)
        return types.messages.MessagesSlice(count=len(store), messages=messages, topics=[], chats=chats, users=users)

    def get_messages(self, ctx: CallContext, request: Any) -> Any:
        me = self.me(ctx)
        w = self.w
        rendered: list[Any] = []
        found: list[StoredMessage] = []
        for item in request.id:
            msg_id = getattr(item, "id", None)
            message = w._common_index.get(msg_id) if isinstance(msg_id, int) else None
            if message is not None and not self._can_see(me, message.peer):
                message = None
            if message is None:
                rendered.append(types.MessageEmpty(id=msg_id or 0, peer_id=None))
            else:
                rendered.append(w.render_message(message, me.id))
                found.append(message)
        users, chats = w.entities_for(found, me.id)
        return types.messages.Messages(messages=rendered, topics=[], chats=chats, users=users)

    def _can_see(self, me: UserRecord, peer: PeerKey) -> bool:
        if peer[0] == "user":
            return me.id in peer[1:]
        return me.id in self.w._chats[peer[1]].members

    def get_channel_messages(self, ctx: CallContext, request: Any) -> Any:
        me = self.me(ctx)
        w = self.w
        chat = self.channel_from_input(me, request.channel)
        store = w.store(chat.peer)
        rendered: list[Any] = []
        found: list[StoredMessage] = []
        for item in request.id:
            msg_id = getattr(item, "id", None)
            message = store.get(msg_id) if isinstance(msg_id, int) else None
            if message is None:
                rendered.append(types.MessageEmpty(id=msg_id or 0, peer_id=None))
            else:
                rendered.append(w.render_message(message, me.id))
                found.append(message)
        users, chats = w.entities_for(found, me.id, peers=[chat.peer])
        return types.messages.ChannelMessages(
            pts=chat.pts, count=len(rendered), messages=rendered, topics=[], chats=chats, users=users
        )

    def get_messages_views(self, ctx: CallContext, request: Any) -> Any:
        me = self.me(ctx)
        peer = self.peer_from_input(me, request.peer)
        views: list[Any] = []
        for msg_id in request.id:
            message = self.w.lookup(peer, msg_id)
            if message is None or message.views is None:
                views.append(types.MessageViews())
                continue
            if request.increment:
                message.views += 1
                message.cache.clear()
            views.append(types.MessageViews(views=message.views))
        return types.messages.MessageViews(views=views, chats=[], users=[])

    # endregion

    # region sending and changing messages

    def _check_write(self, me: UserRecord, peer: PeerKey) -> bool:
        """Raise if ``me`` may not write to ``peer``; True if the message is a channel post."""
        if peer[0] == "user":
            return False
        chat = self.w._chats[peer[1]]
        if me.id in chat.banned or chat.is_muted(me.id, now_ts()):
            raise RpcFailure(403, "USER_BANNED_IN_CHANNEL")
        if me.id not in chat.members:
            raise RpcFailure(403, "CHAT_WRITE_FORBIDDEN")
        if chat.kind == "broadcast":
            if not chat.is_admin(me.id):
                raise RpcFailure(403, "CHAT_WRITE_FORBIDDEN")
            return True
        return False

    def send_message(self, ctx: CallContext, request: Any) -> Any:
        """Post a message. A repeated random_id (same account, same peer) creates nothing and is answered as
        Telegram answers it: error 500 RANDOM_ID_DUPLICATE (which Telethon retries, then raises)."""
        me = self.me(ctx)
        w = self.w
        peer = self.peer_from_input(me, request.peer)
        key = (me.id, peer, request.random_id)
        if key in w._sent_random:
            raise RpcFailure(500, "RANDOM_ID_DUPLICATE")
        text = request.message or ""
        if not text.strip():
            raise RpcFailure(400, "MESSAGE_EMPTY")
        if len(text) > MAX_MESSAGE_LENGTH:
            raise RpcFailure(400, "MESSAGE_TOO_LONG")
        post = self._check_write(me, peer)
        if peer[0] == "user":
            target = w._users.get(peer[2] if peer[1] == me.id else peer[1])
            if target is not None and not target.accepts_strangers and not w.store(peer).all():
                raise RpcFailure(400, "USER_PRIVACY_RESTRICTED")
        reply_to = request.reply_to.reply_to_msg_id if isinstance(request.reply_to, types.InputReplyToMessage) else None
        message, steps = w.create_message(
            peer,
            me.id,
            text,
            reply_to=reply_to,
            entities=request.entities,
            post=post,
            views=1 if post else None,
            exclude_conn=ctx.conn_id,
        )
        pts, count = steps[me.id]
        answer: Any
        if peer[0] == "user":
            answer = types.UpdateShortSentMessage(
                out=True,
                id=message.id,
                pts=pts,
                pts_count=count,
                date=to_dt(message.date),
                entities=message.entities,
            )
        else:
            cls = types.UpdateNewChannelMessage if peer[0] == "channel" else types.UpdateNewMessage
            answer = self.updates(
                me,
                [
                    types.UpdateMessageID(id=message.id, random_id=request.random_id),
                    cls(message=w.render_message(message, me.id), pts=pts, pts_count=count),
                ],
                [message],
                peer,
            )
        w._sent_random[key] = answer
        return answer

    def edit_message(self, ctx: CallContext, request: Any) -> Any:
        me = self.me(ctx)
        w = self.w
        peer = self.peer_from_input(me, request.peer)
        message = w.lookup(peer, request.id)
        if message is None:
            raise RpcFailure(400, "MESSAGE_ID_INVALID")
        own = message.sender_id == me.id or (message.post and w._chats[peer[1]].is_admin(me.id))
        if not own or message.action is not None:
            raise RpcFailure(403, "MESSAGE_AUTHOR_REQUIRED")
        if request.message is None or request.message == message.text:
            raise RpcFailure(400, "MESSAGE_NOT_MODIFIED")
        if request.entities is not None:
            message.entities = request.entities or None
        steps = w.edit_message(message, request.message, exclude_conn=ctx.conn_id)
        pts, count = steps[me.id]
        cls = types.UpdateEditChannelMessage if peer[0] == "channel" else types.UpdateEditMessage
        return self.updates(
            me, [cls(message=w.render_message(message, me.id), pts=pts, pts_count=count)], [message], peer
        )

    def _may_delete(self, me: UserRecord, message: StoredMessage) -> bool:
        if message.peer[0] == "user" or message.sender_id == me.id:
            return True
        return self.w._chats[message.peer[1]].is_admin(me.id)

    def delete_messages(self, ctx: CallContext, request: Any) -> Any:
        me = self.me(ctx)
        w = self.w
        by_peer: dict[PeerKey, list[int]] = {}
        for msg_id in request.id:
            message = w._common_index.get(msg_id)
            if message is None or not self._can_see(me, message.peer):
                continue
            if not self._may_delete(me, message):
                raise RpcFailure(403, "MESSAGE_DELETE_FORBIDDEN")
            by_peer.setdefault(message.peer, []).append(msg_id)
        total = 0
        for peer, ids in by_peer.items():
            total += w.delete_messages(peer, ids, exclude_conn=ctx.conn_id)[me.id][1]
        return types.messages.AffectedMessages(pts=me.pts, pts_count=total)

    def delete_channel_messages(self, ctx: CallContext, request: Any) -> Any:
        me = self.me(ctx)
        w = self.w
        chat = self.channel_from_input(me, request.channel)
        store = w.store(chat.peer)
        ids = [i for i in request.id if store.get(i) is not None]
        for msg_id in ids:
            message = store.get(msg_id)
            if message is not None and not self._may_delete(me, message):
                raise RpcFailure(403, "MESSAGE_DELETE_FORBIDDEN")
        if not ids:
            return types.messages.AffectedMessages(pts=chat.pts, pts_count=0)
        w.log_deletions(chat, me.id, [m for m in map(store.get, ids) if m is not None])
        w.delete_messages(chat.peer, ids, exclude_conn=ctx.conn_id)
        return types.messages.AffectedMessages(pts=chat.pts, pts_count=len(ids))

    def read_history(self, ctx: CallContext, request: Any) -> Any:
        me = self.me(ctx)
        peer = self.peer_from_input(me, request.peer)
        top = self.w.store(peer).top()
        max_id = min(request.max_id or (top.id if top else 0), top.id if top else 0)
        if max_id <= me.read_max.get(peer, 0):
            return types.messages.AffectedMessages(pts=me.pts, pts_count=0)
        me.read_max[peer] = max_id
        steps = self.w.record(peer, "read", (), exclude_conn=ctx.conn_id, only=me, max_id=max_id)
        return types.messages.AffectedMessages(pts=steps[me.id][0], pts_count=1)

    def read_channel_history(self, ctx: CallContext, request: Any) -> Any:
        me = self.me(ctx)
        chat = self.channel_from_input(me, request.channel)
        top = self.w.store(chat.peer).top()
        top_id = top.id if top else 0
        me.read_max[chat.peer] = max(me.read_max.get(chat.peer, 0), min(request.max_id or top_id, top_id))
        return True

    def edit_banned(self, ctx: CallContext, request: Any) -> Any:
        me = self.me(ctx)
        w = self.w
        chat = self.channel_from_input(me, request.channel)
        if not chat.is_admin(me.id):
            raise RpcFailure(403, "CHAT_ADMIN_REQUIRED")
        user = self.user_from_input(me, request.participant)
        if user.id == chat.creator_id:
            raise RpcFailure(400, "USER_ADMIN_INVALID")
        update_list: list[Any] = []
        messages: list[StoredMessage] = []
        rights = request.banned_rights
        until = int(rights.until_date.timestamp()) if rights.until_date else 0
        msg_id = w.apply_ban(
            chat,
            user.id,
            me.id,
            until,
            bool(rights.view_messages),
            bool(rights.send_messages),
            exclude_conn=ctx.conn_id,
        )
        message = w.lookup(chat.peer, msg_id) if msg_id else None
        if message is not None:
            messages.append(message)
            update_list.append(
                types.UpdateNewChannelMessage(message=w.render_message(message, me.id), pts=chat.pts, pts_count=1)
            )
        return self.updates(me, update_list, messages, chat.peer)

    def toggle_slow_mode(self, ctx: CallContext, request: Any) -> Any:
        """channels.toggleSlowMode: members may send one message per ``seconds`` (0: off); supergroups only."""
        me = self.me(ctx)
        chat = self.channel_from_input(me, request.channel)
        if not chat.is_admin(me.id):
            raise RpcFailure(403, "CHAT_ADMIN_REQUIRED")
        if request.seconds not in (0, 10, 30, 60, 300, 900, 3600):
            raise RpcFailure(400, "SECONDS_INVALID")
        if chat.slow_mode == request.seconds:
            raise RpcFailure(400, "CHAT_NOT_MODIFIED")
        chat.slow_mode = request.seconds
        chat.version += 1
        return self.updates(me, [], [], chat.peer)

    def delete_participant_history(self, ctx: CallContext, request: Any) -> Any:
        """channels.deleteParticipantHistory: every message of one member in a supergroup, deleted for all (as
        Telegram does, in slices of at most 100: ``offset`` says more are left)."""
        me = self.me(ctx)
        w = self.w
        chat = self.channel_from_input(me, request.channel)
        if not chat.is_admin(me.id):
            raise RpcFailure(403, "CHAT_ADMIN_REQUIRED")
        user = self.user_from_input(me, request.participant)
        store = w.store(chat.peer)
        theirs = [
            m for m in (store.get(i) for i in range(1, chat.next_msg_id)) if m is not None and m.sender_id == user.id
        ]
        batch = theirs[:100]
        if batch:
            w.log_deletions(chat, me.id, batch)
            w.delete_messages(chat.peer, [m.id for m in batch], exclude_conn=ctx.conn_id)
        left = len(theirs) - len(batch)
        return types.messages.AffectedHistory(pts=chat.pts, pts_count=len(batch), offset=1 if left else 0)

    def get_admin_log(self, ctx: CallContext, request: Any) -> Any:
        """channels.getAdminLog: the chat's recent actions, newest first, between min_id and max_id (both
        excluded; 0: no bound), of the kinds the filter names (none: all), by the admins named (none: all)."""
        me = self.me(ctx)
        w = self.w
        chat = self.channel_from_input(me, request.channel)
        if not chat.is_admin(me.id):
            raise RpcFailure(403, "CHAT_ADMIN_REQUIRED")
        wanted = request.events_filter
        admins = {self.user_from_input(me, a).id for a in request.admins} if request.admins else None

        def kept(action: Any) -> bool:
            if wanted is None:
                return True
            if isinstance(action, types.ChannelAdminLogEventActionParticipantToggleBan):
                return bool(wanted.ban or wanted.unban or wanted.kick or wanted.unkick)
            if isinstance(action, types.ChannelAdminLogEventActionDeleteMessage):
                return bool(wanted.delete)
            return False

        events = [
            (event_id, date, admin, action)
            for event_id, date, admin, action in reversed(chat.admin_log)
            if event_id > request.min_id
            and (not request.max_id or event_id < request.max_id)
            and (admins is None or admin in admins)
            and kept(action)
        ][: max(1, min(request.limit or 100, 100))]
        users = set()
        for _, _, admin, action in events:
            users.add(admin)
            if isinstance(action, types.ChannelAdminLogEventActionParticipantToggleBan):
                participant = action.new_participant
                users.add(participant.peer.user_id if hasattr(participant, "peer") else participant.user_id)
        return types.channels.AdminLogResults(
            events=[
                types.ChannelAdminLogEvent(id=event_id, date=to_dt(date), user_id=admin, action=action)
                for event_id, date, admin, action in events
            ],
            chats=[w.render_chat(chat, me.id)],
            users=[w.render_user(w._users[uid], me.id) for uid in sorted(users) if uid in w._users],
        )

    def _join_request_chat(self, me: UserRecord, peer: Any) -> ChatRecord:
        key = self.peer_from_input(me, peer)
        if key[0] == "user":
            raise RpcFailure(400, "PEER_ID_INVALID")
        chat = self.w._chats[key[1]]
        if not chat.is_admin(me.id):
            raise RpcFailure(403, "CHAT_ADMIN_REQUIRED")
        return chat

    def get_invite_importers(self, ctx: CallContext, request: Any) -> Any:
        """Pending join requests (requested=True) or members who joined by link/request, newest first."""
        me = self.me(ctx)
        chat = self._join_request_chat(me, request.peer)
        if request.requested:
            rows = [(uid, date, True) for uid, date in chat.join_requests.items()]
        else:
            rows = [(m.user_id, m.date, False) for m in chat.members.values() if m.how in ("link", "request")]
        rows.sort(key=lambda row: (row[1], row[0]), reverse=True)
        offset_user = request.offset_user
        if isinstance(offset_user, types.InputUser):
            position = next((i for i, row in enumerate(rows) if row[0] == offset_user.user_id), None)
            rows = rows[position + 1 :] if position is not None else rows
        if request.q:
            q = request.q.lower()
            rows = [r for r in rows if q in (self.w._users[r[0]].first_name or "").lower()]
        total = len(rows)
        page = rows[: max(0, request.limit)]
        importers = [
            types.ChatInviteImporter(user_id=uid, date=to_dt(date), requested=req or None) for uid, date, req in page
        ]
        users = [self.w.render_user(self.w._users[uid], me.id) for uid, _, _ in page]
        return types.messages.ChatInviteImporters(count=total, importers=importers, users=users)

    def hide_join_request(self, ctx: CallContext, request: Any) -> Any:
        me = self.me(ctx)
        w = self.w
        chat = self._join_request_chat(me, request.peer)
        user = self.user_from_input(me, request.user_id)
        if user.id not in chat.join_requests:
            raise RpcFailure(400, "HIDE_REQUESTER_MISSING")
        update_list: list[Any] = []
        messages: list[StoredMessage] = []
        if request.approved:
            msg_id = w.add_member(chat, user.id, "request", me.id, exclude_conn=ctx.conn_id, announce_requests=False)
            message = w.lookup(chat.peer, msg_id)
            if message is not None:
                messages.append(message)
                cls = types.UpdateNewChannelMessage if chat.is_channel else types.UpdateNewMessage
                pts = chat.pts if chat.is_channel else me.pts
                update_list.append(cls(message=w.render_message(message, me.id), pts=pts, pts_count=1))
        else:
            chat.join_requests.pop(user.id, None)
        update_list.append(w.push_join_requests(chat, exclude_conn=ctx.conn_id))
        return self.updates(me, update_list, messages, chat.peer)

    # endregion

    # region files

    def get_file(self, ctx: CallContext, request: Any) -> Any:
        location = request.location
        if not isinstance(location, types.InputDocumentFileLocation | types.InputPhotoFileLocation):
            raise RpcFailure(400, "LOCATION_INVALID")
        media = self.w.file(location.id)
        if media is None or media.access_hash != location.access_hash:
            raise RpcFailure(400, "LOCATION_INVALID")
        if (media.kind == "photo") != isinstance(location, types.InputPhotoFileLocation):
            raise RpcFailure(400, "LOCATION_INVALID")
        offset, limit = request.offset, request.limit
        if limit <= 0 or limit > 1024 * 1024 or limit % 1024 or (not request.precise and (1024 * 1024) % limit):
            raise RpcFailure(400, "LIMIT_INVALID")
        if offset < 0 or offset % 1024:
            raise RpcFailure(400, "OFFSET_INVALID")
        return types.upload.File(
            type=types.storage.FileUnknown(), mtime=media.date, bytes=media.data[offset : offset + limit]
        )

    # endregion
