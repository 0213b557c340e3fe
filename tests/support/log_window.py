"""The whole window on a log (no connector), shown, once its profiles and its one open inquiry are read."""

from __future__ import annotations

from typing import Any

from moderator_app.app import window_services
from moderator_app.store.db import Database
from moderator_app.ui.connector_bridge import ConnectorBridge
from moderator_app.ui.main_window import MainWindow


def window_with_one_inquiry(qtbot: Any, db: Database) -> MainWindow:
    window = MainWindow(window_services(db), ConnectorBridge())
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: bool(window._profiles) and window.proxy.rowCount() == 1, timeout=5000)
    return window
