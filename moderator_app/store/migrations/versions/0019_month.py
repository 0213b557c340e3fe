"""The manager's month: an audit record (exports, settings changes, logins, retention, handovers, each with
the profile and time) and the handovers between the people on duty.

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-05
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import moderator_app.store.models

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "audit_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", moderator_app.store.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("profile_id", sa.Integer(), nullable=True),
        sa.Column("profile_name", sa.String(length=255), nullable=False),
        sa.Column("action", sa.String(length=32), nullable=False),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["profile_id"], ["moderator_profiles.id"], name=op.f("fk_audit_events_profile_id_moderator_profiles")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_events")),
    )
    op.create_index("ix_audit_events_at", "audit_events", ["at"])
    op.create_table(
        "handovers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", moderator_app.store.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("from_profile_id", sa.Integer(), nullable=True),
        sa.Column("to_profile_id", sa.Integer(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("summary", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["from_profile_id"], ["moderator_profiles.id"], name=op.f("fk_handovers_from_profile_id_moderator_profiles")
        ),
        sa.ForeignKeyConstraint(
            ["to_profile_id"], ["moderator_profiles.id"], name=op.f("fk_handovers_to_profile_id_moderator_profiles")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_handovers")),
    )
    op.create_index("ix_handovers_at", "handovers", ["at"])


def downgrade() -> None:
    op.drop_index("ix_handovers_at", table_name="handovers")
    op.drop_table("handovers")
    op.drop_index("ix_audit_events_at", table_name="audit_events")
    op.drop_table("audit_events")
