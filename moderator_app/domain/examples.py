"""What the organization taught the detector: its own promotions and dismissals, and, in its history, the
member messages staff replied to.

A message much like one the organization judged gets that judgment as a signal, with the example as its
evidence ("like “info about OHIP” (promoted)"), so a moderator can see why. Similarity is the overlap of
the two messages' words (Chinese: character pairs), found through an index of words to examples: a message
sharing no word with any example costs a few set lookups. Nothing is trained or sent anywhere; every
judgment stays a row of the log (``detector_examples``) that can be read and removed.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final

from moderator_app.domain.asking import ExampleLookup, Signal, SignalKind
from moderator_app.domain.text import normalize

__all__ = ["Example", "ExampleMemory"]

#: Twice the shared words over the words of both messages (Dice) at which an example speaks for a message.
SIMILAR: Final = 0.7
#: Its weight: enough to lift a message with no other sign over the threshold, or to sink one with a weak one.
WEIGHT: Final = 1.2
#: Kept at most (the newest): a lifetime of decisions stays small in memory.
CAPACITY: Final = 20_000
_MIN_TOKENS: Final = 2

_WORD_RE: Final = re.compile(r"[^\W\d_]{2,}|\d{3,}")
_CJK_RE: Final = re.compile("[\u3400-\u4dbf\u4e00-\u9fff]+")


@dataclass(frozen=True, slots=True)
class Example:
    text: str
    asks: bool
    origin: str  # promoted | dismissed | staff_reply


def tokens(folded: str) -> frozenset[str]:
    """The words of a normalized text; Chinese runs as overlapping character pairs."""
    found = set(_WORD_RE.findall(_CJK_RE.sub(" ", folded)))
    for run in _CJK_RE.findall(folded):
        found.update(run[i : i + 2] for i in range(max(1, len(run) - 1)))
    return frozenset(found)


class ExampleMemory(ExampleLookup):
    """The organization's examples, indexed by word; safe to add to from another thread while it is read."""

    def __init__(self, examples: Iterable[Example] = ()) -> None:
        self._lock = threading.Lock()
        self._examples: dict[int, tuple[Example, frozenset[str]]] = {}
        self._by_token: dict[str, set[int]] = {}
        self._by_text: dict[str, int] = {}
        self._next = 0
        for example in examples:
            self.add(example)

    def __len__(self) -> int:
        return len(self._examples)

    def add(self, example: Example) -> None:
        """Learn one judgment; a later judgment of the same text replaces the earlier one."""
        folded = normalize(example.text)
        words = tokens(folded)
        if len(words) < _MIN_TOKENS:
            return
        with self._lock:
            earlier = self._by_text.pop(folded, None)
            if earlier is not None:
                self._drop(earlier)
            key = self._next
            self._next += 1
            self._examples[key] = (example, words)
            self._by_text[folded] = key
            for word in words:
                self._by_token.setdefault(word, set()).add(key)
            if len(self._examples) > CAPACITY:
                self._drop(next(iter(self._examples)))

    def forget(self, text: str) -> None:
        """A judgment taken back (the decision was undone): the detector no longer learns from it."""
        with self._lock:
            key = self._by_text.pop(normalize(text), None)
            if key is not None:
                self._drop(key)

    def _drop(self, key: int) -> None:
        example, words = self._examples.pop(key)
        self._by_text.pop(normalize(example.text), None)
        for word in words:
            holders = self._by_token.get(word)
            if holders is not None:
                holders.discard(key)
                if not holders:
                    del self._by_token[word]

    def signal(self, folded: str, language: str) -> Signal | None:
        if not self._examples:
            return None
        words = tokens(folded)
        if len(words) < _MIN_TOKENS:
            return None
        with self._lock:
            shared: dict[int, int] = {}
            for word in words:
                for key in self._by_token.get(word, ()):
                    shared[key] = shared.get(key, 0) + 1
            best: tuple[float, int] | None = None
            for key, count in shared.items():
                other = self._examples[key][1]
                similarity = 2 * count / (len(words) + len(other))
                if similarity >= SIMILAR and (
                    best is None or similarity > best[0] or (similarity == best[0] and key > best[1])
                ):
                    best = (similarity, key)
            if best is None:
                return None
            example = self._examples[best[1]][0]
        shown = example.text if len(example.text) <= 60 else example.text[:59] + "…"
        return Signal(SignalKind.EXAMPLE, f"like “{shown}” ({example.origin})", WEIGHT if example.asks else -WEIGHT)
