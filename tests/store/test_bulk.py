"""The SQLite bulk path converts values the way SQLAlchemy would store them (so rows written by the import
and rows written through the ORM sort and compare alike)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select

from moderator_app.store.bulk import SqliteBulkWriter, _sqlite_datetime
from moderator_app.store.db import open_database
from moderator_app.store.models import Member, MembershipEvent, Source

ZONES = st.sampled_from([UTC, timezone(timedelta(hours=-5)), timezone(timedelta(hours=5, minutes=30))])
INSTANTS = st.datetimes(min_value=datetime(1971, 1, 1), max_value=datetime(2100, 1, 1), timezones=ZONES)


@given(st.lists(st.one_of(st.none(), INSTANTS), min_size=1, max_size=5))
def test_generated_converter_formats_instants_like_the_reference(values: list[datetime | None]) -> None:
    from moderator_app.store.bulk import _compile_converter

    convert = _compile_converter({1: _sqlite_datetime}, 3)
    rows = [("x", value, 7) for value in values]
    assert convert(rows) == [("x", _sqlite_datetime(value), 7) for value in values]


@given(
    st.lists(
        INSTANTS | st.datetimes(datetime(1, 1, 2), datetime(9999, 12, 30), timezones=ZONES), min_size=1, max_size=50
    )
)
def test_instant_text_formats_like_the_reference(values: list[datetime]) -> None:
    """The SQLite writer's fast formatter (cached date and clock parts) against SQLAlchemy's format, the same
    formatter reused across many instants (years 1 to 9999, microseconds or none, other offsets)."""
    from moderator_app.store.bulk import InstantText

    text = InstantText()
    for value in [*values, *values]:  # the second time from the caches
        assert text(value) == _sqlite_datetime(value)


def test_a_naive_datetime_is_refused_by_the_fast_formatter() -> None:
    from moderator_app.store.bulk import InstantText

    with pytest.raises(ValueError, match="naive datetime"):
        InstantText()(datetime(2026, 1, 1, 9, 0))


def test_a_naive_datetime_is_refused_by_the_generated_converter() -> None:
    from moderator_app.store.bulk import _compile_converter

    with pytest.raises(ValueError, match="naive datetime"):
        _compile_converter({0: _sqlite_datetime}, 1)([(datetime(2026, 1, 1, 9, 0),)])


def test_bulk_rows_read_back_as_the_orm_wrote_them(tmp_path: Path) -> None:
    db = open_database(data_dir=tmp_path)
    with db.sessions() as session:
        session.add(Source(kind="group", telegram_id=1, name="G", created_at=datetime(2026, 1, 1, tzinfo=UTC)))
        session.add(Member(peer_type="user", telegram_id=5, display_name="Amira"))
        session.commit()
        source_id = session.scalars(select(Source.id)).one()
    paris = timezone(timedelta(hours=2))
    at = datetime(2026, 3, 29, 3, 30, 15, 250, tzinfo=paris)
    writer = SqliteBulkWriter()
    columns = ("source_id", "kind", "at", "month", "member_id", "member_name", "actor_id", "via", "event_key")
    with db.engine.begin() as connection:
        table = MembershipEvent.__table__
        writer.insert(connection, table, columns, [(source_id, "joined", at, 202603, 1, "Amira", None, "link", "k1")])
    with db.sessions() as session:
        event = session.scalars(select(MembershipEvent)).one()
        assert event.at == at.astimezone(UTC)
        assert session.scalars(select(MembershipEvent).where(MembershipEvent.at == at)).one() is event
    db.close()


@pytest.mark.parametrize("dialect", ["sqlite", "portable"])
def test_rows_built_as_stored_read_back_like_converted_ones(tmp_path: Path, dialect: str) -> None:
    """The import writes message rows with the writer's instant() and document() as it builds them and skips
    the converting pass (stored=True); they read back exactly like rows the writer converted."""
    from moderator_app.store.bulk import BulkWriter
    from moderator_app.store.ingest import MESSAGE_COLUMNS, MESSAGES
    from moderator_app.store.models import Message

    db = open_database(data_dir=tmp_path)
    with db.sessions() as session:
        session.add(Source(kind="group", telegram_id=1, name="G", created_at=datetime(2026, 1, 1, tzinfo=UTC)))
        session.commit()
        source_id = session.scalars(select(Source.id)).one()
    writer = SqliteBulkWriter() if dialect == "sqlite" else BulkWriter()
    toronto = timezone(timedelta(hours=-5))
    at, edited = datetime(2026, 3, 8, 1, 59, 59, 999, tzinfo=toronto), datetime(2026, 3, 9, 12, 0, tzinfo=UTC)
    media = {"file": "voice_messages/صوت.ogg", "duration_seconds": 7}

    def row(telegram_id: int, stored: bool) -> list[object]:
        def instant(value: datetime) -> object:
            return writer.instant(value) if stored else value

        document = writer.document(media) if stored else media
        null = writer.null if stored else None
        flag = writer.flag if stored else bool
        dates = [instant(at), 202603, instant(edited)]
        head = [source_id, 1, telegram_id, null, flag(False), *dates, "مرحبا؟", null, null, "voice_message", document]
        return [*head, flag(True), null, null, null, "question", null]  # service, action, forwarded, mentions

    with db.engine.begin() as connection:
        writer.insert_ids(connection, MESSAGES, MESSAGE_COLUMNS, [row(1, stored=False)])
        writer.insert_ids(connection, MESSAGES, MESSAGE_COLUMNS, [row(2, stored=True)], stored=True)
    with db.sessions() as session:
        first, second = session.scalars(select(Message).order_by(Message.telegram_id)).all()
        for column in ("date", "edited_at", "media", "text", "media_kind", "role", "is_service", "from_staff"):
            assert getattr(first, column) == getattr(second, column), column
        for column in ("sender_id", "reply_to", "topic_id", "action", "forwarded_from", "mentions", "inquiry_id"):
            assert getattr(first, column) is None and getattr(second, column) is None, column
        assert second.date == at.astimezone(UTC) and second.media == media and second.is_service is True
    with db.engine.connect() as connection:  # NULL, not the marker; flags as 0 and 1
        stored = connection.exec_driver_sql(
            "SELECT typeof(sender_id), typeof(reply_to), typeof(topic_id), typeof(inquiry_id), from_staff, is_service "
            "FROM messages"
        ).all()
        assert stored == [("null", "null", "null", "null", 0, 1)] * 2
    db.close()


def test_missing_values_are_null_in_every_column_the_writer_marks(tmp_path: Path) -> None:
    """Every nullable column but REAL ones is written as NULLIF(?, mark); None there, converted or as
    stored, is NULL, a REAL column keeps None as None, and an update clears a value the same way."""
    from moderator_app.store.ingest import INQUIRIES, INQUIRY_KEY_COLUMNS
    from moderator_app.store.repositories import INQUIRY_RULE_COLUMNS

    db = open_database(data_dir=tmp_path)
    with db.sessions() as session:
        session.add(Source(kind="group", telegram_id=1, name="G", created_at=datetime(2026, 1, 1, tzinfo=UTC)))
        session.commit()
        source_id = session.scalars(select(Source.id)).one()
    writer = SqliteBulkWriter()
    columns = INQUIRY_KEY_COLUMNS + INQUIRY_RULE_COLUMNS
    at = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)
    values = dict.fromkeys(columns)
    values.update(source_id=source_id, chat_id=1, question_telegram_id=5, arrival_at=at, month=202603)
    values.update(state="answered", detection="question", language="ar", topic="health", clock_start_at=at)
    values.update(due_at=at, first_response_at=at, first_response_seconds=0.0, met_standard=True)
    row = [values[c] for c in columns]
    with db.engine.begin() as connection:
        (inquiry_id,) = writer.insert_ids(connection, INQUIRIES, columns, [row])
        writer.update_by_id(
            connection,
            INQUIRIES,
            ["first_response_at", "first_response_seconds", "met_standard"],
            [(None, None, None, inquiry_id)],
        )
    with db.engine.connect() as connection:
        stored = connection.exec_driver_sql(
            "SELECT typeof(member_id), typeof(answered_at), typeof(follow_up_on), typeof(first_response_at), "
            "typeof(first_response_seconds), typeof(met_standard), topic FROM inquiries"
        ).one()
        assert tuple(stored) == ("null", "null", "null", "null", "null", "null", "health")
    db.close()
