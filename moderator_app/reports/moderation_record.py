"""The moderation record as CSV or XLSX: one row per action, times in the service time zone.

Member names, reasons and deleted messages are other people's text: CSV cells that a spreadsheet would run
as a formula are quoted (domain.cells), XLSX cells are stored as text.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Final
from zoneinfo import ZoneInfo

from moderator_app.domain.cells import csv_text
from moderator_app.domain.moderation import RecordEntry

COLUMNS: Final = (
    "time",
    "source",
    "member",
    "action",
    "until",
    "guideline",
    "reason",
    "by",
    "origin",
    "state",
    "message",
    "error",
)


def _rows(entries: Sequence[RecordEntry], tz: ZoneInfo) -> list[list[str]]:
    def local(moment: datetime | None) -> str:
        return moment.astimezone(tz).strftime("%Y-%m-%d %H:%M") if moment is not None else ""

    return [
        [
            local(e.at),
            e.source,
            e.member,
            e.kind,
            local(e.until),
            e.guideline,
            e.reason,
            e.by,
            e.origin.value,
            e.state,
            e.message,
            e.error,
        ]
        for e in entries
    ]


def write_record_csv(entries: Sequence[RecordEntry], tz: ZoneInfo, path: Path) -> int:
    with path.open("w", encoding="utf-8-sig", newline="") as handle:  # with a BOM: Excel then reads UTF-8
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        for row in _rows(entries, tz):
            writer.writerow([csv_text(value) for value in row])
    return len(entries)


def write_record_xlsx(entries: Sequence[RecordEntry], tz: ZoneInfo, path: Path) -> int:
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Moderation record"
    for column, name in enumerate(COLUMNS, 1):
        cell = sheet.cell(row=1, column=column, value=name)
        cell.font = Font(bold=True)
    for row_number, row in enumerate(_rows(entries, tz), 2):
        for column, value in enumerate(row, 1):
            cell = sheet.cell(row=row_number, column=column)
            cell.value = ILLEGAL_CHARACTERS_RE.sub("", value)
            cell.data_type = "s"  # text, never a formula
    sheet.freeze_panes = "A2"
    for letter, width in zip("ABCDEFGHIJKL", (17, 22, 22, 18, 17, 22, 30, 16, 9, 8, 50, 40), strict=True):
        sheet.column_dimensions[letter].width = width
    book.save(path)
    return len(entries)
