"""Moderator profiles (who acted) and import runs (what each import did); inquiry counts by index.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-21
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import moderator_app.store.models

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "moderator_profiles",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("languages", sa.JSON(), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_moderator_profiles")),
        sa.UniqueConstraint("name", name=op.f("uq_moderator_profiles_name")),
    )
    op.create_table(
        "import_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("path", sa.Text(), nullable=False),
        sa.Column("started_at", moderator_app.store.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("finished_at", moderator_app.store.models.UTCDateTime(timezone=True), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("summary", sa.JSON(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_runs")),
    )
    # SQLite cannot add a foreign key in place: batch mode copies each table, keeping every row.
    with op.batch_alter_table("inquiries") as batch:
        batch.add_column(sa.Column("responder_profile_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            op.f("fk_inquiries_responder_profile_id_moderator_profiles"),
            "moderator_profiles",
            ["responder_profile_id"],
            ["id"],
        )
    # The monthly counts group by these columns; in index order SQLite and PostgreSQL need no sort.
    with op.batch_alter_table("inquiries") as batch:
        batch.drop_index("ix_inquiries_month")
        batch.create_index(
            "ix_inquiries_counts",
            [
                "month",
                "source_id",
                "language",
                "topic",
                "met_standard",
                "responder_id",
                "responder_profile_id",
                "answered_month",
                "state",
            ],
        )
    with op.batch_alter_table("responses") as batch:
        batch.add_column(sa.Column("profile_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            op.f("fk_responses_profile_id_moderator_profiles"), "moderator_profiles", ["profile_id"], ["id"]
        )
    # Created after the batch copies above (a copy would not carry a partial index's condition).
    op.create_index(
        "ix_inquiries_waiting",
        "inquiries",
        ["month", "source_id", "due_at"],
        sqlite_where=sa.text("first_response_at IS NULL"),
        postgresql_where=sa.text("first_response_at IS NULL"),
    )


def downgrade() -> None:
    op.drop_index("ix_inquiries_waiting", table_name="inquiries")
    with op.batch_alter_table("inquiries") as batch:
        batch.drop_index("ix_inquiries_counts")
        batch.create_index("ix_inquiries_month", ["month", "source_id"])
    with op.batch_alter_table("responses") as batch:
        batch.drop_constraint(op.f("fk_responses_profile_id_moderator_profiles"), type_="foreignkey")
        batch.drop_column("profile_id")
    with op.batch_alter_table("inquiries") as batch:
        batch.drop_constraint(op.f("fk_inquiries_responder_profile_id_moderator_profiles"), type_="foreignkey")
        batch.drop_column("responder_profile_id")
    op.drop_table("import_runs")
    op.drop_table("moderator_profiles")
