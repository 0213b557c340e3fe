"""A database worker that runs each job only when the test says so (proving nothing ran on the window's
thread meanwhile), and outbox items for fakes."""

from __future__ import annotations

import concurrent.futures
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from moderator_app.domain.outbox import OutboxState, Outgoing


class HeldWorker:
    """A database worker that runs each piece of work when the test says so, on a thread of its own."""

    def __init__(self) -> None:
        self.waiting: list[tuple[Callable[[], Any], concurrent.futures.Future[Any]]] = []
        self.threads: list[str] = []

    def submit(self, work: Callable[[], Any]) -> concurrent.futures.Future[Any]:
        future: concurrent.futures.Future[Any] = concurrent.futures.Future()
        self.waiting.append((work, future))
        return future

    def run_next(self) -> None:
        work, future = self.waiting.pop(0)

        def run() -> None:
            self.threads.append(threading.current_thread().name)
            try:
                future.set_result(work())
            except BaseException as exc:  # handed to the future, as a real worker does
                future.set_exception(exc)

        thread = threading.Thread(target=run, name="database worker")
        thread.start()
        thread.join()


def outgoing(item_id: int, text: str, inquiry_id: int) -> Outgoing:
    return Outgoing(
        id=item_id,
        source_id=1,
        chat_id=1500,
        kind="message",
        text=text,
        reply_to=None,
        random_id=item_id,
        state=OutboxState.QUEUED,
        attempts=0,
        last_error=None,
        created_at=datetime(2026, 12, 4, tzinfo=UTC),
        sent_at=None,
        telegram_id=None,
        inquiry_id=inquiry_id,
    )
