"""Statistics for a period: the shapes the reports are written from, and the pure arithmetic behind them.

A report has columns: calendar months (one each), or one run of whole days (any two dates, a quarter, a
year), counted as one period so distinct participants are counted over it, not added up from months.

The store computes the counts with SQL (a month of a big log must not be walked row by row in Python);
this module owns the names of the metrics, their order in every export, and the few computations that are
not plain counts (percentiles, buckets, month boundaries in the service time zone).
"""

from __future__ import annotations

import math
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

ALL_SOURCES = "all"

#: Toolkit Table 6 (usage), in its row order.
USAGE_METRICS: tuple[str, ...] = ("inquiries", "information", "referrals", "posts", "total")

#: The four rows of Table 6 that are counted; "total" is their sum.
COUNTED_METRICS: tuple[str, ...] = USAGE_METRICS[:4]

#: Toolkit Table 7 (membership and activity), in its row order; posts by type follow.
ACTIVITY_METRICS: tuple[str, ...] = (
    "members_end",
    "members_joined",
    "members_left",
    "members_removed",
    "questions_answered_public",
    "participants",
    "private_messages",
)

#: Service-standard metrics.
STANDARD_METRICS: tuple[str, ...] = (
    "answered_within_standard",
    "answered_within_standard_pct",
    "first_response_median_minutes",
    "first_response_p90_minutes",
    "first_response_business_median_minutes",
    "first_response_business_p90_minutes",
    "first_response_0_1h",
    "first_response_1_4h",
    "first_response_4_8h",
    "first_response_8_24h",
    "first_response_over_24h",
    "resolution_median_minutes",
    "resolution_p90_minutes",
    "resolution_business_median_minutes",
    "resolution_business_p90_minutes",
    "open_end",
    "open_overdue_end",
)

#: Upper bounds (exclusive) of the first-response buckets, in business hours, and their metric names.
RESPONSE_BUCKETS: tuple[tuple[float, str], ...] = (
    (1.0, "first_response_0_1h"),
    (4.0, "first_response_1_4h"),
    (8.0, "first_response_4_8h"),
    (24.0, "first_response_8_24h"),
    (math.inf, "first_response_over_24h"),
)

#: Breakdown dimensions: metric names are ``inquiries_<dimension>:<key>``.
BREAKDOWN_DIMENSIONS: tuple[str, ...] = ("language", "topic", "moderator")

#: The moderator breakdown's key for inquiries nobody is known to have answered (no first response yet, or
#: answered in Telegram by an account the log cannot name): with it the rows add up to the inquiries.
UNATTRIBUTED = "(unattributed)"

Value = int | float | None


def post_metric(post_type: str) -> str:
    return f"posts_{post_type}"


def breakdown_metric(dimension: str, key: str) -> str:
    return f"inquiries_{dimension}:{key}"


@dataclass(frozen=True)
class Month:
    """A calendar month in the service time zone."""

    year: int
    month: int

    @classmethod
    def parse(cls, text: str) -> Month:
        """Parse ``YYYY-MM``; raises ValueError with a readable message."""
        try:
            year_s, month_s = text.strip().split("-")
            year, month = int(year_s), int(month_s)
        except ValueError:
            raise ValueError(f"{text!r} is not a month: write it as YYYY-MM, e.g. 2026-03") from None
        if not 1 <= month <= 12 or not 1900 <= year <= 9999:
            raise ValueError(f"{text!r} is not a month: write it as YYYY-MM, e.g. 2026-03")
        return cls(year, month)

    @classmethod
    def of(cls, moment: datetime, tz: ZoneInfo) -> Month:
        local = moment.astimezone(tz)
        return cls(local.year, local.month)

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def key(self) -> int:
        """``YYYYMM``: the month key stored on log rows."""
        return self.year * 100 + self.month

    @classmethod
    def from_key(cls, key: int) -> Month:
        return cls(key // 100, key % 100)

    def next(self) -> Month:
        return Month(self.year + (self.month == 12), self.month % 12 + 1)

    def first_day(self) -> date:
        return date(self.year, self.month, 1)

    def start(self, tz: ZoneInfo) -> datetime:
        """The first instant of the month in ``tz`` (a local midnight, DST-correct)."""
        return datetime(self.year, self.month, 1, tzinfo=tz)

    def end(self, tz: ZoneInfo) -> datetime:
        """The first instant after the month."""
        return self.next().start(tz)

    def label(self) -> str:
        """Short label in the toolkit's style (``Mar-17``)."""
        return self.first_day().strftime("%b-%y")


@dataclass(frozen=True)
class DateSpan:
    """Any run of whole days in the service time zone, reported as one column (``last`` included)."""

    first: date
    last: date

    def __post_init__(self) -> None:
        if self.last < self.first:
            raise ValueError(f"the period {self.first} to {self.last} is empty: --to must not be before --from")

    @classmethod
    def of_months(cls, first: Month, last: Month) -> DateSpan:
        return cls(first.first_day(), last.next().first_day() - timedelta(days=1))

    def __str__(self) -> str:
        return f"{self.first.isoformat()}..{self.last.isoformat()}"

    def start(self, tz: ZoneInfo) -> datetime:
        return datetime(self.first.year, self.first.month, self.first.day, tzinfo=tz)

    def end(self, tz: ZoneInfo) -> datetime:
        after = self.last + timedelta(days=1)
        return datetime(after.year, after.month, after.day, tzinfo=tz)

    def months(self) -> list[Month]:
        """The calendar months the span touches (their keys bound its queries on the month indexes)."""
        return month_range(Month(self.first.year, self.first.month), Month(self.last.year, self.last.month))

    @property
    def whole_months(self) -> bool:
        """Starts on a 1st and ends on a month's last day: the month keys alone bound it exactly."""
        return self.first.day == 1 and (self.last + timedelta(days=1)).day == 1

    def label(self) -> str:
        """``Mar-17`` for one whole month, ``Jan-17 to Mar-17`` for whole months, else the two dates."""
        if self.whole_months:
            months = self.months()
            first, last = months[0].label(), months[-1].label()
            return first if first == last else f"{first} to {last}"
        return f"{self.first:%d %b %Y} to {self.last:%d %b %Y}"


#: A report column: a calendar month, or one span of days.
Column = Month | DateSpan


def parse_day_or_month(text: str) -> date | Month:
    """``YYYY-MM`` is a month, ``YYYY-MM-DD`` a day; raises ValueError with a readable message."""
    stripped = text.strip()
    if stripped.count("-") == 2:
        try:
            return date.fromisoformat(stripped)
        except ValueError:
            raise ValueError(f"{text!r} is not a date: write it as YYYY-MM-DD, e.g. 2026-03-15") from None
    return Month.parse(stripped)


def report_columns(first: Month | date, last: Month | date) -> list[Column]:
    """Two months: one column per month. Any date among them: one column for the whole period (a month
    given as its start counts from its 1st, as its end up to its last day)."""
    if isinstance(first, Month) and isinstance(last, Month):
        return list(month_range(first, last))
    start = first.first_day() if isinstance(first, Month) else first
    stop = last.next().first_day() - timedelta(days=1) if isinstance(last, Month) else last
    return [DateSpan(start, stop)]


def month_range(first: Month, last: Month) -> list[Month]:
    if (last.year, last.month) < (first.year, first.month):
        raise ValueError(f"the range {first} to {last} is empty: --to must not be before --from")
    months = [first]
    while months[-1] != last:
        months.append(months[-1].next())
    return months


def percentile_of_sorted(ordered: Sequence[float], fraction: float) -> float | None:
    """Linear-interpolated percentile (the spreadsheet PERCENTILE.INC definition) of values already sorted
    (the report sorts each month's values once); None for no data."""
    if not ordered:
        return None
    position = (len(ordered) - 1) * fraction
    low = math.floor(position)
    high = math.ceil(position)
    if low == high:
        return float(ordered[low])
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def bucket_counts_sorted(business_hours: Sequence[float]) -> dict[str, int]:
    """Count first responses (business hours, sorted) into the 0-1 h, 1-4 h, 4-8 h, 8-24 h and over-24 h
    buckets: one binary search per bucket edge."""
    counts: dict[str, int] = {}
    below = 0
    for bound, name in RESPONSE_BUCKETS:
        upto = bisect_left(business_hours, bound) if bound != math.inf else len(business_hours)
        counts[name] = upto - below
        below = upto
    return counts


def hours_and_minutes(minutes: float | None) -> tuple[int, int] | None:
    """5661.4 minutes -> (94, 21): a manager reads hours and minutes, not thousands of minutes."""
    if minutes is None or not math.isfinite(minutes):
        return None
    whole = round(minutes)
    return whole // 60, whole % 60


def to_minutes(delta: timedelta | float | None) -> float | None:
    if delta is None:
        return None
    seconds = delta.total_seconds() if isinstance(delta, timedelta) else float(delta)
    return round(seconds / 60.0, 1)


@dataclass(frozen=True)
class InquiryLogRow:
    """One inquiry in the report's log sheet; the member is already pseudonymized."""

    inquiry_id: int
    arrival: datetime  # in the service time zone
    source: str
    member: str
    language: str
    topic: str
    state: str
    first_response_minutes: float | None
    business_first_response_minutes: float | None
    met: bool | None


@dataclass(frozen=True)
class InquiryBehind:
    """One inquiry behind a figure of the reports page: who asked, what, and how it went. Unlike the
    exports' log, the member is named: the page is read inside the organization, by the people who answered."""

    inquiry_id: int
    arrival: datetime  # in the service time zone
    source: str
    member: str
    language: str
    topic: str
    state: str
    first_response_minutes: float | None
    met: bool | None
    text: str


#: Figures counted over inquiries: the page can list the inquiries behind them (the others count messages,
#: members or staff posts).
INQUIRY_FIGURES: frozenset[str] = frozenset(
    {
        "inquiries",
        "questions_answered_public",
        "answered_within_standard",
        "answered_within_standard_pct",
        "first_response_median_minutes",
        "first_response_p90_minutes",
        "first_response_business_median_minutes",
        "first_response_business_p90_minutes",
        "resolution_median_minutes",
        "resolution_p90_minutes",
        "resolution_business_median_minutes",
        "resolution_business_p90_minutes",
        "open_end",
        "open_overdue_end",
        *(name for _, name in RESPONSE_BUCKETS),
    }
)


def lists_inquiries(metric: str) -> bool:
    return metric in INQUIRY_FIGURES or metric.startswith("inquiries_")


@dataclass
class Report:
    """Everything an export needs, already computed. ``values`` maps (column, source, metric) to a value;
    ``source`` is a source name or :data:`ALL_SOURCES`; missing keys read as 0 for counts."""

    periods: list[Column]
    sources: list[str]
    timezone: str
    post_types: list[str] = field(default_factory=list)
    breakdown_keys: dict[str, list[str]] = field(default_factory=dict)
    values: dict[tuple[str, str, str], Value] = field(default_factory=dict)
    inquiry_log: list[InquiryLogRow] = field(default_factory=list)

    def get(self, period: Column | str, source: str, metric: str) -> Value:
        return self.values.get((str(period), source, metric), 0)

    def set(self, period: Column | str, source: str, metric: str, value: Value) -> None:
        self.values[(str(period), source, metric)] = value

    def label(self) -> str:
        """The whole period in the toolkit's style: ``Jan-17 to Mar-17``, or the span's own label."""
        if not self.periods:
            return "no period"
        if len(self.periods) == 1:
            return self.periods[0].label()
        first, last = self.periods[0].label(), self.periods[-1].label()
        return f"{first} to {last}"

    def metric_names(self) -> list[str]:
        """Every metric, in export order."""
        names = [*USAGE_METRICS, *ACTIVITY_METRICS, *(post_metric(t) for t in self.post_types)]
        names += STANDARD_METRICS
        for dimension in BREAKDOWN_DIMENSIONS:
            names += [breakdown_metric(dimension, key) for key in self.breakdown_keys.get(dimension, [])]
        return names

    def source_columns(self) -> list[str]:
        return [*self.sources, ALL_SOURCES]


@dataclass(frozen=True)
class PageFigures:
    """What the reports page shows: the period's one column, and Table 6 by month for the trend chart."""

    report: Report
    usage: Report


class MonthKeyer:
    """The month (``YYYYMM``) an instant falls in, in the service time zone.

    Rows carry this key so monthly statistics are plain GROUP BYs on an index; messages arrive mostly in
    time order, so the last month's UTC bounds are kept and most calls are two comparisons.
    """

    def __init__(self, tz: ZoneInfo) -> None:
        self.tz = tz
        self._start: datetime | None = None
        self._end: datetime | None = None
        self._key = 0

    def __call__(self, moment: datetime | None) -> int | None:
        if moment is None:
            return None
        start, end = self._start, self._end
        if start is not None and end is not None and start <= moment < end:
            return self._key
        month = Month.of(moment, self.tz)
        # Bounds in the caller's zone (UTC in the log): aware datetimes with the same tzinfo compare without
        # asking either for its UTC offset, which keeps this call cheap.
        zone = moment.tzinfo
        self._start, self._end = month.start(self.tz).astimezone(zone), month.end(self.tz).astimezone(zone)
        self._key = month.key
        return self._key
