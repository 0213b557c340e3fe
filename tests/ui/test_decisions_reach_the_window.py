"""(issue 16) With a connector running in the window's process, a refused decision is said in the window,
and a saved service standard reaches the connector at once (its next writes use it)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt

from fake_telegram import FakeTelegram
from moderator_app.domain.actions import ModeratorAction
from moderator_app.store.actions import InquiryActions
from moderator_app.store.db import Database
from moderator_app.store.models import Inquiry
from moderator_app.store.repositories import StandardRepository
from moderator_app.telegram.client import ConnectionSettings
from tests.ui.conftest import watched_group, window_with_connector


def _inquiry(log: Database, question: int) -> Inquiry | None:
    from sqlalchemy import select

    with log.sessions() as session:
        return session.scalars(select(Inquiry).where(Inquiry.question_telegram_id == question)).first()


def test_a_refused_decision_is_said_in_the_window(
    qtbot: Any, log: Database, world: FakeTelegram, account: int, connection: ConnectionSettings, tmp_path: Path
) -> None:
    """Another workstation dismissed the inquiry meanwhile: dismissing it here is refused by the connector,
    and the window says so (the connector's future used to be dropped, and nothing was said)."""
    amal = world.add_user("Amal", "Haddad")
    group = watched_group(log, world, connection, "Newcomers Ottawa", [amal])
    window, thread = window_with_connector(qtbot, log, connection, tmp_path)
    thread.start()
    try:
        qtbot.waitUntil(lambda: window.connection.text() == "Telegram: connected", timeout=10_000)
        question = world.send(group, amal, "Where do I renew my health card?")
        qtbot.waitUntil(lambda: window.proxy.rowCount() == 1, timeout=10_000)
        window.inbox.table.selectRow(0)
        entry = window.conversation.entry
        assert entry is not None and entry.question_id == question
        InquiryActions(log).apply(entry.id, ModeratorAction.DISMISS)  # the other workstation
        qtbot.keyClick(
            window.conversation, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
        )
        qtbot.waitUntil(lambda: "already dismissed" in window.statusBar().currentMessage(), timeout=10_000)
        assert window.statusBar().currentMessage() == "\u2068This inquiry is already dismissed.\u2069"
    finally:
        thread.stop()


def test_a_saved_standard_reaches_the_running_connector_at_once(
    qtbot: Any, log: Database, world: FakeTelegram, account: int, connection: ConnectionSettings, tmp_path: Path
) -> None:
    """Saved from the window while the connector runs: an inquiry it holds keeps the new due time when a
    member answers it (the connector used to write the old one back), and a new inquiry gets the new rule."""
    from moderator_app.app import window_services
    from moderator_app.services.changes import ChangeBus
    from moderator_app.ui.connector_bridge import ConnectorBridge
    from moderator_app.ui.main_window import MainWindow

    amal, reza = world.add_user("Amal", "Haddad"), world.add_user("Reza", "Karimi")
    group = watched_group(log, world, connection, "Newcomers Ottawa", [amal, reza])
    _, thread = window_with_connector(qtbot, log, connection, tmp_path)
    # The window as run_gui wires it: the connector follows the bus the window's use cases announce on.
    bus = ChangeBus()
    followed: list[Any] = []
    bus.subscribe(lambda changes: followed.append(thread.follow(changes)))
    window = MainWindow(window_services(log, lambda: thread, bus=bus), ConnectorBridge())
    qtbot.addWidget(window)
    thread.start()
    try:
        qtbot.waitUntil(lambda: thread.connector is not None and thread.connector.live is not None, timeout=10_000)
        first = world.send(group, amal, "How do I get a library card?")
        qtbot.waitUntil(lambda: _inquiry(log, first) is not None, timeout=10_000)
        standards = StandardRepository(log)
        longer = standards.global_standard()
        longer = type(longer)(**{**longer.__dict__, "target": longer.target + timedelta(hours=24)})
        with qtbot.waitSignal(window.changed, timeout=10_000):
            window._save_standard(longer, None)
        qtbot.waitUntil(lambda: bool(followed) and followed[0].done(), timeout=10_000)
        followed[0].result()
        clock = standards.clocks().for_source(_inquiry(log, first).source_id)  # type: ignore[union-attr]

        held = _inquiry(log, first)
        assert held is not None and held.due_at == clock.start_and_due(held.arrival_at)[1]
        world.send(group, reza, "At any branch, with a proof of address", reply_to=first)
        qtbot.waitUntil(lambda: _inquiry(log, first).state == "member_answered", timeout=10_000)  # type: ignore[union-attr]
        after = _inquiry(log, first)
        assert after is not None and after.due_at == clock.start_and_due(after.arrival_at)[1]

        second = world.send(group, amal, "And is it free for children?")
        qtbot.waitUntil(lambda: _inquiry(log, second) is not None, timeout=10_000)
        new = _inquiry(log, second)
        assert new is not None and new.due_at == clock.start_and_due(new.arrival_at)[1]
    finally:
        thread.stop()


def test_a_saved_standard_changes_the_countdowns_shown_at_once(qtbot: Any, sqlite_db: Database) -> None:
    """The rows used to keep the old countdown until a restart (the window's clocks were read once)."""
    from dataclasses import replace
    from datetime import UTC, datetime

    from moderator_app.app import window_services
    from moderator_app.domain.events import MessageRecord, Peer, SourceKind, SourceRef
    from moderator_app.store.live import LiveLog
    from moderator_app.ui.connector_bridge import ConnectorBridge
    from moderator_app.ui.inbox_model import Column
    from moderator_app.ui.main_window import MainWindow
    from tests.conftest import toronto_standard

    toronto_standard(sqlite_db)
    live = LiveLog(sqlite_db)
    group = live.source(SourceRef(SourceKind.GROUP, 1500, "Newcomers Ottawa", "public_supergroup"))
    live.record(group, MessageRecord(1500, 1, datetime.now(UTC), Peer("user", 7, "Amal"), "Where is the food bank?"))
    live.commit()
    window = MainWindow(window_services(sqlite_db), ConnectorBridge())
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.loaded, timeout=10_000):
        window.show()
    source_id = window.inbox_model.entries[0].source_id
    before = window.inbox_model.data(window.inbox_model.index(0, Column.TIME_LEFT))
    longer = replace(StandardRepository(sqlite_db).global_standard(), target=timedelta(hours=72))
    window._save_standard(longer, None)
    qtbot.waitUntil(lambda: window.inbox_model.clocks.for_source(source_id).standard.target == timedelta(hours=72))
    after = window.inbox_model.data(window.inbox_model.index(0, Column.TIME_LEFT))
    assert after != before, (before, after)


def test_a_new_time_zone_is_shown_at_once(qtbot: Any, sqlite_db: Database) -> None:
    """The window read the general time zone once: due times and the conversation's times stayed in the old
    one until a restart. Now a saved standard's time zone reaches the inbox and the open conversation."""
    from dataclasses import replace
    from datetime import UTC, datetime
    from zoneinfo import ZoneInfo

    from PySide6.QtCore import Qt

    from moderator_app.app import window_services
    from moderator_app.domain.events import MessageRecord, Peer, SourceKind, SourceRef
    from moderator_app.store.live import LiveLog
    from moderator_app.ui.connector_bridge import ConnectorBridge
    from moderator_app.ui.inbox_model import Column
    from moderator_app.ui.main_window import MainWindow
    from tests.conftest import toronto_standard

    toronto_standard(sqlite_db)
    live = LiveLog(sqlite_db)
    group = live.source(SourceRef(SourceKind.GROUP, 1500, "Newcomers Ottawa", "public_supergroup"))
    asked = datetime(2026, 12, 3, 15, 5, tzinfo=UTC)
    live.record(group, MessageRecord(1500, 1, asked, Peer("user", 7, "Amal"), "Where is the food bank?"))
    live.commit()
    window = MainWindow(window_services(sqlite_db), ConnectorBridge())
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.loaded, timeout=10_000):
        window.show()
    with qtbot.waitSignal(window.conversation.loaded):
        window.inbox.table.selectRow(0)
    tip = window.inbox_model.data(window.inbox_model.index(0, Column.TIME_LEFT), Qt.ItemDataRole.ToolTipRole)
    assert "America/Toronto" in tip
    assert "10:05" in window.conversation.model.data(window.conversation.model.index(0))  # 15:05 UTC in Ottawa

    paris = replace(StandardRepository(sqlite_db).global_standard(), timezone="Europe/Paris")
    with qtbot.waitSignal(window.conversation.loaded, timeout=10_000):  # the conversation is read again
        window._save_standard(paris, None)
    assert window.inbox_model.timezone == ZoneInfo("Europe/Paris")
    tip = window.inbox_model.data(window.inbox_model.index(0, Column.TIME_LEFT), Qt.ItemDataRole.ToolTipRole)
    assert "Europe/Paris" in tip
    assert "16:05" in window.conversation.model.data(window.conversation.model.index(0))
