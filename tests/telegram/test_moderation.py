"""Moderation through the outbox, end to end: a real Telethon client against the fake server carries each
action (channels.EditBanned with ChatBannedRights(until_date=…), channels.DeleteMessages, a private reminder),
the record keeps who did what and why, and refusals come back with a reason a moderator can act on."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from fake_telegram import FakeTelegram
from moderator_app.domain.events import SourceKind, SourceRef
from moderator_app.domain.inbox import SourceInfo
from moderator_app.domain.moderation import (
    ModerationError,
    ModerationKind,
    ModerationRequest,
    ModerationState,
    WarningPolicy,
)
from moderator_app.domain.statistics import MonthKeyer
from moderator_app.store.db import Database
from moderator_app.store.models import AnswerLink, Inquiry, Member, MembershipEvent, Message, Response
from moderator_app.store.moderation import ModerationRepository
from moderator_app.store.profiles import ProfileRepository
from moderator_app.store.repositories import SourceRepository
from moderator_app.telegram.client import ConnectionSettings
from tests.telegram.conftest import connected, log_in, start_connector, wait_until

MONTH_OF = MonthKeyer(__import__("zoneinfo").ZoneInfo("America/Toronto"))


@pytest.fixture
def org(world: FakeTelegram, account: int) -> dict[str, int]:
    amal = world.add_user("Amal", "Haddad")
    reza = world.add_user("Reza", "Karimi")
    group = world.add_supergroup("Newcomers Ottawa", members=[amal, reza])
    basic = world.add_basic_group("Old group", members=[amal, reza])
    return {"account": account, "amal": amal, "reza": reza, "group": group, "basic": basic}


def _watch(db: Database, group: int, basic: int) -> tuple[SourceInfo, SourceInfo, SourceInfo]:
    sources = SourceRepository(db)
    info = sources.set_watched(SourceRef(SourceKind.GROUP, group, "Newcomers Ottawa", "private_supergroup"), True)
    old = sources.set_watched(SourceRef(SourceKind.GROUP, basic, "Old group", "private_group"), True)
    dm = sources.set_watched(SourceRef(SourceKind.PRIVATE, 0, "Private messages", "personal_chat"), True)
    return info, old, dm


def _member(db: Database, telegram_id: int) -> int:
    with db.sessions() as session:
        member_id = session.scalar(select(Member.id).where(Member.telegram_id == telegram_id))
    assert member_id is not None
    return int(member_id)


def _settled(db: Database, action_id: int) -> ModerationState:
    action = ModerationRepository(db).get(action_id)
    assert action is not None
    return action.state


def _wait_state(db: Database, action_id: int) -> ModerationState:
    return wait_until(
        lambda: (state := _settled(db, action_id)) is not ModerationState.QUEUED and state,
        what=f"moderation #{action_id}",
    )


def test_warn_mute_remove_ban_unban_and_delete_reach_telegram_and_the_record(
    log: Database, world: FakeTelegram, org: dict[str, int], connection: ConnectionSettings, tmp_path: Path
) -> None:
    log_in(log, world, connection)
    group_source, _, private_source = _watch(log, org["group"], org["basic"])
    profile = ProfileRepository(log).add("Amal M.", languages=("en",))
    moderation = ModerationRepository(log)
    running = start_connector(log, connection, tmp_path)
    try:
        wait_until(lambda: connected(running), what="connected")
        group, amal, reza = org["group"], org["amal"], org["reza"]
        spam = world.send(group, reza, "Cheap visas!!! write me privately")
        question = world.send(group, amal, "Where do I get a health card?")
        wait_until(lambda: _has_message(log, group_source, question), what="the messages")
        reza_id = _member(log, reza)

        # A warning: the reminder goes privately; it answers nothing, even an open private question of Reza's.
        private_question = world.send_private(reza, "How do I renew my permit?")
        wait_until(lambda: _has_message(log, private_source, private_question), what="Reza's private question")
        warned = moderation.queue(
            ModerationRequest(
                ModerationKind.WARN,
                group_source.id,
                reza_id,
                reason="advertising",
                guideline="No advertising",
                message_id=spam,
                notice="Please keep the group for settlement questions (guideline 3: no advertising).",
                profile_id=profile.id,
            ),
            MONTH_OF,
        )
        assert _wait_state(log, warned.id) is ModerationState.DONE
        reminder = world.sent_by_account(reza)
        assert [m.message for m in reminder] == [
            "Please keep the group for settlement questions (guideline 3: no advertising)."
        ]
        reminder_row = wait_until(lambda: _has_message(log, private_source, reminder[0].id), what="the reminder")
        with log.sessions() as session:
            assert session.get(AnswerLink, reminder_row.id) is not None  # re-deriving keeps it a non-answer
            assert session.scalars(select(Response).where(Response.message_id == reminder_row.id)).first() is None
            still_open = session.scalars(select(Inquiry).where(Inquiry.question_telegram_id == private_question))
            assert next(iter(still_open)).state == "open"
        assert moderation.warnings_of(reza_id) and not moderation.removal_proposed(reza_id, WarningPolicy())

        # A mute for an hour: Reza may read, not send.
        muted = moderation.queue(
            ModerationRequest(
                ModerationKind.MUTE, group_source.id, reza_id, reason="flooding", duration=timedelta(hours=1)
            ),
            MONTH_OF,
        )
        assert _wait_state(log, muted.id) is ModerationState.DONE
        chat = world._chats[group]
        user, until, view, send = chat.restrictions[-1]
        assert user == reza and send and not view
        assert abs(until - (muted.at + timedelta(hours=1)).timestamp()) < 2
        with pytest.raises(ValueError, match="muted"):
            world.send(group, reza, "still here")

        # The spam deleted: gone from Telegram, kept in the log, marked deleted, with the reason on record.
        deleted = moderation.queue(
            ModerationRequest(ModerationKind.DELETE, group_source.id, reza_id, reason="spam", message_id=spam),
            MONTH_OF,
        )
        assert _wait_state(log, deleted.id) is ModerationState.DONE
        assert world.lookup(chat.peer, spam) is None
        kept = _has_message(log, group_source, spam)
        assert kept.deleted_at is not None and kept.text.startswith("Cheap visas")

        # Removed (may come back), then banned for good, then unbanned.
        removed = moderation.queue(
            ModerationRequest(
                ModerationKind.REMOVE,
                group_source.id,
                reza_id,
                reason="second warning",
                notice="You were removed from Newcomers Ottawa for advertising.",
            ),
            MONTH_OF,
        )
        assert _wait_state(log, removed.id) is ModerationState.DONE
        assert reza not in chat.members and reza not in chat.banned  # out, and free to rejoin
        assert chat.restrictions[-2][2] and not chat.restrictions[-1][2]
        wait_until(lambda: len(world.sent_by_account(reza)) == 2, what="the removal notice")
        world.join(group, reza, how="link")
        banned = moderation.queue(ModerationRequest(ModerationKind.BAN, group_source.id, reza_id), MONTH_OF)
        assert _wait_state(log, banned.id) is ModerationState.DONE
        assert reza in chat.banned and reza not in chat.members and chat.restrictions[-1][1] == 0
        lifted = moderation.queue(ModerationRequest(ModerationKind.UNBAN, group_source.id, reza_id), MONTH_OF)
        assert _wait_state(log, lifted.id) is ModerationState.DONE
        assert reza not in chat.banned

        start, end = datetime.now(UTC) - timedelta(hours=1), datetime.now(UTC) + timedelta(hours=1)
        wait_until(lambda: _removals(log) == 2, what="Telegram's reports of the removal and the ban")
        record = moderation.record(start, end)
        app = [(e.kind, e.member, e.state) for e in record if e.origin.value == "app"]
        assert app == [
            ("warning", "Reza Karimi", "done"),
            ("mute", "Reza Karimi", "done"),
            ("deletion", "Reza Karimi", "done"),
            ("removal", "Reza Karimi", "done"),
            ("ban", "Reza Karimi", "done"),
            ("unban", "Reza Karimi", "done"),
        ]
        assert record[0].by == "Amal M." and record[0].guideline == "No advertising"
        assert record[2].message.startswith("Cheap visas")  # the deleted text, kept for the record
        # Telegram reports the removal and the ban as service messages: listed once, as the app's actions.
        assert not [e for e in record if e.kind == "removed in Telegram"]
        # ...and Table 7 counts them as the month's removals.
        from zoneinfo import ZoneInfo

        from moderator_app.domain.statistics import Month
        from moderator_app.store.statistics import StatisticsService

        toronto = ZoneInfo("America/Toronto")
        month = Month.of(datetime.now(UTC), toronto)
        report = StatisticsService(log).report(month, month, toronto)
        assert report.get(month, "Newcomers Ottawa", "members_removed") == 2
    finally:
        running.stop()


def test_refusals_say_why_and_what_to_do(
    log: Database, world: FakeTelegram, org: dict[str, int], connection: ConnectionSettings, tmp_path: Path
) -> None:
    log_in(log, world, connection)
    group_source, basic_source, _ = _watch(log, org["group"], org["basic"])
    moderation = ModerationRepository(log)
    running = start_connector(log, connection, tmp_path)
    try:
        wait_until(lambda: connected(running), what="connected")
        said = world.send(org["group"], org["amal"], "hello")
        wait_until(lambda: _has_message(log, group_source, said), what="Amal's message")
        amal_id = _member(log, org["amal"])

        in_basic = moderation.queue(ModerationRequest(ModerationKind.BAN, basic_source.id, amal_id), MONTH_OF)
        assert _wait_state(log, in_basic.id) is ModerationState.FAILED
        assert "only in supergroups" in (moderation.get(in_basic.id).error or "")  # type: ignore[union-attr]

        world._chats[org["group"]].members[org["account"]].admin = False
        world._chats[org["group"]].creator_id = org["reza"]
        not_admin = moderation.queue(ModerationRequest(ModerationKind.REMOVE, group_source.id, amal_id), MONTH_OF)
        assert _wait_state(log, not_admin.id) is ModerationState.FAILED
        assert "admin rights" in (moderation.get(not_admin.id).error or "")  # type: ignore[union-attr]
        assert org["amal"] in world._chats[org["group"]].members
    finally:
        running.stop()
    with pytest.raises(ModerationError, match="reminder"):
        moderation.queue(ModerationRequest(ModerationKind.WARN, group_source.id, amal_id), MONTH_OF)
    with pytest.raises(ModerationError, match="366 days"):
        moderation.queue(
            ModerationRequest(ModerationKind.MUTE, group_source.id, amal_id, duration=timedelta(days=400)), MONTH_OF
        )
    with pytest.raises(ModerationError, match="no message 999"):
        moderation.queue(ModerationRequest(ModerationKind.DELETE, group_source.id, message_id=999), MONTH_OF)


def _has_message(db: Database, source: SourceInfo, telegram_id: int) -> Message | None:
    with db.sessions() as session:
        return session.scalars(
            select(Message).where(Message.source_id == source.id, Message.telegram_id == telegram_id)
        ).first()


def _removals(db: Database) -> int:
    with db.sessions() as session:
        return len(session.scalars(select(MembershipEvent).where(MembershipEvent.kind == "removed")).all())


def test_all_of_a_spammers_messages_deleted_at_once(
    log: Database, world: FakeTelegram, org: dict[str, int], connection: ConnectionSettings, tmp_path: Path
) -> None:
    """channels.DeleteParticipantHistory, slice after slice: every message of the member goes in Telegram, the
    log keeps them marked deleted, the record has one line (the admin log's echo of each deletion is not
    kept), and a basic group says why it cannot."""
    log_in(log, world, connection)
    group_source, basic_source, _ = _watch(log, org["group"], org["basic"])
    moderation = ModerationRepository(log)
    chat = world._chats[org["group"]]
    running = start_connector(log, connection, tmp_path, admin_log_every=0.2)
    try:
        wait_until(lambda: connected(running))
        spam = [world.send(org["group"], org["reza"], f"Cheap visas {i}") for i in range(130)]
        kept = world.send(org["group"], org["amal"], "Where is the library?")
        world.send(org["basic"], org["reza"], "Cheap visas here too")
        wait_until(lambda: _stored_count(log) == 132, what="the messages")
        reza_id = _member(log, org["reza"])
        purge = moderation.queue(
            ModerationRequest(ModerationKind.PURGE, group_source.id, reza_id, reason="spam bot"), MONTH_OF
        )
        assert _wait_state(log, purge.id) is ModerationState.DONE
        assert all(world.lookup(chat.peer, i) is None for i in spam)  # 130: two slices
        assert world.lookup(chat.peer, kept) is not None
        assert world.request_count("DeleteParticipantHistoryRequest") == 2
        with log.sessions() as session:
            rows = session.scalars(select(Message).where(Message.sender_id == reza_id)).all()
        in_group = [m for m in rows if m.source_id == group_source.id]
        assert len(in_group) == 130 and all(m.deleted_at is not None for m in in_group)
        assert all(m.deleted_at is None for m in rows if m.source_id == basic_source.id)
        reads = world.request_count("GetAdminLogRequest")
        wait_until(lambda: world.request_count("GetAdminLogRequest") >= reads + 2, what="the admin log read")
        record = moderation.record(datetime.now(UTC) - timedelta(hours=1), datetime.now(UTC) + timedelta(hours=1))
        assert [(e.kind, e.origin.value) for e in record] == [("all messages deleted", "app")]

        refused = moderation.queue(ModerationRequest(ModerationKind.PURGE, basic_source.id, reza_id), MONTH_OF)
        assert _wait_state(log, refused.id) is ModerationState.FAILED
        action = moderation.get(refused.id)
        assert action is not None and action.error is not None and "only in supergroups" in action.error
    finally:
        running.stop()


def _stored_count(db: Database) -> int:
    with db.sessions() as session:
        return len(session.scalars(select(Message.id).where(Message.is_service.is_(False))).all())


def test_slow_mode_set_and_lifted_in_a_supergroup_refused_in_a_basic_group(
    log: Database, world: FakeTelegram, org: dict[str, int], connection: ConnectionSettings, tmp_path: Path
) -> None:
    log_in(log, world, connection)
    group_source, basic_source, _ = _watch(log, org["group"], org["basic"])
    moderation = ModerationRepository(log)
    with pytest.raises(ModerationError, match="Slow mode is off, 10 or 30 seconds"):
        moderation.queue(
            ModerationRequest(ModerationKind.SLOW_MODE, group_source.id, duration=timedelta(seconds=45)), MONTH_OF
        )
    running = start_connector(log, connection, tmp_path)
    try:
        wait_until(lambda: connected(running))
        slow = moderation.queue(
            ModerationRequest(
                ModerationKind.SLOW_MODE, group_source.id, reason="heated thread", duration=timedelta(seconds=30)
            ),
            MONTH_OF,
        )
        assert _wait_state(log, slow.id) is ModerationState.DONE
        assert world._chats[org["group"]].slow_mode == 30
        lifted = moderation.queue(
            ModerationRequest(ModerationKind.SLOW_MODE, group_source.id, duration=timedelta(0)), MONTH_OF
        )
        assert _wait_state(log, lifted.id) is ModerationState.DONE
        assert world._chats[org["group"]].slow_mode == 0
        refused = moderation.queue(
            ModerationRequest(ModerationKind.SLOW_MODE, basic_source.id, duration=timedelta(seconds=60)), MONTH_OF
        )
        assert _wait_state(log, refused.id) is ModerationState.FAILED
        action = moderation.get(refused.id)
        assert action is not None and "only in supergroups" in (action.error or "")
    finally:
        running.stop()
    record = moderation.record(datetime.now(UTC) - timedelta(hours=1), datetime.now(UTC) + timedelta(hours=1))
    assert [(e.kind, e.until, e.reason) for e in record if e.source == "Newcomers Ottawa"] == [
        ("slow mode: 30 s", None, "heated thread"),
        ("slow mode off", None, ""),
    ]
