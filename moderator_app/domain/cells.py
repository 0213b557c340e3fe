"""Text written to spreadsheet files stays text: a cell a spreadsheet would run as a formula is neutralised.

Names, answers and group titles come from other people; a CSV cell starting with ``=``, ``+``, ``-`` or ``@``
(or a tab or carriage return) is taken for a formula by Excel and LibreOffice, and ``=HYPERLINK(…)`` or a DDE
call then runs on the manager's computer. OWASP's advice for CSV: prefix such a cell with a single quote,
which spreadsheets read as "text follows". Our own readers take the quote off again, so an exported file
imports back unchanged. (XLSX cells are typed: there the writers store text cells as text instead.)
"""

from __future__ import annotations

from typing import Final

#: First characters a spreadsheet reads as the start of a formula.
FORMULA_STARTS: Final = ("=", "+", "-", "@", "\t", "\r")


def csv_text(value: str) -> str:
    """``value`` as a CSV cell no spreadsheet evaluates."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def from_csv_text(value: str) -> str:
    """A CSV cell as :func:`csv_text` was given it (only a quote it added is taken off)."""
    return value[1:] if value.startswith("'") and value[1:].startswith(FORMULA_STARTS) else value
