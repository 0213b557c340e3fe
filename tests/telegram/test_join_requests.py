"""The join-request queue against the fake server, without the window: the connector lists each watched group's
pending requests with the applicant's bio (users.GetFullUser), also those made while it was away; an approval
(messages.HideChatJoinRequest through the outbox) lets the member in and is counted once as a join, in Table 7
and in the moderation record; a refusal because the account is not an admin comes back as a sentence; the join
questions go in the applicant's language; a request approved on a phone leaves the queue as gone."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import select

from fake_telegram import FakeTelegram
from moderator_app.domain.events import SourceKind, SourceRef
from moderator_app.domain.inbox import SourceInfo
from moderator_app.domain.join_requests import JOIN_QUESTIONS_TOPIC, JoinRequest, RequestState, applicant_language
from moderator_app.domain.library import CannedAnswer
from moderator_app.domain.statistics import Month
from moderator_app.store.db import Database
from moderator_app.store.join_requests import JoinRequestRepository
from moderator_app.store.library import LibraryRepository
from moderator_app.store.models import MembershipEvent, Source
from moderator_app.store.moderation import ModerationRepository
from moderator_app.store.profiles import ProfileRepository
from moderator_app.store.repositories import SourceRepository
from moderator_app.store.statistics import StatisticsService
from moderator_app.telegram.client import ConnectionSettings
from tests.telegram.conftest import connected, log_in, start_connector, wait_until

TORONTO = ZoneInfo("America/Toronto")


def _watch(db: Database, group: int, name: str = "Newcomers Ottawa", language: str | None = None) -> SourceInfo:
    sources = SourceRepository(db)
    sources.set_watched(SourceRef(SourceKind.PRIVATE, 0, "Private messages", "personal_chat"), True)
    info = sources.set_watched(SourceRef(SourceKind.GROUP, group, name, "private_supergroup"), True)
    if language is not None:  # (set in the sources window)
        with db.sessions.begin() as session:
            row = session.get(Source, info.id)
            assert row is not None
            row.language = language
    return info


def _by_name(db: Database, *, pending_only: bool = False) -> dict[str, JoinRequest]:
    return {r.name: r for r in JoinRequestRepository(db).requests(pending_only=pending_only)}


def _state(db: Database, name: str) -> RequestState | None:
    request = _by_name(db).get(name)
    return request.state if request is not None else None


def _joins(db: Database) -> list[tuple[str, str | None]]:
    with db.sessions() as session:
        return [
            (e.member_name, e.via)
            for e in session.scalars(select(MembershipEvent).where(MembershipEvent.kind == "joined"))
        ]


def test_the_queue_follows_telegram_and_an_approval_is_one_join(
    log: Database, world: FakeTelegram, account: int, connection: ConnectionSettings, tmp_path: Path
) -> None:
    amal = world.add_user("Amal", "Haddad")
    group = world.add_supergroup("Newcomers Ottawa", members=[amal])
    early = world.add_user("فاطمة", "الزهراء")
    world._users[early].about = "ممرضة من حلب، وصلت إلى أوتاوا الشهر الماضي"
    world.request_join(group, early)  # before the connector runs: read at start-up
    log_in(log, world, connection)
    info = _watch(log, group)
    profile = ProfileRepository(log).add("Nadia", "moderator", ())
    requests = JoinRequestRepository(log)
    running = start_connector(log, connection, tmp_path)
    try:
        wait_until(lambda: connected(running), what="connected")
        wait_until(lambda: _state(log, "فاطمة الزهراء") is RequestState.PENDING, what="the request made before")
        assert _by_name(log)["فاطمة الزهراء"].about == "ممرضة من حلب، وصلت إلى أوتاوا الشهر الماضي"

        reza, omid, sara = world.add_user("رضا", "کریمی"), world.add_user("Omid", "N"), world.add_user("Sara", "M")
        world._users[reza].about = "مهندس نرم‌افزار، تازه به اتاوا آمده‌ام"
        for user in (reza, omid, sara):
            world.request_join(group, user)
        wait_until(lambda: len(requests.requests()) == 4, what="four requests")
        assert _by_name(log)["رضا کریمی"].about == "مهندس نرم‌افزار، تازه به اتاوا آمده‌ام"
        assert _by_name(log)["Omid N"].about == ""  # no bio: listed all the same

        # Approve Fatima, decline Omid; Sara is approved from a phone.
        ids = {r.name: r.id for r in requests.requests()}
        assert requests.decide([ids["فاطمة الزهراء"]], True, profile.id) == 1
        assert requests.decide([ids["Omid N"]], False, profile.id) == 1
        assert requests.decide([ids["Omid N"]], False, profile.id) == 0  # already on its way: not queued twice
        wait_until(lambda: early in world._chats[group].members, what="Fatima a member")
        wait_until(lambda: omid not in world._chats[group].join_requests, what="Omid declined")
        world.join(group, sara, how="request")  # approved on a phone
        wait_until(lambda: _state(log, "Sara M") is RequestState.GONE, what="Sara's request gone")
        wait_until(lambda: _state(log, "Omid N") is RequestState.DECLINED, what="Omid's request declined")
        decided = _by_name(log)
        assert decided["فاطمة الزهراء"].state is RequestState.APPROVED
        assert decided["فاطمة الزهراء"].decided_by == "Nadia"
        assert omid not in world._chats[group].members
        assert [r.name for r in requests.requests()] == ["رضا کریمی"]

        # Approving a request no longer there (withdrawn meanwhile): gone, with the reason in a sentence.
        with world.lock:
            world._chats[group].join_requests.pop(reza)  # (withdrawn, with no update sent)
        assert requests.decide([ids["رضا کریمی"]], True, profile.id) == 1
        wait_until(lambda: _state(log, "رضا کریمی") is RequestState.GONE, what="Reza's request gone")
        assert "no longer pending" in _by_name(log)["رضا کریمی"].error
        wait_until(lambda: len(_joins(log)) == 2, what="the two joins")
    finally:
        running.stop()

    # Each approval is one join (the "joined by request" service message), in Table 7 and in the record.
    assert sorted(_joins(log)) == [("Sara M", "request"), ("فاطمة الزهراء", "request")]
    month = Month.of(datetime.now(UTC), TORONTO)
    assert StatisticsService(log).report(month, month, TORONTO).get(month, "Newcomers Ottawa", "members_joined") == 2
    now = datetime.now(UTC)
    record = ModerationRepository(log).record(now - timedelta(days=1), now + timedelta(days=1), info.id)
    approved = [(e.member, e.kind) for e in record if e.kind == "join request approved"]
    assert sorted(approved) == [("Sara M", "join request approved"), ("فاطمة الزهراء", "join request approved")]


def test_a_refusal_because_the_account_is_not_an_admin_is_a_sentence(
    log: Database, world: FakeTelegram, account: int, connection: ConnectionSettings, tmp_path: Path
) -> None:
    owner, amal = world.add_user("Owner", "O"), world.add_user("Amal", "Haddad")
    group = world.add_supergroup("Newcomers Ottawa", members=[amal], admins=[account], creator=owner)
    applicant = world.add_user("Li", "Wei")
    log_in(log, world, connection)
    _watch(log, group)
    requests = JoinRequestRepository(log)
    running = start_connector(log, connection, tmp_path)
    try:
        wait_until(lambda: connected(running), what="connected")
        world.request_join(group, applicant)
        wait_until(lambda: _state(log, "Li Wei") is RequestState.PENDING, what="the request")
        with world.lock:
            world._chats[group].members[account].admin = False  # an owner took the account's admin rights
        requests.decide([r.id for r in requests.requests()], True, None)
        wait_until(lambda: _by_name(log)["Li Wei"].error, what="the refusal")
        refused = _by_name(log)["Li Wei"]
        assert refused.state is RequestState.PENDING  # still to decide, once the rights are back
        assert refused.error.startswith("This needs admin rights in the group")
        assert refused.error.endswith(".") or refused.error.endswith("retry.")
        assert applicant not in world._chats[group].members
    finally:
        running.stop()


def test_the_join_questions_go_privately_in_the_applicants_language(
    log: Database, world: FakeTelegram, account: int, connection: ConnectionSettings, tmp_path: Path
) -> None:
    LibraryRepository(log).save(
        CannedAnswer(
            title="Join questions",
            shortcut="join-questions",
            bodies={
                "en": "Hello {member_first_name}! Which city do you live in?",
                "fr": "Bonjour {member_first_name} ! Dans quelle ville habitez-vous ?",
                "fa": "سلام {member_first_name}! در کدام شهر زندگی می‌کنید؟",
            },
            topics=(JOIN_QUESTIONS_TOPIC,),
        )
    )
    amal = world.add_user("Amal", "Haddad")
    group = world.add_supergroup("Nouveaux arrivants", members=[amal])
    reza, marie = world.add_user("رضا", "کریمی"), world.add_user("Marie", "L")
    world._users[reza].about = "مهندس نرم‌افزار، تازه به اتاوا آمده‌ام"
    log_in(log, world, connection)
    _watch(log, group, "Nouveaux arrivants", language="fr")
    requests = JoinRequestRepository(log)
    running = start_connector(log, connection, tmp_path)
    try:
        wait_until(lambda: connected(running), what="connected")
        world.request_join(group, reza)
        world.request_join(group, marie)
        wait_until(lambda: len(requests.requests()) == 2 and _by_name(log)["رضا کریمی"].about, what="the requests")
        assert requests.send_questions([r.id for r in requests.requests()], None) == 2
        wait_until(lambda: world.sent_by_account(reza) and world.sent_by_account(marie), what="the questions")
        # Reza's bio is in Farsi: Farsi; Marie has no bio: the group's language.
        assert [m.message for m in world.sent_by_account(reza)] == ["سلام رضا! در کدام شهر زندگی می‌کنید؟"]
        assert [m.message for m in world.sent_by_account(marie)] == ["Bonjour Marie ! Dans quelle ville habitez-vous ?"]
        assert all(r.questions_sent and not r.error for r in requests.requests())
        assert requests.send_questions([r.id for r in requests.requests()], None) == 0  # once each
    finally:
        running.stop()


def test_the_applicants_language() -> None:
    assert applicant_language("ar", "I am a nurse", "fr") == "ar"  # what they asked in before
    assert applicant_language(None, "مهندس نرم‌افزار، تازه به اتاوا آمده‌ام", "fr") == "fa"  # their bio
    assert applicant_language("und", "", "fr") == "fr"  # the group's
    assert applicant_language(None, "", None) == "en"
