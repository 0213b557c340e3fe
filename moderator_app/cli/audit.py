"""audit and retention: the audit record read back, message text older than N months removed, and the audit
events of the command line's own exports, imports, settings changes and logins."""

from __future__ import annotations

import argparse
from datetime import date, datetime, time, timedelta
from typing import Any, TextIO
from zoneinfo import ZoneInfo

from moderator_app.cli.common import UserError
from moderator_app.domain.audit import AuditAction, describe_detail
from moderator_app.domain.retention import RetentionError
from moderator_app.store.db import Database, default_data_dir
from moderator_app.store.repositories import StandardRepository


def _day(text: str | None, option: str) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise UserError(f"{option} {text!r} is not a date: write it as YYYY-MM-DD (2026-11-30).") from None


def _timezone(db: Database) -> ZoneInfo:
    return ZoneInfo(StandardRepository(db).global_standard().timezone)


def cmd_audit(db: Database, args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """The audit record of a period (days in the service time zone, both included), oldest first, a line each:
    time, profile, action, details (tab-separated)."""
    from moderator_app.store.audit import AuditRepository

    first, last = _day(args.date_from, "--from"), _day(args.date_to, "--to")
    if first is not None and last is not None and last < first:
        raise UserError(f"--to {last} is before --from {first}.")
    tz = _timezone(db)
    start = datetime.combine(first, time(), tz) if first is not None else None
    end = datetime.combine(last + timedelta(days=1), time(), tz) if last is not None else None
    entries = AuditRepository(db).entries(start, end)
    if not entries:
        print("The audit record has no events" + _period(first, last) + ".", file=out)
        return 0
    for entry in reversed(entries):
        when = entry.at.astimezone(tz).strftime("%Y-%m-%d %H:%M")
        print(f"{when}\t{entry.profile or '-'}\t{entry.action}\t{describe_detail(entry.detail)}", file=out)
    return 0


def _period(first: date | None, last: date | None) -> str:
    if first is not None and last is not None:
        return f" from {first} to {last}"
    if first is not None:
        return f" since {first}"
    return f" until {last}" if last is not None else ""


def cmd_retention(db: Database, args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """The retention setting (``--months``, 0 turns it off), what it would remove, and ``--apply``."""
    from moderator_app.services.retention import RetentionService

    service = RetentionService(db, (db.data_dir or default_data_dir()) / "media")
    try:
        if args.months is not None:
            service.set_months(args.months, via="command line")
        months = service.months()
        if months is None:
            if args.apply:
                raise UserError("Retention is off: give --months N (1 to 240) to remove text older than N months.")
            print("Retention: off. Message text is kept for good (--months N removes what is older).", file=out)
            return 0
        if args.apply:
            result = service.apply(months, via="command line")
            assert result is not None
            print(f"Retention: {months} months. {result.sentence()}", file=out)
            return 0
        preview = service.preview(months)
    except RetentionError as exc:
        raise UserError(str(exc)) from exc
    day = preview.before.date().isoformat()
    print(
        f"Retention: {months} months: the text of messages before {day} is removed (counts, inquiries and the "
        f"pseudonymised inquiry log stay). The window applies it at each start.",
        file=out,
    )
    if preview.messages:
        print(f"{preview.messages:,} messages before {day} still have text: --apply removes it now.", file=out)
    else:
        print(f"No message before {day} has text left to remove.", file=out)
    return 0


# -- the command line's own events in the audit record ------------------------------------------------------
def record_command(db: Database, args: argparse.Namespace, code: int) -> None:
    """After a command that succeeded: its export, import, settings change or login, credited to the profile on
    duty at this workstation (the window's File menu runs these same commands). The service standard and
    retention record themselves, in their use cases."""
    if code != 0:
        return
    event = _event(args)
    if event is not None:
        from moderator_app.store.audit import AuditRepository

        AuditRepository(db).try_record(*event)


def _event(args: argparse.Namespace) -> tuple[AuditAction, dict[str, Any]] | None:
    handler = getattr(args, "handler", "")
    if handler == "report:cmd_report":
        what = "inquiry_log" if getattr(args, "inquiries", False) else "report"
        detail = {"what": what, "from": args.date_from, "to": args.date_to, "path": args.output}
        if getattr(args, "source", None):
            detail["source"] = args.source
        return AuditAction.EXPORT, detail
    if handler == "moderation:cmd_moderation_log":
        detail = {"what": "moderation_record", "from": args.date_from, "to": args.date_to, "path": args.output}
        if args.source:
            detail["source"] = args.source
        return AuditAction.EXPORT, detail
    if handler in ("library:cmd_library", "library:cmd_referrals"):
        command = args.library_command if handler == "library:cmd_library" else args.referrals_command
        if command not in ("import", "export"):
            return None
        what = "library" if handler == "library:cmd_library" else "partners"
        action = AuditAction.EXPORT if command == "export" else AuditAction.IMPORT
        return action, {"what": what, "path": args.file}
    if handler == "imports:cmd_import":
        return AuditAction.IMPORT, {"what": "telegram_export", "path": str(args.path)}
    if handler == "report:cmd_organization":
        changed = [
            name
            for name, given in (("name", args.name is not None), ("logo", bool(args.logo or args.no_logo)))
            if given
        ]
        return (AuditAction.SETTING, {"setting": "organization", "changed": changed}) if changed else None
    if handler == "telegram:cmd_sources" and args.sources_command in ("watch", "unwatch"):
        return AuditAction.SETTING, {"setting": "sources", args.sources_command: args.name}
    if handler == "telegram:cmd_login":
        return AuditAction.TELEGRAM_LOGIN, {"via": "command line"}
    if handler == "telegram:cmd_logout":
        return AuditAction.TELEGRAM_LOGOUT, {"via": "command line"}
    return None
