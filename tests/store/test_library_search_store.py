"""The library's search index in the log (SQLite FTS5 + trigrams, PostgreSQL + pg_trgm): it finds and ranks
what the picker's in-memory index finds, in Arabic, Farsi, French, Chinese and English, and follows the
library as it is edited."""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlalchemy import text

from moderator_app.domain.library_search import SEARCH_INDEX_VERSION, LibraryIndex
from moderator_app.domain.referrals import ReferralOrganization
from moderator_app.domain.settings import SEARCH_INDEX_VERSION as SEARCH_INDEX_VERSION_SETTING
from moderator_app.importers.library_files import STARTER_LIBRARY, read_library
from moderator_app.store.db import Database
from moderator_app.store.library import LibraryRepository, search_index
from moderator_app.store.library_search import ANSWER, PARTNER, LibrarySearchStore
from moderator_app.store.repositories import ReferralRepository, SettingsRepository
from tests.support.library_documents import LIBRARY, generated_library

QUERIES = [
    ("ar", "بالمدرسة"),  # a clitic the texts do not have: finds المدرسة
    ("ar", "المدرسه"),
    ("ar", "مدرس"),  # the start of a word
    ("ar", "ب"),
    ("ar", "طبيب العائلة"),
    ("fa", "می خواهم"),  # ZWNJ typed as a space
    ("fa", "میخواهم"),
    ("fa", "کارت"),
    ("fa", "بیمه درمانی"),
    ("fr", "ecole"),  # without its accent
    ("fr", "inscri"),  # the word being typed
    ("fr", "carte santé"),
    ("fr", "l'"),
    ("zh", "英语"),
    ("zh", "英语课程"),
    ("zh", "健康卡申请"),
    ("zh", "课"),
    ("en", "health card"),
    ("en", "health-card"),  # a shortcut
    ("en", "clin"),
    ("en", "a"),
    ("en", "answer-42"),
    ("en", "ealt"),  # the middle of a word
    ("en", "zzzz"),
    ("en", "?!"),
]


def _documents() -> list:
    # The small hand-written library (ids 1-8) and a generated one after it.
    generated = [replace(d, doc_id=d.doc_id + 100) for d in generated_library(120, words=25)]
    return [*LIBRARY, *generated]


def _fill(db: Database, documents: list) -> LibrarySearchStore:
    store = search_index(db)
    by_id: dict[int, list] = {}
    for document in documents:
        by_id.setdefault(document.doc_id, []).append(document)
    with db.sessions.begin() as session:
        for doc_id, docs in by_id.items():
            LibrarySearchStore.write(session, ANSWER, doc_id, docs)
    SettingsRepository(db).write(SEARCH_INDEX_VERSION_SETTING, SEARCH_INDEX_VERSION)
    return store


@pytest.mark.parametrize(("language", "query"), QUERIES)
def test_the_database_finds_and_ranks_what_the_picker_finds(db: Database, language: str, query: str) -> None:
    documents = _documents()
    store = _fill(db, documents)
    assert store.search(query, language, 20) == LibraryIndex(documents).search(query, language, 20)


def test_a_prefix_finds_the_word_the_library_has(db: Database) -> None:
    """Issue 5's example: بالمدرسة finds المدرسة (the starter library's school registration answer)."""
    LibraryRepository(db).upsert_all(read_library(STARTER_LIBRARY))
    hits = search_index(db).search("بالمدرسة", "ar", 5)
    school = LibraryRepository(db).get("school-registration")
    assert school is not None and hits and hits[0].doc_id == school.id and hits[0].language == "ar"


def test_the_index_follows_the_library_as_it_is_edited(db: Database) -> None:
    library = LibraryRepository(db)
    store = search_index(db)
    library.upsert_all(read_library(STARTER_LIBRARY))
    answer = library.get("school-registration")
    assert answer is not None and answer.id is not None
    assert store.search("kindergarten", "en", 5) == []
    edited = replace(answer, bodies={**answer.bodies, "en": "Kindergarten starts at four: register in spring."})
    library.save(edited)
    assert [h.doc_id for h in store.search("kindergart", "en", 5)] == [answer.id]
    assert store.search("kindergarten", "fr", 5)[0].language == "en"
    library.delete(answer.id)
    assert store.search("kindergarten", "en", 5) == []
    assert all(hit.doc_id != answer.id for hit in store.search("المدرسة", "ar", 50))


def test_partners_are_found_by_name_alias_service_and_phone(db: Database) -> None:
    partners = ReferralRepository(db)
    store = search_index(db)
    saved = partners.save(
        ReferralOrganization(
            name="Centre d'accueil francophone",
            aliases=("CAF", "مركز الاستقبال"),
            phone="416-555-0199",
            website="caf.example.org",
            topics=("housing",),
            languages=("fr", "ar"),
        )
    )
    for query in ("accueil", "caf", "الاستقبال", "housing", "0199", "416"):
        assert [h.doc_id for h in store.search(query, None, 5, kind=PARTNER)] == [saved.id], query
    assert store.search("accueil", None, 5, kind=ANSWER) == []
    partners.upsert_all([replace(saved, aliases=("Welcome centre",), id=None)])
    assert [h.doc_id for h in store.search("welcome", None, 5, kind=PARTNER)] == [saved.id]
    assert store.search("الاستقبال", None, 5, kind=PARTNER) == []
    assert saved.id is not None
    partners.delete(saved.id)
    assert store.search("welcome", None, 5, kind=PARTNER) == []


def test_an_index_never_built_or_built_by_older_rules_is_rebuilt_before_searching(db: Database) -> None:
    LibraryRepository(db).upsert_all(read_library(STARTER_LIBRARY))
    with db.engine.begin() as connection:
        connection.execute(text("DELETE FROM library_search"))  # as after migration 0011 on an old log
    store = search_index(db)
    assert store.search("health card", "en", 3)
    assert SettingsRepository(db).read(SEARCH_INDEX_VERSION_SETTING) == SEARCH_INDEX_VERSION
    assert store.ensure_current() is False
    SettingsRepository(db).write(SEARCH_INDEX_VERSION_SETTING, SEARCH_INDEX_VERSION - 1)
    assert store.ensure_current() is True


def test_sqlite_searches_through_its_fts5_tables(sqlite_db: Database) -> None:
    store = _fill(sqlite_db, _documents())
    with sqlite_db.engine.connect() as connection:
        for table in ("library_search_words", "library_search_trigrams"):
            count = connection.scalar(text(f"SELECT count(*) FROM {table}"))
            assert count == connection.scalar(text("SELECT count(*) FROM library_search"))
        plan = " ".join(
            str(row[-1])
            for row in connection.execute(
                text("EXPLAIN QUERY PLAN SELECT rowid FROM library_search_trigrams WHERE key LIKE '%ecole%'")
            )
        )
    assert "VIRTUAL TABLE INDEX" in plan
    assert store.search("ecole", "fr", 3)


def test_postgresql_uses_pg_trgm_and_does_without_it_when_not_allowed(pg_url: str) -> None:
    """The migration creates the pg_trgm index when the role may create the extension; a role that may not
    still gets a working search (the same LIKE, reading the table)."""
    import uuid

    import psycopg
    from sqlalchemy.engine import make_url

    from moderator_app.store.db import open_database

    db = open_database(database_url=pg_url)
    with db.engine.connect() as connection:
        indexes = connection.scalars(text("SELECT indexname FROM pg_indexes WHERE tablename = 'library_search'"))
        assert "ix_library_search_key" in set(indexes)
    db.close()
    url = make_url(pg_url)
    role = f"mw_noext_{uuid.uuid4().hex[:8]}"
    admin = url.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute("DROP SCHEMA public CASCADE")  # start over: an empty database, as the role sees it
        connection.execute("CREATE SCHEMA public")
        connection.execute(f'CREATE ROLE "{role}" LOGIN')
        connection.execute(f'GRANT CREATE, USAGE ON SCHEMA public TO "{role}"')
    try:
        limited = open_database(database_url=url.set(username=role, password=None).render_as_string(False))
        LibraryRepository(limited).upsert_all(read_library(STARTER_LIBRARY))
        school = LibraryRepository(limited).get("school-registration")
        hits = search_index(limited).search("بالمدرسة", "ar", 1)
        assert school is not None and [h.doc_id for h in hits] == [school.id]
        with limited.engine.connect() as connection:
            assert connection.scalar(text("SELECT count(*) FROM pg_extension WHERE extname = 'pg_trgm'")) == 0
        limited.close()
    finally:
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute("DROP SCHEMA public CASCADE")
            connection.execute("CREATE SCHEMA public")
            connection.execute(f'DROP ROLE IF EXISTS "{role}"')
