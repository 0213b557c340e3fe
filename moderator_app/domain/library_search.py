"""Search rules for the library picker: canned answers and partner organizations found "as you type".

A database index of the library (SQLite FTS5 with a trigram table, PostgreSQL full-text or trigram indexes)
must fold and cut text with these same functions, so that it finds what the in-memory ``LibraryIndex`` finds:

* ``search_key`` folds a text the way the index stores it: ``text.normalize`` (case, Unicode compatibility
  forms, harakat, tatweel, alef/yeh/kaf variants, digit scripts, spacing) plus what search needs on top
  (see ``search_key``): ZWNJ joined rather than split, teh marbuta as heh, Latin accents and ligatures off.
* ``query_terms`` cuts a typed query into terms: Latin and Arabic-script words, each Arabic-script word with
  its glued clitics stripped as alternatives ("بالمدرسة" also looks for "المدرسة" and "مدرسة"), and Chinese
  as character bigrams, since Chinese has no spaces ("英语课" is "英语" and "语课").
* ``trigrams`` gives the three-letter pieces partial words are found by ("inscri" finds "inscription").

Every term of a query must match (AND, like FTS5); a term matches a whole word, or the start or the middle
of a word. The picker runs a search at each keystroke over thousands of answers times five languages, so the
in-memory index answers from inverted indexes (word -> documents, trigram -> words of the vocabulary) with set
operations in C, and never scans the documents.
"""

from __future__ import annotations

import heapq
import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain
from typing import Final

# CJK_CLASS: the Chinese character ranges language detection uses, so both agree on what is Chinese.
from moderator_app.domain.language import CJK_CLASS
from moderator_app.domain.library import CannedAnswer
from moderator_app.domain.referrals import ReferralOrganization
from moderator_app.domain.text import ARABIC_PREFIXES, LazyPattern, normalize

__all__ = [
    "FIELD_WEIGHTS",
    "SEARCH_INDEX_VERSION",
    "DocumentTokens",
    "Hit",
    "LibraryDocument",
    "LibraryIndex",
    "QueryTerm",
    "answer_documents",
    "document_key",
    "document_tokens",
    "organization_document",
    "query_terms",
    "search_key",
    "term_forms",
    "trigrams",
]

# --------------------------------------------------------------------------------------------------------
# Keys and terms

_ZWNJ: Final = "\u200c"
# ``normalize`` keeps these on purpose (keyword matching: teh marbuta changes a word), but people searching
# write a final teh marbuta as heh ("مدرسه", and Farsi spells the word so), and the Farsi ezafe heh-yeh
# "ۀ" as a plain heh, so search folds both (as Lucene's Arabic normalizer does).
_SEARCH_LETTERS: Final = (("ة", "ه"), ("ۀ", "ه"))
# French writers drop accents and ligatures on phones ("ecole", "soeur"); ``normalize`` keeps accents
# ("où" is not "ou" for keyword rules), search drops them. Only marks on Latin letters: an Arabic hamza
# written as a combining mark is already handled by ``normalize``, and other scripts keep theirs.
_LATIN_MARK_RE: Final = re.compile("(?<=[a-z])[\u0300-\u036f]+")
_LIGATURES: Final = (("œ", "oe"), ("æ", "ae"))
_SEARCH_CHARS_RE: Final = re.compile("[\u0300-\u036fœæةۀ]")
_ACCENT_DECOMPOSES_RE: Final = re.compile("[\u00c0-\u024f\u1e00-\u1eff]")

#: A word of a key: a run of Chinese characters, or a run of other letters and digits.
_TOKEN_RE: Final = LazyPattern(f"[{CJK_CLASS}]+|[^\\W_{CJK_CLASS}]+")
_CJK_START_RE: Final = LazyPattern(f"[{CJK_CLASS}]")
_PREFIX_RE: Final = re.compile(ARABIC_PREFIXES)
_LONGEST_PREFIX: Final = 4  # "وبال", "فلل": ARABIC_PREFIXES matches at most this many letters
_MIN_STEM: Final = 2  # never strip a word below two letters ("بكم" -> "كم", but "بي" stays)


def search_key(text: str) -> str:
    """The form a text is indexed and queried by, so spellings people treat as the same word compare equal.

    ``normalize`` does most of it; on top, for search only: ZWNJ (Farsi "می‌خواهم") is removed instead of
    becoming a space, so it matches the common spelling without it ("میخواهم"); teh marbuta and "ۀ" become
    heh; accents on Latin letters and the œ/æ ligatures are dropped ("École" is "ecole", "cœur" is "coeur").
    Idempotent: ``search_key(search_key(x)) == search_key(x)``.
    """
    if text.isascii():
        return normalize(text)
    return _fold(normalize(text.replace(_ZWNJ, "")))


def _fold(key: str) -> str:
    if key.isascii() or (_SEARCH_CHARS_RE.search(key) is None and _ACCENT_DECOMPOSES_RE.search(key) is None):
        return key
    for char, replacement in _SEARCH_LETTERS:
        key = key.replace(char, replacement)
    for char, replacement in _LIGATURES:
        key = key.replace(char, replacement)
    key = _LATIN_MARK_RE.sub("", unicodedata.normalize("NFD", key))
    return unicodedata.normalize("NFC", key)


def _is_cjk(token: str) -> bool:
    return _CJK_START_RE.match(token) is not None


@lru_cache(maxsize=1 << 16)
def _clitic_stems(word: str) -> tuple[str, ...]:
    """The word without each clitic prefix it may carry (``ARABIC_PREFIXES``), longest stem first.

    "لل" is "ل" + "ال" with the alef dropped, so "للمدرسة" gives back "المدرسة" as well as "مدرسة". Latin
    and Chinese words never start with these letters, so they have no stems.
    """
    stems: list[str] = []
    for end in range(1, min(_LONGEST_PREFIX, len(word) - _MIN_STEM) + 1):
        if _PREFIX_RE.fullmatch(word, 0, end) is None:
            continue
        rest = word[end:]
        if word[:end].endswith("لل"):
            stems.append("ال" + rest)
        stems.append(rest)
    return tuple(dict.fromkeys(stems))


def _bigrams(run: str) -> list[str]:
    if len(run) == 1:
        return [run]
    return [run[i : i + 2] for i in range(len(run) - 1)]


@dataclass(frozen=True, slots=True)
class QueryTerm:
    """One term of a query, already a search key: every term of a query must match a document.

    ``alternatives`` are other forms that count as the same word (the Arabic-script word without its glued
    clitics). ``partial`` says whether the term may also match the start or the middle of a longer word (the
    word being typed); Chinese bigrams are already pieces of words, so they match as they are.
    """

    text: str
    alternatives: tuple[str, ...] = ()
    partial: bool = True


def query_terms(query: str) -> list[QueryTerm]:
    """The terms of a typed query, each once, in order ([] for a query with no letters or digits).

    Latin and Arabic-script words are terms (Arabic-script ones with their clitic stems as alternatives); a
    run of Chinese characters gives its bigrams ("英语课" -> "英语", "语课"), or the character itself when it
    is one character long.
    """
    terms: dict[str, QueryTerm] = {}
    for token in _TOKEN_RE.findall(search_key(query)):
        if _is_cjk(token):
            for gram in _bigrams(token):
                terms.setdefault(gram, QueryTerm(gram, (), partial=False))
        else:
            terms.setdefault(token, QueryTerm(token, _clitic_stems(token)))
    return list(terms.values())


def _word_trigrams(word: str) -> set[str]:
    if len(word) < 3:
        return {word}
    return {word[i : i + 3] for i in range(len(word) - 2)}


def trigrams(text: str) -> set[str]:
    """The three-character pieces of the words of ``search_key(text)``; a word shorter than three characters
    is its own piece. A partial word is found among the words having all of its pieces."""
    grams: set[str] = set()
    for token in _TOKEN_RE.findall(search_key(text)):
        grams |= _word_trigrams(token)
    return grams


def _shortcut_key(text: str) -> str:
    """A shortcut compared word by word: "/Health-Card", "health card" and "health-card" are one shortcut."""
    return " ".join(_TOKEN_RE.findall(search_key(text)))


# --------------------------------------------------------------------------------------------------------
# The in-memory index

#: How much a match in each field counts; a shortcut names the answer, a title says what it is about,
#: aliases are other names and keywords (an organization's aliases, an answer's topics).
FIELD_WEIGHTS: Final[Mapping[str, int]] = {"shortcut": 4, "title": 3, "aliases": 2, "body": 1}

# What a term's match is worth, times the field weight. Whole words (the word itself, or its clitic stem)
# always rank above partial words (see ``_WORD``); among partial words a word's start above its middle.
_EXACT: Final = 8
_STEM: Final = 6
_PREFIX: Final = 2
_INFIX: Final = 1
# A term's match is one int: whole-word flag above the value, so a document's sum over the terms orders by
# (number of whole-word terms, total value).
_WORD: Final = 1 << 12
_MAX_TERMS: Final = 64  # keeps the sum of values below _WORD
_SMALL_SORT: Final = 256  # buckets at most this big are sorted, bigger ones partially (heapq)


@dataclass(frozen=True, slots=True)
class LibraryDocument:
    """One searchable text: a canned answer's body in one language (with its title, shortcut and topics as
    ``aliases``), or a partner organization (name as title, its aliases, a description as body).

    ``(doc_id, language)`` identifies it; the same ``doc_id`` in several languages is one answer.
    """

    doc_id: int
    language: str
    title: str = ""
    shortcut: str = ""
    aliases: tuple[str, ...] = ()
    body: str = ""

    def fields(self) -> Iterator[tuple[int, str]]:
        """(weight, text) of each non-empty field."""
        if self.shortcut:
            yield FIELD_WEIGHTS["shortcut"], self.shortcut
        if self.title:
            yield FIELD_WEIGHTS["title"], self.title
        for alias in self.aliases:
            if alias:
                yield FIELD_WEIGHTS["aliases"], alias
        if self.body:
            yield FIELD_WEIGHTS["body"], self.body


@dataclass(frozen=True, slots=True)
class Hit:
    """A search result. ``whole_words`` counts the query terms that matched whole words; ``score`` sums the
    terms' match values (field weight times exact word, clitic stem, word start or word middle)."""

    doc_id: int
    language: str
    exact_shortcut: bool
    whole_words: int
    score: int


def _primary(language: str) -> str:
    return language.split("-")[0].lower()


@lru_cache(maxsize=1 << 16)
def _word_forms(token: str) -> tuple[str, ...]:
    """What a word of a document is indexed as: itself, or for a Chinese run its bigrams and characters."""
    if not _is_cjk(token):
        return (token,)
    if len(token) == 1:
        return (token,)
    return (*_bigrams(token), *token)


#: (word -> best field weight, stem -> best field weight) of a document; see ``document_tokens``.
DocumentTokens = tuple[dict[str, int], dict[str, int]]


def document_tokens(document: LibraryDocument) -> DocumentTokens:
    """(word -> best field weight, stem -> best field weight) of a document: what ``LibraryIndex`` indexes it
    by (a database index stores them, to rank without folding the text again).

    Words are the key's words; Chinese runs give their bigrams and single characters. Stems are what a
    word's clitics leave (so "مدرسة" finds "بالمدرسة" too), and the parts of a word written with ZWNJ (the
    key joins them, but a query may type them apart: "می خواهم" finds "می‌خواهم").
    """
    words: dict[str, int] = {}
    stems: dict[str, int] = {}
    # Lightest field first, so a word's entry ends with the heaviest field it occurs in (C-level updates).
    for weight, text in sorted(document.fields(), key=lambda field: field[0]):
        tokens = set(_TOKEN_RE.findall(search_key(text)))
        words.update(dict.fromkeys(chain.from_iterable(map(_word_forms, tokens)), weight))
        stems.update(dict.fromkeys(chain.from_iterable(map(_clitic_stems, tokens)), weight))
        if _ZWNJ in text:
            stems.update(dict.fromkeys(_TOKEN_RE.findall(_fold(normalize(text))), weight))
    return words, stems


class LibraryIndex:
    """Documents searched as the moderator types: ``search`` ranks

    1. answers whose shortcut is the query ("health-card", "/health card");
    2. then by the number of query terms found as whole words (a word or its clitic stem);
    3. then by the summed match value: field weight (shortcut > title > aliases > body) times exact word >
       clitic stem > start of a word > middle of a word (trigrams find the middle);
    4. then documents in the preferred language (by primary subtag: "fr" prefers "fr-CA" too);
    5. then by doc id, then language, so equal results keep one order.

    One hit per ``doc_id``: an answer's bodies in several languages are one entry in the picker, and the
    hit names the language that matched best. Organizations and answers, whose ids are separate, go in
    separate indexes.
    """

    def __init__(self, documents: Iterable[LibraryDocument] = ()) -> None:
        self._documents: list[LibraryDocument | None] = []
        self._slot: dict[tuple[int, str], int] = {}
        self._order: list[tuple[int, str]] = []
        # word -> field weight -> slots, for the key's words and for stems
        self._words: dict[str, dict[int, set[int]]] = {}
        self._stems: dict[str, dict[int, set[int]]] = {}
        # vocabulary (non-Chinese words and stems) by trigram and by first one or two letters
        self._by_trigram: dict[str, set[str]] = {}
        self._by_start: dict[str, set[str]] = {}
        self._by_language: dict[str, set[int]] = {}
        self._shortcuts: dict[str, set[int]] = {}
        self._tokens: dict[int, DocumentTokens] = {}  # given to add(): removing needs the same ones
        for document in documents:
            self.add(document)

    def __len__(self) -> int:
        return len(self._slot)

    # ---- building

    def add(self, document: LibraryDocument, known: DocumentTokens | None = None) -> None:
        """Index ``document``, replacing the one with the same (doc_id, language). ``known``: its
        ``document_tokens`` when already known (a database index stores them), else they are computed."""
        self.remove(document.doc_id, document.language)
        slot = len(self._documents)
        self._documents.append(document)
        if known is not None:
            self._tokens[slot] = known
        self._order.append((document.doc_id, document.language))
        self._slot[document.doc_id, document.language] = slot
        words, stems = known if known is not None else document_tokens(document)
        for table, tokens in ((self._words, words), (self._stems, stems)):
            for token, weight in tokens.items():
                postings = table.get(token)
                if postings is None:
                    self._add_vocabulary(token)
                    postings = table[token] = {}
                slots = postings.get(weight)
                if slots is None:
                    postings[weight] = {slot}
                else:
                    slots.add(slot)
        self._by_language.setdefault(_primary(document.language), set()).add(slot)
        if document.shortcut and (shortcut := _shortcut_key(document.shortcut)):
            self._shortcuts.setdefault(shortcut, set()).add(slot)

    def remove(self, doc_id: int, language: str | None = None) -> None:
        """Forget the document (doc_id, language), or every language of ``doc_id``; unknown ones are ignored."""
        keys = [(doc_id, language)] if language is not None else [k for k in self._slot if k[0] == doc_id]
        for key in keys:
            slot = self._slot.pop(key, None)
            if slot is None:
                continue
            document = self._documents[slot]
            assert document is not None
            self._documents[slot] = None
            given = self._tokens.pop(slot, None)
            words, stems = given if given is not None else document_tokens(document)
            for table, tokens in ((self._words, words), (self._stems, stems)):
                for token, weight in tokens.items():
                    postings = table[token]
                    postings[weight].discard(slot)
                    if not postings[weight]:
                        del postings[weight]
                    if not postings:
                        del table[token]
                        self._drop_vocabulary(token)
            self._by_language[_primary(document.language)].discard(slot)
            if document.shortcut and (shortcut := _shortcut_key(document.shortcut)):
                self._shortcuts[shortcut].discard(slot)
                if not self._shortcuts[shortcut]:
                    del self._shortcuts[shortcut]

    def _add_vocabulary(self, token: str) -> None:
        if _is_cjk(token) or token in self._words or token in self._stems:
            return
        for gram in _word_trigrams(token):
            self._by_trigram.setdefault(gram, set()).add(token)
        for end in (1, 2):
            if len(token) > end:
                self._by_start.setdefault(token[:end], set()).add(token)

    def _drop_vocabulary(self, token: str) -> None:
        if _is_cjk(token) or token in self._words or token in self._stems:
            return
        for gram in _word_trigrams(token):
            self._by_trigram[gram].discard(token)
            if not self._by_trigram[gram]:
                del self._by_trigram[gram]
        for end in (1, 2):
            if len(token) > end:
                self._by_start[token[:end]].discard(token)
                if not self._by_start[token[:end]]:
                    del self._by_start[token[:end]]

    # ---- searching

    def search(self, query: str, language: str | None = None, limit: int = 20) -> list[Hit]:
        """The best ``limit`` documents for ``query``, ranked as the class says, one per doc id.

        A query without letters or digits (empty, spaces, punctuation) finds nothing: the picker then shows
        its own default list (most used answers), which is not a search.
        """
        terms = query_terms(query)[:_MAX_TERMS]
        if limit <= 0 or not terms:
            return []
        levels = [self._term_levels(term) for term in terms]
        matched = [set().union(*by_code.values()) for by_code in levels]
        matched.sort(key=len)
        candidates = matched[0].intersection(*matched[1:]) if matched[0] else set()
        shortcut = self._shortcuts.get(_shortcut_key(query), set())
        codes: dict[int, int] = {}
        if len(levels) == 1:
            buckets = [(code, docs & candidates) for code, docs in levels[0].items()]
            buckets.sort(key=lambda bucket: bucket[0], reverse=True)
            seen: set[int] = set()
            ranked: list[tuple[int, set[int]]] = []
            for code, docs in buckets:
                docs -= seen
                seen |= docs
                ranked.append((code, docs))
        else:
            total = dict.fromkeys(candidates, 0)
            for by_code in levels:
                best: dict[int, int] = {}
                for code in sorted(by_code):
                    best.update(dict.fromkeys(by_code[code] & candidates, code))
                for slot, code in best.items():
                    total[slot] += code
            grouped: dict[int, set[int]] = {}
            for slot, code in total.items():
                grouped.setdefault(code, set()).add(slot)
            ranked = sorted(grouped.items(), reverse=True)
        for code, docs in ranked:
            codes.update(dict.fromkeys(docs & shortcut, code))
        return self._take([(-1, shortcut), *ranked], codes, language, limit)

    def _term_levels(self, term: QueryTerm) -> dict[int, set[int]]:
        """code -> slots whose best match of ``term`` has that code (a slot may appear under lower codes too)."""
        parts: dict[int, list[set[int]]] = {}

        def collect(table: dict[str, dict[int, set[int]]], token: str, value: int, word: bool) -> None:
            for weight, slots in table.get(token, {}).items():
                parts.setdefault(value * weight + (_WORD if word else 0), []).append(slots)

        collect(self._words, term.text, _EXACT, True)
        collect(self._stems, term.text, _STEM, True)
        for alternative in term.alternatives:
            collect(self._words, alternative, _STEM, True)
            collect(self._stems, alternative, _STEM, True)
        if term.partial:
            for token, value in self._partial_words(term).items():
                collect(self._words, token, value, False)
                collect(self._stems, token, value, False)
        return {code: sets[0] if len(sets) == 1 else set().union(*sets) for code, sets in parts.items()}

    def _partial_words(self, term: QueryTerm) -> dict[str, int]:
        """Vocabulary words that start with the term or an alternative (value _PREFIX), or have the term in
        their middle (_INFIX, for terms of three letters or more: trigrams make shorter ones noise)."""
        found: dict[str, int] = {}
        text = term.text
        if len(text) < 3:
            for token in self._by_start.get(text, ()):
                found[token] = _PREFIX
        else:
            for token in self._containing(text):
                found[token] = _PREFIX if token.startswith(text) else _INFIX
        for alternative in term.alternatives:
            if len(alternative) >= 3:
                for token in self._containing(alternative):
                    if token.startswith(alternative):
                        found[token] = _PREFIX
        found.pop(text, None)
        for alternative in term.alternatives:
            found.pop(alternative, None)
        return found

    def _containing(self, text: str) -> Iterable[str]:
        sets = []
        for gram in _word_trigrams(text):
            words = self._by_trigram.get(gram)
            if not words:
                return ()
            sets.append(words)
        sets.sort(key=len)
        return [token for token in sets[0].intersection(*sets[1:]) if text in token]

    def _take(
        self,
        ranked: list[tuple[int, set[int]]],
        codes: dict[int, int],
        language: str | None,
        limit: int,
    ) -> list[Hit]:
        preferred = self._by_language.get(_primary(language), set()) if language else set()
        variants = max(1, len(self._by_language))
        order = self._order.__getitem__
        hits: list[Hit] = []
        taken: set[int] = set()
        for code, docs in ranked:
            for group in (docs & preferred, docs - preferred) if preferred else (docs,):
                if not group:
                    continue
                # Enough slots for the doc ids still wanted, even if each already taken or repeated one
                # fills ``variants`` of them.
                wanted = limit * variants
                slots = (
                    sorted(group, key=order)
                    if len(group) <= max(wanted, _SMALL_SORT)
                    else (heapq.nsmallest(wanted, group, key=order))
                )
                for slot in slots:
                    doc_id, doc_language = self._order[slot]
                    if doc_id in taken:
                        continue
                    taken.add(doc_id)
                    value = codes.get(slot, 0) if code == -1 else code
                    hits.append(Hit(doc_id, doc_language, code == -1, value // _WORD, value % _WORD))
                    if len(hits) == limit:
                        return hits
        return hits


# --------------------------------------------------------------------------------------------------------
# Documents of the libraries, and what a database index stores of them

#: Bump when ``search_key``, ``document_tokens`` or the documents change: a database index built by an
#: older version is rebuilt before it is searched.
SEARCH_INDEX_VERSION: Final = 1


def answer_documents(answer: CannedAnswer) -> list[LibraryDocument]:
    """One document per language of a saved canned answer (its topics count as aliases)."""
    if answer.id is None:
        return []
    return [
        LibraryDocument(
            doc_id=answer.id,
            language=tag,
            title=answer.title,
            shortcut=answer.shortcut,
            aliases=answer.topics,
            body=body,
        )
        for tag, body in answer.bodies.items()
    ]


def organization_document(organization: ReferralOrganization) -> LibraryDocument | None:
    """A saved partner organization as one document: its name, aliases, services, phone and website."""
    if organization.id is None:
        return None
    return LibraryDocument(
        doc_id=organization.id,
        language=(organization.languages or ("und",))[0],
        title=organization.name,
        aliases=(*organization.aliases, *organization.topics, organization.phone, organization.website),
    )


def document_key(document: LibraryDocument) -> str:
    """The document's fields as search keys, one per line: every way ``LibraryIndex`` matches a query term
    (whole word, clitic stem, start or middle of a word, ZWNJ part, Chinese piece) finds the term or one of
    its ``term_forms`` inside this text, so a substring index over it finds a superset of the matches."""
    return "\n".join(search_key(text) for _, text in document.fields())


def term_forms(term: QueryTerm) -> tuple[str, ...]:
    """The term and its alternatives: a document matches the term only if its key contains one of them."""
    return (term.text, *term.alternatives)
