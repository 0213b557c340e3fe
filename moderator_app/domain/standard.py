"""The service standard: what "answered within 24 hours" means, read, checked and written as people write it.

Everything here is pure (stdlib and the ``holidays`` package). The clock that measures a standard is in
``clock``: the importer, the countdown in the window and the monthly reports must all agree to the
microsecond on when an inquiry is due, so they share it.

Conventions, chosen once so that every caller agrees:

* Opening hours are wall-clock times in the standard's time zone, one tuple of ``(start, end)`` periods per
  weekday (index 0 = Monday). A period is half-open, ``[start, end)``. An *end* of ``time(0)`` means
  midnight at the end of the day ("24:00"), which is the only way to keep an opening running into the next
  day without a separate period; a *start* of ``time(0)`` is the beginning of the day.
* A local wall time that happens twice (autumn DST change) means its first occurrence; one that does not
  exist (spring DST change) means the instant the clocks jump, so a 02:30 opening on that day opens at
  03:00. Business days run from local midnight to local midnight, so they last 23 or 25 real hours on DST
  days.
* ``ServiceStandard()`` is deterministic and uses UTC; ``ServiceStandard.default()`` uses the system's
  time zone, which is what a new installation should start from.
"""

from __future__ import annotations

import contextlib
import itertools
import math
import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from functools import lru_cache
from pathlib import Path
from typing import Final
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

Period = tuple[time, time]
DayHours = tuple[Period, ...]
WeekHours = tuple[DayHours, ...]

DAY_NAMES: Final[tuple[str, ...]] = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_FULL_DAY_NAMES: Final[tuple[str, ...]] = (
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
)
_DAY_INDEX: Final[dict[str, int]] = {
    **{name.lower(): i for i, name in enumerate(DAY_NAMES)},
    **{name: i for i, name in enumerate(_FULL_DAY_NAMES)},
}

_OFFICE_DAY: Final[DayHours] = ((time(9), time(17)),)
DEFAULT_HOURS: Final[WeekHours] = (_OFFICE_DAY,) * 5 + ((), ())

#: How far a search for an opening may run before we conclude that the service is closed for good.
MAX_SEARCH_DAYS: Final[int] = 3 * 366

DAY: Final = timedelta(days=1)
ZERO: Final = timedelta(0)
MICROSECOND: Final = timedelta(microseconds=1)

HOURS_EXAMPLE: Final = "e.g. 'Mon-Fri 09:00-17:00' or 'Mon-Thu 09:00-12:00,13:00-17:00; Fri 09:00-13:00'"
_DURATION_EXAMPLE: Final = "e.g. 24h, 90m, 2d, 8h30m or 1.5h"
_HOLIDAYS_EXAMPLE: Final = "e.g. CA-ON, CA, FR or none"
_CLOSURES_EXAMPLE: Final = "e.g. 2026-12-24,2026-12-31 or 2026-12-24..2026-12-31"
_ZONE_EXAMPLE: Final = "an IANA name such as America/Toronto or Europe/Paris"


class Mode(StrEnum):
    """Which time counts towards the target."""

    BUSINESS_DAYS = "business_days"
    BUSINESS_HOURS = "business_hours"
    CALENDAR = "calendar"


# --------------------------------------------------------------------------------------------------------
# Small helpers shared by validation, parsing and the clock
# --------------------------------------------------------------------------------------------------------


def start_offset(t: time) -> timedelta:
    return timedelta(hours=t.hour, minutes=t.minute, seconds=t.second, microseconds=t.microsecond)


def end_offset(t: time) -> timedelta:
    """An end of 00:00 is midnight at the end of the day (24:00), never the start of it."""
    return DAY if t == time(0) else start_offset(t)


def _format_time(t: time, *, end: bool) -> str:
    if end and t == time(0):
        return "24:00"
    return f"{t:%H:%M:%S}" if t.second else f"{t:%H:%M}"


def zone(name: object) -> ZoneInfo:
    if not isinstance(name, str) or not name.strip():
        raise ValueError(f"the time zone must be {_ZONE_EXAMPLE}, not {name!r}")
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise ValueError(f"unknown time zone {name!r}; use {_ZONE_EXAMPLE}") from None


def system_timezone() -> str:
    """The system's IANA zone name, so that a new installation counts in the moderators' local time.

    Tries ``$TZ``, the ``/etc/localtime`` symlink and ``/etc/timezone``; falls back to ``"UTC"`` (e.g. on
    Windows, where no IANA name is exposed without extra packages).
    """
    candidates: list[str] = []
    env = os.environ.get("TZ", "").strip().removeprefix(":")
    if env:
        candidates.append(env)
    with contextlib.suppress(OSError):
        localtime = Path("/etc/localtime")
        if localtime.is_symlink():
            candidates.append(str(localtime.resolve()))
    with contextlib.suppress(OSError, UnicodeDecodeError):
        candidates.append(Path("/etc/timezone").read_text(encoding="utf-8").strip())
    for candidate in candidates:
        name = candidate.rsplit("zoneinfo/", 1)[-1] if "zoneinfo/" in candidate else candidate
        if not name or name.startswith("/") or name in {"localtime", "posixrules"}:
            continue
        try:
            zone(name)
        except ValueError:
            continue
        return name
    return "UTC"


@lru_cache(maxsize=1)
def _supported_countries() -> dict[str, tuple[str, ...]]:
    import holidays  # imported when a standard names a country: the package's registry slows every launch

    return {code: tuple(subdivs) for code, subdivs in holidays.list_supported_countries().items()}


def _check_holidays(country: object, subdivision: object) -> tuple[str | None, str | None]:
    """Normalise a holiday country/subdivision to the package's codes, or explain what is valid."""
    if country is None:
        if subdivision is not None:
            raise ValueError(f"a holiday subdivision ({subdivision!r}) needs a country; {_HOLIDAYS_EXAMPLE}")
        return None, None
    if not isinstance(country, str) or not country.strip():
        raise ValueError(f"the holiday country must be a code, not {country!r}; {_HOLIDAYS_EXAMPLE}")
    supported = _supported_countries()
    code = country.strip().upper()
    if code not in supported:
        raise ValueError(
            f"unknown holiday country {country!r}; use an ISO 3166 code such as CA, FR or US "
            f"(with a subdivision: CA-ON)"
        )
    if subdivision is None:
        return code, None
    if not isinstance(subdivision, str) or not subdivision.strip():
        raise ValueError(f"the holiday subdivision must be a code, not {subdivision!r}; e.g. CA-ON")
    valid = supported[code]
    wanted = subdivision.strip()
    by_upper = {sub.upper(): sub for sub in valid}
    if wanted.upper() in by_upper:
        return code, by_upper[wanted.upper()]
    import holidays

    aliases: Mapping[str, str] = getattr(holidays.country_holidays(code), "subdivisions_aliases", {}) or {}
    by_alias = {alias.casefold(): sub for alias, sub in aliases.items()}
    if wanted.casefold() in by_alias:
        return code, by_alias[wanted.casefold()]
    if not valid:
        raise ValueError(f"{code} has no holiday subdivisions, so {subdivision!r} is unknown; write just {code}")
    raise ValueError(
        f"unknown holiday subdivision {subdivision!r} for {code}; valid subdivisions: {', '.join(valid)} "
        f"(e.g. {code}-{valid[0]})"
    )


def _normalise_day(periods: object, day: int) -> DayHours:
    name = DAY_NAMES[day]
    if isinstance(periods, str | bytes) or not isinstance(periods, Iterable):
        raise ValueError(f"{name}: opening periods must be a list of (start, end) times; {HOURS_EXAMPLE}")
    result: list[Period] = []
    for period in periods:
        if not isinstance(period, tuple | list) or len(period) != 2:
            raise ValueError(f"{name}: {period!r} is not a (start, end) pair of times; {HOURS_EXAMPLE}")
        start, end = period
        if not isinstance(start, time) or not isinstance(end, time):
            raise ValueError(f"{name}: {period!r} must be two times; {HOURS_EXAMPLE}")
        if start.tzinfo is not None or end.tzinfo is not None:
            raise ValueError(f"{name}: opening times are wall-clock times in the standard's zone, without tzinfo")
        if start.microsecond or end.microsecond:
            raise ValueError(f"{name}: opening times are whole minutes (or seconds), not {start}-{end}")
        if start_offset(start) >= end_offset(end):
            raise ValueError(
                f"{name}: the period {_format_time(start, end=False)}-{_format_time(end, end=True)} "
                f"ends before it starts; periods cannot run past midnight, split them (e.g. Mon 22:00-24:00; "
                f"Tue 00:00-02:00)"
            )
        result.append((start, end))
    result.sort(key=lambda p: start_offset(p[0]))
    for (s1, e1), (s2, e2) in itertools.pairwise(result):
        if end_offset(e1) > start_offset(s2):
            raise ValueError(
                f"{name}: the periods {_format_time(s1, end=False)}-{_format_time(e1, end=True)} and "
                f"{_format_time(s2, end=False)}-{_format_time(e2, end=True)} overlap; "
                f"e.g. 09:00-12:00,13:00-17:00"
            )
    return tuple(result)


def _normalise_hours(hours: object) -> WeekHours:
    if isinstance(hours, str | bytes) or not isinstance(hours, Iterable):
        raise ValueError(f"opening hours must be seven lists of periods (Monday first); {HOURS_EXAMPLE}")
    days = list(hours)
    if len(days) != 7:
        raise ValueError(f"opening hours need exactly seven days (Monday first), got {len(days)}")
    week = tuple(_normalise_day(periods, i) for i, periods in enumerate(days))
    if not any(week):
        raise ValueError(f"the service is never open: give at least one opening period, {HOURS_EXAMPLE}")
    return week


# --------------------------------------------------------------------------------------------------------
# The standard
# --------------------------------------------------------------------------------------------------------

_DICT_KEYS: Final = frozenset(
    {
        "target_seconds",
        "warning_fraction",
        "mode",
        "hours",
        "timezone",
        "holidays_country",
        "holidays_subdivision",
        "closures",
    }
)


@dataclass(frozen=True)
class ServiceStandard:
    """A published promise ("an answer within 24 hours") and the calendar it is measured against.

    Validated and normalised on construction (periods sorted, codes upper-cased), so a stored standard
    can be trusted by every clock built from it. Hashable, so clocks can be cached per standard.
    """

    target: timedelta = timedelta(hours=24)
    warning_fraction: float = 0.25
    mode: Mode = Mode.BUSINESS_DAYS
    hours: WeekHours = DEFAULT_HOURS
    timezone: str = "UTC"
    holidays_country: str | None = None
    holidays_subdivision: str | None = None
    closures: frozenset[date] = frozenset()

    def __post_init__(self) -> None:
        if not isinstance(self.target, timedelta) or self.target <= ZERO:
            raise ValueError(f"the target must be a positive duration, {_DURATION_EXAMPLE}; got {self.target!r}")
        fraction = self.warning_fraction
        if (
            isinstance(fraction, bool)
            or not isinstance(fraction, int | float)
            or not math.isfinite(fraction)
            or not 0 <= fraction <= 1
        ):
            raise ValueError(
                f"the warning threshold is the fraction of the target left, between 0 and 1 "
                f"(e.g. 0.25 for 25 %); got {fraction!r}"
            )
        try:
            mode = Mode(self.mode)
        except ValueError:
            valid = ", ".join(m.value for m in Mode)
            raise ValueError(f"unknown mode {self.mode!r}; use one of {valid}") from None
        zone(self.timezone)
        country, subdivision = _check_holidays(self.holidays_country, self.holidays_subdivision)
        closures = self.closures
        if isinstance(closures, str | bytes) or not isinstance(closures, Iterable):
            raise ValueError(f"closures must be a set of dates, {_CLOSURES_EXAMPLE}")
        closure_set = frozenset(closures)
        for day in closure_set:
            if not isinstance(day, date) or isinstance(day, datetime):
                raise ValueError(f"closure {day!r} is not a date, {_CLOSURES_EXAMPLE}")
        object.__setattr__(self, "warning_fraction", float(fraction))
        object.__setattr__(self, "mode", mode)
        object.__setattr__(self, "hours", _normalise_hours(self.hours))
        object.__setattr__(self, "holidays_country", country)
        object.__setattr__(self, "holidays_subdivision", subdivision)
        object.__setattr__(self, "closures", closure_set)

    @classmethod
    def default(cls) -> ServiceStandard:
        """The standard a new installation starts from: the design defaults in the system's time zone."""
        return cls(timezone=system_timezone())

    def to_dict(self) -> dict[str, object]:
        """JSON-safe form, for storage in the database; `from_dict` reads it back exactly."""
        micro = self.target // MICROSECOND
        seconds: int | float = micro // 1_000_000 if micro % 1_000_000 == 0 else micro / 1_000_000
        return {
            "target_seconds": seconds,
            "warning_fraction": self.warning_fraction,
            "mode": self.mode.value,
            "hours": [[[_format_time(s, end=False), _format_time(e, end=True)] for s, e in day] for day in self.hours],
            "timezone": self.timezone,
            "holidays_country": self.holidays_country,
            "holidays_subdivision": self.holidays_subdivision,
            "closures": [d.isoformat() for d in sorted(self.closures)],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> ServiceStandard:
        """Read a stored standard; missing keys take the defaults, anything malformed is a ValueError."""
        if not isinstance(data, Mapping):
            raise ValueError(f"a service standard must be a JSON object, not {type(data).__name__}")
        unknown = sorted(str(k) for k in data if k not in _DICT_KEYS)
        if unknown:
            raise ValueError(
                f"unknown service standard field(s): {', '.join(unknown)}; valid: {', '.join(sorted(_DICT_KEYS))}"
            )
        kwargs: dict[str, object] = {}
        try:
            if "target_seconds" in data:
                kwargs["target"] = _target_from_json(data["target_seconds"])
            if "warning_fraction" in data:
                kwargs["warning_fraction"] = data["warning_fraction"]
            if "mode" in data:
                kwargs["mode"] = data["mode"]
            if "hours" in data:
                kwargs["hours"] = _hours_from_json(data["hours"])
            if "timezone" in data:
                kwargs["timezone"] = data["timezone"]
            if "holidays_country" in data:
                kwargs["holidays_country"] = data["holidays_country"]
            if "holidays_subdivision" in data:
                kwargs["holidays_subdivision"] = data["holidays_subdivision"]
            if "closures" in data:
                kwargs["closures"] = _closures_from_json(data["closures"])
            return cls(**kwargs)  # type: ignore[arg-type]
        except (TypeError, OverflowError) as exc:
            raise ValueError(f"malformed service standard: {exc}") from None


def _target_from_json(value: object) -> timedelta:
    if isinstance(value, str):
        return parse_duration(value)
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ValueError(f"target_seconds must be a number of seconds (e.g. 86400), not {value!r}")
    return timedelta(seconds=value)


def _time_from_json(value: object, *, end: bool) -> time:
    if not isinstance(value, str):
        raise ValueError(f"opening times are 'HH:MM' strings, not {value!r}")
    return _parse_time(value, end=end)


def _hours_from_json(value: object) -> object:
    if isinstance(value, str):
        return parse_hours(value)
    if not isinstance(value, list | tuple):
        raise ValueError(f"hours must be seven lists of ['HH:MM', 'HH:MM'] pairs, not {value!r}")
    week: list[list[Period]] = []
    for day in value:
        if not isinstance(day, list | tuple):
            raise ValueError(f"each day of hours must be a list of ['HH:MM', 'HH:MM'] pairs, not {day!r}")
        periods: list[Period] = []
        for period in day:
            if not isinstance(period, list | tuple) or len(period) != 2:
                raise ValueError(f"an opening period is a ['HH:MM', 'HH:MM'] pair, not {period!r}")
            periods.append((_time_from_json(period[0], end=False), _time_from_json(period[1], end=True)))
        week.append(periods)
    return week


def _closures_from_json(value: object) -> frozenset[date]:
    if isinstance(value, str):
        return parse_closures(value)
    if not isinstance(value, list | tuple):
        raise ValueError(f"closures must be a list of 'YYYY-MM-DD' dates, not {value!r}")
    result: set[date] = set()
    for item in value:
        if not isinstance(item, str):
            raise ValueError(f"closure {item!r} is not a 'YYYY-MM-DD' date")
        result.add(_parse_date(item))
    return frozenset(result)


# --------------------------------------------------------------------------------------------------------
# Parsers and formatters for the command line and the settings dialog
# --------------------------------------------------------------------------------------------------------

_NUMBER = r"(?:\d+(?:\.\d*)?|\.\d+)"
_DURATION_RE: Final = re.compile(
    rf"^\s*(?:(?P<d>{_NUMBER})\s*d)?\s*(?:(?P<h>{_NUMBER})\s*h)?\s*(?:(?P<m>{_NUMBER})\s*m(?:in)?)?"
    rf"\s*(?:(?P<s>{_NUMBER})\s*s)?\s*$",
    re.IGNORECASE,
)
_UNIT_MICROSECONDS: Final = {"d": 86_400_000_000, "h": 3_600_000_000, "m": 60_000_000, "s": 1_000_000}


def parse_duration(text: str) -> timedelta:
    """Read "24h", "90m", "2d", "8h30m", "1.5h" (d = 24 h; units in the order d, h, m, s)."""
    if not isinstance(text, str):
        raise ValueError(f"a duration is text such as 24h, not {text!r}")
    stripped = text.strip()
    if stripped.startswith("-"):
        raise ValueError(f"a duration cannot be negative: {text!r}; {_DURATION_EXAMPLE}")
    match = _DURATION_RE.match(stripped)
    if not stripped or match is None or not any(match.groupdict().values()):
        hint = " (add a unit)" if re.fullmatch(_NUMBER, stripped) else ""
        raise ValueError(f"cannot read the duration {text!r}{hint}; {_DURATION_EXAMPLE}")
    try:
        micro = sum(
            (Decimal(value) * _UNIT_MICROSECONDS[unit] for unit, value in match.groupdict().items() if value),
            Decimal(0),
        )
        return timedelta(microseconds=int(micro.to_integral_value()))
    except (InvalidOperation, OverflowError):
        raise ValueError(f"the duration {text!r} is too long; {_DURATION_EXAMPLE}") from None


def format_duration(duration: timedelta) -> str:
    """Hours and minutes ("24h", "8h30m", "-1h15m"), the same way the CLI reads them back."""
    micro = duration // MICROSECOND
    sign = "-" if micro < 0 else ""
    micro = abs(micro)
    hours, micro = divmod(micro, 3_600_000_000)
    minutes, micro = divmod(micro, 60_000_000)
    seconds, micro = divmod(micro, 1_000_000)
    parts: list[str] = []
    if hours:
        parts.append(f"{hours}h")
    if minutes:
        parts.append(f"{minutes}m")
    if micro:
        parts.append(f"{seconds}.{micro:06d}".rstrip("0") + "s")
    elif seconds:
        parts.append(f"{seconds}s")
    return sign + ("".join(parts) or "0m")


_TIME_RE: Final = re.compile(r"^(\d{1,2}):(\d{2})(?::(\d{2}))?$")
_DAYS_RE: Final = re.compile(r"^\s*([A-Za-z]+(?:\s*[-,]\s*[A-Za-z]+)*)\s+(.+?)\s*$", re.DOTALL)


def _parse_time(text: str, *, end: bool) -> time:
    match = _TIME_RE.match(text.strip())
    if match is None:
        raise ValueError(f"cannot read the time {text!r}; write HH:MM, {HOURS_EXAMPLE}")
    hour, minute = int(match[1]), int(match[2])
    second = int(match[3]) if match[3] else 0
    if hour == 24 and minute == 0 and second == 0:
        if not end:
            raise ValueError(f"24:00 can only end a period, not start one; {HOURS_EXAMPLE}")
        return time(0)
    if hour > 23 or minute > 59 or second > 59:
        raise ValueError(f"{text!r} is not a time of day (00:00 to 24:00); {HOURS_EXAMPLE}")
    return time(hour, minute, second)


def _parse_day(text: str) -> int:
    index = _DAY_INDEX.get(text.strip().lower())
    if index is None:
        raise ValueError(f"unknown day {text.strip()!r}; use Mon, Tue, Wed, Thu, Fri, Sat, Sun, {HOURS_EXAMPLE}")
    return index


def _parse_days(text: str) -> list[int]:
    days: list[int] = []
    for item in text.split(","):
        if "-" in item:
            first_text, last_text = item.split("-", 1)
            first, last = _parse_day(first_text), _parse_day(last_text)
            if last < first:
                raise ValueError(
                    f"the day range {item.strip()!r} runs backwards (weeks run Mon to Sun); "
                    f"split it, e.g. 'Fri-Sun 10:00-14:00; Mon 09:00-17:00'"
                )
            days.extend(range(first, last + 1))
        else:
            days.append(_parse_day(item))
    return days


def _parse_periods(text: str) -> list[Period]:
    if text.strip().lower() == "closed":
        return []
    periods: list[Period] = []
    for item in text.split(","):
        pieces = item.strip().split("-")
        if len(pieces) != 2:
            raise ValueError(f"cannot read the period {item.strip()!r}; write HH:MM-HH:MM, {HOURS_EXAMPLE}")
        periods.append((_parse_time(pieces[0], end=False), _parse_time(pieces[1], end=True)))
    return periods


def parse_hours(text: str) -> WeekHours:
    """Read opening hours such as "Mon-Thu 09:00-12:00,13:00-17:00; Fri 09:00-13:00" (days not named are
    closed; "24:00" may end a period)."""
    if not isinstance(text, str):
        raise ValueError(f"opening hours are text, {HOURS_EXAMPLE}")
    cleaned = text.replace("\u2013", "-").replace("\u2014", "-")
    week: list[list[Period] | None] = [None] * 7
    groups = [g for g in re.split(r"[;\n]", cleaned) if g.strip()]
    if not groups:
        raise ValueError(f"no opening hours given; {HOURS_EXAMPLE}")
    for group in groups:
        match = _DAYS_RE.match(group)
        if match is None:
            raise ValueError(f"cannot read {group.strip()!r}: give the days, then the hours; {HOURS_EXAMPLE}")
        days = _parse_days(match[1])
        periods = _parse_periods(match[2])
        for day in days:
            if week[day] is not None:
                raise ValueError(f"{DAY_NAMES[day]} is named twice; give each day once, {HOURS_EXAMPLE}")
            week[day] = periods
    try:
        return _normalise_hours([day or [] for day in week])
    except ValueError as exc:
        raise ValueError(f"{exc} ({HOURS_EXAMPLE})" if "e.g." not in str(exc) else str(exc)) from None


def format_hours(hours: WeekHours) -> str:
    """The text `parse_hours` reads back, grouping consecutive days with the same periods."""
    groups: list[str] = []
    day = 0
    while day < 7:
        periods = hours[day]
        last = day
        while last + 1 < 7 and hours[last + 1] == periods:
            last += 1
        if periods:
            days = DAY_NAMES[day] if last == day else f"{DAY_NAMES[day]}-{DAY_NAMES[last]}"
            text = ",".join(f"{_format_time(s, end=False)}-{_format_time(e, end=True)}" for s, e in periods)
            groups.append(f"{days} {text}")
        day = last + 1
    return "; ".join(groups) if groups else "closed"


def parse_holidays(text: str) -> tuple[str | None, str | None]:
    """Read "CA-ON", "CA", "FR" or "none" into (country, subdivision), checked against `holidays`."""
    if not isinstance(text, str):
        raise ValueError(f"holidays are given as text, {_HOLIDAYS_EXAMPLE}")
    stripped = text.strip()
    if stripped.lower() in {"", "none", "no", "off"}:
        return None, None
    country, _, subdivision = stripped.partition("-")
    if not country.strip():
        raise ValueError(f"cannot read the holidays {text!r}; {_HOLIDAYS_EXAMPLE}")
    return _check_holidays(country, subdivision if subdivision.strip() else None)


def _parse_date(text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(f"{text.strip()!r} is not a date; write YYYY-MM-DD, {_CLOSURES_EXAMPLE}") from None


def parse_closures(text: str) -> frozenset[date]:
    """Read extra closure dates, "2026-12-24,2026-12-31", with "a..b" for an inclusive range."""
    if not isinstance(text, str):
        raise ValueError(f"closures are given as text, {_CLOSURES_EXAMPLE}")
    if text.strip().lower() in {"", "none"}:
        return frozenset()
    result: set[date] = set()
    for token in re.split(r"[,;\s]+", text.strip()):
        if not token:
            continue
        if ".." in token:
            first_text, last_text = token.split("..", 1)
            first, last = _parse_date(first_text), _parse_date(last_text)
            if last < first:
                raise ValueError(f"the closure range {token!r} runs backwards; {_CLOSURES_EXAMPLE}")
            if (last - first).days > 366:
                raise ValueError(f"the closure range {token!r} is longer than a year; {_CLOSURES_EXAMPLE}")
            result.update(first + timedelta(days=i) for i in range((last - first).days + 1))
        else:
            result.add(_parse_date(token))
    return frozenset(result)


def format_closures(closures: Iterable[date]) -> str:
    """The text `parse_closures` reads back; runs of consecutive dates become "a..b"."""
    days = sorted(set(closures))
    if not days:
        return "none"
    parts: list[str] = []
    first = previous = days[0]
    for day in [*days[1:], None]:
        if day is not None and day - previous == DAY:
            previous = day
            continue
        parts.append(first.isoformat() if first == previous else f"{first.isoformat()}..{previous.isoformat()}")
        if day is not None:
            first = previous = day
    return ",".join(parts)
