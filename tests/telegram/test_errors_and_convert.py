"""Telegram errors as sentences, and Telethon's real message objects as the records the store ingests."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from telethon import errors
from telethon.tl import types

from moderator_app.domain.events import MembershipKind, Peer
from moderator_app.telegram.client import ServerAddress, SettingsError, check_api_credentials
from moderator_app.telegram.convert import membership_records, message_record
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
