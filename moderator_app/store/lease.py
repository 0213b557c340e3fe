"""One Telegram connector per log: a lease row, renewed by a heartbeat, taken over only when it goes stale.

Two connectors on one session would fight over updates and could send the outbox twice; a team sharing a
PostgreSQL log runs one connector on an always-on machine, and a second one (a laptop started by mistake)
must refuse and say where the first one runs.
"""

from __future__ import annotations

import os
import secrets
import socket
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import cast

from sqlalchemy import Table, delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from moderator_app.store.db import Database
from moderator_app.store.models import ConnectorLease
from moderator_app.store.repositories import now_utc

LEASE = cast(Table, ConnectorLease.__table__)

#: A connector renews its lease every 30 seconds; one not renewed for this long is taken to be gone (a
#: standby takes over then, without a person).
STALE_AFTER = timedelta(seconds=60)


def _process_gone(pid: int) -> bool:
    """Whether no process ``pid`` runs on this machine (a holder killed with -9 left its lease behind)."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except (PermissionError, OSError):
        return False  # it exists (another user's), or this system cannot tell: not gone
    return False


class ConnectorAlreadyRunning(Exception):
    """Another connector holds this log; the message says which machine and since when."""


@dataclass(frozen=True)
class LeaseHolder:
    holder: str
    hostname: str
    pid: int
    started_at: datetime
    heartbeat_at: datetime


class ConnectorLeases:
    def __init__(self, db: Database, *, hostname: str | None = None, pid: int | None = None) -> None:
        self.db = db
        self.hostname = hostname or socket.gethostname()
        self.pid = pid if pid is not None else os.getpid()
        self.token = secrets.token_hex(16)

    def current(self) -> LeaseHolder | None:
        with self.db.engine.connect() as connection:
            row = connection.execute(select(LEASE).where(LEASE.c.id == 1)).first()
        if row is None:
            return None
        return LeaseHolder(row.holder, row.hostname, row.pid, row.started_at, row.heartbeat_at)

    def acquire(self, now: datetime | None = None) -> None:
        """Take the lease, or raise :class:`ConnectorAlreadyRunning` naming the machine that has it."""
        now = now or now_utc()
        values = {
            "holder": self.token,
            "hostname": self.hostname[:255],
            "pid": self.pid,
            "started_at": now,
            "heartbeat_at": now,
        }
        with self.db.engine.begin() as connection:
            taken = connection.execute(
                update(LEASE).where(LEASE.c.id == 1, LEASE.c.heartbeat_at < now - STALE_AFTER).values(**values)
            ).rowcount
            if taken:
                return
        holder = self.current()
        if (
            holder is not None
            and holder.hostname == self.hostname
            and holder.pid != self.pid
            and _process_gone(holder.pid)
        ):
            # Its process is gone from this very machine: no need to wait for the lease to go stale.
            with self.db.engine.begin() as connection:
                taken = connection.execute(
                    update(LEASE).where(LEASE.c.id == 1, LEASE.c.holder == holder.holder).values(**values)
                ).rowcount
            if taken:
                return
        try:
            with self.db.engine.begin() as connection:
                connection.execute(insert(LEASE).values(id=1, **values))
                return
        except IntegrityError:
            pass
        holder = self.current()
        if holder is None or holder.holder == self.token:
            return
        raise ConnectorAlreadyRunning(
            f"The Telegram connector for this log already runs on {holder.hostname} (process {holder.pid}, "
            f"since {holder.started_at:%Y-%m-%d %H:%M} UTC, last seen {holder.heartbeat_at:%H:%M:%S} UTC). "
            "Stop that one first; if that machine is gone, this one may start "
            f"{int(STALE_AFTER.total_seconds())} seconds after it was last seen (or run this one with --standby: "
            "it waits and takes over by itself)."
        )

    def heartbeat(self, now: datetime | None = None) -> bool:
        """Renew the lease; False if it was lost (taken over after going stale): then stop at once."""
        with self.db.engine.begin() as connection:
            renewed = connection.execute(
                update(LEASE).where(LEASE.c.id == 1, LEASE.c.holder == self.token).values(heartbeat_at=now or now_utc())
            ).rowcount
        return bool(renewed)

    def release(self) -> None:
        with self.db.engine.begin() as connection:
            connection.execute(delete(LEASE).where(LEASE.c.id == 1, LEASE.c.holder == self.token))
