"""The fake Telegram server, exercised only through a real Telethon client over TCP loopback.

If these pass, the connector's tests against the fake exercise Telethon's real code paths: handshake,
encryption, login errors, update gaps and catch-up, history paging, downloads and fault injection.
"""

from __future__ import annotations

import asyncio
import signal
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import telethon.crypto.rsa as telethon_rsa
from telethon import TelegramClient, errors, events, functions, types, utils
from telethon.sessions import StringSession

from fake_telegram import (
    FakeTelegram,
    ServerAddress,
    public_key_pem,
    running_server,
    serve,
)
from fake_telegram.rpc import Api, CallContext
from fake_telegram.server import serialize_result

API_ID = 611335
API_HASH = "d524b414d21f4d37f08684c1df41ac9c"
PHONE = "+15550100001"
PHONE_2FA = "+15550100002"
PASSWORD = "correct horse"
WAIT = 5.0


@pytest.fixture(scope="module", autouse=True)
def _trust_test_key() -> None:
    telethon_rsa.add_key(public_key_pem(), old=False)


@pytest.fixture
def world() -> Iterator[FakeTelegram]:
    w = FakeTelegram()
    w.add_app(API_ID, API_HASH)
    yield w
    assert w.server_errors == []


@pytest.fixture
def address(world: FakeTelegram) -> Iterator[ServerAddress]:
    with running_server(world) as addr:
        yield addr


def make_client(
    address: ServerAddress, session: Any = None, *, api_id: int = API_ID, api_hash: str = API_HASH, **kwargs: Any
) -> TelegramClient:
    client = TelegramClient(
        session if session is not None else StringSession(),
        api_id,
        api_hash,
        flood_sleep_threshold=0,
        **{"receive_updates": True, **kwargs},
    )
    client.session.set_dc(address.dc_id, address.host, address.port)
    return client


async def login(client: TelegramClient, world: FakeTelegram, phone: str = PHONE, *, dialogs: bool = False) -> Any:
    """Log in with the code the world "sent"; ``dialogs`` also loads the dialogs, which is how a client
    learns the access hashes of its chats and their members, as the app does at start."""
    if not client.is_connected():
        await client.connect()
    await client.send_code_request(phone)
    me = await client.sign_in(phone, world.login_code(phone))
    if dialogs:
        await client.get_dialogs()
    return me


def run(coro: Awaitable[Any]) -> Any:
    return asyncio.run(coro)  # type: ignore[arg-type]


async def eventually(predicate: Callable[[], bool], timeout: float = WAIT) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("condition not reached in time")
        await asyncio.sleep(0.02)


# region login


def test_login_with_code_binds_the_key_to_the_account(world: FakeTelegram, address: ServerAddress) -> None:
    account = world.add_account(PHONE, "Help", "Desk", username="helpdesk")

    async def main() -> None:
        client = make_client(address)
        await client.connect()
        assert not await client.is_user_authorized()
        me = await login(client, world)
        assert (me.id, me.first_name, me.username, me.phone) == (account, "Help", "helpdesk", PHONE[1:])
        again = await client.get_me()
        assert again.is_self and again.id == account
        await client.disconnect()

    run(main())
    assert world.sessions_of(account) == 1 and world.session_api_ids(account) == [API_ID]


def test_login_with_two_step_password_verifies_the_srp_proof(world: FakeTelegram, address: ServerAddress) -> None:
    account = world.add_account(PHONE_2FA, "Guarded", password=PASSWORD)

    async def main() -> None:
        client = make_client(address)
        await client.connect()
        await client.send_code_request(PHONE_2FA)
        with pytest.raises(errors.SessionPasswordNeededError):
            await client.sign_in(PHONE_2FA, world.login_code(PHONE_2FA))
        assert await client.get_me() is None  # not logged in between code and password
        with pytest.raises(errors.PasswordHashInvalidError):
            await client.sign_in(password="wrong horse")
        me = await client.sign_in(password=PASSWORD)
        assert me.id == account
        await client.disconnect()

    run(main())
    assert world.sessions_of(account) == 1


def test_login_errors(world: FakeTelegram, address: ServerAddress) -> None:
    world.add_account(PHONE, "Help")

    async def main() -> None:
        stranger = make_client(address, api_id=1, api_hash="nope")
        await stranger.connect()
        with pytest.raises(errors.ApiIdInvalidError):
            await stranger.send_code_request(PHONE)
        await stranger.disconnect()

        client = make_client(address)
        await client.connect()
        with pytest.raises(errors.PhoneNumberInvalidError):
            await client.send_code_request("+15559999999")
        with pytest.raises(errors.PhoneNumberInvalidError):
            await client(functions.auth.SendCodeRequest("555-abc", API_ID, API_HASH, types.CodeSettings()))

        await client.send_code_request(PHONE)
        code = world.login_code(PHONE)
        with pytest.raises(errors.PhoneCodeInvalidError):
            await client.sign_in(PHONE, "0" if code != "0" else "1")
        world.expire_code(PHONE)
        with pytest.raises(errors.PhoneCodeExpiredError):
            await client.sign_in(PHONE, code)

        await client.send_code_request(PHONE)  # a fresh code works again
        assert (await client.sign_in(PHONE, world.login_code(PHONE))).first_name == "Help"
        await client.disconnect()

    run(main())


def test_logout_and_revoked_sessions_get_auth_key_unregistered(world: FakeTelegram, address: ServerAddress) -> None:
    account = world.add_account(PHONE, "Help")

    async def main() -> None:
        client = make_client(address)
        await login(client, world)
        saved = client.session.save()
        assert await client.log_out()
        assert world.sessions_of(account) == 0

        stale = make_client(address, StringSession(saved))
        await stale.connect()
        assert not await stale.is_user_authorized()
        with pytest.raises(errors.AuthKeyUnregisteredError):
            await stale(functions.updates.GetStateRequest())
        await stale.disconnect()

        first, second = make_client(address), make_client(address)
        await login(first, world)
        await login(second, world)
        assert world.sessions_of(account) == 2
        world.revoke_sessions(account)
        for client in (first, second):
            with pytest.raises(errors.AuthKeyUnregisteredError):
                await client(functions.messages.GetDialogsRequest(None, 0, types.InputPeerEmpty(), 10, 0))
            await client.disconnect()

    run(main())


def test_reconnecting_with_a_saved_string_session_reuses_the_key(world: FakeTelegram, address: ServerAddress) -> None:
    account = world.add_account(PHONE, "Help")

    async def main() -> None:
        client = make_client(address)
        await login(client, world)
        saved = client.session.save()
        await client.disconnect()

        again = make_client(address, StringSession(saved))
        await again.connect()
        assert await again.is_user_authorized()
        assert (await again.get_me()).id == account
        await again.disconnect()

    run(main())
    assert world.sessions_of(account) == 1


# endregion

# region dialogs and history


def test_dialogs_list_private_chats_groups_and_channels(world: FakeTelegram, address: ServerAddress) -> None:
    account = world.add_account(PHONE, "Help")
    amira = world.add_user("Amira", "Haddad", username="amira")
    reza = world.add_user("Reza")
    group = world.add_supergroup("Newcomers Q&A", username="newcomers", members=[amira, reza])
    channel = world.add_channel("Settlement News")
    basic = world.add_basic_group("Volunteers", members=[reza])
    world.send(group, amira, "Bonjour, où faire ma demande ?")
    world.post(channel, "Office closed Monday", views=42)
    world.send(basic, reza, "سلام")
    world.send_private(amira, "Hello?")
    world.add_user("Silent")  # never wrote: no dialog

    async def main() -> None:
        client = make_client(address)
        await login(client, world)
        dialogs = await client.get_dialogs()
        names = [d.name for d in dialogs]
        assert names == ["Amira Haddad", "Volunteers", "Settlement News", "Newcomers Q&A"]
        by_name = {d.name: d for d in dialogs}
        assert by_name["Newcomers Q&A"].is_group and by_name["Newcomers Q&A"].is_channel
        assert by_name["Settlement News"].is_channel and not by_name["Settlement News"].is_group
        assert by_name["Volunteers"].is_group and not by_name["Volunteers"].is_channel
        assert by_name["Amira Haddad"].is_user and by_name["Amira Haddad"].unread_count == 1
        assert by_name["Settlement News"].message.views == 42
        assert by_name["Newcomers Q&A"].id == utils.get_peer_id(types.PeerChannel(group)) == -1000000000000 - group
        assert by_name["Volunteers"].id == -basic
        assert by_name["Amira Haddad"].entity.username == "amira"
        entity = await client.get_entity("newcomers")
        assert entity.id == group and entity.megagroup and entity.creator
        full = await client(functions.channels.GetFullChannelRequest(entity))
        assert full.full_chat.participants_count == 3
        await client.disconnect()

    run(main())
    assert account == world.members(group)[0]


def test_iter_messages_pages_forward_reverse_and_with_min_id(world: FakeTelegram, address: ServerAddress) -> None:
    world.add_account(PHONE, "Help")
    asker = world.add_user("Asker")
    group = world.add_supergroup("Busy", members=[asker])
    base = 1_700_000_000
    world.add_history(group, ((asker, f"q{i}", base + i // 7, None) for i in range(1, 251)))
    world.add_history(asker, ((asker, f"p{i}", base + i, None) for i in range(1, 251)))  # private: MessagesSlice

    async def main() -> None:
        client = make_client(address)
        await login(client, world, dialogs=True)
        for chat in (group, asker):
            entity = await client.get_input_entity(chat if chat == asker else types.PeerChannel(chat))
            forward = [m.id async for m in client.iter_messages(entity, wait_time=0)]
            reverse = [m.id async for m in client.iter_messages(entity, reverse=True, wait_time=0)]
            newer = [m.id async for m in client.iter_messages(entity, min_id=120, wait_time=0)]
            newer_reverse = [m.id async for m in client.iter_messages(entity, min_id=120, reverse=True, wait_time=0)]
            older = [m.id async for m in client.iter_messages(entity, max_id=31, wait_time=0)]
            first, last = forward[-1], forward[0]
            assert forward == list(range(last, first - 1, -1)) and len(forward) == 250
            assert reverse == forward[::-1]
            assert newer == [i for i in forward if i > first + 119]
            assert newer_reverse == newer[::-1]
            assert older == [i for i in forward if i < first + 30]
            texts = [m.text async for m in client.iter_messages(entity, limit=3, offset_id=first + 10, wait_time=0)]
            prefix = "q" if chat == group else "p"
            assert texts == [f"{prefix}10", f"{prefix}9", f"{prefix}8"]
        await client.disconnect()

    run(main())


def test_history_server_work_is_fast_for_100k_messages(world: FakeTelegram) -> None:
    account = world.add_account(PHONE, "Help")
    asker = world.add_user("Asker")
    group = world.add_supergroup("Archive", members=[asker])
    started = time.perf_counter()
    world.add_history(group, ((asker, f"message number {i}", 1_600_000_000 + i, None) for i in range(100_000)))
    assert time.perf_counter() - started < 5.0
    key = world.register_auth_key(b"\x01" * 256, 1)
    key.user_id = account
    api = Api(world)
    ctx = CallContext(key=key, conn_id=0)
    channel = world.input_peer(group)
    started = time.perf_counter()
    offset, seen = 0, 0
    while seen < 20_000:
        answer = api.call(ctx, functions.messages.GetHistoryRequest(channel, offset, None, 0, 100, 0, 0, 0))
        serialize_result(answer)
        seen += len(answer.messages)
        offset = 100_000 - seen + 1
    assert seen / (time.perf_counter() - started) > 5_000


# endregion

# region updates


def test_pushed_messages_edits_and_deletions_reach_event_handlers(world: FakeTelegram, address: ServerAddress) -> None:
    world.add_account(PHONE, "Help")
    amira = world.add_user("Amira")
    group = world.add_supergroup("Q&A", members=[amira])
    basic = world.add_basic_group("Volunteers", members=[amira])

    async def main() -> None:
        client = make_client(address)
        await login(client, world)
        new: asyncio.Queue[Any] = asyncio.Queue()
        edited: asyncio.Queue[Any] = asyncio.Queue()
        deleted: asyncio.Queue[Any] = asyncio.Queue()
        client.add_event_handler(new.put, events.NewMessage)
        client.add_event_handler(edited.put, events.MessageEdited)
        client.add_event_handler(deleted.put, events.MessageDeleted)

        msg_id = world.send(group, amira, "Where do I renew my permit?")
        event = await asyncio.wait_for(new.get(), WAIT)
        assert (event.chat_id, event.sender_id, event.raw_text, event.id) == (
            utils.get_peer_id(types.PeerChannel(group)),
            amira,
            "Where do I renew my permit?",
            msg_id,
        )
        assert not event.out and event.is_group

        world.edit(group, msg_id, "Where do I renew my work permit?")
        event = await asyncio.wait_for(edited.get(), WAIT)
        assert event.id == msg_id and event.raw_text == "Where do I renew my work permit?" and event.message.edit_date

        world.delete(group, [msg_id])
        event = await asyncio.wait_for(deleted.get(), WAIT)
        assert event.deleted_ids == [msg_id] and event.chat_id == utils.get_peer_id(types.PeerChannel(group))

        private_id = world.send_private(amira, "مرحبا")
        event = await asyncio.wait_for(new.get(), WAIT)
        assert event.is_private and event.chat_id == amira and event.raw_text == "مرحبا" and event.id == private_id

        basic_id = world.send(basic, amira, "Salut")
        event = await asyncio.wait_for(new.get(), WAIT)
        assert event.chat_id == -basic and event.id == basic_id == private_id + 1  # one shared counter

        world.delete(amira, [private_id])
        event = await asyncio.wait_for(deleted.get(), WAIT)
        assert event.deleted_ids == [private_id]

        actions: asyncio.Queue[Any] = asyncio.Queue()
        client.add_event_handler(actions.put, events.ChatAction)
        newcomer = world.add_user("Newcomer")
        join_id = world.join(group, newcomer, how="link")
        event = await asyncio.wait_for(actions.get(), WAIT)
        assert event.user_joined and event.user_id == newcomer and event.action_message.id == join_id
        world.remove(group, newcomer, by=world.members(group)[0])
        event = await asyncio.wait_for(actions.get(), WAIT)
        assert event.user_kicked and event.user_id == newcomer
        await client.disconnect()

    run(main())


def test_catch_up_after_being_offline_delivers_each_new_message_once(
    world: FakeTelegram, address: ServerAddress, tmp_path: Path
) -> None:
    """Telethon's own catch-up (catch_up=True, SQLite session) replays what happened while offline.

    New messages arrive once, in their latest state. Edits and deletions of messages older than the gap are in
    the server's difference (with their pts, as Telegram sends them) but Telethon 1.45's MessageBox skips
    pts-carrying ``other_updates`` while it applies a difference, so no MessageEdited/MessageDeleted event fires:
    an app must reconcile older messages itself after catching up.
    """
    account = world.add_account(PHONE, "Help")
    amira = world.add_user("Amira")
    group = world.add_supergroup("Q&A", members=[amira])
    old_group = world.send(group, amira, "old group question")
    doomed_group = world.send(group, amira, "typo")
    old_private = world.send_private(amira, "old private question")
    session = str(tmp_path / "desk")

    async def first_run() -> None:
        client = make_client(address, session)
        await login(client, world)
        await client.get_dialogs()  # learns the channel's pts, as the app does at start
        await client.disconnect()

    run(first_run())
    account_pts, channel_pts = world.account_pts(account), world.channel_pts(group)
    offline_since = datetime.fromtimestamp(time.time() - 1, tz=UTC)

    offline_group = world.send(group, amira, "asked while offline")
    offline_private = world.send_private(amira, "private while offline")
    world.edit(group, offline_group, "asked while offline (edited)")
    world.edit(group, old_group, "old group question (edited)")
    world.edit(amira, old_private, "old private question (edited)")
    world.delete(group, [doomed_group])

    async def second_run() -> tuple[list[Any], list[Any], Any, Any]:
        client = make_client(address, session, catch_up=True)
        seen_new: list[Any] = []
        seen_other: list[Any] = []

        async def on_new(event: Any) -> None:
            seen_new.append((event.chat_id, event.id, event.raw_text))

        async def on_other(event: Any) -> None:
            seen_other.append(event)

        client.add_event_handler(on_new, events.NewMessage)
        client.add_event_handler(on_other, events.MessageEdited)
        client.add_event_handler(on_other, events.MessageDeleted)
        await client.connect()
        await eventually(lambda: len(seen_new) >= 2)
        await asyncio.sleep(1.0)  # anything duplicated or late would show up now
        channel = await client.get_input_entity(types.PeerChannel(group))
        diff = await client(
            functions.updates.GetChannelDifferenceRequest(
                channel, types.ChannelMessagesFilterEmpty(), pts=channel_pts, limit=100
            )
        )
        account_diff = await client(functions.updates.GetDifferenceRequest(pts=account_pts, date=offline_since, qts=0))
        await client.disconnect()
        return seen_new, seen_other, diff, account_diff

    seen_new, seen_other, diff, account_diff = run(second_run())
    channel_id = utils.get_peer_id(types.PeerChannel(group))
    assert sorted(seen_new) == sorted(
        [
            (channel_id, offline_group, "asked while offline (edited)"),
            (amira, offline_private, "private while offline"),
        ]
    )
    assert seen_other == []  # see the docstring: a Telethon limitation, not the server's
    assert [m.id for m in diff.new_messages] == [offline_group]
    assert [(type(u).__name__, u.pts) for u in diff.other_updates] == [
        ("UpdateEditChannelMessage", channel_pts + 3),
        ("UpdateDeleteChannelMessages", channel_pts + 4),
    ]
    assert diff.other_updates[0].message.message == "old group question (edited)"
    assert [m.id for m in account_diff.new_messages] == [offline_private]
    assert [type(u).__name__ for u in account_diff.other_updates] == ["UpdateEditMessage", "UpdateChannelTooLong"]


# endregion

# region sending, faults, media, join requests


def test_send_message_with_the_same_random_id_creates_one_message(world: FakeTelegram, address: ServerAddress) -> None:
    world.add_account(PHONE, "Help")
    amira = world.add_user("Amira")
    group = world.add_supergroup("Q&A", members=[amira])
    question = world.send(group, amira, "Is the office open?")

    async def main() -> None:
        # As Telegram does: a reused random_id is error 500 RANDOM_ID_DUPLICATE (issue: hardening, item 10);
        # one attempt here, where Telethon would otherwise retry it five times, two seconds apart.
        client = make_client(address, request_retries=1, raise_last_call_error=True)
        other_session = make_client(address)
        await login(client, world, dialogs=True)
        await login(other_session, world)
        pushed: asyncio.Queue[Any] = asyncio.Queue()
        other_session.add_event_handler(pushed.put, events.NewMessage)
        peer = await client.get_input_entity(types.PeerChannel(group))
        first = await client(
            functions.messages.SendMessageRequest(peer, "x", random_id=42, reply_to=types.InputReplyToMessage(question))
        )
        with pytest.raises(errors.RandomIdDuplicateError):
            await client(functions.messages.SendMessageRequest(peer, "x", random_id=42))
        ids = [u.id for u in first.updates if isinstance(u, types.UpdateMessageID)]
        echo = await asyncio.wait_for(pushed.get(), WAIT)  # the account's other session sees it once
        assert echo.out and echo.id == ids[0] and echo.raw_text == "x"

        dm = await client.get_input_entity(amira)
        a = await client(functions.messages.SendMessageRequest(dm, "private answer", random_id=7))
        with pytest.raises(errors.RandomIdDuplicateError):
            await client(functions.messages.SendMessageRequest(dm, "private answer", random_id=7))
        assert isinstance(a, types.UpdateShortSentMessage)
        echo = await asyncio.wait_for(pushed.get(), WAIT)
        assert echo.is_private and echo.out and echo.id == a.id and pushed.empty()
        await client.disconnect()
        await other_session.disconnect()

    run(main())
    sent = world.sent_by_account(group)
    assert [(m.message, m.reply_to.reply_to_msg_id) for m in sent] == [("x", question)]
    assert [m.message for m in world.sent_by_account(amira)] == ["private answer"]


def test_a_dropped_connection_after_sending_still_yields_one_message(
    world: FakeTelegram, address: ServerAddress
) -> None:
    world.add_account(PHONE, "Help")
    amira = world.add_user("Amira")
    group = world.add_supergroup("Q&A", members=[amira])

    async def main() -> None:
        client = make_client(address, request_retries=1, raise_last_call_error=True)
        await login(client, world, dialogs=True)
        world.drop_after("SendMessageRequest")
        # Telethon sends it again after reconnecting; Telegram, which has it, answers RANDOM_ID_DUPLICATE (the
        # connector then finds the message: test_connector).
        with pytest.raises(errors.RandomIdDuplicateError):
            await client.send_message(types.PeerChannel(group), "answer despite the drop")
        world.disconnect_all()
        await asyncio.sleep(0.2)
        assert (await client.get_me()).first_name == "Help"  # reconnected by itself
        await client.disconnect()

    run(main())
    assert [m.message for m in world.sent_by_account(group)] == ["answer despite the drop"]
    assert world.request_count("SendMessageRequest") >= 2  # sent, then again after the drop: one message


def test_injected_flood_wait_surfaces_as_flood_wait_error(world: FakeTelegram, address: ServerAddress) -> None:
    world.add_account(PHONE, "Help")
    amira = world.add_user("Amira")
    group = world.add_supergroup("Q&A", members=[amira])
    world.send(group, amira, "hi")

    async def main() -> None:
        client = make_client(address)
        await login(client, world, dialogs=True)
        entity = await client.get_input_entity(types.PeerChannel(group))
        world.fail("GetHistoryRequest", "FLOOD_WAIT_2", 420)
        with pytest.raises(errors.FloodWaitError) as caught:
            await client.get_messages(entity, limit=5)
        assert caught.value.seconds == 2
        assert [m.text for m in await client.get_messages(entity, limit=5)] == ["hi"]  # only once
        world.fail("messages.SendMessageRequest", "CHAT_WRITE_FORBIDDEN", 403)
        with pytest.raises(errors.ChatWriteForbiddenError):
            await client.send_message(entity, "nope")
        with pytest.raises(errors.RPCError, match="METHOD_NOT_IMPLEMENTED"):
            await client(functions.messages.GetAllStickersRequest(hash=0))
        await client.disconnect()

    run(main())
    assert world.unimplemented == ["messages.GetAllStickersRequest"]


def test_download_media_returns_the_exact_bytes(world: FakeTelegram, address: ServerAddress, tmp_path: Path) -> None:
    world.add_account(PHONE, "Help")
    amira = world.add_user("Amira")
    voice = bytes(range(256)) * 1200 + b"tail"  # > 256 KiB: several GetFile parts
    photo = b"\xff\xd8 not really a jpeg" * 100
    pdf = b"%PDF-1.4 " + bytes(5000)
    voice_id = world.send_private(amira, "", media=("voice", voice, 12))
    photo_id = world.send_private(amira, "look", media=("photo", photo))
    pdf_id = world.send_private(amira, "my letter", media=("document", pdf, "letter.pdf", "application/pdf"))

    async def main() -> None:
        client = make_client(address)
        await login(client, world, dialogs=True)
        message = await client.get_messages(amira, ids=voice_id)
        assert message.voice is not None and message.file.duration == 12
        target = tmp_path / "voice.ogg"
        assert await client.download_media(message, file=str(target)) == str(target)
        assert target.read_bytes() == voice
        picture = await client.get_messages(amira, ids=photo_id)
        assert await client.download_media(picture, file=bytes) == photo
        letter = await client.get_messages(amira, ids=pdf_id)
        assert letter.file.name == "letter.pdf" and letter.file.mime_type == "application/pdf"
        assert await client.download_media(letter, file=bytes) == pdf
        await client.disconnect()

    run(main())


def test_join_requests_are_listed_and_approved(world: FakeTelegram, address: ServerAddress) -> None:
    world.add_account(PHONE, "Help")
    asker = world.add_user("Samira")
    group = world.add_supergroup("Q&A")

    async def main() -> None:
        client = make_client(address)
        await login(client, world, dialogs=True)
        pending: asyncio.Queue[Any] = asyncio.Queue()
        client.add_event_handler(pending.put, events.Raw(types.UpdatePendingJoinRequests))
        world.request_join(group, asker)
        update = await asyncio.wait_for(pending.get(), WAIT)
        assert update.requests_pending == 1 and update.recent_requesters == [asker]

        peer = await client.get_input_entity(types.PeerChannel(group))
        listed = await client(
            functions.messages.GetChatInviteImportersRequest(
                peer, offset_date=None, offset_user=types.InputUserEmpty(), limit=10, requested=True
            )
        )
        assert listed.count == 1 and [i.user_id for i in listed.importers] == [asker] and listed.importers[0].requested
        user = await client.get_input_entity(asker)
        await client(functions.messages.HideChatJoinRequestRequest(peer, user, approved=True))
        history = await client.get_messages(peer, limit=1)
        assert isinstance(history[0].action, types.MessageActionChatJoinedByRequest) and history[0].sender_id == asker
        await client.disconnect()

    run(main())
    assert world.pending_join_requests(group) == [] and asker in world.members(group)


# endregion

# region protocol details and client-side actions


def test_service_messages_containers_and_gzip(world: FakeTelegram, address: ServerAddress) -> None:
    world.add_account(PHONE, "Help")
    amira = world.add_user("Amira")
    group = world.add_supergroup("Q&A", members=[amira])
    world.add_history(group, ((amira, "long question " * 80, 1_700_000_000 + i, None) for i in range(100)))

    async def main() -> None:
        client = make_client(address)
        await login(client, world, dialogs=True)
        config = await client(functions.help.GetConfigRequest())
        assert [(o.id, o.ip_address, o.port) for o in config.dc_options] == [
            (address.dc_id, address.host, address.port)
        ]
        pong = await client(functions.PingRequest(ping_id=77))
        assert isinstance(pong, types.Pong) and pong.ping_id == 77
        salts = await client(functions.GetFutureSaltsRequest(num=3))
        assert len(salts.salts) == 3
        states = await asyncio.gather(*(client(functions.updates.GetStateRequest()) for _ in range(5)))
        assert len({s.pts for s in states}) == 1
        entity = await client.get_input_entity(types.PeerChannel(group))
        long_answer = ("une réponse détaillée " * 60).strip()
        await client.send_message(entity, long_answer)  # > 512 bytes: Telethon sends it gzip_packed
        page = await client.get_messages(entity, limit=100)  # > 64 KiB: answered gzip_packed
        assert page[0].text == long_answer and page[1].text == "long question " * 80
        await client.disconnect()

    run(main())
    stats = world.transport_stats
    assert stats["container"] > 0 and stats["gzip_in"] > 0 and stats["gzip_out"] > 0


def test_client_side_actions_in_every_kind_of_chat(world: FakeTelegram, address: ServerAddress) -> None:
    account = world.add_account(PHONE, "Help")
    amira = world.add_user("Amira")
    reza = world.add_user("Reza", username="reza_k")
    group = world.add_supergroup("Q&A", members=[amira, reza])
    channel = world.add_channel("News", username="news")
    basic = world.add_basic_group("Volunteers", members=[amira])
    question = world.send(group, amira, "Can I bring a friend?")
    world.send(basic, amira, "Hello volunteers")
    world.send_private(amira, "Hi")
    post = world.post(channel, "Office hours changed", views=10)

    async def main() -> None:
        client = make_client(address)
        await login(client, world, dialogs=True)
        group_entity = await client.get_entity(types.PeerChannel(group))
        reply = await client.send_message(group_entity, "Yes!", reply_to=question)
        assert reply.reply_to_msg_id == question and reply.out
        edited = await client.edit_message(group_entity, reply, "Yes, of course!")
        assert edited.text == "Yes, of course!" and edited.edit_date is not None
        basic_message = await client.send_message(-basic, "Thanks")
        private_message = await client.send_message(amira, "Hello Amira")
        assert private_message.id == basic_message.id + 1  # private chats and basic groups share a counter
        await client.delete_messages(amira, [private_message.id])
        await client.delete_messages(group_entity, [question])

        channel_post = await client.send_message(types.PeerChannel(channel), "Closed on Monday")
        assert channel_post.post and channel_post.views == 1
        views = await client(functions.messages.GetMessagesViewsRequest(channel_post.peer_id, [post], True))
        assert views.views[0].views == 11
        world.set_views(channel, post, 500)
        assert (await client.get_messages(types.PeerChannel(channel), ids=post)).views == 500
        by_id = await client.get_messages(group_entity, ids=[reply.id, 9999])
        assert by_id[0].text == "Yes, of course!" and by_id[1] is None

        assert (await client.get_entity("reza_k")).id == reza
        with pytest.raises(errors.UsernameNotOccupiedError):
            await client(functions.contacts.ResolveUsernameRequest("nobody_here"))
        participants = await client.get_participants(group_entity)
        assert sorted(p.id for p in participants) == sorted([account, amira, reza])
        await client.kick_participant(group_entity, reza)
        full_chat = await client(functions.messages.GetFullChatRequest(basic))
        assert {p.user_id for p in full_chat.full_chat.participants.participants} == {account, amira}
        full_user = await client(functions.users.GetFullUserRequest(amira))
        assert full_user.users[0].first_name == "Amira"
        await client.send_read_acknowledge(group_entity)
        await client.send_read_acknowledge(amira)
        dialogs = {d.name: d for d in await client.get_dialogs()}
        assert dialogs["Q&A"].unread_count == 0 and dialogs["Amira"].unread_count == 0
        await client.disconnect()

    run(main())
    assert [m.message for m in world.sent_by_account(group)] == ["Yes, of course!"]
    assert world.message(group, question) is None and world.sent_by_account(amira) == []
    assert reza not in world.members(group)
    kicked = world.messages_in(group)[-1]
    assert isinstance(kicked.action, types.MessageActionChatDeleteUser) and kicked.action.user_id == reza


def test_long_offline_periods_page_through_difference_slices(
    world: FakeTelegram, address: ServerAddress, tmp_path: Path
) -> None:
    world.add_account(PHONE, "Help")
    amira = world.add_user("Amira")
    group = world.add_supergroup("Q&A", members=[amira])
    world.send(group, amira, "before")
    session = str(tmp_path / "desk")

    async def first_run() -> None:
        client = make_client(address, session)
        await login(client, world, dialogs=True)
        await client.disconnect()

    run(first_run())
    private_ids = [world.send_private(amira, f"p{i}") for i in range(150)]  # 2 slices of the account difference
    group_ids = [world.send(group, amira, f"g{i}") for i in range(150)]  # 2 channel differences (limit 100)

    async def second_run() -> list[tuple[int, int]]:
        client = make_client(address, session, catch_up=True)
        seen: list[tuple[int, int]] = []

        async def on_new(event: Any) -> None:
            seen.append((event.chat_id, event.id))

        client.add_event_handler(on_new, events.NewMessage)
        await client.connect()
        await eventually(lambda: len(seen) >= 300, timeout=15)
        await asyncio.sleep(0.5)
        await client.disconnect()
        return seen

    seen = run(second_run())
    channel_id = utils.get_peer_id(types.PeerChannel(group))
    assert sorted(seen) == sorted([(amira, i) for i in private_ids] + [(channel_id, i) for i in group_ids])
    assert world.request_count("GetDifferenceRequest") >= 3 and world.request_count("GetChannelDifferenceRequest") >= 2


def test_channel_difference_too_long_skips_to_the_present(tmp_path: Path) -> None:
    world = FakeTelegram(channel_difference_too_long=20)
    world.add_app(API_ID, API_HASH)
    world.add_account(PHONE, "Help")
    amira = world.add_user("Amira")
    group = world.add_supergroup("Q&A", members=[amira])
    world.send(group, amira, "before")
    session = str(tmp_path / "desk")
    with running_server(world) as address:

        async def first_run() -> None:
            client = make_client(address, session)
            await login(client, world, dialogs=True)
            await client.disconnect()

        run(first_run())
        for i in range(30):
            world.send(group, amira, f"missed {i}")

        async def second_run() -> list[str]:
            client = make_client(address, session, catch_up=True)
            seen: list[str] = []

            async def on_new(event: Any) -> None:
                seen.append(event.raw_text)

            client.add_event_handler(on_new, events.NewMessage)
            await client.connect()
            await eventually(lambda: world.request_count("GetChannelDifferenceRequest") >= 1)
            await asyncio.sleep(0.3)
            world.send(group, amira, "live again")
            await eventually(lambda: "live again" in seen)
            await client.disconnect()
            return seen

        assert run(second_run()) == ["live again"]  # Telegram gives up on the gap; so does Telethon
    assert world.server_errors == []


def test_serve_on_the_callers_event_loop(world: FakeTelegram) -> None:
    world.add_account(PHONE, "Help")
    amira = world.add_user("Amira")

    async def main() -> None:
        server = await serve(world)
        assert server.address is not None
        listening, deaf = make_client(server.address), make_client(server.address, receive_updates=False)
        me = await login(listening, world)
        await login(deaf, world)  # invokeWithoutUpdates: this session gets no pushes
        pushes_before = world.transport_stats["push"]
        received: asyncio.Queue[Any] = asyncio.Queue()
        listening.add_event_handler(received.put, events.NewMessage)
        world.send_private(amira, "hi")
        assert (await asyncio.wait_for(received.get(), WAIT)).raw_text == "hi"
        assert world.transport_stats["push"] == pushes_before + 1 and me.first_name == "Help"
        await listening.disconnect()
        await deaf.disconnect()
        await server.aclose()

    run(main())


def test_membership_service_messages() -> None:
    world = FakeTelegram()
    account = world.add_account(PHONE, "Help")
    amira, reza, samira, omid = (world.add_user(name) for name in ("Amira", "Reza", "Samira", "Omid"))
    group = world.add_supergroup("Q&A", admins=[reza])
    basic = world.add_basic_group("Volunteers")
    world.join(group, amira)
    world.join(group, samira, how="added", by=reza)
    world.join(group, omid, how="link")
    world.leave(group, amira)
    world.remove(group, samira, by=reza)
    world.request_join(group, amira)
    world.join(basic, omid, how="added", by=account)
    actions = [(type(m.action).__name__, m.from_id.user_id) for m in world.messages_in(group)]
    assert actions == [
        ("MessageActionChatAddUser", amira),
        ("MessageActionChatAddUser", reza),
        ("MessageActionChatJoinedByLink", omid),
        ("MessageActionChatDeleteUser", amira),
        ("MessageActionChatDeleteUser", reza),
    ]
    assert world.messages_in(group)[2].action.inviter_id == account
    assert world.members(group) == sorted([account, reza, omid]) and world.pending_join_requests(group) == [amira]
    (added,) = world.messages_in(basic)
    assert isinstance(added.peer_id, types.PeerChat) and added.action.users == [omid] and added.out


# endregion


def test_command_line_server_prints_address_and_codes_and_serves_the_demo(tmp_path: Path) -> None:
    key_file = tmp_path / "server.pem"
    command = [
        sys.executable, "-m", "fake_telegram", "--port", "0", "--key-out", str(key_file),
        "--app", f"{API_ID}:{API_HASH}", "--account", PHONE, "--code", "24680",
    ]  # fmt: skip
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        lines: dict[str, str] = {}
        for line in process.stdout:
            name, _, value = line.strip().partition(": ")
            lines[name] = value
            if line.strip() == "ready":
                break
        host, port, dc_id = lines["address"].split(":")
        assert lines["account"].startswith(f"{PHONE} ") and "code=24680" in lines["account"]
        assert key_file.read_bytes() == public_key_pem()

        async def main() -> list[str]:
            client = make_client(ServerAddress(host, int(port), int(dc_id)))
            await client.connect()
            await client.send_code_request(PHONE)
            await client.sign_in(PHONE, "24680")
            names = [d.name for d in await client.get_dialogs()]
            await client.disconnect()
            return names

        names = run(main())
        assert {"Newcomers Ottawa — عربي", "تازه‌واردان اتاوا", "Nouveaux arrivants Ottawa"} <= set(names)
        assert "Settlement News Ottawa · Nouvelles" in names and len(names) == 3 + 1 + 30
    finally:
        process.send_signal(signal.SIGTERM)
        out, _ = process.communicate(timeout=20)
    assert process.returncode == 0 and "code sent: " in out and out.rstrip().endswith("stopped")
