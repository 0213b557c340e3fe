"""The collector settings of an ingestion burst: fewer collections during it, everything as before after it."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator

import pytest

from moderator_app.store.ingest import fewer_collections


class _Node:
    def __init__(self) -> None:
        self.other: _Node | None = None


def _cycle() -> weakref.ref[_Node]:
    a, b = _Node(), _Node()
    a.other, b.other = b, a
    return weakref.ref(a)


@pytest.fixture
def unfrozen() -> Iterator[None]:
    """No automatic collection in between (only the test's own), and nothing frozen before or after."""
    assert gc.get_freeze_count() == 0
    gc.disable()
    yield
    gc.unfreeze()
    gc.enable()


def test_a_burst_leaves_the_thresholds_and_the_heap_as_they_were(unfrozen: None) -> None:
    thresholds = gc.get_threshold()
    before = _cycle()  # garbage from before the burst, once its names are gone
    with fewer_collections():
        assert gc.get_threshold()[0] >= 200_000
        assert gc.get_freeze_count() > 0  # what was there before is left out of the burst's collections
        gc.collect()
        assert before() is not None
        during = _cycle()
        gc.collect()
        assert during() is None  # objects of the burst are still collected
    assert gc.get_threshold() == thresholds
    assert gc.get_freeze_count() == 0
    gc.collect()
    assert before() is None  # and after it, so are the older ones


def test_a_process_that_froze_its_start_up_keeps_it_frozen(unfrozen: None) -> None:
    gc.freeze()  # as launch.end_startup does
    frozen = gc.get_freeze_count()
    with fewer_collections():
        assert gc.get_freeze_count() == frozen
    assert gc.get_freeze_count() == frozen
