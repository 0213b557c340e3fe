"""The member's card: who asked, their membership of the inquiry's source, and their other inquiries."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from moderator_app.domain.actions import ModeratorAction
from moderator_app.domain.conversation import MemberCard, PreviousInquiry
from moderator_app.domain.events import MembershipKind, MembershipRecord, MessageRecord, Peer, SourceKind, SourceRef
from moderator_app.domain.inbox import InboxEntry
from moderator_app.store.actions import InquiryActions
from moderator_app.store.conversation import ConversationRepository
from moderator_app.store.db import Database
from moderator_app.store.live import LiveLog
from moderator_app.store.models import Inquiry, Member
from moderator_app.store.repositories import InquiryRepository, SettingsRepository
from tests.conftest import toronto_standard

SEPT = datetime(2026, 9, 14, 14, 0, tzinfo=UTC)
OTTAWA = SourceRef(SourceKind.GROUP, 1500, "Newcomers Ottawa", "public_supergroup")
TORONTO = SourceRef(SourceKind.GROUP, 1600, "Newcomers Toronto", "public_supergroup")
PRIVATE = SourceRef(SourceKind.PRIVATE, 0, "Private messages", "personal_chat")
AMAL = Peer("user", 7, "Amal Haddad")
REZA = Peer("user", 8, "رضا احمدی")
LENA = Peer("user", 9, "Lena")
OMAR = Peer("user", 10, "Omar")
STAFF = Peer("user", 99, "Desk")


def _joined(member: Peer, at: datetime, via: str, key: str) -> MembershipRecord:
    return MembershipRecord(MembershipKind.JOINED, at, member, member.name, member, via, key)


def _entry(db: Database, source: int, question: int) -> InboxEntry:
    entries = InquiryRepository(db).inbox(closed_since=SEPT - timedelta(days=365))
    return next(e for e in entries if e.source_id == source and e.question_id == question)


def _card(db: Database, entry: InboxEntry) -> MemberCard:
    card = ConversationRepository(db).member_card(entry)
    assert card is not None
    return card


def _set_username(db: Database, telegram_id: int, username: str) -> None:
    with db.sessions.begin() as session:
        session.scalars(select(Member).where(Member.telegram_id == telegram_id)).one().username = username


def test_member_card_in_groups_and_private_chats(db: Database) -> None:
    toronto_standard(db)
    SettingsRepository(db).add_staff([99])
    live = LiveLog(db)
    ottawa, toronto, private = live.source(OTTAWA), live.source(TORONTO), live.source(PRIVATE)

    # Amal joined Ottawa by link on 12 Sep (an earlier join by request was followed by a departure).
    live.membership(ottawa, _joined(AMAL, SEPT - timedelta(days=40), "request", "1500:1:0"))
    live.membership(
        ottawa,
        MembershipRecord(MembershipKind.LEFT, SEPT - timedelta(days=30), AMAL, AMAL.name, AMAL, "self", "1500:2:0"),
    )
    live.membership(ottawa, _joined(AMAL, SEPT - timedelta(days=2), "link", "1500:3:0"))
    # Her questions over time, in three sources, oldest first: one is dismissed, one answered.
    day = timedelta(days=1)
    live.record(toronto, MessageRecord(1600, 1, SEPT, AMAL, "Where is the library?"))
    live.record(ottawa, MessageRecord(1500, 10, SEPT + day, AMAL, "Is the food bank open on Saturday?\nThanks"))
    live.record(ottawa, MessageRecord(1500, 11, SEPT + 2 * day, AMAL, "Any bus pass?"))  # dismissed below
    live.record(private, MessageRecord(7, 20, SEPT + 3 * day, AMAL, "\n  " + "How do I renew my PR card? " * 5))
    live.record(toronto, MessageRecord(1600, 2, SEPT + 4 * day, AMAL, "Which pharmacy is open late?"))
    live.record(toronto, MessageRecord(1600, 3, SEPT + 4 * day + timedelta(hours=1), STAFF, "Hi", reply_to=2))
    live.record(ottawa, MessageRecord(1500, 12, SEPT + 5 * day, AMAL, "Where do I get a health card?"))
    # Reza was never seen joining: the log marks him present when first seen posting; he left later.
    live.record(ottawa, MessageRecord(1500, 13, SEPT + 6 * day, REZA, "كيف أسجل أطفالي في المدرسة؟"))
    live.membership(
        ottawa,
        MembershipRecord(MembershipKind.LEFT, SEPT + 8 * day, REZA, REZA.name, REZA, "self", "1500:14:0"),
    )
    # Lena was removed by a moderator, then asked in private.
    live.membership(ottawa, _joined(LENA, SEPT - day, "invite", "1500:4:0"))
    live.record(ottawa, MessageRecord(1500, 15, SEPT + 6 * day, LENA, "Who can help with taxes?"))
    live.membership(
        ottawa,
        MembershipRecord(MembershipKind.REMOVED, SEPT + 7 * day, LENA, LENA.name, STAFF, "moderator", "1500:16:0"),
    )
    live.record(private, MessageRecord(9, 30, SEPT + 8 * day, LENA, "Why was I removed?"))
    # Omar joined before the log began and left on 20 Sep (the log marks him present then), then asked.
    live.membership(
        ottawa,
        MembershipRecord(MembershipKind.LEFT, SEPT + 6 * day, OMAR, OMAR.name, OMAR, "self", "1500:17:0"),
    )
    live.record(ottawa, MessageRecord(1500, 18, SEPT + 9 * day, OMAR, "Can I still ask here?"))
    live.commit()
    for source in (ottawa, toronto, private):
        source.finish()
    _set_username(db, 7, "amal_h")
    with db.sessions() as session:
        dismissed = session.scalars(select(Inquiry.id).where(Inquiry.question_telegram_id == 11)).one()
    InquiryActions(db).apply(dismissed, ModeratorAction.DISMISS, SEPT + 2 * day)

    # Amal, asking in Ottawa: joined by link (the latest join), and her other inquiries newest first.
    card = _card(db, _entry(db, ottawa.info.id, 12))
    assert (card.name, card.username, card.telegram_id, card.private) == ("Amal Haddad", "amal_h", 7, False)
    assert (card.joined_at, card.joined_via, card.first_seen) == (SEPT - timedelta(days=2), "link", False)
    assert (card.left_at, card.removed) == (None, False)
    assert card.inquiries_total == 4  # library, food bank, PR card, pharmacy: not the dismissed one, not this one
    assert [(p.arrival, p.source, p.first_line) for p in card.previous] == [
        (SEPT + 4 * day, "Newcomers Toronto", "Which pharmacy is open late?"),
        (SEPT + 3 * day, "Private messages", ("How do I renew my PR card? " * 5).strip()[:79] + "…"),
        (SEPT + day, "Newcomers Ottawa", "Is the food bank open on Saturday?"),
    ]
    assert len(card.previous[1].first_line) == 80
    assert [p.state for p in card.previous] == ["answered", "open", "open"]
    assert all(isinstance(p, PreviousInquiry) and p.id != _entry(db, ottawa.info.id, 12).id for p in card.previous)

    # The same member seen from another source: no join there, first seen posting; Ottawa's question counts.
    library = _card(db, _entry(db, toronto.info.id, 1))
    assert (library.joined_at, library.joined_via, library.first_seen, library.left_at) == (SEPT, None, True, None)
    assert library.inquiries_total == 4
    assert library.previous[0].first_line == "Where do I get a health card?"

    # Reza: first seen posting (present), then left; his name is Arabic script, his card is his alone.
    reza = _card(db, _entry(db, ottawa.info.id, 13))
    assert reza.name == "رضا احمدی" and reza.username is None
    assert (reza.joined_at, reza.joined_via, reza.first_seen) == (SEPT + 6 * day, None, True)
    assert (reza.left_at, reza.removed) == (SEPT + 8 * day, False)
    assert (reza.inquiries_total, reza.previous) == (0, ())

    # Lena in Ottawa: removed after she joined by invitation.
    lena = _card(db, _entry(db, ottawa.info.id, 15))
    assert (lena.joined_at, lena.joined_via) == (SEPT - day, "invite")
    assert (lena.left_at, lena.removed) == (SEPT + 7 * day, True)

    omar = _card(db, _entry(db, ottawa.info.id, 18))
    assert (omar.joined_at, omar.first_seen, omar.left_at, omar.removed) == (
        SEPT + 6 * day,
        True,
        SEPT + 6 * day,
        False,
    )

    # Lena in private: no membership applies; her group inquiry is the earlier one.
    chat = _card(db, _entry(db, private.info.id, 30))
    assert chat.private and (chat.joined_at, chat.left_at, chat.removed) == (None, None, False)
    assert chat.inquiries_total == 1
    assert [(p.source, p.first_line) for p in chat.previous] == [("Newcomers Ottawa", "Who can help with taxes?")]


def test_an_inquiry_without_a_member_has_no_card(db: Database) -> None:
    live = LiveLog(db)
    ottawa = live.source(OTTAWA)
    live.record(ottawa, MessageRecord(1500, 1, SEPT, AMAL, "Is the clinic open?"))
    live.commit()
    entry = _entry(db, ottawa.info.id, 1)
    assert ConversationRepository(db).member_card(entry) is not None
    with db.sessions.begin() as session:
        session.scalars(select(Inquiry)).one().member_id = None  # e.g. an anonymous admin's question
    assert ConversationRepository(db).member_card(entry) is None
