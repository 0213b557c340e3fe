"""Safety flags: urgent words in the five languages, whole words, folded spellings, and what the rules make of a
member message that carries them."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from moderator_app.domain.clock import ServiceClock
from moderator_app.domain.events import MessageRecord, Peer, SourceKind
from moderator_app.domain.inquiries import ConversationTracker, Detection, InquiryState, Role
from moderator_app.domain.referrals import ReferralMatcher
from moderator_app.domain.safety import (
    STARTER_MATCHER,
    STARTER_TERMS,
    UrgentCategory,
    UrgentHit,
    UrgentMatcher,
    describe,
    merge,
    parse,
    parse_lists,
    starter_lists,
)
from moderator_app.domain.standard import ServiceStandard

TORONTO = ZoneInfo("America/Toronto")
STAFF = 9000
CLOCK = ServiceClock(ServiceStandard(timezone="America/Toronto"))
START = datetime(2026, 3, 2, 10, 0, tzinfo=TORONTO)


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("Sometimes I think I will kill myself, nobody helps", UrgentCategory.SELF_HARM),
        ("KILL MYSELF", UrgentCategory.SELF_HARM),
        ("Je veux mourir, je n'en peux plus", UrgentCategory.SELF_HARM),
        ("والله بدي انتحر", UrgentCategory.SELF_HARM),
        ("أُريدُ أنْ أموت", UrgentCategory.SELF_HARM),  # with harakat: folded away
        ("وانتحار أخي يخيفني", UrgentCategory.SELF_HARM),  # the glued "and"
        ("دیگه میخوام بمیرم", UrgentCategory.SELF_HARM),
        ("فکر خودکشی دارم", UrgentCategory.SELF_HARM),  # Farsi kaf and yeh, as a Farsi keyboard types them
        ("我真的想死", UrgentCategory.SELF_HARM),  # Chinese: no spaces between words
        ("my husband he beats me every night", UrgentCategory.VIOLENCE),
        ("il a proféré des menaces de mort", UrgentCategory.VIOLENCE),
        ("زوجي يضربني", UrgentCategory.VIOLENCE),
        ("The employer took my passport and I am forced to work", UrgentCategory.TRAFFICKING),
        ("ils ont gardé mon passeport", UrgentCategory.TRAFFICKING),
        ("My son can\u2019t breathe what do I do", UrgentCategory.MEDICAL),  # a phone's curly apostrophe
        ("孩子呼吸困难怎么办", UrgentCategory.MEDICAL),
        ("لا أستطيع التنفس", UrgentCategory.MEDICAL),
    ],
)
def test_starter_lists_flag_situations_in_five_languages(text: str, category: UrgentCategory) -> None:
    assert category in {hit.category for hit in STARTER_MATCHER.find(text)}


@pytest.mark.parametrize(
    "text",
    [
        "Where is the emergency room at the General hospital?",  # everyday words are not alarms
        "Is there an urgent appointment service for vaccines?",
        "I want to discuss the suicidestudy project",  # whole words only
        "Je veux en finir avec ces papiers",
        "请打我电话",  # "call me": not "hit me"
        "تجاوز المدة المسموحة",  # Arabic "exceeded the allowed period": not the Farsi word for assault
        "",
    ],
)
def test_everyday_messages_are_not_flagged(text: str) -> None:
    assert STARTER_MATCHER.find(text) == ()


def test_every_category_has_terms_in_the_five_languages() -> None:
    for category in UrgentCategory:
        assert set(STARTER_TERMS[category]) == {"en", "fr", "ar", "fa", "zh"}
        for terms in STARTER_TERMS[category].values():
            assert terms and all(STARTER_MATCHER.find(term) for term in terms), (category, terms)


def test_a_term_ending_in_a_star_matches_as_a_prefix() -> None:
    matcher = UrgentMatcher({"self_harm": {"fr": ["suicid*"]}, "violence": {"en": ["gun"]}})
    assert matcher.find("pensées suicidaires")[0] == UrgentHit(UrgentCategory.SELF_HARM, "suicid*")
    assert matcher.find("a gun") and not matcher.find("begun")
    assert not UrgentMatcher({}) and matcher


def test_unknown_categories_and_blank_terms_are_left_out() -> None:
    matcher = UrgentMatcher({"weather": {"en": ["storm"]}, "medical": {"en": ["  ", "seizure"]}})
    assert matcher.find("storm") == ()
    assert matcher.find("a seizure") == (UrgentHit(UrgentCategory.MEDICAL, "seizure"),)


def test_two_categories_in_one_message_each_name_their_first_term() -> None:
    hits = STARTER_MATCHER.find("he beats me and I want to die, he hits me")
    assert [h.category for h in hits] == [UrgentCategory.VIOLENCE, UrgentCategory.SELF_HARM]
    assert describe(hits) == "violence: he beats me; self_harm: want to die"


@given(
    st.lists(
        st.tuples(st.sampled_from(list(UrgentCategory)), st.text(alphabet="abc xyz'", min_size=1, max_size=12)),
        max_size=6,
    )
)
def test_a_flag_reads_back_as_written(pairs: list[tuple[UrgentCategory, str]]) -> None:
    hits = [UrgentHit(category, term.replace("; ", " ").replace(": ", " ")) for category, term in pairs]
    stored = describe(hits)
    assert describe(parse(stored)) == stored
    assert merge(stored, hits) == stored  # merging what is there changes nothing
    first = {}
    for hit in hits:
        first.setdefault(hit.category, hit.term)
    assert {h.category: h.term for h in parse(stored)} == first


def test_stored_lists_are_checked() -> None:
    assert parse_lists(starter_lists()) == starter_lists()
    assert parse_lists({"medical": {"en": [" seizure ", ""]}}) == {"medical": {"en": ["seizure"]}}
    with pytest.raises(ValueError):
        parse_lists({"weather": {"en": ["storm"]}})
    with pytest.raises(TypeError):
        parse_lists({"medical": {"en": "seizure"}})


class Chat:
    def __init__(self, kind: SourceKind, matcher: UrgentMatcher = STARTER_MATCHER) -> None:
        self.tracker = ConversationTracker(kind, ReferralMatcher([]), CLOCK, urgent_words=matcher)
        self.next_id = 1
        self.at = START

    def say(self, sender: int, text: str, reply_to: int | None = None):  # type: ignore[no-untyped-def]
        message = MessageRecord(
            chat_id=1, telegram_id=self.next_id, date=self.at, sender=Peer("user", sender), text=text, reply_to=reply_to
        )
        self.next_id += 1
        self.at += timedelta(minutes=1)
        return self.tracker.observe(message, sender, sender == STAFF)


def test_a_group_message_that_asks_nothing_but_is_urgent_is_listed_as_possible() -> None:
    chat = Chat(SourceKind.GROUP)
    decision = chat.say(1, "my husband beats me every night")
    assert decision.role is Role.CHATTER  # "beats me" is not on the list: "he beats me" is
    decision = chat.say(2, "he beats me every night and took my passport")
    assert decision.role is Role.POSSIBLE and decision.inquiry is not None
    inquiry = decision.inquiry
    assert inquiry.state is InquiryState.POSSIBLE and inquiry.detection is Detection.POSSIBLE
    assert inquiry.urgent == "violence: he beats me; trafficking: took my passport"
    assert inquiry.reason == "urgent words: he beats me, took my passport"
    assert not inquiry.counted  # a person decides whether it is an inquiry: the counts wait for them


def test_a_question_with_urgent_words_is_an_open_inquiry_flagged() -> None:
    chat = Chat(SourceKind.GROUP)
    decision = chat.say(1, "My baby can't breathe properly, where is the nearest hospital?")
    assert decision.role is Role.QUESTION and decision.inquiry is not None
    assert decision.inquiry.state is InquiryState.OPEN
    assert decision.inquiry.urgent == "medical: can't breathe"


def test_a_follow_up_flags_the_open_inquiry_it_joins() -> None:
    chat = Chat(SourceKind.PRIVATE)
    opened = chat.say(1, "Hello, I need help with my rent")
    assert opened.inquiry is not None and opened.inquiry.urgent == ""
    opened.inquiry.dirty = False
    follow = chat.say(1, "the landlord threatened to kill me")
    assert follow.role is Role.FOLLOW_UP and follow.inquiry is opened.inquiry
    assert opened.inquiry.urgent == "violence: threatened to kill" and opened.inquiry.dirty


def test_another_members_answer_with_urgent_words_flags_the_question() -> None:
    chat = Chat(SourceKind.GROUP)
    asked = chat.say(1, "Where can I find a family doctor?")
    answer = chat.say(2, "my friend had a seizure there, call an ambulance", reply_to=1)
    assert answer.role is Role.MEMBER_ANSWER and answer.inquiry is asked.inquiry
    assert asked.inquiry is not None and asked.inquiry.urgent == "medical: seizure"


def test_urgent_words_after_an_answer_are_listed_again_not_left_in_the_closed_conversation() -> None:
    chat = Chat(SourceKind.GROUP)
    asked = chat.say(1, "Where can I find a family doctor?")
    chat.say(STAFF, "Community Health Clinic takes new patients.", reply_to=1)
    assert asked.inquiry is not None and asked.inquiry.state is InquiryState.ANSWERED
    thanks = chat.say(1, "thanks!", reply_to=2)
    assert thanks.role is Role.FOLLOW_UP  # as before: the asker's reply stays with the answered inquiry
    urgent = chat.say(1, "but now I want to die", reply_to=2)
    assert urgent.role is Role.POSSIBLE and urgent.inquiry is not asked.inquiry
    assert urgent.inquiry is not None and urgent.inquiry.urgent == "self_harm: want to die"


def test_staff_messages_and_empty_lists_flag_nothing() -> None:
    chat = Chat(SourceKind.GROUP)
    chat.say(1, "Where can I find a family doctor?")
    staff = chat.say(STAFF, "If you want to die or think of suicide, call 988.", reply_to=1)
    assert staff.inquiry is not None and staff.inquiry.urgent == ""
    quiet = Chat(SourceKind.GROUP, UrgentMatcher({}))
    assert quiet.say(1, "I want to die").role is Role.CHATTER
