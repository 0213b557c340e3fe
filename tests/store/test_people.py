"""The people panel's reads: one row per member across sources (staff left out), filtered by source and by a
search in any script, and a member opened with their memberships, inquiries, messages, record and notes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from moderator_app.domain.events import MembershipKind, MembershipRecord, MessageRecord, Peer, SourceKind, SourceRef
from moderator_app.domain.moderation import ModerationKind, ModerationRequest, WarningPolicy
from moderator_app.store.db import Database
from moderator_app.store.live import LiveLog
from moderator_app.store.moderation import ModerationRepository
from moderator_app.store.months import month_keyer
from moderator_app.store.people import PeopleRepository
from moderator_app.store.profiles import ProfileRepository
from moderator_app.store.repositories import SettingsRepository
from tests.conftest import toronto_standard

MONDAY = datetime.now(UTC).replace(microsecond=0) - timedelta(days=3)
GROUP = SourceRef(SourceKind.GROUP, 1500, "Newcomers Ottawa", "public_supergroup")
OTHER = SourceRef(SourceKind.GROUP, 1600, "مجموعة الوافدين", "public_supergroup")
PRIVATE = SourceRef(SourceKind.PRIVATE, 0, "Private messages", "personal_chat")
AMAL = Peer("user", 7, "Amal Haddad")
REZA = Peer("user", 8, "رضا کریمی")
FATIMA = Peer("user", 9, "فاطمة الزهراء")
STAFF = Peer("user", 99, "Settlement worker")


def _log(db: Database) -> tuple[LiveLog, dict[str, int]]:
    toronto_standard(db)
    SettingsRepository(db).add_staff([99])
    live = LiveLog(db)
    group, other, private = live.source(GROUP), live.source(OTHER), live.source(PRIVATE)
    live.membership(group, MembershipRecord(MembershipKind.JOINED, MONDAY, AMAL, AMAL.name, None, "link", "j1"))
    live.membership(group, MembershipRecord(MembershipKind.JOINED, MONDAY, REZA, REZA.name, None, "request", "j2"))
    live.record(group, MessageRecord(1500, 10, MONDAY + timedelta(hours=1), AMAL, "Where do I get a health card?"))
    live.record(group, MessageRecord(1500, 11, MONDAY + timedelta(hours=2), STAFF, "At ServiceOntario.", reply_to=10))
    live.record(group, MessageRecord(1500, 12, MONDAY + timedelta(hours=3), REZA, "تبلیغ: ویزای ارزان"))
    live.record(other, MessageRecord(1600, 5, MONDAY + timedelta(hours=4), FATIMA, "كيف أسجل أطفالي في المدرسة؟"))
    live.record(private, MessageRecord(7, 3, MONDAY + timedelta(hours=5), AMAL, "Merci beaucoup!"))
    live.membership(
        group, MembershipRecord(MembershipKind.LEFT, MONDAY + timedelta(hours=6), REZA, REZA.name, None, None, "l2")
    )
    live.commit()
    return live, {"group": group.info.id, "other": other.info.id, "private": private.info.id}


def _member_id(db: Database, telegram_id: int) -> int:
    return next(r.member_id for r in PeopleRepository(db).people() if r.telegram_id == telegram_id)


def test_one_row_per_member_across_sources_without_staff(db: Database) -> None:
    _, sources = _log(db)
    rows = {r.name: r for r in PeopleRepository(db).people()}
    assert set(rows) == {"Amal Haddad", "رضا کریمی", "فاطمة الزهراء"}  # staff left out
    amal = rows["Amal Haddad"]
    assert amal.sources == ("Newcomers Ottawa", "Private messages")
    assert amal.messages == 2 and amal.inquiries == 1  # the private "thank you" opens nothing counted
    assert amal.joined_at == MONDAY and amal.joined_via == "link" and amal.left is None
    assert amal.last_active == MONDAY + timedelta(hours=5)
    reza = rows["رضا کریمی"]
    assert reza.joined_via == "request" and reza.left == "left" and reza.inquiries == 0
    # Most recently active first.
    assert [r.name for r in PeopleRepository(db).people()] == ["Amal Haddad", "فاطمة الزهراء", "رضا کریمی"]
    only_other = PeopleRepository(db).people(source_id=sources["other"])
    assert [r.name for r in only_other] == ["فاطمة الزهراء"]


@pytest.mark.parametrize(
    ("search", "found"),
    [
        ("amal", {"Amal Haddad"}),
        ("HADDAD", {"Amal Haddad"}),
        ("رضا", {"رضا کریمی"}),
        ("كريمي", {"رضا کریمی"}),  # typed with the Arabic kaf and yeh: the Farsi name is found
        ("فاطمه", set()),  # teh marbuta is a letter, not folded
        ("الزهراء", {"فاطمة الزهراء"}),
        ("9", {"فاطمة الزهراء"}),  # a Telegram id, whole
        ("99", set()),  # staff are not listed
        ("", {"Amal Haddad", "رضا کریمی", "فاطمة الزهراء"}),
    ],
)
def test_search_in_every_script(db: Database, search: str, found: set[str]) -> None:
    _log(db)
    assert {r.name for r in PeopleRepository(db).people(search=search)} == found


def test_a_member_opened_shows_memberships_inquiries_messages_record_and_notes(db: Database) -> None:
    _, sources = _log(db)
    reza = _member_id(db, 8)
    moderation = ModerationRepository(db)
    moderation.queue(
        ModerationRequest(
            ModerationKind.WARN, sources["group"], reza, guideline="No advertising", message_id=12, notice="No ads."
        ),
        month_keyer(db),
    )
    nadia = ProfileRepository(db).add("Nadia", "moderator", ("fa",))
    people = PeopleRepository(db, WarningPolicy())
    note = people.add_note(reza, "  Sells visas in three groups; watch him.  ", nadia.id)
    assert note.text == "Sells visas in three groups; watch him." and note.author == "Nadia"
    with pytest.raises(ValueError, match="empty"):
        people.add_note(reza, "   ", nadia.id)
    row = next(r for r in people.people() if r.member_id == reza)
    assert row.warnings == 1 and row.notes == 1
    detail = people.detail(reza)
    assert detail is not None
    assert [(m.source, m.joined_via, m.left_at is not None) for m in detail.memberships] == [
        ("Newcomers Ottawa", "request", True)
    ]
    assert [m.text for m in detail.messages] == ["تبلیغ: ویزای ارزان"]
    # Newest first: the warning, then how he came (a request approved, from history).
    assert [e.kind for e in detail.record] == ["warning", "join request approved"]
    assert detail.record[0].guideline == "No advertising"
    assert [n.text for n in detail.notes] == [note.text]
    amal = people.detail(_member_id(db, 7))
    assert amal is not None
    assert [i.first_line for i in amal.inquiries][-1] == "Where do I get a health card?"
    assert [m.private for m in amal.memberships] == [False, True]
    assert people.detail(123456) is None
    # An older warning counts while it is recent, and no longer once it has expired.
    moderation.queue(
        ModerationRequest(ModerationKind.WARN, sources["group"], reza, notice="No ads, again."),
        month_keyer(db),
        now=datetime.now(UTC) - timedelta(hours=2),
    )

    def warnings(policy: WarningPolicy) -> int:
        return next(r for r in PeopleRepository(db, policy).people() if r.member_id == reza).warnings

    assert warnings(WarningPolicy()) == 2
    assert warnings(WarningPolicy(expiry=timedelta(hours=1))) == 1
