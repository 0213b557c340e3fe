"""(issue 19, item 5) A team on one PostgreSQL log: what one workstation commits reaches the others within 2 s
(LISTEN/NOTIFY as the hint, the tables as the truth), a dropped listening connection comes back and catches
up, and two moderators acting on one inquiry at once never send or decide the same thing twice.

Each "workstation" is a whole service stack as the window gets it (``app.window_services``: its own
Database, database worker, change bus and team bus) on the same PostgreSQL database.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import psycopg
import pytest
from sqlalchemy import select
from sqlalchemy.engine import make_url

from moderator_app.app import window_services
from moderator_app.domain.actions import ActionRefused, ModeratorAction
from moderator_app.domain.events import MessageRecord, Peer, SourceKind, SourceRef
from moderator_app.domain.inbox import InboxEntry
from moderator_app.domain.inquiries import InquiryState
from moderator_app.domain.library import CannedAnswer
from moderator_app.domain.outbox import OutboxError, OutboxState
from moderator_app.domain.settings import URGENT_WORDS
from moderator_app.domain.standard import ServiceStandard
from moderator_app.services.changes import ChangeBus, Changes
from moderator_app.services.team_bus import CATCH_UP, MAX_PAYLOAD, TeamBus, decode, encode
from moderator_app.services.worker import DatabaseWorker
from moderator_app.store.actions import InquiryActions
from moderator_app.store.db import Database, open_database
from moderator_app.store.live import LiveLog
from moderator_app.store.models import Inquiry, OutboxItem
from moderator_app.store.outbox import OutboxRepository
from moderator_app.store.profiles import ProfileRepository
from moderator_app.store.repositories import SourceRepository
from moderator_app.ui.main_window import WindowServices
from tests.conftest import toronto_standard

MONDAY = datetime(2026, 11, 16, 15, 0, tzinfo=UTC)
GROUP = SourceRef(SourceKind.GROUP, 1500, "Newcomers Ottawa", "public_supergroup")
MEMBERS = [Peer("user", 7 + i, name) for i, name in enumerate(("Amal", "Reza", "Li", "Omar", "Sara", "Yusuf"))]
WITHIN: float = 2.0  # seconds: the promise


class Heard:
    """The changes a workstation's bus announced, with when they were heard."""

    def __init__(self, bus: ChangeBus) -> None:
        self._heard: list[tuple[float, Changes]] = []
        self._cond = threading.Condition()
        bus.subscribe(self._hear)

    def _hear(self, changes: Changes) -> None:
        with self._cond:
            self._heard.append((time.monotonic(), changes))
            self._cond.notify_all()

    def all(self) -> list[Changes]:
        with self._cond:
            return [changes for _, changes in self._heard]

    def wait(self, wanted: Callable[[Changes], bool], since: float, timeout: float = WITHIN) -> float:
        """Seconds from ``since`` until a change ``wanted`` was heard; fails after ``timeout``."""
        deadline = since + timeout
        with self._cond:
            while True:
                for at, changes in self._heard:
                    if at >= since and wanted(changes):
                        return at - since
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"not heard within {timeout} s; heard {[c for _, c in self._heard]}")
                self._cond.wait(left)


@dataclass
class Workstation:
    db: Database
    bus: ChangeBus
    worker: DatabaseWorker
    services: WindowServices
    team: TeamBus
    heard: Heard
    extra: list[Callable[[], None]] = field(default_factory=list)

    def run(self, fn: Callable[[], Any]) -> Any:
        return self.services.run(fn).result(timeout=30)

    def entries(self) -> list[InboxEntry]:
        entries: list[InboxEntry] = self.run(lambda: self.services.inbox.query(closed_since=MONDAY - timedelta(days=1)))
        return entries

    def entry(self, inquiry_id: int) -> InboxEntry:
        return next(e for e in self.entries() if e.id == inquiry_id)

    def close(self) -> None:
        self.worker.close()
        self.team.close()
        self.db.close()


def _workstation(url: str, **options: Any) -> Workstation:
    db = open_database(database_url=url)
    bus, worker = ChangeBus(), DatabaseWorker()
    heard = Heard(bus)
    services = window_services(db, bus=bus, worker=worker)
    team = TeamBus.open(db, bus, delays=options.pop("delays", (0.2, 0.5)), **options)
    assert team is not None and team.wait_listening(10)
    return Workstation(db, bus, worker, services, team, heard)


def _questions(db: Database, count: int) -> list[int]:
    toronto_standard(db)
    live = LiveLog(db)
    group = live.source(GROUP)
    for i in range(count):
        member = MEMBERS[i % len(MEMBERS)]
        live.record(group, MessageRecord(1500, i + 1, MONDAY + timedelta(minutes=i), member, f"Where is office {i}?"))
    live.commit()
    with db.sessions() as session:
        return list(session.scalars(select(Inquiry.id).order_by(Inquiry.id)))


@pytest.fixture
def team(pg_url: str) -> Iterator[tuple[Workstation, Workstation]]:
    first = open_database(database_url=pg_url)  # migrated once, before both workstations open it
    first.close()
    a, b = _workstation(pg_url), _workstation(pg_url)
    try:
        yield a, b
    finally:
        a.close()
        b.close()


def _terminate(url: str, pid: int) -> None:
    admin = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(admin, autocommit=True) as connection:
        assert connection.execute("SELECT pg_terminate_backend(%s)", (pid,)).fetchone() == (True,)


# -- what travels -------------------------------------------------------------------------------------------------
def test_a_change_travels_whole_and_an_oversized_one_as_a_catch_up() -> None:
    changes = Changes(standard=True, sources=frozenset({3, 1}), inquiries=frozenset({9}), settings=frozenset({"a"}))
    assert decode(encode(changes, "me")) == ("me", changes)
    assert decode(encode(Changes(), "me")) == ("me", Changes())
    huge = Changes(inquiries=frozenset(range(5_000)))
    assert len(encode(huge, "me").encode()) <= MAX_PAYLOAD
    assert decode(encode(huge, "me")) == ("me", CATCH_UP)  # too big to tell: the others read everything
    # A newer workstation's field is left out; what is not a change notification is refused.
    assert decode('{"origin": "x", "standard": true, "newer": [1]}') == ("x", Changes(standard=True))
    for garbage in ("[]", '{"standard": true}', '{"origin": "x", "inquiries": [{"id": 1}]}', "not json"):
        with pytest.raises(ValueError):
            decode(garbage)


def test_a_sqlite_log_has_no_team(sqlite_db: Database) -> None:
    bus = ChangeBus()
    assert TeamBus.open(sqlite_db, bus) is None
    heard = Heard(bus)
    bus.announce(Changes(library=True))
    assert heard.all() == [Changes(library=True)]  # the bus works as before, with nobody else to tell


# -- two workstations ---------------------------------------------------------------------------------------------
def test_what_one_workstation_does_reaches_the_other_within_two_seconds(
    team: tuple[Workstation, Workstation], capsys: pytest.CaptureFixture[str]
) -> None:
    a, b = team
    first, second, third = _questions(a.db, 3)
    alice = a.run(lambda: ProfileRepository(a.db).add("Alice"))
    latencies: dict[str, float] = {}

    # A state change (dismissed at A): B hears which inquiry, and reads it dismissed.
    since = time.monotonic()
    a.services.decisions.act(a.entry(first), ModeratorAction.DISMISS, alice.id).result(timeout=10)
    latencies["state change"] = b.heard.wait(lambda c: first in c.inquiries, since)
    assert b.entry(first).state is InquiryState.DISMISSED

    # A reply queued at A: B hears it and shows it queued.
    since = time.monotonic()
    entry = a.entry(second)
    a.run(lambda: a.services.outbox.queue_reply(entry, "At 200 Main St.", False, alice.id, None, ()))
    latencies["reply queued"] = b.heard.wait(lambda c: second in c.inquiries, since)
    assert [(r.text, r.state) for r in b.run(lambda: b.services.outbox.replies_of(second))] == [
        ("At 200 Main St.", OutboxState.QUEUED)
    ]

    # An assignment at A.
    since = time.monotonic()
    entry = a.entry(third)
    a.run(lambda: a.services.decisions.assign(entry, alice.id))
    latencies["assignment"] = b.heard.wait(lambda c: third in c.inquiries, since)
    assert b.entry(third).assignee == "Alice"

    # A library edit at A: B reads the new answer.
    since = time.monotonic()
    answer = CannedAnswer("Health card", "hc", {"en": "Go to ServiceOntario."})
    a.run(lambda: a.services.library.save_answer(answer))
    latencies["library edit"] = b.heard.wait(lambda c: c.library, since)
    assert [x.title for x in b.run(b.services.library.answers)] == ["Health card"]

    # And the other way round: a service standard saved at B reaches A's clocks.
    since = time.monotonic()
    b.services.standards.save(ServiceStandard.default(), None).result(timeout=10)
    latencies["standard (other way)"] = a.heard.wait(lambda c: c.standard, since)

    # Each workstation heard its own changes once (from its own use cases), never its echo from the server.
    time.sleep(0.3)
    assert sum(1 for c in a.heard.all() if first in c.inquiries) == 1
    assert sum(1 for c in a.heard.all() if c.library) == 1
    assert sum(1 for c in b.heard.all() if c.library) == 1  # heard from A once, not sent back and forth
    with capsys.disabled():
        print("\nteam bus latencies (s): " + ", ".join(f"{k} {v:.3f}" for k, v in latencies.items()))
    assert max(latencies.values()) < WITHIN


def test_a_dropped_listening_connection_comes_back_and_catches_up(pg_url: str) -> None:
    setup = open_database(database_url=pg_url)
    setup.close()
    a = _workstation(pg_url)
    b = _workstation(pg_url, delays=(1.0, 2.0))  # a second without listening: A's change is missed meanwhile
    try:
        first, second = _questions(a.db, 2)
        dropped = b.team.listener_pid
        assert dropped is not None
        since = time.monotonic()
        _terminate(pg_url, dropped)
        a.services.decisions.act(a.entry(first), ModeratorAction.DISMISS, None).result(timeout=10)
        # Back within the pause and a moment: B announces a catch-up (everything read again from the log)...
        b.heard.wait(lambda c: c.everything, since, timeout=1.0 + 3.0)
        assert b.team.listening and b.team.listener_pid not in (None, dropped)
        # ...and what the log says is what B reads.
        assert b.entry(first).state is InquiryState.DISMISSED
        # Listening again: the next change comes as usual.
        since = time.monotonic()
        a.services.decisions.act(a.entry(second), ModeratorAction.MARK_ANSWERED, None).result(timeout=10)
        b.heard.wait(lambda c: second in c.inquiries, since)
        # Dropped again: caught up again.
        dropped = b.team.listener_pid
        assert dropped is not None
        since = time.monotonic()
        _terminate(pg_url, dropped)
        b.heard.wait(lambda c: c.everything, since, timeout=1.0 + 3.0)
    finally:
        a.close()
        b.close()


def test_the_headless_connector_follows_the_workstations(team: tuple[Workstation, Workstation]) -> None:
    """``moderator-app connector`` on a team's log: a standard or urgent-word list saved at a workstation is
    applied by the connector; a reply queued there wakes its sender (cli/telegram.py)."""
    from moderator_app.cli.telegram import _follow_the_team

    a, _ = team

    class Connector:
        def __init__(self) -> None:
            self.followed: list[Changes] = []
            self.woken = threading.Event()

        async def follow(self, changes: Changes) -> None:
            self.followed.append(changes)

        def wake_sender(self) -> None:
            self.woken.set()

    connector = Connector()
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    db = open_database(database_url=a.db.url)
    listening = _follow_the_team(db, connector, loop)  # type: ignore[arg-type]
    try:
        assert listening is not None and listening.wait_listening(10)
        a.bus.announce(Changes(settings=frozenset({URGENT_WORDS.key})))
        a.bus.announce(Changes(inquiries=frozenset({1})))
        assert connector.woken.wait(WITHIN)
        deadline = time.monotonic() + WITHIN
        while len(connector.followed) < 2 and time.monotonic() < deadline:
            time.sleep(0.02)
        assert connector.followed == [
            Changes(settings=frozenset({URGENT_WORDS.key})),
            Changes(inquiries=frozenset({1})),
        ]
    finally:
        if listening is not None:
            listening.close()
        loop.call_soon_threadsafe(loop.stop)
        thread.join(5)
        loop.close()
        db.close()


# -- two moderators on one inquiry at once -------------------------------------------------------------------------
def _take_turns_if_you_can(monkeypatch: pytest.MonkeyPatch) -> None:
    """Whoever has read the inquiry for a decision waits (up to half a second) for the other moderator to have
    read it too: without the row lock both would decide on the same state. With it, the second cannot read
    until the first is written, so the first goes on alone after the pause."""
    read = threading.Condition()
    readers = [0]
    original = InquiryActions.tracker_for

    def tracker_for(self: InquiryActions, source_id: int) -> Any:
        with read:
            readers[0] += 1
            read.notify_all()
            read.wait_for(lambda: readers[0] >= 2, timeout=0.5)
        return original(self, source_id)

    monkeypatch.setattr(InquiryActions, "tracker_for", tracker_for)


def test_two_moderators_deciding_on_one_inquiry_at_once(
    team: tuple[Workstation, Workstation], monkeypatch: pytest.MonkeyPatch
) -> None:
    a, b = team
    (inquiry,) = _questions(a.db, 1)
    alice = a.run(lambda: ProfileRepository(a.db).add("Alice"))
    bob = b.run(lambda: ProfileRepository(b.db).add("Bob"))
    entry_a, entry_b = a.entry(inquiry), b.entry(inquiry)
    _take_turns_if_you_can(monkeypatch)
    since = time.monotonic()
    at_a = a.services.decisions.act(entry_a, ModeratorAction.MARK_ANSWERED, alice.id)
    at_b = b.services.decisions.act(entry_b, ModeratorAction.MARK_ANSWERED, bob.id)
    outcomes: dict[int, str] = {}
    for profile, future in ((alice.id, at_a), (bob.id, at_b)):
        try:
            future.result(timeout=10)
            outcomes[profile] = "done"
        except ActionRefused as refused:
            outcomes[profile] = str(refused)
    (winner,) = [p for p, said in outcomes.items() if said == "done"]
    (refusal,) = [said for said in outcomes.values() if said != "done"]
    # The second is told what the first did; the log holds one decision, credited to the first.
    assert refusal == "This inquiry is already answered or dismissed."
    assert b.entry(inquiry).state is InquiryState.ANSWERED
    with a.db.sessions() as session:
        assert session.get(Inquiry, inquiry).responder_profile_id == winner  # type: ignore[union-attr]
    # Both workstations hear the decision taken (the one at the other one through the server).
    a.heard.wait(lambda c: inquiry in c.inquiries, since)
    b.heard.wait(lambda c: inquiry in c.inquiries, since)


def test_listening_is_tried_again_while_the_server_cannot_be_reached(caplog: pytest.LogCaptureFixture) -> None:
    """No server (yet): attempts go on at growing pauses, nothing fails, and closing does not wait for them."""
    db = open_database(database_url="postgresql://nobody@127.0.0.1:1/none", migrate=False)
    team = TeamBus(db, ChangeBus(), delays=(0.05, 0.1, 0.2))
    try:
        with caplog.at_level("WARNING", logger="moderator_app.services.team_bus"):
            team.start()
            time.sleep(0.8)
            assert not team.listening and team.listener_pid is None
        pauses = [r.getMessage().rsplit("in ", 1)[1] for r in caplog.records if "trying again" in r.getMessage()]
        assert pauses[:4] == ["0.1 s", "0.1 s", "0.2 s", "0.2 s"], pauses
        started = time.monotonic()
    finally:
        team.close()
        db.close()
    assert time.monotonic() - started < 1.0


def test_decisions_made_at_once_are_numbered_in_turn(
    team: tuple[Workstation, Workstation], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A headless connector adopts decisions made elsewhere by their numbers: two workstations deciding at once
    (on two inquiries) must not take the same number, or one of them would never be adopted. Each decision here
    lingers a moment between taking its number and its commit, so the other one is numbered meanwhile."""
    from moderator_app.store import actions

    a, b = team
    inquiries = _questions(a.db, 8)
    entries = [(ws, ws.entry(inquiry)) for i, inquiry in enumerate(inquiries) for ws in [a if i % 2 == 0 else b]]
    numbered = actions.number_decision

    def lingering(session: Any, inquiry_id: int) -> None:
        numbered(session, inquiry_id)
        time.sleep(0.1)

    monkeypatch.setattr(actions, "number_decision", lingering)
    futures = [ws.services.decisions.act(entry, ModeratorAction.DISMISS, None) for ws, entry in entries]
    concurrent.futures.wait(futures, timeout=30)
    assert all(f.exception() is None for f in futures)
    with a.db.sessions() as session:
        numbers = [n or 0 for n in session.scalars(select(Inquiry.moderated).where(Inquiry.id.in_(inquiries)))]
    assert sorted(numbers) == list(range(1, len(inquiries) + 1))


def test_two_moderators_acknowledging_one_inquiry_at_once_send_one_holding_reply(
    team: tuple[Workstation, Workstation],
) -> None:
    a, b = team
    inquiries = _questions(a.db, 6)
    alice = a.run(lambda: ProfileRepository(a.db).add("Alice"))
    bob = b.run(lambda: ProfileRepository(b.db).add("Bob"))
    entries = [(a.entry(i), b.entry(i)) for i in inquiries]
    barrier = threading.Barrier(2)

    def acknowledge(ws: Workstation, entry: InboxEntry, profile: int | None) -> Callable[[], object]:
        def queue() -> object:
            barrier.wait(5)
            return ws.services.outbox.queue_reply(entry, "We are looking into it.", True, profile, None, ())

        return queue

    refusals: list[str] = []
    for entry_a, entry_b in entries:
        futures = [
            a.services.run(acknowledge(a, entry_a, alice.id)),
            b.services.run(acknowledge(b, entry_b, bob.id)),
        ]
        for future in futures:
            try:
                future.result(timeout=10)
            except OutboxError as refused:
                refusals.append(str(refused))
    assert len(refusals) == len(inquiries)
    assert all(r.startswith("A holding reply was already queued by ") for r in refusals), refusals
    with a.db.sessions() as session:
        queued = [i or 0 for i in session.scalars(select(OutboxItem.inquiry_id).where(OutboxItem.purpose == "holding"))]
    assert sorted(queued) == sorted(inquiries)  # one holding reply each
    # The same canned answer clicked at both: sent once. Another text, or a resend after a failure, goes.
    entry = a.entry(inquiries[0])
    reply = "Go to ServiceOntario."
    a.run(lambda: a.services.outbox.queue_reply(entry, reply, False, alice.id, None, ()))
    at_b = b.entry(inquiries[0])
    with pytest.raises(OutboxError, match="already queued by Alice"):
        b.run(lambda: b.services.outbox.queue_reply(at_b, f"  {reply} ", False, bob.id, None, ()))
    b.run(lambda: b.services.outbox.queue_reply(at_b, "Bring your PR card.", False, bob.id, None, ()))
    outbox = OutboxRepository(a.db)
    sent = next(o for o in outbox.for_inquiry(inquiries[0]) if o.text == reply)
    outbox.mark_failed(sent.id, "no network")
    b.run(lambda: b.services.outbox.queue_reply(at_b, reply, False, bob.id, None, ()))
    assert [o.text for o in outbox.for_inquiry(inquiries[0]) if o.state is OutboxState.QUEUED] == [
        "We are looking into it.",
        "Bring your PR card.",
        reply,
    ]


def test_one_outbox_row_is_claimed_by_one_sender(team: tuple[Workstation, Workstation]) -> None:
    """The lease keeps a second connector from running (tests/store/test_lease.py); even two that did claim
    at once never take the same row (SELECT ... FOR UPDATE SKIP LOCKED)."""
    a, b = team
    source = SourceRepository(a.db).by_id(_group_id(a.db))
    assert source is not None
    outbox = OutboxRepository(a.db)
    queued = {outbox.queue_reply(source, f"Note {i}", chat_id=9000 + i).id for i in range(40)}
    start = threading.Barrier(2)

    def claim_all(db: Database) -> list[int]:
        repository, claimed = OutboxRepository(db), []
        start.wait(5)
        while (item := repository.claim_next()) is not None:
            claimed.append(item.id)
        return claimed

    with concurrent.futures.ThreadPoolExecutor(2) as pool:
        first, second = pool.map(claim_all, (a.db, b.db))
    assert sorted(first + second) == sorted(queued)  # every row once, none twice
    assert first and second  # both were really claiming at once


def _group_id(db: Database) -> int:
    return SourceRepository(db).get_or_create(GROUP).id
