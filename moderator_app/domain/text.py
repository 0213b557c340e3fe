"""Text rules for matching, language detection, question detection and classification.

Everything here runs on every message of an import (hundreds of thousands), so the tables are compiled once,
at import, into regular expressions (tries, see ``keyword_pattern``) and sets, and each function makes a
handful of C-level passes over the text. The tables are plain data, so a reviewer who speaks the language
can fix them without reading the code.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping
from functools import cache, lru_cache
from typing import Any, Final

__all__ = [
    "ARABIC_PREFIXES",
    "FOLDING",
    "LANGUAGES",
    "POST_TYPES",
    "POST_TYPE_KEYWORDS",
    "QUESTION_MARKS",
    "QUESTION_WORDS",
    "TOPICS",
    "LazyPattern",
    "classify_post_type",
    "classify_topic",
    "detect_language",
    "has_question_mark",
    "is_greeting_only",
    "keyword_pattern",
    "normalize",
    "post_type_keyword",
    "starts_with_question_word",
    "zh_question_word",
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

# --------------------------------------------------------------------------------------------------------
# Scripts and language detection

_ARABIC_CLASS = "\u0620-\u064a\u066e-\u06d3\u06d5\u06ee-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufefc"
_CJK_CLASS = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_ARABIC_RUN_RE: Final = re.compile(f"[{_ARABIC_CLASS}]+")
_CJK_RUN_RE: Final = LazyPattern(f"[{_CJK_CLASS}]+")
_KANA_HANGUL_RE: Final = LazyPattern("[\u3040-\u30ff\u31f0-\u31ff\u1100-\u11ff\uac00-\ud7af]")
_LATIN_RE: Final = LazyPattern("[A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f]")
_ACCENTED_RE: Final = re.compile("[\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f]")
_FR_ACCENT_RE: Final = re.compile("[éèêëàâçùûîïôœ]")
_URL_RE: Final = re.compile(r"(?:https?://|www\.)\S+|[\w.-]+\.[a-z]{2,}/\S*", re.IGNORECASE)

# Letters Farsi has and Arabic does not, Persian digits, and the ZWNJ Farsi uses inside words.
_FA_LETTER_RE: Final = re.compile("[پچژگکیۀ\u06f0-\u06f9\u200c]")
# Common Farsi words spelled only with letters Arabic shares (so the letter test misses them), including
# the Arabic-yeh spellings of older keyboards. Words that are also Arabic (سلام, اين "where") are left out.
_FA_WORDS: Final = ("است", "را", "ممنون", "هست", "هستم", "هستند", "هستيد", "دارم", "داره", "دارد", "براي",
                    "مي", "خيلي", "ميخواهم", "ميخوام", "نيست", "بود", "درود", "شما", "بله", "خوب", "از", "در",
                    "كه", "همه")  # fmt: skip
_FA_WORD_RE: Final = re.compile("(?<!\\w)(?:" + "|".join(_FA_WORDS) + ")(?!\\w)")

_EN_WORDS: Final = frozenset(
    ("the", "a", "an", "and", "or", "but", "is", "are", "was", "were", "be", "been", "being", "am", "to",
     "of", "in", "at", "for", "with", "from", "by", "about", "as", "into", "this", "that", "these", "those",
     "it", "its", "it's", "i", "i'm", "i've", "i'll", "i'd", "you", "your", "you're", "we", "we're", "our",
     "they", "they're", "their", "them", "he", "she", "his", "her", "my", "me", "us", "do", "does", "did",
     "don't", "doesn't", "didn't", "can", "can't", "could", "would", "should", "will", "won't", "have",
     "has", "had", "not", "no", "yes", "there", "here", "what", "how", "where", "when", "who", "why",
     "which", "if", "so", "just", "any", "some", "all", "more", "hello", "hi", "hey", "thanks", "thank",
     "please", "tomorrow", "today", "yesterday", "free", "register", "fair", "money", "make", "fast",
     "know", "need", "get", "go", "want", "help", "anyone", "anybody", "someone", "good", "morning",
     "evening", "afternoon", "great", "new", "people", "work", "week", "time", "day", "call", "find",
     "also", "because", "very", "much", "many", "only", "other", "then", "than", "now", "next", "last",
     "up", "out", "after", "before", "strike", "card", "apply", "office", "library", "english", "school",
     "doctor", "health", "housing", "rent", "where's", "what's", "how's", "there's", "let's", "looking",
     "apartment", "meeting", "soon", "sorry", "welcome", "join")
)  # fmt: skip
_FR_WORDS: Final = frozenset(
    ("le", "la", "les", "de", "des", "du", "un", "une", "et", "ou", "où", "est", "sont", "je", "tu", "il",
     "elle", "nous", "vous", "ils", "elles", "ce", "cette", "ces", "mon", "ma", "mes", "ton", "ta", "tes",
     "son", "sa", "ses", "notre", "votre", "nos", "vos", "leur", "leurs", "dans", "pour", "avec", "sur",
     "sans", "par", "pas", "ne", "que", "qui", "quoi", "mais", "donc", "au", "aux", "y", "en", "se", "lui",
     "très", "bien", "merci", "bonjour", "bonsoir", "salut", "oui", "comment", "pourquoi", "quand",
     "combien", "quel", "quelle", "quels", "quelles", "puis", "peut", "peux", "faire", "avoir", "être",
     "suis", "sommes", "êtes", "ai", "avons", "avez", "ont", "fait", "aussi", "plus", "moins", "demain",
     "aujourd'hui", "hier", "gratuit", "gratuite", "ici", "carte", "santé", "besoin", "aide", "obtenir",
     "svp", "plaît", "s'il", "c'est", "j'ai", "qu'il", "qu'on", "est-ce", "logement", "loyer", "médecin",
     "école", "cours", "emploi", "travail", "cherche", "savoir", "quelqu'un", "rendez-vous", "inscription",
     "semaine", "jour", "mois")
)  # fmt: skip
_FR_ELISIONS: Final = ("l'", "d'", "j'", "qu'", "n'", "c'", "s'", "m'", "t'")
_EN_CONTRACTIONS: Final = ("'s", "'t", "'m", "'re", "'ve", "'ll", "'d")


_WORD_PUNCTUATION: Final = '.,;:!?¡¿()[]{}"«»“”„*/…-–—_#@'
_ASCII_LETTERS: Final = bytes(range(65, 91)) + bytes(range(97, 123))


def _latin_language(text: str) -> str:
    lowered = text.lower()
    if "’" in lowered:
        lowered = lowered.replace("’", "'")
    french = len(_FR_ACCENT_RE.findall(lowered)) if not lowered.isascii() else 0
    english = 0
    for token in lowered.split():
        word = token.strip(_WORD_PUNCTUATION)
        if word in _EN_WORDS:
            english += 1
        elif word in _FR_WORDS:
            french += 1
        elif "'" in word:
            if word.startswith(_FR_ELISIONS):
                french += 1
            elif word.endswith(_EN_CONTRACTIONS):
                english += 1
    if french > english:
        return "fr"
    if english > french:
        return "en"
    return "und"


def detect_language(text: str) -> str:
    """Guess the message language ("ar", "fa", "fr", "en", "zh", or "und") for the statistics breakdown.

    Script first (cheap and reliable), then within a script the few signals that separate its languages:
    Farsi letters and words for Arabic script, stopwords and accents for Latin. Too little evidence gives
    "und" rather than a guess, so the breakdown does not invent languages.
    """
    if "://" in text or "www." in text:
        text = _URL_RE.sub(" ", text)
    if text.isascii():
        return _latin_language(text)
    arabic = sum(map(len, _ARABIC_RUN_RE.findall(text)))
    cjk = sum(map(len, _CJK_RUN_RE.findall(text)))
    ascii_bytes = text.encode("ascii", "ignore")
    latin = len(ascii_bytes) - len(ascii_bytes.translate(None, _ASCII_LETTERS)) + len(_ACCENTED_RE.findall(text))
    if arabic >= 2 and arabic >= 2 * cjk and arabic >= latin:
        if _FA_LETTER_RE.search(text) or _FA_WORD_RE.search(text):
            return "fa"
        return "ar"
    if cjk and 2 * cjk >= latin and 2 * cjk >= arabic:
        # Japanese and Korean also use Han characters; kana or hangul mean it is not Chinese.
        return "und" if _KANA_HANGUL_RE.search(text) else "zh"
    if latin:
        return _latin_language(text)
    return "und"


# --------------------------------------------------------------------------------------------------------
# Questions

#: Words (or short phrases) that start a question when they start a sentence, per language, written as
#: people type them; they are matched after ``normalize``. Chinese words are found anywhere in the text.
QUESTION_WORDS: Final[Mapping[str, tuple[str, ...]]] = {
    "en": (
        "how", "how's", "what", "what's", "whats", "where", "where's", "when", "who", "who's", "whom",
        "whose", "why", "which", "can", "could", "is", "isn't", "are", "aren't", "am i", "was", "were", "do",
        "does", "did", "should", "shall", "may", "might", "will", "would", "have you", "have they",
        "have i", "has anyone", "has anybody", "anyone", "anybody", "any", "at what", "in what", "in which",
        "for how", "from where", "to whom",
    ),
    "fr": (
        "comment", "où", "d'où", "par où", "quand", "depuis quand", "jusqu'à quand", "pourquoi", "qui",
        "à qui", "quel", "quelle", "quels", "quelles", "à quel", "à quelle", "lequel", "laquelle",
        "lesquels", "lesquelles", "combien", "quoi", "de quoi", "en quoi", "c'est quoi", "est-ce que",
        "est-ce qu'", "qu'est-ce que", "qu'est-ce qu'", "qu'est-ce", "puis-je", "pouvez-vous",
        "pourriez-vous", "peut-on", "peux-tu", "y a-t-il", "y a t il", "y'a t'il", "y a-t'il", "est-il",
        "est-elle", "faut-il", "dois-je", "avez-vous", "as-tu", "savez-vous", "sait-on", "existe-t-il",
        "quelqu'un sait", "quelqu'un connaît", "quelqu'un peut", "quelqu'un a",
    ),
    "ar": (
        "كيف", "كيفية", "ماذا", "ما", "متى", "أين", "وين", "فين", "لماذا", "ليش", "ليه", "هل", "من", "مين",
        "منين", "لمين", "كم", "بكم", "قديش", "أديش", "كام", "أي", "شو", "إيش", "ايش", "وش", "شلون", "إمتى",
        "امتى", "ازاي", "إزاي", "ممكن", "الى متى", "إلى متى", "في أي",
    ),
    "fa": (
        "چطور", "چطوری", "چگونه", "چه", "چی", "چیه", "کجا", "کجاست", "کی", "کیه", "چرا", "آیا", "چند",
        "چندتا", "چقدر", "کدام", "کدوم", "مگه", "میشه", "می‌شه", "می‌شود", "میتونم", "می‌تونم", "می‌توانم",
        "کسی می‌دونه", "کسی میدونه", "کسی اطلاع",
    ),
    "zh": (
        "怎么", "怎样", "怎么样", "如何", "什么", "啥", "哪里", "哪儿", "哪个", "哪些", "哪",
        "为什么", "为啥", "谁", "多少", "多久", "几点", "几个", "几天", "几号", "几岁", "几年", "几次",
        "几月", "是否", "能不能", "可不可以", "有没有", "是不是", "要不要", "会不会", "请问", "哪裡", "哪裏",
        "甚麼", "什麼", "怎麼", "為什麼", "幾耐", "幾多", "幾時", "邊度", "邊個", "點樣", "點解", "咩",
    ),
}  # fmt: skip

# Openers skipped before looking at the first word: "Hello Sarah, how do I ...".
_GREETINGS: Final = (
    "السلام عليكم ورحمة الله وبركاته", "السلام عليكم ورحمة الله", "السلام عليكم", "سلام عليكم", "السلام",
    "مرحبا", "مرحباً", "أهلا وسهلا", "أهلا", "اهلين", "صباح الخير", "مساء الخير", "صباح النور", "هاي",
    "من فضلك", "من فضلكم", "لو سمحت", "لو سمحتم", "لو سمحتوا", "يا جماعة",
    "سلام و وقت بخیر", "سلام وقت بخیر", "سلام", "درود", "وقت بخیر", "روز بخیر", "صبح بخیر", "عصر بخیر",
    "ببخشید", "خسته نباشید",
    "hello", "hi", "hey", "hiya", "good morning", "good afternoon", "good evening", "good night", "greetings",
    "dear all", "welcome",
    "excuse me", "sorry", "please",
    "bonjour", "bonsoir", "salut", "coucou", "allô", "allo", "excusez-moi", "pardon", "s'il vous plaît",
    "s'il vous plait", "svp",
    "你好", "您好", "大家好", "各位好",
)  # fmt: skip
_ADDRESSEES: Final = (
    "all", "everyone", "everybody", "friends", "guys", "team", "folks", "à tous", "a tous", "tout le monde",
    "les amis", "جميعا", "للجميع", "يا شباب", "شباب", "دوستان", "همگی", "به همه",
)  # fmt: skip

# Starts that look like a question word but are not a question in that language (exclamations, dates,
# prohibitions). Regular expressions on normalized text.
_FALSE_STARTS: Final[Mapping[str, str]] = {
    "en": r"(?:what an?|how (?:nice|kind|lovely|great|wonderful|sweet|cool|beautiful|sad|awful)|may \d"
    r"|may (?:allah|god|he|she|they|his|her|their)|isn't it (?:amazing|great|nice|crazy|funny|beautiful|sad)"
    r"|do not|will do|any time)(?![\w'-])"
    # "where I live …", "when I arrived …": a statement; "where I can find …" is how many newcomers ask.
    r"|(?:where|when|what|how) i (?!(?:can|could|should|need|get|find|go|apply|do|renew|register)(?![\w'-]))",
    "fr": r"(?:quel(?:le)? (?:plaisir|joie|bonheur|belle|beau|bonne|honte|dommage)|qui vivra)(?![\w'-])"
    r"|quand (?:je|j'|on|nous|il|elle) ?(?:suis|étais|etais|est|était|etait|sommes|ai|avons|a)(?![\w'-])",
}
# Arabic "ما" is also a negation and "من" also "from": they ask only in front of these words (ما) or not
# in front of these (من); "أي" is also "yes" in Levantine Arabic.
_AR_MA_ASKS_BEFORE: Final = frozenset(map(normalize, (
    "هو", "هي", "هم", "هن", "اسم", "معنى", "رأي", "رأيك", "رأيكم", "سبب", "أفضل", "أحسن", "نوع",
    "شروط", "طريقة", "المطلوب",
)))  # fmt: skip
_AR_MIN_NOT_BEFORE: Final = frozenset(map(normalize, (
    "فضلك", "فضلكم", "أجل", "خلال", "قبل", "بعد", "فترة", "زمان", "أمس", "أول", "جهة", "غير", "دون", "عند",
    "حيث", "كل", "هنا", "هناك",
)))  # fmt: skip
_AR_AI_NOT_BEFORE: Final = frozenset(map(normalize, ("والله", "نعم", "أكيد")))
_FA_CHE_NOT_BEFORE: Final = frozenset(map(normalize, ("خوب", "عالی", "جالب", "بد", "زیبا", "قشنگ", "خوشگل", "حیف")))
# Words the prefix و/ف may not be stripped from: "ومن" is mostly "and from", "وما" "and not".
_AR_NO_PREFIX: Final = frozenset(map(normalize, ("من", "ما", "أي", "مين")))


def _boundary(word: str) -> str:
    # A phrase ending with an elision apostrophe ("est-ce qu'") is glued to the next word.
    return re.escape(word) if word.endswith("'") else re.escape(word) + r"(?![\w'-])"


def _start_regex(language: str) -> re.Pattern[str]:
    words = sorted({normalize(w) for w in QUESTION_WORDS[language]}, key=lambda w: (-len(w), w))
    alternatives = "|".join(_boundary(w) for w in words)
    pattern = f"(?P<w>{alternatives})"
    if language in ("ar", "fa"):
        prefixable = "|".join(_boundary(w) for w in words if w not in _AR_NO_PREFIX)
        pattern += f"|[وف](?P<pw>{prefixable})"
    if language == "fr":
        # Verb-subject inversion is how French asks: "Allez-vous ...", "Vient-il ...", "Reste-t-il ...".
        pattern += r"|(?!rendez-vous)(?P<inv>[^\W\d_]+-(?:t-)?(?:je|tu|il|elle|on|nous|vous|ils|elles))(?![\w'-])"
    return re.compile(pattern)


class _StartPatterns:
    """``_start_regex`` per language, compiled on first use (as the keyword indexes below, for launch time)."""

    def __init__(self, languages: Iterable[str]) -> None:
        self._languages = frozenset(languages)
        self._compiled: dict[str, re.Pattern[str]] = {}

    def __contains__(self, language: object) -> bool:
        return language in self._languages

    def __getitem__(self, language: str) -> re.Pattern[str]:
        pattern = self._compiled.get(language)
        if pattern is None:
            if language not in self._languages:
                raise KeyError(language)
            pattern = self._compiled[language] = _start_regex(language)
        return pattern


_START_RE: Final = _StartPatterns(lang for lang in QUESTION_WORDS if lang != "zh")
_FALSE_START_RE: Final[Mapping[str, re.Pattern[str]]] = {
    lang: re.compile(pattern) for lang, pattern in _FALSE_STARTS.items()
}
_GREETING_RE: Final = LazyPattern(
    "(?:"
    + keyword_pattern(map(normalize, _GREETINGS))
    + r")(?![\w'-])(?:\s*(?:"
    + keyword_pattern(map(normalize, _ADDRESSEES))
    + r")(?![\w'-]))?"
)
_LEADING_JUNK_RE: Final = re.compile(r"(?:@\w+|[\W_])+")
_CLAUSE_COMMA_RE: Final = re.compile(r"[,،、]")
_WORD_RE: Final = re.compile(r"\s*(\w+)")
_SENTENCE_SPLIT_RE: Final = re.compile(r"[.!:;\n؛…。！：；]+")
# zh: a final 吗 or 呢 is a spoken question mark; question words ask wherever they stand, except after
# "know / not / no" (我知道怎么做, 没什么) or before 都/也 (什么都可以 "anything is fine"). The exceptions are
# checked on whole matches so that 什么 inside an excluded 为什么 is not found again.
_ZH_FINAL_RE: Final = re.compile(r"[吗呢嗎][\W_]*$")
_ZH_WORD_RE: Final = LazyPattern(keyword_pattern(QUESTION_WORDS["zh"]))
_ZH_A_NOT_A_RE: Final = LazyPattern(r"(?![不没])([\u4e00-\u9fff])[不没]\1")  # 能不能, 有没有, 去不去
_ZH_NOT_ASKING_AFTER: Final = ("没有", "知道", "明白", "无论", "不管", "随便", "没", "不", "懂")
_ZH_NOT_ASKING_BEFORE: Final = ("都", "也")
# Clauses: members separate them with spaces and commas as often as with full stops.
_ZH_CLAUSE_RE: Final = re.compile(r"[，,。.!！;；:：\s～~、]+")
# A knowing verb before the question word in the same clause: "我知道怎么办了", "终于搞明白是怎么回事了".
_ZH_KNOWING: Final = ("知道", "明白", "懂", "清楚", "无论", "不管", "随便")
# A clause ending in an exclamation particle with 谁 or an A-not-A form is rhetorical: "这么冷谁出门啊",
# "还让不让人活了"; so is "不是…吗" ("这不是折磨人吗").
_ZH_EXCLAIMING: Final = ("啊", "了", "呀", "嘛", "吧")
_ZH_NOT_KNOWING_RE: Final = re.compile("不太?(?:知道|清楚|明白|懂|晓得)")
_ZH_SET_PHRASES: Final = ("怎么说呢", "说什么好", "没什么", "什么的", "不知道为什么", "不知为何")


def zh_question_word(text: str) -> str | None:
    """The Chinese question word (or clause-final 吗/呢, or A-not-A form) that makes ``text`` ask, if any."""
    for clause in _ZH_CLAUSE_RE.split(text):
        if not clause:
            continue
        for phrase in _ZH_SET_PHRASES:
            if phrase in clause:
                clause = clause.replace(phrase, "，")
        final = _ZH_FINAL_RE.search(clause)
        if final is not None:
            if final.group(0)[0] in "吗嗎" and "不是" in clause:
                continue
            # 呢 asks after a question word, or closing a short clause ("那我的呢"); 吗 always.
            if final.group(0)[0] in "吗嗎" or len(clause) <= 8 or _ZH_WORD_RE.search(clause):
                return final.group(0)[0]
        exclaiming = clause.rstrip("?？!！.。 ").endswith(_ZH_EXCLAIMING)
        a_not_a = _ZH_A_NOT_A_RE.search(clause)
        if a_not_a is not None and not exclaiming:
            return a_not_a.group(0)
        for match in _ZH_WORD_RE.finditer(clause):
            before = clause[: match.start()]
            if _ZH_NOT_KNOWING_RE.search(before):
                return match.group(0)  # "不知道该去哪里投诉": not knowing where is asking where
            if before.endswith(_ZH_NOT_ASKING_AFTER) or any(verb in before for verb in _ZH_KNOWING):
                continue
            if clause.startswith(_ZH_NOT_ASKING_BEFORE, match.end()):
                continue
            if exclaiming and match.group(0) == "谁":
                continue
            return match.group(0)
    return None


_MAX_SENTENCES: Final = 6


def has_question_mark(text: str) -> bool:
    """A question mark of any script outside links ("?" in "page?id=3" asks nothing)."""
    if "?" not in text and "؟" not in text and "？" not in text:
        return False
    if "/" in text or "www." in text:
        return any(mark in _URL_RE.sub(" ", text) for mark in QUESTION_MARKS)
    return True


def _asks(candidate: str, language: str) -> str | None:
    false_start = _FALSE_START_RE.get(language)
    if false_start is not None and false_start.match(candidate):
        return None
    match = _START_RE[language].match(candidate)
    if match is None:
        return None
    found = match.group(0)
    if language in ("ar", "fa"):
        word = match.group("w") or match.group("pw")
        next_word = _WORD_RE.match(candidate, match.end())
        following = next_word.group(1) if next_word else ""
        if language == "ar":
            if word == "ما":
                asks = following.startswith("ال") or following in _AR_MA_ASKS_BEFORE
                return found if asks else None
            if word == "من":
                asks = bool(following) and not following.startswith("ال") and following not in _AR_MIN_NOT_BEFORE
                return found if asks else None
            if word == "اي":
                return found if following and following not in _AR_AI_NOT_BEFORE else None
        elif word == "چه":
            return found if following not in _FA_CHE_NOT_BEFORE else None
    return found


def _sentence_asks(sentence: str, languages: tuple[str, ...]) -> str | None:
    text = normalize(sentence)
    junk = _LEADING_JUNK_RE.match(text)
    if junk:
        text = text[junk.end() :]
    candidates = [text]
    for _ in range(3):
        greeting = _GREETING_RE.match(text)
        if greeting is None:
            break
        text = text[greeting.end() :]
        junk = _LEADING_JUNK_RE.match(text)
        if junk:
            text = text[junk.end() :]
        candidates = [text]
        # "Hello Sarah, how ..." / "سلام فاطمه، ...": also try after a short name that ends with a comma.
        comma = _CLAUSE_COMMA_RE.search(text, 0, 40)
        if comma is not None and len(text[: comma.start()].split()) <= 3:
            after = text[comma.end() :].lstrip()
            candidates.append(after)
            text = after
    for candidate in candidates:
        if candidate:
            for lang in languages:
                found = _asks(candidate, lang)
                if found is not None:
                    return found
    return None


def is_greeting_only(text: str) -> bool:
    """Only a greeting ("Good morning everyone!", "سلام دوستان", "大家好"), perhaps with emoji."""
    folded = normalize(text)
    junk = _LEADING_JUNK_RE.match(folded)
    if junk:
        folded = folded[junk.end() :]
    greeting = _GREETING_RE.match(folded)
    if greeting is None:
        return False
    rest = folded[greeting.end() :]
    return not rest or _LEADING_JUNK_RE.fullmatch(rest) is not None or rest.strip() in _GREETING_TAILS


# Words that may follow a greeting in a message that is only a greeting.
_GREETING_TAILS: Final = frozenset(("everyone", "all", "friends", "everybody", "and welcome", "à tous", "a tous"))


_TOKEN_RE: Final = re.compile(r"[\w'’-]+")


@cache
def _first_tokens(language: str) -> frozenset[str]:
    """A word each question word of ``language`` contains, as it stands in a message (Arabic script also with
    a glued و or ف); French verb-subject inversion ("allez-vous") is found by its hyphen."""
    tokens = set()
    for word in QUESTION_WORDS[language]:
        parts = _TOKEN_RE.findall(normalize(word))
        if parts:
            # The most telling word of a phrase ("whom" of "to whom", "متى" of "إلى متى"): a message without it
            # cannot start with the phrase, and common words ("to", "de") would let every message through.
            telling = max(parts, key=len)
            tokens.add(telling)
            if language in ("ar", "fa"):
                tokens.update(("و" + telling, "ف" + telling))
    if language == "fr":
        tokens.update(("est-ce", "qu'est-ce", "y"))
    return frozenset(tokens)


def starts_with_question_word(text: str, language: str) -> str | None:
    """The question word that starts a sentence of ``text`` (after any greeting), if one does.

    English and French ask with the first word ("where is", "est-ce que"); "I know how to do it." asks
    nothing. ``language`` without a table ("und", "es") tries the English and French tables on Latin text.
    """
    if language in _START_RE:
        languages: tuple[str, ...] = (language,)
    elif _LATIN_RE.search(text):
        languages = ("en", "fr")
    else:
        return None
    # Most messages hold no question word at all: a look at their words spares the sentence-by-sentence
    # reading (the costliest rule of the detector, which runs on every member message of an import).
    words = _TOKEN_RE.findall(normalize(text))
    if all(_first_tokens(lang).isdisjoint(words) for lang in languages) and not ("fr" in languages and "-" in text):
        return None
    for sentence in _SENTENCE_SPLIT_RE.split(text, maxsplit=_MAX_SENTENCES)[:_MAX_SENTENCES]:
        if not sentence.isspace() and sentence:
            found = _sentence_asks(sentence, languages)
            if found is not None:
                return found
    return None


# --------------------------------------------------------------------------------------------------------
# Keyword classification (topics, post types)

#: Inquiry topics for the monthly breakdown, with keywords per language as people type them (matched after
#: ``normalize``). Latin keywords match whole words (a plural s/es/x is allowed); Arabic-script keywords
#: match at a word start after any glued prefix (ال, و, ب, ...) with any ending; Chinese anywhere.
#: When two topics tie, the first in this order wins. "other" has no keywords: it is what is left.
TOPICS: Final[Mapping[str, Mapping[str, tuple[str, ...]]]] = {
    "health": {
        "en": ("health", "health card", "doctor", "family doctor", "hospital", "clinic", "walk-in clinic",
               "dentist", "dental", "nurse", "medicine", "medication", "prescription", "pharmacy", "ohip",
               "sick", "illness", "vaccine", "vaccination", "mental health", "emergency room", "ifhp",
               "health insurance"),
        "fr": ("santé", "carte santé", "carte-santé", "médecin", "médecin de famille", "hôpital", "hôpitaux",
               "clinique", "dentiste", "infirmière", "infirmier", "pharmacie", "ordonnance", "médicament",
               "malade", "vaccin", "urgences", "assurance maladie", "ramq", "santé mentale"),
        "ar": ("صحة", "صحي", "بطاقة صحية", "طبيب", "دكتور", "مستشفى", "مشفى", "عيادة", "أسنان", "صيدلية",
               "دواء", "أدوية", "مريض", "لقاح", "تطعيم", "ممرض", "تأمين صحي", "علاج"),
        "fa": ("سلامت", "بهداشت", "پزشک", "دکتر", "بیمارستان", "کلینیک", "درمانگاه", "دندان", "داروخانه",
               "دارو", "بیمار", "واکسن", "بیمه درمانی", "کارت سلامت", "درمان"),
        "zh": ("医疗", "医生", "医院", "诊所", "看病", "牙医", "药房", "药", "健康卡", "疫苗", "生病", "医保",
               "家庭医生"),
    },
    "education": {
        "en": ("school", "high school", "elementary school", "enroll", "enrol", "enrolment", "enrollment",
               "kindergarten", "university", "college", "student", "teacher", "diploma", "tuition",
               "scholarship", "education", "school board"),
        "fr": ("école", "inscription scolaire", "maternelle", "université", "collège", "cégep", "lycée",
               "élève", "étudiant", "étudiante", "enseignant", "diplôme", "études", "éducation",
               "conseil scolaire", "frais de scolarité"),
        "ar": ("مدرسة", "مدرسه", "مدارس", "المجلس المدرسي", "جامعة", "جامعه", "كلية", "روضة", "طالب", "طلاب",
               "تعليم", "دراسة", "شهادة", "معلم", "مدرس"),
        "fa": ("مدرسه", "دانشگاه", "دانشجو", "دانش آموز", "دانش‌آموز", "کالج", "تحصیل", "آموزش و پرورش",
               "معلم", "مدرک تحصیلی"),
        "zh": ("学校", "上学", "入学", "大学", "学院", "幼儿园", "学生", "老师", "教育", "学历", "读书",
               "小学",
               "中学", "高中"),
    },
    "housing": {
        "en": ("housing", "house", "apartment", "rent", "landlord", "tenant", "lease", "shelter",
               "accommodation", "room", "eviction", "home", "utilities"),
        "fr": ("logement", "appartement", "loyer", "propriétaire", "locataire", "bail", "hébergement",
               "refuge", "chambre", "expulsion", "maison"),
        "ar": ("سكن", "شقة", "شقق", "إيجار", "ايجار", "بيت", "منزل", "مستأجر", "صاحب البيت", "ملجأ",
               "مأوى", "عقار"),
        "fa": ("مسکن", "خانه", "آپارتمان", "اجاره", "صاحبخانه", "صاحب خانه", "مستاجر", "سرپناه", "اتاق"),
        "zh": ("住房", "房子", "租房", "房租", "公寓", "房东", "租约", "住所", "住宿", "找房"),
    },
    "employment": {
        "en": ("job", "employment", "employer", "resume", "résumé", "cv", "interview", "hiring", "career",
               "salary", "wage", "job search", "work experience", "unemployed"),
        "fr": ("emploi", "travail", "travailler", "entrevue", "entretien d'embauche", "embauche", "salaire",
               "employeur", "carrière", "chercher du travail", "recherche d'emploi", "chômage"),
        "ar": ("شغل", "وظيفة", "وظائف", "توظيف", "فرصة عمل", "فرص عمل", "سوق العمل", "البحث عن عمل",
               "سيرة ذاتية", "راتب", "مقابلة عمل", "صاحب العمل"),
        "fa": ("شغل", "استخدام", "کاریابی", "رزومه", "مصاحبه کاری", "دنبال کار", "کار پیدا", "فرصت شغلی",
               "کارفرما", "بیکار"),
        "zh": ("工作", "找工作", "招聘", "求职", "简历", "面试", "工资", "雇主", "就业", "失业"),
    },
    "language_classes": {
        "en": ("english class", "english classes", "language class", "language classes", "esl", "linc",
               "french class", "french classes", "language course", "language test", "ielts", "celpip",
               "clb", "learn english", "learn french", "tef", "tcf"),
        "fr": ("cours de français", "cours d'anglais", "francisation", "cours de langue", "clic",
               "apprendre le français", "apprendre l'anglais", "test de langue"),
        "ar": ("دروس لغة", "دروس اللغة", "دورة لغة", "دورة اللغة", "صفوف اللغة", "تعلم اللغة", "لغة",
               "إنجليزي",
               "انجليزي", "انكليزي", "اللغة الفرنسية", "لينك", "آيلتس"),
        "fa": ("کلاس زبان", "زبان انگلیسی", "زبان فرانسه", "کلاس انگلیسی", "آموزش زبان", "آیلتس", "زبان"),
        "zh": ("英语课", "语言课", "英文课", "法语课", "学英语", "学法语", "语言班", "英语班", "学英文"),
    },
    "immigration": {
        "en": ("immigration", "visa", "permanent resident", "permanent residence", "pr card", "citizenship",
               "refugee", "asylum", "work permit", "study permit", "passport", "ircc", "sponsorship",
               "family reunification", "refugee claim"),
        "fr": ("immigration", "visa", "résidence permanente", "résident permanent", "carte rp",
               "citoyenneté", "réfugié", "réfugiée", "asile", "permis de travail", "permis d'études",
               "passeport", "parrainage", "réunification familiale"),
        "ar": ("هجرة", "لجوء", "لاجئ", "إقامة", "اقامة", "جنسية", "تأشيرة", "فيزا", "جواز سفر", "كفالة",
               "لم شمل", "تصريح عمل", "الإقامة الدائمة"),
        "fa": ("مهاجرت", "اقامت", "پناهندگی", "پناهنده", "شهروندی", "ویزا", "پاسپورت", "گذرنامه", "اسپانسر",
               "کارت اقامت", "اجازه کار"),
        "zh": ("移民", "签证", "枫叶卡", "永久居民", "入籍", "公民", "难民", "庇护", "护照", "工签", "学签",
               "担保",
               "团聚"),
    },
    "transportation": {
        "en": ("bus", "train", "transit", "driver's licence", "driver's license", "driving", "licence",
               "license", "car", "taxi", "metro", "subway", "presto", "transportation", "transport",
               "airport", "bus pass"),
        "fr": ("autobus", "bus", "métro", "train", "permis de conduire", "voiture", "taxi", "transport",
               "transports en commun", "aéroport", "passe d'autobus"),
        "ar": ("باص", "حافلة", "مواصلات", "قطار", "رخصة قيادة", "رخصة السواقة", "سيارة", "تاكسي", "مطار",
               "مترو", "نقل عام"),
        "fa": ("اتوبوس", "قطار", "مترو", "تاکسی", "گواهینامه", "رانندگی", "ماشین", "حمل و نقل", "فرودگاه"),
        "zh": ("公交", "巴士", "地铁", "火车", "驾照", "开车", "汽车", "出租车", "交通", "机场"),
    },
    "finance": {
        "en": ("tax", "tax clinic", "tax return", "benefit", "bank", "bank account", "credit card", "credit",
               "money", "loan", "debt", "income", "gst", "hst", "welfare", "ontario works",
               "social assistance", "pension", "budget"),
        "fr": ("impôt", "impôts", "clinique d'impôts", "taxe", "banque", "compte bancaire", "prestation",
               "argent", "crédit", "prêt", "dette", "revenu", "aide sociale", "pension",
               "déclaration de revenus"),
        "ar": ("ضريبة", "ضرائب", "بنك", "مصرف", "حساب بنكي", "بطاقة ائتمان", "مساعدة مالية", "فلوس", "قرض",
               "ديون", "معونة"),
        "fa": ("مالیات", "بانک", "حساب بانکی", "کارت اعتباری", "وام", "پول", "بدهی", "کمک مالی", "درآمد"),
        "zh": ("报税", "税", "银行", "账户", "信用卡", "贷款", "福利", "补助", "钱", "收入"),
    },
    "legal": {
        "en": ("lawyer", "legal", "legal aid", "court", "police", "rights", "law", "tribunal", "complaint",
               "hearing"),
        "fr": ("avocat", "avocate", "aide juridique", "juridique", "tribunal", "droits", "police", "loi",
               "plainte", "audience"),
        "ar": ("محامي", "محام", "قانوني", "مساعدة قانونية", "محكمة", "شرطة", "حقوق", "قانون", "شكوى"),
        "fa": ("وکیل", "حقوقی", "دادگاه", "پلیس", "قانون", "شکایت"),
        "zh": ("律师", "法律", "法院", "警察", "法律援助", "投诉", "权利"),
    },
    "family": {
        "en": ("child care", "childcare", "daycare", "day care", "child benefit", "ccb", "babysitter", "baby",
               "pregnant", "pregnancy", "prenatal", "parenting", "family"),
        "fr": ("garderie", "service de garde", "allocation familiale", "allocations familiales",
               "allocation canadienne pour enfants", "bébé", "enceinte", "grossesse", "famille",
               "parentalité"),
        "ar": ("حضانة", "رعاية الأطفال", "رعاية أطفال", "إعانة الأطفال", "اعانة الاطفال", "إعانة الطفل",
               "رضيع", "حامل", "عائلة", "أسرة", "الأسرة"),
        "fa": ("مهد کودک", "مهدکودک", "نگهداری کودک", "کمک هزینه فرزند", "نوزاد", "بارداری", "حاملگی",
               "خانواده"),
        "zh": ("托儿所", "托儿", "日托", "育儿", "牛奶金", "儿童福利", "怀孕", "宝宝", "婴儿", "家庭"),
    },
    "food": {
        "en": ("food", "food bank", "groceries", "grocery", "meal", "halal", "hungry", "food basket"),
        "fr": ("nourriture", "banque alimentaire", "épicerie", "repas", "halal", "aliments", "alimentaire"),
        "ar": ("طعام", "بنك الطعام", "غذاء", "مواد غذائية", "حلال", "وجبات", "وجبة", "سلة غذائية"),
        "fa": ("غذا", "بانک غذا", "مواد غذایی", "حلال", "خوراک", "سبد غذایی"),
        "zh": ("食物", "食品", "食物银行", "食品银行", "吃饭", "清真"),
    },
    "other": {lang: () for lang in LANGUAGES},
}  # fmt: skip

#: Post types of staff posts (toolkit Table 7), in display order; "announcement" is the default.
POST_TYPES: Final = ("announcement", "event", "job", "emergency", "guidelines")

#: Keywords per post type and language, matched like ``TOPICS``. A job fair is an event (people attend
#: it on a date), not a job posting.
POST_TYPE_KEYWORDS: Final[Mapping[str, Mapping[str, tuple[str, ...]]]] = {
    "emergency": {
        "en": ("urgent", "alert", "emergency", "warning", "storm", "snowstorm", "closure", "closed",
               "cancelled", "canceled", "strike", "evacuation", "flood", "fire", "outage", "power outage",
               "boil water", "tornado", "extreme cold", "heat warning"),
        "fr": ("urgent", "urgente", "urgence", "alerte", "avertissement", "tempête", "fermeture", "fermé",
               "fermée", "annulé", "annulée", "grève", "évacuation", "inondation", "incendie", "panne"),
        "ar": ("طوارئ", "عاجل", "تحذير", "تنبيه", "إنذار", "عاصفة", "إغلاق", "مغلق", "إضراب", "حريق",
               "فيضان", "خطر"),
        "fa": ("اضطراری", "فوری", "هشدار", "طوفان", "تعطیل", "اعتصاب", "آتش سوزی", "آتش‌سوزی", "سیل",
               "خطر"),
        "zh": ("紧急", "警报", "警告", "暴风雪", "暴雨", "关闭", "停课", "罢工", "取消", "疏散", "火灾",
               "洪水",
               "停电", "台风"),
    },
    "guidelines": {
        "en": ("guidelines", "community guidelines", "rules", "group rules", "house rules", "code of conduct",
               "no spam", "be respectful"),
        "fr": ("règles", "règlement", "lignes directrices", "charte", "rappel des règles",
               "code de conduite"),
        "ar": ("قواعد", "قوانين", "إرشادات", "ارشادات", "تعليمات المجموعة", "شروط المجموعة"),
        "fa": ("قوانین", "قواعد", "مقررات", "قوانین گروه", "راهنمای گروه"),
        "zh": ("规则", "群规", "守则", "准则"),
    },
    "job": {
        "en": ("job", "job posting", "hiring", "now hiring", "we're hiring", "vacancy", "vacancies",
               "career", "employment opportunity", "apply now", "recruiting", "part-time", "full-time",
               "internship"),
        "fr": ("emploi", "offre d'emploi", "poste", "embauche", "recrutement", "recrute", "stagiaire",
               "temps plein", "temps partiel"),
        "ar": ("وظيفة", "وظائف", "شغل", "فرصة عمل", "فرص عمل", "توظيف", "مطلوب موظف", "مطلوب موظفين",
               "دوام كامل", "دوام جزئي"),
        "fa": ("استخدام", "شغل", "فرصت شغلی", "آگهی استخدام", "پاره وقت", "تمام وقت", "کارآموزی"),
        "zh": ("招聘", "工作", "职位", "求职", "岗位", "招工", "兼职", "全职", "实习"),
    },
    "event": {
        "en": ("workshop", "webinar", "session", "info session", "information session", "event", "seminar",
               "job fair", "career fair", "fair", "clinic", "tax clinic", "meetup", "meeting", "conference",
               "celebration", "festival", "open house", "join us", "rsvp", "orientation"),
        "fr": ("atelier", "séance", "session", "webinaire", "événement", "évènement", "séminaire",
               "salon de l'emploi", "foire", "clinique d'impôts", "rencontre", "conférence", "fête",
               "festival", "portes ouvertes", "rejoignez-nous"),
        "ar": ("ورشة", "ورشه", "ورش", "ندوة", "جلسة", "جلسة معلومات", "فعالية", "فعاليات", "اجتماع", "لقاء",
               "محاضرة", "معرض", "معرض وظائف", "احتفال", "مهرجان"),
        "fa": ("کارگاه", "وبینار", "جلسه", "سمینار", "رویداد", "همایش", "نشست", "جشن", "جشنواره",
               "نمایشگاه", "نمایشگاه کار"),
        "zh": ("讲座", "活动", "研讨会", "工作坊", "会议", "说明会", "招聘会", "展会", "聚会", "培训"),
    },
}  # fmt: skip

# Ties between post types: a storm warning that mentions a workshop is an emergency.
_POST_TYPE_PRIORITY: Final = ("emergency", "guidelines", "job", "event")

_ARABIC_SCRIPT_RE: Final = LazyPattern(f"[{_ARABIC_CLASS}]")
_CJK_RE: Final = LazyPattern(f"[{_CJK_CLASS}]")


class _KeywordIndex:
    """One regex per language over all labels' keywords; a match's text says which label it counts for.

    Each language's regex is compiled on its first use: compiling them all costs a noticeable part of the
    workstation's launch, which needs none of them before a message arrives."""

    _LANGUAGES: Final = frozenset((*LANGUAGES, "und"))

    def __init__(self, table: Mapping[str, Mapping[str, tuple[str, ...]]], order: Iterable[str]) -> None:
        self._table = table
        self._order = tuple(order)
        self._rank = {label: i for i, label in enumerate(self._order)}
        self._compiled: dict[str, tuple[dict[str, str], re.Pattern[str]]] = {}

    def _language(self, language: str) -> tuple[dict[str, str], re.Pattern[str]]:
        by_keyword: dict[str, str] = {}
        for lang in LANGUAGES if language == "und" else (language,):
            for label in self._order:
                for keyword in self._table.get(label, {}).get(lang, ()):
                    by_keyword.setdefault(normalize(keyword), label)
        compiled = self._compiled[language] = (by_keyword, self._compile(by_keyword))
        return compiled

    @staticmethod
    def _compile(keywords: Iterable[str]) -> re.Pattern[str]:
        latin: list[str] = []
        arabic: list[str] = []
        cjk: list[str] = []
        for keyword in keywords:
            if _ARABIC_SCRIPT_RE.search(keyword):
                arabic.append(keyword)
            elif _CJK_RE.search(keyword):
                cjk.append(keyword)
            else:
                latin.append(keyword)
        parts = []
        if latin:
            parts.append(r"(?<!\w)(?P<l>" + keyword_pattern(latin) + r")(?:s|es|x)?(?!\w)")
        if arabic:
            parts.append(r"(?<!\w)" + ARABIC_PREFIXES + "(?P<a>" + keyword_pattern(arabic) + ")")
        if cjk:
            parts.append("(?P<c>" + keyword_pattern(cjk) + ")")
        return re.compile("|".join(parts) or "(?!)")

    def best(self, text: str, language: str | None) -> str | None:
        """The label with most keyword hits (ties: first in order), or None without a hit."""
        normalized = normalize(text)
        lang = language if language in self._LANGUAGES else detect_language(text)
        by_keyword, regex = self._compiled.get(lang) or self._language(lang)
        counts: dict[str, int] = {}
        for match in regex.finditer(normalized):
            label = by_keyword[match.group(match.lastgroup or 0)]
            counts[label] = counts.get(label, 0) + 1
        if len(counts) <= 1:
            for label in counts:
                return label
            return None
        rank = self._rank
        return max(counts, key=lambda label: (counts[label], -rank[label]))


_TOPIC_INDEX: Final = _KeywordIndex(TOPICS, TOPICS)
_POST_TYPE_INDEX: Final = _KeywordIndex(POST_TYPE_KEYWORDS, _POST_TYPE_PRIORITY)


def classify_topic(text: str, language: str | None = None) -> str:
    """The inquiry topic for the monthly breakdown by topic; "other" when no keyword of a topic occurs.

    Keywords of the message's language only (detected when not given), since a word in one language can be
    another topic in the other ("car" is "because" in French); an undetermined language uses all tables.
    """
    return _TOPIC_INDEX.best(text, language) or "other"


def post_type_keyword(text: str) -> str | None:
    """The post type a keyword of the text names, or None when nothing marks it as a post (an announcement,
    an event, a job): a staff message with such a keyword is not taken for an answer without a reply."""
    return _POST_TYPE_INDEX.best(text, "und")


def classify_post_type(text: str) -> str:
    """The post type for toolkit Table 7 ("posts by type"); a post with no telling keyword is an announcement.

    Keywords of every language count: settlement posts are often bilingual ("Workshop / Atelier").
    """
    return _POST_TYPE_INDEX.best(text, "und") or "announcement"
