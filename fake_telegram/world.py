"""The fake Telegram "world": apps, accounts, users, chats, messages and update sequences.

Tests drive the world from their own thread (``send``, ``edit``, ``join`` ...) while the server thread answers
MTProto requests from it; one re-entrant lock guards all state. Every change that Telegram would announce is
logged with its pts (per account for private chats and basic groups, per channel for channels/supergroups), so
``updates.getDifference`` can replay it, and is pushed as real ``Updates`` to the connected sessions that should
see it.

Ids: users, basic groups and channels share one counter, so a bare id names exactly one entity. Telethon's
"marked" ids (``telethon.utils.get_peer_id``) are: a user's id unchanged, ``-id`` for a basic group and
``-(1000000000000 + id)`` for a channel or supergroup; every world method accepts both forms.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import secrets
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from telethon.tl import types

from fake_telegram.srp import PasswordSecret
from fake_telegram.store import Media, MessageStore, PeerKey, StoredMessage, private_key

log = logging.getLogger(__name__)

CHANNEL_MARK = 1_000_000_000_000
MAX_MESSAGE_LENGTH = 4096
# Pushes go through this callable on the server loop: (user_id, serialized Updates, connection id to skip).
PushFn = Callable[[int, bytes, int | None], None]
MediaSpec = tuple[Any, ...]
# (sender_id, text, date, reply_to) or the same with a media spec last (a voice note in old history).
HistoryRow = (
    tuple[int | None, str, int | datetime | None, int | None]
    | tuple[int | None, str, int | datetime | None, int | None, MediaSpec | None]
)
# The membership changes ``add_history_service`` can write, and the service action each one becomes.
HISTORY_ACTIONS = ("join", "add", "link", "request", "leave", "remove")
# Called with (chat, message) after an account's own message is stored: ``chat`` as the world API names the
# conversation (the group's id, or the other user's id for a private chat), ``message`` the TL Message as the
# account sees it.
AccountMessageHook = Callable[[int, Any], None]

_ADMIN_RIGHTS = dict(
    change_info=True,
    delete_messages=True,
    ban_users=True,
    invite_users=True,
    pin_messages=True,
    manage_call=True,
    other=True,
)


class RpcFailure(Exception):
    """An RPC error to answer with (``rpc_error``), e.g. ``RpcFailure(400, "PHONE_CODE_INVALID")``."""

    def __init__(self, code: int, message: str) -> None:
        super().__init__(f"{code} {message}")
        self.code = code
        self.message = message


def now_ts() -> int:
    return int(time.time())


def to_dt(ts: int) -> datetime:
    return datetime.fromtimestamp(ts, tz=UTC)


def to_ts(value: int | float | datetime | None) -> int:
    """Timestamps arrive as datetimes from TL objects and as ints or datetimes from tests."""
    if value is None:
        return 0
    if isinstance(value, datetime):
        return int(value.timestamp())
    return int(value)


def _access_hash(entity_id: int) -> int:
    """Stable per-entity access hash, so sessions saved by a test remain valid."""
    return int.from_bytes(hashlib.sha256(b"fake-telegram:%d" % entity_id).digest()[:8], "little", signed=True)


def _digits(phone: str) -> str:
    """Telethon's ``utils.parse_phone`` normalisation: digits only."""
    return "".join(ch for ch in phone if ch.isdigit())


@dataclass(slots=True)
class Event:
    """One pts step: a new, edited or deleted message (or a read mark) in ``peer``."""

    pts: int
    count: int
    kind: str
    peer: PeerKey
    ids: tuple[int, ...]
    date: int
    max_id: int = 0


@dataclass(eq=False)
class UserRecord:
    """A Telegram user; accounts (``phone`` set and able to log in) also own a common update box."""

    id: int
    access_hash: int
    first_name: str
    last_name: str | None = None
    username: str | None = None
    phone: str | None = None
    bot: bool = False
    account: bool = False
    password: PasswordSecret | None = None
    pts: int = 1
    events: list[Event] = field(default_factory=list)
    read_max: dict[PeerKey, int] = field(default_factory=dict)
    #: Privacy "Who can send me messages": False refuses a first private message from an account the user
    #: never wrote with (USER_PRIVACY_RESTRICTED), as Telegram does for such settings.
    accepts_strangers: bool = True
    about: str = ""  # the profile's bio (users.getFullUser)


@dataclass(eq=False)
class Member:
    user_id: int
    inviter_id: int
    date: int
    admin: bool = False
    how: str = "added"


@dataclass(eq=False)
class ChatRecord:
    """A basic group (kind "chat"), supergroup ("megagroup") or broadcast channel ("broadcast")."""

    id: int
    access_hash: int
    kind: str
    title: str
    username: str | None
    date: int
    creator_id: int | None
    members: dict[int, Member] = field(default_factory=dict)
    about: str = ""
    version: int = 1
    pts: int = 1
    next_msg_id: int = 1
    events: list[Event] = field(default_factory=list)
    last_event: int = 0
    join_requests: dict[int, int] = field(default_factory=dict)
    banned: set[int] = field(default_factory=set)
    #: Members who may read but not send (channels.editBanned with send_messages), until a Unix time (0: lifted
    #: only by hand).
    muted: dict[int, int] = field(default_factory=dict)
    #: Every editBanned in order: (user id, until (0 = forever), view_messages, send_messages).
    restrictions: list[tuple[int, int, bool, bool]] = field(default_factory=list)
    #: Slow mode: seconds between two messages of a member (0: off), as channels.toggleSlowMode sets it.
    slow_mode: int = 0
    #: The admin log ("Recent actions"), oldest first: (event id, date, admin's user id, TL action).
    admin_log: list[tuple[int, int, int, Any]] = field(default_factory=list)

    def is_muted(self, user_id: int, now: int) -> bool:
        until = self.muted.get(user_id)
        return until is not None and (until == 0 or until > now)

    @property
    def is_channel(self) -> bool:
        return self.kind != "chat"

    @property
    def peer(self) -> PeerKey:
        return ("channel" if self.is_channel else "chat", self.id, 0)

    def is_admin(self, user_id: int) -> bool:
        member = self.members.get(user_id)
        return user_id == self.creator_id or (member is not None and member.admin)


@dataclass(eq=False)
class AuthKeyRecord:
    """An auth key the server negotiated; remembered for the world's lifetime, bound to a user on login."""

    key: bytes
    key_id: int
    salt: int
    user_id: int | None = None
    pending_user: int | None = None
    api_id: int | None = None
    device_model: str | None = None


@dataclass
class PhoneCode:
    code: str
    phone_code_hash: str
    expired: bool = False


class RawTL:
    """Already serialized TL bytes that a generated TL object can embed (they call ``x._bytes()``)."""

    __slots__ = ("data",)

    def __init__(self, data: bytes) -> None:
        self.data = data

    def _bytes(self) -> bytes:
        return self.data

    def __bytes__(self) -> bytes:
        return self.data


class FakeTelegram:
    """A small Telegram: what the fake MTProto server serves, and what tests arrange and inspect."""

    def __init__(
        self,
        *,
        dc_id: int = 2,
        login_code: str | None = None,
        difference_limit: int = 100,
        channel_difference_too_long: int = 1000,
    ) -> None:
        """``login_code`` fixes every login code (handy for CLI tests); otherwise each SendCode draws one.

        ``difference_limit`` is how many pts steps one ``updates.getDifference`` answers before slicing;
        ``channel_difference_too_long`` is how far behind a channel's pts may be before
        ``updates.channelDifferenceTooLong`` is answered instead of the missed updates.
        """
        self.dc_id = dc_id
        self.difference_limit = difference_limit
        self.channel_difference_too_long = channel_difference_too_long
        self.on_login_code: Callable[[str, str], None] | None = None
        # Told about every message an account sends (RPC or ``send``), always outside the world lock; must
        # not block (the simulated organization queues its members' reactions from it).
        self.on_account_message: AccountMessageHook | None = None
        self._account_messages: list[tuple[int, Any]] = []
        self.unimplemented: list[str] = []
        self.server_errors: list[str] = []  # handler crashes (bugs in the fake), answered 400 FAKE_SERVER_BUG
        self.lock = threading.RLock()
        self._fixed_code = login_code
        self._next_entity_id = 1_000_000_000
        self._next_file_id = 5_000_000_000
        self._admin_events = 0  # admin-log event ids (Telegram's are 64-bit, increasing)
        self._common_msg_id = 0
        self._apps: dict[int, str] = {}
        self._users: dict[int, UserRecord] = {}
        self._accounts: list[int] = []
        self._by_phone: dict[str, int] = {}
        self._chats: dict[int, ChatRecord] = {}
        self._stores: dict[PeerKey, MessageStore] = {}
        self._common_index: dict[int, StoredMessage] = {}
        self._activity: dict[PeerKey, int] = {}  # conversation -> order of its last new message
        self._activity_seq = 0
        self._files: dict[int, Media] = {}
        self._codes: dict[str, PhoneCode] = {}
        self._pinned_codes: dict[str, str] = {}
        self._keys: dict[int, AuthKeyRecord] = {}
        self._sent_random: dict[tuple[int, PeerKey, int], Any] = {}
        self._faults: dict[str, list[tuple[int, str]]] = {}
        self._drops: dict[str, int] = {}
        self._request_counts: Counter[str] = Counter()
        # What the transport saw: msg containers, gzip_packed in/out, pushes, key exchanges (for tests).
        self.transport_stats: Counter[str] = Counter()
        self._entity_cache: dict[tuple[str, int, int], bytes] = {}
        self._push: PushFn | None = None
        self._disconnect: Callable[[], None] | None = None
        self._loop: Any = None
        self.address: tuple[str, int] = ("127.0.0.1", 443)

    # region server attachment

    def attach(self, loop: Any, push: PushFn, disconnect: Callable[[], None], address: tuple[str, int]) -> None:
        """Called by the server once it listens: where pushes go and what ``help.getConfig`` advertises."""
        with self.lock:
            self._loop, self._push, self._disconnect, self.address = loop, push, disconnect, address

    def detach(self) -> None:
        with self.lock:
            self._loop = self._push = self._disconnect = None

    def _emit(self, user_id: int, updates: Any, exclude_conn: int | None = None) -> None:
        """Push one ``Updates`` to every connected session of ``user_id`` (serialised now, under the lock)."""
        if self._push is None or self._loop is None:
            return
        payload = bytes(updates)
        with contextlib.suppress(RuntimeError):  # the loop is already closed: nobody is connected any more
            self._loop.call_soon_threadsafe(self._push, user_id, payload, exclude_conn)

    # endregion

    # region apps, accounts, login

    def add_app(self, api_id: int, api_hash: str) -> None:
        """Register an API id/hash pair; ``auth.sendCode`` from any other pair fails with API_ID_INVALID."""
        with self.lock:
            self._apps[api_id] = api_hash

    def add_account(
        self,
        phone: str,
        first_name: str,
        last_name: str | None = None,
        username: str | None = None,
        password: str | None = None,
    ) -> int:
        """A user who can log in with ``phone`` (and the 2FA ``password`` if given); returns the user id."""
        digits = _digits(phone)
        if not digits:
            raise ValueError(f"not a phone number: {phone!r}")
        secret = PasswordSecret.create(password) if password is not None else None  # slow: outside the lock
        with self.lock:
            if digits in self._by_phone:
                raise ValueError(f"phone {phone} already registered")
            user = self._new_user(first_name, last_name, username, bot=False)
            user.phone, user.account, user.password = digits, True, secret
            self._by_phone[digits] = user.id
            self._accounts.append(user.id)
            return user.id

    def add_user(
        self, first_name: str, last_name: str | None = None, username: str | None = None, bot: bool = False
    ) -> int:
        """A user who never logs in here (the people who write to the organization); returns the user id."""
        with self.lock:
            return self._new_user(first_name, last_name, username, bot=bot).id

    def _new_user(self, first_name: str, last_name: str | None, username: str | None, *, bot: bool) -> UserRecord:
        self._check_username(username)
        uid = self._new_entity_id()
        user = UserRecord(
            id=uid,
            access_hash=_access_hash(uid),
            first_name=first_name,
            last_name=last_name,
            username=username,
            bot=bot,
        )
        self._users[uid] = user
        return user

    def _check_username(self, username: str | None) -> None:
        if username is not None and self._find_username(username) is not None:
            raise ValueError(f"username {username!r} is taken")

    def _find_username(self, username: str) -> UserRecord | ChatRecord | None:
        wanted = username.lower()
        records: list[UserRecord | ChatRecord] = [*self._users.values(), *self._chats.values()]
        for record in records:
            if record.username is not None and record.username.lower() == wanted:
                return record
        return None

    def _new_entity_id(self) -> int:
        self._next_entity_id += 1
        return self._next_entity_id

    def login_code(self, phone: str) -> str:
        """The code the last ``auth.sendCode`` "sent" to ``phone``: the test reading its SMS."""
        with self.lock:
            pending = self._codes.get(_digits(phone))
            if pending is None:
                raise KeyError(f"no login code was requested for {phone}")
            return pending.code

    def expire_code(self, phone: str) -> None:
        """Make the pending code for ``phone`` expire (``auth.signIn`` then fails with PHONE_CODE_EXPIRED)."""
        with self.lock:
            pending = self._codes.get(_digits(phone))
            if pending is not None:
                pending.expired = True

    def revoke_sessions(self, user_id: int) -> None:
        """Terminate every session of the user, as from another device: their keys get AUTH_KEY_UNREGISTERED."""
        with self.lock:
            for key in self._keys.values():
                if user_id in (key.user_id, key.pending_user):
                    key.user_id = key.pending_user = None

    def sessions_of(self, user_id: int) -> int:
        """How many auth keys are currently logged in as the user."""
        with self.lock:
            return sum(1 for key in self._keys.values() if key.user_id == user_id)

    def session_api_ids(self, user_id: int) -> list[int | None]:
        """The api_id each logged-in key of the user declared in ``initConnection`` (None if it never did)."""
        with self.lock:
            return [key.api_id for key in self._keys.values() if key.user_id == user_id]

    def pin_login_code(self, phone: str, code: str) -> None:
        """Every later ``auth.sendCode`` for ``phone`` "sends" this code (the demo server prints it up front)."""
        with self.lock:
            self._pinned_codes[_digits(phone)] = code

    def issue_code(self, phone: str) -> PhoneCode:
        """Draw (or reuse the pinned/fixed) login code for a registered phone and tell ``on_login_code``."""
        code = self._pinned_codes.get(phone) or self._fixed_code or f"{secrets.randbelow(100000):05d}"
        pending = PhoneCode(code=code, phone_code_hash=os.urandom(9).hex())
        self._codes[phone] = pending
        if self.on_login_code is not None:
            self.on_login_code(phone, code)
        return pending

    # endregion

    # region auth keys (used by the server)

    def register_auth_key(self, key: bytes, key_id: int) -> AuthKeyRecord:
        with self.lock:
            record = AuthKeyRecord(key=key, key_id=key_id, salt=int.from_bytes(os.urandom(8), "little", signed=True))
            self._keys[key_id] = record
            return record

    def auth_key(self, key_id: int) -> AuthKeyRecord | None:
        with self.lock:
            return self._keys.get(key_id)

    def forget_auth_key(self, key_id: int) -> None:
        with self.lock:
            self._keys.pop(key_id, None)

    # endregion

    # region fault injection

    def fail(self, request_name: str, error: str, code: int = 400, times: int = 1) -> None:
        """The next ``times`` calls of that request type answer ``rpc_error(code, error)``.

        ``request_name`` is the Telethon class name ("SendMessageRequest"), optionally qualified by its
        namespace ("channels.GetMessagesRequest") where two namespaces share a name.
        """
        with self.lock:
            self._faults.setdefault(request_name, []).extend([(code, error)] * times)

    def drop_after(self, request_name: str, times: int = 1) -> None:
        """The next ``times`` calls are carried out, then the TCP connection is closed instead of answering."""
        with self.lock:
            self._drops[request_name] = self._drops.get(request_name, 0) + times

    def disconnect_all(self) -> None:
        """Close every client connection (a network drop); the server keeps listening and clients reconnect."""
        with self.lock:
            disconnect, loop = self._disconnect, self._loop
        if disconnect is not None and loop is not None:
            loop.call_soon_threadsafe(disconnect)

    def take_fault(self, names: Sequence[str]) -> tuple[int, str] | None:
        for name in names:
            queue = self._faults.get(name)
            if queue:
                return queue.pop(0)
        return None

    def take_drop(self, names: Sequence[str]) -> bool:
        with self.lock:
            for name in names:
                if self._drops.get(name):
                    self._drops[name] -= 1
                    return True
            return False

    def count_request(self, name: str) -> None:
        self._request_counts[name] += 1

    def request_count(self, request_name: str) -> int:
        """How many requests of that type (Telethon class name) the server received."""
        with self.lock:
            return self._request_counts[request_name]

    # endregion

    # region chats

    def add_supergroup(
        self,
        title: str,
        username: str | None = None,
        members: Iterable[int] = (),
        admins: Iterable[int] = (),
        *,
        creator: int | None = None,
        created: int | datetime | None = None,
    ) -> int:
        """A supergroup (``Channel`` with megagroup=True) created by ``creator`` (default: the first account);
        ``created`` (default now) dates the group and its first members, for a world with old history."""
        return self._add_chat("megagroup", title, username, members, admins, creator, created)

    def add_channel(
        self,
        title: str,
        username: str | None = None,
        *,
        subscribers: Iterable[int] = (),
        creator: int | None = None,
        created: int | datetime | None = None,
    ) -> int:
        """A broadcast channel created by ``creator`` (default: the first account), dated ``created``."""
        return self._add_chat("broadcast", title, username, subscribers, (), creator, created)

    def add_basic_group(self, title: str, members: Iterable[int] = (), *, creator: int | None = None) -> int:
        """A basic group (``Chat``) created by ``creator`` (default: the first account)."""
        return self._add_chat("chat", title, None, members, (), creator)

    def _add_chat(
        self,
        kind: str,
        title: str,
        username: str | None,
        members: Iterable[int],
        admins: Iterable[int],
        creator: int | None,
        created: int | datetime | None = None,
    ) -> int:
        with self.lock:
            self._check_username(username)
            creator_id = self._user(creator).id if creator is not None else next(iter(self._accounts), None)
            cid = self._new_entity_id()
            date = to_ts(created) or now_ts()
            chat = ChatRecord(
                id=cid,
                access_hash=_access_hash(cid),
                kind=kind,
                title=title,
                username=username,
                date=date,
                creator_id=creator_id,
            )
            if creator_id is not None:
                chat.members[creator_id] = Member(creator_id, creator_id, date, admin=True, how="creator")
            admin_ids = {self._user(a).id for a in admins}
            for uid in [*members, *admin_ids]:
                user = self._user(uid)
                if user.id not in chat.members:
                    chat.members[user.id] = Member(user.id, creator_id or user.id, date, admin=user.id in admin_ids)
            self._chats[cid] = chat
            self._stores[chat.peer] = MessageStore()
            return cid

    def _user(self, user_id: int) -> UserRecord:
        user = self._users.get(user_id)
        if user is None:
            raise KeyError(f"no user {user_id}")
        return user

    def _chat(self, chat_id: int) -> ChatRecord:
        bare = chat_id
        if chat_id < 0:
            bare = -chat_id - CHANNEL_MARK if -chat_id > CHANNEL_MARK else -chat_id
        chat = self._chats.get(bare)
        if chat is None:
            raise KeyError(f"no group or channel {chat_id}")
        return chat

    def _primary_account(self) -> int:
        if not self._accounts:
            raise ValueError("the world has no account yet")
        return self._accounts[0]

    def _peer_of(self, chat: int, partner: int | None) -> PeerKey:
        """The conversation a world call names: a group/channel, or the private chat of user ``chat``."""
        if chat > 0 and chat in self._users:
            other = partner if partner is not None else self._primary_account()
            if other == chat:
                raise ValueError("a private chat needs two different users")
            return private_key(chat, other)
        return self._chat(chat).peer

    def account_pts(self, account: int) -> int:
        """The account's common pts (private chats and basic groups), as ``updates.getState`` reports it."""
        with self.lock:
            return self._user(account).pts

    def channel_pts(self, channel: int) -> int:
        """A channel's or supergroup's own pts."""
        with self.lock:
            return self._chat(channel).pts

    def input_peer(self, entity: int) -> Any:
        """The InputPeer a client would use for a user, basic group or channel (with its access hash)."""
        with self.lock:
            if entity > 0 and entity in self._users:
                user = self._users[entity]
                return types.InputPeerUser(user.id, user.access_hash)
            chat = self._chat(entity)
            return (
                types.InputPeerChannel(chat.id, chat.access_hash) if chat.is_channel else types.InputPeerChat(chat.id)
            )

    def members(self, group: int) -> list[int]:
        with self.lock:
            return sorted(self._chat(group).members)

    def pending_join_requests(self, group: int) -> list[int]:
        with self.lock:
            return list(self._chat(group).join_requests)

    # endregion

    # region messages (test side)

    def send(
        self,
        chat: int,
        sender_id: int,
        text: str,
        *,
        reply_to: int | None = None,
        date: int | datetime | None = None,
        media: MediaSpec | None = None,
    ) -> int:
        """A message from ``sender_id`` in group/channel ``chat``; if ``chat`` is a user id, a private message
        between that user and the sender (``send(account, user, ...)`` is the user writing to the account).
        Pushed to the connected sessions of every account that sees it; returns the message id."""
        with self.lock:
            peer = self._peer_of(chat, sender_id)
            self._check_can_send(peer, sender_id)
            message, _ = self.create_message(
                peer, sender_id, text, reply_to=reply_to, date=to_ts(date) or None, media=self._make_media(media)
            )
        self.run_account_hooks()
        return message.id

    def send_private(
        self,
        user_id: int,
        text: str,
        *,
        account: int | None = None,
        reply_to: int | None = None,
        date: int | datetime | None = None,
        media: MediaSpec | None = None,
    ) -> int:
        """User ``user_id`` writes privately to ``account`` (default: the first account)."""
        with self.lock:
            target = account if account is not None else self._primary_account()
        return self.send(target, user_id, text, reply_to=reply_to, date=date, media=media)

    def post(
        self,
        channel: int,
        text: str,
        *,
        views: int = 1,
        reply_to: int | None = None,
        date: int | datetime | None = None,
        media: MediaSpec | None = None,
    ) -> int:
        """A post in broadcast channel ``channel`` (no sender shown, ``views`` set); returns its id."""
        with self.lock:
            chat = self._chat(channel)
            if chat.kind != "broadcast":
                raise ValueError("post() is for broadcast channels; use send() for groups")
            message, _ = self.create_message(
                chat.peer,
                None,
                text,
                reply_to=reply_to,
                date=to_ts(date) or None,
                media=self._make_media(media),
                post=True,
                views=views,
            )
            return message.id

    def _check_can_send(self, peer: PeerKey, sender_id: int) -> None:
        self._user(sender_id)
        if peer[0] == "user":
            if not any(self._users[uid].account for uid in peer[1:]):
                raise ValueError("a private chat needs an account on one side")
            return
        chat = self._chats[peer[1]]
        if chat.kind == "broadcast":
            raise ValueError("use post() for broadcast channels")
        if sender_id not in chat.members:
            raise ValueError(f"user {sender_id} is not a member of {chat.title!r}")
        if chat.is_muted(sender_id, now_ts()):
            raise ValueError(f"user {sender_id} is muted in {chat.title!r}")

    def _make_media(self, spec: MediaSpec | None, date: int | None = None) -> Media | None:
        """("voice", data, duration_s[, mime_type]) | ("photo", data[, mime_type]) | ("document", data, file_name,
        mime_type). Telegram's own types are audio/ogg and image/jpeg; the simulation sends WAV and PNG."""
        if spec is None:
            return None
        kind, data = spec[0], bytes(spec[1])
        self._next_file_id += 1
        fid = self._next_file_id
        when = date or now_ts()
        if kind == "voice":
            duration = int(spec[2]) if len(spec) > 2 else max(1, len(data) // 2000)
            mime = str(spec[3]) if len(spec) > 3 else "audio/ogg"
            media = Media(fid, _access_hash(fid), "voice", data, when, mime, duration=duration)
        elif kind == "photo":
            media = Media(fid, _access_hash(fid), "photo", data, when, str(spec[2]) if len(spec) > 2 else "image/jpeg")
        elif kind == "document":
            media = Media(fid, _access_hash(fid), "document", data, when, str(spec[3]), file_name=str(spec[2]))
        else:
            raise ValueError(f"unknown media kind {kind!r}")
        self._files[fid] = media
        return media

    def file(self, file_id: int) -> Media | None:
        return self._files.get(file_id)

    def edit(self, chat: int, msg_id: int, text: str, *, account: int | None = None) -> None:
        """Edit a message (as its sender would): sets edit_date, pushes UpdateEdit(Channel)Message."""
        with self.lock:
            peer = self._peer_of(chat, account)
            message = self.lookup(peer, msg_id)
            if message is None:
                raise KeyError(f"no message {msg_id} in {chat}")
            self.edit_message(message, text)

    def delete(self, chat: int, ids: int | Iterable[int], *, account: int | None = None, by: int | None = None) -> None:
        """Delete messages for everyone: pushes UpdateDelete(Channel)Messages. ``by``: an admin deleting
        other members' messages (from a phone), which the admin log records."""
        with self.lock:
            peer = self._peer_of(chat, account)
            wanted = [ids] if isinstance(ids, int) else list(ids)
            messages = [m for m in (self.lookup(peer, i) for i in wanted) if m is not None]
            if by is not None and peer[0] == "channel":
                self.log_deletions(self._chats[peer[1]], by, messages)
            if messages:
                self.delete_messages(peer, [m.id for m in messages])

    def log_deletions(self, chat: ChatRecord, by: int, messages: Iterable[StoredMessage]) -> None:
        """An admin deleted others' messages: one admin-log event each, with the message as it was."""
        for message in messages:
            if message.sender_id != by:
                self.log_admin_action(
                    chat, by, types.ChannelAdminLogEventActionDeleteMessage(message=self.render_message(message, by))
                )

    def set_views(self, channel: int, msg_id: int, views: int) -> None:
        """Set a channel post's view counter (served by messages.getMessagesViews and history)."""
        with self.lock:
            message = self.lookup(self._chat(channel).peer, msg_id)
            if message is None:
                raise KeyError(f"no message {msg_id} in {channel}")
            message.views = views
            message.cache.clear()

    def add_history(self, chat: int, rows: Iterable[HistoryRow], *, account: int | None = None) -> list[int]:
        """Append old messages fast, without pushing and without pts steps (history that predates every
        client's update state). Rows are (sender_id, text, date, reply_to), optionally with a media spec as a
        fifth item (as ``send`` takes it); a private ``chat`` (a user id) is the conversation with ``account``
        (default: the first account); sender None in a channel makes a post. Returns the new ids in order."""
        with self.lock:
            peer = self._peer_of(chat, account)
            store = self._stores.setdefault(peer, MessageStore())
            channel = self._chats[peer[1]] if peer[0] == "channel" else None
            broadcast = channel is not None and channel.kind == "broadcast"
            ids_list, by_id, index = store.ids, store.by_id, self._common_index
            first = next_id = channel.next_msg_id if channel is not None else self._common_msg_id + 1
            last = ids_list[-1] if ids_list else 0
            for row in rows:
                sender_id, text, date, reply_to = row[0], row[1], row[2], row[3]
                ts = date if isinstance(date, int) else to_ts(date) or now_ts()
                media = self._make_media(row[4], ts) if len(row) > 4 else None
                message = StoredMessage(
                    next_id,
                    peer,
                    sender_id,
                    ts,
                    text,
                    reply_to,
                    media,
                    None,
                    None,
                    None,
                    1 if broadcast else None,
                    broadcast and sender_id is None,
                )
                if next_id <= last:
                    raise ValueError("message ids must increase")
                ids_list.append(next_id)
                by_id[next_id] = message
                if channel is None:
                    index[next_id] = message
                last = next_id
                next_id += 1
            self._touch(peer)
            if channel is not None:
                channel.next_msg_id = next_id
            else:
                self._common_msg_id = next_id - 1
            return list(range(first, next_id))

    def add_history_service(
        self,
        chat: int,
        actor: int,
        action: str,
        date: int | datetime,
        *,
        users: Iterable[int] = (),
        inviter: int | None = None,
    ) -> int:
        """Append one old membership service message to a group's history, like ``add_history`` (no push, no
        pts step), so imported-looking history has its joins and leaves. ``action``: "join" (``actor`` added
        themself), "add" (``actor`` added ``users``), "link" (``actor`` joined by ``inviter``'s link, default
        the creator), "request" (``actor`` joined by an approved request), "leave" (``actor`` left) or
        "remove" (``actor`` removed ``users``). Membership itself is not changed (history is the past; set
        who is a member now when creating the group), except that a member who joined here gets this date as
        their join date. Returns the message id."""
        with self.lock:
            group = self._chat(chat)
            if group.kind == "broadcast":
                raise ValueError("broadcast channels show no membership service messages")
            uid = self._user(actor).id
            targets = [self._user(u).id for u in users]
            ts = to_ts(date)
            if action in ("add", "remove") and not targets:
                raise ValueError(f"action {action!r} needs users=")
            tl: Any
            if action == "join":
                tl, joined = types.MessageActionChatAddUser(users=[uid]), [uid]
            elif action == "add":
                tl, joined = types.MessageActionChatAddUser(users=targets), targets
            elif action == "link":
                by = inviter if inviter is not None else group.creator_id or uid
                tl, joined = types.MessageActionChatJoinedByLink(inviter_id=by), [uid]
            elif action == "request":
                tl, joined = types.MessageActionChatJoinedByRequest(), [uid]
            elif action == "leave":
                tl, joined = types.MessageActionChatDeleteUser(user_id=uid), []
            elif action == "remove":
                tl, joined = types.MessageActionChatDeleteUser(user_id=targets[0]), []
            else:
                raise ValueError(f"unknown history action {action!r}; one of {', '.join(HISTORY_ACTIONS)}")
            store = self._stores[group.peer]
            msg_id = group.next_msg_id
            if store.ids and msg_id <= store.ids[-1]:
                raise ValueError("message ids must increase")
            group.next_msg_id += 1
            store.append(StoredMessage(msg_id, group.peer, uid, ts, "", action=tl))
            for joiner in joined:
                member = group.members.get(joiner)
                if member is not None and member.how != "creator":
                    member.date, member.how = ts, "self" if action in ("join", "add") else action
            self._touch(group.peer)
            return msg_id

    def next_message_id(self, chat: int, *, account: int | None = None) -> int:
        """The id the next message of the conversation will get (private chats and basic groups share one
        counter), so history with replies can be built before it is added."""
        with self.lock:
            peer = self._peer_of(chat, account)
            return self._chats[peer[1]].next_msg_id if peer[0] == "channel" else self._common_msg_id + 1

    def run_account_hooks(self) -> None:
        """Tell ``on_account_message`` about the accounts' messages stored since the last call. Called by
        ``send`` and by the server after each request, once the world lock is released, so the hook may call
        back into the world (or wait for a thread that does) without deadlocking."""
        with self.lock:
            pending, self._account_messages = self._account_messages, []
            hook = self.on_account_message
        if hook is None:
            return
        for chat, message in pending:
            try:
                hook(chat, message)
            except Exception:
                log.exception("fake Telegram: on_account_message failed")

    # endregion

    # region membership (test side)

    def join(self, group: int, user: int, how: str = "self", by: int | None = None) -> int:
        """``user`` joins: "self" (MessageActionChatAddUser from the user), "added" (the same action from
        ``by``), "link" (MessageActionChatJoinedByLink, inviter ``by`` or the creator) or "request"
        (MessageActionChatJoinedByRequest). Returns the service message id (0 in a broadcast channel)."""
        with self.lock:
            return self.add_member(self._chat(group), self._user(user).id, how, by)

    def leave(self, group: int, user: int) -> int:
        """``user`` leaves: MessageActionChatDeleteUser from the user; returns the service message id."""
        with self.lock:
            return self.remove_member(self._chat(group), self._user(user).id, self._user(user).id)

    def remove(self, group: int, user: int, by: int) -> int:
        """``by`` removes ``user``: MessageActionChatDeleteUser from ``by``; returns the service message id."""
        with self.lock:
            return self.remove_member(self._chat(group), self._user(user).id, self._user(by).id)

    def log_admin_action(self, chat: ChatRecord, admin: int, action: Any) -> int:
        """Append to the chat's admin log (supergroups and channels keep one); returns the event id."""
        self._admin_events += 1
        chat.admin_log.append((self._admin_events, now_ts(), admin, action))
        return self._admin_events

    def restrict(
        self, group: int, user: int, by: int, *, until: int = 0, view_messages: bool = True, send_messages: bool = True
    ) -> None:
        """``by`` (an admin, from a phone: not through this server's RPC) bans, mutes or lifts a member's
        restrictions as channels.editBanned would, with the service message and the admin-log event."""
        with self.lock:
            chat = self._chat(group)
            uid = self._user(user).id
            self.apply_ban(chat, uid, self._user(by).id, until, view_messages, send_messages)

    def apply_ban(
        self,
        chat: ChatRecord,
        uid: int,
        by: int,
        until: int,
        view_messages: bool,
        send_messages: bool,
        *,
        exclude_conn: int | None = None,
    ) -> int:
        """What channels.editBanned does; returns the removal's service message id (0: none)."""
        was_banned = uid in chat.banned or uid in chat.muted
        chat.restrictions.append((uid, until, view_messages, send_messages))
        if send_messages and not view_messages:
            chat.muted[uid] = until
        else:
            chat.muted.pop(uid, None)
        message_id = 0
        if view_messages:
            chat.banned.add(uid)
            chat.join_requests.pop(uid, None)
            if uid in chat.members:
                message_id = self.remove_member(chat, uid, by, exclude_conn=exclude_conn)
        else:
            chat.banned.discard(uid)
        rights = types.ChatBannedRights(
            until_date=to_dt(until) if until else None,
            view_messages=view_messages or None,
            send_messages=send_messages or None,
        )
        peer = types.PeerUser(uid)
        date = to_dt(now_ts())
        banned = types.ChannelParticipantBanned(peer=peer, kicked_by=by, date=date, banned_rights=rights)
        plain = types.ChannelParticipant(user_id=uid, date=date)
        if view_messages or send_messages:
            action = types.ChannelAdminLogEventActionParticipantToggleBan(
                prev_participant=plain, new_participant=banned
            )
        elif was_banned:
            action = types.ChannelAdminLogEventActionParticipantToggleBan(
                prev_participant=types.ChannelParticipantBanned(
                    peer=peer, kicked_by=by, date=date, banned_rights=types.ChatBannedRights(until_date=None)
                ),
                new_participant=plain,
            )
        else:
            return message_id
        self.log_admin_action(chat, by, action)
        return message_id

    def request_join(self, group: int, user: int) -> None:
        """``user`` asks to join (a join-request link): kept pending and announced with
        UpdatePendingJoinRequests to the group's admins."""
        with self.lock:
            chat = self._chat(group)
            uid = self._user(user).id
            if uid in chat.members:
                raise ValueError("already a member")
            chat.join_requests[uid] = now_ts()
            self.push_join_requests(chat)

    def add_member(
        self,
        chat: ChatRecord,
        uid: int,
        how: str,
        by: int | None,
        *,
        exclude_conn: int | None = None,
        announce_requests: bool = True,
    ) -> int:
        if uid in chat.members:
            raise ValueError(f"user {uid} is already a member of {chat.title!r}")
        if how not in ("self", "added", "link", "request"):
            raise ValueError(f"unknown join kind {how!r}")
        if how == "added" and by is None:
            raise ValueError("join(how='added') needs by=")
        inviter = by if by is not None else (chat.creator_id if how in ("link", "request") else uid) or uid
        # A pending request handled elsewhere (a phone, another admin): Telegram tells the admins the new count.
        was_pending = chat.join_requests.pop(uid, None) is not None
        chat.banned.discard(uid)
        chat.members[uid] = Member(uid, inviter, now_ts(), how=how)
        chat.version += 1
        self._entity_cache.clear()
        if chat.kind == "broadcast":
            if was_pending and announce_requests:
                self.push_join_requests(chat)
            return 0
        action: Any
        sender = uid
        if how == "self":
            action = types.MessageActionChatAddUser(users=[uid])
        elif how == "added":
            action, sender = types.MessageActionChatAddUser(users=[uid]), inviter
        elif how == "link":
            action = types.MessageActionChatJoinedByLink(inviter_id=inviter)
        else:
            action = types.MessageActionChatJoinedByRequest()
        message, _ = self.create_message(chat.peer, sender, "", action=action, exclude_conn=exclude_conn)
        if was_pending and announce_requests:
            self.push_join_requests(chat)
        return message.id

    def remove_member(self, chat: ChatRecord, uid: int, by: int, *, exclude_conn: int | None = None) -> int:
        if uid not in chat.members:
            raise ValueError(f"user {uid} is not a member of {chat.title!r}")
        message_id = 0
        if chat.kind != "broadcast":
            action = types.MessageActionChatDeleteUser(user_id=uid)
            message, _ = self.create_message(chat.peer, by, "", action=action, exclude_conn=exclude_conn)
            message_id = message.id
        del chat.members[uid]
        chat.version += 1
        self._entity_cache.clear()
        return message_id

    def push_join_requests(self, chat: ChatRecord, exclude_conn: int | None = None) -> Any:
        """Announce the pending join requests to admin accounts; returns the update for an RPC answer."""
        recent = list(chat.join_requests)[-3:][::-1]
        peer = types.PeerChannel(chat.id) if chat.is_channel else types.PeerChat(chat.id)
        update = types.UpdatePendingJoinRequests(
            peer=peer, requests_pending=len(chat.join_requests), recent_requesters=recent
        )
        for viewer in self.accounts_seeing(chat.peer):
            if chat.is_admin(viewer.id):
                users = [self.render_user(self._users[u], viewer.id) for u in recent]
                self._emit(
                    viewer.id,
                    types.Updates(
                        updates=[update],
                        users=users,
                        chats=[self.render_chat(chat, viewer.id)],
                        date=to_dt(now_ts()),
                        seq=0,
                    ),
                    exclude_conn,
                )
        return update

    # endregion

    # region assertions

    def messages_in(self, chat: int, *, account: int | None = None) -> list[Any]:
        """The conversation's messages, oldest first, as real TL ``Message``/``MessageService`` objects seen by
        ``account`` (default: the first account)."""
        with self.lock:
            viewer = account if account is not None else self._primary_account()
            store = self._stores.get(self._peer_of(chat, viewer))
            return [self.render_message(m, viewer) for m in store.all()] if store is not None else []

    def sent_by_account(self, chat: int, *, account: int | None = None) -> list[Any]:
        """The (non-service) messages ``account`` (default: the first account) sent in the conversation, oldest
        first: what an app under test actually posted."""
        with self.lock:
            viewer = account if account is not None else self._primary_account()
            store = self._stores.get(self._peer_of(chat, viewer))
            if store is None:
                return []
            return [self.render_message(m, viewer) for m in store.all() if m.sender_id == viewer and m.action is None]

    def message(self, chat: int, msg_id: int, *, account: int | None = None) -> Any | None:
        """One message as ``account`` sees it, or None if it does not exist (any more)."""
        with self.lock:
            viewer = account if account is not None else self._primary_account()
            message = self.lookup(self._peer_of(chat, viewer), msg_id)
            return self.render_message(message, viewer) if message is not None else None

    # endregion

    # region core mutations (shared by the test API and RPC handlers; caller holds the lock)

    def lookup(self, peer: PeerKey, msg_id: int) -> StoredMessage | None:
        if peer[0] == "channel":
            store = self._stores.get(peer)
            return store.get(msg_id) if store is not None else None
        message = self._common_index.get(msg_id)
        return message if message is not None and message.peer == peer else None

    def _touch(self, peer: PeerKey) -> None:
        self._activity_seq += 1
        self._activity[peer] = self._activity_seq

    def activity(self, peer: PeerKey) -> int:
        """Dialog order tie-breaker: which conversation got a message last (dates have 1 s resolution)."""
        return self._activity.get(peer, 0)

    def store(self, peer: PeerKey) -> MessageStore:
        return self._stores.setdefault(peer, MessageStore())

    def create_message(
        self,
        peer: PeerKey,
        sender_id: int | None,
        text: str,
        *,
        reply_to: int | None = None,
        date: int | None = None,
        media: Media | None = None,
        action: Any = None,
        entities: list[Any] | None = None,
        post: bool = False,
        views: int | None = None,
        exclude_conn: int | None = None,
    ) -> tuple[StoredMessage, dict[int, tuple[int, int]]]:
        """Store a new message, log its pts step for everyone who sees it and push it. Returns the message and
        {account id: (pts, pts_count)} for the accounts whose sequence it advanced."""
        channel = self._chats[peer[1]] if peer[0] == "channel" else None
        if channel is not None:
            msg_id = channel.next_msg_id
            channel.next_msg_id += 1
        else:
            self._common_msg_id += 1
            msg_id = self._common_msg_id
        if reply_to is not None and self.lookup(peer, reply_to) is None:
            reply_to = None  # Telegram drops a reply to a message that does not exist
        message = StoredMessage(
            id=msg_id,
            peer=peer,
            sender_id=sender_id,
            date=date or now_ts(),
            text=text,
            reply_to=reply_to,
            media=media,
            action=action,
            entities=entities or None,
            views=views,
            post=post,
        )
        self.store(peer).append(message)
        if channel is None:
            self._common_index[msg_id] = message
        self._touch(peer)
        steps = self.record(peer, "new", (msg_id,), exclude_conn=exclude_conn)
        if self.on_account_message is not None and action is None and sender_id is not None:
            sender = self._users.get(sender_id)
            if sender is not None and sender.account:
                chat_id = (peer[2] if peer[1] == sender_id else peer[1]) if peer[0] == "user" else peer[1]
                self._account_messages.append((chat_id, self.render_message(message, sender_id)))
        return message, steps

    def edit_message(
        self, message: StoredMessage, text: str, *, exclude_conn: int | None = None
    ) -> dict[int, tuple[int, int]]:
        message.text = text
        message.edit_date = now_ts()
        message.cache.clear()
        return self.record(message.peer, "edit", (message.id,), exclude_conn=exclude_conn)

    def delete_messages(
        self, peer: PeerKey, ids: list[int], *, exclude_conn: int | None = None
    ) -> dict[int, tuple[int, int]]:
        store = self._stores[peer]
        for msg_id in ids:
            store.remove(msg_id)
            if peer[0] != "channel":
                self._common_index.pop(msg_id, None)
        return self.record(peer, "delete", tuple(ids), exclude_conn=exclude_conn)

    def accounts_seeing(self, peer: PeerKey) -> list[UserRecord]:
        """Accounts that get updates about ``peer``: the account side(s) of a private chat, member accounts."""
        if peer[0] == "user":
            return [self._users[uid] for uid in dict.fromkeys(peer[1:]) if self._users[uid].account]
        chat = self._chats[peer[1]]
        return [self._users[uid] for uid in chat.members if self._users[uid].account]

    def record(
        self,
        peer: PeerKey,
        kind: str,
        ids: tuple[int, ...],
        *,
        exclude_conn: int | None = None,
        only: UserRecord | None = None,
        max_id: int = 0,
    ) -> dict[int, tuple[int, int]]:
        """Advance the pts sequence(s) that ``peer`` belongs to, log the event and push it to its viewers."""
        count = len(ids) if kind == "delete" else 1
        now = now_ts()
        viewers = [only] if only is not None else self.accounts_seeing(peer)
        steps: dict[int, tuple[int, int]] = {}
        if peer[0] == "channel":
            chat = self._chats[peer[1]]
            chat.pts += count
            chat.last_event = now
            event = Event(chat.pts, count, kind, peer, ids, now, max_id)
            chat.events.append(event)
            for viewer in viewers:
                steps[viewer.id] = (chat.pts, count)
                self._push_event(viewer, event, exclude_conn)
        else:
            for viewer in viewers:
                viewer.pts += count
                event = Event(viewer.pts, count, kind, peer, ids, now, max_id)
                viewer.events.append(event)
                steps[viewer.id] = (viewer.pts, count)
                self._push_event(viewer, event, exclude_conn)
        return steps

    def _push_event(self, viewer: UserRecord, event: Event, exclude_conn: int | None) -> None:
        if self._push is None:
            return
        update, messages = self.update_for_event(viewer.id, event)
        if update is None:
            return
        users, chats = self.entities_for(messages, viewer.id, peers=[event.peer])
        self._emit(
            viewer.id,
            types.Updates(updates=[update], users=users, chats=chats, date=to_dt(now_ts()), seq=0),
            exclude_conn,
        )

    def update_for_event(self, viewer: int, event: Event) -> tuple[Any, list[StoredMessage]]:
        """The Update an event is announced with, rendered from the message's current state."""
        channel = event.peer[0] == "channel"
        if event.kind in ("new", "edit"):
            message = self.lookup(event.peer, event.ids[0])
            if message is None:
                return None, []
            rendered = self.render_message(message, viewer)
            if event.kind == "new":
                cls = types.UpdateNewChannelMessage if channel else types.UpdateNewMessage
            else:
                cls = types.UpdateEditChannelMessage if channel else types.UpdateEditMessage
            return cls(message=rendered, pts=event.pts, pts_count=event.count), [message]
        if event.kind == "delete":
            if channel:
                return (
                    types.UpdateDeleteChannelMessages(
                        channel_id=event.peer[1], messages=list(event.ids), pts=event.pts, pts_count=event.count
                    ),
                    [],
                )
            return types.UpdateDeleteMessages(messages=list(event.ids), pts=event.pts, pts_count=event.count), []
        if event.kind == "read":
            return (
                types.UpdateReadHistoryInbox(
                    peer=self.peer_for(event.peer, viewer),
                    max_id=event.max_id,
                    still_unread_count=0,
                    pts=event.pts,
                    pts_count=event.count,
                ),
                [],
            )
        raise ValueError(f"unknown event kind {event.kind}")

    # endregion

    # region rendering (caller holds the lock)

    def peer_for(self, peer: PeerKey, viewer: int) -> Any:
        kind, a, b = peer
        if kind == "user":
            return types.PeerUser(b if a == viewer else a)
        if kind == "chat":
            return types.PeerChat(a)
        return types.PeerChannel(a)

    def render_message(self, m: StoredMessage, viewer: int) -> Any:
        """The TL message ``viewer`` sees (``out`` and the private peer depend on who looks)."""
        out = m.sender_id is not None and m.sender_id == viewer
        if m.post:
            from_id = None
        elif m.peer[0] == "user":
            from_id = types.PeerUser(m.sender_id) if out and m.sender_id is not None else None
        else:
            from_id = types.PeerUser(m.sender_id) if m.sender_id is not None else None
        peer_id = self.peer_for(m.peer, viewer)
        reply = types.MessageReplyHeader(reply_to_msg_id=m.reply_to) if m.reply_to else None
        if m.action is not None:
            return types.MessageService(
                id=m.id,
                peer_id=peer_id,
                date=to_dt(m.date),
                action=m.action,
                out=out,
                from_id=from_id,
                reply_to=reply,
                post=m.post or None,
            )
        return types.Message(
            id=m.id,
            peer_id=peer_id,
            date=to_dt(m.date),
            message=m.text,
            out=out,
            post=m.post or None,
            from_id=from_id,
            reply_to=reply,
            media=self.render_media(m.media),
            entities=m.entities,
            views=m.views,
            forwards=0 if m.views is not None else None,
            edit_date=to_dt(m.edit_date) if m.edit_date else None,
        )

    def message_bytes(self, m: StoredMessage, viewer: int) -> RawTL:
        data = m.cache.get(viewer)
        if data is None:
            data = m.cache[viewer] = bytes(self.render_message(m, viewer))
        return RawTL(data)

    def render_media(self, media: Media | None) -> Any:
        if media is None:
            return None
        reference = b"\x02fake" + media.file_id.to_bytes(8, "little")
        if media.kind == "photo":
            size = types.PhotoSize(type="x", w=800, h=600, size=len(media.data))
            photo = types.Photo(
                id=media.file_id,
                access_hash=media.access_hash,
                file_reference=reference,
                date=to_dt(media.date),
                sizes=[size],
                dc_id=self.dc_id,
            )
            return types.MessageMediaPhoto(photo=photo)
        if media.kind == "voice":
            attributes: list[Any] = [types.DocumentAttributeAudio(duration=media.duration, voice=True)]
        else:
            attributes = [types.DocumentAttributeFilename(file_name=media.file_name or "file")]
        document = types.Document(
            id=media.file_id,
            access_hash=media.access_hash,
            file_reference=reference,
            date=to_dt(media.date),
            mime_type=media.mime_type,
            size=len(media.data),
            dc_id=self.dc_id,
            attributes=attributes,
        )
        return types.MessageMediaDocument(document=document, voice=media.kind == "voice" or None)

    def render_user(self, u: UserRecord, viewer: int) -> Any:
        is_self = u.id == viewer
        return types.User(
            id=u.id,
            is_self=is_self,
            bot=u.bot,
            access_hash=u.access_hash,
            first_name=u.first_name,
            last_name=u.last_name,
            username=u.username,
            phone=u.phone if is_self else None,
            status=None if u.bot else types.UserStatusRecently(),
            bot_info_version=1 if u.bot else None,
        )

    def render_chat(self, c: ChatRecord, viewer: int) -> Any:
        member = c.members.get(viewer)
        creator = c.creator_id == viewer
        rights = types.ChatAdminRights(**_ADMIN_RIGHTS, post_messages=c.kind == "broadcast" or None)
        admin = member is not None and member.admin and not creator
        if c.kind == "chat":
            return types.Chat(
                id=c.id,
                title=c.title,
                photo=types.ChatPhotoEmpty(),
                participants_count=len(c.members),
                date=to_dt(c.date),
                version=c.version,
                creator=creator,
                left=member is None,
                admin_rights=rights if admin else None,
            )
        return types.Channel(
            id=c.id,
            title=c.title,
            photo=types.ChatPhotoEmpty(),
            date=to_dt(member.date if member else c.date),
            creator=creator,
            left=member is None,
            broadcast=c.kind == "broadcast",
            megagroup=c.kind == "megagroup",
            access_hash=c.access_hash,
            username=c.username,
            admin_rights=rights if creator or admin else None,
            participants_count=len(c.members),
        )

    def entity_raw(self, kind: str, entity_id: int, viewer: int) -> RawTL:
        """Serialized user/chat for ``viewer``, cached until membership changes (history pages repeat them)."""
        key = (kind, entity_id, viewer)
        data = self._entity_cache.get(key)
        if data is None:
            if kind == "user":
                rendered = self.render_user(self._users[entity_id], viewer)
            else:
                rendered = self.render_chat(self._chats[entity_id], viewer)
            data = self._entity_cache[key] = bytes(rendered)
        return RawTL(data)

    def entities_for(
        self,
        messages: Iterable[StoredMessage],
        viewer: int,
        *,
        peers: Iterable[PeerKey] = (),
        user_ids: Iterable[int] = (),
        raw: bool = False,
    ) -> tuple[list[Any], list[Any]]:
        """The users and chats a client needs to make sense of ``messages`` (senders, peers, action users)."""
        uids: dict[int, None] = dict.fromkeys(user_ids)
        cids: dict[int, None] = {}
        for peer in peers:
            if peer[0] == "user":
                uids.update(dict.fromkeys(peer[1:]))
            else:
                cids[peer[1]] = None
        last_peer: PeerKey | None = None
        for m in messages:
            if m.peer != last_peer:
                last_peer = m.peer
                if m.peer[0] == "user":
                    uids.update(dict.fromkeys(m.peer[1:]))
                else:
                    cids[m.peer[1]] = None
            if m.sender_id is not None:
                uids[m.sender_id] = None
            if m.action is not None:
                for attr in ("users",):
                    uids.update(dict.fromkeys(getattr(m.action, attr, None) or ()))
                for attr in ("user_id", "inviter_id"):
                    value = getattr(m.action, attr, None)
                    if value:
                        uids[value] = None
        if raw:
            users = [self.entity_raw("user", u, viewer) for u in uids if u in self._users]
            chats = [self.entity_raw("chat", c, viewer) for c in cids if c in self._chats]
        else:
            users = [self.render_user(self._users[u], viewer) for u in uids if u in self._users]
            chats = [self.render_chat(self._chats[c], viewer) for c in cids if c in self._chats]
        return users, chats

    # endregion
