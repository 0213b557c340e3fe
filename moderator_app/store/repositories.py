"""Repositories: the store's answers in domain terms (no SQLAlchemy objects leak out)."""

from __future__ import annotations

import getpass
import platform
import secrets
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar, cast

from sqlalchemy import Table, Update, delete, func, or_, select, update
from sqlalchemy.orm import Session, aliased

from moderator_app.domain.asking import InquiryDetector, Verdict
from moderator_app.domain.clock import ServiceClock
from moderator_app.domain.events import PRIVATE_SOURCE_NAME, SourceKind, SourceRef
from moderator_app.domain.inbox import InboxEntry, SourceInfo
from moderator_app.domain.inquiries import OPEN_STATES, Detection, InquiryState, TrackedInquiry
from moderator_app.domain.library_search import organization_document
from moderator_app.domain.referrals import ReferralOrganization
from moderator_app.domain.safety import STARTER_MATCHER, UrgentMatcher, starter_lists
from moderator_app.domain.settings import ANSWER_WINDOW, PSEUDONYM_SALT, STAFF_IDS, URGENT_WORDS
from moderator_app.domain.settings import Setting as Declared
from moderator_app.domain.standard import ServiceStandard
from moderator_app.store.bulk import BulkWriter
from moderator_app.store.db import Database
from moderator_app.store.library_search import PARTNER, LibrarySearchStore
from moderator_app.store.models import (
    ImportRun,
    Inquiry,
    Member,
    Message,
    ModeratorProfile,
    ReferralOrganizationRow,
    Response,
    ServiceStandardRow,
    Setting,
    Source,
    Topic,
    asked_in,
)

T = TypeVar("T")


def now_utc() -> datetime:
    return datetime.now(UTC)


def _source_info(row: Source) -> SourceInfo:
    return SourceInfo(
        row.id, SourceKind(row.kind), row.telegram_id, row.name, row.telegram_type, row.language, bool(row.watched)
    )


class SettingsRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    def read(self, setting: Declared[T]) -> T:
        """A declared setting (domain/settings.py), as its type."""
        return setting.read(self.get(self.key_of(setting)))

    def write(self, setting: Declared[T], value: T) -> None:
        self.set(self.key_of(setting), None if value is None else setting.dump(value))

    @staticmethod
    def key_of(setting: Declared[Any]) -> str:
        """A per-workstation setting is kept once per computer and system user: a log on PostgreSQL is shared
        by the team, and each workstation has its own person on duty."""
        if not setting.per_workstation:
            return setting.key
        return f"{setting.key}:{platform.node() or 'this computer'}:{getpass.getuser()}"

    def get(self, key: str, default: Any = None) -> Any:
        """The stored JSON value of ``key`` (undeclared: for read() and write(), migrations and tests)."""
        with self.db.sessions() as session:
            row = session.get(Setting, key)
            return default if row is None else row.value

    def set(self, key: str, value: Any) -> None:
        with self.db.sessions.begin() as session:
            row = session.get(Setting, key)
            if row is None:
                session.add(Setting(key=key, value=value))
            else:
                row.value = value

    def answer_window(self) -> timedelta:
        """How recent the source's only open question must be for the next staff message to answer it
        without Telegram's reply (DESIGN, "Response"); 2 hours unless the organization set another."""
        return self.read(ANSWER_WINDOW)

    def set_answer_window(self, window: timedelta) -> None:
        self.write(ANSWER_WINDOW, window)

    def urgent_words(self) -> UrgentMatcher:
        """The organization's urgent-word lists (the starter lists until edited), ready to match."""
        stored = self.read(URGENT_WORDS)
        return STARTER_MATCHER if stored == starter_lists() else UrgentMatcher(stored)

    def staff_ids(self) -> frozenset[int]:
        return self.read(STAFF_IDS)

    def add_staff(self, ids: Iterable[int]) -> frozenset[int]:
        merged = self.staff_ids() | frozenset(ids)
        self.write(STAFF_IDS, merged)
        return merged

    def pseudonym_salt(self) -> str:
        """A random per-database salt, so pseudonyms cannot be reversed with a table of Telegram ids."""
        salt = self.read(PSEUDONYM_SALT)
        if not salt:
            salt = secrets.token_hex(16)
            self.write(PSEUDONYM_SALT, salt)
        return salt


class UnknownSourceError(LookupError):
    """A source name or id that is not in the log."""


class SourceRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    @staticmethod
    def _row(session: Session, ref: SourceRef, *, watched: bool) -> tuple[Source, bool]:
        """The source's row, added (``watched`` as given) if the log has none; and whether it was added."""
        row = session.scalars(
            select(Source).where(Source.kind == ref.kind.value, Source.telegram_id == ref.telegram_id)
        ).first()
        if row is not None:
            return row, False
        row = Source(
            kind=ref.kind.value,
            telegram_id=ref.telegram_id,
            name=ref.name,
            telegram_type=ref.telegram_type,
            watched=watched,
            created_at=now_utc(),
        )
        session.add(row)
        session.flush()
        return row, True

    def get_or_create(self, ref: SourceRef) -> SourceInfo:
        with self.db.sessions.begin() as session:
            row, added = self._row(session, ref, watched=True)
            if not added and ref.name and row.name != ref.name and ref.kind is not SourceKind.PRIVATE:
                row.name = ref.name  # groups get renamed; keep the current name
            return _source_info(row)

    def set_watched(self, ref: SourceRef, watched: bool) -> SourceInfo:
        """Watch (or stop watching) a source; the log keeps what it already has either way."""
        with self.db.sessions.begin() as session:
            row, added = self._row(session, ref, watched=watched)
            if not added:
                row.watched = watched
                if ref.telegram_type:
                    row.telegram_type = ref.telegram_type
                session.flush()
            return _source_info(row)

    def watched(self) -> list[SourceInfo]:
        return [s for s in self.all() if s.watched]

    def private_source(self) -> SourceInfo:
        return self.get_or_create(SourceRef(SourceKind.PRIVATE, 0, PRIVATE_SOURCE_NAME, "personal_chat"))

    def by_id(self, source_id: int) -> SourceInfo | None:
        """The source with this id (one row read), or None when the log has none."""
        with self.db.sessions() as session:
            row = session.get(Source, source_id)
            return _source_info(row) if row is not None else None

    def all(self) -> list[SourceInfo]:
        with self.db.sessions() as session:
            rows = session.scalars(select(Source).order_by(Source.kind != "private", Source.name)).all()
            return [_source_info(r) for r in rows]

    def find(self, name_or_id: str) -> SourceInfo:
        """By exact name, case-insensitive name, or Telegram id; a readable error lists what exists."""
        sources = self.all()
        for test in (
            lambda s: s.name == name_or_id,
            lambda s: s.name.casefold() == name_or_id.casefold(),
            lambda s: str(s.telegram_id) == name_or_id.strip() and s.kind is not SourceKind.PRIVATE,
        ):
            found = [s for s in sources if test(s)]
            if len(found) == 1:
                return found[0]
        names = ", ".join(repr(s.name) for s in sources) or "none yet (import an export first)"
        raise UnknownSourceError(f"No source is called {name_or_id!r}. Sources: {names}.")


def _organization(r: ReferralOrganizationRow) -> ReferralOrganization:
    return ReferralOrganization(
        name=r.name,
        aliases=tuple(r.aliases or ()),
        phone=r.phone,
        website=r.website,
        topics=tuple(r.topics or ()),
        languages=tuple(r.languages or ()),
        id=r.id,
        address=r.address or "",
        email=r.email or "",
        hours=r.hours or "",
        eligibility=r.eligibility or "",
        templates=tuple((r.templates or {}).items()),
        names=tuple((r.names or {}).items()),
    )


class ReferralError(ValueError):
    """An organization that cannot be saved or removed; the message says why."""


class ReferralRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    def all(self) -> list[ReferralOrganization]:
        with self.db.sessions() as session:
            rows = session.scalars(select(ReferralOrganizationRow).order_by(ReferralOrganizationRow.name)).all()
            return [_organization(r) for r in rows]

    def save(self, organization: ReferralOrganization) -> ReferralOrganization:
        """One organization from the editor, new (no id) or changed; its name must stay unique."""
        name = " ".join(organization.name.split())
        if not name:
            raise ReferralError("An organization needs a name.")
        with self.db.sessions.begin() as session:
            for other in session.scalars(select(ReferralOrganizationRow)):
                if other.name.casefold() == name.casefold() and other.id != organization.id:
                    raise ReferralError(f"There is already an organization named {other.name!r}.")
            row = session.get(ReferralOrganizationRow, organization.id) if organization.id is not None else None
            if row is None:
                row = ReferralOrganizationRow(name=name)
                session.add(row)
            _copy_organization(row, organization, name, details=True)
            session.flush()
            saved = _organization(row)
            _index_partner(session, saved)
            return saved

    def delete(self, organization_id: int) -> None:
        """Remove an organization nobody was referred to yet; past referrals keep theirs in the statistics."""
        with self.db.sessions.begin() as session:
            used = session.scalar(select(func.count()).where(Response.organization_id == organization_id))
            if used:
                raise ReferralError(
                    f"{used} referrals in the log point at this organization: it stays, so the statistics stay "
                    "right. Remove its aliases or topics instead if it closed."
                )
            session.execute(delete(ReferralOrganizationRow).where(ReferralOrganizationRow.id == organization_id))
            LibrarySearchStore.remove(session, PARTNER, organization_id)

    def upsert_all(self, organizations: Sequence[ReferralOrganization], *, details: bool = False) -> tuple[int, int]:
        """Add or update by name (case-insensitive), all in one transaction; returns (added, updated).

        Organizations not in the file are kept: past referrals point at them. Without ``details`` (a CSV,
        which has none) the address, hours, messages... already entered are kept.
        """
        added = updated = 0
        with self.db.sessions.begin() as session:
            existing = {r.name.casefold(): r for r in session.scalars(select(ReferralOrganizationRow))}
            touched: dict[str, ReferralOrganizationRow] = {}
            for org in organizations:
                row = existing.get(org.name.casefold())
                if row is None:
                    row = ReferralOrganizationRow(name=org.name)
                    session.add(row)
                    existing[org.name.casefold()] = row
                    added += 1
                else:
                    updated += 1
                _copy_organization(row, org, org.name, details=details)
                touched[org.name.casefold()] = row
            session.flush()
            for row in touched.values():
                _index_partner(session, _organization(row))
        return added, updated


def _copy_organization(
    row: ReferralOrganizationRow, organization: ReferralOrganization, name: str, *, details: bool
) -> None:
    """Write an organization into its row; without ``details`` (a CSV has none) the address, email, hours,
    eligibility, messages and names already entered are kept."""
    row.name = name
    row.aliases = list(organization.aliases)
    row.phone = organization.phone
    row.website = organization.website
    row.topics = list(organization.topics)
    row.languages = list(organization.languages)
    if details:
        row.address = organization.address
        row.email = organization.email
        row.hours = organization.hours
        row.eligibility = organization.eligibility
        row.templates = dict(organization.templates) or None
        row.names = dict(organization.names) or None


def _index_partner(session: Session, organization: ReferralOrganization) -> None:
    """The search index follows the organization as saved (same transaction)."""
    document = organization_document(organization)
    if document is not None:
        LibrarySearchStore.write(session, PARTNER, document.doc_id, [document])


class StandardRepository:
    """The global service standard and per-source overrides."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def _row(self, session: Session, source_id: int | None) -> ServiceStandardRow | None:
        condition = (
            ServiceStandardRow.source_id.is_(None) if source_id is None else ServiceStandardRow.source_id == source_id
        )
        return session.scalars(select(ServiceStandardRow).where(condition)).first()

    def global_standard(self) -> ServiceStandard:
        with self.db.sessions() as session:
            row = self._row(session, None)
            return ServiceStandard.from_dict(row.standard) if row else ServiceStandard.default()

    def override(self, source_id: int) -> ServiceStandard | None:
        with self.db.sessions() as session:
            row = self._row(session, source_id)
            return ServiceStandard.from_dict(row.standard) if row else None

    def for_source(self, source_id: int) -> ServiceStandard:
        return self.override(source_id) or self.global_standard()

    def save(self, standard: ServiceStandard, source_id: int | None = None) -> None:
        with self.db.sessions.begin() as session:
            row = self._row(session, source_id)
            if row is None:
                session.add(ServiceStandardRow(source_id=source_id, standard=standard.to_dict(), updated_at=now_utc()))
            else:
                row.standard = standard.to_dict()
                row.updated_at = now_utc()

    def clocks(self) -> ClockResolver:
        return ClockResolver(self)


class ClockResolver:
    """One :class:`ServiceClock` per distinct standard, looked up per source (clocks cache holidays)."""

    def __init__(self, standards: StandardRepository) -> None:
        self._standards = standards
        self._global = standards.global_standard()
        self._by_standard: dict[ServiceStandard, ServiceClock] = {}
        self._by_source: dict[int, ServiceClock] = {}

    def _clock(self, standard: ServiceStandard) -> ServiceClock:
        clock = self._by_standard.get(standard)
        if clock is None:
            clock = self._by_standard[standard] = ServiceClock(standard)
        return clock

    @property
    def global_clock(self) -> ServiceClock:
        return self._clock(self._global)

    def for_source(self, source_id: int) -> ServiceClock:
        clock = self._by_source.get(source_id)
        if clock is None:
            override = self._standards.override(source_id)
            clock = self._by_source[source_id] = self._clock(override or self._global)
        return clock


def tracked_from_row(row: Inquiry) -> TrackedInquiry:
    return TrackedInquiry(
        chat_id=row.chat_id,
        question_id=row.question_telegram_id,
        member=row.member_id,
        state=InquiryState(row.state),
        detection=Detection(row.detection),
        arrival=row.arrival_at,
        clock_start=row.clock_start_at,
        due=row.due_at,
        language=row.language,
        topic=row.topic,
        first_response_at=row.first_response_at,
        first_response_seconds=row.first_response_seconds,
        business_response_seconds=row.business_response_seconds,
        met_standard=row.met_standard,
        responder=row.responder_id,
        member_answered_at=row.member_answered_at,
        answered_at=row.answered_at,
        dismissed_at=row.dismissed_at,
        follow_up_on=row.follow_up_on,
        reason=row.reason or "",
        urgent=row.urgent or "",
        id=row.id,
        dirty=False,
    )


#: The inquiry columns the rules own (written on insert and on every change).
INQUIRY_RULE_COLUMNS = (
    "state",
    "detection",
    "language",
    "topic",
    "clock_start_at",
    "due_at",
    "first_response_at",
    "first_response_seconds",
    "business_response_seconds",
    "met_standard",
    "responder_id",
    "member_answered_at",
    "answered_at",
    "answered_month",
    "dismissed_at",
    "follow_up_on",
    "reason",
    "urgent",
)


def inquiry_rule_values(inquiry: TrackedInquiry, month_of: Callable[[datetime | None], int | None]) -> tuple[Any, ...]:
    """Values of :data:`INQUIRY_RULE_COLUMNS`, in that order."""
    return (
        inquiry.state.value,
        inquiry.detection.value,
        inquiry.language,
        inquiry.topic,
        inquiry.clock_start,
        inquiry.due,
        inquiry.first_response_at,
        inquiry.first_response_seconds,
        inquiry.business_response_seconds,
        inquiry.met_standard,
        inquiry.responder,
        inquiry.member_answered_at,
        inquiry.answered_at,
        month_of(inquiry.answered_at),
        inquiry.dismissed_at,
        inquiry.follow_up_on,
        inquiry.reason or None,
        inquiry.urgent or None,
    )


def moderated(inquiry_id: int) -> Update:
    """The statement numbering a decision written straight to the log (the log's highest number + 1), so a
    connector running elsewhere adopts it: for a connection or a session already in a transaction."""
    latest = select(func.coalesce(func.max(Inquiry.moderated), 0) + 1).scalar_subquery()
    return update(Inquiry).where(Inquiry.id == inquiry_id).values(moderated=latest)


class InquiryRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    def open_inquiries(self, source_id: int | None = None) -> list[TrackedInquiry]:
        with self.db.sessions() as session:
            query = select(Inquiry).where(Inquiry.state.in_([s.value for s in OPEN_STATES]))
            if source_id is not None:
                query = query.where(Inquiry.source_id == source_id)
            return [tracked_from_row(r) for r in session.scalars(query.order_by(Inquiry.due_at))]

    def inbox(
        self,
        source_id: int | None = None,
        *,
        closed_since: datetime | None = None,
        open_ones: bool = True,
        limit: int | None = None,
    ) -> list[InboxEntry]:
        """The inquiries still owed something, most urgent first, with what a moderator reads first; with
        ``closed_since``, also those answered or dismissed since then (the window's other filters); without
        ``open_ones``, only those (the window loads them after the open ones). ``limit``: the most urgent open
        ones only (for the window's first screenful)."""
        question = aliased(Message)
        responder = aliased(Member)
        assignee = aliased(ModeratorProfile)
        query = (
            select(
                Inquiry.id,
                Source.name,
                Member.display_name,
                question.text,
                question.media_kind,
                Inquiry.state,
                Inquiry.language,
                Inquiry.topic,
                Inquiry.arrival_at,
                Inquiry.due_at,
                Inquiry.first_response_at,
                Inquiry.source_id,
                Inquiry.chat_id,
                Inquiry.question_telegram_id,
                Inquiry.follow_up_on,
                func.coalesce(ModeratorProfile.name, responder.display_name),
                assignee.name,
                Inquiry.reason,
                question.topic_id,
                Topic.title,
                Inquiry.urgent,
            )
            .join(Source, Source.id == Inquiry.source_id)
            .outerjoin(Member, Member.id == Inquiry.member_id)
            .outerjoin(responder, responder.id == Inquiry.responder_id)
            .outerjoin(ModeratorProfile, ModeratorProfile.id == Inquiry.responder_profile_id)
            .outerjoin(assignee, assignee.id == Inquiry.assignee_profile_id)
            .outerjoin(question, asked_in(question))
            .outerjoin(Topic, (Topic.source_id == Inquiry.source_id) & (Topic.topic_id == question.topic_id))
            .order_by(Inquiry.due_at, Inquiry.id)
        )
        still_open = Inquiry.state.in_([s.value for s in OPEN_STATES])
        closed_at = func.coalesce(Inquiry.answered_at, Inquiry.dismissed_at, Inquiry.arrival_at)
        if closed_since is None:
            query = query.where(still_open)
        elif open_ones:
            query = query.where(or_(still_open, closed_at >= closed_since))
        else:
            query = query.where(~still_open, closed_at >= closed_since)
        if source_id is not None:
            query = query.where(Inquiry.source_id == source_id)
        if limit is not None:
            # The most urgent first (the window shows them while it loads the rest): choose the ids on the
            # state index alone, then join only those rows.
            first = select(Inquiry.id).where(still_open).order_by(Inquiry.due_at, Inquiry.id).limit(limit)
            if source_id is not None:
                first = first.where(Inquiry.source_id == source_id)
            query = query.where(Inquiry.id.in_(first.scalar_subquery())).limit(limit)
        with self.db.sessions() as session:
            entries = [InboxEntry(*row) for row in session.execute(query)]
            return _titled_by_latest_ask(session, entries)

    def mark_moderated(self, inquiry_id: int) -> None:
        with self.db.engine.begin() as connection:
            connection.execute(moderated(inquiry_id))

    def latest_moderated(self) -> int:
        with self.db.sessions() as session:
            return int(session.scalar(select(func.max(Inquiry.moderated))) or 0)

    def moderated_since(self, seen: int) -> list[tuple[int, TrackedInquiry]]:
        """Inquiries decided in the log after number ``seen``, with their numbers (oldest first)."""
        with self.db.sessions() as session:
            rows = session.scalars(select(Inquiry).where(Inquiry.moderated > seen).order_by(Inquiry.moderated))
            return [(int(row.moderated or 0), tracked_from_row(row)) for row in rows]

    def save(self, inquiries: Iterable[TrackedInquiry], month_of: Callable[[datetime | None], int | None]) -> int:
        """Write back changed inquiries (already in the log)."""
        rows = [(*inquiry_rule_values(i, month_of), i.id) for i in inquiries if i.id is not None and i.dirty]
        if rows:
            with self.db.engine.begin() as connection:
                BulkWriter().update_by_id(connection, cast(Table, Inquiry.__table__), INQUIRY_RULE_COLUMNS, rows)
        return len(rows)


def delete_override(db: Database, source_id: int) -> bool:
    with db.sessions.begin() as session:
        result = session.execute(delete(ServiceStandardRow).where(ServiceStandardRow.source_id == source_id))
        return bool(getattr(result, "rowcount", 0))


class ImportRunRepository:
    """A record of every import: when, which file, what it stored and skipped, and how it ended."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def start(self, path: str) -> int:
        with self.db.sessions.begin() as session:
            run = ImportRun(path=path, started_at=now_utc(), status="running")
            session.add(run)
            session.flush()
            return run.id

    def finish(self, run_id: int, status: str, summary: dict[str, Any]) -> None:
        with self.db.sessions.begin() as session:
            run = session.get(ImportRun, run_id)
            if run is not None:
                run.status = status
                run.finished_at = now_utc()
                run.summary = summary

    def recent(self, limit: int = 20) -> list[tuple[str, str, datetime, dict[str, Any] | None]]:
        with self.db.sessions() as session:
            rows = session.scalars(select(ImportRun).order_by(ImportRun.id.desc()).limit(limit))
            return [(r.path, r.status, r.started_at, r.summary) for r in rows]


def _titled_by_latest_ask(session: Session, entries: list[InboxEntry]) -> list[InboxEntry]:
    """A private chat's inquiry shows its member's latest message that asks something, not the first one: a
    chat opened with "Hi" is titled by the question that followed (dismissing "Hi" dismissed the question)."""
    latest = latest_asks(session, [(e.id, e.source_id) for e in entries])
    return [replace(e, text=latest[e.id]) if latest.get(e.id, e.text) != e.text else e for e in entries]


def latest_asks(session: Session, inquiries: Sequence[tuple[int, int]]) -> dict[int, str]:
    """For the (inquiry id, source id) pairs of private chats: the member's latest message that asks something
    (see :func:`_titled_by_latest_ask`), by inquiry id."""
    private = set(session.scalars(select(Source.id).where(Source.kind == SourceKind.PRIVATE.value)))
    ids = [inquiry_id for inquiry_id, source_id in inquiries if source_id in private]
    latest: dict[int, str] = {}
    if not ids:
        return latest
    detector = InquiryDetector()
    for start in range(0, len(ids), 500):
        rows = session.execute(
            select(Message.inquiry_id, Message.text)
            .where(Message.inquiry_id.in_(ids[start : start + 500]), Message.from_staff.is_(False), Message.text != "")
            .order_by(Message.inquiry_id, Message.date, Message.id)
        )
        for inquiry_id, text in rows:
            if inquiry_id is not None and detector.verdict(text) is not Verdict.NONE:
                latest[inquiry_id] = text
    return latest
