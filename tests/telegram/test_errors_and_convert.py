"""Telegram errors as sentences, and Telethon's real message objects as the records the store ingests."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select
from telethon import errors, utils
from telethon.tl import types

from moderator_app.domain.events import MembershipKind, Peer, SourceKind, SourceRef
from moderator_app.store.db import Database
from moderator_app.telegram.client import ServerAddress, SettingsError, check_api_credentials
from moderator_app.telegram.convert import membership_records, message_record, topic_change
from moderator_app.telegram.errors import Remedy, explain

WHEN = datetime(2026, 11, 20, 14, 30, tzinfo=UTC)
NAMES = {
    7: types.User(id=7, first_name="Amal", last_name="Haddad", access_hash=1),
    8: types.User(id=8, first_name="Reza", access_hash=2),
    99: types.User(id=99, first_name="Staff", last_name="Member", access_hash=3),
    -1001500: types.Channel(id=1500, title="Newcomers Ottawa", photo=types.ChatPhotoEmpty(), date=WHEN, access_hash=4),
}


@pytest.mark.parametrize(
    ("error", "remedy", "words"),
    [
        (errors.PhoneNumberInvalidError(None), Remedy.FIX_INPUT, "international format"),
        (errors.PhoneCodeInvalidError(None), Remedy.FIX_INPUT, "not the right one"),
        (errors.PhoneCodeExpiredError(None), Remedy.FIX_INPUT, "expired"),
        (errors.PasswordHashInvalidError(None), Remedy.FIX_INPUT, "password is wrong"),
        (errors.ApiIdInvalidError(None), Remedy.FIX_INPUT, "my.telegram.org"),
        (errors.AuthKeyUnregisteredError(None), Remedy.LOG_IN, "log on this computer is kept"),
        (errors.SessionRevokedError(None), Remedy.LOG_IN, "another device"),
        (errors.UserIsBlockedError(None), Remedy.PERMANENT, "blocked"),
        (errors.ChatWriteForbiddenError(None), Remedy.PERMANENT, "may not write"),
        (ConnectionError("reset"), Remedy.WAIT, "cannot be reached"),
    ],
)
def test_each_error_a_person_can_cause_has_a_sentence(error: BaseException, remedy: Remedy, words: str) -> None:
    problem = explain(error)
    assert problem.remedy is remedy
    assert words in problem.message


def test_flood_wait_says_how_long() -> None:
    problem = explain(errors.FloodWaitError(None, capture=330))
    assert problem.remedy is Remedy.WAIT and problem.retry_after == 330
    assert "6 minutes" in problem.message
    assert "2 h 00 min" in explain(errors.FloodWaitError(None, capture=7200)).message


def test_api_credentials_and_server_address_are_checked_before_asking_telegram() -> None:
    assert check_api_credentials(" 12345 ", "0123456789ABCDEF0123456789abcdef") == (
        12345,
        "0123456789abcdef0123456789abcdef",
    )
    with pytest.raises(SettingsError, match="number"):
        check_api_credentials("12a", "0123456789abcdef0123456789abcdef")
    with pytest.raises(SettingsError, match="32 letters"):
        check_api_credentials("12", "short")
    assert ServerAddress.parse("127.0.0.1:8443:2") == ServerAddress("127.0.0.1", 8443, 2)
    assert ServerAddress.parse("localhost:443").dc_id == 2
    with pytest.raises(SettingsError, match="HOST:PORT"):
        ServerAddress.parse("localhost")


def test_group_question_reply_and_voice_note() -> None:
    question = types.Message(
        id=41,
        peer_id=types.PeerChannel(1500),
        from_id=types.PeerUser(7),
        date=WHEN,
        message="كيف أسجل أطفالي في المدرسة؟",
    )
    record = message_record(question, NAMES.get, self_id=99)
    assert record is not None
    assert (record.chat_id, record.telegram_id, record.date) == (1500, 41, WHEN)
    assert record.sender == Peer("user", 7, "Amal Haddad")
    assert record.text.endswith("؟") and not record.is_service

    voice = types.Message(
        id=42,
        peer_id=types.PeerChannel(1500),
        from_id=types.PeerUser(8),
        date=WHEN,
        message="",
        reply_to=types.MessageReplyHeader(reply_to_msg_id=41),
        media=types.MessageMediaDocument(
            document=types.Document(
                id=1,
                access_hash=1,
                file_reference=b"",
                date=WHEN,
                mime_type="audio/ogg",
                size=5120,
                dc_id=2,
                attributes=[types.DocumentAttributeAudio(duration=9, voice=True)],
            )
        ),
    )
    record = message_record(voice, NAMES.get, self_id=99)
    assert record is not None
    assert record.reply_to == 41
    assert record.media_kind == "voice"
    assert record.media == {"mime_type": "audio/ogg", "file_size": 5120, "duration_seconds": 9}


def test_private_messages_have_the_member_or_the_account_as_sender() -> None:
    incoming = types.Message(id=5, peer_id=types.PeerUser(8), date=WHEN, message="Bonjour, où est la clinique ?")
    outgoing = types.Message(id=6, peer_id=types.PeerUser(8), date=WHEN, message="Voici l'adresse", out=True)
    assert message_record(incoming, NAMES.get, 99).sender == Peer("user", 8, "Reza")  # type: ignore[union-attr]
    assert message_record(outgoing, NAMES.get, 99).sender == Peer("user", 99, "Staff Member")  # type: ignore[union-attr]
    assert message_record(types.MessageEmpty(id=7, peer_id=None), NAMES.get, 99) is None


def test_membership_actions_become_the_same_events_as_in_an_export() -> None:
    def service(msg_id: int, sender: int, action: object) -> types.MessageService:
        return types.MessageService(
            id=msg_id, peer_id=types.PeerChannel(1500), from_id=types.PeerUser(sender), date=WHEN, action=action
        )

    cases = [
        (service(50, 7, types.MessageActionChatJoinedByLink(inviter_id=99)), "join_group_by_link"),
        (service(51, 8, types.MessageActionChatJoinedByRequest()), "join_group_by_request"),
        (service(52, 7, types.MessageActionChatAddUser(users=[7])), "invite_members"),
        (service(53, 99, types.MessageActionChatAddUser(users=[8])), "invite_members"),
        (service(54, 7, types.MessageActionChatDeleteUser(user_id=7)), "remove_members"),
        (service(55, 99, types.MessageActionChatDeleteUser(user_id=8)), "remove_members"),
        (service(56, 99, types.MessageActionPinMessage()), "pin_message"),
        (service(57, 99, types.MessageActionTopicCreate(title="x", icon_color=1)), "topic_created"),
    ]
    seen = []
    for message, action in cases:
        record = message_record(message, NAMES.get, 99)
        assert record is not None and record.is_service and record.action == action
        seen += [(m.kind, m.via, m.member, m.event_key) for m in membership_records(message, record, NAMES.get)]
    amal, reza = Peer("user", 7, "Amal Haddad"), Peer("user", 8, "Reza")
    assert seen == [
        (MembershipKind.JOINED, "link", amal, "1500:50:0"),
        (MembershipKind.JOINED, "request", reza, "1500:51:0"),
        (MembershipKind.JOINED, "joined", amal, "1500:52:0"),
        (MembershipKind.JOINED, "invite", reza, "1500:53:0"),
        (MembershipKind.LEFT, "self", amal, "1500:54:0"),
        (MembershipKind.REMOVED, "moderator", reza, "1500:55:0"),
    ]


FORUM = 1700
LEILA = types.User(id=5001, first_name="Leila", access_hash=5, username="leila_ott")
OMID = types.User(
    id=5002,
    first_name="Omid",
    access_hash=6,
    usernames=[types.Username("omid_old"), types.Username("omid_k", active=True)],
)
FORUM_NAMES = {
    **NAMES,
    5001: LEILA,
    5002: OMID,
    utils.get_peer_id(types.PeerChannel(FORUM)): types.Channel(
        id=FORUM, title="Newcomers Hub", photo=types.ChatPhotoEmpty(), date=WHEN, access_hash=7, forum=True
    ),
}


def _in_forum(
    msg_id: int, sender: int | None, text: str, reply: types.MessageReplyHeader | None, **kw: object
) -> object:
    return types.Message(
        id=msg_id,
        peer_id=types.PeerChannel(FORUM),
        from_id=types.PeerUser(sender) if sender else types.PeerChannel(FORUM),
        date=WHEN,
        message=text,
        reply_to=reply,
        **kw,
    )


def test_forum_messages_are_in_their_topic_and_reply_only_inside_it() -> None:
    created = types.MessageService(
        id=1,
        peer_id=types.PeerChannel(FORUM),
        from_id=types.PeerChannel(FORUM),
        date=WHEN,
        action=types.MessageActionTopicCreate(title="Housing", icon_color=0x6FB9F0),
    )
    root = message_record(created, FORUM_NAMES.get, 99)
    assert root is not None and (root.topic_id, root.action) == (1, "topic_created")
    assert topic_change(created, root) == (1, "Housing", WHEN)
    # In the topic, replying to no one: the header points at the root, with no top id.
    in_topic = _in_forum(3, 5001, "looking for a room", types.MessageReplyHeader(forum_topic=True, reply_to_msg_id=1))
    # A reply inside the topic: the header names the message replied to and the topic as its top.
    answer = _in_forum(
        4,
        None,
        "Leila, the help desk",
        types.MessageReplyHeader(forum_topic=True, reply_to_msg_id=3, reply_to_top_id=1),
    )
    general = _in_forum(5, 5002, "hello", None)
    general_reply = _in_forum(6, 5001, "hi Omid", types.MessageReplyHeader(reply_to_msg_id=5))
    elsewhere = _in_forum(
        7, 5001, "quoting", types.MessageReplyHeader(reply_to_msg_id=9, reply_to_peer_id=types.PeerChannel(1500))
    )
    # A quote from another chat inside a topic: in the topic, replying to no one here.
    quoted = _in_forum(
        8,
        5001,
        "as the city said",
        types.MessageReplyHeader(
            forum_topic=True, reply_to_msg_id=9, reply_to_top_id=1, reply_to_peer_id=types.PeerChannel(1500)
        ),
    )
    placed = [
        message_record(m, FORUM_NAMES.get, 99) for m in (in_topic, answer, general, general_reply, elsewhere, quoted)
    ]
    assert [(r.topic_id, r.reply_to) for r in placed if r is not None] == [
        (1, None),
        (1, 3),
        (None, None),
        (None, 5),
        (None, None),
        (1, None),
    ]
    assert placed[1] is not None and placed[1].sender == Peer("channel", FORUM, "Newcomers Hub")  # anonymous admin


def test_topic_renames_name_their_topic() -> None:
    def edit(msg_id: int, action: object) -> types.MessageService:
        return types.MessageService(
            id=msg_id,
            peer_id=types.PeerChannel(FORUM),
            from_id=types.PeerUser(99),
            date=WHEN,
            action=action,
            reply_to=types.MessageReplyHeader(forum_topic=True, reply_to_msg_id=2),
        )

    renamed = edit(20, types.MessageActionTopicEdit(title="Jobs and training"))
    record = message_record(renamed, FORUM_NAMES.get, 99)
    assert record is not None and (record.topic_id, record.action) == (2, "topic_edit")
    assert topic_change(renamed, record) == (2, "Jobs and training", None)
    closed = edit(21, types.MessageActionTopicEdit(closed=True))
    closed_record = message_record(closed, FORUM_NAMES.get, 99)
    assert closed_record is not None and topic_change(closed, closed_record) is None  # no new title
    pinned = edit(22, types.MessageActionPinMessage())
    pinned_record = message_record(pinned, FORUM_NAMES.get, 99)
    assert pinned_record is not None and pinned_record.topic_id == 2 and topic_change(pinned, pinned_record) is None


def test_text_mentions_and_usernames_are_kept_for_linking_answers() -> None:
    text = "Omid and Leila, warehouse jobs are posted at the employment centre"
    answer = _in_forum(
        8,
        99,
        text,
        types.MessageReplyHeader(forum_topic=True, reply_to_msg_id=2),
        entities=[
            types.MessageEntityMentionName(offset=0, length=4, user_id=5002),
            types.MessageEntityBold(offset=5, length=3),
            types.MessageEntityMentionName(offset=9, length=5, user_id=5001),
            types.MessageEntityMentionName(offset=0, length=4, user_id=5002),
        ],
    )
    record = message_record(answer, FORUM_NAMES.get, 99)
    assert record is not None and record.mentioned_ids == (5002, 5001)
    plain = message_record(_in_forum(9, 5001, "thanks", None), FORUM_NAMES.get, 99)
    assert plain is not None and plain.mentioned_ids == ()
    assert plain.sender == Peer("user", 5001, "Leila", "leila_ott")
    from_omid = message_record(_in_forum(10, 5002, "ok", None), FORUM_NAMES.get, 99)
    assert from_omid is not None and from_omid.sender is not None
    assert from_omid.sender.username == "omid_k"  # no username of his own: his active collectible one
    joined = types.MessageService(
        id=11,
        peer_id=types.PeerChannel(FORUM),
        from_id=types.PeerUser(99),
        date=WHEN,
        action=types.MessageActionChatAddUser(users=[5001]),
    )
    joined_record = message_record(joined, FORUM_NAMES.get, 99)
    assert joined_record is not None
    (event,) = membership_records(joined, joined_record, FORUM_NAMES.get)
    assert event.member == Peer("user", 5001, "Leila", "leila_ott")


def test_the_connector_logs_topics_as_their_service_messages_arrive(sqlite_db: Database, tmp_path: Path) -> None:
    """Live, a topic's creation and its renames reach the topics table with the message that announces them."""
    from moderator_app.domain.outbox import OutboxState, Outgoing
    from moderator_app.store.live import LiveLog
    from moderator_app.store.models import Message, Topic
    from moderator_app.store.secrets import SecretStore
    from moderator_app.telegram.client import ConnectionSettings
    from moderator_app.telegram.connector import Connector

    connector = Connector(sqlite_db, SecretStore(sqlite_db), ConnectionSettings(), media_dir=tmp_path)
    connector.settings.add_staff([99])  # the account itself, as at log-in
    connector.hub.live = LiveLog(sqlite_db)
    connector.me = NAMES[99]
    info = connector.sources.set_watched(
        SourceRef(SourceKind.GROUP, FORUM, "Newcomers Hub", "private_supergroup"), True
    )
    ingest = connector.hub.ingest_for(info)

    def service(msg_id: int, action: object, reply: types.MessageReplyHeader | None = None) -> types.MessageService:
        return types.MessageService(
            id=msg_id,
            peer_id=types.PeerChannel(FORUM),
            from_id=types.PeerUser(99),
            date=WHEN,
            action=action,
            reply_to=reply,
        )

    in_jobs = types.MessageReplyHeader(forum_topic=True, reply_to_msg_id=2)
    arrivals = [
        service(2, types.MessageActionTopicCreate(title="Jobs", icon_color=1)),
        _in_forum(3, 5001, "any warehouse jobs?", in_jobs),
        service(4, types.MessageActionTopicEdit(title="Jobs and training"), in_jobs),
    ]
    for message in arrivals:
        assert connector.hub.store_message(message, info, ingest, FORUM_NAMES.get)
    assert not connector.hub.store_message(arrivals[0], info, ingest, FORUM_NAMES.get)  # seen again: nothing twice
    connector.live.commit()
    with sqlite_db.sessions() as session:
        assert [(t.topic_id, t.title, t.created_at) for t in session.scalars(select(Topic))] == [
            (2, "Jobs and training", WHEN)
        ]
        assert dict(session.execute(select(Message.telegram_id, Message.topic_id)).all()) == {2: 2, 3: 2, 4: 2}
    # A reply the moderator sends from the app is logged at once, in its target's topic.
    sent = Outgoing(
        id=1,
        source_id=info.id,
        chat_id=FORUM,
        kind="message",
        text="The job centre on Bank St. posts them.",
        reply_to=3,
        random_id=1,
        state=OutboxState.SENT,
        attempts=1,
        last_error=None,
        created_at=WHEN,
        sent_at=WHEN,
        telegram_id=5,
    )
    connector.sender.store_sent(info, sent, 5, WHEN)
    with sqlite_db.sessions() as session:
        reply = session.scalars(select(Message).where(Message.telegram_id == 5)).one()
        assert (reply.topic_id, reply.reply_to, reply.from_staff) == (2, 3, True)


def test_a_downloaded_files_suffix_is_letters_and_digits_only() -> None:
    """A NUL in a document's name failed its download as "Telegram does not know this chat" (issue: hardening,
    item 13): the saved file takes only a plain suffix, from the name, else from the type."""
    from types import SimpleNamespace

    from moderator_app.telegram.media import _suffix

    def file(name: str | None, ext: str | None = ".pdf", mime: str = "application/pdf") -> SimpleNamespace:
        return SimpleNamespace(name=name, ext=ext, mime_type=mime)

    assert _suffix(file("lease.pdf")) == ".pdf"
    assert _suffix(file("le\x00ase.pd\x00f")) == ".pdf"
    assert _suffix(file("report.exe ")) == ".pdf"  # the name's suffix is ".exe ": not taken; the type's is
    assert _suffix(file("voice", ext=None, mime="audio/ogg")) == ".ogg"
    assert _suffix(file("x.\x00\x00", ext=None, mime="application/octet-stream")) == ""
    assert _suffix(file("form.exe", ext=".bin")) == ".exe"  # kept: the window refuses to open it by name
