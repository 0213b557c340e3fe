"""Referrals recorded on a reply replace what the text would have made of it, for replies only."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from moderator_app.domain.events import MessageRecord, Peer, SourceKind, SourceRef
from moderator_app.domain.referrals import ReferralOrganization
from moderator_app.store.db import Database
from moderator_app.store.live import LiveLog
from moderator_app.store.models import Response
from moderator_app.store.repositories import ReferralRepository, SettingsRepository
from moderator_app.store.responses import record_referrals
from tests.conftest import toronto_standard

MONDAY = datetime(2026, 11, 16, 15, 0, tzinfo=UTC)
GROUP = SourceRef(SourceKind.GROUP, 1500, "Newcomers Ottawa", "public_supergroup")
AMAL, STAFF = Peer("user", 7, "Amal"), Peer("user", 99, "Desk")


def test_recorded_referrals_replace_the_guess(db: Database) -> None:
    toronto_standard(db)
    SettingsRepository(db).add_staff([99])
    ReferralRepository(db).upsert_all(
        [ReferralOrganization("Community Health Clinic", phone="613-555-0142"), ReferralOrganization("Food Bank")]
    )
    clinic, food = (o.id for o in sorted(ReferralRepository(db).all(), key=lambda o: o.name))
    live = LiveLog(db)
    group = live.source(GROUP)
    live.record(group, MessageRecord(1500, 1, MONDAY, AMAL, "Where can I see a nurse?"))
    # The moderator rewrote the inserted sentence: no name the text matching would find.
    live.record(group, MessageRecord(1500, 2, MONDAY + timedelta(hours=1), STAFF, "Go to the clinic.", reply_to=1))
    live.record(group, MessageRecord(1500, 3, MONDAY + timedelta(hours=2), STAFF, "Workshop on Friday!"))  # a post
    live.commit()

    def units() -> list[tuple[str, int | None]]:
        with db.sessions() as session:
            return sorted(session.execute(select(Response.kind, Response.organization_id)).all(), key=str)

    assert units() == [("information", None), ("post", None)]
    assert record_referrals(db, group.info.id, 1500, 2, [clinic, food, clinic, 999]) == 2  # each once; 999 gone
    assert units() == [("post", None), ("referral", clinic), ("referral", food)]
    assert record_referrals(db, group.info.id, 1500, 3, [clinic]) == 0  # a post stays a post
    assert record_referrals(db, group.info.id, 1500, 42, [clinic]) == 0  # no such message
    assert units() == [("post", None), ("referral", clinic), ("referral", food)]
