"""A moderator's decisions on an inquiry: mark answered, confirm a member's answer, dismiss, follow-up date.

They go through the same domain rules as the messages (so first-response and standard figures stay right)
and are written back to the log. While a connector runs in this process it applies them itself (it keeps
open inquiries in memory and must not write its older view back); otherwise this writes the row directly
and numbers the change, so a connector running on another machine adopts it before its next message.
"""

from __future__ import annotations

from datetime import date, datetime

from moderator_app.domain.actions import TEACHING, ActionRefused, Details, ModeratorAction, Undo, decide, undo
from moderator_app.domain.examples import Example
from moderator_app.domain.inquiries import ConversationTracker, TrackedInquiry
from moderator_app.domain.referrals import ReferralMatcher
from moderator_app.store.db import Database
from moderator_app.store.examples import ExampleRepository
from moderator_app.store.models import Inquiry
from moderator_app.store.months import month_keyer
from moderator_app.store.profiles import ProfileRepository
from moderator_app.store.repositories import (
    InquiryRepository,
    SourceRepository,
    StandardRepository,
    now_utc,
    tracked_from_row,
)


class InquiryActions:
    def __init__(self, db: Database) -> None:
        self.db = db

    def _load(self, inquiry_id: int) -> tuple[TrackedInquiry, int]:
        with self.db.sessions() as session:
            row = session.get(Inquiry, inquiry_id)
            if row is None:
                raise ActionRefused(f"There is no inquiry #{inquiry_id} in the log.")
            return tracked_from_row(row), row.source_id

    def _write(self, inquiry: TrackedInquiry, inquiry_id: int) -> None:
        """The inquiry's row as the decision left it, numbered so a connector elsewhere adopts it."""
        repository = InquiryRepository(self.db)
        repository.save([inquiry], month_keyer(self.db))
        repository.mark_moderated(inquiry_id)

    def tracker_for(self, source_id: int) -> ConversationTracker:
        source = SourceRepository(self.db).by_id(source_id)
        if source is None:
            raise ActionRefused("The source of this inquiry is no longer in the log.")
        clock = StandardRepository(self.db).clocks().for_source(source_id)
        return ConversationTracker(source.kind, ReferralMatcher([]), clock, source.language)

    def apply(
        self, inquiry_id: int, action: ModeratorAction, at: datetime | None = None, profile_id: int | None = None
    ) -> Undo:
        """Apply the decision; credit ``profile_id`` (the profile on duty) when it is the first response.
        Returns how to undo it."""
        inquiry, source_id = self._load(inquiry_id)
        when = at or now_utc()
        taken = decide(self.tracker_for(source_id), inquiry, action, when)
        self._write(inquiry, inquiry_id)
        if profile_id is not None:
            ProfileRepository(self.db).credit_decision(inquiry_id, profile_id, when)
        if action in TEACHING:
            ExampleRepository(self.db).record(inquiry_id, TEACHING[action], when, profile_id)
        return taken

    def undo(self, taken: Undo) -> Example | None:
        """Put the inquiry back as it was before the decision; returns the detector's example it no longer
        learns from, if the decision had taught one."""
        inquiry, source_id = self._load(taken.inquiry_id)
        undo(self.tracker_for(source_id), inquiry, taken)
        self._write(inquiry, taken.inquiry_id)
        return self.after_undo(taken)

    def after_undo(self, taken: Undo) -> Example | None:
        """Besides the inquiry's row (a running connector writes it itself): the first response's credit and
        the detector's example the decision recorded are taken back too."""
        ProfileRepository(self.db).uncredit(taken.inquiry_id)
        return ExampleRepository(self.db).forget(taken.inquiry_id) if taken.action in TEACHING else None

    def set_follow_up(self, inquiry_id: int, day: date | None) -> None:
        self.update(inquiry_id, Details(follow_up=day, change_follow_up=True))

    def update(self, inquiry_id: int, details: Details) -> TrackedInquiry:
        inquiry, _ = self._load(inquiry_id)
        details.apply_to(inquiry)
        self._write(inquiry, inquiry_id)
        return inquiry
