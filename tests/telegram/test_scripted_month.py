"""A scripted month of moderation against the fake server (issue 18, item 11): joins by link, by an admin, by
an approved request and by the member; a leave; a removal decided in the app after a warning; a ban from a
phone. Table 7's joins, leaves and removals for the month come out as scripted, and the moderation record
lists each action once, with who did it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import select

from fake_telegram import FakeTelegram
from moderator_app.domain.events import SourceKind, SourceRef
from moderator_app.domain.moderation import ModerationKind, ModerationRequest, ModerationState
from moderator_app.domain.statistics import Month, MonthKeyer
from moderator_app.store.db import Database
from moderator_app.store.models import Member, MembershipEvent
from moderator_app.store.moderation import ModerationRepository
from moderator_app.store.profiles import ProfileRepository
from moderator_app.store.repositories import SourceRepository
from moderator_app.store.statistics import StatisticsService
from moderator_app.telegram.client import ConnectionSettings
from tests.telegram.conftest import connected, log_in, start_connector, wait_until

TORONTO = ZoneInfo("America/Toronto")


def _events(db: Database) -> list[tuple[str, str]]:
    with db.sessions() as session:
        rows = session.scalars(select(MembershipEvent).where(MembershipEvent.kind != "present"))
        return sorted((e.kind, e.member_name) for e in rows)


def _member(db: Database, telegram_id: int) -> int | None:
    with db.sessions() as session:
        return session.scalar(select(Member.id).where(Member.telegram_id == telegram_id))


def test_a_month_of_moderation_reaches_table_7_and_the_record(
    db: Database, world: FakeTelegram, account: int, connection: ConnectionSettings, tmp_path: Path
) -> None:
    old = world.add_user("Old", "Member")
    sara = world.add_user("Sara", "Admin")
    group = world.add_supergroup("Newcomers Ottawa", members=[old, sara], admins=[sara])
    amal, omar, li = world.add_user("Amal", "H"), world.add_user("Omar", "S"), world.add_user("伟", "李")
    fatima, reza, omid = world.add_user("فاطمة", "ز"), world.add_user("رضا", "ک"), world.add_user("Omid", "N")
    log_in(db, world, connection)
    info = SourceRepository(db).set_watched(SourceRef(SourceKind.GROUP, group, "Newcomers Ottawa", "supergroup"), True)
    nadia = ProfileRepository(db).add("Nadia", "moderator", ())
    moderation = ModerationRepository(db)
    running = start_connector(db, connection, tmp_path, admin_log_every=0.2)
    try:
        wait_until(lambda: connected(running))
        world.join(group, amal, how="link")
        world.join(group, omar, how="added", by=sara)
        world.request_join(group, li)
        wait_until(lambda: ("requested", "伟 李") in _events(db), what="the join request")
        world.join(group, li, how="request")  # approved from a phone
        world.join(group, fatima, how="self")
        world.join(group, reza, how="link")
        world.join(group, omid, how="link")
        world.send(group, reza, "Cheap visas, write to me")
        world.leave(group, fatima)
        wait_until(lambda: len(_events(db)) == 8 and _member(db, reza) is not None, what="the joins and the leave")
        reza_id = _member(db, reza)
        warned = moderation.queue(
            ModerationRequest(
                ModerationKind.WARN,
                info.id,
                reza_id,
                guideline="No advertising",
                notice="No ads, please.",
                profile_id=nadia.id,
            ),
            MonthKeyer(TORONTO),
        )
        removed = moderation.queue(
            ModerationRequest(ModerationKind.REMOVE, info.id, reza_id, reason="second time", profile_id=nadia.id),
            MonthKeyer(TORONTO),
        )
        world.restrict(group, omid, by=sara)  # a ban from a phone
        for action in (warned, removed):
            wait_until(lambda a=action: (moderation.get(a.id) or a).state is ModerationState.DONE, what="the actions")
        wait_until(lambda: sum(1 for kind, _ in _events(db) if kind == "removed") == 2, what="the removals", timeout=15)
        now = datetime.now(UTC)
        wait_until(
            lambda: any(
                e.kind == "ban" and e.by == "Sara Admin"
                for e in moderation.record(now - timedelta(hours=1), now + timedelta(hours=1))
            ),
            what="the ban read from the admin log",
        )
    finally:
        running.stop()

    month = Month.of(datetime.now(UTC), TORONTO)
    report = StatisticsService(db).report(month, month, TORONTO)
    assert report.get(month, "Newcomers Ottawa", "members_joined") == 6  # Amal, Omar, Li, Fatima, Reza, Omid
    assert report.get(month, "Newcomers Ottawa", "members_left") == 1  # Fatima
    assert report.get(month, "Newcomers Ottawa", "members_removed") == 2  # Reza (the app), Omid (a phone)
    now = datetime.now(UTC)
    record = [(e.kind, e.member, e.by) for e in moderation.record(now - timedelta(hours=1), now + timedelta(hours=1))]
    assert sorted(record) == sorted(
        [
            ("added", "Omar S", "Sara Admin"),
            ("join request", "伟 李", ""),
            ("join request approved", "伟 李", "伟 李"),
            ("warning", "رضا ک", "Nadia"),
            ("removal", "رضا ک", "Nadia"),
            ("ban", "Omid N", "Sara Admin"),
        ]
    )
