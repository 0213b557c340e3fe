"""moderation log on an imported export: the removals, additions and join requests history holds, as CSV
and XLSX, with strangers' names kept as text."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import openpyxl

from moderator_app.cli.main import main
from tests.conftest import FIXTURES


def run(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(args), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def test_moderation_log_lists_an_imported_exports_removals_and_joins(tmp_path: Path) -> None:
    where = ["--data-dir", str(tmp_path / "data")]
    export = json.loads((FIXTURES / "telegram-export-single-chat.json").read_text(encoding="utf-8"))
    for message in export["messages"]:  # a name a spreadsheet would run as a formula
        if message.get("action") == "remove_members" and message.get("actor_id") == "user9000":
            message["members"] = ['=HYPERLINK("http://x")']
    path = tmp_path / "result.json"
    path.write_text(json.dumps(export, ensure_ascii=False), encoding="utf-8")
    code, _, err = run(*where, "import-telegram-export", str(path), "--staff", "9000")
    assert code == 0, err

    output = tmp_path / "record.csv"
    code, out, err = run(
        *where, "moderation", "log", "--from", "2025-09-01", "--to", "2025-09-30", "--output", str(output)
    )
    assert code == 0, err
    assert "moderation actions from 2025-09-01 to 2025-09-30" in out
    with output.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    seen = [(r["action"], r["member"], r["by"], r["origin"]) for r in rows]
    assert ("removed in Telegram", '\'=HYPERLINK("http://x")', "Settlement Org", "history") in seen
    assert ("added", "Omar K", "Settlement Org", "history") in seen and (
        "added",
        "Samira",
        "Settlement Org",
        "history",
    ) in seen
    assert any(action == "join request approved" for action, *_ in seen)
    assert not any(member == "Samira" and action == "removed in Telegram" for action, member, *_ in seen)  # she left
    assert [r["time"] for r in rows] == sorted(r["time"] for r in rows)

    workbook = tmp_path / "record.xlsx"
    code, _, err = run(
        *where, "moderation", "log", "--from", "2025-09-01", "--to", "2025-09-30", "--output", str(workbook)
    )
    assert code == 0, err
    sheet = openpyxl.load_workbook(workbook).active
    assert sheet is not None
    cells = [[c.value for c in row] for row in sheet.iter_rows(min_row=2)]
    removal = next(row for row in cells if row[3] == "removed in Telegram")
    assert removal[2] == '=HYPERLINK("http://x")'  # stored as text: a spreadsheet shows it, never runs it
    assert next(c for c in sheet.iter_rows(min_row=2) if c[3].value == "removed in Telegram")[2].data_type == "s"

    code, _, err = run(*where, "moderation", "log", "--from", "2025-09", "--to", "2025-09-30", "--output", str(output))
    assert code == 1 and "YYYY-MM-DD" in err
    code, _, err = run(
        *where, "moderation", "log", "--from", "2025-10-01", "--to", "2025-09-30", "--output", str(output)
    )
    assert code == 1 and "before" in err
