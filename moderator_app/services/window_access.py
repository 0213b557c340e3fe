"""The window's accesses (the Protocols of ``ui/access.py``) over the log, the outbox and the use cases.

Each is a thin object over the repositories and services: the window calls these from the database worker
(reads, queuing) or gets a future back (decisions, saving a standard), so none of it runs on its thread.
"""

from __future__ import annotations

import concurrent.futures
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from moderator_app.domain.actions import Details, ModeratorAction, Undo
from moderator_app.domain.audit import AuditAction
from moderator_app.domain.conversation import MemberCard, ThreadMessage
from moderator_app.domain.drafts import Draft
from moderator_app.domain.inbox import InboxEntry, SourceInfo
from moderator_app.domain.library import MODERATION_TOPICS, CannedAnswer
from moderator_app.domain.moderation import (
    MemberStanding,
    ModerationAction,
    ModerationRequest,
    RecordEntry,
    WarningPolicy,
)
from moderator_app.domain.outbox import OutboxError, Outgoing
from moderator_app.domain.people import MemberNote, PersonDetail, PersonRow
from moderator_app.domain.profiles import Profile
from moderator_app.domain.referrals import ReferralOrganization
from moderator_app.domain.settings import WARNING_EXPIRY_DAYS, WARNING_THRESHOLD
from moderator_app.domain.standard import ServiceStandard
from moderator_app.domain.statistics import Column, InquiryBehind, Month, PageFigures
from moderator_app.domain.welcome import WELCOME_TOPIC, Joiner, WelcomeSetup
from moderator_app.services.changes import ChangeBus, Changes
from moderator_app.services.inquiries import InquiryService
from moderator_app.services.roles import SendingGuard
from moderator_app.services.standards import StandardsService
from moderator_app.services.worker import DatabaseWorker
from moderator_app.store.audit import AuditRepository
from moderator_app.store.conversation import ConversationRepository
from moderator_app.store.db import Database
from moderator_app.store.drafts import DraftRepository
from moderator_app.store.library import LibraryRepository
from moderator_app.store.moderation import ModerationRepository
from moderator_app.store.months import month_keyer
from moderator_app.store.outbox import OutboxRepository
from moderator_app.store.people import PeopleRepository
from moderator_app.store.profiles import ProfileRepository
from moderator_app.store.repositories import (
    ClockResolver,
    InquiryRepository,
    ReferralRepository,
    SettingsRepository,
    SourceRepository,
    StandardRepository,
    now_utc,
)
from moderator_app.store.statistics import StatisticsService
from moderator_app.store.welcome import WelcomeRepository


class LogInbox:
    def __init__(self, db: Database) -> None:
        self._inquiries = InquiryRepository(db)
        self._sources = SourceRepository(db)
        self._conversations = ConversationRepository(db)

    def query(self, *args: Any, **kwargs: Any) -> list[InboxEntry]:
        return self._inquiries.inbox(*args, **kwargs)

    def sources(self) -> list[SourceInfo]:
        return self._sources.all()

    def thread(self, entry: InboxEntry) -> list[ThreadMessage]:
        return self._conversations.thread(entry)

    def member_card(self, entry: InboxEntry) -> MemberCard | None:
        return self._conversations.member_card(entry)


class LogDecisions:
    """The inquiry use cases (to the running connector or the log) and assignments."""

    def __init__(self, db: Database, inquiries: InquiryService) -> None:
        self._inquiries = inquiries
        self._profiles = ProfileRepository(db)

    def act(
        self, entry: InboxEntry, action: ModeratorAction, profile_id: int | None
    ) -> concurrent.futures.Future[Undo]:
        return self._inquiries.act(entry, action, profile_id)

    def undo(self, taken: Undo) -> concurrent.futures.Future[None]:
        return self._inquiries.undo(taken)

    def set_details(self, entry: InboxEntry, details: Details) -> concurrent.futures.Future[None]:
        return self._inquiries.set_details(entry, details)

    def relink(
        self, entry: InboxEntry, telegram_id: int, inquiry_id: int | None, profile_id: int | None
    ) -> concurrent.futures.Future[Any]:
        return self._inquiries.relink(entry, telegram_id, inquiry_id, profile_id)

    def assign(self, entry: InboxEntry, profile_id: int | None) -> None:
        self._profiles.assign(entry.id, profile_id)
        self._inquiries.bus.announce(Changes(inquiries=frozenset({entry.id})))  # the team's other workstations


class LogOutbox:
    """``wake`` tells a connector running in this process that something was queued; a reply queued for an
    inquiry is announced on ``bus`` (a team's other workstations show it)."""

    def __init__(self, db: Database, wake: Callable[[], None], bus: ChangeBus | None = None) -> None:
        self._bus = bus
        self._outbox = OutboxRepository(db)
        self._sources = SourceRepository(db)
        self._drafts = DraftRepository(db)
        self._partners = ReferralRepository(db)
        self._guard = SendingGuard(db)
        self._wake = wake

    def draft(self, inquiry_id: int) -> tuple[Draft, list[ReferralOrganization]] | None:
        """The inquiry's draft with the partners inserted into it (those still in the library)."""
        draft = self._drafts.get(inquiry_id)
        if draft is None:
            return None
        wanted = set(draft.partner_ids)
        return draft, [o for o in self._partners.all() if o.id in wanted] if wanted else []

    def save_draft(self, inquiry_id: int, text: str, partner_ids: tuple[int, ...], profile_id: int | None) -> None:
        self._drafts.save(inquiry_id, text, partner_ids, profile_id)

    def _source_of(self, entry: InboxEntry) -> SourceInfo:
        source = self._sources.by_id(entry.source_id)
        if source is None:
            raise OutboxError("The source of this inquiry is no longer in the log: nothing was queued.")
        return source

    def queue_reply(
        self,
        entry: InboxEntry,
        text: str,
        holding: bool,
        profile_id: int | None,
        reply_to: int | None,
        referrals: tuple[int, ...],
    ) -> Outgoing:
        self._guard.check(profile_id, "queued")
        queued = self._outbox.queue_reply(
            self._source_of(entry),
            text,
            reply_to=reply_to or entry.question_id,
            chat_id=entry.chat_id,
            inquiry_id=entry.id,
            profile_id=profile_id,
            holding=holding,
            referrals=referrals,
        )
        if self._bus is not None:
            self._bus.announce(Changes(inquiries=frozenset({entry.id})))
        return queued

    def queue_download(self, entry: InboxEntry, telegram_id: int) -> Outgoing:
        return self._outbox.queue_download(self._source_of(entry), telegram_id, chat_id=entry.chat_id)

    def replies_of(self, inquiry_id: int) -> list[Outgoing]:
        return self._outbox.for_inquiry(inquiry_id)

    def item(self, item_id: int) -> Outgoing | None:
        return self._outbox.get(item_id)

    def wake_connector(self) -> None:
        self._wake()


class LogLibrary:
    """An edit of the library is announced on ``bus`` (a team's other workstations read it again)."""

    def __init__(self, db: Database, bus: ChangeBus | None = None) -> None:
        self._answers = LibraryRepository(db)
        self._partners = ReferralRepository(db)
        self._bus = bus

    def _edited(self) -> None:
        if self._bus is not None:
            self._bus.announce(Changes(library=True))

    def answers(self) -> list[CannedAnswer]:
        return self._answers.all()

    def record_use(self, answer_id: int) -> None:
        self._answers.record_use(answer_id)

    def save_answer(self, answer: CannedAnswer) -> CannedAnswer:
        saved = self._answers.save(answer)
        self._edited()
        return saved

    def delete_answer(self, answer_id: int) -> None:
        self._answers.delete(answer_id)
        self._edited()

    def organizations(self) -> list[ReferralOrganization]:
        return self._partners.all()

    def save_organization(self, organization: ReferralOrganization) -> ReferralOrganization:
        saved = self._partners.save(organization)
        self._edited()
        return saved

    def delete_organization(self, organization_id: int) -> None:
        self._partners.delete(organization_id)
        self._edited()


class LogStandards:
    """Saving runs on the database worker and announces the change (see :class:`StandardsService`)."""

    def __init__(self, db: Database, service: StandardsService, worker: DatabaseWorker) -> None:
        self._standards = StandardRepository(db)
        self._settings = SettingsRepository(db)
        self._service = service
        self._worker = worker

    def clocks(self) -> ClockResolver:
        return self._standards.clocks()

    def standard_for(self, source_id: int | None) -> ServiceStandard:
        if source_id is None:
            return self._standards.global_standard()
        return self._standards.for_source(source_id)

    def timezone(self) -> ZoneInfo:
        return ZoneInfo(self._standards.global_standard().timezone)

    def save(self, standard: ServiceStandard, source_id: int | None) -> concurrent.futures.Future[str]:
        def save() -> str:
            saved = self._service.save(standard, source_id)
            return f"Service standard saved; due times of {saved.recomputed} open inquiries recomputed."

        return self._worker.submit(save)

    def answer_window(self) -> timedelta:
        return self._settings.answer_window()

    def set_answer_window(self, window: timedelta) -> concurrent.futures.Future[None]:
        return self._worker.submit(self._service.set_answer_window, window)


class LogStatistics:
    """The reports page: its figures in the service time zone of the moment."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def _timezone(self) -> ZoneInfo:
        return ZoneInfo(StandardRepository(self._db).global_standard().timezone)

    def figures(self, first: Month | date, last: Month | date, trend: tuple[Month, Month]) -> PageFigures:
        tz = self._timezone()
        service = StatisticsService(self._db)
        return PageFigures(service.report(first, last, tz), service.usage_by_month(*trend, tz))

    def behind(self, period: Column, source: str, metric: str) -> tuple[list[InquiryBehind], int]:
        return StatisticsService(self._db).inquiries_behind(period, self._timezone(), source, metric)


class LogPeople:
    """The people panel: warnings counted by the policy the settings hold now."""

    def __init__(self, db: Database) -> None:
        self._db = db
        self._settings = SettingsRepository(db)

    def _repository(self) -> PeopleRepository:
        policy = WarningPolicy(
            threshold=max(1, self._settings.read(WARNING_THRESHOLD)),
            expiry=timedelta(days=max(1, self._settings.read(WARNING_EXPIRY_DAYS))),
        )
        return PeopleRepository(self._db, policy)

    def people(self, source_id: int | None) -> list[PersonRow]:
        return self._repository().people(source_id)

    def detail(self, member_id: int) -> PersonDetail | None:
        return self._repository().detail(member_id)

    def add_note(self, member_id: int, text: str, profile_id: int | None) -> MemberNote:
        return self._repository().add_note(member_id, text, profile_id)


class LogWelcome:
    """Welcomes: sending them is refused for a manager; a change of the groups' setups is audited."""

    def __init__(self, db: Database) -> None:
        self._welcomes = WelcomeRepository(db)
        self._library = LibraryRepository(db)
        self._guard = SendingGuard(db)
        self._audit = AuditRepository(db)

    def read(self) -> tuple[dict[int, WelcomeSetup], list[CannedAnswer], list[Joiner]]:
        answers = [a for a in self._library.all() if WELCOME_TOPIC in a.topics]
        return self._welcomes.setups(), answers, self._welcomes.joiners()

    def save(self, setups: list[WelcomeSetup]) -> object:
        before = self._welcomes.setups()
        saved = self._welcomes.save_setups(setups)
        if saved != before:
            self._audit.try_record(
                AuditAction.SETTING,
                {"setting": "welcomes", "groups": {str(s.source_id): s.mode.value for s in saved.values()}},
            )
        return saved

    def welcome(self, event_ids: list[int], profile_id: int | None) -> int:
        self._guard.check(profile_id, "sent")
        return self._welcomes.welcome(event_ids, profile_id)

    def waiting_count(self) -> int:
        return len(self._welcomes.waiting())


class LogProfiles:
    def __init__(self, db: Database) -> None:
        self._profiles = ProfileRepository(db)
        self._audit = AuditRepository(db)

    def all(self) -> list[Profile]:
        return self._profiles.all()

    def add(self, name: str, role: str, languages: tuple[str, ...]) -> Profile:
        profile = self._profiles.add(name, role, languages)
        self._audit.try_record(
            AuditAction.PROFILE, {"added": profile.name, "role": profile.role, "languages": list(profile.languages)}
        )
        return profile


class LogModeration:
    """Moderation over the log: ``wake`` tells a connector running in this process that something was queued."""

    def __init__(self, db: Database, wake: Callable[[], None]) -> None:
        self._actions = ModerationRepository(db)
        self._settings = SettingsRepository(db)
        self._library = LibraryRepository(db)
        self._guard = SendingGuard(db)
        self._db = db
        self._wake = wake

    def policy(self) -> WarningPolicy:
        return WarningPolicy(
            threshold=max(1, self._settings.read(WARNING_THRESHOLD)),
            expiry=timedelta(days=max(1, self._settings.read(WARNING_EXPIRY_DAYS))),
        )

    def standing(self, member_id: int) -> MemberStanding:
        policy = self.policy()
        return MemberStanding(member_id, policy.active(self._actions.warnings_of(member_id), now_utc()), policy)

    def guidelines(self) -> list[CannedAnswer]:
        """The guidelines and the other moderation templates (removal notice, leave confirmation)."""
        return [a for a in self._library.all() if set(a.topics) & set(MODERATION_TOPICS)]

    def queue(self, request: ModerationRequest) -> ModerationAction:
        self._guard.check(request.profile_id, "queued")
        action = self._actions.queue(request, month_keyer(self._db))
        self._wake()
        return action

    def record(self, start: datetime, end: datetime) -> list[RecordEntry]:
        return self._actions.record(start, end)

    def export(self, entries: list[RecordEntry], path: Path) -> int:
        from moderator_app.reports.moderation_record import write_record_csv, write_record_xlsx

        tz = ZoneInfo(StandardRepository(self._db).global_standard().timezone)
        write = write_record_csv if path.suffix.lower() == ".csv" else write_record_xlsx
        written = write(entries, tz, path)
        AuditRepository(self._db).try_record(
            AuditAction.EXPORT,
            {"what": "moderation_record", "path": str(path), "actions": written, "via": "window"},
        )
        return written
