"""Which language a message is in: script first (cheap and reliable), then within a script the few
signals that separate its languages. Runs on every member message of an import."""

from __future__ import annotations

import re
from typing import Final

from moderator_app.domain.text import LazyPattern

__all__ = [
    "ARABIC_CLASS",
    "CJK_CLASS",
    "LATIN_RE",
    "URL_RE",
    "detect_language",
]

ARABIC_CLASS = "\u0620-\u064a\u066e-\u06d3\u06d5\u06ee-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufefc"
CJK_CLASS = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_ARABIC_RUN_RE: Final = re.compile(f"[{ARABIC_CLASS}]+")
_CJK_RUN_RE: Final = LazyPattern(f"[{CJK_CLASS}]+")
_KANA_HANGUL_RE: Final = LazyPattern("[\u3040-\u30ff\u31f0-\u31ff\u1100-\u11ff\uac00-\ud7af]")
LATIN_RE: Final = LazyPattern("[A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f]")
_ACCENTED_RE: Final = re.compile("[\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f]")
_FR_ACCENT_RE: Final = re.compile("[éèêëàâçùûîïôœ]")
URL_RE: Final = re.compile(r"(?:https?://|www\.)\S+|[\w.-]+\.[a-z]{2,}/\S*", re.IGNORECASE)

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
        text = URL_RE.sub(" ", text)
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


#: Languages as their speakers write them (a moderator looks for "فارسی", not "fa").
AUTONYMS: Final = {"ar": "العربية", "fa": "فارسی", "fr": "Français", "en": "English", "zh": "中文"}


def language_name(tag: str) -> str:
    """A language tag as a moderator reads it: "فارسی", "Français (fr-CA)", "?" for undetermined."""
    if tag == "und":
        return "?"
    return AUTONYMS.get(tag.split("-")[0].lower(), tag) + (f" ({tag})" if "-" in tag else "")
