"""Moderator profiles: the people using the app (one Telegram account is shared by the whole team).

Every reply and decision made in the window records the profile on duty, so the statistics can say who
answered; an inquiry can be assigned to a profile so a backup moderator sees at once whose it is.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from moderator_app.domain.profiles import ROLES, Profile, ProfileError
from moderator_app.store.db import Database
from moderator_app.store.models import Inquiry, Message, ModeratorProfile, Response


class ProfileRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    def all(self) -> list[Profile]:
        with self.db.sessions() as session:
            rows = session.scalars(select(ModeratorProfile).order_by(ModeratorProfile.name))
            return [Profile(r.id, r.name, r.role, tuple(r.languages or ())) for r in rows]

    def get(self, profile_id: int) -> Profile | None:
        with self.db.sessions() as session:
            r = session.get(ModeratorProfile, profile_id)
            return None if r is None else Profile(r.id, r.name, r.role, tuple(r.languages or ()))

    def add(self, name: str, role: str = "moderator", languages: tuple[str, ...] = ()) -> Profile:
        name = " ".join(name.split())
        if not name:
            raise ProfileError("A profile needs a name.")
        if len(name) > 255:
            raise ProfileError("A name of at most 255 characters, please.")
        if role not in ROLES:
            raise ProfileError(f"The role is one of: {', '.join(ROLES)}.")
        try:
            with self.db.sessions.begin() as session:
                row = ModeratorProfile(name=name, role=role, languages=list(languages))
                session.add(row)
                session.flush()
                return Profile(row.id, row.name, row.role, tuple(languages))
        except IntegrityError as exc:
            raise ProfileError(f"There is already a profile named {name!r}.") from exc

    def assign(self, inquiry_id: int, profile_id: int | None) -> None:
        """Give the inquiry to a profile (None: to nobody)."""
        with self.db.sessions.begin() as session:
            row = session.get(Inquiry, inquiry_id)
            if row is None:
                raise ProfileError(f"There is no inquiry #{inquiry_id} in the log.")
            row.assignee_profile_id = profile_id

    def credit_reply(
        self, source_id: int, chat_id: int, telegram_id: int, profile_id: int, inquiry_id: int | None, at: datetime
    ) -> None:
        """The reply sent as ``telegram_id`` was written by ``profile_id``: its counted responses, and the
        inquiry's first response when this reply was it."""
        with self.db.sessions.begin() as session:
            message_id = session.scalar(
                select(Message.id).where(
                    Message.source_id == source_id, Message.chat_id == chat_id, Message.telegram_id == telegram_id
                )
            )
            if message_id is not None:
                session.execute(update(Response).where(Response.message_id == message_id).values(profile_id=profile_id))
            if inquiry_id is not None:
                self._credit_first_response(session, inquiry_id, profile_id, at)

    def credit_decision(self, inquiry_id: int, profile_id: int, at: datetime) -> None:
        """A decision taken in the window (marked answered, answer confirmed) that was the first response."""
        with self.db.sessions.begin() as session:
            self._credit_first_response(session, inquiry_id, profile_id, at)

    def uncredit(self, inquiry_id: int) -> None:
        """A first response taken back (an undone decision): nobody is credited with it."""
        with self.db.sessions.begin() as session:
            row = session.get(Inquiry, inquiry_id)
            if row is not None and row.first_response_at is None:
                row.responder_profile_id = None

    @staticmethod
    def _credit_first_response(session: Session, inquiry_id: int, profile_id: int, at: datetime) -> None:
        row = session.get(Inquiry, inquiry_id)
        if (
            row is not None
            and row.responder_profile_id is None
            and row.first_response_at is not None
            and abs((row.first_response_at - at).total_seconds()) < 2  # this decision or reply was the first
        ):
            row.responder_profile_id = profile_id
