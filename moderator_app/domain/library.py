"""Canned answers: the replies moderators give every week, one body per language, with variables the app
fills in and blanks the moderator is asked for when inserting.

A body may use ``{member_first_name}``, ``{moderator_name}``, ``{organization}`` and ``{today}`` (filled in
from the inquiry and the workstation) and blanks like ``{?date of the workshop}`` (the moderator types them).
Anything else in braces is a mistake in the library and is refused when the library is saved or imported.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Final

from moderator_app.domain.referrals import ReferralOrganization
from moderator_app.domain.topics import TOPICS

VARIABLES: Final = ("member_first_name", "moderator_name", "organization", "today")
#: Canned answers with this topic are the organization's guidelines: a warning names one, and its text in the
#: member's language is the reminder sent (edited in the library, like any answer).
GUIDELINE_TOPIC: Final = "guideline"
#: Canned answers with this topic are welcome messages (domain.welcome: a group's setup names the one it sends).
WELCOME_TOPIC: Final = "welcome"
#: The notice a member removed or banned is sent (the moderation dialog offers it in their language).
REMOVAL_NOTICE_TOPIC: Final = "removal_notice"
#: The message confirming a member's removal at their own request (the toolkit: remove promptly when asked).
LEAVE_CONFIRMATION_TOPIC: Final = "leave_confirmation"
#: The questions the organization asks someone who requested to join (sent privately from the join requests).
JOIN_QUESTIONS_TOPIC: Final = "join_questions"
#: Topics an answer may carry: the statistics' topics and the moderation templates.
ANSWER_TOPICS: Final = (
    *TOPICS,
    GUIDELINE_TOPIC,
    WELCOME_TOPIC,
    REMOVAL_NOTICE_TOPIC,
    LEAVE_CONFIRMATION_TOPIC,
    JOIN_QUESTIONS_TOPIC,
)
#: Topics of the moderation templates (the moderation dialog reads these).
MODERATION_TOPICS: Final = (GUIDELINE_TOPIC, REMOVAL_NOTICE_TOPIC, LEAVE_CONFIRMATION_TOPIC)
SHORTCUT_RE: Final = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
#: BCP 47 language tags as people write them: a language, then optional script, region or variant subtags.
LANGUAGE_TAG_RE: Final = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$")
_TOKEN_RE: Final = re.compile(r"\{([^{}]*)\}")
#: Languages written right to left (by their primary subtag): the composer and editors lay them out so.
RTL_LANGUAGES: Final = frozenset({"ar", "fa", "he", "ur", "ps", "ckb", "yi", "dv", "ug", "sd"})
REVIEW_MONTHS_DEFAULT: Final = 12


@dataclass(frozen=True)
class CannedAnswer:
    title: str
    shortcut: str
    bodies: Mapping[str, str]  # language tag -> body
    topics: tuple[str, ...] = ()
    needs_review: bool = True
    last_reviewed: date | None = None
    usage_count: int = 0
    id: int | None = field(default=None, compare=False)
    #: The sources (their ids in the log) this answer is for; empty: every source. A group's own guidelines,
    #: removal notice or join questions are chosen over the general ones there (:func:`for_source`).
    sources: tuple[int, ...] = ()

    def body_for(self, language: str, fallbacks: tuple[str, ...] = ("en",)) -> tuple[str, str] | None:
        """The body for ``language``: that tag, else its primary language (fr for fr-CA) or a regional text of
        it (fr-CA for fr), else the fallbacks in order. Returns (tag, body)."""
        lowered = {tag.lower(): tag for tag in self.bodies}
        for wanted in (language, *fallbacks):
            wanted = wanted.lower()
            primary = wanted.split("-")[0]
            for candidate in (wanted, primary):
                if candidate in lowered:
                    real = lowered[candidate]
                    return real, self.bodies[real]
            regional = sorted(tag for low, tag in lowered.items() if low.split("-")[0] == primary)
            if regional:
                return regional[0], self.bodies[regional[0]]
        return None


def unattended_text(
    answer: CannedAnswer, language: str, group_language: str | None, member_name: str, organization: str, today: date
) -> str:
    """An answer the app sends itself (a welcome, join questions): in ``language``, else the group's, else
    English, with every variable filled, since nobody reviews it before it goes and none may stay as "{…}"
    (the organization signs it: no moderator is named)."""
    fallbacks = tuple(dict.fromkeys(t for t in (group_language, "en") if t))
    chosen = answer.body_for(language, fallbacks) or next(iter(answer.bodies.items()), ("en", ""))
    values = {
        "member_first_name": (member_name or "").split(" ")[0],
        "organization": organization,
        "moderator_name": organization,
        "today": today.isoformat(),
    }
    return fill(chosen[1], values).strip()


def for_source(answers: Iterable[CannedAnswer], source_id: int | None, topic: str) -> list[CannedAnswer]:
    """The answers of ``topic`` that apply in a source: its own first, then the general ones (an answer scoped
    to other sources is left out)."""
    mine = [a for a in answers if topic in a.topics and source_id is not None and source_id in a.sources]
    general = [a for a in answers if topic in a.topics and not a.sources]
    return mine + general


def is_right_to_left_language(tag: str) -> bool:
    return tag.split("-")[0].lower() in RTL_LANGUAGES


def blanks(body: str) -> list[str]:
    """The blanks of a body, in order, each once: what the moderator is asked for when inserting it."""
    seen: list[str] = []
    for token in _TOKEN_RE.findall(body):
        if token.startswith("?") and token[1:].strip() and token[1:].strip() not in seen:
            seen.append(token[1:].strip())
    return seen


def fill(body: str, values: Mapping[str, str], answers: Mapping[str, str] | None = None) -> str:
    """The body with its variables (``values``) and blanks (``answers``, by their label) filled in; a value
    or answer not given leaves its token as written, for the moderator to see and complete."""
    answers = answers or {}

    def replace(match: re.Match[str]) -> str:
        token = match.group(1)
        if token.startswith("?"):
            answer = answers.get(token[1:].strip())
            return answer if answer else match.group(0)
        value = values.get(token)
        return value if value else match.group(0)

    return _TOKEN_RE.sub(replace, body)


@dataclass(frozen=True)
class Unfilled:
    """A blank or a variable still in a reply: where it stands in the text, and what it asks for."""

    start: int
    end: int
    label: str
    blank: bool  # a blank ({?…}, the moderator types it) or a variable the app had no value for


def unfilled(text: str) -> list[Unfilled]:
    """The blanks and variables of a canned answer left in ``text``, in order: a reply holding one must not
    reach a member ("…can be used for {?how long} in the province")."""
    found: list[Unfilled] = []
    for match in _TOKEN_RE.finditer(text):
        token = match.group(1)
        if token.startswith("?"):
            found.append(Unfilled(match.start(), match.end(), token[1:].strip(), True))
        elif token in VARIABLES:
            found.append(Unfilled(match.start(), match.end(), token, False))
    return found


def problems(answer: CannedAnswer) -> list[str]:
    """What is wrong with an answer, as sentences (empty: it can be saved)."""
    found: list[str] = []
    if not answer.title.strip():
        found.append("The title is empty.")
    if not SHORTCUT_RE.match(answer.shortcut):
        found.append(
            f"The shortcut {answer.shortcut!r} must be lowercase letters, digits and hyphens (e.g. health-card)."
        )
    unknown_topics = [t for t in answer.topics if t not in ANSWER_TOPICS]
    if unknown_topics:
        found.append(f"Unknown topic {unknown_topics[0]!r}: use one of {', '.join(ANSWER_TOPICS)}.")
    if not answer.bodies:
        found.append("There is no text in any language.")
    for tag, body in answer.bodies.items():
        if not LANGUAGE_TAG_RE.match(tag):
            found.append(f"{tag!r} is not a language tag (e.g. ar, fa, fr, en, zh, fr-CA).")
            continue
        if not body.strip():
            found.append(f"The {tag} text is empty.")
        for token in _TOKEN_RE.findall(body):
            if token.startswith("?"):
                if not token[1:].strip():
                    found.append(f"The {tag} text has an empty blank {{?}}: say what the moderator should fill in.")
            elif token not in VARIABLES:
                found.append(
                    f"The {tag} text uses {{{token}}}, which is not a variable: use "
                    + ", ".join(f"{{{v}}}" for v in VARIABLES)
                    + " or a blank like {?date of the workshop}."
                )
    return found


def review_due(answer: CannedAnswer, today: date, months: int = REVIEW_MONTHS_DEFAULT) -> bool:
    """Whether the answer should be reviewed: never reviewed, marked so, or reviewed ``months`` ago or more."""
    if answer.needs_review or answer.last_reviewed is None:
        return True
    year, month = divmod(answer.last_reviewed.month - 1 + months, 12)
    day = min(answer.last_reviewed.day, 28)
    return today >= date(answer.last_reviewed.year + year, month + 1, day)


#: The sentence a referral inserts, per language, until an organization has its own template.
REFERRAL_TEMPLATES: Final[Mapping[str, str]] = {
    "en": "You can contact {name}{contact}. They can help you with this.",
    "fr": "Vous pouvez contacter {name}{contact}. Cet organisme peut vous aider.",
    "ar": "يمكنك التواصل مع {name}{contact}. يمكنهم مساعدتك في ذلك.",
    "fa": "می‌توانید با {name}{contact} تماس بگیرید. آن‌ها می‌توانند در این مورد کمکتان کنند.",
    "zh": "您可以联系{name}{contact}，他们可以帮助您。",
}


#: What a referral message may name, filled from the organization's record.
REFERRAL_FIELDS: Final = ("name", "phone", "website", "address", "hours", "email")


def referral_text(organization: ReferralOrganization, language: str) -> str:
    """The referral message in ``language``: the organization's own template, else the standard sentence
    (English when there is none in that language)."""
    name = organization.name_for(language)
    values = {
        "name": name,
        "phone": organization.phone,
        "website": organization.website,
        "address": organization.address,
        "hours": organization.hours,
        "email": organization.email,
    }
    own = organization.template_for(language)
    if own:
        return _TOKEN_RE.sub(lambda m: values.get(m.group(1), m.group(0)) or m.group(0), own)
    template = REFERRAL_TEMPLATES.get(language.split("-")[0].lower(), REFERRAL_TEMPLATES["en"])
    details = [d for d in (organization.phone, organization.website) if d]
    separator = "، " if language.startswith(("ar", "fa")) else ", "
    contact = (" (" + separator.join(details) + ")") if details else ""
    return template.format(name=name, contact=contact)


def template_problems(text: str) -> list[str]:
    """Unknown fields in a referral template (e.g. {adress})."""
    return [
        f"{{{token}}} is not a field: use " + ", ".join(f"{{{f}}}" for f in REFERRAL_FIELDS) + "."
        for token in _TOKEN_RE.findall(text)
        if token not in REFERRAL_FIELDS
    ]


_PHONE_RE: Final = re.compile(r"^[\d\s+\-.()/]*$")
_EMAIL_RE: Final = re.compile(r"^$|^[^@\s]+@[^@\s]+\.[^@\s]+$")


#: The longest each one-line detail of a partner may be: what every database the log runs on stores (PostgreSQL
#: refused a 300-character name that SQLite took).
FIELD_LIMITS: Final = {"name": 255, "phone": 64, "website": 255, "address": 255, "email": 255, "hours": 255}


def length_problems(organization: ReferralOrganization) -> list[tuple[str, str]]:
    """(field, sentence) for each detail longer than the log keeps."""
    return [
        (field, f"the {field} is {len(value)} characters long; the log keeps at most {limit}")
        for field, limit in FIELD_LIMITS.items()
        if len(value := getattr(organization, field)) > limit
    ]


def organization_problems(organization: ReferralOrganization) -> list[str]:
    """What is wrong with an organization, as sentences (empty: it can be saved)."""
    found: list[str] = [sentence[0].upper() + sentence[1:] + "." for _, sentence in length_problems(organization)]
    if not organization.name.strip():
        found.append("The name is empty.")
    if not _PHONE_RE.match(organization.phone):
        found.append("The phone number may have digits, spaces and + - . ( ) / only.")
    if not _EMAIL_RE.match(organization.email):
        found.append(f"{organization.email!r} is not an email address.")
    topics = ", ".join(ANSWER_TOPICS)
    found += [f"Unknown topic {t!r}: use one of {topics}." for t in organization.topics if t not in ANSWER_TOPICS]
    found += [
        f"{tag!r} is not a language tag (ar, fa, fr, en, zh…)."
        for tag in organization.languages
        if not LANGUAGE_TAG_RE.match(tag)
    ]
    for tag, text in organization.templates:
        found += [f"The {tag} message: {p}" for p in template_problems(text)]
    found += [
        f"{tag!r} is not a language tag for the name {name!r}."
        for tag, name in organization.names
        if not LANGUAGE_TAG_RE.match(tag)
    ]
    return found
