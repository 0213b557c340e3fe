"""Inquiries can be assigned to a moderator profile; a member's inquiries and joins are found by index (the
member card); decisions written straight to the log are numbered, for a connector running elsewhere.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-22
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("inquiries") as batch:
        batch.add_column(sa.Column("assignee_profile_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("moderated", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            op.f("fk_inquiries_assignee_profile_id_moderator_profiles"),
            "moderator_profiles",
            ["assignee_profile_id"],
            ["id"],
        )
    op.create_index("ix_inquiries_member", "inquiries", ["member_id", "arrival_at"])
    op.create_index("ix_inquiries_moderated", "inquiries", ["moderated"])
    op.create_index("ix_membership_events_member", "membership_events", ["source_id", "member_id"])


def downgrade() -> None:
    op.drop_index("ix_membership_events_member", table_name="membership_events")
    op.drop_index("ix_inquiries_member", table_name="inquiries")
    op.drop_index("ix_inquiries_moderated", table_name="inquiries")
    with op.batch_alter_table("inquiries") as batch:
        batch.drop_column("moderated")
        batch.drop_constraint(op.f("fk_inquiries_assignee_profile_id_moderator_profiles"), type_="foreignkey")
        batch.drop_column("assignee_profile_id")
