"""Retention as a use case: the setting (months, off by default), what applying it would remove, applying it
(and, when the setting is on, at each start of the window), each change and each run kept in the audit record.
"""

from __future__ import annotations

import logging
from datetime import datetime
from pathlib import Path

from moderator_app.domain.audit import AuditAction
from moderator_app.domain.retention import RetentionPreview, RetentionResult, check_months
from moderator_app.domain.settings import RETENTION_MONTHS
from moderator_app.services.changes import ChangeBus, Changes
from moderator_app.store.audit import ON_DUTY_HERE, AuditRepository
from moderator_app.store.db import Database
from moderator_app.store.repositories import SettingsRepository
from moderator_app.store.retention import Retention

log = logging.getLogger(__name__)


class RetentionService:
    """``media_dir``: this computer's downloads (their files go with the text)."""

    def __init__(self, db: Database, media_dir: Path | None = None, bus: ChangeBus | None = None) -> None:
        self.db = db
        self.retention = Retention(db, media_dir)
        self.audit = AuditRepository(db)
        self.bus = bus

    def months(self) -> int | None:
        return self.retention.months()

    def set_months(self, months: int | None, *, profile_id: int | None = ON_DUTY_HERE, via: str = "window") -> None:
        """Keep message text for ``months`` (None or 0: for good); RetentionError out of range. Recorded in
        the audit record when it changes."""
        months = check_months(months)
        before = self.months()
        if months == before:
            return
        SettingsRepository(self.db).write(RETENTION_MONTHS, months)
        self.audit.record(
            AuditAction.SETTING,
            {"setting": "retention", "from": before or "off", "to": months or "off", "via": via},
            profile_id=profile_id,
        )
        if self.bus is not None:
            self.bus.announce(Changes(settings=frozenset({RETENTION_MONTHS.key})))

    def preview(self, months: int, now: datetime | None = None) -> RetentionPreview:
        return self.retention.preview(months, now)

    def apply(
        self,
        months: int | None = None,
        now: datetime | None = None,
        *,
        profile_id: int | None = ON_DUTY_HERE,
        via: str = "window",
    ) -> RetentionResult | None:
        """Apply ``months`` (default: the setting); None when retention is off. Each run is recorded."""
        months = check_months(months if months is not None else self.months())
        if months is None:
            return None
        result = self.retention.apply(months, now)
        self.audit.record(
            AuditAction.RETENTION,
            {
                "months": months,
                "before": result.before.date().isoformat(),
                "messages": result.messages,
                "sent_replies": result.outbox,
                "drafts": result.drafts,
                "examples": result.examples,
                "files": result.files,
                "kept_open": result.kept_open,
                "via": via,
            },
            profile_id=profile_id,
        )
        return result

    def at_start(self) -> RetentionResult | None:
        """At each start of the window, when the setting is on: the months that turned since are applied (a
        run that removes nothing is not recorded)."""
        months = self.months()
        if months is None:
            return None
        if self.preview(months).messages == 0:
            return None
        return self.apply(months, via="start-up")


class LogRetention:
    """The window's retention (ui/access.RetentionAccess): saving stores the setting and applies it at once."""

    def __init__(self, service: RetentionService) -> None:
        self._service = service

    def months(self) -> int | None:
        return self._service.months()

    def preview(self, months: int) -> RetentionPreview:
        return self._service.preview(months)

    def save(self, months: int | None) -> RetentionResult | None:
        self._service.set_months(months)
        return self._service.apply() if months else None
