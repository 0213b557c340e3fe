"""Connector benchmarks: catch-up of a 100k-message history and the latency of a pushed update.

Both run the real Telethon client against the local MTProto server (real auth key, AES-IGE, TL
serialization both ways) into a real SQLite log. For the catch-up figure the server runs in a child process,
as Telegram's servers are not in ours: in this process its work (rendering and encrypting 100k messages)
would share the interpreter lock with the connector's. Run with

    .venv/bin/python -m pytest tests/benchmarks/test_connector_bench.py -m benchmarks -s
"""

from __future__ import annotations

import asyncio
import multiprocessing
import random
import statistics
import threading
import time
from collections.abc import Iterator
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import keyring
import pytest
from sqlalchemy import func, select

from fake_telegram import FakeTelegram, public_key_pem, running_server
from moderator_app.domain.events import SourceKind, SourceRef
from moderator_app.store.db import Database, open_database
from moderator_app.store.models import Inquiry, Message
from moderator_app.store.repositories import SettingsRepository, SourceRepository
from moderator_app.store.secrets import SecretStore
from moderator_app.telegram.client import ConnectionSettings, ServerAddress
from moderator_app.telegram.login import LoginFlow, LoginStep
from tests.support.exportgen import (
    CHATTER,
    INFORMATION,
    MEMBER_ANSWERS,
    NAMES,
    ORGANIZATIONS,
    POSTS,
    QUESTIONS,
    referral_text,
)
from tests.support.memory_keyring import MemoryKeyring
from tests.telegram.conftest import API_HASH, API_ID, PHONE, connected, log_in, start_connector, wait_until

pytestmark = pytest.mark.benchmarks

HISTORY = 100_000
LIVE_QUESTIONS = [
    "كيف أسجل أطفالي في المدرسة؟",
    "Où puis-je obtenir une carte santé ?",
    "چطور می‌توانم کارت اتوبوس بگیرم؟",
    "Where is the nearest food bank?",
]


@pytest.fixture
def memory_keyring() -> Iterator[None]:
    previous = keyring.get_keyring()
    keyring.set_keyring(MemoryKeyring())
    yield
    keyring.set_keyring(previous)


def _org(world: FakeTelegram, members: int = 3000) -> tuple[int, list[int]]:
    world.add_app(API_ID, API_HASH)
    account = world.add_account(PHONE, "Help", "Desk")
    names = NAMES["ar"]
    people = [world.add_user(f"{names[i % len(names)]} {i}") for i in range(members)]
    group = world.add_supergroup("Newcomers Ottawa", members=people)
    return group, [account, *people]


def _history(account: int, members: list[int], count: int, seed: int = 1) -> list[tuple[int, str, int, int | None]]:
    """The import benchmark's mix (tests/support/exportgen.py, bulk_group_export): 30 % questions, member
    answers, staff replies and referrals, posts and chatter, from 3,000 members in four languages."""
    rng = random.Random(seed)
    at = 1_735_689_600
    rows: list[tuple[int, str, int, int | None]] = []
    questions: list[int] = []
    for msg_id in range(1, count + 1):
        at += rng.randint(20, 200)
        roll = rng.random()
        member = members[rng.randrange(len(members))]
        lang = ("ar", "fa", "fr", "en")[rng.randrange(4)]
        if roll < 0.3:
            rows.append((member, rng.choice(QUESTIONS[lang]), at, None))
            questions.append(msg_id)
        elif roll < 0.4 and questions:
            rows.append((member, rng.choice(MEMBER_ANSWERS[lang]), at, rng.choice(questions[-50:])))
        elif roll < 0.6 and questions:
            question = questions.pop(max(0, len(questions) - 1 - rng.randrange(20)))
            text = referral_text(rng.sample(ORGANIZATIONS, 2), question) if rng.random() < 0.3 else INFORMATION[lang]
            rows.append((account, text, at, question))
        elif roll < 0.65:
            rows.append((account, rng.choice(POSTS), at, None))
        else:
            rows.append((member, rng.choice(CHATTER[lang]), at, None))
    return rows


def _watched_log(path: Path, world: FakeTelegram, connection: ConnectionSettings, group: int) -> Database:
    db = open_database(data_dir=path)
    log_in(db, world, connection)
    SourceRepository(db).set_watched(SourceRef(SourceKind.GROUP, group, "Newcomers Ottawa", "private_supergroup"), True)
    return db


def _serve_history(pipe: Connection, count: int) -> None:
    """In a child process: the fake server with a ``count``-message history, until told to stop."""
    world = FakeTelegram(login_code="12345")
    group, people = _org(world)
    world.add_history(group, _history(people[0], people[1:], count))
    with running_server(world) as address:
        pipe.send((address.host, address.port, address.dc_id, group))
        pipe.recv()


def _catch_up_rate(tmp_path: Path, benchmark: Any, label: str) -> float:
    """Run the catch-up twice (fresh logs) against the server in the child process; messages per second."""
    parent, child = multiprocessing.get_context("fork").Pipe()
    server = multiprocessing.get_context("fork").Process(target=_serve_history, args=(child, HISTORY), daemon=True)
    server.start()
    try:
        host, port, dc_id, group = parent.recv()
        key = tmp_path / "server.pem"
        key.write_bytes(public_key_pem())
        connection = ConnectionSettings(ServerAddress(host, port, dc_id), key)
        runs = iter(range(10))

        def setup() -> tuple[tuple[Database, Path], dict[str, Any]]:
            folder = tmp_path / f"{label}{next(runs)}"
            db = open_database(data_dir=folder / "data")
            _log_in_with_fixed_code(db, connection)
            SourceRepository(db).set_watched(
                SourceRef(SourceKind.GROUP, group, "Newcomers Ottawa", "private_supergroup"), True
            )
            return (db, folder), {}

        catch_ups: list[float] = []

        def catch_up(db: Database, folder: Path) -> int:
            running = start_connector(db, connection, folder)
            try:
                wait_until(lambda: connected(running), timeout=600, what="catch-up")
            finally:
                running.stop()
            messages, seconds = running.connector.last_catch_up
            catch_ups.append(seconds)
            return messages

        stored = benchmark.pedantic(catch_up, setup=setup, rounds=3, iterations=1)
    finally:
        parent.send("stop")
        server.join(30)
    assert stored == HISTORY
    whole = HISTORY / benchmark.stats.stats.median
    benchmark.extra_info["messages_per_second_with_connect_and_stop"] = round(whole)
    print(f"\nwith connecting, listing chats and stopping: {whole:,.0f} msg/s")
    return HISTORY / statistics.median(catch_ups)


def _log_in_with_fixed_code(db: Database, connection: ConnectionSettings) -> None:
    flow = LoginFlow(SettingsRepository(db), SecretStore(db), connection)

    async def run() -> None:
        await flow.start()
        await flow.submit_api(API_ID, API_HASH)
        await flow.submit_phone(PHONE)
        assert await flow.submit_code("12345") is LoginStep.DONE
        await flow.close()

    asyncio.run(run())


def test_catch_up_of_a_100k_history(benchmark: Any, tmp_path: Path, memory_keyring: None) -> None:
    """The figure: from the list of chats to the last commit (connecting and stopping, a second or so, are
    printed apart), with the fake server in its own process (as Telegram's servers are not in ours)."""
    rate = _catch_up_rate(tmp_path, benchmark, "run")
    benchmark.extra_info["messages_per_second"] = round(rate)
    db = open_database(data_dir=tmp_path / "run0" / "data")
    with db.sessions() as session:
        assert session.scalar(select(func.count()).select_from(Message)) == HISTORY
        inquiries = session.scalar(select(func.count()).select_from(Inquiry))
    db.close()
    print(f"\ncatch-up: {HISTORY:,} messages at {rate:,.0f} msg/s; {inquiries:,} inquiries opened")
    assert rate >= 5000


def test_pushed_update_to_committed_inquiry(benchmark: Any, tmp_path: Path, memory_keyring: None) -> None:
    world = FakeTelegram(login_code="12345")
    group, people = _org(world)
    key = tmp_path / "server.pem"
    key.write_bytes(public_key_pem())
    latencies: list[float] = []
    with running_server(world) as address:
        connection = ConnectionSettings(ServerAddress(address.host, address.port, address.dc_id), key)
        db = _watched_log(tmp_path / "data", world, connection, group)
        running = start_connector(db, connection, tmp_path)
        arrived = threading.Event()
        running.connector.on_stored = lambda kind, telegram_id: arrived.set()
        try:
            wait_until(lambda: connected(running), what="connected")

            def one(i: int) -> None:
                arrived.clear()
                started = time.perf_counter()
                world.send(group, people[1 + i % 3000], f"{LIVE_QUESTIONS[i % 4]} ({i})")
                assert arrived.wait(5)
                latencies.append(time.perf_counter() - started)

            counter = iter(range(10_000))
            benchmark.pedantic(lambda: one(next(counter)), rounds=300, iterations=1, warmup_rounds=5)
        finally:
            running.stop()
        with db.sessions() as session:
            opened = session.scalar(select(func.count()).select_from(Inquiry))
        db.close()
    median_ms = statistics.median(latencies) * 1000
    p95_ms = sorted(latencies)[int(len(latencies) * 0.95)] * 1000
    benchmark.extra_info.update({"median_ms": round(median_ms, 2), "p95_ms": round(p95_ms, 2)})
    print(f"\nupdate → committed row: median {median_ms:.1f} ms, p95 {p95_ms:.1f} ms; {opened} inquiries opened")
    assert opened >= 200
    assert median_ms < 20
