"""The connector on its own thread and event loop, for the window: start, stop, hand it work, and say why it
ended."""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import logging
import threading
from collections.abc import Callable, Coroutine
from typing import Any

from sqlalchemy.exc import DBAPIError

from moderator_app.domain.actions import Details, ModeratorAction, Undo
from moderator_app.services.changes import Changes
from moderator_app.services.inquiries import LiveInquiries
from moderator_app.store.answer_links import Relinked
from moderator_app.store.db import explain_operational_error
from moderator_app.store.lease import ConnectorAlreadyRunning
from moderator_app.telegram.connector import Connector
from moderator_app.telegram.errors import Remedy, TelegramProblem, explain
from moderator_app.telegram.status import ConnectionState, ConnectorStatus


class ConnectorThread:
    """The connector on its own thread and event loop, for the GUI: start(), stop(), and status callbacks
    (called on the connector's thread: marshal them to the UI thread)."""

    def __init__(
        self, make: Callable[[], Connector], on_exit: Callable[[BaseException | None], None] | None = None
    ) -> None:
        """``on_exit`` is called on the connector's thread when it ends, with the reason it ended on its own
        (None: it was stopped), so the window can say why Telegram is no longer followed."""
        self._make = make
        self._on_exit = on_exit
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None
        self.connector: Connector | None = None
        self.error: BaseException | None = None
        self._ready = threading.Event()

    def start(self) -> None:
        self._thread = threading.Thread(target=self._main, name="telegram-connector", daemon=True)
        self._thread.start()
        self._ready.wait()

    def _main(self) -> None:
        loop = self._loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        try:
            self._stop = asyncio.Event()
            self.connector = self._make()
            self._ready.set()
            loop.run_until_complete(self.connector.run(self._stop))
        except BaseException as exc:
            self.error = exc
            logging.getLogger("moderator_app.connector").error("the connector stopped", exc_info=exc)
        finally:
            self._ready.set()
            loop.close()
            if self._on_exit is not None:
                self._on_exit(self.error)

    def submit(self, coroutine: Coroutine[Any, Any, Any]) -> concurrent.futures.Future[Any]:
        """Run a coroutine on the connector's loop (e.g. ``connector.apply_action``); its future, for
        a callback (never wait on it from the UI thread)."""
        assert self._loop is not None
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop)

    def call(self, fn: Callable[[], None]) -> None:
        """Run ``fn`` on the connector's loop (e.g. ``connector.wake_sender``)."""
        if self._loop is not None and not self._loop.is_closed():
            self._loop.call_soon_threadsafe(fn)

    def follow(self, changes: Changes) -> concurrent.futures.Future[None] | None:
        """For the change bus: hand ``changes`` to the connector on its loop (from any thread); the future
        of its following them, or None when it is not running."""
        connector = self.live()
        if connector is None:
            return None
        future = self.submit(connector.follow(changes))
        future.add_done_callback(_log_failure)
        return future

    def inquiries(self) -> LiveInquiries | None:
        """The moderator's decisions as the running connector applies them (None when it is not running)."""
        connector = self.live()
        return _ConnectorInquiries(self, connector) if connector is not None else None

    def live(self) -> Connector | None:
        """The connector while it runs and its loop takes work; None before, and once it has ended."""
        connector = self.connector
        if connector is None or not self.running or self._loop is None or self._loop.is_closed():
            return None
        return connector

    def stop(self, timeout: float = 10.0) -> None:
        if self._loop is not None and self._stop is not None and not self._loop.is_closed():
            with contextlib.suppress(RuntimeError):
                self._loop.call_soon_threadsafe(self._stop.set)
        if self._thread is not None:
            self._thread.join(timeout)

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()


def ended_status(problem: BaseException) -> ConnectorStatus:
    """What the window says when the connector ended on its own: the reason, and what to do."""
    if isinstance(problem, ConnectorAlreadyRunning):
        return ConnectorStatus(
            ConnectionState.STOPPED,
            f"{problem} This window shows the log; Telegram is followed by that copy of the app.",
        )
    if isinstance(problem, TelegramProblem):
        state = ConnectionState.LOGIN_NEEDED if problem.remedy is Remedy.LOG_IN else ConnectionState.STOPPED
        return ConnectorStatus(state, problem.message)
    if isinstance(problem, DBAPIError):
        return ConnectorStatus(ConnectionState.STOPPED, explain_operational_error(problem, "of the log"))
    if isinstance(problem, OSError | ConnectionError | TimeoutError):
        return ConnectorStatus(ConnectionState.STOPPED, explain(problem).message)
    return ConnectorStatus(
        ConnectionState.STOPPED,
        f"The connection to Telegram stopped after an error ({type(problem).__name__}: {problem}). "
        "The log is kept as it is; start the app again to reconnect.",
    )


def _log_failure(future: concurrent.futures.Future[Any]) -> None:
    if not future.cancelled() and future.exception() is not None:
        logging.getLogger("moderator_app.connector").error("following a change failed", exc_info=future.exception())


class _ConnectorInquiries:
    """:class:`~moderator_app.services.inquiries.LiveInquiries` for a connector on its thread."""

    def __init__(self, thread: ConnectorThread, connector: Connector) -> None:
        self._thread = thread
        self._connector = connector

    def apply_action(
        self, inquiry_id: int, action: ModeratorAction, profile_id: int | None
    ) -> concurrent.futures.Future[Undo]:
        return self._thread.submit(self._connector.apply_action(inquiry_id, action, profile_id=profile_id))

    def undo_action(self, taken: Undo) -> concurrent.futures.Future[None]:
        return self._thread.submit(self._connector.undo_action(taken))

    def apply_details(self, inquiry_id: int, details: Details) -> concurrent.futures.Future[None]:
        return self._thread.submit(self._connector.apply_details(inquiry_id, details))

    def relink_answer(
        self, source_id: int, chat_id: int, telegram_id: int, inquiry_id: int | None, profile_id: int | None
    ) -> concurrent.futures.Future[Relinked]:
        return self._thread.submit(
            self._connector.relink_answer(source_id, chat_id, telegram_id, inquiry_id, profile_id)
        )
