"""The audit record in the log (table ``audit_events``): written by the use cases, read by the window's
"Audit record" and ``moderator-app audit``. Events are only added, never changed."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from sqlalchemy import select

from moderator_app.domain.audit import AuditAction, AuditEntry
from moderator_app.domain.settings import ON_DUTY
from moderator_app.store.db import Database
from moderator_app.store.models import AuditEvent, ModeratorProfile
from moderator_app.store.repositories import SettingsRepository, now_utc

log = logging.getLogger(__name__)

#: Whoever is on duty at this workstation (the saved "On duty" choice) is credited with the event.
ON_DUTY_HERE: Any = object()


class AuditRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    def record(
        self,
        action: AuditAction | str,
        detail: dict[str, Any] | None = None,
        *,
        profile_id: int | None = ON_DUTY_HERE,
        at: datetime | None = None,
    ) -> AuditEntry:
        """Add an event. Without ``profile_id`` the profile on duty at this workstation is credited; the
        profile's name is kept as it is now, so a renamed profile still reads right."""
        if profile_id is ON_DUTY_HERE:
            profile_id = SettingsRepository(self.db).read(ON_DUTY)
        with self.db.sessions.begin() as session:
            profile = session.get(ModeratorProfile, profile_id) if profile_id is not None else None
            row = AuditEvent(
                at=at or now_utc(),
                profile_id=profile.id if profile is not None else None,
                profile_name=profile.name if profile is not None else "",
                action=str(action)[:32],
                detail=dict(detail or {}),
            )
            session.add(row)
            session.flush()
            return _entry(row)

    def try_record(self, action: AuditAction | str, detail: dict[str, Any] | None = None, **kwargs: Any) -> None:
        """Record, and never fail what was recorded: the change itself is done; a record that could not be
        written (the log locked a moment) is in the notes instead."""
        try:
            self.record(action, detail, **kwargs)
        except Exception:
            log.exception("the audit record could not keep %s %s", action, detail)

    def entries(self, start: datetime | None = None, end: datetime | None = None) -> list[AuditEntry]:
        """The events from ``start`` (included) to ``end`` (excluded), newest first."""
        query = select(AuditEvent).order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
        if start is not None:
            query = query.where(AuditEvent.at >= start)
        if end is not None:
            query = query.where(AuditEvent.at < end)
        with self.db.sessions() as session:
            return [_entry(row) for row in session.scalars(query)]


def _entry(row: AuditEvent) -> AuditEntry:
    return AuditEntry(row.id, row.at, row.profile_id, row.profile_name, row.action, dict(row.detail or {}))
