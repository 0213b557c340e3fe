"""The connector's writer: live records go through the rules once; edits, deletions, views change rows."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from moderator_app.domain.events import MessageRecord, Peer, SourceKind, SourceRef
from moderator_app.domain.inquiries import InquiryState
from moderator_app.domain.safety import starter_lists
from moderator_app.services.changes import ChangeBus
from moderator_app.services.safety import SafetyService
from moderator_app.store.db import Database
from moderator_app.store.live import LiveLog
from moderator_app.store.models import Inquiry, Message
from moderator_app.store.repositories import InquiryRepository, SettingsRepository, SourceRepository
from tests.conftest import toronto_standard

MONDAY = datetime(2026, 11, 16, 15, 0, tzinfo=UTC)
GROUP = SourceRef(SourceKind.GROUP, 1500, "Newcomers Ottawa", "public_supergroup")
AMAL = Peer("user", 7, "Amal Haddad")
STAFF = Peer("user", 99, "Settlement worker")


def test_live_messages_open_and_answer_inquiries_and_are_stored_once(db: Database) -> None:
    toronto_standard(db)
    SettingsRepository(db).add_staff([99])
    live = LiveLog(db)
    group = live.source(GROUP)
    assert live.record(group, MessageRecord(1500, 10, MONDAY, AMAL, "Where do I get a health card?"))
    live.commit()
    assert not live.record(group, MessageRecord(1500, 10, MONDAY, AMAL, "Where do I get a health card?"))
    live.record(group, MessageRecord(1500, 11, MONDAY + timedelta(hours=1), STAFF, "At ServiceOntario.", reply_to=10))
    live.commit()
    with db.sessions() as session:
        inquiry = session.scalars(select(Inquiry)).one()
        assert inquiry.state == "answered"
        assert inquiry.first_response_seconds == 3600
        assert session.query(Message).count() == 2
    # A second LiveLog (the connector restarted) knows what the log holds.
    again = LiveLog(db)
    assert not again.record(again.source(GROUP), MessageRecord(1500, 11, MONDAY, STAFF, "At ServiceOntario."))
    assert again.last_id(again.source(GROUP), 1500) == 11


def test_edits_deletions_views_and_media_change_rows_in_place(db: Database) -> None:
    live = LiveLog(db)
    group = live.source(GROUP)
    private = live.source(SourceRef(SourceKind.PRIVATE, 0, "Private messages", "personal_chat"))
    channel = live.source(SourceRef(SourceKind.CHANNEL, 1600, "News", "public_channel"))
    live.record(group, MessageRecord(1500, 10, MONDAY, AMAL, "Where is the clinc?"))
    live.record(private, MessageRecord(7, 10, MONDAY, AMAL, "Bonjour"))
    live.record(channel, MessageRecord(1600, 3, MONDAY, Peer("channel", 1600, "News"), "Workshop Tuesday"))
    live.record(private, MessageRecord(7, 11, MONDAY, AMAL, "", media_kind="voice", media={"duration_seconds": 4}))
    live.commit()
    edited = MONDAY + timedelta(minutes=2)
    assert live.edit(group.info, 1500, 10, "Where is the clinic?", edited)
    assert not live.edit(group.info, 1500, 99, "nothing", edited)
    # Private chats name only ids: the group's message 10 must not be touched.
    assert live.mark_deleted([10], edited) == 1
    assert live.set_views(channel.info, 1600, {3: 250}) == 1
    live.set_media(private.info, 7, 11, {"file": "/data/media/7/11.oga"})
    rows = {(m.source_id, m.telegram_id): m for m in _messages(db)}
    assert rows[(group.info.id, 10)].text == "Where is the clinic?"
    assert rows[(group.info.id, 10)].edited_at == edited and rows[(group.info.id, 10)].deleted_at is None
    assert rows[(private.info.id, 10)].deleted_at == edited and rows[(private.info.id, 10)].text == "Bonjour"
    assert rows[(channel.info.id, 3)].views == 250
    assert rows[(private.info.id, 11)].media == {"duration_seconds": 4, "file": "/data/media/7/11.oga"}
    assert live.mark_deleted([10], edited, source=group.info) == 1
    assert live.recent_posts(channel.info, MONDAY - timedelta(days=1)) == [3]


def _messages(db: Database) -> list[Message]:
    with db.sessions() as session:
        return list(session.scalars(select(Message)))


def test_watching_sources(db: Database) -> None:
    sources = SourceRepository(db)
    info = sources.set_watched(GROUP, True)
    assert info.watched and sources.watched() == [info]
    assert not sources.set_watched(GROUP, False).watched
    assert sources.watched() == []


def test_urgent_words_flag_inquiries_in_the_log_and_follow_the_edited_lists(db: Database) -> None:
    toronto_standard(db)
    live = LiveLog(db)
    group = live.source(GROUP)
    live.record(group, MessageRecord(1500, 20, MONDAY, AMAL, "he beats me and I want to die"))
    live.record(group, MessageRecord(1500, 21, MONDAY, AMAL, "the new storm warning is out"))
    live.commit()
    # The organization adds a word of its own: the running log reads the next message against it.
    bus = ChangeBus()
    SafetyService(db, bus).save({"violence": {"en": ["storm warning"]}})
    live.follow_urgent_words()
    live.record(group, MessageRecord(1500, 22, MONDAY, AMAL, "another storm warning tonight"))
    live.commit()
    entries = {e.question_id: e for e in InquiryRepository(db).inbox(closed_since=MONDAY - timedelta(days=1))}
    assert entries[20].urgent == "violence: he beats me; self_harm: want to die"
    assert entries[20].state is InquiryState.POSSIBLE
    assert 21 not in entries  # read against the lists of its time: not flagged after the fact
    assert entries[22].urgent == "violence: storm warning"
    # A restarted connector reads the flag back from the log and adds to it (with the starter lists again).
    assert SafetyService(db, bus).restore_starter() == starter_lists()
    again = LiveLog(db)
    again.record(again.source(GROUP), MessageRecord(1500, 23, MONDAY, AMAL, "they took my passport", reply_to=20))
    again.commit()
    entries = {e.question_id: e for e in InquiryRepository(db).inbox(closed_since=MONDAY - timedelta(days=1))}
    assert entries[20].urgent == "violence: he beats me; self_harm: want to die; trafficking: took my passport"
    with pytest.raises(ValueError, match="empty"):
        SafetyService(db, bus).save({"violence": {"en": [" "]}})
