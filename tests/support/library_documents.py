"""Library documents for search tests: a small hand-written library in five languages, and generated ones of
any size (the benchmarks)."""

from __future__ import annotations

import random

from moderator_app.domain.library_search import LibraryDocument

SCHOOL_AR = LibraryDocument(
    1,
    "ar",
    title="تسجيل الأطفال في المدرسة",
    shortcut="school-registration",
    body="لتسجيل طفلك في المدرسة أحضر جواز السفر وإثبات العنوان إلى مكتب التسجيل في مجلس المدارس.",
)


SCHOOL_FR = LibraryDocument(
    1,
    "fr",
    title="Inscription à l'école",
    shortcut="school-registration",
    body="Pour inscrire votre enfant à l'École, apportez son passeport et une preuve d'adresse au conseil scolaire.",
)


HOUSING_AR = LibraryDocument(
    2,
    "ar",
    title="إعلان ورشة السكن",
    body="ورشة عن حقوق المستأجر يوم الخميس. للاستفسار عن الإيجار اتصلوا بنا، وللطوارئ اذهبوا إلى مستشفى المدينة.",
)


SETTLEMENT_FA = LibraryDocument(
    3,
    "fa",
    title="بیمه درمانی برای تازه واردان",
    body="اگر می‌خواهم کارت بیمه بگیرم چه کنم؟ کتاب راهنمای تازه واردان را در کتابخانه بخوانید.",
)


HEALTH_FR = LibraryDocument(
    4,
    "fr",
    title="Carte santé de l'Ontario",
    body="Pour demander la carte santé, prenez rendez-vous à ServiceOntario avec vos documents d'immigration.",
)


CLASSES_ZH = LibraryDocument(
    5,
    "zh",
    title="免费英语课程",
    body="社区中心的英语课程每周二和周四晚上上课，报名请带护照。",
)


HEALTH_ZH = LibraryDocument(
    6,
    "zh",
    title="健康卡申请",
    body="新移民到安省后可以申请健康卡，需要带护照和地址证明。",
)


HEALTH_EN = LibraryDocument(
    7,
    "en",
    title="Applying for a health card",
    shortcut="health-card",
    body="Book an appointment at ServiceOntario and bring your passport and proof of address.",
)


CLINIC_EN = LibraryDocument(
    8,
    "en",
    title="Walk-in clinics",
    shortcut="walk-in",
    body="You can see a doctor at a walk-in clinic without a health card if you pay the fee.",
)


LIBRARY = [SCHOOL_AR, SCHOOL_FR, HOUSING_AR, SETTLEMENT_FA, HEALTH_FR, CLASSES_ZH, HEALTH_ZH, HEALTH_EN, CLINIC_EN]


#: Words of each language, space-separated, the generated bodies are drawn from.
WORDS: dict[str, str] = {
    "en": (
        "health card apply office family doctor clinic appointment english class free register school child "
        "daycare bank account tax return food bank housing rent apartment landlord lease bus pass transit "
        "driver licence work permit job resume interview library volunteer newcomer settlement counselling "
        "interpreter language assessment citizenship passport immigration refugee claim legal aid lawyer court "
        "benefit payment form online website phone call email address document photo identification insurance "
        "dental vision prescription pharmacy hospital emergency walk-in waiting monday tuesday wednesday "
        "thursday friday morning afternoon evening workshop session registration deadline"
    ),
    "fr": (
        "carte santé demande bureau famille médecin clinique rendez-vous cours anglais français gratuit "
        "inscription école enfant garderie banque compte impôts déclaration alimentaire logement loyer "
        "appartement propriétaire bail autobus passe transport permis conduire travail emploi curriculum "
        "entrevue bibliothèque bénévole nouvel arrivant établissement conseil interprète évaluation citoyenneté "
        "passeport immigration réfugié aide juridique avocat tribunal prestation paiement formulaire ligne site "
        "téléphone appel courriel adresse document photo identité assurance dentaire lunettes ordonnance "
        "pharmacie hôpital urgence attente lundi mardi mercredi jeudi vendredi matin après-midi soir atelier "
        "séance date limite préinscription"
    ),
    "ar": (
        "بطاقة الصحة تقديم طلب المكتب العائلة طبيب العيادة موعد دروس اللغة الإنجليزية مجاني التسجيل المدرسة "
        "الأطفال الحضانة البنك حساب الضرائب بنك الطعام السكن الإيجار شقة المالك عقد الباص المواصلات رخصة "
        "القيادة العمل وظيفة السيرة الذاتية مقابلة المكتبة متطوع القادمين الجدد الاستقرار استشارة مترجم تقييم "
        "الجنسية جواز السفر الهجرة لاجئ مساعدة قانونية محامي المحكمة إعانة دفع استمارة الموقع هاتف اتصال "
        "البريد عنوان وثيقة صورة هوية تأمين الأسنان نظارات وصفة صيدلية مستشفى طوارئ انتظار الاثنين الثلاثاء "
        "الأربعاء الخميس الجمعة صباحا مساء ورشة جلسة للمدرسة بالمدرسة والمدرسة"
    ),
    "fa": (
        "کارت سلامت درخواست دفتر خانواده پزشک کلینیک وقت کلاس زبان انگلیسی رایگان ثبت نام مدرسه کودک "
        "مهدکودک بانک حساب مالیات غذا مسکن اجاره آپارتمان صاحبخانه قرارداد اتوبوس حمل نقل گواهینامه رانندگی "
        "کار شغل رزومه مصاحبه کتابخانه داوطلب تازه واردان اسکان مشاوره مترجم ارزیابی شهروندی گذرنامه مهاجرت "
        "پناهنده کمک حقوقی وکیل دادگاه هزینه پرداخت فرم سایت تلفن تماس ایمیل نشانی مدرک عکس شناسایی بیمه "
        "دندانپزشکی عینک نسخه داروخانه بیمارستان اورژانس انتظار دوشنبه سه‌شنبه چهارشنبه پنجشنبه جمعه صبح عصر "
        "کارگاه جلسه می‌خواهم می‌توانید"
    ),
    "zh": (
        "健康卡 申请 办公室 家庭 医生 诊所 预约 英语课程 免费 注册 学校 孩子 托儿所 银行 账户 报税 食物银行 "
        "住房 租金 公寓 房东 租约 公交 交通 驾照 工作 职位 简历 面试 图书馆 志愿者 新移民 安置 咨询 翻译 评估 "
        "入籍 护照 移民 难民 法律援助 律师 法院 福利 付款 表格 网站 电话 邮件 地址 文件 照片 身份 保险 牙科 "
        "眼镜 处方 药房 医院 急诊 等候 星期一 星期二 星期三 星期四 星期五 上午 下午 晚上 讲座 截止日期"
    ),
}


def generated_library(answers: int, words: int = 60, seed: int = 7) -> list[LibraryDocument]:
    """``answers`` answers with a body in each of the five languages: a three-word title and ``words``
    words drawn from the language's list, a shortcut "answer-<id>" and a topic as alias."""
    rng = random.Random(seed)
    topics = ("health", "housing", "education", "employment", "legal")
    vocabularies = {language: text.split() for language, text in WORDS.items()}
    documents = []
    for doc_id in range(1, answers + 1):
        for language, vocabulary in vocabularies.items():
            documents.append(
                LibraryDocument(
                    doc_id,
                    language,
                    title=" ".join(rng.sample(vocabulary, 3)),
                    shortcut=f"answer-{doc_id}",
                    aliases=(rng.choice(topics),),
                    body=" ".join(rng.choice(vocabulary) for _ in range(words)),
                )
            )
    return documents
