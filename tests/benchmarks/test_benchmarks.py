"""Benchmarks (pytest-benchmark). Not part of the default run; run them with

    .venv/bin/python -m pytest tests/benchmarks -m benchmarks -s

Each compares our code with a baseline measured in the same run on the same machine, so the ratios hold
wherever they run; the absolute figures are printed and stored in the benchmark's extra_info.
"""

from __future__ import annotations

import random
import sqlite3
import statistics
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import ijson
import pytest

from moderator_app.domain.referrals import ReferralMatcher, ReferralOrganization
from moderator_app.domain.settings import MONTH_TIMEZONE
from moderator_app.domain.statistics import Month, MonthKeyer
from moderator_app.importers.telegram_export import ExportImporter
from moderator_app.reports.csv_report import write_csv
from moderator_app.store.db import DB_FILE, Database, open_database
from moderator_app.store.import_writer import usable_cores
from moderator_app.store.ingest import Ingestor
from moderator_app.store.months import month_keyer
from moderator_app.store.repositories import ReferralRepository, SettingsRepository, StandardRepository
from moderator_app.store.statistics import StatisticsService
from tests.support.exportgen import ORGANIZATIONS, bulk_group_export

pytestmark = pytest.mark.benchmarks

IMPORT_MESSAGES = 200_000
REPORT_MESSAGES = 1_000_000


@pytest.fixture(scope="module")
def big_export(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("export") / "result.json"
    bulk_group_export(path, IMPORT_MESSAGES)
    return path


def _library() -> list[ReferralOrganization]:
    return [
        ReferralOrganization(
            name=o["name"], aliases=tuple(o["aliases"].split("|")), phone=o["phone"], website=o["website"]
        )
        for o in ORGANIZATIONS
    ]


def _our_import(data_dir: Path, export: Path) -> int:
    db = open_database(data_dir=data_dir, for_import=True)  # as the import command opens it
    ReferralRepository(db).upsert_all(_library())
    ingestor = Ingestor(
        db,
        staff=frozenset({9000}),
        matcher=ReferralMatcher(ReferralRepository(db).all()),
        clocks=StandardRepository(db).clocks(),
        month_of=month_keyer(db),
    )
    summary = ExportImporter(ingestor, ZoneInfo("UTC")).run(export)
    db.close()
    return summary.counts.messages_stored


TABLES = ("members", "sources", "inquiries", "messages", "responses", "membership_events")


def _rows_of(data_dir: Path) -> dict[str, tuple[list[str], list[tuple[Any, ...]]]]:
    """Every row our import wrote, as the driver returns them (read once, outside the timing)."""
    connection = sqlite3.connect(data_dir / DB_FILE)
    out = {}
    for table in TABLES:
        cursor = connection.execute(f"SELECT * FROM {table}")
        out[table] = ([d[0] for d in cursor.description], cursor.fetchall())
    connection.close()
    return out


def _baseline_import(data_dir: Path, export: Path, rows: dict[str, tuple[list[str], list[tuple[Any, ...]]]]) -> int:
    """What a hand-written import with no rules would do: parse the same JSON with the same parser, turn each
    message into its row, and bulk-insert it with the sqlite3 module; the rows our rules derive (members,
    inquiries, responses, membership events) are inserted as they are, ready-made. Same schema, batches of
    the same size, one transaction each."""
    open_database(data_dir=data_dir).close()
    connection = sqlite3.connect(data_dir / DB_FILE)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=NORMAL")
    for table in ("members", "sources", "inquiries"):
        columns, values = rows[table]
        sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' for _ in columns)})"
        connection.executemany(sql, values)
    connection.commit()
    members = {f"user{telegram_id}": member_id for member_id, _, telegram_id, *_ in rows["members"][1]}
    message_sql = (
        "INSERT INTO messages (source_id, chat_id, telegram_id, sender_id, from_staff, date, month, text, reply_to, "
        "media_kind, is_service, action, role) VALUES (1, 1800000000, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'x')"
    )
    batch: list[tuple[Any, ...]] = []
    parsed = 0
    with export.open("rb") as handle:
        for message in ijson.items(handle, "messages.item"):
            sender = message.get("from_id") or message.get("actor_id")
            text = message.get("text")
            date = datetime.fromtimestamp(int(message["date_unixtime"]), UTC)
            batch.append(
                (
                    message["id"],
                    members.get(sender),
                    sender == "user9000",
                    date.isoformat(" ", "microseconds")[:26],
                    date.year * 100 + date.month,  # the import runs in UTC
                    text if isinstance(text, str) else "".join(t if isinstance(t, str) else t["text"] for t in text),
                    message.get("reply_to_message_id"),
                    message.get("media_type"),
                    message["type"] == "service",
                    message.get("action"),
                )
            )
            if len(batch) >= 5000:
                connection.executemany(message_sql, batch)
                connection.commit()
                parsed += len(batch)
                batch.clear()
    connection.executemany(message_sql, batch)
    parsed += len(batch)
    for table in ("responses", "membership_events"):
        columns, values = rows[table]
        columns, values = columns[1:], [v[1:] for v in values]  # new ids: message ids differ
        sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' for _ in columns)})"
        for start in range(0, len(values), 5000):
            connection.executemany(sql, values[start : start + 5000])
            connection.commit()
    connection.commit()
    connection.close()
    return parsed


def test_import_throughput(benchmark: Any, big_export: Path, tmp_path: Path) -> None:
    """Ours and the baseline alternate (baseline, ours, baseline, ours...), so a machine that is busier or
    slower for a minute slows both alike; the first import only produces the rows the baseline inserts."""
    runs = iter(range(100))
    rows: dict[str, tuple[list[str], list[tuple[Any, ...]]]] = {}
    baseline_times: list[float] = []

    def setup() -> tuple[tuple[Path, Path], dict[str, Any]]:
        run = next(runs)
        if run > 0:
            if not rows:
                rows.update(_rows_of(tmp_path / "ours0"))
                assert len(rows["messages"][1]) == IMPORT_MESSAGES
            started = time.perf_counter()
            assert _baseline_import(tmp_path / f"base{run}", big_export, rows) == IMPORT_MESSAGES
            baseline_times.append(time.perf_counter() - started)
        return (tmp_path / f"ours{run}", big_export), {}

    # Five timed pairs: with three, one slow minute on this shared machine moved the ratio by several points.
    stored = benchmark.pedantic(_our_import, setup=setup, rounds=6, iterations=1)
    assert stored == IMPORT_MESSAGES
    ours = statistics.median(benchmark.stats.stats.data[1:])
    baseline = statistics.median(baseline_times)
    ratio = baseline / ours
    cores = usable_cores()  # with two or more, a second process writes the batches (store.import_writer)
    benchmark.extra_info.update(
        {
            "messages_per_second": round(IMPORT_MESSAGES / ours),
            "baseline_messages_per_second": round(IMPORT_MESSAGES / baseline),
            "speed_vs_baseline": round(ratio, 3),
            "usable_cores": cores,
        }
    )
    print(
        f"\nimport: {IMPORT_MESSAGES / ours:,.0f} msg/s ({ours:.2f} s); "
        "baseline (parse + sqlite3 insert of the same rows) "
        f"{IMPORT_MESSAGES / baseline:,.0f} msg/s ({baseline:.2f} s); ours is {ratio:.0%} of the baseline's speed "
        f"({cores} cores usable)"
    )
    assert ratio >= 0.40


# ---------------------------------------------------------------------------------------------------------
def _populate_year(db: Database, messages: int, seed: int = 3) -> None:
    """A 12-month log straight into the tables (the report reads tables; how they were filled is moot)."""
    rng = random.Random(seed)
    keyer = MonthKeyer(ZoneInfo("America/Toronto"))
    SettingsRepository(db).write(MONTH_TIMEZONE, "America/Toronto")
    path = db.url.removeprefix("sqlite:///")
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA journal_mode=WAL")
    fmt = "%Y-%m-%d %H:%M:%S.%f"
    start = datetime(2025, 1, 1, 5, tzinfo=UTC)
    span = (datetime(2026, 1, 1, 5, tzinfo=UTC) - start).total_seconds()
    sources = [
        (1, "group", "Arabic group"),
        (2, "group", "Farsi group"),
        (3, "group", "French group"),
        (4, "channel", "News"),
        (5, "private", "Private messages"),
    ]
    connection.executemany(
        "INSERT INTO sources (id, kind, telegram_id, name, watched, created_at) VALUES (?, ?, ?, ?, 1, '2025-01-01')",
        [(sid, kind, sid * 1000, name) for sid, kind, name in sources],
    )
    connection.executemany(
        "INSERT INTO members (id, peer_type, telegram_id, display_name) VALUES (?, 'user', ?, ?)",
        [(i, 10_000 + i, f"member {i}") for i in range(1, 8001)],
    )
    times = sorted(rng.random() * span for _ in range(messages))
    message_rows: list[tuple[Any, ...]] = []
    inquiry_rows: list[tuple[Any, ...]] = []
    response_rows: list[tuple[Any, ...]] = []
    event_rows: list[tuple[Any, ...]] = []
    next_inquiry = 1
    for i, offset in enumerate(times, start=1):
        at = start + timedelta(seconds=offset)
        source = rng.choice((1, 1, 2, 2, 3, 4, 5))
        roll = rng.random()
        staff = roll > 0.8
        sender = 1 if staff else rng.randint(2, 8000)
        role = "chatter"
        inquiry_id = None
        if not staff and roll < 0.25 and source != 4:
            role = "question"
            inquiry_id = next_inquiry
            next_inquiry += 1
            answered = rng.random() < 0.9
            delay = timedelta(minutes=rng.expovariate(1 / 300))
            response = at + delay if answered else None
            inquiry_rows.append(
                (
                    inquiry_id,
                    source,
                    source * 1000,
                    i,
                    sender,
                    "answered" if answered else "open",
                    "question",
                    rng.choice(("ar", "fa", "fr", "en", "zh")),
                    rng.choice(("health", "housing", "education", "other")),
                    at.strftime(fmt),
                    keyer(at),
                    at.strftime(fmt),
                    (at + timedelta(hours=24)).strftime(fmt),
                    response.strftime(fmt) if response else None,
                    delay.total_seconds() if response else None,
                    delay.total_seconds() if response else None,
                    (delay < timedelta(hours=24)) if response else None,
                    1 if response else None,
                    response.strftime(fmt) if response else None,
                    keyer(response),
                )
            )
            if response is not None:
                kind = "referral" if rng.random() < 0.3 else "information"
                response_rows.append((source, i, inquiry_id, kind, None, 1, response.strftime(fmt), keyer(response)))
        elif staff and roll > 0.97:
            role = "post"
            post_type = rng.choice(("announcement", "event", "job"))
            response_rows.append((source, i, None, "post", post_type, 1, at.strftime(fmt), keyer(at)))
        if not staff and roll < 0.01:
            kind = rng.choice(("joined", "joined", "left", "removed"))
            event_rows.append((source, kind, at.strftime(fmt), keyer(at), sender, f"{i}:0"))
        message_rows.append(
            (
                i,
                source,
                source * 1000,
                i,
                sender,
                staff,
                at.strftime(fmt),
                keyer(at),
                "text",
                role,
                inquiry_id,
            )
        )
    connection.executemany(
        "INSERT INTO inquiries (id, source_id, chat_id, question_telegram_id, member_id, state, detection, language, "
        "topic, arrival_at, month, clock_start_at, due_at, first_response_at, first_response_seconds, "
        "business_response_seconds, met_standard, responder_id, answered_at, answered_month) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        inquiry_rows,
    )
    connection.executemany(
        "INSERT INTO messages (id, source_id, chat_id, telegram_id, sender_id, from_staff, date, month, text, "
        "is_service, role, inquiry_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?)",
        message_rows,
    )
    connection.executemany(
        "INSERT INTO responses (source_id, message_id, inquiry_id, kind, post_type, staff_id, at, month) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        response_rows,
    )
    connection.executemany(
        "INSERT INTO membership_events (source_id, kind, at, month, member_id, member_name, event_key) "
        "VALUES (?, ?, ?, ?, ?, '', ?)",
        event_rows,
    )
    connection.commit()
    connection.execute("ANALYZE")
    connection.close()


@pytest.fixture(scope="module")
def year_log(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    db = open_database(data_dir=tmp_path_factory.mktemp("year"))
    _populate_year(db, REPORT_MESSAGES)
    yield db
    db.close()


def _hand_written_group_by(db: Database) -> list[tuple[Any, ...]]:
    connection = sqlite3.connect(db.url.removeprefix("sqlite:///"))
    rows = connection.execute(
        "SELECT strftime('%Y-%m', date) AS month, source_id, count(*), count(DISTINCT sender_id) "
        "FROM messages WHERE date >= '2025-01-01 05:00:00' AND date < '2026-01-01 05:00:00' "
        "GROUP BY month, source_id"
    ).fetchall()
    connection.close()
    return rows


def test_monthly_report_over_a_year(benchmark: Any, year_log: Database, tmp_path: Path) -> None:
    tz = ZoneInfo("America/Toronto")
    output = tmp_path / "year.csv"

    def report() -> int:
        result = StatisticsService(year_log).report(Month(2025, 1), Month(2025, 12), tz)
        return write_csv(result, output)

    rows = benchmark.pedantic(report, rounds=5, iterations=1, warmup_rounds=1)
    assert rows > 0
    ours = benchmark.stats.stats.median
    baseline_times = []
    for _ in range(5):
        started = time.perf_counter()
        assert len(_hand_written_group_by(year_log)) >= 12 * 5
        baseline_times.append(time.perf_counter() - started)
    baseline = sorted(baseline_times)[2]
    benchmark.extra_info.update({"report_seconds": round(ours, 3), "group_by_seconds": round(baseline, 3)})
    print(
        f"\nreport over {REPORT_MESSAGES:,} messages, 12 months: {ours:.2f} s; hand-written GROUP BY "
        f"{baseline:.2f} s; ratio {ours / baseline:.2f}x"
    )
    assert ours < 2.0
    assert ours <= 3 * baseline


def test_report_of_a_span_over_a_year(benchmark: Any, year_log: Database) -> None:
    """Issue 19: a period of two dates that cut months (Jan 15 to Dec 15) is one column, its distinct
    participants counted over it: the reports page's year, under 2 s on a 1M-message log."""
    tz = ZoneInfo("America/Toronto")

    def report() -> Any:
        return StatisticsService(year_log).report(date(2025, 1, 15), date(2025, 12, 15), tz)

    result = benchmark.pedantic(report, rounds=3, iterations=1, warmup_rounds=1)
    assert int(result.get(result.periods[0], "all", "inquiries") or 0) > 0
    seconds = benchmark.stats.stats.median
    print(f"\nreport of Jan 15 to Dec 15 over {REPORT_MESSAGES:,} messages, one column: {seconds:.2f} s")
    assert seconds < 2.0


def test_reports_page_over_a_year(benchmark: Any, year_log: Database) -> None:
    """Issue 19, item 1: the reports page's year (one column, and Table 6 by month for its chart), as the
    database worker reads it, under 2 s on a 1M-message log."""
    from moderator_app.domain.standard import ServiceStandard
    from moderator_app.services.window_access import LogStatistics

    StandardRepository(year_log).save(ServiceStandard(timezone="America/Toronto"))
    access = LogStatistics(year_log)

    def page() -> Any:
        return access.figures(date(2025, 1, 1), date(2025, 12, 31), (Month(2025, 1), Month(2025, 12)))

    figures = benchmark.pedantic(page, rounds=3, iterations=1, warmup_rounds=1)
    assert len(figures.usage.periods) == 12 and len(figures.report.periods) == 1
    seconds = benchmark.stats.stats.median
    print(f"\nreports page, a year over {REPORT_MESSAGES:,} messages: {seconds:.2f} s")
    assert seconds < 2.0


def test_people_panel_over_a_year(benchmark: Any, year_log: Database) -> None:
    """Moderation ▸ People on a 1M-message year (8,000 members): the list, read on the database worker, and
    one member opened."""
    from moderator_app.store.people import PeopleRepository

    people = PeopleRepository(year_log)
    rows = benchmark.pedantic(people.people, rounds=3, iterations=1, warmup_rounds=1)
    assert len(rows) > 7000
    listed = benchmark.stats.stats.median
    started = time.perf_counter()
    detail = people.detail(rows[len(rows) // 2].member_id)
    opened = time.perf_counter() - started
    assert detail is not None and detail.messages
    benchmark.extra_info.update({"list_seconds": round(listed, 3), "open_seconds": round(opened, 3)})
    print(f"\npeople panel over {REPORT_MESSAGES:,} messages: list {listed:.2f} s, a member opened {opened:.2f} s")
    assert listed < 2.0


def test_handover_summary(benchmark: Any, year_log: Database) -> None:
    """Issue 19, item 6: the handover's summary (six counts, the first 50 of each) on a 1M-message year, read
    on the database worker at a change of the person on duty: 0.09 s measured. The year's unanswered
    inquiries (about 21,000, all overdue) are far more than a real log holds; besides them, for the while of
    this test, promises, member answers, follow-up dates and failed sends."""
    from moderator_app.domain.handover import SECTIONS, Section
    from moderator_app.store.handovers import HandoverRepository

    path = year_log.url.removeprefix("sqlite:///")
    connection = sqlite3.connect(path)
    open_ids = [r[0] for r in connection.execute("SELECT id FROM inquiries WHERE state = 'open' ORDER BY id")]
    answered = [r[0] for r in connection.execute("SELECT id FROM inquiries WHERE state = 'answered' LIMIT 3000")]
    promised, verify = open_ids[:500], open_ids[500:800]
    connection.executemany("UPDATE inquiries SET state = 'acknowledged' WHERE id = ?", [(i,) for i in promised])
    connection.executemany("UPDATE inquiries SET state = 'member_answered' WHERE id = ?", [(i,) for i in verify])
    connection.executemany(
        "UPDATE inquiries SET follow_up_on = ? WHERE id = ?",
        [(f"2025-12-{1 + n % 31:02d}", i) for n, i in enumerate(answered)],
    )
    connection.executemany(
        "INSERT INTO outbox (source_id, chat_id, kind, purpose, text, random_id, state, attempts, created_at, "
        "inquiry_id) VALUES (1, 1000, 'message', 'reply', 'Please call 613-555-0100', ?, ?, 1, "
        "'2025-12-20 15:00:00.000000', ?)",
        [(900_000 + n, "failed" if n % 10 == 0 else "sent", answered[n]) for n in range(2000)],
    )
    connection.commit()
    try:
        handovers = HandoverRepository(year_log)
        now = datetime(2025, 12, 31, 20, tzinfo=UTC)
        summary = benchmark.pedantic(
            lambda: handovers.summary(now, ZoneInfo("America/Toronto")), rounds=5, iterations=1, warmup_rounds=1
        )
        seconds = benchmark.stats.stats.median
    finally:
        connection.execute("DELETE FROM outbox WHERE random_id >= 900000")
        connection.execute("UPDATE inquiries SET state = 'open' WHERE state IN ('acknowledged', 'member_answered')")
        connection.execute("UPDATE inquiries SET follow_up_on = NULL WHERE follow_up_on IS NOT NULL")
        connection.commit()
        connection.close()
    assert summary.count(Section.PROMISED) == 500 and summary.count(Section.MEMBER_ANSWERED) == 300
    assert summary.count(Section.FOLLOW_UP) == 3000 and summary.count(Section.FAILED) == 200
    assert summary.count(Section.OVERDUE) > 10_000
    assert all(len(summary.listed(s)) == 50 for s in SECTIONS if s is not Section.OPEN)
    benchmark.extra_info["summary_seconds"] = round(seconds, 3)
    counts = ", ".join(f"{s.value} {summary.count(s):,}" for s in SECTIONS)
    print(f"\nhandover summary over {REPORT_MESSAGES:,} messages ({counts}): {seconds * 1000:.0f} ms")
    assert seconds < 0.3  # 0.09 s measured


# ---------------------------------------------------------------------------------------------------------
MEMORY_EXPORT_BYTES = 1_000_000_000


def test_import_of_a_1gb_export_stays_under_300mb(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Streams a generated ~1 GB export through the real command line in a child process and reads the
    peak resident memory of that child and of the process writing its batches, together
    (tests.support.peak_memory: not the rusage that Linux carries over from this process at the fork)."""
    import subprocess
    import sys

    folder = tmp_path_factory.mktemp("gigabyte")
    export = folder / "result.json"
    messages = 2_750_000  # about 370 bytes each in Telegram Desktop's indented layout
    # Nearly ten years of a busy group, ending before today (the import refuses dates far in the future).
    bulk_group_export(export, messages, start=datetime(2015, 1, 1, tzinfo=UTC))
    size = export.stat().st_size
    assert size >= MEMORY_EXPORT_BYTES * 0.95, size
    started = time.perf_counter()
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "tests.support.peak_memory",
            "moderator_app",
            "--data-dir",
            str(folder / "data"),
            "import-telegram-export",
            str(export),
            "--staff",
            "9000",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    elapsed = time.perf_counter() - started
    assert done.returncode == 0, done.stderr
    peak_mb = float(done.stderr.rsplit("peak_rss_mb=", 1)[1])
    own_mb = float(done.stderr.rsplit("own_peak_rss_mb=", 1)[1].split()[0])
    print(
        f"\n1 GB import: {size / 1e9:.2f} GB, {messages:,} messages in {elapsed:.0f} s "
        f"({messages / elapsed:,.0f} msg/s), peak memory {peak_mb:.0f} MB "
        f"(the import's process and its writer process together; the import's process alone {own_mb:.0f} MB)"
    )
    assert f"messages stored: {messages:,}" in done.stdout
    assert peak_mb < 300


def test_due_time_of_one_inquiry(benchmark: Any) -> None:
    """The clock runs for every inquiry imported and every countdown shown: a due time over a weekend."""
    from moderator_app.domain.clock import ServiceClock
    from moderator_app.domain.standard import ServiceStandard

    clock = ServiceClock(ServiceStandard(timezone="America/Toronto", holidays_country="CA", holidays_subdivision="ON"))
    arrival = datetime(2026, 5, 8, 10, tzinfo=ZoneInfo("America/Toronto"))  # a Friday
    due = benchmark(clock.due, arrival)
    assert due == datetime(2026, 5, 11, 10, tzinfo=ZoneInfo("America/Toronto"))
