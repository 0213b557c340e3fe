"""The organization teaches the detector: messages like ones it promoted or dismissed are judged alike."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from moderator_app.domain.asking import DEFAULT_DETECTOR, InquiryDetector, SignalKind, Verdict
from moderator_app.domain.examples import Example, ExampleMemory, tokens
from moderator_app.domain.text import normalize


def test_a_promoted_example_lifts_messages_like_it_and_says_so() -> None:
    text = "health card renewal papers for my mother"
    assert DEFAULT_DETECTOR.verdict(text) is not Verdict.INQUIRY
    detector = InquiryDetector(ExampleMemory([Example("Health card renewal papers for my father", True, "promoted")]))
    assessment = detector.assess(text)
    assert assessment.verdict is Verdict.INQUIRY
    [learned] = [s for s in assessment.signals if s.kind is SignalKind.EXAMPLE]
    assert "Health card renewal papers for my father" in learned.evidence and "promoted" in learned.evidence
    assert detector.verdict("the weather is lovely today in ottawa") is Verdict.NONE  # unlike any example


def test_a_dismissed_example_keeps_a_lookalike_out_of_the_counts() -> None:
    chatter = "does anyone know what time it is lol"
    assert DEFAULT_DETECTOR.verdict(chatter) is Verdict.INQUIRY
    detector = InquiryDetector(ExampleMemory([Example("does anyone know what time it is haha", False, "dismissed")]))
    assert detector.verdict(chatter) is not Verdict.INQUIRY


def test_a_later_judgment_of_the_same_text_replaces_the_earlier_one() -> None:
    memory = ExampleMemory()
    memory.add(Example("OHIP info for newcomers", False, "dismissed"))
    memory.add(Example("OHIP info for newcomers", True, "promoted"))
    assert len(memory) == 1
    signal = memory.signal(normalize("ohip info for newcomers please"), "en")
    assert signal is not None and signal.weight > 0


def test_chinese_examples_compare_by_character_pairs() -> None:
    memory = ExampleMemory([Example("房东不退押金怎么办", True, "promoted")])
    assert tokens("房东不退押金") >= {"房东", "押金"}
    assert memory.signal("房东不退押金了", "zh") is not None


@given(st.lists(st.text(min_size=0, max_size=40), max_size=30), st.text(max_size=60))
def test_any_examples_and_any_message_give_a_verdict(texts: list[str], message: str) -> None:
    memory = ExampleMemory(Example(t, i % 2 == 0, "promoted") for i, t in enumerate(texts))
    assert InquiryDetector(memory).assess(message).verdict in set(Verdict)
