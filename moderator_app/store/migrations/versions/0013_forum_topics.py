"""Forum topics: the topic of each message in a forum supergroup, and each topic's title.

A message in a topic keeps the id of the topic's root (its ``topic_created`` service message) in
``messages.topic_id``; ``topics`` names each root, so a message can show as "Source › Topic". Both stay empty
for logs written before: an import or the connector fills them as messages arrive.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-04
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import moderator_app.store.models

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("messages") as batch:
        batch.add_column(sa.Column("topic_id", sa.BigInteger(), nullable=True))
    op.create_table(
        "topics",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("topic_id", sa.BigInteger(), nullable=False),
        sa.Column("title", sa.String(length=255), nullable=False),
        sa.Column("created_at", moderator_app.store.models.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["source_id"], ["sources.id"], name=op.f("fk_topics_source_id_sources")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_topics")),
        sa.UniqueConstraint("source_id", "topic_id", name="uq_topics_source_topic"),
    )


def downgrade() -> None:
    op.drop_table("topics")
    with op.batch_alter_table("messages") as batch:
        batch.drop_column("topic_id")
