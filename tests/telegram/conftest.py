"""A real Telethon client against the in-process MTProto server, a log, and an in-memory keyring."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from fake_telegram import FakeTelegram, public_key_pem, running_server
from moderator_app.store.db import Database
from moderator_app.store.repositories import SettingsRepository
from moderator_app.store.secrets import SecretStore
from moderator_app.telegram.client import ConnectionSettings, ServerAddress
from moderator_app.telegram.connector import Connector, ConnectorStatus
from moderator_app.telegram.connector_thread import ConnectorThread
from moderator_app.telegram.login import LoginFlow, LoginStep
from tests.support.memory_keyring import MemoryKeyring

API_ID = 123456
API_HASH = "0123456789abcdef0123456789abcdef"
PHONE = "+15550001000"


@pytest.fixture
def world() -> FakeTelegram:
    telegram = FakeTelegram()
    telegram.add_app(API_ID, API_HASH)
    return telegram


@pytest.fixture
def account(world: FakeTelegram) -> int:
    return world.add_account(PHONE, "Settlement", "Desk")


@pytest.fixture
def connection(world: FakeTelegram, tmp_path: Path) -> Iterator[ConnectionSettings]:
    key = tmp_path / "server.pem"
    key.write_bytes(public_key_pem())
    with running_server(world) as address:
        yield ConnectionSettings(ServerAddress(address.host, address.port, address.dc_id), key)


@pytest.fixture
def log(sqlite_db: Database, memory_keyring: MemoryKeyring) -> Database:
    """A SQLite log (tests/conftest.py's), its secrets in the in-memory keyring."""
    return sqlite_db


@pytest.fixture
def any_log(db: Database, memory_keyring: MemoryKeyring) -> Database:
    """The log on a SQLite file and on the PostgreSQL server (a team's shared log)."""
    return db


def log_in(db: Database, world: FakeTelegram, connection: ConnectionSettings, phone: str = PHONE) -> LoginFlow:
    flow = LoginFlow(SettingsRepository(db), SecretStore(db), connection)

    async def run() -> None:
        assert await flow.start() is LoginStep.API
        assert await flow.submit_api(API_ID, API_HASH) is LoginStep.PHONE
        assert await flow.submit_phone(phone) is LoginStep.CODE
        assert await flow.submit_code(world.login_code(phone)) is LoginStep.DONE
        await flow.close()

    asyncio.run(run())
    return flow


def wait_until(predicate: Callable[[], Any], timeout: float = 15.0, what: str = "condition") -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.02)
    raise AssertionError(f"timed out waiting for {what}")


@dataclass
class RunningConnector:
    thread: ConnectorThread
    statuses: list[ConnectorStatus] = field(default_factory=list)
    stored: list[tuple[str, int]] = field(default_factory=list)

    @property
    def connector(self) -> Connector:
        assert self.thread.connector is not None
        return self.thread.connector

    def stop(self) -> None:
        self.thread.stop()


def start_connector(db: Database, connection: ConnectionSettings, tmp_path: Path, **options: Any) -> RunningConnector:
    running = RunningConnector(ConnectorThread(lambda: connector))
    options.setdefault("reconnect_delay", 0.2)
    options.setdefault("poll_interval", 0.05)
    connector = Connector(
        db,
        SecretStore(db),
        connection,
        media_dir=tmp_path / "media",
        on_status=running.statuses.append,
        on_stored=lambda kind, telegram_id: running.stored.append((kind, telegram_id)),
        **options,
    )
    running.thread.start()
    return running


def connected(running: RunningConnector) -> bool:
    return bool(running.statuses) and running.statuses[-1].state.value == "connected"
