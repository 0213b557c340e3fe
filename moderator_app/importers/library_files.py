"""Canned-answer libraries as files organizations share: YAML, CSV and XLSX.

- **YAML**: ``format: moderator-app canned answers 1`` and ``answers:``, a list of ``title``, ``shortcut``,
  ``topics`` (a list), ``needs_review``, ``last_reviewed`` (YYYY-MM-DD or null) and ``bodies`` (language tag:
  text). The starter library in ``resources/library/`` is one.
- **CSV** and **XLSX** (first sheet): one row per answer and language, columns
  ``shortcut,title,topics,needs_review,last_reviewed,language,body``; topics separated by ``|``;
  needs_review ``yes``/``no``. The rows of one answer repeat its shortcut, title, topics and review state.

Reading is all-or-nothing: every problem is reported with where it is (line or row, and what was expected),
and a file with a problem gives no answers at all.
"""

from __future__ import annotations

import csv
import io
import os
import sys
import tempfile
import zipfile
from collections.abc import Iterable, Sequence
from datetime import date
from pathlib import Path
from typing import Any, Final

from moderator_app.domain.cells import csv_text, from_csv_text
from moderator_app.domain.library import CannedAnswer, problems
from moderator_app.importers.spreadsheet import append_text_row

FORMAT: Final = "moderator-app canned answers 1"
_STARTER_NAME: Final = "starter-answers.yaml"


def _starter_library() -> Path:
    """The source tree's copy (a checkout, an editable install, a bundle), else the one ``pip install``
    put under the environment's ``share/moderator-app`` (pyproject's data-files)."""
    source = Path(__file__).resolve().parents[2] / "resources" / "library" / _STARTER_NAME
    if source.is_file():
        return source
    installed = Path(sys.prefix) / "share" / "moderator-app" / "library" / _STARTER_NAME
    return installed if installed.is_file() else source


#: The starter library shipped with the app (generic templates, all marked as needing review).
STARTER_LIBRARY: Final = _starter_library()
COLUMNS: Final = ("shortcut", "title", "topics", "needs_review", "last_reviewed", "language", "body")
MAX_REPORTED: Final = 20
_TRUE: Final = frozenset({"yes", "y", "true", "1", "oui", "x"})
_FALSE: Final = frozenset({"no", "n", "false", "0", "non", ""})


class LibraryFileError(ValueError):
    """A library file that cannot be imported: says where and what is wrong; nothing was imported."""


def read_library(path: Path) -> list[CannedAnswer]:
    """The answers of a .yaml/.yml, .csv or .xlsx file (by its extension)."""
    suffix = path.suffix.lower()
    if suffix in (".yaml", ".yml"):
        return read_yaml(path)
    if suffix == ".csv":
        return read_csv(path)
    if suffix == ".xlsx":
        return read_xlsx(path)
    raise LibraryFileError(f"{path}: give a .yaml, .csv or .xlsx file (this one ends in {suffix or 'nothing'}).")


def write_library(path: Path, answers: Sequence[CannedAnswer]) -> None:
    suffix = path.suffix.lower()
    if suffix in (".yaml", ".yml"):
        data = write_yaml(answers)
    elif suffix == ".csv":
        data = write_csv(answers)
    elif suffix == ".xlsx":
        data = write_xlsx(answers)
    else:
        raise LibraryFileError(f"{path}: write a .yaml, .csv or .xlsx file.")
    write_atomically(path, data)


# -- YAML -------------------------------------------------------------------------------------------------


def read_yaml(path: Path) -> list[CannedAnswer]:
    import yaml

    from moderator_app.importers.yaml_files import load_plain_yaml

    try:
        data = load_plain_yaml(path.read_text(encoding="utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise LibraryFileError(f"{path}: not UTF-8 text (byte {exc.start}). Save it as UTF-8.") from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark is not None else "somewhere"
        problem = getattr(exc, "problem", None) or str(exc)
        raise LibraryFileError(f"{path}: not valid YAML at {where}: {problem}.") from exc
    if not isinstance(data, dict) or data.get("format") != FORMAT or not isinstance(data.get("answers"), list):
        raise LibraryFileError(
            f"{path}: expected a canned-answer library: a mapping with 'format: {FORMAT}' and a list 'answers:'."
        )
    answers: list[CannedAnswer] = []
    found: list[str] = []
    for position, item in enumerate(data["answers"], start=1):
        where = f"answer {position}"
        if not isinstance(item, dict):
            found.append(f"{where}: expected a mapping with title, shortcut, topics and bodies")
            continue
        where = f"answer {position} ({item.get('shortcut') or item.get('title') or 'no shortcut'})"
        bodies = item.get("bodies")
        if not isinstance(bodies, dict) or not all(isinstance(v, str) for v in bodies.values()):
            found.append(f"{where}: 'bodies' must map language tags to texts (en: ..., ar: ...)")
            continue
        topics = item.get("topics") or []
        if isinstance(topics, str):
            topics = [topics]
        reviewed = item.get("last_reviewed")
        if reviewed is not None and not isinstance(reviewed, date):
            try:
                reviewed = date.fromisoformat(str(reviewed))
            except ValueError:
                found.append(f"{where}: last_reviewed must be a date like 2026-11-22, not {reviewed!r}")
                continue
        answer = CannedAnswer(
            title=str(item.get("title") or ""),
            shortcut=str(item.get("shortcut") or ""),
            bodies={str(k): v for k, v in bodies.items()},
            topics=tuple(str(t) for t in topics),
            needs_review=bool(item.get("needs_review", True)),
            last_reviewed=reviewed,
        )
        found += [f"{where}: {p}" for p in problems(answer)]
        answers.append(answer)
    _raise_if(path, found + _repeated(answers))
    return answers


def write_yaml(answers: Sequence[CannedAnswer]) -> bytes:
    import yaml

    class _Dumper(yaml.SafeDumper):
        pass

    def text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|" if "\n" in value else None)

    _Dumper.add_representer(str, text)
    data = {
        "format": FORMAT,
        "answers": [
            {
                "title": a.title,
                "shortcut": a.shortcut,
                "topics": list(a.topics),
                "needs_review": a.needs_review,
                "last_reviewed": a.last_reviewed,
                "bodies": dict(a.bodies),
            }
            for a in answers
        ],
    }
    dumped: str = yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=1000)
    return dumped.encode("utf-8")


# -- CSV and XLSX: one row per answer and language ------------------------------------------------------------


def read_csv(path: Path) -> list[CannedAnswer]:
    try:
        content = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise LibraryFileError(f"{path}: not UTF-8 text (byte {exc.start}). Save it as 'CSV UTF-8'.") from exc
    reader = csv.reader(io.StringIO(content, newline=""))
    rows = [[from_csv_text(cell) for cell in row] for row in reader]  # as write_csv quoted them
    return _from_rows(path, rows, "line")


def read_xlsx(path: Path) -> list[CannedAnswer]:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, OSError, KeyError, ValueError) as exc:
        raise LibraryFileError(f"{path}: not an Excel workbook (.xlsx) that can be read: {exc}") from exc
    try:
        sheet = book.worksheets[0]
        rows = [["" if cell is None else _cell_text(cell) for cell in row] for row in sheet.iter_rows(values_only=True)]
    finally:
        book.close()
    return _from_rows(path, rows, "row")


def _cell_text(value: Any) -> str:
    if isinstance(value, date):
        return value.isoformat()[:10]
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def _from_rows(path: Path, rows: list[list[str]], unit: str) -> list[CannedAnswer]:
    if not rows:
        raise LibraryFileError(f"{path}: empty; expected a header {','.join(COLUMNS)} and one row per text.")
    header = [h.strip().lower() for h in rows[0]]
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise LibraryFileError(
            f"{path}: {unit} 1: missing column{'s' if len(missing) > 1 else ''} {', '.join(missing)}; the header "
            f"must have {','.join(COLUMNS)}."
        )
    at = {c: header.index(c) for c in COLUMNS}
    found: list[str] = []
    order: list[str] = []
    heads: dict[str, tuple[str, tuple[str, ...], bool, date | None, int]] = {}
    bodies: dict[str, dict[str, str]] = {}
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        cells = {
            c: (row[i].strip() if i < len(row) and c != "body" else (row[i] if i < len(row) else ""))
            for c, i in at.items()
        }
        where = f"{unit} {number}"
        shortcut = cells["shortcut"]
        if not shortcut:
            found.append(f"{where}, column shortcut: empty")
            continue
        review = cells["needs_review"].lower()
        if review not in _TRUE | _FALSE:
            found.append(f"{where}, column needs_review: {cells['needs_review']!r} is not yes or no")
            continue
        reviewed: date | None = None
        if cells["last_reviewed"]:
            try:
                reviewed = date.fromisoformat(cells["last_reviewed"][:10])
            except ValueError:
                found.append(f"{where}, column last_reviewed: {cells['last_reviewed']!r} is not a date like 2026-11-22")
                continue
        topics = tuple(t.strip() for t in cells["topics"].split("|") if t.strip())
        head = (cells["title"], topics, review in _TRUE, reviewed)
        if shortcut in heads:
            first_title, first_topics, first_review, first_reviewed, first_row = heads[shortcut]
            if (first_title, first_topics, first_review, first_reviewed) != head:
                found.append(
                    f"{where}: the title, topics or review columns differ from {unit} {first_row} of the same "
                    f"shortcut {shortcut!r}"
                )
                continue
        else:
            heads[shortcut] = (*head, number)
            order.append(shortcut)
            bodies[shortcut] = {}
        language = cells["language"]
        if language in bodies[shortcut]:
            found.append(f"{where}: a second {language or '(empty)'} text for {shortcut!r}")
            continue
        bodies[shortcut][language] = cells["body"].replace("\r\n", "\n")
    answers = []
    for shortcut in order:
        title, topics, needs_review, reviewed, first_row = heads[shortcut]
        answer = CannedAnswer(title, shortcut, bodies[shortcut], topics, needs_review, reviewed)
        found += [f"{unit} {first_row} ({shortcut}): {p}" for p in problems(answer)]
        answers.append(answer)
    _raise_if(path, found)
    return answers


def _rows(answers: Iterable[CannedAnswer]) -> list[list[str]]:
    rows = [list(COLUMNS)]
    for a in answers:
        for language, body in a.bodies.items():
            rows.append(
                [
                    a.shortcut,
                    a.title,
                    "|".join(a.topics),
                    "yes" if a.needs_review else "no",
                    a.last_reviewed.isoformat() if a.last_reviewed else "",
                    language,
                    body,
                ]
            )
    return rows


def write_csv(answers: Sequence[CannedAnswer]) -> bytes:
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator="\r\n").writerows([csv_text(cell) for cell in row] for row in _rows(answers))
    return b"\xef\xbb\xbf" + out.getvalue().encode("utf-8")  # with a BOM: Excel then reads it as UTF-8


def write_xlsx(answers: Sequence[CannedAnswer]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "answers"
    for row in _rows(answers):
        append_text_row(sheet, row)
    for column, width in zip("ABCDEFG", (22, 30, 18, 12, 14, 9, 90), strict=True):
        sheet.column_dimensions[column].width = width
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# -- shared --------------------------------------------------------------------------------------------------


def _repeated(answers: Sequence[CannedAnswer]) -> list[str]:
    shortcuts = [a.shortcut for a in answers]
    return [
        f"the shortcut {s!r} is used by more than one answer"
        for s in sorted({s for s in shortcuts if shortcuts.count(s) > 1})
    ]


def _raise_if(path: Path, found: list[str]) -> None:
    if not found:
        return
    shown = found[:MAX_REPORTED]
    more = f"\n  … and {len(found) - MAX_REPORTED} more" if len(found) > MAX_REPORTED else ""
    raise LibraryFileError(f"{path}: nothing was imported:\n  " + "\n  ".join(shown) + more)


def write_atomically(path: Path, data: bytes) -> None:
    """Written beside the target then moved over it: an interrupted export never leaves half a file."""
    handle, temporary = tempfile.mkstemp(dir=path.parent or Path("."), prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
