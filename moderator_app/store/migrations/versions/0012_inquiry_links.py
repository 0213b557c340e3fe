"""The inquiry model on real group traffic: why an inquiry was taken for one (its reason), how a staff answer
was tied to its inquiry (reply, mention, sequence, moderator), and the organization's own examples that the
detector learns from (promotions and dismissals).

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-04
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import moderator_app.store.models

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("inquiries") as batch:
        batch.add_column(sa.Column("reason", sa.Text(), nullable=True))
    with op.batch_alter_table("responses") as batch:
        batch.add_column(sa.Column("link", sa.String(16), nullable=True))
    op.create_table(
        "detector_examples",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("source_id", sa.Integer(), sa.ForeignKey("sources.id"), nullable=True),
        sa.Column("inquiry_id", sa.Integer(), sa.ForeignKey("inquiries.id"), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("language", sa.String(16), nullable=False),
        sa.Column("asks", sa.Boolean(), nullable=False),
        sa.Column("origin", sa.String(16), nullable=False),
        sa.Column("profile_id", sa.Integer(), sa.ForeignKey("moderator_profiles.id"), nullable=True),
        sa.Column("at", moderator_app.store.models.UTCDateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("inquiry_id", name="uq_detector_examples_inquiry"),
    )
    # History derived under the rules before this version: re-derived at the next start (store/rederive.py).
    op.execute("INSERT INTO settings (key, value) SELECT 'rules.version', '1' WHERE EXISTS (SELECT 1 FROM messages)")


def downgrade() -> None:
    op.execute("DELETE FROM settings WHERE key = 'rules.version'")
    op.drop_table("detector_examples")
    with op.batch_alter_table("responses") as batch:
        batch.drop_column("link")
    with op.batch_alter_table("inquiries") as batch:
        batch.drop_column("reason")
