"""The audit record for the window (ui/access.AuditAccess): read for the "Audit record" dialog, and the events
only the window sees (who is on duty, Telegram login and logout) written, on the database worker."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from moderator_app.domain.audit import AuditAction, AuditEntry
from moderator_app.store.audit import AuditRepository
from moderator_app.store.db import Database


class LogAudit:
    def __init__(self, db: Database) -> None:
        self._audit = AuditRepository(db)

    def entries(self, start: datetime | None, end: datetime | None) -> list[AuditEntry]:
        return self._audit.entries(start, end)

    def on_duty(self, profile_id: int | None, previous: str, how: str) -> None:
        """A profile took the workstation (``how``: "start" or "changed"); ``previous``: who had it."""
        self._audit.try_record(AuditAction.ON_DUTY, {"how": how, "previous": previous}, profile_id=profile_id)

    def telegram(self, logged_in: bool, detail: dict[str, Any] | None = None) -> None:
        action = AuditAction.TELEGRAM_LOGIN if logged_in else AuditAction.TELEGRAM_LOGOUT
        self._audit.try_record(action, {"via": "window", **(detail or {})})
