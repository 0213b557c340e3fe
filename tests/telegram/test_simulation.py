"""The simulated organization of the demo mode: its seeded history, and live traffic seen by a real Telethon client.

The seeded world is shared by the read-only checks (seeding it takes about half a second); tests that start
traffic or send messages seed their own.
"""

from __future__ import annotations

import asyncio
import io
import signal
import subprocess
import sys
import threading
import time
import wave
from collections import Counter
from collections.abc import Awaitable, Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import telethon.crypto.rsa as telethon_rsa
from sqlalchemy import func, select
from telethon import TelegramClient, events, types, utils
from telethon.sessions import StringSession

from fake_telegram import FakeTelegram, ServerAddress, public_key_pem, running_server
from fake_telegram.simulation import (
    GROUP_TITLES,
    TIMEZONE,
    Organization,
    Traffic,
    partners_csv,
    seed_organization,
)
from fake_telegram.simulation_content import (
    FOLLOW_UP_ANSWERS,
    FOLLOW_UPS,
    GREETINGS,
    GROUP_LANGUAGES,
    LANGUAGES,
    PARTNERS,
    QUESTION_CLOSERS,
    QUESTION_OPENERS,
    THANKS,
    TOPICS,
    VOICE_ANSWERS,
    VOLUNTEER_OPENERS,
    all_chatter,
)
from moderator_app.domain.asking import is_question
from moderator_app.domain.events import SourceKind, SourceRef
from moderator_app.domain.language import detect_language
from moderator_app.domain.topics import classify_topic
from moderator_app.importers.referrals_csv import read_referrals_csv
from moderator_app.store.db import Database
from moderator_app.store.models import Inquiry, MembershipEvent, Message
from moderator_app.store.repositories import SourceRepository
from moderator_app.telegram.client import ConnectionSettings
from tests.telegram.conftest import connected, log_in, start_connector

API_ID = 611335
API_HASH = "d524b414d21f4d37f08684c1df41ac9c"
PHONE = "+15550100001"
NOW = datetime(2026, 3, 12, 15, 30, tzinfo=UTC)  # a Thursday, 11:30 in Toronto: the office is open
WAIT = 10.0


@pytest.fixture(scope="module", autouse=True)
def _trust_test_key() -> None:
    telethon_rsa.add_key(public_key_pem(), old=False)


def new_world() -> tuple[FakeTelegram, int]:
    world = FakeTelegram()
    world.add_app(API_ID, API_HASH)
    return world, world.add_account(PHONE, "Help Desk")


@pytest.fixture(scope="module")
def seeded() -> tuple[FakeTelegram, Organization, float]:
    world, account = new_world()
    started = time.perf_counter()
    org = seed_organization(world, account, now=NOW)
    return world, org, time.perf_counter() - started


def conversations(org: Organization) -> list[int]:
    return [*org.groups.values(), org.channel, *org.private_members]


def text_of(message: Any) -> str:
    return str(getattr(message, "message", "") or "")


def sender(message: Any) -> int | None:
    return getattr(message.from_id, "user_id", None)


def reply_id(message: Any) -> int | None:
    return message.reply_to.reply_to_msg_id if message.reply_to is not None else None


def asks(text: str) -> bool:
    return any(mark in text for mark in ("?", "؟", "？"))


def is_voice(message: Any) -> bool:
    return isinstance(message, types.Message) and isinstance(message.media, types.MessageMediaDocument)


def make_client(address: ServerAddress) -> TelegramClient:
    client = TelegramClient(StringSession(), API_ID, API_HASH, flood_sleep_threshold=0, receive_updates=True)
    client.session.set_dc(address.dc_id, address.host, address.port)
    return client


async def login(client: TelegramClient, world: FakeTelegram) -> None:
    """Log in with the code the world "sent", then load the dialogs (the access hashes), as the app does."""
    await client.connect()
    await client.send_code_request(PHONE)
    await client.sign_in(PHONE, world.login_code(PHONE))
    await client.get_dialogs()


def run(coro: Awaitable[Any]) -> Any:
    return asyncio.run(coro)  # type: ignore[arg-type]


def wait_for(predicate: Callable[[], Any], timeout: float = WAIT, what: str = "condition") -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.02)
    raise AssertionError(f"timed out waiting for {what}")


async def await_for(predicate: Callable[[], Any], timeout: float = WAIT, what: str = "condition") -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        await asyncio.sleep(0.02)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.fixture
def traffic_world() -> Iterator[tuple[FakeTelegram, Organization, ServerAddress]]:
    """A fresh organization (one month, enough for live traffic) behind a running server."""
    world, account = new_world()
    org = seed_organization(world, account, now=datetime.now(UTC), months=1, seed=5)
    with running_server(world) as address:
        yield world, org, address
    assert world.server_errors == []


# region seeded history


def test_seeding_is_fast_and_creates_the_three_communities_the_channel_and_private_chats(
    seeded: tuple[FakeTelegram, Organization, float],
) -> None:
    world, org, seconds = seeded
    assert seconds < 3.0
    assert set(org.groups) == {"ar", "fa", "fr"}
    for lang, group in org.groups.items():
        people = org.members[group]
        assert 40 <= len(people) <= 150
        assert set(world.members(group)) == {*people, org.account, org.volunteer}
        assert {org.languages[p] for p in people} == {lang}
        assert set(world.pending_join_requests(group)) == set(org.pending_requests[group]) != set()
    assert len(org.private_members) == 30
    assert Counter(org.languages[p] for p in org.private_members) == {"ar": 7, "fa": 6, "fr": 6, "en": 6, "zh": 5}

    sizes = {chat: len(world.messages_in(chat)) for chat in conversations(org)}
    assert sum(sizes.values()) == org.counts["total"]
    assert 10_000 <= org.counts["total"] <= 15_000
    by_group = [sizes[org.groups[lang]] for lang in ("ar", "fa", "fr")]
    assert by_group == sorted(by_group, reverse=True) and by_group[-1] > 2000  # Arabic busiest
    assert 30 <= sizes[org.channel] <= 70
    assert 400 <= sum(sizes[p] for p in org.private_members) <= 1500


def test_people_write_in_their_communitys_language(seeded: tuple[FakeTelegram, Organization, float]) -> None:
    world, org, _ = seeded
    for lang, group in org.groups.items():
        texts = [
            text_of(m)
            for m in world.messages_in(group)
            if isinstance(m, types.Message) and sender(m) in org.languages and text_of(m)
        ]
        detected = Counter(detect_language(t) for t in texts)
        assert detected[lang] / len(texts) > 0.99, (lang, detected)
        questions = [t for t in texts if is_question(t, lang)]
        assert len(questions) > len(texts) / 4
    for member in org.private_members:
        lang = org.languages[member]
        asked = [text_of(m) for m in world.messages_in(member) if not m.out and asks(text_of(m))]
        assert asked
        assert all(detect_language(t) == lang for t in asked), (lang, asked)


def test_history_spans_the_months_before_now(seeded: tuple[FakeTelegram, Organization, float]) -> None:
    world, org, _ = seeded
    assert org.start == datetime(2025, 12, 12, 15, 30, tzinfo=UTC) and org.now == NOW
    dates = [m.date for chat in conversations(org) for m in world.messages_in(chat)]
    assert min(dates) >= org.start and max(dates) < NOW
    assert min(dates) < org.start + timedelta(days=2) and max(dates) > NOW - timedelta(hours=6)
    for chat in conversations(org):  # ids follow dates within each conversation
        history = world.messages_in(chat)
        assert [m.date for m in history] == sorted(m.date for m in history)
    months = Counter((d.year, d.month) for d in dates)
    assert {(2025, 12), (2026, 1), (2026, 2), (2026, 3)} == set(months) and months[(2026, 1)] > 3000


def test_staff_answer_questions_in_business_hours_with_replies_and_referrals(
    seeded: tuple[FakeTelegram, Organization, float],
) -> None:
    world, org, _ = seeded
    staff_texts: list[str] = []
    for lang, group in org.groups.items():
        history = world.messages_in(group)
        by_id = {m.id: m for m in history}
        staff = [m for m in history if isinstance(m, types.Message) and sender(m) == org.account]
        replies = [m for m in staff if reply_id(m)]
        posts = [m for m in staff if not reply_id(m)]
        assert len(replies) > 700 and len(posts) > 10
        for m in staff:
            local = m.date.astimezone(TIMEZONE)
            assert local.weekday() < 5 and 9 <= local.hour < 17, local
        for m in replies:
            question = by_id[reply_id(m)]
            assert sender(question) in org.languages and is_question(text_of(question), lang)
            assert question.date < m.date
        staff_texts += [text_of(m) for m in replies]
        member_answers = [
            m
            for m in history
            if isinstance(m, types.Message)
            and reply_id(m)
            and sender(m) not in (org.account, None)
            and sender(by_id[reply_id(m)]) not in (sender(m), org.account)
        ]
        assert len(member_answers) > 150
        assert any(sender(m) == org.volunteer for m in member_answers)
        thanks = [m for m in history if text_of(m) in THANKS[lang] and reply_id(m) in {s.id for s in staff}]
        assert len(thanks) > 200
        assert sum(text_of(m) in all_chatter(lang) for m in history) > 400
    joined = " ".join(staff_texts)
    for name in ("Catholic Centre for Immigrants", "Ottawa Community Housing", "LASI World Skills"):
        assert joined.count(name) > 10, name
    assert "YMCA-YWCA Newcomer Information Centre" in joined and "613-232-9634" in joined
    assert any(detect_language(t) == "en" for t in staff_texts)  # sometimes staff answer in English


def test_recent_questions_are_left_open_for_the_inbox(seeded: tuple[FakeTelegram, Organization, float]) -> None:
    world, org, _ = seeded
    assert org.counts["open_questions"] == len(org.open_questions) >= 20
    dates = [q.date for q in org.open_questions]
    assert dates == sorted(dates)
    recent = [q for q in org.open_questions if q.date > (NOW - timedelta(days=3)).timestamp()]
    assert len(recent) > len(org.open_questions) / 2
    assert any(q.date < (NOW - timedelta(days=2)).timestamp() for q in recent)  # overdue by the 24 h standard
    assert {q.chat for q in recent} >= set(org.groups.values())
    assert sum(q.chat in org.private_members for q in recent) >= 4
    histories = {chat: world.messages_in(chat) for chat in {q.chat for q in org.open_questions}}
    for q in org.open_questions:
        history = histories[q.chat]
        question = next(m for m in history if m.id == q.message_id)
        assert question.date.timestamp() == q.date
        if q.chat in org.private_members:
            assert not question.out and q.asker == q.chat
            later = [m for m in history if m.id > q.message_id]
            assert not any(m.out for m in later)  # staff have not written since
        else:
            assert sender(question) == q.asker and (is_question(text_of(question)) or is_voice(question))
            assert not any(reply_id(m) == q.message_id and sender(m) == org.account for m in history)


def test_history_has_joins_leaves_removals_voice_notes_and_channel_posts(
    seeded: tuple[FakeTelegram, Organization, float],
) -> None:
    world, org, _ = seeded
    kinds: Counter[str] = Counter()
    for group in org.groups.values():
        history = world.messages_in(group)
        service = [m for m in history if isinstance(m, types.MessageService)]
        kinds.update(type(m.action).__name__ for m in service)
        members = set(world.members(group))
        for m in service:
            if isinstance(m.action, types.MessageActionChatJoinedByLink):
                assert m.action.inviter_id == org.account  # the group's link
            if isinstance(m.action, types.MessageActionChatDeleteUser):
                assert m.action.user_id not in members  # who left or was removed is gone now
                if sender(m) == org.account:
                    kinds["removed by staff"] += 1
        joined = {sender(m) for m in service if isinstance(m.action, types.MessageActionChatJoinedByLink)}
        first_message = {}
        for m in history:
            if isinstance(m, types.Message):
                first_message.setdefault(sender(m), m.date)
        for m in service:  # nobody talks before joining
            if isinstance(m.action, types.MessageActionChatJoinedByLink) and sender(m) in first_message:
                assert first_message[sender(m)] > m.date
        assert joined
    assert kinds["MessageActionChatJoinedByLink"] > 40 and kinds["MessageActionChatDeleteUser"] > 20
    assert kinds["MessageActionChatAddUser"] > 5 and kinds["MessageActionChatJoinedByRequest"] > 3
    assert kinds["removed by staff"] >= 7  # spammers and the odd troublemaker
    assert org.counts["spam"] == 7

    voice = [m for p in org.private_members for m in world.messages_in(p) if is_voice(m)]
    assert len(voice) == 6
    for m in voice:
        attribute = m.media.document.attributes[0]
        assert not m.out and attribute.voice and attribute.duration >= 6 and m.media.document.size > 5000
    photos = [
        m for p in org.private_members for m in world.messages_in(p) if isinstance(m.media, types.MessageMediaPhoto)
    ]
    assert len(photos) == 5 and all(not m.out and text_of(m) for m in photos)  # a letter, with a question

    posts = world.messages_in(org.channel)
    assert all(m.post and m.from_id is None and m.views and m.views > 5 for m in posts)
    assert all(detect_language(text_of(m).split("\n")[0]) == "en" for m in posts)
    assert all(detect_language(text_of(m).split("\n")[1]) == "fr" for m in posts)


def test_seeding_is_deterministic_given_the_seed() -> None:
    def snapshot(seed: int) -> tuple[list[tuple[Any, ...]], dict[str, int]]:
        world, account = new_world()
        org = seed_organization(world, account, now=NOW, months=1, seed=seed)
        rows = [
            (m.id, text_of(m), m.date, reply_id(m), sender(m), type(m).__name__)
            for chat in conversations(org)
            for m in world.messages_in(chat)
        ]
        return rows, dict(org.counts)

    first, again, other = snapshot(3), snapshot(3), snapshot(4)
    assert first == again and first != other
    assert 3000 < first[1]["total"] < 6000  # one month is about a third of three


def test_texts_follow_the_apps_rules() -> None:
    """Questions are questions to the app's rules, in their language; thanks, chatter and answers are not."""
    for topic in TOPICS:
        for lang in LANGUAGES:
            for text in topic.questions[lang]:
                for opener in QUESTION_OPENERS[lang]:
                    asked = opener + text + QUESTION_CLOSERS[lang][-1]
                    assert is_question(asked, lang) and detect_language(asked) == lang, asked
                    assert classify_topic(asked, lang) == topic.app_topic, asked
            assert not is_question(topic.info[lang], lang)
        for lang in GROUP_LANGUAGES:
            assert all(not is_question(a, lang) and detect_language(a) == lang for a in topic.peer_answers[lang])
    for lang in LANGUAGES:
        for text in (*THANKS[lang], *GREETINGS[lang], *FOLLOW_UP_ANSWERS[lang]):
            assert not is_question(text, lang) and detect_language(text) == lang, text
        assert all(is_question(t, lang) and detect_language(t) == lang for t in FOLLOW_UPS[lang])
    for lang in GROUP_LANGUAGES:
        texts = (*all_chatter(lang), *(opener + topic.info[lang] for opener in VOLUNTEER_OPENERS[lang]))
        assert all(not is_question(t, lang) and detect_language(t) == lang for t in texts)
    assert all(detect_language(VOICE_ANSWERS[lang]) == lang for lang in LANGUAGES)


def test_partner_agencies_load_into_the_referral_library(tmp_path: Path) -> None:
    path = tmp_path / "partners.csv"
    path.write_text(partners_csv(), encoding="utf-8")
    library = {org.name: org for org in read_referrals_csv(path)}
    assert set(library) == {p.name for p in PARTNERS}
    cci = library["Catholic Centre for Immigrants"]
    assert cci.phone == "613-232-9634" and "CCI Ottawa" in cci.aliases
    assert library["Ottawa Food Bank"].aliases == ("Banque d'alimentation d'Ottawa",)


# endregion

# region a real client


def test_a_client_sees_the_dialogs_and_pages_the_history(seeded: tuple[FakeTelegram, Organization, float]) -> None:
    world, org, _ = seeded
    french = org.groups["fr"]

    voice_chat, voice = next((p, m) for p in org.private_members for m in world.messages_in(p) if is_voice(m))

    async def main() -> tuple[dict[str, Any], list[Any], bytes]:
        client = make_client(address)
        await login(client, world)
        dialogs = {d.name: d for d in await client.get_dialogs()}
        history = [m async for m in client.iter_messages(utils.get_peer_id(types.PeerChannel(french)), wait_time=0)]
        (note,) = await client.get_messages(voice_chat, ids=[voice.id])
        data = await client.download_media(note, file=bytes)
        await client.disconnect()
        return dialogs, history, data

    with running_server(world) as address:
        dialogs, history, data = run(main())
    assert world.server_errors == []
    titles = {title for title, _ in GROUP_TITLES.values()}
    assert titles <= set(dialogs)
    assert dialogs["Settlement News Ottawa · Nouvelles"].is_channel
    assert sum(d.is_user for d in dialogs.values()) == len(org.private_members) == 30
    assert len(dialogs) == 3 + 1 + 30
    expected = world.messages_in(french)
    assert [m.id for m in history] == [m.id for m in reversed(expected)]  # every page, newest first
    assert [(text_of(m), m.reply_to_msg_id) for m in history] == [(text_of(m), reply_id(m)) for m in reversed(expected)]
    assert len(data) == voice.media.document.size  # a voice note from the history, a WAV a player can play
    with wave.open(io.BytesIO(data)) as recording:
        assert recording.getnframes() / recording.getframerate() == voice.media.document.attributes[0].duration
    assert sum(getattr(m, "action", None) is not None for m in history) > 20


# endregion

# region live traffic


def test_traffic_pushes_live_messages_to_a_connected_client(
    traffic_world: tuple[FakeTelegram, Organization, ServerAddress],
) -> None:
    world, org, address = traffic_world
    seen: list[Any] = []
    traffic = Traffic(world, org, rate=100, seed=7)

    async def main() -> None:
        client = make_client(address)
        await login(client, world)
        client.add_event_handler(seen.append, events.NewMessage)
        traffic.start()
        await await_for(lambda: len({e.chat_id for e in seen}) >= 3 and len(seen) >= 10, what="live messages")
        await client.disconnect()

    try:
        run(main())
    finally:
        traffic.stop()
    assert not traffic.running  # its thread is joined: nothing can happen after this
    assert world.on_account_message is None
    done = traffic.events
    assert {e.kind for e in done} & {"question", "chatter", "member_answer"}

    def marked(chat: int) -> int:
        return utils.get_peer_id(types.PeerChannel(chat)) if chat in org.groups.values() else chat

    produced = {(marked(e.chat), e.message_id) for e in done if e.message_id}
    assert len(produced & {(e.chat_id, e.id) for e in seen}) >= 5


def test_members_react_when_the_account_answers_them(
    traffic_world: tuple[FakeTelegram, Organization, ServerAddress],
) -> None:
    world, org, address = traffic_world
    group = org.groups["fa"]
    open_group = [q for q in org.open_questions if q.chat == group and q.topic]
    open_private = [q for q in org.open_questions if q.chat in org.private_members]
    assert open_group and open_private
    question, private_question = open_group[-1], open_private[-1]
    chatter = next(m for m in reversed(world.messages_in(group)) if text_of(m) in all_chatter("fa"))

    def reaction_to(chat: int, answer_id: int, member: int) -> Any:
        return next(
            (m for m in world.messages_in(chat) if m.id > answer_id and not m.out and sender_of(chat, m) == member),
            None,
        )

    def sender_of(chat: int, m: Any) -> int | None:
        return chat if chat in org.private_members else sender(m)

    with Traffic(world, org, rate=50, seed=9) as traffic:

        async def main() -> tuple[int, int, int]:
            client = make_client(address)
            await login(client, world)
            in_group = await client.send_message(
                utils.get_peer_id(types.PeerChannel(group)),
                "سلام، با Catholic Centre for Immigrants به شماره 613-232-9634 تماس بگیرید.",
                reply_to=question.message_id,
            )
            in_private = await client.send_message(private_question.chat, "We will call you this afternoon.")
            to_chatter = await client.send_message(
                utils.get_peer_id(types.PeerChannel(group)), "🌸", reply_to=chatter.id
            )
            await client.disconnect()
            return in_group.id, in_private.id, to_chatter.id

        group_answer, private_answer, chatter_answer = run(main())
        reaction = wait_for(lambda: reaction_to(group, group_answer, question.asker), what="group reaction")
        assert reply_id(reaction) == group_answer
        assert text_of(reaction) in (*THANKS["fa"], *FOLLOW_UPS["fa"])
        lang = org.languages[private_question.chat]
        private = wait_for(
            lambda: reaction_to(private_question.chat, private_answer, private_question.chat), what="private reaction"
        )
        assert text_of(private) in (*THANKS[lang], *FOLLOW_UPS[lang])
        wait_for(lambda: traffic.pending_reactions == 0, what="every reaction to have come")
        assert not any(reply_id(m) == chatter_answer for m in world.messages_in(group))  # chatter is not a question
        kinds = [e.kind for e in traffic.events if e.kind in ("thanks", "follow_up")]
        assert len(kinds) == 2


def test_the_account_hook_runs_outside_the_world_lock() -> None:
    """A hook that waits for another thread using the world must not deadlock (the server would hang)."""
    world, account = new_world()
    member = world.add_user("Amira")
    group = world.add_supergroup("Q&A", members=[member])
    question = world.send(group, member, "Where is the food bank?")
    calls: list[tuple[int, str, int | None, bool]] = []

    def hook(chat: int, message: Any) -> None:
        worker = threading.Thread(target=world.members, args=(group,))
        worker.start()
        worker.join(2.0)
        calls.append((chat, message.message, reply_id(message), worker.is_alive()))

    world.on_account_message = hook
    answer = world.send(group, account, "Call 211.", reply_to=question)
    world.send(group, member, "Thanks")  # members' messages are not announced
    world.send_private(member, "Hello")
    world.send(member, account, "Hi Amira")
    assert calls == [(group, "Call 211.", question, False), (member, "Hi Amira", None, False)]
    assert answer == question + 1


def test_traffic_is_deterministic_given_the_seed() -> None:
    def play(seed: int) -> list[tuple[str, int, int, str]]:
        world, account = new_world()
        org = seed_organization(world, account, now=NOW, months=1, seed=2)
        traffic = Traffic(world, org, rate=1.0, seed=seed)
        for _ in range(40):
            traffic.step()
        return [(e.kind, e.chat, e.user, e.text) for e in traffic.events]

    first = play(11)
    assert first == play(11) and first != play(12)
    kinds = Counter(kind for kind, *_ in first)
    assert kinds["question"] >= 5 and len(kinds) >= 5


def test_command_line_serves_the_organization_with_live_traffic(tmp_path: Path) -> None:
    key_file = tmp_path / "server.pem"
    command = [
        sys.executable, "-m", "fake_telegram", "--port", "0", "--key-out", str(key_file),
        "--app", f"{API_ID}:{API_HASH}", "--account", PHONE, "--code", "13579", "--months", "1", "--traffic", "30",
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
        assert "messages=" in lines["organization"] and lines["traffic"] == "rate=30"

        async def main() -> tuple[set[str], int]:
            client = make_client(ServerAddress(host, int(port), int(dc_id)))
            await client.connect()
            await client.send_code_request(PHONE)
            await client.sign_in(PHONE, "13579")
            names = {d.name for d in await client.get_dialogs()}
            live: list[Any] = []
            client.add_event_handler(live.append, events.NewMessage)
            await await_for(lambda: len(live) >= 2, what="live traffic from the command-line server")
            await client.disconnect()
            return names, len(live)

        names, live = run(main())
        assert {title for title, _ in GROUP_TITLES.values()} <= names and live >= 2
    finally:
        process.send_signal(signal.SIGTERM)
        out, _ = process.communicate(timeout=20)
    assert process.returncode == 0 and out.rstrip().endswith("stopped")


def test_the_connector_ingests_the_organization_and_its_live_traffic(
    log: Database, world: FakeTelegram, account: int, connection: ConnectionSettings, tmp_path: Path
) -> None:
    """What the demo mode does: the real connector catches up the history, then follows the traffic."""
    org = seed_organization(world, account, months=1, seed=8)
    log_in(log, world, connection)
    sources = SourceRepository(log)
    for lang, group in org.groups.items():
        sources.set_watched(SourceRef(SourceKind.GROUP, group, GROUP_TITLES[lang][0], "public_supergroup"), True)
    sources.set_watched(SourceRef(SourceKind.CHANNEL, org.channel, "News", "public_channel"), True)
    sources.set_watched(SourceRef(SourceKind.PRIVATE, 0, "Private messages", "personal_chat"), True)

    def stored() -> int:
        with log.sessions() as session:
            return int(session.scalar(select(func.count()).select_from(Message)))

    running = start_connector(log, connection, tmp_path)
    try:
        wait_for(lambda: connected(running), what="connected")
        wait_for(lambda: stored() == org.counts["total"], timeout=30, what="the history")
        with log.sessions() as session:
            inquiries = session.scalars(select(Inquiry)).all()
            membership = Counter(session.scalars(select(MembershipEvent.kind)).all())
        states = Counter(i.state for i in inquiries)
        assert states["answered"] > 500 and states["open"] > 10
        state_of = {(i.chat_id, i.question_telegram_id): i.state for i in inquiries}
        for q in org.open_questions:  # what the simulation left unanswered is what the inbox shows as waiting
            if q.chat in org.groups.values() and q.topic:
                assert state_of[(q.chat, q.message_id)] in ("open", "member_answered"), q
        waiting_chats = {i.chat_id for i in inquiries if i.state == "open"}
        assert {q.chat for q in org.open_questions if q.chat in org.private_members} <= waiting_chats
        languages = Counter(i.language for i in inquiries)
        assert {"ar", "fa", "fr", "en", "zh"} <= set(languages) and languages["und"] <= 10  # voice notes
        assert membership["joined"] > 10 and membership["left"] > 0 and membership["removed"] > 0

        traffic = Traffic(world, org, seed=1)
        event = next(e for e in iter(traffic.step, "never") if e is not None and e.kind == "question")

        def live_inquiry() -> list[tuple[int, str, str]]:
            with log.sessions() as session:
                found = session.scalars(  # message ids are per supergroup: the chat too
                    select(Inquiry).where(
                        Inquiry.chat_id == event.chat, Inquiry.question_telegram_id == event.message_id
                    )
                )
                return [(i.chat_id, i.state, i.language) for i in found]

        lang = org.group_language(event.chat)
        assert wait_for(live_inquiry, what="the live question") == [(event.chat, "open", lang)]
    finally:
        running.stop()


# endregion
