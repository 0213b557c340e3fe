"""Results from worker threads to the window, which may have closed while the work ran."""

from __future__ import annotations

import concurrent.futures
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, SignalInstance


def emit_from_worker(owner: QObject, signal: SignalInstance, *args: Any) -> bool:
    """Emit ``owner``'s ``signal`` from a worker thread; False, and nothing emitted, once ``owner`` is gone.

    A moderator may close the window while the inbox or the library is still being read (or the login
    wizard while a request runs): Qt then deletes the objects the results were for, and emitting on them
    raises in the worker. Nobody waits for those results any more, so they are dropped quietly instead of
    ending the worker with a traceback. Any other failure of the emission still raises.
    """
    if not shiboken6.isValid(owner):
        return False
    try:
        signal.emit(*args)
    except RuntimeError:
        if shiboken6.isValid(owner):
            raise
        return False  # deleted between the check and the emission
    return True


Submit = Callable[[Callable[[], Any]], "concurrent.futures.Future[Any]"]


def own_worker(name: str) -> Submit:
    """For a loader given no database worker (tests, probes): one thread of its own, work in order."""
    return concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix=name).submit
