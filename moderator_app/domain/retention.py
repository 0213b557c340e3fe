"""Retention: message text older than N whole months is removed, counts and the pseudonymised inquiry log stay.

The boundary is the first day of a month in the service time zone, so a month either keeps all its text or
none of it: its report is computed from rows that no longer need the text (inquiries, responses, membership
events, message rows), and re-deriving keeps what was derived for it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

#: The shortest and longest retention a person can set (months).
MIN_MONTHS = 1
MAX_MONTHS = 240


class RetentionError(ValueError):
    """A retention that cannot be set; the message says why."""


def check_months(months: int | None) -> int | None:
    """None or 0: off (the text is kept for good). Else a whole number of months in range."""
    if months is None or months == 0:
        return None
    if not MIN_MONTHS <= months <= MAX_MONTHS:
        raise RetentionError(f"Keep message text for {MIN_MONTHS} to {MAX_MONTHS} months (0 turns retention off).")
    return months


def first_kept_day(today: date, months: int) -> date:
    """The first day of the month ``months`` before ``today``'s: the text of messages before it goes. With 12
    months on 2026-12-05 that is 2025-12-01: everything removed is over 12 months old."""
    index = today.year * 12 + today.month - 1 - months
    return date(index // 12, index % 12 + 1, 1)


def boundary(now: datetime, months: int, timezone: ZoneInfo) -> datetime:
    """The instant (midnight in the service time zone) before which message text is removed."""
    return datetime.combine(first_kept_day(now.astimezone(timezone).date(), months), time(), timezone)


@dataclass(frozen=True, slots=True)
class RetentionPreview:
    """What applying would remove: ``messages`` whose text (or file reference) goes, before ``before``."""

    months: int
    before: datetime
    messages: int
    kept_open: int  # messages of inquiries still open: kept until those close


@dataclass(frozen=True, slots=True)
class RetentionResult:
    before: datetime
    messages: int  # messages whose text, file reference, forward name or mentions were removed
    outbox: int  # sent replies whose text was removed
    drafts: int  # unsent drafts removed
    examples: int  # detector examples (copies of member messages) removed
    files: int  # downloaded files deleted from this computer
    kept_open: int

    def sentence(self) -> str:
        return (
            f"Text removed from {self.messages:,} messages before {self.before.date().isoformat()} "
            f"({self.outbox:,} sent replies, {self.drafts:,} drafts, {self.examples:,} detector examples, "
            f"{self.files:,} downloaded files); counts and the inquiry log are unchanged."
            + (
                f" {self.kept_open:,} messages of inquiries still open keep their text until they close."
                if self.kept_open
                else ""
            )
        )
