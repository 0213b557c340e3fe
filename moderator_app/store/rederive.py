"""Re-derive the inquiries of history already in the log under the rules now in force.

When the rules change (a better detector, answers linked without Telegram's reply, staff posting as the
group), the log's messages are replayed, source by source and in order, through a fresh
:class:`ConversationTracker`, and what the rules make of them replaces what older rules made: message roles,
inquiries, and the counted responses. Past months' figures then change only where the new rules say so.

What people decided is kept: an inquiry a moderator decided in the window (dismissed, promoted, marked
answered: ``moderated`` is set) keeps its row as the moderator left it, and the replay follows that decision
(replies to a dismissed inquiry count nothing; a promoted message is an inquiry); assignments, follow-up
dates and the profiles credited for responses stay; referrals recorded from the library on a reply are kept.
Each source is rewritten in one transaction: an interrupted run leaves every source either as it was or
re-derived, and running it again finishes the job.

After a retention run (store/retention.py) the messages before its boundary have no text for the rules to
read: they are not replayed, and neither is a later message that belongs to an inquiry asked before it (a
follow-up, the answer). Their roles, inquiries and responses stay as derived, so the months whose text is gone
keep their figures; inquiries of those months still open are loaded, as the connector loads them at start.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Final, NamedTuple, cast

from sqlalchemy import ColumnElement, Select, Table, bindparam, delete, func, or_, select, update
from sqlalchemy.engine import Connection

from moderator_app.domain.asking import InquiryDetector
from moderator_app.domain.events import MessageRecord, Peer, SourceKind, is_staff
from moderator_app.domain.inbox import SourceInfo
from moderator_app.domain.inquiries import (
    MENTION_WINDOW,
    OPEN_STATES,
    ConversationTracker,
    Decision,
    InquiryState,
    ResponseKind,
    Role,
    TrackedInquiry,
)
from moderator_app.domain.referrals import ReferralMatcher
from moderator_app.domain.settings import RETENTION_BEFORE
from moderator_app.domain.statistics import MonthKeyer
from moderator_app.store.db import Database
from moderator_app.store.examples import ExampleRepository
from moderator_app.store.models import (
    AnswerLink,
    DetectorExample,
    DraftRow,
    Inquiry,
    Member,
    Message,
    OutboxItem,
    Response,
)
from moderator_app.store.months import month_keyer
from moderator_app.store.repositories import (
    INQUIRY_RULE_COLUMNS,
    ReferralRepository,
    SettingsRepository,
    SourceRepository,
    StandardRepository,
    inquiry_rule_values,
    tracked_from_row,
)
from moderator_app.store.rules_version import RULES_VERSION, mark_rules_current, rules_outdated

MESSAGES = cast(Table, Message.__table__)
INQUIRIES = cast(Table, Inquiry.__table__)
RESPONSES = cast(Table, Response.__table__)
ANSWER_LINKS = cast(Table, AnswerLink.__table__)
_CHUNK: Final = 5_000


@dataclass
class RederiveSummary:
    sources: int = 0
    messages: int = 0
    roles_changed: int = 0
    inquiries_before: int = 0
    inquiries_after: int = 0
    kept_as_decided: int = 0
    responses_before: Counter[str] = field(default_factory=Counter)
    responses_after: Counter[str] = field(default_factory=Counter)

    def lines(self) -> list[str]:
        kinds = sorted(set(self.responses_before) | set(self.responses_after))
        return [
            f"Sources re-derived: {self.sources}; messages replayed: {self.messages:,}",
            f"Message roles changed: {self.roles_changed:,}",
            f"Inquiries (counted or not): {self.inquiries_before:,} before, {self.inquiries_after:,} after; "
            f"{self.kept_as_decided:,} kept as moderators decided them",
            "Responses: "
            + ", ".join(f"{kind} {self.responses_before[kind]:,} → {self.responses_after[kind]:,}" for kind in kinds),
        ]


class _Replayed(NamedTuple):
    """One message of a chunk as the replay decided it, waiting to be written."""

    message_id: int
    decision: Decision
    sender: int | None
    month: int
    at: Any
    from_staff: bool


@dataclass(slots=True)
class _Decided:
    """A moderator's decision on the inquiry of one question message, kept through the replay."""

    state: InquiryState
    at: Any  # when it was dismissed, if it was


class Rederiver:
    def __init__(self, db: Database, *, on_progress: Callable[[int, int], None] | None = None) -> None:
        self.db = db
        self.on_progress = on_progress
        self.summary = RederiveSummary()
        settings = SettingsRepository(db)
        self.staff = settings.staff_ids()
        self.matcher = ReferralMatcher(ReferralRepository(db).all())
        self.clocks = StandardRepository(db).clocks()
        self.month_of: MonthKeyer = month_keyer(db)
        self.detector: InquiryDetector = ExampleRepository(db).detector()
        self.answer_window = settings.answer_window()
        self.urgent_words = settings.urgent_words()
        #: Messages before this have had their text removed (retention): what was derived for them stays.
        self.kept_before: datetime | None = settings.read(RETENTION_BEFORE)
        self._done = 0
        self._total = 0

    def run(self, source_id: int | None = None) -> RederiveSummary:
        sources = [s for s in SourceRepository(self.db).all() if source_id is None or s.id == source_id]
        with self.db.engine.connect() as connection:
            query = select(func.count()).select_from(MESSAGES)
            if source_id is not None:
                query = query.where(MESSAGES.c.source_id == source_id)
            self._total = int(connection.scalar(query) or 0)
        for source in sources:
            with self.db.engine.begin() as connection:
                self._source(connection, source)
            self.summary.sources += 1
        if source_id is None:
            mark_rules_current(self.db)
        return self.summary

    # -- one source -----------------------------------------------------------------------------------------
    def _source(self, connection: Connection, source: SourceInfo) -> None:
        summary = self.summary
        existing = {
            (row.chat_id, row.question_telegram_id): row
            for row in connection.execute(select(INQUIRIES).where(INQUIRIES.c.source_id == source.id))
        }
        summary.inquiries_before += len(existing)
        decided: dict[tuple[int, int], _Decided] = {
            key: _Decided(InquiryState(row.state), row.dismissed_at)
            for key, row in existing.items()
            if row.moderated is not None
        }
        for kind, count in connection.execute(
            select(RESPONSES.c.kind, func.count()).where(RESPONSES.c.source_id == source.id).group_by(RESPONSES.c.kind)
        ):
            summary.responses_before[kind] += count
        credits = dict(
            connection.execute(
                select(RESPONSES.c.message_id, func.max(RESPONSES.c.profile_id))
                .where(RESPONSES.c.source_id == source.id, RESPONSES.c.profile_id.is_not(None))
                .group_by(RESPONSES.c.message_id)
            ).all()
        )
        sent: dict[tuple[int, int], tuple[str | None, list[int] | None]] = {
            (chat_id, telegram_id or 0): (purpose, referrals)
            for chat_id, telegram_id, purpose, referrals in connection.execute(
                select(OutboxItem.chat_id, OutboxItem.telegram_id, OutboxItem.purpose, OutboxItem.referrals).where(
                    OutboxItem.source_id == source.id, OutboxItem.telegram_id.is_not(None)
                )
            )
        }
        tracker = ConversationTracker(
            source.kind,
            self.matcher,
            self.clocks.for_source(source.id),
            source.language,
            detector=self.detector,
            answer_window=self.answer_window,
            urgent_words=self.urgent_words,
        )
        tracker.moderator_links = self._answer_links(connection, source)
        # The question of every inquiry the replay makes; rows of the log it keeps are updated in place.
        made: set[tuple[int, int]] = set()
        pending: list[_Replayed] = []

        kept = self._kept_inquiries(source) if self.kept_before is not None else None
        if kept is None:
            connection.execute(delete(RESPONSES).where(RESPONSES.c.source_id == source.id))
        else:
            replayed = select(MESSAGES.c.id).where(self._replayed(source, kept))
            connection.execute(
                delete(RESPONSES).where(RESPONSES.c.source_id == source.id, RESPONSES.c.message_id.in_(replayed))
            )
            self._load_open_kept(connection, source, tracker)
        old_ids: set[int] = set(connection.scalars(kept)) if kept is not None else set()
        for message_id, record, sender, old_role, month in self._messages(connection, source):
            from_staff = is_staff(record.sender, self.staff, source.telegram_id)
            purpose, _ = sent.get((record.chat_id, record.telegram_id), (None, None))
            record.holding = from_staff and (purpose == "holding" or old_role == "acknowledgement")
            decision = tracker.observe(record, sender, from_staff)
            inquiry = decision.inquiry
            key = (record.chat_id, record.telegram_id)
            if key in decided:
                inquiry = self._follow_decision(tracker, decided[key], record, sender, inquiry)
                decision.inquiry = inquiry
                if inquiry is not None and decision.role.value in ("chatter", "possible"):
                    decision.role = Role.QUESTION
            if decision.opened and inquiry is not None:
                made.add((inquiry.chat_id, inquiry.question_id))
            pending.append(_Replayed(message_id, decision, sender, month, record.date, from_staff))
            summary.messages += 1
            if old_role != decision.role.value:
                summary.roles_changed += 1
            if len(pending) >= _CHUNK:
                self._flush(connection, source, existing, decided, pending)
        self._flush(connection, source, existing, decided, pending)
        # Inquiries the new rules no longer make: gone, unless a moderator decided them or works on them.
        drafted = set(
            connection.scalars(
                select(DraftRow.inquiry_id)
                .join(INQUIRIES, INQUIRIES.c.id == DraftRow.inquiry_id)
                .where(INQUIRIES.c.source_id == source.id)
            )
        )
        dropped = [
            row.id
            for key, row in existing.items()
            if key not in made
            and key not in decided
            and row.assignee_profile_id is None
            and row.follow_up_on is None
            and row.id not in drafted  # a reply is being written for it
            and row.id not in old_ids  # asked before the retention boundary: kept as derived
        ]
        for chunk in _chunks(dropped):
            connection.execute(update(MESSAGES).where(MESSAGES.c.inquiry_id.in_(chunk)).values(inquiry_id=None))
            connection.execute(update(OutboxItem).where(OutboxItem.inquiry_id.in_(chunk)).values(inquiry_id=None))
            connection.execute(
                update(DetectorExample).where(DetectorExample.inquiry_id.in_(chunk)).values(inquiry_id=None)
            )
            connection.execute(delete(INQUIRIES).where(INQUIRIES.c.id.in_(chunk)))
        summary.inquiries_after += int(
            connection.scalar(select(func.count()).select_from(INQUIRIES).where(INQUIRIES.c.source_id == source.id))
            or 0
        )
        summary.kept_as_decided += len(decided)
        # Referrals recorded from the library on a reply replace what the text would have made of it.
        self._recorded_referrals(connection, source, sent, credits, old_ids)
        if credits:
            connection.execute(
                update(RESPONSES)
                .where(RESPONSES.c.message_id == bindparam("_message"))
                .values(profile_id=bindparam("_profile")),
                [{"_message": m, "_profile": p} for m, p in credits.items()],
            )
        for kind, count in connection.execute(
            select(RESPONSES.c.kind, func.count()).where(RESPONSES.c.source_id == source.id).group_by(RESPONSES.c.kind)
        ):
            summary.responses_after[kind] += count

    def _follow_decision(
        self,
        tracker: ConversationTracker,
        decided: _Decided,
        record: MessageRecord,
        sender: int | None,
        inquiry: TrackedInquiry | None,
    ) -> TrackedInquiry | None:
        """Make the replay follow a moderator's decision on this question, so later messages build on it."""
        if decided.state is InquiryState.DISMISSED:
            if inquiry is not None:
                tracker.dismiss(inquiry, decided.at or record.date)
            return inquiry
        if decided.state is InquiryState.POSSIBLE:  # left possible by a moderator's unlinking (answer_links)
            return inquiry if inquiry is not None else tracker.open_possible(record, sender)
        if inquiry is None:
            inquiry = tracker.open_promoted(record, sender)
        elif inquiry.state is InquiryState.POSSIBLE:
            tracker.promote(inquiry, record.date)
        return inquiry

    def _flush(
        self,
        connection: Connection,
        source: SourceInfo,
        existing: dict[tuple[int, int], Any],
        decided: dict[tuple[int, int], _Decided],
        pending: list[_Replayed],
    ) -> None:
        """Write a chunk: its inquiries (a new one takes the id of the log's row with the same question, if
        any), then its messages' roles and its responses. Every change the rules make to an inquiry comes with
        a message that belongs to it, so the chunk's messages name every inquiry to write."""
        touched = {id(r.decision.inquiry): r.decision.inquiry for r in pending if r.decision.inquiry is not None}
        for inquiry in touched.values():
            if inquiry.id is not None:
                continue
            key = (inquiry.chat_id, inquiry.question_id)
            row = existing.get(key)
            if row is not None:
                inquiry.id = row.id
                if key not in decided:
                    inquiry.follow_up_on = row.follow_up_on
                    inquiry.dirty = True
                else:
                    inquiry.dirty = False  # a moderator's decision: the row stays as they left it
                continue
            values = dict(zip(INQUIRY_RULE_COLUMNS, inquiry_rule_values(inquiry, self.month_of), strict=True))
            values.update(
                source_id=source.id,
                chat_id=inquiry.chat_id,
                question_telegram_id=inquiry.question_id,
                member_id=inquiry.member,
                arrival_at=inquiry.arrival,
                month=self.month_of(inquiry.arrival),
            )
            inquiry.id = connection.execute(INQUIRIES.insert().values(**values)).inserted_primary_key[0]  # type: ignore[index]
            inquiry.dirty = False
        changed = [i for i in touched.values() if i.dirty]
        if changed:
            connection.execute(
                update(INQUIRIES)
                .where(INQUIRIES.c.id == bindparam("_id"))
                .values({name: bindparam(name) for name in INQUIRY_RULE_COLUMNS}),
                [
                    {"_id": i.id, **dict(zip(INQUIRY_RULE_COLUMNS, inquiry_rule_values(i, self.month_of), strict=True))}
                    for i in changed
                ],
            )
            for inquiry in changed:
                inquiry.dirty = False
        message_updates: list[dict[str, Any]] = []
        response_rows: list[dict[str, Any]] = []
        for message_id, decision, sender, month, at, from_staff in pending:
            owner = decision.inquiry
            inquiry_id = owner.id if owner is not None else None
            message_updates.append(
                {"_id": message_id, "_role": decision.role.value, "_inquiry": inquiry_id, "_staff": from_staff}
            )
            if decision.response is None:
                continue
            link = decision.link.value if decision.link is not None else None
            common = {
                "source_id": source.id,
                "message_id": message_id,
                "inquiry_id": inquiry_id,
                "staff_id": sender,
                "at": at,
                "month": month,
                "link": link,
                "post_type": decision.post_type,
            }
            if decision.response is ResponseKind.REFERRAL:
                for organization in decision.referrals:
                    response_rows.append({**common, "kind": "referral", "organization_id": organization.id})
            else:
                response_rows.append({**common, "kind": decision.response.value, "organization_id": None})
        if message_updates:
            connection.execute(
                update(MESSAGES)
                .where(MESSAGES.c.id == bindparam("_id"))
                .values(role=bindparam("_role"), inquiry_id=bindparam("_inquiry"), from_staff=bindparam("_staff")),
                message_updates,
            )
        if response_rows:
            connection.execute(RESPONSES.insert(), response_rows)
        pending.clear()
        self._done += _CHUNK
        if self.on_progress is not None:
            self.on_progress(min(self._done, self._total), self._total)

    def _recorded_referrals(
        self,
        connection: Connection,
        source: SourceInfo,
        sent: dict[tuple[int, int], tuple[str | None, list[int] | None]],
        credits: dict[int, int],
        old_ids: set[int] | None = None,
    ) -> None:
        recorded = {key: referrals for key, (_, referrals) in sent.items() if referrals}
        if not recorded:
            return
        for (chat_id, telegram_id), organization_ids in recorded.items():
            row = connection.execute(
                select(
                    MESSAGES.c.id, MESSAGES.c.inquiry_id, MESSAGES.c.sender_id, MESSAGES.c.date, MESSAGES.c.month
                ).where(
                    MESSAGES.c.source_id == source.id,
                    MESSAGES.c.chat_id == chat_id,
                    MESSAGES.c.telegram_id == telegram_id,
                    MESSAGES.c.role == "staff_reply",
                )
            ).first()
            if row is None or row.inquiry_id is None:
                continue
            if self.kept_before is not None and (row.date < self.kept_before or row.inquiry_id in (old_ids or ())):
                continue  # not replayed (its text is gone): its responses stay as derived
            link = connection.scalar(select(func.max(RESPONSES.c.link)).where(RESPONSES.c.message_id == row.id))
            connection.execute(
                delete(RESPONSES).where(
                    RESPONSES.c.message_id == row.id,
                    RESPONSES.c.kind.in_([ResponseKind.INFORMATION.value, ResponseKind.REFERRAL.value]),
                )
            )
            connection.execute(
                RESPONSES.insert(),
                [
                    {
                        "source_id": source.id,
                        "message_id": row.id,
                        "inquiry_id": row.inquiry_id,
                        "kind": "referral",
                        "organization_id": organization_id,
                        "staff_id": row.sender_id,
                        "profile_id": credits.get(row.id),
                        "at": row.date,
                        "month": row.month,
                        "link": link,
                        "post_type": None,
                    }
                    for organization_id in dict.fromkeys(organization_ids)
                ],
            )

    # -- retention ------------------------------------------------------------------------------------------
    def _kept_inquiries(self, source: SourceInfo) -> Select[tuple[int]]:
        """The source's inquiries asked before the retention boundary: kept as derived."""
        assert self.kept_before is not None
        return select(INQUIRIES.c.id).where(
            INQUIRIES.c.source_id == source.id, INQUIRIES.c.arrival_at < self.kept_before
        )

    def _replayed(self, source: SourceInfo, kept: Select[tuple[int]]) -> ColumnElement[bool]:
        """The messages the replay reads: from the boundary on, and not part of an inquiry asked before it."""
        assert self.kept_before is not None
        return (
            (MESSAGES.c.source_id == source.id)
            & (MESSAGES.c.date >= self.kept_before)
            & or_(MESSAGES.c.inquiry_id.is_(None), MESSAGES.c.inquiry_id.not_in(kept))
        )

    def _load_open_kept(self, connection: Connection, source: SourceInfo, tracker: ConversationTracker) -> None:
        """Inquiries asked before the boundary and still open, loaded as the connector loads them at start: a
        private chat's next message joins its open inquiry, a group's answer without a reply may name it."""
        assert self.kept_before is not None
        rows = connection.execute(
            select(INQUIRIES, Member.peer_type, Member.telegram_id, Member.display_name, Member.username)
            .outerjoin(Member, Member.id == INQUIRIES.c.member_id)
            .where(
                INQUIRIES.c.source_id == source.id,
                INQUIRIES.c.arrival_at < self.kept_before,
                INQUIRIES.c.state.in_([s.value for s in OPEN_STATES]),
            )
            .order_by(INQUIRIES.c.arrival_at)
        ).all()
        if not rows:
            return
        if source.kind is SourceKind.PRIVATE:
            tracker.load([tracked_from_row(cast(Any, row)) for row in rows])
            return
        topics = {
            (chat_id, telegram_id): topic_id
            for chat_id, telegram_id, topic_id in connection.execute(
                select(MESSAGES.c.chat_id, MESSAGES.c.telegram_id, MESSAGES.c.topic_id).where(
                    MESSAGES.c.source_id == source.id,
                    MESSAGES.c.inquiry_id.in_([row.id for row in rows]),
                    MESSAGES.c.topic_id.is_not(None),
                )
            )
        }
        asks = []
        for row in rows:
            if row.arrival_at < self.kept_before - MENTION_WINDOW:
                tracker.load([tracked_from_row(cast(Any, row))])  # a reply to it still answers it
                continue
            inquiry = tracked_from_row(cast(Any, row))
            user_id = row.telegram_id if row.peer_type == "user" else None
            topic_id = topics.get((row.chat_id, row.question_telegram_id))
            asks.append((inquiry, topic_id, user_id, row.display_name or "", row.username or ""))
        tracker.load_asks(asks)

    # -- reading --------------------------------------------------------------------------------------------
    @staticmethod
    def _answer_links(connection: Connection, source: SourceInfo) -> dict[tuple[int, int], tuple[int, int] | None]:
        """Moderators' answer links in the source: (chat, staff message) -> (chat, question) or None."""
        staff = MESSAGES.alias("staff")
        question = MESSAGES.alias("question")
        rows = connection.execute(
            select(staff.c.chat_id, staff.c.telegram_id, question.c.chat_id, question.c.telegram_id)
            .select_from(ANSWER_LINKS)
            .join(staff, staff.c.id == ANSWER_LINKS.c.message_id)
            .outerjoin(question, question.c.id == ANSWER_LINKS.c.question_message_id)
            .where(staff.c.source_id == source.id)
        )
        return {
            (chat_id, telegram_id): (question_chat, question_id) if question_id is not None else None
            for chat_id, telegram_id, question_chat, question_id in rows
        }

    def _messages(
        self, connection: Connection, source: SourceInfo
    ) -> Iterator[tuple[int, MessageRecord, int | None, str, int]]:
        """The source's messages in the order they arrived, as the rules take them."""
        query = (
            select(
                MESSAGES.c.id,
                MESSAGES.c.chat_id,
                MESSAGES.c.telegram_id,
                MESSAGES.c.date,
                MESSAGES.c.sender_id,
                Member.peer_type,
                Member.telegram_id,
                Member.display_name,
                Member.username,
                MESSAGES.c.text,
                MESSAGES.c.reply_to,
                MESSAGES.c.media_kind,
                MESSAGES.c.is_service,
                MESSAGES.c.role,
                MESSAGES.c.month,
                MESSAGES.c.topic_id,
                MESSAGES.c.mentions,
            )
            .outerjoin(Member, Member.id == MESSAGES.c.sender_id)
            .where(MESSAGES.c.source_id == source.id)
            .order_by(MESSAGES.c.date, MESSAGES.c.chat_id, MESSAGES.c.telegram_id)
        )
        if self.kept_before is not None:
            query = query.where(self._replayed(source, self._kept_inquiries(source)))
        # Read on a connection of its own, streamed: it sees the log as it was when the replay began, while
        # the writing connection rewrites the rows already read.
        with self.db.engine.connect() as reader:
            for row in reader.execution_options(stream_results=True, yield_per=_CHUNK).execute(query):
                yield self._record(row)

    @staticmethod
    def _record(row: Any) -> tuple[int, MessageRecord, int | None, str, int]:
        peer = Peer(row[5], row[6], row[7] or "", row[8] or "") if row[5] is not None and row[6] is not None else None
        record = MessageRecord(
            chat_id=row[1],
            telegram_id=row[2],
            date=row[3],
            sender=peer,
            text=row[9] or "",
            reply_to=row[10],
            media_kind=row[11],
            is_service=bool(row[12]),
            topic_id=row[15],
            mentioned_ids=tuple(int(i) for i in row[16].split(",")) if row[16] else (),
        )
        return row[0], record, row[4], row[13], row[14]


def _chunks(ids: list[int], size: int = 500) -> Iterator[list[int]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


__all__ = ["RULES_VERSION", "RederiveSummary", "Rederiver", "mark_rules_current", "rules_outdated"]
