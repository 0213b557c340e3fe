"""Ctrl+C during an import stops it between two messages: what it read is stored, the log is not left
locked, the run is recorded as interrupted, and the same command resumes (issue: hardening, item 9: it hung
5 s, said the database was locked and left the run 'running')."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from tests.support.exportgen import bulk_group_export

MESSAGES = 120_000


def _count(database: Path, sql: str) -> int:
    if not database.exists():
        return 0
    try:
        with sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=1) as connection:
            return int(connection.execute(sql).fetchone()[0])
    except sqlite3.OperationalError:
        return 0  # not created yet


def test_ctrl_c_stops_cleanly_and_the_same_command_resumes(tmp_path: Path) -> None:
    export = tmp_path / "result.json"
    bulk_group_export(export, MESSAGES)
    data = tmp_path / "log"
    command = [sys.executable, "-m", "moderator_app", "--data-dir", str(data), "import-telegram-export", str(export)]
    database = data / "moderator.sqlite3"
    first = subprocess.Popen([*command, "--staff", "9000"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while _count(database, "SELECT count(*) FROM messages") == 0 and first.poll() is None:
        assert time.monotonic() < deadline, "the import stored nothing in a minute"
        time.sleep(0.05)
    first.send_signal(signal.SIGINT)
    _, err = first.communicate(timeout=60)
    assert first.returncode == 130, err
    assert "Stopped as asked." in err and "Run the same command again to resume" in err
    assert "locked" not in err and "Traceback" not in err
    stored = _count(database, "SELECT count(*) FROM messages")
    assert 0 < stored < MESSAGES
    assert f"Stored in the log by this run before it stopped: {stored:,} messages" in err
    with sqlite3.connect(database) as connection:
        assert connection.execute("SELECT status FROM import_runs ORDER BY id DESC").fetchone()[0] == "interrupted"

    again = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert again.returncode == 0, again.stderr
    assert _count(database, "SELECT count(*) FROM messages") == MESSAGES
    assert f"already in the log: {stored:,}" in again.stdout
