"""Member reports: which messages are one, and that the rules give them their own role (no inquiry opened or
answered)."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from moderator_app.domain.clock import ServiceClock
from moderator_app.domain.events import MessageRecord, Peer, SourceKind
from moderator_app.domain.inquiries import ConversationTracker, InquiryState, Role
from moderator_app.domain.referrals import ReferralMatcher
from moderator_app.domain.reports import report_reason
from moderator_app.domain.standard import ServiceStandard

CLOCK = ServiceClock(ServiceStandard(timezone="America/Toronto"))
START = datetime(2026, 3, 2, 10, 0, tzinfo=ZoneInfo("America/Toronto"))


@pytest.mark.parametrize(
    ("text", "is_reply", "reason"),
    [
        ("/report", True, ""),
        ("/report", False, ""),  # about the conversation
        ("/REPORT@GroupHelpBot spam, he sells visas", True, "spam, he sells visas"),
        ("@admin", True, ""),
        ("@admins this is a scam!", True, "this is a scam!"),
        ("يا @admin هذا احتيال", True, "يا هذا احتيال"),
        ("@admin where do I get a health card?", False, None),  # not a reply: judged as a message
        ("write to @administration_office", True, None),
        ("mail admin@example.org", True, None),
        ("/reports are due Friday", True, None),
        ("please report this to the city", True, None),
        ("", True, None),
        (None, True, None),
    ],
)
def test_what_is_a_report(text: str | None, is_reply: bool, reason: str | None) -> None:
    assert report_reason(text, is_reply) == reason


def _say(tracker: ConversationTracker, i: int, sender: int, text: str, reply_to: int | None = None):  # type: ignore[no-untyped-def]
    message = MessageRecord(1, i, START + timedelta(minutes=i), Peer("user", sender), text, reply_to=reply_to)
    return tracker.observe(message, sender, sender == 9000)


def test_a_report_neither_opens_nor_answers_an_inquiry() -> None:
    tracker = ConversationTracker(SourceKind.GROUP, ReferralMatcher([]), CLOCK)
    asked = _say(tracker, 1, 1, "Where can I get a health card?")
    assert asked.inquiry is not None
    report = _say(tracker, 2, 2, "@admin is this allowed?", reply_to=1)
    assert report.role is Role.REPORT and report.inquiry is None
    assert asked.inquiry.state is InquiryState.OPEN  # not "member answered"
    assert _say(tracker, 3, 3, "/report", reply_to=1).role is Role.REPORT
    # In a private chat "/report" is a message to the organization like any other.
    private = ConversationTracker(SourceKind.PRIVATE, ReferralMatcher([]), CLOCK)
    assert _say(private, 1, 1, "/report").role is Role.QUESTION
