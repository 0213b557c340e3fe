"""Rows appended to an openpyxl sheet keep their text as text (see ``domain.cells``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet


def append_text_row(sheet: Worksheet, values: Sequence[Any]) -> None:
    """``sheet.append`` stores a string starting with "=" as a formula; here it stays the string it is."""
    sheet.append(list(values))
    for cell in sheet[sheet.max_row]:
        if cell.data_type == "f":
            cell.data_type = "s"
