"""Exports in the other shapes real files come in: older Telegram Desktop versions (bare numeric ids, local
dates), channels and forum supergroups, hand-edited files (repeated ids, impossible dates), and files that
break off half-way. Each is read from a fixture in the real shape, or from one changed the way such files are.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from moderator_app.domain.events import MessageRecord, Peer
from moderator_app.domain.statistics import Month
from moderator_app.importers.export_reader import ExportError, scan_chats
from moderator_app.importers.telegram_export import (
    REPEAT_SPAN,
    repeat_key,
    text_and_mentions,
)
from moderator_app.store.db import Database
from moderator_app.store.ingest import SourceIngest
from moderator_app.store.models import Inquiry, Member, MembershipEvent, Message, Topic
from moderator_app.store.statistics import StatisticsService
from tests.conftest import FIXTURES, TORONTO, toronto_standard
from tests.support.exports import count, importer, run_import, write

SINGLE = FIXTURES / "telegram-export-single-chat.json"
ACCOUNT = FIXTURES / "telegram-export-full-account.json"
NUMERIC = FIXTURES / "telegram-export-2019-numeric-ids.json"
FORUM = FIXTURES / "telegram-export-forum.json"
CHANNEL = FIXTURES / "telegram-export-channel.json"


def rows(db: Database) -> dict[int, Message]:
    with db.sessions() as session:
        return {m.telegram_id: m for m in session.scalars(select(Message))}


@pytest.fixture
def records(monkeypatch: pytest.MonkeyPatch) -> list[MessageRecord]:
    """Every record handed to the log, as the rules see them (mentions are used in memory, not stored)."""
    seen: list[MessageRecord] = []
    original = SourceIngest.message

    def spy(self: SourceIngest, record: MessageRecord, *, checked: bool = False) -> bool:
        seen.append(record)
        return original(self, record, checked=checked)

    monkeypatch.setattr(SourceIngest, "message", spy)
    return seen


# -- 2019-2021 exports: bare numeric ids, local dates -------------------------------------------------------
def test_an_export_with_numeric_ids_finds_staff_members_and_private_inquiries(sqlite_db: Database) -> None:
    db = sqlite_db
    toronto_standard(db)
    summary = run_import(db, NUMERIC)
    assert summary.counts.messages_stored == 5 and not summary.skipped
    assert summary.local_dates == 5  # no date_unixtime in these files
    log = rows(db)
    assert [t for t, m in sorted(log.items()) if m.from_staff] == [13]
    assert all(m.sender_id is not None for m in log.values())  # no sender dropped, the service actor included
    with db.sessions() as session:
        members = {(m.peer_type, m.telegram_id): m.display_name for m in session.scalars(select(Member))}
        first = session.scalars(select(Inquiry).where(Inquiry.question_telegram_id == 11)).one()
        assert first.detection == "private" and first.first_response_at == log[13].date
    assert members == {("user", 4101): "Samir", ("user", 9000): "Settlement Help Desk"}
    assert log[12].inquiry_id == first.id  # the follow-up joins the open inquiry
    assert log[11].date == datetime(2019, 10, 2, 18, 3, 11, tzinfo=UTC)  # 14:03 in Toronto (EDT)
    report = StatisticsService(db).report(Month(2019, 10), Month(2019, 10), TORONTO)
    assert report.get("2019-10", "Private messages", "private_messages") == 3  # Samir's, not staff's
    assert report.get("2019-10", "Private messages", "inquiries") == 1
    assert report.get("2019-10", "Private messages", "information") == 1


def test_a_bare_number_equal_to_the_chat_id_is_the_group_itself(sqlite_db: Database, tmp_path: Path) -> None:
    """Older group exports: an anonymous admin's post carries the group's own id as a bare number."""
    data = json.loads(NUMERIC.read_text(encoding="utf-8"))
    data.update(name="Welcome Group", type="private_supergroup", id=1500100200)
    data["messages"][2].update({"from": "Welcome Group", "from_id": 1500100200})  # was staff 9000
    run_import(sqlite_db, write(tmp_path / "result.json", data))
    log = rows(sqlite_db)
    assert log[13].from_staff and not log[11].from_staff
    with sqlite_db.sessions() as session:
        peer = session.get(Member, log[13].sender_id)
        assert peer is not None and (peer.peer_type, peer.telegram_id) == ("channel", 1500100200)


# -- channels and the group speaking as itself ----------------------------------------------------------------
def test_a_channel_export_imports_without_staff_ids(sqlite_db: Database) -> None:
    summary = run_import(sqlite_db, CHANNEL, staff=frozenset())
    assert summary.counts.messages_stored == 3 and summary.counts.responses == {"post": 3}
    assert not summary.needs_staff and not summary.skipped_chats
    assert all(m.from_staff for m in rows(sqlite_db).values())
    assert count(sqlite_db, Inquiry) == 0


def test_older_channel_posts_without_a_sender_are_the_channel_s(sqlite_db: Database, tmp_path: Path) -> None:
    data = json.loads(CHANNEL.read_text(encoding="utf-8"))
    for message in data["messages"]:
        del message["from"], message["from_id"]
        message["text"] = "Does anyone know where the clinic is?"  # would open inquiries if from a member
    run_import(sqlite_db, write(tmp_path / "result.json", data), staff=frozenset())
    assert all(m.from_staff and m.role == "post" for m in rows(sqlite_db).values())
    assert count(sqlite_db, Inquiry) == 0


def test_without_staff_ids_only_channels_are_imported_and_the_rest_is_named(sqlite_db: Database) -> None:
    summary = run_import(sqlite_db, ACCOUNT, staff=frozenset())
    assert summary.chats == ["Newcomer News"]
    assert summary.needs_staff == ["Welcome Group (Arabic)", "Fatemeh"]
    assert "rerun with --staff" in "\n".join(summary.lines())
    # With the ids, the rest follows; the channel is not stored twice.
    again = run_import(sqlite_db, ACCOUNT)
    assert again.counts.messages_already_stored == 3 and again.counts.messages_stored == 24


def test_scanning_an_export_lists_its_chats_without_parsing_messages(tmp_path: Path) -> None:
    account = scan_chats(ACCOUNT)
    assert [(c.name, c.type) for c in account.chats] == [
        ("Welcome Group (Arabic)", "private_supergroup"),
        ("Fatemeh", "personal_chat"),
        ("Newcomer News", "public_channel"),
    ]
    assert account.account_user_id is None
    assert [c.id for c in scan_chats(CHANNEL).chats] == [1800000456]
    # Real full-account exports start with the account's own details and end with the chats it left.
    data = json.loads(ACCOUNT.read_text(encoding="utf-8"))
    left = {"name": "Old Group", "type": "private_supergroup", "id": 42, "messages": []}
    full = {
        "about": data["about"],
        "personal_information": {"user_id": 9000, "first_name": "Help", "last_name": "Desk"},
        "chats": data["chats"],
        "left_chats": {"about": "left", "list": [left]},
    }
    scanned = scan_chats(write(tmp_path / "full.json", full))
    assert scanned.account_user_id == 9000 and [c.id for c in scanned.chats] == [1500100200, 5005, 1600200300]
    # Keys where Telegram Desktop does not write them: the headers are read by a full parse instead.
    reordered = {"chats": {"list": [{"messages": c["messages"], **c} for c in data["chats"]["list"]]}}
    assert [c.id for c in scan_chats(write(tmp_path / "odd.json", reordered)).chats] == [1500100200, 5005, 1600200300]


# -- forum supergroups ----------------------------------------------------------------------------------------
def test_forum_messages_are_in_their_topics_and_replies_stay_inside_them(
    sqlite_db: Database, records: list[MessageRecord]
) -> None:
    summary = run_import(sqlite_db, FORUM)
    assert summary.counts.topics_stored == 2
    log = rows(sqlite_db)
    # 1, 2: the topics' roots; 3: in Housing, replying to no one; 4: a reply inside Housing; 5-7 in Jobs.
    assert {t: (m.topic_id, m.reply_to) for t, m in log.items()} == {
        1: (1, None),
        2: (2, None),
        3: (1, None),
        4: (1, 3),
        5: (2, None),
        6: (2, None),
        7: (2, None),
    }
    # The group posting as itself (channel1700000123, an anonymous admin) is staff; members are not.
    assert [t for t, m in sorted(log.items()) if m.from_staff and not m.is_service] == [4, 5, 7]
    with sqlite_db.sessions() as session:
        topics = [(t.topic_id, t.title, t.created_at) for t in session.scalars(select(Topic).order_by(Topic.topic_id))]
    assert topics == [
        (1, "Housing", datetime(2025, 9, 1, 13, 0, tzinfo=UTC)),
        (2, "Jobs", datetime(2025, 9, 1, 13, 0, 30, tzinfo=UTC)),
    ]
    # The answer names Omid with a text mention instead of replying: the rules read it from the record.
    mentions = {r.telegram_id: r.mentioned_ids for r in records}
    assert mentions[7] == (5002,) and all(not ids for t, ids in mentions.items() if t != 7)
    assert "forum topics stored: 2" in "\n".join(summary.lines())
    again = run_import(sqlite_db, FORUM)
    assert again.counts.messages_stored == 0 and again.counts.topics_stored == 0 and count(sqlite_db, Topic) == 2


def test_a_resumed_forum_import_still_knows_the_topics_stored_before(sqlite_db: Database, tmp_path: Path) -> None:
    whole = FORUM.read_text(encoding="utf-8")
    cut = tmp_path / "cut.json"
    cut.write_text(whole[: whole.index('"id": 6,')], encoding="utf-8")
    with pytest.raises(ExportError, match="truncated"):
        run_import(sqlite_db, cut)
    assert sorted(rows(sqlite_db)) == [1, 2, 3, 4, 5]
    data = json.loads(whole)
    data["messages"].append(
        {
            "id": 8,
            "type": "message",
            "date_unixtime": "1756920000",
            "from": "Omid",
            "from_id": "user5002",
            "reply_to_message_id": 7,
            "text": "thank you",
        }
    )
    data["messages"].append(
        {"id": 9, "type": "message", "date_unixtime": "1756920100", "from": "Omid", "from_id": "user5002", "text": "hi"}
    )
    run_import(sqlite_db, write(tmp_path / "result.json", data))
    log = rows(sqlite_db)
    assert (log[6].topic_id, log[7].topic_id) == (2, 2)  # their roots were stored by the first run
    assert (log[8].topic_id, log[8].reply_to) == (2, 7)  # a reply to a message in Jobs is in Jobs
    assert (log[9].topic_id, log[9].reply_to) == (None, None)  # no reply in a forum: "General"


def test_topic_renames_change_a_title_when_the_file_says_which_topic(sqlite_db: Database, tmp_path: Path) -> None:
    """Telegram Desktop writes a rename's new title but not its topic; a file that names the root is used."""
    data = json.loads(FORUM.read_text(encoding="utf-8"))
    rename = {"type": "service", "date_unixtime": "1756920000", "actor": "Mina Staff", "actor_id": "user9000"}
    data["messages"] += [
        {**rename, "id": 8, "action": "topic_edit", "new_title": "Jobs and training"},  # as Telegram Desktop
        {**rename, "id": 9, "action": "topic_edit", "new_title": "Housing and rent", "reply_to_message_id": 1},
        {**rename, "id": 10, "action": "topic_edit", "new_icon_emoji_id": 5},  # an icon only: nothing to do
    ]
    summary = run_import(sqlite_db, write(tmp_path / "result.json", data))
    with sqlite_db.sessions() as session:
        titles = dict(session.execute(select(Topic.topic_id, Topic.title)).all())
    assert titles == {1: "Housing and rent", 2: "Jobs"}
    assert (summary.unplaced_topic_edits, summary.counts.topics_renamed) == (1, 1)
    assert rows(sqlite_db)[9].topic_id == 1
    assert "1 topic renames (topic_edit) do not say which topic" in "\n".join(summary.lines())


def test_text_mentions_are_read_from_text_parts_or_text_entities() -> None:
    parts = [{"type": "mention_name", "text": "Omid", "user_id": 5002}, ", see ", {"type": "bold", "text": "this"}]
    assert text_and_mentions(parts, None) == ("Omid, see this", (5002,))
    entities = [
        {"type": "mention_name", "text": "Leila", "user_id": "user5001"},
        {"type": "plain", "text": " and "},
        {"type": "mention_name", "text": "Leila", "user_id": 5001},
        {"type": "mention_name", "text": "?", "user_id": "someone"},
    ]
    assert text_and_mentions(None, entities) == ("Leila and Leila?", (5001,))
    assert text_and_mentions("plain text", entities) == ("plain text", ())


# -- hand-edited files: repeated ids, impossible dates --------------------------------------------------------
def test_repeated_ids_are_kept_apart_stably_and_replies_point_at_the_latest(
    sqlite_db: Database, tmp_path: Path
) -> None:
    """A hand-anonymised file numbered every message 1: all 256 are kept, and a rerun stores none twice."""
    base = {"type": "message", "date_unixtime": "1757338900", "from": "Amira", "from_id": "user1001"}
    messages = [{**base, "id": 1, "text": f"message {n}"} for n in range(256)]
    messages[200]["reply_to_message_id"] = 1  # the latest message with id 1 before it: the 199th repeat
    path = write(tmp_path / "result.json", {"name": "G", "type": "private_supergroup", "id": 77, "messages": messages})
    summary = run_import(sqlite_db, path)
    assert summary.counts.messages_stored == 256 and summary.counts.messages_already_stored == 0
    assert summary.repeated_ids == 255
    text = "\n".join(summary.lines())
    assert "255 messages repeated the id of an earlier message" in text and "message id 1" in text
    log = rows(sqlite_db)
    assert log[1].text == "message 0" and log[repeat_key(1, 255) or 0].text == "message 255"
    assert log[repeat_key(1, 200) or 0].reply_to == repeat_key(1, 199) == -(REPEAT_SPAN + 199)
    again = run_import(sqlite_db, path)
    assert again.counts.messages_stored == 0 and again.counts.messages_already_stored == 256
    assert count(sqlite_db, Message) == 256


def test_an_import_of_repeated_ids_resumes_where_it_stopped(sqlite_db: Database, tmp_path: Path) -> None:
    """Cut between an id and its repeats, then run on the whole file: each message lands once, under its key."""
    base = {"type": "message", "date_unixtime": "1757338900", "from": "Amira", "from_id": "user1001"}
    messages = [{**base, "id": 1 + n % 3, "text": f"message {n}"} for n in range(30)]  # ids 1, 2, 3, 1, 2, 3...
    whole = write(tmp_path / "result.json", {"name": "G", "type": "private_supergroup", "id": 77, "messages": messages})
    text = whole.read_text(encoding="utf-8")
    cut = tmp_path / "cut.json"
    cut.write_text(text[: text.index('"message 10"')], encoding="utf-8")
    with pytest.raises(ExportError):
        run_import(sqlite_db, cut)
    assert count(sqlite_db, Message) == 10
    summary = run_import(sqlite_db, whole)
    assert (summary.counts.messages_already_stored, summary.counts.messages_stored) == (10, 20)
    assert summary.repeated_ids == 27
    log = rows(sqlite_db)
    assert len(log) == 30 and {m.text for m in log.values()} == {f"message {n}" for n in range(30)}
    assert log[repeat_key(2, 9) or 0].text == "message 28"


def test_a_file_merged_from_two_copies_keeps_both(sqlite_db: Database, tmp_path: Path) -> None:
    """Repeats among increasing ids, membership events included; ids merely out of order are kept as they are."""
    data = json.loads(SINGLE.read_text(encoding="utf-8"))
    first, second = data["messages"], json.loads(json.dumps(data["messages"]))
    for message in second:
        message["date_unixtime"] = str(int(message["date_unixtime"]) + 86400)
    data["messages"] = first + second + [{**first[0], "id": 0, "type": "message", "text": "late", "from_id": "user1"}]
    summary = run_import(sqlite_db, write(tmp_path / "result.json", data))
    assert summary.counts.messages_stored == 41 and summary.repeated_ids == 20
    log = rows(sqlite_db)
    assert log[0].text == "late"
    reply = next(m for m in second if m.get("reply_to_message_id"))
    copy = log[repeat_key(reply["id"], 1) or 0]
    assert copy.reply_to == repeat_key(reply["reply_to_message_id"], 1)  # the copy answers the copy
    with sqlite_db.sessions() as session:
        keys = list(session.scalars(select(MembershipEvent.event_key)))
    assert len(keys) == len(set(keys))
    assert len([k for k in keys if not k.startswith("present:")]) == 2 * 6  # both copies' joins and leaves


def test_impossible_unix_dates_give_way_to_the_local_date_with_a_warning(sqlite_db: Database, tmp_path: Path) -> None:
    data = json.loads(SINGLE.read_text(encoding="utf-8"))
    by_id = {m["id"]: m for m in data["messages"]}
    by_id[4]["date_unixtime"] = "0000000000"
    by_id[5]["date_unixtime"] = "4102444800"  # 2100
    by_id[7]["edited_unixtime"] = "0"
    by_id[8].update(date_unixtime="0", date="1970-01-01T00:00:00")  # nothing possible: left out, said why
    summary = run_import(sqlite_db, write(tmp_path / "result.json", data))
    assert summary.bad_unixtime == 3 and "message id 4, '0000000000'" in summary.bad_unixtime_example
    assert summary.local_dates == 0
    assert summary.skipped == {"a message dated before 2013 or over a year after the import": 1}
    log = rows(sqlite_db)
    assert 8 not in log and len(log) == 19
    assert log[4].date == datetime.fromisoformat(by_id[4]["date"]).replace(tzinfo=TORONTO)
    assert log[5].date == datetime.fromisoformat(by_id[5]["date"]).replace(tzinfo=TORONTO)
    assert log[7].edited_at == datetime.fromisoformat(by_id[7]["edited"]).replace(tzinfo=TORONTO)
    text = "\n".join(summary.lines())
    assert "warning: 3 messages had an impossible date_unixtime" in text and "local 'date' was used" in text


# -- files that break off, imports that stop ------------------------------------------------------------------
def test_a_truncated_export_stores_every_message_before_the_cut_and_says_so(
    sqlite_db: Database, tmp_path: Path
) -> None:
    whole = SINGLE.read_text(encoding="utf-8")
    truncated = tmp_path / "cut.json"
    truncated.write_text(whole[: whole.index('"id": 15,')], encoding="utf-8")  # inside message 15
    run = importer(sqlite_db, batch_size=4)
    with pytest.raises(ExportError, match="truncated") as info:
        run.run(truncated)
    assert info.value.position is not None and info.value.position > 0
    assert "imported" not in str(info.value)  # the error says where; the summary says what was stored
    assert run.summary is not None
    stored = count(sqlite_db, Message)
    assert stored == run.summary.counts.messages_committed == 14  # messages 1-14, the last batch included
    said = run.summary.stopped_lines(file_error=True)
    events = count(sqlite_db, MembershipEvent)
    assert said[0].startswith(f"Stored in the log by this run: 14 messages and {events} membership events")
    assert "rerun the same command" in said[1]
    resumed = run_import(sqlite_db, SINGLE, batch_size=4)
    assert resumed.counts.messages_already_stored == 14 and resumed.counts.messages_stored == 6
    assert count(sqlite_db, Message) == 20 and count(sqlite_db, Inquiry) == 3


def test_an_import_that_fails_half_way_says_what_was_committed(
    sqlite_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    original = SourceIngest.message

    def failing(self: SourceIngest, record: MessageRecord, *, checked: bool = False) -> bool:
        if record.telegram_id == 11:
            raise OSError("No space left on device")
        return original(self, record, checked=checked)

    monkeypatch.setattr(SourceIngest, "message", failing)
    run = importer(sqlite_db, batch_size=4)
    with pytest.raises(OSError, match="No space"):
        run.run(SINGLE)
    assert run.summary is not None
    assert count(sqlite_db, Message) == run.summary.counts.messages_committed == 8  # two whole batches of 4
    events = count(sqlite_db, MembershipEvent)
    assert run.summary.stopped_lines(file_error=False) == [
        f"Stored in the log by this run before it stopped: 8 messages and {events} membership events; the 2 "
        "messages of the batch in progress were not stored.",
        "Run the same command again to resume: what is already in the log is not stored twice.",
    ]
    monkeypatch.undo()
    resumed = run_import(sqlite_db, SINGLE)
    assert (resumed.counts.messages_already_stored, count(sqlite_db, Message)) == (8, 20)


def test_peer_ids_in_every_shape() -> None:
    from moderator_app.importers.telegram_export import parse_peer

    assert parse_peer(302373742, "Old") == Peer("user", 302373742, "Old")
    assert parse_peer("user9000", "Staff") == Peer("user", 9000, "Staff")
    assert parse_peer("channel1700000123", None) == Peer("channel", 1700000123, "")
    assert parse_peer("chat55", "Basic") == Peer("channel", 55, "Basic")
    assert parse_peer(0, "x") is None and parse_peer(True, "x") is None and parse_peer("someone", "x") is None


def test_a_forum_export_whose_staff_answer_without_reply_gives_answered_inquiries(sqlite_db: Database) -> None:
    """The inquiry model on the forum fixture: a request without a question mark and a colloquial Farsi
    question are inquiries; the group (an anonymous admin) answers one by reply inside the topic and the
    other by naming Omid with a text mention; its announcement in the Jobs topic is a post, not a reply to
    the topic's root."""
    from moderator_app.store.models import Response

    toronto_standard(sqlite_db)
    run_import(sqlite_db, FORUM)
    with sqlite_db.sessions() as session:
        inquiries = {
            i.question_telegram_id: (i.state, i.detection)
            for i in session.scalars(select(Inquiry).order_by(Inquiry.question_telegram_id))
        }
        responses = session.execute(
            select(Message.telegram_id, Response.kind, Response.link)
            .join(Message, Message.id == Response.message_id)
            .order_by(Message.telegram_id)
        ).all()
    assert inquiries == {3: ("answered", "question"), 6: ("answered", "question")}
    assert [tuple(r) for r in responses] == [
        (4, "information", "reply"),
        (5, "post", None),
        (7, "information", "mention"),
    ]
    report = StatisticsService(sqlite_db).report(Month(2025, 9), Month(2025, 9), TORONTO)
    assert (report.get("2025-09", "all", "inquiries"), report.get("2025-09", "all", "posts")) == (2, 1)
