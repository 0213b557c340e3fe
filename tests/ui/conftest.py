"""The Telegram fixtures (local MTProto server, logged-in log, in-memory keyring) for window tests, and the
real window wired to a real connector as ``moderator-app`` wires them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from moderator_app.app import window_services
from moderator_app.store.db import Database
from moderator_app.store.secrets import SecretStore
from moderator_app.telegram.client import ConnectionSettings
from moderator_app.telegram.connector import Connector
from moderator_app.telegram.connector_thread import ConnectorThread
from moderator_app.ui.connector_bridge import ConnectorBridge
from moderator_app.ui.main_window import MainWindow
from tests.telegram.conftest import account, connection, log, world


@pytest.fixture(autouse=True, scope="session")
def translations(qapp: Any) -> Any:
    """As the app installs them: English plural forms ("1 inquiry")."""
    from moderator_app.ui.i18n import install_translations

    installed = install_translations(qapp)
    yield installed
    for translator in installed:
        qapp.removeTranslator(translator)


__all__ = ["account", "connection", "log", "watched_group", "window_with_connector", "world"]


def watched_group(log: Database, world: Any, connection: ConnectionSettings, title: str, members: list[int]) -> int:
    """A supergroup of ``members`` on the local server, the log logged in and watching it; its id."""
    from moderator_app.domain.events import SourceKind, SourceRef
    from moderator_app.store.repositories import SourceRepository
    from tests.telegram.conftest import log_in

    group: int = world.add_supergroup(title, members=members)
    log_in(log, world, connection)
    SourceRepository(log).set_watched(SourceRef(SourceKind.GROUP, group, title, "private_supergroup"), True)
    return group


def window_with_connector(
    qtbot: Any, log: Database, connection: ConnectionSettings, tmp_path: Path, size: tuple[int, int] = (1400, 800)
) -> tuple[MainWindow, ConnectorThread]:
    """The window on screen with its inbox read, and its connector thread, not started yet (the caller starts
    and stops it)."""
    bridge = ConnectorBridge()
    thread = ConnectorThread(
        lambda: Connector(
            log,
            SecretStore(log),
            connection,
            media_dir=tmp_path / "media",
            on_status=bridge.on_status,
            on_stored=bridge.on_stored,
            poll_interval=0.05,
        )
    )
    window = MainWindow(window_services(log, lambda: thread), bridge)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.loaded, timeout=10_000):
        window.resize(*size)
        window.show()
        qtbot.waitExposed(window)
    return window, thread
