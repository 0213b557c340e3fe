"""The referral library and the rule that finds referrals in staff messages.

DESIGN ("Response"): in imported history a staff message that names a library organization, by name,
alias, phone number or website, is a referral, and a reply naming k organizations counts k referrals. The
matcher runs on every staff message of an import, so everything is compiled once per library and each
message costs a few C-level passes: cheap exact pre-checks decide which regex scans can find anything.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final

from moderator_app.domain.text import ARABIC_PREFIXES, LazyPattern, keyword_pattern, normalize

__all__ = ["ReferralMatcher", "ReferralOrganization", "phone_key", "website_host"]


@dataclass(frozen=True)
class ReferralOrganization:
    """A partner organization moderators refer members to."""

    name: str
    aliases: tuple[str, ...] = ()
    phone: str = ""
    website: str = ""
    topics: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    id: int | None = None
    address: str = ""
    email: str = ""
    hours: str = ""
    eligibility: str = ""  # who they serve: status, age, area...
    templates: tuple[tuple[str, str], ...] = ()  # (language tag, referral message), e.g. ("ar", "...")
    names: tuple[tuple[str, str], ...] = ()  # (language tag, the name in that language)

    def name_for(self, language: str) -> str:
        """The name in ``language`` (or its primary language), else the main name."""
        own = {tag.lower(): name for tag, name in self.names}
        return own.get(language.lower()) or own.get(language.split("-")[0].lower()) or self.name

    def template_for(self, language: str) -> str | None:
        """The organization's own referral message in ``language`` (or its primary language), if it has one."""
        own = {tag.lower(): text for tag, text in self.templates}
        return own.get(language.lower()) or own.get(language.split("-")[0].lower())


_ARABIC_RE: Final = re.compile("[\u0620-\u064a\u066e-\u06d3\u06d5\u06ee-\u06ff\u0750-\u077f\u08a0-\u08ff]")
_CJK_RE: Final = LazyPattern("[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")
_NON_DIGITS_RE: Final = re.compile(r"\D+")

# A host name: dot-separated labels (letters, digits, inner hyphens), ending in a TLD that starts with a
# letter (so "613.555.0199" is not a host). Unicode letters are allowed: people paste internationalized
# names as they see them.
_HOST_RE: Final = re.compile(r"(?:[^\W_](?:[\w-]{0,61}[^\W_])?\.)+[^\W\d_][\w-]{1,62}")
_SCHEME_RE: Final = re.compile(r"^[a-z][a-z0-9+.-]*://")
# In a message, hosts are found from their dots (a fast literal search; most messages have none), then the
# run of host characters around the dot is taken whole, so "notexample.org" is never "example.org".
_HOST_DOT_RE: Final = re.compile(r"\.(?=[^\W\d_])")
_HOST_CANDIDATE_RE: Final = re.compile(r"(?:[\w-]++\.)+[^\W\d_][\w-]*+")
_HOST_CHARS: Final = frozenset("-_.")
# A run of digit groups joined by phone punctuation (leftmost-longest, so it always starts a digit run);
# the simplest pattern is the fastest scan, and _find_phones splits the run into its groups.
_PHONE_RUN_RE: Final = re.compile(r"[0-9][0-9 \-.()/]*")
_MIN_PHONE_DIGITS: Final = 7
_MAX_PHONE_DIGITS: Final = 15
_MIN_NAME_LENGTH: Final = 2
# Bytes that are not ASCII word characters become spaces: split, an ASCII-encoded text ("?" for anything
# else) gives the words that a Latin name's first word must be one of, so a set test can rule out the scan.
_WORD_SPLIT_TABLE: Final = bytes(c if chr(c).isalnum() or chr(c) == "_" else 32 for c in range(128)) + b" " * 128


def phone_key(phone: str) -> str:
    """The digits a phone number is compared by ("" if it has too few or too many to be one).

    Punctuation, spaces and digit scripts do not matter, and the North American country code is optional
    ("+1 613.555.0199" is "613-555-0199"), so the leading 1 of an 11-digit number is dropped.
    """
    digits = _NON_DIGITS_RE.sub("", normalize(phone))
    if not digits.isascii() or not _MIN_PHONE_DIGITS <= len(digits) <= _MAX_PHONE_DIGITS:
        return ""
    return _without_country_code(digits)


def _without_country_code(digits: str) -> str:
    return digits[1:] if len(digits) == 11 and digits.startswith("1") else digits


def website_host(website: str) -> str:
    """The host a web address names, folded for comparison ("" if it names none).

    Scheme, "www.", case, port, path and a trailing dot are dropped: "https://www.Example.org/register"
    is "example.org". A subdomain stays: "sub.example.org" is another site than "example.org".
    """
    text = normalize(website)
    if not text or " " in text:
        return ""
    text = _SCHEME_RE.sub("", text)
    text = re.split(r"[/?#]", text, maxsplit=1)[0]
    text = text.rpartition("@")[2].split(":", 1)[0].rstrip(".")
    text = text.removeprefix("www.")
    return text if _HOST_RE.fullmatch(text) else ""


def _ascii_words(text: str) -> list[bytes]:
    return text.encode("ascii", "replace").translate(_WORD_SPLIT_TABLE).split()


class ReferralMatcher:
    """Finds which library organizations a staff message names: by name, alias, phone number written with
    any punctuation, or website.

    Names and aliases match on normalized text: Latin-script ones as whole words (alias "ISS" is not in
    "mission"), Arabic-script ones at a word start after any glued prefix (و ب ل ف ك ال) with any ending,
    Chinese ones anywhere. Phones match whole digit groups, with or without the +1 country code. Websites
    match by exact host. When two organizations share a name, alias, phone or website, the first one listed
    wins, and a name wins over another organization's alias. A name inside a web address that names an
    organization ("iss.example.org") is part of that address, not a second mention.
    """

    def __init__(self, organizations: Iterable[ReferralOrganization]) -> None:
        self._organizations: tuple[ReferralOrganization, ...] = tuple(organizations)
        self._by_name: dict[str, int] = {}
        self._by_phone: dict[str, int] = {}
        self._by_host: dict[str, int] = {}
        latin: set[str] = set()
        arabic: set[str] = set()
        cjk: set[str] = set()
        names = [(i, org.name) for i, org in enumerate(self._organizations)]
        aliases = [
            (i, alias)
            for i, org in enumerate(self._organizations)
            for alias in (*org.aliases, *(name for _, name in org.names))
        ]
        for index, name in names + aliases:
            key = normalize(name)
            if len(key) < _MIN_NAME_LENGTH:
                continue
            if _ARABIC_RE.search(key):
                # The article is one of the prefixes the pattern allows, so it is matched there: then
                # "للهلال الأحمر" (ل + ال) finds "الهلال الأحمر".
                if key.startswith("ال") and len(key) > 4:
                    key = key[2:]
                arabic.add(key)
            elif _CJK_RE.search(key):
                cjk.add(key)
            else:
                latin.add(key)
            self._by_name.setdefault(key, index)
        for index, org in enumerate(self._organizations):
            if phone := phone_key(org.phone):
                self._by_phone.setdefault(phone, index)
            if host := website_host(org.website):
                self._by_host.setdefault(host, index)

        def compile_names(pattern: str, names: set[str]) -> re.Pattern[str] | None:
            return re.compile(pattern.format(keyword_pattern(names))) if names else None

        self._latin_re = compile_names(r"(?<!\w)(?:{})(?!\w)", latin)
        self._arabic_re = compile_names(r"(?<!\w)" + ARABIC_PREFIXES + "({})", arabic)
        self._cjk_re = compile_names("{}", cjk)
        # A Latin-script name starts with an ASCII word (split as _ascii_words splits); a message can only
        # name it where that word occurs as a word of its own. So instead of scanning the whole message,
        # find which first words occur (one set test) and try the names regex only where they stand.
        # Names that do not start with an ASCII word ("école ...", "(cci)") need the whole scan.
        starts = [_ascii_words(name)[:1] for name in latin]
        self._latin_first_words: frozenset[bytes] = frozenset(words[0] for words in starts if words)
        self._latin_scan_all = any(
            not words or not name.startswith(words[0].decode()) for name, words in zip(latin, starts, strict=True)
        )

    def __len__(self) -> int:
        return len(self._organizations)

    def find(self, text: str) -> list[ReferralOrganization]:
        """The distinct organizations ``text`` names, in order of first mention ([] when none)."""
        if not text or not self._organizations:
            return []
        folded = normalize(text)
        hits: list[tuple[int, int]] = []
        address_spans: list[tuple[int, int]] = []
        if self._by_host and "." in folded:
            for start, end, index in self._find_hosts(folded):
                hits.append((start, index))
                address_spans.append((start, end))
        if self._by_phone:
            for run in _PHONE_RUN_RE.finditer(folded):
                hits.extend((run.start(), index) for index in self._find_phones(run.group()))
        name_hits: list[tuple[int, int]] = []
        if self._latin_re is not None:
            if self._latin_scan_all:
                name_hits += self._find_names(self._latin_re, folded, 0)
            else:
                present = self._latin_first_words.intersection(_ascii_words(folded))
                if present:
                    name_hits += self._find_latin_at(self._latin_re, folded, present)
        if not folded.isascii():
            if self._arabic_re is not None and _ARABIC_RE.search(folded):
                name_hits += self._find_names(self._arabic_re, folded, 1)
            if self._cjk_re is not None and _CJK_RE.search(folded):
                name_hits += self._find_names(self._cjk_re, folded, 0)
        if address_spans and name_hits:
            name_hits = [hit for hit in name_hits if not _inside(hit[0], address_spans)]
        hits += name_hits
        if not hits:
            return []
        hits.sort()
        seen: set[int] = set()
        found: list[ReferralOrganization] = []
        for _, index in hits:
            if index not in seen:
                seen.add(index)
                found.append(self._organizations[index])
        return found

    def _find_latin_at(
        self, regex: re.Pattern[str], folded: str, first_words: Iterable[bytes]
    ) -> list[tuple[int, int]]:
        """Latin names starting where one of ``first_words`` occurs, leftmost-longest like a regex scan."""
        matches: list[tuple[int, int, int]] = []
        for word in first_words:
            needle = word.decode()
            position = folded.find(needle)
            while position >= 0:
                match = regex.match(folded, position)
                if match is not None:
                    matches.append((position, match.end(), self._by_name[match.group()]))
                position = folded.find(needle, position + 1)
        matches.sort()
        found: list[tuple[int, int]] = []
        covered_to = -1
        for start, end, index in matches:
            if start >= covered_to:  # a name inside a longer one found first is part of it
                found.append((start, index))
                covered_to = end
        return found

    def _find_names(self, regex: re.Pattern[str], folded: str, group: int) -> list[tuple[int, int]]:
        by_name = self._by_name
        return [(match.start(), by_name[match.group(group)]) for match in regex.finditer(folded)]

    def _find_hosts(self, folded: str) -> list[tuple[int, int, int]]:
        """Hosts of library websites in the text, as (start, end, organization)."""
        found: list[tuple[int, int, int]] = []
        scanned_to = 0
        for dot in _HOST_DOT_RE.finditer(folded):
            if dot.start() < scanned_to:
                continue
            start = dot.start()
            while start > scanned_to and (folded[start - 1].isalnum() or folded[start - 1] in _HOST_CHARS):
                start -= 1
            candidate = _HOST_CANDIDATE_RE.match(folded, start)
            if candidate is None:
                continue
            scanned_to = candidate.end()
            index = self._by_host.get(candidate.group().removeprefix("www."))
            if index is not None:
                found.append((start, candidate.end(), index))
        return found

    def _find_phones(self, run: str) -> list[int]:
        """Phones in a run of digit groups ("613 555 0199 / 613 555 0100"), in order.

        A phone is made of whole consecutive groups, so "0199" alone or the tail of a longer number never
        matches; after a match the search goes on after it.
        """
        if len(run) < _MIN_PHONE_DIGITS:
            return []
        if run.isdigit():
            index = self._by_phone.get(_without_country_code(run))
            return [] if index is None else [index]
        groups = [group for group in _NON_DIGITS_RE.split(run) if group]
        found: list[int] = []
        start = 0
        while start < len(groups):
            digits = ""
            next_start = start + 1
            for end in range(start, len(groups)):
                digits += groups[end]
                if len(digits) > _MAX_PHONE_DIGITS:
                    break
                if len(digits) >= _MIN_PHONE_DIGITS:
                    index = self._by_phone.get(_without_country_code(digits))
                    if index is not None:
                        found.append(index)
                        next_start = end + 1
                        break
            start = next_start
        return found


def _inside(position: int, spans: list[tuple[int, int]]) -> bool:
    """Whether ``position`` lies in one of ``spans`` (a loop: a generator per name found cost more)."""
    for start, end in spans:  # noqa: SIM110 (any() with a generator is what this avoids)
        if start <= position < end:
            return True
    return False
