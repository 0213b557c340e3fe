"""A small log whose every statistic is worked out by hand (tests/store/test_statistics.py says how): two
groups in October 2025, Toronto's standard (24 h on business days, Mon-Fri 09:00-17:00, Ontario holidays)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from moderator_app.domain.referrals import ReferralMatcher
from moderator_app.importers.telegram_export import ExportImporter
from moderator_app.store.db import Database
from moderator_app.store.ingest import Ingestor
from moderator_app.store.months import month_keyer
from moderator_app.store.repositories import ReferralRepository, StandardRepository
from tests.conftest import TORONTO, toronto_standard
from tests.support.exportgen import STAFF_ID, STAFF_NAME, _ChatWriter, write_single_chat


def t(text: str) -> datetime:
    """A Toronto wall-clock time."""
    return datetime.fromisoformat(text).replace(tzinfo=TORONTO)


def import_chat(db: Database, path: Path) -> None:
    ingestor = Ingestor(
        db,
        staff=frozenset({STAFF_ID}),
        matcher=ReferralMatcher(ReferralRepository(db).all()),
        clocks=StandardRepository(db).clocks(),
        month_of=month_keyer(db),
    )
    ExportImporter(ingestor, TORONTO).run(path)


def october_log(db: Database, tmp_path: Path) -> Database:
    """Two groups in October 2025 (Toronto; 24 h on business days, Mon-Fri 09:00-17:00)."""
    toronto_standard(db)
    a = _ChatWriter(TORONTO)
    # Mon Oct 6 10:00: answered after 30 min (met).
    q1 = a.text(t("2025-10-06T10:00"), 1, "Ana", "How do I renew my permit?")
    a.text(t("2025-10-06T10:30"), STAFF_ID, STAFF_NAME, "Here is how.", reply_to=q1)
    # Fri Oct 10 16:00: answered Tue Oct 14 10:00. Thanksgiving (Mon Oct 13) is a holiday in Ontario:
    # due = Fri 16:00 + 24 business-day hours = Tue 16:00 (Fri 8 h, Tue 16 h): met, 18 h counted.
    q2 = a.text(t("2025-10-10T16:00"), 2, "Ben", "Where is the clinic?")
    a.text(t("2025-10-14T10:00"), STAFF_ID, STAFF_NAME, "On Main street.", reply_to=q2)
    # Wed Oct 29 11:00: never answered; due Thu Oct 30 11:00: open and overdue at month end.
    a.text(t("2025-10-29T11:00"), 1, "Ana", "When does school start?")
    # Chatter, a post; Ana is active in both groups.
    a.text(t("2025-10-07T09:00"), 3, "Cy", "Good morning")
    a.text(t("2025-10-08T09:00"), STAFF_ID, STAFF_NAME, "Workshop on Saturday")
    # Thu Oct 30 23:30 Toronto is Oct 31 03:30 UTC: still October here.
    b = _ChatWriter(TORONTO)
    q4 = b.text(t("2025-10-30T23:30"), 1, "Ana", "Comment obtenir une carte santé ?")
    # Answered in November, 2 days later (Mon Nov 3 09:30): late (due Mon Nov 3 09:00).
    b.text(t("2025-11-03T09:30"), STAFF_ID, STAFF_NAME, "Voici.", reply_to=q4)
    write_single_chat(tmp_path / "a.json", "Group A", "private_supergroup", 100, a.messages)
    write_single_chat(tmp_path / "b.json", "Group B", "private_supergroup", 200, b.messages)
    import_chat(db, tmp_path / "a.json")
    import_chat(db, tmp_path / "b.json")
    return db
