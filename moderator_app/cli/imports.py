"""import-telegram-export: a Telegram Desktop export into the log, one import at a time, resumable."""

from __future__ import annotations

import argparse
import contextlib
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO
from zoneinfo import ZoneInfo

from moderator_app.domain.referrals import ReferralMatcher
from moderator_app.importers.export_reader import ExportError
from moderator_app.store.db import (
    Database,
)
from moderator_app.store.months import month_keyer
from moderator_app.store.repositories import (
    ImportRunRepository,
    ReferralRepository,
    SettingsRepository,
    StandardRepository,
)

if TYPE_CHECKING:
    from moderator_app.importers.telegram_export import ImportSummary
from moderator_app.cli.common import TerminalProgress, UserError, parse_ids


def cmd_import(db: Database, args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    # The importer and the statistics load with their commands: the window does not need them at start.
    from moderator_app.store.import_lock import one_import_at_a_time

    settings = SettingsRepository(db)
    staff = settings.add_staff(parse_ids(args.staff)) if args.staff else settings.staff_ids()
    path = Path(args.path)
    if not path.is_file():
        raise UserError(f"{path}: no such file. Give the path of the export's result.json.")
    if args.source_name:
        _check_source_name(path, args.source_name)
    if not staff:
        _check_no_staff_needed(path, args.source_name)

    def waiting() -> None:
        print("Another import is writing to this log: this one waits for it to finish, then goes on.", file=err)

    with one_import_at_a_time(db, waiting):
        return _import_locked(db, args, out, err, path, staff)


def _import_locked(
    db: Database, args: argparse.Namespace, out: TextIO, err: TextIO, path: Path, staff: frozenset[int]
) -> int:
    """The import itself, the log's import lock held (the members it knows stay the log's)."""
    from moderator_app.importers.telegram_export import ExportImporter, ImportStopped
    from moderator_app.store.examples import ExampleRepository
    from moderator_app.store.ingest import Ingestor

    settings = SettingsRepository(db)
    standards = StandardRepository(db)
    ingestor = Ingestor(
        db,
        staff=staff,
        matcher=ReferralMatcher(ReferralRepository(db).all()),
        clocks=standards.clocks(),
        month_of=month_keyer(db),
        detector=ExampleRepository(db).detector(),
        answer_window=settings.answer_window(),
        urgent_words=settings.urgent_words(),
    )
    progress = TerminalProgress(err, "Importing")
    told: Callable[[int, int], None] | None = getattr(args, "progress", None)  # the window's progress bar
    stop: threading.Event | None = getattr(args, "stop", None)  # the window's Cancel

    def report(done: int, total: int) -> None:
        if stop is not None and stop.is_set():
            importer.stop_requested = True  # between two messages, as Ctrl+C asks
        if told is not None:
            told(done, total)
        else:
            progress(done, total)

    importer = ExportImporter(
        ingestor,
        ZoneInfo(standards.global_standard().timezone),
        source_name=args.source_name,
        on_progress=report,
    )
    runs = ImportRunRepository(db)
    run_id = runs.start(str(path.resolve()))
    try:
        with _stop_on_ctrl_c(importer, err):
            summary = importer.run(path)
    except ImportStopped:
        progress.close()
        runs.finish(run_id, "interrupted", summary_dict(importer.summary))
        assert importer.summary is not None
        print("\n".join(["Stopped as asked.", *importer.summary.stopped_lines(file_error=False)]), file=err)
        return 130
    except BaseException as exc:
        progress.close()
        runs.finish(run_id, "failed", {"error": str(exc) or type(exc).__name__, **summary_dict(importer.summary)})
        if importer.summary is None:  # stopped before reading a message (not an export): nothing stored
            raise
        stopped = "\n".join(importer.summary.stopped_lines(file_error=isinstance(exc, ExportError)))
        if isinstance(exc, ExportError):
            raise UserError(f"{exc}.\n{stopped}") from exc
        print(stopped, file=err)  # before the error itself is reported
        raise
    progress.close()
    runs.finish(run_id, "done", summary_dict(summary))
    for line in summary.lines():
        print(line, file=out)
    return 0


@contextlib.contextmanager
def _stop_on_ctrl_c(importer: Any, err: TextIO) -> Iterator[None]:
    """The first Ctrl+C asks the import to stop between two messages (what it read is stored, the log is left
    unlocked, the run is recorded as interrupted); a second one interrupts at once, as Python does."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.getsignal(signal.SIGINT)

    def ask_to_stop(signum: int, frame: Any) -> None:
        importer.stop_requested = True
        print("\nStopping after the message being read (Ctrl+C again stops at once)…", file=err)
        signal.signal(signal.SIGINT, previous)

    signal.signal(signal.SIGINT, ask_to_stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def _check_source_name(path: Path, source_name: str) -> None:
    """In a whole-account export, --source-name picks the chat of that name: one that matches none is said
    (with the chats there are), not an import that stores nothing and exits 0."""
    from moderator_app.importers.export_reader import scan_chats

    contents = scan_chats(path)
    if contents.layout.kind != "account" or any(c.name == source_name for c in contents.chats):
        return
    names = sorted({c.name for c in contents.chats if c.name})
    shown = ", ".join(repr(n) for n in names[:20]) + (f" and {len(names) - 20} more" if len(names) > 20 else "")
    raise UserError(
        f"No chat in {path} is named {source_name!r} (names must match exactly). Its chats: {shown or 'none'}."
    )


def _check_no_staff_needed(path: Path, source_name: str | None) -> None:
    """Without staff ids an import can still log channels (their posts are the channel's own); groups and
    private chats need them, or staff answers would count as members' questions. Refuse before storing
    anything, naming the chats that need them: a file of channels only asks for no ids it does not need."""
    import shlex

    from moderator_app.domain.events import EXPORT_CHAT_TYPES, SourceKind
    from moderator_app.importers.export_reader import scan_chats
    from moderator_app.importers.telegram_export import NEEDS_STAFF_KINDS

    contents = scan_chats(path)
    account = contents.layout.kind == "account"
    wanted = [c for c in contents.chats if not (account and source_name and c.name != source_name)]
    needing = [c for c in wanted if EXPORT_CHAT_TYPES.get(c.type) in NEEDS_STAFF_KINDS]
    if not needing:
        return
    names = "; ".join(f"{c.name or f'chat {c.id}'} ({c.type})" for c in needing)
    lines = [
        f"These chats need staff ids to be imported: {names}. In a group or a private chat the import must know "
        "which accounts are the organization's, or their answers would count as members' questions. Give "
        '--staff ID[,ID...]: the numeric Telegram user ids of the staff accounts (in the export, from_id "user1000" '
        "is id 1000); they are remembered for later imports."
    ]
    if contents.account_user_id is not None:
        lines.append(
            f"This export was made by the account with user id {contents.account_user_id}: if that is the "
            f"organization's account, --staff {contents.account_user_id}."
        )
    channels = [c for c in wanted if EXPORT_CHAT_TYPES.get(c.type) is SourceKind.CHANNEL]
    if channels and account:
        lines.append(
            "Channels need no staff ids (their posts are the channel's own): "
            + "; ".join(f"--source-name {shlex.quote(c.name)}" for c in channels)
            + " imports one alone."
        )
    raise UserError("\n".join(lines))


def summary_dict(summary: ImportSummary | None) -> dict[str, object]:
    """What an import run did, as JSON for the import_runs table."""
    if summary is None:
        return {}
    counts = summary.counts
    return {
        "chats": summary.chats,
        "skipped_chats": summary.skipped_chats,
        "messages_stored": counts.messages_stored,
        "messages_committed": counts.messages_committed,
        "messages_already_stored": counts.messages_already_stored,
        "inquiries_opened": counts.inquiries_opened,
        "responses": dict(counts.responses),
        "membership_events": counts.membership_events,
        "skipped": dict(summary.skipped),
        "unknown_actions": dict(summary.unknown_actions),
        "local_dates": summary.local_dates,
        "bad_unixtime": summary.bad_unixtime,
        "repeated_ids": summary.repeated_ids,
        "topics_stored": counts.topics_stored,
        "needs_staff": summary.needs_staff,
    }
