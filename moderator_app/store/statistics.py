"""Monthly statistics from the log, with SQL doing the counting.

A month is a calendar month in the service time zone: its bounds are computed once in Python (DST-correct)
and every query buckets rows with a CASE over those UTC bounds, so the same code runs on SQLite and
PostgreSQL and uses the time indexes. Counts that a person may want to check are plain GROUP BYs over the
log tables: `inquiries` by arrival, `responses` by the time of the staff message, `membership_events` by
their time, `messages` for participants and private messages.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime
from typing import Any, cast
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, Select, Table, and_, case, func, or_, select
from sqlalchemy.engine import Connection

from moderator_app.domain.events import SourceKind
from moderator_app.domain.inquiries import InquiryState
from moderator_app.domain.statistics import (
    ALL_SOURCES,
    InquiryLogRow,
    Month,
    Report,
    breakdown_metric,
    bucket_counts,
    percentile,
    post_metric,
    to_minutes,
)
from moderator_app.domain.text import POST_TYPES
from moderator_app.store.db import Database
from moderator_app.store.models import (
    Inquiry,
    Member,
    MembershipEvent,
    Message,
    ModeratorProfile,
    Response,
    Source,
)
from moderator_app.store.repositories import now_utc

INQ = cast(Table, Inquiry.__table__)
RESP = cast(Table, Response.__table__)
MSG = cast(Table, Message.__table__)
MEMB = cast(Table, MembershipEvent.__table__)
SRC = cast(Table, Source.__table__)
MEMBERS = cast(Table, Member.__table__)
PROFILES = cast(Table, ModeratorProfile.__table__)

DISMISSED = InquiryState.DISMISSED.value


def pseudonym(salt: str, peer_type: str, telegram_id: int) -> str:
    digest = hashlib.sha256(f"{salt}:{peer_type}:{telegram_id}".encode()).hexdigest()
    return f"M-{digest[:8]}"


class _Bounds:
    """UTC bounds of consecutive months, and the CASE that maps a time column to the month's index."""

    def __init__(self, months: Sequence[Month], tz: ZoneInfo) -> None:
        self.months = list(months)
        self.starts = [m.start(tz) for m in months]
        self.end = months[-1].end(tz)
        self.edges = [*self.starts[1:], self.end]

    def index(self, column: Any) -> ColumnElement[int]:
        return case(*[(column < edge, i) for i, edge in enumerate(self.edges)], else_=-1)

    def within(self, column: Any) -> ColumnElement[bool]:
        return and_(column >= self.starts[0], column < self.end)

    def label(self, index: int) -> str:
        return str(self.months[index])

    def of(self, moment: datetime) -> int:
        for i, edge in enumerate(self.edges):
            if moment < edge:
                return i if moment >= self.starts[0] else -1
        return -1


class StatisticsService:
    def __init__(self, db: Database) -> None:
        self.db = db

    def report(
        self,
        first: Month,
        last: Month,
        tz: ZoneInfo,
        *,
        include_log: bool = False,
        pseudonym_salt: str = "",
        now: datetime | None = None,
    ) -> Report:
        from moderator_app.domain.statistics import month_range

        months = month_range(first, last)
        bounds = _Bounds(months, tz)
        now = now or now_utc()
        with self.db.engine.connect() as connection:
            sources = {
                row.id: (row.name, SourceKind(row.kind))
                for row in connection.execute(select(SRC.c.id, SRC.c.name, SRC.c.kind).order_by(SRC.c.id))
            }
            ordered = sorted(sources, key=lambda sid: (sources[sid][1] is SourceKind.PRIVATE, sources[sid][0].casefold()))
            report = Report(months=months, sources=[sources[s][0] for s in ordered], timezone=str(tz))
            names = {sid: sources[sid][0] for sid in sources}
            self._usage(connection, bounds, report, names)
            self._activity(connection, bounds, report, names, sources)
            self._standard(connection, bounds, report, names, now)
            self._breakdowns(connection, bounds, report)
            self._posts(connection, bounds, report, names)
            for month in months:
                for column in report.source_columns():
                    total = sum(
                        int(report.get(month, column, m) or 0) for m in ("inquiries", "information", "referrals", "posts")
                    )
                    report.set(month, column, "total", total)
            if include_log:
                report.inquiry_log = self._log(connection, bounds, tz, names, pseudonym_salt)
        return report

    # -- helpers -------------------------------------------------------------------------------------------
    @staticmethod
    def _add(report: Report, month: str, source: str, metric: str, value: int) -> None:
        key = (month, source, metric)
        report.values[key] = int(report.values.get(key) or 0) + value

    def _grouped(
        self, connection: Connection, bounds: _Bounds, query: Select[Any], time_column: Any
    ) -> list[Any]:
        month = bounds.index(time_column).label("month")
        return list(connection.execute(query.add_columns(month).where(bounds.within(time_column)).group_by(month)))

    # -- usage table (Table 6) -------------------------------------------------------------------------
    def _usage(self, connection: Connection, bounds: _Bounds, report: Report, names: dict[int, str]) -> None:
        for month in bounds.months:
            for column in report.source_columns():
                for metric in ("inquiries", "information", "referrals", "posts"):
                    report.set(month, column, metric, 0)
        rows = self._grouped(
            connection,
            bounds,
            select(INQ.c.source_id, func.count()).where(INQ.c.state != DISMISSED).group_by(INQ.c.source_id),
            INQ.c.arrival_at,
        )
        for source_id, count, month in rows:
            for column in (names[source_id], ALL_SOURCES):
                self._add(report, bounds.label(month), column, "inquiries", count)
        counted = RESP.outerjoin(INQ, RESP.c.inquiry_id == INQ.c.id)
        rows = self._grouped(
            connection,
            bounds,
            select(RESP.c.source_id, RESP.c.kind, func.count())
            .select_from(counted)
            .where(RESP.c.kind.in_(("information", "referral", "post")))
            .where(or_(RESP.c.inquiry_id.is_(None), INQ.c.state != DISMISSED))
            .group_by(RESP.c.source_id, RESP.c.kind),
            RESP.c.at,
        )
        metric_of = {"information": "information", "referral": "referrals", "post": "posts"}
        for source_id, kind, count, month in rows:
            for column in (names[source_id], ALL_SOURCES):
                self._add(report, bounds.label(month), column, metric_of[kind], count)

    def _posts(self, connection: Connection, bounds: _Bounds, report: Report, names: dict[int, str]) -> None:
        rows = self._grouped(
            connection,
            bounds,
            select(RESP.c.source_id, RESP.c.post_type, func.count())
            .where(RESP.c.kind == "post")
            .group_by(RESP.c.source_id, RESP.c.post_type),
            RESP.c.at,
        )
        found = {post_type or "announcement" for _, post_type, _, _ in rows}
        report.post_types = [t for t in POST_TYPES if t in found] + sorted(found - set(POST_TYPES))
        for month in bounds.months:
            for column in report.source_columns():
                for post_type in report.post_types:
                    report.set(month, column, post_metric(post_type), 0)
        for source_id, post_type, count, month in rows:
            for column in (names[source_id], ALL_SOURCES):
                self._add(report, bounds.label(month), column, post_metric(post_type or "announcement"), count)

    # -- membership and activity (Table 7) -------------------------------------------------------------
    def _activity(
        self,
        connection: Connection,
        bounds: _Bounds,
        report: Report,
        names: dict[int, str],
        sources: dict[int, tuple[str, SourceKind]],
    ) -> None:
        metrics = (
            "members_end",
            "members_joined",
            "members_left",
            "members_removed",
            "questions_answered_public",
            "participants",
            "private_messages",
        )
        for month in bounds.months:
            for column in report.source_columns():
                for metric in metrics:
                    report.set(month, column, metric, 0)
        # Membership: deltas per month, plus everything before the range for the running total.
        month = case(
            (MEMB.c.at < bounds.starts[0], -1),
            *[(MEMB.c.at < edge, i) for i, edge in enumerate(bounds.edges)],
        ).label("month")
        rows = connection.execute(
            select(MEMB.c.source_id, MEMB.c.kind, func.count(), month)
            .where(MEMB.c.at < bounds.end)
            .group_by(MEMB.c.source_id, MEMB.c.kind, month)
        )
        delta: dict[int, list[int]] = defaultdict(lambda: [0] * (len(bounds.months) + 1))
        sign = {"joined": 1, "present": 1, "left": -1, "removed": -1}
        for source_id, kind, count, index in rows:
            delta[source_id][index + 1] += sign.get(kind, 0) * count
            if index >= 0 and kind in ("joined", "left", "removed"):
                metric = {"joined": "members_joined", "left": "members_left", "removed": "members_removed"}[kind]
                for column in (names[source_id], ALL_SOURCES):
                    self._add(report, bounds.label(index), column, metric, count)
        for source_id, changes in delta.items():
            if sources[source_id][1] is SourceKind.PRIVATE:
                continue
            running = changes[0]
            for i, m in enumerate(bounds.months):
                running += changes[i + 1]
                for column in (names[source_id], ALL_SOURCES):
                    self._add(report, str(m), column, "members_end", max(running, 0))
        # Questions answered outside private messages, in the month they were answered.
        public = [sid for sid, (_, kind) in sources.items() if kind is not SourceKind.PRIVATE]
        rows = self._grouped(
            connection,
            bounds,
            select(INQ.c.source_id, func.count())
            .where(INQ.c.state == InquiryState.ANSWERED.value, INQ.c.source_id.in_(public))
            .group_by(INQ.c.source_id),
            INQ.c.answered_at,
        )
        for source_id, count, index in rows:
            for column in (names[source_id], ALL_SOURCES):
                self._add(report, bounds.label(index), column, "questions_answered_public", count)
        # Participants and private messages: the one pass over messages.
        private = [sid for sid, (_, kind) in sources.items() if kind is SourceKind.PRIVATE]
        member_posts = and_(MSG.c.from_staff.is_(False), MSG.c.is_service.is_(False), MSG.c.sender_id.is_not(None))
        rows = self._grouped(
            connection,
            bounds,
            select(MSG.c.source_id, func.count(func.distinct(MSG.c.sender_id)), func.count())
            .where(member_posts)
            .group_by(MSG.c.source_id),
            MSG.c.date,
        )
        for source_id, participants, count, index in rows:
            label = bounds.label(index)
            report.set(label, names[source_id], "participants", participants)
            if source_id in private:
                report.set(label, names[source_id], "private_messages", count)
                self._add(report, label, ALL_SOURCES, "private_messages", count)
        rows = self._grouped(
            connection,
            bounds,
            select(func.count(func.distinct(MSG.c.sender_id))).where(member_posts, MSG.c.source_id.in_(public)),
            MSG.c.date,
        )
        for participants, index in rows:
            report.set(bounds.label(index), ALL_SOURCES, "participants", participants)

    # -- service standard ------------------------------------------------------------------------------
    def _standard(
        self, connection: Connection, bounds: _Bounds, report: Report, names: dict[int, str], now: datetime
    ) -> None:
        samples: dict[tuple[str, str], list[tuple[float, float]]] = defaultdict(list)
        met: dict[tuple[str, str], int] = defaultdict(int)
        decided: dict[tuple[str, str], int] = defaultdict(int)
        month = bounds.index(INQ.c.arrival_at)
        rows = connection.execute(
            select(
                INQ.c.source_id,
                month,
                INQ.c.first_response_seconds,
                INQ.c.business_response_seconds,
                INQ.c.met_standard,
                INQ.c.due_at,
            ).where(bounds.within(INQ.c.arrival_at), INQ.c.state != DISMISSED)
        )
        for source_id, index, seconds, business, was_met, due in rows:
            label = bounds.label(index)
            for column in (names[source_id], ALL_SOURCES):
                key = (label, column)
                if seconds is not None:
                    samples[key].append((seconds, business if business is not None else seconds))
                    decided[key] += 1
                    met[key] += 1 if was_met else 0
                elif due < now:
                    decided[key] += 1  # never answered and past due: a miss
        for m in bounds.months:
            for column in report.source_columns():
                key = (str(m), column)
                values = samples.get(key, [])
                wall = [v[0] / 60 for v in values]
                business = [v[1] / 60 for v in values]
                report.set(m, column, "answered_within_standard", met.get(key, 0))
                report.set(
                    m,
                    column,
                    "answered_within_standard_pct",
                    round(100.0 * met.get(key, 0) / decided[key], 1) if decided.get(key) else None,
                )
                for metric, data, fraction in (
                    ("first_response_median_minutes", wall, 0.5),
                    ("first_response_p90_minutes", wall, 0.9),
                    ("first_response_business_median_minutes", business, 0.5),
                    ("first_response_business_p90_minutes", business, 0.9),
                ):
                    value = percentile(data, fraction)
                    report.set(m, column, metric, None if value is None else round(value, 1))
                for metric, count in bucket_counts(b / 60 for b in business).items():
                    report.set(m, column, metric, count)
                report.set(m, column, "open_end", 0)
                report.set(m, column, "open_overdue_end", 0)
        # Open at each month end: not answered by then (and not dismissed at all).
        first_end = bounds.edges[0]
        rows = connection.execute(
            select(INQ.c.source_id, INQ.c.arrival_at, INQ.c.answered_at, INQ.c.first_response_at, INQ.c.due_at).where(
                INQ.c.state != DISMISSED,
                INQ.c.arrival_at < bounds.end,
                or_(INQ.c.answered_at.is_(None), INQ.c.answered_at >= first_end),
            )
        )
        for source_id, arrival, answered, first_response, due in rows:
            for i, end in enumerate(bounds.edges):
                if arrival >= end or (answered is not None and answered < end) or end > now:
                    continue
                overdue = due < end and (first_response is None or first_response >= end)
                for column in (names[source_id], ALL_SOURCES):
                    self._add(report, bounds.label(i), column, "open_end", 1)
                    if overdue:
                        self._add(report, bounds.label(i), column, "open_overdue_end", 1)

    # -- breakdowns ------------------------------------------------------------------------------------
    def _breakdowns(self, connection: Connection, bounds: _Bounds, report: Report) -> None:
        keys: dict[str, set[str]] = defaultdict(set)
        for dimension, column in (("language", INQ.c.language), ("topic", INQ.c.topic)):
            rows = self._grouped(
                connection,
                bounds,
                select(column, func.count()).where(INQ.c.state != DISMISSED).group_by(column),
                INQ.c.arrival_at,
            )
            for key, count, index in rows:
                keys[dimension].add(key)
                report.set(bounds.label(index), ALL_SOURCES, breakdown_metric(dimension, key), count)
        moderator = func.coalesce(PROFILES.c.name, MEMBERS.c.display_name, "unknown")
        joined = INQ.outerjoin(PROFILES, INQ.c.responder_profile_id == PROFILES.c.id).outerjoin(
            MEMBERS, INQ.c.responder_id == MEMBERS.c.id
        )
        rows = self._grouped(
            connection,
            bounds,
            select(moderator, func.count())
            .select_from(joined)
            .where(INQ.c.state != DISMISSED, INQ.c.first_response_at.is_not(None))
            .group_by(moderator),
            INQ.c.arrival_at,
        )
        for key, count, index in rows:
            keys["moderator"].add(key)
            self._add(report, bounds.label(index), ALL_SOURCES, breakdown_metric("moderator", key), count)
        report.breakdown_keys = {d: sorted(k) for d, k in keys.items()}
        for dimension, dimension_keys in report.breakdown_keys.items():
            for key in dimension_keys:
                for m in bounds.months:
                    report.values.setdefault((str(m), ALL_SOURCES, breakdown_metric(dimension, key)), 0)

    # -- inquiry log -----------------------------------------------------------------------------------
    def _log(
        self, connection: Connection, bounds: _Bounds, tz: ZoneInfo, names: dict[int, str], salt: str
    ) -> list[InquiryLogRow]:
        joined = INQ.outerjoin(MEMBERS, INQ.c.member_id == MEMBERS.c.id)
        rows = connection.execute(
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
            .where(bounds.within(INQ.c.arrival_at))
            .order_by(INQ.c.arrival_at, INQ.c.id)
        )
        return [
            InquiryLogRow(
                inquiry_id=r.id,
                arrival=r.arrival_at.astimezone(tz),
                source=names[r.source_id],
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
