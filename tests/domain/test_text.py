"""Text rules on messages shaped like the ones newcomers and staff really send."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from moderator_app.domain.asking import is_question
from moderator_app.domain.language import detect_language
from moderator_app.domain.questions import QUESTION_WORDS
from moderator_app.domain.text import normalize
from moderator_app.domain.topics import POST_TYPE_KEYWORDS, POST_TYPES, TOPICS, classify_post_type, classify_topic

# (language, text): questions a moderator owes an answer to.
QUESTIONS: list[tuple[str, str]] = [
    ("ar", "السلام عليكم، كيف أسجل ابني في المدرسة؟"),
    ("ar", "هل يوجد دروس لغة مسائية؟"),
    ("ar", "كيف أحصل على بطاقة صحية"),
    ("ar", "السلام عليكم ورحمة الله وبركاته متى يفتح مكتب الهجرة"),
    ("ar", "وين بلاقي بنك الطعام بأوتاوا"),
    ("ar", "مرحباً، هل التسجيل مجاني"),
    ("ar", "ما هي الأوراق المطلوبة للإقامة الدائمة"),
    ("ar", "من يعرف طبيب عائلة يتكلم عربي"),
    ("ar", "وكيف أدفع الإيجار إذا ما عندي حساب بنكي"),
    ("ar", "شو لازم أعمل لأجدد رخصة القيادة"),
    ("ar", "ليش ما وصلتني إعانة الأطفال لهذا الشهر"),
    ("ar", "لو سمحت، كم سعر بطاقة الباص الشهرية"),
    ("fa", "سلام، آیا کلاس زبان رایگان است"),
    ("fa", "چطور می‌توانم کارت سلامت بگیرم"),
    ("fa", "سلام دوستان، کجا می‌شود گواهینامه رانندگی گرفت"),
    ("fa", "چرا هنوز کمک هزینه فرزند واریز نشده"),
    ("fa", "کسی می‌دونه مهدکودک ارزان کجاست"),
    ("fa", "میشه لطفا لینک ثبت نام کلاس رو بفرستید"),
    ("fa", "برای اجاره آپارتمان چه مدارکی لازم است؟"),
    ("fa", "چند روز طول می‌کشد تا کارت اقامت برسد"),
    ("fa", "کدام بانک برای تازه واردها بهتر است"),
    ("fa", "درود، چگونه وقت دکتر بگیرم"),
    ("fr", "Comment puis-je obtenir une carte santé"),
    ("fr", "Bonjour, où se trouve le bureau de Service Canada"),
    ("fr", "Est-ce que les cours de français sont gratuits"),
    ("fr", "Bonjour à tous, quelqu'un sait où trouver une garderie"),
    ("fr", "Y a-t-il une banque alimentaire près du centre-ville"),
    ("fr", "Pourquoi je n'ai pas encore reçu l'allocation canadienne pour enfants"),
    ("fr", "Quels documents faut-il pour le permis de conduire"),
    ("fr", "Pouvez-vous m’aider à remplir ma déclaration de revenus"),
    ("fr", "Faut-il prendre rendez-vous pour la clinique"),
    ("fr", "Salut! Combien coûte la passe d'autobus"),
    ("fr", "Est-ce qu’il y a un atelier sur le logement ce mois-ci"),
    ("en", "Hello, how do I apply for a health card"),
    ("en", "Where can I find a family doctor who speaks Arabic"),
    ("en", "Is the English class free?"),
    ("en", "Does anyone know a good immigration lawyer"),
    ("en", "Hi everyone, when does the food bank open"),
    ("en", "Can I bring my kids to the workshop"),
    ("en", "Anyone know if the bus pass is cheaper for students"),
    ("en", "What documents do I need for my PR card renewal"),
    ("en", "I arrived last month. Which bank is best for newcomers"),
    ("en", "Good morning! Should I file taxes if I had no income"),
    ("zh", "请问新移民怎么申请医疗卡"),
    ("zh", "孩子上学需要什么材料"),
    ("zh", "大家好，哪里有免费的英语课"),
    ("zh", "可以带孩子去参加讲座吗"),
    ("zh", "租房需要签合同吗？"),
    ("zh", "为什么我的牛奶金还没到"),
    ("zh", "这个活动要不要提前报名"),
    ("zh", "多少钱一个月的公交卡"),
    ("zh", "有没有人知道怎么考驾照"),
    ("zh", "我的工签什么时候能批下来呢"),
]

# (language, text): greetings, thanks, chatter, answers and statements, including statements with a
# question word after the first word.
NOT_QUESTIONS: list[tuple[str, str]] = [
    ("ar", "شكراً جزيلاً 🌷"),
    ("ar", "اذهبي إلى مكتب المجلس المدرسي"),
    ("ar", "السلام عليكم"),
    ("ar", "نعم، دروس اللغة المسائية تبدأ في أكتوبر، التسجيل مجاني."),
    ("ar", "ما عندي أي فكرة والله"),
    ("ar", "من المهم أن تحضر جواز السفر"),
    ("ar", "أنا أعرف كيف أسجل في المدرسة"),
    ("ar", "الله يعطيكم العافية على المساعدة"),
    ("ar", "ورشة عمل عن السكن يوم السبت الساعة ١١ صباحاً"),
    ("ar", "ما شاء الله، الورشة كانت رائعة"),
    ("fa", "ممنون 🙏"),
    ("fa", "سلام"),
    ("fa", "سلام فاطمه، برای کارت سلامت گذرنامه، مدرک اقامت و یک مدرک آدرس لازم است."),
    ("fa", "خیلی ممنون از راهنمایی شما"),
    ("fa", "من می‌دانم چطور ثبت نام کنم"),
    ("fa", "چه خوب، ممنون"),
    ("fa", "کلاس زبان از هفته بعد شروع می‌شود"),
    ("fa", "روز خوبی داشته باشید"),
    ("fa", "درود بر شما"),
    ("fa", "من یک سوال داشتم ولی جوابش را پیدا کردم"),
    ("fr", "Merci beaucoup pour votre aide"),
    ("fr", "Bonjour à tous"),
    ("fr", "Je sais comment faire, merci"),
    ("fr", "Les cours commencent lundi prochain."),
    ("fr", "Quelle belle journée aujourd'hui!"),
    ("fr", "Rendez-vous à 10h devant la bibliothèque"),
    ("fr", "D'accord, je vais appeler demain"),
    ("fr", "Bonne soirée tout le monde"),
    ("fr", "J'ai reçu ma carte santé, c'est super"),
    ("fr", "Peut-être que je viendrai à l'atelier"),
    ("en", "Bus strike tomorrow"),
    ("en", "I know how to do it."),
    ("en", "Thanks a lot!"),
    ("en", "hello"),
    ("en", "Make money fast!!! http://spam.example?ref=win"),
    ("en", "What a great workshop, thank you all"),
    ("en", "May 5 is the deadline for the application"),
    ("en", "Do not share your SIN number with anyone"),
    ("en", "Got my PR card today, so happy"),
    ("en", "See you all at the library"),
    ("en", "Free tax clinic on September 20 at the public library."),
    ("zh", "谢谢大家"),
    ("zh", "你好"),
    ("zh", "我知道怎么做"),
    ("zh", "没什么，不客气"),
    ("zh", "什么都可以"),
    ("zh", "今天的讲座很有意思"),
    ("zh", "我已经拿到枫叶卡了"),
    ("zh", "周六上午十点在图书馆见"),
    ("zh", "好的，明白了"),
    ("zh", "我不知道为什么"),
]


@pytest.mark.parametrize(("language", "text"), QUESTIONS)
def test_questions_are_detected(language: str, text: str) -> None:
    assert is_question(text), text
    assert is_question(text, language), text


@pytest.mark.parametrize(("language", "text"), NOT_QUESTIONS)
def test_non_questions_are_not_detected(language: str, text: str) -> None:
    assert not is_question(text), text
    assert not is_question(text, language), text


def test_every_language_has_enough_examples() -> None:
    for language in ("ar", "fa", "fr", "en", "zh"):
        assert sum(1 for lang, _ in QUESTIONS if lang == language) >= 10
        assert sum(1 for lang, _ in NOT_QUESTIONS if lang == language) >= 10
        assert QUESTION_WORDS[language]


@pytest.mark.parametrize(
    ("language", "text"),
    # "سلام" alone is as Arabic as it is Farsi; the two English ones are checked below.
    [(lang, text) for lang, text in QUESTIONS + NOT_QUESTIONS if text not in {"hello", "Bus strike tomorrow", "سلام"}],
)
def test_detect_language_on_real_looking_messages(language: str, text: str) -> None:
    assert detect_language(text) == language, text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Bus strike tomorrow", "en"),
        ("hello", "en"),
        ("merci", "fr"),
        ("ok", "und"),
        ("👍", "und"),
        ("", "und"),
        ("12:30", "und"),
        ("https://newcomer-info.example.org", "und"),
        ("شكراً عمر. تواصلي مع المركز على https://newcomer-info.example.org/register", "ar"),
        ("می‌خواهم", "fa"),
        ("است", "fa"),
        ("こんにちは、よろしくお願いします", "und"),
        ("안녕하세요", "und"),
    ],
)
def test_detect_language_edges(text: str, expected: str) -> None:
    assert detect_language(text) == expected


def test_question_mark_variants() -> None:
    assert is_question("ok?")
    assert is_question("التسجيل؟")
    assert is_question("报名？")
    assert is_question("Passport needed ?")


def test_question_mark_inside_a_link_asks_nothing() -> None:
    assert not is_question("Register here https://example.org/form?id=3")
    assert is_question("Is this the form https://example.org/form?id=3")
    assert is_question("https://example.org/form?id=3 still valid?")


def test_final_ma_or_ne_is_a_question_mark() -> None:
    assert is_question("可以带孩子吗")
    assert is_question("你们明天开门吗 🙏")
    assert is_question("那我的呢")
    assert not is_question("可以带孩子")


def test_explicit_language_selects_the_table() -> None:
    # "من" is "who" in Arabic but "I" in Farsi.
    assert is_question("من يعرف مكتب الهجرة", "ar")
    assert not is_question("من یک ماه پیش ثبت نام کردم", "fa")


def test_arabic_prefix_wa_on_question_words() -> None:
    assert is_question("وهل التسجيل مجاني")
    assert is_question("فكيف أقدم الطلب")
    assert not is_question("ومن بعدها ذهبت إلى البيت")


def test_harakat_and_tatweel_do_not_hide_a_question_word() -> None:
    assert is_question("كَيْفَ أُسَجِّل ابني")
    assert is_question("كـــيف أسجل ابني")


def test_empty_and_whitespace() -> None:
    assert not is_question("")
    assert not is_question("   \n ")
    assert not is_question("🙏🙏🙏")


# normalize


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("  Hello   WORLD \n", "hello world"),
        ("كَيْفَ", "كيف"),
        ("كـــيف", "كيف"),
        ("أإآٱ", "اااا"),
        ("ى ي ی", "ي ي ي"),
        ("کتاب", "كتاب"),
        ("مدرسة", "مدرسة"),  # teh marbuta is kept
        ("می\u200cخواهم", "مي خواهم"),
        ("٦١٣-٥٥٥-٠١٩٩", "613-555-0199"),
        ("۶۱۳", "613"),
        ("ＡＢＣ１２３", "abc123"),
        ("Où ÉCOLE", "où école"),
        ("Straße", "strasse"),
        ("est-ce qu’il", "est-ce qu'il"),
        ("\u200fمرحبا\u200e", "مرحبا"),
        ("ﻻ", "لا"),  # presentation form
    ],
)
def test_normalize(text: str, expected: str) -> None:
    assert normalize(text) == expected


@settings(max_examples=500)
@given(st.text())
def test_normalize_is_idempotent_and_total(text: str) -> None:
    once = normalize(text)
    assert normalize(once) == once


@settings(max_examples=300)
@given(st.text(alphabet=st.characters(min_codepoint=0x0600, max_codepoint=0x06FF) | st.sampled_from(" \u0301e?")))
def test_normalize_is_idempotent_on_arabic_script(text: str) -> None:
    once = normalize(text)
    assert normalize(once) == once


@settings(max_examples=500)
@given(st.text(), st.sampled_from([None, "ar", "fa", "fr", "en", "zh", "und", "es"]))
def test_text_rules_never_raise(text: str, language: str | None) -> None:
    assert isinstance(is_question(text, language), bool)
    assert detect_language(text) in {"ar", "fa", "fr", "en", "zh", "und"}
    assert classify_topic(text, language) in TOPICS
    assert classify_post_type(text) in POST_TYPES


# topics


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        ("السلام عليكم، كيف أسجل ابني في المدرسة؟", "education"),
        ("هل يوجد دروس لغة مسائية؟", "language_classes"),
        ("كيف أحصل على بطاقة صحية", "health"),
        ("وين بلاقي بنك الطعام بأوتاوا", "food"),
        ("وكيف أدفع الإيجار إذا ما عندي حساب بنكي", "housing"),
        ("سلام، برای کارت سلامت چه مدارکی لازم است", "health"),
        ("کسی می‌دونه مهدکودک ارزان کجاست", "family"),
        ("سلام دوستان، کجا می‌شود گواهینامه رانندگی گرفت", "transportation"),
        ("Comment puis-je obtenir une carte santé", "health"),
        ("Y a-t-il une banque alimentaire près du centre-ville", "food"),
        ("Quels documents faut-il pour le permis de conduire", "transportation"),
        ("Pouvez-vous m’aider à remplir ma déclaration de revenus", "finance"),
        ("Does anyone know a good immigration lawyer", "immigration"),
        ("What documents do I need for my PR card renewal", "immigration"),
        ("Bus strike tomorrow", "transportation"),
        ("Free tax clinic on September 20 at the public library.", "finance"),
        ("Where can I find a family doctor who speaks Arabic", "health"),
        ("I am looking for a job as an electrician, any employers hiring?", "employment"),
        ("Is the English class free?", "language_classes"),
        ("My landlord wants to raise the rent", "housing"),
        ("请问新移民怎么申请医疗卡", "health"),
        ("孩子上学需要什么材料", "education"),
        ("为什么我的牛奶金还没到", "family"),
        ("有没有人知道怎么考驾照", "transportation"),
        ("Thanks a lot!", "other"),
        ("شكراً جزيلاً 🌷", "other"),
        ("", "other"),
    ],
)
def test_classify_topic(text: str, topic: str) -> None:
    assert classify_topic(text) == topic


def test_topic_keywords_match_without_harakat_and_with_prefixes() -> None:
    assert classify_topic("بالمُسْتَشْفَى") == "health"
    assert classify_topic("وللمدرسة") == "education"
    assert classify_topic("مشاكل كثيرة") == "other"  # "اكل" inside a word is not food


def test_latin_keywords_match_whole_words_only() -> None:
    assert classify_topic("My taxi driver was late", "en") == "transportation"  # not "tax"
    assert classify_topic("Taxes are due in April", "en") == "finance"  # plural


def test_topics_table_covers_every_language() -> None:
    for topic, keywords in TOPICS.items():
        for language in ("ar", "fa", "fr", "en", "zh"):
            assert topic == "other" or keywords[language], (topic, language)


# post types


@pytest.mark.parametrize(
    ("text", "post_type"),
    [
        ("ورشة عمل عن السكن يوم السبت الساعة ١١ صباحاً", "event"),
        ("Job fair: register here", "event"),
        ("Free tax clinic on September 20 at the public library.", "event"),
        ("Bus strike tomorrow", "emergency"),
        ("Make money fast!!! http://spam.example", "announcement"),
        ("We're hiring: part-time settlement worker, apply by Friday", "job"),
        ("Offre d'emploi : poste de commis à temps plein", "job"),
        ("فرصة عمل: مطلوب موظفين في مطعم", "job"),
        ("آگهی استخدام راننده", "job"),
        ("招聘：中文客服，全职", "job"),
        ("Atelier sur le logement samedi à 11 h", "event"),
        ("کارگاه آموزشی مالیات، شنبه ساعت ۱۰", "event"),
        ("本周六下午两点有移民讲座", "event"),
        ("Webinar: your first tax return in Canada", "event"),
        ("URGENT: snowstorm warning, our office is closed today", "emergency"),
        ("Alerte : tempête de neige, le bureau est fermé", "emergency"),
        ("عاجل: تحذير من عاصفة ثلجية غداً", "emergency"),
        ("هشدار: طوفان برف، دفتر تعطیل است", "emergency"),
        ("紧急通知：暴风雪，办公室关闭", "emergency"),
        ("Reminder of the group rules: be respectful, no spam", "guidelines"),
        ("Rappel des règles du groupe", "guidelines"),
        ("تذكير بقواعد المجموعة", "guidelines"),
        ("یادآوری قوانین گروه", "guidelines"),
        ("请大家遵守群规", "guidelines"),
        ("The office will reopen on Monday with new hours.", "announcement"),
        ("", "announcement"),
    ],
)
def test_classify_post_type(text: str, post_type: str) -> None:
    assert classify_post_type(text) == post_type


def test_post_type_keywords_cover_every_type_but_the_default() -> None:
    assert set(POST_TYPE_KEYWORDS) == set(POST_TYPES) - {"announcement"}
    for keywords in POST_TYPE_KEYWORDS.values():
        assert all(keywords[language] for language in ("ar", "fa", "fr", "en", "zh"))
