"""The outbox: replies (and later moderation commands) waiting to be sent, each with its random_id.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-21
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import moderator_app.store.models

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "outbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("reply_to", sa.BigInteger(), nullable=True),
        sa.Column("random_id", sa.BigInteger(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("not_before", moderator_app.store.models.UTCDateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("created_at", moderator_app.store.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("sent_at", moderator_app.store.models.UTCDateTime(timezone=True), nullable=True),
        sa.Column("telegram_id", sa.BigInteger(), nullable=True),
        sa.Column("inquiry_id", sa.Integer(), nullable=True),
        sa.Column("profile_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["inquiry_id"], ["inquiries.id"], name=op.f("fk_outbox_inquiry_id_inquiries")),
        sa.ForeignKeyConstraint(
            ["profile_id"], ["moderator_profiles.id"], name=op.f("fk_outbox_profile_id_moderator_profiles")
        ),
        sa.ForeignKeyConstraint(["source_id"], ["sources.id"], name=op.f("fk_outbox_source_id_sources")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox")),
        sa.UniqueConstraint("random_id", name=op.f("uq_outbox_random_id")),
    )
    op.create_index("ix_outbox_state", "outbox", ["state", "id"])


def downgrade() -> None:
    op.drop_index("ix_outbox_state", table_name="outbox")
    op.drop_table("outbox")
