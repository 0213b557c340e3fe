"""The inquiry model on real group traffic: revealed inquiries, answers without Telegram's reply, possible
inquiries and forum topics (DESIGN, "Inquiry" and "Response")."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from moderator_app.domain.clock import ServiceClock
from moderator_app.domain.events import MessageRecord, Peer, SourceKind
from moderator_app.domain.inquiries import (
    ConversationTracker,
    Decision,
    Detection,
    InquiryState,
    LinkKind,
    ResponseKind,
    Role,
)
from moderator_app.domain.referrals import ReferralMatcher, ReferralOrganization
from moderator_app.domain.standard import ServiceStandard

TORONTO = ZoneInfo("America/Toronto")
STAFF = 9000
CLINIC = ReferralOrganization("Community Health Clinic", ("CHC",), "613-555-0142", "chc.example.org", id=1)
CLOCK = ServiceClock(ServiceStandard(timezone="America/Toronto"))
START = datetime(2026, 3, 2, 10, 0, tzinfo=TORONTO)  # a Monday
NAMES = {1: ("Amal Haddad", "amal_h"), 2: ("Omid Rezaei", ""), 3: ("Amal Nasser", ""), 4: ("Leila", "")}


class Group:
    def __init__(self, kind: SourceKind = SourceKind.GROUP) -> None:
        self.tracker = ConversationTracker(kind, ReferralMatcher([CLINIC]), CLOCK)
        self.next_id = 1
        self.at = START

    def say(
        self,
        sender: int,
        text: str,
        *,
        reply_to: int | None = None,
        after: timedelta = timedelta(minutes=1),
        topic: int | None = None,
        mentions: tuple[int, ...] = (),
    ) -> Decision:
        self.at += after
        name, username = NAMES.get(sender, ("Staff", ""))
        message = MessageRecord(
            chat_id=1,
            telegram_id=self.next_id,
            date=self.at,
            sender=Peer("user", sender, name, username),
            text=text,
            reply_to=reply_to,
            topic_id=topic,
            mentioned_ids=mentions,
        )
        self.next_id += 1
        return self.tracker.observe(message, sender, sender == STAFF)


def test_a_request_without_a_question_mark_opens_an_inquiry() -> None:
    group = Group()
    asked = group.say(1, "I need someone to explain a letter from the tax office")
    assert asked.role is Role.QUESTION and asked.opened and asked.inquiry is not None
    assert "i need" in asked.inquiry.reason


def test_a_staff_reply_reveals_an_inquiry_the_detector_passed_over() -> None:
    group = Group()
    said = group.say(1, "My landlord kept the deposit after we moved out last month")
    assert said.role is Role.CHATTER
    reply = group.say(STAFF, "The Landlord and Tenant Board can order it back: call CHC", reply_to=1)
    assert reply.role is Role.STAFF_REPLY and reply.response is ResponseKind.REFERRAL
    assert reply.opened and reply.revealed == (1, 1) and reply.link is LinkKind.REPLY
    inquiry = reply.inquiry
    assert inquiry is not None and inquiry.question_id == 1 and inquiry.detection is Detection.REVEALED
    assert inquiry.state is InquiryState.ANSWERED and inquiry.arrival == START + timedelta(minutes=1)
    assert inquiry.first_response_seconds == 60.0


def test_a_courtesy_reply_reveals_nothing() -> None:
    group = Group()
    group.say(1, "Good morning everyone")
    assert group.say(STAFF, "Good morning!", reply_to=1).role is Role.STAFF_OTHER
    group.say(2, "We finally moved into our new apartment")
    assert group.say(STAFF, "Congratulations! 🎉", reply_to=3).role in (Role.STAFF_OTHER, Role.STAFF_REPLY)


def test_a_staff_message_naming_the_member_answers_without_a_reply() -> None:
    group = Group()
    group.say(1, "Looking for a used car seat for my baby")
    group.say(2, "دنبال کار پاره وقت هستم")
    by_username = group.say(STAFF, "@amal_h the Salvation Army store on Bank St has car seats")
    assert by_username.role is Role.STAFF_REPLY and by_username.link is LinkKind.MENTION
    assert by_username.inquiry is not None and by_username.inquiry.question_id == 1
    by_text_mention = group.say(STAFF, "Omid, the employment centre posts part-time jobs", mentions=(2,))
    assert by_text_mention.link is LinkKind.MENTION and by_text_mention.inquiry is not None
    assert by_text_mention.inquiry.question_id == 2


def test_a_first_name_opening_the_message_answers_and_a_shared_first_name_never_guesses() -> None:
    group = Group()
    group.say(4, "looking for a room near Carleton for October")
    by_name = group.say(STAFF, "Leila, the housing help desk lists rooms every Monday")
    assert by_name.link is LinkKind.MENTION and by_name.inquiry is not None
    assert by_name.inquiry.state is InquiryState.ANSWERED
    group.say(1, "Where is the food bank?")
    group.say(3, "Where can I get winter boots?")
    ambiguous = group.say(STAFF, "Amal, it opens at 10", after=timedelta(hours=3))
    assert ambiguous.role is Role.POST


def test_the_first_staff_message_after_the_only_recent_question_answers_it() -> None:
    group = Group()
    asked = group.say(1, "Where do I renew my health card")
    answer = group.say(STAFF, "At any ServiceOntario centre, bring your passport", after=timedelta(minutes=30))
    assert answer.link is LinkKind.SEQUENCE and answer.inquiry is asked.inquiry
    assert answer.response is ResponseKind.INFORMATION
    # Later staff messages are posts: the sequence rule takes the first staff message only.
    again = group.say(1, "Is there a clinic open on Sunday")
    group.say(STAFF, "Reminder: the office is closed on Monday", after=timedelta(minutes=5))
    late = group.say(STAFF, "The clinic on Rideau is open Sundays", after=timedelta(minutes=5))
    assert late.role is Role.POST and again.inquiry is not None and again.inquiry.is_open


def test_the_sequence_rule_needs_one_open_question_asked_within_the_window() -> None:
    group = Group()
    group.say(1, "Where do I renew my health card")
    group.say(2, "کجا میتونم کلاس زبان رایگان پیدا کنم")
    two_open = group.say(STAFF, "The office is on Bank St", after=timedelta(minutes=10))
    assert two_open.role is Role.POST
    late = Group()
    late.say(1, "Where do I renew my health card")
    too_late = late.say(STAFF, "The office is on Bank St", after=timedelta(hours=3))
    assert too_late.role is Role.POST


def test_an_announcement_is_not_taken_for_an_answer() -> None:
    group = Group()
    group.say(1, "Where do I renew my health card")
    post = group.say(STAFF, "Workshop on tenant rights this Saturday at 10, register at the front desk")
    assert post.role is Role.POST and post.response is ResponseKind.POST


def test_a_possible_inquiry_is_listed_not_counted_and_staff_or_a_moderator_can_make_it_one() -> None:
    group = Group()
    maybe = group.say(1, "OHIP info")
    assert maybe.role is Role.POSSIBLE and maybe.inquiry is not None
    assert maybe.inquiry.state is InquiryState.POSSIBLE and not maybe.inquiry.counted
    assert maybe.inquiry.reason
    reply = group.say(STAFF, "OHIP covers doctor visits after you register", reply_to=1)
    assert reply.role is Role.STAFF_REPLY and maybe.inquiry.state is InquiryState.ANSWERED
    assert maybe.inquiry.detection is Detection.REVEALED and maybe.inquiry.counted
    other = group.say(2, "OHIP info")
    assert other.inquiry is not None
    if other.inquiry.state is InquiryState.POSSIBLE:
        assert group.tracker.promote(other.inquiry, group.at)
        assert other.inquiry.state is InquiryState.OPEN and other.inquiry.detection is Detection.PROMOTED
        assert other.inquiry.due == CLOCK.start_and_due(other.inquiry.arrival)[1]


def test_forum_topics_scope_the_sequence_rule() -> None:
    group = Group()
    housing = group.say(1, "looking for a room near Carleton for October", topic=10)
    jobs_post = group.say(STAFF, "Job fair on Thursday at City Hall", topic=20)
    assert jobs_post.role is Role.POST
    assert housing.inquiry is not None and housing.inquiry.is_open
    answer = group.say(STAFF, "The housing desk lists rooms every Monday", topic=10)
    assert answer.link is LinkKind.SEQUENCE and housing.inquiry.state is InquiryState.ANSWERED
