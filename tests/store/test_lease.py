"""Only one connector per log (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from moderator_app.store.db import Database
from moderator_app.store.lease import STALE_AFTER, ConnectorAlreadyRunning, ConnectorLeases
from moderator_app.store.repositories import now_utc


def test_a_second_connector_is_refused_and_told_where_the_first_runs(db: Database) -> None:
    office = ConnectorLeases(db, hostname="office-nuc", pid=4242)
    laptop = ConnectorLeases(db, hostname="laptop", pid=7)
    office.acquire()
    with pytest.raises(ConnectorAlreadyRunning, match="already runs on office-nuc \\(process 4242"):
        laptop.acquire()
    assert office.heartbeat()
    office.release()
    laptop.acquire()
    current = laptop.current()
    assert current is not None and current.hostname == "laptop"


def test_a_stale_lease_is_taken_over_and_the_old_holder_learns_it(db: Database) -> None:
    crashed = ConnectorLeases(db, hostname="old-box", pid=1)
    crashed.acquire(now=now_utc() - STALE_AFTER - timedelta(seconds=5))
    fresh = ConnectorLeases(db, hostname="new-box", pid=2)
    fresh.acquire()
    assert not crashed.heartbeat()  # it must stop
    assert fresh.heartbeat()
    crashed.release()  # releasing someone else's lease does nothing
    assert fresh.current() is not None
