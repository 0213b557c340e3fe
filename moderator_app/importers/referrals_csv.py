"""The referral library as a CSV file, so staff can keep it in a spreadsheet.

Format: a header with exactly the columns ``name,aliases,phone,website,topics,languages`` (any order);
aliases, topics and languages hold several values separated by ``|``; UTF-8 with or without a BOM (Excel's
"CSV UTF-8" writes one). Reading is all-or-nothing: every problem in the file is reported at once, with the
row number the spreadsheet shows, and no organization is returned from a file with a problem, so a half-
imported library never counts referrals against the wrong list.
"""

from __future__ import annotations

import csv
import io
import os
import re
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Final

from moderator_app.domain.cells import csv_text, from_csv_text
from moderator_app.domain.library import length_problems
from moderator_app.domain.referrals import ReferralOrganization, website_host
from moderator_app.domain.text import normalize

__all__ = [
    "COLUMNS",
    "MAX_REPORTED_PROBLEMS",
    "ReferralCsvError",
    "read_referrals_csv",
    "read_referrals_text",
    "write_referrals_csv",
]

#: The columns of a referral library file, in the order they are written.
COLUMNS: Final = ("name", "aliases", "phone", "website", "topics", "languages")
#: A file with more problems than this lists the first ones and says how many more there are.
MAX_REPORTED_PROBLEMS: Final = 20

_SEPARATOR: Final = "|"
_BOM: Final = b"\xef\xbb\xbf"
_LANGUAGE_TAG_RE: Final = re.compile(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*")
_PHONE_CHARS_RE: Final = re.compile(r"[\d\s+\-.()/]*")
_MIN_PHONE_DIGITS: Final = 7
_MAX_PHONE_DIGITS: Final = 15


class ReferralCsvError(ValueError):
    """A referral library file that cannot be imported, with where the problem is.

    One problem has its ``row`` (as the spreadsheet numbers it, header = 1) and ``column`` when they are
    known. A file with several problems raises one error whose ``problems`` lists them all (its own row and
    column are None), so the UI can show each one and the command line prints them as one message.
    """

    def __init__(
        self,
        path: Path,
        message: str,
        row: int | None = None,
        column: str | None = None,
        problems: Sequence[ReferralCsvError] = (),
    ) -> None:
        self.path = path
        self.message = message
        self.row = row
        self.column = column
        self.problems: tuple[ReferralCsvError, ...] = tuple(problems)
        super().__init__(self._describe())

    @property
    def all_problems(self) -> tuple[ReferralCsvError, ...]:
        """Each problem on its own (this error itself when it is the only one)."""
        return self.problems or (self,)

    def _where(self) -> str:
        parts = [self.path.name]
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column is not None:
            parts.append(f"column {self.column!r}")
        return ", ".join(parts)

    def _describe(self) -> str:
        if not self.problems:
            return f"{self._where()}: {self.message}"
        lines = [f"{self.path.name}: {self.message}"]
        for problem in self.problems[:MAX_REPORTED_PROBLEMS]:
            where = problem._where().removeprefix(self.path.name).removeprefix(", ")
            lines.append(f"  {where}: {problem.message}" if where else f"  {problem.message}")
        if len(self.problems) > MAX_REPORTED_PROBLEMS:
            lines.append(f"  ... and {len(self.problems) - MAX_REPORTED_PROBLEMS} more")
        return "\n".join(lines)


def _split(cell: str) -> tuple[str, ...]:
    values: list[str] = []
    for part in cell.split(_SEPARATOR):
        value = part.strip()
        if value and value not in values:
            values.append(value)
    return tuple(values)


def _decode(path: Path, data: bytes) -> str:
    body = data.removeprefix(_BOM)
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as exc:
        offset = exc.start + (len(data) - len(body))
        row = data.count(b"\n", 0, offset) + 1
        raise ReferralCsvError(
            path,
            f"the file is not UTF-8 text (byte {offset}, around line {row}); in your spreadsheet use "
            f'"Save as" and choose "CSV UTF-8"',
        ) from None


def _check_header(path: Path, header: list[str]) -> dict[str, int]:
    cells = [cell.strip().casefold() for cell in header]
    expected = ", ".join(COLUMNS)
    unknown = [header[i].strip() for i, cell in enumerate(cells) if cell not in COLUMNS]
    missing = [column for column in COLUMNS if column not in cells]
    duplicated = sorted({cell for cell in cells if cell in COLUMNS and cells.count(cell) > 1})
    problems = []
    if missing:
        problems.append(f"missing column{'s' if len(missing) > 1 else ''} {', '.join(missing)}")
    if unknown:
        names = ", ".join(repr(name) for name in unknown)
        problems.append(f"unknown column{'s' if len(unknown) > 1 else ''} {names}")
    if duplicated:
        problems.append(f"column{'s' if len(duplicated) > 1 else ''} {', '.join(duplicated)} given twice")
    if problems:
        raise ReferralCsvError(
            path,
            f"{'; '.join(problems)}. The first row must name exactly these columns (any order): {expected}",
            row=1,
        )
    return {cell: i for i, cell in enumerate(cells)}


def _check_phone(phone: str) -> str | None:
    digits = sum(1 for char in normalize(phone) if char.isdigit())
    if not _PHONE_CHARS_RE.fullmatch(normalize(phone)) or not _MIN_PHONE_DIGITS <= digits <= _MAX_PHONE_DIGITS:
        return (
            f"{phone!r} is not a phone number (write {_MIN_PHONE_DIGITS} to {_MAX_PHONE_DIGITS} digits, "
            "e.g. 613-555-0199 or +1 613 555 0199)"
        )
    return None


def read_referrals_csv(path: Path) -> list[ReferralOrganization]:
    """The organizations of a referral library file, in file order; ReferralCsvError if any row is wrong."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ReferralCsvError(path, f"cannot be read: {exc.strerror or exc}") from exc
    return read_referrals_text(path, _decode(path, data))


def read_referrals_text(path: Path, text: str) -> list[ReferralOrganization]:
    """The CSV parse and checks of :func:`read_referrals_csv` on text already read (a spreadsheet's rows
    are checked the same way, with the same row numbers)."""
    if not text.strip():
        raise ReferralCsvError(path, f"the file is empty; the first row must name the columns {','.join(COLUMNS)}")
    records = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(records)
        index = _check_header(path, header)
        problems: list[ReferralCsvError] = []
        organizations: list[ReferralOrganization] = []
        first_row_of: dict[str, int] = {}
        for row, record in enumerate(records, start=2):
            if not record:
                continue  # a blank line
            organization, row_problems = _parse_row(path, row, record, index, first_row_of)
            problems += row_problems
            if organization is not None:
                organizations.append(organization)
    except csv.Error as exc:
        raise ReferralCsvError(path, f"not a readable CSV file (line {records.line_num}: {exc})") from None
    if len(problems) == 1:
        raise problems[0]
    if problems:
        raise ReferralCsvError(path, f"{len(problems)} problems, nothing was imported:", problems=problems)
    return organizations


def _parse_row(
    path: Path, row: int, record: list[str], index: dict[str, int], first_row_of: dict[str, int]
) -> tuple[ReferralOrganization | None, list[ReferralCsvError]]:
    problems: list[ReferralCsvError] = []

    def problem(column: str | None, message: str) -> None:
        problems.append(ReferralCsvError(path, message, row=row, column=column))

    if len(record) > len(index) and any(cell.strip() for cell in record[len(index) :]):
        problem(None, f"has {len(record)} cells but the header names {len(index)} columns (a stray comma?)")
        return None, problems
    cells = {column: from_csv_text(record[i].strip()) if i < len(record) else "" for column, i in index.items()}

    name = " ".join(cells["name"].split())
    if not name:
        problem("name", "the name is empty (every organization needs one; delete the row if it is not used)")
    else:
        key = normalize(name)
        if key in first_row_of:
            problem("name", f"{name!r} is already on row {first_row_of[key]} (names must be unique)")
        else:
            first_row_of[key] = row
    phone = cells["phone"]
    if phone and (message := _check_phone(phone)) is not None:
        problem("phone", message)
    website = cells["website"]
    if website and not website_host(website):
        problem("website", f"{website!r} is not a web address (write it like example.org or https://example.org)")
    languages = _split(cells["languages"])
    for language in languages:
        if not _LANGUAGE_TAG_RE.fullmatch(language):
            problem(
                "languages",
                f"{language!r} is not a language code (use codes like ar, fa, fr, en, zh or zh-Hant, "
                f"separated by {_SEPARATOR})",
            )
    if problems:
        return None, problems
    organization = ReferralOrganization(
        name=name,
        aliases=_split(cells["aliases"]),
        phone=phone,
        website=website,
        topics=_split(cells["topics"]),
        languages=languages,
    )
    for field, sentence in length_problems(organization):
        problem(field, sentence)
    return (None if problems else organization), problems


def write_referrals_csv(path: Path, organizations: Iterable[ReferralOrganization]) -> None:
    """Write the library in the format ``read_referrals_csv`` reads, replacing the file only when complete."""
    rows = []
    for org in organizations:
        for field, values in (("aliases", org.aliases), ("topics", org.topics), ("languages", org.languages)):
            if any(_SEPARATOR in value for value in values):
                raise ValueError(f"{org.name!r}: a value in {field} contains {_SEPARATOR!r}, which separates values")
        rows.append(
            [
                org.name,
                _SEPARATOR.join(org.aliases),
                org.phone,
                org.website,
                _SEPARATOR.join(org.topics),
                _SEPARATOR.join(org.languages),
            ]
        )
    # Written next to the target and renamed over it, so a crash never leaves half a library behind.
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            writer = csv.writer(out)  # "\r\n" line endings, as spreadsheets write them
            writer.writerow(COLUMNS)
            writer.writerows([csv_text(cell) for cell in row] for row in rows)  # no cell runs as a formula
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
