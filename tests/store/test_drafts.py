"""Drafts in the log: one per inquiry, gone when a reply to the inquiry is queued (SQLite and PostgreSQL)."""

from __future__ import annotations

from sqlalchemy import select

from moderator_app.store.db import Database
from moderator_app.store.drafts import DraftRepository
from moderator_app.store.models import Inquiry
from moderator_app.store.outbox import OutboxRepository
from moderator_app.store.profiles import ProfileRepository
from moderator_app.store.repositories import SourceRepository
from tests.conftest import FIXTURES
from tests.support.exports import run_import


def test_a_draft_is_kept_per_inquiry_replaced_and_removed_when_the_reply_is_queued(db: Database) -> None:
    run_import(db, FIXTURES / "telegram-export-full-account.json")
    group = SourceRepository(db).find("Welcome Group (Arabic)")
    with db.sessions() as session:
        first, second = session.scalars(
            select(Inquiry.id).where(Inquiry.source_id == group.id).order_by(Inquiry.id).limit(2)
        ).all()
    amal = ProfileRepository(db).add("Amal")
    drafts = DraftRepository(db)
    drafts.save(first, "مرحبا، العيادة مفتوحة", (3,), amal.id)
    drafts.save(second, "Bonjour, la clinique")
    drafts.save(first, "مرحبا، العيادة مفتوحة حتى الثامنة", (3, 4), amal.id)  # the last save wins
    kept = drafts.get(first)
    assert kept is not None and kept.text == "مرحبا، العيادة مفتوحة حتى الثامنة"
    assert kept.partner_ids == (3, 4) and kept.profile_id == amal.id and kept.updated_at.tzinfo is not None
    assert kept.author == "Amal"  # whose words, at a handover

    OutboxRepository(db).queue_reply(group, "مرحبا، العيادة مفتوحة حتى الثامنة", reply_to=20, inquiry_id=first)
    assert drafts.get(first) is None  # sent: no draft left to send twice
    other = drafts.get(second)
    assert other is not None and other.text == "Bonjour, la clinique"  # another inquiry's draft is untouched

    drafts.save(second, "   ")  # emptied by the moderator
    assert drafts.get(second) is None
    drafts.save(10_000_000, "for an inquiry that is not in the log")
    assert drafts.get(10_000_000) is None
