"""Bulk writes for ingestion: tuples in, rows out, ids in input order.

On SQLite the rows go straight to the driver's ``executemany`` (values converted once, as SQLAlchemy would
store them), and new ids are known without RETURNING: inside our write transaction nobody else can insert,
and SQLite gives an INTEGER PRIMARY KEY the next number, so a batch gets max(id)+1 ... max(id)+n in order
(checked after every insert). Other databases use SQLAlchemy Core with RETURNING in parameter order.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime
from typing import Any, Final

from sqlalchemy import JSON, Boolean, Column, Date, Float, Numeric, Table, bindparam, func, insert, select, update
from sqlalchemy.engine import Connection

from moderator_app.store.models import UTCDateTime

Row = Sequence[Any]


def _sqlite_datetime(value: datetime | None) -> str | None:
    """The text SQLAlchemy's SQLite DateTime stores (so both sort and compare alike)."""
    if value is None:
        return None
    tz = value.tzinfo
    if tz is None:
        raise ValueError(f"naive datetime {value!r} given where a UTC instant is required")
    if tz is not UTC:
        value = value.astimezone(UTC)
    return value.isoformat(" ", "microseconds")[:26]  # without the "+00:00"


#: "00." to "59.": the seconds of a clock, with the point before the microseconds.
_SECONDS: Final = tuple(f"{second:02d}." for second in range(60))


class InstantText:
    """Formats instants exactly as :func:`_sqlite_datetime` does, about three times faster.

    ``datetime.isoformat`` goes through printf-style formatting, and an import formats several instants per
    message (the message, its inquiry's arrival, clock start, due time, first response...): a tenth of an
    import's work. Here each day's date part and each minute's "HH:MM:" are formatted once and joined with
    the seconds. At most one entry per day met and one per minute of the day (1,440): a few hundred
    kilobytes for years of messages, so a writer keeps one for good.
    """

    def __init__(self) -> None:
        self._days: dict[int, str] = {}
        self._minutes: dict[int, str] = {}

    def __call__(self, value: datetime) -> str:
        tz = value.tzinfo
        if tz is not UTC:
            if tz is None:
                raise ValueError(f"naive datetime {value!r} given where a UTC instant is required")
            value = value.astimezone(UTC)
        ordinal = value.toordinal()
        day = self._days.get(ordinal)
        if day is None:
            day = self._days[ordinal] = f"{value.year:04d}-{value.month:02d}-{value.day:02d} "
        hour, minute = value.hour, value.minute
        key = hour * 60 + minute
        clock = self._minutes.get(key)
        if clock is None:
            clock = self._minutes[key] = f"{hour:02d}:{minute:02d}:"
        micro = value.microsecond
        return day + clock + _SECONDS[value.second] + (f"{micro:06d}" if micro else "000000")


def _sqlite_json(value: Any) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False)


def _sqlite_date(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def _converter(column_type: Any) -> Callable[[Any], Any] | None:
    if isinstance(column_type, UTCDateTime):
        return _sqlite_datetime
    if isinstance(column_type, Boolean):
        return int  # what sqlite3 stores for a bool, without its slow path for int subclasses
    if isinstance(column_type, JSON):
        return _sqlite_json
    if isinstance(column_type, Date):
        return _sqlite_date
    return None


def _as_is(value: datetime) -> Any:
    return value


class BulkWriter:
    """Portable path: SQLAlchemy Core executemany.

    A caller that builds many rows may write them as stored, with :attr:`instant`, :meth:`document`,
    :meth:`flag` and :attr:`null` for instants, JSON documents, booleans and missing values, and pass
    ``stored=True``: the SQLite path then hands the rows to the driver as they are, without a second pass
    over every value. Here all four leave values to SQLAlchemy.
    """

    #: A missing value in a row built as stored.
    null: Any = None

    def __init__(self) -> None:
        self.instant: Callable[[datetime], Any] = _as_is

    @staticmethod
    def flag(value: bool) -> Any:
        return value

    @staticmethod
    def document(value: Any) -> Any:
        return value

    def insert(
        self, connection: Connection, table: Table, columns: Sequence[str], rows: Sequence[Row], *, stored: bool = False
    ) -> None:
        if rows:
            connection.execute(insert(table), [dict(zip(columns, row, strict=True)) for row in rows])

    def insert_ids(
        self,
        connection: Connection,
        table: Table,
        columns: Sequence[str],
        rows: Sequence[Row],
        *,
        stored: bool = False,
    ) -> list[int]:
        if not rows:
            return []
        statement = insert(table).returning(table.c.id, sort_by_parameter_order=True)
        result = connection.execute(statement, [dict(zip(columns, row, strict=True)) for row in rows])
        return list(result.scalars().all())

    def update_by_id(self, connection: Connection, table: Table, columns: Sequence[str], rows: Sequence[Row]) -> None:
        """Rows are the values of ``columns`` followed by the id."""
        if not rows:
            return
        statement = (
            update(table).where(table.c.id == bindparam("_id")).values({c: bindparam(f"_v_{c}") for c in columns})
        )
        connection.execute(
            statement,
            [{**{f"_v_{c}": v for c, v in zip(columns, row[:-1], strict=True)}, "_id": row[-1]} for row in rows],
        )


def _compile_converter(
    converters: dict[int, Callable[[Any], Any]], width: int, marked: frozenset[int] = frozenset()
) -> Callable[[Sequence[Row]], list[tuple[Any, ...]]]:
    """One generated function per table and column list: a tuple display per row is the cheapest Python.

    Missing values (most of the optional columns) skip their converter without a Python call; in the
    ``marked`` columns they become :data:`NULL_MARK` (see :class:`SqliteBulkWriter`)."""
    if not converters and not marked:
        return lambda rows: [tuple(row) for row in rows]
    items = []
    for i in range(width):
        conv = converters.get(i)
        missing = "NULL" if i in marked else "None"
        if conv is not None:
            items.append(f"({missing} if (v{i} := r[{i}]) is None else c{i}(v{i}))")
        elif i in marked:
            items.append(f"(NULL if (v{i} := r[{i}]) is None else v{i})")
        else:
            items.append(f"r[{i}]")
    namespace: dict[str, Any] = {f"c{i}": conv for i, conv in converters.items()}
    namespace["NULL"] = NULL_MARK
    exec(f"def convert(rows):\n    return [({', '.join(items)},) for r in rows]", namespace)
    return namespace["convert"]  # type: ignore[no-any-return]


#: Stands for NULL in a row for the SQLite writer, whose statements read the column as ``NULLIF(?, -0.5)``.
#: Python 3.11's sqlite3 binds None (and bools) through its slow path, which formats and discards an
#: AttributeError for each: a tenth of an import's time, with seven or so NULLs in a message's row. A float
#: is bound at once, and compares unequal to any text, integer or blob SQLite may store, so only columns that
#: never hold a REAL are marked.
NULL_MARK: Final = -0.5


def _marked(column: Column[Any]) -> bool:
    return bool(column.nullable) and not isinstance(column.type, Float | Numeric)


class SqliteBulkWriter(BulkWriter):
    """SQLite path: the driver's executemany with values converted once."""

    def __init__(self) -> None:
        super().__init__()
        self._plans: dict[
            tuple[str, tuple[str, ...], str], tuple[str, Callable[[Sequence[Row]], list[tuple[Any, ...]]]]
        ] = {}
        self.instant = InstantText()

    def _plan(
        self, table: Table, columns: Sequence[str], kind: str
    ) -> tuple[str, Callable[[Sequence[Row]], list[tuple[Any, ...]]]]:
        key = (table.name, tuple(columns), kind)
        plan = self._plans.get(key)
        if plan is None:
            names = ", ".join(columns)
            marked = frozenset(i for i, c in enumerate(columns) if _marked(table.c[c]))
            values = [f"NULLIF(?, {NULL_MARK})" if i in marked else "?" for i in range(len(columns))]
            if kind == "insert":
                sql = f"INSERT INTO {table.name} ({names}) VALUES ({', '.join(values)})"
                width = len(columns)
            else:
                assignments = ", ".join(f"{c} = {v}" for c, v in zip(columns, values, strict=True))
                sql = f"UPDATE {table.name} SET {assignments} WHERE id = ?"
                width = len(columns) + 1
            converters = {
                i: self.instant if conv is _sqlite_datetime else conv
                for i, c in enumerate(columns)
                if (conv := _converter(table.c[c].type)) is not None
            }
            plan = self._plans[key] = (sql, _compile_converter(converters, width, marked))
        return plan

    null = NULL_MARK
    flag = staticmethod(int)  # type: ignore[assignment]
    document = staticmethod(_sqlite_json)

    def insert(
        self, connection: Connection, table: Table, columns: Sequence[str], rows: Sequence[Row], *, stored: bool = False
    ) -> None:
        if rows:
            sql, convert = self._plan(table, columns, "insert")
            connection.exec_driver_sql(sql, [tuple(row) for row in rows] if stored else convert(rows))

    def insert_ids(
        self,
        connection: Connection,
        table: Table,
        columns: Sequence[str],
        rows: Sequence[Row],
        *,
        stored: bool = False,
    ) -> list[int]:
        if not rows:
            return []
        before = int(connection.scalar(select(func.coalesce(func.max(table.c.id), 0))) or 0)
        self.insert(connection, table, columns, rows, stored=stored)
        after = int(connection.scalar(select(func.max(table.c.id))) or 0)
        if after - before != len(rows):  # pragma: no cover - SQLite does not do this without deletes at the end
            raise RuntimeError(f"{table.name}: ids of a bulk insert are not consecutive")
        return list(range(before + 1, after + 1))

    def update_by_id(self, connection: Connection, table: Table, columns: Sequence[str], rows: Sequence[Row]) -> None:
        if rows:
            sql, convert = self._plan(table, columns, "update")
            connection.exec_driver_sql(sql, convert(rows))


def bulk_writer_for(dialect_name: str) -> BulkWriter:
    return SqliteBulkWriter() if dialect_name == "sqlite" else BulkWriter()
