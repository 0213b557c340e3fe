"""moderation log: the moderation record of a period as CSV or XLSX."""

from __future__ import annotations

import argparse
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import TextIO
from zoneinfo import ZoneInfo

from moderator_app.cli.common import UserError, check_output, writing_to
from moderator_app.store.db import Database
from moderator_app.store.repositories import SourceRepository, StandardRepository


def _day(text: str, option: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise UserError(f"{option} {text!r} is not a date: write it as YYYY-MM-DD (2026-11-30).") from None


def cmd_moderation_log(db: Database, args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from moderator_app.store.moderation import ModerationRepository

    first, last = _day(args.date_from, "--from"), _day(args.date_to, "--to")
    if last < first:
        raise UserError(f"--to {last} is before --from {first}.")
    output = Path(args.output)
    check_output(output)
    fmt = args.format or output.suffix.lstrip(".").lower()
    if fmt not in ("csv", "xlsx"):
        raise UserError("--format must be csv or xlsx (or give --output a .csv or .xlsx name)")
    source_id = None
    if args.source:
        source = SourceRepository(db).find(args.source)
        source_id = source.id
    tz = ZoneInfo(StandardRepository(db).global_standard().timezone)
    start = datetime.combine(first, time(), tz)
    end = datetime.combine(last + timedelta(days=1), time(), tz)  # the last day included
    entries = ModerationRepository(db).record(start, end, source_id)
    with writing_to(output):
        if fmt == "csv":
            from moderator_app.reports.moderation_record import write_record_csv

            written = write_record_csv(entries, tz, output)
        else:
            from moderator_app.reports.moderation_record import write_record_xlsx

            written = write_record_xlsx(entries, tz, output)
    print(f"Wrote {written:,} moderation actions from {first} to {last} to {output}", file=out)
    return 0
