"""The library picker's search at each keystroke: 5,000 answers x 5 languages in the in-memory index.

Queries are typed letter by letter (Arabic with a clitic, Farsi with ZWNJ, French with accents, Chinese,
English, a shortcut); each keystroke is one ``LibraryIndex.search``. The target is a result within 30 ms of a
keystroke. Run with

    .venv/bin/python -m pytest tests/benchmarks/test_library_search_bench.py -m benchmarks -s
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path
from typing import Any

import pytest

from moderator_app.domain.library_search import SEARCH_INDEX_VERSION, LibraryDocument, LibraryIndex
from moderator_app.domain.settings import SEARCH_INDEX_VERSION as SEARCH_INDEX_VERSION_SETTING
from moderator_app.store.db import open_database
from moderator_app.store.library import search_index
from moderator_app.store.library_search import ANSWER, LibrarySearchStore
from moderator_app.store.repositories import SettingsRepository
from tests.support.library_documents import generated_library

pytestmark = pytest.mark.benchmarks

ANSWERS = 5_000
WORDS_PER_BODY = 60
TARGET_MS = 30.0

# (preferred language, query as typed)
TYPED = [
    ("ar", "بالمدرسة"),
    ("ar", "طبيب العائلة"),
    ("fa", "می‌خواهم"),
    ("fa", "درخواست کارت"),
    ("fr", "inscription"),
    ("fr", "carte santé"),
    ("fr", "médecin de famille"),
    ("zh", "英语课程"),
    ("zh", "健康卡申请"),
    ("en", "health card"),
    ("en", "answer-4321"),
]


def _keystrokes() -> list[tuple[str, str]]:
    return [(language, query[:end]) for language, query in TYPED for end in range(1, len(query) + 1)]


def test_search_per_keystroke(benchmark: Any) -> None:
    documents = generated_library(ANSWERS, words=WORDS_PER_BODY)
    started = time.perf_counter()
    index = LibraryIndex(documents)
    build_s = time.perf_counter() - started
    keystrokes = _keystrokes()

    def type_everything() -> int:
        return sum(len(index.search(query, language)) for language, query in keystrokes)

    benchmark.pedantic(type_everything, rounds=5, iterations=1, warmup_rounds=1)
    per_keystroke: list[float] = []
    slowest = ("", 0.0)
    for language, query in keystrokes:
        times = []
        for _ in range(5):
            begin = time.perf_counter()
            index.search(query, language)
            times.append(time.perf_counter() - begin)
        ms = statistics.median(times) * 1000
        per_keystroke.append(ms)
        if ms > slowest[1]:
            slowest = (query, ms)
    median_ms = statistics.median(per_keystroke)
    p95_ms = statistics.quantiles(per_keystroke, n=20)[-1]
    benchmark.extra_info.update(
        {
            "documents": len(index),
            "build_s": round(build_s, 2),
            "keystrokes": len(keystrokes),
            "median_keystroke_ms": round(median_ms, 2),
            "p95_keystroke_ms": round(p95_ms, 2),
            "slowest_keystroke_ms": round(slowest[1], 2),
        }
    )
    print(
        f"\nlibrary search over {len(index):,} documents (built in {build_s:.1f} s): {len(keystrokes)} keystrokes, "
        f"median {median_ms:.2f} ms, 95th percentile {p95_ms:.2f} ms, slowest {slowest[1]:.2f} ms "
        f"({slowest[0]!r})"
    )
    assert len(index) == ANSWERS * 5
    assert slowest[1] < TARGET_MS


def test_database_search_per_keystroke(benchmark: Any, tmp_path: Path) -> None:
    """The same keystrokes through the log's index (SQLite FTS5 + trigrams, then ranking of the candidates).
    Reported, not held to the picker's 30 ms: the picker searches in memory; this serves the command line."""
    documents = generated_library(ANSWERS, words=WORDS_PER_BODY)
    db = open_database(data_dir=tmp_path)
    by_id: dict[int, list[LibraryDocument]] = {}
    for document in documents:
        by_id.setdefault(document.doc_id, []).append(document)
    started = time.perf_counter()
    with db.sessions.begin() as session:
        for doc_id, docs in by_id.items():
            LibrarySearchStore.write(session, ANSWER, doc_id, docs)
    build_s = time.perf_counter() - started
    SettingsRepository(db).write(SEARCH_INDEX_VERSION_SETTING, SEARCH_INDEX_VERSION)
    store = search_index(db)
    per_keystroke: list[float] = []
    slowest = ("", 0.0)

    def type_everything() -> None:  # once: a keystroke matching most of the library takes seconds
        nonlocal slowest
        for language, query in _keystrokes():
            begin = time.perf_counter()
            store.search(query, language)
            ms = (time.perf_counter() - begin) * 1000
            per_keystroke.append(ms)
            if ms > slowest[1]:
                slowest = (query, ms)

    benchmark.pedantic(type_everything, rounds=1, iterations=1)
    median_ms = statistics.median(per_keystroke)
    p95_ms = statistics.quantiles(per_keystroke, n=20)[-1]
    benchmark.extra_info.update(
        {"median_keystroke_ms": round(median_ms, 2), "p95_keystroke_ms": round(p95_ms, 2), "index_build_s": build_s}
    )
    print(
        f"\ndatabase library search over {len(documents):,} documents (indexed in {build_s:.1f} s): "
        f"median {median_ms:.1f} ms, 95th percentile {p95_ms:.1f} ms, slowest {slowest[1]:.1f} ms ({slowest[0]!r})"
    )
    db.close()
