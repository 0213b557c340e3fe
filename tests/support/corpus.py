"""The labelled corpus of newcomer-group messages (tests/domain/corpus/*.jsonl) and the detector's figures on
it: precision and recall per language and overall, with the misses listed (issue 14's targets)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from moderator_app.domain.asking import DEFAULT_DETECTOR, InquiryDetector, Verdict

CORPUS = Path(__file__).resolve().parent.parent / "domain" / "corpus"
LANGUAGES = ("en", "fr", "ar", "fa", "zh")


@dataclass(frozen=True)
class Labelled:
    language: str
    asks: bool
    kind: str
    text: str


def load(folder: Path = CORPUS) -> list[Labelled]:
    items: list[Labelled] = []
    for path in sorted(folder.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                items.append(Labelled(row["lang"], row["label"] == "inquiry", row["kind"], row["text"]))
    return items


@dataclass
class Figures:
    true_positive: int = 0
    false_positive: int = 0
    false_negative: int = 0
    true_negative: int = 0
    possible: int = 0  # under the threshold but listed as possible inquiries
    missed: list[Labelled] = field(default_factory=list)
    wrongly_taken: list[Labelled] = field(default_factory=list)

    @property
    def precision(self) -> float:
        taken = self.true_positive + self.false_positive
        return self.true_positive / taken if taken else 1.0

    @property
    def recall(self) -> float:
        asked = self.true_positive + self.false_negative
        return self.true_positive / asked if asked else 1.0

    @property
    def total(self) -> int:
        return self.true_positive + self.false_positive + self.false_negative + self.true_negative


def evaluate(items: Iterable[Labelled], detector: InquiryDetector = DEFAULT_DETECTOR) -> dict[str, Figures]:
    """Figures per language and under "all"; language detection runs as in an import (not given the label)."""
    figures: dict[str, Figures] = {"all": Figures()}
    for item in items:
        verdict = detector.verdict(item.text)
        for key in (item.language, "all"):
            f = figures.setdefault(key, Figures())
            taken = verdict is Verdict.INQUIRY
            if verdict is Verdict.POSSIBLE:
                f.possible += 1
            if item.asks and taken:
                f.true_positive += 1
            elif item.asks:
                f.false_negative += 1
                if key != "all":
                    f.missed.append(item)
            elif taken:
                f.false_positive += 1
                if key != "all":
                    f.wrongly_taken.append(item)
            else:
                f.true_negative += 1
    return figures


def table(figures: dict[str, Figures]) -> str:
    lines = ["language  messages  precision  recall  possible", "--------  --------  ---------  ------  --------"]
    for key in (*LANGUAGES, "all"):
        f = figures.get(key)
        if f is not None:
            lines.append(f"{key:<8}  {f.total:>8}  {f.precision:>9.3f}  {f.recall:>6.3f}  {f.possible:>8}")
    return "\n".join(lines)


def misses(figures: dict[str, Figures]) -> str:
    lines = []
    for key in LANGUAGES:
        f = figures.get(key)
        if f is None:
            continue
        for item in f.missed:
            lines.append(f"missed   {key} [{item.kind}] {item.text}")
        for item in f.wrongly_taken:
            reason = DEFAULT_DETECTOR.assess(item.text).reason()
            lines.append(f"wrong    {key} [{item.kind}] {item.text}  <- {reason}")
    return "\n".join(lines)


if __name__ == "__main__":
    result = evaluate(load())
    print(table(result))
    print(misses(result))
