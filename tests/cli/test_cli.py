"""The command line end to end: referrals, import, standard, report — including the toolkit's Table 6."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import openpyxl
import pytest

from moderator_app.cli.main import main
from tests.conftest import FIXTURES
from tests.support.exportgen import TABLE6, table6_export, write_referral_csv


def run(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(args), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def where(request: pytest.FixtureRequest, tmp_path: Path) -> list[str]:
    return ["--data-dir", str(tmp_path / "data")]


def read_csv(path: Path) -> dict[tuple[str, str, str], str]:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return {(r["month"], r["source"], r["metric"]): r["value"] for r in rows}


def import_toolkit_year(tmp_path: Path, where: list[str]) -> None:
    """Refugee 613's group from March 2017 to February 2018, with its partners, into the log at ``where``."""
    export = tmp_path / "result.json"
    table6_export(export, ZoneInfo("America/Toronto"))
    library = tmp_path / "partners.csv"
    write_referral_csv(library)
    assert run(*where, "standard", "set", "--timezone", "America/Toronto", "--holidays", "CA-ON")[0] == 0
    code, out, err = run(*where, "referrals", "import", str(library))
    assert code == 0, err
    code, out, err = run(*where, "import-telegram-export", str(export), "--staff", "9000")
    assert code == 0, err


def test_toolkit_table6_is_reproduced_from_an_export(tmp_path: Path, where: list[str]) -> None:
    """March 2017 to February 2018 of Refugee 613's group, as printed in the toolkit (Sept referrals: 19)."""
    import_toolkit_year(tmp_path, where)
    report = tmp_path / "table6.csv"
    code, _out, err = run(
        *where, "report", "--from", "2017-03", "--to", "2018-02", "--format", "csv", "--output", str(report)
    )
    assert code == 0, err
    values = read_csv(report)
    months = [f"{y}-{m:02d}" for y, m in [(2017, m) for m in range(3, 13)] + [(2018, 1), (2018, 2)]]
    for metric, expected in TABLE6.items():
        got = [int(values[(month, "all", metric)]) for month in months]
        assert got == expected, metric
    totals = [int(values[(month, "all", "total")]) for month in months]
    assert totals == [102, 119, 100, 68, 60, 88, 81, 139, 76, 74, 97, 123]
    assert sum(totals) == 1127 and int(values[("2017-09", "all", "referrals")]) == 19

    xlsx = tmp_path / "table6.xlsx"
    code, _, err = run(*where, "report", "--from", "2017-03", "--to", "2018-02", "--output", str(xlsx))
    assert code == 0, err
    sheet = openpyxl.load_workbook(xlsx).worksheets[0]
    rows = {row[0]: row[1:] for row in sheet.iter_rows(values_only=True) if row and row[0]}
    assert list(rows["Referrals"][:13]) == [*TABLE6["referrals"], 221]
    assert list(rows["Total"][:13]) == [*totals, 1127]


def test_only_the_import_opens_the_log_for_an_import() -> None:
    """A big import's resident memory would grow with every page read through the map: the import command
    asks for the log opened for an import (tests/store/test_db.py checks what that changes), no other does."""
    from moderator_app.cli.parser import build_parser

    parser = build_parser()
    assert parser.parse_args(["import-telegram-export", "result.json"]).for_import is True
    for command in (
        ["standard", "show"],
        ["inbox"],
        ["report", "--from", "2026-01", "--to", "2026-02", "--output", "x"],
    ):
        assert getattr(parser.parse_args(command), "for_import", False) is False


def test_import_requires_staff_then_remembers_it(where: list[str]) -> None:
    export = str(FIXTURES / "telegram-export-single-chat.json")
    code, out, err = run(*where, "import-telegram-export", export)
    assert code == 1 and "--staff" in err
    code, out, err = run(*where, "import-telegram-export", export, "--staff", "abc")
    assert code == 1 and "numeric Telegram user ids" in err
    code, out, err = run(*where, "import-telegram-export", export, "--staff", "user9000")
    assert code == 0, err
    assert "messages stored: 20" in out
    code, out, err = run(*where, "import-telegram-export", export)
    assert code == 0 and "messages stored: 0; already in the log: 20" in out


def _messages_in(where: list[str]) -> int:
    from sqlalchemy import func, select

    from moderator_app.store.db import open_database
    from moderator_app.store.models import Message

    db = open_database(data_dir=Path(where[1]))
    try:
        with db.sessions() as session:
            return int(session.scalar(select(func.count()).select_from(Message)) or 0)
    finally:
        db.close()


def test_a_channel_export_needs_no_staff_ids(where: list[str]) -> None:
    code, out, err = run(*where, "import-telegram-export", str(FIXTURES / "telegram-export-channel.json"))
    assert code == 0, err
    assert "messages stored: 3" in out and "responses: post 3" in out
    code, out, err = run(*where, "import-telegram-export", str(FIXTURES / "telegram-export-forum.json"))
    assert code == 1 and "Newcomers Hub (private_supergroup)" in err and "--staff" in err
    assert _messages_in(where) == 3  # refused before storing anything


def test_without_staff_ids_the_import_names_the_chats_that_need_them(where: list[str], tmp_path: Path) -> None:
    account = FIXTURES / "telegram-export-full-account.json"
    code, _out, err = run(*where, "import-telegram-export", str(account))
    assert code == 1
    needing = err.split("These chats need staff ids to be imported: ")[1].split(". ")[0]
    assert needing == "Welcome Group (Arabic) (private_supergroup); Fatemeh (personal_chat)"
    assert "--source-name 'Newcomer News' imports one alone" in err
    assert _messages_in(where) == 0
    code, out, err = run(*where, "import-telegram-export", str(account), "--source-name", "Newcomer News")
    assert code == 0 and "messages stored: 3" in out, err
    # A full-account export names the account that made it: offered as the id to give, not assumed.
    data = json.loads(account.read_text(encoding="utf-8"))
    mine = tmp_path / "result.json"
    mine.write_text(
        json.dumps({"about": data["about"], "personal_information": {"user_id": 9000}, "chats": data["chats"]}),
        encoding="utf-8",
    )
    code, _out, err = run(*where, "import-telegram-export", str(mine))
    assert code == 1 and "made by the account with user id 9000" in err and "--staff 9000" in err


def test_a_source_name_that_matches_no_chat_is_said(where: list[str]) -> None:
    """(issue: hardening, item 13) It used to import nothing and exit 0."""
    export = str(FIXTURES / "telegram-export-full-account.json")
    code, _, err = run(*where, "import-telegram-export", export, "--staff", "9000", "--source-name", "Nope")
    assert code == 1 and "No chat in " in err and "is named 'Nope'" in err and "Its chats: '" in err
    assert _messages_in(where) == 0


def _import_while_another_holds_the_lock(where: list[str], hold: Any, release: Any) -> None:
    """Start an import while ``hold`` is in force: it says it waits, stores nothing meanwhile, and finishes
    once ``release`` is called (issue: hardening, item 12)."""
    import threading

    export = str(FIXTURES / "telegram-export-single-chat.json")
    assert run(*where, "import-telegram-export", export, "--staff", "9000")[0] == 0  # the log exists
    hold()
    result: list[tuple[int, str, str]] = []
    second = threading.Thread(target=lambda: result.append(run(*where, "import-telegram-export", export)))
    second.start()
    second.join(timeout=3)
    assert second.is_alive() and not result  # waiting, not failing
    release()
    second.join(timeout=30)
    code, out, err = result[0]
    assert code == 0, err
    assert "Another import is writing to this log: this one waits for it to finish" in err
    assert "UNIQUE" not in err and "already in the log" in out


def test_a_second_import_waits_for_the_first(where: list[str]) -> None:
    from filelock import FileLock

    from moderator_app.store.db import open_database
    from moderator_app.store.import_lock import lock_path

    db = open_database(data_dir=Path(where[1]))
    lock = FileLock(lock_path(db))
    db.close()
    _import_while_another_holds_the_lock(where, lock.acquire, lock.release)


def test_a_second_import_waits_for_the_first_on_postgresql(pg_url: str) -> None:
    import psycopg
    from sqlalchemy.engine import make_url

    from moderator_app.store.import_lock import ADVISORY_KEY

    holder = psycopg.connect(make_url(pg_url).set(drivername="postgresql").render_as_string(hide_password=False))
    holder.autocommit = True
    try:
        _import_while_another_holds_the_lock(
            ["--database-url", pg_url],
            lambda: holder.execute("SELECT pg_advisory_lock(%s)", (ADVISORY_KEY,)),
            lambda: holder.execute("SELECT pg_advisory_unlock(%s)", (ADVISORY_KEY,)),
        )
    finally:
        holder.close()


def test_an_import_cut_short_says_exactly_what_it_stored(
    where: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    export = FIXTURES / "telegram-export-single-chat.json"
    whole = export.read_text(encoding="utf-8")
    cut = tmp_path / "result.json"
    cut.write_text(whole[: whole.index('"id": 15,')], encoding="utf-8")
    code, _out, err = run(*where, "import-telegram-export", str(cut), "--staff", "9000")
    assert code == 1 and "truncated" in err
    assert "Stored in the log by this run: 14 messages and " in err and _messages_in(where) == 14
    assert "rerun the same command on the whole file" in err

    from moderator_app.domain.events import MessageRecord
    from moderator_app.store.ingest import SourceIngest

    original = SourceIngest.message

    def interrupted(self: SourceIngest, record: MessageRecord, *, checked: bool = False) -> bool:
        if record.telegram_id == 18:
            raise KeyboardInterrupt
        return original(self, record, checked=checked)

    monkeypatch.setattr(SourceIngest, "message", interrupted)
    code, _out, err = run(*where, "import-telegram-export", str(export))
    assert code == 130
    assert (
        "Stored in the log by this run before it stopped: 0 messages and 0 membership events (14 messages were "
        "already there); the 3 messages of the batch in progress were not stored." in err
    )
    assert _messages_in(where) == 14
    monkeypatch.undo()
    code, out, err = run(*where, "import-telegram-export", str(export))
    assert code == 0 and "messages stored: 6; already in the log: 14" in out, err


def test_import_of_a_missing_or_broken_file(where: list[str], tmp_path: Path) -> None:
    code, _out, err = run(*where, "import-telegram-export", str(tmp_path / "nope.json"), "--staff", "1")
    assert code == 1 and "no such file" in err
    broken = tmp_path / "broken.json"
    broken.write_text(
        '{"name": "x", "type": "private_group", "id": 1, "messages": [{"id": 1, "type": "mess',
        encoding="utf-8",
    )
    code, _, err = run(*where, "import-telegram-export", str(broken), "--staff", "1")
    assert code == 1 and "truncated" in err and str(broken) in err and "byte" in err


def test_standard_set_show_override_and_reset(where: list[str]) -> None:
    run(
        *where,
        "import-telegram-export",
        str(FIXTURES / "telegram-export-single-chat.json"),
        "--staff",
        "9000",
    )
    code, out, err = run(
        *where,
        "standard",
        "set",
        "--target",
        "48h",
        "--mode",
        "business_hours",
        "--hours",
        "Mon-Thu 09:00-12:00,13:00-17:00; Fri 09:00-13:00",
        "--holidays",
        "CA-ON",
        "--closed",
        "2026-12-24,2026-12-31",
        "--timezone",
        "America/Toronto",
        "--warning",
        "20%",
    )
    assert code == 0, err
    assert "Recomputed the due time of 1 open inquiries" in out
    code, out, err = run(*where, "standard", "show")
    assert "48h (business_hours)" in out and "Fri 09:00-13:00" in out and "2026-12-24" in out
    assert "CA-ON" in out and "20%" in out
    code, out, err = run(*where, "standard", "set", "--source", "Welcome Group (Arabic)", "--target", "4h")
    assert code == 0, err
    code, out, err = run(*where, "standard", "show")
    assert "Override for Welcome Group (Arabic)" in out and "4h" in out
    code, out, err = run(*where, "standard", "reset", "--source", "Welcome Group (Arabic)")
    assert code == 0 and "follows the general standard" in out
    code, out, err = run(*where, "standard", "set", "--source", "Nope", "--target", "4h")
    assert code == 1 and "No source is called 'Nope'" in err and "Welcome Group (Arabic)" in err
    code, out, err = run(*where, "standard", "set", "--hours", "Mon-Fri 9-5")
    assert code == 1 and "error:" in err
    code, out, err = run(*where, "standard", "set", "--holidays", "XX-YY")
    assert code == 1 and "error:" in err


def test_changing_the_standard_moves_open_due_times_only(where: list[str], tmp_path: Path) -> None:
    from moderator_app.store.db import open_database
    from moderator_app.store.repositories import InquiryRepository

    run(*where, "standard", "set", "--timezone", "America/Toronto")
    run(
        *where,
        "import-telegram-export",
        str(FIXTURES / "telegram-export-single-chat.json"),
        "--staff",
        "9000",
    )
    db = open_database(data_dir=Path(where[1]))

    def dues() -> dict[int, object]:
        from sqlalchemy import select

        from moderator_app.store.models import Inquiry

        with db.sessions() as session:
            return {i.question_telegram_id: i.due_at for i in session.scalars(select(Inquiry))}

    before = dues()
    assert len(InquiryRepository(db).open_inquiries()) == 1
    run(*where, "standard", "set", "--target", "72h")
    after = dues()
    assert after[20] != before[20]  # the open one is re-measured
    assert after[4] == before[4] and after[9] == before[9]  # answered ones keep their standard
    db.close()


def test_referrals_round_trip_and_bad_file(where: list[str], tmp_path: Path) -> None:
    library = tmp_path / "partners.csv"
    write_referral_csv(library)
    code, out, err = run(*where, "referrals", "import", str(library))
    assert code == 0 and "12 organizations added" in out
    code, out, err = run(*where, "referrals", "import", str(library))
    assert code == 0 and "0 organizations added, 12 updated" in out
    exported = tmp_path / "out.csv"
    code, out, err = run(*where, "referrals", "export", str(exported))
    assert code == 0 and "Wrote 12 organizations" in out
    with exported.open(encoding="utf-8-sig") as handle:
        assert len(list(csv.DictReader(handle))) == 12
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "name,aliases,phone,website,topics,languages\nGood,,613-555-0100,good.example.org,,en\n,,,,,\n",
        encoding="utf-8",
    )
    code, out, err = run(*where, "referrals", "import", str(bad))
    assert code == 1 and "row 3" in err
    code, out, err = run(*where, "referrals", "export", str(exported))
    assert "Wrote 12 organizations" in out  # nothing from the bad file


def test_canned_answer_library_starter_round_trip_and_bad_file(where: list[str], tmp_path: Path) -> None:
    code, out, err = run(*where, "library", "import", "starter")
    assert code == 0 and "22 added, 0 updated" in out, err
    code, out, _ = run(*where, "library", "list")
    assert code == 0 and "health-card\tHealth card\ten,fr,ar,fa,zh\tused 0\tto review" in out
    for name in ("out.xlsx", "out.csv", "out.yaml"):
        code, out, err = run(*where, "library", "export", str(tmp_path / name))
        assert code == 0 and "Wrote 22 canned answers" in out, err
        code, out, err = run(*where, "library", "import", str(tmp_path / name))
        assert code == 0 and "0 added, 22 updated" in out, err
    bad = tmp_path / "bad.yaml"
    bad.write_text("format: moderator-app canned answers 1\nanswers:\n  - {title: X, shortcut: 'X Y'}\n", "utf-8")
    code, out, err = run(*where, "library", "import", str(bad))
    assert code == 1 and "nothing was imported" in err and "answer 1" in err
    code, out, _ = run(*where, "library", "list")
    assert len(out.splitlines()) == 22  # nothing from the bad file


def test_library_search_uses_the_logs_index(where: list[str], tmp_path: Path) -> None:
    run(*where, "library", "import", "starter")
    code, out, _ = run(*where, "library", "search", "بالمدرسة", "--language", "ar", "--limit", "1")
    assert code == 0 and out.startswith("school-registration\tar\tSchool registration\t")
    code, out, _ = run(*where, "library", "search", "inscri", "--language", "fr")
    assert code == 0 and all(line.split("\t")[1] == "fr" for line in out.splitlines())
    code, out, _ = run(*where, "library", "search", "qqqq")
    assert code == 1 and "Nothing in the library matches 'qqqq'" in out
    csv = tmp_path / "partners.csv"
    csv.write_text("name,aliases,phone,website,topics,languages\nCentre Accueil,CAF,416-555-0199,caf.org,housing,fr\n")
    run(*where, "referrals", "import", str(csv))
    code, out, _ = run(*where, "library", "search", "accue", "--partners")
    assert code == 0 and out == "Centre Accueil\t416-555-0199\tcaf.org\n"


def test_report_arguments_are_checked(where: list[str], tmp_path: Path) -> None:
    code, out, err = run(*where, "report", "--from", "2026-13", "--to", "2026-12", "--output", str(tmp_path / "r.csv"))
    assert code == 1 and "YYYY-MM" in err
    code, _out, err = run(*where, "report", "--from", "2026-05", "--to", "2026-01", "--output", str(tmp_path / "r.csv"))
    assert code == 1 and "empty" in err
    code, _, err = run(*where, "report", "--from", "2026-01", "--to", "2026-02", "--output", str(tmp_path / "r.txt"))
    assert code == 1 and "csv, xlsx or pdf" in err


@pytest.mark.parametrize(
    "command",
    [
        ("report", "--from", "2026-01", "--to", "2026-02", "--format", "{fmt}", "--output"),
        ("referrals", "export"),
        ("library", "export"),
    ],
)
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_writing_where_it_cannot_be_written_is_said_in_a_sentence(
    where: list[str], tmp_path: Path, command: tuple[str, ...], fmt: str
) -> None:
    """A missing folder, a folder given as the file, a full disk: a sentence and exit 1, no traceback, and no
    half-written file left (issue: hardening, item 7)."""
    args = [part.format(fmt=fmt) for part in command]
    code, _, err = run(*where, *args, str(tmp_path / "missing" / f"out.{fmt}"))
    assert code == 1 and err.startswith("error: The folder ") and "does not exist" in err
    assert not (tmp_path / "missing").exists()
    code, _, err = run(*where, *args, str(tmp_path))
    assert code == 1 and "is a folder" in err
    if command[0] == "report" and Path("/dev/full").exists():  # exports name their format by the suffix
        code, _, err = run(*where, *args, "/dev/full")
        assert code == 1 and "could not be written (No space left on device)" in err, err
    assert "Traceback" not in err


def test_report_on_postgresql(pg_url: str, tmp_path: Path) -> None:
    where = ["--database-url", pg_url]
    run(*where, "standard", "set", "--timezone", "America/Toronto")
    code, _out, err = run(
        *where,
        "import-telegram-export",
        str(FIXTURES / "telegram-export-full-account.json"),
        "--staff",
        "9000",
    )
    assert code == 0, err
    path = tmp_path / "r.csv"
    code, _, err = run(*where, "report", "--from", "2025-08", "--to", "2025-09", "--output", str(path))
    assert code == 0, err
    values = read_csv(path)
    assert values[("2025-09", "all", "inquiries")] == "4"
    assert values[("2025-09", "all", "total")] == "11"
    xlsx = tmp_path / "r.xlsx"
    assert run(*where, "report", "--from", "2025-09", "--to", "2025-09", "--output", str(xlsx))[0] == 0
    log = openpyxl.load_workbook(xlsx)["Inquiry log"]
    members = [row[2] for row in log.iter_rows(min_row=2, values_only=True) if row[0]]
    assert members and all(str(m).startswith("M-") for m in members)  # pseudonymized, not names


def test_every_import_is_recorded_with_its_outcome(where: list[str], tmp_path: Path) -> None:
    from moderator_app.store.db import open_database
    from moderator_app.store.repositories import ImportRunRepository

    export = FIXTURES / "telegram-export-single-chat.json"
    assert run(*where, "import-telegram-export", str(export), "--staff", "9000")[0] == 0
    broken = tmp_path / "broken.json"
    broken.write_text(export.read_text(encoding="utf-8")[:3000], encoding="utf-8")
    assert run(*where, "import-telegram-export", str(broken))[0] == 1
    db = open_database(data_dir=Path(where[1]))
    (failed_path, failed, _, failed_summary), (done_path, done, _, done_summary) = ImportRunRepository(db).recent()
    db.close()
    assert (done, failed) == ("done", "failed")
    assert done_path.endswith("telegram-export-single-chat.json") and done_summary is not None
    assert done_summary["messages_stored"] == 20 and done_summary["inquiries_opened"] == 3
    assert failed_summary is not None and "truncated" in str(failed_summary["error"])


def test_inbox_lists_open_inquiries_most_urgent_first(where: list[str]) -> None:
    import json

    code, out, _ = run(*where, "inbox")
    assert code == 0 and "No open inquiries." in out
    run(*where, "standard", "set", "--timezone", "America/Toronto")
    run(*where, "import-telegram-export", str(FIXTURES / "telegram-export-full-account.json"), "--staff", "9000")
    code, out, err = run(*where, "inbox", "--json")
    assert code == 0, err
    items = json.loads(out)
    assert [i["text"] for i in items] == ["Comment puis-je obtenir une carte santé"]
    item = items[0]
    assert item["source"] == "Welcome Group (Arabic)" and item["member"] == "Karim" and item["state"] == "open"
    assert item["language"] == "fr" and item["overdue"] is True
    assert item["arrival"] == "2025-09-08T09:41:00-04:00" and item["due"] == "2025-09-09T09:41:00-04:00"
    code, out, _ = run(*where, "inbox", "--json", "--source", "Newcomer News")
    assert code == 0 and json.loads(out) == []
    code, out, _ = run(*where, "inbox")
    assert "OVERDUE" in out and "Karim: Comment puis-je" in out


def test_end_startup_freezes_what_was_loaded_and_turns_the_collector_back_on() -> None:
    import gc

    from moderator_app.process import end_startup

    assert gc.isenabled()
    end_startup()  # the collector was not paused: nothing happens
    assert gc.isenabled() and gc.get_freeze_count() == 0
    gc.disable()
    try:
        end_startup()
        assert gc.isenabled() and gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
        gc.enable()


def test_the_console_entry_point_runs_a_command(tmp_path: Path) -> None:
    """``python -m moderator_app`` goes through moderator_app.launch (the collector paused while the modules
    load), as the installed ``moderator-app`` script does."""
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-m", "moderator_app", "--data-dir", str(tmp_path), "standard", "show"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "Service standard (all sources)" in done.stdout


def test_rederiving_the_toolkit_year_reproduces_table6(tmp_path: Path, where: list[str]) -> None:
    """Replaying a year through the rules again (after an upgrade) gives the figures the import gave: the
    re-derivation and the import follow one set of rules."""
    from moderator_app.store.db import open_database
    from moderator_app.store.repositories import SettingsRepository

    import_toolkit_year(tmp_path, where)
    before = tmp_path / "before.csv"
    after = tmp_path / "after.csv"
    assert run(*where, "report", "--from", "2017-03", "--to", "2018-02", "--output", str(before))[0] == 0
    db = open_database(data_dir=tmp_path / "data")
    SettingsRepository(db).set("rules.version", 1)  # as migration 0012 marks a log upgraded with history
    db.close()
    code, out, err = run(*where, "report", "--from", "2017-03", "--to", "2018-02", "--output", str(after))
    assert code == 0, err
    assert "re-deriving the history" in err and "Message roles changed: 0" in err
    assert read_csv(after) == read_csv(before)
    code, out, err = run(*where, "rederive")
    assert code == 0 and "Sources re-derived: 1" in out and "re-deriving the history" not in err


def test_the_answer_window_is_set_with_the_standard(where: list[str]) -> None:
    code, out, err = run(*where, "standard", "set", "--answer-window", "90m")
    assert code == 0, err
    assert "within 1 h 30 min" in out
    assert "within 1 h 30 min" in run(*where, "standard", "show")[1]
    code, out, err = run(*where, "standard", "set", "--answer-window", "soon")
    assert code == 1 and "24h" in err


def test_report_inquiries_writes_one_pseudonymised_row_per_inquiry(tmp_path: Path, where: list[str]) -> None:
    """Issue 19, item 4: the per-inquiry CSV holds exactly the XLSX inquiry log's rows, members pseudonymised."""
    import_toolkit_year(tmp_path, where)
    rows_csv = tmp_path / "inquiries.csv"
    code, out, err = run(
        *where, "report", "--from", "2017-09", "--to", "2017-10", "--inquiries", "--output", str(rows_csv)
    )
    assert code == 0, err
    with rows_csv.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert f"Wrote {len(rows):,} inquiries" in out and rows
    xlsx = tmp_path / "sept.xlsx"
    assert run(*where, "report", "--from", "2017-09", "--to", "2017-10", "--output", str(xlsx))[0] == 0
    log = openpyxl.load_workbook(xlsx)["Inquiry log"]
    logged = [row[-1] for row in log.iter_rows(min_row=2, values_only=True) if row[-1] is not None]
    assert sorted(int(r["inquiry_id"]) for r in rows) == sorted(logged)
    assert {r["arrival"][:7] for r in rows} <= {"2017-09", "2017-10"}
    assert all(r["member"] and not r["member"].isdigit() for r in rows)  # pseudonyms, never Telegram ids
    assert {r["met_standard"] for r in rows} <= {"yes", "no", ""}
    # The tables' format is refused with --inquiries: the XLSX already has the log as a sheet.
    code, _, err = run(
        *where, "report", "--from", "2017-09", "--to", "2017-10", "--inquiries", "--output", str(tmp_path / "x.xlsx")
    )
    assert code != 0 and "--inquiries writes CSV" in err


def test_report_of_two_dates_is_one_column_for_the_period(tmp_path: Path, where: list[str]) -> None:
    """Issue 19, item 2: months give a column each; a date gives one column, whose additive counts are the
    months' sums and whose distinct participants are counted over the period, not added up."""
    import_toolkit_year(tmp_path, where)
    monthly, quarter = tmp_path / "monthly.csv", tmp_path / "quarter.csv"
    assert run(*where, "report", "--from", "2017-09", "--to", "2017-11", "--output", str(monthly))[0] == 0
    code, out, err = run(*where, "report", "--from", "2017-09", "--to", "2017-11-30", "--output", str(quarter))
    assert code == 0, err
    with monthly.open(encoding="utf-8", newline="") as handle:
        by_month = list(csv.DictReader(handle))
    with quarter.open(encoding="utf-8", newline="") as handle:
        whole = list(csv.DictReader(handle))
    assert {row["period"] for row in whole} == {"2017-09-01..2017-11-30"}

    def total(rows: list[dict[str, str]], metric: str) -> int:
        return sum(int(r["value"] or 0) for r in rows if r["source"] == "all" and r["metric"] == metric)

    for metric in ("inquiries", "information", "referrals", "posts", "members_joined"):
        assert total(whole, metric) == total(by_month, metric), metric
    assert total(whole, "inquiries") > 0
    assert 0 < total(whole, "participants") <= total(by_month, "participants")
    code, _, err = run(*where, "report", "--from", "2017-02-30", "--to", "2017-03", "--output", str(quarter))
    assert code == 1 and "YYYY-MM-DD" in err
