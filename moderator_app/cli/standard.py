"""standard: show, set and reset the service standard (and the answer window)."""

from __future__ import annotations

import argparse
from dataclasses import replace
from datetime import timedelta
from typing import TYPE_CHECKING, TextIO

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
from moderator_app.services.changes import ChangeBus
from moderator_app.services.standards import StandardsService
from moderator_app.store.db import (
    Database,
)
from moderator_app.store.repositories import (
    SettingsRepository,
    SourceRepository,
    StandardRepository,
)

if TYPE_CHECKING:
    pass
from moderator_app.cli.common import UserError


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
