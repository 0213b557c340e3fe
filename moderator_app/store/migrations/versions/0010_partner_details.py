"""Partner organizations get their address, email, hours, eligibility notes, and a name and a referral message
per language.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-22
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("referral_organizations") as batch:
        batch.add_column(sa.Column("address", sa.String(length=255), nullable=False, server_default=""))
        batch.add_column(sa.Column("email", sa.String(length=255), nullable=False, server_default=""))
        batch.add_column(sa.Column("hours", sa.String(length=255), nullable=False, server_default=""))
        batch.add_column(sa.Column("eligibility", sa.Text(), nullable=False, server_default=""))
        batch.add_column(sa.Column("templates", sa.JSON(), nullable=True))
        batch.add_column(sa.Column("names", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("referral_organizations") as batch:
        for column in ("names", "templates", "eligibility", "hours", "email", "address"):
            batch.drop_column(column)
