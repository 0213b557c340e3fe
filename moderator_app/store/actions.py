"""A moderator's decisions on an inquiry: mark answered, confirm a member's answer, dismiss, follow-up date.

They go through the same domain rules as the messages (so first-response and standard figures stay right)
and are written back to the log. While a connector runs in this process it applies them itself (it keeps
open inquiries in memory and must not write its older view back); otherwise this writes the row directly
and numbers the change, so a connector running on another machine adopts it before its next message.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from moderator_app.domain.inquiries import ConversationTracker, InquiryState, TrackedInquiry
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


class ModeratorAction(StrEnum):
    MARK_ANSWERED = "mark_answered"
    CONFIRM_ANSWER = "confirm_answer"  # a member's answer checked and found right
    DISMISS = "dismiss"  # not an inquiry (thanks, chatter)
    PROMOTE = "promote"  # a possible (or dismissed) inquiry is one after all


class ActionRefused(ValueError):
    """The action does not apply to the inquiry as it is now; the message says why."""


def perform(
    tracker: ConversationTracker,
    inquiry: TrackedInquiry,
    action: ModeratorAction,
    at: datetime,
    responder: int | None = None,
) -> None:
    """Apply ``action`` with the domain rules; raise :class:`ActionRefused` when it does not fit."""
    if action is ModeratorAction.DISMISS:
        if inquiry.state is InquiryState.DISMISSED:
            raise ActionRefused("This inquiry is already dismissed.")
        tracker.dismiss(inquiry, at)
    elif action is ModeratorAction.PROMOTE:
        if not tracker.promote(inquiry, at):
            raise ActionRefused("Only a possible or dismissed inquiry can be made an inquiry.")
    elif action is ModeratorAction.CONFIRM_ANSWER:
        if inquiry.state is not InquiryState.MEMBER_ANSWERED:
            raise ActionRefused("Only an inquiry a member answered can have that answer confirmed.")
        tracker.mark_answered(inquiry, at, responder)
    elif inquiry.state is InquiryState.POSSIBLE:
        raise ActionRefused("Make this possible inquiry an inquiry first (or dismiss it).")
    elif not tracker.mark_answered(inquiry, at, responder):
        raise ActionRefused("This inquiry is already answered or dismissed.")


#: Decisions that teach the detector (DESIGN: promotions and dismissals are the organization's examples).
TEACHING = {ModeratorAction.PROMOTE: True, ModeratorAction.DISMISS: False}


class InquiryActions:
    def __init__(self, db: Database) -> None:
        self.db = db

    def _load(self, inquiry_id: int) -> tuple[TrackedInquiry, int]:
        with self.db.sessions() as session:
            row = session.get(Inquiry, inquiry_id)
            if row is None:
                raise ActionRefused(f"There is no inquiry #{inquiry_id} in the log.")
            return tracked_from_row(row), row.source_id

    def tracker_for(self, source_id: int) -> ConversationTracker:
        source = next((s for s in SourceRepository(self.db).all() if s.id == source_id), None)
        if source is None:
            raise ActionRefused("The source of this inquiry is no longer in the log.")
        clock = StandardRepository(self.db).clocks().for_source(source_id)
        return ConversationTracker(source.kind, ReferralMatcher([]), clock, source.language)

    def apply(
        self, inquiry_id: int, action: ModeratorAction, at: datetime | None = None, profile_id: int | None = None
    ) -> TrackedInquiry:
        """Apply the decision; credit ``profile_id`` (the profile on duty) when it is the first response."""
        inquiry, source_id = self._load(inquiry_id)
        when = at or now_utc()
        perform(self.tracker_for(source_id), inquiry, action, when)
        repository = InquiryRepository(self.db)
        repository.save([inquiry], month_keyer(self.db))
        repository.mark_moderated(inquiry_id)
        if profile_id is not None:
            ProfileRepository(self.db).credit_decision(inquiry_id, profile_id, when)
        if action in TEACHING:
            ExampleRepository(self.db).record(inquiry_id, TEACHING[action], when, profile_id)
        return inquiry

    def set_follow_up(self, inquiry_id: int, day: date | None) -> None:
        self.update(inquiry_id, Details(follow_up=day, change_follow_up=True))

    def update(self, inquiry_id: int, details: Details) -> TrackedInquiry:
        inquiry, _ = self._load(inquiry_id)
        details.apply_to(inquiry)
        repository = InquiryRepository(self.db)
        repository.save([inquiry], month_keyer(self.db))
        repository.mark_moderated(inquiry_id)
        return inquiry


@dataclass(frozen=True)
class Details:
    """A moderator's corrections: the topic (for the statistics by topic) and a follow-up date."""

    topic: str | None = None  # None: unchanged
    follow_up: date | None = None
    change_follow_up: bool = False  # a follow-up of None then clears it

    def apply_to(self, inquiry: TrackedInquiry) -> None:
        if self.topic is not None and self.topic != inquiry.topic:
            inquiry.topic = self.topic
            inquiry.dirty = True
        if self.change_follow_up and self.follow_up != inquiry.follow_up_on:
            inquiry.follow_up_on = self.follow_up
            inquiry.dirty = True
