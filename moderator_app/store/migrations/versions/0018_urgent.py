"""Safety flags: the urgent words an inquiry's messages matched (self-harm, violence, trafficking, medical
emergency), so the inbox lists it under "Urgent" whatever the service standard says; and moderators' notes
about a member, and an index on a member's messages (the people panel); member reports (messages of role
"report") and the moderators' decisions on them; actions read from Telegram's admin log (done outside the app)
in the moderation record, with who did them; welcomes sent to members who joined; join requests and the
outbox rows that approve or decline them; the sources a canned answer is for (a group's own guidelines).

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-05
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import moderator_app.store.models

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("inquiries") as batch:
        batch.add_column(sa.Column("urgent", sa.Text(), nullable=True))
    op.create_table(
        "member_notes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("profile_id", sa.Integer(), nullable=True),
        sa.Column("at", moderator_app.store.models.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["member_id"], ["members.id"], name=op.f("fk_member_notes_member_id_members")),
        sa.ForeignKeyConstraint(
            ["profile_id"], ["moderator_profiles.id"], name=op.f("fk_member_notes_profile_id_moderator_profiles")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_member_notes")),
    )
    op.create_index("ix_member_notes_member", "member_notes", ["member_id", "at"])
    op.create_index("ix_messages_sender", "messages", ["sender_id", "date"])
    op.create_index(
        "ix_messages_reports",
        "messages",
        ["source_id", "date"],
        sqlite_where=sa.text("role = 'report'"),
        postgresql_where=sa.text("role = 'report'"),
    )
    with op.batch_alter_table("moderation_actions") as batch:
        batch.add_column(sa.Column("origin", sa.String(length=16), nullable=False, server_default="app"))
        batch.add_column(sa.Column("event_id", sa.BigInteger(), nullable=True))
        batch.add_column(sa.Column("actor_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(op.f("fk_moderation_actions_actor_id_members"), "members", ["actor_id"], ["id"])
        batch.create_unique_constraint("uq_moderation_actions_event", ["chat_id", "event_id"])
    op.create_table(
        "welcomes",
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("outbox_id", sa.Integer(), nullable=False),
        sa.Column("at", moderator_app.store.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("profile_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["event_id"], ["membership_events.id"], name=op.f("fk_welcomes_event_id_membership_events")
        ),
        sa.ForeignKeyConstraint(["outbox_id"], ["outbox.id"], name=op.f("fk_welcomes_outbox_id_outbox")),
        sa.ForeignKeyConstraint(
            ["profile_id"], ["moderator_profiles.id"], name=op.f("fk_welcomes_profile_id_moderator_profiles")
        ),
        sa.PrimaryKeyConstraint("event_id", name=op.f("pk_welcomes")),
    )
    with op.batch_alter_table("canned_answers") as batch:
        batch.add_column(sa.Column("sources", sa.JSON(), nullable=True))
    op.create_table(
        "join_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=True),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("username", sa.String(length=64), nullable=True),
        sa.Column("about", sa.Text(), nullable=False),
        sa.Column("requested_at", moderator_app.store.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("decided_at", moderator_app.store.models.UTCDateTime(timezone=True), nullable=True),
        sa.Column("profile_id", sa.Integer(), nullable=True),
        sa.Column("questions_sent_at", moderator_app.store.models.UTCDateTime(timezone=True), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["source_id"], ["sources.id"], name=op.f("fk_join_requests_source_id_sources")),
        sa.ForeignKeyConstraint(["member_id"], ["members.id"], name=op.f("fk_join_requests_member_id_members")),
        sa.ForeignKeyConstraint(
            ["profile_id"], ["moderator_profiles.id"], name=op.f("fk_join_requests_profile_id_moderator_profiles")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_join_requests")),
        sa.UniqueConstraint("source_id", "user_id", "requested_at", name="uq_join_requests_request"),
    )
    with op.batch_alter_table("outbox") as batch:
        batch.add_column(sa.Column("join_request_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            op.f("fk_outbox_join_request_id_join_requests"), "join_requests", ["join_request_id"], ["id"]
        )
    op.create_table(
        "report_decisions",
        sa.Column("message_id", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("profile_id", sa.Integer(), nullable=True),
        sa.Column("at", moderator_app.store.models.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["message_id"], ["messages.id"], name=op.f("fk_report_decisions_message_id_messages")),
        sa.ForeignKeyConstraint(
            ["profile_id"], ["moderator_profiles.id"], name=op.f("fk_report_decisions_profile_id_moderator_profiles")
        ),
        sa.PrimaryKeyConstraint("message_id", name=op.f("pk_report_decisions")),
    )


def downgrade() -> None:
    op.drop_table("report_decisions")
    with op.batch_alter_table("outbox") as batch:
        batch.drop_constraint(op.f("fk_outbox_join_request_id_join_requests"), type_="foreignkey")
        batch.drop_column("join_request_id")
    op.drop_table("join_requests")
    with op.batch_alter_table("canned_answers") as batch:
        batch.drop_column("sources")
    op.drop_table("welcomes")
    with op.batch_alter_table("moderation_actions") as batch:
        batch.drop_constraint("uq_moderation_actions_event", type_="unique")
        batch.drop_constraint(op.f("fk_moderation_actions_actor_id_members"), type_="foreignkey")
        batch.drop_column("actor_id")
        batch.drop_column("event_id")
        batch.drop_column("origin")
    op.drop_index("ix_messages_reports", table_name="messages")
    op.drop_index("ix_messages_sender", table_name="messages")
    op.drop_index("ix_member_notes_member", table_name="member_notes")
    op.drop_table("member_notes")
    with op.batch_alter_table("inquiries") as batch:
        batch.drop_column("urgent")
