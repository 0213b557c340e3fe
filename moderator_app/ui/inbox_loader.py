"""Loading the inbox off the UI thread: the open inquiries first (what a moderator works on), then the
answered and dismissed ones of recent months (for the other filters), each delivered by a queued signal."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import datetime, timedelta

from PySide6.QtCore import QObject, Signal

from moderator_app.domain.inbox import InboxEntry
from moderator_app.ui.threads import emit_from_worker

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

    def __init__(
        self,
        query: Query,
        now: Callable[[], datetime],
        *,
        closed_window: timedelta = CLOSED_WINDOW,
        wait_for_first_paint: bool = False,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._query = query
        self._now = now
        self._window = closed_window
        self._thread: threading.Thread | None = None
        self._first_painted = threading.Event()
        if not wait_for_first_paint:
            self._first_painted.set()

    def first_page_painted(self) -> None:
        """The window shows the first page: read the rest now. Read sooner, the thousands of other open
        inquiries would hold the interpreter while the window paints its first rows, and slow them down."""
        self._first_painted.set()

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="inbox-loader", daemon=True)
        self._thread.start()

    def start_refresh(self, since: datetime) -> None:
        """After new messages: the open inquiries and those answered or dismissed since ``since``."""
        self._thread = threading.Thread(target=self._refresh, args=(since,), name="inbox-refresh", daemon=True)
        self._thread.start()

    def _refresh(self, since: datetime) -> None:
        try:
            emit_from_worker(self, self.refreshed, self._query(closed_since=since))
        except Exception as exc:  # reported in the window
            emit_from_worker(self, self.failed, str(exc))

    def wait(self, timeout: float | None = None) -> None:
        if self._thread is not None:
            self._thread.join(timeout)

    def _run(self) -> None:
        try:
            if not emit_from_worker(self, self.first_loaded, self._query(limit=FIRST_PAGE)):
                return  # the window closed: the rest is for nobody
            self._first_painted.wait(FIRST_PAINT_WAIT)
            if not emit_from_worker(self, self.open_loaded, self._query()):
                return
            since = self._now() - self._window
            emit_from_worker(self, self.closed_loaded, self._query(closed_since=since, open_ones=False))
        except Exception as exc:  # reported in the window: the moderator must see the log could not be read
            emit_from_worker(self, self.failed, str(exc))
