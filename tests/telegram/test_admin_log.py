"""Actions taken outside the app, read from Telegram's admin log (channels.GetAdminLog on the fake server) by the
running connector: a ban, a mute with its end, a "kick" (a ban lifted at once) and a deletion done from a phone
or by another admin are kept in the moderation record with who did them; the app's own actions are not kept
twice; a removal Telegram also reports as a service message is listed once; reading again adds nothing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import select
from telethon.tl import types

from fake_telegram import FakeTelegram
from moderator_app.domain.events import SourceKind, SourceRef
from moderator_app.domain.moderation import ModerationKind, ModerationOrigin, ModerationRequest, RecordEntry
from moderator_app.domain.statistics import Month, MonthKeyer
from moderator_app.store.db import Database
from moderator_app.store.models import Member, MembershipEvent
from moderator_app.store.moderation import ModerationRepository
from moderator_app.store.repositories import SourceRepository
from moderator_app.store.statistics import StatisticsService
from moderator_app.telegram.admin_log import read_events
from moderator_app.telegram.client import ConnectionSettings
from tests.telegram.conftest import connected, log_in, start_connector, wait_until

TORONTO = ZoneInfo("America/Toronto")


def _record(db: Database) -> list[RecordEntry]:
    now = datetime.now(UTC)
    return ModerationRepository(db).record(now - timedelta(days=2), now + timedelta(days=1))


def _member(db: Database, telegram_id: int) -> int | None:
    with db.sessions() as session:
        return session.scalar(select(Member.id).where(Member.telegram_id == telegram_id))


def _removals(db: Database) -> int:
    with db.sessions() as session:
        return len(session.scalars(select(MembershipEvent.id).where(MembershipEvent.kind == "removed")).all())


def _outside(db: Database) -> list[RecordEntry]:
    return [e for e in _record(db) if e.origin is ModerationOrigin.TELEGRAM]


def test_actions_taken_outside_the_app_are_kept_in_the_record(
    db: Database, world: FakeTelegram, account: int, connection: ConnectionSettings, tmp_path: Path
) -> None:
    amal, reza, li = world.add_user("Amal", "H"), world.add_user("رضا", "کریمی"), world.add_user("伟", "李")
    omid, sara = world.add_user("Omid", "N"), world.add_user("Sara", "Admin")
    group = world.add_supergroup("Newcomers Ottawa", members=[amal, reza, li, omid, sara], admins=[sara])
    log_in(db, world, connection)
    info = SourceRepository(db).set_watched(
        SourceRef(SourceKind.GROUP, group, "Newcomers Ottawa", "private_supergroup"), True
    )
    running = start_connector(db, connection, tmp_path, admin_log_every=0.2)
    try:
        wait_until(lambda: connected(running))
        spam = world.send(group, reza, "ویزای ارزان فقط امروز")
        world.send(group, li, "hello")
        wait_until(lambda: _member(db, li) is not None and _member(db, reza) is not None, what="the messages")
        # From a phone: Sara deletes the spam and bans Reza; the organization's account mutes Amal for an hour;
        # Sara "kicks" Omid (a ban lifted at once: he may come back).
        world.delete(group, spam, by=sara)
        world.restrict(group, reza, by=sara)
        until = int((datetime.now(UTC) + timedelta(hours=1)).timestamp())
        world.restrict(group, amal, by=account, until=until, view_messages=False, send_messages=True)
        world.restrict(group, omid, by=sara)
        world.restrict(group, omid, by=sara, view_messages=False, send_messages=False)
        wait_until(lambda: len(_outside(db)) == 4, what="the admin log read", timeout=15)
        # The app bans Li itself: Telegram's log reports it too, by the organization's account.
        ModerationRepository(db).queue(
            ModerationRequest(ModerationKind.BAN, info.id, _member(db, li), reason="spam", chat_id=group),
            MonthKeyer(TORONTO),
        )
        wait_until(lambda: any(e.kind == "ban" and e.state == "done" for e in _record(db) if e.member == "伟 李"))
        wait_until(lambda: _removals(db) == 3, what="Telegram's service messages of the three removals")
        reads = world.request_count("GetAdminLogRequest")
        wait_until(lambda: world.request_count("GetAdminLogRequest") >= reads + 3, what="more reads")
    finally:
        running.stop()

    outside = _outside(db)
    me = world._users[account]
    assert sorted((e.kind, e.member, e.by) for e in outside) == [
        ("ban", "رضا کریمی", "Sara Admin"),
        ("deletion", "رضا کریمی", "Sara Admin"),
        ("mute", "Amal H", f"{me.first_name} {me.last_name or ''}".strip()),
        ("removal", "Omid N", "Sara Admin"),
    ]
    mute = next(e for e in outside if e.kind == "mute")
    assert mute.until is not None and abs(mute.until.timestamp() - until) < 2
    deletion = next(e for e in outside if e.kind == "deletion")
    assert deletion.message == "ویزای ارزان فقط امروز"  # the log kept its text
    # Reza's ban also came as a service message ("removed"): one line in the record, not two.
    assert [e.kind for e in _record(db) if e.member == "رضا کریمی" and e.kind in ("ban", "removed in Telegram")] == [
        "ban"
    ]
    # The app's own ban of Li, echoed by the admin log, is listed once: as the app's.
    assert [(e.kind, e.origin) for e in _record(db) if e.member == "伟 李"] == [("ban", ModerationOrigin.APP)]
    # Table 7 counts the removals Telegram reported (Reza, Omid, Li): the record completes it, not doubles it.
    month = Month.of(datetime.now(UTC), TORONTO)
    report = StatisticsService(db).report(month, month, TORONTO)
    assert report.get(month, "Newcomers Ottawa", "members_removed") == 3


def test_admin_log_events_read_as_actions() -> None:
    """Telethon's event types as Telegram sends them: a kick is a ban and an unban by the same admin within a
    minute; an unban later is an unban; "forever" dates are no end."""
    at = datetime(2026, 12, 5, 10, 0, tzinfo=UTC)
    plain = types.ChannelParticipant(user_id=7, date=at)

    def banned(view: bool, send: bool, until: datetime | None = None) -> types.ChannelParticipantBanned:
        rights = types.ChatBannedRights(until_date=until, view_messages=view or None, send_messages=send or None)
        return types.ChannelParticipantBanned(peer=types.PeerUser(7), kicked_by=1, date=at, banned_rights=rights)

    toggle = types.ChannelAdminLogEventActionParticipantToggleBan
    forever, tomorrow = datetime(2100, 1, 1, tzinfo=UTC), at + timedelta(days=1)
    events = [
        types.ChannelAdminLogEvent(1, at, 1, toggle(plain, banned(True, True))),
        types.ChannelAdminLogEvent(2, at + timedelta(seconds=5), 1, toggle(banned(True, True), plain)),
        types.ChannelAdminLogEvent(3, at + timedelta(hours=1), 1, toggle(plain, banned(True, True, forever))),
        types.ChannelAdminLogEvent(4, at + timedelta(hours=3), 1, toggle(banned(True, True), plain)),
        types.ChannelAdminLogEvent(5, at + timedelta(hours=4), 2, toggle(plain, banned(False, True, tomorrow))),
    ]
    actions = read_events(reversed(events), {})
    assert [(a.event_id, a.kind, a.until) for a in actions] == [
        (1, ModerationKind.REMOVE, None),
        (3, ModerationKind.BAN, None),
        (4, ModerationKind.UNBAN, None),
        (5, ModerationKind.MUTE, tomorrow),
    ]
