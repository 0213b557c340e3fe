"""Only one connector per log (SQLite and PostgreSQL)."""

from __future__ import annotations

import os
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


def test_a_holder_whose_process_is_gone_from_this_machine_is_replaced_at_once(db: Database) -> None:
    """(issue: hardening, item 11) After a kill -9 of the holder, a restart here waited three minutes."""
    import subprocess
    import sys

    finished = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    dead = int(finished.stdout)  # a process that has ended: its pid is free
    ConnectorLeases(db, hostname="office-nuc", pid=dead).acquire()
    again = ConnectorLeases(db, hostname="office-nuc", pid=dead + 1_000_000)
    again.acquire()  # at once: the holder's process is not running on this machine
    current = again.current()
    assert current is not None and current.pid == dead + 1_000_000

    # Another machine's holder cannot be checked: it is waited for until its lease goes stale (60 s).
    other_machine = ConnectorLeases(db, hostname="laptop", pid=dead)
    with pytest.raises(ConnectorAlreadyRunning, match="60 seconds after it was last seen"):
        other_machine.acquire()
    # A holder whose process runs here (this test's own) is not replaced either.
    alive = ConnectorLeases(db, hostname="spare", pid=os.getpid())
    alive_db_holder = ConnectorLeases(db, hostname="spare", pid=os.getpid() + 2_000_000)
    again.release()
    alive.acquire()
    with pytest.raises(ConnectorAlreadyRunning):
        alive_db_holder.acquire()
    assert timedelta(seconds=60) == STALE_AFTER
