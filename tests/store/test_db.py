"""The log's files, migrations and errors, on real SQLite files and a real PostgreSQL server."""

from __future__ import annotations

import os
import sqlite3
import stat
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import text

from moderator_app.store.db import (
    DB_FILE,
    HEAD_REVISION,
    IMPORT_CHECKPOINT_PAGES,
    MMAP_BYTES,
    Database,
    StoreError,
    current_revision,
    head_revision,
    open_database,
    upgrade,
)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_data_folder_and_files_are_private(tmp_path: Path) -> None:
    data = tmp_path / "data"
    db = open_database(data_dir=data)
    with db.engine.begin() as connection:  # a write creates the WAL files
        connection.execute(text("INSERT INTO settings (key, value) VALUES ('k', '1')"))
    assert mode(data) == 0o700
    for name in (DB_FILE, DB_FILE + "-wal", DB_FILE + "-shm"):
        assert mode(data / name) == 0o600, name
    with db.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    db.close()


def test_an_existing_data_folder_keeps_its_mode_and_is_warned_about(tmp_path: Path) -> None:
    """(issue: hardening, item 13) --data-dir on a folder that exists changed it from 755 to 700."""
    import io

    from moderator_app.cli.main import main

    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o755)
    err = io.StringIO()
    assert main(["--data-dir", str(shared), "standard", "show"], out=io.StringIO(), err=err) == 0
    assert mode(shared) == 0o755
    assert mode(shared / DB_FILE) == 0o600  # the log itself stays private
    assert "can be opened by other users of this computer (mode 755)" in err.getvalue()
    assert f"chmod 700 '{shared}'" in err.getvalue()
    private = tmp_path / "private"
    err = io.StringIO()
    assert main(["--data-dir", str(private), "standard", "show"], out=io.StringIO(), err=err) == 0
    assert mode(private) == 0o700 and "warning" not in err.getvalue()


def test_a_log_opened_for_an_import_is_read_without_a_memory_map_and_checkpoints_less(tmp_path: Path) -> None:
    for for_import, mmap, checkpoint in ((False, MMAP_BYTES, 1000), (True, 0, IMPORT_CHECKPOINT_PAGES)):
        db = open_database(data_dir=tmp_path / "data", for_import=for_import)
        with db.engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA mmap_size").scalar() == mmap
            assert connection.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar() == checkpoint
        db.close()


def test_start_up_migrates_to_head_and_is_repeatable(tmp_path: Path) -> None:
    assert head_revision() == HEAD_REVISION  # a new migration must move the constant that skips Alembic
    db = open_database(data_dir=tmp_path)
    assert current_revision(db) == head_revision()
    db.close()
    again = open_database(data_dir=tmp_path)
    assert current_revision(again) == head_revision()
    again.close()


def _fill_first_revision(connection: object) -> None:
    """Rows as the first release wrote them (raw SQL: the models have moved on since)."""
    execute = connection.execute  # type: ignore[attr-defined]
    now = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)
    execute(
        text(
            "INSERT INTO sources (id, kind, telegram_id, name, telegram_type, watched, created_at) "
            "VALUES (1, 'group', 42, 'مجموعة الترحيب', 'private_supergroup', :t, :now)"
        ),
        {"t": True, "now": now},
    )
    execute(text("INSERT INTO members (id, peer_type, telegram_id, display_name) VALUES (1, 'user', 5001, 'ليلى')"))
    execute(
        text(
            "INSERT INTO inquiries (id, source_id, chat_id, question_telegram_id, member_id, state, detection, "
            "language, topic, arrival_at, month, clock_start_at, due_at) VALUES (1, 1, 42, 4, 1, 'open', "
            "'question', 'ar', 'education', :now, 202603, :now, :now)"
        ),
        {"now": now},
    )
    execute(
        text(
            "INSERT INTO messages (id, source_id, chat_id, telegram_id, sender_id, from_staff, date, month, text, "
            "is_service, role, inquiry_id) VALUES (1, 1, 42, 4, 1, :f, :now, 202603, 'كيف أسجل ابني في المدرسة؟', "
            ":f, 'question', 1)"
        ),
        {"f": False, "now": now},
    )
    execute(
        text(
            "INSERT INTO responses (id, source_id, message_id, inquiry_id, kind, at, month) "
            "VALUES (1, 1, 1, 1, 'information', :now, 202603)"
        ),
        {"now": now},
    )


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_upgrade_from_first_migration_keeps_the_data(
    backend: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    if backend == "sqlite":
        db = open_database(data_dir=tmp_path, migrate=False)
    else:
        db = open_database(database_url=request.getfixturevalue("pg_url"), migrate=False)
    upgrade(db, "0001")
    assert current_revision(db) == "0001"
    with db.engine.begin() as connection:
        _fill_first_revision(connection)
    upgrade(db)
    assert current_revision(db) == head_revision() != "0001"
    with db.engine.connect() as connection:
        assert connection.execute(text("SELECT name FROM sources")).scalar() == "مجموعة الترحيب"
        row = connection.execute(text("SELECT text, inquiry_id FROM messages")).one()
        assert row == ("كيف أسجل ابني في المدرسة؟", 1)
        assert connection.execute(text("SELECT state, responder_profile_id FROM inquiries")).one() == (
            "open",
            None,
        )
        assert connection.execute(text("SELECT kind, profile_id FROM responses")).one() == (
            "information",
            None,
        )
        if backend == "sqlite":
            assert connection.exec_driver_sql("PRAGMA foreign_key_check").all() == []
    # History derived under the rules before 0012: the next start re-derives it.
    from moderator_app.store.rederive import Rederiver, rules_outdated

    assert rules_outdated(db)
    Rederiver(db).run()
    assert not rules_outdated(db)
    with db.engine.connect() as connection:
        assert connection.execute(text("SELECT state FROM inquiries")).scalar() == "open"
    db.close()


def test_unwritable_data_folder_says_what_to_do(tmp_path: Path) -> None:
    if os.geteuid() == 0:
        blocked = Path("/proc/moderator-app-cannot-be-here")
    else:
        blocked = tmp_path / "ro" / "data"
        (tmp_path / "ro").mkdir(mode=0o500)
    with pytest.raises(StoreError, match="--data-dir"):
        open_database(data_dir=blocked)


def test_locked_database_gives_a_clear_message(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from moderator_app.cli.main import main

    open_database(data_dir=tmp_path).close()
    holder = sqlite3.connect(tmp_path / DB_FILE)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        code = main(["--data-dir", str(tmp_path), "standard", "set", "--target", "48h"])
    finally:
        holder.rollback()
        holder.close()
    assert code == 1
    err = capsys.readouterr().err
    assert "locked by another program" in err and "try again" in err


def test_unreachable_postgresql_says_what_to_do() -> None:
    with pytest.raises(StoreError, match="Cannot reach the database server"):
        open_database(database_url="postgresql://nobody@127.0.0.1:1/none")


def test_migrations_build_exactly_the_models(db: Database) -> None:
    """What the migrations create is what the models declare (tables, columns, types, indexes, keys)."""
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from moderator_app.store.library_search import is_index_object
    from moderator_app.store.models import Base

    def include(_object: object, name: str | None, _type: str, _reflected: bool, _compare_to: object) -> bool:
        return not is_index_object(name)  # the search index's FTS5 tables and pg_trgm index (migration 0011)

    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True, "include_object": include})
        assert compare_metadata(context, Base.metadata) == []


@pytest.mark.parametrize(
    ("driver_said", "we_say"),
    [
        (
            'connection failed: connection to server at "127.0.0.1", port 5432 failed: FATAL:  password '
            'authentication failed for user "moderator"',
            "refused the user name or password",
        ),
        (
            'connection failed: connection to server at "127.0.0.1", port 5432 failed: fe_sendauth: no password '
            "supplied",
            "refused the user name or password",
        ),
        (
            'connection failed: connection to server at "127.0.0.1", port 5433 failed: Connection refused',
            "Cannot reach the database server",
        ),
    ],
)
def test_a_wrong_password_is_not_taken_for_an_unreachable_server(driver_said: str, we_say: str) -> None:
    """(issue: hardening, item 13) psycopg's words as it says them."""
    from sqlalchemy.exc import OperationalError

    from moderator_app.store.db import explain_operational_error

    said = explain_operational_error(OperationalError("connect", {}, Exception(driver_said)), "at 127.0.0.1")
    assert we_say in said
