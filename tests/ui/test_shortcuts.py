"""No two commands of the window share a key: a menu's shortcut and the conversation's would each take it from
the other, and one of them silently never runs (Ctrl+Shift+M was both "Mark answered" and the moderation
record)."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from PySide6.QtGui import QAction, QShortcut

from moderator_app.app import window_services
from moderator_app.store.db import Database
from moderator_app.ui.connector_bridge import ConnectorBridge
from moderator_app.ui.main_window import MainWindow


def test_every_shortcut_of_the_window_is_its_own(qtbot: Any, sqlite_db: Database) -> None:
    window = MainWindow(window_services(sqlite_db), ConnectorBridge())
    qtbot.addWidget(window)
    owners: dict[str, list[str]] = defaultdict(list)
    for action in window.findChildren(QAction):
        for key in action.shortcuts():
            if not key.isEmpty():
                owners[key.toString()].append(action.text())
    for shortcut in window.findChildren(QShortcut):
        key = shortcut.key()
        if not key.isEmpty() and shortcut.isEnabled():
            owners[key.toString()].append(f"shortcut of {type(shortcut.parent()).__name__}")
    shared = {key: names for key, names in owners.items() if len(names) > 1}
    assert shared == {}
    assert {"Ctrl+Shift+O", "Ctrl+Shift+J", "Ctrl+Shift+U", "Ctrl+Shift+M", "Ctrl+Shift+R"} <= set(owners)
