"""Loading the inbox off the window's thread: the open inquiries first (what a moderator works on), then the
answered and dismissed ones of recent months (for the other filters), each delivered by a queued signal.

The reads run on the database worker the window is given (one thread for all the window's reads and writes,
in order: refreshes queue behind each other instead of piling up threads). Without one (tests, probes) the
loader has a worker thread of its own.
"""

from __future__ import annotations

import concurrent.futures
import threading
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal

from moderator_app.domain.inbox import InboxEntry
from moderator_app.ui.threads import Submit, emit_from_worker, own_worker

#: Answered and dismissed inquiries older than this are in the reports, not in the inbox.
CLOSED_WINDOW = timedelta(days=90)
#: The most urgent open inquiries, loaded and shown first: a screenful, while the rest is read.
FIRST_PAGE = 200
#: How long the rest waits for the window to say the first page is on screen, at most.
FIRST_PAINT_WAIT = 1.0

Query = Callable[..., list[InboxEntry]]


class InboxLoader(QObject):
    first_loaded = Signal(list)  # the most urgent open inquiries (at most FIRST_PAGE)
    open_loaded = Signal(list)
    closed_loaded = Signal(list)
    refreshed = Signal(list)  # open ones and those closed since the given instant
    failed = Signal(str)
    _first_delivered = Signal()

    def __init__(
        self,
        query: Query,
        now: Callable[[], datetime],
        *,
        submit: Submit | None = None,
        closed_window: timedelta = CLOSED_WINDOW,
        wait_for_first_paint: bool = False,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._query = query
        self._now = now
        self._window = closed_window
        self._submit = submit or own_worker("inbox-loader")
        self._futures: list[concurrent.futures.Future[Any]] = []
        self._wait_for_paint = wait_for_first_paint
        self._painted = False
        self._first_done = False
        self._rest_asked = False
        # A newer loader replaces this one: its reads still under way finish for nobody, and only then is it
        # deleted. Deleted while a worker emits on it, it would crash the window (the check in
        # emit_from_worker and the emission are not one step).
        self._lock = threading.Lock()
        self._running = 0
        self._retired = False
        self._first_delivered.connect(self._after_first, Qt.ConnectionType.QueuedConnection)

    def first_page_painted(self) -> None:
        """The window shows the first page: read the rest now. Read sooner, the thousands of other open
        inquiries would hold the interpreter while the window paints its first rows, and slow them down."""
        self._painted = True
        if self._first_done:
            self._rest()

    def start(self) -> None:
        self._run(lambda: self._query(limit=FIRST_PAGE), self.first_loaded, then=self._first_delivered)

    def start_refresh(self, since: datetime) -> None:
        """After new messages: the open inquiries and those answered or dismissed since ``since``."""
        self._run(lambda: self._query(closed_since=since), self.refreshed)

    def wait(self, timeout: float | None = None) -> None:
        """Until the reads asked so far are done (tests)."""
        concurrent.futures.wait(list(self._futures), timeout)

    def _after_first(self) -> None:
        self._first_done = True
        if self._painted or not self._wait_for_paint:
            self._rest()
        else:
            QTimer.singleShot(int(FIRST_PAINT_WAIT * 1000), self, self._rest)

    def _rest(self) -> None:
        if self._rest_asked:
            return
        self._rest_asked = True
        self._run(lambda: self._query(), self.open_loaded)
        since = self._now() - self._window
        self._run(lambda: self._query(closed_since=since, open_ones=False), self.closed_loaded)

    def retire(self) -> None:
        """A newer loader took over: nothing more is delivered, and the loader is deleted once its reads
        under way have ended (at once when none is)."""
        with self._lock:
            self._retired = True
            idle = self._running == 0
        if idle:
            self.deleteLater()

    def _run(self, read: Callable[[], list[InboxEntry]], signal: Any, then: Any = None) -> None:
        def work() -> None:
            try:
                deliver(read)
            finally:
                with self._lock:
                    self._running -= 1
                    done = self._retired and self._running == 0
                if done:
                    self.deleteLater()  # thread-safe: the deletion happens on the loader's own thread

        def deliver(read: Callable[[], list[InboxEntry]]) -> None:
            try:
                entries = read()
            except Exception as exc:  # reported in the window: the moderator must see the log could not be read
                if not self._retired:
                    emit_from_worker(self, self.failed, str(exc))
                return
            if self._retired:
                return
            if emit_from_worker(self, signal, entries) and then is not None:
                emit_from_worker(self, then)  # the window closed meanwhile: the rest is for nobody

        with self._lock:
            if self._retired:
                return
            self._running += 1
        self._futures = [f for f in self._futures if not f.done()]
        self._futures.append(self._submit(work))
