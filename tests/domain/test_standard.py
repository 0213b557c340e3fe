"""The service standard and its clock: worked examples from DESIGN.md, DST properties, parsers."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from moderator_app.domain.clock import ServiceClock, clock_for
from moderator_app.domain.standard import (
    DEFAULT_HOURS,
    Mode,
    ServiceStandard,
    WeekHours,
    format_closures,
    format_duration,
    format_hours,
    parse_closures,
    parse_duration,
    parse_holidays,
    parse_hours,
    system_timezone,
)

TORONTO = ZoneInfo("America/Toronto")
PARIS = ZoneInfo("Europe/Paris")
US = timedelta(microseconds=1)

PROPERTY_SETTINGS = settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True
)


def toronto(*args: int) -> datetime:
    return datetime(*args, tzinfo=TORONTO)  # type: ignore[arg-type,misc]


def local(instant: datetime, zone: ZoneInfo = TORONTO) -> datetime:
    return instant.astimezone(zone)


def standard(**changes: object) -> ServiceStandard:
    values: dict[str, object] = {"timezone": "America/Toronto"}
    values.update(changes)
    return ServiceStandard(**values)  # type: ignore[arg-type]


# --------------------------------------------------------------------------------------------------------
# Worked examples (DESIGN.md, "The service standard")
# --------------------------------------------------------------------------------------------------------


class TestWorkedExamples:
    def test_friday_evening_starts_monday_and_is_due_tuesday(self) -> None:
        clock = ServiceClock(standard())
        friday_evening = toronto(2026, 5, 8, 18)  # a Friday
        assert clock.clock_start(friday_evening) == toronto(2026, 5, 11, 9)
        assert clock.due(friday_evening) == toronto(2026, 5, 12, 9)
        assert clock.due(friday_evening).tzinfo is UTC

    def test_friday_morning_is_due_monday_same_time(self) -> None:
        clock = ServiceClock(standard())
        assert clock.clock_start(toronto(2026, 5, 8, 10)) == toronto(2026, 5, 8, 10)
        assert clock.due(toronto(2026, 5, 8, 10)) == toronto(2026, 5, 11, 10)

    def test_canada_day_is_skipped(self) -> None:
        clock = ServiceClock(standard(holidays_country="CA", holidays_subdivision="ON"))
        assert not clock.is_business_day(date(2026, 7, 1))  # Wednesday, Canada Day
        assert clock.due(toronto(2026, 6, 30, 10)) == toronto(2026, 7, 2, 10)
        # Without holidays the same inquiry is due on Canada Day itself.
        assert ServiceClock(standard()).due(toronto(2026, 6, 30, 10)) == toronto(2026, 7, 1, 10)

    def test_family_day_is_skipped(self) -> None:
        clock = ServiceClock(standard(holidays_country="CA", holidays_subdivision="ON"))
        assert not clock.is_business_day(date(2026, 2, 16))  # third Monday of February 2026
        assert clock.due(toronto(2026, 2, 13, 10)) == toronto(2026, 2, 17, 10)
        assert clock.clock_start(toronto(2026, 2, 13, 18)) == toronto(2026, 2, 17, 9)
        assert clock.due(toronto(2026, 2, 13, 18)) == toronto(2026, 2, 18, 9)

    def test_family_day_is_ontario_only(self) -> None:
        quebec = ServiceClock(standard(holidays_country="CA", holidays_subdivision="QC"))
        assert quebec.is_business_day(date(2026, 2, 16))

    def test_business_hours_three_days_of_eight_hours(self) -> None:
        clock = ServiceClock(standard(mode=Mode.BUSINESS_HOURS))
        monday = toronto(2026, 5, 11, 9)
        assert clock.due(monday) == toronto(2026, 5, 13, 17)
        assert clock.counted(monday, toronto(2026, 5, 13, 17)) == timedelta(hours=24)

    def test_calendar_is_wall_clock(self) -> None:
        clock = ServiceClock(standard(mode=Mode.CALENDAR))
        assert clock.due(toronto(2026, 5, 11, 10)) == toronto(2026, 5, 12, 10)
        # The clock still starts at the next opening.
        assert clock.due(toronto(2026, 5, 8, 18)) == toronto(2026, 5, 12, 9)
        assert not clock.is_paused(toronto(2026, 5, 9, 12))

    def test_remaining_warning_and_elapsed(self) -> None:
        clock = ServiceClock(standard())
        arrival = toronto(2026, 5, 8, 10)
        assert clock.remaining(arrival, toronto(2026, 5, 8, 9)) == timedelta(hours=24)
        assert clock.remaining(arrival, toronto(2026, 5, 9, 12)) == timedelta(hours=10)  # Saturday: paused
        assert clock.remaining(arrival, toronto(2026, 5, 11, 12)) == timedelta(hours=-2)
        assert clock.warning_at(arrival) == toronto(2026, 5, 11, 4)  # 6 h (25 %) left
        assert clock.business_elapsed(arrival, toronto(2026, 5, 11, 1)) == timedelta(hours=15)
        assert clock.business_elapsed(arrival, toronto(2026, 5, 8, 9)) == timedelta(0)

    def test_paused(self) -> None:
        days = ServiceClock(standard())
        hours = ServiceClock(standard(mode=Mode.BUSINESS_HOURS))
        assert days.is_paused(toronto(2026, 5, 9, 12))  # Saturday
        assert not days.is_paused(toronto(2026, 5, 8, 23))  # Friday night still counts by day
        assert hours.is_paused(toronto(2026, 5, 8, 23))
        assert not hours.is_paused(toronto(2026, 5, 8, 16, 59))
        assert hours.is_paused(toronto(2026, 5, 8, 17))  # periods are half-open
        # When a paused countdown runs again: Monday's midnight by day, Monday's opening by hours.
        assert days.resumes_at(toronto(2026, 5, 9, 12)) == toronto(2026, 5, 11)
        assert hours.resumes_at(toronto(2026, 5, 8, 23)) == toronto(2026, 5, 11, 9)
        assert hours.resumes_at(toronto(2026, 5, 8, 10)) == toronto(2026, 5, 8, 10)
        calendar = ServiceClock(standard(mode=Mode.CALENDAR))
        assert calendar.resumes_at(toronto(2026, 5, 9, 12)) == toronto(2026, 5, 9, 12)

    def test_arrivals_in_other_zones(self) -> None:
        clock = ServiceClock(standard())
        friday_evening_utc = datetime(2026, 5, 8, 22, tzinfo=UTC)  # 18:00 in Toronto
        assert clock.due(friday_evening_utc) == toronto(2026, 5, 12, 9)
        assert clock.due(friday_evening_utc.astimezone(PARIS)) == toronto(2026, 5, 12, 9)

    def test_split_day_and_several_periods(self) -> None:
        hours = parse_hours("Mon-Thu 09:00-12:00,13:00-17:00; Fri 09:00-13:00")
        clock = ServiceClock(standard(hours=hours, mode=Mode.BUSINESS_HOURS))
        assert clock.next_opening(toronto(2026, 5, 11, 12, 30)) == toronto(2026, 5, 11, 13)
        assert clock.next_opening(toronto(2026, 5, 8, 13)) == toronto(2026, 5, 11, 9)
        assert clock.due(toronto(2026, 5, 11, 11)) == toronto(2026, 5, 14, 15)  # 5 + 7 + 7 + 3 + 2 = 24 h


class TestDaylightSaving:
    def test_business_day_is_25_hours_when_clocks_go_back(self) -> None:
        clock = ServiceClock(standard(hours=parse_hours("Mon-Sun 00:00-24:00")))
        arrival = toronto(2026, 10, 31, 12)
        # 12 h of Saturday, then 12 real hours of the 25-hour Sunday: 11:00 local.
        assert clock.due(arrival) == toronto(2026, 11, 1, 11)
        assert clock.counted(toronto(2026, 11, 1), toronto(2026, 11, 2)) == timedelta(hours=25)
        assert clock.counted(toronto(2026, 3, 8), toronto(2026, 3, 9)) == timedelta(hours=23)

    def test_opening_inside_the_spring_gap_opens_at_the_jump(self) -> None:
        clock = ServiceClock(standard(hours=parse_hours("Sun 02:30-04:00")))
        assert clock.next_opening(toronto(2026, 3, 7, 12)) == datetime(2026, 3, 8, 7, tzinfo=UTC)
        assert clock.next_opening(toronto(2026, 3, 7, 12)) == toronto(2026, 3, 8, 3)

    def test_repeated_wall_time_means_first_occurrence(self) -> None:
        clock = ServiceClock(standard(hours=parse_hours("Sun 01:30-02:00"), mode=Mode.BUSINESS_HOURS))
        opening = clock.next_opening(toronto(2026, 10, 31, 12))
        assert opening == datetime(2026, 11, 1, 5, 30, tzinfo=UTC)  # 01:30 EDT
        assert clock.counted(opening, toronto(2026, 11, 2)) == timedelta(minutes=90)

    def test_midnight_that_does_not_exist(self) -> None:
        santiago = ZoneInfo("America/Santiago")  # 2026-09-06 00:00 jumps to 01:00
        clock = ServiceClock(ServiceStandard(timezone="America/Santiago", hours=parse_hours("Mon-Sun 00:00-24:00")))
        start = datetime(2026, 9, 5, 12, tzinfo=santiago)
        assert clock.counted(datetime(2026, 9, 6, 1, tzinfo=santiago), datetime(2026, 9, 7, tzinfo=santiago)) == (
            timedelta(hours=23)
        )
        assert clock.due(start) == datetime(2026, 9, 6, 13, tzinfo=santiago)
        assert clock.next_opening(datetime(2026, 9, 6, 4, tzinfo=UTC)) == datetime(2026, 9, 6, 4, tzinfo=UTC)


class TestGuards:
    def test_naive_datetimes_are_rejected(self) -> None:
        clock = ServiceClock(standard())
        with pytest.raises(ValueError, match="no time zone"):
            clock.due(datetime(2026, 5, 8, 10))

    def test_everything_closed_does_not_loop_forever(self) -> None:
        closures = frozenset(date(2026, 1, 1) + timedelta(days=i) for i in range(4 * 366))
        clock = ServiceClock(standard(closures=closures))
        with pytest.raises(ValueError, match="not open on any day"):
            clock.due(toronto(2026, 1, 5, 10))

    def test_never_open_is_rejected(self) -> None:
        with pytest.raises(ValueError, match="never open"):
            standard(hours=((),) * 7)

    def test_date_not_datetime_for_business_day(self) -> None:
        with pytest.raises(TypeError):
            ServiceClock(standard()).is_business_day(toronto(2026, 5, 8, 10))

    def test_closures_are_not_business_days(self) -> None:
        clock = ServiceClock(standard(closures=parse_closures("2026-12-24,2026-12-31")))
        assert not clock.is_business_day(date(2026, 12, 24))
        assert clock.is_business_day(date(2026, 12, 23))
        assert not clock.is_business_day(date(2026, 12, 26))  # Saturday

    def test_clock_for_is_shared(self) -> None:
        assert clock_for(standard()) is clock_for(standard())


# --------------------------------------------------------------------------------------------------------
# Properties, across DST changes, in every mode
# --------------------------------------------------------------------------------------------------------

ZONES = {
    "America/Toronto": (
        "CA",
        "ON",
        [datetime(2026, 3, 8, 7, tzinfo=UTC), datetime(2026, 11, 1, 6, tzinfo=UTC)],
    ),
    "Europe/Paris": (
        "FR",
        None,
        [datetime(2026, 3, 29, 1, tzinfo=UTC), datetime(2026, 10, 25, 1, tzinfo=UTC)],
    ),
}
HOURS = [
    DEFAULT_HOURS,
    parse_hours("Mon-Thu 09:00-12:00,13:00-17:00; Fri 09:00-13:00"),
    parse_hours("Mon-Sun 00:00-02:30,22:00-24:00"),  # boundaries inside the DST gap and overlap
    parse_hours("Sat-Sun 01:30-03:00; Wed 12:00-24:00; Thu 00:00-01:00"),
    parse_hours("Mon-Sun 00:00-24:00"),
]
TARGETS = [
    timedelta(minutes=1),
    timedelta(minutes=90),
    timedelta(hours=8),
    timedelta(hours=24),
    timedelta(hours=72),
]
RANGE_START = datetime(2026, 3, 1, tzinfo=UTC)
RANGE_END = datetime(2026, 11, 30, tzinfo=UTC)
_CLOCKS: dict[ServiceStandard, ServiceClock] = {}


def clock_of(value: ServiceStandard) -> ServiceClock:
    if value not in _CLOCKS:
        _CLOCKS[value] = ServiceClock(value)
    return _CLOCKS[value]


@st.composite
def standards(draw: st.DrawFn) -> ServiceStandard:
    zone = draw(st.sampled_from(sorted(ZONES)))
    country, subdivision, _ = ZONES[zone]
    return ServiceStandard(
        target=draw(st.sampled_from(TARGETS)),
        warning_fraction=draw(st.sampled_from([0.0, 0.25, 0.5, 1.0])),
        mode=draw(st.sampled_from(list(Mode))),
        hours=draw(st.sampled_from(HOURS)),
        timezone=zone,
        holidays_country=country,
        holidays_subdivision=subdivision,
        closures=frozenset({date(2026, 12, 24), date(2026, 3, 9), date(2026, 10, 26)}),
    )


@st.composite
def instants(draw: st.DrawFn, zone: str) -> datetime:
    """Instants in March-November 2026, often within hours of a DST change, in a random zone."""
    span = (RANGE_END - RANGE_START) // US
    if draw(st.booleans()):
        transition = draw(st.sampled_from(ZONES[zone][2]))
        instant = transition + draw(st.integers(-36 * 3600 * 10**6, 36 * 3600 * 10**6)) * US
    else:
        instant = RANGE_START + draw(st.integers(0, span)) * US
    shown_in = draw(st.sampled_from([UTC, ZoneInfo(zone), TORONTO, PARIS]))
    return instant.astimezone(shown_in)


@st.composite
def cases(draw: st.DrawFn, count: int) -> tuple[ServiceClock, list[datetime]]:
    value = draw(standards())
    # Sort by instant: aware datetimes sharing a tzinfo compare by wall time, ignoring fold.
    return clock_of(value), sorted((draw(instants(value.timezone)) for _ in range(count)), key=utc)


def utc(instant: datetime) -> datetime:
    """Arithmetic on instants must be done in UTC: in a local zone it is wall-clock arithmetic."""
    return instant.astimezone(UTC)


class TestProperties:
    @PROPERTY_SETTINGS
    @given(cases(1))
    def test_clock_start_is_open_and_due_is_exact(self, case: tuple[ServiceClock, list[datetime]]) -> None:
        clock, (arrival,) = case
        target = clock.standard.target
        start = clock.clock_start(arrival)
        due = clock.due(arrival)
        assert start >= arrival
        assert clock.is_open(start)
        assert clock.next_opening(start) == start
        assert start <= due
        assert due > arrival
        assert clock.counted(start, due) == target
        assert clock.counted(start, due - US) < target  # the earliest such instant
        assert clock.remaining(arrival, due) == timedelta(0)
        assert clock.remaining(arrival, arrival) == target
        assert clock.business_elapsed(arrival, due) == target
        assert start.tzinfo is UTC and due.tzinfo is UTC
        warning = clock.warning_at(arrival)
        assert start <= warning <= due
        assert clock.remaining(arrival, warning) == target * clock.standard.warning_fraction
        if clock.standard.mode is Mode.CALENDAR:
            assert due == start + target

    @PROPERTY_SETTINGS
    @given(cases(2))
    def test_due_is_monotonic_in_arrival(self, case: tuple[ServiceClock, list[datetime]]) -> None:
        clock, (earlier, later) = case
        assert clock.clock_start(earlier) <= clock.clock_start(later)
        assert clock.due(earlier) <= clock.due(later)

    @PROPERTY_SETTINGS
    @given(cases(3))
    def test_remaining_never_increases_and_counted_adds_up(self, case: tuple[ServiceClock, list[datetime]]) -> None:
        clock, (arrival, now1, now2) = case
        assert clock.remaining(arrival, now1) >= clock.remaining(arrival, now2)
        assert clock.counted(arrival, now2) == clock.counted(arrival, now1) + clock.counted(now1, now2)
        assert clock.counted(now2, arrival) == timedelta(0) or now2 == arrival
        assert clock.business_elapsed(now2, now1) >= timedelta(0)
        assert clock.counted(arrival, now2) <= utc(now2) - utc(arrival)

    @PROPERTY_SETTINGS
    @given(cases(1))
    def test_paused_means_not_counting(self, case: tuple[ServiceClock, list[datetime]]) -> None:
        clock, (now,) = case
        expected = timedelta(0) if clock.is_paused(now) else US
        assert clock.counted(now, utc(now) + US) == expected
        if clock.standard.mode is Mode.BUSINESS_HOURS:
            assert clock.is_paused(now) is not clock.is_open(now)

    @settings(max_examples=40, deadline=None, derandomize=True)
    @given(cases(1), st.integers(1, 3 * 24 * 60))
    def test_counted_matches_a_minute_by_minute_count(
        self, case: tuple[ServiceClock, list[datetime]], minutes: int
    ) -> None:
        clock, (start,) = case
        start = utc(start).replace(second=0, microsecond=0)  # every boundary here is on a whole minute
        step = timedelta(minutes=1)
        expected = sum((step for i in range(minutes) if not clock.is_paused(start + i * step)), timedelta(0))
        assert clock.counted(start, start + minutes * step) == expected

    @PROPERTY_SETTINGS
    @given(cases(1))
    def test_is_open_matches_wall_clock_away_from_dst_changes(self, case: tuple[ServiceClock, list[datetime]]) -> None:
        clock, (now,) = case
        zone = ZoneInfo(clock.standard.timezone)
        wall = now.astimezone(zone)
        if any(abs(now - change) < timedelta(days=1) for change in ZONES[clock.standard.timezone][2]):
            return
        day = wall.date()
        within = any(
            start <= wall.time() and (end == time(0) or wall.time() < end)
            for start, end in clock.standard.hours[day.weekday()]
        )
        assert clock.is_open(now) == (within and clock.is_business_day(day))


# --------------------------------------------------------------------------------------------------------
# The standard: validation and storage
# --------------------------------------------------------------------------------------------------------


class TestServiceStandard:
    def test_defaults(self) -> None:
        value = ServiceStandard()
        assert value.target == timedelta(hours=24)
        assert value.warning_fraction == 0.25
        assert value.mode is Mode.BUSINESS_DAYS
        assert format_hours(value.hours) == "Mon-Fri 09:00-17:00"
        assert value.timezone == "UTC"
        assert ServiceStandard.default().timezone == system_timezone()

    def test_round_trip_through_json(self) -> None:
        value = ServiceStandard(
            target=timedelta(hours=8, minutes=30, microseconds=5),
            warning_fraction=0.1,
            mode=Mode.BUSINESS_HOURS,
            hours=parse_hours("Mon-Thu 09:00-12:00,13:00-17:00; Fri 09:00-13:00; Sat 20:00-24:00"),
            timezone="Europe/Paris",
            holidays_country="FR",
            closures=parse_closures("2026-12-24,2026-12-31"),
        )
        stored = json.loads(json.dumps(value.to_dict()))
        assert stored["hours"][5] == [["20:00", "24:00"]]
        assert ServiceStandard.from_dict(stored) == value
        assert ServiceStandard.from_dict(ServiceStandard().to_dict()) == ServiceStandard()
        assert ServiceStandard.from_dict({}) == ServiceStandard()

    def test_normalises(self) -> None:
        value = standard(
            mode="calendar",
            holidays_country="ca",
            holidays_subdivision="on",
            hours=[[(time(13), time(17)), (time(9), time(12))]] + [[]] * 6,
            closures=[date(2026, 12, 24)],
        )
        assert value.mode is Mode.CALENDAR
        assert (value.holidays_country, value.holidays_subdivision) == ("CA", "ON")
        assert value.hours[0] == ((time(9), time(12)), (time(13), time(17)))
        assert value.closures == frozenset({date(2026, 12, 24)})
        hash(value)

    @pytest.mark.parametrize(
        ("changes", "message"),
        [
            ({"timezone": "Mars/Olympus"}, "unknown time zone 'Mars/Olympus'.*America/Toronto"),
            ({"holidays_country": "XX"}, "unknown holiday country 'XX'"),
            ({"holidays_country": "CA", "holidays_subdivision": "ZZ"}, "valid subdivisions: AB, BC.*ON"),
            ({"holidays_subdivision": "ON"}, "needs a country"),
            ({"target": timedelta(0)}, "positive duration"),
            ({"target": timedelta(hours=-1)}, "positive duration"),
            ({"warning_fraction": 1.5}, "between 0 and 1"),
            ({"warning_fraction": -0.1}, "between 0 and 1"),
            ({"warning_fraction": float("nan")}, "between 0 and 1"),
            ({"mode": "weekly"}, "unknown mode 'weekly'; use one of business_days, business_hours, calendar"),
            ({"hours": ((time(9), time(17)),) * 6}, "seven days"),
            (
                {"hours": (((time(9), time(13)), (time(12), time(17))),) + ((),) * 6},
                "Mon: the periods.*overlap",
            ),
            ({"hours": (((time(17), time(9)),),) + ((),) * 6}, "Mon: the period 17:00-09:00 ends before"),
            ({"closures": frozenset({"2026-12-24"})}, "not a date"),
        ],
    )
    def test_rejects_bad_values(self, changes: dict[str, object], message: str) -> None:
        with pytest.raises(ValueError, match=message):
            standard(**changes)

    @pytest.mark.parametrize(
        ("data", "message"),
        [
            ({"target": 3}, "unknown service standard field.*target"),
            ({"target_seconds": "soon"}, "cannot read the duration 'soon'"),
            ({"target_seconds": True}, "number of seconds"),
            ({"hours": [[["09:00", "17:00"]]] * 8}, "seven days"),
            ({"hours": [[["9am", "17:00"]]] + [[]] * 6}, "cannot read the time '9am'"),
            ({"closures": ["2026-02-30"]}, "'2026-02-30' is not a date; write YYYY-MM-DD"),
            ({"timezone": 5}, "time zone must be"),
        ],
    )
    def test_from_dict_rejects_bad_data(self, data: dict[str, object], message: str) -> None:
        with pytest.raises(ValueError, match=message):
            ServiceStandard.from_dict(data)

    def test_from_dict_accepts_text_forms(self) -> None:
        value = ServiceStandard.from_dict(
            {"target_seconds": "2d", "hours": "Mon-Sat 10:00-14:00", "closures": "2026-12-24..2026-12-26"}
        )
        assert value.target == timedelta(days=2)
        assert format_hours(value.hours) == "Mon-Sat 10:00-14:00"
        assert len(value.closures) == 3

    def test_system_timezone(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setenv("TZ", ":Europe/Paris")
        assert system_timezone() == "Europe/Paris"
        monkeypatch.setenv("TZ", "/usr/share/zoneinfo/America/Toronto")
        assert system_timezone() == "America/Toronto"
        monkeypatch.setenv("TZ", "not a zone")
        ZoneInfo(system_timezone())  # falls back to something valid


# --------------------------------------------------------------------------------------------------------
# Parsers and formatters
# --------------------------------------------------------------------------------------------------------


class TestDurations:
    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("24h", timedelta(hours=24)),
            ("90m", timedelta(minutes=90)),
            ("2d", timedelta(days=2)),
            ("8h30m", timedelta(hours=8, minutes=30)),
            ("1.5h", timedelta(hours=1, minutes=30)),
            (" 8H 30M ", timedelta(hours=8, minutes=30)),
            ("1d2h3m4s", timedelta(days=1, hours=2, minutes=3, seconds=4)),
            ("45min", timedelta(minutes=45)),
            (".5d", timedelta(hours=12)),
        ],
    )
    def test_parse(self, text: str, expected: timedelta) -> None:
        assert parse_duration(text) == expected

    @pytest.mark.parametrize(
        ("text", "message"),
        [
            ("24", r"cannot read the duration '24' \(add a unit\); e.g. 24h"),
            ("", "cannot read the duration ''; e.g. 24h"),
            ("soon", "cannot read the duration 'soon'; e.g. 24h, 90m"),
            ("30m8h", "e.g. 24h"),
            ("-1h", "cannot be negative"),
            ("99999999999d", "too long"),
        ],
    )
    def test_parse_errors(self, text: str, message: str) -> None:
        with pytest.raises(ValueError, match=message):
            parse_duration(text)

    @pytest.mark.parametrize(
        ("value", "text"),
        [
            (timedelta(hours=24), "24h"),
            (timedelta(hours=8, minutes=30), "8h30m"),
            (timedelta(days=3), "72h"),
            (timedelta(minutes=5), "5m"),
            (timedelta(0), "0m"),
            (timedelta(hours=-1, minutes=-15), "-1h15m"),
            (timedelta(seconds=1, microseconds=500000), "1.5s"),
        ],
    )
    def test_format(self, value: timedelta, text: str) -> None:
        assert format_duration(value) == text

    @settings(max_examples=200, deadline=None)
    @given(st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=400)))
    def test_round_trip(self, value: timedelta) -> None:
        assert parse_duration(format_duration(value)) == value


@st.composite
def weeks(draw: st.DrawFn) -> WeekHours:
    days = []
    for _ in range(7):
        points = sorted(draw(st.sets(st.integers(0, 24 * 60), max_size=6)))
        points = points[: len(points) // 2 * 2]
        days.append(
            tuple(
                (time(*divmod(a, 60)), time(0) if b == 24 * 60 else time(*divmod(b, 60)))
                for a, b in zip(points[::2], points[1::2], strict=True)
            )
        )
    if not any(days):
        days[0] = ((time(9), time(17)),)
    return tuple(days)


class TestHours:
    def test_parse_examples(self) -> None:
        assert parse_hours("Mon-Fri 09:00-17:00") == DEFAULT_HOURS
        assert parse_hours("mon-fri 9:00-17:00") == DEFAULT_HOURS
        assert parse_hours("Monday-Friday 09:00 - 17:00") == DEFAULT_HOURS
        assert parse_hours("Mon-Fri 09:00\u201317:00") == DEFAULT_HOURS
        split = parse_hours("Mon-Thu 09:00-12:00,13:00-17:00; Fri 09:00-13:00")
        assert split[0] == split[3] == ((time(9), time(12)), (time(13), time(17)))
        assert split[4] == ((time(9), time(13)),)
        assert split[5] == split[6] == ()
        assert parse_hours("Mon,Wed,Fri 20:00-24:00")[2] == ((time(20), time(0)),)
        assert parse_hours("Mon 09:00-17:00; Sat closed")[5] == ()

    def test_format_groups_consecutive_days(self) -> None:
        text = "Mon-Thu 09:00-12:00,13:00-17:00; Fri 09:00-13:00; Sat-Sun 00:00-24:00"
        assert format_hours(parse_hours(text)) == text
        assert format_hours(parse_hours("Fri 09:00-17:00; Mon 09:00-17:00")) == ("Mon 09:00-17:00; Fri 09:00-17:00")

    @settings(max_examples=200, deadline=None)
    @given(weeks())
    def test_round_trip(self, hours: WeekHours) -> None:
        assert parse_hours(format_hours(hours)) == hours
        assert ServiceStandard(hours=hours).hours == hours

    @pytest.mark.parametrize(
        ("text", "message"),
        [
            ("", "no opening hours given; e.g. 'Mon-Fri 09:00-17:00'"),
            ("Fri-Mon 09:00-17:00", "the day range 'Fri-Mon' runs backwards.*e.g."),
            ("Funday 09:00-17:00", "unknown day 'Funday'; use Mon, Tue.*e.g."),
            ("Mon 9-17", "cannot read the time '9'; write HH:MM, e.g."),
            ("Mon 09:00", "cannot read the period '09:00'; write HH:MM-HH:MM"),
            ("Mon 17:00-09:00", "the period 17:00-09:00 ends before it starts"),
            ("Mon 09:00-13:00,12:00-17:00", "Mon: the periods 09:00-13:00 and 12:00-17:00 overlap"),
            ("Mon 24:00-24:00", "24:00 can only end a period"),
            ("Mon 09:00-25:00", "'25:00' is not a time of day"),
            ("Mon-Fri 09:00-17:00; Fri 10:00-12:00", "Fri is named twice"),
            ("Mon closed", "never open"),
            ("09:00-17:00", "give the days, then the hours; e.g."),
        ],
    )
    def test_parse_errors(self, text: str, message: str) -> None:
        with pytest.raises(ValueError, match=message):
            parse_hours(text)


class TestHolidaysAndClosures:
    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("CA-ON", ("CA", "ON")),
            ("ca-on", ("CA", "ON")),
            ("CA", ("CA", None)),
            ("FR", ("FR", None)),
            ("none", (None, None)),
            ("", (None, None)),
            ("CA-Ontario", ("CA", "ON")),
        ],
    )
    def test_parse_holidays(self, text: str, expected: tuple[str | None, str | None]) -> None:
        assert parse_holidays(text) == expected

    def test_parse_holidays_errors(self) -> None:
        with pytest.raises(ValueError, match=r"valid subdivisions: AB, BC, MB.*ON.*e\.g\. CA-AB"):
            parse_holidays("CA-XX")
        with pytest.raises(ValueError, match="unknown holiday country 'Canada'; use an ISO 3166 code such as CA"):
            parse_holidays("Canada")
        with pytest.raises(ValueError, match=r"cannot read the holidays '-ON'; e\.g\. CA-ON"):
            parse_holidays("-ON")

    def test_parse_closures(self) -> None:
        assert parse_closures("2026-12-24,2026-12-31") == frozenset({date(2026, 12, 24), date(2026, 12, 31)})
        assert parse_closures(" 2026-12-24 , 2026-12-31 ") == frozenset({date(2026, 12, 24), date(2026, 12, 31)})
        assert parse_closures("2026-12-24..2026-12-26") == frozenset(
            {date(2026, 12, 24), date(2026, 12, 25), date(2026, 12, 26)}
        )
        assert parse_closures("none") == frozenset()

    @pytest.mark.parametrize(
        ("text", "message"),
        [
            ("2026-12-32", "'2026-12-32' is not a date; write YYYY-MM-DD, e.g. 2026-12-24,2026-12-31"),
            ("24/12/2026", "'24/12/2026' is not a date"),
            ("2026-12-31..2026-12-24", "runs backwards"),
            ("2026-01-01..2028-01-01", "longer than a year"),
        ],
    )
    def test_parse_closures_errors(self, text: str, message: str) -> None:
        with pytest.raises(ValueError, match=message):
            parse_closures(text)

    @settings(max_examples=100, deadline=None)
    @given(st.frozensets(st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31)), max_size=20))
    def test_closures_round_trip(self, closures: frozenset[date]) -> None:
        assert parse_closures(format_closures(closures)) == closures


def test_start_and_due_agree_with_clock_start_and_due() -> None:
    clock = ServiceClock(ServiceStandard(timezone="America/Toronto", holidays_country="CA", holidays_subdivision="ON"))
    arrival = datetime(2026, 6, 30, 18, 0, tzinfo=ZoneInfo("America/Toronto"))  # the eve of Canada Day
    assert clock.start_and_due(arrival) == (clock.clock_start(arrival), clock.due(arrival))


@pytest.mark.parametrize(
    "zone", ["America/Toronto", "Europe/Paris", "America/Santiago", "Asia/Beirut", "Australia/Lord_Howe", "UTC"]
)
def test_opening_periods_of_days_without_a_transition_match_the_zone(zone: str) -> None:
    """A 24-hour day's periods are computed without a zone lookup per wall time; every day of a decade, in
    zones that jump at midnight (Santiago, Beirut) or by half an hour (Lord Howe), gives the zone's own
    instants."""
    hours = parse_hours("Mon-Sun 00:00-03:30, 09:00-12:00, 13:00-17:00, 22:00-24:00")  # DST jumps on Sundays
    clock = ServiceClock(ServiceStandard(timezone=zone, hours=hours, mode=Mode.BUSINESS_HOURS))
    local = ZoneInfo(zone)
    first = date(2020, 1, 1).toordinal()
    for ordinal in range(first, first + 3653):
        day = date.fromordinal(ordinal)
        expected = []
        for start, end in hours[day.weekday()]:
            low = clock._resolve(ordinal, datetime.combine(day, start) - datetime.combine(day, time()))
            high = (
                clock._day(ordinal + 1).start
                if end == time()
                else clock._resolve(ordinal, datetime.combine(day, end) - datetime.combine(day, time()))
            )
            if expected and low < expected[-1][1]:
                low = expected[-1][1]
            if high > low:
                expected.append((low, high))
        assert list(clock._day(ordinal).periods) == expected, (zone, day)
        assert clock._day(ordinal).start.astimezone(local).date() in (day, day + timedelta(days=1))
