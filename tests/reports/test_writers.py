"""The CSV and XLSX writers: exact values, the toolkit's Table 6 layout, and what a reader's viewer needs."""

from __future__ import annotations

import csv
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import openpyxl
import pytest

from moderator_app.domain.statistics import InquiryLogRow, Month, Report, month_range
from moderator_app.reports.csv_report import format_value, write_csv
from moderator_app.reports.xlsx_report import (
    SHEET_ACTIVITY,
    SHEET_BREAKDOWNS,
    SHEET_LOG,
    SHEET_STANDARD,
    SHEET_USAGE,
    write_xlsx,
)

ARABIC = "مجموعة الترحيب"
COMMA = "Newcomers, Ottawa"
TZ = "America/Toronto"


def sample_report() -> Report:
    """Two sources (one Arabic, one with a comma), three months, a few values including None."""
    months = month_range(Month(2026, 1), Month(2026, 3))
    report = Report(
        periods=months,
        sources=[COMMA, ARABIC],
        timezone=TZ,
        post_types=["announcement", "event"],
        breakdown_keys={
            "language": ["ar", "fa", "en"],
            "topic": ["housing_search", "ESL_classes"],
            "moderator": ["Amina"],
        },
    )
    for index, month in enumerate(months):
        for source, base in ((COMMA, 10), (ARABIC, 20)):
            report.set(month, source, "inquiries", base + index)
            report.set(month, source, "posts", 2)
        report.set(month, "all", "inquiries", 30 + 2 * index)
        report.set(month, "all", "information", 5)
        report.set(month, "all", "referrals", 1)
        report.set(month, "all", "posts", 4)
        report.set(month, "all", "total", 40 + 2 * index)
        report.set(month, "all", "members_end", 100 + index)
        report.set(month, "all", "participants", 12)
        report.set(month, "all", "posts_event", 3)
        report.set(month, "all", "posts_announcement", 1)
        report.set(month, "all", "answered_within_standard", 28)
        report.set(month, "all", "first_response_business_median_minutes", 42.25)
        report.set(month, "all", "inquiries_language:ar", 7 + index)
        report.set(month, "all", "inquiries_topic:housing_search", 3)
    report.set("2026-01", "all", "answered_within_standard_pct", 87.5)
    report.set("2026-02", "all", "answered_within_standard_pct", 100.0)
    report.set("2026-03", "all", "answered_within_standard_pct", None)
    report.set("2026-03", "all", "first_response_median_minutes", None)
    report.inquiry_log = [
        InquiryLogRow(1, datetime(2026, 1, 5, 9, 30, tzinfo=ZoneInfo(TZ)), ARABIC, "member-7f3a", "ar",
                      "housing_search", "answered", 12.5, 12.5, True),
        InquiryLogRow(2, datetime(2026, 2, 1, 22, 5), COMMA, "member-01bc", "und", "other", "open",
                      None, None, None),
        InquiryLogRow(3, datetime(2026, 3, 31, 23, 59, tzinfo=ZoneInfo(TZ)), COMMA, "=1+1", "fa",
                      "ESL_classes", "answered", 1500.0, 600.0, False),
    ]  # fmt: skip
    return report


# --- CSV ---------------------------------------------------------------------------------------------------


def read_csv_rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


def test_csv_header_row_count_and_order(tmp_path: Path) -> None:
    report = sample_report()
    path = tmp_path / "stats.csv"
    written = write_csv(report, path)

    rows = read_csv_rows(path)
    metrics = report.metric_names()
    assert rows[0] == ["month", "source", "metric", "value"]
    assert written == len(rows) - 1 == 3 * (2 + 1) * len(metrics)
    assert rows[1] == ["2026-01", COMMA, "inquiries", "10"]
    # sources in report order, then "all"; metrics in export order within each
    assert [row[1] for row in rows[1 :: len(metrics)]][:3] == [COMMA, ARABIC, "all"]
    assert [row[2] for row in rows[1 : 1 + len(metrics)]] == metrics


def test_csv_values(tmp_path: Path) -> None:
    path = tmp_path / "stats.csv"
    write_csv(sample_report(), path)
    by_key = {(m, s, k): v for m, s, k, v in read_csv_rows(path)[1:]}

    assert by_key[("2026-02", ARABIC, "inquiries")] == "21"
    assert by_key[("2026-03", "all", "total")] == "44"
    assert by_key[("2026-01", "all", "answered_within_standard_pct")] == "87.5"
    assert by_key[("2026-02", "all", "answered_within_standard_pct")] == "100"
    assert by_key[("2026-03", "all", "answered_within_standard_pct")] == ""  # None
    assert by_key[("2026-01", "all", "first_response_business_median_minutes")] == "42.2"
    assert by_key[("2026-01", COMMA, "members_left")] == "0"  # missing count reads as 0
    assert by_key[("2026-01", "all", "inquiries_language:ar")] == "7"


def test_csv_bytes_utf8_no_bom_lf_and_quoting(tmp_path: Path) -> None:
    path = tmp_path / "stats.csv"
    write_csv(sample_report(), path)
    data = path.read_bytes()

    assert not data.startswith(b"\xef\xbb\xbf")
    assert b"\r" not in data
    assert data.startswith(b"month,source,metric,value\n")
    assert f'2026-01,"{COMMA}",inquiries,10\n'.encode() in data
    assert f"2026-01,{ARABIC},inquiries,20\n".encode() in data
    assert b"2026-03,all,answered_within_standard_pct,\n" in data


@pytest.mark.parametrize(
    ("value", "text"),
    [(None, ""), (0, "0"), (279, "279"), (87.5, "87.5"), (12.0, "12"), (42.25, "42.2"), (0.04, "0"),
     (-0.04, "0"), (1 / 3, "0.3"), (float("nan"), "")],
)  # fmt: skip
def test_csv_format_value(value: int | float | None, text: str) -> None:
    assert format_value(value) == text


def test_csv_no_months_writes_header_only(tmp_path: Path) -> None:
    path = tmp_path / "empty.csv"
    assert write_csv(Report(periods=[], sources=["a"], timezone=TZ), path) == 0
    assert path.read_text(encoding="utf-8") == "month,source,metric,value\n"


# --- XLSX --------------------------------------------------------------------------------------------------


def column_a(sheet: Any) -> list[Any]:
    return [row[0] for row in sheet.iter_rows(min_col=1, max_col=1, values_only=True)]


def test_xlsx_sheets_and_properties(tmp_path: Path) -> None:
    path = tmp_path / "stats.xlsx"
    write_xlsx(sample_report(), path, title="Refugee 613 & partners")
    book = openpyxl.load_workbook(path)

    assert book.sheetnames == [SHEET_USAGE, SHEET_ACTIVITY, SHEET_STANDARD, SHEET_BREAKDOWNS, SHEET_LOG]
    assert book.properties.title == "Refugee 613 & partners"
    assert book.properties.creator == "Moderator Workstation"
    for sheet in book.worksheets:
        assert sheet.freeze_panes == ("B2" if sheet.title == SHEET_LOG else "B3")
        assert not any(cell.data_type == "f" for row in sheet.iter_rows() for cell in row)


def test_xlsx_usage_table6_layout(tmp_path: Path) -> None:
    path = tmp_path / "stats.xlsx"
    write_xlsx(sample_report(), path)
    sheet = openpyxl.load_workbook(path)[SHEET_USAGE]

    assert sheet["A1"].value == "Usage — all sources, Jan-26 to Mar-26"
    assert [c.value for c in sheet[2]] == [None, "Jan-26", "Feb-26", "Mar-26", "Total"]
    assert sheet["B2"].font.b and sheet["B2"].fill.fgColor.rgb.endswith("DDEBF7")
    assert column_a(sheet)[2:7] == ["Inquiries", "Information", "Referrals", "Posts", "Total"]
    assert [c.value for c in sheet[3]] == ["Inquiries", 30, 32, 34, 96]
    assert [c.value for c in sheet[7]] == ["Total", 40, 42, 44, 126]
    assert sheet["B3"].number_format == "0" and sheet["E3"].number_format == "0"
    # per-source blocks: one blank row, a heading with the source name, the same five rows
    assert sheet["A8"].value is None
    assert sheet["A9"].value == COMMA
    assert [c.value for c in sheet[10]] == ["Inquiries", 10, 11, 12, 33]
    assert sheet["A16"].value == ARABIC
    assert [c.value for c in sheet[17]] == ["Inquiries", 20, 21, 22, 63]
    assert [c.value for c in sheet[20]] == ["Posts", 2, 2, 2, 6]
    assert sheet.max_row == 21
    assert sheet.column_dimensions["A"].width >= len("Information")
    assert sheet.column_dimensions["B"].width == pytest.approx(9)


def test_xlsx_activity_table7_wording_and_totals(tmp_path: Path) -> None:
    path = tmp_path / "stats.xlsx"
    write_xlsx(sample_report(), path)
    sheet = openpyxl.load_workbook(path)[SHEET_ACTIVITY]

    labels = column_a(sheet)
    assert labels[2:12] == [
        "Total number of users at the end of the month",
        "Number of new users who joined",
        "Number of users who left the group",
        "Number of users removed by the moderator",
        "Number of questions answered (excluding private messages)",
        "Number of group participants",
        "Number of private messages",
        "Number of posts",
        "Posts: announcement",
        "Posts: event",
    ]
    assert [c.value for c in sheet[3]] == [labels[2], 100, 101, 102, None]  # no total of a month-end count
    assert [c.value for c in sheet[4]] == [labels[3], 0, 0, 0, 0]
    assert [c.value for c in sheet[12]] == ["Posts: event", 3, 3, 3, 9]
    assert sheet.column_dimensions["A"].width >= len(labels[6])


def test_xlsx_service_standard_percent_and_minutes(tmp_path: Path) -> None:
    path = tmp_path / "stats.xlsx"
    write_xlsx(sample_report(), path)
    sheet = openpyxl.load_workbook(path)[SHEET_STANDARD]

    assert [c.value for c in sheet[2]] == [None, "Jan-26", "Feb-26", "Mar-26"]  # no Total column
    rows = {row[0].value: row for row in sheet.iter_rows(min_row=3, max_row=19)}
    pct = rows["Answered within the standard (%)"]
    assert pct[1].value == pytest.approx(0.875) and pct[1].number_format == "0.0%"
    assert pct[2].value == pytest.approx(1.0)
    assert pct[3].value is None
    median = rows["Business-hours first response, median (minutes)"]
    assert median[1].value == pytest.approx(42.25) and median[1].number_format == "0"
    assert rows["First response, median (minutes)"][3].value is None
    assert rows["First response in 0–1 business hours"][1].value == 0
    assert "Open and overdue at month end" in rows


def test_xlsx_breakdowns_labels(tmp_path: Path) -> None:
    path = tmp_path / "stats.xlsx"
    write_xlsx(sample_report(), path)
    sheet = openpyxl.load_workbook(path)[SHEET_BREAKDOWNS]

    labels = column_a(sheet)
    assert labels[2:6] == ["Inquiries by language", "ar — Arabic", "fa — Farsi", "en — English"]
    assert labels[7:10] == ["Inquiries by topic", "Housing search", "ESL classes"]
    assert labels[11:13] == ["Inquiries by moderator", "Amina"]
    assert [c.value for c in sheet[4]] == ["ar — Arabic", 7, 8, 9, 24]
    assert [c.value for c in sheet[9]] == ["Housing search", 3, 3, 3, 9]


def test_xlsx_inquiry_log(tmp_path: Path) -> None:
    path = tmp_path / "stats.xlsx"
    write_xlsx(sample_report(), path)
    sheet = openpyxl.load_workbook(path)[SHEET_LOG]

    assert [c.value for c in sheet[1]][:9] == [
        "Date", "Source", "Member", "Language", "Topic", "State",
        "First response (min)", "Business first response (min)", "Met standard",
    ]  # fmt: skip
    assert sheet.auto_filter.ref == "A1:J4"
    first = [c.value for c in sheet[2]]
    assert first[0] == datetime(2026, 1, 5, 9, 30)
    assert sheet["A2"].is_date and sheet["A2"].number_format == "yyyy-mm-dd hh:mm"
    assert first[1:9] == [
        ARABIC,
        "member-7f3a",
        "ar — Arabic",
        "Housing search",
        "Answered",
        12.5,
        12.5,
        "Yes",
    ]
    assert sheet["G2"].number_format == "0.0"
    assert [c.value for c in sheet[3]][6:9] == [None, None, None]
    assert sheet["C4"].value == "=1+1" and sheet["C4"].data_type == "s"  # text, never a formula
    assert sheet["I4"].value == "No"
    assert sheet.column_dimensions["B"].width >= len(COMMA)


def test_xlsx_converts_other_time_zones_to_service_wall_clock(tmp_path: Path) -> None:
    report = Report(periods=[Month(2026, 7)], sources=[], timezone=TZ)
    report.inquiry_log = [
        InquiryLogRow(9, datetime(2026, 7, 1, 12, 0, tzinfo=ZoneInfo("UTC")), "s", "m", "en", "t", "open",
                      None, None, None),
    ]  # fmt: skip
    path = tmp_path / "tz.xlsx"
    write_xlsx(report, path)
    assert openpyxl.load_workbook(path)[SHEET_LOG]["A2"].value == datetime(2026, 7, 1, 8, 0)


def test_xlsx_reproduces_toolkit_table6(tmp_path: Path) -> None:
    """The toolkit's Table 6 (Refugee 613, Mar-17 to Feb-18), written from a Report holding its numbers."""
    table6 = {
        "inquiries": [23, 32, 22, 14, 15, 23, 21, 24, 21, 22, 23, 39],
        "information": [10, 10, 13, 9, 7, 11, 12, 20, 13, 15, 11, 38],
        "referrals": [27, 38, 18, 6, 8, 19, 19, 37, 14, 8, 16, 11],
        "posts": [42, 39, 47, 39, 30, 35, 29, 58, 28, 29, 47, 35],
        "total": [102, 119, 100, 68, 60, 88, 81, 139, 76, 74, 97, 123],
    }
    months = month_range(Month.parse("2017-03"), Month.parse("2018-02"))
    report = Report(periods=months, sources=[], timezone=TZ)
    for metric, numbers in table6.items():
        for month, number in zip(months, numbers, strict=True):
            report.set(month, "all", metric, number)
    path = tmp_path / "table6.xlsx"
    write_xlsx(report, path)
    sheet = openpyxl.load_workbook(path)[SHEET_USAGE]

    assert [c.value for c in sheet[2]] == [
        None, "Mar-17", "Apr-17", "May-17", "Jun-17", "Jul-17", "Aug-17",
        "Sep-17", "Oct-17", "Nov-17", "Dec-17", "Jan-18", "Feb-18", "Total",
    ]  # fmt: skip
    expected = {
        "Inquiries": (table6["inquiries"], 279),
        "Information": (table6["information"], 169),
        "Referrals": (table6["referrals"], 221),
        "Posts": (table6["posts"], 458),
        "Total": (table6["total"], 1127),
    }
    written = {row[0]: (list(row[1:13]), row[13]) for row in sheet.iter_rows(min_row=3, values_only=True)}
    assert written == expected
    assert sheet["N7"].number_format == "0" and sheet["N7"].font.b


def test_xlsx_page_breaks_fall_between_source_blocks(tmp_path: Path) -> None:
    """Printed, a block never loses the heading that names its source."""
    report = sample_report()
    report.sources = [f"Group {n}" for n in range(8)]
    path = tmp_path / "many.xlsx"
    write_xlsx(report, path)
    sheet = openpyxl.load_workbook(path)[SHEET_ACTIVITY]

    breaks = [brk.id for brk in sheet.row_breaks.brk]
    assert breaks
    for row in breaks:
        assert sheet.cell(row, 1).value is None
        assert str(sheet.cell(row + 1, 1).value).startswith("Group ")


def test_xlsx_empty_report(tmp_path: Path) -> None:
    path = tmp_path / "empty.xlsx"
    write_xlsx(Report(periods=[], sources=[], timezone=""), path)
    book = openpyxl.load_workbook(path)

    assert book[SHEET_USAGE]["A1"].value == "Usage — all sources, no period"
    assert [c.value for c in book[SHEET_USAGE][2]] == [None, "Total"]
    assert book[SHEET_BREAKDOWNS]["A4"].value == "(no inquiries)"
    assert book[SHEET_LOG].auto_filter.ref == "A1:J1"
