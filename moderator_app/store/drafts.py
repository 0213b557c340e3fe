"""Drafts in the log (domain.drafts): one per inquiry, the last save wins."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import delete

from moderator_app.domain.drafts import Draft
from moderator_app.store.db import Database
from moderator_app.store.models import DraftRow, Inquiry, ModeratorProfile
from moderator_app.store.repositories import now_utc


class DraftRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    def get(self, inquiry_id: int) -> Draft | None:
        with self.db.sessions() as session:
            row = session.get(DraftRow, inquiry_id)
            if row is None:
                return None
            author = session.get(ModeratorProfile, row.profile_id) if row.profile_id is not None else None
            return Draft(
                row.inquiry_id,
                row.text,
                tuple(row.partner_ids or ()),
                row.profile_id,
                row.updated_at,
                author.name if author is not None else "",
            )

    def save(self, inquiry_id: int, text: str, partner_ids: Sequence[int] = (), profile_id: int | None = None) -> None:
        """Keep ``text`` as the inquiry's draft; an empty (or blank) text removes it. An inquiry gone from the
        log (re-derived away) keeps no draft."""
        with self.db.sessions.begin() as session:
            row = session.get(DraftRow, inquiry_id)
            if not text.strip():
                if row is not None:
                    session.delete(row)
                return
            if row is None:
                if session.get(Inquiry, inquiry_id) is None:
                    return
                row = DraftRow(inquiry_id=inquiry_id)
                session.add(row)
            row.text = text
            row.partner_ids = list(partner_ids) or None
            row.profile_id = profile_id
            row.updated_at = now_utc()

    def discard(self, inquiry_id: int) -> None:
        with self.db.sessions.begin() as session:
            session.execute(delete(DraftRow).where(DraftRow.inquiry_id == inquiry_id))
