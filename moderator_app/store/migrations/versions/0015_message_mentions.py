"""Text mentions on messages: the Telegram user ids a message names by a text mention.

An answer that names its member by a text mention (a name linked to the user, for members without a
username) is linked to their question when it arrives; re-deriving the log needs the ids to link it again.
Empty for messages stored before: their text mentions were not kept (an import of the same export again
does not add them, as its messages are already in the log).

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-04
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("messages") as batch:
        batch.add_column(sa.Column("mentions", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("messages") as batch:
        batch.drop_column("mentions")
