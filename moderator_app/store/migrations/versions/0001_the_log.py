"""The log: sources, members, messages, inquiries, responses, membership, referrals, standards.

Revision ID: 0001
Revises:
Create Date: 2026-11-21
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import moderator_app.store.models

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "members",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("peer_type", sa.String(length=8), nullable=False),
        sa.Column("telegram_id", sa.BigInteger(), nullable=False),
        sa.Column("display_name", sa.String(length=255), nullable=False),
        sa.Column("username", sa.String(length=64), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_members")),
        sa.UniqueConstraint("peer_type", "telegram_id", name="uq_members_peer"),
    )
    op.create_table(
        "referral_organizations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("aliases", sa.JSON(), nullable=False),
        sa.Column("phone", sa.String(length=64), nullable=False),
        sa.Column("website", sa.String(length=255), nullable=False),
        sa.Column("topics", sa.JSON(), nullable=False),
        sa.Column("languages", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_referral_organizations")),
        sa.UniqueConstraint("name", name=op.f("uq_referral_organizations_name")),
    )
    op.create_table(
        "settings",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("value", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_settings")),
    )
    op.create_table(
        "sources",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("telegram_id", sa.BigInteger(), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("telegram_type", sa.String(length=32), nullable=True),
        sa.Column("language", sa.String(length=16), nullable=True),
        sa.Column("watched", sa.Boolean(), nullable=False),
        sa.Column("created_at", moderator_app.store.models.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sources")),
        sa.UniqueConstraint("kind", "telegram_id", name="uq_sources_kind_telegram_id"),
    )
    op.create_table(
        "inquiries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("question_telegram_id", sa.BigInteger(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=True),
        sa.Column("state", sa.String(length=24), nullable=False),
        sa.Column("detection", sa.String(length=24), nullable=False),
        sa.Column("language", sa.String(length=16), nullable=False),
        sa.Column("topic", sa.String(length=32), nullable=False),
        sa.Column("arrival_at", moderator_app.store.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("month", sa.Integer(), nullable=False),
        sa.Column("clock_start_at", moderator_app.store.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("due_at", moderator_app.store.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("first_response_at", moderator_app.store.models.UTCDateTime(timezone=True), nullable=True),
        sa.Column("first_response_seconds", sa.Float(), nullable=True),
        sa.Column("business_response_seconds", sa.Float(), nullable=True),
        sa.Column("met_standard", sa.Boolean(), nullable=True),
        sa.Column("responder_id", sa.Integer(), nullable=True),
        sa.Column("member_answered_at", moderator_app.store.models.UTCDateTime(timezone=True), nullable=True),
        sa.Column("answered_at", moderator_app.store.models.UTCDateTime(timezone=True), nullable=True),
        sa.Column("answered_month", sa.Integer(), nullable=True),
        sa.Column("dismissed_at", moderator_app.store.models.UTCDateTime(timezone=True), nullable=True),
        sa.Column("follow_up_on", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(["member_id"], ["members.id"], name=op.f("fk_inquiries_member_id_members")),
        sa.ForeignKeyConstraint(["responder_id"], ["members.id"], name=op.f("fk_inquiries_responder_id_members")),
        sa.ForeignKeyConstraint(["source_id"], ["sources.id"], name=op.f("fk_inquiries_source_id_sources")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inquiries")),
        sa.UniqueConstraint("source_id", "chat_id", "question_telegram_id", name="uq_inquiries_question"),
    )
    with op.batch_alter_table("inquiries", schema=None) as batch_op:
        batch_op.create_index("ix_inquiries_month", ["month", "source_id"], unique=False)
        batch_op.create_index("ix_inquiries_state", ["state", "due_at"], unique=False)

    op.create_table(
        "membership_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("at", moderator_app.store.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("month", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=True),
        sa.Column("member_name", sa.String(length=255), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("via", sa.String(length=32), nullable=True),
        sa.Column("event_key", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(["actor_id"], ["members.id"], name=op.f("fk_membership_events_actor_id_members")),
        sa.ForeignKeyConstraint(["member_id"], ["members.id"], name=op.f("fk_membership_events_member_id_members")),
        sa.ForeignKeyConstraint(["source_id"], ["sources.id"], name=op.f("fk_membership_events_source_id_sources")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_membership_events")),
        sa.UniqueConstraint("source_id", "event_key", name="uq_membership_events_key"),
    )
    with op.batch_alter_table("membership_events", schema=None) as batch_op:
        batch_op.create_index("ix_membership_events_month", ["month", "source_id"], unique=False)

    op.create_table(
        "service_standards",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=True),
        sa.Column("standard", sa.JSON(), nullable=False),
        sa.Column("updated_at", moderator_app.store.models.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["source_id"], ["sources.id"], name=op.f("fk_service_standards_source_id_sources")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_service_standards")),
        sa.UniqueConstraint("source_id", name=op.f("uq_service_standards_source_id")),
    )
    op.create_table(
        "messages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("telegram_id", sa.BigInteger(), nullable=False),
        sa.Column("sender_id", sa.Integer(), nullable=True),
        sa.Column("from_staff", sa.Boolean(), nullable=False),
        sa.Column("date", moderator_app.store.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("month", sa.Integer(), nullable=False),
        sa.Column("edited_at", moderator_app.store.models.UTCDateTime(timezone=True), nullable=True),
        sa.Column("deleted_at", moderator_app.store.models.UTCDateTime(timezone=True), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("reply_to", sa.BigInteger(), nullable=True),
        sa.Column("media_kind", sa.String(length=32), nullable=True),
        sa.Column("media", sa.JSON(), nullable=True),
        sa.Column("is_service", sa.Boolean(), nullable=False),
        sa.Column("action", sa.String(length=64), nullable=True),
        sa.Column("forwarded_from", sa.String(length=255), nullable=True),
        sa.Column("role", sa.String(length=24), nullable=False),
        sa.Column("inquiry_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["inquiry_id"], ["inquiries.id"], name=op.f("fk_messages_inquiry_id_inquiries")),
        sa.ForeignKeyConstraint(["sender_id"], ["members.id"], name=op.f("fk_messages_sender_id_members")),
        sa.ForeignKeyConstraint(["source_id"], ["sources.id"], name=op.f("fk_messages_source_id_sources")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_messages")),
        sa.UniqueConstraint("source_id", "chat_id", "telegram_id", name="uq_messages_telegram"),
    )
    with op.batch_alter_table("messages", schema=None) as batch_op:
        batch_op.create_index(
            "ix_messages_month", ["month", "source_id", "from_staff", "is_service", "sender_id"], unique=False
        )
        batch_op.create_index("ix_messages_inquiry", ["inquiry_id"], unique=False)

    op.create_table(
        "responses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("message_id", sa.Integer(), nullable=False),
        sa.Column("inquiry_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("post_type", sa.String(length=32), nullable=True),
        sa.Column("organization_id", sa.Integer(), nullable=True),
        sa.Column("staff_id", sa.Integer(), nullable=True),
        sa.Column("at", moderator_app.store.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("month", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["inquiry_id"], ["inquiries.id"], name=op.f("fk_responses_inquiry_id_inquiries")),
        sa.ForeignKeyConstraint(["message_id"], ["messages.id"], name=op.f("fk_responses_message_id_messages")),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["referral_organizations.id"],
            name=op.f("fk_responses_organization_id_referral_organizations"),
        ),
        sa.ForeignKeyConstraint(["source_id"], ["sources.id"], name=op.f("fk_responses_source_id_sources")),
        sa.ForeignKeyConstraint(["staff_id"], ["members.id"], name=op.f("fk_responses_staff_id_members")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_responses")),
        sa.UniqueConstraint("message_id", "kind", "organization_id", name="uq_responses_unit"),
    )
    with op.batch_alter_table("responses", schema=None) as batch_op:
        batch_op.create_index("ix_responses_inquiry", ["inquiry_id"], unique=False)
        batch_op.create_index(
            "ix_responses_month", ["month", "source_id", "kind", "post_type", "inquiry_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("responses", schema=None) as batch_op:
        batch_op.drop_index("ix_responses_month")
        batch_op.drop_index("ix_responses_inquiry")

    op.drop_table("responses")
    with op.batch_alter_table("messages", schema=None) as batch_op:
        batch_op.drop_index("ix_messages_inquiry")
        batch_op.drop_index("ix_messages_month")

    op.drop_table("messages")
    op.drop_table("service_standards")
    with op.batch_alter_table("membership_events", schema=None) as batch_op:
        batch_op.drop_index("ix_membership_events_month")

    op.drop_table("membership_events")
    with op.batch_alter_table("inquiries", schema=None) as batch_op:
        batch_op.drop_index("ix_inquiries_state")
        batch_op.drop_index("ix_inquiries_month")

    op.drop_table("inquiries")
    op.drop_table("sources")
    op.drop_table("settings")
    op.drop_table("referral_organizations")
    op.drop_table("members")
