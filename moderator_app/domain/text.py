"""Text as the rules compare it: folding (``normalize``), keyword tries, lazily compiled patterns.

The rules built on it live beside it: ``language`` (which language a message is in), ``questions`` (question
marks, question words, greetings), ``topics`` (topics and post types). Everything runs on every message of an
import (hundreds of thousands), so tables are compiled once into regular expressions (tries, see
``keyword_pattern``) and sets, and each function makes a handful of C-level passes over the text. The tables
are plain data, so a reviewer who speaks the language can fix them without reading the code.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping
from functools import lru_cache
from typing import Any, Final

__all__ = [
    "ARABIC_PREFIXES",
    "FOLDING",
    "LANGUAGES",
    "QUESTION_MARKS",
    "LazyPattern",
    "keyword_pattern",
    "normalize",
]

#: Languages with their own tables; ``detect_language`` returns one of these or "und".
LANGUAGES: Final = ("ar", "fa", "fr", "en", "zh")

#: Any of these anywhere in a message (outside a link) makes it a question.
QUESTION_MARKS: Final = ("?", "؟", "？")


class LazyPattern:
    """A regular expression compiled on its first use.

    A character class spanning thousands of code points (CJK, Hangul) takes milliseconds to compile: a few
    of them were 25 ms of every launch of the window, which uses none of them before a message arrives.
    The first use puts the compiled pattern's methods on this object, so later calls cost what a call on
    the pattern itself costs (an import makes millions).
    """

    search: Callable[..., re.Match[str] | None]
    match: Callable[..., re.Match[str] | None]
    fullmatch: Callable[..., re.Match[str] | None]
    finditer: Callable[..., Iterator[re.Match[str]]]
    findall: Callable[..., list[Any]]
    sub: Callable[..., str]
    split: Callable[..., list[Any]]

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self.pattern = pattern
        self.flags = flags

    def __getattr__(self, name: str) -> Any:
        if name not in ("search", "match", "fullmatch", "finditer", "findall", "sub", "split"):
            raise AttributeError(name)
        compiled = re.compile(self.pattern, self.flags)
        for method in ("search", "match", "fullmatch", "finditer", "findall", "sub", "split"):
            setattr(self, method, getattr(compiled, method))
        return getattr(compiled, name)


# --------------------------------------------------------------------------------------------------------
# normalize


def _build_folding() -> dict[str, str]:
    table: dict[str, str] = {}
    # Harakat (tanween, short vowels, shadda, sukun, maddah/hamza marks, ...) and the superscript alef:
    # people write the same word with or without them.
    for cp in (*range(0x064B, 0x0660), 0x0670):
        table[chr(cp)] = ""
    # Quranic annotation marks: invisible to search in the same way (quotes of verses in chat).
    for cp in (*range(0x06D6, 0x06DD), *range(0x06DF, 0x06E5), 0x06E7, 0x06E8, *range(0x06EA, 0x06EE)):
        table[chr(cp)] = ""
    table["\u0640"] = ""  # tatweel: stretches a word for looks only
    # Invisible format characters that keyboards and RTL editors insert: they must not split a match.
    for cp in (0x00AD, 0x061C, 0x200B, 0x200D, 0x200E, 0x200F, 0xFEFF, *range(0x202A, 0x202F)):
        table[chr(cp)] = ""
    for cp in range(0x2066, 0x206A):
        table[chr(cp)] = ""
    table["\u200c"] = " "  # ZWNJ separates Farsi word parts ("می‌خواهم"); as a space both spellings match
    for ch in "أإآٱٲٳ":
        table[ch] = "ا"
    for ch in "ىی":
        table[ch] = "ي"
    for ch in "کڪ":
        table[ch] = "ك"
    for i in range(10):
        table[chr(0x0660 + i)] = str(i)  # Arabic-Indic digits
        table[chr(0x06F0 + i)] = str(i)  # Persian digits
    # Phones type curly apostrophes and non-breaking hyphens; French elisions must match either way.
    for ch in "\u2018\u2019\u02bc":
        table[ch] = "'"
    for ch in "\u2010\u2011":
        table[ch] = "-"
    return table


#: Character foldings applied after NFKC and case folding (an empty string deletes the character).
FOLDING: Final[Mapping[str, str]] = _build_folding()

# str.translate with a non-ASCII table costs a dict lookup per character (~15 µs for a short message);
# most messages contain none of these characters, and the others only a few, so search first and then
# remove marks in one regex pass and replace the few letter variants with str.replace (a C scan each).
_FOLD_SEARCH_RE: Final = re.compile("[" + "".join(map(re.escape, FOLDING)) + "]")
_DELETE_RE: Final = re.compile("[" + "".join(re.escape(ch) for ch, to in FOLDING.items() if not to) + "]")
_LETTER_REPLACEMENTS: Final = tuple((ch, to) for ch, to in FOLDING.items() if to and not to.isdigit())
_DIGIT_REPLACEMENTS: Final = tuple((ch, to) for ch, to in FOLDING.items() if to.isdigit())
_EASTERN_DIGIT_RE: Final = re.compile("[" + "".join(ch for ch, _ in _DIGIT_REPLACEMENTS) + "]")


def _normalize_once(text: str) -> str:
    folded = unicodedata.normalize("NFKC", text).casefold()
    if _FOLD_SEARCH_RE.search(folded) is not None:
        folded = _DELETE_RE.sub("", folded)
        for char, replacement in _LETTER_REPLACEMENTS:
            folded = folded.replace(char, replacement)
        if _EASTERN_DIGIT_RE.search(folded) is not None:
            for char, replacement in _DIGIT_REPLACEMENTS:
                folded = folded.replace(char, replacement)
    return " ".join(folded.split())


@lru_cache(maxsize=32)
def normalize(text: str) -> str:
    """Fold a text so that spellings people treat as the same word compare equal.

    Used for keyword matching and search, never for display: case, Unicode compatibility forms, Arabic
    diacritics and letter variants, digit scripts and spacing are all folded (see ``FOLDING``). Teh
    marbuta is kept (it changes the word), and Latin accents are kept (French "où" is not "ou").
    """
    if text.isascii():
        return " ".join(text.lower().split())
    result = _normalize_once(text)
    # Removing a mark can leave text that NFKC would still change (a combining accent now next to its base
    # letter); loop to a fixed point so normalize(normalize(x)) == x. Case folding is idempotent per
    # character and the foldings map to characters they leave alone, so NFKC is the only thing to check.
    for _ in range(4):
        if unicodedata.is_normalized("NFKC", result):
            break
        again = _normalize_once(result)
        if again == result:
            break
        result = again
    return result


def keyword_pattern(words: Iterable[str]) -> str:
    """A regex matching any of ``words``, longest first, written as a trie (nested alternation).

    A flat alternation of hundreds of words makes the regex engine try each word at each character; the
    trie tries one branch per character, which keeps matching a few µs per message.
    """
    trie: dict[str, dict[str, Any]] = {}
    for word in words:
        if not word:
            continue
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def build(node: dict[str, Any]) -> str:
        branches = [re.escape(char) + build(child) for char, child in sorted(node.items()) if char]
        if not branches:
            return ""
        ends_here = "" in node
        if len(branches) == 1 and not ends_here:
            return branches[0]
        return "(?:" + "|".join(branches) + (")?" if ends_here else ")")

    return build(trie) or "(?!)"


#: Arabic proclitics written glued to a word: "و" and, "ف" so, "ب" with, "ك" like, "ل" for, "ال" the
#: ("لل" is "ل" + "ال"). A regular expression fragment to put before a normalized Arabic-script word.
ARABIC_PREFIXES: Final = "(?:[وف]?(?:[بكل]?ال|لل|[بكل])?)"
