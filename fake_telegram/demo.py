"""A small demo organization for the stand-alone fake server, so the app has something real-looking to show.

Questions come in Arabic, French and Farsi, as they do for settlement organizations; there is a supergroup
with members and a pending join request, a broadcast channel with viewed posts, a basic group and a private
chat with a voice note.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from fake_telegram.world import FakeTelegram, now_ts


@dataclass(frozen=True)
class DemoOrganization:
    """Ids of what ``seed_demo`` created (bare ids, as the world API takes them)."""

    supergroup: int
    channel: int
    basic_group: int
    users: dict[str, int]


def _voice_bytes(size: int = 24_000) -> bytes:
    """Deterministic stand-in for an Opus voice note."""
    chunks: list[bytes] = []
    seed = b"demo voice"
    for _ in range(size // 32 + 1):
        seed = hashlib.sha256(seed).digest()
        chunks.append(seed)
    return b"OggS" + b"".join(chunks)[: size - 4]


def seed_demo(world: FakeTelegram, account: int) -> DemoOrganization:
    """Create the demo chats for ``account`` with a few hours of history (pushed like live traffic)."""
    start = now_ts() - 6 * 3600
    users = {
        "amira": world.add_user("Amira", "Haddad", username="amira_h"),
        "jean": world.add_user("Jean-Baptiste", "Mukendi"),
        "parisa": world.add_user("Parisa", "Ahmadi", username="parisa_a"),
        "olena": world.add_user("Olena", "Kovalenko"),
        "volunteer": world.add_user("Sam", "Volunteer", username="sam_volunteer"),
    }
    group = world.add_supergroup(
        "Newcomers Help Desk",
        username="newcomers_help_desk",
        members=[users["amira"], users["jean"], users["volunteer"]],
        admins=[users["volunteer"]],
        creator=account,
    )
    world.join(group, users["parisa"], how="link")
    arabic = world.send(
        group, users["amira"], "مرحبا، كيف يمكنني التسجيل في دروس اللغة الإنجليزية المجانية؟", date=start + 600
    )
    french = world.send(
        group, users["jean"], "Bonjour, où puis-je faire renouveler mon permis de travail ?", date=start + 1800
    )
    world.send(group, users["parisa"], "سلام، برای گرفتن کارت بیمه درمانی چه مدارکی لازم است؟", date=start + 3600)
    world.send(
        group,
        account,
        "Hello Amira! Free English classes (LINC) start every Monday; bring your PR card.",
        reply_to=arabic,
        date=start + 4200,
    )
    world.send(group, users["jean"], "Merci ! Et pour le permis ?", reply_to=french, date=start + 5400)
    world.request_join(group, users["olena"])

    channel = world.add_channel("Settlement News", username="settlement_news", creator=account)
    for offset, text, views in (
        (900, "The office is closed on Monday for the holiday.", 340),
        (2700, "Nouveaux ateliers d'emploi chaque mercredi à 14 h.", 212),
        (4500, "کارگاه رایگان اجاره مسکن، پنجشنبه ساعت ۶ عصر", 98),
    ):
        world.post(channel, text, views=views, date=start + offset)

    basic = world.add_basic_group("Volunteers", members=[users["volunteer"]], creator=account)
    world.send(basic, users["volunteer"], "I can cover the Saturday shift.", date=start + 2000)

    world.send_private(
        users["amira"], "Bonjour, j'ai besoin d'aide pour trouver un logement.", account=account, date=start + 4800
    )
    world.send_private(users["amira"], "", account=account, date=start + 4900, media=("voice", _voice_bytes(), 14))
    return DemoOrganization(supergroup=group, channel=channel, basic_group=basic, users=users)
