"""The moderation record: actions decided in the app, queued for the connector in the same transaction, and
the record read back with the removals, additions and join requests history already holds."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import cast

from sqlalchemy import Table, and_, func, or_, select, update
from sqlalchemy.orm import Session, aliased

from moderator_app.domain.events import MembershipKind, SourceKind
from moderator_app.domain.inbox import SourceInfo
from moderator_app.domain.moderation import (
    KIND_LABELS,
    ModerationAction,
    ModerationError,
    ModerationKind,
    ModerationOrigin,
    ModerationRequest,
    ModerationState,
    OutsideAction,
    RecordEntry,
    WarningPolicy,
    check_request,
)
from moderator_app.domain.outbox import MAX_TEXT
from moderator_app.domain.statistics import MonthKeyer
from moderator_app.store.db import Database
from moderator_app.store.models import (
    AnswerLink,
    Member,
    MembershipEvent,
    Message,
    ModerationActionRow,
    ModeratorProfile,
    OutboxItem,
    Source,
)
from moderator_app.store.outbox import queued_row
from moderator_app.store.repositories import SourceRepository, now_utc

ACTIONS = cast(Table, ModerationActionRow.__table__)

#: A removal Telegram reports (its service message) this soon after one the app carried out is that one.
_ECHO = timedelta(minutes=10)

#: How history's membership events read in the record: removals, join requests, and joins someone else made
#: (a member added by an admin, a request approved); joins by link or by the member are not moderation.
_HISTORY_KINDS = {
    MembershipKind.REMOVED.value: "removed in Telegram",
    MembershipKind.REQUESTED.value: "join request",
}
_JOINED_VIA = {"invite": "added", "request": "join request approved"}


def _action(row: ModerationActionRow, member_telegram_id: int | None) -> ModerationAction:
    return ModerationAction(
        id=row.id,
        kind=ModerationKind(row.kind),
        source_id=row.source_id,
        chat_id=row.chat_id,
        member_id=row.member_id,
        member_telegram_id=member_telegram_id,
        message_id=row.message_id,
        until=row.until,
        reason=row.reason,
        guideline=row.guideline,
        notice=row.notice,
        state=ModerationState(row.state),
        at=row.at,
        profile_id=row.profile_id,
        error=row.error,
    )


class ModerationRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    # -- deciding ------------------------------------------------------------------------------------------
    def queue(self, request: ModerationRequest, month_of: MonthKeyer, now: datetime | None = None) -> ModerationAction:
        """Record the decision and queue what Telegram must do, in one transaction: the action itself (an
        outbox row of kind "moderate"), and the private reminder or notice (a message to the member)."""
        check_request(request)
        for text in (request.notice, request.reason):
            if len(text) > MAX_TEXT:
                raise ModerationError(f"The text is {len(text):,} characters; Telegram takes at most {MAX_TEXT:,}.")
        now = now or now_utc()
        sources = SourceRepository(self.db)
        source = sources.by_id(request.source_id)
        if source is None:
            raise ModerationError("This source is no longer in the log: nothing was done.")
        private = sources.private_source() if request.notice.strip() else None
        with self.db.sessions.begin() as session:
            member = session.get(Member, request.member_id) if request.member_id is not None else None
            if request.member_id is not None and (member is None or member.peer_type != "user"):
                raise ModerationError("Only a person can be warned, muted, removed or banned (not a channel).")
            chat_id = self._chat_of(session, request, source)
            month = month_of(now)
            assert month is not None
            row = ModerationActionRow(
                source_id=source.id,
                chat_id=chat_id,
                member_id=request.member_id,
                kind=request.kind.value,
                state=ModerationState.QUEUED.value,
                reason=request.reason.strip(),
                guideline=request.guideline.strip(),
                notice=request.notice.strip(),
                message_id=request.message_id,
                # A slow mode keeps its interval (from the action's time: "until" minus "at"), never an end.
                until=now + request.duration if request.duration is not None else None,
                at=now,
                month=month,
                profile_id=request.profile_id,
            )
            session.add(row)
            session.flush()
            if request.kind is not ModerationKind.WARN:  # a warning is its reminder; the rest is a request
                session.add(self._outbox_row(source.id, chat_id, "moderate", "", request, row.id, now))
            if private is not None and member is not None:
                session.add(
                    self._outbox_row(private.id, member.telegram_id, "message", row.notice, request, row.id, now)
                )
            session.flush()
            return _action(row, member.telegram_id if member is not None else None)

    @staticmethod
    def _chat_of(session: Session, request: ModerationRequest, source: SourceInfo) -> int:
        kind = request.kind
        if source.kind is SourceKind.PRIVATE:
            if kind not in (ModerationKind.DELETE, ModerationKind.WARN):
                raise ModerationError("Mutes, removals and bans apply in groups and channels, not private chats.")
            if request.chat_id is None:
                raise ModerationError("Say which private chat the message is in.")
            return request.chat_id
        if request.message_id is not None:
            found = session.scalar(
                select(Message.id).where(
                    Message.source_id == source.id,
                    Message.chat_id == source.telegram_id,
                    Message.telegram_id == request.message_id,
                )
            )
            if found is None:
                raise ModerationError(f"There is no message {request.message_id} in {source.name}.")
        return source.telegram_id

    @staticmethod
    def _outbox_row(
        source_id: int, chat_id: int, kind: str, text: str, request: ModerationRequest, action_id: int, now: datetime
    ) -> OutboxItem:
        return queued_row(
            source_id,
            chat_id,
            kind=kind,
            purpose="moderation",
            text=text,
            reply_to=request.message_id if kind == "moderate" else None,
            created_at=now,
            profile_id=request.profile_id,
            moderation_id=action_id,
        )

    # -- the connector's side ------------------------------------------------------------------------------
    def get(self, action_id: int) -> ModerationAction | None:
        with self.db.sessions() as session:
            row = session.get(ModerationActionRow, action_id)
            if row is None:
                return None
            member = session.get(Member, row.member_id) if row.member_id is not None else None
            return _action(row, member.telegram_id if member is not None else None)

    def done(self, action_id: int, at: datetime | None = None) -> None:
        """Telegram did it. A deleted message stays in the log, marked deleted."""
        at = at or now_utc()
        with self.db.sessions.begin() as session:
            row = session.get(ModerationActionRow, action_id)
            if row is None:
                return
            row.state, row.done_at, row.error = ModerationState.DONE.value, at, None
            if row.kind == ModerationKind.PURGE.value and row.member_id is not None:
                session.execute(  # every message of theirs in that chat, deleted in Telegram, kept here
                    update(Message)
                    .where(
                        Message.source_id == row.source_id,
                        Message.chat_id == row.chat_id,
                        Message.sender_id == row.member_id,
                        Message.is_service.is_(False),
                        Message.deleted_at.is_(None),
                    )
                    .values(deleted_at=at)
                )
            if row.kind == ModerationKind.DELETE.value and row.message_id is not None:
                session.execute(
                    update(Message)
                    .where(
                        Message.source_id == row.source_id,
                        Message.chat_id == row.chat_id,
                        Message.telegram_id == row.message_id,
                        Message.deleted_at.is_(None),
                    )
                    .values(deleted_at=at)
                )

    def failed(self, action_id: int, reason: str) -> None:
        """Telegram refused: the decision stays on record with the reason (retrying the outbox row tries again)."""
        with self.db.engine.begin() as connection:
            connection.execute(
                update(ACTIONS)
                .where(ACTIONS.c.id == action_id)
                .values(state=ModerationState.FAILED.value, error=reason)
            )

    def answers_nothing(self, source_id: int, chat_id: int, telegram_id: int, profile_id: int | None) -> None:
        """A reminder or notice sent to a member answers none of their questions: the log's answer links say
        so (as a moderator's unlink does), so the rules re-derived later agree with the live ones."""
        with self.db.sessions.begin() as session:
            message_id = session.scalar(
                select(Message.id).where(
                    Message.source_id == source_id, Message.chat_id == chat_id, Message.telegram_id == telegram_id
                )
            )
            if message_id is not None and session.get(AnswerLink, message_id) is None:
                session.add(
                    AnswerLink(message_id=message_id, question_message_id=None, profile_id=profile_id, at=now_utc())
                )

    # -- reading -------------------------------------------------------------------------------------------
    def warnings_of(self, member_id: int) -> list[datetime]:
        """When the member was warned, in any of the organization's sources (a warning whose reminder could
        not be delivered does not count)."""
        with self.db.sessions() as session:
            return list(
                session.scalars(
                    select(ModerationActionRow.at).where(
                        ModerationActionRow.member_id == member_id,
                        ModerationActionRow.kind == ModerationKind.WARN.value,
                        ModerationActionRow.state != ModerationState.FAILED.value,
                    )
                )
            )

    def removal_proposed(self, member_id: int, policy: WarningPolicy, now: datetime | None = None) -> bool:
        return policy.proposes_removal(self.warnings_of(member_id), now or now_utc())

    def record_outside(
        self,
        source: SourceInfo,
        actions: list[OutsideAction],
        month_of: MonthKeyer,
        own_account: int | None,
        members: Mapping[int, int | None],
    ) -> int:
        """Keep what Telegram's admin log reports, once per event; returns how many were new. ``members``:
        the log's member id of each Telegram user named (the connector's ingestor gives them, so a member is
        never added twice). An action the app carried out itself comes back as an event by the organization's
        account: that echo is not kept twice (same kind and member, within minutes of the app's)."""
        kept = 0
        with self.db.sessions.begin() as session:
            for action in actions:
                seen = session.scalar(
                    select(ModerationActionRow.id).where(
                        ModerationActionRow.chat_id == source.telegram_id,
                        ModerationActionRow.event_id == action.event_id,
                    )
                )
                if seen is not None:
                    continue
                member_id = members.get(action.member_id) if action.member_id is not None else None
                if action.actor_id == own_account and self._echo(session, source.id, member_id, action):
                    continue
                session.add(
                    ModerationActionRow(
                        source_id=source.id,
                        chat_id=source.telegram_id,
                        member_id=member_id,
                        kind=action.kind.value,
                        state=ModerationState.DONE.value,
                        reason="",
                        guideline="",
                        notice="",
                        message_id=action.message_id,
                        until=action.until,
                        at=action.at,
                        month=month_of(action.at),
                        done_at=action.at,
                        origin=ModerationOrigin.TELEGRAM.value,
                        event_id=action.event_id,
                        actor_id=members.get(action.actor_id),
                    )
                )
                kept += 1
        return kept

    @staticmethod
    def _echo(session: Session, source_id: int, member_id: int | None, action: OutsideAction) -> bool:
        """Whether the app itself did this (its own action, seen again in the admin log). A removal is a ban
        lifted at once: both of its events are the app's."""
        kinds = [action.kind.value]
        if action.kind in (ModerationKind.BAN, ModerationKind.UNBAN):
            kinds.append(ModerationKind.REMOVE.value)
        query = select(ModerationActionRow.id).where(
            ModerationActionRow.source_id == source_id,
            ModerationActionRow.origin == ModerationOrigin.APP.value,
            ModerationActionRow.kind.in_(kinds),
            ModerationActionRow.at >= action.at - _ECHO,
            ModerationActionRow.at <= action.at + _ECHO,
        )
        if action.kind is ModerationKind.DELETE:
            # One message deleted, or one of all a member's messages the app deleted at once.
            query = select(ModerationActionRow.id).where(
                ModerationActionRow.source_id == source_id,
                ModerationActionRow.origin == ModerationOrigin.APP.value,
                ModerationActionRow.at >= action.at - _ECHO,
                ModerationActionRow.at <= action.at + _ECHO,
                or_(
                    and_(
                        ModerationActionRow.kind == ModerationKind.DELETE.value,
                        ModerationActionRow.message_id == action.message_id,
                    ),
                    and_(
                        ModerationActionRow.kind == ModerationKind.PURGE.value,
                        ModerationActionRow.member_id == member_id,
                    ),
                ),
            )
        else:
            query = query.where(ModerationActionRow.member_id == member_id)
        return session.scalar(query.limit(1)) is not None

    def record(
        self, start: datetime, end: datetime, source_id: int | None = None, *, member_id: int | None = None
    ) -> list[RecordEntry]:
        """Every action from ``start`` (included) to ``end`` (excluded), oldest first: the app's decisions,
        and the removals and join requests history holds, with members added by someone else; a removal
        the app carried out is listed once (Telegram's report of it is its echo). ``member_id``: only those
        about that member (the people panel)."""
        entries: list[RecordEntry] = []
        member = aliased(Member)
        admin = aliased(Member)
        with self.db.sessions() as session:
            query = (
                select(
                    ModerationActionRow,
                    Source.name,
                    member.display_name,
                    func.coalesce(ModeratorProfile.name, admin.display_name),
                    Message.text,
                )
                .join(Source, Source.id == ModerationActionRow.source_id)
                .outerjoin(member, member.id == ModerationActionRow.member_id)
                .outerjoin(ModeratorProfile, ModeratorProfile.id == ModerationActionRow.profile_id)
                .outerjoin(admin, admin.id == ModerationActionRow.actor_id)
                .outerjoin(
                    Message,
                    and_(
                        Message.source_id == ModerationActionRow.source_id,
                        Message.chat_id == ModerationActionRow.chat_id,
                        Message.telegram_id == ModerationActionRow.message_id,
                    ),
                )
                .where(ModerationActionRow.at >= start, ModerationActionRow.at < end)
            )
            if source_id is not None:
                query = query.where(ModerationActionRow.source_id == source_id)
            if member_id is not None:
                query = query.where(ModerationActionRow.member_id == member_id)
            carried_out: list[tuple[int, int | None, datetime]] = []
            for row, source_name, member_name, profile_name, text in session.execute(query):
                kind = ModerationKind(row.kind)
                label, until = KIND_LABELS[kind], row.until
                if kind is ModerationKind.SLOW_MODE:  # its interval is kept as "until" minus "at"
                    seconds = int((row.until - row.at).total_seconds()) if row.until is not None else 0
                    label, until = (f"slow mode: {seconds} s" if seconds else "slow mode off"), None
                if row.state == ModerationState.DONE.value and kind in (ModerationKind.REMOVE, ModerationKind.BAN):
                    carried_out.append((row.source_id, row.member_id, row.done_at or row.at))
                entries.append(
                    RecordEntry(
                        at=row.at,
                        source=source_name,
                        member=member_name or "",
                        kind=label,
                        origin=ModerationOrigin(row.origin or ModerationOrigin.APP.value),
                        by=profile_name or "",
                        reason=row.reason,
                        guideline=row.guideline,
                        state=row.state,
                        until=until,
                        message=text or "",
                        error=row.error or "",
                    )
                )
            actor = aliased(Member)
            history = (
                select(MembershipEvent, Source.name, member.display_name, actor.display_name)
                .join(Source, Source.id == MembershipEvent.source_id)
                .outerjoin(member, member.id == MembershipEvent.member_id)
                .outerjoin(actor, actor.id == MembershipEvent.actor_id)
                .where(
                    MembershipEvent.at >= start,
                    MembershipEvent.at < end,
                    (MembershipEvent.kind.in_(list(_HISTORY_KINDS)))
                    | (
                        (MembershipEvent.kind == MembershipKind.JOINED.value)
                        & MembershipEvent.via.in_(list(_JOINED_VIA))
                    ),
                )
            )
            if source_id is not None:
                history = history.where(MembershipEvent.source_id == source_id)
            if member_id is not None:
                history = history.where(MembershipEvent.member_id == member_id)
            for event, source_name, member_name, actor_name in session.execute(history):
                if event.kind == MembershipKind.REMOVED.value and any(
                    s == event.source_id and m == event.member_id and abs(event.at - at) <= _ECHO
                    for s, m, at in carried_out
                ):
                    continue
                entries.append(
                    RecordEntry(
                        at=event.at,
                        source=source_name,
                        member=member_name or event.member_name,
                        kind=_HISTORY_KINDS.get(event.kind) or _JOINED_VIA[event.via or ""],
                        origin=ModerationOrigin.HISTORY,
                        by=actor_name or "",
                        state=ModerationState.DONE.value,
                    )
                )
        entries.sort(key=lambda e: e.at)
        return entries
