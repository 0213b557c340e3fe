"""Safety flags: the urgent words an inquiry's messages matched (self-harm, violence, trafficking, medical
emergency), so the inbox lists it under "Urgent" whatever the service standard says.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-05
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("inquiries") as batch:
        batch.add_column(sa.Column("urgent", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("inquiries") as batch:
        batch.drop_column("urgent")
