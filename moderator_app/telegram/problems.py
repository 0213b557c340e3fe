"""What can go wrong with Telegram, as plain data: importing this does not load Telethon (the window and the
command line start without it; the connector loads it when it starts)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Remedy(StrEnum):
    FIX_INPUT = "fix_input"  # the person typed something wrong: ask again
    WAIT = "wait"  # Telegram or the network: the same thing works later
    LOG_IN = "log_in"  # the session is gone: log in again (the log is untouched)
    PERMANENT = "permanent"  # cannot work as asked (blocked, no rights): change the request


@dataclass
class TelegramProblem(Exception):
    message: str
    remedy: Remedy
    retry_after: float | None = None  # seconds, when Telegram said how long to wait

    def __str__(self) -> str:
        return self.message


class SettingsError(ValueError):
    """A connection setting that cannot be used: the message says what to type instead."""
