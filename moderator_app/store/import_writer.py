"""A second process that writes an import's batches while the import reads and judges the next one.

The rules are Python and hold the interpreter's lock; so does every row SQLite's driver binds, so a writer
*thread* gains nothing (measured: a thread inserting while another computes finished later than the two one
after the other). A process has its own interpreter: on a machine with two cores the log is written while the
next 5,000 messages are read, and an import takes about a fifth less time (see the import benchmark).

The ingestor plans each batch as plain data (:class:`~moderator_app.store.ingest.BatchPlan`), which goes
through a pipe; this process writes it in one transaction with the same code an import without it uses
(:func:`~moderator_app.store.ingest.write_plan`) and answers with the new ids or the error. One batch at a
time, in order: the ingestor waits for a batch's answer before it hands over the next, so a failure loses at
most the batch in progress, as without it, and the counts say exactly what the log holds.

Only for a SQLite log (a file both processes open; its write-ahead log lets this one read meanwhile).
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import pickle
import signal
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any, Final

from sqlalchemy import event

from moderator_app.store.db import Database, open_database
from moderator_app.store.ingest import BatchIds, BatchPlan, write_plan

#: Below this size an export is imported without a writer process: starting one (a Python interpreter and
#: SQLAlchemy, about half a second) would cost more than it saves. 8 MB is some 20,000 messages.
WRITE_BEHIND_BYTES: Final = 8 * 1024 * 1024

#: The writer's SQLite page cache, in KiB (the log's connections have 64 MB): with the import's own process
#: both hold a copy of Python and SQLAlchemy, and a 1 GB import must stay under 300 MB in all.
WRITER_CACHE_KIB: Final = 16 * 1024

#: How long closing waits for the process to leave on its own before stopping it.
_CLOSE_SECONDS: Final = 10.0


class WriterStopped(RuntimeError):
    """The writer process ended without answering (killed, out of memory)."""


class WriterProcess:
    """The writer process for one SQLite log; a context manager that ends it on the way out."""

    def __init__(self, data_dir: Path) -> None:
        context = multiprocessing.get_context("spawn")  # no fork: the parent may run Qt's and Telethon's threads
        self._pipe, child = context.Pipe()
        self._process = context.Process(
            target=_serve, args=(child, str(data_dir)), name="moderator-import-writer", daemon=True
        )
        self._process.start()
        child.close()
        self._lost: OSError | None = None  # the pipe broke while a plan was sent

    @property
    def pid(self) -> int | None:
        return self._process.pid

    def submit(self, plan: BatchPlan) -> None:
        try:
            self._pipe.send(plan)
        except OSError as exc:  # the process is gone: result() says so, where the ingestor waits for it
            self._lost = exc

    def result(self) -> BatchIds:
        try:
            if self._lost is not None:
                raise self._lost
            answer = self._pipe.recv()
        except (EOFError, OSError) as exc:
            self._process.join(_CLOSE_SECONDS)
            raise WriterStopped(
                f"the process writing the import to the log ended unexpectedly (exit code {self._process.exitcode}) "
                "before it said the batch it was writing was stored; run the same command again: it resumes, and "
                "what is already in the log is not stored twice"
            ) from exc
        if isinstance(answer, BaseException):
            raise answer
        assert isinstance(answer, BatchIds)
        return answer

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self._pipe.send(None)
        self._process.join(_CLOSE_SECONDS)
        if self._process.is_alive():  # pragma: no cover - a write stuck for ten seconds
            self._process.terminate()
            self._process.join()
        self._pipe.close()

    def __enter__(self) -> WriterProcess:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def write_behind_for(db: Database, export_bytes: int, *, always: bool = False) -> WriterProcess | None:
    """A writer process for a SQLite log in a folder, when it pays (``always``: whenever possible): an export
    large enough, and a second core (on one core the two processes take turns, and the pipe makes the import
    a fifth slower)."""
    if not db.is_sqlite or db.data_dir is None:
        return None
    if not always and (export_bytes < WRITE_BEHIND_BYTES or usable_cores() < 2):
        return None
    return WriterProcess(db.data_dir)


def usable_cores() -> int:
    """The cores this process may run on (a container or ``taskset`` may allow fewer than the machine has)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def _serve(pipe: Connection, data_dir: str) -> None:
    """The writer process: one plan in, one transaction, its ids (or its error) out, until told to end."""
    # Ctrl+C in a terminal reaches the whole process group: the import decides when to stop (after the batch
    # being written, so the log and its summary agree), not this process.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    db = open_database(data_dir=Path(data_dir), migrate=False, for_import=True)

    def smaller_cache(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.execute(f"PRAGMA cache_size=-{WRITER_CACHE_KIB}")

    event.listen(db.engine, "connect", smaller_cache)  # after the log's own pragmas, which set 64 MB
    from moderator_app.store.bulk import bulk_writer_for

    bulk = bulk_writer_for(db.engine.dialect.name)
    try:
        while True:
            try:
                plan = pipe.recv()
            except EOFError:
                return  # the import ended (or died): nothing more to write
            if plan is None:
                return
            try:
                with db.engine.begin() as connection:
                    answer: Any = write_plan(connection, bulk, plan)
            except Exception as exc:
                answer = _portable(exc)
            pipe.send(answer)
    finally:
        db.close()
        pipe.close()


def _portable(exc: Exception) -> BaseException:
    """The error as the import would have met it, if it survives the pipe; its text otherwise."""
    try:
        pickle.loads(pickle.dumps(exc))
    except Exception:
        return RuntimeError(f"{type(exc).__name__}: {exc}")
    return exc
