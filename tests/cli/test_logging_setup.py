"""(issue 16) The window keeps notes in a file only its user can read, and an error nobody caught is
logged with its traceback and said in a sentence instead of lost on a terminal."""

from __future__ import annotations

import logging
import stat
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from moderator_app.process import install_excepthook, setup_logging


@pytest.fixture
def clean_root() -> Iterator[None]:
    root = logging.getLogger()
    before, level = list(root.handlers), root.level
    yield
    for handler in [h for h in root.handlers if h not in before]:
        root.removeHandler(handler)
        handler.close()
    root.setLevel(level)


def test_uncaught_errors_are_logged_and_reported(tmp_path: Path, clean_root: None) -> None:
    path = setup_logging(tmp_path / "logs")
    assert path is not None and stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE((tmp_path / "logs").stat().st_mode) == 0o700
    setup_logging(tmp_path / "logs")  # set up twice: one file handler, not two
    ours = [h for h in logging.getLogger().handlers if getattr(h, "moderator_app", False)]
    assert sum(isinstance(h, logging.FileHandler) for h in ours) == 1 and len(ours) == 2
    reported: list[str] = []
    restore = install_excepthook(reported.append)
    try:
        try:
            raise LookupError("no such inquiry")
        except LookupError:
            sys.excepthook(*sys.exc_info())  # type: ignore[arg-type]
        worker = threading.Thread(target=lambda: 1 / 0, name="worker")
        worker.start()
        worker.join()
    finally:
        restore()
    assert reported == ["LookupError: no such inquiry", "ZeroDivisionError: division by zero"]
    for handler in logging.getLogger().handlers:
        handler.flush()
    notes = path.read_text(encoding="utf-8")
    assert "uncaught error" in notes and "LookupError: no such inquiry" in notes and "Traceback" in notes
    assert "ZeroDivisionError" in notes and " worker " in notes
    assert sys.excepthook is not None and threading.excepthook is not None


def test_a_folder_that_cannot_be_written_leaves_the_terminal(tmp_path: Path, clean_root: None) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    assert setup_logging(blocked / "logs") is None


def test_the_headless_connector_keeps_notes_beside_its_log(tmp_path: Path) -> None:
    """`moderator-app connector` (a team's, under systemd) writes the same notes file as the window, readable
    by the user only, and says there why it stopped (here: no keyring to read the session from)."""
    import os
    import subprocess
    import sys

    data_dir = tmp_path / "data"
    environment = {**os.environ, "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}
    done = subprocess.run(
        [sys.executable, "-m", "moderator_app", "--data-dir", str(data_dir), "connector"],
        capture_output=True,
        text=True,
        env=environment,
        timeout=60,
    )
    assert done.returncode != 0
    notes = data_dir / "logs" / "moderator-app.log"
    assert (notes.stat().st_mode & 0o777) == 0o600
    text = notes.read_text(encoding="utf-8")
    assert "connector starting for sqlite:///" in text
    assert "stopped: The app keeps the Telegram session and API hash only in the system keyring" in text
    assert "INFO moderator_app.connector: connector starting" in done.stderr  # and on the terminal
