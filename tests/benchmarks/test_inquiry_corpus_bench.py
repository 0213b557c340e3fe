"""The inquiry detector on the labelled corpus: the per-language table and the misses (issue 14), and its
cost per message (it runs on every member message of an import)."""

from __future__ import annotations

import pytest
from pytest_benchmark.fixture import BenchmarkFixture

from moderator_app.domain.asking import DEFAULT_DETECTOR
from tests.support.corpus import evaluate, load, misses, table

pytestmark = pytest.mark.benchmarks


def test_detector_on_the_labelled_corpus(benchmark: BenchmarkFixture) -> None:
    items = load()
    texts = [item.text for item in items]

    def assess_all() -> None:
        for text in texts:
            DEFAULT_DETECTOR.assess(text)

    benchmark.pedantic(assess_all, rounds=20, warmup_rounds=2)
    figures = evaluate(items)
    per_message_us = benchmark.stats.stats.median / len(texts) * 1e6
    print(f"\n{table(figures)}\n\n{misses(figures)}\n\ndetector: {per_message_us:.1f} µs a message (median)")
    assert figures["all"].precision >= 0.92 and figures["all"].recall >= 0.92
