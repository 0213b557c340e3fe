"""What every command shares: the error a person can fix, output files, progress on a terminal."""

from __future__ import annotations

import argparse
import contextlib
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from moderator_app.store.db import (
    Database,
)

if TYPE_CHECKING:
    pass


class UserError(Exception):
    """Something the person running the command can fix; printed without a traceback."""


def check_output(path: Path) -> None:
    """A file a person named for writing: not a folder, in a folder that exists (said before any work)."""
    if path.is_dir():
        raise UserError(f"{path} is a folder: give the name of a file in it, such as {path / 'report.csv'}.")
    if not path.parent.is_dir():
        raise UserError(f"The folder {path.parent} does not exist: create it first, or choose another place.")


@contextlib.contextmanager
def writing_to(path: Path) -> Iterator[None]:
    """Around writing a file a person named (a report, an export): a missing folder, a folder given as the
    file, a full disk or a refused permission is said in a sentence, and a file left half-written by the
    failure is removed (never a device such as /dev/full, never a file that was there before)."""
    check_output(path)
    existed = path.exists()
    try:
        yield
    except OSError as exc:
        if not existed and path.is_file():
            path.unlink(missing_ok=True)
        reason = exc.strerror or str(exc)
        raise UserError(f"{path} could not be written ({reason}): nothing was saved there.") from exc


class TerminalProgress:
    """A one-line progress bar on a terminal; silent when output is redirected."""

    def __init__(self, stream: TextIO, label: str, *, unit: str = "MB") -> None:
        self.stream = stream
        self.label = label
        self.unit = unit
        self.enabled = stream.isatty()
        self._last = 0.0
        self._started = time.monotonic()

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if now - self._last < 0.1 and done < total:
            return
        self._last = now
        fraction = done / total if total else 1.0
        width = 30
        bar = "#" * int(fraction * width)
        if self.unit == "MB":
            rate = done / max(now - self._started, 1e-6) / 1e6
            amount = f"{done / 1e6:,.1f}/{total / 1e6:,.1f} MB ({rate:.1f} MB/s)"
        else:
            amount = f"{done:,}/{total:,} {self.unit}"
        self.stream.write(f"\r{self.label} [{bar:<{width}}] {fraction:6.1%} {amount}")
        self.stream.flush()

    def close(self) -> None:
        if self.enabled:
            self.stream.write("\n")
            self.stream.flush()


def parse_ids(text: str) -> list[int]:
    ids = []
    for part in text.split(","):
        part = part.strip().removeprefix("user")
        if not part.isdigit():
            raise UserError(
                f"--staff takes numeric Telegram user ids separated by commas (e.g. --staff 9000,9001); "
                f"{part!r} is not one"
            )
        ids.append(int(part))
    return ids


Handler = Callable[[Database, argparse.Namespace, TextIO, TextIO], int]
