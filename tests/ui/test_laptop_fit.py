"""The whole window works on an office laptop: at 1280 x 720 (a 2560 x 1440 screen at 200 %, or a small
laptop) nothing is cut off, the question has room and the reply can take the thread's place."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from PySide6.QtCore import QPoint

from moderator_app.domain.events import MessageRecord, Peer, SourceKind, SourceRef
from moderator_app.store.db import Database
from moderator_app.store.live import LiveLog
from moderator_app.ui.inbox_model import Column
from moderator_app.ui.inbox_panel import QUESTION_ROOM
from tests.conftest import toronto_standard


def test_the_window_fits_1280_by_720_with_every_button_and_the_question(qtbot: Any, sqlite_db: Database) -> None:
    from moderator_app.app import window_services
    from moderator_app.ui.connector_bridge import ConnectorBridge
    from moderator_app.ui.main_window import MainWindow

    toronto_standard(sqlite_db)
    live = LiveLog(sqlite_db)
    group = live.source(
        SourceRef(SourceKind.GROUP, 1500, "Newcomers Ottawa — مجموعة الوافدين الجدد", "public_supergroup")
    )
    now = datetime.now(UTC)
    for i in range(1, 30):
        question = f"سلام، برای تمدید کارت بیمه درمانی کجا باید برم؟ شماره من ۰۹۱۲-۳۴۵-{i:04d} {i}"
        live.record(
            group, MessageRecord(1500, i, now - timedelta(minutes=i), Peer("user", 100 + i, f"عضو {i}"), question)
        )
    live.commit()
    window = MainWindow(window_services(sqlite_db), ConnectorBridge())
    qtbot.addWidget(window)
    hint = window.minimumSizeHint()
    assert hint.width() <= 1280 and hint.height() <= 720, hint  # it was 1413 x 541
    window.resize(1280, 720)
    with qtbot.waitSignal(window.loaded, timeout=10_000):
        window.show()
    window.inbox.select_row(0)
    qtbot.waitUntil(lambda: window.conversation.entry is not None)
    pane = window.conversation
    for button in (
        pane.acknowledge_button,
        pane.answered_button,
        pane.confirm_button,
        pane.correct_button,
        pane.dismiss_button,
        pane.promote_button,
        pane.send_button,
    ):
        corner = button.mapTo(window, QPoint(button.width(), button.height()))
        assert button.isVisible() and corner.x() <= window.width() and corner.y() <= window.height(), button.text()
    table = window.inbox.table
    qtbot.waitUntil(lambda: table.columnWidth(Column.QUESTION) >= QUESTION_ROOM - 40)
    assert table.horizontalScrollBar().maximum() == 0  # no sideways scrolling to read the question
    assert table.isColumnHidden(Column.ASSIGNEE)  # nobody is assigned: no empty column takes the room
    before = pane.splitter.sizes()
    pane.toggle_long_reply()  # Ctrl+Shift+E: a long answer gets the thread's place
    assert pane.splitter.sizes()[1] > before[1] + 100
    pane.toggle_long_reply()
    assert pane.splitter.sizes()[0] > pane.splitter.sizes()[1]
    # Said in the status bar (no tray here): one sentence, isolated, so a right-to-left window keeps its order.
    window.notify("New inquiries", "9 new inquiries")
    assert window.statusBar().currentMessage() == "\u2068New inquiries: \u20689 new inquiries\u2069\u2069"
