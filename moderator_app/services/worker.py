"""The database worker: one thread that runs the use cases' reads and writes, in the order they were asked.

One thread, not a pool: SQLite takes one writer at a time anyway, and a moderator's actions must reach the
log in the order they were made (dismiss, then undo). The window waits on none of it: it gets a future.
"""

from __future__ import annotations

import concurrent.futures
from collections.abc import Callable
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
T = TypeVar("T")


class DatabaseWorker:
    def __init__(self) -> None:
        self._executor = concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="database")

    def submit(self, fn: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> concurrent.futures.Future[T]:
        return self._executor.submit(fn, *args, **kwargs)

    def close(self, wait: bool = True) -> None:
        """Work already asked for finishes (a queued write is not lost); nothing new is taken."""
        self._executor.shutdown(wait=wait)
