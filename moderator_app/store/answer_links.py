"""A moderator corrects which inquiry a staff message answers: link it to one, or say it answers none.

The rules tie most staff answers to their inquiry themselves (Telegram's reply, a mention, the sequence rule,
see ``domain.inquiries``), and sometimes they are wrong: "Amal, …" went to the other Amal, or the next message
was an announcement. A correction rewrites, in one transaction, what the rules made of the message (its role,
its counted responses: information or referrals when it answers, a post when it answers nothing) and works
out again the first response and state of the inquiry it leaves and of the one it joins, so the statistics
follow at once. The correction is kept in ``answer_links``: re-deriving the log follows it, and both
inquiries are numbered as moderated so a connector running elsewhere adopts them before its next message.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from moderator_app.domain.actions import ActionRefused
from moderator_app.domain.events import SourceKind
from moderator_app.domain.inquiries import (
    TIED_ROLES,
    ConversationTracker,
    InquiryState,
    LinkKind,
    ResponseKind,
    Role,
    StaffAnswer,
    TrackedInquiry,
)
from moderator_app.domain.referrals import ReferralMatcher
from moderator_app.domain.statistics import MonthKeyer
from moderator_app.domain.topics import classify_post_type
from moderator_app.store.actions import number_decision
from moderator_app.store.db import Database
from moderator_app.store.models import AnswerLink, Inquiry, Message, OutboxItem, Response, Source
from moderator_app.store.months import month_keyer
from moderator_app.store.repositories import (
    INQUIRY_RULE_COLUMNS,
    ReferralRepository,
    StandardRepository,
    inquiry_rule_values,
    now_utc,
    tracked_from_row,
)


@dataclass(frozen=True, slots=True)
class Relinked:
    """What a correction did: the inquiry the message answered before and the one it answers now."""

    before: int | None
    after: int | None

    @property
    def changed(self) -> tuple[int, ...]:
        return tuple(i for i in (self.before, self.after) if i is not None)


class AnswerLinks:
    def __init__(self, db: Database) -> None:
        self.db = db

    def link(
        self,
        source_id: int,
        chat_id: int,
        telegram_id: int,
        inquiry_id: int | None,
        *,
        profile_id: int | None = None,
        at: datetime | None = None,
    ) -> Relinked:
        """Make the staff message answer ``inquiry_id`` (None: no inquiry); raise :class:`ActionRefused`
        with a sentence for the moderator when that cannot be."""
        clock = StandardRepository(self.db).clocks().for_source(source_id)
        month_of = month_keyer(self.db)
        matcher = ReferralMatcher(ReferralRepository(self.db).all())
        with self.db.sessions.begin() as session:
            message = session.scalars(
                select(Message).where(
                    Message.source_id == source_id, Message.chat_id == chat_id, Message.telegram_id == telegram_id
                )
            ).one_or_none()
            if message is None:
                raise ActionRefused("That message is not in the log.")
            if not message.from_staff:
                raise ActionRefused("Only a staff message can answer an inquiry; this one is a member's.")
            source = session.get(Source, source_id)
            assert source is not None  # the message's own source
            before = message.inquiry_id if message.role in TIED_ROLES else None
            target = self._target(session, message, inquiry_id, before)
            holding = self._holding(session, message)
            tied_before = {i: self._answers(session, i) for i in (before, inquiry_id) if i is not None}
            self._rewrite(session, message, target, holding, profile_id, matcher)
            question_message_id = None
            if target is not None:
                question_message_id = session.scalar(
                    select(Message.id).where(
                        Message.source_id == source_id,
                        Message.chat_id == target.chat_id,
                        Message.telegram_id == target.question_telegram_id,
                    )
                )
            session.merge(
                AnswerLink(
                    message_id=message.id,
                    question_message_id=question_message_id,
                    profile_id=profile_id,
                    at=at or now_utc(),
                )
            )
            session.flush()
            tracker = ConversationTracker(SourceKind(source.kind), matcher, clock, source.language)
            for changed_id, answered_before in tied_before.items():
                self._reassess(session, tracker, changed_id, answered_before, month_of)
            return Relinked(before, inquiry_id)

    # -- steps ----------------------------------------------------------------------------------------------
    @staticmethod
    def _target(session: Session, message: Message, inquiry_id: int | None, before: int | None) -> Inquiry | None:
        if inquiry_id is None:
            if before is None:
                raise ActionRefused("This message answers no inquiry already.")
            return None
        if inquiry_id == before:
            raise ActionRefused("This message already answers that inquiry.")
        target = session.get(Inquiry, inquiry_id)
        if target is None or target.source_id != message.source_id or target.chat_id != message.chat_id:
            raise ActionRefused("A staff message can only answer an inquiry of its own chat.")
        if target.arrival_at > message.date:
            raise ActionRefused("This message was sent before the question was asked: it cannot answer it.")
        if target.state == InquiryState.DISMISSED.value:
            raise ActionRefused("That inquiry is dismissed: make it an inquiry again first.")
        return target

    @staticmethod
    def _holding(session: Session, message: Message) -> bool:
        """A holding reply stays one wherever it is linked (an acknowledgement, not an answer)."""
        if message.role == Role.ACKNOWLEDGEMENT.value:
            return True
        purpose = session.scalar(
            select(OutboxItem.purpose).where(
                OutboxItem.source_id == message.source_id,
                OutboxItem.chat_id == message.chat_id,
                OutboxItem.telegram_id == message.telegram_id,
            )
        )
        return purpose == "holding"

    @staticmethod
    def _rewrite(
        session: Session,
        message: Message,
        target: Inquiry | None,
        holding: bool,
        profile_id: int | None,
        matcher: ReferralMatcher,
    ) -> None:
        """The message's role and counted responses, as the rules make them of an answer (or of a post)."""
        old = list(session.scalars(select(Response).where(Response.message_id == message.id)))
        organizations = [r.organization_id for r in old if r.kind == ResponseKind.REFERRAL.value and r.organization_id]
        credited = max((r.profile_id for r in old if r.profile_id is not None), default=profile_id)
        session.execute(delete(Response).where(Response.message_id == message.id))
        session.flush()
        common = {
            "source_id": message.source_id,
            "message_id": message.id,
            "staff_id": message.sender_id,
            "profile_id": credited,
            "at": message.date,
            "month": message.month,
        }
        if target is None:
            group = session.scalar(select(Source.kind).where(Source.id == message.source_id)) != "private"
            message.role = Role.POST.value if group else Role.STAFF_OTHER.value
            message.inquiry_id = None
            if group:
                session.add(
                    Response(**common, kind=ResponseKind.POST.value, post_type=classify_post_type(message.text or ""))
                )
            return
        message.role = Role.ACKNOWLEDGEMENT.value if holding else Role.STAFF_REPLY.value
        message.inquiry_id = target.id
        link = LinkKind.MODERATOR.value
        if holding:
            session.add(Response(**common, inquiry_id=target.id, kind=ResponseKind.ACKNOWLEDGEMENT.value, link=link))
            return
        if not organizations:  # what the rules make of the text, as for any answer
            organizations = [o.id for o in matcher.find(message.text or "") if o.id is not None]
        if organizations:
            session.add_all(
                Response(**common, inquiry_id=target.id, kind=ResponseKind.REFERRAL.value, organization_id=o, link=link)
                for o in dict.fromkeys(organizations)
            )
        else:
            session.add(Response(**common, inquiry_id=target.id, kind=ResponseKind.INFORMATION.value, link=link))

    @staticmethod
    def _answers(session: Session, inquiry_id: int) -> list[tuple[datetime, int | None, bool, int]]:
        """The staff messages tied to an inquiry: (date, sender, holding, message id), oldest first."""
        return [
            (date, sender, role == Role.ACKNOWLEDGEMENT.value, message_id)
            for date, sender, role, message_id in session.execute(
                select(Message.date, Message.sender_id, Message.role, Message.id)
                .where(Message.inquiry_id == inquiry_id, Message.role.in_(TIED_ROLES))
                .order_by(Message.date, Message.telegram_id)
            )
        ]

    @staticmethod
    def _reassess(
        session: Session,
        tracker: ConversationTracker,
        inquiry_id: int,
        answered_before: list[tuple[datetime, int | None, bool, int]],
        month_of: MonthKeyer,
    ) -> None:
        row = session.get(Inquiry, inquiry_id)
        assert row is not None
        inquiry: TrackedInquiry = tracked_from_row(row)
        # Answered with no staff answer at that moment: a moderator's "answered" (or a member's answer
        # confirmed), which stays whatever happens to the staff messages.
        decided_at = (
            row.answered_at
            if row.state == InquiryState.ANSWERED.value
            and row.answered_at is not None
            and all(at != row.answered_at for at, _, holding, _ in answered_before if not holding)
            else None
        )
        answers = AnswerLinks._answers(session, inquiry_id)
        tracker.reassess(inquiry, [StaffAnswer(at, sender, holding) for at, sender, holding, _ in answers], decided_at)
        values = dict(zip(INQUIRY_RULE_COLUMNS, inquiry_rule_values(inquiry, month_of), strict=True))
        for name, value in values.items():
            setattr(row, name, value)
        first = next((m for at, _, _, m in answers if at == inquiry.first_response_at), None)
        if inquiry.first_response_at is None:
            row.responder_profile_id = None
        elif first is not None:
            row.responder_profile_id = session.scalar(
                select(func.max(Response.profile_id)).where(Response.message_id == first)
            )
        session.flush()
        number_decision(session, inquiry_id)  # in turn with the other workstations' decisions
