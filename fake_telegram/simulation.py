"""The simulated settlement organization behind the demo mode: three months of history, then live traffic.

``seed_organization`` gives the organization's account what an Ottawa settlement organization's Telegram looks
like: an Arabic, a Farsi and a French community supergroup, a bilingual English/French announcement channel and
private chats in Arabic, Farsi, French, English and Chinese, with months of history written straight into the
world's stores (``add_history``: no pushes, no pts steps), so a client that logs in finds it as old history.
Staff answer during business hours in Toronto, as a real service standard would measure them; a few recent
questions stay unanswered so the inbox has open and overdue items.

``Traffic`` then plays the community live through the world's pushing methods, on its own thread: new
questions, chatter, peer answers, joins, leaves, private messages and voice notes, and members reacting when the
organization's account answers them (through ``FakeTelegram.on_account_message``).

Both are deterministic given their seed (and, for ``Traffic``, the same world and the same replies).
"""

from __future__ import annotations

import calendar
import csv
import heapq
import io
import logging
import random
import re
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from datetime import time as dtime
from typing import Any, Final
from zoneinfo import ZoneInfo

from fake_telegram.media_samples import PHOTO_MIME, VOICE_MIME, letter_photo, voice_note
from fake_telegram.simulation_content import (
    CHANNEL_POSTS,
    FIRST_NAMES,
    FOLLOW_UP_ANSWERS,
    FOLLOW_UPS,
    GREETINGS,
    GROUP_LANGUAGES,
    GROUP_POSTS,
    LANGUAGES,
    LAST_NAMES,
    LETTER_ANSWERS,
    LETTER_QUESTIONS,
    MONTHS,
    NATIVE_SCRIPT_SHARE,
    PARTNER_BY_NAME,
    PARTNERS,
    QUESTION_CLOSERS,
    QUESTION_OPENERS,
    REFERRALS,
    SPAM,
    STAFF_CLOSERS,
    STAFF_OPENERS,
    THANKS,
    TOPICS,
    VOICE_ANSWERS,
    VOLUNTEER_OPENERS,
    WEEKDAYS,
    Topic,
    chatter_at,
)
from fake_telegram.world import FakeTelegram, HistoryRow, MediaSpec

__all__ = [
    "DEFAULT_STAFF_NAME",
    "GROUP_TITLES",
    "PARTNERS",
    "TIMEZONE",
    "OpenQuestion",
    "Organization",
    "Traffic",
    "TrafficEvent",
    "partners_csv",
    "seed_organization",
]

log = logging.getLogger(__name__)

TIMEZONE: Final = ZoneInfo("America/Toronto")
OPEN_HOUR, CLOSE_HOUR = 9, 17
DEFAULT_STAFF_NAME: Final = "Ottawa Newcomer Services"
#: Title and public username of each language community's supergroup.
GROUP_TITLES: Final[Mapping[str, tuple[str, str]]] = {
    "ar": ("Newcomers Ottawa — عربي", "newcomers_ottawa_ar"),
    "fa": ("تازه‌واردان اتاوا", "tazevaredan_ottawa"),
    "fr": ("Nouveaux arrivants Ottawa", "nouveaux_arrivants_ottawa"),
}
CHANNEL_TITLE: Final = ("Settlement News Ottawa · Nouvelles", "settlement_news_ottawa")
VOLUNTEER_NAME: Final = ("Nadia", "Benali", "nadia_volunteer")
_SPAMMER_NAMES: Final = (("Jessica", "Invest"), ("Alex", "Trading"), ("Visa", "Helper"), ("Mike", "Crypto"))
_QUESTION_MARK_RE: Final = re.compile("[?؟？]")
# Local hour of day people write at (staff only answer in business hours).
_HOUR_WEIGHTS: Final = (1, 0.5, 0.3, 0.2, 0.2, 0.3, 0.8, 2, 4, 6, 7, 7, 6, 6, 6, 6, 6, 6, 6, 7, 7, 6, 4, 2)
_WEEKDAY_FACTOR: Final = (1.0, 1.0, 1.0, 1.0, 0.95, 0.7, 0.6)
_RECENT: Final = 3 * 86400  # questions this fresh are often still open
_NEVER: Final = 2**62


@dataclass(frozen=True)
class _GroupPlan:
    """Size and pace of one community group (people now, and what the history adds around them)."""

    lang: str
    members: int
    joined: int  # of the current members, how many joined during the history
    left: int  # former members who left during it
    spammers: int  # joined, posted spam and were removed by staff
    questions_per_day: float
    chatter_per_day: float


_PLANS: Final = (
    _GroupPlan("ar", 140, 36, 12, 3, 15.0, 11.0),
    _GroupPlan("fa", 100, 26, 8, 2, 12.0, 8.0),
    _GroupPlan("fr", 76, 20, 6, 2, 10.0, 7.0),
)
# Private chats per language: (of them from the group of that language, total).
_PRIVATE_PLAN: Final = {"ar": (5, 7), "fa": (4, 6), "fr": (4, 6), "en": (0, 6), "zh": (0, 5)}
_VOICE_NOTES: Final = 6
_PHOTOS: Final = 5  # photos of letters, with a question as caption
_FORCED_OPEN_PRIVATE: Final = 4


@dataclass(frozen=True)
class OpenQuestion:
    """A member's question no staff message answers (yet): what the inbox shows as open or overdue."""

    chat: int  # the group, or the member's user id for a private chat
    message_id: int
    asker: int
    date: int
    topic: str  # key of simulation_content.TOPICS ("" for a voice note or follow-up)


@dataclass(frozen=True)
class Organization:
    """What ``seed_organization`` created (bare ids, as the world API takes them) and what the history holds."""

    account: int
    groups: Mapping[str, int]  # "ar", "fa", "fr" -> supergroup id
    channel: int
    members: Mapping[int, tuple[int, ...]]  # group id -> the community members in it now (not staff)
    private_members: tuple[int, ...]  # people with a private chat with the account
    volunteer: int  # a volunteer moderator (a plain user, admin of the groups) who answers some questions
    staff: tuple[int, ...]  # the account and any colleague accounts
    languages: Mapping[int, str]  # every simulated person -> the language they write
    open_questions: tuple[OpenQuestion, ...]  # oldest first
    pending_requests: Mapping[int, tuple[int, ...]]  # group id -> users whose join request waits
    start: datetime
    now: datetime
    counts: Mapping[str, int]  # what the history holds, by kind ("total": every message)

    def group_language(self, chat: int) -> str | None:
        return next((lang for lang, gid in self.groups.items() if gid == chat), None)


@dataclass(slots=True)
class _Person:
    id: int
    lang: str
    first: str
    since: int = 0  # joined the group at (0: before the history)
    until: int = _NEVER  # left it at


@dataclass(slots=True, eq=False)
class _Item:
    """One history message before it has an id; replies point at their target item."""

    ts: int
    chat: int
    sender: int | None
    text: str = ""
    reply: _Item | None = None
    media: MediaSpec | None = None
    action: str | None = None
    users: tuple[int, ...] = ()
    kind: str = ""
    id: int = 0


def partners_csv() -> str:
    """The partner agencies as the app's referral CSV (``referrals import``), so demo answers count as referrals."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["name", "aliases", "phone", "website", "topics", "languages"])
    for p in PARTNERS:
        writer.writerow([p.name, "|".join(p.aliases), p.phone, p.website, "|".join(p.topics), "|".join(p.languages)])
    return out.getvalue()


def _asks(text: str) -> bool:
    return bool(_QUESTION_MARK_RE.search(text))


def _months_before(moment: datetime, months: int) -> datetime:
    year, month0 = divmod(moment.month - 1 - months, 12)
    year += moment.year
    day = min(moment.day, calendar.monthrange(year, month0 + 1)[1])
    return moment.replace(year=year, month=month0 + 1, day=day)


def _voice(rng: random.Random, seconds: int) -> MediaSpec:
    return ("voice", voice_note(rng, seconds), seconds, VOICE_MIME)


def _photo(rng: random.Random) -> MediaSpec:
    return ("photo", letter_photo(rng), PHOTO_MIME)


class _People:
    """Makes the community's users: names of their community, no two alike, some with a username."""

    def __init__(self, world: FakeTelegram, rng: random.Random) -> None:
        self.world = world
        self.rng = rng
        self.languages: dict[int, str] = {}
        self._names: set[tuple[str, str | None]] = set()
        self._usernames: set[str] = set()

    def person(self, lang: str) -> _Person:
        """A new user with a name of the language's community (in its script or in Latin letters)."""
        rng = self.rng
        for _ in range(50):
            first, last = rng.choice(FIRST_NAMES[lang]), rng.choice(LAST_NAMES[lang])
            native = rng.random() < NATIVE_SCRIPT_SHARE[lang]
            shown: tuple[str, str | None]
            if lang == "zh" and native:
                shown = (last[0] + first[0], None)  # family name first, one field, as Chinese users write it
            else:
                shown = (first[0], last[0]) if native else (first[1], last[1])
            if rng.random() < 0.12:
                shown = (shown[0], None)  # some show a first name only
            if shown not in self._names:
                break
        self._names.add(shown)
        username = None
        if rng.random() < 0.3:
            base = re.sub(r"[^a-z0-9_]", "", f"{first[1]}_{last[1]}".lower().replace("-", ""))
            candidate = f"{base}{rng.randrange(10, 99)}" if rng.random() < 0.5 else base
            if len(candidate) >= 5 and candidate not in self._usernames:
                username = candidate
                self._usernames.add(candidate)
        try:
            uid = self.world.add_user(shown[0], shown[1], username=username)
        except ValueError:  # the username is taken by something outside the simulation
            uid = self.world.add_user(shown[0], shown[1])
        self.languages[uid] = lang
        return _Person(uid, lang, shown[0])


class _Writer:
    """The generator's clocks, texts and history writing."""

    def __init__(self, world: FakeTelegram, rng: random.Random, start: int, end: int, staff_name: str) -> None:
        self.world = world
        self.rng = rng
        self.start = start
        self.end = end
        self.staff_name = staff_name
        self.people = _People(world, rng)
        self.counts: dict[str, int] = {}
        first_year = datetime.fromtimestamp(start, TIMEZONE).year
        last_year = datetime.fromtimestamp(end, TIMEZONE).year
        self.holidays = _ontario_holidays(range(first_year, last_year + 2))  # answers may fall next year

    def count(self, kind: str, n: int = 1) -> None:
        self.counts[kind] = self.counts.get(kind, 0) + n

    def person(self, lang: str) -> _Person:
        return self.people.person(lang)

    # region clocks

    def day_time(self, day: date) -> int:
        """A moment of a local day, weighted by when people write."""
        rng = self.rng
        hour = rng.choices(range(24), weights=_HOUR_WEIGHTS)[0]
        local = datetime(day.year, day.month, day.day, hour, rng.randrange(60), rng.randrange(60), tzinfo=TIMEZONE)
        return int(local.timestamp())

    def days(self) -> list[date]:
        first = datetime.fromtimestamp(self.start, TIMEZONE).date()
        last = datetime.fromtimestamp(self.end, TIMEZONE).date()
        return [first + timedelta(days=i) for i in range((last - first).days + 1)]

    def is_business_day(self, day: date) -> bool:
        return day.weekday() < 5 and day not in self.holidays

    def business_after(self, ts: int, delay: float) -> int:
        """``delay`` seconds of business time (Mon-Fri 09:00-17:00 Toronto, not holidays) after ``ts``."""
        t = datetime.fromtimestamp(ts, TIMEZONE)
        remaining = delay
        for _ in range(60):
            if self.is_business_day(t.date()):
                opening = t.replace(hour=OPEN_HOUR, minute=0, second=0, microsecond=0)
                closing = t.replace(hour=CLOSE_HOUR, minute=0, second=0, microsecond=0)
                t = max(t, opening)
                if t < closing:
                    left = (closing - t).total_seconds()
                    if remaining <= left:
                        return int((t + timedelta(seconds=remaining)).timestamp())
                    remaining -= left
            t = datetime.combine(t.date() + timedelta(days=1), dtime(0), TIMEZONE)
        return _NEVER

    def staff_delay(self) -> float:
        """Business seconds until staff answer: mostly within the hour, sometimes the next day."""
        r = self.rng.random()
        if r < 0.6:
            return self.rng.uniform(300, 3600)
        if r < 0.9:
            return self.rng.uniform(3600, 4 * 3600)
        return self.rng.uniform(4 * 3600, 10 * 3600)

    def business_moment(self, day: date) -> int:
        local = datetime.combine(day, dtime(OPEN_HOUR, 30), TIMEZONE)
        return int(local.timestamp()) + self.rng.randrange(0, (CLOSE_HOUR - OPEN_HOUR - 1) * 3600)

    # endregion

    # region texts

    def question(self, lang: str, topic: Topic) -> str:
        return compose_question(self.rng, lang, topic)

    def staff_answer(self, lang: str, topic: Topic, asker: _Person) -> str:
        """Staff's answer: an opener, the information and sometimes a referral to a partner agency."""
        rng = self.rng
        opener = rng.choice(STAFF_OPENERS[lang]).format(name=asker.first)
        parts = [after_opener(opener, topic.info[lang])]
        if rng.random() < 0.45:
            partner = PARTNER_BY_NAME[rng.choice(topic.partners)]
            parts.append(rng.choice(REFERRALS[lang]).format(org=partner.name, phone=partner.phone))
            self.count("referrals")
        text = " ".join(parts)
        if rng.random() < 0.15:
            text += STAFF_CLOSERS[lang]
        return text

    def weekday_phrase(self, lang: str, ts: int) -> str:
        day = datetime.fromtimestamp(ts, TIMEZONE).date() + timedelta(days=self.rng.randint(2, 6))
        if lang in MONTHS:
            name = WEEKDAYS[lang][day.weekday()]
            return (
                f"{name} {day.day} {MONTHS[lang][day.month - 1]}"
                if lang == "fr"
                else (f"{name}, {MONTHS[lang][day.month - 1]} {day.day}")
            )
        return WEEKDAYS[lang][day.weekday()]

    # endregion

    # region writing

    def write(self, items: list[_Item], *, account: int | None = None) -> None:
        """Add the items, in date order, as history: ids assigned first so replies can name their target."""
        items.sort(key=lambda item: item.ts)  # stable: a reply made at the same second stays after its target
        if not items:
            return
        next_id = self.world.next_message_id(items[0].chat, account=account)
        for item in items:
            item.id = next_id
            next_id += 1
        batch: list[_Item] = []

        def flush() -> None:
            if not batch:
                return
            rows: list[HistoryRow] = []
            for item in batch:
                reply = item.reply.id if item.reply is not None else None
                if item.media is not None:
                    rows.append((item.sender, item.text, item.ts, reply, item.media))
                else:
                    rows.append((item.sender, item.text, item.ts, reply))
            ids = self.world.add_history(batch[0].chat, rows, account=account)
            if ids != [item.id for item in batch]:
                raise RuntimeError("the world changed while the organization was being seeded")
            batch.clear()

        for item in items:
            if batch and item.chat != batch[0].chat:
                flush()
            if item.action is None:
                batch.append(item)
                continue
            flush()
            assert item.sender is not None
            msg_id = self.world.add_history_service(item.chat, item.sender, item.action, item.ts, users=item.users)
            if msg_id != item.id:
                raise RuntimeError("the world changed while the organization was being seeded")
        flush()
        self.count("total", len(items))

    # endregion


def _ontario_holidays(years: Iterable[int]) -> frozenset[date]:
    """Ontario's public holidays (the office is closed; staff do not answer)."""
    try:
        import holidays
    except ImportError:  # pragma: no cover - a dependency of the app; without it only weekends count
        return frozenset()
    return frozenset(holidays.country_holidays("CA", subdiv="ON", years=list(years)).keys())


def compose_question(rng: random.Random, lang: str, topic: Topic) -> str:
    """A question about ``topic`` as people type it: sometimes with a greeting, sometimes with thanks."""
    text = rng.choice(topic.questions[lang])
    return after_opener(rng.choice(QUESTION_OPENERS[lang]), text) + rng.choice(QUESTION_CLOSERS[lang])


def after_opener(opener: str, text: str) -> str:
    """``opener`` + ``text``, the text's first word lower-cased after a comma ("Hi Emeka, register ..."),
    unless it is a name or an acronym (EquiPass, LINC, I)."""
    if opener.endswith(", ") and text[:1].isupper():
        word = re.match(r"[^\s'’]+", text)
        if word is not None and word.group() != "I" and (len(word.group()) == 1 or word.group()[1:].islower()):
            text = text[0].lower() + text[1:]
    return opener + text


# region seeding


class _Seeder(_Writer):
    def __init__(
        self,
        world: FakeTelegram,
        account: int,
        colleagues: Sequence[int],
        rng: random.Random,
        start: int,
        end: int,
        staff_name: str,
    ) -> None:
        super().__init__(world, rng, start, end, staff_name)
        self.account = account
        self.colleagues = tuple(colleagues)
        self.months = max(1, round((end - start) / (30.44 * 86400)))
        self.open: list[tuple[_Item, int, str]] = []  # (question, asker, topic key): no staff answer
        self._spammers = 0
        volunteer_first, volunteer_last, volunteer_username = VOLUNTEER_NAME
        try:
            self.volunteer = world.add_user(volunteer_first, volunteer_last, username=volunteer_username)
        except ValueError:
            self.volunteer = world.add_user(volunteer_first, volunteer_last)
        self.volunteer_person = _Person(self.volunteer, "fr", volunteer_first)

    # region groups

    def group(self, plan: _GroupPlan) -> tuple[int, list[_Person]]:
        rng, start, end = self.rng, self.start, self.end
        lang = plan.lang
        now_people = [self.person(lang) for _ in range(plan.members)]
        leavers = [self.person(lang) for _ in range(plan.left)]
        spammers: list[_Person] = []
        for _ in range(plan.spammers):
            first, last = _SPAMMER_NAMES[self._spammers % len(_SPAMMER_NAMES)]
            self._spammers += 1
            spammers.append(_Person(self.world.add_user(first, last), "en", first))
        title, username = GROUP_TITLES[lang]
        staff_admins = [self.volunteer, *self.colleagues]
        group = self.world.add_supergroup(
            title,
            username=username,
            members=[p.id for p in now_people],
            admins=staff_admins,
            creator=self.account,
            created=start - 400 * 86400,
        )
        items: list[_Item] = []
        # Membership: joins of some current members, leaves of former ones, spammers removed by staff.
        for person in rng.sample(now_people, plan.joined):
            person.since = rng.randrange(start + 3600, end - 7200)
            r = rng.random()
            if r < 0.65:
                items.append(_Item(person.since, group, person.id, action="link", kind="join"))
            elif r < 0.8:
                items.append(_Item(person.since, group, person.id, action="join", kind="join"))
            elif r < 0.92:
                items.append(_Item(person.since, group, person.id, action="request", kind="join"))
            else:
                items.append(_Item(person.since, group, self.volunteer, action="add", users=(person.id,), kind="join"))
        for person in leavers:
            person.until = rng.randrange(start + 86400, end - 3600)
            removal = self.business_after(person.until, 0)
            if rng.random() < 0.15 and removal < end:
                person.until = removal
                items.append(_Item(removal, group, self.account, action="remove", users=(person.id,), kind="removal"))
            else:
                items.append(_Item(person.until, group, person.id, action="leave", kind="leave"))
        for person in spammers:
            person.since = rng.randrange(start + 2 * 86400, end - 7 * 86400)
            spam_at = person.since + rng.randrange(120, 2400)
            person.until = self.business_after(spam_at, rng.uniform(600, 7200))
            items.append(_Item(person.since, group, person.id, action="link", kind="join"))
            items.append(_Item(spam_at, group, person.id, rng.choice(SPAM), kind="spam"))
            items.append(_Item(person.until, group, self.account, action="remove", users=(person.id,), kind="removal"))
        population = now_people + leavers

        def active(ts: int, exclude: int = 0) -> _Person | None:
            for _ in range(30):
                person = rng.choice(population)
                if person.since <= ts < person.until and person.id != exclude:
                    return person
            return None

        for day in self.days():
            factor = _WEEKDAY_FACTOR[day.weekday()]
            for _ in range(self._how_many(plan.questions_per_day * factor)):
                ts = self.day_time(day)
                asker = active(ts)
                if asker is not None and start <= ts < end:
                    self._group_question(items, group, lang, ts, asker, active)
            for _ in range(self._how_many(plan.chatter_per_day * factor)):
                ts = self.day_time(day)
                sender = active(ts)
                if sender is not None and start <= ts < end:
                    local = datetime.fromtimestamp(ts, TIMEZONE)
                    text = rng.choice(chatter_at(lang, local.hour, local.weekday()))
                    items.append(_Item(ts, group, sender.id, text, kind="chatter"))
            if self.is_business_day(day) and rng.random() < 0.4:
                ts = self.business_moment(day)
                if start <= ts < end:
                    text = rng.choice(GROUP_POSTS[lang]).format(day=self.weekday_phrase(lang, ts), org=self.staff_name)
                    items.append(_Item(ts, group, self.account, text, kind="staff_post"))
        self.write(items)
        for item in items:
            self.count(item.kind)
        self.count(f"messages:{lang}", len(items))
        return group, now_people

    def _how_many(self, mean: float) -> int:
        mean *= self.rng.uniform(0.7, 1.3)
        whole = int(mean)
        return whole + (1 if self.rng.random() < mean - whole else 0)

    def _group_question(
        self,
        items: list[_Item],
        group: int,
        lang: str,
        ts: int,
        asker: _Person,
        active: Callable[[int, int], _Person | None],
    ) -> None:
        rng, end = self.rng, self.end
        topic = rng.choice(TOPICS)
        question = _Item(ts, group, asker.id, self.question(lang, topic), kind="question")
        items.append(question)
        staff_lang = lang if lang == "fr" or rng.random() < 0.85 else "en"
        staff_at = self._staff_round(items, group, question, asker, lang, staff_lang, topic, reply=True)
        if rng.random() < 0.3:  # someone from the community answers too (the volunteer only before staff do)
            answered_at = ts + rng.randrange(120, 3 * 3600)
            if answered_at < end:
                helper: _Person | None
                if rng.random() < 0.25 and (staff_at is None or answered_at < staff_at):
                    helper = self.volunteer_person
                    text = after_opener(rng.choice(VOLUNTEER_OPENERS[lang]), topic.info[lang])
                else:
                    helper = active(answered_at, asker.id)
                    text = rng.choice(topic.peer_answers[lang])
                if helper is not None:
                    items.append(_Item(answered_at, group, helper.id, text, reply=question, kind="member_answer"))

    def _staff_round(
        self,
        items: list[_Item],
        chat: int,
        question: _Item,
        asker: _Person,
        lang: str,
        staff_lang: str,
        topic: Topic | None,
        *,
        reply: bool,
        follow_up_index: int | None = None,
        skip: float | None = None,
    ) -> int | None:
        """Staff answer ``question`` in business hours (unless it stays open), then the asker may thank them or
        ask a follow-up, which staff answer in turn. Returns when staff answered (None: it stays open)."""
        rng, end = self.rng, self.end
        recent = question.ts > end - _RECENT
        if skip is None:
            skip = 0.3 if recent else 0.004
        answered_at = self.business_after(question.ts, self.staff_delay())
        if rng.random() < skip or answered_at >= end:
            self.open.append((question, asker.id, topic.key if topic and follow_up_index is None else ""))
            return None
        if follow_up_index is not None:
            text = FOLLOW_UP_ANSWERS[staff_lang][follow_up_index]
        elif topic is not None:
            text = self.staff_answer(staff_lang, topic, asker)
        elif question.kind == "photo":  # a photo of a letter: staff say what it is
            text = after_opener(
                rng.choice(STAFF_OPENERS[staff_lang]).format(name=asker.first), LETTER_ANSWERS[staff_lang]
            )
        else:  # a voice note: staff answer in the member's language with a call-back offer
            text = self._voice_answer(staff_lang, asker)
        answer = _Item(answered_at, chat, self.account, text, reply=question if reply else None, kind="staff_reply")
        items.append(answer)
        r = rng.random()
        if r < 0.42:
            at = answered_at + rng.randrange(60, 2 * 3600)
            if at < end:
                items.append(
                    _Item(at, chat, asker.id, rng.choice(THANKS[lang]), reply=answer if reply else None, kind="thanks")
                )
        elif r < 0.52 and follow_up_index is None:
            at = answered_at + rng.randrange(120, 3 * 3600)
            if at < end:
                index = rng.randrange(len(FOLLOW_UPS[lang]))
                follow = _Item(
                    at, chat, asker.id, FOLLOW_UPS[lang][index], reply=answer if reply else None, kind="follow_up"
                )
                items.append(follow)
                self._staff_round(
                    items, chat, follow, asker, lang, staff_lang, topic,
                    reply=reply, follow_up_index=index, skip=0.25 if recent else 0.02,
                )  # fmt: skip
        return answered_at

    def _voice_answer(self, lang: str, asker: _Person) -> str:
        opener = self.rng.choice(STAFF_OPENERS[lang]).format(name=asker.first)
        return after_opener(opener, VOICE_ANSWERS[lang])

    # endregion

    # region channel

    def channel(self, subscribers: list[int]) -> int:
        rng, start, end = self.rng, self.start, self.end
        title, username = CHANNEL_TITLE
        channel = self.world.add_channel(
            title, username=username, subscribers=[*subscribers, *self.colleagues], creator=self.account,
            created=start - 500 * 86400,
        )  # fmt: skip
        posts = list(CHANNEL_POSTS)
        rng.shuffle(posts)
        items: list[_Item] = []
        for day in self.days():
            if not self.is_business_day(day) or rng.random() > 0.75:
                continue
            ts = self.business_moment(day)
            if not start <= ts < end:
                continue
            template = posts[len(items) % len(posts)]
            text = template.format(day_en=self.weekday_phrase("en", ts), day_fr=self.weekday_phrase("fr", ts))
            items.append(_Item(ts, channel, None, text, kind="channel_post"))
        self.write(items)
        for item in items:
            # Views: most subscribers see a post within days; the newest ones are still climbing.
            seen = min(1.0, (end - item.ts) / (3 * 86400))
            views = int(len(subscribers) * rng.uniform(0.45, 0.95) * (0.3 + 0.7 * seen)) + rng.randint(5, 60)
            self.world.set_views(channel, item.id, views)
        self.count("channel_post", len(items))
        self.count("messages:channel", len(items))
        return channel

    # endregion

    # region private chats

    def private_chats(self, group_people: Mapping[str, list[_Person]]) -> list[_Person]:
        rng, start, end = self.rng, self.start, self.end
        people: list[_Person] = []
        for lang, (from_group, total) in _PRIVATE_PLAN.items():
            if from_group:
                people.extend(rng.sample(group_people[lang], from_group))
            people.extend(self.person(lang) for _ in range(total - from_group))
        items: list[_Item] = []
        days = self.days()
        # Each member writes a few times; four wrote last in the past day and wait (the inbox's fresh items).
        waiting = {p.id: end - rng.randrange(3600, 30 * 3600) for p in rng.sample(people, _FORCED_OPEN_PRIVATE)}
        threads: list[tuple[_Person, int]] = []
        for person in people:
            latest = waiting[person.id] - 86400 if person.id in waiting else end - 600
            times = (self.day_time(rng.choice(days)) for _ in range(rng.randint(self.months, 3 * self.months)))
            threads.extend((person, ts) for ts in sorted(times) if start <= ts < latest)
        voices = set(rng.sample([i for i, (_, ts) in enumerate(threads) if ts < end - 2 * 86400], _VOICE_NOTES))
        photos = set(rng.sample([i for i in range(len(threads)) if i not in voices], _PHOTOS))
        for index, (person, ts) in enumerate(threads):
            self._private_thread(items, person, ts, voice=index in voices, photo=index in photos)
        for person in people:
            if person.id in waiting:
                self._private_thread(items, person, waiting[person.id], voice=False, skip=1.0)
        # A staff message after an unanswered one answers it too (in a private chat it is one conversation).
        last_staff: dict[int, int] = {}
        for item in items:
            if item.sender == self.account:
                last_staff[item.chat] = max(last_staff.get(item.chat, 0), item.ts)
        self.open = [o for o in self.open if o[0].chat not in last_staff or o[0].ts > last_staff[o[0].chat]]
        self.write(items, account=self.account)
        for item in items:
            self.count(item.kind)
        self.count("messages:private", len(items))
        return people

    def _private_thread(
        self,
        items: list[_Item],
        person: _Person,
        ts: int,
        *,
        voice: bool,
        photo: bool = False,
        skip: float | None = None,
    ) -> None:
        rng = self.rng
        lang = person.lang
        chat = person.id
        if rng.random() < 0.25:
            items.append(_Item(ts, chat, person.id, rng.choice(GREETINGS[lang]), kind="greeting"))
            ts += rng.randrange(20, 300)
        topic: Topic | None
        if voice:
            seconds = rng.randint(6, 40)
            question = _Item(ts, chat, person.id, "", media=_voice(rng, seconds), kind="voice")
            topic = None
        elif photo:
            text = rng.choice(LETTER_QUESTIONS[lang])
            question = _Item(ts, chat, person.id, text, media=_photo(rng), kind="photo")
            topic = None
        else:
            topic = rng.choice(TOPICS)
            question = _Item(ts, chat, person.id, self.question(lang, topic), kind="question")
        items.append(question)
        staff_lang = "en" if lang == "zh" and rng.random() < 0.3 else lang
        self._staff_round(items, chat, question, person, lang, staff_lang, topic, reply=rng.random() < 0.3, skip=skip)

    # endregion


def seed_organization(
    world: FakeTelegram,
    account: int,
    *,
    now: datetime | None = None,
    months: int = 3,
    seed: int = 1,
    staff_name: str = DEFAULT_STAFF_NAME,
    colleagues: Sequence[int] = (),
) -> Organization:
    """Create the simulated organization for ``account`` with ``months`` of history before ``now``.

    ``staff_name`` is how staff name the organization in their posts; ``colleagues`` are other accounts (who can
    log in) made admins of the groups and the channel. Everything is drawn from ``seed``. The history goes in
    with ``add_history``/``add_history_service`` (no pushes), so seed before clients connect, or accept that
    they see it only when they fetch history.
    """
    moment = now if now is not None else datetime.now(UTC)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    begin = _months_before(moment, months)
    rng = random.Random(seed)
    seeder = _Seeder(world, account, colleagues, rng, int(begin.timestamp()), int(moment.timestamp()), staff_name)
    groups: dict[str, int] = {}
    people: dict[str, list[_Person]] = {}
    for plan in _PLANS:
        groups[plan.lang], people[plan.lang] = seeder.group(plan)
    everyone = [p.id for lang in GROUP_LANGUAGES for p in people[lang]]
    private = seeder.private_chats(people)
    subscribers = sorted(set(rng.sample(everyone, int(len(everyone) * 0.6))) | {p.id for p in private})
    channel = seeder.channel(subscribers)
    pending: dict[int, tuple[int, ...]] = {}
    for lang, group in groups.items():
        waiting = tuple(seeder.person(lang).id for _ in range(rng.randint(1, 3)))
        for uid in waiting:
            world.request_join(group, uid)
        pending[group] = waiting
    open_questions = sorted(
        (OpenQuestion(item.chat, item.id, asker, item.ts, topic) for item, asker, topic in seeder.open),
        key=lambda q: (q.date, q.message_id),
    )
    counts = dict(seeder.counts)
    counts["open_questions"] = len(open_questions)
    counts["join_requests"] = sum(len(v) for v in pending.values())
    members = {groups[lang]: tuple(p.id for p in people[lang]) for lang in GROUP_LANGUAGES}
    return Organization(
        account=account,
        groups=groups,
        channel=channel,
        members=members,
        private_members=tuple(p.id for p in private),
        volunteer=seeder.volunteer,
        staff=(account, *colleagues),
        languages=dict(seeder.people.languages),
        open_questions=tuple(open_questions),
        pending_requests=pending,
        start=begin,
        now=moment,
        counts=counts,
    )


# endregion


# region live traffic


@dataclass(frozen=True)
class TrafficEvent:
    """One thing the live community did (``Traffic.events``)."""

    kind: str  # question, chatter, member_answer, private, voice, join_link, join_request, leave, thanks, follow_up
    chat: int  # the group, or the member's id for a private chat
    user: int
    message_id: int = 0
    text: str = ""


@dataclass(frozen=True)
class _Reaction:
    chat: int
    member: int
    account: int
    text: str
    reply_to: int | None
    follow_up: bool
    private: bool


# What the community does, and how often relative to each other.
_TRAFFIC_KINDS: Final = (
    ("question", 30),
    ("chatter", 14),
    ("member_answer", 12),
    ("private", 14),
    ("voice", 3),
    ("photo", 2),
    ("join_link", 6),
    ("join_request", 2),
    ("leave", 4),
)
_GROUP_WEIGHTS: Final = {"ar": 0.4, "fa": 0.32, "fr": 0.28}
_MIN_GROUP: Final = 30  # people do not leave a group below this size


class Traffic:
    """The organization's community live, on a background thread, through the world's pushing methods.

    About one event every 5-20 s at ``rate`` 1.0 (``rate`` divides the gaps; tests use a high rate): questions in
    each group's language, chatter, peer answers to recent open questions, joins by link or request, leaves,
    private messages and the odd voice note. When an organization account replies to a member's question (in a
    group: a reply to it; in a private chat: any message after the member's question or voice note), that member
    answers a few seconds later (also scaled by ``rate``) with a thank-you in their language, or sometimes a
    follow-up question. Events are drawn from ``seed``; each reaction from ``seed`` and the reply's chat and id,
    so it does not depend on timing.
    """

    def __init__(self, world: FakeTelegram, org: Organization, *, rate: float = 1.0, seed: int | None = None) -> None:
        if rate <= 0:
            raise ValueError("rate must be positive")
        self.world = world
        self.org = org
        self.rate = rate
        self._seed = seed if seed is not None else random.SystemRandom().getrandbits(48)
        self._rng = random.Random(self._seed)
        self._languages: dict[int, str] = dict(org.languages)
        self._group_lang = {gid: lang for lang, gid in org.groups.items()}
        self._not_members = {*org.staff, org.volunteer}
        recent = org.now.timestamp() - _RECENT
        # Recent open group questions peers may answer: [group, message id, asker, topic key, peer-answered].
        self._open: list[tuple[int, int, int, str]] = [
            (q.chat, q.message_id, q.asker, q.topic)
            for q in org.open_questions
            if q.chat in self._group_lang and q.date >= recent and q.topic
        ]
        self._reacted: set[tuple[int, int]] = set()
        self._pending_private: set[int] = set()
        self._cond = threading.Condition()
        self._incoming: list[tuple[int, Any]] = []
        self._reactions: list[tuple[float, int, _Reaction]] = []
        self._busy = 0  # account messages being planned for, reactions being sent
        self._reaction_seq = 0
        self._stopping = False
        self._thread: threading.Thread | None = None
        self._previous_hook: Callable[[int, Any], None] | None = None
        self._events: deque[TrafficEvent] = deque(maxlen=10_000)
        self._events_lock = threading.Lock()
        self._people = _People(world, random.Random(self._rng.getrandbits(64)))

    # region control

    def start(self) -> None:
        """Start the thread and listen to the accounts' messages (for the members' reactions)."""
        if self._thread is not None:
            raise RuntimeError("traffic already started")
        self._previous_hook = self.world.on_account_message
        self.world.on_account_message = self._on_account_message
        self._thread = threading.Thread(target=self._run, name="fake-telegram-traffic", daemon=True)
        self._thread.start()

    @property
    def pending_reactions(self) -> int:
        """Members' reactions to the account's messages still to come (planned, due, or being sent)."""
        with self._cond:
            return len(self._incoming) + len(self._reactions) + self._busy

    def stop(self, timeout: float = 1.0) -> None:
        """Stop the thread (joined within ``timeout``) and stop listening; pending reactions are dropped."""
        with self._cond:
            self._stopping = True
            self._cond.notify_all()
        if self._thread is not None:
            self._thread.join(timeout)
        if self.world.on_account_message == self._on_account_message:
            self.world.on_account_message = self._previous_hook

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def __enter__(self) -> Traffic:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def events(self) -> list[TrafficEvent]:
        """What the community did so far, oldest first (the last 10,000 events)."""
        with self._events_lock:
            return list(self._events)

    # endregion

    # region the thread

    def _gap(self) -> float:
        return self._rng.uniform(5.0, 20.0) / self.rate

    def _run(self) -> None:
        next_event = time.monotonic() + self._gap()
        while True:
            with self._cond:
                while not self._stopping and not self._incoming:
                    now = time.monotonic()
                    due = min(next_event, self._reactions[0][0] if self._reactions else next_event)
                    if due <= now:
                        break
                    self._cond.wait(due - now)
                if self._stopping:
                    return
                incoming, self._incoming = self._incoming, []
                self._busy = len(incoming)
            for chat, message in incoming:
                self._guard(self._plan_reaction, chat, message)
                with self._cond:
                    self._busy -= 1
            now = time.monotonic()
            while True:
                with self._cond:
                    if not self._reactions or self._reactions[0][0] > now:
                        break
                    _, _, reaction = heapq.heappop(self._reactions)
                    self._busy += 1
                self._guard(self._react, reaction)
                with self._cond:
                    self._busy -= 1
            if now >= next_event:
                self._guard(self.step)
                next_event = now + self._gap()

    def _guard(self, fn: Callable[..., Any], *args: Any) -> None:
        """One failed event must not end the traffic (the app may have removed the member meanwhile)."""
        try:
            fn(*args)
        except Exception:
            log.exception("simulated traffic: %s failed", getattr(fn, "__name__", fn))

    def _record(self, event: TrafficEvent) -> TrafficEvent:
        with self._events_lock:
            self._events.append(event)
        return event

    # endregion

    # region events

    def step(self) -> TrafficEvent | None:
        """Make the next scheduled event happen now (the thread calls this; tests may call it directly)."""
        kinds, weights = zip(*_TRAFFIC_KINDS, strict=True)
        kind = self._rng.choices(kinds, weights=weights)[0]
        handler: Callable[[], TrafficEvent | None] = getattr(self, f"_event_{kind}")
        try:
            event = handler()
        except (ValueError, KeyError) as e:  # a member left or was removed in the meantime
            log.debug("simulated traffic: %s skipped: %s", kind, e)
            return None
        return self._record(event) if event is not None else None

    def _pick_group(self) -> tuple[int, str]:
        langs = list(_GROUP_WEIGHTS)
        lang = self._rng.choices(langs, weights=[_GROUP_WEIGHTS[lang] for lang in langs])[0]
        return self.org.groups[lang], lang

    def _people_in(self, group: int, exclude: int = 0) -> list[int]:
        return [uid for uid in self.world.members(group) if uid not in self._not_members and uid != exclude]

    def _event_question(self) -> TrafficEvent:
        group, lang = self._pick_group()
        asker = self._rng.choice(self._people_in(group))
        topic = self._rng.choice(TOPICS)
        text = compose_question(self._rng, lang, topic)
        msg_id = self.world.send(group, asker, text)
        self._open.append((group, msg_id, asker, topic.key))
        del self._open[:-60]
        return TrafficEvent("question", group, asker, msg_id, text)

    def _event_chatter(self) -> TrafficEvent:
        group, lang = self._pick_group()
        sender = self._rng.choice(self._people_in(group))
        local = datetime.now(TIMEZONE)
        text = self._rng.choice(chatter_at(lang, local.hour, local.weekday()))
        return TrafficEvent("chatter", group, sender, self.world.send(group, sender, text), text)

    def _event_member_answer(self) -> TrafficEvent:
        if not self._open:
            return self._event_chatter()
        index = self._rng.randrange(len(self._open))
        group, question, asker, topic_key = self._open.pop(index)
        lang = self._group_lang[group]
        topic = next(t for t in TOPICS if t.key == topic_key)
        if self._rng.random() < 0.25:
            helper, text = self.org.volunteer, topic.info[lang]
        else:
            helper, text = (
                self._rng.choice(self._people_in(group, exclude=asker)),
                self._rng.choice(topic.peer_answers[lang]),
            )
        msg_id = self.world.send(group, helper, text, reply_to=question)
        return TrafficEvent("member_answer", group, helper, msg_id, text)

    def _private_person(self) -> int:
        if self._rng.random() < 0.12 or not self.org.private_members:  # someone writes for the first time
            lang = self._rng.choice(LANGUAGES)
            return self._newcomer(lang)
        return self._rng.choice(self.org.private_members)

    def _event_private(self) -> TrafficEvent:
        member = self._private_person()
        lang = self._language(member)
        if self._rng.random() < 0.2:
            self.world.send_private(member, self._rng.choice(GREETINGS[lang]), account=self.org.account)
        text = compose_question(self._rng, lang, self._rng.choice(TOPICS))
        msg_id = self.world.send_private(member, text, account=self.org.account)
        return TrafficEvent("private", member, member, msg_id, text)

    def _event_voice(self) -> TrafficEvent:
        member = self._private_person()
        seconds = self._rng.randint(5, 30)
        msg_id = self.world.send_private(member, "", account=self.org.account, media=_voice(self._rng, seconds))
        return TrafficEvent("voice", member, member, msg_id)

    def _event_photo(self) -> TrafficEvent:
        member = self._private_person()
        text = self._rng.choice(LETTER_QUESTIONS[self._language(member)])
        msg_id = self.world.send_private(member, text, account=self.org.account, media=_photo(self._rng))
        return TrafficEvent("photo", member, member, msg_id, text)

    def _newcomer(self, lang: str) -> int:
        person = self._people.person(lang)
        self._languages[person.id] = lang
        return person.id

    def _event_join_link(self) -> TrafficEvent:
        group, lang = self._pick_group()
        user = self._newcomer(lang)
        return TrafficEvent("join_link", group, user, self.world.join(group, user, how="link"))

    def _event_join_request(self) -> TrafficEvent:
        group, lang = self._pick_group()
        user = self._newcomer(lang)
        self.world.request_join(group, user)
        return TrafficEvent("join_request", group, user)

    def _event_leave(self) -> TrafficEvent | None:
        group, _ = self._pick_group()
        waiting = {q[2] for q in self._open}  # people waiting for an answer do not leave
        people = [uid for uid in self._people_in(group) if uid not in waiting]
        if len(people) <= _MIN_GROUP:
            return None
        user = self._rng.choice(people)
        msg_id = self.world.leave(group, user)
        return TrafficEvent("leave", group, user, msg_id)

    def _language(self, user: int) -> str:
        lang = self._languages.get(user)
        return lang if lang in LANGUAGES else "en"

    # endregion

    # region reactions

    def _on_account_message(self, chat: int, message: Any) -> None:
        """The world's hook (outside its lock, on whichever thread sent): only queue, the thread decides."""
        with self._cond:
            self._incoming.append((chat, message))
            self._cond.notify()
        if self._previous_hook is not None:
            self._previous_hook(chat, message)

    def _plan_reaction(self, chat: int, message: Any) -> None:
        account = getattr(message.from_id, "user_id", None) or self.org.account
        if chat in self._group_lang:
            target_id = getattr(message.reply_to, "reply_to_msg_id", None)
            if not target_id or (chat, target_id) in self._reacted:
                return
            target = self.world.message(chat, target_id, account=account)
            if target is None or getattr(target, "action", None) is not None:
                return
            member = getattr(target.from_id, "user_id", None)
            if member is None or member in self._not_members or not _asks(target.message or ""):
                return
            self._reacted.add((chat, target_id))
            self._open = [q for q in self._open if (q[0], q[1]) != (chat, target_id)]
            lang, reply_to, private = self._group_lang[chat], message.id, False
        elif chat > 0 and chat in self._languages:
            if chat in self._pending_private:
                return
            history = self.world.messages_in(chat, account=account)
            last = next((m for m in reversed(history) if not m.out and getattr(m, "action", None) is None), None)
            if last is None or not (_asks(last.message or "") or last.media is not None):
                return
            member, lang, reply_to, private = chat, self._language(chat), None, True
            self._pending_private.add(chat)
        else:
            return
        rng = random.Random(f"{self._seed}:{chat}:{message.id}")
        follow_up = rng.random() < 0.25
        text = rng.choice(FOLLOW_UPS[lang] if follow_up else THANKS[lang])
        due = time.monotonic() + rng.uniform(3.0, 12.0) / self.rate
        self._reaction_seq += 1
        reaction = _Reaction(chat, member, account, text, reply_to, follow_up, private)
        heapq.heappush(self._reactions, (due, self._reaction_seq, reaction))

    def _react(self, reaction: _Reaction) -> None:
        kind = "follow_up" if reaction.follow_up else "thanks"
        if reaction.private:
            self._pending_private.discard(reaction.chat)
            msg_id = self.world.send_private(reaction.member, reaction.text, account=reaction.account)
        else:
            try:
                msg_id = self.world.send(reaction.chat, reaction.member, reaction.text, reply_to=reaction.reply_to)
            except ValueError:  # they left (or were removed) before answering
                return
        self._record(TrafficEvent(kind, reaction.chat, reaction.member, msg_id, reaction.text))

    # endregion


# endregion
