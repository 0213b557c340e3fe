"""YAML files people hand in are plain data: an alias bomb or thousands of nested brackets are refused at
once with the line they start on, for the library and the partners alike (issue: hardening, item 5)."""

from __future__ import annotations

import resource
import time
from pathlib import Path

import pytest

from moderator_app.importers.library_files import FORMAT as LIBRARY_FORMAT
from moderator_app.importers.library_files import LibraryFileError, read_library
from moderator_app.importers.referral_files import FORMAT as PARTNERS_FORMAT
from moderator_app.importers.referral_files import read_referrals
from moderator_app.importers.referrals_csv import ReferralCsvError
from moderator_app.importers.yaml_files import load_plain_yaml

#: "Billion laughs": 9^9 strings from about 450 bytes.
BOMB = "\n".join(
    [
        "format: {format}",
        'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
        *(f"{x}: &{x} [{','.join(['*' + p] * 9)}]" for p, x in zip("abcdefgh", "bcdefghi", strict=True)),
        "{key}: *i",
    ]
)
DEEP = "x: " + "[" * 20_000 + "]" * 20_000


def _read(kind: str, path: Path) -> None:
    if kind == "library":
        read_library(path)
    else:
        read_referrals(path)


@pytest.mark.parametrize(
    ("kind", "fmt", "key", "error"),
    [
        ("library", LIBRARY_FORMAT, "answers", LibraryFileError),
        ("partners", PARTNERS_FORMAT, "organizations", ReferralCsvError),
    ],
)
def test_an_alias_bomb_and_deep_nesting_are_refused_at_once(
    tmp_path: Path, kind: str, fmt: str, key: str, error: type[Exception]
) -> None:
    bomb = tmp_path / "bomb.yaml"
    bomb.write_text(BOMB.format(format=fmt, key=key), encoding="utf-8")
    assert len(bomb.read_bytes()) < 600
    memory_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.monotonic()
    with pytest.raises(error, match=r"line 3, column \d+: an alias \(\*name\)"):
        _read(kind, bomb)
    deep = tmp_path / "deep.yaml"
    deep.write_text(DEEP, encoding="utf-8")
    with pytest.raises(error, match="nested more than 32 levels deep"):
        _read(kind, deep)
    # Refused, not expanded: no minute of work, no gigabytes (the bomb alone took 44 s and 5.5 GB before).
    assert time.monotonic() - started < 20
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - memory_before < 200_000  # kilobytes


def test_plain_data_still_loads() -> None:
    assert load_plain_yaml("a: [1, {b: c}]\nd: text\n") == {"a": [1, {"b": "c"}], "d": "text"}
