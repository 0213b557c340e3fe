"""Drafts: the reply being written for an inquiry, kept across switching and restarts until it is sent.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-04
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import moderator_app.store.models

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "drafts",
        sa.Column("inquiry_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("partner_ids", sa.JSON(), nullable=True),
        sa.Column("profile_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", moderator_app.store.models.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["inquiry_id"], ["inquiries.id"], name=op.f("fk_drafts_inquiry_id_inquiries")),
        sa.ForeignKeyConstraint(
            ["profile_id"], ["moderator_profiles.id"], name=op.f("fk_drafts_profile_id_moderator_profiles")
        ),
        sa.PrimaryKeyConstraint("inquiry_id", name=op.f("pk_drafts")),
    )


def downgrade() -> None:
    op.drop_table("drafts")
