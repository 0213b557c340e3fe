"""What the whole process shares, set up once: the collector after start-up, the notes file, the hooks for
errors nobody caught. (``launch.py`` is the console script's entry and only loads the app.)
"""

from __future__ import annotations

import gc
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import TextIO


def end_startup() -> None:
    """Everything allocated so far lives as long as the process: no collection need look at it again.
    Does nothing when the collector was not paused by :func:`main` (tests, embedding)."""
    if not gc.isenabled():
        gc.freeze()
        gc.enable()


#: Kept this many bytes per file, and this many older files: weeks of a busy connector's notes.
LOG_BYTES = 2_000_000
LOG_BACKUPS = 5


def setup_logging(
    log_dir: Path | None,
    *,
    verbose: bool = False,
    stream: TextIO | None = None,
    console_level: int | None = None,
) -> Path | None:
    """Where the app's notes go: a rotating file in ``log_dir`` (readable by the user only, as the log is)
    and warnings on stderr (``stream``; from ``console_level`` up, for a headless connector whose terminal or
    journal is read). Returns the file, or None when it could not be opened (a read-only home: the app still
    runs, with stderr only)."""
    import logging
    import logging.handlers
    import os

    root = logging.getLogger()
    for old in [h for h in root.handlers if getattr(h, "moderator_app", False)]:
        root.removeHandler(old)  # set up again (a second window in one process): not twice
        old.close()
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
    console = logging.StreamHandler(stream)
    console.moderator_app = True  # type: ignore[attr-defined]
    console.setLevel(console_level if console_level is not None else logging.DEBUG if verbose else logging.WARNING)
    console.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    root.addHandler(console)
    if log_dir is None:
        return None
    path = log_dir / "moderator-app.log"
    try:
        log_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        handler = logging.handlers.RotatingFileHandler(
            path, maxBytes=LOG_BYTES, backupCount=LOG_BACKUPS, encoding="utf-8"
        )
        os.chmod(path, 0o600)
    except OSError as exc:
        root.warning("no log file in %s (%s): notes go to the terminal only", log_dir, exc)
        return None
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(threadName)s %(name)s: %(message)s"))
    handler.moderator_app = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    return path


def install_excepthook(report: Callable[[str], object] | None = None) -> Callable[[], None]:
    """An error nobody caught (in a slot, on a worker thread) is logged with its traceback and, in the
    window, ``report`` says it in a sentence, instead of a traceback on a terminal nobody reads. The app
    goes on: the log's transactions keep what was committed. Returns the call that puts the previous hooks
    back (when the window closes)."""
    import logging
    import sys
    import threading

    log = logging.getLogger("moderator_app")

    def hook(kind: type[BaseException], value: BaseException, trace: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, value, trace)
            return
        log.critical("uncaught error", exc_info=(kind, value, trace))
        if report is not None:
            report(f"{kind.__name__}: {value}")

    def thread_hook(args: threading.ExceptHookArgs) -> None:
        if args.exc_value is not None:
            hook(args.exc_type, args.exc_value, args.exc_traceback)

    previous = sys.excepthook, threading.excepthook
    sys.excepthook = hook
    threading.excepthook = thread_hook

    def restore() -> None:
        sys.excepthook, threading.excepthook = previous

    return restore
