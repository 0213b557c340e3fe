"""The referral library as CSV (the foundation's format), XLSX and YAML, so organizations can share it.

- **CSV**: ``name,aliases,phone,website,topics,languages`` (see :mod:`referrals_csv`); details entered in the
  editor are kept when a CSV is imported.
- **XLSX** (first sheet): the same six columns, then optionally ``address, email, hours, eligibility`` and
  ``name:<language>`` and ``message:<language>`` columns (``name:ar``, ``message:ar``…) for the names and
  referral messages in other languages. Rows are checked exactly as the
  CSV's, with the spreadsheet's row numbers.
- **YAML**: ``format: moderator-app partners 1`` and ``organizations:``, a list of ``name``, ``aliases``,
  ``phone``, ``email``, ``website``, ``address``, ``hours``, ``topics``, ``languages``, ``eligibility``, ``names`` and
  ``messages`` (language tag: text).

All-or-nothing: a file with any problem imports nothing and says where each one is.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Final

from moderator_app.domain.library import organization_problems
from moderator_app.domain.referrals import ReferralOrganization
from moderator_app.importers.library_files import write_atomically
from moderator_app.importers.referrals_csv import (
    COLUMNS,
    ReferralCsvError,
    read_referrals_csv,
    read_referrals_text,
    write_referrals_csv,
)
from moderator_app.importers.spreadsheet import append_text_row

FORMAT: Final = "moderator-app partners 1"
DETAILS: Final = ("address", "email", "hours", "eligibility")
_MESSAGE: Final = "message:"
_NAME: Final = "name:"


def read_referrals(path: Path) -> tuple[list[ReferralOrganization], bool]:
    """The organizations of a .csv, .xlsx or .yaml file, and whether the file carries their details (address,
    messages...): a CSV does not, so importing one keeps those already entered."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return read_referrals_csv(path), False
    if suffix == ".xlsx":
        return _read_xlsx(path), True
    if suffix in (".yaml", ".yml"):
        return _read_yaml(path), True
    raise ReferralCsvError(path, f"give a .csv, .xlsx or .yaml file (this one ends in {suffix or 'nothing'})")


def write_referrals(path: Path, organizations: Sequence[ReferralOrganization]) -> None:
    suffix = path.suffix.lower()
    if suffix == ".csv":
        write_referrals_csv(path, organizations)
    elif suffix == ".xlsx":
        write_atomically(path, _xlsx(organizations))
    elif suffix in (".yaml", ".yml"):
        write_atomically(path, _yaml(organizations))
    else:
        raise ReferralCsvError(path, "write a .csv, .xlsx or .yaml file")


def _read_xlsx(path: Path) -> list[ReferralOrganization]:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, OSError, KeyError, ValueError) as exc:
        raise ReferralCsvError(path, f"not an Excel workbook (.xlsx) that can be read: {exc}") from exc
    try:
        rows = [["" if v is None else str(v) for v in row] for row in book.worksheets[0].iter_rows(values_only=True)]
    finally:
        book.close()
    if not rows:
        raise ReferralCsvError(path, f"the sheet is empty; the first row must name the columns {','.join(COLUMNS)}")
    header = [h.strip().lower() for h in rows[0]]
    base = [i for i, h in enumerate(header) if h in COLUMNS]
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    for row in rows:  # an empty row stays a (skipped) blank line, so the row numbers are the spreadsheet's
        writer.writerow([row[i] if i < len(row) else "" for i in base] if any(c.strip() for c in row) else [])
    organizations = read_referrals_text(path, out.getvalue())  # the same checks and row numbers as a CSV
    extra = {h: i for i, h in enumerate(header) if h in DETAILS or h.startswith((_MESSAGE, _NAME))}
    detailed: list[ReferralOrganization] = []
    problems: list[ReferralCsvError] = []
    filled = [(n, r) for n, r in enumerate(rows[1:], start=2) if any(cell.strip() for cell in r)]
    for organization, (number, row) in zip(organizations, filled, strict=True):
        cell = {h: (row[i].strip() if i < len(row) else "") for h, i in extra.items()}
        messages = tuple((h[len(_MESSAGE) :], text) for h, text in cell.items() if h.startswith(_MESSAGE) and text)
        names = tuple((h[len(_NAME) :], text) for h, text in cell.items() if h.startswith(_NAME) and text)
        full = _with(organization, cell, messages, names)
        problems += [ReferralCsvError(path, p, row=number) for p in organization_problems(full)]
        detailed.append(full)
    _raise(path, problems)
    return detailed


def _with(
    organization: ReferralOrganization,
    cell: dict[str, str],
    messages: tuple[tuple[str, str], ...],
    names: tuple[tuple[str, str], ...] = (),
) -> ReferralOrganization:
    return ReferralOrganization(
        name=organization.name,
        aliases=organization.aliases,
        phone=organization.phone,
        website=organization.website,
        topics=organization.topics,
        languages=organization.languages,
        address=cell.get("address", ""),
        email=cell.get("email", ""),
        hours=cell.get("hours", ""),
        eligibility=cell.get("eligibility", ""),
        templates=messages,
        names=names,
    )


def _read_yaml(path: Path) -> list[ReferralOrganization]:
    import yaml

    from moderator_app.importers.yaml_files import load_plain_yaml

    try:
        data = load_plain_yaml(path.read_text(encoding="utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise ReferralCsvError(path, f"not UTF-8 text (byte {exc.start}); save it as UTF-8") from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark is not None else "somewhere"
        raise ReferralCsvError(path, f"not valid YAML at {where}: {getattr(exc, 'problem', None) or exc}") from exc
    if not isinstance(data, dict) or data.get("format") != FORMAT or not isinstance(data.get("organizations"), list):
        raise ReferralCsvError(path, f"expected 'format: {FORMAT}' and a list 'organizations:'")
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    items: list[dict[str, Any]] = []
    for item in data["organizations"]:
        item = item if isinstance(item, dict) else {}
        items.append(item)
        writer.writerow([_joined(item.get(column)) for column in COLUMNS])
    # The CSV's checks, its "row N" being the N-1th organization of the list.
    organizations = read_referrals_text(path, out.getvalue())
    problems: list[ReferralCsvError] = []
    detailed = []
    for number, (organization, item) in enumerate(zip(organizations, items, strict=True), start=2):
        messages = item.get("messages") or {}
        names = item.get("names") or {}
        if not isinstance(messages, dict) or not isinstance(names, dict):
            problems.append(ReferralCsvError(path, "'messages' and 'names' map language tags to texts", row=number))
            messages, names = {}, {}
        cell = {d: str(item.get(d) or "") for d in DETAILS}
        full = _with(
            organization,
            cell,
            tuple((str(k), str(v)) for k, v in messages.items()),
            tuple((str(k), str(v)) for k, v in names.items()),
        )
        problems += [ReferralCsvError(path, p, row=number) for p in organization_problems(full)]
        detailed.append(full)
    _raise(path, problems)
    return detailed


def _joined(value: Any) -> str:
    if isinstance(value, list | tuple):
        return "|".join(str(v) for v in value)
    return "" if value is None else str(value)


def _raise(path: Path, problems: list[ReferralCsvError]) -> None:
    if len(problems) == 1:
        raise problems[0]
    if problems:
        raise ReferralCsvError(path, f"{len(problems)} problems, nothing was imported:", problems=problems)


def _languages(organizations: Sequence[ReferralOrganization], names: bool = False) -> list[str]:
    return list(dict.fromkeys(tag for o in organizations for tag, _ in (o.names if names else o.templates)))


def _xlsx(organizations: Sequence[ReferralOrganization]) -> bytes:
    from openpyxl import Workbook

    languages = _languages(organizations)
    name_languages = _languages(organizations, names=True)
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "partners"
    append_text_row(
        sheet, [*COLUMNS, *DETAILS, *(_NAME + tag for tag in name_languages), *(_MESSAGE + tag for tag in languages)]
    )
    for o in organizations:
        messages = dict(o.templates)
        names = dict(o.names)
        append_text_row(
            sheet,
            [
                o.name,
                "|".join(o.aliases),
                o.phone,
                o.website,
                "|".join(o.topics),
                "|".join(o.languages),
                o.address,
                o.email,
                o.hours,
                o.eligibility,
                *(names.get(tag, "") for tag in name_languages),
                *(messages.get(tag, "") for tag in languages),
            ],
        )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _yaml(organizations: Sequence[ReferralOrganization]) -> bytes:
    import yaml

    data = {
        "format": FORMAT,
        "organizations": [
            {
                "name": o.name,
                "aliases": list(o.aliases),
                "phone": o.phone,
                "email": o.email,
                "website": o.website,
                "address": o.address,
                "hours": o.hours,
                "topics": list(o.topics),
                "languages": list(o.languages),
                "eligibility": o.eligibility,
                "names": dict(o.names),
                "messages": dict(o.templates),
            }
            for o in organizations
        ],
    }
    dumped: str = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000)
    return dumped.encode("utf-8")
