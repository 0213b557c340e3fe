"""The connector end to end: a real Telethon client against the local MTProto server, a real SQLite log.

Live traffic flows into the right inquiry states; catch-up after a gap loses and duplicates nothing (also
through a FloodWait); the outbox sends exactly once across FloodWaits, dropped connections and crashes;
a second connector is refused; a revoked session stops with a clear message.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from sqlalchemy import func, select
from telethon import functions
from telethon.tl import types

from fake_telegram import FakeTelegram
from moderator_app.domain.events import SourceKind, SourceRef
from moderator_app.domain.inbox import SourceInfo
from moderator_app.domain.outbox import OutboxState
from moderator_app.store.db import Database
from moderator_app.store.lease import ConnectorAlreadyRunning
from moderator_app.store.models import Inquiry, MembershipEvent, Message, Response
from moderator_app.store.outbox import OutboxRepository
from moderator_app.store.profiles import ProfileRepository
from moderator_app.store.repositories import SettingsRepository, SourceRepository
from moderator_app.store.secrets import SecretStore
from moderator_app.telegram.client import ConnectionSettings, Credentials, make_client
from moderator_app.telegram.connector import ConnectionState, Connector
from moderator_app.telegram.errors import Remedy, TelegramProblem
from tests.telegram.conftest import RunningConnector, connected, log_in, start_connector, wait_until


def _watch(db: Database, world: FakeTelegram, group: int, *, private: bool = True) -> tuple[SourceInfo, SourceInfo]:
    sources = SourceRepository(db)
    info = sources.set_watched(SourceRef(SourceKind.GROUP, group, "Newcomers Ottawa", "private_supergroup"), True)
    dm = sources.set_watched(SourceRef(SourceKind.PRIVATE, 0, "Private messages", "personal_chat"), private)
    return info, dm


def _inquiry(db: Database, source: SourceInfo, question: int) -> Inquiry | None:
    with db.sessions() as session:
        return session.scalars(
            select(Inquiry).where(Inquiry.source_id == source.id, Inquiry.question_telegram_id == question)
        ).first()


def _message(db: Database, source: SourceInfo, telegram_id: int) -> Message | None:
    with db.sessions() as session:
        return session.scalars(
            select(Message).where(Message.source_id == source.id, Message.telegram_id == telegram_id)
        ).first()


def _count(db: Database, source: SourceInfo) -> int:
    with db.sessions() as session:
        return int(session.scalar(select(func.count()).select_from(Message).where(Message.source_id == source.id)))


def _present_members(db: Database) -> set[int]:
    """Telegram ids of the members marked present (seen posting with no join on record)."""
    from moderator_app.store.models import Member

    with db.sessions() as session:
        return set(
            session.scalars(
                select(Member.telegram_id)
                .join(MembershipEvent, MembershipEvent.member_id == Member.id)
                .where(MembershipEvent.kind == "present")
            )
        )


def _membership(db: Database) -> list[tuple[str, str | None, str]]:
    with db.sessions() as session:
        rows = session.scalars(select(MembershipEvent).order_by(MembershipEvent.id)).all()
        return [(r.kind, r.via, r.member_name) for r in rows]


@pytest.fixture
def org(world: FakeTelegram, account: int) -> dict[str, int]:
    amal = world.add_user("Amal", "Haddad")
    reza = world.add_user("Reza", "Karimi")
    group = world.add_supergroup("Newcomers Ottawa", members=[amal, reza])
    return {"account": account, "amal": amal, "reza": reza, "group": group}


def _stop(running: RunningConnector) -> None:
    running.stop()
    assert not running.thread.running


def test_live_traffic_becomes_inquiries_responses_and_membership(
    any_log: Database, world: FakeTelegram, org: dict[str, int], connection: ConnectionSettings, tmp_path: Path
) -> None:
    log = any_log
    log_in(log, world, connection)
    group_source, private_source = _watch(log, world, org["group"])
    running = start_connector(log, connection, tmp_path)
    try:
        wait_until(lambda: connected(running), what="connected")
        group, amal, reza = org["group"], org["amal"], org["reza"]
        question = world.send(group, amal, "Where do I get a health card?")
        inquiry = wait_until(lambda: _inquiry(log, group_source, question), what="the group question")
        assert inquiry.state == "open" and inquiry.language == "en"

        answer = world.send(group, reza, "At ServiceOntario, bring your PR card", reply_to=question)
        wait_until(lambda: _inquiry(log, group_source, question).state == "member_answered", what="member answer")

        queued = OutboxRepository(log).queue_reply(group_source, "Yes: ServiceOntario, 110 Laurier", reply_to=question)
        sent = wait_until(lambda: (o := OutboxRepository(log).get(queued.id)) and o.state is OutboxState.SENT and o)
        on_server = world.sent_by_account(group)
        assert [m.message for m in on_server] == ["Yes: ServiceOntario, 110 Laurier"]
        assert on_server[0].id == sent.telegram_id and on_server[0].reply_to.reply_to_msg_id == question
        answered = wait_until(lambda: (i := _inquiry(log, group_source, question)).state == "answered" and i)
        assert answered.first_response_at is not None and answered.met_standard is not None

        private = world.send_private(amal, "Bonjour, comment payer mon loyer en retard ?")
        dm = wait_until(lambda: _inquiry(log, private_source, private), what="the private question")
        assert dm.state == "open" and dm.language == "fr" and dm.chat_id == amal

        world.edit(group, question, "Where do I get an Ontario health card?")
        wait_until(lambda: _message(log, group_source, question).edited_at is not None, what="the edit")
        assert _message(log, group_source, question).text == "Where do I get an Ontario health card?"
        world.delete(group, [answer])
        wait_until(lambda: _message(log, group_source, answer).deleted_at is not None, what="the deletion")
        assert _message(log, group_source, answer).text.startswith("At ServiceOntario")  # kept for the record

        newcomer = world.add_user("Li", "Wei")
        world.join(group, newcomer, how="link")
        world.leave(group, reza)
        world.remove(group, amal, by=org["account"])
        world.request_join(group, world.add_user("Farid"))
        wait_until(lambda: len(_membership(log)) >= 6, what="membership events")
        # Amal and Reza posted before any join was seen: members already, marked present as an import does.
        present = [(kind, member) for kind, _, member in _membership(log) if kind == "present"]
        assert sorted(present) == [("present", ""), ("present", "")] and _present_members(log) == {amal, reza}
        assert [m for m in _membership(log) if m[0] != "present"] == [
            ("joined", "link", "Li Wei"),
            ("left", "self", "Reza Karimi"),
            ("removed", "moderator", "Amal Haddad"),
            ("requested", "request", "Farid"),
        ]
    finally:
        _stop(running)
    assert running.connector.counts.sent == 1
    assert running.statuses[-1].state is ConnectionState.STOPPED


def test_catch_up_after_a_gap_pages_history_through_a_flood_wait_and_duplicates_nothing(
    log: Database, world: FakeTelegram, org: dict[str, int], connection: ConnectionSettings, tmp_path: Path
) -> None:
    log_in(log, world, connection)
    group_source, _ = _watch(log, world, org["group"])
    group, amal, reza = org["group"], org["amal"], org["reza"]
    world.add_history(
        group, [(amal if i % 2 else reza, f"old message {i}", 1_763_000_000 + i, None) for i in range(250)]
    )
    world.fail("GetHistoryRequest", "FLOOD_WAIT_1", 420)
    running = start_connector(log, connection, tmp_path)
    try:
        wait_until(lambda: connected(running), what="catch-up")
        assert _count(log, group_source) == 250
        assert any("wait 1 seconds" in s.detail for s in running.statuses), "the FloodWait was reported"
        live = world.send(group, amal, "Is the food bank open on Saturday?")
        wait_until(lambda: _inquiry(log, group_source, live), what="a live question after catch-up")
    finally:
        _stop(running)

    # A night offline: new messages, an edit and a deletion while nobody listens.
    missed = [world.send(group, reza, f"while you slept {i}?") for i in range(130)]
    world.edit(group, live, "Is the food bank open on Saturday morning?")
    old = world.messages_in(group)[3].id
    world.delete(group, [old])
    running = start_connector(log, connection, tmp_path)
    try:
        wait_until(lambda: connected(running), what="second catch-up")
        assert _count(log, group_source) == 250 + 1 + 130
        wait_until(lambda: _message(log, group_source, live).edited_at is not None, what="the offline edit")
        wait_until(lambda: _message(log, group_source, old).deleted_at is not None, what="the offline delete")
        assert _message(log, group_source, missed[-1]) is not None
    finally:
        _stop(running)
    assert running.connector.counts.messages == 130

    # A third start finds nothing new.
    running = start_connector(log, connection, tmp_path)
    try:
        wait_until(lambda: connected(running), what="third start")
    finally:
        _stop(running)
    assert running.connector.counts.messages == 0
    assert _count(log, group_source) == 381


def test_outbox_sends_exactly_once_through_flood_wait_drops_and_a_crash(
    log: Database, world: FakeTelegram, org: dict[str, int], connection: ConnectionSettings, tmp_path: Path
) -> None:
    log_in(log, world, connection)
    group_source, _ = _watch(log, world, org["group"])
    group, amal = org["group"], org["amal"]
    outbox = OutboxRepository(log)

    # A crash between "sending" and "sent": Telegram got the message, the log never heard back.
    question = world.send(group, amal, "Can I bring my children to the workshop?")
    SourceRepository(log)  # the question reaches the log at the connector's catch-up
    writer = ProfileRepository(log).add("Nadia")
    crashed = outbox.queue_reply(group_source, "Yes, children are welcome.", chat_id=group, profile_id=writer.id)
    claimed = outbox.claim_next()
    assert claimed is not None and claimed.id == crashed.id and claimed.state is OutboxState.SENDING
    credentials = Credentials.load(SettingsRepository(log), SecretStore(log))
    assert credentials is not None

    async def first_attempt() -> None:
        client = make_client(credentials, connection, receive_updates=False)
        await client.connect()
        await client.get_dialogs()  # a fresh session knows no chats yet
        peer = await client.get_input_entity(types.PeerChannel(group))
        await client(functions.messages.SendMessageRequest(peer, claimed.text, random_id=claimed.random_id))
        await client.disconnect()

    asyncio.run(first_attempt())
    assert len(world.sent_by_account(group)) == 1

    running = start_connector(log, connection, tmp_path)
    try:
        # Telegram answers the resend RANDOM_ID_DUPLICATE (after Telethon's retries): found, recorded as sent.
        wait_until(lambda: outbox.get(crashed.id).state is OutboxState.SENT, what="the crashed row", timeout=40)
        assert len(world.sent_by_account(group)) == 1, "the resend after the crash posted nothing new"
        assert outbox.get(crashed.id).telegram_id == world.sent_by_account(group)[0].id
        with log.sessions() as session:  # logged once, credited to who wrote it
            credited = session.scalars(
                select(Response.profile_id)
                .join(Message, Message.id == Response.message_id)
                .where(Message.telegram_id == world.sent_by_account(group)[0].id, Message.chat_id == group)
            ).all()
        assert credited == [writer.id]
        world.fail("SendMessageRequest", "FLOOD_WAIT_1", 420)  # the next send must wait a second
        flooded = outbox.queue_reply(group_source, "The workshop starts at 10.", reply_to=question)
        wait_until(lambda: outbox.get(flooded.id).last_error is not None, what="the FloodWait")
        assert "wait 1 seconds" in outbox.get(flooded.id).last_error
        wait_until(lambda: outbox.get(flooded.id).state is OutboxState.SENT, what="the flooded row", timeout=20)
        world.drop_after("SendMessageRequest")  # Telegram posts it, then the connection drops
        dropped = outbox.queue_reply(group_source, "Bring a photo ID.", reply_to=question)
        wait_until(lambda: outbox.get(dropped.id).state is OutboxState.SENT, what="the dropped row", timeout=30)
    finally:
        _stop(running)
    texts = [m.message for m in world.sent_by_account(group)]
    assert texts == ["Yes, children are welcome.", "The workshop starts at 10.", "Bring a photo ID."]
    sent_ids = {outbox.get(i).telegram_id for i in (crashed.id, flooded.id, dropped.id)}
    assert sent_ids == {m.id for m in world.sent_by_account(group)}


def test_a_second_connector_is_refused_and_a_revoked_session_stops_with_a_clear_message(
    log: Database, world: FakeTelegram, org: dict[str, int], connection: ConnectionSettings, tmp_path: Path
) -> None:
    log_in(log, world, connection)
    _watch(log, world, org["group"])
    running = start_connector(log, connection, tmp_path, heartbeat_every=0.5)
    try:
        wait_until(lambda: connected(running), what="connected")
        second = Connector(log, SecretStore(log), connection, media_dir=tmp_path / "media2")
        with pytest.raises(ConnectorAlreadyRunning, match="already runs on"):
            asyncio.run(second.run(asyncio.Event()))
        world.revoke_sessions(org["account"])
        world.send(org["group"], org["amal"], "Anyone there?")
        world.disconnect_all()
        wait_until(lambda: not running.thread.running, what="the connector to stop")
    finally:
        _stop(running)
    assert isinstance(running.thread.error, TelegramProblem)
    assert running.thread.error.remedy is Remedy.LOG_IN
    assert running.statuses[-2].state is ConnectionState.LOGIN_NEEDED
    assert "Log in again" in running.statuses[-2].detail


def test_a_standby_connector_waits_and_takes_over_when_the_first_stops(
    log: Database,
    world: FakeTelegram,
    org: dict[str, int],
    connection: ConnectionSettings,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """(issue: hardening, item 11) A standby exited with code 2; now it waits, then takes over by itself."""
    monkeypatch.setattr("moderator_app.telegram.connector.STANDBY_POLL", 0.2)
    log_in(log, world, connection)
    group_source, _ = _watch(log, world, org["group"])
    first = start_connector(log, connection, tmp_path, heartbeat_every=0.3)
    standby: RunningConnector | None = None
    try:
        wait_until(lambda: connected(first), what="the first connector")
        standby = start_connector(log, connection, tmp_path / "standby", standby=True)
        wait_until(lambda: standby is not None and standby.statuses, what="the standby's word")
        assert standby.statuses[-1].detail.startswith("standby: The Telegram connector for this log already runs")
        assert standby.thread.running and not connected(standby)
        _stop(first)  # it releases the lease
        wait_until(lambda: standby is not None and connected(standby), what="the standby to take over", timeout=30)
        question = world.send(org["group"], org["amal"], "Is the office open on Saturday?")
        wait_until(lambda: _inquiry(log, group_source, question), what="the standby to log traffic")
    finally:
        _stop(first)
        if standby is not None:
            _stop(standby)


def test_channel_posts_views_media_and_who_counts_as_a_private_chat(
    log: Database, world: FakeTelegram, org: dict[str, int], connection: ConnectionSettings, tmp_path: Path
) -> None:
    log_in(log, world, connection)
    _, private_source = _watch(log, world, org["group"])
    channel = world.add_channel("Settlement News")
    channel_source = SourceRepository(log).set_watched(
        SourceRef(SourceKind.CHANNEL, channel, "Settlement News", "private_channel"), True
    )
    SettingsRepository(log).set("telegram.media_cap_bytes", 64 * 1024)
    early = world.post(channel, "Atelier CV mardi 14 h / CV workshop Tuesday 2 pm", views=12)
    running = start_connector(log, connection, tmp_path, heartbeat_every=0.3, views_every=0.3)
    try:
        wait_until(lambda: connected(running), what="connected")
        assert _message(log, channel_source, early) is not None
        world.set_views(channel, early, 240)
        wait_until(lambda: _message(log, channel_source, early).views == 240, what="refreshed views")

        voice = b"OggS" + bytes(range(256)) * 40  # 10 KB: fetched on arrival
        voice_id = world.send_private(org["amal"], "", media=("voice", voice, 7))
        stored = wait_until(
            lambda: (m := _message(log, private_source, voice_id)) and m.media and "file" in m.media and m,
            what="the voice note on disk",
        )
        assert stored.media_kind == "voice" and stored.media["duration_seconds"] == 7
        path = Path(stored.media["file"])
        assert path.read_bytes() == voice
        assert path.stat().st_mode & 0o777 == 0o600
        dm = _inquiry(log, private_source, voice_id)
        assert dm is not None and dm.state == "open"  # a voice note in private is an inquiry too

        big = bytes(200 * 1024)  # over the cap: on demand only
        big_id = world.send_private(org["reza"], "my lease", media=("document", big, "lease.pdf", "application/pdf"))
        wait_until(lambda: (m := _message(log, private_source, big_id)) and m.media, what="the document")
        assert _message(log, private_source, big_id).media.get("download") == "on_demand"
        request = OutboxRepository(log).queue_download(private_source, big_id, chat_id=org["reza"])
        wait_until(lambda: OutboxRepository(log).get(request.id).state is OutboxState.SENT, what="on demand")
        assert Path(_message(log, private_source, big_id).media["file"]).read_bytes() == big

        bot = world.add_user("Spam", bot=True)
        world.send_private(bot, "Win a prize?")
        last = world.send_private(org["amal"], "Thank you!")
        wait_until(lambda: _message(log, private_source, last), what="the last private message")
        with log.sessions() as session:
            chats = set(session.scalars(select(Message.chat_id).where(Message.source_id == private_source.id)))
        assert chats == {org["amal"], org["reza"]}, "bots write in no member's chat"
    finally:
        _stop(running)


def test_a_permanent_send_error_fails_with_its_reason(
    log: Database, world: FakeTelegram, org: dict[str, int], connection: ConnectionSettings, tmp_path: Path
) -> None:
    log_in(log, world, connection)
    _, private_source = _watch(log, world, org["group"])
    question = world.send_private(org["amal"], "Can you call me?")
    world.fail("SendMessageRequest", "USER_IS_BLOCKED", 400)
    running = start_connector(log, connection, tmp_path)
    try:
        wait_until(lambda: connected(running), what="connected")
        item = OutboxRepository(log).queue_reply(private_source, "Yes, tomorrow at 10.", reply_to=question)
        failed = wait_until(
            lambda: (o := OutboxRepository(log).get(item.id)) and o.state is OutboxState.FAILED and o, what="failure"
        )
        assert "blocked" in failed.last_error
        assert OutboxRepository(log).retry(item.id)
        wait_until(lambda: OutboxRepository(log).get(item.id).state is OutboxState.SENT, what="the retry")
    finally:
        _stop(running)
    assert [m.message for m in world.sent_by_account(org["amal"])] == ["Yes, tomorrow at 10."]


def test_a_dropped_connection_loses_nothing(
    log: Database, world: FakeTelegram, org: dict[str, int], connection: ConnectionSettings, tmp_path: Path
) -> None:
    log_in(log, world, connection)
    group_source, _ = _watch(log, world, org["group"])
    running = start_connector(log, connection, tmp_path, heartbeat_every=0.3, sweep_every=0.5)
    try:
        wait_until(lambda: connected(running), what="connected")
        sent = []
        for i in range(5):
            world.disconnect_all()  # the network drops again and again while people write
            sent.append(world.send(org["group"], org["amal"], f"Is the office open today? ({i})"))
        wait_until(lambda: all(_message(log, group_source, m) for m in sent), what="every message")
        assert _count(log, group_source) == 5
    finally:
        _stop(running)


def test_decisions_written_elsewhere_are_adopted_not_overwritten(
    log: Database, world: FakeTelegram, org: dict[str, int], connection: ConnectionSettings, tmp_path: Path
) -> None:
    """Team mode: the connector runs on one machine, a workstation without one writes a moderator's decision
    straight to the log. The connector holds the open inquiry in memory; the next message must build on the
    decision, not write the connector's older view back."""
    from moderator_app.domain.actions import Details, ModeratorAction
    from moderator_app.store.actions import InquiryActions

    log_in(log, world, connection)
    group_source, private_source = _watch(log, world, org["group"])
    running = start_connector(log, connection, tmp_path)
    try:
        wait_until(lambda: connected(running), what="connected")
        group, amal, reza = org["group"], org["amal"], org["reza"]
        question = world.send(group, amal, "Is the library card free?")
        inquiry = wait_until(lambda: _inquiry(log, group_source, question), what="the group question")
        # Another workstation dismisses it (thanks, not a question) and sets its topic.
        InquiryActions(log).apply(inquiry.id, ModeratorAction.DISMISS)
        InquiryActions(log).update(inquiry.id, Details(topic="education"))
        # A member then replies to it: with the connector's old view this would become "member answered".
        reply = world.send(group, reza, "Yes it is free", reply_to=question)
        wait_until(lambda: _message(log, group_source, reply), what="the reply")
        after = _inquiry(log, group_source, question)
        assert after is not None and after.state == "dismissed" and after.topic == "education"

        # Private chat: answered by phone from the other workstation; the member's next message is a new inquiry.
        first = world.send_private(amal, "How do I renew my work permit?")
        dm = wait_until(lambda: _inquiry(log, private_source, first), what="the private question")
        InquiryActions(log).apply(dm.id, ModeratorAction.MARK_ANSWERED)
        second = world.send_private(amal, "And can my wife work too?")
        wait_until(lambda: _message(log, private_source, second), what="the second message")
        assert _inquiry(log, private_source, first).state == "answered"  # type: ignore[union-attr]
        new = wait_until(lambda: _inquiry(log, private_source, second), what="a new inquiry")
        assert new.state == "open" and new.id != dm.id
    finally:
        _stop(running)
