"""Handovers between the people on duty: the summary read from the log, and the handovers kept.

The summary is read in one call with a few small queries on existing indexes: one pass over the still-owed
inquiries through ``ix_inquiries_state`` (state, due_at) counts four sections, their first rows are ranges of
the same index, failed sends come through ``ix_outbox_state``. Follow-up dates have no index of their own: one
pass over the inquiries table lists and counts those due (about 35 ms on a year's log). On a 1M-message year
with 21,000 overdue inquiries the whole summary takes under 0.1 s (the benchmark ``test_handover_summary``).
The rules are those of :mod:`moderator_app.domain.handover`; the tests hold these queries to them.
"""

from __future__ import annotations

from datetime import date, datetime, tzinfo
from typing import Any

from sqlalchemy import ColumnElement, and_, case, desc, func, literal, not_, select
from sqlalchemy.orm import Session, aliased

from moderator_app.domain.handover import (
    LISTED,
    NOT_SENDS,
    SECTIONS,
    Handover,
    HandoverError,
    HandoverItem,
    HandoverSummary,
    Section,
    clean_note,
    counts_of,
    first_line,
    today_in,
)
from moderator_app.domain.inquiries import OPEN_STATES, InquiryState
from moderator_app.domain.outbox import OutboxState
from moderator_app.store.db import Database
from moderator_app.store.models import (
    HandoverRow,
    Inquiry,
    JoinRequestRow,
    Member,
    Message,
    ModerationActionRow,
    ModeratorProfile,
    OutboxItem,
    Source,
    Topic,
    asked_in,
)
from moderator_app.store.repositories import latest_asks, now_utc

_OWED = [s.value for s in OPEN_STATES]


def _conditions(now: datetime, today: date) -> dict[Section, ColumnElement[bool]]:
    """The sections of :func:`moderator_app.domain.handover.sections_of`, as SQL over ``inquiries``."""
    overdue = and_(Inquiry.state.in_(_OWED), Inquiry.first_response_at.is_(None), Inquiry.due_at <= now)
    return {
        Section.OVERDUE: overdue,
        Section.OPEN: and_(
            Inquiry.state == InquiryState.OPEN,
            not_(and_(Inquiry.first_response_at.is_(None), Inquiry.due_at <= now)),
        ),
        Section.PROMISED: Inquiry.state == InquiryState.ACKNOWLEDGED,
        Section.MEMBER_ANSWERED: Inquiry.state == InquiryState.MEMBER_ANSWERED,
        Section.FOLLOW_UP: and_(Inquiry.follow_up_on.is_not(None), Inquiry.follow_up_on <= today),
    }


def _failed_send() -> ColumnElement[bool]:
    return and_(OutboxItem.state == OutboxState.FAILED, OutboxItem.kind.not_in(sorted(NOT_SENDS)))


class HandoverRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    # -- the summary ---------------------------------------------------------------------------------------
    def summary(self, now: datetime, timezone: tzinfo, listed: int = LISTED) -> HandoverSummary:
        """What is owed at ``now``; "today" is the date in ``timezone`` (the service's)."""
        today = today_in(now, timezone)
        conditions = _conditions(now, today)
        items: dict[Section, tuple[HandoverItem, ...]] = {}
        with self.db.sessions() as session:
            counts, open_answered = self._counts(session, conditions)
            for section in (Section.OVERDUE, Section.OPEN, Section.PROMISED, Section.MEMBER_ANSWERED):
                condition = conditions[section]
                if section is Section.OPEN and not open_answered:
                    # No open inquiry has a first response (the usual case): the open ones not overdue are
                    # those due later, a range of the state index, not a walk past every overdue one.
                    condition = and_(Inquiry.state == InquiryState.OPEN, Inquiry.due_at > now)
                items[section], _ = self._inquiries(session, section, condition, listed) if counts[section] else ((), 0)
            # Follow-up dates have no index: one pass over the inquiries lists them and counts them.
            items[Section.FOLLOW_UP], counts[Section.FOLLOW_UP] = self._inquiries(
                session, Section.FOLLOW_UP, conditions[Section.FOLLOW_UP], listed, counted=True
            )
            items[Section.FAILED] = self._failed(session, listed) if counts[Section.FAILED] else ()
        # Each statement reads the log as it is then: a row committed between a count and its list is
        # listed, so the count says at least as many.
        counts = {s: max(counts[s], len(items[s])) for s in SECTIONS}
        return HandoverSummary(now, today, counts, items)

    @staticmethod
    def _counts(session: Session, conditions: dict[Section, ColumnElement[bool]]) -> tuple[dict[Section, int], int]:
        """The counts of the still-owed sections and of failed sends, and how many open inquiries have a
        first response (hardly ever any)."""
        owed = (Section.OVERDUE, Section.OPEN, Section.PROMISED, Section.MEMBER_ANSWERED)
        answered_open = and_(Inquiry.state == InquiryState.OPEN, Inquiry.first_response_at.is_not(None))
        # One pass over the still-owed inquiries (the state index picks them), every section summed in it.
        row = session.execute(
            select(
                *(func.coalesce(func.sum(case((conditions[s], 1), else_=0)), 0) for s in owed),
                func.coalesce(func.sum(case((answered_open, 1), else_=0)), 0),
            ).where(Inquiry.state.in_(_OWED))
        ).one()
        counts = {s: int(n) for s, n in zip(owed, row[:-1], strict=True)}
        counts[Section.FAILED] = int(
            session.scalar(select(func.count()).select_from(OutboxItem).where(_failed_send())) or 0
        )
        return counts, int(row[-1])

    @staticmethod
    def _inquiries(
        session: Session, section: Section, condition: ColumnElement[bool], listed: int, *, counted: bool = False
    ) -> tuple[tuple[HandoverItem, ...], int]:
        """The first ``listed`` inquiries the condition picks, and (``counted``) how many it picks."""
        question = aliased(Message)
        order: list[Any] = [Inquiry.due_at, Inquiry.id]
        if section is Section.FOLLOW_UP:
            order.insert(0, Inquiry.follow_up_on)
        # The ids first, on the index alone; then only those rows joined to their names and question.
        # With ``counted``, the count comes with the list (a window count: every row the condition picks is
        # read, which the sections counted already need not do).
        total = func.count().over() if counted else literal(None)
        chosen = select(Inquiry.id, total.label("total")).where(condition).order_by(*order).limit(listed).subquery()
        rows = session.execute(
            select(
                Inquiry.id,
                Source.name,
                Member.display_name,
                question.text,
                question.media_kind,
                Inquiry.due_at,
                Inquiry.follow_up_on,
                Topic.title,
                Inquiry.source_id,
                chosen.c.total,
            )
            .join(chosen, chosen.c.id == Inquiry.id)
            .join(Source, Source.id == Inquiry.source_id)
            .outerjoin(Member, Member.id == Inquiry.member_id)
            .outerjoin(question, asked_in(question))
            .outerjoin(Topic, (Topic.source_id == Inquiry.source_id) & (Topic.topic_id == question.topic_id))
            .order_by(*order)
        )
        found = rows.all()
        # A private chat's inquiry reads as its member's latest message that asks something (as in the inbox).
        asks = latest_asks(session, [(row[0], row[8]) for row in found])
        listed_items = tuple(
            HandoverItem(
                section,
                inquiry_id,
                inquiry_id,
                source,
                member,
                first_line(asks.get(inquiry_id, text)),
                due,
                follow_up_on,
                media_kind,
                topic,
            )
            for inquiry_id, source, member, text, media_kind, due, follow_up_on, topic, _, _ in found
        )
        return listed_items, int(found[0][-1] or 0) if found and counted else 0

    @staticmethod
    def _failed(session: Session, listed: int) -> tuple[HandoverItem, ...]:
        asker = aliased(Member)
        moderated = aliased(Member)
        chosen = select(OutboxItem.id).where(_failed_send()).order_by(OutboxItem.id).limit(listed).subquery()
        rows = session.execute(
            select(
                OutboxItem.id,
                OutboxItem.inquiry_id,
                Source.name,
                func.coalesce(asker.display_name, moderated.display_name, JoinRequestRow.name),
                OutboxItem.text,
                OutboxItem.created_at,
                OutboxItem.last_error,
                OutboxItem.kind,
                ModerationActionRow.kind,
            )
            .join(chosen, chosen.c.id == OutboxItem.id)
            .join(Source, Source.id == OutboxItem.source_id)
            .outerjoin(Inquiry, Inquiry.id == OutboxItem.inquiry_id)
            .outerjoin(asker, asker.id == Inquiry.member_id)
            .outerjoin(ModerationActionRow, ModerationActionRow.id == OutboxItem.moderation_id)
            .outerjoin(moderated, moderated.id == ModerationActionRow.member_id)
            .outerjoin(JoinRequestRow, JoinRequestRow.id == OutboxItem.join_request_id)
            .order_by(OutboxItem.id)
        )
        return tuple(
            HandoverItem(
                Section.FAILED,
                item_id,
                inquiry_id,
                source,
                member,
                first_line(text),
                created_at,
                error=first_line(error) or None,
                kind=kind if kind != "moderate" or not action else f"moderate:{action}",
            )
            for item_id, inquiry_id, source, member, text, created_at, error, kind, action in rows
        )

    # -- handovers kept --------------------------------------------------------------------------------------
    def save(
        self,
        from_profile_id: int | None,
        to_profile_id: int | None,
        note: str,
        summary: HandoverSummary,
        at: datetime | None = None,
    ) -> Handover:
        """Keep a handover: who to whom, the note, and the summary's counts and ids as the next person saw it."""
        note = clean_note(note)
        if from_profile_id is None and not note:
            raise HandoverError("A handover from nobody on duty needs a note.")
        when = at or now_utc()
        with self.db.sessions.begin() as session:
            for profile_id in (from_profile_id, to_profile_id):
                if profile_id is not None and session.get(ModeratorProfile, profile_id) is None:
                    raise HandoverError(f"There is no moderator profile #{profile_id}.")
            row = HandoverRow(
                at=when,
                from_profile_id=from_profile_id,
                to_profile_id=to_profile_id,
                note=note,
                summary=summary.snapshot(),
            )
            session.add(row)
            session.flush()
            handover_id = row.id
        found = self.get(handover_id)
        assert found is not None
        return found

    def latest(self) -> Handover | None:
        """The most recent handover (the previous person's note)."""
        with self.db.sessions() as session:
            handover_id = session.scalar(select(HandoverRow.id).order_by(desc(HandoverRow.at), desc(HandoverRow.id)))
        return None if handover_id is None else self.get(handover_id)

    def get(self, handover_id: int) -> Handover | None:
        giver = aliased(ModeratorProfile)
        taker = aliased(ModeratorProfile)
        with self.db.sessions() as session:
            found = session.execute(
                select(HandoverRow, giver.name, taker.name)
                .outerjoin(giver, giver.id == HandoverRow.from_profile_id)
                .outerjoin(taker, taker.id == HandoverRow.to_profile_id)
                .where(HandoverRow.id == handover_id)
            ).one_or_none()
            if found is None:
                return None
            row, from_name, to_name = found
            return Handover(
                row.id,
                row.at,
                row.from_profile_id,
                from_name,
                row.to_profile_id,
                to_name,
                row.note or "",
                counts_of(row.summary if isinstance(row.summary, dict) else None),
            )
