"""An asyncio loop on a thread of its own that takes Telegram work until it is stopped (the login's client
lives on one); the connector's thread (``connector_thread``) instead runs one long coroutine and ends with it.
Work goes in as coroutines from any thread and comes back as futures; the window follows them with its ops,
so it never waits on the network."""

from __future__ import annotations

import asyncio
import concurrent.futures
import threading
from collections.abc import Coroutine
from typing import Any, TypeVar

T = TypeVar("T")


class LoopThread:
    def __init__(self, name: str) -> None:
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._main, name=name, daemon=True)
        self._thread.start()

    def _main(self) -> None:
        asyncio.set_event_loop(self.loop)
        try:
            self.loop.run_forever()
        finally:
            self.loop.close()

    def submit(self, coroutine: Coroutine[Any, Any, T]) -> concurrent.futures.Future[T]:
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop)

    def stop_after(self, coroutine: Coroutine[Any, Any, Any]) -> None:
        """``coroutine`` (a client's closing), then the loop stops and its thread ends; nobody waits for it."""
        loop = self.loop
        self.submit(coroutine).add_done_callback(lambda _: loop.call_soon_threadsafe(loop.stop))
