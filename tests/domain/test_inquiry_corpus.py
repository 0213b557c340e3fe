"""The detector on the labelled corpus of newcomer-group messages: issue 14's targets (precision and recall
≥ 0.92 overall, ≥ 0.85 in each language). The benchmark (tests/benchmarks/test_inquiry_corpus_bench.py)
prints the per-language table and lists the misses."""

from __future__ import annotations

from tests.support.corpus import LANGUAGES, evaluate, load, misses, table


def test_the_corpus_is_large_and_balanced_enough_to_measure() -> None:
    items = load()
    languages = {item.language for item in items}
    assert languages <= set(LANGUAGES)
    for language in languages:
        mine = [item for item in items if item.language == language]
        asks = sum(item.asks for item in mine)
        assert len(mine) >= 120 and 0.4 <= asks / len(mine) <= 0.7, language


def test_the_detector_meets_its_targets_overall_and_in_each_language() -> None:
    figures = evaluate(load())
    report = table(figures) + "\n" + misses(figures)
    overall = figures["all"]
    assert overall.precision >= 0.92 and overall.recall >= 0.92, report
    for language in LANGUAGES:
        if language in figures:
            assert figures[language].precision >= 0.85 and figures[language].recall >= 0.85, report
