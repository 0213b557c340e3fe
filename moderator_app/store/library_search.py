"""The library's search index in the log: SQLite FTS5 (a word table and a trigram table), or PostgreSQL
with a pg_trgm index.

The index narrows the library to the documents that contain every query term (or one of its forms) as
text; ``LibraryIndex`` then ranks those exactly as the picker ranks the whole library, from the tokens each
row stores (no text is folded again), so both give the same results (``document_key`` explains why the
narrowing never loses a match). A term of three letters or more is looked up by trigrams (it may be the
middle of a word); a shorter one in the word table, as a word or a word's start (the only ways it matches).

The rows follow the library: ``LibraryRepository`` and ``ReferralRepository`` call :meth:`write` and
:meth:`remove` in their own transactions. An index built by an older ``SEARCH_INDEX_VERSION`` (or never
built, as after migration 0011) is rebuilt before the next search.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from itertools import chain
from typing import Any, Final

from sqlalchemy import ColumnElement, Integer, and_, column, delete, false, insert, literal, or_, select, text
from sqlalchemy.orm import Session

from moderator_app.domain.library_search import (
    SEARCH_INDEX_VERSION,
    Hit,
    LibraryDocument,
    LibraryIndex,
    document_key,
    document_tokens,
    query_terms,
    term_forms,
)
from moderator_app.domain.settings import SEARCH_INDEX_VERSION as SEARCH_INDEX_VERSION_SETTING
from moderator_app.store.db import Database
from moderator_app.store.models import LibrarySearchRow, Setting

VERSION_SETTING: Final = SEARCH_INDEX_VERSION_SETTING.key  # written inside the index transaction
ANSWER: Final = "answer"
PARTNER: Final = "partner"
_MAX_TERMS: Final = 64

#: What the migration adds beside the table (FTS5 tables and their shadow tables, the pg_trgm index): not
#: in the models, so schema comparisons leave them out.
INDEX_OBJECTS: Final = ("library_search_words", "library_search_trigrams", "ix_library_search_key")


def is_index_object(name: str | None) -> bool:
    return name is not None and name.startswith(INDEX_OBJECTS)


def _row(kind: str, document: LibraryDocument) -> dict[str, Any]:
    words, stems = document_tokens(document)
    return {
        "kind": kind,
        "doc_id": document.doc_id,
        "language": document.language,
        "shortcut": document.shortcut,
        "key": document_key(document),
        "words": " ".join(dict.fromkeys(chain(words, stems))),
        "tokens": [words, stems],
    }


class LibrarySearchStore:
    """``documents`` gives everything the index should hold, as (kind, document), when it is rebuilt: the
    library and the partners are read by their repositories (store/library.py, ``search_index``), so this
    module needs neither."""

    def __init__(self, db: Database, documents: Callable[[], Iterable[tuple[str, LibraryDocument]]]) -> None:
        self.db = db
        self._documents = documents
        self._sqlite = db.engine.dialect.name == "sqlite"

    # ---- keeping it current

    @staticmethod
    def write(session: Session, kind: str, doc_id: int, documents: list[LibraryDocument]) -> None:
        """Replace what the index holds for (kind, doc_id) by ``documents`` (in the caller's transaction)."""
        LibrarySearchStore.remove(session, kind, doc_id)
        if documents:
            session.execute(insert(LibrarySearchRow), [_row(kind, d) for d in documents])

    @staticmethod
    def remove(session: Session, kind: str, doc_id: int) -> None:
        # No session sync: the index's rows are never loaded as objects, and looking for them among every object
        # the session holds made importing 20,000 partners quadratic (48 s).
        session.execute(
            delete(LibrarySearchRow)
            .where(LibrarySearchRow.kind == kind, LibrarySearchRow.doc_id == doc_id)
            .execution_options(synchronize_session=False)
        )

    def rebuild(self) -> int:
        """Index the whole library again, in one transaction; returns the number of documents."""
        rows = [_row(kind, document) for kind, document in self._documents()]
        with self.db.sessions.begin() as session:
            session.execute(delete(LibrarySearchRow))
            if rows:
                session.execute(insert(LibrarySearchRow), rows)
            setting = session.get(Setting, VERSION_SETTING)
            if setting is None:
                session.add(Setting(key=VERSION_SETTING, value=SEARCH_INDEX_VERSION))
            else:
                setting.value = SEARCH_INDEX_VERSION
        return len(rows)

    def ensure_current(self) -> bool:
        """Rebuild the index when it was built by another version of the rules (or never); True if it did."""
        with self.db.sessions() as session:
            setting = session.get(Setting, VERSION_SETTING)
            current = setting is not None and setting.value == SEARCH_INDEX_VERSION
        if current:
            return False
        self.rebuild()
        return True

    # ---- searching

    def search(self, query: str, language: str | None = None, limit: int = 20, kind: str = ANSWER) -> list[Hit]:
        """The best ``limit`` documents of ``kind`` for ``query``, ranked as ``LibraryIndex.search`` ranks."""
        terms = query_terms(query)[:_MAX_TERMS]
        if limit <= 0 or not terms:
            return []
        self.ensure_current()
        table = LibrarySearchRow
        conditions = [or_(*(self._contains(form) for form in term_forms(term))) for term in terms]
        statement = select(table.doc_id, table.language, table.shortcut, table.tokens).where(
            table.kind == kind, and_(*conditions)
        )
        # Ranking needs each candidate's tokens (stored) and shortcut, not its text.
        index = LibraryIndex()
        with self.db.sessions() as session:
            for doc_id, doc_language, shortcut, (words, stems) in session.execute(statement):
                index.add(LibraryDocument(doc_id, doc_language, shortcut=shortcut), (words, stems))
        return index.search(query, language, limit)

    def _contains(self, form: str) -> ColumnElement[bool]:
        """Documents whose key holds ``form`` (three letters or more), or with a word or stem starting with it."""
        if not form or "%" in form or "_" in form or '"' in form:  # query_terms never makes these
            return false()
        table = LibrarySearchRow
        if self._sqlite:
            if len(form) >= 3:
                found = text("SELECT rowid FROM library_search_trigrams WHERE key LIKE :pattern").bindparams(
                    pattern=f"%{form}%"
                )
            else:
                found = text(
                    "SELECT rowid FROM library_search_words WHERE library_search_words MATCH :match"
                ).bindparams(match=f'"{form}"*')
            return table.id.in_(found.columns(column("rowid", Integer)))
        if len(form) >= 3:
            return table.key.like(f"%{form}%")
        return (literal(" ") + table.words).like(f"% {form}%")
