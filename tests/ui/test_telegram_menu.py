"""Logging in without a keyring, and from the menu: the wizard opens all the same (for a login that lasts this
run, said in it, nothing on disk), cancelling it says where to log in later, and the menu logs in and out."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from moderator_app.store.db import Database
from moderator_app.store.secrets import SESSION, SecretStore


def test_secrets_for_this_run_only_stay_in_memory(sqlite_db: Database) -> None:
    store = SecretStore(sqlite_db, this_run_only=True)
    assert not store.lasting and store.get(SESSION) is None
    store.set(SESSION, "1AbC-session")
    assert store.get(SESSION) == "1AbC-session"
    assert SecretStore(sqlite_db, this_run_only=True).get(SESSION) is None  # another run: gone
    assert store.delete(SESSION) and store.get(SESSION) is None


def test_without_a_keyring_the_wizard_still_opens_and_says_so(
    qtbot: Any, sqlite_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    import moderator_app.store.secrets as secrets_module
    from moderator_app.app import _Telegram, window_services
    from moderator_app.ui.connector_bridge import ConnectorBridge
    from moderator_app.ui.login_wizard import LoginWizard
    from moderator_app.ui.main_window import MainWindow

    monkeypatch.setattr(secrets_module, "chosen_backend", lambda backend: None)  # no keyring that encrypts
    window = MainWindow(window_services(sqlite_db), ConnectorBridge())
    qtbot.addWidget(window)
    telegram = _Telegram(sqlite_db, window, ConnectorBridge(), [])
    seen: list[str] = []

    def answer(left: int = 250) -> None:
        wizard = QApplication.activeModalWidget()
        if isinstance(wizard, LoginWizard):
            seen.append(wizard.notice.text() if wizard.notice.isVisibleTo(wizard) else "")
            wizard.reject()
        elif left:
            QTimer.singleShot(20, lambda: answer(left - 1))

    QTimer.singleShot(20, answer)
    window.log_in_asked.emit()  # Telegram ▸ Log in…
    qtbot.waitUntil(lambda: bool(seen), timeout=10_000)
    assert "this login lasts until the app closes" in seen[0]
    qtbot.waitUntil(lambda: "Telegram ▸ Log in… logs in" in window.connection.text(), timeout=10_000)
    assert "start the app again" not in window.connection.text()
    assert telegram.running == []
    menus = [action.text() for action in window.menuBar().actions()]
    assert "&File" in menus and "&Telegram" in menus


def test_log_out_from_the_menu_stops_the_connector_and_ends_the_session(
    qtbot: Any, log: Database, world: Any, account: int, connection: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtWidgets import QMessageBox

    from moderator_app.app import _Telegram, window_services
    from moderator_app.ui.connector_bridge import ConnectorBridge
    from moderator_app.ui.main_window import MainWindow
    from tests.ui.conftest import watched_group

    watched_group(log, world, connection, "Newcomers Ottawa", [world.add_user("Amal", "Haddad")])
    bridge = ConnectorBridge()
    running: list[Any] = []
    window = MainWindow(window_services(log, lambda: running[-1] if running else None), bridge)
    qtbot.addWidget(window)
    telegram = _Telegram(log, window, bridge, running)
    secrets = SecretStore(log)
    assert secrets.get(SESSION)
    telegram._start(connection, secrets)
    try:
        qtbot.waitUntil(lambda: window.connection.text() == "Telegram: connected", timeout=10_000)
        monkeypatch.setattr(QMessageBox, "question", lambda *args: QMessageBox.StandardButton.Yes)
        window._confirm_log_out()  # Telegram ▸ Log out, confirmed
        qtbot.waitUntil(lambda: "Logged out" in window.connection.text(), timeout=15_000)
        assert running == [] and secrets.get(SESSION) is None
    finally:
        for thread in running:
            thread.stop()
