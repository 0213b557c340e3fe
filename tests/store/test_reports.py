"""Member reports in the log: listed with the reported message and its author, decided once, counted while
open; the question a report replies to stays open."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from moderator_app.domain.events import MessageRecord, Peer, SourceKind, SourceRef
from moderator_app.domain.reports import ReportState
from moderator_app.store.db import Database
from moderator_app.store.live import LiveLog
from moderator_app.store.models import Inquiry
from moderator_app.store.profiles import ProfileRepository
from moderator_app.store.rederive import Rederiver
from moderator_app.store.reports import ReportRepository
from tests.conftest import toronto_standard

NOW = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=2)
GROUP = SourceRef(SourceKind.GROUP, 1500, "Newcomers Ottawa", "public_supergroup")
AMAL, REZA, LI = Peer("user", 7, "Amal Haddad"), Peer("user", 8, "رضا کریمی"), Peer("user", 10, "李伟")


def test_reports_listed_decided_and_counted(db: Database) -> None:
    toronto_standard(db)
    live = LiveLog(db)
    group = live.source(GROUP)
    live.record(group, MessageRecord(1500, 10, NOW, AMAL, "Where can I get a health card?"))
    live.record(group, MessageRecord(1500, 11, NOW + timedelta(minutes=1), REZA, "ویزای ارزان! <a href=x>اینجا</a>"))
    live.record(group, MessageRecord(1500, 12, NOW + timedelta(minutes=2), AMAL, "@admin scam", reply_to=11))
    live.record(group, MessageRecord(1500, 13, NOW + timedelta(minutes=3), LI, "/report", reply_to=10))
    live.commit()
    reports = ReportRepository(db)
    listed = reports.reports()
    assert [(r.reporter, r.reason, r.reported_id) for r in listed] == [("李伟", "", 10), ("Amal Haddad", "scam", 11)]
    spam = listed[1]
    assert spam.reported_text == "ویزای ارزان! <a href=x>اینجا</a>" and spam.reported_member == "رضا کریمی"
    assert spam.language == "fa" and spam.reported_member_id is not None
    assert reports.open_count() == 2
    with db.sessions() as session:  # Li's report did not make Amal's question "member answered"
        assert session.scalars(select(Inquiry.state)).one() == "open"

    nadia = ProfileRepository(db).add("Nadia", "moderator", ())
    reports.decide(listed[0].id, ReportState.DISMISSED, profile_id=nadia.id)
    reports.decide(spam.id, ReportState.ACTED, "delete", nadia.id)
    assert reports.open_count() == 0 and reports.reports() == []
    decided = {r.id: r for r in reports.reports(open_only=False)}
    assert decided[spam.id].state is ReportState.ACTED and decided[spam.id].action == "delete"
    assert decided[spam.id].decided_by == "Nadia"
    with pytest.raises(ValueError):
        reports.decide(spam.id, ReportState.OPEN)
    # Re-deriving the log keeps the reports (they are the messages' role) and the decisions.
    Rederiver(db).run()
    assert len(reports.reports(open_only=False)) == 2 and reports.open_count() == 0
