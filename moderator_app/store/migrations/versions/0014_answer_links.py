"""Answer links set by moderators: which inquiry a staff message answers, or that it answers none.

The rules link most answers themselves (Telegram's reply, a mention, the sequence rule); a moderator corrects
them in the window, and ``answer_links`` keeps each correction so re-deriving the log follows it.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-04
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import moderator_app.store.models

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "answer_links",
        sa.Column("message_id", sa.Integer(), nullable=False),
        sa.Column("question_message_id", sa.Integer(), nullable=True),
        sa.Column("profile_id", sa.Integer(), nullable=True),
        sa.Column("at", moderator_app.store.models.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["message_id"], ["messages.id"], name=op.f("fk_answer_links_message_id_messages")),
        sa.ForeignKeyConstraint(
            ["question_message_id"], ["messages.id"], name=op.f("fk_answer_links_question_message_id_messages")
        ),
        sa.ForeignKeyConstraint(
            ["profile_id"], ["moderator_profiles.id"], name=op.f("fk_answer_links_profile_id_moderator_profiles")
        ),
        sa.PrimaryKeyConstraint("message_id", name=op.f("pk_answer_links")),
    )


def downgrade() -> None:
    op.drop_table("answer_links")
