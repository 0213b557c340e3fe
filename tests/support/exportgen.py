"""Generate Telegram Desktop exports in the real shape (see ../shared/fixtures), for tests, benchmarks and the
sample shipped in resources/.

Messages are written the way Telegram Desktop writes them (``date`` local, ``date_unixtime``, ``from_id``
``user123``, text as string or entity list, service actions), streamed to the file so exports of any size
can be made without holding them in memory.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TextIO
from zoneinfo import ZoneInfo

STAFF_ID = 9000
STAFF_NAME = "Settlement Org"

#: Partner organizations used by generated referrals (also written as a referral CSV).
ORGANIZATIONS: list[dict[str, str]] = [
    {
        "name": "Newcomer Information Centre",
        "aliases": "مركز معلومات القادمين الجدد|NIC",
        "phone": "613-555-0199",
        "website": "newcomer-info.example.org",
        "topics": "immigration|housing",
        "languages": "en|fr|ar",
    },
    {
        "name": "Community Health Clinic",
        "aliases": "CHC|Clinique communautaire",
        "phone": "613-555-0142",
        "website": "chc.example.org",
        "topics": "health",
        "languages": "en|fr",
    },
    {
        "name": "School Board Welcome Centre",
        "aliases": "Welcome Centre|مركز الاستقبال",
        "phone": "613-555-0110",
        "website": "schools.example.org",
        "topics": "education",
        "languages": "en|fr|ar",
    },
    {
        "name": "Language Assessment Centre",
        "aliases": "LAC",
        "phone": "613-555-0123",
        "website": "lac.example.org",
        "topics": "language_classes",
        "languages": "en|fr",
    },
    {
        "name": "Employment Access",
        "aliases": "Accès Emploi",
        "phone": "613-555-0175",
        "website": "jobs.example.org",
        "topics": "employment",
        "languages": "en|fr",
    },
    {
        "name": "Housing Help",
        "aliases": "Aide au logement",
        "phone": "613-555-0188",
        "website": "housinghelp.example.org",
        "topics": "housing",
        "languages": "en|fr",
    },
    {
        "name": "Free Tax Clinic",
        "aliases": "Tax Clinic",
        "phone": "613-555-0133",
        "website": "taxclinic.example.org",
        "topics": "finance",
        "languages": "en",
    },
    {
        "name": "Legal Aid Office",
        "aliases": "Aide juridique",
        "phone": "613-555-0166",
        "website": "legalaid.example.org",
        "topics": "legal",
        "languages": "en|fr",
    },
    {
        "name": "Food Bank Network",
        "aliases": "Banque alimentaire",
        "phone": "613-555-0155",
        "website": "foodbank.example.org",
        "topics": "food",
        "languages": "en|fr",
    },
    {
        "name": "Transit Info Line",
        "aliases": "OC Info",
        "phone": "613-555-0177",
        "website": "transit.example.org",
        "topics": "transportation",
        "languages": "en|fr",
    },
    {
        "name": "Family Services Centre",
        "aliases": "Centre des services familiaux",
        "phone": "613-555-0144",
        "website": "family.example.org",
        "topics": "family",
        "languages": "en|fr",
    },
    {
        "name": "Mental Health Line",
        "aliases": "Ligne santé mentale",
        "phone": "613-555-0111",
        "website": "mentalhealth.example.org",
        "topics": "health",
        "languages": "en|fr",
    },
]

QUESTIONS = {
    "ar": [
        "كيف أسجل ابني في المدرسة؟",
        "هل يوجد دروس لغة مسائية؟",
        "أين أجد طبيب عائلة يتكلم العربية؟",
        "متى يبدأ التسجيل في دروس اللغة؟",
        "ما هي الأوراق المطلوبة لبطاقة الصحة؟",
        "هل يمكنني العمل بتصريح الدراسة؟",
    ],
    "fa": [
        "برای کارت سلامت چه مدارکی لازم است؟",
        "چطور می‌توانم برای کلاس زبان ثبت نام کنم؟",
        "آیا کسی یک وکیل مهاجرت می‌شناسد؟",
        "کجا می‌توانم خانه ارزان پیدا کنم؟",
    ],
    "fr": [
        "Comment puis-je obtenir une carte santé ?",
        "Où trouver des cours de français gratuits ?",
        "Est-ce que quelqu'un connaît une banque alimentaire près du centre-ville ?",
        "Quand commence l'inscription à l'école ?",
    ],
    "en": [
        "How do I apply for a bus pass?",
        "Where can I file my taxes for free?",
        "Is there a clinic that does not need a health card?",
        "What documents do I need to rent an apartment?",
    ],
}
CHATTER = {
    "ar": ["صباح الخير للجميع", "شكراً جزيلاً 🌷", "الله يعطيكم العافية"],
    "fa": ["سلام به همه", "ممنون از راهنمایی", "روز خوبی داشته باشید"],
    "fr": ["Bonne journée à tous", "Merci beaucoup pour l'aide", "Bienvenue aux nouveaux membres"],
    "en": ["Good morning everyone", "Thank you so much", "Welcome to the new members"],
}
MEMBER_ANSWERS = {
    "ar": ["اذهبي إلى مكتب المجلس المدرسي", "سجلت هناك الشهر الماضي"],
    "fa": ["من هم همین سوال را داشتم", "به سایت دولت نگاه کنید"],
    "fr": ["J'y suis allé la semaine dernière", "Il faut aller au bureau de Service Ontario"],
    "en": ["I went there last week", "You need to go to ServiceOntario"],
}
INFORMATION = {
    "ar": "شكراً لسؤالك. التسجيل مجاني ويبدأ في بداية الشهر.",
    "fa": "ممنون از سوال شما. ثبت نام رایگان است و از اول ماه شروع می‌شود.",
    "fr": "Merci pour votre question. L'inscription est gratuite et commence au début du mois.",
    "en": "Thanks for asking. Registration is free and opens at the start of the month.",
}
POSTS = [
    "Workshop on tenant rights this Saturday at 11:00",
    "Job posting: warehouse associate, no experience needed",
    "Reminder of our community guidelines: be respectful",
    "Alert: storm warning, offices closed tomorrow",
    "New library hours for the summer",
]
NAMES = {
    "ar": ["ليلى", "عمر", "سميرة", "كريم", "فاطمة", "يوسف", "مريم", "أحمد"],
    "fa": ["فاطمه", "علی", "زهرا", "رضا", "مریم", "حسین"],
    "fr": ["Amadou", "Claire", "Fatou", "Jean-Paul", "Mireille", "Koffi"],
    "en": ["John", "Grace", "Samuel", "Mary", "David", "Esther"],
}


def local_date(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S")


class _ChatWriter:
    """Writes one chat's messages with consecutive ids."""

    def __init__(self, tz: ZoneInfo) -> None:
        self.tz = tz
        self.next_id = 1
        self.messages: list[dict[str, Any]] = []

    def _base(self, at: datetime, mtype: str = "message") -> dict[str, Any]:
        message: dict[str, Any] = {
            "id": self.next_id,
            "type": mtype,
            "date": local_date(at.astimezone(self.tz)),
            "date_unixtime": str(int(at.timestamp())),
        }
        self.next_id += 1
        return message

    def text(
        self,
        at: datetime,
        sender_id: int,
        sender: str,
        text: str | list[Any],
        reply_to: int | None = None,
        peer: str = "user",
    ) -> int:
        message = self._base(at)
        message["from"] = sender
        message["from_id"] = f"{peer}{sender_id}"
        if reply_to is not None:
            message["reply_to_message_id"] = reply_to
        message["text"] = text
        plain = text if isinstance(text, str) else "".join(p if isinstance(p, str) else p["text"] for p in text)
        message["text_entities"] = [{"type": "plain", "text": plain}] if plain else []
        self.messages.append(message)
        return int(message["id"])

    def media(self, at: datetime, sender_id: int, sender: str, media_type: str, duration: int = 12) -> int:
        message = self._base(at)
        message.update(
            {
                "from": sender,
                "from_id": f"user{sender_id}",
                "file": "(File not included. Change data exporting settings to download.)",
                "media_type": media_type,
                "text": "",
                "text_entities": [],
            }
        )
        if media_type == "voice_message":
            message.update({"mime_type": "audio/ogg", "duration_seconds": duration})
        self.messages.append(message)
        return int(message["id"])

    def service(self, at: datetime, actor_id: int, actor: str, action: str, **extra: Any) -> int:
        message = self._base(at, "service")
        message.update({"actor": actor, "actor_id": f"user{actor_id}", "action": action, **extra})
        message.update({"text": "", "text_entities": []})
        self.messages.append(message)
        return int(message["id"])


def month_starts(first: tuple[int, int], count: int, tz: ZoneInfo) -> list[datetime]:
    year, month = first
    out = []
    for _ in range(count):
        out.append(datetime(year, month, 1, tzinfo=tz))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def referral_text(orgs: list[dict[str, str]], how: int) -> str:
    """A staff reply naming organizations in the ways staff do: name, alias, phone or website."""
    parts = []
    for i, org in enumerate(orgs):
        style = (how + i) % 4
        if style == 0:
            parts.append(org["name"])
        elif style == 1:
            parts.append(org["aliases"].split("|")[0])
        elif style == 2:
            parts.append(f"call ({org['phone'][:3]}) {org['phone'][4:].replace('-', ' ')}")
        else:
            parts.append(f"https://{org['website']}/contact")
    return "Please contact " + "; ".join(parts) + "."


# ---------------------------------------------------------------------------------------------------------
# The toolkit's Table 6 (Refugee 613, March 2017 to February 2018), month by month.
TABLE6 = {
    "inquiries": [23, 32, 22, 14, 15, 23, 21, 24, 21, 22, 23, 39],
    "information": [10, 10, 13, 9, 7, 11, 12, 20, 13, 15, 11, 38],
    "referrals": [27, 38, 18, 6, 8, 19, 19, 37, 14, 8, 16, 11],
    "posts": [42, 39, 47, 39, 30, 35, 29, 58, 28, 29, 47, 35],
}


def table6_export(path: Path, tz: ZoneInfo) -> None:
    """A single-group export whose usage is exactly Table 6 (with chatter that must count as nothing)."""
    rng = random.Random(613)
    chat = _ChatWriter(tz)
    starts = month_starts((2017, 3), 12, tz)
    members = [(5000 + i, NAMES["ar"][i % len(NAMES["ar"])] + f" {i}") for i in range(40)]
    for m, start in enumerate(starts):
        inquiries = TABLE6["inquiries"][m]
        information = TABLE6["information"][m]
        referrals = TABLE6["referrals"][m]
        posts = TABLE6["posts"][m]
        slot = start + timedelta(days=2, hours=10)
        step = timedelta(minutes=37)
        question_ids = []
        for q in range(inquiries):
            member_id, name = members[rng.randrange(len(members))]
            question_ids.append(chat.text(slot, member_id, name, rng.choice(QUESTIONS["ar"])))
            slot += step
            if q % 3 == 0:  # chatter and a sticker between questions: counted as nothing
                other_id, other = members[rng.randrange(len(members))]
                chat.text(slot, other_id, other, rng.choice(CHATTER["ar"]))
                chat.media(slot + timedelta(minutes=1), other_id, other, "sticker")
                slot += step
        for q in range(information):
            chat.text(slot, STAFF_ID, STAFF_NAME, INFORMATION["ar"], reply_to=question_ids[q])
            slot += step
        remaining = question_ids[information:]
        per_reply = [0] * len(remaining)
        for r in range(referrals):
            per_reply[r % len(remaining)] += 1
        for q, count in zip(remaining, per_reply, strict=True):
            if count:
                orgs = ORGANIZATIONS[:count]
                chat.text(slot, STAFF_ID, STAFF_NAME, referral_text(orgs, q), reply_to=q)
                slot += step
        for p in range(posts):
            chat.text(slot, STAFF_ID, STAFF_NAME, POSTS[p % len(POSTS)])
            slot += step
        assert slot < starts[m] + timedelta(days=27), "month overflow"
    write_single_chat(path, "Refugee 613 Welcomes You", "private_supergroup", 1700100200, chat.messages)


# ---------------------------------------------------------------------------------------------------------
@dataclass
class OrgSimulation:
    """A settlement organization's Telegram over some months: groups in several languages, a channel and
    private chats, with the everyday mix of questions, member answers, staff replies, posts and chatter."""

    first_month: tuple[int, int] = (2025, 6)
    months: int = 6
    scale: int = 1  # multiplies traffic
    tz: ZoneInfo = field(default_factory=lambda: ZoneInfo("America/Toronto"))
    seed: int = 7

    def chats(self) -> Iterator[tuple[str, str, int, list[dict[str, Any]]]]:
        rng = random.Random(self.seed)
        starts = month_starts(self.first_month, self.months, self.tz)
        end = month_starts(self.first_month, self.months + 1, self.tz)[-1]
        groups = [
            ("Welcome Group (Arabic)", "private_supergroup", 1500100200, "ar"),
            ("گروه تازه‌واردان", "private_supergroup", 1500100300, "fa"),
            ("Nouveaux arrivants", "public_supergroup", 1500100400, "fr"),
        ]
        for name, ctype, chat_id, lang in groups:
            yield name, ctype, chat_id, self._group(rng, starts[0], end, lang, chat_id)
        yield "Newcomer News", "public_channel", 1600200300, self._channel(rng, starts[0], end)
        for i in range(4 * self.scale):
            lang = ("ar", "fa", "fr", "en")[i % 4]
            member_id = 7000 + i
            name = NAMES[lang][i % len(NAMES[lang])]
            yield name, "personal_chat", member_id, self._private(rng, starts[0], end, lang, member_id, name)

    def _times(self, rng: random.Random, start: datetime, end: datetime, per_day: float) -> Iterator[datetime]:
        at = start + timedelta(hours=8)
        while True:
            at += timedelta(hours=rng.expovariate(per_day / 24.0))
            if at >= end:
                return
            yield at

    def _group(
        self, rng: random.Random, start: datetime, end: datetime, lang: str, chat_id: int
    ) -> list[dict[str, Any]]:
        chat = _ChatWriter(self.tz)
        chat.service(start, STAFF_ID, STAFF_NAME, "migrate_from_group", title="group")
        members: list[tuple[int, str]] = []
        base = chat_id % 100000 * 10
        for i in range(12):
            member = (base + i, f"{NAMES[lang][i % len(NAMES[lang])]} {i}")
            members.append(member)
            chat.service(start + timedelta(minutes=5 + i), member[0], member[1], "join_group_by_link", inviter="Group")
        open_questions: list[tuple[int, datetime]] = []
        counter = len(members)
        for at in self._times(rng, start, end, 6.0 * self.scale):
            roll = rng.random()
            if roll < 0.04:
                counter += 1
                member = (base + counter, f"{NAMES[lang][counter % len(NAMES[lang])]} {counter}")
                members.append(member)
                action = rng.choice(["join_group_by_link", "join_group_by_request"])
                chat.service(at, member[0], member[1], action)
            elif roll < 0.06 and len(members) > 5:
                member = members.pop(rng.randrange(len(members)))
                if rng.random() < 0.3:
                    chat.service(at, STAFF_ID, STAFF_NAME, "remove_members", members=[member[1]])
                else:
                    chat.service(at, member[0], member[1], "remove_members", members=[member[1]])
            elif roll < 0.30:
                member = rng.choice(members)
                question = chat.text(at, member[0], member[1], rng.choice(QUESTIONS[lang]))
                open_questions.append((question, at))
            elif roll < 0.36 and open_questions:
                question, _ = rng.choice(open_questions)
                member = rng.choice(members)
                chat.text(at, member[0], member[1], rng.choice(MEMBER_ANSWERS[lang]), reply_to=question)
            elif roll < 0.72 and open_questions:
                # Staff answer the newest questions first, the way a busy moderator scrolls.
                question, _ = open_questions.pop()
                if rng.random() < 0.35:
                    orgs = rng.sample(ORGANIZATIONS, rng.choice([1, 1, 2]))
                    chat.text(at, STAFF_ID, STAFF_NAME, referral_text(orgs, question), reply_to=question)
                else:
                    chat.text(at, STAFF_ID, STAFF_NAME, INFORMATION[lang], reply_to=question)
            elif 0.72 <= roll < 0.77:
                chat.text(at, STAFF_ID, STAFF_NAME, rng.choice(POSTS))
            elif 0.77 <= roll < 0.82:
                member = rng.choice(members)
                chat.media(at, member[0], member[1], rng.choice(["voice_message", "sticker"]), rng.randint(3, 60))
            else:
                member = rng.choice(members)
                chat.text(at, member[0], member[1], rng.choice(CHATTER[lang]))
        return chat.messages

    def _channel(self, rng: random.Random, start: datetime, end: datetime) -> list[dict[str, Any]]:
        chat = _ChatWriter(self.tz)
        for at in self._times(rng, start, end, 0.7 * self.scale):
            message_id = chat.text(at, 1600200300, "Newcomer News", rng.choice(POSTS), peer="channel")
            chat.messages[-1]["author"] = STAFF_NAME
            assert message_id
        return chat.messages

    def _private(
        self, rng: random.Random, start: datetime, end: datetime, lang: str, member_id: int, name: str
    ) -> list[dict[str, Any]]:
        chat = _ChatWriter(self.tz)
        chat.next_id = 100 + member_id * 1000
        waiting = False
        for at in self._times(rng, start, end, 1.2 * self.scale):
            if waiting and rng.random() < 0.7:
                chat.text(at, STAFF_ID, STAFF_NAME, INFORMATION[lang])
                waiting = False
                if rng.random() < 0.4:
                    chat.text(
                        at + timedelta(minutes=3),
                        member_id,
                        name,
                        rng.choice(["شكراً", "ممنون", "Merci", "Thanks 🙏"]),
                    )
            elif rng.random() < 0.2:
                chat.media(at, member_id, name, "voice_message", rng.randint(5, 90))
                waiting = True
            else:
                chat.text(at, member_id, name, rng.choice(QUESTIONS[lang]).rstrip("?؟ "))
                waiting = True
        return chat.messages


def write_single_chat(path: Path, name: str, ctype: str, chat_id: int, messages: list[dict[str, Any]]) -> None:
    with path.open("w", encoding="utf-8") as out:
        _write_chat(out, {"name": name, "type": ctype, "id": chat_id}, messages, indent=1)


def _write_chat(
    out: TextIO,
    header: dict[str, Any],
    messages: Iterator[dict[str, Any]] | list[dict[str, Any]],
    indent: int,
) -> None:
    pad = " " * indent
    out.write("{\n")
    for key, value in header.items():
        out.write(f"{pad}{json.dumps(key)}: {json.dumps(value, ensure_ascii=False)},\n")
    out.write(f'{pad}"messages": [')
    first = True
    for message in messages:
        out.write("\n" if first else ",\n")
        first = False
        body = json.dumps(message, ensure_ascii=False, indent=1)
        out.write("\n".join(pad + " " + line for line in body.splitlines()))
    out.write(f"\n{pad}]\n}}")


def write_account_export(path: Path, simulation: OrgSimulation) -> None:
    """A full-account export (``chats.list``) of the simulated organization."""
    with path.open("w", encoding="utf-8") as out:
        out.write(
            '{\n "about": "Here is the data you requested.",\n "chats": {\n'
            '  "about": "This page lists all chats from this export.",\n  "list": [\n'
        )
        first = True
        for name, ctype, chat_id, messages in simulation.chats():
            if not first:
                out.write(",\n")
            first = False
            _write_chat(out, {"name": name, "type": ctype, "id": chat_id}, messages, indent=3)
        out.write('\n  ]\n },\n "left_chats": {\n  "about": "", "list": []\n }\n}\n')


def bulk_group_export(
    path: Path, messages: int, seed: int = 1, start: datetime = datetime(2025, 1, 1, tzinfo=UTC)
) -> None:
    """One big group (for the import benchmark): questions, answers, staff replies, posts and chatter, a message
    every 110 s on average from ``start`` (a million messages span about three and a half years)."""
    rng = random.Random(seed)
    tz = ZoneInfo("UTC")

    def generate() -> Iterator[dict[str, Any]]:
        chat = _ChatWriter(tz)
        questions: list[int] = []
        at = start
        members = [(20000 + i, f"{NAMES['ar'][i % 8]} {i}") for i in range(3000)]
        for _ in range(messages):
            at += timedelta(seconds=rng.randint(20, 200))
            roll = rng.random()
            member = members[rng.randrange(len(members))]
            lang = ("ar", "fa", "fr", "en")[rng.randrange(4)]
            if roll < 0.3:
                questions.append(chat.text(at, member[0], member[1], rng.choice(QUESTIONS[lang])))
            elif roll < 0.4 and questions:
                chat.text(
                    at,
                    member[0],
                    member[1],
                    rng.choice(MEMBER_ANSWERS[lang]),
                    reply_to=rng.choice(questions[-50:]),
                )
            elif roll < 0.6 and questions:
                q = questions.pop(max(0, len(questions) - 1 - rng.randrange(20)))
                if rng.random() < 0.3:
                    chat.text(at, STAFF_ID, STAFF_NAME, referral_text(rng.sample(ORGANIZATIONS, 2), q), reply_to=q)
                else:
                    chat.text(at, STAFF_ID, STAFF_NAME, INFORMATION[lang], reply_to=q)
            elif roll < 0.65:
                chat.text(at, STAFF_ID, STAFF_NAME, rng.choice(POSTS))
            elif roll < 0.68:
                chat.service(at, member[0], member[1], "join_group_by_link")
            else:
                chat.text(at, member[0], member[1], rng.choice(CHATTER[lang]))
            yield chat.messages.pop()

    with path.open("w", encoding="utf-8") as out:
        _write_chat(out, {"name": "Big Group", "type": "private_supergroup", "id": 1800000000}, generate(), indent=1)


def write_referral_csv(path: Path) -> None:
    import csv

    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=["name", "aliases", "phone", "website", "topics", "languages"])
        writer.writeheader()
        writer.writerows(ORGANIZATIONS)
