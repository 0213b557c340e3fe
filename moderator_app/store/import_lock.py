"""One import at a time into a log: a second one waits for the first to finish, and says so.

Two imports writing at once each believed they knew every member, and the second failed with a raw
"UNIQUE constraint failed: members". An import holds a lock for its whole run: on SQLite a lock file beside
the log (``filelock``: the operating system's lock, on Linux, macOS and Windows), on PostgreSQL an advisory
lock. Both go away with the process, so a killed import never leaves the log locked.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Final

from sqlalchemy import text
from sqlalchemy.engine import make_url

from moderator_app.store.db import Database

#: The advisory lock's key on PostgreSQL ("moderator import", an arbitrary constant of this application).
ADVISORY_KEY: Final = 0x6D6F_6469_6D70


def lock_path(db: Database) -> Path:
    """The lock file of a SQLite log: beside the database file."""
    database = make_url(db.url).database or ""
    return Path(database + ".import-lock")


@contextlib.contextmanager
def one_import_at_a_time(db: Database, on_wait: Callable[[], None]) -> Iterator[None]:
    """Hold the log's import lock for the block; ``on_wait`` is called once if another import holds it."""
    if db.engine.dialect.name == "sqlite":
        from filelock import FileLock, Timeout

        lock = FileLock(lock_path(db), mode=0o600)
        try:
            lock.acquire(timeout=0)
        except Timeout:
            on_wait()
            lock.acquire()
        try:
            yield
        finally:
            lock.release()
        return
    with db.engine.connect() as connection:
        if not connection.scalar(text("SELECT pg_try_advisory_lock(:key)"), {"key": ADVISORY_KEY}):
            on_wait()
            connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": ADVISORY_KEY})
        connection.commit()
        try:
            yield
        finally:
            connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": ADVISORY_KEY})
            connection.commit()
