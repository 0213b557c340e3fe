"""Shared fixtures: real SQLite files, and real PostgreSQL databases on the server named by
MODERATOR_TEST_PG_URL (``.ci/run`` starts one). Without that variable the PostgreSQL variants are skipped
locally, and fail in CI (CI=true), so a CI run can never pass without having run them."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from moderator_app.domain.standard import ServiceStandard
from moderator_app.store.db import Database, open_database
from moderator_app.store.repositories import StandardRepository
from tests.support.memory_keyring import MemoryKeyring

FIXTURES = Path(__file__).resolve().parent / "fixtures"  # copies of ../shared/fixtures
TORONTO = ZoneInfo("America/Toronto")


def pg_server_url() -> str | None:
    url = os.environ.get("MODERATOR_TEST_PG_URL")
    if not url:
        if os.environ.get("CI") == "true":
            pytest.fail("CI must run the PostgreSQL tests: MODERATOR_TEST_PG_URL is not set (see .ci/run)")
        return None
    return url


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A fresh, empty PostgreSQL database for one test, dropped afterwards."""
    server = pg_server_url()
    if server is None:
        pytest.skip("no PostgreSQL server: set MODERATOR_TEST_PG_URL (CI does)")
    import psycopg
    from sqlalchemy.engine import make_url

    base = make_url(server)
    name = f"mw_test_{uuid.uuid4().hex[:12]}"
    admin = base.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield base.set(database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """The log on a real SQLite file and on a real PostgreSQL server."""
    if request.param == "sqlite":
        database = open_database(data_dir=tmp_path / "data")
    else:
        database = open_database(database_url=request.getfixturevalue("pg_url"))
    try:
        yield database
    finally:
        database.close()


@pytest.fixture
def sqlite_db(tmp_path: Path) -> Iterator[Database]:
    database = open_database(data_dir=tmp_path / "data")
    try:
        yield database
    finally:
        database.close()


def toronto_standard(db: Database, **changes: object) -> ServiceStandard:
    """The toolkit's standard: 24 h on business days, Mon-Fri 09:00-17:00, Ontario holidays."""
    from dataclasses import replace

    standard = replace(
        ServiceStandard.default(),
        timezone="America/Toronto",
        holidays_country="CA",
        holidays_subdivision="ON",
        **changes,  # type: ignore[arg-type]
    )
    StandardRepository(db).save(standard)
    return standard


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    """keyring's default backend, in memory, for the test (the real ones need a desktop session)."""
    import keyring

    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    try:
        yield backend
    finally:
        keyring.set_keyring(previous)
