"""The people panel read from the log: one row per member (staff left out), and a member opened.

Five grouped queries, then a merge in Python: the members' messages, inquiries, membership events, warnings
and notes. A member is listed when they wrote in a source or a membership event names them there.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.engine import Connection

from moderator_app.domain.conversation import PreviousInquiry
from moderator_app.domain.events import MembershipKind, SourceKind
from moderator_app.domain.inquiries import UNCOUNTED_STATES
from moderator_app.domain.moderation import ModerationKind, ModerationState, WarningPolicy
from moderator_app.domain.people import (
    DETAIL_INQUIRIES,
    DETAIL_MESSAGES,
    MemberNote,
    Membership,
    PersonDetail,
    PersonMessage,
    PersonRow,
    read_stay,
)
from moderator_app.domain.text import normalize
from moderator_app.store.db import Database
from moderator_app.store.models import (
    Inquiry,
    Member,
    MemberNoteRow,
    MembershipEvent,
    Message,
    ModerationActionRow,
    ModeratorProfile,
    Source,
    asked_in,
)
from moderator_app.store.moderation import ModerationRepository
from moderator_app.store.repositories import SettingsRepository, now_utc

_JOINED, _PRESENT = MembershipKind.JOINED.value, MembershipKind.PRESENT.value
_LEFT, _REMOVED = MembershipKind.LEFT.value, MembershipKind.REMOVED.value
_UNCOUNTED = sorted(state.value for state in UNCOUNTED_STATES)
FIRST_LINE = 120


def _first_line(text: str | None) -> str:
    return (text or "").split("\n", 1)[0][:FIRST_LINE]


class _Stay:
    """A member's events in one source, in (time, insertion) order, read as the member card reads them."""

    def __init__(self) -> None:
        self.events: list[tuple[str, datetime, str | None]] = []

    def membership(self, source: str, source_id: int, chat_id: int, private: bool) -> Membership:
        stay = read_stay(self.events)
        return Membership(
            source=source,
            source_id=source_id,
            chat_id=chat_id,
            joined_at=stay.joined_at,
            joined_via=stay.joined_via,
            left_at=stay.left_at,
            removed=stay.removed,
            private=private,
        )


class PeopleRepository:
    def __init__(self, db: Database, policy: WarningPolicy | None = None) -> None:
        self.db = db
        self.policy = policy or WarningPolicy()

    def people(self, source_id: int | None = None, search: str = "") -> list[PersonRow]:
        """Every member seen in ``source_id`` (None: in any source), most recently active first; ``search``
        keeps those whose name, username or Telegram id holds it (folded: any script, any case)."""
        return self._rows(source_id, search)

    def _rows(self, source_id: int | None, search: str, member_id: int | None = None) -> list[PersonRow]:
        """``member_id``: that member's row only (a member opened), read with the same rules."""
        staff = SettingsRepository(self.db).staff_ids()
        since = now_utc() - self.policy.expiry
        with self.db.engine.connect() as connection:
            names = dict(connection.execute(select(Source.id, Source.name)).all())
            private = {
                i for (i,) in connection.execute(select(Source.id).where(Source.kind == SourceKind.PRIVATE.value))
            }
            messages = select(Message.sender_id, Message.source_id, func.count(), func.max(Message.date)).where(
                Message.sender_id.is_not(None), Message.is_service.is_(False), Message.from_staff.is_(False)
            )
            inquiries = select(Inquiry.member_id, func.count()).where(
                Inquiry.member_id.is_not(None), Inquiry.state.not_in(_UNCOUNTED)
            )
            events = select(
                MembershipEvent.member_id,
                MembershipEvent.source_id,
                MembershipEvent.kind,
                MembershipEvent.at,
                MembershipEvent.via,
            ).where(
                MembershipEvent.member_id.is_not(None),
                MembershipEvent.kind.in_([_JOINED, _PRESENT, _LEFT, _REMOVED]),
            )
            if source_id is not None:
                messages = messages.where(Message.source_id == source_id)
                inquiries = inquiries.where(Inquiry.source_id == source_id)
                events = events.where(MembershipEvent.source_id == source_id)
            warnings = select(ModerationActionRow.member_id, func.count()).where(
                ModerationActionRow.kind == ModerationKind.WARN.value,
                ModerationActionRow.state != ModerationState.FAILED.value,
                ModerationActionRow.at > since,  # as WarningPolicy.active counts
            )
            noted = select(MemberNoteRow.member_id, func.count())
            if member_id is not None:
                messages = messages.where(Message.sender_id == member_id)
                inquiries = inquiries.where(Inquiry.member_id == member_id)
                events = events.where(MembershipEvent.member_id == member_id)
                warnings = warnings.where(ModerationActionRow.member_id == member_id)
                noted = noted.where(MemberNoteRow.member_id == member_id)
            wrote: dict[int, list[tuple[int, int, datetime]]] = defaultdict(list)
            for sender, in_source, count, last in connection.execute(
                messages.group_by(Message.sender_id, Message.source_id)
            ):
                if sender is not None:  # (the query keeps none; the column may hold them)
                    wrote[sender].append((in_source, int(count), last))
            asked = dict(connection.execute(inquiries.group_by(Inquiry.member_id)).all())
            stays: dict[int, dict[int, _Stay]] = defaultdict(lambda: defaultdict(_Stay))
            for named, in_source, kind, at, via in connection.execute(
                events.order_by(MembershipEvent.at, MembershipEvent.id)
            ):
                if named is not None:
                    stays[named][in_source].events.append((kind, at, via))
            warned = dict(connection.execute(warnings.group_by(ModerationActionRow.member_id)).all())
            notes = dict(connection.execute(noted.group_by(MemberNoteRow.member_id)).all())
            ids = set(wrote) | set(stays)
            members = self._members(connection, ids)
        folded = normalize(search.strip())
        rows = []
        for member_id in ids:
            member = members.get(member_id)
            if member is None:
                continue
            name, username, telegram_id = member
            if telegram_id in staff:
                continue
            in_sources = {s for s, _, _ in wrote.get(member_id, ())} | set(stays.get(member_id, {}))
            # The latest join among the sources shown (with a departure after it, if any).
            stayed = [
                stay.membership(names.get(s, ""), s, 0, s in private) for s, stay in stays.get(member_id, {}).items()
            ]
            latest = max(
                (m for m in stayed if m.joined_at is not None), key=lambda m: m.joined_at or now_utc(), default=None
            )
            actives = [last for _, _, last in wrote.get(member_id, ())]
            row = PersonRow(
                member_id=member_id,
                name=name,
                username=username,
                telegram_id=telegram_id,
                sources=tuple(sorted(names.get(s, "") for s in in_sources)),
                joined_at=latest.joined_at if latest is not None else None,
                joined_via=latest.joined_via if latest is not None else None,
                left=None if latest is None or latest.left_at is None else ("removed" if latest.removed else "left"),
                last_active=max(actives) if actives else None,
                messages=sum(count for _, count, _ in wrote.get(member_id, ())),
                inquiries=int(asked.get(member_id, 0)),
                warnings=int(warned.get(member_id, 0)),
                notes=int(notes.get(member_id, 0)),
            )
            if row.matches(folded):
                rows.append(row)
        rows.sort(key=lambda r: r.last_active or r.joined_at or datetime.min.replace(tzinfo=now_utc().tzinfo))
        rows.reverse()
        return rows

    def _members(self, connection: Connection, ids: Iterable[int]) -> dict[int, tuple[str, str | None, int]]:
        wanted = sorted(ids)
        found: dict[int, tuple[str, str | None, int]] = {}
        for start in range(0, len(wanted), 500):  # bound the IN list (PostgreSQL and SQLite both take it)
            chunk = wanted[start : start + 500]
            for member_id, name, username, telegram_id in connection.execute(
                select(Member.id, Member.display_name, Member.username, Member.telegram_id).where(Member.id.in_(chunk))
            ):
                found[member_id] = (name or "", username or None, telegram_id)
        return found

    def add_note(self, member_id: int, text: str, profile_id: int | None) -> MemberNote:
        """Keep a moderator's note about a member (ValueError for an empty one)."""
        text = text.strip()
        if not text:
            raise ValueError("Write the note first: it is empty.")
        at = now_utc()
        with self.db.sessions.begin() as session:
            if session.get(Member, member_id) is None:
                raise ValueError("This member is no longer in the log.")
            row = MemberNoteRow(member_id=member_id, text=text, profile_id=profile_id, at=at)
            session.add(row)
            session.flush()
            author = session.get(ModeratorProfile, profile_id) if profile_id is not None else None
            return MemberNote(row.id, member_id, text, author.name if author is not None else "", at)

    def detail(self, member_id: int) -> PersonDetail | None:
        """A member opened: their row (in every source), where they are, their inquiries and latest messages,
        and the moderation record about them; None when the log has no such member."""
        row = next(iter(self._rows(None, "", member_id)), None)
        if row is None:
            return None
        with self.db.engine.connect() as connection:
            sources = {
                i: (name, kind, telegram_id)
                for i, name, kind, telegram_id in connection.execute(
                    select(Source.id, Source.name, Source.kind, Source.telegram_id)
                )
            }
            stays: dict[int, _Stay] = defaultdict(_Stay)
            for in_source, kind, at, via in connection.execute(
                select(MembershipEvent.source_id, MembershipEvent.kind, MembershipEvent.at, MembershipEvent.via)
                .where(
                    MembershipEvent.member_id == member_id,
                    MembershipEvent.kind.in_([_JOINED, _PRESENT, _LEFT, _REMOVED]),
                )
                .order_by(MembershipEvent.at, MembershipEvent.id)
            ):
                stays[in_source].events.append((kind, at, via))
            wrote_in = {
                s
                for (s,) in connection.execute(
                    select(Message.source_id).where(Message.sender_id == member_id).group_by(Message.source_id)
                )
            }
            memberships = tuple(
                sorted(
                    (
                        stays[s].membership(sources[s][0], s, sources[s][2], sources[s][1] == SourceKind.PRIVATE.value)
                        for s in set(stays) | wrote_in
                        if s in sources
                    ),
                    key=lambda m: m.source.casefold(),
                )
            )
            question = asked_in(Message)
            inquiries = tuple(
                PreviousInquiry(id=r[0], arrival=r[1], source=r[2], state=r[3], first_line=_first_line(r[4]))
                for r in connection.execute(
                    select(Inquiry.id, Inquiry.arrival_at, Source.name, Inquiry.state, Message.text)
                    .join(Source, Source.id == Inquiry.source_id)
                    .outerjoin(Message, question)
                    .where(Inquiry.member_id == member_id)
                    .order_by(Inquiry.arrival_at.desc(), Inquiry.id.desc())
                    .limit(DETAIL_INQUIRIES)
                )
            )
            messages = tuple(
                PersonMessage(at=r[0], source=r[1], text=r[2] or "", media_kind=r[3], deleted=r[4] is not None)
                for r in connection.execute(
                    select(Message.date, Source.name, Message.text, Message.media_kind, Message.deleted_at)
                    .join(Source, Source.id == Message.source_id)
                    .where(Message.sender_id == member_id, Message.is_service.is_(False))
                    .order_by(Message.date.desc(), Message.id.desc())
                    .limit(DETAIL_MESSAGES)
                )
            )
            notes = self._notes(connection, member_id)
            language = connection.scalar(
                select(Inquiry.language)
                .where(Inquiry.member_id == member_id, Inquiry.language != "und")
                .order_by(Inquiry.arrival_at.desc())
                .limit(1)
            )
        record = tuple(
            reversed(
                ModerationRepository(self.db).record(_EARLIEST, now_utc() + timedelta(days=1), member_id=member_id)
            )
        )
        return PersonDetail(row, memberships, inquiries, messages, record, notes, language or "und")

    def _notes(self, connection: Connection, member_id: int) -> tuple[MemberNote, ...]:
        return tuple(
            MemberNote(note_id, member_id, text, author or "", at)
            for note_id, text, author, at in connection.execute(
                select(MemberNoteRow.id, MemberNoteRow.text, ModeratorProfile.name, MemberNoteRow.at)
                .outerjoin(ModeratorProfile, ModeratorProfile.id == MemberNoteRow.profile_id)
                .where(MemberNoteRow.member_id == member_id)
                .order_by(MemberNoteRow.at.desc(), MemberNoteRow.id.desc())
            )
        )


_EARLIEST = datetime(2000, 1, 1).astimezone()
