"""report: the statistics of months (a column each) or of any two dates (one column) as CSV or XLSX."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path
from typing import TextIO
from zoneinfo import ZoneInfo

from moderator_app.cli.common import UserError, check_output, writing_to
from moderator_app.domain.settings import ORGANIZATION_LOGO, ORGANIZATION_NAME
from moderator_app.domain.statistics import ALL_SOURCES, Month, Report, parse_day_or_month
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
    if fmt not in ("csv", "xlsx", "pdf"):
        raise UserError("--format must be csv, xlsx or pdf (or give --output a .csv, .xlsx or .pdf name)")
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
    if fmt == "pdf":
        return _write_pdf(db, report, output, first, last, tz, getattr(args, "source", None) or ALL_SOURCES, out)
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


def _write_pdf(
    db: Database,
    report: Report,
    output: Path,
    first: Month | date,
    last: Month | date,
    tz: ZoneInfo,
    source: str,
    out: TextIO,
) -> int:
    """The funder PDF, drawn by Qt: a QGuiApplication is made here when none runs (offscreen without a
    display), never a window."""
    import base64
    from datetime import UTC, datetime

    from moderator_app.store.statistics import StatisticsService

    if source != ALL_SOURCES and source not in report.sources:
        raise UserError(f"There is no source {source!r}; the sources are: {', '.join(report.sources)}")
    _qt_for_drawing()
    from moderator_app.ui.report_pdf import write_pdf

    settings = SettingsRepository(db)
    logo = settings.read(ORGANIZATION_LOGO)
    start = first if isinstance(first, Month) else Month(first.year, first.month)
    stop = last if isinstance(last, Month) else Month(last.year, last.month)
    usage = report if isinstance(first, Month) and isinstance(last, Month) else None
    if usage is None:
        usage = StatisticsService(db).usage_by_month(start, stop, tz)
    with writing_to(output):
        pages = write_pdf(
            report,
            output,
            organization=settings.read(ORGANIZATION_NAME),
            generated_at=datetime.now(UTC).astimezone(tz),
            source=source,
            usage=usage,
            logo_png=base64.b64decode(logo) if logo else None,
        )
    print(f"Wrote the {report.label()} funder report ({pages} page{'s' if pages > 1 else ''}) to {output}", file=out)
    return 0


#: The QGuiApplication a PDF or a logo needed, kept for the life of the process (Qt wants one, made once).
_keep: list[object] = []


def _qt_for_drawing() -> None:
    """A QGuiApplication for Qt's fonts and images when none runs (the window's, when it runs the command):
    offscreen without a display, never a window."""
    import os

    from PySide6.QtGui import QGuiApplication

    if QGuiApplication.instance() is None:
        if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
            os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        _keep.append(QGuiApplication(["moderator-app"]))


def cmd_organization(db: Database, args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """The organization's name and logo, kept in the log for every workstation."""
    import base64

    settings = SettingsRepository(db)
    if args.name is not None:
        settings.write(ORGANIZATION_NAME, args.name.strip())
    if args.no_logo:
        settings.write(ORGANIZATION_LOGO, "")
    elif args.logo:
        settings.write(ORGANIZATION_LOGO, base64.b64encode(_scaled_logo(Path(args.logo))).decode("ascii"))
    name = settings.read(ORGANIZATION_NAME)
    print(
        f"Organization: {name or '(no name)'}; logo: {'set' if settings.read(ORGANIZATION_LOGO) else 'none'}", file=out
    )
    return 0


def _scaled_logo(path: Path) -> bytes:
    """The image as PNG, at most 512 px on its longer side; refused with a sentence when it is no image."""
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
    from PySide6.QtGui import QImage

    _qt_for_drawing()
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UserError(f"{path} could not be read ({exc.strerror})") from exc
    image = QImage.fromData(data)
    if image.isNull():
        raise UserError(f"{path} is not an image Qt can read: give a PNG or JPEG file")
    if max(image.width(), image.height()) > 512:
        image = image.scaled(512, 512, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation)
    array = QByteArray()
    buffer = QBuffer(array)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")  # type: ignore[call-overload]
    return bytes(array.data())
