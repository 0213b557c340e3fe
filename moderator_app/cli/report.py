"""report: the statistics of months (a column each) or of any two dates (one column) as CSV or XLSX."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TextIO
from zoneinfo import ZoneInfo

from moderator_app.cli.common import UserError, check_output, writing_to
from moderator_app.domain.statistics import parse_day_or_month
from moderator_app.store.db import (
    Database,
)
from moderator_app.store.repositories import (
    SettingsRepository,
    StandardRepository,
)


def cmd_report(db: Database, args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from moderator_app.store.statistics import StatisticsService

    try:
        first = parse_day_or_month(args.date_from)
        last = parse_day_or_month(args.date_to)
    except ValueError as exc:
        raise UserError(str(exc)) from exc
    check_output(Path(args.output))
    fmt = args.format or Path(args.output).suffix.lstrip(".").lower()
    if fmt not in ("csv", "xlsx"):
        raise UserError("--format must be csv or xlsx (or give --output a .csv or .xlsx name)")
    inquiries = bool(getattr(args, "inquiries", False))
    if inquiries and fmt != "csv":
        raise UserError("--inquiries writes CSV: give --output a .csv name (the XLSX has the inquiry log as a sheet)")
    tz = ZoneInfo(StandardRepository(db).global_standard().timezone)
    try:
        report = StatisticsService(db).report(
            first,
            last,
            tz,
            include_log=fmt == "xlsx" or inquiries,
            pseudonym_salt=SettingsRepository(db).pseudonym_salt(),
        )
    except ValueError as exc:
        raise UserError(str(exc)) from exc
    output = Path(args.output)
    if inquiries:
        from moderator_app.reports.csv_report import write_inquiry_csv

        with writing_to(output):
            rows = write_inquiry_csv(report, output)
        print(f"Wrote {rows:,} inquiries of {first} to {last} to {output}", file=out)
        return 0
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
