"""Ingestion: records from an export (or, later, the connector) become log rows through the domain rules.

Work is buffered and written one batch per transaction: a crash or a bad record later in a file leaves every
earlier batch complete and the current one absent, so a rerun resumes where the log stops. Everything has
a unique key, and a source remembers what it already holds, so the same input stored twice is stored once.
"""

from __future__ import annotations

import contextlib
import gc
import weakref
from array import array
from bisect import bisect_left
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Protocol, cast

from sqlalchemy import Table, bindparam, func, select
from sqlalchemy.engine import Connection

from moderator_app.domain.asking import DEFAULT_DETECTOR, InquiryDetector
from moderator_app.domain.clock import ServiceClock
from moderator_app.domain.events import (
    MembershipKind,
    MembershipRecord,
    MessageRecord,
    Peer,
    SourceKind,
    SourceRef,
    is_staff,
)
from moderator_app.domain.inbox import SourceInfo
from moderator_app.domain.inquiries import (
    DEFAULT_ANSWER_WINDOW,
    MENTION_WINDOW,
    OPEN_STATES,
    ConversationTracker,
    Decision,
    ResponseKind,
    Role,
    TrackedInquiry,
)
from moderator_app.domain.referrals import ReferralMatcher
from moderator_app.domain.safety import NO_URGENT_WORDS, UrgentMatcher
from moderator_app.domain.statistics import MonthKeyer
from moderator_app.store.bulk import BulkWriter, bulk_writer_for
from moderator_app.store.db import Database
from moderator_app.store.models import Inquiry, Member, MembershipEvent, Message, Response, Topic, asked_in
from moderator_app.store.repositories import (
    INQUIRY_RULE_COLUMNS,
    ClockResolver,
    SourceRepository,
    inquiry_rule_values,
    tracked_from_row,
)

MESSAGES = cast(Table, Message.__table__)
INQUIRIES = cast(Table, Inquiry.__table__)
RESPONSES = cast(Table, Response.__table__)
MEMBERS = cast(Table, Member.__table__)
MEMBERSHIP = cast(Table, MembershipEvent.__table__)
TOPICS = cast(Table, Topic.__table__)

MESSAGE_COLUMNS = (
    "source_id",
    "chat_id",
    "telegram_id",
    "sender_id",
    "from_staff",
    "date",
    "month",
    "edited_at",
    "text",
    "reply_to",
    "topic_id",
    "media_kind",
    "media",
    "is_service",
    "action",
    "forwarded_from",
    "mentions",
    "role",
    "inquiry_id",
)
_SENDER, _INQUIRY_ID = MESSAGE_COLUMNS.index("sender_id"), MESSAGE_COLUMNS.index("inquiry_id")
INQUIRY_KEY_COLUMNS = ("source_id", "chat_id", "question_telegram_id", "member_id", "arrival_at", "month")
RESPONSE_COLUMNS = (
    "source_id",
    "message_id",
    "inquiry_id",
    "kind",
    "post_type",
    "organization_id",
    "staff_id",
    "at",
    "month",
    "link",
)
MEMBERSHIP_COLUMNS = (
    "source_id",
    "kind",
    "at",
    "month",
    "member_id",
    "member_name",
    "actor_id",
    "via",
    "event_key",
)
_DATE, _MONTH = MESSAGE_COLUMNS.index("date"), MESSAGE_COLUMNS.index("month")
_CHAT, _TELEGRAM_ID, _ROLE = (MESSAGE_COLUMNS.index(c) for c in ("chat_id", "telegram_id", "role"))
_MEMBER, _ACTOR = MEMBERSHIP_COLUMNS.index("member_id"), MEMBERSHIP_COLUMNS.index("actor_id")
MEMBER_COLUMNS = ("peer_type", "telegram_id", "display_name")
TOPIC_COLUMNS = ("source_id", "topic_id", "title", "created_at")


_UNSEEN = -(2**62)


@dataclass
class IngestCounts:
    """What an ingestion run did, for the summary a person reads."""

    messages_stored: int = 0
    messages_already_stored: int = 0
    inquiries_opened: int = 0
    responses: Counter[str] = field(default_factory=Counter)
    membership_events: int = 0
    membership_already_stored: int = 0
    batches: int = 0
    #: Of the above, what is committed in the log (the rest waits in the batch being built): what a run that
    #: stops half-way has really stored.
    messages_committed: int = 0
    membership_committed: int = 0
    #: Forum topics logged (created) and renamed.
    topics_stored: int = 0
    topics_renamed: int = 0


@dataclass(slots=True)
class _PendingMessage:
    row: list[Any]
    inquiry: TrackedInquiry | None
    decision: Decision
    sender: int | None


class StoredIds:
    """Which (chat, message id) pairs a source already holds, in 8 bytes per message.

    A set of tuples would cost ~130 bytes per message: 300 MB for a 1 GB export. Ids arrive in increasing
    order within a chat, so each chat keeps a sorted array and membership is a binary search; an id out of
    order (rare) goes to a small set.
    """

    def __init__(self) -> None:
        self._ids: dict[int, array[int]] = {}
        self._late: set[tuple[int, int]] = set()

    def load(self, chat_id: int, ordered: Iterable[int]) -> None:
        self._ids[chat_id] = array("q", ordered)

    def __contains__(self, key: tuple[int, int]) -> bool:
        chat_id, telegram_id = key
        ids = self._ids.get(chat_id)
        if ids and telegram_id <= ids[-1]:
            i = bisect_left(ids, telegram_id)
            if i < len(ids) and ids[i] == telegram_id:
                return True
        return key in self._late

    def add(self, key: tuple[int, int]) -> None:
        chat_id, telegram_id = key
        ids = self._ids.get(chat_id)
        if ids is None:
            ids = self._ids[chat_id] = array("q")
        if not ids or telegram_id > ids[-1]:
            ids.append(telegram_id)
        else:
            self._late.add(key)

    def last(self, chat_id: int) -> int:
        ids = self._ids.get(chat_id)
        return ids[-1] if ids else 0

    def chats(self) -> list[int]:
        return list(self._ids)


@contextlib.contextmanager
def fewer_collections() -> Iterator[None]:
    """For an ingestion burst (an import, a catch-up).

    Ingestion allocates millions of short-lived, acyclic objects (records, rows, parsed JSON or TL objects)
    that reference counting frees at once; the cyclic collector, triggered every 700 allocations, meanwhile
    walks the whole heap again and again and costs about a third of the ingest time. Collect less often for
    the duration, and leave out of the collections every object that was there before the burst (the
    modules, the window) unless the process already froze its start-up objects (see launch.end_startup).
    The previous thresholds come back afterwards, and those objects are collected as before: nothing is
    switched off. Against a 50,000 threshold alone, this takes 1.4 % off an import's instructions (callgrind,
    20k messages).
    """
    previous = gc.get_threshold()
    gc.set_threshold(max(previous[0], 200_000), max(previous[1], 50), max(previous[2], 50))
    freeze = gc.get_freeze_count() == 0
    if freeze:
        gc.freeze()
    try:
        yield
    finally:
        if freeze:
            gc.unfreeze()
        gc.set_threshold(*previous)


#: How far back in time a source keeps its message-to-inquiry links in memory during ingestion.
MEMORY_WINDOW = timedelta(days=90)


class SourceIngest:
    """One source's view while ingesting: its tracker, what it already holds, and name lookups."""

    #: Every this many messages, links older than :data:`MEMORY_WINDOW` are dropped from memory.
    FORGET_EVERY = 2000

    def __init__(self, ingestor: Ingestor, info: SourceInfo) -> None:
        self.ingestor = ingestor
        self.info = info
        self.tracker = ConversationTracker(
            info.kind,
            ingestor.matcher,
            ingestor.clocks.for_source(info.id),
            info.language,
            detector=ingestor.detector,
            answer_window=ingestor.answer_window,
            urgent_words=ingestor.urgent_words,
        )
        self.tracker.recall = self._recall
        self.tracker.recall_message = self._recall_message
        self.stored = StoredIds()
        self.event_keys: set[str] = set()
        self.topics: dict[int, str] = {}  # forum topics in the log: root id -> title
        self.names: dict[str, int | None] = {}  # display name -> member id (None when ambiguous)
        # First appearance of each member in this run (a post, or leaving): members with no join before it
        # were members before the log began.
        self.first_seen: dict[int, datetime] = {}
        #: Messages of this run were already in the log (a resumed import): their senders are read from the log
        #: when the source finishes, since this run never saw them.
        self.resumed = False
        self._unmarked: dict[int, datetime] = {}  # first seen since the last mark_present_now (live ingestion)
        self._by_id: weakref.WeakValueDictionary[int, TrackedInquiry] = weakref.WeakValueDictionary()
        self._seen = 0
        self._hydrate()

    def _hydrate(self) -> None:
        """What the log already holds: message ids (compactly), membership keys, and the open private
        inquiries. Older links are recalled from the log only when a reply points at them."""
        db = self.ingestor.db
        source_id = self.info.id
        with db.engine.connect() as connection:
            chat_ids = connection.scalars(
                select(MESSAGES.c.chat_id).where(MESSAGES.c.source_id == source_id).distinct()
            ).all()
            for chat_id in chat_ids:
                self.stored.load(
                    chat_id,
                    connection.scalars(
                        select(MESSAGES.c.telegram_id)
                        .where(MESSAGES.c.source_id == source_id, MESSAGES.c.chat_id == chat_id)
                        .order_by(MESSAGES.c.telegram_id)
                    ),
                )
                self.tracker.set_horizon(chat_id, self.stored.last(chat_id) + 1)
            self.event_keys = set(
                connection.scalars(select(MEMBERSHIP.c.event_key).where(MEMBERSHIP.c.source_id == source_id))
            )
            if self.info.kind is SourceKind.GROUP:  # only supergroups have topics
                self.topics = {
                    topic_id: title
                    for topic_id, title in connection.execute(
                        select(TOPICS.c.topic_id, TOPICS.c.title).where(TOPICS.c.source_id == source_id)
                    )
                }
        if self.info.kind is not SourceKind.PRIVATE and chat_ids:
            self._hydrate_asks()
        if self.info.kind is SourceKind.PRIVATE and chat_ids:
            with db.sessions() as session:
                open_inquiries = [
                    tracked_from_row(row)
                    for row in session.scalars(
                        select(Inquiry).where(
                            Inquiry.source_id == source_id,
                            Inquiry.state.in_([s.value for s in OPEN_STATES]),
                        )
                    )
                ]
            for inquiry in open_inquiries:
                if inquiry.id is not None:
                    self._by_id[inquiry.id] = inquiry
            self.tracker.load(open_inquiries)

    def _hydrate_asks(self) -> None:
        """The open group inquiries of the mention window, with their askers: a staff message that names the
        member (or follows the question) answers one without Telegram's reply, across restarts too."""
        db = self.ingestor.db
        with db.sessions() as session:
            latest = session.scalar(select(func.max(MESSAGES.c.date)).where(MESSAGES.c.source_id == self.info.id))
            if latest is None:
                return
            rows = session.execute(
                select(
                    Inquiry,
                    MEMBERS.c.peer_type,
                    MEMBERS.c.telegram_id,
                    MEMBERS.c.display_name,
                    MESSAGES.c.topic_id,
                    MEMBERS.c.username,
                )
                .outerjoin(MEMBERS, MEMBERS.c.id == Inquiry.member_id)
                .outerjoin(MESSAGES, asked_in(MESSAGES.c))
                .where(
                    Inquiry.source_id == self.info.id,
                    Inquiry.state.in_([s.value for s in OPEN_STATES]),
                    Inquiry.arrival_at >= latest - MENTION_WINDOW,
                )
                .order_by(Inquiry.arrival_at)
            ).all()
            asks = []
            for row, peer_type, telegram_id, name, topic_id, username in rows:
                inquiry = tracked_from_row(row)
                if inquiry.id is not None:
                    self._by_id[inquiry.id] = inquiry
                user_id = telegram_id if peer_type == "user" else None
                asks.append((inquiry, topic_id, user_id, name or "", username or ""))
        self.tracker.load_asks(asks)

    def _recall_message(self, chat_id: int, telegram_id: int) -> tuple[MessageRecord, int | None] | None:
        """A member message of the log that belongs to no inquiry (a staff reply may reveal one)."""
        self.ingestor.flush()
        with self.ingestor.db.engine.connect() as connection:
            row = connection.execute(
                select(MESSAGES.c.date, MESSAGES.c.text, MESSAGES.c.sender_id, MESSAGES.c.media_kind).where(
                    MESSAGES.c.source_id == self.info.id,
                    MESSAGES.c.chat_id == chat_id,
                    MESSAGES.c.telegram_id == telegram_id,
                    MESSAGES.c.from_staff.is_(False),
                    MESSAGES.c.is_service.is_(False),
                    MESSAGES.c.inquiry_id.is_(None),
                )
            ).first()
        if row is None:
            return None
        date, text, sender_id, media_kind = row
        return MessageRecord(chat_id, telegram_id, date, None, text or "", media_kind=media_kind), sender_id

    def _recall(self, chat_id: int, telegram_id: int) -> TrackedInquiry | None:
        """The inquiry a stored message belongs to, from the log (one object per inquiry)."""
        self.ingestor.flush()
        db = self.ingestor.db
        with db.engine.connect() as connection:
            inquiry_id = connection.scalar(
                select(MESSAGES.c.inquiry_id).where(
                    MESSAGES.c.source_id == self.info.id,
                    MESSAGES.c.chat_id == chat_id,
                    MESSAGES.c.telegram_id == telegram_id,
                )
            )
        if inquiry_id is None:
            return None
        known = self._by_id.get(inquiry_id)
        if known is not None:
            return known
        with db.sessions() as session:
            row = session.get(Inquiry, inquiry_id)
            if row is None:
                return None
            inquiry = tracked_from_row(row)
        self._by_id[inquiry_id] = inquiry
        return inquiry

    def follow_standard(self, clock: ServiceClock, answer_window: timedelta) -> int:
        """The standard changed while this source is held: new messages go by ``clock``, and every open
        inquiry held in memory is re-measured (and written at the next flush), so no later write puts the
        old due time back. Returns how many were re-measured."""
        tracker = self.tracker
        tracker.clock = clock
        tracker.answer_window = answer_window
        changed = 0
        for inquiry in list(self._by_id.values()):
            if inquiry.is_open:
                tracker.recompute_due(inquiry)
                self.ingestor.changed_inquiries[id(inquiry)] = inquiry
                changed += 1
        return changed

    def tracked(self, inquiry_id: int) -> TrackedInquiry | None:
        """The in-memory inquiry with this id, if the rules hold it (open ones they may still change)."""
        return self._by_id.get(inquiry_id)

    def has(self, chat_id: int, telegram_id: int) -> bool:
        return (chat_id, telegram_id) in self.stored

    def message(self, record: MessageRecord, *, checked: bool = False) -> bool:
        """Log one message; False when the log already had it (``checked``: the caller just asked has())."""
        key = (record.chat_id, record.telegram_id)
        ingestor = self.ingestor
        if not checked and key in self.stored:
            ingestor.counts.messages_already_stored += 1
            return False
        self.stored.add(key)
        self._seen += 1
        if self._seen % self.FORGET_EVERY == 0:
            self.tracker.forget_before(record.date - MEMORY_WINDOW)
        peer = record.sender
        sender: int | None = None
        if peer is not None:
            sender = ingestor.member_id(peer)
            if peer.name:
                names = self.names
                known = names.get(peer.name, _UNSEEN)
                if known is _UNSEEN:
                    names[peer.name] = sender
                elif known is not None and known != sender and ingestor.resolve(known) != ingestor.resolve(sender):
                    names[peer.name] = None  # two members share this display name: never guess between them
        from_staff = ingestor.is_staff(peer, self.info)
        if sender is not None and not from_staff and not record.is_service and sender not in self.first_seen:
            self.first_seen[sender] = self._unmarked[sender] = record.date
        decision = self.tracker.observe(record, sender, from_staff)
        inquiry = decision.inquiry
        if decision.revealed is not None and inquiry is not None:
            self._reveal(decision.revealed, inquiry)
        if inquiry is not None:
            if decision.opened:
                ingestor.counts.inquiries_opened += 1
                ingestor.new_inquiries.append((self.info.id, inquiry, self._by_id))
            elif inquiry.dirty:  # (one opened in this batch is written as it is then, see Ingestor._plan)
                ingestor.changed_inquiries[id(inquiry)] = inquiry
        bulk = ingestor.bulk
        null = bulk.null
        row = [  # as stored (see BulkWriter): written in write_plan without another pass over the values
            self.info.id,
            record.chat_id,
            record.telegram_id,
            null if sender is None else sender,
            bulk.flag(from_staff),
            bulk.instant(record.date),
            ingestor.month_of(record.date),
            null if record.edited_at is None else bulk.instant(record.edited_at),
            record.text,
            null if record.reply_to is None else record.reply_to,
            null if record.topic_id is None else record.topic_id,
            null if record.media_kind is None else record.media_kind,
            null if record.media is None else bulk.document(record.media),
            bulk.flag(record.is_service),
            null if record.action is None else record.action,
            null if record.forwarded_from is None else record.forwarded_from,
            ",".join(map(str, record.mentioned_ids)) if record.mentioned_ids else null,
            decision.role.value,
            null,  # the inquiry's id, once it has one (Ingestor._plan)
        ]
        ingestor.pending.append(_PendingMessage(row, inquiry, decision, sender))
        ingestor.counts.messages_stored += 1
        if len(ingestor.pending) >= ingestor.batch_size:
            ingestor.flush_behind()
        return True

    def _reveal(self, key: tuple[int, int], inquiry: TrackedInquiry) -> None:
        """The earlier member message is now the question of ``inquiry``: in this batch, or already written."""
        pending = self.ingestor.pending
        chat_id, telegram_id = key
        source_id = self.info.id
        for item in reversed(pending):
            row = item.row
            if row[_TELEGRAM_ID] == telegram_id and row[_CHAT] == chat_id and row[0] == source_id:
                row[_ROLE] = Role.QUESTION.value
                item.inquiry = inquiry
                return
        self.ingestor.revealed.append((source_id, chat_id, telegram_id, inquiry))

    def membership(self, record: MembershipRecord) -> bool:
        ingestor = self.ingestor
        if record.event_key in self.event_keys:
            ingestor.counts.membership_already_stored += 1
            return False
        self.event_keys.add(record.event_key)
        member = ingestor.member_id(record.member) if record.member else None
        if member is None and record.member_name:
            member = self.names.get(record.member_name)
        if member is not None and record.kind in (MembershipKind.LEFT, MembershipKind.REMOVED):
            seen = self.first_seen.get(member)
            if seen is None or record.at < seen:
                self.first_seen[member] = self._unmarked[member] = record.at
        ingestor.pending_membership.append(
            [
                self.info.id,
                record.kind.value,
                record.at,
                ingestor.month_of(record.at),
                member,
                record.member_name,
                ingestor.member_id(record.actor) if record.actor else None,
                record.via,
                record.event_key,
            ]
        )
        ingestor.counts.membership_events += 1
        return True

    def topic(self, topic_id: int, title: str, created_at: datetime | None = None) -> bool:
        """A forum topic was created (``created_at`` given) or renamed (without): log it or its new title.

        False when the log already has it so (a rerun, or the same update twice). A rename of a topic the log
        does not know (created before the log began) logs the topic without a creation time.
        """
        known = self.topics.get(topic_id)
        if known is not None and (created_at is not None or known == title):
            return False
        ingestor = self.ingestor
        key = (self.info.id, topic_id)
        self.topics[topic_id] = title
        pending = ingestor.pending_topics.get(key)
        if pending is not None:
            pending[2] = title
        elif known is None:
            ingestor.pending_topics[key] = [self.info.id, topic_id, title, created_at]
        else:
            ingestor.renamed_topics[key] = title
        if created_at is not None:
            ingestor.counts.topics_stored += 1
        else:
            ingestor.counts.topics_renamed += 1
        return True

    def finish(self) -> None:
        """After the source's records: link events named only by display name, and mark who was present."""
        ingestor = self.ingestor
        ingestor.flush()
        self._unmarked.clear()  # marked below, with every member this run saw
        if self.info.kind is SourceKind.PRIVATE:
            return
        with ingestor.db.engine.begin() as connection:
            unnamed = connection.scalars(
                select(MEMBERSHIP.c.member_name)
                .where(MEMBERSHIP.c.source_id == self.info.id, MEMBERSHIP.c.member_id.is_(None))
                .distinct()
            ).all()
            links = [
                {"_name": name, "_member": ingestor.resolve(self.names[name])}
                for name in unnamed
                if self.names.get(name) is not None
            ]
            if links:
                connection.execute(
                    MEMBERSHIP.update()
                    .where(
                        MEMBERSHIP.c.source_id == self.info.id,
                        MEMBERSHIP.c.member_id.is_(None),
                        MEMBERSHIP.c.member_name == bindparam("_name"),
                    )
                    .values(member_id=bindparam("_member")),
                    links,
                )
            self._mark_present(connection)

    def mark_present_now(self) -> None:
        """Live ingestion has no end: members first seen since the last call are marked present at once (an
        import marks them when the source finishes), so live and imported logs count the same members."""
        fresh, self._unmarked = self._unmarked, {}
        if not fresh or self.info.kind is SourceKind.PRIVATE:
            return
        with self.ingestor.db.engine.begin() as connection:
            self._mark_present(connection, fresh)

    def _seen_in_log(self, connection: Connection) -> dict[int, datetime]:
        """Members' first post (or departure) in this source as the log has it: for a resumed import, whose
        run skipped the messages stored before."""
        seen: dict[int, datetime] = {}
        posts = (
            select(MESSAGES.c.sender_id, func.min(MESSAGES.c.date))
            .where(
                MESSAGES.c.source_id == self.info.id,
                MESSAGES.c.sender_id.is_not(None),
                MESSAGES.c.from_staff.is_(False),
                MESSAGES.c.is_service.is_(False),
            )
            .group_by(MESSAGES.c.sender_id)
        )
        departures = (
            select(MEMBERSHIP.c.member_id, func.min(MEMBERSHIP.c.at))
            .where(
                MEMBERSHIP.c.source_id == self.info.id,
                MEMBERSHIP.c.member_id.is_not(None),
                MEMBERSHIP.c.kind.in_([MembershipKind.LEFT.value, MembershipKind.REMOVED.value]),
            )
            .group_by(MEMBERSHIP.c.member_id)
        )
        for query in (posts, departures):
            for member, at in connection.execute(query):
                if member not in seen or at < seen[member]:
                    seen[member] = at
        return seen

    def _mark_present(self, connection: Connection, only: dict[int, datetime] | None = None) -> None:
        ingestor = self.ingestor
        first_seen: dict[int, datetime] = self._seen_in_log(connection) if self.resumed and only is None else {}
        for member, at in (self.first_seen if only is None else only).items():
            real = ingestor.resolve(member)
            if real is not None and (real not in first_seen or at < first_seen[real]):
                first_seen[real] = at
        if not first_seen:
            return
        entered: dict[int, datetime] = {}
        for member, at in connection.execute(
            select(MEMBERSHIP.c.member_id, func.min(MEMBERSHIP.c.at))
            .where(
                MEMBERSHIP.c.source_id == self.info.id,
                MEMBERSHIP.c.member_id.is_not(None),
                MEMBERSHIP.c.kind.in_([MembershipKind.JOINED.value, MembershipKind.PRESENT.value]),
            )
            .group_by(MEMBERSHIP.c.member_id)
        ):
            entered[member] = at
        rows = []
        for member, at in first_seen.items():
            key = f"present:{member}"
            joined = entered.get(member)
            if (joined is None or joined > at) and key not in self.event_keys:
                self.event_keys.add(key)
                row = (
                    self.info.id,
                    MembershipKind.PRESENT.value,
                    at,
                    ingestor.month_of(at),
                    member,
                    "",
                    None,
                    None,
                    key,
                )
                rows.append(row)
        ingestor.bulk.insert(connection, MEMBERSHIP, MEMBERSHIP_COLUMNS, rows)


class Ingestor:
    """Buffers rows across sources and writes them one batch per transaction."""

    def __init__(
        self,
        db: Database,
        *,
        staff: frozenset[int],
        matcher: ReferralMatcher,
        clocks: ClockResolver,
        batch_size: int = 5000,
        month_of: MonthKeyer,
        on_batch: Callable[[IngestCounts], None] | None = None,
        detector: InquiryDetector = DEFAULT_DETECTOR,
        answer_window: timedelta = DEFAULT_ANSWER_WINDOW,
        urgent_words: UrgentMatcher = NO_URGENT_WORDS,
    ) -> None:
        self.db = db
        self.detector = detector
        self.answer_window = answer_window
        self.urgent_words = urgent_words
        #: Messages already written whose member message a staff reply revealed as an inquiry's question.
        self.revealed: list[tuple[int, int, int, TrackedInquiry]] = []
        self.month_of = month_of
        self.staff = staff
        self.matcher = matcher
        self.clocks = clocks
        self.batch_size = batch_size
        self.on_batch = on_batch
        self.counts = IngestCounts()
        self.sources = SourceRepository(db)
        self.pending: list[_PendingMessage] = []
        self.pending_membership: list[list[Any]] = []
        self.pending_topics: dict[tuple[int, int], list[Any]] = {}  # (source, root id) -> row to insert
        self.renamed_topics: dict[tuple[int, int], str] = {}  # (source, root id) -> new title of a logged topic
        self.bulk = bulk_writer_for(db.engine.dialect.name)
        self._writer: BatchWriter | None = None
        self._in_flight: _Batch | None = None  # handed to the writer, ids not known yet
        self.new_inquiries: list[tuple[int, TrackedInquiry, weakref.WeakValueDictionary[int, TrackedInquiry]]] = []
        self.changed_inquiries: dict[int, TrackedInquiry] = {}
        self._members: dict[tuple[str, int], tuple[int, str]] = {}
        self._new_members: dict[int, dict[str, Any]] = {}
        self._renamed: dict[int, str] = {}
        self._real_ids: dict[int, int] = {}
        self._provisional_counter = 0
        # Usernames live senders have (exports carry none): kept so "@username" still finds its member's open
        # question after a restart; written by peer key, so a member new in this batch needs no id first.
        self._usernames: dict[tuple[str, int], str] = {}
        self._new_usernames: dict[tuple[str, int], str] = {}
        with db.engine.connect() as connection:
            for member_id, peer_type, telegram_id, name, username in connection.execute(
                select(
                    MEMBERS.c.id, MEMBERS.c.peer_type, MEMBERS.c.telegram_id, MEMBERS.c.display_name, MEMBERS.c.username
                )
            ):
                self._members[(peer_type, telegram_id)] = (member_id, name)
                if username:
                    self._usernames[(peer_type, telegram_id)] = username

    def source(self, ref: SourceRef) -> SourceIngest:
        self.flush()
        return SourceIngest(self, self.sources.get_or_create(ref))

    def is_staff(self, peer: Peer | None, source: SourceInfo) -> bool:
        return is_staff(peer, self.staff, source.telegram_id)

    def member_id(self, peer: Peer) -> int:
        """The member's id; a new member gets a provisional (negative) id until the batch is written."""
        key = (peer.peer_type, peer.telegram_id)
        if peer.username and self._usernames.get(key) != peer.username:
            self._usernames[key] = self._new_usernames[key] = peer.username
        known = self._members.get(key)
        if known is not None:
            member_id, name = known
            if peer.name and name != peer.name:
                self._members[key] = (member_id, peer.name)
                new = self._new_members.get(member_id)
                if new is not None:
                    new["display_name"] = peer.name
                else:  # written, or being written (a provisional id then, resolved in _plan)
                    self._renamed[member_id] = peer.name
            return member_id
        self._provisional_counter -= 1
        member_id = self._provisional_counter
        self._new_members[member_id] = {
            "peer_type": peer.peer_type,
            "telegram_id": peer.telegram_id,
            "display_name": peer.name,
        }
        self._members[key] = (member_id, peer.name)
        return member_id

    def resolve(self, member_id: int | None) -> int | None:
        """A provisional id's real one, once written."""
        if member_id is None or member_id > 0:
            return member_id
        return self._real_ids.get(member_id, member_id)

    def mark_changed(self, inquiry: TrackedInquiry) -> None:
        """An inquiry held in memory was changed outside the rules (a moderator's decision): written at the
        next flush."""
        self.changed_inquiries[id(inquiry)] = inquiry

    def forget_change(self, inquiry: TrackedInquiry) -> None:
        """The log already has this inquiry as it should be (a decision made elsewhere was adopted)."""
        self.changed_inquiries.pop(id(inquiry), None)

    def _buffered(self) -> bool:
        return bool(
            self.pending
            or self.pending_membership
            or self.new_inquiries
            or self.changed_inquiries
            or self._new_members
            or self._new_usernames
            or self._renamed
            or self.revealed
            or self.pending_topics
            or self.renamed_topics
        )

    def flush(self) -> None:
        """Write everything buffered in one transaction, and wait until it is in the log."""
        if self._writer is not None:
            self._hand_over()
            self.settle()
            return
        if not self._buffered():
            return
        batch = self._plan()
        try:
            with self.db.engine.begin() as connection:
                ids = write_plan(connection, self.bulk, batch.plan)
        except BaseException:
            for inquiry in batch.changed:  # still to write: the buffers keep everything for the next flush
                inquiry.dirty = True
            raise
        self._clear_buffers()
        self._adopt(batch, ids)

    def flush_behind(self) -> None:
        """A full batch: with a writer process, hand it over and go on reading while it is written (the
        previous one is waited for first, so at most one batch is ever unwritten); otherwise :meth:`flush`."""
        if self._writer is None:
            self.flush()
        else:
            self._hand_over()

    def _hand_over(self) -> None:
        """The buffers to the writer process, once the batch it holds is written."""
        assert self._writer is not None
        self.settle()
        if not self._buffered():
            return
        batch = self._plan()
        self._clear_buffers()
        self._in_flight = batch
        self._writer.submit(batch.plan)

    def settle(self) -> None:
        """Wait for the batch the writer process holds, if any, and learn its ids. Its failure is raised here:
        that batch is not in the log (its transaction rolled back), and the counts do not include it."""
        batch, self._in_flight = self._in_flight, None
        if batch is not None:
            assert self._writer is not None
            self._adopt(batch, self._writer.result())

    @contextlib.contextmanager
    def writing_behind(self, writer: BatchWriter) -> Iterator[None]:
        """Batches are written by ``writer`` (another process) while the rules read on: for a long import.

        On the way out, normal or not, the batch in the writer is waited for, so the counts say exactly what
        the log holds."""
        self.flush()
        self._writer = writer
        try:
            yield
            self.settle()
        except BaseException:
            with contextlib.suppress(Exception):
                self.settle()
            raise
        finally:
            self._in_flight = None
            self._writer = None

    def _clear_buffers(self) -> None:
        self.pending_topics = {}
        self.renamed_topics = {}
        self._new_members = {}
        self._renamed = {}
        self._new_usernames = {}
        self.pending = []
        self.pending_membership = []
        self.new_inquiries = []
        self.changed_inquiries = {}
        self.revealed = []

    def _plan(self) -> _Batch:
        """The buffers as plain data for :func:`write_plan`. Ids the log has not given yet (members and
        inquiries new in this batch, its messages) stand as placeholders the writer replaces (see BatchPlan);
        those of earlier batches are known by now and put in here."""
        resolve = self.resolve
        real_ids = self._real_ids
        null = self.bulk.null
        month_of = self.month_of
        members = list(self._new_members.items())
        fresh = self.new_inquiries
        placeholder: dict[int, int] = {}  # id(inquiry) -> -1, -2, ... in the order of the batch's inquiries
        for number, (_, inquiry, _) in enumerate(fresh, 1):
            placeholder[id(inquiry)] = -number
            inquiry.member = resolve(inquiry.member)
            inquiry.responder = resolve(inquiry.responder)
            inquiry.dirty = False  # its row is written with the values it has now
        inquiries = [
            (
                source_id,
                i.chat_id,
                i.question_id,
                i.member,
                i.arrival,
                month_of(i.arrival),
                *inquiry_rule_values(i, month_of),
            )
            for source_id, i, _ in fresh
        ]
        changed = [i for i in self.changed_inquiries.values() if i.dirty]
        for inquiry in changed:
            inquiry.responder = resolve(inquiry.responder)
            inquiry.dirty = False
        updates = [(*inquiry_rule_values(i, month_of), i.id) for i in changed]

        def inquiry_of(inquiry: TrackedInquiry | None) -> Any:
            if inquiry is None:
                return null
            return inquiry.id if inquiry.id is not None else placeholder[id(inquiry)]

        revealed = [(source, chat, telegram, inquiry_of(i)) for source, chat, telegram, i in self.revealed]
        messages: list[list[Any]] = []
        responses: list[tuple[Any, ...]] = []
        tally: Counter[str] = Counter()
        for index, item in enumerate(self.pending):
            row = item.row
            sender = item.sender
            if sender is not None and sender < 0 and sender in real_ids:
                row[_SENDER] = item.sender = sender = real_ids[sender]
            inquiry_id = row[_INQUIRY_ID] = inquiry_of(item.inquiry)
            messages.append(row)
            decision = item.decision
            if decision.response is None:
                continue
            staff = null if sender is None else sender
            link = null if decision.link is None else decision.link.value
            date, month = row[_DATE], row[_MONTH]
            if decision.response is ResponseKind.REFERRAL:
                for org in decision.referrals:
                    responses.append((row[0], index, inquiry_id, "referral", null, org.id, staff, date, month, link))
                tally["referral"] += len(decision.referrals)
            else:
                kind = decision.response.value
                post_type = null if decision.post_type is None else decision.post_type
                responses.append((row[0], index, inquiry_id, kind, post_type, null, staff, date, month, link))
                tally[kind] += 1
        for membership in self.pending_membership:
            membership[_MEMBER] = resolve(membership[_MEMBER])
            membership[_ACTOR] = resolve(membership[_ACTOR])
        plan = BatchPlan(
            new_members=[(pid, r["peer_type"], r["telegram_id"], r["display_name"]) for pid, r in members],
            renamed_members=[(resolve(k), name) for k, name in self._renamed.items()],
            usernames=[(t, i, u) for (t, i), u in self._new_usernames.items()],
            inquiries=inquiries,
            changed=updates,
            revealed=revealed,
            messages=messages,
            responses=responses,
            membership=self.pending_membership,
            topics=list(self.pending_topics.values()),
            renamed_topics=[(s, t, title) for (s, t), title in self.renamed_topics.items()],
        )
        return _Batch(
            plan,
            [(pid, (r["peer_type"], r["telegram_id"])) for pid, r in members],
            fresh,
            changed,
            len(self.pending),
            len(self.pending_membership),
            tally,
        )

    def _adopt(self, batch: _Batch, ids: BatchIds) -> None:
        """A written batch: its new members and inquiries take the ids the log gave them."""
        members = self._members
        for (pid, key), real in zip(batch.members, ids.members, strict=True):
            self._real_ids[pid] = real
            known = members.get(key)
            if known is not None and known[0] == pid:
                members[key] = (real, known[1])
        resolve = self.resolve
        for (_, inquiry, by_id), new_id in zip(batch.fresh, ids.inquiries, strict=True):
            inquiry.id = new_id
            by_id[new_id] = inquiry
            inquiry.member = resolve(inquiry.member)
            inquiry.responder = resolve(inquiry.responder)
        for inquiry in batch.changed:
            inquiry.responder = resolve(inquiry.responder)
        counts = self.counts
        counts.messages_committed += batch.messages
        counts.membership_committed += batch.membership
        counts.responses.update(batch.responses)
        counts.batches += 1
        if self.on_batch is not None:
            self.on_batch(counts)


@dataclass(slots=True)
class BatchPlan:
    """One batch's writes as plain data, so another process can write them (pickled through a pipe).

    Ids the log gives only when the batch is written are placeholders: in a member column, a negative id is
    a member new in this batch (its provisional id, see :meth:`Ingestor.member_id`); in an inquiry column, -k
    is the k-th of :attr:`inquiries`; a response's message column is the index of its message in
    :attr:`messages`. Missing values are the bulk writer's ``null``.
    """

    new_members: list[tuple[int, str, int, str]]  # provisional id, peer type, Telegram id, display name
    renamed_members: list[tuple[int | None, str]]
    usernames: list[tuple[str, int, str]]  # peer type, Telegram id, username
    inquiries: list[tuple[Any, ...]]  # INQUIRY_KEY_COLUMNS + INQUIRY_RULE_COLUMNS
    changed: list[tuple[Any, ...]]  # INQUIRY_RULE_COLUMNS + id
    revealed: list[tuple[int, int, int, int]]  # source, chat, Telegram id, inquiry
    messages: list[list[Any]]  # MESSAGE_COLUMNS, as stored
    responses: list[tuple[Any, ...]]  # RESPONSE_COLUMNS, as stored
    membership: list[list[Any]]  # MEMBERSHIP_COLUMNS
    topics: list[list[Any]]  # TOPIC_COLUMNS
    renamed_topics: list[tuple[int, int, str]]  # source, topic, title


@dataclass(slots=True)
class BatchIds:
    """The ids the log gave a batch's new members and inquiries, in the plan's order."""

    members: list[int]
    inquiries: list[int]


@dataclass(slots=True)
class _Batch:
    """A planned batch as the ingestor keeps it until its ids are known."""

    plan: BatchPlan
    members: list[tuple[int, tuple[str, int]]]  # provisional id, member key
    fresh: list[tuple[int, TrackedInquiry, weakref.WeakValueDictionary[int, TrackedInquiry]]]
    changed: list[TrackedInquiry]
    messages: int
    membership: int
    responses: Counter[str]  # by kind


class BatchWriter(Protocol):
    """Writes plans elsewhere (another process), one at a time, in order."""

    def submit(self, plan: BatchPlan) -> None: ...

    def result(self) -> BatchIds:
        """The ids of the plan submitted last, once it is committed; its error if it was not."""
        ...


_INQUIRY_MEMBER = INQUIRY_KEY_COLUMNS.index("member_id")
_RULE_RESPONDER = INQUIRY_RULE_COLUMNS.index("responder_id")
_INQUIRY_RESPONDER = len(INQUIRY_KEY_COLUMNS) + _RULE_RESPONDER
_RESPONSE_MESSAGE, _RESPONSE_INQUIRY, _RESPONSE_STAFF = (
    RESPONSE_COLUMNS.index(c) for c in ("message_id", "inquiry_id", "staff_id")
)


def write_plan(connection: Connection, bulk: BulkWriter, plan: BatchPlan) -> BatchIds:
    """Write one batch in ``connection``'s transaction, replacing the plan's placeholders by the new ids."""
    member_ids = bulk.insert_ids(connection, MEMBERS, MEMBER_COLUMNS, [m[1:] for m in plan.new_members])
    real = {m[0]: new_id for m, new_id in zip(plan.new_members, member_ids, strict=True)}

    def member(value: Any) -> Any:
        return real[value] if type(value) is int and value < 0 else value

    if plan.renamed_members:
        connection.execute(
            MEMBERS.update().where(MEMBERS.c.id == bindparam("_id")).values(display_name=bindparam("_name")),
            [{"_id": member(k), "_name": v} for k, v in plan.renamed_members],
        )
    if plan.usernames:
        connection.execute(
            MEMBERS.update()
            .where(MEMBERS.c.peer_type == bindparam("_type"), MEMBERS.c.telegram_id == bindparam("_telegram"))
            .values(username=bindparam("_username")),
            [{"_type": t, "_telegram": i, "_username": u} for t, i, u in plan.usernames],
        )
    inquiry_rows = plan.inquiries
    if real:
        inquiry_rows = [
            (
                *r[:_INQUIRY_MEMBER],
                member(r[_INQUIRY_MEMBER]),
                *r[_INQUIRY_MEMBER + 1 : _INQUIRY_RESPONDER],
                member(r[_INQUIRY_RESPONDER]),
                *r[_INQUIRY_RESPONDER + 1 :],
            )
            for r in inquiry_rows
        ]
    inquiry_ids = bulk.insert_ids(connection, INQUIRIES, INQUIRY_KEY_COLUMNS + INQUIRY_RULE_COLUMNS, inquiry_rows)

    def inquiry(value: Any) -> Any:
        return inquiry_ids[-value - 1] if type(value) is int and value < 0 else value

    changed = plan.changed
    if real:
        changed = [(*r[:_RULE_RESPONDER], member(r[_RULE_RESPONDER]), *r[_RULE_RESPONDER + 1 :]) for r in changed]
    bulk.update_by_id(connection, INQUIRIES, INQUIRY_RULE_COLUMNS, changed)
    if plan.revealed:
        connection.execute(
            MESSAGES.update()
            .where(
                MESSAGES.c.source_id == bindparam("_source"),
                MESSAGES.c.chat_id == bindparam("_chat"),
                MESSAGES.c.telegram_id == bindparam("_telegram"),
            )
            .values(role=Role.QUESTION.value, inquiry_id=bindparam("_inquiry")),
            [
                {"_source": source_id, "_chat": chat_id, "_telegram": telegram_id, "_inquiry": inquiry(inquiry_id)}
                for source_id, chat_id, telegram_id, inquiry_id in plan.revealed
            ],
        )
    messages = plan.messages
    if real or inquiry_ids:  # rows with a placeholder are copied: a plan that failed can be written again
        messages = []
        for row in plan.messages:
            sender, inquiry_id = row[_SENDER], row[_INQUIRY_ID]
            if (type(sender) is int and sender < 0) or (type(inquiry_id) is int and inquiry_id < 0):
                row = list(row)
                row[_SENDER], row[_INQUIRY_ID] = member(sender), inquiry(inquiry_id)
            messages.append(row)
    message_ids = bulk.insert_ids(connection, MESSAGES, MESSAGE_COLUMNS, messages, stored=True)
    responses = [
        (
            *r[:_RESPONSE_MESSAGE],
            message_ids[r[_RESPONSE_MESSAGE]],
            inquiry(r[_RESPONSE_INQUIRY]),
            *r[_RESPONSE_INQUIRY + 1 : _RESPONSE_STAFF],
            member(r[_RESPONSE_STAFF]),
            *r[_RESPONSE_STAFF + 1 :],
        )
        for r in plan.responses
    ]
    bulk.insert(connection, RESPONSES, RESPONSE_COLUMNS, responses, stored=True)  # dates from the messages' rows
    membership = plan.membership
    if real:
        membership = [
            [*row[:_MEMBER], member(row[_MEMBER]), *row[_MEMBER + 1 : _ACTOR], member(row[_ACTOR]), *row[_ACTOR + 1 :]]
            for row in membership
        ]
    bulk.insert(connection, MEMBERSHIP, MEMBERSHIP_COLUMNS, membership)
    bulk.insert(connection, TOPICS, TOPIC_COLUMNS, plan.topics)
    if plan.renamed_topics:
        connection.execute(
            TOPICS.update()
            .where(TOPICS.c.source_id == bindparam("_source"), TOPICS.c.topic_id == bindparam("_topic"))
            .values(title=bindparam("_title")),
            [{"_source": s, "_topic": t, "_title": title} for s, t, title in plan.renamed_topics],
        )
    return BatchIds(member_ids, inquiry_ids)
