"""The inbox loads from a real log off the UI thread: open inquiries first, then recently closed ones."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from typing import Any

import shiboken6

from moderator_app.domain.events import MessageRecord, Peer, SourceKind, SourceRef
from moderator_app.store.db import Database
from moderator_app.store.live import LiveLog
from moderator_app.store.repositories import InquiryRepository, SettingsRepository, StandardRepository
from moderator_app.ui.inbox_loader import FIRST_PAGE, FIRST_PAINT_WAIT, InboxLoader
from moderator_app.ui.inbox_model import InboxModel, InboxProxy, View
from tests.conftest import TORONTO, toronto_standard

MONDAY = datetime(2026, 11, 16, 15, 0, tzinfo=UTC)
GROUP = SourceRef(SourceKind.GROUP, 1500, "Newcomers Ottawa", "public_supergroup")


def test_open_first_then_closed(qtbot: Any, sqlite_db: Database) -> None:
    toronto_standard(sqlite_db)
    SettingsRepository(sqlite_db).add_staff([99])
    live = LiveLog(sqlite_db)
    group = live.source(GROUP)
    amal, staff = Peer("user", 7, "Amal Haddad"), Peer("user", 99, "Desk")
    live.record(group, MessageRecord(1500, 1, MONDAY, amal, "Where do I get a health card?"))
    live.record(group, MessageRecord(1500, 2, MONDAY, amal, "كيف أسجل أطفالي في المدرسة؟"))
    live.record(group, MessageRecord(1500, 3, MONDAY + timedelta(hours=1), staff, "At ServiceOntario.", reply_to=1))
    live.commit()
    now = MONDAY + timedelta(days=1)
    model = InboxModel(StandardRepository(sqlite_db).clocks(), lambda: now, TORONTO)
    proxy = InboxProxy(model)
    loader = InboxLoader(InquiryRepository(sqlite_db).inbox, lambda: now)
    loader.open_loaded.connect(model.set_entries)
    loader.closed_loaded.connect(model.extend)
    with qtbot.waitSignals([loader.open_loaded, loader.closed_loaded], order="strict"):
        loader.start()
    loader.wait(5)
    assert [proxy.entry(r).text for r in range(proxy.rowCount())] == ["كيف أسجل أطفالي في المدرسة؟"]
    proxy.set_view(View.ALL)
    assert proxy.rowCount() == 2
    answered = next(proxy.entry(r) for r in range(2) if proxy.entry(r).state == "answered")
    assert answered.responder == "Desk" and answered.member == "Amal Haddad"


def test_a_log_that_cannot_be_read_is_reported(qtbot: Any) -> None:
    def broken(**_: Any) -> list[Any]:
        raise RuntimeError("The database is locked by another program.")

    loader = InboxLoader(broken, lambda: MONDAY)
    with qtbot.waitSignal(loader.failed) as signal:
        loader.start()
    assert "locked" in signal.args[0]


def test_the_rest_of_the_inbox_waits_until_the_first_page_is_painted(qtbot: Any) -> None:
    """The window's loader reads the other open inquiries only once the first rows are on screen (or after
    FIRST_PAINT_WAIT), so they do not hold the interpreter while those rows are painted."""
    asked: list[dict[str, Any]] = []

    def query(**kwargs: Any) -> list[Any]:
        asked.append(kwargs)
        return []

    loader = InboxLoader(query, lambda: MONDAY, wait_for_first_paint=True)
    opened: list[list[Any]] = []
    loader.open_loaded.connect(opened.append)
    with qtbot.waitSignal(loader.first_loaded), qtbot.assertNotEmitted(loader.open_loaded, wait=300):
        loader.start()
    assert opened == [] and asked == [{"limit": FIRST_PAGE}]
    with qtbot.waitSignals([loader.open_loaded, loader.closed_loaded], order="strict"):
        loader.first_page_painted()
    loader.wait(5)
    assert asked[1] == {} and "closed_since" in asked[2]


def test_a_window_that_never_paints_does_not_hold_the_inbox_back(qtbot: Any) -> None:
    loader = InboxLoader(lambda **_: [], lambda: MONDAY, wait_for_first_paint=True)
    with qtbot.waitSignal(loader.open_loaded, timeout=int(FIRST_PAINT_WAIT * 1000) + 3000):
        loader.start()
    loader.wait(5)


def test_a_window_closed_while_the_inbox_loads_ends_the_loader_quietly(qtbot: Any, monkeypatch: Any) -> None:
    """The moderator closes the window while the log is still read: the loader's results are for nobody.
    It stops after the query under way, without a traceback from its thread (it used to raise 'Signal source
    has been deleted')."""
    crashes: list[Any] = []
    monkeypatch.setattr(threading, "excepthook", crashes.append)
    reading, go_on = threading.Event(), threading.Event()
    asked: list[dict[str, Any]] = []

    def slow(**kwargs: Any) -> list[Any]:
        asked.append(kwargs)
        reading.set()
        go_on.wait(5)
        return []

    loader = InboxLoader(slow, lambda: MONDAY)
    loader.start()
    assert reading.wait(5)
    shiboken6.delete(loader)  # as the window's children are deleted when it closes
    go_on.set()
    loader.wait(5)
    assert crashes == [] and asked == [{"limit": FIRST_PAGE}]


def test_a_replaced_loader_lives_until_its_read_ends(qtbot: Any) -> None:
    """The window replaces its loader at each refresh. Deleting the old one while its worker emits on it
    crashed the window (a segmentation fault seen in CI); a retired loader delivers nothing and is deleted
    only once its read has ended."""
    from PySide6.QtCore import QCoreApplication, QEvent

    reading, release = threading.Event(), threading.Event()

    def slow_query(**_: Any) -> list[Any]:
        reading.set()
        release.wait(5)
        return []

    loader = InboxLoader(slow_query, lambda: MONDAY)
    delivered: list[Any] = []
    loader.first_loaded.connect(delivered.append)
    loader.start()
    assert reading.wait(5)
    loader.retire()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    assert shiboken6.isValid(loader)  # not deleted under the worker
    release.set()
    qtbot.waitUntil(lambda: not loader._futures[0].running(), timeout=5000)
    qtbot.waitUntil(
        lambda: (QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete), not shiboken6.isValid(loader))[1],
        timeout=5000,
    )
    assert delivered == []  # replaced: its result is for nobody
    idle = InboxLoader(slow_query, lambda: MONDAY)
    idle.retire()  # nothing under way: deleted at once
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    assert not shiboken6.isValid(idle)


def test_a_result_for_a_closed_dialog_is_for_nobody(qtbot: Any) -> None:
    """A dialog closed (deleted) before its read came back: the result is dropped, not delivered to the dead
    widget (it raised "Internal C++ object already deleted" in CI); a live one still gets its result and its
    failure."""
    from PySide6.QtCore import QCoreApplication, QEvent
    from PySide6.QtWidgets import QLabel

    from moderator_app.ui.ops import Ops, run_here

    unhandled: list[str] = []
    ops = Ops(run_here, str, unhandled.append)
    gone, alive = QLabel(), QLabel()
    ops.run(lambda: "late").success(gone.setText).failure(gone.setText)
    ops.run(lambda: 1 / 0).success(lambda _: None).failure(gone.setText)
    gone.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    assert not shiboken6.isValid(gone)
    ops.run(lambda: "on time").success(alive.setText)
    qtbot.waitUntil(lambda: alive.text() == "on time")
    ops.run(lambda: 1 / 0).failure(alive.setText)
    qtbot.waitUntil(lambda: alive.text() == "division by zero")
    assert unhandled == []  # a failure meant for a closed dialog is dropped, not shown elsewhere
