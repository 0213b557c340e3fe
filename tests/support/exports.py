"""Importing a Telegram Desktop export in tests, as the import command does, and counting what it stored."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from moderator_app.domain.referrals import ReferralMatcher
from moderator_app.importers.telegram_export import ExportImporter, ImportSummary
from moderator_app.store.db import Database
from moderator_app.store.ingest import Ingestor
from moderator_app.store.months import month_keyer
from moderator_app.store.repositories import ReferralRepository, StandardRepository
from tests.conftest import TORONTO

STAFF = frozenset({9000})


def importer(db: Database, staff: frozenset[int] = STAFF, batch_size: int = 5000) -> ExportImporter:
    ingestor = Ingestor(
        db,
        staff=staff,
        matcher=ReferralMatcher(ReferralRepository(db).all()),
        clocks=StandardRepository(db).clocks(),
        month_of=month_keyer(db),
        batch_size=batch_size,
    )
    return ExportImporter(ingestor, TORONTO)


def run_import(db: Database, path: Path, staff: frozenset[int] = STAFF, batch_size: int = 5000) -> ImportSummary:
    return importer(db, staff, batch_size).run(path)


def count(db: Database, model: type[Any]) -> int:
    with db.sessions() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def write(path: Path, data: Any) -> Path:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    return path
