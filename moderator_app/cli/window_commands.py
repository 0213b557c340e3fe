"""The window's File menu runs the command line's own commands (ui/access.FileCommands).

Given ``run`` (cli.main.run_for_window) rather than importing it: cli.main builds this for the window, and
the window's module must not import the command line back.
"""

from __future__ import annotations

import concurrent.futures
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Protocol

from moderator_app.store.db import Database


class Run(Protocol):
    def __call__(
        self,
        argv: Sequence[str],
        *,
        progress: Callable[[int, int], None] | None = None,
        stop: threading.Event | None = None,
    ) -> tuple[int, str]: ...


class WindowCommands:
    """The window's File menu runs the command line's own commands (ui/access.FileCommands), one at a time on
    a thread of their own (an import takes minutes; the database worker stays free for the window), on the
    window's log, so their checks and sentences are the command line's."""

    def __init__(self, db: Database, run: Run) -> None:
        self._run_command = run
        self._where = ["--database-url", db.url] if db.data_dir is None else ["--data-dir", str(db.data_dir)]
        self._pool = concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="file-command")

    def _run(
        self, *argv: str, progress: Callable[[int, int], None] | None = None, stop: threading.Event | None = None
    ) -> concurrent.futures.Future[tuple[bool, str]]:
        def run() -> tuple[bool, str]:
            code, said = self._run_command([*self._where, *argv], progress=progress, stop=stop)
            return code == 0, said

        return self._pool.submit(run)

    def import_export(
        self, path: Path, progress: Callable[[int, int], None], stop: threading.Event, staff: str = ""
    ) -> concurrent.futures.Future[tuple[bool, str]]:
        given = ["--staff", staff] if staff else []
        return self._run("import-telegram-export", str(path), *given, progress=progress, stop=stop)

    def import_library(self, path: Path) -> concurrent.futures.Future[tuple[bool, str]]:
        return self._run("library", "import", str(path))

    def export_library(self, path: Path) -> concurrent.futures.Future[tuple[bool, str]]:
        return self._run("library", "export", str(path))

    def import_partners(self, path: Path) -> concurrent.futures.Future[tuple[bool, str]]:
        return self._run("referrals", "import", str(path))

    def export_partners(self, path: Path) -> concurrent.futures.Future[tuple[bool, str]]:
        return self._run("referrals", "export", str(path))

    def export_report(
        self, first: str, last: str, path: Path, source: str | None = None
    ) -> concurrent.futures.Future[tuple[bool, str]]:
        one = ["--source", source] if source else []
        return self._run("report", "--from", first, "--to", last, *one, "--output", str(path))

    def close(self) -> None:
        self._pool.shutdown(wait=True)
