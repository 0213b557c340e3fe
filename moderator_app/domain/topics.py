"""Keyword classification: the inquiry topic for the monthly breakdown, and the post type for the toolkit's
Table 7. The tables are plain data, per language, so a reviewer who speaks it can fix them."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Final

from moderator_app.domain.language import ARABIC_CLASS, CJK_CLASS, detect_language
from moderator_app.domain.text import ARABIC_PREFIXES, LANGUAGES, LazyPattern, keyword_pattern, normalize

__all__ = [
    "POST_TYPES",
    "POST_TYPE_KEYWORDS",
    "TOPICS",
    "classify_post_type",
    "classify_topic",
    "post_type_keyword",
]

#: Inquiry topics for the monthly breakdown, with keywords per language as people type them (matched after
#: ``normalize``). Latin keywords match whole words (a plural s/es/x is allowed); Arabic-script keywords
#: match at a word start after any glued prefix (ال, و, ب, ...) with any ending; Chinese anywhere.
#: When two topics tie, the first in this order wins. "other" has no keywords: it is what is left.
TOPICS: Final[Mapping[str, Mapping[str, tuple[str, ...]]]] = {
    "health": {
        "en": ("health", "health card", "doctor", "family doctor", "hospital", "clinic", "walk-in clinic",
               "dentist", "dental", "nurse", "medicine", "medication", "prescription", "pharmacy", "ohip",
               "sick", "illness", "vaccine", "vaccination", "mental health", "emergency room", "ifhp",
               "health insurance"),
        "fr": ("santé", "carte santé", "carte-santé", "médecin", "médecin de famille", "hôpital", "hôpitaux",
               "clinique", "dentiste", "infirmière", "infirmier", "pharmacie", "ordonnance", "médicament",
               "malade", "vaccin", "urgences", "assurance maladie", "ramq", "santé mentale"),
        "ar": ("صحة", "صحي", "بطاقة صحية", "طبيب", "دكتور", "مستشفى", "مشفى", "عيادة", "أسنان", "صيدلية",
               "دواء", "أدوية", "مريض", "لقاح", "تطعيم", "ممرض", "تأمين صحي", "علاج"),
        "fa": ("سلامت", "بهداشت", "پزشک", "دکتر", "بیمارستان", "کلینیک", "درمانگاه", "دندان", "داروخانه",
               "دارو", "بیمار", "واکسن", "بیمه درمانی", "کارت سلامت", "درمان"),
        "zh": ("医疗", "医生", "医院", "诊所", "看病", "牙医", "药房", "药", "健康卡", "疫苗", "生病", "医保",
               "家庭医生"),
    },
    "education": {
        "en": ("school", "high school", "elementary school", "enroll", "enrol", "enrolment", "enrollment",
               "kindergarten", "university", "college", "student", "teacher", "diploma", "tuition",
               "scholarship", "education", "school board"),
        "fr": ("école", "inscription scolaire", "maternelle", "université", "collège", "cégep", "lycée",
               "élève", "étudiant", "étudiante", "enseignant", "diplôme", "études", "éducation",
               "conseil scolaire", "frais de scolarité"),
        "ar": ("مدرسة", "مدرسه", "مدارس", "المجلس المدرسي", "جامعة", "جامعه", "كلية", "روضة", "طالب", "طلاب",
               "تعليم", "دراسة", "شهادة", "معلم", "مدرس"),
        "fa": ("مدرسه", "دانشگاه", "دانشجو", "دانش آموز", "دانش‌آموز", "کالج", "تحصیل", "آموزش و پرورش",
               "معلم", "مدرک تحصیلی"),
        "zh": ("学校", "上学", "入学", "大学", "学院", "幼儿园", "学生", "老师", "教育", "学历", "读书",
               "小学",
               "中学", "高中"),
    },
    "housing": {
        "en": ("housing", "house", "apartment", "rent", "landlord", "tenant", "lease", "shelter",
               "accommodation", "room", "eviction", "home", "utilities"),
        "fr": ("logement", "appartement", "loyer", "propriétaire", "locataire", "bail", "hébergement",
               "refuge", "chambre", "expulsion", "maison"),
        "ar": ("سكن", "شقة", "شقق", "إيجار", "ايجار", "بيت", "منزل", "مستأجر", "صاحب البيت", "ملجأ",
               "مأوى", "عقار"),
        "fa": ("مسکن", "خانه", "آپارتمان", "اجاره", "صاحبخانه", "صاحب خانه", "مستاجر", "سرپناه", "اتاق"),
        "zh": ("住房", "房子", "租房", "房租", "公寓", "房东", "租约", "住所", "住宿", "找房"),
    },
    "employment": {
        "en": ("job", "employment", "employer", "resume", "résumé", "cv", "interview", "hiring", "career",
               "salary", "wage", "job search", "work experience", "unemployed"),
        "fr": ("emploi", "travail", "travailler", "entrevue", "entretien d'embauche", "embauche", "salaire",
               "employeur", "carrière", "chercher du travail", "recherche d'emploi", "chômage"),
        "ar": ("شغل", "وظيفة", "وظائف", "توظيف", "فرصة عمل", "فرص عمل", "سوق العمل", "البحث عن عمل",
               "سيرة ذاتية", "راتب", "مقابلة عمل", "صاحب العمل"),
        "fa": ("شغل", "استخدام", "کاریابی", "رزومه", "مصاحبه کاری", "دنبال کار", "کار پیدا", "فرصت شغلی",
               "کارفرما", "بیکار"),
        "zh": ("工作", "找工作", "招聘", "求职", "简历", "面试", "工资", "雇主", "就业", "失业"),
    },
    "language_classes": {
        "en": ("english class", "english classes", "language class", "language classes", "esl", "linc",
               "french class", "french classes", "language course", "language test", "ielts", "celpip",
               "clb", "learn english", "learn french", "tef", "tcf"),
        "fr": ("cours de français", "cours d'anglais", "francisation", "cours de langue", "clic",
               "apprendre le français", "apprendre l'anglais", "test de langue"),
        "ar": ("دروس لغة", "دروس اللغة", "دورة لغة", "دورة اللغة", "صفوف اللغة", "تعلم اللغة", "لغة",
               "إنجليزي",
               "انجليزي", "انكليزي", "اللغة الفرنسية", "لينك", "آيلتس"),
        "fa": ("کلاس زبان", "زبان انگلیسی", "زبان فرانسه", "کلاس انگلیسی", "آموزش زبان", "آیلتس", "زبان"),
        "zh": ("英语课", "语言课", "英文课", "法语课", "学英语", "学法语", "语言班", "英语班", "学英文"),
    },
    "immigration": {
        "en": ("immigration", "visa", "permanent resident", "permanent residence", "pr card", "citizenship",
               "refugee", "asylum", "work permit", "study permit", "passport", "ircc", "sponsorship",
               "family reunification", "refugee claim"),
        "fr": ("immigration", "visa", "résidence permanente", "résident permanent", "carte rp",
               "citoyenneté", "réfugié", "réfugiée", "asile", "permis de travail", "permis d'études",
               "passeport", "parrainage", "réunification familiale"),
        "ar": ("هجرة", "لجوء", "لاجئ", "إقامة", "اقامة", "جنسية", "تأشيرة", "فيزا", "جواز سفر", "كفالة",
               "لم شمل", "تصريح عمل", "الإقامة الدائمة"),
        "fa": ("مهاجرت", "اقامت", "پناهندگی", "پناهنده", "شهروندی", "ویزا", "پاسپورت", "گذرنامه", "اسپانسر",
               "کارت اقامت", "اجازه کار"),
        "zh": ("移民", "签证", "枫叶卡", "永久居民", "入籍", "公民", "难民", "庇护", "护照", "工签", "学签",
               "担保",
               "团聚"),
    },
    "transportation": {
        "en": ("bus", "train", "transit", "driver's licence", "driver's license", "driving", "licence",
               "license", "car", "taxi", "metro", "subway", "presto", "transportation", "transport",
               "airport", "bus pass"),
        "fr": ("autobus", "bus", "métro", "train", "permis de conduire", "voiture", "taxi", "transport",
               "transports en commun", "aéroport", "passe d'autobus"),
        "ar": ("باص", "حافلة", "مواصلات", "قطار", "رخصة قيادة", "رخصة السواقة", "سيارة", "تاكسي", "مطار",
               "مترو", "نقل عام"),
        "fa": ("اتوبوس", "قطار", "مترو", "تاکسی", "گواهینامه", "رانندگی", "ماشین", "حمل و نقل", "فرودگاه"),
        "zh": ("公交", "巴士", "地铁", "火车", "驾照", "开车", "汽车", "出租车", "交通", "机场"),
    },
    "finance": {
        "en": ("tax", "tax clinic", "tax return", "benefit", "bank", "bank account", "credit card", "credit",
               "money", "loan", "debt", "income", "gst", "hst", "welfare", "ontario works",
               "social assistance", "pension", "budget"),
        "fr": ("impôt", "impôts", "clinique d'impôts", "taxe", "banque", "compte bancaire", "prestation",
               "argent", "crédit", "prêt", "dette", "revenu", "aide sociale", "pension",
               "déclaration de revenus"),
        "ar": ("ضريبة", "ضرائب", "بنك", "مصرف", "حساب بنكي", "بطاقة ائتمان", "مساعدة مالية", "فلوس", "قرض",
               "ديون", "معونة"),
        "fa": ("مالیات", "بانک", "حساب بانکی", "کارت اعتباری", "وام", "پول", "بدهی", "کمک مالی", "درآمد"),
        "zh": ("报税", "税", "银行", "账户", "信用卡", "贷款", "福利", "补助", "钱", "收入"),
    },
    "legal": {
        "en": ("lawyer", "legal", "legal aid", "court", "police", "rights", "law", "tribunal", "complaint",
               "hearing"),
        "fr": ("avocat", "avocate", "aide juridique", "juridique", "tribunal", "droits", "police", "loi",
               "plainte", "audience"),
        "ar": ("محامي", "محام", "قانوني", "مساعدة قانونية", "محكمة", "شرطة", "حقوق", "قانون", "شكوى"),
        "fa": ("وکیل", "حقوقی", "دادگاه", "پلیس", "قانون", "شکایت"),
        "zh": ("律师", "法律", "法院", "警察", "法律援助", "投诉", "权利"),
    },
    "family": {
        "en": ("child care", "childcare", "daycare", "day care", "child benefit", "ccb", "babysitter", "baby",
               "pregnant", "pregnancy", "prenatal", "parenting", "family"),
        "fr": ("garderie", "service de garde", "allocation familiale", "allocations familiales",
               "allocation canadienne pour enfants", "bébé", "enceinte", "grossesse", "famille",
               "parentalité"),
        "ar": ("حضانة", "رعاية الأطفال", "رعاية أطفال", "إعانة الأطفال", "اعانة الاطفال", "إعانة الطفل",
               "رضيع", "حامل", "عائلة", "أسرة", "الأسرة"),
        "fa": ("مهد کودک", "مهدکودک", "نگهداری کودک", "کمک هزینه فرزند", "نوزاد", "بارداری", "حاملگی",
               "خانواده"),
        "zh": ("托儿所", "托儿", "日托", "育儿", "牛奶金", "儿童福利", "怀孕", "宝宝", "婴儿", "家庭"),
    },
    "food": {
        "en": ("food", "food bank", "groceries", "grocery", "meal", "halal", "hungry", "food basket"),
        "fr": ("nourriture", "banque alimentaire", "épicerie", "repas", "halal", "aliments", "alimentaire"),
        "ar": ("طعام", "بنك الطعام", "غذاء", "مواد غذائية", "حلال", "وجبات", "وجبة", "سلة غذائية"),
        "fa": ("غذا", "بانک غذا", "مواد غذایی", "حلال", "خوراک", "سبد غذایی"),
        "zh": ("食物", "食品", "食物银行", "食品银行", "吃饭", "清真"),
    },
    "other": {lang: () for lang in LANGUAGES},
}  # fmt: skip

#: Post types of staff posts (toolkit Table 7), in display order; "announcement" is the default.
POST_TYPES: Final = ("announcement", "event", "job", "emergency", "guidelines")

#: Keywords per post type and language, matched like ``TOPICS``. A job fair is an event (people attend
#: it on a date), not a job posting.
POST_TYPE_KEYWORDS: Final[Mapping[str, Mapping[str, tuple[str, ...]]]] = {
    "emergency": {
        "en": ("urgent", "alert", "emergency", "warning", "storm", "snowstorm", "closure", "closed",
               "cancelled", "canceled", "strike", "evacuation", "flood", "fire", "outage", "power outage",
               "boil water", "tornado", "extreme cold", "heat warning"),
        "fr": ("urgent", "urgente", "urgence", "alerte", "avertissement", "tempête", "fermeture", "fermé",
               "fermée", "annulé", "annulée", "grève", "évacuation", "inondation", "incendie", "panne"),
        "ar": ("طوارئ", "عاجل", "تحذير", "تنبيه", "إنذار", "عاصفة", "إغلاق", "مغلق", "إضراب", "حريق",
               "فيضان", "خطر"),
        "fa": ("اضطراری", "فوری", "هشدار", "طوفان", "تعطیل", "اعتصاب", "آتش سوزی", "آتش‌سوزی", "سیل",
               "خطر"),
        "zh": ("紧急", "警报", "警告", "暴风雪", "暴雨", "关闭", "停课", "罢工", "取消", "疏散", "火灾",
               "洪水",
               "停电", "台风"),
    },
    "guidelines": {
        "en": ("guidelines", "community guidelines", "rules", "group rules", "house rules", "code of conduct",
               "no spam", "be respectful"),
        "fr": ("règles", "règlement", "lignes directrices", "charte", "rappel des règles",
               "code de conduite"),
        "ar": ("قواعد", "قوانين", "إرشادات", "ارشادات", "تعليمات المجموعة", "شروط المجموعة"),
        "fa": ("قوانین", "قواعد", "مقررات", "قوانین گروه", "راهنمای گروه"),
        "zh": ("规则", "群规", "守则", "准则"),
    },
    "job": {
        "en": ("job", "job posting", "hiring", "now hiring", "we're hiring", "vacancy", "vacancies",
               "career", "employment opportunity", "apply now", "recruiting", "part-time", "full-time",
               "internship"),
        "fr": ("emploi", "offre d'emploi", "poste", "embauche", "recrutement", "recrute", "stagiaire",
               "temps plein", "temps partiel"),
        "ar": ("وظيفة", "وظائف", "شغل", "فرصة عمل", "فرص عمل", "توظيف", "مطلوب موظف", "مطلوب موظفين",
               "دوام كامل", "دوام جزئي"),
        "fa": ("استخدام", "شغل", "فرصت شغلی", "آگهی استخدام", "پاره وقت", "تمام وقت", "کارآموزی"),
        "zh": ("招聘", "工作", "职位", "求职", "岗位", "招工", "兼职", "全职", "实习"),
    },
    "event": {
        "en": ("workshop", "webinar", "session", "info session", "information session", "event", "seminar",
               "job fair", "career fair", "fair", "clinic", "tax clinic", "meetup", "meeting", "conference",
               "celebration", "festival", "open house", "join us", "rsvp", "orientation"),
        "fr": ("atelier", "séance", "session", "webinaire", "événement", "évènement", "séminaire",
               "salon de l'emploi", "foire", "clinique d'impôts", "rencontre", "conférence", "fête",
               "festival", "portes ouvertes", "rejoignez-nous"),
        "ar": ("ورشة", "ورشه", "ورش", "ندوة", "جلسة", "جلسة معلومات", "فعالية", "فعاليات", "اجتماع", "لقاء",
               "محاضرة", "معرض", "معرض وظائف", "احتفال", "مهرجان"),
        "fa": ("کارگاه", "وبینار", "جلسه", "سمینار", "رویداد", "همایش", "نشست", "جشن", "جشنواره",
               "نمایشگاه", "نمایشگاه کار"),
        "zh": ("讲座", "活动", "研讨会", "工作坊", "会议", "说明会", "招聘会", "展会", "聚会", "培训"),
    },
}  # fmt: skip

# Ties between post types: a storm warning that mentions a workshop is an emergency.
_POST_TYPE_PRIORITY: Final = ("emergency", "guidelines", "job", "event")

_ARABIC_SCRIPT_RE: Final = LazyPattern(f"[{ARABIC_CLASS}]")
_CJK_RE: Final = LazyPattern(f"[{CJK_CLASS}]")


class _KeywordIndex:
    """One regex per language over all labels' keywords; a match's text says which label it counts for.

    Each language's regex is compiled on its first use: compiling them all costs a noticeable part of the
    workstation's launch, which needs none of them before a message arrives."""

    _LANGUAGES: Final = frozenset((*LANGUAGES, "und"))

    def __init__(self, table: Mapping[str, Mapping[str, tuple[str, ...]]], order: Iterable[str]) -> None:
        self._table = table
        self._order = tuple(order)
        self._rank = {label: i for i, label in enumerate(self._order)}
        self._compiled: dict[str, tuple[dict[str, str], re.Pattern[str]]] = {}

    def _language(self, language: str) -> tuple[dict[str, str], re.Pattern[str]]:
        by_keyword: dict[str, str] = {}
        for lang in LANGUAGES if language == "und" else (language,):
            for label in self._order:
                for keyword in self._table.get(label, {}).get(lang, ()):
                    by_keyword.setdefault(normalize(keyword), label)
        compiled = self._compiled[language] = (by_keyword, self._compile(by_keyword))
        return compiled

    @staticmethod
    def _compile(keywords: Iterable[str]) -> re.Pattern[str]:
        latin: list[str] = []
        arabic: list[str] = []
        cjk: list[str] = []
        for keyword in keywords:
            if _ARABIC_SCRIPT_RE.search(keyword):
                arabic.append(keyword)
            elif _CJK_RE.search(keyword):
                cjk.append(keyword)
            else:
                latin.append(keyword)
        parts = []
        if latin:
            parts.append(r"(?<!\w)(?P<l>" + keyword_pattern(latin) + r")(?:s|es|x)?(?!\w)")
        if arabic:
            parts.append(r"(?<!\w)" + ARABIC_PREFIXES + "(?P<a>" + keyword_pattern(arabic) + ")")
        if cjk:
            parts.append("(?P<c>" + keyword_pattern(cjk) + ")")
        return re.compile("|".join(parts) or "(?!)")

    def best(self, text: str, language: str | None) -> str | None:
        """The label with most keyword hits (ties: first in order), or None without a hit."""
        normalized = normalize(text)
        lang = language if language in self._LANGUAGES else detect_language(text)
        by_keyword, regex = self._compiled.get(lang) or self._language(lang)
        counts: dict[str, int] = {}
        for match in regex.finditer(normalized):
            label = by_keyword[match.group(match.lastgroup or 0)]
            counts[label] = counts.get(label, 0) + 1
        if len(counts) <= 1:
            for label in counts:
                return label
            return None
        rank = self._rank
        return max(counts, key=lambda label: (counts[label], -rank[label]))


_TOPIC_INDEX: Final = _KeywordIndex(TOPICS, TOPICS)
_POST_TYPE_INDEX: Final = _KeywordIndex(POST_TYPE_KEYWORDS, _POST_TYPE_PRIORITY)


def classify_topic(text: str, language: str | None = None) -> str:
    """The inquiry topic for the monthly breakdown by topic; "other" when no keyword of a topic occurs.

    Keywords of the message's language only (detected when not given), since a word in one language can be
    another topic in the other ("car" is "because" in French); an undetermined language uses all tables.
    """
    return _TOPIC_INDEX.best(text, language) or "other"


def post_type_keyword(text: str) -> str | None:
    """The post type a keyword of the text names, or None when nothing marks it as a post (an announcement,
    an event, a job): a staff message with such a keyword is not taken for an answer without a reply."""
    return _POST_TYPE_INDEX.best(text, "und")


def classify_post_type(text: str) -> str:
    """The post type for toolkit Table 7 ("posts by type"); a post with no telling keyword is an announcement.

    Keywords of every language count: settlement posts are often bilingual ("Workshop / Atelier").
    """
    return _POST_TYPE_INDEX.best(text, "und") or "announcement"
