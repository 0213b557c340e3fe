"""A moderator's actions through the rules: holding replies acknowledge, mark answered, confirm, dismiss."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from moderator_app.domain.actions import ActionRefused, ModeratorAction
from moderator_app.domain.events import MessageRecord, Peer, SourceKind, SourceRef
from moderator_app.store.actions import InquiryActions
from moderator_app.store.db import Database
from moderator_app.store.examples import ExampleRepository
from moderator_app.store.live import LiveLog
from moderator_app.store.models import Inquiry, Message, Response
from moderator_app.store.profiles import ProfileRepository
from moderator_app.store.repositories import InquiryRepository, SettingsRepository
from tests.conftest import toronto_standard

MONDAY = datetime(2026, 11, 16, 15, 0, tzinfo=UTC)
GROUP = SourceRef(SourceKind.GROUP, 1500, "Newcomers Ottawa", "public_supergroup")
AMAL, REZA, STAFF = Peer("user", 7, "Amal"), Peer("user", 8, "Reza"), Peer("user", 99, "Desk")


def _inquiry(db: Database, question: int) -> Inquiry:
    with db.sessions() as session:
        return session.scalars(select(Inquiry).where(Inquiry.question_telegram_id == question)).one()


def test_actions(db: Database) -> None:
    toronto_standard(db)
    SettingsRepository(db).add_staff([99])
    live = LiveLog(db)
    group = live.source(GROUP)
    for telegram_id, text in (
        (1, "Where do I get a health card?"),
        (2, "Is the food bank open?"),
        (3, "Any bus pass?"),
    ):
        live.record(group, MessageRecord(1500, telegram_id, MONDAY, AMAL, text))
    live.record(group, MessageRecord(1500, 4, MONDAY + timedelta(minutes=5), REZA, "At ServiceOntario", reply_to=1))
    # A holding reply (sent with "acknowledge"): the first response, not an answer, not information.
    holding = MessageRecord(1500, 5, MONDAY + timedelta(hours=1), STAFF, "We are looking into it.", reply_to=2)
    holding.holding = True
    live.record(group, holding)
    live.commit()
    acknowledged = _inquiry(db, 2)
    assert acknowledged.state == "acknowledged"
    assert acknowledged.first_response_seconds == 3600 and acknowledged.met_standard is True
    with db.sessions() as session:
        assert session.scalars(select(Message.role).where(Message.telegram_id == 5)).one() == "acknowledgement"
        assert session.scalars(select(Response)).all() == []
    actions = InquiryActions(db)
    assert _inquiry(db, 1).state == "member_answered"
    later = MONDAY + timedelta(hours=2)
    actions.apply(_inquiry(db, 1).id, ModeratorAction.CONFIRM_ANSWER, later)
    confirmed = _inquiry(db, 1)
    assert confirmed.state == "answered" and confirmed.answered_at == later and confirmed.first_response_at == later
    actions.apply(acknowledged.id, ModeratorAction.MARK_ANSWERED, later)
    answered = _inquiry(db, 2)
    assert answered.state == "answered" and answered.first_response_seconds == 3600  # first response kept
    actions.apply(_inquiry(db, 3).id, ModeratorAction.DISMISS, later)
    assert _inquiry(db, 3).state == "dismissed" and _inquiry(db, 3).dismissed_at == later
    with pytest.raises(ActionRefused, match="already dismissed"):
        actions.apply(_inquiry(db, 3).id, ModeratorAction.DISMISS, later)
    with pytest.raises(ActionRefused, match="already answered"):
        actions.apply(_inquiry(db, 2).id, ModeratorAction.MARK_ANSWERED, later)
    with pytest.raises(ActionRefused, match="member answered"):
        actions.apply(_inquiry(db, 2).id, ModeratorAction.CONFIRM_ANSWER, later)
    with pytest.raises(ActionRefused, match="no inquiry #999"):
        actions.apply(999, ModeratorAction.DISMISS, later)
    actions.set_follow_up(_inquiry(db, 2).id, (later + timedelta(days=7)).date())
    assert _inquiry(db, 2).follow_up_on == (later + timedelta(days=7)).date()


def test_a_decision_is_undone_whole_and_not_after_the_inquiry_changed(db: Database) -> None:
    """Dismissed by mistake, then undone: open again with its countdown; the detector forgets the dismissal
    and nobody is credited with a first response that no longer is one."""
    toronto_standard(db)
    SettingsRepository(db).add_staff([99])
    nadia = ProfileRepository(db).add("Nadia")
    live = LiveLog(db)
    group = live.source(GROUP)
    live.record(group, MessageRecord(1500, 1, MONDAY, AMAL, "Where do I get a health card for my son?"))
    live.record(group, MessageRecord(1500, 2, MONDAY, REZA, "Is the food bank open on Saturday?"))
    live.commit()
    actions, later = InquiryActions(db), MONDAY + timedelta(hours=2)
    before = _inquiry(db, 1)
    dismissed = actions.apply(before.id, ModeratorAction.DISMISS, later, nadia.id)
    assert _inquiry(db, 1).state == "dismissed" and len(ExampleRepository(db).examples()) == 1
    actions.undo(dismissed)
    back = _inquiry(db, 1)
    assert (back.state, back.dismissed_at, back.due_at) == ("open", None, before.due_at)
    assert ExampleRepository(db).examples() == []  # the detector does not learn from a mistake taken back

    answered = actions.apply(_inquiry(db, 2).id, ModeratorAction.MARK_ANSWERED, later, nadia.id)
    assert _inquiry(db, 2).responder_profile_id == nadia.id
    actions.undo(answered)
    reopened = _inquiry(db, 2)
    assert (reopened.state, reopened.first_response_at, reopened.met_standard) == ("open", None, None)
    assert reopened.responder_profile_id is None

    again = actions.apply(reopened.id, ModeratorAction.DISMISS, later)
    actions.apply(reopened.id, ModeratorAction.PROMOTE, later + timedelta(minutes=1))  # changed since
    with pytest.raises(ActionRefused, match="changed since"):
        actions.undo(again)
    assert _inquiry(db, 2).state == "open"


def test_a_private_chat_is_titled_by_its_latest_asking_message(db: Database) -> None:
    """ "Hi", then the question: the inbox shows the question (dismissing "Hi" would dismiss it)."""
    toronto_standard(db)
    live = LiveLog(db)
    private = live.source(SourceRef(SourceKind.PRIVATE, 0, "Private messages", "personal_chat"))
    live.record(private, MessageRecord(5005, 1, MONDAY, AMAL, "Hi"))
    live.record(private, MessageRecord(5005, 2, MONDAY + timedelta(minutes=1), AMAL, "How do I renew my work permit"))
    live.record(private, MessageRecord(5005, 3, MONDAY + timedelta(minutes=2), AMAL, "thank you"))
    live.record(private, MessageRecord(6006, 4, MONDAY, REZA, "Bonjour, où est la banque alimentaire ?"))
    live.commit()
    titles = {e.chat_id: e.text for e in InquiryRepository(db).inbox()}
    assert titles == {5005: "How do I renew my work permit", 6006: "Bonjour, où est la banque alimentaire ?"}
