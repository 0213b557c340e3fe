"""Composition root and command line: the one place that builds the store, rules and writers and wires them.

Run ``moderator-app --help``. Every command takes ``--data-dir DIR`` (a SQLite log there) or
``--database-url URL`` (a shared PostgreSQL log) before the command name.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import contextlib
import json
import os
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO
from zoneinfo import ZoneInfo

from sqlalchemy.exc import DBAPIError

from moderator_app.domain.inbox import InboxEntry
from moderator_app.domain.outbox import OutboxError, Outgoing
from moderator_app.domain.referrals import ReferralMatcher
from moderator_app.domain.standard import (
    Mode,
    ServiceStandard,
    format_duration,
    format_hours,
    parse_closures,
    parse_duration,
    parse_holidays,
    parse_hours,
)
from moderator_app.domain.statistics import Month
from moderator_app.importers.export_reader import ExportError
from moderator_app.importers.referrals_csv import ReferralCsvError
from moderator_app.launch import end_startup
from moderator_app.services.changes import ChangeBus
from moderator_app.services.standards import StandardsService
from moderator_app.services.worker import DatabaseWorker
from moderator_app.store.db import (
    Database,
    StoreError,
    data_dir_warning,
    default_data_dir,
    default_log_dir,
    explain_operational_error,
    open_database,
)
from moderator_app.store.months import month_keyer
from moderator_app.store.outbox import OutboxRepository
from moderator_app.store.repositories import (
    ImportRunRepository,
    InquiryRepository,
    ReferralRepository,
    SettingsRepository,
    SourceRepository,
    StandardRepository,
    UnknownSourceError,
)
from moderator_app.store.secrets import SecretStoreUnavailable

if TYPE_CHECKING:
    from moderator_app.importers.telegram_export import ImportSummary
    from moderator_app.services.inquiries import LiveInquiries
    from moderator_app.store.rederive import RederiveSummary
    from moderator_app.telegram.connector import ConnectorThread
    from moderator_app.telegram.status import ConnectorStatus
    from moderator_app.ui.connector_bridge import ConnectorBridge
    from moderator_app.ui.main_window import MainWindow, WindowServices
from moderator_app.telegram.problems import Remedy, SettingsError, TelegramProblem


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


# -- progress -----------------------------------------------------------------------------------------
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


# -- commands -----------------------------------------------------------------------------------------
def _parse_ids(text: str) -> list[int]:
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


def cmd_import(db: Database, args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    # The importer and the statistics load with their commands: the window does not need them at start.
    from moderator_app.store.import_lock import one_import_at_a_time

    settings = SettingsRepository(db)
    staff = settings.add_staff(_parse_ids(args.staff)) if args.staff else settings.staff_ids()
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
    )
    progress = TerminalProgress(err, "Importing")
    importer = ExportImporter(
        ingestor,
        ZoneInfo(standards.global_standard().timezone),
        source_name=args.source_name,
        on_progress=progress,
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


def cmd_referrals(db: Database, args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from moderator_app.importers.referral_files import read_referrals, write_referrals

    repository = ReferralRepository(db)
    path = Path(args.file)
    if args.referrals_command == "import":
        if not path.is_file():
            raise UserError(f"{path}: no such file.")
        organizations, details = read_referrals(path)
        added, updated = repository.upsert_all(organizations, details=details)
        print(f"Referral library: {added} organizations added, {updated} updated, from {path}", file=out)
        return 0
    organizations = repository.all()
    with writing_to(path):
        write_referrals(path, organizations)
    print(f"Wrote {len(organizations)} organizations to {path}", file=out)
    return 0


def cmd_library(db: Database, args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """The canned-answer library: import (YAML, CSV, XLSX; or the starter library), export, list."""
    from moderator_app.domain.library import REVIEW_MONTHS_DEFAULT, REVIEW_MONTHS_SETTING, review_due
    from moderator_app.importers.library_files import STARTER_LIBRARY, LibraryFileError, read_library, write_library
    from moderator_app.store.library import LibraryError, LibraryRepository

    repository = LibraryRepository(db)
    try:
        if args.library_command == "import":
            path = STARTER_LIBRARY if args.file == "starter" else Path(args.file)
            if not path.is_file():
                raise UserError(f"{path}: no such file.")
            added, updated = repository.upsert_all(read_library(path))
            print(f"Canned answers: {added} added, {updated} updated, from {path}", file=out)
            return 0
        if args.library_command == "search":
            return _library_search(db, args, out)
        answers = repository.all()
        if args.library_command == "export":
            with writing_to(Path(args.file)):
                write_library(Path(args.file), answers)
            print(f"Wrote {len(answers)} canned answers to {args.file}", file=out)
            return 0
    except (LibraryFileError, LibraryError) as exc:
        raise UserError(str(exc)) from exc
    today = datetime.now(UTC).date()
    months = int(SettingsRepository(db).get(REVIEW_MONTHS_SETTING, REVIEW_MONTHS_DEFAULT))
    for answer in answers:
        marks = ["to review"] if review_due(answer, today, months) else []
        languages = ",".join(answer.bodies)
        print(
            f"{answer.shortcut}\t{answer.title}\t{languages}\tused {answer.usage_count}"
            + (f"\t{', '.join(marks)}" if marks else ""),
            file=out,
        )
    return 0


def _library_search(db: Database, args: argparse.Namespace, out: TextIO) -> int:
    """Search through the log's index (the same results, in the same order, as the composer's picker)."""
    from moderator_app.store.library import LibraryRepository
    from moderator_app.store.library_search import ANSWER, PARTNER, LibrarySearchStore

    kind = PARTNER if args.partners else ANSWER
    hits = LibrarySearchStore(db).search(args.query, args.language, args.limit, kind=kind)
    if not hits:
        print(f"Nothing in the library matches {args.query!r}.", file=out)
        return 1
    if kind == PARTNER:
        names = {o.id: o for o in ReferralRepository(db).all()}
        for hit in hits:
            organization = names.get(hit.doc_id)
            if organization is not None:
                print(f"{organization.name}\t{organization.phone}\t{organization.website}", file=out)
        return 0
    answers = {a.id: a for a in LibraryRepository(db).all()}
    for hit in hits:
        answer = answers.get(hit.doc_id)
        if answer is not None:
            glimpse = " ".join(answer.bodies.get(hit.language, "").split())[:80]
            print(f"{answer.shortcut}\t{hit.language}\t{answer.title}\t{glimpse}", file=out)
    return 0


def describe_standard(standard: ServiceStandard) -> list[str]:
    holidays = "none"
    if standard.holidays_country:
        holidays = standard.holidays_country + (
            f"-{standard.holidays_subdivision}" if standard.holidays_subdivision else ""
        )
    closed = ", ".join(d.isoformat() for d in sorted(standard.closures)) or "none"
    return [
        f"  target: {format_duration(standard.target)} ({standard.mode.value})",
        f"  warning: when {standard.warning_fraction:.0%} of the target is left",
        f"  opening hours: {format_hours(standard.hours)}",
        f"  time zone: {standard.timezone}",
        f"  public holidays: {holidays}",
        f"  extra closures: {closed}",
    ]


def cmd_standard(db: Database, args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    standards = StandardRepository(db)
    sources = SourceRepository(db)
    if args.standard_command == "show":
        print("Service standard (all sources):", file=out)
        for line in describe_standard(standards.global_standard()):
            print(line, file=out)
        print(_answer_window_line(SettingsRepository(db).answer_window()), file=out)
        for known in sources.all():
            override = standards.override(known.id)
            if override is not None:
                print(f"Override for {known.name}:", file=out)
                for line in describe_standard(override):
                    print(line, file=out)
        return 0
    source = sources.find(args.source) if args.source else None
    if args.standard_command == "set" and args.answer_window:
        if source is not None:
            raise UserError("--answer-window applies to every source: give it without --source")
        try:
            window = parse_duration(args.answer_window)
        except ValueError as exc:
            raise UserError(str(exc)) from exc
        StandardsService(db, ChangeBus()).set_answer_window(window)
        print(_answer_window_line(window), file=out)
        if not any((args.target, args.mode, args.hours, args.holidays, args.closed, args.timezone, args.warning)):
            return 0
    if args.standard_command == "reset":
        if source is None:
            raise UserError("standard reset needs --source NAME (the source whose override to remove)")
        removed, changed = StandardsService(db, ChangeBus()).reset(source.id)
        print(
            f"{source.name} now follows the general standard." if removed else f"{source.name} had no override.",
            file=out,
        )
        print(f"Recomputed the due time of {changed} open inquiries.", file=out)
        return 0
    base = (standards.override(source.id) if source else None) or standards.global_standard()
    changes: dict[str, object] = {}
    try:
        if args.target:
            changes["target"] = parse_duration(args.target)
        if args.mode:
            changes["mode"] = Mode(args.mode)
        if args.hours:
            changes["hours"] = parse_hours(args.hours)
        if args.holidays:
            changes["holidays_country"], changes["holidays_subdivision"] = parse_holidays(args.holidays)
        if args.closed is not None:
            changes["closures"] = parse_closures(args.closed) if args.closed.strip() else frozenset()
        if args.timezone:
            changes["timezone"] = args.timezone
        if args.warning:
            text = args.warning.strip().removesuffix("%")
            changes["warning_fraction"] = float(text) / 100.0
        updated = replace(base, **changes)  # type: ignore[arg-type]
    except ValueError as exc:
        raise UserError(str(exc)) from exc
    saved = StandardsService(db, ChangeBus()).save(updated, source.id if source else None)
    rekeyed, changed = saved.rekeyed, saved.recomputed
    if rekeyed is not None:
        print(f"Months are now counted in {updated.timezone} ({rekeyed:,} log rows re-dated).", file=out)
    print(f"Service standard for {source.name if source else 'all sources'}:", file=out)
    for line in describe_standard(updated):
        print(line, file=out)
    print(
        f"Recomputed the due time of {changed} open inquiries; closed ones keep what they were measured against.",
        file=out,
    )
    return 0


def _answer_window_line(window: timedelta) -> str:
    minutes = int(window.total_seconds() // 60)
    return (
        f"  answers without a reply: the first staff message within {minutes // 60} h {minutes % 60:02d} min of "
        "the source's only open question (re-derive to apply it to history)"
    )


def cmd_report(db: Database, args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from moderator_app.store.statistics import StatisticsService

    try:
        first, last = Month.parse(args.date_from), Month.parse(args.date_to)
    except ValueError as exc:
        raise UserError(str(exc)) from exc
    check_output(Path(args.output))
    fmt = args.format or Path(args.output).suffix.lstrip(".").lower()
    if fmt not in ("csv", "xlsx"):
        raise UserError("--format must be csv or xlsx (or give --output a .csv or .xlsx name)")
    tz = ZoneInfo(StandardRepository(db).global_standard().timezone)
    try:
        report = StatisticsService(db).report(
            first,
            last,
            tz,
            include_log=fmt == "xlsx",
            pseudonym_salt=SettingsRepository(db).pseudonym_salt(),
        )
    except ValueError as exc:
        raise UserError(str(exc)) from exc
    output = Path(args.output)
    if fmt == "csv":
        from moderator_app.reports.csv_report import write_csv

        with writing_to(output):
            rows = write_csv(report, output)
        print(f"Wrote {rows:,} values for {first} to {last} to {output}", file=out)
    else:
        from moderator_app.reports.xlsx_report import write_xlsx

        with writing_to(output):
            write_xlsx(report, output)
        print(f"Wrote the {first} to {last} report to {output}", file=out)
    return 0


def cmd_database_password(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Ask for the server account's password (not echoed) and keep it in the system keyring, so --database-url
    need not carry it; then check that the server takes it. The password is never printed."""
    import getpass

    from sqlalchemy.engine import make_url

    from moderator_app.store.secrets import database_key, save_database_password

    if not args.database_url:
        raise UserError("Give the shared log's address first: --database-url postgresql://user@host/db.")
    url = make_url(args.database_url)
    if url.password is not None:
        raise UserError("Give --database-url without the password (user@host/db): it is asked for here instead.")
    stream = args.input
    if stream.isatty():
        password = getpass.getpass(f"Password of {database_key(args.database_url)}: ", stream=err)
    else:
        password = stream.readline().rstrip("\n")
    if not password:
        raise UserError("No password given: nothing was kept.")
    save_database_password(args.database_url, password)
    print(f"The password of {database_key(args.database_url)} is kept in the system keyring.", file=out)
    probe = open_database(database_url=args.database_url, migrate=False)
    try:
        with probe.engine.connect():
            pass
    except DBAPIError as exc:
        print(f"warning: {explain_operational_error(exc, database_key(args.database_url))}", file=err)
        return 1
    finally:
        probe.close()
    print("The server accepts it: give --database-url without the password from now on.", file=out)
    return 0


def cmd_rederive(db: Database, args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Replay the log's history under the rules now in force (after the rules changed, or to check them)."""
    for line in rederive(db, err).lines():
        print(line, file=out)
    return 0


def rederive(db: Database, err: TextIO) -> RederiveSummary:
    from moderator_app.store.rederive import Rederiver

    progress = TerminalProgress(err, "Re-deriving", unit="messages")
    try:
        return Rederiver(db, on_progress=progress).run()
    finally:
        progress.close()


def rederive_if_outdated(db: Database, err: TextIO) -> None:
    """After an upgrade whose rules read history differently, re-derive it once, before anything reads it."""
    from moderator_app.store.rules_version import rules_outdated

    if rules_outdated(db):
        print(
            "The rules that find inquiries and answers changed in this version: re-deriving the history in the "
            "log (moderators' decisions are kept). This happens once.",
            file=err,
        )
        summary = rederive(db, err)
        print("; ".join(summary.lines()), file=err)


def cmd_inbox(db: Database, args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """The open inquiries, most urgent first: as JSON for scripts, or as a table for a person."""
    source = SourceRepository(db).find(args.source) if args.source else None
    entries = InquiryRepository(db).inbox(source.id if source else None)
    tz = ZoneInfo(StandardRepository(db).global_standard().timezone)
    now = datetime.now(UTC)
    if args.json:
        items = [
            {
                "id": e.id,
                "source": e.source,
                "member": e.member,
                "text": e.text if e.text else (f"[{e.media_kind}]" if e.media_kind else ""),
                "state": e.state,
                "language": e.language,
                "topic": e.topic,
                "arrival": e.arrival.astimezone(tz).isoformat(),
                "due": e.due.astimezone(tz).isoformat(),
                "overdue": e.first_response is None and e.due < now,
            }
            for e in entries
        ]
        json.dump(items, out, ensure_ascii=False, indent=2)
        out.write("\n")
        return 0
    if not entries:
        print("No open inquiries.", file=out)
        return 0
    for e in entries:
        late = "OVERDUE " if e.first_response is None and e.due < now else ""
        first_line = (
            (e.text or f"[{e.media_kind or 'no text'}]").splitlines()[0][:70] if (e.text or e.media_kind) else ""
        )
        print(
            f"#{e.id:<6} {late}due {e.due.astimezone(tz):%Y-%m-%d %H:%M}  {e.state:<15} {e.source} · "
            f"{e.member or '?'}: {first_line}",
            file=out,
        )
    return 0


def cmd_send(db: Database, args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Queue a message in the outbox; the connector sends it (once)."""
    source = SourceRepository(db).find(args.source)
    try:
        item = OutboxRepository(db).queue_reply(source, args.text, reply_to=args.reply_to, chat_id=args.chat)
    except OutboxError as exc:
        raise UserError(str(exc)) from exc
    target = f"in reply to message {item.reply_to}" if item.reply_to else f"in chat {item.chat_id}"
    print(f"Queued as outbox #{item.id} for {source.name} {target}; the connector sends it.", file=out)
    return 0


def cmd_download(db: Database, args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Ask the connector for a file too large to have been fetched on arrival."""
    source = SourceRepository(db).find(args.source)
    try:
        item = OutboxRepository(db).queue_download(source, args.message, chat_id=args.chat)
    except OutboxError as exc:
        raise UserError(str(exc)) from exc
    print(
        f"Queued as outbox #{item.id}: the connector downloads message {args.message}'s file into the media "
        "folder beside the log.",
        file=out,
    )
    return 0


def cmd_outbox(db: Database, args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """What is waiting to be sent, being sent, sent or failed (newest first)."""
    repository = OutboxRepository(db)
    if args.retry is not None:
        if not repository.retry(args.retry):
            raise UserError(f"Outbox #{args.retry} is not a failed message (only failed ones can be retried).")
        print(f"Outbox #{args.retry} is queued again.", file=out)
        return 0
    items = repository.recent(args.limit)
    if args.json:
        json.dump(
            [
                {
                    "id": i.id,
                    "state": i.state.value,
                    "chat": i.chat_id,
                    "reply_to": i.reply_to,
                    "text": i.text,
                    "attempts": i.attempts,
                    "error": i.last_error,
                    "created": i.created_at.isoformat(),
                    "sent": i.sent_at.isoformat() if i.sent_at else None,
                    "telegram_id": i.telegram_id,
                }
                for i in items
            ],
            out,
            ensure_ascii=False,
            indent=2,
        )
        out.write("\n")
        return 0
    if not items:
        print("The outbox is empty.", file=out)
    for i in items:
        detail = f" ({i.last_error})" if i.last_error else ""
        print(f"#{i.id:<6} {i.state.value:<8}{detail} chat {i.chat_id}: {i.text.splitlines()[0][:70]}", file=out)
    return 0


# -- parser -------------------------------------------------------------------------------------------
def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="moderator-app",
        description="Moderator Workstation: the log, service standard and monthly statistics of an "
        "organization's Telegram groups, channels and private messages.",
    )
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--data-dir", type=Path, help="folder of the local SQLite log (default: the user data folder)")
    where.add_argument(
        "--database-url",
        help="a shared PostgreSQL log, e.g. postgresql://user@host/db (or set MODERATOR_DATABASE_URL); the password "
        "comes from the keyring (see database-password), PGPASSWORD or ~/.pgpass, never the command line",
    )
    advanced = parser.add_argument_group("advanced Telegram connection (remembered once given; '' clears)")
    advanced.add_argument(
        "--telegram-server",
        metavar="HOST:PORT[:DC]",
        help="Telegram's test environment or a local MTProto server instead of Telegram's own",
    )
    advanced.add_argument("--telegram-rsa-key", metavar="FILE.pem", help="that server's RSA public key (PEM, PKCS#1)")
    parser.add_argument(
        "--demo",
        action="store_true",
        help="open the window on a simulated organization (a temporary folder unless --data-dir is given)",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=False)

    p = commands.add_parser("import-telegram-export", help="import a Telegram Desktop JSON export (result.json)")
    p.add_argument("path", metavar="PATH", help="the export's result.json")
    p.add_argument("--staff", metavar="ID[,ID...]", help="numeric Telegram user ids of staff accounts")
    p.add_argument(
        "--source-name",
        metavar="NAME",
        help="single-chat export: the name to log the chat under; full-account export: import only this chat",
    )
    p.set_defaults(handler=cmd_import, for_import=True)  # see open_database: memory and checkpoints

    p = commands.add_parser(
        "database-password",
        help="keep the password of --database-url's server account in the system keyring (asked for, not shown)",
    )
    p.set_defaults(handler=cmd_database_password, no_database=True)

    p = commands.add_parser("referrals", help="the referral library (partner organizations)")
    sub = p.add_subparsers(dest="referrals_command", metavar="ACTION", required=True)
    for action, text in (
        ("import", "add or update organizations from a .csv, .xlsx or .yaml file"),
        ("export", "write the library to a .csv, .xlsx or .yaml file"),
    ):
        q = sub.add_parser(action, help=text)
        q.add_argument("file", metavar="FILE")
        q.set_defaults(handler=cmd_referrals)

    p = commands.add_parser("library", help="the canned-answer library")
    sub = p.add_subparsers(dest="library_command", metavar="ACTION", required=True)
    q = sub.add_parser("import", help="add or update answers from a .yaml, .csv or .xlsx file ('starter': ours)")
    q.add_argument("file", metavar="FILE|starter")
    q.set_defaults(handler=cmd_library)
    q = sub.add_parser("export", help="write the library to a .yaml, .csv or .xlsx file")
    q.add_argument("file", metavar="FILE")
    q.set_defaults(handler=cmd_library)
    sub.add_parser("list", help="shortcut, title, languages, use and review state").set_defaults(handler=cmd_library)
    q = sub.add_parser("search", help="find answers (or --partners) as the composer's picker does")
    q.add_argument("query", metavar="QUERY")
    q.add_argument("--language", metavar="TAG", help="prefer texts in this language (e.g. ar, fa, fr-CA)")
    q.add_argument("--partners", action="store_true", help="search the partner organizations instead")
    q.add_argument("--limit", type=int, default=10, metavar="N", help="at most N results (default 10)")
    q.set_defaults(handler=cmd_library)

    p = commands.add_parser("standard", help="the service standard (response target, opening hours, holidays)")
    sub = p.add_subparsers(dest="standard_command", metavar="ACTION", required=True)
    sub.add_parser("show", help="print the standard and per-source overrides").set_defaults(handler=cmd_standard)
    q = sub.add_parser("set", help="change the standard (or a source's override with --source)")
    q.add_argument("--source", metavar="NAME", help="override the standard for one source only")
    q.add_argument("--target", metavar="DURATION", help="response target, e.g. 24h, 2d, 8h30m")
    q.add_argument("--mode", choices=[m.value for m in Mode], help="what time counts toward the target")
    q.add_argument("--hours", metavar="HOURS", help='opening hours, e.g. "Mon-Fri 09:00-17:00"')
    q.add_argument("--holidays", metavar="CC[-SUB]", help="public holidays, e.g. CA-ON, FR, or none")
    q.add_argument("--closed", metavar="DATES", help="extra closure dates, e.g. 2026-12-24,2026-12-31 ('' clears)")
    q.add_argument("--timezone", metavar="ZONE", help="IANA time zone, e.g. America/Toronto")
    q.add_argument("--warning", metavar="PERCENT", help="warn when this share of the target is left, e.g. 25%%")
    q.add_argument(
        "--answer-window",
        metavar="DURATION",
        help="a staff message without a reply answers the only open question asked this recently (default 2h)",
    )
    q.set_defaults(handler=cmd_standard)
    q = sub.add_parser("reset", help="remove a source's override")
    q.add_argument("--source", metavar="NAME", required=True)
    q.set_defaults(handler=cmd_standard)

    p = commands.add_parser("inbox", help="list the open inquiries, most urgent first")
    p.add_argument("--json", action="store_true", help="print JSON (id, source, member, text, state, arrival, due)")
    p.add_argument("--source", metavar="NAME", help="only this source")
    p.set_defaults(handler=cmd_inbox)

    p = commands.add_parser("send", help="queue a message for the connector to send (useful for scripts)")
    p.add_argument("--source", metavar="NAME", required=True)
    p.add_argument("--reply-to", metavar="MESSAGE_ID", type=int, help="the Telegram id of the message to answer")
    p.add_argument("--chat", metavar="ID", type=int, help="the private chat (the member's user id)")
    p.add_argument("--text", required=True)
    p.set_defaults(handler=cmd_send)

    p = commands.add_parser("download", help="ask the connector for a message's large file")
    p.add_argument("--source", metavar="NAME", required=True)
    p.add_argument("--message", metavar="MESSAGE_ID", type=int, required=True)
    p.add_argument("--chat", metavar="ID", type=int, help="the private chat (the member's user id)")
    p.set_defaults(handler=cmd_download)

    p = commands.add_parser("outbox", help="the messages waiting to be sent, sent, or failed")
    p.add_argument("--json", action="store_true")
    p.add_argument("--limit", type=int, default=50, metavar="N")
    p.add_argument("--retry", type=int, metavar="ID", help="queue a failed message again")
    p.set_defaults(handler=cmd_outbox)

    p = commands.add_parser("report", help="write the monthly statistics")
    p.add_argument("--from", dest="date_from", metavar="YYYY-MM", required=True)
    p.add_argument("--to", dest="date_to", metavar="YYYY-MM", required=True)
    p.add_argument("--format", choices=["csv", "xlsx"])
    p.add_argument("--output", metavar="FILE", required=True)
    p.set_defaults(handler=cmd_report)

    p = commands.add_parser(
        "rederive", help="re-derive inquiries and responses of the log's history under the current rules"
    )
    p.set_defaults(handler=cmd_rederive)

    from moderator_app.cli_telegram_args import add_parsers

    add_parsers(commands)
    return parser


Handler = Callable[[Database, argparse.Namespace, TextIO, TextIO], int]


def window_services(
    db: Database,
    connector: Callable[[], ConnectorThread | None] = lambda: None,
    *,
    demo: bool = False,
    bus: ChangeBus | None = None,
    worker: DatabaseWorker | None = None,
) -> WindowServices:
    """What the window needs from the log and the outbox, as callables (the window imports no store code).

    Reads and writes the window asks for run on ``worker`` (the database worker) and come back as futures.
    A moderator's decision goes to the connector when one runs in this process (it holds open inquiries in
    memory), to the log otherwise; ``connector`` gives the running one, if any. Committed changes are
    announced on ``bus``, which the window and the connector follow."""
    from moderator_app.services.errors import sentence
    from moderator_app.services.inquiries import InquiryService
    from moderator_app.store.conversation import ConversationRepository
    from moderator_app.store.library import LibraryRepository
    from moderator_app.store.profiles import ProfileRepository, duty_key
    from moderator_app.ui.main_window import WindowServices

    bus = bus or ChangeBus()
    worker = worker or DatabaseWorker()
    standards = StandardRepository(db)
    sources = SourceRepository(db)
    outbox = OutboxRepository(db)
    profiles = ProfileRepository(db)
    conversations = ConversationRepository(db)
    settings = SettingsRepository(db)
    standards_service = StandardsService(db, bus)

    def live() -> LiveInquiries | None:
        thread = connector()
        return thread.inquiries() if thread is not None else None

    inquiries = InquiryService(db, worker, bus, live)

    def queue_reply(
        entry: InboxEntry,
        text: str,
        holding: bool,
        profile_id: int | None,
        reply_to: int | None,
        referrals: tuple[int, ...],
    ) -> Outgoing:
        source = next(s for s in sources.all() if s.id == entry.source_id)
        return outbox.queue_reply(
            source,
            text,
            reply_to=reply_to or entry.question_id,
            chat_id=entry.chat_id,
            inquiry_id=entry.id,
            profile_id=profile_id,
            holding=holding,
            referrals=referrals,
        )

    def queue_download(entry: InboxEntry, telegram_id: int) -> Outgoing:
        source = next(s for s in sources.all() if s.id == entry.source_id)
        return outbox.queue_download(source, telegram_id, chat_id=entry.chat_id)

    def save_standard(standard: ServiceStandard, source_id: int | None) -> concurrent.futures.Future[str]:
        def save() -> str:
            saved = standards_service.save(standard, source_id)
            return f"Service standard saved; due times of {saved.recomputed} open inquiries recomputed."

        return worker.submit(save)

    def wake() -> None:
        thread = connector()
        live_connector = thread.connector if thread is not None and thread.running else None
        if thread is not None and live_connector is not None:
            thread.call(live_connector.wake_sender)

    return WindowServices(
        clocks=standards.clocks(),
        timezone=ZoneInfo(standards.global_standard().timezone),
        now=lambda: datetime.now(UTC),
        sources=sources.all,
        inbox_query=InquiryRepository(db).inbox,
        load_thread=conversations.thread,
        member_card=conversations.member_card,
        library=LibraryRepository(db).all,
        record_use=LibraryRepository(db).record_use,
        organizations=ReferralRepository(db).all,
        save_answer=LibraryRepository(db).save,
        delete_answer=LibraryRepository(db).delete,
        save_organization=ReferralRepository(db).save,
        delete_organization=ReferralRepository(db).delete,
        queue_reply=queue_reply,
        replies_of=outbox.for_inquiry,
        wake_connector=wake,
        act=inquiries.act,
        set_details=inquiries.set_details,
        standard_for=lambda source_id: (
            (standards.override(source_id) if source_id is not None else None) or standards.global_standard()
        ),
        save_standard=save_standard,
        get_setting=settings.get,
        set_setting=settings.set,
        queue_download=queue_download,
        outbox_item=outbox.get,
        profiles=profiles.all,
        add_profile=profiles.add,
        assign=lambda entry, profile_id: profiles.assign(entry.id, profile_id),
        relink=inquiries.relink,
        answer_window=(
            settings.answer_window,
            lambda window: worker.submit(standards_service.set_answer_window, window),
        ),
        duty_setting=duty_key(),
        demo=demo,
        run=worker.submit,
        describe=lambda problem: sentence(problem, db),
        follow_changes=bus.subscribe,
    )


def run_demo(args: argparse.Namespace, err: TextIO) -> int:
    """The window on a simulated organization, served by the local MTProto server in this process."""
    import contextlib

    from moderator_app import demo

    if args.database_url:
        print("error: the demo keeps its log in a folder: give --data-dir (or nothing), not --database-url.", file=err)
        return 2
    end_startup()  # three months of history are generated first: the collector must run meanwhile
    with contextlib.ExitStack() as stack:
        print("Starting the demo organization (three months of history)…", file=err)
        args.data_dir = demo.prepare(args.data_dir, stack)
        print(f"Demo log in {args.data_dir}", file=err)
        return run_gui(args, err)


def run_gui(args: argparse.Namespace, err: TextIO) -> int:
    """The workstation window (``moderator-app`` without a command): the log, the inbox and, when logged
    in, the connector on its own thread. The window is on screen first; Telegram (Telethon, the login
    wizard, the connector) is set up once the event loop runs, so the inbox does not wait for it."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from moderator_app.launch import install_excepthook, setup_logging
    from moderator_app.ui.connector_bridge import ConnectorBridge
    from moderator_app.ui.main_window import MainWindow
    from moderator_app.ui.threads import emit_from_worker

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("Moderator Workstation")
    try:
        db = open_database(data_dir=args.data_dir, database_url=args.database_url)
    except StoreError as exc:
        print(f"error: {exc}", file=err)
        return 1
    log_file = setup_logging(
        db.data_dir / "logs" if args.data_dir is not None and db.data_dir is not None else default_log_dir()
    )
    _rederive_with_progress(db)
    bridge = ConnectorBridge()
    running: list[ConnectorThread] = []
    bus, worker = ChangeBus(), DatabaseWorker()
    # A running connector follows what the window's use cases commit (a new standard, first of all).
    bus.subscribe(lambda changes: running[-1].follow(changes) if running else None)
    services = window_services(
        db, lambda: running[-1] if running else None, demo=bool(getattr(args, "demo", False)), bus=bus, worker=worker
    )
    window = MainWindow(services, bridge)
    where = f" Details are in {log_file}." if log_file is not None else ""
    restore_hooks = install_excepthook(
        lambda problem: emit_from_worker(window, window.problem, f"Something went wrong: {problem}.{where}")
    )
    window.resize(1440, 860)
    window.show()
    end_startup()
    QTimer.singleShot(0, lambda: _connect_telegram(db, window, bridge, running))
    try:
        return int(app.exec())
    finally:
        window.shutdown()
        for thread in running:
            thread.stop()
        worker.close()
        restore_hooks()
        db.close()


def _rederive_with_progress(db: Database) -> None:
    """After an upgrade whose rules read history differently: re-derive it once, on a thread of its own, while
    a dialog shows how far it got (the window would otherwise show counts the new rules disagree with)."""
    from moderator_app.store.rules_version import rules_outdated

    if not rules_outdated(db):
        return
    import threading

    from PySide6.QtCore import QCoreApplication, QEventLoop, QTimer
    from PySide6.QtWidgets import QMessageBox, QProgressDialog

    from moderator_app.store.rederive import Rederiver
    from moderator_app.ui.plain import plain_message_box

    def tr(text: str) -> str:
        return QCoreApplication.translate("Rederive", text)

    dialog = QProgressDialog(
        tr(
            "The rules that find inquiries and answers changed in this version.\n"
            "Re-deriving the history in the log (moderators' decisions are kept); this happens once."
        ),
        "",
        0,
        0,
    )
    dialog.setCancelButton(None)
    dialog.setWindowTitle(tr("Updating the log"))
    dialog.setMinimumDuration(0)
    dialog.setAutoClose(False)
    progress = {"done": 0, "total": 0}
    failed: list[BaseException] = []
    finished = threading.Event()

    def work() -> None:
        try:
            Rederiver(db, on_progress=lambda done, total: progress.update(done=done, total=total)).run()
        except BaseException as exc:  # shown below; the log keeps every source either as it was or re-derived
            failed.append(exc)
        finally:
            finished.set()

    loop = QEventLoop()
    timer = QTimer()
    timer.setInterval(100)

    def poll() -> None:
        if progress["total"]:
            dialog.setMaximum(progress["total"])
            dialog.setValue(progress["done"])
        if finished.is_set():
            loop.quit()

    timer.timeout.connect(poll)
    threading.Thread(target=work, name="rederive", daemon=True).start()
    dialog.show()
    timer.start()
    loop.exec()
    timer.stop()
    dialog.close()
    if failed:
        plain_message_box(
            None,
            QMessageBox.Icon.Warning,
            tr("Updating the log"),
            tr(
                "The history could not be re-derived: %1\nThe window opens with the log as it was; run "
                "'moderator-app rederive' to try again."
            ).replace("%1", str(failed[0])),
        )


def connector_ended(problem: BaseException) -> ConnectorStatus:
    """What the window says when the connector ended on its own: the reason, and what to do."""
    from moderator_app.store.lease import ConnectorAlreadyRunning
    from moderator_app.telegram.errors import explain
    from moderator_app.telegram.status import ConnectionState, ConnectorStatus

    if isinstance(problem, ConnectorAlreadyRunning):
        return ConnectorStatus(
            ConnectionState.STOPPED,
            f"{problem} This window shows the log; Telegram is followed by that copy of the app.",
        )
    if isinstance(problem, TelegramProblem):
        state = ConnectionState.LOGIN_NEEDED if problem.remedy is Remedy.LOG_IN else ConnectionState.STOPPED
        return ConnectorStatus(state, problem.message)
    if isinstance(problem, DBAPIError):
        return ConnectorStatus(ConnectionState.STOPPED, explain_operational_error(problem, "of the log"))
    if isinstance(problem, OSError | ConnectionError | TimeoutError):
        return ConnectorStatus(ConnectionState.STOPPED, explain(problem).message)
    return ConnectorStatus(
        ConnectionState.STOPPED,
        f"The connection to Telegram stopped after an error ({type(problem).__name__}: {problem}). "
        "The log is kept as it is; start the app again to reconnect.",
    )


def _connect_telegram(
    db: Database, window: MainWindow, bridge: ConnectorBridge, running: list[ConnectorThread]
) -> None:
    """Start the connector when logged in; else the login wizard (first start, or after logging out), then
    the sources to watch. ``running`` receives the connector's thread."""
    from PySide6.QtWidgets import QDialog

    from moderator_app.domain.events import SourceRef
    from moderator_app.store.secrets import SecretStore
    from moderator_app.telegram.client import ConnectionSettings, Credentials
    from moderator_app.telegram.connector import Connector, ConnectorThread
    from moderator_app.telegram.status import ConnectionState, ConnectorStatus

    settings = SettingsRepository(db)
    secrets: SecretStore | None = None
    credentials: Credentials | None = None
    connection = ConnectionSettings()
    try:
        connection = ConnectionSettings.load(settings)
        secrets = SecretStore(db)
        credentials = Credentials.load(settings, secrets)
    except (SecretStoreUnavailable, SettingsError) as exc:
        window.show_status(ConnectorStatus(ConnectionState.LOGIN_NEEDED, str(exc)))
        return

    def start_connector(store: SecretStore) -> None:
        media_dir = (db.data_dir or default_data_dir()) / "media"
        started = ConnectorThread(
            lambda: Connector(
                db,
                store,
                connection,
                media_dir=media_dir,
                on_status=bridge.on_status,
                on_stored=bridge.on_stored,
            ),
            on_exit=lambda problem: bridge.on_status(connector_ended(problem)) if problem is not None else None,
        )
        started.start()
        running.append(started)

    if credentials is not None and credentials.session:
        start_connector(secrets)
        return
    from moderator_app.cli_telegram import account_dialogs
    from moderator_app.telegram.login import LoginFlow
    from moderator_app.ui.login_wizard import LoginWizard

    sources = SourceRepository(db)

    def watch(refs: list[SourceRef]) -> None:
        for ref in refs:
            sources.set_watched(ref, True)

    wizard = LoginWizard(
        LoginFlow(settings, secrets, connection), lambda: account_dialogs(db, connection), watch, window
    )
    if wizard.exec() == QDialog.DialogCode.Accepted:
        window.reload_sources()
        start_connector(secrets)
    else:
        window.show_status(
            ConnectorStatus(
                ConnectionState.LOGIN_NEEDED,
                "Not logged in to Telegram. The log is shown; start the app again to log in.",
            )
        )


def main(
    argv: Sequence[str] | None = None,
    out: TextIO | None = None,
    err: TextIO | None = None,
    inp: TextIO | None = None,
) -> int:
    out = out or sys.stdout
    err = err or sys.stderr
    args = build_parser().parse_args(argv)
    args.input = inp or sys.stdin
    if args.database_url is None and args.data_dir is None:
        args.database_url = os.environ.get("MODERATOR_DATABASE_URL") or None  # kept out of the process list
    if args.command is None:
        if args.demo:
            return run_demo(args, err)
        return run_gui(args, err)
    end_startup()
    if args.demo:
        print("error: --demo opens the window; give it without a command.", file=err)
        return 2
    if getattr(args, "no_database", False):
        try:
            return int(args.handler(args, out, err))
        except (UserError, SecretStoreUnavailable) as exc:
            print(f"error: {exc}", file=err)
            return 1
    handler: Handler = args.handler
    try:
        db = open_database(
            data_dir=args.data_dir, database_url=args.database_url, for_import=getattr(args, "for_import", False)
        )
    except StoreError as exc:
        print(f"error: {exc}", file=err)
        return 1
    warning = data_dir_warning(db.data_dir) if db.data_dir is not None else None
    if warning is not None:
        print(warning, file=err)
    try:
        if handler is not cmd_rederive:
            rederive_if_outdated(db, err)
        return handler(db, args, out, err)
    except (UserError, StoreError, ExportError, ReferralCsvError, UnknownSourceError) as exc:
        print(f"error: {exc}", file=err)
        return 1
    except (TelegramProblem, SettingsError, SecretStoreUnavailable) as exc:
        print(f"error: {exc}", file=err)
        return 3 if isinstance(exc, TelegramProblem) and exc.remedy is Remedy.LOG_IN else 1
    except DBAPIError as exc:
        print(f"error: {explain_operational_error(exc, db.describe())}", file=err)
        return 1
    except KeyboardInterrupt:
        print(
            "\ninterrupted: every finished batch is in the log; run the same command again to resume.",
            file=err,
        )
        return 130
    finally:
        db.close()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
