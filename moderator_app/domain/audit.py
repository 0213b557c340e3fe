"""The audit record: who did what a funder or an auditor may ask about (exports, settings changes, logins,
retention runs), with the profile on duty and the time. The record only grows; nothing here edits it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any


class AuditAction(StrEnum):
    """What happened (the stored ``action``, at most 32 characters)."""

    ON_DUTY = "on_duty"  # a profile took over the workstation (chosen or changed), or the window opened with it
    TELEGRAM_LOGIN = "telegram_login"
    TELEGRAM_LOGOUT = "telegram_logout"
    EXPORT = "export"  # statistics, the inquiry log, the library, the partners, the moderation record
    IMPORT = "import"  # a Telegram export, the library, the partners
    SETTING = "setting"  # a setting changed: the service standard, urgent words, welcomes, retention, ...
    PROFILE = "profile"  # a moderator profile added
    RETENTION = "retention"  # message text removed by the retention setting


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """One event; ``profile`` is the profile's name as it was then ("" when nobody was on duty)."""

    id: int
    at: datetime
    profile_id: int | None
    profile: str
    action: str
    detail: dict[str, Any] = field(default_factory=dict)


def describe_detail(detail: dict[str, Any]) -> str:
    """The details on one line, in the order they were recorded: "what: report; path: /tmp/x.xlsx"."""
    parts = []
    for key, value in detail.items():
        if value is None or value == "" or value == [] or value == {}:
            continue
        if isinstance(value, list | tuple):
            shown = ", ".join(str(v) for v in value)
        elif isinstance(value, dict):
            shown = ", ".join(f"{k}={v}" for k, v in value.items())
        else:
            shown = str(value)
        parts.append(f"{key}: {' '.join(shown.split())}")
    return "; ".join(parts)
