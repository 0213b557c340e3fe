"""Join requests in the log: kept in step with what Telegram lists (the connector syncs them), decided by a
moderator through the outbox (kind "join_request", text "approve" or "decline"), and the organization's join
questions queued as a private message (purpose "join_questions": it answers no question)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session, aliased

from moderator_app.domain.inbox import SourceInfo
from moderator_app.domain.join_requests import (
    JOIN_QUESTIONS_TOPIC,
    UNDECIDED,
    JoinRequest,
    PendingRequest,
    RequestState,
    applicant_language,
)
from moderator_app.domain.library import for_source, unattended_text
from moderator_app.domain.settings import ORGANIZATION_NAME
from moderator_app.store.db import Database
from moderator_app.store.library import LibraryRepository
from moderator_app.store.models import Inquiry, JoinRequestRow, Member, ModeratorProfile, Source
from moderator_app.store.outbox import queued_row
from moderator_app.store.repositories import SettingsRepository, SourceRepository, now_utc


def _request(row: JoinRequestRow, source: str, decided_by: str | None) -> JoinRequest:
    return JoinRequest(
        id=row.id,
        source_id=row.source_id,
        source=source,
        chat_id=row.chat_id,
        user_id=row.user_id,
        member_id=row.member_id,
        name=row.name,
        username=row.username,
        about=row.about,
        requested_at=row.requested_at,
        state=RequestState(row.state),
        decided_by=decided_by or "",
        questions_sent=row.questions_sent_at is not None,
        error=row.error or "",
    )


def _member_id(session: Session, user_id: int) -> int | None:
    return session.scalar(select(Member.id).where(Member.peer_type == "user", Member.telegram_id == user_id))


def _asked_in(session: Session, user_id: int) -> str | None:
    """The language of the applicant's latest inquiry, when they wrote to the organization before."""
    return session.scalar(
        select(Inquiry.language)
        .join(Member, Member.id == Inquiry.member_id)
        .where(Member.peer_type == "user", Member.telegram_id == user_id, Inquiry.language != "und")
        .order_by(Inquiry.arrival_at.desc())
        .limit(1)
    )


class JoinRequestRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    # -- the connector's side ------------------------------------------------------------------------------
    def sync(self, source: SourceInfo, pending: Iterable[PendingRequest], now: datetime | None = None) -> list[int]:
        """Telegram's pending requests of a group, whole: new ones added, and those no longer listed (withdrawn,
        or handled from a phone) marked gone. Returns the Telegram ids of the requests new to the log (the
        connector fetches their bio)."""
        now = now or now_utc()
        listed = {p.user_id: p for p in pending}
        new: list[int] = []
        with self.db.sessions.begin() as session:
            rows = session.scalars(
                select(JoinRequestRow).where(
                    JoinRequestRow.source_id == source.id,
                    JoinRequestRow.state.in_(
                        [RequestState.PENDING.value, RequestState.APPROVING.value, RequestState.DECLINING.value]
                    ),
                )
            ).all()
            known = {row.user_id for row in rows}
            for row in rows:
                if row.user_id not in listed and row.state == RequestState.PENDING.value:
                    row.state, row.decided_at = RequestState.GONE.value, now
            for user_id, request in listed.items():
                if user_id in known:
                    continue
                session.add(
                    JoinRequestRow(
                        source_id=source.id,
                        chat_id=source.telegram_id,
                        user_id=user_id,
                        member_id=_member_id(session, user_id),  # someone the log has seen already, if so
                        name=request.name,
                        username=request.username,
                        about=request.about,
                        requested_at=request.requested_at,
                        state=RequestState.PENDING.value,
                    )
                )
                new.append(user_id)
        return new

    def set_about(self, source_id: int, user_id: int, about: str) -> None:
        with self.db.engine.begin() as connection:
            connection.execute(
                update(JoinRequestRow)
                .where(JoinRequestRow.source_id == source_id, JoinRequestRow.user_id == user_id)
                .values(about=about)
            )

    def get(self, request_id: int) -> JoinRequest | None:
        with self.db.sessions() as session:
            row = session.get(JoinRequestRow, request_id)
            return _request(row, "", None) if row is not None else None

    def settled(self, request_id: int, approved: bool | None, error: str | None = None) -> None:
        """Telegram did it (approved or declined), or the request was no longer there (None: gone)."""
        state = RequestState.GONE if approved is None else RequestState.APPROVED if approved else RequestState.DECLINED
        with self.db.engine.begin() as connection:
            connection.execute(
                update(JoinRequestRow)
                .where(JoinRequestRow.id == request_id)
                .values(state=state.value, decided_at=now_utc(), error=error)
            )

    def failed(self, request_id: int, reason: str) -> None:
        """Telegram refused (not an admin, …): the request is pending again, with the reason shown."""
        with self.db.engine.begin() as connection:
            connection.execute(
                update(JoinRequestRow)
                .where(JoinRequestRow.id == request_id)
                .values(state=RequestState.PENDING.value, error=reason)
            )

    def failed_questions(self, request_id: int, reason: str) -> None:
        """The join questions could not be delivered (privacy settings, most often): said on the request."""
        with self.db.engine.begin() as connection:
            connection.execute(
                update(JoinRequestRow)
                .where(JoinRequestRow.id == request_id)
                .values(error=f"The join questions were not delivered: {reason}")
            )

    # -- the window's side -----------------------------------------------------------------------------------
    def requests(self, *, pending_only: bool = True) -> list[JoinRequest]:
        """Requests, newest first; ``pending_only``: those waiting for a decision or being carried out."""
        profile = aliased(ModeratorProfile)
        query = (
            select(JoinRequestRow, Source.name, profile.name)
            .join(Source, Source.id == JoinRequestRow.source_id)
            .outerjoin(profile, profile.id == JoinRequestRow.profile_id)
            .order_by(JoinRequestRow.requested_at.desc(), JoinRequestRow.id.desc())
        )
        if pending_only:
            query = query.where(
                JoinRequestRow.state.in_(
                    [RequestState.PENDING.value, RequestState.APPROVING.value, RequestState.DECLINING.value]
                )
            )
        with self.db.sessions() as session:
            return [_request(row, source, by) for row, source, by in session.execute(query)]

    def pending_count(self) -> int:
        return sum(1 for r in self.requests() if r.state in UNDECIDED)

    def decide(self, request_ids: Iterable[int], approve: bool, profile_id: int | None) -> int:
        """Queue the approval or refusal of each request still pending; returns how many were queued."""
        now = now_utc()
        queued = 0
        with self.db.sessions.begin() as session:
            for request_id in request_ids:
                row = session.get(JoinRequestRow, request_id)
                if row is None or row.state != RequestState.PENDING.value:
                    continue
                row.state = (RequestState.APPROVING if approve else RequestState.DECLINING).value
                row.profile_id, row.error = profile_id, None
                session.add(
                    queued_row(
                        row.source_id,
                        row.chat_id,
                        kind="join_request",
                        purpose="moderation",
                        text="approve" if approve else "decline",
                        created_at=now,
                        profile_id=profile_id,
                        join_request_id=row.id,
                    )
                )
                queued += 1
        return queued

    def send_questions(self, request_ids: Iterable[int], profile_id: int | None) -> int:
        """The organization's join questions (a library answer of the topic "join_questions"), privately, in
        the applicant's language where known (domain.join_requests.applicant_language), else the group's; returns
        how many were queued. ValueError when the library has none."""
        answers = LibraryRepository(self.db).all()
        if not any(JOIN_QUESTIONS_TOPIC in a.topics for a in answers):
            raise ValueError("Write the join questions first: a library answer with the topic “join_questions”.")
        organization = SettingsRepository(self.db).read(ORGANIZATION_NAME)
        private = SourceRepository(self.db).private_source()
        sources = {s.id: s for s in SourceRepository(self.db).all()}
        now = now_utc()
        queued = 0
        with self.db.sessions.begin() as session:
            for request_id in request_ids:
                row = session.get(JoinRequestRow, request_id)
                if row is None or row.state != RequestState.PENDING.value or row.questions_sent_at is not None:
                    continue
                source = sources.get(row.source_id)
                answer = next(iter(for_source(answers, row.source_id, JOIN_QUESTIONS_TOPIC)), None)
                if answer is None:  # only other groups have their own questions
                    continue
                group_language = source.language if source is not None else None
                language = applicant_language(_asked_in(session, row.user_id), row.about, group_language)
                text = unattended_text(answer, language, group_language, row.name, organization, now.date())
                session.add(
                    queued_row(
                        private.id,
                        row.user_id,
                        purpose="join_questions",
                        text=text,
                        created_at=now,
                        profile_id=profile_id,
                        join_request_id=row.id,
                    )
                )
                row.questions_sent_at = now
                queued += 1
        return queued
