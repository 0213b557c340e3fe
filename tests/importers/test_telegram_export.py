"""Importing Telegram Desktop exports: the fixtures' real shapes, idempotency, bad input, streaming."""

from __future__ import annotations

import io
import json
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from moderator_app.domain.referrals import ReferralMatcher, ReferralOrganization
from moderator_app.domain.statistics import Month
from moderator_app.importers.export_reader import ExportError, ExportReader
from moderator_app.importers.telegram_export import ExportImporter, ImportSummary
from moderator_app.store.db import Database
from moderator_app.store.ingest import Ingestor
from moderator_app.store.models import Inquiry, MembershipEvent, Message, Response
from moderator_app.store.months import month_keyer
from moderator_app.store.repositories import ReferralRepository, StandardRepository
from moderator_app.store.statistics import StatisticsService
from moderator_app.ui.media import local_file
from tests.conftest import FIXTURES, TORONTO, toronto_standard

SINGLE = FIXTURES / "telegram-export-single-chat.json"
ACCOUNT = FIXTURES / "telegram-export-full-account.json"
NEWCOMER_INFO = ReferralOrganization(
    name="Newcomer Information Centre",
    aliases=("مركز معلومات القادمين الجدد",),
    phone="613-555-0199",
    website="newcomer-info.example.org",
)


def run_import(db: Database, path: Path, staff: frozenset[int] = frozenset({9000}), **kwargs: object) -> ImportSummary:
    ingestor = Ingestor(
        db,
        staff=staff,
        matcher=ReferralMatcher(ReferralRepository(db).all()),
        clocks=StandardRepository(db).clocks(),
        month_of=month_keyer(db),
        batch_size=int(kwargs.pop("batch_size", 5000)),  # type: ignore[call-overload]
    )
    return ExportImporter(ingestor, TORONTO, **kwargs).run(path)  # type: ignore[arg-type]


def table_counts(db: Database) -> dict[str, int]:
    with db.sessions() as session:
        return {
            model.__tablename__: int(session.scalar(select(func.count()).select_from(model)) or 0)
            for model in (Message, Inquiry, Response, MembershipEvent)
        }


@pytest.fixture
def library(db: Database) -> Database:
    toronto_standard(db)
    ReferralRepository(db).upsert_all([NEWCOMER_INFO])
    return db


def test_single_chat_export_becomes_inquiries_responses_and_membership(library: Database) -> None:
    db = library
    summary = run_import(db, SINGLE)
    assert summary.counts.messages_stored == 20
    assert summary.counts.inquiries_opened == 3
    assert not summary.skipped and not summary.unknown_actions
    with db.sessions() as session:
        inquiries = {i.question_telegram_id: i for i in session.scalars(select(Inquiry))}
        assert set(inquiries) == {4, 9, 20}
        school = inquiries[4]
        assert school.state == "answered" and school.language == "ar"
        assert school.member_answered_at is not None  # Omar answered before staff did
        assert school.first_response_at is not None and school.met_standard is True
        assert inquiries[9].state == "answered"
        assert inquiries[20].state == "open" and inquiries[20].language == "fr"  # no "?", starts with Comment
        kinds = sorted((r.kind, r.organization_id is not None) for r in session.scalars(select(Response)))
        # Message 6 names the same organization three ways (name, phone, website): one referral.
        assert kinds == [("information", False), ("post", False), ("post", False), ("referral", True)]
        roles = dict(session.execute(select(Message.telegram_id, Message.role)).all())
        assert roles[5] == "member_answer" and roles[7] == "chatter" and roles[8] == "chatter"
        assert roles[11] == "post" and roles[13] == "post" and roles[19] == "chatter"
        events = sorted((e.kind, e.member_name or str(e.member_id)) for e in session.scalars(select(MembershipEvent)))
    assert [k for k, _ in events].count("joined") == 4
    assert ("left", "Samira") in events and ("removed", "Spam Bot Guy") in events
    assert [k for k, _ in events].count("present") == 1  # the spammer posted without a join on record

    report = StatisticsService(db).report(Month(2025, 9), Month(2025, 9), TORONTO)
    group = "Welcome Group (Arabic)"
    expected = {
        "inquiries": 3,
        "information": 1,
        "referrals": 1,
        "posts": 2,
        "total": 7,
        "members_joined": 4,
        "members_left": 1,
        "members_removed": 1,
        "members_end": 3,
        "participants": 5,
        "questions_answered_public": 2,
        "private_messages": 0,
        "answered_within_standard": 2,
    }
    for metric, value in expected.items():
        assert report.get("2025-09", group, metric) == value, metric
        assert report.get("2025-09", "all", metric) == value, metric


def test_importing_twice_changes_nothing(library: Database) -> None:
    run_import(library, ACCOUNT)
    before = table_counts(library)
    again = run_import(library, ACCOUNT)
    assert again.counts.messages_stored == 0
    assert again.counts.messages_already_stored == 27
    assert table_counts(library) == before


def test_full_account_export_private_chats_and_channel(library: Database) -> None:
    summary = run_import(library, ACCOUNT)
    assert summary.counts.messages_stored == 27
    with library.sessions() as session:
        private = session.scalars(select(Inquiry).where(Inquiry.chat_id == 5005)).all()
    # The Farsi question (no question mark: every private message opens one) and the closing thanks,
    # opened and dismissed at once so it counts in nothing.
    assert sorted((i.state, i.detection, i.language) for i in private) == [
        ("answered", "private", "fa"),
        ("dismissed", "courtesy", "fa"),
    ]
    report = StatisticsService(library).report(Month(2025, 9), Month(2025, 9), TORONTO)
    assert report.get("2025-09", "Private messages", "inquiries") == 1
    assert report.get("2025-09", "Private messages", "information") == 1
    assert report.get("2025-09", "Private messages", "private_messages") == 3
    assert report.get("2025-09", "Newcomer News", "posts") == 2
    assert report.get("2025-09", "all", "inquiries") == 4
    # The private answer is not a public question answered.
    assert report.get("2025-09", "all", "questions_answered_public") == 2


def test_small_batches_give_the_same_log(library: Database, tmp_path: Path) -> None:
    summary = run_import(library, ACCOUNT, batch_size=3)
    assert summary.counts.batches >= 9
    report = StatisticsService(library).report(Month(2025, 9), Month(2025, 9), TORONTO)
    assert report.get("2025-09", "all", "total") == 4 + 2 + 1 + 4


def test_source_name_for_single_chat_and_filter_for_account(sqlite_db: Database) -> None:
    run_import(sqlite_db, SINGLE, source_name="Arabic newcomers")
    summary = run_import(sqlite_db, ACCOUNT, source_name="Newcomer News")
    assert summary.chats == ["Newcomer News"]
    assert len(summary.skipped_chats) == 2


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_not_json_is_refused_with_position(sqlite_db: Database, tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="not JSON"):
        run_import(sqlite_db, _write(tmp_path / "a.json", "<html>export</html>"))


def test_wrong_shape_says_what_was_expected(sqlite_db: Database, tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="not a Telegram Desktop export"):
        run_import(sqlite_db, _write(tmp_path / "a.json", json.dumps({"hello": [1, 2, 3]})))


def test_bad_messages_and_unknown_actions_are_summarized(sqlite_db: Database, tmp_path: Path) -> None:
    data = json.loads(SINGLE.read_text(encoding="utf-8"))
    data["messages"].append({"id": 21, "type": "message", "text": "no date"})
    data["messages"].append({"type": "message", "date_unixtime": "1757338900", "text": "no id"})
    data["messages"].append(
        {
            "id": 22,
            "type": "service",
            "date_unixtime": "1757338900",
            "actor": "X",
            "actor_id": "user1",
            "action": "teleport_members",
            "text": "",
        }
    )
    data["messages"].append({"id": 23, "type": "hologram", "date_unixtime": "1757338900"})
    path = _write(tmp_path / "odd.json", json.dumps(data, ensure_ascii=False))
    summary = run_import(sqlite_db, path)
    assert summary.counts.messages_stored == 21  # 20 + the unknown action, kept
    assert summary.skipped == {
        'a message without a readable "date"': 1,
        'a message without a numeric "id"': 1,
        "a message of unknown type 'hologram'": 1,
    }
    assert summary.unknown_actions == {"teleport_members": 1}
    text = "\n".join(summary.lines())
    assert "teleport_members" in text and "message id 21" in text


def test_exports_without_unixtime_use_the_service_time_zone(sqlite_db: Database, tmp_path: Path) -> None:
    data = json.loads(SINGLE.read_text(encoding="utf-8"))
    for message in data["messages"]:
        message.pop("date_unixtime")
    summary = run_import(sqlite_db, _write(tmp_path / "local.json", json.dumps(data, ensure_ascii=False)))
    assert summary.local_dates == 20
    with sqlite_db.sessions() as session:
        first = session.scalars(select(Message).where(Message.telegram_id == 4)).one()
    assert first.date.astimezone(ZoneInfo("America/Toronto")).hour == 10


def test_reader_fast_path_matches_exact_parse_on_odd_formatting(tmp_path: Path) -> None:
    """Minified JSON, keys in another order, and "messages" as a text value all read the same."""
    data = json.loads(ACCOUNT.read_text(encoding="utf-8"))
    data["chats"]["list"][0]["messages"][3]["text"] = "messages"
    pretty = _write(tmp_path / "pretty.json", json.dumps(data, ensure_ascii=False, indent=1))
    minified = _write(tmp_path / "min.json", json.dumps(data, ensure_ascii=False, separators=(",", ":")))
    reordered_data = {
        "about": data["about"],
        "chats": {
            "list": [
                {"messages": c["messages"], "id": c["id"], "type": c["type"], "name": c["name"]}
                for c in data["chats"]["list"]
            ]
        },
    }
    reordered = _write(tmp_path / "reordered.json", json.dumps(reordered_data, ensure_ascii=False))
    expected = [(c["id"], m["id"]) for c in data["chats"]["list"] for m in c["messages"]]
    for path, fallback in ((pretty, False), (minified, False), (reordered, True)):
        reader = ExportReader(path)
        assert [(h.id, m["id"]) for h, m in reader] == expected, path.name
        assert reader.used_fallback is fallback, path.name


def test_reader_streams_with_tiny_reads(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Chat boundaries stay right whatever the chunk size (a key split across reads included)."""
    import moderator_app.importers.export_reader as reader_module

    expected = [(h.id, m["id"]) for h, m in ExportReader(ACCOUNT)]
    for chunk in (7, 10, 64, 333):
        monkeypatch.setattr(reader_module, "CHUNK", chunk)
        assert [(h.id, m["id"]) for h, m in ExportReader(ACCOUNT)] == expected
    assert len(expected) == 27


def test_progress_reports_bytes(tmp_path: Path) -> None:
    seen: list[tuple[int, int]] = []
    list(ExportReader(ACCOUNT, lambda done, total: seen.append((done, total))))
    assert seen[-1][0] == seen[-1][1] == ACCOUNT.stat().st_size
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)


def test_terminal_progress_bar_draws_only_on_a_terminal() -> None:
    from moderator_app.cli.common import TerminalProgress

    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    tty, pipe = Tty(), io.StringIO()
    for stream in (tty, pipe):
        bar = TerminalProgress(stream, "Importing")
        bar(50, 100)
        bar(100, 100)
        bar.close()
    assert "100.0%" in tty.getvalue() and "#" in tty.getvalue()
    assert pipe.getvalue() == ""


def _log_rows(db: Database) -> dict[str, list[tuple[object, ...]]]:
    """The rules' results, without ids (which depend on batching)."""
    with db.engine.connect() as connection:
        return {
            "inquiries": sorted(
                connection.execute(
                    select(
                        Inquiry.chat_id,
                        Inquiry.question_telegram_id,
                        Inquiry.state,
                        Inquiry.first_response_at,
                        Inquiry.member_answered_at,
                        Inquiry.language,
                    )
                ).all()
            ),
            "messages": sorted(
                connection.execute(
                    select(Message.chat_id, Message.telegram_id, Message.role, Message.inquiry_id.is_(None))
                ).all()
            ),
            "responses": sorted(connection.execute(select(Response.kind, Response.at)).all()),
        }


def test_forgetting_old_links_and_recalling_them_changes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Long imports keep only recent message links in memory; replies to older ones are looked up in the
    log. With a zero window and tiny batches every reply goes through that path: the log must be the same."""
    from moderator_app.store import ingest
    from moderator_app.store.db import open_database
    from tests.support.exportgen import OrgSimulation, write_account_export

    export = tmp_path / "org.json"
    write_account_export(export, OrgSimulation(months=2))
    normal = open_database(data_dir=tmp_path / "normal")
    run_import(normal, export)
    monkeypatch.setattr(ingest, "MEMORY_WINDOW", __import__("datetime").timedelta(0))
    monkeypatch.setattr(ingest.SourceIngest, "FORGET_EVERY", 7)
    forgetful = open_database(data_dir=tmp_path / "forgetful")
    run_import(forgetful, export, batch_size=50)
    assert _log_rows(forgetful) == _log_rows(normal)
    normal.close()
    forgetful.close()


def test_stored_ids_compact_membership() -> None:
    from moderator_app.store.ingest import StoredIds

    ids = StoredIds()
    ids.load(1, [2, 5, 9])
    assert (1, 5) in ids and (1, 4) not in ids and (1, 10) not in ids and (2, 5) not in ids
    ids.add((1, 12))
    ids.add((1, 7))  # out of order
    ids.add((3, 1))
    assert (1, 12) in ids and (1, 7) in ids and (3, 1) in ids and (3, 2) not in ids
    assert ids.last(1) == 12


def test_media_files_shipped_with_the_export_are_found_by_absolute_path(sqlite_db: Database, tmp_path: Path) -> None:
    """The window opens and plays the files an export includes, wherever the import was started from."""
    data = json.loads(SINGLE.read_text(encoding="utf-8"))
    (tmp_path / "voice_messages").mkdir()
    (tmp_path / "voice_messages" / "audio_1.ogg").write_bytes(b"OggS voice")
    base = {"type": "message", "date_unixtime": "1757338900", "from": "Amira", "from_id": "user1001", "text": ""}
    data["messages"] += [
        {**base, "id": 30, "file": "voice_messages/audio_1.ogg", "media_type": "voice_message"},
        {**base, "id": 31, "file": "voice_messages/missing.ogg", "media_type": "voice_message"},
        {**base, "id": 32, "photo": "(File not included. Change data exporting settings to download.)"},
        {**base, "id": 33, "file": "../outside.ogg", "media_type": "voice_message"},
        {**base, "id": 34, "file": "/etc/passwd", "media_type": "voice_message"},  # absolute: anywhere at all
    ]
    (tmp_path.parent / "outside.ogg").write_bytes(b"not part of the export")
    run_import(sqlite_db, _write(tmp_path / "result.json", json.dumps(data, ensure_ascii=False)))
    with sqlite_db.sessions() as session:
        files = dict(session.execute(select(Message.telegram_id, Message.media).where(Message.telegram_id >= 30)).all())
    assert files[30]["file"] == str((tmp_path / "voice_messages" / "audio_1.ogg").resolve())
    assert files[31]["file"] == "voice_messages/missing.ogg"  # not there: kept as the export wrote it
    assert files[32]["file"].startswith("(File not included")
    # Never a file outside the export's folder: not kept, so the window has nothing to open (issue: hardening, 2).
    assert files[33]["file"] == "(File outside the export's folder, not kept: outside.ogg)"
    assert files[34]["file"] == "(File outside the export's folder, not kept: passwd)"
    assert local_file(files[34]) is None
