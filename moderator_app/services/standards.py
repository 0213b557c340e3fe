"""The service standard and the answer window: saved, applied to the inquiries still open, announced.

A saved standard takes effect at once: open inquiries are re-measured in the log here, and the
announcement makes a running connector re-read its clocks and re-measure the inquiries it holds in memory
(else its next write would put the old due time back, and a new inquiry would still get the old rule).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from zoneinfo import ZoneInfo

from moderator_app.domain.audit import AuditAction
from moderator_app.domain.inquiries import ConversationTracker
from moderator_app.domain.referrals import ReferralMatcher
from moderator_app.domain.standard import ServiceStandard
from moderator_app.services.changes import ChangeBus, Changes
from moderator_app.store.audit import AuditRepository
from moderator_app.store.db import Database
from moderator_app.store.months import month_keyer, month_timezone, rekey_months
from moderator_app.store.repositories import (
    InquiryRepository,
    SettingsRepository,
    SourceRepository,
    StandardRepository,
    delete_override,
)


@dataclass(frozen=True, slots=True)
class StandardSaved:
    """``rekeyed``: log rows re-dated into the new time zone's months (None: the zone did not change)."""

    rekeyed: int | None
    recomputed: int


class StandardsService:
    def __init__(self, db: Database, bus: ChangeBus) -> None:
        self.db = db
        self.bus = bus

    def save(self, standard: ServiceStandard, source_id: int | None) -> StandardSaved:
        """Save the general standard (``source_id`` None) or a source's override, and apply it."""
        StandardRepository(self.db).save(standard, source_id)
        rekeyed = None
        if source_id is None and ZoneInfo(standard.timezone) != month_timezone(self.db):
            rekeyed = rekey_months(self.db, ZoneInfo(standard.timezone))
        saved = StandardSaved(rekeyed, self.recompute_open_inquiries(source_id))
        AuditRepository(self.db).try_record(
            AuditAction.SETTING,
            {
                "setting": "service_standard",
                "source": self._source_name(source_id),
                "target": str(standard.target),
                "mode": standard.mode.value,
                "timezone": standard.timezone,
            },
        )
        self.bus.announce(Changes(standard=True, sources=None if source_id is None else frozenset({source_id})))
        return saved

    def reset(self, source_id: int) -> tuple[bool, int]:
        """The source follows the general standard again: (it had an override, open inquiries recomputed)."""
        removed = delete_override(self.db, source_id)
        recomputed = self.recompute_open_inquiries(source_id)
        if removed:
            AuditRepository(self.db).try_record(
                AuditAction.SETTING,
                {"setting": "service_standard", "source": self._source_name(source_id), "change": "reset"},
            )
        self.bus.announce(Changes(standard=True, sources=frozenset({source_id})))
        return removed, recomputed

    def set_answer_window(self, window: timedelta) -> None:
        """How long after a question a staff message without Telegram's reply may answer it (all sources)."""
        settings = SettingsRepository(self.db)
        before = settings.answer_window()
        settings.set_answer_window(window)
        if before != window:
            AuditRepository(self.db).try_record(
                AuditAction.SETTING, {"setting": "answer_window", "from": str(before), "to": str(window)}
            )
        self.bus.announce(Changes(standard=True))

    def _source_name(self, source_id: int | None) -> str:
        if source_id is None:
            return "all sources"
        source = SourceRepository(self.db).by_id(source_id)
        return source.name if source is not None else f"#{source_id}"

    def recompute_open_inquiries(self, source_id: int | None) -> int:
        """Re-measure inquiries still owed an answer against the standard now in force for their source."""
        standards = StandardRepository(self.db)
        clocks = standards.clocks()
        repository = InquiryRepository(self.db)
        open_inquiries = []
        for source in SourceRepository(self.db).all():
            if source_id is not None and source.id != source_id:
                continue
            if source_id is None and standards.override(source.id) is not None:
                continue  # an override keeps its own standard
            tracker = ConversationTracker(source.kind, ReferralMatcher([]), clocks.for_source(source.id))
            for inquiry in repository.open_inquiries(source.id):
                tracker.recompute_due(inquiry)
                open_inquiries.append(inquiry)
        return repository.save(open_inquiries, month_keyer(self.db))
