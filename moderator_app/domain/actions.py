"""A moderator's decisions on an inquiry, as rules: which apply to an inquiry as it is, and what they change.

The store writes them (store/actions.py); a running connector applies them to the inquiries it holds.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any, Final

from moderator_app.domain.inquiries import ConversationTracker, InquiryState, TrackedInquiry


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


#: What a decision may change on an inquiry: what undoing it puts back.
DECIDED_FIELDS: Final = (
    "state",
    "detection",
    "clock_start",
    "due",
    "first_response_at",
    "first_response_seconds",
    "business_response_seconds",
    "met_standard",
    "responder",
    "answered_at",
    "dismissed_at",
)


@dataclass(frozen=True)
class Undo:
    """How to take a decision back: the inquiry as it was, and the state the decision left it in (undoing is
    refused once anything else changed it: a reply, another moderator)."""

    inquiry_id: int
    action: ModeratorAction
    before: tuple[tuple[str, Any], ...]
    after: InquiryState


def decide(
    tracker: ConversationTracker,
    inquiry: TrackedInquiry,
    action: ModeratorAction,
    at: datetime,
    responder: int | None = None,
) -> Undo:
    """:func:`perform`, keeping what is needed to undo it."""
    before = tuple((name, getattr(inquiry, name)) for name in DECIDED_FIELDS)
    perform(tracker, inquiry, action, at, responder)
    return Undo(inquiry.id or 0, action, before, inquiry.state)


def undo(tracker: ConversationTracker, inquiry: TrackedInquiry, taken_back: Undo) -> None:
    """Put the inquiry back as it was before the decision (its countdown, first response and all)."""
    if inquiry.state is not taken_back.after:
        raise ActionRefused(
            "This inquiry changed since (a reply, or another moderator's decision): nothing was undone."
        )
    for name, value in taken_back.before:
        setattr(inquiry, name, value)
    inquiry.dirty = True
    tracker.restored(inquiry)


#: Decisions that teach the detector (DESIGN: promotions and dismissals are the organization's examples).
TEACHING = {ModeratorAction.PROMOTE: True, ModeratorAction.DISMISS: False}


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
