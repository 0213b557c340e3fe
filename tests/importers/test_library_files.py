"""Canned-answer libraries: the starter library, YAML/CSV/XLSX round trips, bad files refused whole, and the
library in the log (both SQLite and PostgreSQL through the ``db`` fixture)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from moderator_app.domain.library import VARIABLES, CannedAnswer, blanks, fill, problems, review_due
from moderator_app.importers.library_files import (
    COLUMNS,
    LibraryFileError,
    read_library,
    write_library,
)
from moderator_app.store.db import Database
from moderator_app.store.library import LibraryError, LibraryRepository

STARTER = Path(__file__).resolve().parents[2] / "resources" / "library" / "starter-answers.yaml"

BUS = CannedAnswer(
    title="Bus pass",
    shortcut="bus-pass",
    bodies={
        "en": "Hello {member_first_name}, the pass costs {?price}. — {moderator_name}, {organization}",
        "ar": "مرحبًا {member_first_name}، سعر الاشتراك {?السعر}.",
        "fa": "سلام {member_first_name}، قیمت کارت {?قیمت} است.",
        "fr-CA": "Bonjour {member_first_name}, la carte coûte {?prix}\nau {today}.",
        "zh": "你好 {member_first_name}，月票价格是 {?价格}。",
    },
    topics=("transportation",),
    needs_review=False,
    last_reviewed=date(2026, 3, 1),
)


def test_the_starter_library_is_a_valid_library_needing_review() -> None:
    answers = read_library(STARTER)
    assert len(answers) >= 20
    assert len({a.shortcut for a in answers}) == len(answers)
    for answer in answers:
        assert answer.needs_review and answer.last_reviewed is None
        assert {"en", "fr", "ar"} <= set(answer.bodies)
        assert problems(answer) == []
    titles = " ".join(a.title.casefold() for a in answers)
    for subject in ("health card", "school", "language", "transit", "housing", "employment", "tax"):
        assert subject in titles


@pytest.mark.parametrize("suffix", [".yaml", ".csv", ".xlsx"])
def test_round_trip(tmp_path: Path, suffix: str) -> None:
    other = CannedAnswer("Welcome", "welcome", {"en": "Welcome!"}, ("other",))
    path = tmp_path / f"library{suffix}"
    write_library(path, [BUS, other])
    assert read_library(path) == [BUS, other]


def test_fill_variables_and_blanks() -> None:
    body = BUS.bodies["en"]
    assert blanks(body) == ["price"]
    values = {"member_first_name": "Amal", "moderator_name": "Nadia", "organization": "Newcomer Centre"}
    assert fill(body, values, {"price": "$45"}) == "Hello Amal, the pass costs $45. — Nadia, Newcomer Centre"
    assert fill(body, values) == "Hello Amal, the pass costs {?price}. — Nadia, Newcomer Centre"  # left to fill
    assert blanks("{?a} {?b} {?a}") == ["a", "b"]
    assert set(VARIABLES) == {"member_first_name", "moderator_name", "organization", "today"}
    assert BUS.body_for("fr") == ("fr-CA", BUS.bodies["fr-CA"])  # the primary subtag finds a regional text
    assert BUS.body_for("de") == ("en", BUS.bodies["en"])


def test_review_reminder_after_the_configured_months() -> None:
    assert not review_due(BUS, date(2026, 11, 22), months=12)
    assert review_due(BUS, date(2026, 9, 1), months=6)
    assert review_due(CannedAnswer("t", "t", {"en": "x"}), date(2026, 1, 1))  # never reviewed


def test_problems_are_sentences() -> None:
    wrong = CannedAnswer("", "Bus Pass", {"en": "Hi {member_name}", "xx_1": "t", "fr": " "}, ("buses",))
    found = " | ".join(problems(wrong))
    assert "title is empty" in found and "shortcut 'Bus Pass'" in found and "Unknown topic 'buses'" in found
    assert "{member_name}, which is not a variable" in found and "'xx_1' is not a language tag" in found
    assert "The fr text is empty" in found


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_bad_yaml_files_say_where(tmp_path: Path) -> None:
    with pytest.raises(LibraryFileError, match=r"not valid YAML at line 3, column 3"):
        read_library(_write(tmp_path / "a.yaml", "format: x\nanswers: [\n  - {"))
    with pytest.raises(LibraryFileError, match="expected a canned-answer library"):
        read_library(_write(tmp_path / "b.yaml", "- just a list\n"))
    text = (
        "format: moderator-app canned answers 1\nanswers:\n"
        "  - {title: A, shortcut: a, topics: [health], bodies: {en: 'Hi {name}'}}\n"
        "  - {title: B, shortcut: a, topics: [health], bodies: {en: 'Hi'}}\n"
        "  - {title: C, shortcut: c, topics: [health], bodies: {en: 'Hi'}, last_reviewed: yesterday}\n"
    )
    with pytest.raises(LibraryFileError) as caught:
        read_library(_write(tmp_path / "c.yaml", text))
    message = str(caught.value)
    assert "nothing was imported" in message and "answer 1 (a): The en text uses {name}" in message
    assert "the shortcut 'a' is used by more than one answer" in message
    assert "answer 3 (c): last_reviewed must be a date" in message
    with pytest.raises(LibraryFileError, match=r"give a \.yaml, \.csv or \.xlsx file"):
        read_library(_write(tmp_path / "d.txt", "x"))


def test_bad_csv_and_xlsx_files_say_where(tmp_path: Path) -> None:
    with pytest.raises(LibraryFileError, match="line 1: missing columns needs_review, last_reviewed"):
        read_library(_write(tmp_path / "a.csv", "shortcut,title,topics,language,body\n"))
    header = ",".join(COLUMNS) + "\n"
    rows = (
        "bus,Bus,transportation,maybe,,en,Hi\n"
        "tax,Tax,finance,yes,,en,Hi\n"
        "tax,Taxes,finance,yes,,fr,Salut\n"
        "food,Food,food,no,22/11/2026,en,Hi\n"
    )
    with pytest.raises(LibraryFileError) as caught:
        read_library(_write(tmp_path / "b.csv", header + rows))
    message = str(caught.value)
    assert "line 2, column needs_review: 'maybe' is not yes or no" in message
    assert "line 4: the title, topics or review columns differ from line 3" in message
    assert "line 5, column last_reviewed: '22/11/2026' is not a date" in message
    (tmp_path / "c.xlsx").write_bytes(b"PK\x03\x04 not really a workbook")
    with pytest.raises(LibraryFileError, match="not an Excel workbook"):
        read_library(tmp_path / "c.xlsx")
    (tmp_path / "d.csv").write_bytes("shortcut\n\xff\xfe".encode("latin-1"))
    with pytest.raises(LibraryFileError, match="not UTF-8"):
        read_library(tmp_path / "d.csv")


def test_library_in_the_log(db: Database) -> None:
    library = LibraryRepository(db)
    assert library.upsert_all([BUS]) == (1, 0)
    stored = library.get("bus-pass")
    assert stored is not None and stored == BUS and stored.id is not None
    library.record_use(stored.id)
    library.record_use(stored.id)
    changed = CannedAnswer("Bus and metro pass", "bus-pass", {"en": "New text"}, ("transportation",))
    assert library.upsert_all([changed, CannedAnswer("Tax clinic", "tax", {"ar": "عيادة الضرائب"})]) == (1, 1)
    again = library.get("bus-pass")
    assert again is not None and again.bodies == {"en": "New text"} and again.usage_count == 2
    library.mark_reviewed(again.id or 0, date(2026, 11, 22))
    reviewed = library.get("bus-pass")
    assert reviewed is not None and not reviewed.needs_review and reviewed.last_reviewed == date(2026, 11, 22)
    with pytest.raises(LibraryError, match="Nothing was saved"):
        library.upsert_all([CannedAnswer("Fine", "fine", {"en": "ok"}), CannedAnswer("Bad", "Bad!", {"en": "x"})])
    assert [a.shortcut for a in library.all()] == ["bus-pass", "tax"]  # nothing of the refused batch


def test_the_starter_library_is_found_where_pip_install_puts_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A wheel has no resources/ beside the package: pyproject's data-files put the file under the
    environment's share/moderator-app/library."""
    import sys

    from moderator_app.importers import library_files

    installed = tmp_path / "share" / "moderator-app" / "library" / "starter-answers.yaml"
    installed.parent.mkdir(parents=True)
    installed.write_bytes(library_files.STARTER_LIBRARY.read_bytes())
    monkeypatch.setattr(library_files, "__file__", str(tmp_path / "site-packages" / "moderator_app" / "x" / "y.py"))
    monkeypatch.setattr(sys, "prefix", str(tmp_path))
    assert library_files._starter_library() == installed
    assert len(library_files.read_library(installed)) == 22


def test_the_starter_library_speaks_the_five_languages_with_the_same_blanks() -> None:
    """Chinese and Farsi members were sent English: every starter answer has a text in each of the five
    languages, with the English text's blanks and variables (labels translated)."""
    from moderator_app.domain.library import VARIABLES, blanks, problems
    from moderator_app.importers.library_files import STARTER_LIBRARY, read_library

    answers = read_library(STARTER_LIBRARY)
    assert len(answers) >= 20
    for answer in answers:
        assert set(answer.bodies) == {"en", "fr", "ar", "fa", "zh"}, answer.title
        assert not problems(answer), answer.title
        english = answer.bodies["en"]
        for tag in ("fa", "zh"):
            body = answer.bodies[tag]
            assert len(blanks(body)) == len(blanks(english)), (answer.title, tag)
            for variable in VARIABLES:
                assert (f"{{{variable}}}" in body) == (f"{{{variable}}}" in english), (answer.title, tag, variable)
        assert "ي" not in answer.bodies["fa"] and "ك" not in answer.bodies["fa"], answer.title  # Persian letters
