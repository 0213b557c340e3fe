"""Handovers between the people on duty, for the window (``ui/access.py``'s HandoverAccess): the summary of
what is owed now, in the service's time zone of the moment, and the handovers kept. Run on the database worker.

A handover changes nothing any other view shows, so it announces no change. It is not yet written to the
audit record: that record's store has no writer yet (migration 0019 made only its table).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from zoneinfo import ZoneInfo

from moderator_app.domain.handover import Handover, HandoverSummary
from moderator_app.store.db import Database
from moderator_app.store.handovers import HandoverRepository
from moderator_app.store.repositories import StandardRepository, now_utc


class LogHandovers:
    def __init__(self, db: Database, now: Callable[[], datetime] = now_utc) -> None:
        self._db = db
        self._handovers = HandoverRepository(db)
        self._now = now

    def summary(self) -> HandoverSummary:
        timezone = ZoneInfo(StandardRepository(self._db).global_standard().timezone)
        return self._handovers.summary(self._now(), timezone)

    def latest(self) -> Handover | None:
        return self._handovers.latest()

    def save(
        self, from_profile_id: int | None, to_profile_id: int | None, note: str, summary: HandoverSummary
    ) -> Handover:
        return self._handovers.save(from_profile_id, to_profile_id, note, summary, self._now())
