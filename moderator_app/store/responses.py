"""Referrals recorded on a reply: a reply that inserted partner organizations from the library counts one
referral per organization, exactly those, whatever the text-matching of imported history would make of it."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import delete, select

from moderator_app.domain.inquiries import ResponseKind
from moderator_app.store.db import Database
from moderator_app.store.models import Message, ReferralOrganizationRow, Response


def record_referrals(
    db: Database,
    source_id: int,
    chat_id: int,
    telegram_id: int,
    organization_ids: Sequence[int],
    profile_id: int | None = None,
) -> int:
    """Replace the counted units of a stored reply by one referral per organization (organizations since
    deleted from the library are left out). Only a reply to an inquiry counts: a post or a message answering
    nothing keeps what the rules made of it. Returns the number of referrals recorded."""
    with db.sessions.begin() as session:
        message = session.scalars(
            select(Message).where(
                Message.source_id == source_id, Message.chat_id == chat_id, Message.telegram_id == telegram_id
            )
        ).one_or_none()
        if message is None or message.role != "staff_reply" or message.inquiry_id is None:
            return 0
        known = set(
            session.scalars(
                select(ReferralOrganizationRow.id).where(ReferralOrganizationRow.id.in_(list(organization_ids)))
            )
        )
        wanted = [i for i in dict.fromkeys(organization_ids) if i in known]
        if not wanted:
            return 0
        session.execute(
            delete(Response).where(
                Response.message_id == message.id,
                Response.kind.in_([ResponseKind.INFORMATION.value, ResponseKind.REFERRAL.value]),
            )
        )
        session.add_all(
            Response(
                source_id=source_id,
                message_id=message.id,
                inquiry_id=message.inquiry_id,
                kind=ResponseKind.REFERRAL.value,
                organization_id=organization_id,
                staff_id=message.sender_id,
                profile_id=profile_id,
                at=message.date,
                month=message.month,
            )
            for organization_id in wanted
        )
        return len(wanted)
