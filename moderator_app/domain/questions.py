"""Questions by their grammar: question marks, question words where each language puts them (the first
word of a sentence after any greeting in English and French; Arabic and Farsi words with their false
starts; Chinese final particles and A-not-A forms), and greetings that ask nothing."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from functools import cache
from typing import Final

from moderator_app.domain.language import LATIN_RE, URL_RE
from moderator_app.domain.text import QUESTION_MARKS, LazyPattern, keyword_pattern, normalize

__all__ = [
    "QUESTION_WORDS",
    "has_question_mark",
    "is_greeting_only",
    "starts_with_question_word",
    "zh_question_word",
]

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
        return any(mark in URL_RE.sub(" ", text) for mark in QUESTION_MARKS)
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
    elif LATIN_RE.search(text):
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
