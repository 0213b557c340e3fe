"""The connector's state as plain data, for whoever shows it (the window, the terminal); no Telethon here."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class ConnectionState(StrEnum):
    CONNECTING = "connecting"
    CATCHING_UP = "catching_up"
    CONNECTED = "connected"
    OFFLINE = "offline"
    LOGIN_NEEDED = "login_needed"
    STOPPED = "stopped"


@dataclass(frozen=True)
class ConnectorStatus:
    state: ConnectionState
    detail: str = ""
    source: str | None = None
    done: int = 0  # catch-up: messages fetched so far in this source
