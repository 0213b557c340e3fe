"""Monthly statistics as a long CSV (``month,source,metric,value``).

The long shape is for people who chart or join the numbers elsewhere: one value per line, so a new metric
or a new source never changes the columns a spreadsheet or a script relies on.
"""

from __future__ import annotations

import csv
import math
from pathlib import Path

from moderator_app.domain.cells import csv_text
from moderator_app.domain.statistics import Month, Report, Value

HEADER: tuple[str, ...] = ("month", "source", "metric", "value")


def format_value(value: Value) -> str:
    """Counts as integers, other numbers with at most one decimal, nothing for no value.

    ``87.5`` stays ``87.5`` and ``12.0`` becomes ``12``, so a count stored as a float still reads as a
    count; NaN and infinities (which no metric should produce) are written as no value rather than as
    text a spreadsheet would not read as a number.
    """
    if value is None:
        return ""
    if isinstance(value, int):  # bool included: True is a count of 1
        return str(int(value))
    if not math.isfinite(value):
        return ""
    text = f"{value:.1f}"
    if text.endswith(".0"):
        text = text[:-2]
    return "0" if text == "-0" else text


def write_csv(report: Report, path: Path) -> int:
    """Write every value of ``report`` to ``path``; returns the number of data rows (header excluded).

    Rows go month by month, then source by source (``all`` last), then metric by metric in export order,
    so two exports of the same period differ only where a number changed.
    """
    metrics = report.metric_names()
    sources = report.source_columns()
    rows = 0
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        # "month" while every column is a month (the layout people's own charts were built on), else "period".
        monthly = all(isinstance(period, Month) for period in report.periods)
        writer.writerow(HEADER if monthly else ("period", *HEADER[1:]))
        for period in report.periods:
            for source in sources:
                for metric in metrics:
                    value = format_value(report.get(period, source, metric))
                    # Source and moderator names (in breakdown metrics) are other people's text.
                    writer.writerow((str(period), csv_text(source), csv_text(metric), value))
                    rows += 1
    return rows


#: The per-inquiry export's columns: the XLSX inquiry log's, as plain values (codes, minutes, ISO times).
INQUIRY_HEADER: tuple[str, ...] = (
    "inquiry_id",
    "arrival",
    "source",
    "member",
    "language",
    "topic",
    "state",
    "first_response_minutes",
    "business_first_response_minutes",
    "met_standard",
)


def write_inquiry_csv(report: Report, path: Path) -> int:
    """One row per inquiry of the period (the report's inquiry log: members pseudonymised as in the XLSX),
    for people who build their own charts; returns the number of rows. Arrivals are ISO 8601 in the service
    time zone, with its offset, so a spreadsheet and a script read the same instant."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(INQUIRY_HEADER)
        for row in report.inquiry_log:
            met = "" if row.met is None else ("yes" if row.met else "no")
            writer.writerow(
                (
                    row.inquiry_id,
                    row.arrival.isoformat(timespec="seconds"),
                    csv_text(row.source),  # a source's name is someone's text: never a formula
                    row.member,
                    row.language,
                    row.topic,
                    row.state,
                    format_value(row.first_response_minutes),
                    format_value(row.business_first_response_minutes),
                    met,
                )
            )
    return len(report.inquiry_log)
