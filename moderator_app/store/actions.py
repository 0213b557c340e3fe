"""A moderator's decisions on an inquiry: mark answered, confirm a member's answer, dismiss, follow-up date.

They go through the same domain rules as the messages (so first-response and standard figures stay right)
and are written back to the log. While a connector runs in this process it applies them itself (it keeps
open inquiries in memory and must not write its older view back); otherwise this writes the row directly
and numbers the change, so a connector running on another machine adopts it before its next message.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from typing import Final

from sqlalchemy import text
from sqlalchemy.orm import Session

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
    INQUIRY_RULE_COLUMNS,
    SourceRepository,
    StandardRepository,
    inquiry_rule_values,
    moderated,
    now_utc,
    tracked_from_row,
)

#: The PostgreSQL advisory lock under which decisions are numbered (see :func:`number_decision`).
DECISION_NUMBERING_LOCK: Final = 0x6D6F6465_72617465


def number_decision(session: Session, inquiry_id: int) -> None:
    """Number a decision written straight to the log, in ``session``'s transaction. On PostgreSQL two
    workstations deciding at once would both take the highest number + 1, and a connector that read the first
    before the second was committed would never adopt the second: the lock, held until the commit, makes
    them take turns, so the numbers are committed in their order."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": DECISION_NUMBERING_LOCK})
    session.execute(moderated(inquiry_id))


class InquiryActions:
    def __init__(self, db: Database) -> None:
        self.db = db

    @contextmanager
    def _deciding(self, inquiry_id: int) -> Iterator[tuple[TrackedInquiry, int]]:
        """The inquiry as the log has it, for one decision, written back (and numbered, so a connector
        elsewhere adopts it) when the block ends without an error. Its row stays locked meanwhile: two
        moderators deciding on it at once (two workstations on a team's log) take turns, and the second
        decides on what the first left (refused when it no longer applies), not on what both read before."""
        with self.db.sessions.begin() as session:
            row = session.get(Inquiry, inquiry_id, with_for_update=True)
            if row is None:
                raise ActionRefused(f"There is no inquiry #{inquiry_id} in the log.")
            inquiry = tracked_from_row(row)
            yield inquiry, row.source_id
            if inquiry.dirty:
                values = inquiry_rule_values(inquiry, month_keyer(self.db))
                for name, value in zip(INQUIRY_RULE_COLUMNS, values, strict=True):
                    setattr(row, name, value)
                session.flush()
            number_decision(session, inquiry_id)

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
        when = at or now_utc()
        with self._deciding(inquiry_id) as (inquiry, source_id):
            taken = decide(self.tracker_for(source_id), inquiry, action, when)
        if profile_id is not None:
            ProfileRepository(self.db).credit_decision(inquiry_id, profile_id, when)
        if action in TEACHING:
            ExampleRepository(self.db).record(inquiry_id, TEACHING[action], when, profile_id)
        return taken

    def undo(self, taken: Undo) -> Example | None:
        """Put the inquiry back as it was before the decision; returns the detector's example it no longer
        learns from, if the decision had taught one."""
        with self._deciding(taken.inquiry_id) as (inquiry, source_id):
            undo(self.tracker_for(source_id), inquiry, taken)
        return self.after_undo(taken)

    def after_undo(self, taken: Undo) -> Example | None:
        """Besides the inquiry's row (a running connector writes it itself): the first response's credit and
        the detector's example the decision recorded are taken back too."""
        ProfileRepository(self.db).uncredit(taken.inquiry_id)
        return ExampleRepository(self.db).forget(taken.inquiry_id) if taken.action in TEACHING else None

    def set_follow_up(self, inquiry_id: int, day: date | None) -> None:
        self.update(inquiry_id, Details(follow_up=day, change_follow_up=True))

    def update(self, inquiry_id: int, details: Details) -> TrackedInquiry:
        with self._deciding(inquiry_id) as (inquiry, _):
            details.apply_to(inquiry)
        return inquiry
