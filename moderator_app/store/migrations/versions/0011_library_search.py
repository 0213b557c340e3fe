"""The library's search index: a table of searchable documents, with SQLite FTS5 tables (words, and
trigrams for partial words) or, on PostgreSQL, a pg_trgm index when the server allows the extension.

The rows are written by ``store.library_search`` (the folding is Python), which also fills the table the
first time it is searched after this migration.

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-22
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# External-content FTS5 tables follow the table through these triggers (the pattern of the FTS5 manual).
_SQLITE = [
    "CREATE VIRTUAL TABLE library_search_words USING fts5("
    "words, content='library_search', content_rowid='id', tokenize='unicode61 remove_diacritics 0')",
    "CREATE VIRTUAL TABLE library_search_trigrams USING fts5("
    "key, content='library_search', content_rowid='id', tokenize='trigram')",
    """CREATE TRIGGER library_search_ai AFTER INSERT ON library_search BEGIN
        INSERT INTO library_search_words(rowid, words) VALUES (new.id, new.words);
        INSERT INTO library_search_trigrams(rowid, key) VALUES (new.id, new.key);
    END""",
    """CREATE TRIGGER library_search_ad AFTER DELETE ON library_search BEGIN
        INSERT INTO library_search_words(library_search_words, rowid, words) VALUES ('delete', old.id, old.words);
        INSERT INTO library_search_trigrams(library_search_trigrams, rowid, key) VALUES ('delete', old.id, old.key);
    END""",
    """CREATE TRIGGER library_search_au AFTER UPDATE ON library_search BEGIN
        INSERT INTO library_search_words(library_search_words, rowid, words) VALUES ('delete', old.id, old.words);
        INSERT INTO library_search_trigrams(library_search_trigrams, rowid, key) VALUES ('delete', old.id, old.key);
        INSERT INTO library_search_words(rowid, words) VALUES (new.id, new.words);
        INSERT INTO library_search_trigrams(rowid, key) VALUES (new.id, new.key);
    END""",
]


def upgrade() -> None:
    op.create_table(
        "library_search",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("doc_id", sa.Integer(), nullable=False),
        sa.Column("language", sa.String(length=35), nullable=False),
        sa.Column("shortcut", sa.String(length=64), nullable=False),
        sa.Column("key", sa.Text(), nullable=False),
        sa.Column("words", sa.Text(), nullable=False),
        sa.Column("tokens", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("kind", "doc_id", "language", name="uq_library_search_document"),
    )
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        for statement in _SQLITE:
            op.execute(statement)
    elif bind.dialect.name == "postgresql":
        # pg_trgm ships with PostgreSQL but creating it may need rights the app's role lacks: without it,
        # partial words are still found (LIKE), by reading the table instead of an index.
        savepoint = bind.begin_nested()
        try:
            bind.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        except sa.exc.DBAPIError:
            savepoint.rollback()
        else:
            savepoint.commit()
        if bind.exec_driver_sql("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'").scalar():
            op.execute("CREATE INDEX ix_library_search_key ON library_search USING gin (key gin_trgm_ops)")


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        for name in ("library_search_ai", "library_search_ad", "library_search_au"):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        op.execute("DROP TABLE IF EXISTS library_search_words")
        op.execute("DROP TABLE IF EXISTS library_search_trigrams")
    op.drop_table("library_search")
