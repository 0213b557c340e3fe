"""The canned-answer library in the log (shared by the team on PostgreSQL)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import replace
from datetime import date

from sqlalchemy import ColumnElement, delete, select, update
from sqlalchemy.orm import Session

from moderator_app.domain.library import CannedAnswer, problems
from moderator_app.domain.library_search import LibraryDocument, answer_documents, organization_document
from moderator_app.store.db import Database
from moderator_app.store.library_search import ANSWER, PARTNER, LibrarySearchStore
from moderator_app.store.models import CannedAnswerBody, CannedAnswerRow
from moderator_app.store.repositories import ReferralRepository, now_utc


class LibraryError(ValueError):
    """Answers that cannot be saved; the message lists what is wrong, and nothing was saved."""


class LibraryRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    def all(self) -> list[CannedAnswer]:
        return self._load()

    def _load(self, *where: ColumnElement[bool]) -> list[CannedAnswer]:
        """The answers (those matching ``where``), by title, with their texts in the order they were written."""
        with self.db.sessions() as session:
            query = select(CannedAnswerRow).where(*where).order_by(CannedAnswerRow.title, CannedAnswerRow.id)
            rows = list(session.scalars(query))
            texts = select(CannedAnswerBody.answer_id, CannedAnswerBody.language, CannedAnswerBody.body)
            if where:
                texts = texts.where(CannedAnswerBody.answer_id.in_([row.id for row in rows]))
            bodies: dict[int, dict[str, str]] = {}
            for answer_id, language, body in session.execute(texts.order_by(CannedAnswerBody.id)):
                bodies.setdefault(answer_id, {})[language] = body
        return [
            CannedAnswer(
                title=row.title,
                shortcut=row.shortcut,
                bodies=bodies.get(row.id, {}),
                topics=tuple(row.topics or ()),
                sources=tuple(row.sources or ()),
                needs_review=row.needs_review,
                last_reviewed=row.last_reviewed,
                usage_count=row.usage_count,
                id=row.id,
            )
            for row in rows
        ]

    def get(self, shortcut: str) -> CannedAnswer | None:
        return next(iter(self._load(CannedAnswerRow.shortcut == shortcut)), None)

    def upsert_all(self, answers: Iterable[CannedAnswer]) -> tuple[int, int]:
        """Add new answers and replace those with the same shortcut (their texts too; their usage count is
        kept), all in one transaction: a library with a problem saves nothing. Returns (added, updated)."""
        answers = list(answers)
        wrong = [f"{a.shortcut or a.title!r}: {p}" for a in answers for p in problems(a)]
        shortcuts = [a.shortcut for a in answers]
        repeated = sorted({s for s in shortcuts if shortcuts.count(s) > 1})
        wrong += [f"the shortcut {s!r} is used by more than one answer" for s in repeated]
        if wrong:
            raise LibraryError("Nothing was saved: " + "; ".join(wrong[:20]) + (" …" if len(wrong) > 20 else ""))
        added = updated = 0
        now = now_utc()
        with self.db.sessions.begin() as session:
            existing = {r.shortcut: r for r in session.scalars(select(CannedAnswerRow))}
            for answer in answers:
                row = existing.get(answer.shortcut)
                if row is None:
                    row = CannedAnswerRow(shortcut=answer.shortcut, usage_count=answer.usage_count)
                    session.add(row)
                    added += 1
                else:
                    updated += 1
                row.title = answer.title.strip()
                row.topics = list(answer.topics)
                if answer.sources:  # (a CSV file cannot say a group: an answer imported from one keeps its own)
                    row.sources = list(answer.sources)
                row.needs_review = answer.needs_review
                row.last_reviewed = answer.last_reviewed
                row.updated_at = now
                session.flush()
                session.execute(delete(CannedAnswerBody).where(CannedAnswerBody.answer_id == row.id))
                session.add_all(
                    CannedAnswerBody(answer_id=row.id, language=tag, body=body) for tag, body in answer.bodies.items()
                )
                _index(session, row, answer)
        return added, updated

    def save(self, answer: CannedAnswer) -> CannedAnswer:
        """Save one answer from the editor: a new one (no id) or changes to one (its shortcut may change)."""
        found = problems(answer)
        if found:
            raise LibraryError(" ".join(found))
        with self.db.sessions.begin() as session:
            clash = session.scalars(
                select(CannedAnswerRow).where(CannedAnswerRow.shortcut == answer.shortcut)
            ).one_or_none()
            if clash is not None and clash.id != answer.id:
                raise LibraryError(f"Another answer already has the shortcut {answer.shortcut!r}: choose another.")
            row = session.get(CannedAnswerRow, answer.id) if answer.id is not None else None
            if row is None:
                row = CannedAnswerRow(usage_count=0)
                session.add(row)
            row.shortcut = answer.shortcut
            row.title = answer.title.strip()
            row.topics = list(answer.topics)
            row.sources = list(answer.sources) or None
            row.needs_review = answer.needs_review
            row.last_reviewed = answer.last_reviewed
            row.updated_at = now_utc()
            session.flush()
            session.execute(delete(CannedAnswerBody).where(CannedAnswerBody.answer_id == row.id))
            session.add_all(
                CannedAnswerBody(answer_id=row.id, language=tag, body=body) for tag, body in answer.bodies.items()
            )
            _index(session, row, answer)
            saved_id = row.id
        return self._load(CannedAnswerRow.id == saved_id)[0]

    def delete(self, answer_id: int) -> None:
        with self.db.sessions.begin() as session:
            session.execute(delete(CannedAnswerBody).where(CannedAnswerBody.answer_id == answer_id))
            session.execute(delete(CannedAnswerRow).where(CannedAnswerRow.id == answer_id))
            LibrarySearchStore.remove(session, ANSWER, answer_id)

    def record_use(self, answer_id: int) -> None:
        """Inserted into a reply: the usage count the editor shows (most used first)."""
        with self.db.sessions.begin() as session:
            session.execute(
                update(CannedAnswerRow)
                .where(CannedAnswerRow.id == answer_id)
                .values(usage_count=CannedAnswerRow.usage_count + 1)
            )

    def mark_reviewed(self, answer_id: int, on: date) -> None:
        with self.db.sessions.begin() as session:
            session.execute(
                update(CannedAnswerRow)
                .where(CannedAnswerRow.id == answer_id)
                .values(needs_review=False, last_reviewed=on)
            )


def _index(session: Session, row: CannedAnswerRow, answer: CannedAnswer) -> None:
    """The search index follows the answer as saved (same transaction)."""
    saved = replace(answer, id=row.id, title=row.title, topics=tuple(row.topics))
    LibrarySearchStore.write(session, ANSWER, row.id, answer_documents(saved))


def indexed_documents(db: Database) -> Iterator[tuple[str, LibraryDocument]]:
    """What the library's search index holds: every answer's texts and every partner organization."""
    for answer in LibraryRepository(db).all():
        for document in answer_documents(answer):
            yield ANSWER, document
    for organization in ReferralRepository(db).all():
        partner = organization_document(organization)
        if partner is not None:
            yield PARTNER, partner


def search_index(db: Database) -> LibrarySearchStore:
    """The library's search index, rebuilt from the library and the partners when it is out of date."""
    return LibrarySearchStore(db, lambda: indexed_documents(db))
