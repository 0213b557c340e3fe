"""JSON nested deeper than any Telegram export is refused while streaming, before the parser's memory grows
with the square of the depth (30,000 levels in 60 KB took 2.3 GB); text that merely holds brackets is not
(issue: hardening, item 6)."""

from __future__ import annotations

import json
import resource
from pathlib import Path

import pytest

from moderator_app.importers.export_reader import MAX_NESTING, ExportError
from moderator_app.store.db import Database
from moderator_app.store.models import Message
from tests.support.exports import count, run_import

HEAD = '{"name": "G", "type": "private_supergroup", "id": 1700000123, "messages": ['
MESSAGE = (
    '{"id": %d, "type": "message", "date": "2026-11-02T10:00:00", "date_unixtime": "1793700000", '
    '"from": "Amal", "from_id": "user1", "text": %s}'
)


def _file(tmp_path: Path, *texts: str) -> Path:
    path = tmp_path / "result.json"
    path.write_text(HEAD + ", ".join(MESSAGE % (i + 1, t) for i, t in enumerate(texts)) + "]}", encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "nested",
    [
        "[" * 30_000 + "]" * 30_000,  # the audit's file
        "[1, " * 5_000 + "1" + "]" * 5_000,  # values between the levels
        '{"a": ' * 5_000 + "1" + "}" * 5_000,  # keys between the levels
    ],
)
def test_deep_nesting_is_refused_before_it_is_parsed(sqlite_db: Database, tmp_path: Path, nested: str) -> None:
    padding = json.dumps("x" * 70_000)  # the nesting starts past the first read: it straddles two
    path = _file(tmp_path, padding, nested)
    memory_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with pytest.raises(ExportError, match=f"nests more than {MAX_NESTING} levels deep"):
        run_import(sqlite_db, path)
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - memory_before < 300_000  # kilobytes
    assert count(sqlite_db, Message) <= 1  # at most the message read before the nesting


def test_brackets_typed_in_a_message_are_text(sqlite_db: Database, tmp_path: Path) -> None:
    path = tmp_path / "result.json"
    data = json.loads(_file(tmp_path, json.dumps("[" * 200 + " where is the office? " + "{" * 100)).read_text())
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")  # as Telegram writes it
    assert run_import(sqlite_db, path).counts.messages_stored == 1
