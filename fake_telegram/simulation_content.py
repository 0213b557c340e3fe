"""What the simulated organization's people write: names, questions by topic, answers, chatter, posts.

Kept apart from ``simulation.py`` so the generator stays readable. Every question carries a question mark of
its script and every thank-you or greeting carries none, so the app's own rules (``domain.text``) classify
them the way a moderator would; ``tests/telegram/test_simulation.py`` checks that for every phrase.
Partner organizations are Ottawa agencies; only the Catholic Centre for Immigrants' phone number is real, the
others are in the fictional 613-555-01xx range.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

#: Languages people write in: the three group communities, then English and Chinese (private chats only).
GROUP_LANGUAGES: Final = ("ar", "fa", "fr")
LANGUAGES: Final = ("ar", "fa", "fr", "en", "zh")


@dataclass(frozen=True)
class Partner:
    """A partner agency staff refer people to (columns of the app's referral CSV)."""

    name: str
    aliases: tuple[str, ...]
    phone: str
    website: str
    topics: tuple[str, ...]  # the app's topic keys (domain.text.TOPICS)
    languages: tuple[str, ...]


PARTNERS: Final[tuple[Partner, ...]] = (
    Partner(
        "Catholic Centre for Immigrants",
        ("CCI Ottawa", "CCI"),
        "613-232-9634",
        "cciottawa.ca",
        ("immigration", "housing", "finance"),
        ("en", "fr", "ar", "fa"),
    ),
    Partner("Ottawa Community Housing", ("OCH",), "613-555-0182", "och.example.org", ("housing",), ("en", "fr")),
    Partner(
        "LASI World Skills",
        ("World Skills",),
        "613-555-0131",
        "worldskills.example.org",
        ("employment",),
        ("en", "fr", "ar"),
    ),
    Partner(
        "YMCA-YWCA Newcomer Information Centre",
        ("Newcomer Information Centre", "NIC"),
        "613-555-0147",
        "ymcanic.example.org",
        ("immigration", "language_classes"),
        ("en", "fr", "ar", "fa", "zh"),
    ),
    Partner(
        "Ottawa Food Bank",
        ("Banque d'alimentation d'Ottawa",),
        "613-555-0152",
        "foodbank.example.org",
        ("food",),
        ("en", "fr"),
    ),
    Partner(
        "Community Legal Services of Ottawa",
        ("CLSO", "Services juridiques communautaires d'Ottawa"),
        "613-555-0163",
        "clso.example.org",
        ("legal",),
        ("en", "fr"),
    ),
    Partner(
        "Somerset West Community Health Centre",
        ("Somerset West CHC",),
        "613-555-0126",
        "swchc.example.org",
        ("health",),
        ("en", "fr", "ar", "zh"),
    ),
    Partner(
        "OCDSB Welcome Centre",
        ("Welcome Centre", "Centre d'accueil"),
        "613-555-0119",
        "welcomecentre.example.org",
        ("education",),
        ("en", "fr", "ar", "fa", "zh"),
    ),
    Partner(
        "Community Volunteer Income Tax Program",
        ("CVITP", "Tax Clinic"),
        "613-555-0138",
        "taxclinic.example.org",
        ("finance",),
        ("en", "fr"),
    ),
    Partner(
        "Ottawa Community Immigrant Services Organization",
        ("OCISO",),
        "613-555-0184",
        "ociso.example.org",
        ("employment", "family"),
        ("en", "fr", "ar", "fa", "zh"),
    ),
    Partner(
        "Immigrant Women Services Ottawa",
        ("IWSO",),
        "613-555-0195",
        "iwso.example.org",
        ("family", "legal"),
        ("en", "fr", "ar", "fa"),
    ),
)
PARTNER_BY_NAME: Final[Mapping[str, Partner]] = {p.name: p for p in PARTNERS}


@dataclass(frozen=True)
class Topic:
    """One recurring question subject: how people ask it, what staff and peers answer, who staff refer to."""

    key: str
    app_topic: str  # the topic the app's classifier (domain.text.TOPICS) files its questions under
    questions: Mapping[str, tuple[str, ...]]  # every language
    info: Mapping[str, str]  # staff's answer, every language
    peer_answers: Mapping[str, tuple[str, ...]]  # group languages
    partners: tuple[str, ...]


TOPICS: Final[tuple[Topic, ...]] = (
    Topic(
        "health_card",
        "health",
        questions={
            "ar": (
                "كيف أقدم على البطاقة الصحية OHIP؟",
                "هل يجب الانتظار ثلاثة أشهر قبل الحصول على البطاقة الصحية؟",
                "ما هي الأوراق المطلوبة لبطاقة الصحة في أونتاريو؟",
            ),
            "fa": (
                "برای گرفتن کارت سلامت OHIP چه مدارکی لازمه؟",
                "کسی می‌دونه کارت بیمه درمانی چقدر طول می‌کشه تا برسه؟",
                "تا وقتی کارت سلامت نیومده می‌تونیم دکتر بریم؟",
            ),
            "fr": (
                "Comment faire une demande de carte santé de l'Ontario ?",
                "Est-ce qu'il y a un délai d'attente pour la carte santé OHIP ?",
                "Quels papiers faut-il pour la carte santé ?",
            ),
            "en": (
                "How do I apply for an OHIP health card?",
                "Is there still a waiting period for the health card?",
                "What documents do I need for my health card appointment?",
            ),
            "zh": ("请问怎么申请安省的健康卡OHIP？", "健康卡需要等多久才能拿到？", "申请健康卡需要带哪些证件？"),
        },
        info={
            "ar": "تقديم طلب البطاقة الصحية يكون شخصياً في ServiceOntario مع ثلاث وثائق: إثبات الإقامة (PR أو تصريح "
            "العمل)، إثبات العنوان، ووثيقة تعريف بالصورة. لا توجد فترة انتظار حالياً.",
            "fa": "درخواست کارت سلامت حضوری در ServiceOntario انجام می‌شه. سه مدرک لازمه: مدرک اقامت (PR یا اجازه "
            "کار)، "
            "مدرک آدرس و یک کارت شناسایی عکس‌دار. الان دوره انتظار وجود نداره.",
            "fr": "La demande se fait en personne dans un centre ServiceOntario avec trois pièces : statut (RP ou "
            "permis "
            "de travail), preuve d'adresse et pièce d'identité avec photo. Il n'y a plus de délai de carence.",
            "en": "You apply in person at a ServiceOntario centre with three documents: proof of status (PR or work "
            "permit), proof of address and a photo ID. There is no waiting period any more.",
            "zh": "健康卡需要本人去ServiceOntario办理，带三样证件：身份证明（枫叶卡或工签）、地址证明和带照片的证件。"
            "现在没有等待期了。",
        },
        peer_answers={
            "ar": (
                "أنا قدمت الشهر الماضي في ServiceOntario بشارع رايدو ووصلتني البطاقة بعد أسبوعين",
                "خذ معك رسالة البنك كإثبات عنوان، قبلوها مني",
            ),
            "fa": (
                "من ماه پیش رفتم ServiceOntario، دو هفته بعد کارت اومد",
                "نامه بانک رو به عنوان مدرک آدرس ببرید، از من قبول کردن",
            ),
            "fr": (
                "J'y suis allé le mois passé au ServiceOntario du centre-ville, la carte est arrivée en deux semaines",
                "Apportez une lettre de la banque comme preuve d'adresse, ils l'ont acceptée pour moi",
            ),
        },
        partners=("YMCA-YWCA Newcomer Information Centre", "Somerset West Community Health Centre"),
    ),
    Topic(
        "family_doctor",
        "health",
        questions={
            "ar": (
                "كيف أجد طبيب عائلة يقبل مرضى جدد؟",
                "هل يوجد عيادة بدون موعد قريبة من وسط المدينة؟",
                "أين يمكن أن أجد طبيباً يتكلم العربية؟",
            ),
            "fa": (
                "چطور می‌تونم دکتر خانواده پیدا کنم؟",
                "کلینیک بدون نوبت نزدیک مرکز شهر کجاست؟",
                "دکتری که فارسی صحبت کنه در اتاوا سراغ دارید؟",
            ),
            "fr": (
                "Comment trouver un médecin de famille à Ottawa ?",
                "Connaissez-vous une clinique sans rendez-vous près du centre-ville ?",
                "Où trouver un médecin qui parle français ?",
            ),
            "en": (
                "How can I find a family doctor who takes new patients?",
                "Is there a walk-in clinic near downtown?",
                "Where can my kids see a doctor if we don't have one yet?",
            ),
            "zh": ("怎么找家庭医生？", "市中心附近有没有不用预约的诊所？", "有会说中文的医生吗？"),
        },
        info={
            "ar": "سجّل في برنامج Health Care Connect لتحصل على طبيب عائلة، وحتى ذلك الوقت يمكنك زيارة العيادات بدون "
            "موعد أو مركز صحي مجتمعي.",
            "fa": "در برنامه Health Care Connect ثبت‌نام کنید تا دکتر خانواده بهتون معرفی بشه؛ تا اون موقع می‌تونید به "
            "کلینیک‌های بدون نوبت یا مرکز سلامت محله برید.",
            "fr": "Il faut s'inscrire à Accès Soins (Health Care Connect) pour obtenir un médecin de famille ; en "
            "attendant, "
            "les cliniques sans rendez-vous et les centres de santé communautaires peuvent vous recevoir.",
            "en": "Register with Health Care Connect to be matched with a family doctor; until then, walk-in clinics "
            "and community health centres can see you.",
            "zh": "请在Health Care "
            "Connect登记，系统会帮您匹配家庭医生；在此之前可以去不用预约的诊所或社区健康中心看病。",
        },
        peer_answers={
            "ar": (
                "أنا سجلت في Health Care Connect وانتظرت حوالي أربعة أشهر",
                "عيادة شارع بانك بدون موعد ممتازة، روح الصبح بكير",
            ),
            "fa": (
                "من توی Health Care Connect ثبت‌نام کردم، حدود چهار ماه طول کشید",
                "کلینیک بدون نوبت خیابان بنک خوبه، صبح زود برید",
            ),
            "fr": (
                "Je me suis inscrite à Accès Soins, ça a pris environ quatre mois",
                "La clinique sans rendez-vous sur la rue Bank est bien, allez-y tôt le matin",
            ),
        },
        partners=("Somerset West Community Health Centre",),
    ),
    Topic(
        "school",
        "education",
        questions={
            "ar": (
                "كيف أسجل ابني في المدرسة؟",
                "ما هي الأوراق المطلوبة لتسجيل الأطفال في المدرسة؟",
                "هل يمكن تسجيل الأطفال في المدرسة في منتصف السنة الدراسية؟",
            ),
            "fa": (
                "چطور بچه‌ام رو در مدرسه ثبت‌نام کنم؟",
                "برای ثبت‌نام مدرسه چه مدارکی لازمه؟",
                "میشه وسط سال تحصیلی بچه‌ها رو ثبت‌نام کرد؟",
            ),
            "fr": (
                "Comment inscrire mes enfants à l'école ?",
                "Quels documents faut-il pour l'inscription scolaire ?",
                "Est-ce qu'on peut inscrire un enfant à l'école en milieu d'année ?",
            ),
            "en": (
                "How do I register my children for school?",
                "What documents does the school board ask for?",
                "Can my son start school in the middle of the year?",
            ),
            "zh": ("怎么给孩子注册上学？", "孩子入学需要准备什么材料？", "学期中间可以让孩子插班上学吗？"),
        },
        info={
            "ar": "التسجيل في المدرسة مجاني وممكن في أي وقت من السنة. توجّه إلى مركز الاستقبال التابع للمجلس المدرسي "
            "مع "
            "جوازات السفر وإثبات العنوان وسجل التطعيمات.",
            "fa": "ثبت‌نام مدرسه رایگانه و در هر زمانی از سال ممکنه. با پاسپورت‌ها، مدرک آدرس و کارت واکسن به مرکز "
            "پذیرش "
            "هیئت مدارس مراجعه کنید.",
            "fr": "L'inscription scolaire est gratuite et possible toute l'année. Il faut aller au centre d'accueil du "
            "conseil scolaire avec les passeports, une preuve d'adresse et le carnet de vaccination.",
            "en": "School registration is free and possible at any time of the year. Go to the school board's Welcome "
            "Centre with passports, proof of address and the vaccination record.",
            "zh": "入学注册免费，全年都可以办理。请带护照、地址证明和疫苗记录去教育局的新移民接待中心。",
        },
        peer_answers={
            "ar": (
                "سجلت بناتي الأسبوع الماضي في المدرسة، أعطوهم اختبار لغة وبدأوا بعد أيام",
                "لا تنسوا سجل التطعيمات، طلبوه مني بالمدرسة",
            ),
            "fa": (
                "من هفته پیش بچه‌ها رو مدرسه ثبت‌نام کردم، یه آزمون زبان دادن و چند روز بعد شروع کردن",
                "کارت واکسن رو یادتون نره، مدرسه از من خواست",
            ),
            "fr": (
                "J'ai inscrit mes filles à l'école la semaine passée, elles ont commencé quelques jours après",
                "N'oubliez pas le carnet de vaccination, l'école me l'a demandé",
            ),
        },
        partners=("OCDSB Welcome Centre",),
    ),
    Topic(
        "language_classes",
        "language_classes",
        questions={
            "ar": (
                "متى يبدأ التسجيل في دروس اللغة الإنجليزية المجانية؟",
                "هل يوجد دروس لغة مسائية أو أونلاين؟",
                "كيف أحجز موعداً لاختبار تحديد مستوى اللغة؟",
            ),
            "fa": (
                "کلاس زبان انگلیسی رایگان کی شروع میشه؟",
                "کلاس زبان شبانه یا آنلاین هم هست؟",
                "برای تعیین سطح زبان چطور وقت بگیرم؟",
            ),
            "fr": (
                "Où peut-on suivre des cours d'anglais gratuits ?",
                "Y a-t-il des cours de français le soir ou en ligne ?",
                "Comment prendre rendez-vous pour le test de langue ?",
            ),
            "en": (
                "Where can I take free English classes?",
                "Are there evening or online language classes?",
                "How do I book a language assessment for LINC classes?",
            ),
            "zh": ("哪里有免费的英语课？", "有没有晚上或者网上的语言课？", "上语言课之前怎么预约语言水平测试？"),
        },
        info={
            "ar": "دروس اللغة LINC مجانية للمقيمين الدائمين واللاجئين. أولاً احجز اختبار تحديد المستوى، وبعدها يحولونك "
            "إلى صف مناسب صباحي أو مسائي أو أونلاين.",
            "fa": "کلاس‌های زبان LINC برای مقیم دائم و پناهنده رایگانه. اول باید تعیین سطح بدید، بعد به کلاس مناسب "
            "(صبح، عصر یا آنلاین) معرفی می‌شید.",
            "fr": "Les cours de langue CLIC/LINC sont gratuits pour les résidents permanents et les réfugiés. Il faut "
            "d'abord passer le test de langue, puis on vous oriente vers un cours de jour, du soir ou en ligne.",
            "en": "LINC English classes are free for permanent residents and refugees. First book a language "
            "assessment, then you are referred to a day, evening or online class.",
            "zh": "LINC英语课对永久居民和难民免费。先预约语言水平评估，之后会安排白天、晚上或网上的语言班。",
        },
        peer_answers={
            "ar": ("أنا أدرس اللغة مسائي ثلاث مرات بالأسبوع، المعلمة ممتازة", "اختبار اللغة سهل، ساعة تقريباً، لا تقلق"),
            "fa": (
                "من شب‌ها کلاس زبان میرم، هفته‌ای سه بار، معلمش عالیه",
                "آزمون تعیین سطح زبان سخت نیست، حدود یک ساعته",
            ),
            "fr": (
                "Je suis des cours de français le soir trois fois par semaine, la prof est super",
                "Le test de langue n'est pas difficile, ça dure environ une heure",
            ),
        },
        partners=("YMCA-YWCA Newcomer Information Centre",),
    ),
    Topic(
        "bus_pass",
        "transportation",
        questions={
            "ar": (
                "كيف أحصل على اشتراك الباص المخفض EquiPass؟",
                "كم سعر اشتراك الباص الشهري في أوتاوا؟",
                "هل الأطفال يركبون الباص مجاناً؟",
            ),
            "fa": (
                "چطور میشه کارت اتوبوس ارزان EquiPass گرفت؟",
                "بلیط ماهانه اتوبوس در اتاوا چنده؟",
                "بچه‌ها اتوبوس رو مجانی سوار میشن؟",
            ),
            "fr": (
                "Comment obtenir la passe d'autobus à tarif réduit EquiPass ?",
                "Combien coûte la passe d'autobus mensuelle ?",
                "Est-ce que les enfants prennent l'autobus gratuitement ?",
            ),
            "en": (
                "How do I get the discounted EquiPass bus pass?",
                "How much is a monthly bus pass in Ottawa?",
                "Do kids ride the bus for free?",
            ),
            "zh": ("怎么申请打折的公交月票EquiPass？", "渥太华的公交月票多少钱？", "小孩坐公交车免费吗？"),
        },
        info={
            "ar": "اشتراك الباص EquiPass مخفض لأصحاب الدخل المحدود: قدّم عبر البلدية ثم اشحن بطاقة Presto. الأطفال تحت "
            "12 سنة يركبون الباص مجاناً.",
            "fa": "کارت اتوبوس EquiPass برای افراد کم‌درآمد تخفیف داره: از طریق شهرداری درخواست بدید و بعد کارت Presto "
            "رو "
            "شارژ کنید. بچه‌های زیر ۱۲ سال رایگان سوار اتوبوس می‌شن.",
            "fr": "L'EquiPass est une passe d'autobus à tarif réduit pour les ménages à faible revenu : faites la "
            "demande auprès de la Ville puis chargez votre carte Presto. Les moins de 12 ans voyagent gratuitement.",
            "en": "EquiPass is the reduced-fare bus pass for low-income households: apply through the City, then load "
            "it on your Presto card. Children under 12 ride the bus free.",
            "zh": "EquiPass是给低收入家庭的优惠公交月票：先向市政府申请，然后充值到Presto卡上。12岁以下儿童免费坐公交。"
            "",
        },
        peer_answers={
            "ar": ("أنا أخذت EquiPass، بتوفر كتير على الباص كل شهر", "بطاقة Presto للباص بتشتريها من أي Shoppers"),
            "fa": ("من EquiPass گرفتم، برای اتوبوس خیلی به‌صرفه‌ست", "کارت Presto اتوبوس رو از Shoppers هم میشه خرید"),
            "fr": (
                "J'ai l'EquiPass, ça fait une grosse différence pour l'autobus chaque mois",
                "On peut acheter la carte Presto pour l'autobus chez Shoppers",
            ),
        },
        partners=("Catholic Centre for Immigrants",),
    ),
    Topic(
        "housing",
        "housing",
        questions={
            "ar": (
                "كيف أقدم على السكن الحكومي المدعوم؟",
                "صاحب البيت رفع الإيجار كثيراً، هل هذا قانوني؟",
                "هل يوجد مساعدة لدفع إيجار الشهر الأول؟",
            ),
            "fa": (
                "چطور برای مسکن دولتی درخواست بدم؟",
                "صاحبخانه اجاره رو خیلی زیاد کرده، این قانونیه؟",
                "کسی می‌دونه برای پول اجاره ماه اول کمکی هست؟",
            ),
            "fr": (
                "Comment faire une demande de logement social ?",
                "Mon propriétaire augmente beaucoup le loyer, est-ce légal ?",
                "Y a-t-il de l'aide pour payer le premier mois de loyer ?",
            ),
            "en": (
                "How do I apply for subsidized housing?",
                "My landlord wants to raise the rent a lot, is that allowed?",
                "Is there help with the first month's rent?",
            ),
            "zh": ("怎么申请政府补贴住房？", "房东要大幅涨房租，这合法吗？", "有没有帮助支付第一个月房租的项目？"),
        },
        info={
            "ar": "للسكن المدعوم يجب التسجيل في قائمة الانتظار المركزية، والانتظار قد يكون طويلاً. زيادة الإيجار محددة "
            "بنسبة سنوية ويجب أن يبلغك صاحب البيت كتابياً قبل 90 يوماً.",
            "fa": "برای مسکن حمایتی باید در لیست انتظار مرکزی ثبت‌نام کنید؛ انتظار ممکنه طولانی باشه. افزایش اجاره سقف "
            "سالانه داره و صاحبخانه باید ۹۰ روز قبل کتبی اطلاع بده.",
            "fr": "Pour le logement subventionné, il faut s'inscrire au registre central ; l'attente peut être longue. "
            "Les hausses de loyer sont plafonnées chaque année et doivent être annoncées par écrit 90 jours avant.",
            "en": "For subsidized housing you apply to the central waiting list; the wait can be long. Rent increases "
            "are capped each year and your landlord must give 90 days' written notice.",
            "zh": "补贴住房需要在中央等候名单上登记，等待时间可能很长。房租每年的涨幅有上限，房东必须提前90天书面通知。"
            "",
        },
        peer_answers={
            "ar": (
                "أنا مسجل بقائمة انتظار السكن من سنة، لازم تجددوا الطلب كل سنة",
                "اطلب إشعار زيادة الإيجار مكتوب، بدون ورقة رسمية ما بيحق له",
            ),
            "fa": (
                "من یک ساله تو لیست انتظار مسکنم، هر سال باید تمدید کنید",
                "ازش بخواهید افزایش اجاره رو کتبی بده، بدون فرم رسمی نمی‌تونه",
            ),
            "fr": (
                "Je suis sur la liste d'attente pour un logement depuis un an, il faut la renouveler chaque année",
                "Demandez l'avis de hausse de loyer par écrit, sans le formulaire officiel il ne peut pas",
            ),
        },
        partners=("Ottawa Community Housing", "Catholic Centre for Immigrants"),
    ),
    Topic(
        "employment",
        "employment",
        questions={
            "ar": (
                "كيف أكتب سيرة ذاتية على الطريقة الكندية؟",
                "هل يوجد برنامج يساعد المهندسين القادمين الجدد في إيجاد وظيفة؟",
                "أين أجد فرص عمل لا تحتاج خبرة كندية؟",
            ),
            "fa": (
                "کسی می‌دونه رزومه کانادایی رو چطور بنویسم؟",
                "برنامه‌ای هست که به مهندس‌های تازه‌وارد برای پیدا کردن شغل کمک کنه؟",
                "کجا میشه شغل بدون سابقه کانادایی پیدا کرد؟",
            ),
            "fr": (
                "Comment rédiger un CV à la canadienne pour chercher du travail ?",
                "Existe-t-il un programme d'emploi pour les ingénieurs formés à l'étranger ?",
                "Où chercher du travail sans expérience canadienne ?",
            ),
            "en": (
                "How do I write a Canadian-style resume?",
                "Is there a program that helps foreign-trained engineers find a job?",
                "Where can I find jobs that don't need Canadian experience?",
            ),
            "zh": (
                "怎么写加拿大风格的简历？",
                "有没有帮助新移民工程师找工作的项目？",
                "哪里能找到不需要加拿大经验的工作？",
            ),
        },
        info={
            "ar": "عندنا ورشة سيرة ذاتية كل ثلاثاء، ويمكنك التسجيل في برنامج توجيه مهني مجاني يساعدك في مقابلات العمل "
            "والتواصل مع أصحاب العمل.",
            "fa": "هر سه‌شنبه کارگاه رزومه‌نویسی داریم؛ همچنین می‌تونید در برنامه رایگان مشاوره شغلی ثبت‌نام کنید که "
            "برای "
            "مصاحبه کاری و ارتباط با کارفرما کمک می‌کنه.",
            "fr": "Nous avons un atelier CV chaque mardi, et vous pouvez vous inscrire à un programme gratuit de "
            "mentorat "
            "qui prépare aux entrevues et met en contact avec des employeurs.",
            "en": "We run a resume workshop every Tuesday, and you can join a free job mentoring program that prepares "
            "you for interviews and connects you with employers.",
            "zh": "我们每周二有简历工作坊，您也可以报名参加免费的就业辅导项目，帮助准备面试并联系雇主。",
        },
        peer_answers={
            "ar": (
                "ورشة السيرة الذاتية كانت مفيدة جداً، بعدها جاتني مقابلتين عمل",
                "جرب مواقع التوظيف مثل Indeed، والمستودعات ما بتطلب خبرة كندية",
            ),
            "fa": (
                "کارگاه رزومه خیلی مفید بود، بعدش دو تا مصاحبه کاری گرفتم",
                "تو Indeed دنبال کار بگردید، انبارها معمولاً سابقه کانادایی نمی‌خوان",
            ),
            "fr": (
                "L'atelier CV m'a beaucoup aidé, j'ai eu deux entrevues d'emploi après",
                "Regardez sur Indeed, les entrepôts embauchent sans expérience canadienne",
            ),
        },
        partners=("LASI World Skills", "Ottawa Community Immigrant Services Organization"),
    ),
    Topic(
        "taxes",
        "finance",
        questions={
            "ar": (
                "هل يجب أن أقدم الضرائب حتى لو لم يكن عندي دخل؟",
                "أين يمكن تقديم الضرائب مجاناً؟",
                "متى آخر موعد لتقديم الضرائب هذه السنة؟",
            ),
            "fa": (
                "اگه درآمد نداشتم هم باید اظهارنامه مالیات بدم؟",
                "کجا میشه اظهارنامه مالیات رو رایگان انجام داد؟",
                "آخرین مهلت اظهارنامه مالیات امسال کیه؟",
            ),
            "fr": (
                "Dois-je faire ma déclaration d'impôts même sans revenu ?",
                "Où trouver une clinique d'impôts gratuite ?",
                "Quelle est la date limite pour la déclaration de revenus ?",
            ),
            "en": (
                "Do I have to file taxes if I had no income?",
                "Where is there a free tax clinic?",
                "When is the deadline to file taxes this year?",
            ),
            "zh": ("没有收入也需要报税吗？", "哪里可以免费报税？", "今年报税的截止日期是什么时候？"),
        },
        info={
            "ar": "نعم، قدّم الضرائب حتى بدون دخل لتحصل على الإعانات مثل إعانة الأطفال وخصم GST. عيادات الضرائب "
            "المجانية "
            "تعمل من فبراير إلى أبريل، أحضر ورقة الإقامة ورقم SIN وأوراق الدخل.",
            "fa": "بله، حتی بدون درآمد اظهارنامه مالیات بدید تا مزایایی مثل کمک‌هزینه فرزند و GST رو بگیرید. "
            "کلینیک‌های "
            "مالیات رایگان از فوریه تا آوریل فعالن؛ مدرک اقامت، شماره SIN و برگه‌های درآمد رو ببرید.",
            "fr": "Oui, faites votre déclaration d'impôts même sans revenu pour recevoir les prestations (allocation "
            "pour enfants, crédit TPS). Les cliniques d'impôts gratuites ont lieu de février à avril.",
            "en": "Yes, file your taxes even with no income so you get benefits like the Child Benefit and the GST "
            "credit. Free tax clinics run from February to April; bring your SIN and income slips.",
            "zh": "是的，即使没有收入也要报税，这样才能领取牛奶金和GST退税等福利。免费报税诊所每年二月到四月开放，"
            "请带SIN号码和收入单据。",
        },
        peer_answers={
            "ar": (
                "أنا قدمت الضرائب بالعيادة المجانية السنة الماضية، كانوا لطيفين جداً",
                "قدموا الضرائب بكير، قبل آخر أبريل بيصير فيه زحمة",
            ),
            "fa": (
                "من پارسال کلینیک مالیات رایگان رفتم، خیلی خوب راهنمایی کردن",
                "زودتر برای مالیات برید، نزدیک آوریل خیلی شلوغ میشه",
            ),
            "fr": (
                "J'ai fait ma déclaration d'impôts à la clinique gratuite l'an passé, ils sont très gentils",
                "Allez-y tôt pour les impôts, en avril il y a beaucoup de monde",
            ),
        },
        partners=("Community Volunteer Income Tax Program", "Catholic Centre for Immigrants"),
    ),
    Topic(
        "food_bank",
        "food",
        questions={
            "ar": (
                "أين يوجد بنك الطعام الأقرب لمنطقة فانير؟",
                "هل بنك الطعام يقدم طعاماً حلالاً؟",
                "كم مرة في الشهر يمكن الذهاب إلى بنك الطعام؟",
            ),
            "fa": (
                "بانک غذا نزدیک منطقه ونیر کجاست؟",
                "بانک غذا غذای حلال هم داره؟",
                "ماهی چند بار میشه به بانک غذا رفت؟",
            ),
            "fr": (
                "Où se trouve la banque alimentaire la plus proche de Vanier ?",
                "Est-ce que la banque alimentaire a de la nourriture halal ?",
                "Combien de fois par mois peut-on aller à la banque alimentaire ?",
            ),
            "en": (
                "Where is the closest food bank to Vanier?",
                "Does the food bank have halal food?",
                "How often can we go to the food bank each month?",
            ),
            "zh": ("Vanier附近哪里有食物银行？", "食物银行有清真食品吗？", "每个月可以去几次食物银行？"),
        },
        info={
            "ar": "بنوك الطعام تخدم حسب المنطقة: اتصل بالرقم 211 ليعطوك أقرب بنك طعام لعنوانك. معظمها يقدم خيارات "
            "حلال، "
            "والزيارة عادةً مرة في الشهر.",
            "fa": "بانک‌های غذا بر اساس محل سکونت هستن: با ۲۱۱ تماس بگیرید تا نزدیک‌ترین بانک غذا به آدرستون رو بگن. "
            "بیشترشون غذای حلال دارن و معمولاً ماهی یک بار میشه رفت.",
            "fr": "Chaque banque alimentaire dessert un secteur : composez le 211 pour connaître celle de votre "
            "adresse. "
            "La plupart offrent des aliments halal, en général une visite par mois.",
            "en": "Each food bank serves an area: call 211 to find the one for your address. Most have halal food, "
            "usually one visit a month.",
            "zh": "食物银行按居住区域服务：拨打211可以查到离您地址最近的一家。大多数有清真食品，一般每月可以去一次。",
        },
        peer_answers={
            "ar": (
                "بنك الطعام في شارع مونتريال فيه حلال، رحت الأسبوع الماضي",
                "خذ معك إثبات عنوان لبنك الطعام وبطاقات الأولاد",
            ),
            "fa": (
                "بانک غذای خیابان مونترال غذای حلال داره، هفته پیش رفتم",
                "برای بانک غذا مدرک آدرس و کارت بچه‌ها رو ببرید",
            ),
            "fr": (
                "La banque alimentaire du chemin de Montréal a du halal, j'y suis allée la semaine dernière",
                "Apportez une preuve d'adresse à la banque alimentaire",
            ),
        },
        partners=("Ottawa Food Bank",),
    ),
    Topic(
        "legal_aid",
        "legal",
        questions={
            "ar": (
                "هل يوجد محامي مجاني لقضايا اللجوء؟ أحتاج مساعدة قانونية",
                "كيف أحصل على مساعدة قانونية مجانية من Legal Aid؟",
                "أحتاج محامي ومساعدة قانونية بخصوص لم شمل العائلة، إلى أين أذهب؟",
            ),
            "fa": (
                "وکیل رایگان برای کمک حقوقی در پرونده پناهندگی هست؟",
                "چطور میشه از Legal Aid کمک حقوقی گرفت؟",
                "برای پرونده خانواده‌ام به وکیل و کمک حقوقی نیاز دارم، کجا باید برم؟",
            ),
            "fr": (
                "Est-ce qu'il y a des avocats gratuits ou de l'aide juridique pour les demandes d'asile ?",
                "Comment obtenir un certificat d'aide juridique ?",
                "J'ai besoin d'un avocat ou d'aide juridique pour la réunification familiale, où aller ?",
            ),
            "en": (
                "Is there a free lawyer or legal aid for refugee claims?",
                "How do I get a Legal Aid certificate?",
                "Where can I get a lawyer or legal help with family sponsorship?",
            ),
            "zh": (
                "有没有免费的律师或者法律援助可以帮忙办难民申请？",
                "怎么申请法律援助证书？",
                "办家庭团聚需要律师和法律援助，应该去哪里？",
            ),
        },
        info={
            "ar": "إذا كان دخلك محدوداً يمكنك طلب شهادة مساعدة قانونية من Legal Aid Ontario، وتغطي قضايا اللجوء. "
            "لقضايا "
            "لم الشمل توجد عيادات قانونية مجتمعية مجانية.",
            "fa": "اگر درآمدتون کمه، می‌تونید از Legal Aid Ontario گواهی کمک حقوقی بگیرید که پرونده‌های پناهندگی رو "
            "پوشش "
            "می‌ده. برای اسپانسرشیپ خانواده کلینیک‌های حقوقی محلی رایگان هستن.",
            "fr": "Avec un revenu modeste, vous pouvez demander un certificat d'Aide juridique Ontario, qui couvre les "
            "demandes d'asile. Pour la réunification familiale, les cliniques juridiques communautaires sont "
            "gratuites.",
            "en": "With a low income you can ask Legal Aid Ontario for a certificate, which covers refugee claims. For "
            "family sponsorship, the community legal clinics are free.",
            "zh": "如果收入较低，可以向安省法律援助申请证书，难民申请在覆盖范围内。"
            "家庭团聚担保可以去免费的社区法律诊所咨询。",
        },
        peer_answers={
            "ar": (
                "أنا أخذت شهادة Legal Aid خلال أسبوع، والمحامي ممتاز",
                "لا تدفع لأي شخص على فيسبوك بيقول إنه مستشار هجرة، روح على العيادة القانونية",
            ),
            "fa": (
                "من توی یک هفته گواهی Legal Aid گرفتم، وکیلم عالیه",
                "به کسی که تو اینستاگرام میگه مشاور مهاجرته پول ندید، برید کلینیک حقوقی",
            ),
            "fr": (
                "J'ai eu mon certificat d'aide juridique en une semaine, mon avocate est très bien",
                "Ne payez pas les consultants sur Facebook, allez à la clinique juridique",
            ),
        },
        partners=("Community Legal Services of Ottawa", "Immigrant Women Services Ottawa"),
    ),
    Topic(
        "drivers_licence",
        "transportation",
        questions={
            "ar": (
                "هل أستطيع تبديل رخصة قيادة من بلدي برخصة أونتاريو؟",
                "كيف أحجز امتحان G1 للحصول على رخصة قيادة؟",
                "هل امتحان رخصة قيادة السيارة النظري متوفر بالعربي؟",
            ),
            "fa": (
                "میشه گواهینامه رانندگی ایران رو با گواهینامه انتاریو عوض کرد؟",
                "برای آزمون G1 گواهینامه چطور وقت بگیرم؟",
                "آزمون تئوری رانندگی به فارسی هم هست؟",
            ),
            "fr": (
                "Puis-je échanger mon permis de conduire étranger contre un permis de l'Ontario ?",
                "Comment réserver l'examen G1 du permis de conduire ?",
                "L'examen théorique du permis de conduire existe-t-il en français ?",
            ),
            "en": (
                "Can I exchange my foreign driver's licence for an Ontario one?",
                "How do I book the G1 driving test?",
                "Is the written driving test available in other languages?",
            ),
            "zh": ("国内的驾照可以换成安省驾照吗？", "怎么预约G1驾照笔试？", "驾照笔试有中文版吗？"),
        },
        info={
            "ar": "اذهب إلى DriveTest مع رخصة القيادة الأصلية وترجمة معتمدة ورسالة تثبت خبرتك، فقد تُعفى من بعض "
            "المراحل. "
            "امتحان G1 يُحجز أونلاين ومتوفر بعدة لغات منها العربية.",
            "fa": "با گواهینامه رانندگی اصلی، ترجمه رسمی و نامه سابقه رانندگی به DriveTest برید؛ ممکنه از بعضی مراحل "
            "معاف "
            "بشید. آزمون G1 آنلاین رزرو می‌شه و به فارسی هم برگزار می‌شه.",
            "fr": "Il faut aller à DriveTest avec votre permis de conduire original, une traduction certifiée et une "
            "lettre attestant votre expérience. L'examen G1 se réserve en ligne et existe en français.",
            "en": "Go to DriveTest with your original driver's licence, a certified translation and a letter "
            "confirming "
            "your driving experience; you may skip some stages. The G1 test is booked online.",
            "zh": "请带驾照原件、认证翻译件和驾龄证明信去DriveTest，可能可以免去部分阶段。G1笔试可以在网上预约，"
            "有中文版本。",
        },
        peer_answers={
            "ar": (
                "أنا بدلت رخصة القيادة السورية، جبت ورقة تثبت خبرتي وأخذت G2 مباشرة",
                "امتحان G1 للرخصة موجود بالعربي، ادرس من الكتيب الرسمي",
            ),
            "fa": (
                "من گواهینامه رانندگیم رو با ترجمه رسمی بردم، مستقیم G2 گرفتم",
                "آزمون G1 رانندگی فارسی داره، کتابچه رسمی رو بخونید",
            ),
            "fr": (
                "J'ai échangé mon permis de conduire camerounais, avec la lettre de l'ambassade j'ai eu le G2",
                "Le G1 du permis de conduire est en français, étudiez le guide officiel",
            ),
        },
        partners=("YMCA-YWCA Newcomer Information Centre",),
    ),
    Topic(
        "child_benefit",
        "family",
        questions={
            "ar": (
                "كيف أقدم على إعانة الأطفال الكندية CCB؟",
                "متى تنزل دفعة إعانة الأطفال كل شهر؟",
                "هل يحق للعائلة إعانة الأطفال خلال طلب اللجوء؟",
            ),
            "fa": (
                "چطور برای کمک هزینه فرزند CCB درخواست بدم؟",
                "کمک هزینه فرزند هر ماه چه روزی واریز میشه؟",
                "پناهجوها هم کمک هزینه فرزند می‌گیرن؟",
            ),
            "fr": (
                "Comment demander l'Allocation canadienne pour enfants ?",
                "Quand est versée l'allocation canadienne pour enfants chaque mois ?",
                "Les familles qui demandent l'asile ont-elles droit aux allocations familiales ?",
            ),
            "en": (
                "How do I apply for the Canada Child Benefit?",
                "When is the Child Benefit paid each month?",
                "Can refugee claimant families get the Child Benefit for their baby?",
            ),
            "zh": ("怎么申请加拿大儿童福利金（牛奶金）？", "牛奶金每个月几号发？", "难民家庭的孩子可以领牛奶金吗？"),
        },
        info={
            "ar": "قدّم على إعانة الأطفال CCB لدى وكالة الضرائب CRA بنموذج RC66 مع إثبات الإقامة. الدفعات تنزل حوالي "
            "يوم "
            "20 من كل شهر.",
            "fa": "برای کمک هزینه فرزند CCB فرم RC66 رو همراه مدرک اقامت برای CRA بفرستید. پرداخت‌ها معمولاً حدود "
            "بیستم هر "
            "ماه واریز می‌شه.",
            "fr": "Faites la demande d'allocation pour enfants auprès de l'ARC avec le formulaire RC66 et votre preuve "
            "de statut. Les versements arrivent vers le 20 de chaque mois.",
            "en": "Apply for the Child Benefit with the CRA using form RC66 and your proof of status. Payments arrive "
            "around the 20th of each month.",
            "zh": "请用RC66表格连同身份证明向加拿大税务局申请牛奶金。每月大约20号左右发放。",
        },
        peer_answers={
            "ar": (
                "أنا أرسلت طلب إعانة الأطفال بالبريد وأخذ تقريباً شهرين",
                "فعّلوا الإيداع المباشر بالبنك، إعانة الأطفال بتوصل أسرع",
            ),
            "fa": (
                "من فرم کمک هزینه فرزند رو پستی فرستادم، حدود دو ماه طول کشید",
                "واریز مستقیم رو فعال کنید، کمک هزینه فرزند زودتر میاد",
            ),
            "fr": (
                "J'ai envoyé la demande d'allocation pour enfants par la poste, ça a pris environ deux mois",
                "Activez le dépôt direct, l'allocation pour enfants arrive plus vite",
            ),
        },
        partners=("Catholic Centre for Immigrants", "Immigrant Women Services Ottawa"),
    ),
)

#: Openers put in front of a question ("" = none). Latin-script questions are lower-cased after one.
QUESTION_OPENERS: Final[Mapping[str, tuple[str, ...]]] = {
    "ar": ("", "", "السلام عليكم، ", "مرحبا، ", "أهلاً، ", "لو سمحتم، ", "يا جماعة "),
    "fa": ("", "", "سلام، ", "سلام وقت بخیر، ", "ببخشید، ", "دوستان "),
    "fr": ("", "", "Bonjour, ", "Bonjour à tous, ", "Salut, ", "Bonjour tout le monde, "),
    "en": ("", "", "Hello, ", "Hi, ", "Hello everyone, ", "Hi everyone, "),
    "zh": ("", "", "你好，", "您好，", "大家好，"),
}
QUESTION_CLOSERS: Final[Mapping[str, tuple[str, ...]]] = {
    "ar": ("", "", "", " شكراً مقدماً", " جزاكم الله خيراً 🙏"),
    "fa": ("", "", "", " ممنون میشم راهنمایی کنید", " مرسی 🙏"),
    "fr": ("", "", "", " Merci d'avance.", " Merci beaucoup 🙏"),
    "en": ("", "", "", " Thanks in advance.", " Thank you!"),
    "zh": ("", "", "", " 谢谢！", " 多谢🙏"),
}
#: A private conversation sometimes starts with a bare greeting before the question.
GREETINGS: Final[Mapping[str, tuple[str, ...]]] = {
    "ar": ("السلام عليكم", "مرحبا", "أهلاً وسهلاً"),
    "fa": ("سلام خسته نباشید", "سلام وقت بخیر", "درود"),
    "fr": ("Bonjour", "Bonjour madame", "Bonjour monsieur"),
    "en": ("Hello", "Hi there", "Hi"),
    "zh": ("你好", "您好"),
}
THANKS: Final[Mapping[str, tuple[str, ...]]] = {
    "ar": (
        "شكراً جزيلاً 🌷",
        "الله يعطيكم العافية",
        "شكراً كتير، وصلت المعلومة",
        "جزاكم الله خيراً",
        "ممتاز، شكراً على المساعدة 🙏",
    ),
    "fa": ("خیلی ممنون 🙏", "مرسی از راهنماییتون", "دستتون درد نکنه", "سپاس فراوان", "ممنونم، خیلی کمک کرد"),
    "fr": (
        "Merci beaucoup !",
        "Merci pour l'info 🙏",
        "Super, merci infiniment",
        "Merci, c'est très gentil",
        "Parfait, merci !",
    ),
    "en": (
        "Thank you so much!",
        "Thanks, that helps a lot 🙏",
        "Great, thank you",
        "Perfect, thanks!",
        "Much appreciated",
    ),
    "zh": ("非常感谢！", "谢谢您的帮助🙏", "太好了，谢谢", "明白了，谢谢！", "多谢！"),
}
#: Follow-up questions after a staff answer, and staff's answer to each (same index).
FOLLOW_UPS: Final[Mapping[str, tuple[str, ...]]] = {
    "ar": (
        "وهل الخدمة مجانية؟",
        "وكم يستغرق ذلك تقريباً؟",
        "هل أحتاج إلى موعد مسبق؟",
        "وهل يوجد مترجم عربي هناك؟",
        "ما هي الأوراق التي يجب أن أحضرها؟",
    ),
    "fa": (
        "هزینه داره؟",
        "چقدر طول می‌کشه؟",
        "باید از قبل وقت بگیرم؟",
        "اونجا مترجم فارسی دارن؟",
        "چه مدارکی باید ببرم؟",
    ),
    "fr": (
        "Est-ce que c'est gratuit ?",
        "Combien de temps ça prend ?",
        "Faut-il prendre rendez-vous ?",
        "Y a-t-il un interprète sur place ?",
        "Quels documents dois-je apporter ?",
    ),
    "en": (
        "Is it free?",
        "How long does it take?",
        "Do I need an appointment?",
        "Is there an interpreter there?",
        "Which documents should I bring?",
    ),
    "zh": ("这个是免费的吗？", "大概需要多长时间？", "需要提前预约吗？", "那里有中文翻译吗？", "需要带哪些证件？"),
}
FOLLOW_UP_ANSWERS: Final[Mapping[str, tuple[str, ...]]] = {
    "ar": (
        "نعم، الخدمة مجانية بالكامل.",
        "عادةً من أسبوعين إلى أربعة أسابيع.",
        "نعم، الأفضل حجز موعد مسبق عبر الهاتف.",
        "نعم، يمكن طلب مترجم عند حجز الموعد.",
        "أحضر بطاقة الإقامة وإثبات العنوان وأي رسالة وصلتك بخصوص الطلب.",
    ),
    "fa": (
        "بله، کاملاً رایگانه.",
        "معمولاً دو تا چهار هفته.",
        "بله، بهتره از قبل تلفنی وقت بگیرید.",
        "بله، موقع گرفتن وقت می‌تونید مترجم درخواست کنید.",
        "کارت اقامت، مدرک آدرس و نامه‌های مربوط به درخواستتون رو بیارید.",
    ),
    "fr": (
        "Oui, c'est entièrement gratuit.",
        "En général de deux à quatre semaines.",
        "Oui, il vaut mieux prendre rendez-vous par téléphone.",
        "Oui, vous pouvez demander un interprète en prenant rendez-vous.",
        "Apportez votre preuve de statut, une preuve d'adresse et les lettres reçues au sujet de la demande.",
    ),
    "en": (
        "Yes, it's completely free.",
        "Usually two to four weeks.",
        "Yes, it's best to book an appointment by phone.",
        "Yes, you can ask for an interpreter when you book.",
        "Bring your proof of status, proof of address and any letters about the application.",
    ),
    "zh": (
        "是的，完全免费。",
        "一般需要两到四周。",
        "是的，最好提前打电话预约。",
        "可以，预约时可以申请翻译。",
        "请带身份证明、地址证明以及与申请相关的信件。",
    ),
}
#: Staff's answer to a voice note: they listened and will call back.
VOICE_ANSWERS: Final[Mapping[str, str]] = {
    "ar": "استمعنا إلى رسالتك الصوتية، سنتصل بك اليوم لنساعدك بالتفصيل.",
    "fa": "پیام صوتی‌تون رو گوش دادیم، امروز باهاتون تماس می‌گیریم تا دقیق راهنمایی کنیم.",
    "fr": "Nous avons écouté votre message vocal, nous vous appelons aujourd'hui pour vous aider.",
    "en": "We listened to your voice message and will call you today to help.",
    "zh": "我们已经听了您的语音留言，今天会给您回电话详细说明。",
}
#: A member's caption to a photo of an official letter they do not understand.
LETTER_QUESTIONS: Final[Mapping[str, tuple[str, ...]]] = {
    "ar": ("وصلتني هذه الرسالة، ماذا يطلبون مني؟", "هل يمكنكم مساعدتي في فهم هذه الرسالة؟"),
    "fa": ("این نامه برام اومده، ازم چی می‌خوان؟", "میشه کمکم کنید این نامه رو بفهمم؟"),
    "fr": ("J'ai reçu cette lettre, qu'est-ce qu'on me demande ?", "Pouvez-vous m'aider à comprendre cette lettre ?"),
    "en": ("I got this letter, what do they want me to do?", "Can you help me understand this letter?"),
    "zh": ("我收到了这封信，他们要我做什么？", "能帮我看看这封信是什么意思吗？"),
}
#: Staff's answer to a photo of a letter: what it is and what to do.
LETTER_ANSWERS: Final[Mapping[str, str]] = {
    "ar": ("هذه رسالة من مصلحة الضرائب تطلب إقرارك الضريبي. يمكنك حضور عيادة الضرائب المجانية، وسنرسل لك الموعد."),
    "fa": (
        "این نامه از ادارهٔ مالیات است و اظهارنامهٔ مالیاتی‌تان را می‌خواهد. "
        "می‌توانید به کلینیک مالیاتی رایگان بیایید؛ وقتش را براتون می‌فرستیم."
    ),
    "fr": (
        "C'est une lettre de l'agence du revenu qui demande votre déclaration d'impôts. "
        "La clinique d'impôts gratuite peut vous aider ; nous vous envoyons l'horaire."
    ),
    "en": (
        "This is a letter from the revenue agency asking for your tax return. "
        "The free tax clinic can help you file it; we will send you the times."
    ),
    "zh": "这是税务局的来信，要求您提交报税表。免费报税诊所可以帮您填写，我们会把时间发给您。",
}
#: Group small talk at any time: welcomes, thanks to everyone, news. None of it asks anything.
CHATTER: Final[Mapping[str, tuple[str, ...]]] = {
    "ar": (
        "أهلاً وسهلاً بالأعضاء الجدد 🌹",
        "الله يوفق الجميع",
        "المكتبة العامة فيها نشاطات مجانية للأطفال هذا الأسبوع",
        "شكراً لكل من ساعدني الأسبوع الماضي",
        "المجموعة مفيدة جداً، شكراً للقائمين عليها",
        "أنصح الجميع بحضور ورشة السكن، كانت مفيدة",
        "الحمد لله لقيت شغل، شكراً للجميع على النصائح 🙏",
    ),
    "fa": (
        "به دوستان جدید خوش‌آمد می‌گم",
        "ممنون از همه که کمک کردید",
        "کتابخانه عمومی این هفته برنامه رایگان برای بچه‌ها داره",
        "کارگاه دیروز عالی بود، ممنون از برگزارکننده‌ها",
        "این گروه واقعاً کمک بزرگیه",
        "بالاخره خونه پیدا کردیم، ممنون از راهنمایی‌هاتون 🙏",
    ),
    "fr": (
        "Bienvenue aux nouveaux membres !",
        "Merci à tous pour vos conseils",
        "La bibliothèque publique a des activités gratuites pour les enfants cette semaine",
        "L'atelier d'hier était vraiment utile",
        "Ce groupe m'aide beaucoup, merci",
        "J'ai enfin trouvé un appartement, merci pour les conseils 🙏",
    ),
}
#: Small talk that belongs to a time: mornings (before noon), evenings (from 18:00), Friday afternoons.
TIMED_CHATTER: Final[Mapping[str, Mapping[str, tuple[str, ...]]]] = {
    "morning": {
        "ar": ("صباح الخير للجميع ☀️", "صباح الخير يا جماعة"),
        "fa": ("صبح همگی بخیر 🌸", "روز خوبی داشته باشید"),
        "fr": ("Bonjour à tous ☀️", "Bonne journée tout le monde"),
    },
    "evening": {
        "ar": ("مساء الخير يا جماعة", "تصبحون على خير"),
        "fa": ("شب همگی بخیر", "عصرتون بخیر دوستان"),
        "fr": ("Bonsoir la famille", "Bonne soirée à tous"),
    },
    "friday": {
        "ar": ("جمعة مباركة",),
        "fa": ("جمعه خوبی داشته باشید",),
        "fr": ("Bonne fin de semaine à tous",),
    },
}


def chatter_at(lang: str, hour: int, weekday: int) -> tuple[str, ...]:
    """The small talk that fits a local hour and weekday (Monday = 0)."""
    texts = CHATTER[lang]
    if 5 <= hour < 12:
        texts += TIMED_CHATTER["morning"][lang]
    if hour >= 18 or hour < 2:
        texts += TIMED_CHATTER["evening"][lang]
    if weekday == 4 and hour >= 12:
        texts += TIMED_CHATTER["friday"][lang]
    return texts


def all_chatter(lang: str) -> tuple[str, ...]:
    return CHATTER[lang] + tuple(text for timed in TIMED_CHATTER.values() for text in timed[lang])


#: How the volunteer moderator opens an answer (not quite staff: "as far as I know").
VOLUNTEER_OPENERS: Final[Mapping[str, tuple[str, ...]]] = {
    "ar": ("حسب معلوماتي، ", "على حد علمي، "),
    "fa": ("تا جایی که می‌دونم، ", "طبق اطلاعات من، "),
    "fr": ("À ma connaissance, ", "Si je me souviens bien, "),
}


#: Staff posts in a group (not replies); {day} is a weekday a few days on, {org} the organization's name.
GROUP_POSTS: Final[Mapping[str, tuple[str, ...]]] = {
    "ar": (
        "📢 ورشة مجانية عن حقوق المستأجرين يوم {day} الساعة 2 ظهراً في مكتب {org}. التسجيل عبر الرسائل الخاصة.",
        "⚠️ تنبيه: المكتب مغلق يوم {day}. نرد على رسائلكم في يوم العمل التالي.",
        "📌 تذكير بقواعد المجموعة: الاحترام المتبادل، لا إعلانات تجارية، ولا ترسلوا وثائقكم الشخصية هنا.",
        "🎓 دروس اللغة الإنجليزية LINC الجديدة تبدأ يوم {day}. احجزوا اختبار تحديد المستوى الآن.",
        "💼 معرض وظائف للقادمين الجدد يوم {day} من 10 صباحاً حتى 3 عصراً. أحضروا نسخاً من السيرة الذاتية.",
        "🧾 عيادة ضرائب مجانية كل أربعاء في مكتب {org}. أحضروا رقم SIN وأوراق الإقامة والدخل.",
        "🧥 توزيع معاطف وأحذية شتوية مجانية للعائلات يوم {day} في مكتب {org}.",
    ),
    "fa": (
        "📢 کارگاه رایگان حقوق مستأجران، {day} ساعت ۲ بعدازظهر در دفتر {org}. برای ثبت‌نام پیام خصوصی بدید.",
        "⚠️ توجه: دفتر {day} بسته است. در اولین روز کاری جواب پیام‌ها رو می‌دیم.",
        "📌 یادآوری قوانین گروه: احترام متقابل، بدون تبلیغات، مدارک شخصی رو در گروه نفرستید.",
        "🎓 کلاس‌های جدید زبان LINC از {day} شروع می‌شه. همین حالا برای تعیین سطح وقت بگیرید.",
        "💼 نمایشگاه کار برای تازه‌واردان، {day} از ساعت ۱۰ تا ۳. چند نسخه رزومه همراه داشته باشید.",
        "🧾 کلینیک مالیات رایگان هر چهارشنبه در دفتر {org}. شماره SIN و برگه‌های درآمد رو بیارید.",
        "🧥 توزیع رایگان کاپشن و بوت زمستانی برای خانواده‌ها، {day} در دفتر {org}.",
    ),
    "fr": (
        "📢 Atelier gratuit sur les droits des locataires {day} à 14 h, au bureau de {org}. Inscription en privé.",
        "⚠️ Avis : le bureau sera fermé {day}. Nous répondrons à vos messages le jour ouvrable suivant.",
        "📌 Rappel des règles du groupe : respect mutuel, pas de publicité, aucun document personnel ici.",
        "🎓 Les nouveaux cours de langue CLIC commencent {day}. Réservez votre test de niveau dès maintenant.",
        "💼 Salon de l'emploi pour nouveaux arrivants {day}, de 10 h à 15 h. Apportez des copies de votre CV.",
        "🧾 Clinique d'impôts gratuite tous les mercredis au bureau de {org}. Apportez votre NAS et vos feuillets.",
        "🧥 Distribution gratuite de manteaux et de bottes d'hiver pour les familles {day}, au bureau de {org}.",
    ),
}
#: Channel posts, English then French; {day_en}/{day_fr} name a date a few days after the post.
CHANNEL_POSTS: Final[tuple[str, ...]] = (
    "📅 Workshop: Renting your first apartment in Ottawa — {day_en} at 2 pm. Free, interpreters available.\n"
    "📅 Atelier : Louer son premier appartement à Ottawa — {day_fr} à 14 h. Gratuit, interprètes disponibles.",
    "💼 Newcomer Job Fair — {day_en}, 10 am to 3 pm at the Shenkman Arts Centre. Bring copies of your resume.\n"
    "💼 Salon de l'emploi pour nouveaux arrivants — {day_fr}, de 10 h à 15 h au Centre des arts Shenkman. "
    "Apportez des copies de votre CV.",
    "🩺 Clinic hours for newcomers without a health card: Tuesdays and Thursdays, 9 am to noon, at Somerset West "
    "Community Health Centre.\n🩺 Heures de clinique pour les nouveaux arrivants sans carte santé : mardi et jeudi, "
    "de 9 h à midi, au Centre de santé communautaire Somerset Ouest.",
    "🧾 Free tax clinic every Wednesday until April 30. Bring your SIN, status documents and income slips.\n"
    "🧾 Clinique d'impôts gratuite tous les mercredis jusqu'au 30 avril. Apportez votre NAS, vos documents de statut "
    "et vos feuillets.",
    "⚠️ Our office is closed {day_en} because of the snowstorm warning. Appointments will be rescheduled.\n"
    "⚠️ Notre bureau sera fermé {day_fr} en raison de l'avertissement de tempête. Les rendez-vous seront reportés.",
    "🎓 New LINC English classes start {day_en}. Book your language assessment with the YMCA-YWCA Newcomer "
    "Information Centre.\n🎓 De nouveaux cours d'anglais CLIC commencent {day_fr}. Réservez votre évaluation "
    "linguistique au Centre d'information pour les nouveaux arrivants du YMCA-YWCA.",
    "🧥 Free winter coats and boots for families, {day_en} from 1 pm to 4 pm at our office.\n"
    "🧥 Manteaux et bottes d'hiver gratuits pour les familles, {day_fr} de 13 h à 16 h à notre bureau.",
    "🚗 Info session: getting your Ontario driver's licence — {day_en} at 6 pm, online.\n"
    "🚗 Séance d'information : obtenir son permis de conduire en Ontario — {day_fr} à 18 h, en ligne.",
    "📢 We're hiring: part-time settlement assistant (Arabic or Farsi). Apply before {day_en}.\n"
    "📢 Offre d'emploi : adjoint(e) à l'établissement à temps partiel (arabe ou farsi). Postulez avant {day_fr}.",
    "📌 Reminder of our community guidelines: be respectful, no advertising, no personal documents in the groups.\n"
    "📌 Rappel des règles de la communauté : respect, pas de publicité, aucun document personnel dans les groupes.",
    "👶 Prenatal and parenting group for newcomer mothers with Immigrant Women Services Ottawa, {day_en} at 10 am.\n"
    "👶 Groupe prénatal et parentalité pour les mères nouvellement arrivées avec Immigrant Women Services Ottawa, "
    "{day_fr} à 10 h.",
    "🥫 Food hampers: register by {day_en} at the front desk or by phone at 613-232-9634.\n"
    "🥫 Paniers alimentaires : inscrivez-vous avant {day_fr} à l'accueil ou au 613-232-9634.",
    "🇨🇦 Citizenship test preparation class — {day_en} at 5:30 pm, with LASI World Skills.\n"
    "🇨🇦 Cours de préparation à l'examen de citoyenneté — {day_fr} à 17 h 30, avec LASI World Skills.",
)
#: How staff open an answer ({name}: the asker's first name), and how they refer.
STAFF_OPENERS: Final[Mapping[str, tuple[str, ...]]] = {
    "ar": ("أهلاً {name}، ", "شكراً لسؤالك. ", "مرحباً {name}، ", ""),
    "fa": ("سلام {name} عزیز، ", "ممنون از سؤالتون. ", "سلام، ", ""),
    "fr": ("Bonjour {name}, ", "Merci pour votre question. ", "Bonjour, ", ""),
    "en": ("Hi {name}, ", "Thanks for asking. ", "Hello {name}, ", ""),
    "zh": ("{name}您好，", "谢谢您的提问。", "您好，", ""),
}
REFERRALS: Final[Mapping[str, tuple[str, ...]]] = {
    "ar": ("يمكنك التواصل مع {org} على الرقم {phone}.", "ننصحك بمراجعة {org} ({phone})."),
    "fa": ("می‌تونید با {org} به شماره {phone} تماس بگیرید.", "پیشنهاد می‌کنیم به {org} مراجعه کنید ({phone})."),
    "fr": ("Vous pouvez contacter {org} au {phone}.", "Adressez-vous à {org} ({phone})."),
    "en": ("You can contact {org} at {phone}.", "{org} can help with this: {phone}."),
    "zh": ("您可以联系 {org}，电话 {phone}。", "建议您联系 {org}（{phone}）。"),
}
STAFF_CLOSERS: Final[Mapping[str, str]] = {
    "ar": " إذا احتجت مساعدة إضافية راسلنا على الخاص.",
    "fa": " اگر سؤال دیگه‌ای داشتید در پیام خصوصی بنویسید.",
    "fr": " N'hésitez pas à nous écrire en privé.",
    "en": " Feel free to message us privately.",
    "zh": " 如有其他问题，欢迎私信我们。",
}
SPAM: Final[tuple[str, ...]] = (
    "💰 Earn $500 a day from home! Message me now for details",
    "🔥 Crypto investment with 300% profit guaranteed, DM me",
    "Cheap work permits and job offers in Canada, contact me in private",
)
WEEKDAYS: Final[Mapping[str, tuple[str, ...]]] = {
    "ar": ("الاثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت", "الأحد"),
    "fa": ("دوشنبه", "سه‌شنبه", "چهارشنبه", "پنجشنبه", "جمعه", "شنبه", "یکشنبه"),
    "fr": ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"),
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
}
MONTHS: Final[Mapping[str, tuple[str, ...]]] = {
    "fr": (
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ),
    "en": (
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ),
}

# Names as (written in the community's script, Latin spelling); a person shows one or the other.
NamePair = tuple[str, str]
FIRST_NAMES: Final[Mapping[str, tuple[NamePair, ...]]] = {
    "ar": (("أحمد", "Ahmad"), ("محمد", "Mohammad"), ("محمود", "Mahmoud"), ("عمر", "Omar"), ("يوسف", "Youssef"),
           ("خالد", "Khaled"), ("سامر", "Samer"), ("رامي", "Rami"), ("بلال", "Bilal"), ("حسن", "Hassan"),
           ("علي", "Ali"), ("إبراهيم", "Ibrahim"), ("مصطفى", "Mustafa"), ("طارق", "Tarek"), ("وليد", "Walid"),
           ("ماهر", "Maher"), ("فادي", "Fadi"), ("عبدالله", "Abdullah"), ("حمزة", "Hamza"), ("أنس", "Anas"),
           ("فاطمة", "Fatima"), ("مريم", "Mariam"), ("ليلى", "Layla"), ("نور", "Nour"), ("رنا", "Rana"),
           ("هبة", "Hiba"), ("سلمى", "Salma"), ("زينب", "Zainab"), ("آمنة", "Amna"), ("رهف", "Rahaf"),
           ("دعاء", "Doaa"), ("سارة", "Sara"), ("هدى", "Huda"), ("أمل", "Amal"), ("رغد", "Raghad"),
           ("ياسمين", "Yasmin"), ("لمى", "Lama"), ("منى", "Mona"), ("سعاد", "Souad"), ("جنى", "Jana")),
    "fa": (("علی", "Ali"), ("محمد", "Mohammad"), ("رضا", "Reza"), ("حسین", "Hossein"), ("مهدی", "Mehdi"),
           ("امیر", "Amir"), ("سعید", "Saeed"), ("حمید", "Hamid"), ("مجید", "Majid"), ("احمد", "Ahmad"),
           ("فرهاد", "Farhad"), ("بهروز", "Behrouz"), ("کامران", "Kamran"), ("نوید", "Navid"), ("پویا", "Pouya"),
           ("مسعود", "Massoud"), ("جواد", "Javad"), ("حبیب", "Habib"), ("شبنم", "Shabnam"), ("مریم", "Maryam"),
           ("زهرا", "Zahra"), ("فاطمه", "Fatemeh"), ("نرگس", "Narges"), ("سمیرا", "Samira"), ("لیلا", "Leila"),
           ("پریسا", "Parisa"), ("نازنین", "Nazanin"), ("الهام", "Elham"), ("مینا", "Mina"), ("شیرین", "Shirin"),
           ("فرشته", "Fereshteh"), ("آزاده", "Azadeh"), ("رویا", "Roya"), ("ژیلا", "Zhila"), ("گلناز", "Golnaz"),
           ("سحر", "Sahar"), ("نیلوفر", "Niloufar"), ("مرسل", "Mursal"), ("شکیلا", "Shakila"),
           ("فرزانه", "Farzaneh")),
    "fr": (("Jean-Baptiste", "Jean-Baptiste"), ("Aminata", "Aminata"), ("Fatou", "Fatou"), ("Mamadou", "Mamadou"),
           ("Ibrahima", "Ibrahima"), ("Moussa", "Moussa"), ("Awa", "Awa"), ("Mariama", "Mariama"),
           ("Kadiatou", "Kadiatou"), ("Ousmane", "Ousmane"), ("Christelle", "Christelle"), ("Nadège", "Nadege"),
           ("Wilson", "Wilson"), ("Jean-Claude", "Jean-Claude"), ("Marie-Claire", "Marie-Claire"),
           ("Patrick", "Patrick"), ("Esther", "Esther"), ("Dieudonné", "Dieudonne"), ("Josiane", "Josiane"),
           ("Blaise", "Blaise"), ("Chantal", "Chantal"), ("Emmanuel", "Emmanuel"), ("Gloire", "Gloire"),
           ("Espérance", "Esperance"), ("Fabrice", "Fabrice"), ("Clarisse", "Clarisse"), ("Didier", "Didier"),
           ("Nathalie", "Nathalie"), ("Yannick", "Yannick"), ("Rosine", "Rosine"), ("Serge", "Serge"),
           ("Joëlle", "Joelle"), ("Karim", "Karim"), ("Yasmine", "Yasmine"), ("Sofiane", "Sofiane"), ("Inès", "Ines"),
           ("Aïcha", "Aicha"), ("Samuel", "Samuel"), ("Frantz", "Frantz"), ("Guerline", "Guerline")),
    "en": (("Olena", "Olena"), ("Oksana", "Oksana"), ("Andriy", "Andriy"), ("Dmytro", "Dmytro"), ("Iryna", "Iryna"),
           ("Tesfaye", "Tesfaye"), ("Yonas", "Yonas"), ("Selam", "Selam"), ("Helen", "Helen"), ("Daniel", "Daniel"),
           ("Grace", "Grace"), ("Chinedu", "Chinedu"), ("Ngozi", "Ngozi"), ("Emeka", "Emeka"), ("Priya", "Priya"),
           ("Arjun", "Arjun"), ("Maria", "Maria"), ("Carlos", "Carlos"), ("Luis", "Luis"), ("Ana", "Ana"),
           ("Joseph", "Joseph"), ("Mercy", "Mercy"), ("Ruth", "Ruth"), ("Abdi", "Abdi"), ("Hodan", "Hodan"),
           ("Tatiana", "Tatiana"), ("Natalia", "Natalia"), ("Samuel", "Samuel")),
    "zh": (("伟", "Wei"), ("娜", "Na"), ("静", "Jing"), ("敏", "Min"), ("磊", "Lei"), ("洋", "Yang"), ("艳", "Yan"),
           ("勇", "Yong"), ("杰", "Jie"), ("涛", "Tao"), ("明", "Ming"), ("超", "Chao"), ("秀英", "Xiuying"),
           ("丽", "Li"), ("强", "Qiang"), ("婷", "Ting"), ("欣怡", "Xinyi"), ("浩然", "Haoran"), ("子涵", "Zihan"),
           ("雪", "Xue"), ("佳怡", "Jiayi"), ("志强", "Zhiqiang")),
}  # fmt: skip
LAST_NAMES: Final[Mapping[str, tuple[NamePair, ...]]] = {
    "ar": (("الحداد", "Al-Haddad"), ("خليل", "Khalil"), ("صالح", "Saleh"), ("ناصر", "Nasser"), ("منصور", "Mansour"),
           ("حمدان", "Hamdan"), ("درويش", "Darwish"), ("الخطيب", "Al-Khatib"), ("العلي", "Al-Ali"), ("قاسم", "Qasim"),
           ("الشامي", "Al-Shami"), ("المصري", "Al-Masri"), ("عثمان", "Othman"), ("النجار", "Al-Najjar"),
           ("السيد", "Al-Sayed"), ("حسين", "Hussein"), ("العمر", "Al-Omar"), ("الأحمد", "Al-Ahmad"),
           ("يونس", "Younes"), ("البكري", "Al-Bakri"), ("الزعبي", "Al-Zoubi"), ("عبود", "Abboud"),
           ("الحلبي", "Al-Halabi"), ("سليمان", "Suleiman"), ("جابر", "Jaber"), ("موسى", "Mousa"), ("إدريس", "Idris"),
           ("الطيب", "Al-Tayeb"), ("عبد الرحمن", "Abdelrahman"), ("حمادة", "Hamada")),
    "fa": (("احمدی", "Ahmadi"), ("رضایی", "Rezaei"), ("محمدی", "Mohammadi"), ("حسینی", "Hosseini"),
           ("کریمی", "Karimi"), ("موسوی", "Mousavi"), ("جعفری", "Jafari"), ("رحیمی", "Rahimi"), ("صادقی", "Sadeghi"),
           ("قاسمی", "Ghasemi"), ("نوری", "Nouri"), ("کاظمی", "Kazemi"), ("عزیزی", "Azizi"), ("یوسفی", "Yousefi"),
           ("حیدری", "Heidari"), ("امیری", "Amiri"), ("نظری", "Nazari"), ("هاشمی", "Hashemi"), ("سلطانی", "Soltani"),
           ("طاهری", "Taheri"), ("صفری", "Safari"), ("اکبری", "Akbari"), ("باقری", "Bagheri"), ("پوپل", "Popal"),
           ("نیازی", "Niazi"), ("حکیمی", "Hakimi"), ("رسولی", "Rasouli"), ("مرادی", "Moradi")),
    "fr": (("Mukendi", "Mukendi"), ("Kabongo", "Kabongo"), ("Ilunga", "Ilunga"), ("Mbuyi", "Mbuyi"),
           ("Tshibangu", "Tshibangu"), ("Diallo", "Diallo"), ("Traoré", "Traore"), ("Diop", "Diop"),
           ("Ndiaye", "Ndiaye"), ("Sow", "Sow"), ("Bah", "Bah"), ("Camara", "Camara"), ("Coulibaly", "Coulibaly"),
           ("Konaté", "Konate"), ("Keïta", "Keita"), ("Touré", "Toure"), ("Joseph", "Joseph"), ("Pierre", "Pierre"),
           ("Saint-Fleur", "Saint-Fleur"), ("Charles", "Charles"), ("Étienne", "Etienne"),
           ("Nkurunziza", "Nkurunziza"), ("Habimana", "Habimana"), ("Uwimana", "Uwimana"), ("Mbarga", "Mbarga"),
           ("Fotso", "Fotso"), ("Kouassi", "Kouassi"), ("Koffi", "Koffi"), ("Benali", "Benali"),
           ("Belkacem", "Belkacem"), ("Mensah", "Mensah"), ("Lukusa", "Lukusa")),
    "en": (("Kovalenko", "Kovalenko"), ("Shevchenko", "Shevchenko"), ("Bondarenko", "Bondarenko"),
           ("Melnyk", "Melnyk"), ("Gebremedhin", "Gebremedhin"), ("Haile", "Haile"), ("Okafor", "Okafor"),
           ("Adeyemi", "Adeyemi"), ("Nwosu", "Nwosu"), ("Sharma", "Sharma"), ("Patel", "Patel"), ("Gómez", "Gomez"),
           ("Rodríguez", "Rodriguez"), ("Martínez", "Martinez"), ("Warsame", "Warsame"), ("Osei", "Osei"),
           ("Yusuf", "Yusuf"), ("Petrenko", "Petrenko")),
    "zh": (("王", "Wang"), ("李", "Li"), ("张", "Zhang"), ("刘", "Liu"), ("陈", "Chen"), ("杨", "Yang"),
           ("黄", "Huang"), ("赵", "Zhao"), ("吴", "Wu"), ("周", "Zhou"), ("徐", "Xu"), ("孙", "Sun"), ("马", "Ma"),
           ("朱", "Zhu"), ("胡", "Hu"), ("郭", "Guo"), ("何", "He"), ("林", "Lin")),
}  # fmt: skip
#: How often a person of the community shows their name in its own script (the rest use Latin letters).
NATIVE_SCRIPT_SHARE: Final[Mapping[str, float]] = {"ar": 0.6, "fa": 0.6, "fr": 1.0, "en": 1.0, "zh": 0.7}
