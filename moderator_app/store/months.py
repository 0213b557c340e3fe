"""Month keys on log rows: which calendar month (in the service time zone) each row belongs to.

Reports group by these keys on an index instead of computing local months for every row. The keys are
written at ingestion in the time zone recorded in the ``month_timezone`` setting; when the service time
zone changes, :func:`rekey_months` rewrites them month by month, with bounds computed in Python so DST and
any time zone are handled the same on SQLite and PostgreSQL.
"""

from __future__ import annotations

from typing import Any, cast
from zoneinfo import ZoneInfo

from sqlalchemy import Column, Table, func, select, update

from moderator_app.domain.settings import MONTH_TIMEZONE
from moderator_app.domain.statistics import Month, MonthKeyer
from moderator_app.store.db import Database
from moderator_app.store.models import Inquiry, MembershipEvent, Message, ModerationActionRow, Response
from moderator_app.store.repositories import SettingsRepository, StandardRepository

#: (table, time column, key column) of every month key in the log.
KEYED: tuple[tuple[Table, str, str], ...] = (
    (cast(Table, Message.__table__), "date", "month"),
    (cast(Table, Inquiry.__table__), "arrival_at", "month"),
    (cast(Table, Inquiry.__table__), "answered_at", "answered_month"),
    (cast(Table, Response.__table__), "at", "month"),
    (cast(Table, MembershipEvent.__table__), "at", "month"),
    (cast(Table, ModerationActionRow.__table__), "at", "month"),
)


def month_timezone(db: Database) -> ZoneInfo:
    """The zone the log's month keys are in; the first call records the service time zone."""
    settings = SettingsRepository(db)
    name = settings.read(MONTH_TIMEZONE)
    if not name:
        name = StandardRepository(db).global_standard().timezone
        settings.write(MONTH_TIMEZONE, name)
    return ZoneInfo(str(name))


def month_keyer(db: Database) -> MonthKeyer:
    return MonthKeyer(month_timezone(db))


def rekey_months(db: Database, tz: ZoneInfo) -> int:
    """Rewrite every month key for ``tz`` (after the service time zone changed); returns rows updated."""
    updated = 0
    with db.engine.begin() as connection:
        for table, time_name, key_name in KEYED:
            moment: Column[Any] = table.c[time_name]
            first, last = connection.execute(select(func.min(moment), func.max(moment))).one()
            if first is None:
                continue
            month, end = Month.of(first, tz), Month.of(last, tz)
            while True:
                result = connection.execute(
                    update(table).where(moment >= month.start(tz), moment < month.end(tz)).values({key_name: month.key})
                )
                updated += result.rowcount or 0
                if month == end:
                    break
                month = month.next()
    # Recorded after the rows: should this stop in between, the next check finds the old zone and rekeys again.
    SettingsRepository(db).write(MONTH_TIMEZONE, tz.key)
    return updated
