"""Moderation rules: warnings expire and count towards removal, requests Telegram or the record could not take
are refused with what to change."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from moderator_app.domain.moderation import (
    ModerationError,
    ModerationKind,
    ModerationRequest,
    WarningPolicy,
    check_request,
)

NOW = datetime(2026, 12, 5, 12, tzinfo=UTC)


def test_two_recent_warnings_propose_removal_and_old_ones_have_expired() -> None:
    policy = WarningPolicy()  # two warnings within 90 days
    assert not policy.proposes_removal([NOW - timedelta(days=3)], NOW)
    assert policy.proposes_removal([NOW - timedelta(days=89), NOW - timedelta(hours=1)], NOW)
    assert not policy.proposes_removal([NOW - timedelta(days=91), NOW - timedelta(hours=1)], NOW)
    assert WarningPolicy(threshold=3).active([NOW - timedelta(days=1)] * 2, NOW) == 2


@given(st.lists(st.integers(min_value=-400, max_value=10), max_size=12), st.integers(min_value=1, max_value=5))
def test_only_warnings_within_the_expiry_count(days_ago: list[int], threshold: int) -> None:
    policy = WarningPolicy(threshold=threshold, expiry=timedelta(days=90))
    dates = [NOW - timedelta(days=d) for d in days_ago]
    recent = sum(1 for d in days_ago if 0 <= d < 90)
    assert policy.active(dates, NOW) == recent
    assert policy.proposes_removal(dates, NOW) is (recent >= threshold)


@pytest.mark.parametrize(
    ("request_", "said"),
    [
        (ModerationRequest(ModerationKind.WARN, 1, 5), "reminder"),
        (ModerationRequest(ModerationKind.BAN, 1), "member"),
        (ModerationRequest(ModerationKind.DELETE, 1, 5), "message"),
        (ModerationRequest(ModerationKind.MUTE, 1, 5), "how long"),
        (ModerationRequest(ModerationKind.MUTE, 1, 5, duration=timedelta(seconds=5)), "30 seconds"),
        (ModerationRequest(ModerationKind.REMOVE, 1, 5, duration=timedelta(days=1)), "no duration"),
    ],
)
def test_impossible_requests_say_what_to_change(request_: ModerationRequest, said: str) -> None:
    with pytest.raises(ModerationError, match=said):
        check_request(request_)


def test_possible_requests_pass() -> None:
    check_request(ModerationRequest(ModerationKind.WARN, 1, 5, notice="Please read guideline 2."))
    check_request(ModerationRequest(ModerationKind.BAN, 1, 5))  # until lifted
    check_request(ModerationRequest(ModerationKind.MUTE, 1, 5, duration=timedelta(days=366)))
    check_request(ModerationRequest(ModerationKind.DELETE, 1, message_id=9))
