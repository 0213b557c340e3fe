"""The settings as the window reads them: kept in memory, written through to the log on the database worker.

The window reads a few settings often (who is on duty, the organization's name for an answer's variables,
which notifications are wanted): each read was a query on the window's thread. Here they are read once, when
the window is built (before it is shown), and each write updates the copy at once and goes to the log on the
worker, in order (the worker is one thread).
"""

from __future__ import annotations

import concurrent.futures
import logging
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from moderator_app.domain.settings import Setting, SettingsAccess

T = TypeVar("T")
log = logging.getLogger(__name__)


class WriteThroughSettings:
    """``SettingsAccess`` over ``stored`` (the log's settings), with ``submit`` running the writes."""

    def __init__(
        self,
        stored: SettingsAccess,
        submit: Callable[..., concurrent.futures.Future[Any]],
        settings: Iterable[Setting[Any]],
    ) -> None:
        self._stored = stored
        self._submit = submit
        self._values: dict[str, Any] = {setting.key: stored.read(setting) for setting in settings}

    def read(self, setting: Setting[T]) -> T:
        if setting.key not in self._values:  # not one the window reads: asked of the log as it is
            self._values[setting.key] = self._stored.read(setting)
        value: T = self._values[setting.key]
        return value

    def write(self, setting: Setting[T], value: T) -> None:
        self._values[setting.key] = value
        written = self._submit(self._stored.write, setting, value)
        written.add_done_callback(lambda done: _noted(done, setting))


def _noted(written: concurrent.futures.Future[Any], setting: Setting[Any]) -> None:
    """A write the log refused (locked, gone): the window keeps the value for this session; the notes say so."""
    if not written.cancelled() and written.exception() is not None:
        log.error("the setting %s could not be saved in the log", setting.key, exc_info=written.exception())
