"""Work for the window done elsewhere (the database worker, the connector's loop), results back on its thread.

Anki's ``CollectionOp`` / ``QueryOp`` are the model: the window asks, gets an :class:`Op`, and says what to do
on success and on failure; both run later on the window's thread, never while it waits. A failure nobody
handles is shown as a sentence in the status bar, so no refusal is lost.
"""

from __future__ import annotations

import concurrent.futures
import logging
from collections.abc import Callable
from typing import Any, Generic, TypeVar

import shiboken6
from PySide6.QtCore import QObject, Qt, Signal

from moderator_app.ui.threads import emit_from_worker

T = TypeVar("T")
log = logging.getLogger(__name__)


def run_here(work: Callable[[], T]) -> concurrent.futures.Future[T]:
    """Without a database worker (a dialog on its own, a test): the work runs at once; its result still
    arrives later, through the event loop, as it would from the worker."""
    future: concurrent.futures.Future[T] = concurrent.futures.Future()
    try:
        future.set_result(work())
    except Exception as exc:
        future.set_exception(exc)
    return future


class Op(Generic[T]):
    """One piece of work under way. Callbacks given before control returns to the event loop are called
    (results are delivered by a queued signal, so the chain ``ops.run(...).success(...).failure(...)`` is
    always complete by then)."""

    def __init__(self) -> None:
        self._success: Callable[[T], object] | None = None
        self._failure: Callable[[str], object] | None = None

    def success(self, callback: Callable[[T], object]) -> Op[T]:
        self._success = callback
        return self

    def failure(self, callback: Callable[[str], object]) -> Op[T]:
        """``callback`` gets the sentence saying what went wrong (nothing was changed)."""
        self._failure = callback
        return self


class Ops(QObject):
    """``describe`` turns an exception into the sentence shown; ``unhandled`` shows a failure nobody
    handled (the window's status bar)."""

    _finished = Signal(object, object, object)  # op, value, exception

    def __init__(
        self,
        submit: Callable[[Callable[[], Any]], concurrent.futures.Future[Any]],
        describe: Callable[[BaseException], str],
        unhandled: Callable[[str], object],
        parent: QObject | None = None,
        *,
        expected: tuple[type[BaseException], ...] = (ValueError,),
    ) -> None:
        """``expected``: refusals a person can cause (a wrong login code, a name already used), said without a
        trace in the notes; anything else is noted with its traceback."""
        super().__init__(parent)
        self._submit = submit
        self._describe = describe
        self._unhandled = unhandled
        self._expected = expected
        self._finished.connect(self._deliver, Qt.ConnectionType.QueuedConnection)  # never before the chain is set

    def run(self, work: Callable[[], T]) -> Op[T]:
        """``work`` on the database worker."""
        return self.follow(self._submit(work))

    def follow(self, future: concurrent.futures.Future[T]) -> Op[T]:
        """A future from elsewhere (a service call, the connector's loop)."""
        op: Op[T] = Op()

        def done(finished: concurrent.futures.Future[T]) -> None:
            if finished.cancelled():
                return
            problem = finished.exception()
            emit_from_worker(self, self._finished, op, None if problem is not None else finished.result(), problem)

        future.add_done_callback(done)
        return op

    def _deliver(self, op: Op[Any], value: Any, problem: BaseException | None) -> None:
        if problem is None:
            if op._success is not None and _alive(op._success):
                op._success(value)
            return
        if not isinstance(problem, self._expected):  # refusals are expected; anything else is worth a trace
            log.error("work for the window failed", exc_info=problem)
        message = self._describe(problem)
        if op._failure is not None:
            if _alive(op._failure):
                op._failure(message)
        else:
            self._unhandled(message)


def _alive(callback: Callable[..., Any]) -> bool:
    """False for a method of a widget deleted meanwhile (a dialog closed before its result came): the result
    is for nobody, and calling it would raise on the deleted widget."""
    owner = getattr(callback, "__self__", None)
    return not isinstance(owner, QObject) or shiboken6.isValid(owner)
