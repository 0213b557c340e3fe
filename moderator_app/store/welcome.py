"""Welcomes in the log: each group's setup (a setting), the joins waiting for a welcome, and the welcome queued
as an outbox message (purpose "welcome": it answers no question) with a row in ``welcomes`` so nobody is
welcomed twice, whoever clicks and whatever the connector does at the same time."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from moderator_app.domain.events import MembershipKind, SourceKind
from moderator_app.domain.library import unattended_text
from moderator_app.domain.outbox import OutboxState
from moderator_app.domain.settings import ORGANIZATION_NAME, WELCOMES
from moderator_app.domain.welcome import (
    Joiner,
    WelcomeMode,
    WelcomePlace,
    WelcomeSetup,
    WelcomeState,
    setups_from,
    setups_to,
)
from moderator_app.store.db import Database
from moderator_app.store.library import LibraryRepository
from moderator_app.store.models import Inquiry, Member, MembershipEvent, OutboxItem, Source, WelcomeRow
from moderator_app.store.outbox import queued_row
from moderator_app.store.repositories import SettingsRepository, SourceRepository, now_utc

#: Joins older than this are not welcomed any more (a connector offline for a week does not greet late).
FRESH = timedelta(days=2)
#: How far back the one-click list looks.
LISTED = timedelta(days=7)


class WelcomeRepository:
    def __init__(self, db: Database) -> None:
        self.db = db
        self.settings = SettingsRepository(db)

    # -- setups ------------------------------------------------------------------------------------------------
    def setups(self) -> dict[int, WelcomeSetup]:
        stored: dict[str, Any] = self.settings.read(WELCOMES)
        return setups_from(stored)

    def save_setups(self, setups: Iterable[WelcomeSetup], now: datetime | None = None) -> dict[int, WelcomeSetup]:
        """Store the groups' setups. A group whose welcomes are turned on now starts from now: its earlier
        joins are not greeted. Refused: a welcome turned on without an answer to send."""
        now = now or now_utc()
        before = self.setups()
        saved: dict[int, WelcomeSetup] = {}
        for setup in setups:
            if setup.mode is not WelcomeMode.OFF and setup.answer_id is None:
                raise ValueError("Choose the welcome to send (a library answer with the topic “welcome”).")
            old = before.get(setup.source_id)
            since = setup.since
            if setup.mode is not WelcomeMode.OFF and (old is None or old.mode is WelcomeMode.OFF):
                since = now.replace(microsecond=0)  # Telegram dates joins in whole seconds
            elif old is not None:
                since = old.since
            saved[setup.source_id] = WelcomeSetup(setup.source_id, setup.mode, setup.place, setup.answer_id, since)
        self.settings.write(WELCOMES, setups_to(saved))
        return saved

    # -- the joins -----------------------------------------------------------------------------------------------
    def joiners(self, now: datetime | None = None) -> list[Joiner]:
        """Recent joins in groups that welcome (newest first), with where each welcome stands."""
        now = now or now_utc()
        setups = {s: w for s, w in self.setups().items() if w.mode is not WelcomeMode.OFF and w.since is not None}
        if not setups:
            return []
        with self.db.sessions() as session:
            rows = session.execute(
                select(MembershipEvent, Source.name, Member.display_name, WelcomeRow.outbox_id)
                .join(Source, Source.id == MembershipEvent.source_id)
                .outerjoin(Member, Member.id == MembershipEvent.member_id)
                .outerjoin(WelcomeRow, WelcomeRow.event_id == MembershipEvent.id)
                .where(
                    MembershipEvent.kind == MembershipKind.JOINED.value,
                    MembershipEvent.source_id.in_(list(setups)),
                    MembershipEvent.at >= now - LISTED,
                    MembershipEvent.member_id.is_not(None),
                )
                .order_by(MembershipEvent.at.desc(), MembershipEvent.id.desc())
            ).all()
            outbox = {
                item.id: item
                for item in session.scalars(
                    select(OutboxItem).where(OutboxItem.id.in_([r[3] for r in rows if r[3] is not None]))
                )
            }
        joiners = []
        for event, source, member, outbox_id in rows:
            since = setups[event.source_id].since
            if since is not None and event.at < since:
                continue
            state, error = WelcomeState.WAITING, ""
            item = outbox.get(outbox_id) if outbox_id is not None else None
            if item is not None:
                state = {
                    OutboxState.SENT: WelcomeState.SENT,
                    OutboxState.FAILED: WelcomeState.FAILED,
                }.get(item.state, WelcomeState.QUEUED)
                error = item.last_error or ""
            joiners.append(
                Joiner(
                    event.id,
                    event.source_id,
                    source,
                    event.member_id,
                    member or event.member_name,
                    event.at,
                    state,
                    error,
                )
            )
        return joiners

    def waiting(self, now: datetime | None = None) -> list[Joiner]:
        """Joins in one-click groups not welcomed yet, recent enough to greet."""
        now = now or now_utc()
        setups = self.setups()
        return [
            j
            for j in self.joiners(now)
            if j.state is WelcomeState.WAITING
            and setups[j.source_id].mode is WelcomeMode.ONE_CLICK
            and j.at >= now - FRESH
        ]

    def queue_due(self, now: datetime | None = None) -> int:
        """The connector, after joins were stored: welcome those of automatic groups. Returns how many."""
        now = now or now_utc()
        setups = self.setups()
        due = [
            j.event_id
            for j in self.joiners(now)
            if j.state is WelcomeState.WAITING
            and setups[j.source_id].mode is WelcomeMode.AUTOMATIC
            and j.at >= now - FRESH
        ]
        return self.welcome(due, None, now) if due else 0

    def welcome(self, event_ids: Iterable[int], profile_id: int | None, now: datetime | None = None) -> int:
        """Queue the welcome of each join (those already welcomed are skipped); returns how many were queued."""
        now = now or now_utc()
        setups = self.setups()
        answers = {a.id: a for a in LibraryRepository(self.db).all()}
        organization = self.settings.read(ORGANIZATION_NAME)
        sources = {s.id: s for s in SourceRepository(self.db).all()}
        private = next((s for s in sources.values() if s.kind is SourceKind.PRIVATE), None)
        queued = 0
        for event_id in event_ids:
            with self.db.sessions.begin() as session:
                event = session.get(MembershipEvent, event_id)
                if event is None or event.member_id is None or session.get(WelcomeRow, event_id) is not None:
                    continue
                setup = setups.get(event.source_id)
                answer = answers.get(setup.answer_id) if setup is not None and setup.answer_id is not None else None
                source = sources.get(event.source_id)
                member = session.get(Member, event.member_id)
                if setup is None or answer is None or source is None or member is None:
                    continue
                language = self._language(session, member.id, source.language)
                text = unattended_text(answer, language, source.language, member.display_name, organization, now.date())
                if setup.place is WelcomePlace.PRIVATE:
                    if private is None:
                        private = SourceRepository(self.db).private_source()
                    target_source, chat_id = private.id, member.telegram_id
                else:
                    target_source, chat_id = source.id, source.telegram_id
                item = queued_row(
                    target_source, chat_id, purpose="welcome", text=text, created_at=now, profile_id=profile_id
                )
                session.add(item)
                session.flush()
                session.add(WelcomeRow(event_id=event_id, outbox_id=item.id, at=now, profile_id=profile_id))
                try:
                    session.flush()
                except IntegrityError:  # welcomed meanwhile (another workstation, the connector)
                    session.rollback()
                    continue
            queued += 1
        return queued

    @staticmethod
    def _language(session: Session, member_id: int, fallback: str | None) -> str:
        """The member's language where the log knows it (their latest inquiry), else the group's."""
        known = session.scalar(
            select(Inquiry.language)
            .where(Inquiry.member_id == member_id, Inquiry.language != "und")
            .order_by(Inquiry.arrival_at.desc())
            .limit(1)
        )
        return str(known or fallback or "en")
