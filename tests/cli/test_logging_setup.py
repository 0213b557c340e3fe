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
