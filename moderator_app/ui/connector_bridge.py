"""Plain data from the connector's thread to the UI thread, through queued signals."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from moderator_app.telegram.status import ConnectorStatus


class ConnectorBridge(QObject):
    """Its methods may be called from any thread; the signals arrive on the thread the bridge lives in."""

    status = Signal(object)  # ConnectorStatus
    stored = Signal(str, int)  # what was stored ("message", "edit", "sent", ...), Telegram id

    def on_status(self, status: ConnectorStatus) -> None:
        self.status.emit(status)

    def on_stored(self, kind: str, telegram_id: int) -> None:
        self.stored.emit(kind, telegram_id)
