"""Inbox entries, a clock and a fixed "now" for the window's models, without a log."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from moderator_app.domain.clock import ServiceClock
from moderator_app.domain.inbox import InboxEntry
from moderator_app.domain.standard import ServiceStandard

TORONTO = ZoneInfo("America/Toronto")


class OneClock:
    def __init__(self) -> None:
        self.clock = ServiceClock(STANDARD)

    def for_source(self, source_id: int) -> ServiceClock:
        return self.clock


class FakeNow:
    def __init__(self, at: datetime) -> None:
        self.at = at

    def __call__(self) -> datetime:
        return self.at


def local(*args: int) -> datetime:
    return datetime(*args, tzinfo=TORONTO)


def entry(i: int, arrival: datetime, **changes: Any) -> InboxEntry:
    clock = OneClock().clock
    values: dict[str, Any] = dict(
        id=i,
        source="Newcomers Ottawa",
        member=f"Member {i}",
        text=f"Question {i}?",
        media_kind=None,
        state="open",
        language="en",
        topic="health",
        arrival=arrival.astimezone(UTC),
        due=clock.due(arrival),
        first_response=None,
        source_id=1,
        chat_id=1500,
        question_id=100 + i,
    )
    values.update(changes)
    return InboxEntry(**values)


STANDARD = replace(
    ServiceStandard.default(), timezone="America/Toronto", holidays_country="CA", holidays_subdivision="ON"
)
