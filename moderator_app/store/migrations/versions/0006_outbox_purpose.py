"""Outbox rows say what they are for: a reply, or a holding reply sent with "acknowledge".

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-21
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("outbox") as batch:
        batch.add_column(sa.Column("purpose", sa.String(length=16), nullable=False, server_default="reply"))


def downgrade() -> None:
    with op.batch_alter_table("outbox") as batch:
        batch.drop_column("purpose")
