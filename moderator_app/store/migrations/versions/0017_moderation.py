"""Moderation: the record of warnings, mutes, removals, bans and deletions decided in the app, and the outbox
rows that carry them to Telegram.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-05
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import moderator_app.store.models

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    instant = moderator_app.store.models.UTCDateTime(timezone=True)
    op.create_table(
        "moderation_actions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("guideline", sa.String(length=255), nullable=False),
        sa.Column("notice", sa.Text(), nullable=False),
        sa.Column("message_id", sa.BigInteger(), nullable=True),
        sa.Column("until", instant, nullable=True),
        sa.Column("at", instant, nullable=False),
        sa.Column("month", sa.Integer(), nullable=False),
        sa.Column("done_at", instant, nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("profile_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["source_id"], ["sources.id"], name=op.f("fk_moderation_actions_source_id_sources")),
        sa.ForeignKeyConstraint(["member_id"], ["members.id"], name=op.f("fk_moderation_actions_member_id_members")),
        sa.ForeignKeyConstraint(
            ["profile_id"], ["moderator_profiles.id"], name=op.f("fk_moderation_actions_profile_id_moderator_profiles")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_moderation_actions")),
    )
    op.create_index("ix_moderation_actions_member", "moderation_actions", ["member_id", "kind", "at"])
    op.create_index("ix_moderation_actions_month", "moderation_actions", ["month", "source_id"])
    with op.batch_alter_table("outbox") as batch:
        batch.add_column(sa.Column("moderation_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            op.f("fk_outbox_moderation_id_moderation_actions"), "moderation_actions", ["moderation_id"], ["id"]
        )


def downgrade() -> None:
    with op.batch_alter_table("outbox") as batch:
        batch.drop_constraint(op.f("fk_outbox_moderation_id_moderation_actions"), type_="foreignkey")
        batch.drop_column("moderation_id")
    op.drop_index("ix_moderation_actions_month", table_name="moderation_actions")
    op.drop_index("ix_moderation_actions_member", table_name="moderation_actions")
    op.drop_table("moderation_actions")
