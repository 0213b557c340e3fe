"""Monthly statistics as an Excel workbook laid out like the DMSI toolkit's tables.

Funders know Table 6 (usage) and Table 7 (membership and activity) from the toolkit, so the first two
sheets keep its row wording and month labels; the service standard, the breakdowns and the inquiry log
behind every count follow. Cells hold numbers, never formulas, so the file reads the same in Excel,
LibreOffice, Numbers or a viewer that does not calculate.
"""

from __future__ import annotations

import contextlib
import io
import math
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.worksheet import Worksheet

from moderator_app.domain.statistics import (
    ALL_SOURCES,
    BREAKDOWN_DIMENSIONS,
    UNATTRIBUTED,
    InquiryLogRow,
    Month,
    Report,
    Value,
    breakdown_metric,
    post_metric,
)

CREATOR = "Moderator Workstation"

SHEET_USAGE = "Usage (Table 6)"
SHEET_ACTIVITY = "Activity (Table 7)"
SHEET_STANDARD = "Service standard"
SHEET_BREAKDOWNS = "Breakdowns"
SHEET_LOG = "Inquiry log"

COUNT_FORMAT = "0"
MINUTES_FORMAT = "0.0"
WHOLE_MINUTES_FORMAT = "0"
PERCENT_FORMAT = "0.0%"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"

TITLE_ROW = 1
HEADER_ROW = 2
MONTH_COLUMN_WIDTH = 9.0

# Fonts name Calibri: a font without a name falls back to a serif face in LibreOffice.
_TITLE_FONT = Font(name="Calibri", bold=True, size=13)
_BOLD = Font(name="Calibri", bold=True)
_REGULAR = Font(name="Calibri")
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_HEADING_FILL = PatternFill("solid", fgColor="F2F2F2")
# Labels align left explicitly: under "General", Arabic and Farsi names would hug the right edge of the cell.
_LEFT = Alignment(horizontal="left")
_RIGHT = Alignment(horizontal="right")
_CENTER = Alignment(horizontal="center")

# Page-break estimate: landscape, the smaller of A4 and Letter, openpyxl's default margins, 15 pt rows.
_PRINTABLE_WIDTH_POINTS = (11.0 - 1.5) * 72.0
_PRINTABLE_HEIGHT_POINTS = (8.27 - 2.0) * 72.0
_ROW_POINTS = 15.0

LANGUAGE_NAMES: dict[str, str] = {
    "ar": "Arabic",
    "fa": "Farsi",
    "fr": "French",
    "en": "English",
    "zh": "Chinese",
    "und": "undetermined",
}

BREAKDOWN_HEADINGS: dict[str, str] = {
    "language": "Inquiries by language",
    "topic": "Inquiries by topic",
    "moderator": "Inquiries by moderator",
}


def language_label(code: str) -> str:
    """``ar — Arabic``: the code stays visible because it is what filters and the CSV use."""
    name = LANGUAGE_NAMES.get(code)
    return f"{code} — {name}" if name else (code or "(none)")


def topic_label(key: str) -> str:
    """``housing_search`` -> ``Housing search``; only the first letter is raised so ``ESL`` stays ``ESL``."""
    text = key.replace("_", " ").strip()
    return text[:1].upper() + text[1:] if text else "(none)"


def breakdown_label(dimension: str, key: str) -> str:
    if dimension == "language":
        return language_label(key)
    if dimension == "topic":
        return topic_label(key)
    if dimension == "moderator" and key == UNATTRIBUTED:
        return "Unattributed (no response yet, or answered by an unknown account)"
    return key or "(none)"


@dataclass(frozen=True)
class _Line:
    """One row of a month table: which metric, how it is shown, whether a sum over months means anything."""

    label: str
    metric: str
    number_format: str = COUNT_FORMAT
    summable: bool = True
    scale: float = 1.0
    emphasis: bool = False


@dataclass(frozen=True)
class _Block:
    heading: str | None
    source: str
    lines: tuple[_Line, ...]


USAGE_LINES: tuple[_Line, ...] = (
    _Line("Inquiries", "inquiries"),
    _Line("Information", "information"),
    _Line("Referrals", "referrals"),
    _Line("Posts", "posts"),
    _Line("Total", "total", emphasis=True),
)

STANDARD_LINES: tuple[_Line, ...] = (
    _Line("Answered within the standard", "answered_within_standard"),
    _Line(
        "Answered within the standard (%)",
        "answered_within_standard_pct",
        PERCENT_FORMAT,
        summable=False,
        scale=0.01,
    ),
    _Line(
        "First response, median (minutes)",
        "first_response_median_minutes",
        WHOLE_MINUTES_FORMAT,
        summable=False,
    ),
    _Line(
        "First response, 90th percentile (minutes)",
        "first_response_p90_minutes",
        WHOLE_MINUTES_FORMAT,
        summable=False,
    ),
    _Line(
        "Business-hours first response, median (minutes)",
        "first_response_business_median_minutes",
        WHOLE_MINUTES_FORMAT,
        summable=False,
    ),
    _Line(
        "Business-hours first response, 90th percentile (minutes)",
        "first_response_business_p90_minutes",
        WHOLE_MINUTES_FORMAT,
        summable=False,
    ),
    _Line("First response in 0–1 business hours", "first_response_0_1h"),
    _Line("First response in 1–4 business hours", "first_response_1_4h"),
    _Line("First response in 4–8 business hours", "first_response_4_8h"),
    _Line("First response in 8–24 business hours", "first_response_8_24h"),
    _Line("First response over 24 business hours", "first_response_over_24h"),
    _Line("Resolution, median (minutes)", "resolution_median_minutes", WHOLE_MINUTES_FORMAT, summable=False),
    _Line("Resolution, 90th percentile (minutes)", "resolution_p90_minutes", WHOLE_MINUTES_FORMAT, summable=False),
    _Line(
        "Business-hours resolution, median (minutes)",
        "resolution_business_median_minutes",
        WHOLE_MINUTES_FORMAT,
        summable=False,
    ),
    _Line(
        "Business-hours resolution, 90th percentile (minutes)",
        "resolution_business_p90_minutes",
        WHOLE_MINUTES_FORMAT,
        summable=False,
    ),
    _Line("Still open at month end", "open_end", summable=False),
    _Line("Open and overdue at month end", "open_overdue_end", summable=False),
)


def activity_lines(post_types: Sequence[str]) -> tuple[_Line, ...]:
    """Table 7's wording; member counts at month end and distinct participants are not summed over months."""
    lines = [
        _Line("Total number of users at the end of the month", "members_end", summable=False),
        _Line("Number of new users who joined", "members_joined"),
        _Line("Number of users who left the group", "members_left"),
        _Line("Number of users removed by the moderator", "members_removed"),
        _Line("Number of questions answered (excluding private messages)", "questions_answered_public"),
        _Line("Number of group participants", "participants", summable=False),
        _Line("Number of private messages", "private_messages"),
        _Line("Number of posts", "posts", emphasis=True),
    ]
    lines += [_Line(f"Posts: {post_type.replace('_', ' ')}", post_metric(post_type)) for post_type in post_types]
    return tuple(lines)


def write_xlsx(report: Report, path: Path, title: str = "Moderator Workstation") -> None:
    """Write the five-sheet workbook; ``title`` becomes the document title and the printed page header."""
    workbook = Workbook()
    workbook.properties.title = title
    workbook.properties.creator = CREATOR
    workbook.properties.lastModifiedBy = CREATOR

    usage = workbook.active
    usage.title = SHEET_USAGE
    _write_table(usage, report, "Usage", _per_source(report, USAGE_LINES), with_total=True)

    activity = workbook.create_sheet(SHEET_ACTIVITY)
    lines = _for_columns(report, activity_lines(report.post_types))
    _write_table(activity, report, "Membership and activity", _per_source(report, lines), with_total=True)

    standard = workbook.create_sheet(SHEET_STANDARD)
    lines = _for_columns(report, STANDARD_LINES)
    _write_table(standard, report, "Service standard", _per_source(report, lines), with_total=False)

    breakdowns = workbook.create_sheet(SHEET_BREAKDOWNS)
    _write_table(breakdowns, report, "Breakdowns of inquiries", _breakdown_blocks(report), with_total=True)

    log = workbook.create_sheet(SHEET_LOG)
    _write_log(log, report)

    for sheet in workbook.worksheets:
        _page_setup(sheet, title)
    # Built in memory, then written in one go: a disk that fills up fails that one write (said by the
    # caller), not the zip library half-way through, which then complains again when it is collected.
    data = io.BytesIO()
    workbook.save(data)
    path.write_bytes(data.getvalue())


def _for_columns(report: Report, lines: tuple[_Line, ...]) -> tuple[_Line, ...]:
    """A column that is not a calendar month ends at the period's end, not the month's."""
    if all(isinstance(period, Month) for period in report.periods):
        return lines
    wording = (("at the end of the month", "at the end of the period"), ("at month end", "at the period's end"))
    out = []
    for line in lines:
        label = line.label
        for old, new in wording:
            label = label.replace(old, new)
        out.append(replace(line, label=label))
    return tuple(out)


def _per_source(report: Report, lines: tuple[_Line, ...]) -> list[_Block]:
    """All sources first (under the sheet title), then one headed block per source."""
    return [_Block(None, ALL_SOURCES, lines), *(_Block(source, source, lines) for source in report.sources)]


def _breakdown_blocks(report: Report) -> list[_Block]:
    blocks = []
    for dimension in BREAKDOWN_DIMENSIONS:
        keys = report.breakdown_keys.get(dimension, [])
        lines = tuple(_Line(breakdown_label(dimension, key), breakdown_metric(dimension, key)) for key in keys)
        heading = BREAKDOWN_HEADINGS.get(dimension, f"Inquiries by {dimension}")
        blocks.append(_Block(heading, ALL_SOURCES, lines or (_Line("(no inquiries)", ""),)))
    return blocks


def _period(report: Report) -> str:
    return report.label()


def _write_table(sheet: Worksheet, report: Report, what: str, blocks: Sequence[_Block], *, with_total: bool) -> None:
    """Title, a month header, then the blocks separated by one blank row; labels in column A."""
    _put(sheet, TITLE_ROW, 1, f"{what} — all sources, {_period(report)}", font=_TITLE_FONT, align=_LEFT)

    headers = ["", *(period.label() for period in report.periods)]
    if with_total:
        headers.append("Total")
    last_column = len(headers)
    for column, text in enumerate(headers, start=1):
        align = _LEFT if column == 1 else _RIGHT
        _put(sheet, HEADER_ROW, column, text or None, font=_BOLD, fill=_HEADER_FILL, align=align)

    labels: list[str] = []
    spans: list[tuple[int, int]] = []
    row = HEADER_ROW + 1
    for index, block in enumerate(blocks):
        if index:
            row += 1
        first_row = row
        if block.heading is not None:
            for column in range(1, last_column + 1):
                heading = block.heading if column == 1 else None
                _put(sheet, row, column, heading, font=_BOLD, fill=_HEADING_FILL, align=_LEFT)
            labels.append(block.heading)
            row += 1
        for line in block.lines:
            font = _BOLD if line.emphasis else _REGULAR
            _put(sheet, row, 1, line.label, font=font, align=_LEFT)
            labels.append(line.label)
            values: list[int | float] = []
            for column, period in enumerate(report.periods, start=2):
                value = _number(report.get(period, block.source, line.metric)) if line.metric else None
                if value is not None:
                    values.append(value)
                    if line.scale != 1.0:
                        value = value * line.scale
                _put(sheet, row, column, value, number_format=line.number_format, font=font)
            if with_total:
                total = sum(values) if line.summable and values and line.metric else None
                _put(sheet, row, last_column, total, number_format=line.number_format, font=_BOLD)
            row += 1
        spans.append((first_row, row - 1))

    label_width = max(20.0, max((_text_width(label) for label in labels), default=0) + 2.0)
    sheet.column_dimensions["A"].width = label_width
    for column in range(2, last_column + 1):
        sheet.column_dimensions[get_column_letter(column)].width = MONTH_COLUMN_WIDTH
    sheet.freeze_panes = sheet.cell(HEADER_ROW + 1, 2)
    sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    _keep_blocks_on_pages(sheet, spans, label_width + MONTH_COLUMN_WIDTH * (last_column - 1))


def _keep_blocks_on_pages(sheet: Worksheet, spans: Sequence[tuple[int, int]], width_chars: float) -> None:
    """Page breaks between blocks, so a printed block is never cut off from the heading naming its source.

    The rows a page holds are estimated for the smaller of A4 and Letter in landscape, scaled to one page
    wide; the estimate errs low, so a page may end early but a block that fits on a page stays whole.
    """
    sheet_points = (width_chars * 7.0 + 5.0) * 0.75
    scale = min(1.0, _PRINTABLE_WIDTH_POINTS / sheet_points)
    capacity = int(_PRINTABLE_HEIGHT_POINTS / (_ROW_POINTS * scale)) - 2  # header row, rounding slack
    used = HEADER_ROW
    for index, (first, last) in enumerate(spans):
        size = last - first + 1
        if index and used + 1 + size > capacity:
            sheet.row_breaks.append(Break(id=first - 1))  # after the blank row that ends the previous block
            used = 1 + size  # the repeated header row, then the block
        else:
            used += size + (1 if index else 0)


@dataclass(frozen=True)
class _LogColumn:
    header: str
    number_format: str | None = None
    align: Alignment = _LEFT
    min_width: float = 8.0


LOG_COLUMNS: tuple[_LogColumn, ...] = (
    _LogColumn("Date", DATETIME_FORMAT, _LEFT, 17.0),
    _LogColumn("Source"),
    _LogColumn("Member"),
    _LogColumn("Language"),
    _LogColumn("Topic"),
    _LogColumn("State"),
    _LogColumn("First response (min)", MINUTES_FORMAT, _RIGHT),
    _LogColumn("Business first response (min)", MINUTES_FORMAT, _RIGHT),
    _LogColumn("Met standard", None, _CENTER),
    _LogColumn("Inquiry ID", COUNT_FORMAT, _RIGHT),
)

#: Room for the autofilter's drop-down button at the right of each header cell.
_FILTER_BUTTON_WIDTH = 3.0


def _log_values(row: InquiryLogRow, timezone: str) -> tuple[Any, ...]:
    met = None if row.met is None else ("Yes" if row.met else "No")
    return (
        _local_naive(row.arrival, timezone),
        row.source,
        row.member,
        language_label(row.language),
        topic_label(row.topic),
        topic_label(row.state),
        _number(row.first_response_minutes),
        _number(row.business_first_response_minutes),
        met,
        row.inquiry_id,
    )


def _write_log(sheet: Worksheet, report: Report) -> None:
    """One row per inquiry, so any count on the other sheets can be checked by filtering here."""
    widths = [column.min_width for column in LOG_COLUMNS]
    for index, column in enumerate(LOG_COLUMNS, start=1):
        align = Alignment(horizontal=column.align.horizontal, vertical="top", wrap_text=True)
        _put(sheet, 1, index, column.header, font=_BOLD, fill=_HEADER_FILL, align=align)
        widths[index - 1] = max(widths[index - 1], _two_line_width(column.header) + _FILTER_BUTTON_WIDTH)
    sheet.row_dimensions[1].height = 30.0  # two lines of wrapped header

    for row_number, log_row in enumerate(report.inquiry_log, start=2):
        values = _log_values(log_row, report.timezone)
        for index, (column, value) in enumerate(zip(LOG_COLUMNS, values, strict=True)):
            _put(sheet, row_number, index + 1, value, number_format=column.number_format, align=column.align)
            if isinstance(value, str):
                widths[index] = max(widths[index], min(_text_width(value) + 2.0, 50.0))

    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    last = get_column_letter(len(LOG_COLUMNS))
    sheet.auto_filter.ref = f"A1:{last}{len(report.inquiry_log) + 1}"
    sheet.freeze_panes = "B2"
    sheet.print_title_rows = "1:1"


def _two_line_width(text: str) -> float:
    """The narrowest width that shows ``text`` wrapped on at most two lines (split between words)."""
    words = text.split()
    best = _text_width(text)
    for cut in range(1, len(words)):
        lines = (" ".join(words[:cut]), " ".join(words[cut:]))
        best = min(best, max(_text_width(line) for line in lines))
    return best + 1.0


def _page_setup(sheet: Worksheet, title: str) -> None:
    """Landscape, one page wide, title and page numbers, so a printed or PDF copy reads like the screen."""
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.oddHeader.left.text = title.replace("&", "&&")
    sheet.oddHeader.right.text = sheet.title.replace("&", "&&")
    sheet.oddFooter.center.text = "Page &P of &N"


def _put(
    sheet: Worksheet,
    row: int,
    column: int,
    value: Any,
    *,
    number_format: str | None = None,
    font: Font | None = None,
    fill: PatternFill | None = None,
    align: Alignment | None = None,
) -> Any:
    """Write one cell; text is always stored as text, so a name starting with ``=`` is never a formula."""
    cell = sheet.cell(row=row, column=column)
    if isinstance(value, str):
        cell.value = ILLEGAL_CHARACTERS_RE.sub("", value)
        cell.data_type = "s"
    else:
        cell.value = value
    if number_format is not None and value is not None:
        cell.number_format = number_format
    if font is not None:
        cell.font = font
    if fill is not None:
        cell.fill = fill
    if align is not None:
        cell.alignment = align
    return cell


def _number(value: Value) -> int | float | None:
    """Cells take plain numbers: booleans become counts, NaN and infinities become empty cells."""
    if value is None:
        return None
    if isinstance(value, int):
        return int(value)
    return value if math.isfinite(value) else None


def _local_naive(moment: datetime, timezone: str) -> datetime:
    """Excel has no time zones: show the service-time-zone wall clock."""
    if moment.tzinfo is None:
        return moment
    with contextlib.suppress(ZoneInfoNotFoundError, ValueError):  # a bad name: keep the given wall clock
        moment = moment.astimezone(ZoneInfo(timezone))
    return moment.replace(tzinfo=None)


def _text_width(text: str) -> float:
    """Approximate column width in characters: wide (CJK) glyphs count double, combining marks nothing."""
    return float(sum(_char_width(char) for char in text))


def _char_width(char: str) -> int:
    if unicodedata.combining(char):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
