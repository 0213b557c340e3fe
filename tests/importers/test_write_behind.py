"""An import whose batches a second process writes (store.import_writer): the same log as without it, and
the same honesty when it stops half-way (the counts say exactly what the log holds, a rerun resumes)."""

from __future__ import annotations

import multiprocessing
import os
import signal
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy.exc

from moderator_app.domain.referrals import ReferralMatcher
from moderator_app.importers.telegram_export import ExportImporter, ImportStopped, ImportSummary
from moderator_app.store.db import DB_FILE, Database, open_database
from moderator_app.store.import_writer import WRITE_BEHIND_BYTES, WriterStopped, write_behind_for
from moderator_app.store.ingest import IngestCounts, Ingestor
from moderator_app.store.months import month_keyer
from moderator_app.store.repositories import ReferralRepository, StandardRepository
from tests.conftest import TORONTO, toronto_standard
from tests.support.exportgen import ORGANIZATIONS, OrgSimulation, write_account_export

BATCH = 40  # small batches: many of them, and many inquiries answered a batch or more after they opened


@pytest.fixture(scope="module")
def export(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two months of an organization: groups with member answers, staff replies and referrals, private chats,
    joins and removals, members who change their names."""
    path = tmp_path_factory.mktemp("export") / "result.json"
    write_account_export(path, OrgSimulation(months=2))
    return path


def _log(folder: Path) -> Database:
    db = open_database(data_dir=folder, for_import=True)
    toronto_standard(db)
    from moderator_app.domain.referrals import ReferralOrganization

    ReferralRepository(db).upsert_all(
        [
            ReferralOrganization(
                name=o["name"], aliases=tuple(o["aliases"].split("|")), phone=o["phone"], website=o["website"]
            )
            for o in ORGANIZATIONS
        ]
    )
    return db


def _import(
    db: Database,
    export: Path,
    *,
    write_behind: bool,
    on_batch: Callable[[IngestCounts], None] | None = None,
    importer_ready: Callable[[ExportImporter], None] | None = None,
) -> ImportSummary:
    ingestor = Ingestor(
        db,
        staff=frozenset({9000}),
        matcher=ReferralMatcher(ReferralRepository(db).all()),
        clocks=StandardRepository(db).clocks(),
        month_of=month_keyer(db),
        batch_size=BATCH,
        on_batch=on_batch,
    )
    importer = ExportImporter(ingestor, TORONTO, write_behind=write_behind)
    if importer_ready is not None:
        importer_ready(importer)
    return importer.run(export)


#: The tables an import writes (sources too, but a source's row holds when it was made).
IMPORTED = ("members", "inquiries", "messages", "responses", "membership_events", "topics")


def _rows(folder: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every row an import wrote, ids included (the same inserts in the same order give the same ids)."""
    connection = sqlite3.connect(folder / DB_FILE)
    rows = {table: connection.execute(f"SELECT * FROM {table} ORDER BY id").fetchall() for table in IMPORTED}
    rows["sources"] = connection.execute(
        "SELECT id, kind, telegram_id, name, telegram_type FROM sources ORDER BY id"
    ).fetchall()
    connection.close()
    return rows


def _stored(folder: Path) -> int:
    connection = sqlite3.connect(folder / DB_FILE)
    count = int(connection.execute("SELECT count(*) FROM messages").fetchone()[0])
    connection.close()
    return count


@pytest.fixture(scope="module")
def in_place(export: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[tuple[object, ...]]]:
    """The log an import writes without a second process."""
    folder = tmp_path_factory.mktemp("in-place")
    db = _log(folder)
    summary = _import(db, export, write_behind=False)
    db.close()
    assert summary.counts.batches > 20 and summary.counts.responses["referral"] > 0
    return _rows(folder)


def _writers() -> list[multiprocessing.process.BaseProcess]:
    return [p for p in multiprocessing.active_children() if p.name == "moderator-import-writer"]


def test_a_log_written_behind_is_the_log_written_in_place(
    export: Path, in_place: dict[str, list[tuple[object, ...]]], tmp_path: Path
) -> None:
    seen: list[int] = []
    db = _log(tmp_path)
    summary = _import(db, export, write_behind=True, on_batch=lambda _: seen.append(len(_writers())))
    db.close()
    assert seen and all(n == 1 for n in seen)  # a writer process did write the batches...
    assert not _writers()  # ...and is gone once the import is done
    assert summary.counts.messages_committed == summary.counts.messages_stored == _stored(tmp_path)
    rows = _rows(tmp_path)
    assert rows.keys() == in_place.keys()
    for table, expected in in_place.items():
        assert rows[table] == expected, table


def test_a_batch_the_writer_could_not_write_is_said_and_a_rerun_completes_the_log(
    export: Path, in_place: dict[str, list[tuple[object, ...]]], tmp_path: Path
) -> None:
    """The writer's error is the one an import without it meets (here SQLite refusing a row), raised where the
    import waits for that batch; the counts and the summary's lines say exactly what the log holds."""
    db = _log(tmp_path)
    with db.engine.begin() as connection:
        connection.exec_driver_sql(
            "CREATE TRIGGER refuse BEFORE INSERT ON messages WHEN NEW.telegram_id = 300 "
            "BEGIN SELECT RAISE(ABORT, 'refused by the test'); END"
        )
    importer: list[ExportImporter] = []
    with pytest.raises(sqlalchemy.exc.IntegrityError, match="refused by the test"):
        _import(db, export, write_behind=True, importer_ready=importer.append)
    summary = importer[0].summary
    assert summary is not None
    counts = summary.counts
    assert 0 < counts.messages_committed == _stored(tmp_path) < counts.messages_stored
    lines = summary.stopped_lines(file_error=False)
    assert f"{counts.messages_committed:,} messages" in lines[0]
    assert not _writers()
    with db.engine.begin() as connection:
        connection.exec_driver_sql("DROP TRIGGER refuse")
    _import(db, export, write_behind=True)
    db.close()
    assert _stored(tmp_path) == len(in_place["messages"])
    assert len(_rows(tmp_path)["inquiries"]) == len(in_place["inquiries"])


def test_a_writer_that_dies_is_said_and_a_rerun_completes_the_log(
    export: Path, in_place: dict[str, list[tuple[object, ...]]], tmp_path: Path
) -> None:
    db = _log(tmp_path)
    batches: list[int] = []

    def kill_after_three(counts: IngestCounts) -> None:
        batches.append(counts.messages_committed)
        if len(batches) == 3:
            for process in _writers():
                assert process.pid is not None
                os.kill(process.pid, signal.SIGKILL)

    importer: list[ExportImporter] = []
    with pytest.raises(WriterStopped, match="run the same command again"):
        _import(db, export, write_behind=True, on_batch=kill_after_three, importer_ready=importer.append)
    summary = importer[0].summary
    assert summary is not None
    assert summary.counts.messages_committed == batches[-1] == _stored(tmp_path) == 3 * BATCH
    _import(db, export, write_behind=False)
    db.close()
    assert _stored(tmp_path) == len(in_place["messages"])


def test_stopping_an_import_written_behind_stores_everything_read(export: Path, tmp_path: Path) -> None:
    db = _log(tmp_path)
    importer: list[ExportImporter] = []

    def stop_after_two(counts: IngestCounts) -> None:
        if counts.batches == 2:
            importer[0].stop_requested = True

    with pytest.raises(ImportStopped):
        _import(db, export, write_behind=True, on_batch=stop_after_two, importer_ready=importer.append)
    db.close()
    summary = importer[0].summary
    assert summary is not None
    counts = summary.counts
    assert 2 * BATCH < counts.messages_stored == counts.messages_committed == _stored(tmp_path)
    assert "were not stored" not in summary.stopped_lines(file_error=False)[0]
    assert not _writers()


def test_a_writer_process_only_for_a_large_export_on_sqlite_with_two_cores(
    tmp_path: Path, pg_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from moderator_app.store import import_writer

    sqlite = open_database(data_dir=tmp_path)
    assert write_behind_for(sqlite, WRITE_BEHIND_BYTES - 1) is None
    monkeypatch.setattr(import_writer, "usable_cores", lambda: 1)
    assert write_behind_for(sqlite, WRITE_BEHIND_BYTES) is None
    monkeypatch.setattr(import_writer, "usable_cores", lambda: 2)
    writer = write_behind_for(sqlite, WRITE_BEHIND_BYTES)
    assert writer is not None
    writer.close()
    sqlite.close()
    postgresql = open_database(database_url=pg_url)
    assert write_behind_for(postgresql, 10 * WRITE_BEHIND_BYTES) is None  # written in place: see the module
    postgresql.close()
