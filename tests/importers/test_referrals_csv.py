"""The referral library CSV: round trip, spreadsheet quirks, and every way a file can be wrong."""

from __future__ import annotations

from pathlib import Path

import pytest

from moderator_app.domain.referrals import ReferralOrganization
from moderator_app.importers.referrals_csv import (
    COLUMNS,
    MAX_REPORTED_PROBLEMS,
    ReferralCsvError,
    read_referrals_csv,
    write_referrals_csv,
)

HEADER = "name,aliases,phone,website,topics,languages\n"

LIBRARY = [
    ReferralOrganization(
        name="Newcomer Information Centre",
        aliases=("مركز معلومات القادمين الجدد", "NIC"),
        phone="613-555-0199",
        website="newcomer-info.example.org",
        topics=("immigration", "housing"),
        languages=("en", "fr", "ar"),
    ),
    ReferralOrganization(
        name='Centre "Accueil", Ottawa',  # quotes and a comma survive the round trip
        aliases=("Accueil",),
        phone="+1 (613) 555-0142",
        website="https://www.accueil.example.org/fr",
        topics=("health",),
        languages=("fr", "zh-Hant"),
    ),
    ReferralOrganization(name="کانون ایرانیان", phone="۶۱۳-۵۵۵-۰۱۷۷"),
    ReferralOrganization(name="华人服务中心", aliases=("Chinese Service Centre",), languages=("zh",)),
]


def write(tmp_path: Path, text: str, *, name: str = "referrals.csv", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def error_of(path: Path) -> ReferralCsvError:
    with pytest.raises(ReferralCsvError) as info:
        read_referrals_csv(path)
    return info.value


def test_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "library.csv"
    write_referrals_csv(path, LIBRARY)
    assert read_referrals_csv(path) == LIBRARY
    raw = path.read_bytes()
    assert raw.startswith(b"name,aliases,phone,website,topics,languages\r\n")
    assert not raw.startswith(b"\xef\xbb\xbf")


def test_ids_are_not_written(tmp_path: Path) -> None:
    path = tmp_path / "library.csv"
    write_referrals_csv(path, [ReferralOrganization(name="Org", id=42)])
    assert read_referrals_csv(path) == [ReferralOrganization(name="Org")]


def test_write_replaces_an_existing_file_and_leaves_no_temporary(tmp_path: Path) -> None:
    path = tmp_path / "library.csv"
    path.write_text("old", encoding="utf-8")
    write_referrals_csv(path, LIBRARY[:1])
    assert read_referrals_csv(path) == LIBRARY[:1]
    assert [p.name for p in tmp_path.iterdir()] == ["library.csv"]


def test_write_refuses_a_value_containing_the_separator(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="aliases"):
        write_referrals_csv(tmp_path / "x.csv", [ReferralOrganization(name="Org", aliases=("A|B",))])


def test_bom_columns_in_any_order_and_spreadsheet_spacing(tmp_path: Path) -> None:
    text = (
        "\ufeffLanguages, Name ,website,phone,topics,aliases\r\n"
        "en | fr ,  Housing   Help ,housinghelp.example.org,613 555 0188,housing,Aide au logement||\r\n"
        "\r\n"  # a blank line is skipped
        "ar,بنك الطعام,,,food\r\n"  # trailing empty cells left out
    )
    assert read_referrals_csv(write(tmp_path, text)) == [
        ReferralOrganization(
            name="Housing Help",
            aliases=("Aide au logement",),
            phone="613 555 0188",
            website="housinghelp.example.org",
            topics=("housing",),
            languages=("en", "fr"),
        ),
        ReferralOrganization(name="بنك الطعام", topics=("food",), languages=("ar",)),
    ]


def test_quoted_cell_spanning_lines_counts_as_one_spreadsheet_row(tmp_path: Path) -> None:
    text = HEADER + '"Two\nLines",,,,,\nBad,,,not a url,,\n'
    error = error_of(write(tmp_path, text))
    assert error.row == 3


def test_header_only_gives_an_empty_library(tmp_path: Path) -> None:
    assert read_referrals_csv(write(tmp_path, HEADER)) == []


@pytest.mark.parametrize(
    ("row", "column", "expected"),
    [
        ("Org,,,not a url,,", "website", "'not a url' is not a web address (write it like example.org"),
        ("Org,,,localhost,,", "website", "'localhost' is not a web address"),
        (",,613-555-0199,,,", "name", "the name is empty"),
        (",,,,,", "name", "the name is empty"),
        ("Org,,555-019,,,", "phone", "'555-019' is not a phone number"),
        ("Org,,1234567890123456,,,", "phone", "is not a phone number"),
        ("Org,,call us,,,", "phone", "'call us' is not a phone number"),
        ("Org,,6.13556E+09,,,", "phone", "is not a phone number"),
        ("Org,,,,,english", "languages", "'english' is not a language code"),
        ("Org,,,,,en|f", "languages", "'f' is not a language code"),
        ("Org,,,,,en_CA", "languages", "'en_CA' is not a language code"),
        # PostgreSQL refused such a name that SQLite took (issue: hardening, item 13): both logs keep 255.
        ("N" * 300 + ",,,,,", "name", "the name is 300 characters long; the log keeps at most 255"),
    ],
)
def test_row_errors_name_row_and_column(tmp_path: Path, row: str, column: str, expected: str) -> None:
    error = error_of(write(tmp_path, HEADER + "Good,,613-555-0100,good.example.org,,en\n" + row + "\n"))
    assert (error.row, error.column) == (3, column)
    assert str(error).startswith(f"referrals.csv, row 3, column {column!r}: ")
    assert expected in str(error)
    assert error.all_problems == (error,)


def test_message_reads_like_the_spreadsheet(tmp_path: Path) -> None:
    text = HEADER + "A,,,,,\nB,,,,,\nC,,,,,\nD,,,not a url,,\n"
    assert str(error_of(write(tmp_path, text))) == (
        "referrals.csv, row 5, column 'website': 'not a url' is not a web address "
        "(write it like example.org or https://example.org)"
    )


def test_valid_values_are_accepted(tmp_path: Path) -> None:
    text = HEADER + (
        "A,,+1 (613) 555-0199,https://www.a.example.org/path?x=1,,zh-Hant|fa-IR|fil\n"
        "B,,٦١٣٥٥٥٠١٩٩,b.example.org/,,\n"
        "C,,613.555.0199,xn--80ak6aa92e.com,,\n"
    )
    assert [org.name for org in read_referrals_csv(write(tmp_path, text))] == ["A", "B", "C"]


def test_duplicate_name_names_both_rows(tmp_path: Path) -> None:
    text = HEADER + "YMCA,,,,,\nOther,,,,,\n  ymca ,,,,,\n"
    error = error_of(write(tmp_path, text))
    assert (error.row, error.column) == (4, "name")
    assert "'ymca' is already on row 2" in str(error)


def test_duplicate_arabic_name_with_harakat(tmp_path: Path) -> None:
    text = HEADER + "الهلال الأحمر,,,,,\nالهِلال الأحمر,,,,,\n"
    assert "already on row 2" in str(error_of(write(tmp_path, text)))


def test_all_or_nothing_lists_every_problem(tmp_path: Path) -> None:
    text = HEADER + (
        "Good,,613-555-0100,good.example.org,,en\n"  # row 2 is fine, still not returned
        "Bad web,,,not a url,,\n"  # row 3
        ",,,,,\n"  # row 4
        "Bad phone,,12,,,english\n"  # row 5: two problems
    )
    error = error_of(write(tmp_path, text))
    assert error.row is None and error.column is None
    assert [(p.row, p.column) for p in error.all_problems] == [
        (3, "website"),
        (4, "name"),
        (5, "phone"),
        (5, "languages"),
    ]
    message = str(error)
    assert message.startswith("referrals.csv: 4 problems, nothing was imported:")
    assert "\n  row 3, column 'website': 'not a url' is not a web address" in message
    assert "\n  row 5, column 'languages': 'english' is not a language code" in message


def test_many_problems_are_capped_in_the_message(tmp_path: Path) -> None:
    text = HEADER + "".join(f"Org {i},,,bad url {i},,\n" for i in range(30))
    error = error_of(write(tmp_path, text))
    assert len(error.problems) == 30
    message = str(error)
    assert message.count("\n  row ") == MAX_REPORTED_PROBLEMS
    assert message.endswith("... and 10 more")


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("name,aliases,phone,website,topics\n", "missing column languages"),
        ("name,phone\n", "missing columns aliases, website, topics, languages"),
        (HEADER.strip() + ",notes\n", "unknown column 'notes'"),
        ("name,aliases,phone,website,topics,languages,name\n", "name given twice"),
        (
            "organisation,aliases,phone,website,topics,languages\n",
            "missing column name; unknown column 'organisation'",
        ),
        ("\n", "missing columns name, aliases"),
    ],
)
def test_header_errors_list_the_expected_columns(tmp_path: Path, header: str, expected: str) -> None:
    error = error_of(write(tmp_path, header + "Org,,,,,\n"))
    assert error.row == 1 and error.column is None
    assert expected in str(error)
    assert ", ".join(COLUMNS) in str(error)


@pytest.mark.parametrize("content", [b"", b"\xef\xbb\xbf", b"  \r\n\r\n"])
def test_empty_file(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "referrals.csv"
    path.write_bytes(content)
    message = str(error_of(path))
    assert message.startswith("referrals.csv: the file is empty")
    assert "name,aliases,phone,website,topics,languages" in message


def test_not_utf8_gives_file_and_byte_offset(tmp_path: Path) -> None:
    path = write(tmp_path, HEADER + "Société,,,,,\n", encoding="latin-1")
    error = error_of(path)
    offset = len(HEADER.encode()) + len("Soci")
    assert f"byte {offset}" in str(error)
    assert "around line 2" in str(error)
    assert str(error).startswith("referrals.csv: the file is not UTF-8")
    assert "CSV UTF-8" in str(error)


def test_not_utf8_offset_counts_the_bom(tmp_path: Path) -> None:
    path = tmp_path / "referrals.csv"
    path.write_bytes(b"\xef\xbb\xbf" + HEADER.encode() + b"Soci\xe9t\xe9,,,,,\n")
    assert f"byte {3 + len(HEADER) + 4}" in str(error_of(path))


def test_broken_quoting(tmp_path: Path) -> None:
    error = error_of(write(tmp_path, HEADER + 'Org,"unterminated\n'))
    assert "not a readable CSV file" in str(error)


def test_stray_extra_cells(tmp_path: Path) -> None:
    error = error_of(write(tmp_path, HEADER + "Org,,,,,,oops\n"))
    assert error.row == 2
    assert "7 cells" in str(error)


def test_missing_file(tmp_path: Path) -> None:
    assert "cannot be read" in str(error_of(tmp_path / "nope.csv"))
