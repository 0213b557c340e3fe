"""A resumed import and live ingestion count the same members as one clean import (issue: hardening, item 8:
after a stop and a resume, members_end was 4,273 instead of 7,159; the connector never marked members seen
posting live)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from moderator_app.domain.events import MessageRecord, Peer, SourceKind, SourceRef
from moderator_app.importers.telegram_export import ImportStopped
from moderator_app.store.db import Database, open_database
from moderator_app.store.live import LiveLog
from moderator_app.store.models import Member, MembershipEvent
from tests.support.exportgen import bulk_group_export
from tests.support.exports import importer

STAFF = frozenset({9000})


def _present(db: Database) -> set[tuple[int, datetime]]:
    with db.sessions() as session:
        rows = session.execute(
            select(Member.telegram_id, MembershipEvent.at)
            .join(Member, Member.id == MembershipEvent.member_id)
            .where(MembershipEvent.kind == "present")
        )
        return {(telegram_id, at) for telegram_id, at in rows}


def test_a_resumed_import_marks_the_members_the_first_run_stored(tmp_path: Path) -> None:
    export = tmp_path / "result.json"
    bulk_group_export(export, 6_000)
    clean = open_database(data_dir=tmp_path / "clean")
    importer(clean, STAFF, batch_size=500).run(export)
    expected = _present(clean)
    assert len(expected) > 500
    clean.close()

    resumed = open_database(data_dir=tmp_path / "resumed")
    first = importer(resumed, STAFF, batch_size=500)
    first.ingestor.on_batch = lambda counts: setattr(first, "stop_requested", counts.batches >= 4)
    with pytest.raises(ImportStopped):
        first.run(export)
    assert 0 < first.ingestor.counts.messages_committed < 6_000
    importer(resumed, STAFF, batch_size=500).run(export)  # the same command again
    assert _present(resumed) == expected
    resumed.close()


def test_a_member_seen_posting_live_is_marked_present(db: Database) -> None:
    live = LiveLog(db)
    group = live.source(SourceRef(SourceKind.GROUP, 1500, "Newcomers Ottawa", "public_supergroup"))
    at = datetime(2026, 11, 16, 15, 0, tzinfo=UTC)
    live.record(group, MessageRecord(1500, 1, at, Peer("user", 7, "Amal"), "Where is the food bank?"))
    live.commit()
    live.record(group, MessageRecord(1500, 2, at + timedelta(minutes=1), Peer("user", 7, "Amal"), "Anyone?"))
    live.commit()
    assert _present(db) == {(7, at)}
