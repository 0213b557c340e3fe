"""Moderator profiles: who is on duty, credited with decisions and replies; inquiries assigned to them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from moderator_app.domain.actions import ModeratorAction
from moderator_app.domain.events import MessageRecord, Peer, SourceKind, SourceRef
from moderator_app.domain.profiles import ProfileError
from moderator_app.domain.settings import ON_DUTY
from moderator_app.domain.statistics import ALL_SOURCES, Month, breakdown_metric
from moderator_app.store.actions import InquiryActions
from moderator_app.store.db import Database
from moderator_app.store.live import LiveLog
from moderator_app.store.models import Inquiry, Response
from moderator_app.store.profiles import ProfileRepository
from moderator_app.store.repositories import InquiryRepository, SettingsRepository
from moderator_app.store.statistics import StatisticsService
from tests.conftest import TORONTO, toronto_standard

MONDAY = datetime(2026, 11, 16, 15, 0, tzinfo=UTC)
GROUP = SourceRef(SourceKind.GROUP, 1500, "Newcomers Ottawa", "public_supergroup")
AMAL, STAFF = Peer("user", 7, "Amal"), Peer("user", 99, "Desk")


def _inquiry(db: Database, question: int) -> Inquiry:
    with db.sessions() as session:
        return session.scalars(select(Inquiry).where(Inquiry.question_telegram_id == question)).one()


def test_profiles_refuse_what_cannot_be_told_apart(db: Database) -> None:
    profiles = ProfileRepository(db)
    nadia = profiles.add("  Nadia   Haddad ", "moderator", ("ar", "fr"))
    assert nadia.name == "Nadia Haddad" and nadia.languages == ("ar", "fr")
    with pytest.raises(ProfileError, match="already a profile named"):
        profiles.add("Nadia Haddad")
    with pytest.raises(ProfileError, match="needs a name"):
        profiles.add("   ")
    with pytest.raises(ProfileError, match="role is one of"):
        profiles.add("Omar", "boss")
    assert [p.name for p in profiles.all()] == ["Nadia Haddad"]
    # Who is on duty is kept per workstation (computer and system user) in a log the team may share.
    settings = SettingsRepository(db)
    assert settings.key_of(ON_DUTY).startswith("workstation.on_duty:")
    settings.write(ON_DUTY, 7)
    assert settings.read(ON_DUTY) == 7 and settings.get(settings.key_of(ON_DUTY)) == 7
    assert settings.get("workstation.on_duty") is None


def test_decisions_and_replies_are_credited_and_inquiries_assigned(db: Database) -> None:
    toronto_standard(db)
    SettingsRepository(db).add_staff([99])
    profiles = ProfileRepository(db)
    nadia, omar = profiles.add("Nadia"), profiles.add("Omar", "backup")
    live = LiveLog(db)
    group = live.source(GROUP)
    live.record(group, MessageRecord(1500, 1, MONDAY, AMAL, "Where do I get a health card?"))
    live.record(group, MessageRecord(1500, 2, MONDAY, AMAL, "Is the food bank open on Sunday?"))
    live.commit()

    # Answered by phone: the decision is the first response, credited to the profile on duty.
    InquiryActions(db).apply(_inquiry(db, 1).id, ModeratorAction.MARK_ANSWERED, MONDAY + timedelta(hours=1), nadia.id)
    assert _inquiry(db, 1).responder_profile_id == nadia.id

    # A reply sent from the window: its information unit and the first response are Omar's.
    reply_at = MONDAY + timedelta(hours=2)
    live.record(group, MessageRecord(1500, 3, reply_at, STAFF, "Yes, 10 to 2.", reply_to=2))
    live.commit()
    profiles.credit_reply(group.info.id, 1500, 3, omar.id, _inquiry(db, 2).id, reply_at)
    assert _inquiry(db, 2).responder_profile_id == omar.id
    with db.sessions() as session:
        assert session.execute(select(Response.kind, Response.profile_id)).all() == [("information", omar.id)]
    # A later reply does not take the first response from whoever gave it.
    profiles.credit_reply(group.info.id, 1500, 3, nadia.id, _inquiry(db, 2).id, reply_at + timedelta(hours=1))
    assert _inquiry(db, 2).responder_profile_id == omar.id

    live.record(group, MessageRecord(1500, 4, MONDAY + timedelta(hours=3), AMAL, "Where is the library?"))
    live.record(group, MessageRecord(1500, 5, MONDAY + timedelta(hours=1), AMAL, "Which bus goes downtown?"))
    live.commit()
    inbox = InquiryRepository(db)
    assert [e.question_id for e in inbox.inbox()] == [5, 4]  # most urgent first
    assert [e.question_id for e in inbox.inbox(limit=1)] == [5]  # the window's first screenful

    profiles.assign(_inquiry(db, 2).id, nadia.id)
    entries = {e.question_id: e for e in InquiryRepository(db).inbox(closed_since=MONDAY - timedelta(days=1))}
    assert entries[2].assignee == "Nadia" and entries[1].assignee is None
    assert entries[1].responder == "Nadia" and entries[2].responder == "Omar"
    profiles.assign(_inquiry(db, 2).id, None)
    assert _inquiry(db, 2).assignee_profile_id is None
    with pytest.raises(ProfileError, match="no inquiry"):
        profiles.assign(999_999, nadia.id)

    # The monthly breakdown by moderator counts them under their names.
    november = Month(2026, 11)
    report = StatisticsService(db).report(november, november, TORONTO, now=MONDAY + timedelta(days=1))
    assert report.get(november, ALL_SOURCES, breakdown_metric("moderator", "Nadia")) == 1
    assert report.get(november, ALL_SOURCES, breakdown_metric("moderator", "Omar")) == 1
