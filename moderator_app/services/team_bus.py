"""A team's workstations on one PostgreSQL log hear each other's changes within a second.

What a use case commits is announced on this process's :class:`ChangeBus`; on a shared PostgreSQL log this
module also tells the other processes (the other workstations, the headless connector) with a ``NOTIFY``,
and a thread of its own, on a connection of its own doing ``LISTEN``, announces theirs on the local bus. The
notification is only a hint of what to read again; the tables stay the truth (as Odoo's bus does it). So a
dropped listening connection is reconnected, with a growing pause between attempts, and once back a
:data:`CATCH_UP` is announced: whatever was missed meanwhile is read again from the log.

A SQLite log is one workstation's: nothing is built for it (:meth:`TeamBus.open` gives None).
"""

from __future__ import annotations

import json
import logging
import threading
import time
import uuid
from collections.abc import Sequence
from dataclasses import fields
from typing import TYPE_CHECKING, Any, Final, cast

from sqlalchemy import func, select

from moderator_app.domain.settings import SETTINGS
from moderator_app.services.changes import ChangeBus, Changes
from moderator_app.store.db import Database

if TYPE_CHECKING:
    import psycopg

log = logging.getLogger(__name__)

#: The PostgreSQL channel every process on the log listens to.
CHANNEL: Final = "moderator_app_changes"
#: PostgreSQL refuses a payload of 8,000 bytes or more; a larger change is sent as a catch-up instead.
MAX_PAYLOAD: Final = 7_900
#: Pauses (seconds) before the first, second, ... attempt to listen again after the connection dropped.
RECONNECT_DELAYS: Final = (0.5, 1.0, 2.0, 5.0, 10.0, 30.0)
#: An idle listening connection is checked this often (seconds): a network that went away silently is noticed.
CHECK_EVERY: Final = 30.0

#: Announced once listening again after a dropped connection: read everything again.
CATCH_UP: Final = Changes(standard=True, library=True, settings=frozenset(SETTINGS), everything=True)


def encode(changes: Changes, origin: str) -> str:
    """The notification's payload: the fields of ``changes`` (sets as sorted lists) and who sent it."""
    body: dict[str, Any] = {"origin": origin}
    for field in fields(Changes):
        value = getattr(changes, field.name)
        body[field.name] = sorted(value) if isinstance(value, frozenset) else value
    payload = json.dumps(body, separators=(",", ":"), ensure_ascii=False)
    if len(payload.encode()) > MAX_PAYLOAD and changes != CATCH_UP:
        return encode(CATCH_UP, origin)  # thousands of inquiries at once: the others read everything
    return payload


def decode(payload: str) -> tuple[str, Changes]:
    """(origin, changes) of a payload :func:`encode` made; ValueError for anything else. Fields this version
    does not know (a newer workstation's) are left out."""
    body = json.loads(payload)
    if not isinstance(body, dict) or not isinstance(body.get("origin"), str):
        raise ValueError(f"not a change notification: {payload[:80]!r}")
    values: dict[str, Any] = {}
    for field in fields(Changes):
        if field.name not in body:
            continue
        value = body[field.name]
        if isinstance(value, list):
            if not all(isinstance(item, int | str) and not isinstance(item, bool) for item in value):
                raise ValueError(f"{field.name}: not a list of numbers or keys")
            values[field.name] = frozenset(value)
        elif value is None or isinstance(value, bool):
            values[field.name] = value
        else:
            raise ValueError(f"{field.name}: {value!r}")
    return body["origin"], Changes(**values)


class TeamBus:
    """Carries ``bus``'s announcements to the other processes on the log, and theirs to ``bus``.

    Publishing happens on the thread that announced (the database worker, mostly), on a connection of the
    engine's pool, once the change is committed. Others' changes are announced on the listening thread; the
    bus's followers hand them over to their own threads as they do for any change. A notification from this
    process (``origin``) is its own echo and is ignored; what this thread announces is not sent on again.
    """

    def __init__(
        self,
        db: Database,
        bus: ChangeBus,
        *,
        origin: str | None = None,
        delays: Sequence[float] = RECONNECT_DELAYS,
        wait: float = 0.5,
        check_every: float = CHECK_EVERY,
    ) -> None:
        self._db = db
        self._bus = bus
        self.origin = origin or uuid.uuid4().hex
        self._delays = tuple(delays) or (1.0,)
        self._wait = wait
        self._check_every = check_every
        self._stop = threading.Event()
        self._listening = threading.Event()
        self._pid: int | None = None
        self._thread = threading.Thread(target=self._listen, name="team-bus", daemon=True)
        self._unsubscribe = bus.subscribe(self._publish)

    @classmethod
    def open(cls, db: Database, bus: ChangeBus, **options: Any) -> TeamBus | None:
        """Started on a PostgreSQL log; None on a SQLite one (one workstation: nobody else to tell)."""
        if db.engine.dialect.name != "postgresql":
            return None
        team = cls(db, bus, **options)
        team.start()
        return team

    def start(self) -> None:
        self._thread.start()

    @property
    def listening(self) -> bool:
        """Whether the listening connection is up (others' changes reach this process now)."""
        return self._listening.is_set()

    def wait_listening(self, timeout: float) -> bool:
        return self._listening.wait(timeout)

    @property
    def listener_pid(self) -> int | None:
        """The server process of the listening connection (None while there is none)."""
        return self._pid if self._listening.is_set() else None

    def close(self, timeout: float = 5.0) -> None:
        """Nothing more is sent or heard; the listening connection is closed."""
        self._unsubscribe()
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout)

    # -- publishing --------------------------------------------------------------------------------------------
    def _publish(self, changes: Changes) -> None:
        if threading.current_thread() is self._thread:
            return  # another process's change, announced here: it has been told already
        payload = encode(changes, self.origin)
        try:
            with self._db.engine.connect() as connection:
                connection.execute(select(func.pg_notify(CHANNEL, payload)))
                connection.commit()
        except Exception as exc:  # the change is in the log; the others read it at their next catch-up
            log.warning("could not tell the other workstations of %s: %s", changes, exc)

    # -- listening ---------------------------------------------------------------------------------------------
    def _connect(self) -> psycopg.Connection[Any]:
        """A connection of its own, with the engine's credentials (the keyring's password included), out of
        the pool: it stays in LISTEN for as long as it lives."""
        pooled = self._db.engine.raw_connection()
        connection = cast("psycopg.Connection[Any]", pooled.driver_connection)
        pooled.detach()
        try:
            connection.rollback()  # the pool's check may have opened a transaction: autocommit needs none
            connection.autocommit = True
            connection.execute(f"LISTEN {CHANNEL}")
        except Exception:
            connection.close()
            raise
        return connection

    def _listen(self) -> None:
        attempt = 0
        missed = False  # whether changes may have gone unheard since the last connection
        while not self._stop.is_set():
            try:
                connection = self._connect()
            except Exception as exc:
                delay = self._delays[min(attempt, len(self._delays) - 1)]
                attempt += 1
                missed = True
                log.warning("cannot listen to the other workstations' changes (%s); trying again in %.1f s", exc, delay)
                self._stop.wait(delay)
                continue
            try:
                self._pid = int(connection.info.backend_pid)
                self._listening.set()
                if attempt or missed:
                    log.info("listening to the other workstations' changes again: reading everything again")
                attempt = 0
                if missed:
                    missed = False
                    self._bus.announce(CATCH_UP)
                self._hear(connection)
            except Exception as exc:  # the connection dropped (a server restart, the network, a terminated backend)
                if not self._stop.is_set():
                    missed = True
                    log.warning("lost the connection that hears the other workstations' changes: %s", exc)
                    self._stop.wait(self._delays[0])
            finally:
                self._listening.clear()
                self._pid = None
                try:
                    connection.close()
                except Exception:  # already broken
                    log.debug("closing the listening connection", exc_info=True)

    def _hear(self, connection: psycopg.Connection[Any]) -> None:
        """Until stopped: each notification from another process announced here. The connection is checked
        when it has been quiet for ``check_every`` seconds."""
        checked = time.monotonic()
        while not self._stop.is_set():
            for notification in connection.notifies(timeout=self._wait):
                checked = time.monotonic()
                self._heard(notification.payload)
                if self._stop.is_set():
                    return
            if time.monotonic() - checked >= self._check_every:
                connection.execute("SELECT 1")
                checked = time.monotonic()

    def _heard(self, payload: str) -> None:
        try:
            origin, changes = decode(payload)
        except ValueError as exc:
            log.warning("a change notification this version cannot read (%s): reading everything again", exc)
            self._bus.announce(CATCH_UP)
            return
        if origin != self.origin:
            self._bus.announce(changes)
