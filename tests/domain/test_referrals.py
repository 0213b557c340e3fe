"""Finding referral-library organizations in staff messages."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from moderator_app.domain.referrals import ReferralMatcher, ReferralOrganization, phone_key, website_host

NIC = ReferralOrganization(
    name="Newcomer Information Centre",
    aliases=("NIC", "مركز معلومات القادمين الجدد"),
    phone="613-555-0199",
    website="newcomer-info.example.org",
    topics=("immigration",),
    languages=("en", "fr", "ar"),
    id=1,
)
ISS = ReferralOrganization(
    name="Immigrant Services Society",
    aliases=("ISS",),
    phone="+1 (613) 555-0100",
    website="https://www.iss.example.org/",
    id=2,
)
RED_CRESCENT = ReferralOrganization(name="الهلال الأحمر", aliases=("Red Crescent",), id=3)
FOOD_BANK = ReferralOrganization(name="Ottawa Food Bank", aliases=("بنك الطعام",), website="example.org", id=4)
CHINESE_CENTRE = ReferralOrganization(name="华人服务中心", aliases=("Chinese Service Centre",), id=5)
FARSI_CENTRE = ReferralOrganization(name="کانون ایرانیان", phone="۶۱۳-۵۵۵-۰۱۷۷", id=6)
LIBRARY = [NIC, ISS, RED_CRESCENT, FOOD_BANK, CHINESE_CENTRE, FARSI_CENTRE]


@pytest.fixture(scope="module")
def matcher() -> ReferralMatcher:
    return ReferralMatcher(LIBRARY)


def names(found: list[ReferralOrganization]) -> list[str]:
    return [org.name for org in found]


@pytest.mark.parametrize(
    "text",
    [
        "Please contact the Newcomer Information Centre",
        "please contact the NEWCOMER   information centre.",
        "Try NIC, they know",
        "(NIC)",
    ],
)
def test_name_and_alias(matcher: ReferralMatcher, text: str) -> None:
    assert matcher.find(text) == [NIC]


@pytest.mark.parametrize(
    "text",
    [
        "call 613-555-0199",
        "call (613) 555 0199 today",
        "call +1 613.555.0199",
        "call 1-613-555-0199",
        "call 16135550199",
        "call 6135550199",
        "اتصلي على ٦١٣٥٥٥٠١٩٩",
        "اتصلي على ٦١٣-٥٥٥-٠١٩٩",
        "Tel: 613 / 555 / 0199.",
    ],
)
def test_phone_variants(matcher: ReferralMatcher, text: str) -> None:
    assert matcher.find(text) == [NIC]


def test_phone_in_persian_digits_in_the_library(matcher: ReferralMatcher) -> None:
    assert matcher.find("با شماره 613 555 0177 تماس بگیرید") == [FARSI_CENTRE]


@pytest.mark.parametrize(
    "text",
    [
        "0199",
        "555-0199",
        "ext 0199",
        "6135550199123",  # a longer number that merely contains it
        "26135550199",  # 11 digits not starting with the country code 1
        "order 46135550199",
        "613-555-01999",
    ],
)
def test_partial_or_longer_digit_runs_do_not_match(matcher: ReferralMatcher, text: str) -> None:
    assert matcher.find(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "https://newcomer-info.example.org/register",
        "see newcomer-info.example.org",
        "HTTP://Newcomer-Info.Example.org/",
        "www.newcomer-info.example.org/fr/inscription?x=1",
        "write to info@newcomer-info.example.org.",
        "شكراً عمر. للتسجيل تواصلي على https://newcomer-info.example.org",
    ],
)
def test_website_variants(matcher: ReferralMatcher, text: str) -> None:
    assert matcher.find(text) == [NIC]


def test_website_with_www_in_the_library(matcher: ReferralMatcher) -> None:
    assert matcher.find("iss.example.org/apply") == [ISS]


@pytest.mark.parametrize(
    "text",
    [
        "visit notexample.org",
        "visit example.org.evil.net",
        "visit sub.newcomer-info.example.com",
        "visit other.example.org",  # a subdomain is another site
        "newcomer-info.example",
    ],
)
def test_host_must_match_exactly(matcher: ReferralMatcher, text: str) -> None:
    found = matcher.find(text)
    assert NIC not in found
    assert FOOD_BANK not in found


def test_exact_host_matches(matcher: ReferralMatcher) -> None:
    assert matcher.find("example.org") == [FOOD_BANK]


@pytest.mark.parametrize(
    "text",
    [
        "Our mission is to help",
        "The clinic is open",  # "nic" inside a word
        "Tunic and scenic views",
        "issues with the form",
        "",
        "   ",
    ],
)
def test_alias_inside_a_word_does_not_match(matcher: ReferralMatcher, text: str) -> None:
    assert matcher.find(text) == []


def test_several_organizations_in_order_of_first_mention(matcher: ReferralMatcher) -> None:
    text = (
        "You can ask ISS (613-555-0100) or the Newcomer Information Centre at newcomer-info.example.org; "
        "for food, the Ottawa Food Bank. ISS again: https://www.iss.example.org"
    )
    found = matcher.find(text)
    assert found == [ISS, NIC, FOOD_BANK]
    assert len(found) == 3  # k referrals, each organization once


def test_name_inside_a_matched_address_is_not_a_second_mention() -> None:
    nic_site = ReferralOrganization(name="Site Org", website="nic.example.org")
    matcher = ReferralMatcher([NIC, nic_site])
    assert matcher.find("see nic.example.org") == [nic_site]
    assert matcher.find("see nic.example.net") == [NIC]


@pytest.mark.parametrize(
    "text",
    [
        "تواصلي مع الهلال الأحمر",
        "تواصلي مع للهلال الأحمر",
        "اذهبي للهلال الأحمر",
        "وبالهلال الأحمر يساعدونك",
        "والهلال الأحمر أيضاً",
        "الهِلَال الأَحْمَر",
        "هلال الأحمر",  # the article of the first word is optional
    ],
)
def test_arabic_name_with_prefixes(matcher: ReferralMatcher, text: str) -> None:
    assert matcher.find(text) == [RED_CRESCENT]


@pytest.mark.parametrize(
    "text",
    [
        "للتسجيل تواصلي مع مركز معلومات القادمين الجدد",
        "بمركز معلومات القادمين الجدد",
        "ومركز معلومات القادمين الجدد",
        "لمركز معلومات القادمين الجدد",
    ],
)
def test_arabic_alias_with_prefixes(matcher: ReferralMatcher, text: str) -> None:
    assert matcher.find(text) == [NIC]


def test_arabic_alias_with_a_prefix_and_a_suffix(matcher: ReferralMatcher) -> None:
    assert matcher.find("اذهبي لبنك الطعام في الحي") == [FOOD_BANK]


def test_farsi_name_matches_with_either_yeh_and_kaf(matcher: ReferralMatcher) -> None:
    assert matcher.find("به کانون ایرانیان بروید") == [FARSI_CENTRE]
    assert matcher.find("به كانون ايرانيان بروید") == [FARSI_CENTRE]


def test_chinese_name_anywhere(matcher: ReferralMatcher) -> None:
    assert matcher.find("请联系华人服务中心，他们会帮你") == [CHINESE_CENTRE]


def test_latin_alias_inside_non_latin_text(matcher: ReferralMatcher) -> None:
    assert matcher.find("تواصلي مع ISS غداً") == [ISS]
    assert matcher.find("ISS👍") == [ISS]
    assert matcher.find("ISS’s office") == [ISS]


def test_empty_fields_never_match() -> None:
    blank = ReferralOrganization(name="", aliases=("", " "), phone="", website="")
    matcher = ReferralMatcher([blank])
    assert matcher.find("anything at all 613-555-0199 example.org") == []
    assert len(matcher) == 1


def test_empty_library() -> None:
    assert ReferralMatcher([]).find("Newcomer Information Centre") == []


def test_first_listed_wins_a_shared_alias() -> None:
    first = ReferralOrganization(name="First", aliases=("YMCA",))
    second = ReferralOrganization(name="Second", aliases=("YMCA",))
    assert ReferralMatcher([first, second]).find("the YMCA") == [first]


@pytest.mark.parametrize(
    ("phone", "key"),
    [
        ("613-555-0199", "6135550199"),
        ("+1 (613) 555-0199", "6135550199"),
        ("٦١٣٥٥٥٠١٩٩", "6135550199"),
        ("+961 1 234 567", "9611234567"),
        ("555-019", ""),
        ("12345", ""),
        ("", ""),
    ],
)
def test_phone_key(phone: str, key: str) -> None:
    assert phone_key(phone) == key


@pytest.mark.parametrize(
    ("website", "host"),
    [
        ("https://www.Example.org/register", "example.org"),
        ("example.org/", "example.org"),
        ("http://example.org:8080/x", "example.org"),
        ("sub.example.org", "sub.example.org"),
        ("example.org.", "example.org"),
        ("not a url", ""),
        ("localhost", ""),
        ("", ""),
        ("613.555.0199", ""),
    ],
)
def test_website_host(website: str, host: str) -> None:
    assert website_host(website) == host


@settings(max_examples=300)
@given(st.text())
def test_find_never_raises(text: str) -> None:
    found = ReferralMatcher(LIBRARY).find(text)
    assert len(found) == len({org.name for org in found})


def test_a_name_inside_a_longer_name_is_part_of_it() -> None:
    food_bank = ReferralOrganization(name="Food Bank")
    ottawa_food_bank = ReferralOrganization(name="Ottawa Food Bank")
    matcher = ReferralMatcher([food_bank, ottawa_food_bank])
    assert matcher.find("Try the Ottawa Food Bank.") == [ottawa_food_bank]
    assert matcher.find("Try the food bank, or the Ottawa Food Bank") == [food_bank, ottawa_food_bank]


_WORDS = [
    "ottawa",
    "food",
    "bank",
    "iss",
    "nic",
    "community",
    "centre",
    "the",
    "mission",
    "(nic)",
    "é",
    "-",
    "  ",
]


@settings(max_examples=300)
@given(st.lists(st.sampled_from(_WORDS), max_size=12), st.sampled_from([" ", "", ",", "'s "]))
def test_looking_only_where_first_words_occur_finds_what_a_full_scan_finds(words: list[str], glue: str) -> None:
    library = [
        ReferralOrganization(name="Ottawa Food Bank"),
        ReferralOrganization(name="Food Bank", aliases=("food",)),
        ReferralOrganization(name="Community Centre", aliases=("ISS", "NIC")),
        ReferralOrganization(name="Bank"),
    ]
    # A name that does not start with an ASCII word makes the matcher scan every message whole.
    scanning = ReferralMatcher([*library, ReferralOrganization(name="«zzqq»")])
    text = glue.join(words)
    assert ReferralMatcher(library).find(text) == scanning.find(text)
