"""The clock that measures a service standard: when the countdown starts (the next opening), when an
inquiry is due, how much counted time has passed, whether the countdown stands still. The importer, the
window and the reports share it, so they agree to the microsecond (see ``standard`` for the conventions).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from functools import lru_cache

from moderator_app.domain.standard import (
    DAY,
    HOURS_EXAMPLE,
    MAX_SEARCH_DAYS,
    MICROSECOND,
    ZERO,
    Mode,
    ServiceStandard,
    end_offset,
    start_offset,
    zone,
)

_Interval = tuple[datetime, datetime]


class _Day:
    """One local date resolved to UTC instants; cached because every inquiry walks the same few days."""

    __slots__ = ("business", "counting", "end", "periods", "start")

    def __init__(
        self,
        start: datetime,
        end: datetime,
        business: bool,
        periods: tuple[_Interval, ...],
        counting: tuple[_Interval, ...],
    ) -> None:
        self.start = start
        self.end = end
        self.business = business
        self.periods = periods
        self.counting = counting


def _utc(at: datetime, what: str) -> datetime:
    if type(at) is datetime and at.tzinfo is UTC:  # the usual case (the log's instants): nothing to convert
        return at
    if not isinstance(at, datetime):
        raise TypeError(f"{what} must be a datetime, not {type(at).__name__}")
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError(f"{what} ({at}) has no time zone; pass an aware datetime (e.g. with tzinfo=UTC)")
    return at.astimezone(UTC)


class ServiceClock:
    """Built once per standard (cache holiday lookups per year); all methods take tz-aware datetimes (any
    zone) and return tz-aware datetimes in UTC.

    Time is walked a local day at a time (never minute by minute), with each day's UTC boundaries, opening
    periods and counting intervals cached, so a due date costs a few dictionary look-ups.
    """

    def __init__(self, standard: ServiceStandard) -> None:
        if not any(standard.hours):
            raise ValueError(f"the service is never open: give at least one opening period, {HOURS_EXAMPLE}")
        self.standard = standard
        self._zone = zone(standard.timezone)
        self._mode = standard.mode
        self._target = standard.target
        self._warning_counted = standard.target - standard.target * standard.warning_fraction
        self._offsets: tuple[tuple[tuple[timedelta, timedelta], ...], ...] = tuple(
            tuple((start_offset(s), end_offset(e)) for s, e in day) for day in standard.hours
        )
        self._holiday_years: dict[int, frozenset[date]] = {}
        self._day = lru_cache(maxsize=8192)(self._compute_day)
        # The local day last asked for, as (start, end, ordinal): an import asks about instants in time order,
        # so most questions fall in it and need no time zone conversion. One tuple, replaced whole, so a reader
        # on another thread sees a consistent one.
        self._last_day: tuple[datetime, datetime, int] | None = None

    # -- per-day data ------------------------------------------------------------------------------------

    def _holidays(self, year: int) -> frozenset[date]:
        cached = self._holiday_years.get(year)
        if cached is None:
            country = self.standard.holidays_country
            if country is None:
                cached = frozenset()
            else:
                import holidays

                found = holidays.country_holidays(country, subdiv=self.standard.holidays_subdivision, years=year)
                cached = frozenset(d for d in found if d.year == year)
            self._holiday_years[year] = cached
        return cached

    def _resolve(self, ordinal: int, offset: timedelta) -> datetime:
        """The UTC instant of a local wall time: first occurrence if repeated, the jump if skipped."""
        naive = datetime.fromordinal(ordinal) + offset
        instant = naive.replace(tzinfo=self._zone).astimezone(UTC)
        if instant.astimezone(self._zone).replace(tzinfo=None) == naive:
            return instant
        # Skipped by a DST jump: the jump lies between the two readings; find it to the microsecond.
        low = naive.replace(tzinfo=self._zone, fold=1).astimezone(UTC)
        high = instant
        after = high.astimezone(self._zone).utcoffset()
        while high - low > MICROSECOND:
            middle = low + (high - low) // 2
            if middle.astimezone(self._zone).utcoffset() == after:
                high = middle
            else:
                low = middle
        return high

    def _business(self, day: date) -> bool:
        return (
            bool(self._offsets[day.weekday()])
            and day not in self.standard.closures
            and (day not in self._holidays(day.year))
        )

    def _compute_day(self, ordinal: int) -> _Day:
        day = date.fromordinal(ordinal)
        start = self._resolve(ordinal, ZERO)
        end = self._resolve(ordinal + 1, ZERO)
        business = self._business(day)
        periods: list[_Interval] = []
        if business:
            # A day of exactly 24 hours has one UTC offset throughout: its wall times need no zone lookup.
            steady = end - start == DAY
            for s_off, e_off in self._offsets[day.weekday()]:
                s = start + s_off if steady else self._resolve(ordinal, s_off)
                e = start + e_off if steady else self._resolve(ordinal, e_off)
                if periods and s < periods[-1][1]:
                    s = periods[-1][1]
                if e > s:
                    periods.append((s, e))
        if not business or self._mode is Mode.CALENDAR:
            counting: tuple[_Interval, ...] = ()
        elif self._mode is Mode.BUSINESS_DAYS:
            counting = ((start, end),) if end > start else ()
        else:
            counting = tuple(periods)
        return _Day(start, end, business, tuple(periods), counting)

    def _ordinal_of(self, instant: datetime) -> int:
        """The local day whose [midnight, next midnight) contains the UTC instant."""
        last = self._last_day
        if last is not None and last[0] <= instant < last[1]:
            return last[2]
        ordinal = instant.astimezone(self._zone).toordinal()
        while instant >= self._day(ordinal).end:
            ordinal += 1
        while instant < (day := self._day(ordinal)).start:
            ordinal -= 1
        self._last_day = (day.start, day.end, ordinal)
        return ordinal

    # -- public API --------------------------------------------------------------------------------------

    def is_business_day(self, day: date) -> bool:
        """A weekday with opening hours that is neither a public holiday nor an extra closure."""
        if isinstance(day, datetime):
            raise TypeError("is_business_day takes a local date; for an instant use is_open or is_paused")
        return self._day(day.toordinal()).business

    def is_open(self, at: datetime) -> bool:
        """Inside an opening period of a business day (periods are half-open: closed at 17:00 sharp)."""
        instant = _utc(at, "at")
        return any(s <= instant < e for s, e in self._day(self._ordinal_of(instant)).periods)

    def next_opening(self, at: datetime) -> datetime:
        """`at` itself if open, else the start of the next opening period."""
        return self._opening(_utc(at, "at"))[0]

    def _opening(self, instant: datetime) -> tuple[datetime, int]:
        """:meth:`next_opening` of a UTC instant, and the local day it falls on (for :meth:`_advance`)."""
        ordinal = self._ordinal_of(instant)
        for offset in range(MAX_SEARCH_DAYS + 1):
            for s, e in self._day(ordinal + offset).periods:
                if e > instant:
                    return (s if s > instant else instant), ordinal + offset
        raise ValueError(
            f"the service is not open on any day within {MAX_SEARCH_DAYS} days after {instant:%Y-%m-%d}; "
            f"check the holidays and closures"
        )

    def clock_start(self, arrival: datetime) -> datetime:
        """The arrival if the service is open then, else the next opening (in every mode)."""
        return self.next_opening(arrival)

    def counted(self, start: datetime, end: datetime) -> timedelta:
        """The time between two instants that counts towards the target in this mode (0 if end <= start)."""
        low = _utc(start, "start")
        high = _utc(end, "end")
        if high <= low:
            return ZERO
        if self._mode is Mode.CALENDAR:
            return high - low
        total = ZERO
        ordinal = self._ordinal_of(low)
        while True:
            day = self._day(ordinal)
            if day.start >= high:
                return total
            for s, e in day.counting:
                lo = s if s > low else low
                hi = e if e < high else high
                if hi > lo:
                    total += hi - lo
            ordinal += 1

    def _advance(self, start: datetime, amount: timedelta, ordinal: int | None = None) -> datetime:
        """The earliest instant at which `amount` has counted since `start` (``ordinal``: its local day)."""
        if amount <= ZERO:
            return start
        if self._mode is Mode.CALENDAR:
            return start + amount
        left = amount
        if ordinal is None:
            ordinal = self._ordinal_of(start)
        idle = 0
        while idle <= MAX_SEARCH_DAYS:
            counting = self._day(ordinal).counting
            idle = 0 if counting else idle + 1
            for s, e in counting:
                if e <= start:
                    continue
                lo = s if s > start else start
                length = e - lo
                if length >= left:
                    return lo + left
                left -= length
            ordinal += 1
        raise ValueError(
            f"no counting time within {MAX_SEARCH_DAYS} days after {start:%Y-%m-%d}; check the holidays and closures"
        )

    def due(self, arrival: datetime) -> datetime:
        """The instant the counted time since clock start reaches the target."""
        return self._advance(self.clock_start(arrival), self._target)

    def start_and_due(self, arrival: datetime) -> tuple[datetime, datetime]:
        """:meth:`clock_start` and :meth:`due` together (one search for the opening instead of two)."""
        start, ordinal = self._opening(_utc(arrival, "arrival"))
        return start, self._advance(start, self._target, ordinal)

    def warning_at(self, arrival: datetime) -> datetime:
        """The instant only `warning_fraction` of the target is left."""
        return self._advance(self.clock_start(arrival), self._warning_counted)

    def remaining(self, arrival: datetime, now: datetime) -> timedelta:
        """Target minus the counted time so far; negative once overdue."""
        return self._target - self.counted(self.clock_start(arrival), now)

    def is_paused(self, now: datetime) -> bool:
        """Whether the countdown stands still at `now`, so the window can say so instead of ticking."""
        instant = _utc(now, "now")
        if self._mode is Mode.CALENDAR:
            return False
        if self._mode is Mode.BUSINESS_DAYS:
            return not self._day(self._ordinal_of(instant)).business
        return not self.is_open(instant)

    def resumes_at(self, now: datetime) -> datetime:
        """When the countdown runs again: `now` if it runs, else the start of the next counted time (the
        next business day's midnight in business_days mode, the next opening in business_hours mode)."""
        instant = _utc(now, "now")
        if self._mode is Mode.CALENDAR:
            return instant
        ordinal = self._ordinal_of(instant)
        for offset in range(MAX_SEARCH_DAYS + 1):
            for s, e in self._day(ordinal + offset).counting:
                if e > instant:
                    return s if s > instant else instant
        raise ValueError(
            f"no counting time within {MAX_SEARCH_DAYS} days after {instant:%Y-%m-%d}; check the holidays and closures"
        )

    def business_elapsed(self, arrival: datetime, response: datetime) -> timedelta:
        """The business first-response time: what the mode counts from clock start to the response."""
        return self.counted(self.clock_start(arrival), response)


@lru_cache(maxsize=64)
def clock_for(standard: ServiceStandard) -> ServiceClock:
    """A shared clock per standard, so callers that see the same standard reuse its day caches."""
    return ServiceClock(standard)
