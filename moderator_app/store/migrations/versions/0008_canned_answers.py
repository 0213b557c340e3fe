"""The canned-answer library: answers (shortcut, title, topics, review state, usage) and their text per language.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-22
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import moderator_app.store.models

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "canned_answers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("shortcut", sa.String(length=64), nullable=False),
        sa.Column("title", sa.String(length=255), nullable=False),
        sa.Column("topics", sa.JSON(), nullable=False),
        sa.Column("needs_review", sa.Boolean(), nullable=False),
        sa.Column("last_reviewed", sa.Date(), nullable=True),
        sa.Column("usage_count", sa.Integer(), nullable=False),
        sa.Column("updated_at", moderator_app.store.models.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_canned_answers")),
        sa.UniqueConstraint("shortcut", name=op.f("uq_canned_answers_shortcut")),
    )
    op.create_table(
        "canned_answer_bodies",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("answer_id", sa.Integer(), nullable=False),
        sa.Column("language", sa.String(length=35), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["answer_id"],
            ["canned_answers.id"],
            name=op.f("fk_canned_answer_bodies_answer_id_canned_answers"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_canned_answer_bodies")),
        sa.UniqueConstraint("answer_id", "language", name="uq_canned_answer_bodies_language"),
    )


def downgrade() -> None:
    op.drop_table("canned_answer_bodies")
    op.drop_table("canned_answers")
