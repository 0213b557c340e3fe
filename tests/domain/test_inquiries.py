"""The inquiry lifecycle rules, message by message."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from moderator_app.domain.clock import ServiceClock
from moderator_app.domain.events import MessageRecord, Peer, SourceKind
from moderator_app.domain.inquiries import (
    ConversationTracker,
    InquiryState,
    ResponseKind,
    Role,
    is_courtesy,
)
from moderator_app.domain.referrals import ReferralMatcher, ReferralOrganization
from moderator_app.domain.standard import ServiceStandard

TORONTO = ZoneInfo("America/Toronto")
STAFF = 9000
CLINIC = ReferralOrganization("Community Health Clinic", ("CHC",), "613-555-0142", "chc.example.org", id=1)
HOUSING = ReferralOrganization("Housing Help", (), "613-555-0188", "housinghelp.example.org", id=2)
CLOCK = ServiceClock(ServiceStandard(timezone="America/Toronto"))
START = datetime(2026, 3, 2, 10, 0, tzinfo=TORONTO)  # a Monday


class Chat:
    """Feeds a tracker with numbered messages a minute apart."""

    def __init__(self, kind: SourceKind, chat_id: int = 1) -> None:
        self.tracker = ConversationTracker(kind, ReferralMatcher([CLINIC, HOUSING]), CLOCK)
        self.chat_id = chat_id
        self.next_id = 1
        self.at = START

    def say(self, sender: int, text: str, reply_to: int | None = None, media: str | None = None):  # type: ignore[no-untyped-def]
        message = MessageRecord(
            chat_id=self.chat_id,
            telegram_id=self.next_id,
            date=self.at,
            sender=Peer("user", sender),
            text=text,
            reply_to=reply_to,
            media_kind=media,
        )
        self.next_id += 1
        self.at += timedelta(minutes=1)
        return self.tracker.observe(message, sender, sender == STAFF)


def test_group_question_member_answer_then_staff_referrals() -> None:
    chat = Chat(SourceKind.GROUP)
    asked = chat.say(1, "Where can I see a doctor without a health card?")
    assert asked.opened and asked.role is Role.QUESTION and asked.inquiry is not None
    inquiry = asked.inquiry
    assert inquiry.due == datetime(2026, 3, 3, 10, 0, tzinfo=TORONTO)
    answer = chat.say(2, "Try the walk-in clinic", reply_to=1)
    assert answer.role is Role.MEMBER_ANSWER and inquiry.state is InquiryState.MEMBER_ANSWERED
    follow_up = chat.say(1, "Thanks, and is it free", reply_to=2)
    assert follow_up.role is Role.FOLLOW_UP  # a reply to the member's answer belongs to the inquiry
    staff = chat.say(STAFF, "Please call CHC at (613) 555 0142 or see housinghelp.example.org", reply_to=3)
    assert staff.response is ResponseKind.REFERRAL and [o.name for o in staff.referrals] == [
        "Community Health Clinic",
        "Housing Help",
    ]
    assert staff.first_response and inquiry.state is InquiryState.ANSWERED and inquiry.met_standard
    more = chat.say(STAFF, "Also bring your passport.", reply_to=1)
    assert more.response is ResponseKind.INFORMATION and not more.first_response


def test_group_chatter_posts_and_replies_to_chatter() -> None:
    chat = Chat(SourceKind.GROUP)
    assert chat.say(1, "Good morning everyone").role is Role.CHATTER
    assert chat.say(1, "", media="sticker").role is Role.CHATTER
    post = chat.say(STAFF, "Workshop on tenant rights this Saturday")
    assert post.role is Role.POST and post.response is ResponseKind.POST and post.post_type == "event"
    reply = chat.say(STAFF, "Good morning!", reply_to=1)
    assert reply.role is Role.STAFF_OTHER and reply.response is None
    # A new question in reply to an answered inquiry opens a new one.
    chat.say(2, "How do I get a bus pass?")
    chat.say(STAFF, "At the transit office.", reply_to=5)
    again = chat.say(3, "What about for students?", reply_to=5)
    assert again.opened


def test_private_chat_opens_joins_answers_and_courtesy() -> None:
    chat = Chat(SourceKind.PRIVATE, chat_id=5005)
    first = chat.say(5005, "سلام، برای کارت سلامت چه مدارکی لازم است")
    assert first.opened and first.inquiry is not None and first.inquiry.language == "fa"
    voice = chat.say(5005, "", media="voice")
    assert voice.role is Role.FOLLOW_UP and voice.inquiry is first.inquiry
    staff = chat.say(STAFF, "گذرنامه و مدرک اقامت لازم است.")
    assert staff.response is ResponseKind.INFORMATION and first.inquiry.state is InquiryState.ANSWERED
    thanks = chat.say(5005, "ممنون 🙏")
    assert thanks.opened and thanks.inquiry is not None and thanks.inquiry.state is InquiryState.DISMISSED
    assert chat.say(STAFF, "خواهش می‌کنم").role is Role.STAFF_OTHER  # no open inquiry: counted in nothing
    assert chat.say(5005, "", media="sticker").role is Role.CHATTER
    assert chat.say(5005, "یک سوال دیگر دارم").opened


def test_acknowledge_meets_the_first_response_and_stays_open() -> None:
    chat = Chat(SourceKind.GROUP)
    inquiry = chat.say(1, "Can someone help me with my tax return?").inquiry
    assert inquiry is not None
    assert chat.tracker.acknowledge(inquiry, START + timedelta(hours=2), STAFF)
    assert inquiry.state is InquiryState.ACKNOWLEDGED and inquiry.met_standard
    assert inquiry.business_response_seconds == 2 * 3600
    staff = chat.say(STAFF, "Here is the tax clinic schedule.", reply_to=1)
    assert not staff.first_response and inquiry.state is InquiryState.ANSWERED


def test_dismissed_inquiries_take_no_responses() -> None:
    chat = Chat(SourceKind.GROUP)
    inquiry = chat.say(1, "Anyone watching the game tonight?").inquiry
    assert inquiry is not None
    chat.tracker.dismiss(inquiry, START)
    assert chat.say(STAFF, "Not me!", reply_to=1).response is None


def test_recompute_due_only_for_open_inquiries() -> None:
    chat = Chat(SourceKind.GROUP)
    open_one = chat.say(1, "How do I register for school?").inquiry
    closed = chat.say(2, "Where is the library?").inquiry
    assert open_one is not None and closed is not None
    chat.say(STAFF, "On Main street.", reply_to=2)
    before_open, before_closed = open_one.due, closed.due
    chat.tracker.clock = ServiceClock(ServiceStandard(timezone="America/Toronto", target=timedelta(hours=48)))
    chat.tracker.recompute_due(open_one)
    chat.tracker.recompute_due(closed)
    assert open_one.due == before_open + timedelta(days=1) and closed.due == before_closed


def test_courtesy_phrases() -> None:
    for text in (
        "Thanks!",
        "thank you so much 🙏",
        "Merci beaucoup",
        "شكرا",
        "شكراً جزيلاً 🌷",
        "ممنون",
        "谢谢",
        "ok 👍",
        "Perfect, thanks!",
        "Merci pour l'info 🙏",
        "Super, merci infiniment",
        "سپاس فراوان",
        "دستتون درد نکنه",
        "جزاكم الله خيراً",
        "谢谢您的帮助🙏",
        "太好了，谢谢",
        "الله يعطيكم العافية",
        "Much appreciated",
    ):
        assert is_courtesy(text), text
    for text in (
        "Thanks, but where is it?",
        "merci, et pour l'école ?",
        "",
        "ok so how do I apply",
        "شكرا، وكيف أسجل أطفالي في المدرسة؟",
        "Thank you for the answer yesterday, I went there but the office was closed and nobody could help",
    ):
        assert not is_courtesy(text), text


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from([1, 2, 3, STAFF]),
            st.sampled_from(["How do I apply?", "hello", "Call CHC", "ok", "", "Où est la clinique ?"]),
            st.integers(min_value=0, max_value=12),
            st.sampled_from([SourceKind.GROUP, SourceKind.PRIVATE]),
        ),
        max_size=40,
    )
)
def test_any_conversation_keeps_the_rules_consistent(steps: list[tuple[int, str, int, SourceKind]]) -> None:
    """Whatever arrives: a first response never precedes arrival, answered inquiries have one, counts are
    per organization, and nothing raises."""
    kind = steps[0][3] if steps else SourceKind.GROUP
    chat = Chat(kind)
    seen = []
    for sender, text, reply, _ in steps:
        decision = chat.say(sender, text, reply_to=reply or None)
        if decision.inquiry is not None:
            seen.append(decision.inquiry)
        if decision.response is ResponseKind.REFERRAL:
            assert len({o.name for o in decision.referrals}) == len(decision.referrals) > 0
        if decision.response is not None and decision.response is not ResponseKind.POST:
            assert sender == STAFF and decision.inquiry is not None
    for inquiry in seen:
        if inquiry.state is InquiryState.ANSWERED:
            assert inquiry.first_response_at is not None and inquiry.answered_at is not None
        if inquiry.first_response_at is not None:
            assert inquiry.first_response_at >= inquiry.arrival
            assert inquiry.met_standard == (inquiry.first_response_at <= inquiry.due)
