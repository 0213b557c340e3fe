"""Forum topics in the log: each message's topic, each topic's title, stored once; and what a batch commits."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from moderator_app.domain.events import MessageRecord, Peer, SourceKind, SourceRef
from moderator_app.store.db import Database
from moderator_app.store.live import LiveLog
from moderator_app.store.models import Message, Topic

MONDAY = datetime(2026, 11, 16, 15, 0, tzinfo=UTC)
FORUM = SourceRef(SourceKind.GROUP, 1700000123, "Newcomers Hub", "private_supergroup")
HUB = Peer("channel", 1700000123, "Newcomers Hub")
LEILA = Peer("user", 5001, "Leila")


def _topics(db: Database) -> dict[int, tuple[str, datetime | None]]:
    with db.sessions() as session:
        return {t.topic_id: (t.title, t.created_at) for t in session.scalars(select(Topic))}


def test_messages_keep_their_topic_and_topics_their_title(db: Database) -> None:
    live = LiveLog(db)
    forum = live.source(FORUM)
    live.record(
        forum, MessageRecord(FORUM.telegram_id, 1, MONDAY, HUB, is_service=True, action="topic_created", topic_id=1)
    )
    assert forum.topic(1, "Housing", MONDAY)
    question = MessageRecord(FORUM.telegram_id, 3, MONDAY + timedelta(hours=1), LEILA, "a room?", topic_id=1)
    live.record(forum, question)
    live.record(forum, MessageRecord(FORUM.telegram_id, 4, MONDAY + timedelta(hours=2), LEILA, "in October"))
    live.commit()
    with db.sessions() as session:
        topics = {m: t for m, t in session.execute(select(Message.telegram_id, Message.topic_id))}
    assert topics == {1: 1, 3: 1, 4: None}  # 4 is in "General"
    assert _topics(db) == {1: ("Housing", MONDAY)}
    assert live.ingestor.counts.topics_stored == 1


def test_a_topic_is_stored_once_and_renames_change_its_title(db: Database) -> None:
    live = LiveLog(db)
    forum = live.source(FORUM)
    assert forum.topic(1, "Housing", MONDAY)
    assert forum.topic(1, "Housing and rent")  # renamed in the same batch as its creation
    live.commit()
    assert _topics(db) == {1: ("Housing and rent", MONDAY)}
    again = LiveLog(db).source(FORUM)  # a restart, or a rerun of an import: the log's topics are known
    assert not again.topic(1, "Housing", MONDAY)
    assert not again.topic(1, "Housing and rent")
    assert again.topic(1, "Rent")
    # A rename of a topic created before the log began: logged without a creation time.
    assert again.topic(7, "Jobs")
    again.ingestor.flush()
    assert _topics(db) == {1: ("Rent", MONDAY), 7: ("Jobs", None)}
    assert (again.ingestor.counts.topics_stored, again.ingestor.counts.topics_renamed) == (0, 2)


def test_counts_say_what_is_committed_not_what_is_buffered(db: Database) -> None:
    live = LiveLog(db)
    forum = live.source(FORUM)
    for telegram_id in range(1, 4):
        live.record(forum, MessageRecord(FORUM.telegram_id, telegram_id, MONDAY, LEILA, "hello"))
    counts = live.ingestor.counts
    assert (counts.messages_stored, counts.messages_committed) == (3, 0)
    live.commit()
    assert (counts.messages_stored, counts.messages_committed) == (3, 3)
