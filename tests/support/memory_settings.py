"""The declared settings in a dict: what the window reads and writes, for tests without a log."""

from __future__ import annotations

from typing import Any, TypeVar

from moderator_app.domain.settings import Setting

T = TypeVar("T")


class MemorySettings:
    def __init__(self) -> None:
        self.stored: dict[str, Any] = {}  # as the log would store them (JSON values), by key

    def read(self, setting: Setting[T]) -> T:
        return setting.read(self.stored.get(setting.key))

    def write(self, setting: Setting[T], value: T) -> None:
        self.stored[setting.key] = None if value is None else setting.dump(value)
