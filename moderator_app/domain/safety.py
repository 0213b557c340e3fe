"""Safety flags: member messages that match the organization's urgent-word lists (self-harm, violence,
trafficking, medical emergency) are flagged "urgent" whatever the service standard says.

The lists are the organization's to edit (a setting); the starter lists below are short on purpose: a word
that newcomers use every day ("emergency room", "urgent appointment") would bury the real alarms, so they
name situations, not topics. A flag is a prompt for a person to read the message, never a diagnosis.

Matching is on :func:`text.normalize`'d text (case, Arabic letter variants and marks folded), whole words
(Arabic script also with the glued "و"/"ف"), Chinese anywhere; a term ending in "*" matches as a prefix
("suicid*": suicide, suicidal, suicidaire).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Final

from moderator_app.domain.asking import spaced
from moderator_app.domain.text import normalize


class UrgentCategory(StrEnum):
    SELF_HARM = "self_harm"
    VIOLENCE = "violence"
    TRAFFICKING = "trafficking"
    MEDICAL = "medical"


#: The five languages of the starter lists.
STARTER_LANGUAGES: Final = ("en", "fr", "ar", "fa", "zh")

#: category -> language -> terms. Situations, in the words people write them in chat.
STARTER_TERMS: Final[Mapping[UrgentCategory, Mapping[str, tuple[str, ...]]]] = {
    UrgentCategory.SELF_HARM: {
        "en": (
            "suicide",
            "suicidal",
            "kill myself",
            "end my life",
            "want to die",
            "wanna die",
            "hurt myself",
            "self harm",
            "self-harm",
            "take my own life",
            "no reason to live",
        ),
        "fr": (
            "suicide",
            "suicidaire",
            "me suicider",
            "me tuer",
            "mettre fin à mes jours",
            "envie de mourir",
            "je veux mourir",
            "me faire du mal",
            "automutilation",
        ),
        "ar": (
            "انتحار",
            "انتحر",
            "سأنتحر",
            "بدي انتحر",
            "اقتل نفسي",
            "أقتل نفسي",
            "أريد أن أموت",
            "اريد ان اموت",
            "بدي موت",
            "أنهي حياتي",
            "انهي حياتي",
            "إيذاء نفسي",
        ),
        "fa": (
            "خودکشی",
            "خودم را بکشم",
            "خودمو بکشم",
            "می‌خواهم بمیرم",
            "میخوام بمیرم",
            "به زندگیم پایان",
            "آسیب زدن به خودم",
        ),
        "zh": ("自杀", "自殺", "想死", "不想活", "轻生", "结束生命", "伤害自己", "自残"),
    },
    UrgentCategory.VIOLENCE: {
        "en": (
            "he beats me",
            "beating me",
            "hits me",
            "threatened to kill",
            "threatening to kill",
            "domestic violence",
            "raped",
            "sexual assault",
            "assaulted",
            "stabbed",
        ),
        "fr": (
            "il me frappe",
            "me bat",
            "violence conjugale",
            "violences conjugales",
            "menace de mort",
            "menaces de mort",
            "violée",
            "violé",
            "agressée",
            "agression sexuelle",
            "poignardé",
        ),
        "ar": ("يضربني", "ضربني", "عنف أسري", "عنف منزلي", "هددني بالقتل", "تهديد بالقتل", "اغتصاب", "اغتصبني", "تحرش"),
        "fa": ("کتکم می‌زند", "کتکم میزنه", "خشونت خانگی", "تهدید به قتل", "تهدیدم کرد", "تجاوز جنسی", "آزار جنسی"),
        "zh": ("家暴", "他打我", "威胁要杀", "强奸", "性侵", "殴打我"),
    },
    UrgentCategory.TRAFFICKING: {
        "en": (
            "took my passport",
            "passport taken",
            "took my documents",
            "not allowed to leave",
            "can't leave the house",
            "forced to work",
            "forced labour",
            "forced labor",
            "debt bondage",
            "trafficking",
            "trafficked",
        ),
        "fr": (
            "passeport confisqué",
            "pris mon passeport",
            "gardé mon passeport",
            "travail forcé",
            "pas le droit de sortir",
            "traite des êtres humains",
        ),
        "ar": (
            "أخذوا جوازي",
            "اخذوا جوازي",
            "حجزوا جوازي",
            "عمل قسري",
            "اتجار بالبشر",
            "لا يسمحون لي بالخروج",
            "محتجزة",
        ),
        "fa": ("پاسپورتم را گرفتند", "پاسپورتمو گرفتن", "کار اجباری", "قاچاق انسان", "اجازه نمی‌دهند بیرون بروم"),
        "zh": ("护照被扣", "扣了我的护照", "强迫劳动", "人口贩卖", "拐卖", "不让我走"),
    },
    UrgentCategory.MEDICAL: {
        "en": (
            "can't breathe",
            "cannot breathe",
            "chest pain",
            "heart attack",
            "unconscious",
            "overdose",
            "seizure",
            "bleeding heavily",
            "call an ambulance",
            "poisoned",
        ),
        "fr": (
            "n'arrive pas à respirer",
            "ne respire plus",
            "douleur à la poitrine",
            "crise cardiaque",
            "inconscient",
            "inconsciente",
            "overdose",
            "convulsions",
            "saigne beaucoup",
            "appeler une ambulance",
        ),
        "ar": (
            "لا أستطيع التنفس",
            "لا يستطيع التنفس",
            "لا تستطيع التنفس",
            "صعوبة في التنفس",
            "ما عم اقدر اتنفس",
            "ألم في الصدر",
            "نوبة قلبية",
            "فاقد الوعي",
            "نزيف",
            "جرعة زائدة",
            "تسمم",
        ),
        "fa": (
            "نمی‌توانم نفس بکشم",
            "نفسم بالا نمیاد",
            "درد قفسه سینه",
            "سکته قلبی",
            "بیهوش",
            "خونریزی شدید",
            "مسمومیت",
        ),
        "zh": ("喘不过气", "呼吸困难", "胸痛", "心脏病发作", "昏迷", "大出血", "流血不止", "中毒"),
    },
}

_ARABIC_SCRIPT_GLUE: Final = ("و", "ف")


def _is_cjk(text: str) -> bool:
    return any("\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff" for ch in text)


def _is_arabic_script(text: str) -> bool:
    return any("\u0600" <= ch <= "\u06ff" for ch in text)


@dataclass(frozen=True, slots=True)
class UrgentHit:
    category: UrgentCategory
    term: str  # as the list spells it


def describe(hits: Iterable[UrgentHit]) -> str:
    """The stored form of a flag: "self_harm: kill myself; medical: chest pain" (one term per category)."""
    seen: dict[UrgentCategory, str] = {}
    for hit in hits:
        seen.setdefault(hit.category, hit.term)
    return "; ".join(f"{category.value}: {term}" for category, term in seen.items())


def merge(stored: str | None, hits: Sequence[UrgentHit]) -> str:
    """A flag with ``hits`` added: categories already named keep their first term."""
    return describe([*parse(stored), *hits])


def parse(stored: str | None) -> list[UrgentHit]:
    """Back from :func:`describe`; parts it cannot read are left out (a hand-edited log stays readable)."""
    hits = []
    for part in (stored or "").split("; "):
        name, _, term = part.partition(": ")
        try:
            hits.append(UrgentHit(UrgentCategory(name), term))
        except ValueError:
            continue
    return hits


#: The lists as a setting stores them: category -> language -> terms.
TermLists = Mapping[str, Mapping[str, Sequence[str]]]


def starter_lists() -> dict[str, dict[str, list[str]]]:
    return {c.value: {lang: list(terms) for lang, terms in by.items()} for c, by in STARTER_TERMS.items()}


def parse_lists(value: Any) -> dict[str, dict[str, list[str]]]:
    """A stored value back to lists (TypeError/ValueError on a wrong shape: the setting then uses the starter)."""
    if not isinstance(value, dict):
        raise TypeError("urgent words: not a JSON object")
    lists: dict[str, dict[str, list[str]]] = {}
    for category, by_language in value.items():
        UrgentCategory(category)  # ValueError for an unknown category
        if not isinstance(by_language, dict):
            raise TypeError(f"urgent words of {category}: not a JSON object")
        lists[category] = {}
        for language, terms in by_language.items():
            if not isinstance(terms, list) or not all(isinstance(t, str) for t in terms):
                raise TypeError(f"urgent words of {category}/{language}: not a list of text")
            lists[category][str(language)] = [t.strip() for t in terms if t.strip()]
    return lists


class UrgentMatcher:
    """Every list in one Aho-Corasick automaton: one C pass per member message, whatever the language (a
    message in a language the detector got wrong, or two languages at once, is still read)."""

    def __init__(self, lists: TermLists) -> None:
        self._entries: dict[str, UrgentHit] = {}
        for category, by_language in lists.items():
            try:
                kind = UrgentCategory(category)
            except ValueError:
                continue
            for terms in by_language.values():
                for term in terms:
                    self._add(kind, term)
        self._automaton: Any = None

    def _add(self, category: UrgentCategory, term: str) -> None:
        shown = term.strip()
        prefix = shown.endswith("*")
        words = " ".join(spaced(normalize(shown.rstrip("*"))).split())
        if not words:
            return
        hit = UrgentHit(category, shown)
        if _is_cjk(words):
            self._entries.setdefault(words, hit)
            return
        tail = "" if prefix or words.endswith("'") else " "
        forms = [words]
        if _is_arabic_script(words):
            forms += [glue + words for glue in _ARABIC_SCRIPT_GLUE]
        for form in forms:
            self._entries.setdefault(f" {form}{tail}", hit)

    def __bool__(self) -> bool:
        return bool(self._entries)

    def find(self, text: str) -> tuple[UrgentHit, ...]:
        """The categories ``text`` matches, each with the first term found (in the order they occur)."""
        if not self._entries or not text:
            return ()
        automaton = self._automaton
        if automaton is None:
            automaton = self._automaton = self._build()
        found: dict[UrgentCategory, UrgentHit] = {}
        for _end, hit in automaton.iter(spaced(normalize(text))):
            found.setdefault(hit.category, hit)
        return tuple(found.values())

    def _build(self) -> Any:
        import ahocorasick

        automaton = ahocorasick.Automaton()
        for key, hit in self._entries.items():
            automaton.add_word(key, hit)
        automaton.make_automaton()
        return automaton


#: No lists: nothing is flagged (tests of other rules, and a log whose organization emptied its lists).
NO_URGENT_WORDS: Final = UrgentMatcher({})
#: The starter lists, for a log that has not edited them.
STARTER_MATCHER: Final = UrgentMatcher(starter_lists())
