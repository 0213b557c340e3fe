"""(issue 16) A connector that ends on its own says why, in words the window shows."""

from __future__ import annotations

from pathlib import Path

from fake_telegram import FakeTelegram
from moderator_app.store.db import Database
from moderator_app.store.secrets import SecretStore
from moderator_app.telegram.client import ConnectionSettings
from moderator_app.telegram.connector import Connector
from moderator_app.telegram.connector_thread import ConnectorThread, ended_status
from moderator_app.telegram.status import ConnectionState
from tests.telegram.conftest import connected, log_in, start_connector, wait_until


def test_a_second_connector_ends_and_the_reason_reaches_the_window(
    log: Database, world: FakeTelegram, account: int, connection: ConnectionSettings, tmp_path: Path
) -> None:
    log_in(log, world, connection)
    first = start_connector(log, connection, tmp_path)
    try:
        wait_until(lambda: connected(first), what="the first connector")
        ended: list[BaseException | None] = []
        second = ConnectorThread(
            lambda: Connector(log, SecretStore(log), connection, media_dir=tmp_path / "media2"),
            on_exit=ended.append,
        )
        second.start()
        wait_until(lambda: ended, what="the second connector to end")
        assert ended[0] is not None and second.error is ended[0]
        status = ended_status(ended[0])
        assert status.state is ConnectionState.STOPPED
        assert "This window shows the log; Telegram is followed by that copy of the app." in status.detail
    finally:
        first.stop()


def test_a_connector_stopped_on_purpose_reports_no_problem(
    log: Database, world: FakeTelegram, account: int, connection: ConnectionSettings, tmp_path: Path
) -> None:
    log_in(log, world, connection)
    ended: list[BaseException | None] = []
    thread = ConnectorThread(
        lambda: Connector(log, SecretStore(log), connection, media_dir=tmp_path / "media"), on_exit=ended.append
    )
    thread.start()
    wait_until(lambda: thread.connector is not None and thread.connector.status.state is ConnectionState.CONNECTED)
    thread.stop()
    assert ended == [None]
