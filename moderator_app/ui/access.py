"""What the window needs of the rest of the app, one Protocol per area (qutebrowser and Anki keep such seams
too): the window is written against these, ``app.py`` hands it the real ones, and a test can hand it a small
fake of one area. Reads and writes named here run on the database worker (see ``ui/ops.py``), never on the
window's thread; the calls that return a future already run elsewhere.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Future
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from moderator_app.domain.actions import Details, ModeratorAction, Undo
from moderator_app.domain.audit import AuditEntry
from moderator_app.domain.conversation import MemberCard, ThreadMessage
from moderator_app.domain.drafts import Draft
from moderator_app.domain.handover import Handover, HandoverSummary
from moderator_app.domain.inbox import InboxEntry, SourceInfo
from moderator_app.domain.join_requests import JoinRequest
from moderator_app.domain.library import CannedAnswer
from moderator_app.domain.moderation import MemberStanding, ModerationAction, ModerationRequest, RecordEntry
from moderator_app.domain.outbox import Outgoing
from moderator_app.domain.people import MemberNote, PersonDetail, PersonRow
from moderator_app.domain.profiles import Profile
from moderator_app.domain.referrals import ReferralOrganization
from moderator_app.domain.reports import MemberReport, ReportState
from moderator_app.domain.retention import RetentionPreview, RetentionResult
from moderator_app.domain.standard import ServiceStandard
from moderator_app.domain.statistics import Column, InquiryBehind, Month, PageFigures
from moderator_app.domain.welcome import Joiner, WelcomeSetup
from moderator_app.ui.inbox_model import Clocks


class InboxAccess(Protocol):
    """The inquiries and their sources, a thread and its member, as the log has them."""

    def query(self, *args: Any, **kwargs: Any) -> list[InboxEntry]: ...

    def sources(self) -> list[SourceInfo]: ...

    def thread(self, entry: InboxEntry) -> list[ThreadMessage]: ...

    def member_card(self, entry: InboxEntry) -> MemberCard | None: ...


class Decisions(Protocol):
    """A moderator's decisions: through the running connector when there is one, else straight to the log.
    The futures fail with a refusal (a sentence) when the inquiry changed meanwhile."""

    def act(self, entry: InboxEntry, action: ModeratorAction, profile_id: int | None) -> Future[Undo]:
        """The decision; the future gives how to undo it."""

    def undo(self, taken: Undo) -> Future[None]:
        """A decision taken back (refused when the inquiry changed since)."""

    def set_details(self, entry: InboxEntry, details: Details) -> Future[None]: ...

    def relink(
        self, entry: InboxEntry, telegram_id: int, inquiry_id: int | None, profile_id: int | None
    ) -> Future[Any]: ...

    def assign(self, entry: InboxEntry, profile_id: int | None) -> None: ...


class OutboxAccess(Protocol):
    """Replies and downloads queued for the connector, and their state."""

    def queue_reply(
        self,
        entry: InboxEntry,
        text: str,
        holding: bool,
        profile_id: int | None,
        reply_to: int | None,
        referrals: tuple[int, ...],
    ) -> Outgoing: ...

    def queue_download(self, entry: InboxEntry, telegram_id: int) -> Outgoing: ...

    def replies_of(self, inquiry_id: int) -> list[Outgoing]: ...

    def item(self, item_id: int) -> Outgoing | None: ...

    def wake_connector(self) -> None:
        """Something was queued: a connector running in this process sends it now, not at its next poll."""

    def draft(self, inquiry_id: int) -> tuple[Draft, list[ReferralOrganization]] | None:
        """The reply being written for the inquiry, with the partners inserted into it."""

    def save_draft(self, inquiry_id: int, text: str, partner_ids: tuple[int, ...], profile_id: int | None) -> None:
        """Keep (an empty text: remove) the inquiry's draft."""


class ConversationAccess(Protocol):
    """What the conversation pane reads and queues for the inquiry it shows (on the database worker when the
    pane has ops). The window gives its own, which credits the person on duty and wakes the connector."""

    def thread(self, entry: InboxEntry) -> list[ThreadMessage]: ...

    def member_card(self, entry: InboxEntry) -> MemberCard | None: ...

    def queue_reply(
        self,
        entry: InboxEntry,
        text: str,
        holding: bool,
        reply_to: int | None,
        referrals: tuple[int, ...],
        profile_id: int | None,
    ) -> Outgoing: ...

    def queue_download(self, entry: InboxEntry, telegram_id: int) -> Outgoing: ...

    def replies_of(self, inquiry_id: int) -> list[Outgoing]: ...

    def outbox_item(self, item_id: int) -> Outgoing | None: ...

    def record_use(self, answer_id: int) -> None: ...

    def draft(self, inquiry_id: int) -> tuple[Draft, list[ReferralOrganization]] | None:
        """The reply being written for the inquiry, with the partners inserted into it."""

    def save_draft(self, inquiry_id: int, text: str, partner_ids: tuple[int, ...], profile_id: int | None) -> None:
        """Keep (an empty text: remove) the inquiry's draft."""


class ModerationAccess(Protocol):
    """Moderation actions and their record (on the database worker)."""

    def standing(self, member_id: int) -> MemberStanding: ...

    def guidelines(self) -> list[CannedAnswer]:
        """The organization's guidelines: canned answers of the topic "guideline"."""

    def queue(self, request: ModerationRequest) -> ModerationAction:
        """Record the action and queue it for the connector (woken if it runs here)."""

    def record(self, start: datetime, end: datetime) -> list[RecordEntry]: ...

    def export(self, entries: list[RecordEntry], path: Path) -> int:
        """Write the entries to ``path`` (.csv, else .xlsx) in the service time zone; returns how many."""


class ReportsAccess(Protocol):
    """Member reports (on the database worker)."""

    def reports(self) -> list[MemberReport]:
        """The open ones, newest first."""

    def open_count(self) -> int: ...

    def decide(self, report_id: int, state: ReportState, action: str = "", profile_id: int | None = None) -> None: ...


class JoinRequestsAccess(Protocol):
    """Join requests (on the database worker)."""

    def requests(self) -> list[JoinRequest]: ...

    def pending_count(self) -> int: ...

    def decide(self, request_ids: list[int], approve: bool, profile_id: int | None) -> int: ...

    def send_questions(self, request_ids: list[int], profile_id: int | None) -> int:
        """ValueError when the library has no join questions."""


class WelcomeAccess(Protocol):
    """Welcome messages (on the database worker)."""

    def read(self) -> tuple[dict[int, WelcomeSetup], list[CannedAnswer], list[Joiner]]:
        """The groups' setups, the library's welcomes, and the week's joins in welcoming groups."""

    def save(self, setups: list[WelcomeSetup]) -> object: ...

    def welcome(self, event_ids: list[int], profile_id: int | None) -> int: ...

    def waiting_count(self) -> int:
        """Joins in one-click groups waiting for their welcome."""


class StatisticsAccess(Protocol):
    """The reports page's figures (on the database worker): a period and Table 6 by month, and the
    inquiries behind a figure."""

    def figures(self, first: Month | date, last: Month | date, trend: tuple[Month, Month]) -> PageFigures: ...

    def behind(self, period: Column, source: str, metric: str) -> tuple[list[InquiryBehind], int]: ...


class PeopleAccess(Protocol):
    """The people panel (on the database worker)."""

    def people(self, source_id: int | None) -> list[PersonRow]: ...

    def detail(self, member_id: int) -> PersonDetail | None: ...

    def add_note(self, member_id: int, text: str, profile_id: int | None) -> MemberNote:
        """Keep a moderator's note (ValueError for an empty one)."""


class SafetyAccess(Protocol):
    """The urgent-word lists (on the database worker): category -> language -> terms."""

    def lists(self) -> dict[str, dict[str, list[str]]]: ...

    def save(self, lists: dict[str, dict[str, list[str]]]) -> dict[str, dict[str, list[str]]]:
        """Store and announce them (ValueError when no term is left); returns what was stored."""


class LibraryAccess(Protocol):
    """The canned answers and the partner organizations."""

    def answers(self) -> list[CannedAnswer]: ...

    def record_use(self, answer_id: int) -> None: ...

    def save_answer(self, answer: CannedAnswer) -> CannedAnswer: ...

    def delete_answer(self, answer_id: int) -> None: ...

    def organizations(self) -> list[ReferralOrganization]: ...

    def save_organization(self, organization: ReferralOrganization) -> ReferralOrganization: ...

    def delete_organization(self, organization_id: int) -> None: ...


class StandardsAccess(Protocol):
    """The service standards and the answer window; saving announces the change (the window and the
    connector follow it)."""

    def clocks(self) -> Clocks: ...

    def standard_for(self, source_id: int | None) -> ServiceStandard: ...

    def timezone(self) -> ZoneInfo:
        """The general standard's time zone: what the window shows times in."""

    def save(self, standard: ServiceStandard, source_id: int | None) -> Future[str]:
        """The future's sentence says what was done (how many open inquiries were re-dated)."""

    def answer_window(self) -> timedelta: ...

    def set_answer_window(self, window: timedelta) -> Future[None]: ...


class ProfilesAccess(Protocol):
    """The people who moderate, credited with what they send and decide."""

    def all(self) -> list[Profile]: ...

    def add(self, name: str, role: str, languages: tuple[str, ...]) -> Profile: ...


class HandoverAccess(Protocol):
    """Handovers between the people on duty (on the database worker): what is owed now, the latest handover
    (the previous person's note), and keeping a new one."""

    def summary(self) -> HandoverSummary: ...

    def latest(self) -> Handover | None: ...

    def save(
        self, from_profile_id: int | None, to_profile_id: int | None, note: str, summary: HandoverSummary
    ) -> Handover:
        """HandoverError (a ValueError) when it cannot be kept (a note too long, a profile gone)."""


class AuditAccess(Protocol):
    """The audit record (on the database worker): read for the dialog; the window's own events written."""

    def entries(self, start: datetime | None, end: datetime | None) -> list[AuditEntry]:
        """The events of [start, end), newest first."""

    def on_duty(self, profile_id: int | None, previous: str, how: str) -> None:
        """A profile took the workstation: ``how`` "start" (the window opened with it) or "changed"."""

    def telegram(self, logged_in: bool, detail: dict[str, Any] | None = None) -> None: ...


class RetentionAccess(Protocol):
    """Message retention (on the database worker): the setting, what it would remove, saving and applying."""

    def months(self) -> int | None: ...

    def preview(self, months: int) -> RetentionPreview: ...

    def save(self, months: int | None) -> RetentionResult | None:
        """Store the setting (None: off) and apply it; RetentionError out of range."""


class FileCommands(Protocol):
    """The command line's file work from the window's File menu (a manager's): each runs on a thread of its
    own and its future gives whether it was done and what it said, in the command line's sentences."""

    def import_export(
        self, path: Path, progress: Callable[[int, int], None], stop: threading.Event, staff: str = ""
    ) -> Future[tuple[bool, str]]:
        """``staff``: the staff accounts' ids, "1000,1001" (remembered for later imports)."""

    def import_library(self, path: Path) -> Future[tuple[bool, str]]: ...

    def export_library(self, path: Path) -> Future[tuple[bool, str]]: ...

    def import_partners(self, path: Path) -> Future[tuple[bool, str]]: ...

    def export_partners(self, path: Path) -> Future[tuple[bool, str]]: ...

    def export_report(self, first: str, last: str, path: Path, source: str | None = None) -> Future[tuple[bool, str]]:
        """Months "YYYY-MM" (a column each) or dates "YYYY-MM-DD" (one column); CSV, XLSX or PDF by the file's
        name; ``source``: the PDF of one source."""
