"""Statistics of a period from the log, with SQL doing the counting.

A month is a calendar month in the service time zone. Every log row carries the key (YYYYMM) of its month
(see :mod:`moderator_app.store.months`), so each figure is a GROUP BY on a month-key index, on SQLite and
PostgreSQL alike, and each can be checked by hand with the same query: `inquiries` by arrival month,
`responses` by the month of the staff message, `membership_events` by their month, `messages` for
participants and private messages.

A report of one span of days (two dates, a quarter, a year) is one column: the month keys of the months it
touches bound every query, the instants bound it exactly when it does not start on a 1st or end on a
month's last day, and distinct participants are counted over the whole span.
"""

from __future__ import annotations

import hashlib
from bisect import bisect_right
from collections import Counter, defaultdict
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime
from typing import Any, cast
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, Table, and_, case, false, func, or_, select
from sqlalchemy.engine import Connection

from moderator_app.domain.events import SourceKind
from moderator_app.domain.inquiries import UNCOUNTED_STATES, InquiryState
from moderator_app.domain.statistics import (
    ACTIVITY_METRICS,
    ALL_SOURCES,
    BREAKDOWN_DIMENSIONS,
    COUNTED_METRICS,
    RESPONSE_BUCKETS,
    UNATTRIBUTED,
    Column,
    DateSpan,
    InquiryBehind,
    InquiryLogRow,
    Month,
    Report,
    breakdown_metric,
    bucket_counts_sorted,
    lists_inquiries,
    percentile_of_sorted,
    post_metric,
    report_columns,
    to_minutes,
)
from moderator_app.domain.topics import POST_TYPES
from moderator_app.store.db import Database
from moderator_app.store.models import (
    Inquiry,
    Member,
    MembershipEvent,
    Message,
    ModeratorProfile,
    Response,
    Source,
    asked_in,
)
from moderator_app.store.months import month_timezone, rekey_months
from moderator_app.store.repositories import ClockResolver, StandardRepository, now_utc

INQ = cast(Table, Inquiry.__table__)
RESP = cast(Table, Response.__table__)
MSG = cast(Table, Message.__table__)
MEMB = cast(Table, MembershipEvent.__table__)
SRC = cast(Table, Source.__table__)
MEMBERS = cast(Table, Member.__table__)
PROFILES = cast(Table, ModeratorProfile.__table__)

DISMISSED = InquiryState.DISMISSED.value
#: Dismissed and possible inquiries are in the log, not in the counts.
UNCOUNTED = tuple(sorted(state.value for state in UNCOUNTED_STATES))

#: The column key of a report of one span (month keys are YYYYMM; 0 stands for "before the period").
SPAN = 1


def _sources(connection: Connection) -> dict[int, tuple[str, SourceKind]]:
    return {
        row.id: (row.name, SourceKind(row.kind)) for row in connection.execute(select(SRC.c.id, SRC.c.name, SRC.c.kind))
    }


def pseudonym(salt: str, peer_type: str, telegram_id: int) -> str:
    digest = hashlib.sha256(f"{salt}:{peer_type}:{telegram_id}".encode()).hexdigest()
    return f"M-{digest[:8]}"


class StatisticsService:
    """Computes a :class:`Report` from the log; every count is a GROUP BY on a month-key index."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def report(
        self,
        first: Month | date,
        last: Month | date,
        tz: ZoneInfo,
        *,
        include_log: bool = False,
        pseudonym_salt: str = "",
        now: datetime | None = None,
    ) -> Report:
        """Two months: a column per month. A date at either end: one column for the whole span."""
        months = report_columns(first, last)
        if month_timezone(self.db) != tz:
            rekey_months(self.db, tz)  # the service time zone changed since the rows were keyed
        now = now or now_utc()
        clocks = StandardRepository(self.db).clocks()
        with self.db.engine.connect() as connection:
            sources = _sources(connection)
            ordered = sorted(sources, key=lambda s: (sources[s][1] is SourceKind.PRIVATE, sources[s][0].casefold()))
            report = Report(periods=months, sources=[sources[s][0] for s in ordered], timezone=str(tz))
            # Membership and message activity are counted by the database while this thread works through
            # the inquiries (SQLite and psycopg release the GIL while a query runs): two cores, one report.
            with ThreadPoolExecutor(max_workers=2, thread_name_prefix="report") as pool:
                counted = pool.submit(
                    self._counted, ("inquiry_counts", "overdue_at_month_end"), months, tz, sources, now, report.sources
                )
                activity = pool.submit(self._counted, ("activity",), months, tz, sources, now, report.sources)
                query = _Query(connection, report, months, tz, sources, now)
                query.first_responses()
                query.resolutions(clocks)
                query.responses()
                for partial in (counted.result(), activity.result()):
                    report.values.update(partial.values)
                    report.breakdown_keys = partial.breakdown_keys or report.breakdown_keys
            for month in months:
                for column in report.source_columns():
                    total = sum(int(report.get(month, column, m) or 0) for m in COUNTED_METRICS)
                    report.set(month, column, "total", total)
            if include_log:
                report.inquiry_log = query.log(pseudonym_salt)
        return report

    def usage_by_month(self, first: Month, last: Month, tz: ZoneInfo) -> Report:
        """Table 6 only (inquiries, information, referrals, posts), a column per month: the trend chart's
        data, a few GROUP BYs on the month indexes (a tenth of the whole report)."""
        months: list[Column] = list(report_columns(first, last))
        if month_timezone(self.db) != tz:
            rekey_months(self.db, tz)
        with self.db.engine.connect() as connection:
            sources = _sources(connection)
            report = Report(periods=months, sources=sorted(name for name, _ in sources.values()), timezone=str(tz))
            query = _Query(connection, report, months, tz, sources, now_utc())
            query.zero(("inquiries",))
            for month, source_id, count in connection.execute(
                select(INQ.c.month, INQ.c.source_id, func.count())
                .where(query.in_range(INQ.c.month, INQ.c.arrival_at), INQ.c.state.not_in(UNCOUNTED))
                .group_by(INQ.c.month, INQ.c.source_id)
            ):
                query.add(month, source_id, "inquiries", count)
            query.responses()
        return report

    def inquiries_behind(
        self,
        period: Column,
        tz: ZoneInfo,
        source: str,
        metric: str,
        *,
        now: datetime | None = None,
        limit: int = 5000,
    ) -> tuple[list[InquiryBehind], int]:
        """The inquiries a figure of one column counts (the reports page's "what is behind this number"), by
        arrival, at most ``limit``, and how many there are. Raises ValueError for a figure that counts no
        inquiries (messages, members, staff posts)."""
        if not lists_inquiries(metric):
            raise ValueError(f"{metric} does not count inquiries")
        now = now or now_utc()
        start, end = period.start(tz), period.end(tz)
        months = period.months() if isinstance(period, DateSpan) else [period]
        counted = INQ.c.state.not_in(UNCOUNTED)
        in_period = and_(
            INQ.c.month.between(months[0].key, months[-1].key), INQ.c.arrival_at >= start, INQ.c.arrival_at < end
        )
        conditions: list[ColumnElement[bool]] = [counted, in_period]
        with self.db.engine.connect() as connection:
            kinds = _sources(connection)
            if source != ALL_SOURCES:
                ids = [sid for sid, (name, _) in kinds.items() if name == source]
                conditions.append(INQ.c.source_id.in_(ids) if ids else false())
            conditions += self._figure_conditions(connection, metric, kinds, start, end, now)
            member = MEMBERS.alias("asker")
            question = asked_in(MSG.c)
            found = connection.execute(select(func.count()).select_from(INQ).where(*conditions)).scalar_one()
            rows = connection.execute(
                select(
                    INQ.c.id,
                    INQ.c.arrival_at,
                    INQ.c.source_id,
                    member.c.display_name,
                    INQ.c.language,
                    INQ.c.topic,
                    INQ.c.state,
                    INQ.c.first_response_seconds,
                    INQ.c.met_standard,
                    MSG.c.text,
                )
                .select_from(INQ.outerjoin(member, INQ.c.member_id == member.c.id).outerjoin(MSG, question))
                .where(*conditions)
                .order_by(INQ.c.arrival_at, INQ.c.id)
                .limit(limit)
            ).all()
        return [
            InquiryBehind(
                inquiry_id=r.id,
                arrival=r.arrival_at.astimezone(tz),
                source=kinds[r.source_id][0],
                member=r.display_name or "",
                language=r.language,
                topic=r.topic,
                state=r.state,
                first_response_minutes=to_minutes(r.first_response_seconds),
                met=r.met_standard,
                text=r.text or "",
            )
            for r in rows
        ], int(found)

    def _figure_conditions(
        self,
        connection: Connection,
        metric: str,
        kinds: dict[int, tuple[str, SourceKind]],
        start: datetime,
        end: datetime,
        now: datetime,
    ) -> list[ColumnElement[bool]]:
        """What picks a figure's inquiries among the column's counted ones (the same rules as the counts)."""
        if metric == "answered_within_standard":
            return [INQ.c.met_standard.is_(True)]
        if metric == "answered_within_standard_pct":  # the decided ones: answered, or past due unanswered
            return [or_(INQ.c.met_standard.is_not(None), and_(INQ.c.first_response_at.is_(None), INQ.c.due_at < now))]
        if metric.startswith("first_response_") and metric.endswith("_minutes"):
            return [INQ.c.first_response_seconds.is_not(None)]
        if metric.startswith("resolution_"):
            return [INQ.c.state == InquiryState.ANSWERED.value, INQ.c.answered_at.is_not(None)]
        lows = (0.0, *(bound for bound, _ in RESPONSE_BUCKETS[:-1]))
        for low, (high, bucket) in zip(lows, RESPONSE_BUCKETS, strict=True):
            if metric == bucket:
                seconds = func.coalesce(INQ.c.business_response_seconds, INQ.c.first_response_seconds)
                window = [INQ.c.first_response_seconds.is_not(None), seconds >= low * 3600]
                return [*window, seconds < high * 3600] if high != float("inf") else window
        if metric == "open_end":
            return [or_(INQ.c.answered_at.is_(None), INQ.c.answered_at >= end)]
        if metric == "open_overdue_end":
            return [
                INQ.c.due_at < end,
                or_(INQ.c.first_response_at.is_(None), INQ.c.first_response_at >= end),
                or_(INQ.c.answered_at.is_(None), INQ.c.answered_at >= end),
            ]
        if metric == "questions_answered_public":
            public = [sid for sid, (_, kind) in kinds.items() if kind is not SourceKind.PRIVATE]
            return [
                INQ.c.state == InquiryState.ANSWERED.value,
                INQ.c.answered_at >= start,
                INQ.c.answered_at < end,
                INQ.c.source_id.in_(public) if public else false(),
            ]
        if metric.startswith("inquiries_"):
            dimension, _, key = metric.removeprefix("inquiries_").partition(":")
            if dimension == "language":
                return [INQ.c.language == key]
            if dimension == "topic":
                return [INQ.c.topic == key]
            if dimension == "moderator":
                return [self._answered_by(connection, key)]
        return []  # "inquiries": every counted inquiry of the column

    def _answered_by(self, connection: Connection, name: str) -> ColumnElement[bool]:
        """The moderator breakdown's rule: a profile's name, else the answering account's, else unattributed."""
        nobody = or_(
            INQ.c.met_standard.is_(None), and_(INQ.c.responder_profile_id.is_(None), INQ.c.responder_id.is_(None))
        )
        if name == UNATTRIBUTED:
            return nobody
        profiles = list(connection.execute(select(PROFILES.c.id).where(PROFILES.c.name == name)).scalars())
        members = list(connection.execute(select(MEMBERS.c.id).where(MEMBERS.c.display_name == name)).scalars())
        return and_(
            INQ.c.met_standard.is_not(None),
            or_(
                INQ.c.responder_profile_id.in_(profiles) if profiles else false(),
                and_(INQ.c.responder_profile_id.is_(None), INQ.c.responder_id.in_(members) if members else false()),
            ),
        )

    def _counted(
        self,
        parts: tuple[str, ...],
        months: list[Column],
        tz: ZoneInfo,
        sources: dict[int, tuple[str, SourceKind]],
        now: datetime,
        names: list[str],
    ) -> Report:
        """Parts the database can count by itself (inquiry counts, or Table 7), on a connection of their own:
        these run in worker threads while the first-response values are fetched and sorted (the drivers
        release the GIL while a query runs)."""
        partial = Report(periods=months, sources=names, timezone=str(tz))
        with self.db.engine.connect() as connection:
            query = _Query(connection, partial, months, tz, sources, now)
            for part in parts:
                getattr(query, part)()
        return partial


class _Query:
    """The queries of one report, sharing its columns and sources.

    Queries group by month key; :meth:`column` folds a month key into its column's key (itself for monthly
    columns, :data:`SPAN` for a one-span report), so the same GROUP BYs serve both."""

    def __init__(
        self,
        connection: Connection,
        report: Report,
        periods: list[Column],
        tz: ZoneInfo,
        sources: dict[int, tuple[str, SourceKind]],
        now: datetime,
    ) -> None:
        self.c = connection
        self.report = report
        self.periods = periods
        self.tz = tz
        self.monthly = all(isinstance(p, Month) for p in periods)
        self.bounds: tuple[datetime, datetime] | None = None
        if self.monthly:
            months = cast(list[Month], periods)
            self.keys = [m.key for m in months]
            self.first, self.last = self.keys[0], self.keys[-1]
        else:
            (span,) = cast(list[DateSpan], periods)
            touched = span.months()
            self.keys = [SPAN]
            self.first, self.last = touched[0].key, touched[-1].key
            if not span.whole_months:
                self.bounds = (span.start(tz), span.end(tz))
        self._labels = {key: str(period) for key, period in zip(self.keys, periods, strict=True)}
        self.ends = {key: period.end(tz) for key, period in zip(self.keys, periods, strict=True)}
        self.names = {sid: name for sid, (name, _) in sources.items()}
        self.public = [sid for sid, (_, kind) in sources.items() if kind is not SourceKind.PRIVATE]
        self.private = [sid for sid, (_, kind) in sources.items() if kind is SourceKind.PRIVATE]
        self.now = now
        # Columns whose end has not come yet have no "at the end" figures.
        self.ended = {key for key, end in self.ends.items() if end <= now}

    def column(self, month_key: int) -> int:
        return month_key if self.monthly else SPAN

    def label(self, key: int) -> str:
        return self._labels[self.column(key)]

    def columns(self) -> list[tuple[int, Column]]:
        return list(zip(self.keys, self.periods, strict=True))

    def zero(self, metrics: Sequence[str]) -> None:
        for month in self.periods:
            for column in self.report.source_columns():
                for metric in metrics:
                    self.report.set(month, column, metric, 0)

    def add(self, key: int, source_id: int, metric: str, value: int, *, all_sources: bool = True) -> None:
        label = self.label(key)
        for column in (self.names[source_id], ALL_SOURCES) if all_sources else (self.names[source_id],):
            k = (label, column, metric)
            self.report.values[k] = int(self.report.values.get(k) or 0) + value

    def in_range(self, month: ColumnElement[Any], instant: ColumnElement[Any]) -> ColumnElement[bool]:
        """Rows of the report's months (on their index), and within the span's instants when it cuts a month."""
        inside = month.between(self.first, self.last)
        if self.bounds is None:
            return inside
        start, end = self.bounds
        return and_(inside, instant >= start, instant < end)

    # -- inquiries: one pass ----------------------------------------------------------------------------
    # -- inquiries --------------------------------------------------------------------------------------
    def inquiry_counts(self) -> None:
        """Counts of the months' inquiries (dismissed ones excluded) from one GROUP BY: per source, met and
        decided, by language, topic and moderator, and who was still open at each month end."""
        keys = (
            INQ.c.month,
            INQ.c.source_id,
            INQ.c.language,
            INQ.c.topic,
            INQ.c.met_standard,
            INQ.c.responder_id,
            INQ.c.responder_profile_id,
            INQ.c.answered_month,
        )  # the order of ix_inquiries_counts: the GROUP BY streams in index order
        rows = self.c.execute(
            select(*keys, func.count())
            .where(self.in_range(INQ.c.month, INQ.c.arrival_at), INQ.c.state.not_in(UNCOUNTED))
            .group_by(*keys)
        ).all()
        self.zero(("inquiries",))
        counts: Counter[tuple[int, int]] = Counter()
        met: Counter[tuple[int, int]] = Counter()
        decided_counts: Counter[tuple[int, int]] = Counter()
        by_dimension: dict[str, Counter[tuple[int, int, Any]]] = {d: Counter() for d in BREAKDOWN_DIMENSIONS}
        stays_open: Counter[tuple[int, int, int | None]] = Counter()
        for month, source_id, language, topic, was_met, responder, profile, answered, count in rows:
            key = self.column(month)
            counts[(key, source_id)] += count
            by_dimension["language"][(key, source_id, language)] += count
            by_dimension["topic"][(key, source_id, topic)] += count
            who: tuple[str, Any] = ("nobody", None)
            if was_met is not None:  # it has a first response: decided, and by whom
                decided_counts[(key, source_id)] += count
                if was_met:
                    met[(key, source_id)] += count
                if profile is not None:
                    who = ("profile", profile)
                elif responder is not None:
                    who = ("member", responder)
            by_dimension["moderator"][(key, source_id, who)] += count
            stays_open[(source_id, month, answered)] += count
        # Still waiting for a first response and already past due: decided too (missed).
        for month, source_id, count in self.c.execute(
            select(INQ.c.month, INQ.c.source_id, func.count())
            .where(
                self.in_range(INQ.c.month, INQ.c.arrival_at),
                INQ.c.first_response_at.is_(None),
                INQ.c.due_at < self.now,
                INQ.c.state.not_in(UNCOUNTED),
            )
            .group_by(INQ.c.month, INQ.c.source_id)
        ):
            decided_counts[(self.column(month), source_id)] += count
        for (key, source_id), count in counts.items():
            self.add(key, source_id, "inquiries", count)
        met_all, decided_all = self._with_all(met), self._with_all(decided_counts)
        for key, month in self.columns():
            for column in self.report.source_columns():
                met_count, decided_count = met_all[(key, column)], decided_all[(key, column)]
                self.report.set(month, column, "answered_within_standard", met_count)
                pct = round(100.0 * met_count / decided_count, 1) if decided_count else None
                self.report.set(month, column, "answered_within_standard_pct", pct)
        self._breakdowns(by_dimension)
        if self.monthly:
            self._open_at_month_end(stays_open)
        else:
            self._open_at_span_end()

    def _with_all(self, by_source: Counter[tuple[int, int]]) -> Counter[tuple[int, str]]:
        """Counts per (month, source id) as counts per (month, source name), plus the all-sources total."""
        out: Counter[tuple[int, str]] = Counter()
        for (key, source_id), count in by_source.items():
            out[(key, self.names[source_id])] += count
            out[(key, ALL_SOURCES)] += count
        return out

    def first_responses(self) -> None:
        """Median, 90th percentile and buckets of first responses: these need every value, fetched raw."""
        result = self.c.execute(
            select(INQ.c.month, INQ.c.source_id, INQ.c.first_response_seconds, INQ.c.business_response_seconds).where(
                self.in_range(INQ.c.month, INQ.c.arrival_at),
                INQ.c.state.not_in(UNCOUNTED),
                INQ.c.first_response_seconds.is_not(None),
            )
        )
        rows = result.cursor.fetchall() if result.cursor is not None else []
        result.close()
        grouped: dict[tuple[int, int], tuple[list[float], list[float]]] = {}
        for month, source_id, wall, counted in rows:
            key = self.column(month)
            lists = grouped.get((key, source_id))
            if lists is None:
                lists = grouped[(key, source_id)] = ([], [])
            lists[0].append(wall)
            lists[1].append(wall if counted is None else counted)
        samples = self._by_column(grouped)
        for (key, column), (_, business) in samples.items():
            for metric, count in bucket_counts_sorted([b / 3600.0 for b in business]).items():
                self.report.set(self._labels[key], column, metric, count)
        self._percentiles(samples, "first_response")

    def resolutions(self, clocks: ClockResolver) -> None:
        """Resolution (arrival to answer, Zendesk's "full resolution time") of the period's answered
        inquiries, in calendar time and in the time the source's service standard counts (from the clock's
        start: an evening question answered the next morning waited no business hours)."""
        answered = and_(
            self.in_range(INQ.c.month, INQ.c.arrival_at),
            INQ.c.state == InquiryState.ANSWERED.value,
            INQ.c.answered_at.is_not(None),
        )
        grouped: dict[tuple[int, int], tuple[list[float], list[float]]] = {}

        def sample(month: int, source_id: int, wall: float, business: float) -> None:
            key = self.column(month)
            lists = grouped.get((key, source_id))
            if lists is None:
                lists = grouped[(key, source_id)] = ([], [])
            lists[0].append(wall)
            lists[1].append(business)

        # Most answers are the first response: their resolution is the first response, already stored (and
        # read raw: decoding a year of timestamps would cost more than the rest of the report).
        same = INQ.c.answered_at == INQ.c.first_response_at
        result = self.c.execute(
            select(INQ.c.month, INQ.c.source_id, INQ.c.first_response_seconds, INQ.c.business_response_seconds).where(
                answered, same, INQ.c.first_response_seconds.is_not(None)
            )
        )
        rows = result.cursor.fetchall() if result.cursor is not None else []
        result.close()
        for month, source_id, wall, counted in rows:
            sample(month, source_id, wall, wall if counted is None else counted)
        # The others (a holding reply first, or no first response recorded): counted here.
        for month, source_id, arrival, clock_start, answered_at in self.c.execute(
            select(INQ.c.month, INQ.c.source_id, INQ.c.arrival_at, INQ.c.clock_start_at, INQ.c.answered_at).where(
                answered, or_(INQ.c.first_response_at.is_(None), ~same, INQ.c.first_response_seconds.is_(None))
            )
        ):
            counted = clocks.for_source(source_id).counted(clock_start, answered_at)
            sample(month, source_id, max((answered_at - arrival).total_seconds(), 0.0), counted.total_seconds())
        self._percentiles(self._by_column(grouped), "resolution")

    def _by_column(
        self, grouped: dict[tuple[int, int], tuple[list[float], list[float]]]
    ) -> dict[tuple[int, str], tuple[list[float], list[float]]]:
        """Samples per (column key, source id) as samples per (column key, source name) and for all sources,
        every list sorted; a column with no samples has empty lists."""
        samples: dict[tuple[int, str], tuple[list[float], list[float]]] = {}
        for (key, source_id), (wall_list, business_list) in grouped.items():
            samples[(key, self.names[source_id])] = (wall_list, business_list)
            everyone = samples.setdefault((key, ALL_SOURCES), ([], []))
            everyone[0].extend(wall_list)
            everyone[1].extend(business_list)
        out: dict[tuple[int, str], tuple[list[float], list[float]]] = {}
        for key in self.keys:
            for column in self.report.source_columns():
                wall, business = samples.get((key, column), ([], []))
                wall.sort()
                business.sort()
                out[(key, column)] = (wall, business)
        return out

    def _percentiles(self, samples: dict[tuple[int, str], tuple[list[float], list[float]]], prefix: str) -> None:
        """Median and 90th percentile, calendar and business, in minutes."""
        for (key, column), (wall, business) in samples.items():
            label = self._labels[key]
            for metric, data, fraction in (
                (f"{prefix}_median_minutes", wall, 0.5),
                (f"{prefix}_p90_minutes", wall, 0.9),
                (f"{prefix}_business_median_minutes", business, 0.5),
                (f"{prefix}_business_p90_minutes", business, 0.9),
            ):
                value = percentile_of_sorted(data, fraction)
                self.report.set(label, column, metric, None if value is None else round(value / 60.0, 1))

    def _open_at_month_end(self, stays_open: Counter[tuple[int, int, int | None]]) -> None:
        """Open at a month's end: arrived by then and not answered by then (only for months that ended)."""
        # Inquiries from before the range that were still open when it began.
        for source_id, answered, count in self.c.execute(
            select(INQ.c.source_id, INQ.c.answered_month, func.count())
            .where(
                INQ.c.month < self.first,
                INQ.c.state.not_in(UNCOUNTED),
                or_(INQ.c.answered_month.is_(None), INQ.c.answered_month >= self.first),
            )
            .group_by(INQ.c.source_id, INQ.c.answered_month)
        ):
            stays_open[(source_id, 0, answered)] += count
        open_end: Counter[tuple[int, int]] = Counter()
        for (source_id, arrived, answered), count in stays_open.items():
            for key in self.keys:
                if arrived <= key and (answered is None or answered > key):
                    open_end[(key, source_id)] += count
        self._at_month_end("open_end", open_end)

    def _open_at_span_end(self) -> None:
        """Open at the span's end: arrived before it and not answered by it."""
        end = self.ends[SPAN]
        open_end: Counter[tuple[int, int]] = Counter()
        for source_id, count in self.c.execute(
            select(INQ.c.source_id, func.count())
            .where(
                INQ.c.month <= self.last,
                INQ.c.arrival_at < end,
                INQ.c.state.not_in(UNCOUNTED),
                or_(INQ.c.answered_at.is_(None), INQ.c.answered_at >= end),
            )
            .group_by(INQ.c.source_id)
        ):
            open_end[(SPAN, source_id)] += count
        self._at_month_end("open_end", open_end)

    def _at_month_end(self, metric: str, values: Counter[tuple[int, int]]) -> None:
        for key in self.keys:
            ended = key in self.ended
            for column in self.report.source_columns():
                self.report.set(self.label(key), column, metric, 0 if ended else None)
            if ended:
                for source_id in self.names:
                    self.add(key, source_id, metric, values[(key, source_id)])

    def overdue_at_month_end(self) -> None:
        """Overdue at a month's end: past due by then, with no first response (an acknowledgement counts)
        by then; an inquiry is overdue from its due time until its first response (or answer)."""
        edges = [(key, self.ends[key]) for key in self.keys]
        stop = case(
            (INQ.c.first_response_at.is_(None), INQ.c.answered_at),
            (
                or_(INQ.c.answered_at.is_(None), INQ.c.first_response_at <= INQ.c.answered_at),
                INQ.c.first_response_at,
            ),
            else_=INQ.c.answered_at,
        )
        ends = [end for _, end in edges]
        overdue: dict[int, list[int]] = defaultdict(lambda: [0] * (len(ends) + 1))
        candidates = self.c.execute(
            select(INQ.c.source_id, INQ.c.due_at, stop).where(
                INQ.c.state.not_in(UNCOUNTED),
                INQ.c.due_at < ends[-1],
                or_(stop.is_(None), and_(stop > INQ.c.due_at, stop >= ends[0])),
            )
        ).all()
        for source_id, due, stopped in candidates:
            # Overdue at the end of month i when due < end_i <= stopped: a run of month ends, so mark where
            # it starts and stops (a difference array) instead of testing every month.
            first = bisect_right(ends, due)
            last = len(ends) if stopped is None else bisect_right(ends, stopped)
            if first < last:
                marks = overdue[source_id]
                marks[first] += 1
                marks[last] -= 1
        overdue_at: Counter[tuple[int, int]] = Counter()
        for source_id, marks in overdue.items():
            running = 0
            for i, (key, _) in enumerate(edges):
                running += marks[i]
                overdue_at[(key, source_id)] = running
        self._at_month_end("open_overdue_end", overdue_at)

    def _breakdowns(self, by_dimension: dict[str, Counter[tuple[int, int, Any]]]) -> None:
        """Inquiries by language, topic and moderator, per source and for all; the moderator rows add up to
        the inquiries (those nobody is known to have answered are :data:`UNATTRIBUTED`)."""
        moderators = by_dimension.pop("moderator")
        profile_ids = {ident for _, _, (kind, ident) in moderators if kind == "profile"}
        member_ids = {ident for _, _, (kind, ident) in moderators if kind == "member"}
        names: dict[tuple[str, Any], str] = {("nobody", None): UNATTRIBUTED}
        if profile_ids:
            for ident, name in self.c.execute(
                select(PROFILES.c.id, PROFILES.c.name).where(PROFILES.c.id.in_(profile_ids))
            ):
                names[("profile", ident)] = name
        if member_ids:
            for ident, name in self.c.execute(
                select(MEMBERS.c.id, MEMBERS.c.display_name).where(MEMBERS.c.id.in_(member_ids))
            ):
                names[("member", ident)] = name or f"member {ident}"
        by_dimension["moderator"] = Counter()
        for (key, source_id, who), count in moderators.items():
            by_dimension["moderator"][(key, source_id, names.get(who, UNATTRIBUTED))] += count
        report = self.report
        report.breakdown_keys = {}
        for dimension in BREAKDOWN_DIMENSIONS:
            counter = by_dimension[dimension]
            values = sorted({value for _, _, value in counter})
            report.breakdown_keys[dimension] = values
            for value in values:
                metric = breakdown_metric(dimension, value)
                for period in self.periods:
                    for column in report.source_columns():
                        report.set(period, column, metric, 0)
                for (key, source_id, found), count in counter.items():
                    if found == value:
                        self.add(key, source_id, metric, count)

    # -- responses (Table 6) and posts -----------------------------------------------------------------
    def responses(self) -> None:
        self.zero(("information", "referrals", "posts"))
        dismissed = select(INQ.c.id).where(INQ.c.state == DISMISSED)
        metric_of = {"information": "information", "referral": "referrals", "post": "posts"}
        posts: list[tuple[int, int, str, int]] = []
        for key, source_id, kind, post_type, count in self.c.execute(
            select(RESP.c.month, RESP.c.source_id, RESP.c.kind, RESP.c.post_type, func.count())
            .where(
                self.in_range(RESP.c.month, RESP.c.at),
                RESP.c.kind.in_(tuple(metric_of)),
                or_(RESP.c.inquiry_id.is_(None), RESP.c.inquiry_id.not_in(dismissed)),
            )
            .group_by(RESP.c.month, RESP.c.source_id, RESP.c.kind, RESP.c.post_type)
        ):
            self.add(key, source_id, metric_of[kind], count)
            if kind == "post":
                posts.append((key, source_id, post_type or "announcement", count))
        found = {post_type for _, _, post_type, _ in posts}
        self.report.post_types = [t for t in POST_TYPES if t in found] + sorted(found - set(POST_TYPES))
        self.zero([post_metric(t) for t in self.report.post_types])
        for key, source_id, post_type, count in posts:
            self.add(key, source_id, post_metric(post_type), count)

    # -- Table 7 ---------------------------------------------------------------------------------------
    def activity(self) -> None:
        self.zero(ACTIVITY_METRICS)
        # Events before the report count towards the members at its first end (key 0); the others by column.
        if self.monthly:
            before = case((MEMB.c.month < self.first, 0), else_=MEMB.c.month)
            upto = MEMB.c.month <= self.last
        elif self.bounds is None:
            before = case((MEMB.c.month < self.first, 0), else_=SPAN)
            upto = MEMB.c.month <= self.last
        else:
            before = case((MEMB.c.at < self.bounds[0], 0), else_=SPAN)
            upto = and_(MEMB.c.month <= self.last, MEMB.c.at < self.bounds[1])
        changes: dict[int, dict[int, int]] = defaultdict(lambda: defaultdict(int))
        sign = {"joined": 1, "present": 1, "left": -1, "removed": -1}
        metric_of = {"joined": "members_joined", "left": "members_left", "removed": "members_removed"}
        for key, source_id, kind, count in self.c.execute(
            select(before, MEMB.c.source_id, MEMB.c.kind, func.count())
            .where(upto)
            .group_by(before, MEMB.c.source_id, MEMB.c.kind)
        ):
            changes[source_id][key] += sign.get(kind, 0) * count
            if key and kind in metric_of:
                self.add(key, source_id, metric_of[kind], count)
        for source_id, by_month in changes.items():
            if source_id in self.private:
                continue
            running = by_month.get(0, 0)
            for key in self.keys:
                running += by_month.get(key, 0)
                self.add(key, source_id, "members_end", max(running, 0))
        for key, source_id, count in self.c.execute(
            select(INQ.c.answered_month, INQ.c.source_id, func.count())
            .where(
                self.in_range(INQ.c.answered_month, INQ.c.answered_at),
                INQ.c.state == InquiryState.ANSWERED.value,
                INQ.c.source_id.in_(self.public),
            )
            .group_by(INQ.c.answered_month, INQ.c.source_id)
        ):
            self.add(key, source_id, "questions_answered_public", count)
        member_posts = and_(
            self.in_range(MSG.c.month, MSG.c.date), MSG.c.from_staff == false(), MSG.c.is_service == false()
        )
        # Distinct participants over each column: by month for monthly columns, over the whole span else.
        grouping: list[ColumnElement[Any]] = [MSG.c.month] if self.monthly else []
        for row in self.c.execute(
            select(
                *grouping,
                MSG.c.source_id,
                func.count(MSG.c.sender_id),
                func.count(func.distinct(MSG.c.sender_id)),
            )
            .where(member_posts)
            .group_by(*grouping, MSG.c.source_id)
        ):
            key, source_id, messages, participants = tuple(row) if self.monthly else (SPAN, *row)
            self.add(key, source_id, "participants", participants, all_sources=False)
            if source_id in self.private:
                self.add(key, source_id, "private_messages", messages)
        # Participants across groups and channels: a member active in two groups counts once.
        across = self.c.execute(
            select(*grouping, func.count(func.distinct(MSG.c.sender_id)))
            .where(member_posts, MSG.c.source_id.in_(self.public) if self.public else false())
            .group_by(*grouping)
            if self.monthly
            else select(func.count(func.distinct(MSG.c.sender_id))).where(
                member_posts, MSG.c.source_id.in_(self.public) if self.public else false()
            )
        )
        for row in across:
            key, participants = tuple(row) if self.monthly else (SPAN, row[0])
            self.report.set(self.label(key), ALL_SOURCES, "participants", participants)

    # -- inquiry log -----------------------------------------------------------------------------------
    def log(self, salt: str) -> list[InquiryLogRow]:
        joined = INQ.outerjoin(MEMBERS, INQ.c.member_id == MEMBERS.c.id)
        rows = self.c.execute(
            select(
                INQ.c.id,
                INQ.c.arrival_at,
                INQ.c.source_id,
                MEMBERS.c.peer_type,
                MEMBERS.c.telegram_id,
                INQ.c.language,
                INQ.c.topic,
                INQ.c.state,
                INQ.c.first_response_seconds,
                INQ.c.business_response_seconds,
                INQ.c.met_standard,
            )
            .select_from(joined)
            .where(self.in_range(INQ.c.month, INQ.c.arrival_at), INQ.c.state != InquiryState.POSSIBLE.value)
            .order_by(INQ.c.arrival_at, INQ.c.id)
        )
        return [
            InquiryLogRow(
                inquiry_id=r.id,
                arrival=r.arrival_at.astimezone(self.tz),
                source=self.names[r.source_id],
                member=pseudonym(salt, r.peer_type, r.telegram_id) if r.telegram_id is not None else "",
                language=r.language,
                topic=r.topic,
                state=r.state,
                first_response_minutes=to_minutes(r.first_response_seconds),
                business_first_response_minutes=to_minutes(r.business_response_seconds),
                met=r.met_standard,
            )
            for r in rows
        ]
