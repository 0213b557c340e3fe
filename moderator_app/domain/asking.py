"""Whether a group message asks: the inquiry detector (DESIGN, "Inquiry", group rule (a)).

Members in newcomer groups ask in many ways and rarely with a question mark: "looking for a used car seat",
"أبحث عن محامي هجرة", "دنبال کار پاره وقت هستم", "求助：房东不退押金". The detector adds up *signals*, each
with a weight and the words that gave it, so its verdict can be explained to a moderator ("why is this an
inquiry?"):

- a question mark (outside links), or a question word where the language puts it (the first word of a
  sentence in English and French; anywhere in Farsi, colloquial Arabic and Chinese);
- a request for help or information ("I need", "je cherche", "محتاج", "دنبال … هستم", "我想找");
- an indirect question ("does anyone know", "کسی … میدونه", "有人知道");
- against asking: answers to someone else ("you can call 211"), sales and giveaways, thanks,
  congratulations, statements of knowing ("I know where it is now").

A score of :data:`INQUIRY_SCORE` or more is an inquiry; a smaller positive score with some sign of asking is
a *possible* inquiry, shown to the moderator but not counted. The organization's own examples (promotions
and dismissals, :class:`~moderator_app.domain.examples.ExampleMemory`) add a signal of their own.

The tables are plain data matched after :func:`~moderator_app.domain.text.normalize`; a reviewer who speaks
the language can fix them without reading the code. Everything runs once per member message of an import,
so each language's phrases are one trie regex searched in one pass.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from functools import lru_cache
from typing import Any, Final, Protocol

from moderator_app.domain.language import detect_language
from moderator_app.domain.questions import has_question_mark, starts_with_question_word, zh_question_word
from moderator_app.domain.text import LazyPattern, normalize

__all__ = [
    "DEFAULT_DETECTOR",
    "INQUIRY_SCORE",
    "POSSIBLE_SCORE",
    "Assessment",
    "ExampleLookup",
    "InquiryDetector",
    "Signal",
    "SignalKind",
    "Verdict",
]

#: At or above: an inquiry. Below, but at or above :data:`POSSIBLE_SCORE`: a possible inquiry.
INQUIRY_SCORE: Final = 1.0
POSSIBLE_SCORE: Final = 0.3


class Verdict(StrEnum):
    INQUIRY = "inquiry"
    POSSIBLE = "possible"
    NONE = "none"


class SignalKind(StrEnum):
    QUESTION_MARK = "question_mark"
    QUESTION_WORD = "question_word"
    REQUEST = "request"
    INDIRECT = "indirect"
    WEAK = "weak"  # a hint of asking that is not enough on its own ("I want", "info")
    ANSWER = "answer"  # advice to someone else: "you can …"
    OFFER = "offer"  # selling, giving away, hiring, announcing
    COURTESY = "courtesy"  # thanks, congratulations, wishes
    KNOWING = "knowing"  # "I know where …": a question word that asks nothing
    RHETORICAL = "rhetorical"  # "who would have thought", "کی فکرشو میکرد", "آخه": asks no one
    EXAMPLE = "example"  # like a message the organization promoted or dismissed


@dataclass(frozen=True, slots=True)
class Signal:
    kind: SignalKind
    evidence: str  # the words that gave it, as normalized
    weight: float


@dataclass(frozen=True, slots=True)
class Assessment:
    verdict: Verdict
    score: float
    language: str
    signals: tuple[Signal, ...]

    def reason(self) -> str:
        """The signals in a line a moderator can read (English words; the window translates the kinds)."""
        return "; ".join(_shown(s.kind, s.evidence, s.weight) for s in self.signals)


@lru_cache(maxsize=4096)
def _reason(hits: tuple[_Hit, ...]) -> str:
    """The reason line of a set of hits: the same few combinations recur over and over in an import."""
    return "; ".join(_shown(kind, shown, weight) for kind, shown, weight in hits)


def _shown(kind: SignalKind, evidence: str, weight: float) -> str:
    # The words are isolated (U+2068 … U+2069): Arabic or Farsi evidence must not reorder the line around it.
    return f"{kind.value} “\u2068{evidence}\u2069” ({weight:+.1f})"


# --------------------------------------------------------------------------------------------------------
# Phrase tables. Weights: 1.0 decides on its own, 0.5 is a hint, negative weights count against asking.
# Latin and Arabic-script phrases match as whole words (Arabic-script ones also after a glued و/ف);
# Chinese phrases match anywhere.

_STRONG, _HINT, _AGAINST, _STRONG_AGAINST = 1.0, 0.5, -0.8, -1.6
_FAINT = 0.25  # a word that asks only beside others ("help" in "this group is a big help"): never alone
_MILD_AGAINST = -0.4  # event words in an announcement: they outweigh hints only
_COURTESY_AGAINST = -1.0  # thanks, wishes: against requests ("thanks to all who helped me"), never a question

PHRASES: Final[Mapping[str, Mapping[SignalKind, Mapping[float, tuple[str, ...]]]]] = {
    "en": {
        SignalKind.REQUEST: {
            _STRONG: (
                "i need", "i really need", "i urgently need", "i am in need", "i'm in need",
                "we need", "need help",
                "need some help", "need advice", "need info", "need information", "needs help",
                "i'm looking for",
                "im looking for", "i am looking for", "we are looking for", "we're looking for",
                "looking for",
                "searching for", "i am searching", "in search of", "please help", "pls help", "plz help",
                "help me", "help us", "help please", "help needed", "please advise", "pls advise",
                "plz advise",
                "advise me", "any advice", "any tips", "any suggestions", "any recommendations",
                "any recommendation", "recommend a", "recommend an", "recommend me", "recommendations for",
                "recommendation for", "suggestions for", "can someone", "can somebody", "can anyone",
                "can anybody", "could someone", "could somebody", "could anyone", "would someone",
                "would anyone", "is there anyone", "is there someone", "is there any", "are there any",
                "i want to know", "i wanna know", "i would like to know", "i'd like to know", "want to ask",
                "wanted to ask", "i have a question", "quick question", "question about", "info about",
                "information about", "info on", "information on", "details about", "please tell me",
                "pls tell me",
                "can you tell me", "someone tell me", "let me know",
                "explain to me", "how do i", "how can i", "how to", "where can i", "where do i", "where to",
                "what do i", "what should i", "who do i", "who can i", "which one", "i'm trying to find",
                "trying to find", "i am trying to find", "need someone", "need somebody", "can i", "can we",
                "should i", "should we", "do i need", "do we need", "is that legal", "is it legal",
                "is it ok",
                "is it okay", "is that ok", "is there a", "are there", "what should we", "where do we",
                "where can we", "how do we", "what do we", "what did you do", "anyone had", "someone explain",
                "pls someone", "explain me", "kindly share", "kindly", "send me", "share the link",
                "please share", "where i can", "how i can", "thanks in advance", "thank you in advance",
                "thx in advance", "tia",
                "i dont know how", "i don't know how", "i dont know where", "i don't know where",
                "i dont know what", "i don't know what", "i don't know who", "i dont know who",
                "not sure how",

            ),
            _HINT: ("need", "needs", "info", "advice", "need a", "need an", "any idea", "recommend", "suggest"),
            _FAINT: (
                "i want", "we want", "i would like", "i'd like", "help", "tell me", "anyone", "anybody",
                "somebody",
                "someone",
            ),
        },
        SignalKind.INDIRECT: {
            _STRONG: (
                "does anyone know", "does anybody know", "anyone know", "anybody know", "anyone knows",
                "does someone know", "someone knows", "do you know", "do u know", "any idea", "any ideas",
                "anyone has", "anyone have", "anybody have", "anyone got", "has anyone", "has anybody",
                "have any of you", "anyone tried", "anyone been", "i wonder", "i was wondering",
                "i'm wondering",
                "im wondering", "wondering if", "wondering whether", "wondering how", "wondering where",
                "i wanted to know", "is it possible", "is it true", "is it normal", "is it ok",
                "any experience", "anyone experience", "share your experience",
            ),
        },
        SignalKind.ANSWER: {
            _AGAINST: (
                "you can", "you could", "you should", "you need to", "you have to", "you must",
                "you'll need",
                "u can", "u should", "u need to", "try calling", "try to call", "call them", "you don't need",
                "you dont need", "you do not need",
                "just go", "they will help", "they can help", "i recommend", "i suggest", "i went",
                "i called",
                "it worked", "works for me", "i did it",
            ),
        },
        SignalKind.OFFER: {
            _STRONG_AGAINST: (
                "i'm available", "im available", "i am available", "if anyone needs", "if anybody needs",
                "if you need", "happy to help", "dm me if", "for sale", "selling", "i'm selling",
                "im selling",
                "giving away", "we are hiring",
                "now hiring",
                "is hiring", "job opening", "free to a good home",
            ),
            _MILD_AGAINST: (
                "join us", "you are invited", "everyone is welcome", "all are welcome", "reminder",
                "don't miss",
                "register now",
            ),
        },
        SignalKind.COURTESY: {
            _COURTESY_AGAINST: (
                "thank you", "thanks", "thank u", "thx", "congratulations", "congrats", "happy birthday",
                "happy new year", "eid mubarak", "ramadan kareem", "welcome to", "good morning everyone",
                "good night", "rest in peace", "condolences", "sorry for your loss", "god bless",
            ),
        },
        SignalKind.RHETORICAL: {
            _AGAINST: ("who would have thought", "who knew", "who cares", "guess what", "you know what"),
            # Greetings phrased as questions: "how is everyone doing today?"
            _STRONG_AGAINST: (
                "how is everyone", "how are you all", "how are you guys", "how's everyone", "hope everyone",
                "how was your weekend",
            ),
        },
        SignalKind.KNOWING: {
            _AGAINST: (
                "i know how", "i know where", "i know what", "now i know", "i finally know", "i found out",
                "i figured out", "i learned how", "i learnt how", "found it", "no need", "never mind",
                "nevermind", "problem solved", "i got it",
            ),
        },
    },
    "fr": {
        SignalKind.REQUEST: {
            _STRONG: (
                "je cherche", "je recherche", "on cherche", "nous cherchons", "je suis à la recherche",
                "je suis a la recherche", "à la recherche", "a la recherche", "recherche", "cherche",
                "j'ai besoin", "jai besoin", "j ai besoin", "on a besoin", "nous avons besoin", "besoin d'",
                "besoin de", "besoin urgent", "aidez-moi", "aidez moi", "aider moi", "aide-moi", "aide moi",
                "aidez nous", "aidez-nous", "besoin d'aide", "de l'aide", "un coup de main", "svp aidez",
                "aide svp", "je veux savoir", "je voudrais savoir", "j'aimerais savoir", "jaimerais savoir",
                "je souhaite savoir", "je voulais savoir", "je voudrais", "j'aimerais", "je souhaiterais",
                "je souhaite avoir", "veuillez", "merci de m'", "pouvez-vous", "pouvez vous",
                "pourriez-vous",
                "pourriez vous", "vous pouvez m'", "tu peux m'", "quelqu'un peut", "quelqu'un pourrait",
                "quelqu'un aurait", "quelqu'un a", "quelqu'un connait", "quelqu'un connaît",
                "quelqu'un sait",
                "qqn", "qlq un", "quelqu'un", "des conseils", "un conseil", "vos conseils", "conseillez",
                "recommandez", "recommander", "une recommandation", "des recommandations", "des infos",
                "des informations", "une info", "une information", "infos sur", "info sur",
                "informations sur", "renseignements", "renseigner", "comment faire", "comment on fait",
                "comment je peux", "comment puis-je", "où je peux", "ou je peux", "où on peut",
                "ou on peut",
                "où trouver", "ou trouver", "quoi faire", "que faire", "je sais pas comment",
                "je ne sais pas comment", "je sais pas où", "je sais pas ou", "je ne sais pas où",
                "je ne sais pas quoi", "je sais pas quoi", "jsp comment", "jsp où", "jsp ou", "urgent",
                "est-ce que", "est ce que", "est-ce qu'", "est ce qu'", "y a-t-il", "y a t il", "y a t'il",
                "il y a moyen", "y a moyen", "ya moyen", "svp", "s'il vous plaît", "s'il vous plait", "stp",
                "s'il te plaît", "s'il te plait", "expliquer", "m'expliquer", "m'aider", "nous aider",
                "m'orienter", "orientez-moi", "orientez moi", "je ne trouve pas", "je trouve pas",
                "j'arrive pas à trouver", "merci d'avance", "merci par avance", "qlq sait", "qlq un sait",
                "me conseiller", "merci de m'aider",
                "merci de me dire", "c'est vrai qu'", "a qui", "à qui", "il a le droit", "on a le droit",
                "j'ai le droit", "ont le droit", "c'est legal", "c'est légal", "ou pas", "ou non",
                "quelle heure",
                "combien", "c'est comment", "on fait comment", "ou acheter", "où acheter", "ou faire",
                "où faire",
                "ou aller", "où aller", "par ou", "par où", "quels papiers", "quels documents",
                "je fais quoi",
                "on fait quoi", "je dois faire quoi", "on doit faire quoi",
            ),
            _HINT: ("besoin", "info", "conseil"),
            _FAINT: ("je veux", "aide", "savoir"),
        },
        SignalKind.INDIRECT: {
            _STRONG: (
                "quelqu'un sait", "qqn sait", "vous savez", "savez-vous", "savez vous", "tu sais si",
                "vous connaissez", "connaissez-vous", "connaissez vous", "une idée", "une idee",
                "des idées",
                "je me demande", "je me demandais", "je voulais demander", "je veux demander",
                "je voudrais demander", "une question", "petite question", "question sur", "c'est possible",
                "c'est normal", "c'est vrai que", "est-il possible", "possible de", "des expériences",
                "votre expérience",
            ),
        },
        SignalKind.ANSWER: {
            _AGAINST: (
                "tu peux", "vous pouvez", "tu dois", "vous devez", "il faut aller", "il faut appeler",
                "va au", "allez au", "appelle", "appelez", "essaie de", "essayez de", "je te conseille",
                "je vous conseille", "je recommande", "moi j'ai", "ça a marché", "ca a marche",
            ),
        },
        SignalKind.OFFER: {
            _STRONG_AGAINST: (
                "si qqn a besoin", "si quelqu'un a besoin", "si vous avez besoin", "je suis dispo",
                "je suis disponible", "je vends", "à vendre", "a vendre", "je donne", "à donner", "a donner",
                "on embauche",
                "nous embauchons", "offre d'emploi",
            ),
            _MILD_AGAINST: ("rappel", "n'oubliez pas", "inscrivez-vous", "bienvenue à tous", "vous êtes invités"),
        },
        SignalKind.RHETORICAL: {
            # Greetings phrased as questions: "ça va tout le monde ?"
            _STRONG_AGAINST: (
                "ça va tout le monde", "ca va tout le monde", "comment allez-vous tous",
                "vous allez bien tous",
            ),
        },
        SignalKind.COURTESY: {
            _COURTESY_AGAINST: (
                "merci beaucoup", "merci à tous", "merci a tous", "merci", "félicitations", "felicitations",
                "bravo", "bonne année", "bonne journée", "bonne soirée", "bonne nuit", "joyeux",
                "bon courage",
                "condoléances", "condoleances", "paix à son âme", "aïd moubarak", "ramadan moubarak",
            ),
        },
        SignalKind.KNOWING: {
            _AGAINST: (
                "je sais comment", "je sais où", "je sais ou", "maintenant je sais", "je leur ai demandé",
                "j'ai demandé", "ils ont dit", "on m'a dit", "elle m'a dit", "il m'a dit", "j'ai trouvé",
                "j'ai trouve", "c'est réglé", "c'est regle", "problème réglé", "laissez tomber",
            ),
        },
    },
    "ar": {
        SignalKind.REQUEST: {
            _STRONG: (
                "شكرا مقدما", "شكراً مقدماً", "مشكورين مقدما", "أبحث عن", "ابحث عن", "بدور على", "بدور ع",
                "عم دور على", "عم دور ع", "بدي اعرف", "بدي حدا",
                "بدي مساعدة", "بدنا حدا", "بدي شغل", "داير اعرف", "داير", "عايز اعرف", "ارشدوني", "أرشدوني",
                "بقدر", "فيني", "ولا لا", "ولا لأ", "او لا", "أو لا", "في زول", "زول بعرف",
                "في مكان", "فيه مكان",
                "في أماكن", "فيه أماكن", "في جمعية", "في منظمة", "في مستشفى", "في مستشفي",
                "في دكتور", "في طبيب",
                "في محل", "فيه محل",
                "محتاج", "محتاجة", "محتاجين", "احتاج", "أحتاج", "نحتاج", "بحاجة", "عايز", "عاوز", "عايزة",
                "عاوزة", "ابغى", "أبغى", "ابي", "أبي اعرف", "ابي اعرف", "أريد", "اريد", "نريد",
                "أود", "اود",
                "أرغب", "ارغب", "حابب اعرف", "حابة اعرف", "حاب اعرف", "حابب اسأل", "حابة اسأل", "بدي اسأل",
                "عندي سؤال", "سؤال", "استفسار", "عندي استفسار", "ساعدوني", "ساعدني", "ساعدونا",
                "بليز", "الرجاء", "ارجو", "أرجو", "يرجى", "من فضلكم", "من فضلك", "لو سمحتو", "لو سمحتوا",
                "لو سمحت", "دلوني", "دلني", "افيدوني", "أفيدوني", "افيدونا", "نصيحة", "نصحوني", "انصحوني",
                "شو الحل", "شو لازم", "شو بعمل", "شو اعمل", "ايش اسوي", "وش اسوي", "اعمل ايه", "أعمل إيه",
                "اعمل اي", "ابعت لوين", "لوين", "مين بيعرف", "مين يعرف", "ضروري", "مستعجل", "عاجل", "حدا",
                "في حدا", "فيه حد", "هل يوجد", "هل في", "يا ريت", "ياريت", "حدا يساعدني",
                "ممكن حدا", "ممكن حد",
                "ممكن مساعدة", "ممكن تساعدوني", "ممكن اعرف", "ممكن أعرف", "ممكن اسأل",
                "بدي مساعدة", "محتاج مساعدة",
                "أحتاج مساعدة", "احتاج مساعدة", "نحتاج مساعدة",
            ),
            _HINT: ("معلومات", "عنوان", "رقم"),
            _FAINT: ("اعرف", "أعرف", "مساعده", "مساعدة", "بدي", "بدنا", "حدا", "ممكن"),
        },
        SignalKind.INDIRECT: {
            _STRONG: (
                "حدا بيعرف", "حدا يعرف", "حدا عندو", "حدا عنده", "حد يعرف", "حد عارف", "حد عنده",
                "أحد يعرف",
                "احد يعرف", "أحد عنده", "احد عنده", "في حدا", "فيه حد", "هل من أحد", "هل احد", "هل أحد",
                "حدا جرب", "حد جرب", "أحد جرب", "احد جرب", "ما بعرف كيف", "مش عارف", "مش عارفة", "ما بعرف",
                "ما اعرف", "ما أعرف", "ماعرف", "مابعرف", "لا أعرف", "لا اعرف", "ماني عارف",
            ),
        },
        SignalKind.QUESTION_WORD: {
            # Colloquial question words that end or sit inside a sentence: "الورقة هاي لوين", "الورق المطلوب ايه".
            _STRONG: (
                "وين", "فين", "لوين", "منين", "شو", "ايش", "إيش", "وش", "شلون", "شلونك", "ازاي",
                "إزاي", "ايه",
                "إيه", "امتى", "إمتى", "قديش", "أديش", "اديش", "بكام", "كام", "ليش", "ليه", "كيف",
                "شنو", "منو",
                "شكد", "متى", "أين", "اين", "هل", "كم", "بكم", "لماذا", "ماذا", "كيفية", "مين",
            ),
        },
        SignalKind.ANSWER: {
            _AGAINST: (
                "روح ع", "روح على", "روحي", "روحوا", "لازم تروح", "لازم تروحي", "لازم تعمل", "لازم تقدم",
                "فيك", "فيكي", "بتقدر", "تقدر", "ممكن تروح", "ممكن تتصل", "اتصل", "اتصلي", "كلم", "كلمي",
                "انا رحت", "أنا رحت", "انا قدمت", "جربت", "بيساعدوك", "بيساعدوكي", "يساعدوك", "حاول",
                "تواصل مع", "راجع",
            ),
        },
        SignalKind.OFFER: {
            _STRONG_AGAINST: (
                "للبيع", "ابيع", "أبيع", "عندي للبيع", "مطلوب موظف", "مطلوب عمال", "مطلوب موظفين",
                "عيلة محتاجة", "عائلة محتاجة", "للعائلات المحتاجة", "لأي عيلة", "لاي عيلة", "لمين محتاج",
            ),
            _MILD_AGAINST: ("توزيع", "ندعوكم", "تذكير", "يعلن", "للتواصل"),
        },
        SignalKind.COURTESY: {
            _COURTESY_AGAINST: (
                "شكرا", "شكراً", "مشكور", "مشكورة", "مشكورين", "يعطيك العافية", "يعطيكم العافية",
                "جزاك الله",
                "جزاكم الله", "الله يجزيك", "تسلم", "تسلمي", "تسلموا", "مبروك", "الف مبروك", "ألف مبروك",
                "مبارك", "كل عام وانتم بخير", "كل عام وأنتم بخير", "عيد مبارك", "جمعة مباركة", "رمضان كريم",
                "رمضان مبارك", "رحمه الله", "الله يرحمه", "الله يرحمها", "عظم الله اجركم", "البقاء لله",
                "الله يسهل", "الله يوفق", "الله يوفقكم", "ربنا يوفق", "ربنا يسهل", "الله يفرجها",
                "ان شاء الله خير", "صباح الخير للجميع",
                "الحمد لله على السلامة", "الله يعطيكم", "بالتوفيق",
            ),
        },
        SignalKind.RHETORICAL: {
            _AGAINST: ("مين كان يصدق", "مين بيصدق", "مين كان يتوقع", "مين بيطلع", "معقول هيك", "يا ترى"),
        },
        SignalKind.KNOWING: {
            _AGAINST: (
                "عرفت", "بعرف", "انا اعرف", "أنا أعرف", "انا بعرف", "فهمت", "لقيت", "لقيته", "خلص", "انحلت",
                "اتحلت", "الحمد لله",
            ),
        },
    },
    "fa": {
        SignalKind.REQUEST: {
            _STRONG: (
                "پیشاپیش ممنون", "پیشاپیش سپاس", "پیشاپیش از راهنمایی", "میگردم", "می گردم", "میخوام",
                "می خوام", "میخواهم", "می خواهم", "لازم دارم",
                "احتیاج دارم", "نیاز دارم", "نیاز داریم",
                "کمک کنید", "کمکم کنید", "کمک کنین", "کمکم کنین", "کمک میخوام", "کمک لازم", "راهنمایی کنید",
                "راهنمایی کنین", "راهنماییم کنید", "راهنماییم کنین", "راهنمایی میخوام",
                "راهنمایی لازم", "لطفا", "لطفاً",
                "خواهش میکنم", "خواهشا", "خواهشاً", "اطلاعات میخوام", "اطلاعات میخواستم",
                "معلومات", "کسی", "کسی هست", "کسی میتونه",
                "میخواستم بدونم", "میخواستم بپرسم", "می خواستم بدونم", "می خواستم بپرسم",
                "کسی می تونه", "سوال", "سوالی", "یه سوال", "یک سوال", "سوال داشتم", "بپرسم", "فوری",
                "ضروری", "عاجل", "معرفی کنید",
                "معرفی کنین", "بگید", "بگین", "بفرمایید", "بفرمائید", "بدونم", "بدونیم", "بدانم", "نمیدونم",
                "نمی دونم", "نمیدانم", "نمی دانم", "سراغ دارید", "سراغ داره", "سراغ دارین", "سراغ داری",
                "چیکار کنم", "چکار کنم", "چی کار کنم", "چه کار کنم", "چه کنم", "باید چیکار",
                "باید چکار", "یا نه",
                "جایی هست", "جایی رو", "جایی میشناسید", "جایی سراغ", "کسی هست", "هست یا نه", "داره یا نه",
                "از کی", "به کی", "تا کی", "با کی", "یعنی چی", "یعنی چه", "میخواستم ببینم",
                "می خواستم ببینم",
                "قبول میکنن", "قبول می کنن",
            ),
            _HINT: ("نیاز", "اطلاعات", "راهنمایی", "دنبال", "میخواستم", "می خواستم"),
            _FAINT: (
                "لازم", "کمک", "ممکنه", "میتونم", "می تونم", "میتانم", "می توانم", "میشه", "می شه", "هست",
            ),
        },
        SignalKind.INDIRECT: {
            _STRONG: (
                "کسی میدونه", "کسی می دونه", "کسی میدانه", "کسی اطلاع داره", "کسی اطلاع دارد",
                "کسی خبر داره",
                "کسی تجربه", "کسی سراغ", "کسی می شناسه", "کسی میشناسه", "اطلاع دارید", "اطلاع دارین",
                "اطلاعی دارید", "اطلاعی دارین", "خبر دارید", "خبر دارین", "تجربه دارید", "تجربه دارین",
                "میدونید", "می دونید", "میدونین", "می دونین", "میدانید", "می دانید",
            ),
        },
        SignalKind.QUESTION_WORD: {
            _STRONG: (
                "کجا", "کجاست", "کجان", "کجای", "کجاس", "چطور", "چطوری", "چجوری", "چه جوری", "چگونه", "چرا",
                "چقدر", "چقدره", "چقد", "چنده", "کدوم", "کدومه", "کدوماش", "کدام", "کدامه",
                "کدوما", "آیا", "ایا",
                "چیه", "کیه", "مگه", "چیست", "چندتا", "چیکار", "چکار", "چطو", "چی کار",
            ),
            _HINT: ("چی", "کی", "چند"),
            _FAINT: ("چه",),
        },
        SignalKind.ANSWER: {
            _AGAINST: (
                "باید بری", "باید برید", "باید برین", "میتونی", "می تونی", "میتونید", "می تونید", "میتونین",
                "می تونین", "برو", "برید", "برین", "زنگ بزن", "زنگ بزنید", "زنگ بزنین", "من رفتم",
                "من زنگ زدم",
                "من گرفتم", "پیشنهاد میکنم", "توصیه میکنم", "امتحان کن",
            ),
        },
        SignalKind.OFFER: {
            _STRONG_AGAINST: ("میفروشم", "می فروشم", "برای فروش", "فروشی"),
            _MILD_AGAINST: ("استخدام", "دعوت", "یادآوری", "اطلاعیه"),
        },
        SignalKind.COURTESY: {
            _COURTESY_AGAINST: (
                "ممنون", "ممنونم", "مرسی", "سپاس", "سپاسگزارم", "متشکرم", "تشکر", "دستتون درد نکنه",
                "دست شما درد نکنه", "تبریک", "مبارک", "مبارکه", "تسلیت", "روحش شاد", "خدا رحمتش",
                "خدا بیامرزه",
                "عید مبارک", "نوروز مبارک", "سال نو مبارک", "خسته نباشید همگی", "صبح بخیر همگی", "شب بخیر",
                "موفق باشید", "خدا قوت",
            ),
        },
        SignalKind.RHETORICAL: {
            _AGAINST: ("آخه", "اخه", "کی فکرشو", "کی فکر میکرد", "یادم نمیاد", "یادم نیست"),
        },
        SignalKind.KNOWING: {
            _AGAINST: (
                "میدونم", "می دونم", "میدانم", "می دانم", "فهمیدم", "پیدا کردم", "بلدم", "حل شد", "درست شد",
            ),
        },
    },
    # Arabic typed in Latin letters, with digits for the letters Latin lacks (3 ع, 7 ح, 2 ء, 5 خ): read when a
    # Latin-script message has such words.
    "arabizi": {
        SignalKind.REQUEST: {
            _STRONG: (
                "baddi", "badde", "bade", "bddi", "3ayez", "3ayz", "3awez", "3ayza", "a3raf", "ba3ref",
                "bya3ref", "ya3ref", "ye3raf", "y3raf", "7ada", "7ad", "7adan", "mumken", "momken", "mmkn",
                "sa3douni", "sa3edni", "sa3dooni", "ana mi7taj", "m7taj", "mi7taj", "me7taj", "ba7es",
                "bdawer", "3am dawer", "da22ir", "fi 7ada", "fi 7ad", "3ando fekra", "fekra 3an",
                "3andi so2al",
                "so2al", "sou2al", "es2al", "is2al", "ebghi", "abghi", "abi a3ref", "wallah ma ba3ref",
            ),
        },
        SignalKind.QUESTION_WORD: {
            _STRONG: (
                "wen", "wein", "ween", "fen", "feen", "kif", "keef", "kef", "shu", "sho", "chou",
                "esh", "eish",
                "ezay", "izzay", "emta", "imta", "2adeh", "2adesh", "adesh", "kam", "b kam", "leh", "lesh",
                "laish", "meen", "min wen", "shlon", "wesh", "hal", "ayya", "ay wa7ed",
            ),
        },
        SignalKind.COURTESY: {
            _COURTESY_AGAINST: ("shukran", "shokran", "mashkoor", "mabrook", "mabrouk", "yislamo", "tislam"),
        },
    },
    # Farsi typed in Latin letters ("Finglish").
    "finglish": {
        SignalKind.REQUEST: {
            _STRONG: (
                "mikham", "mikhastam", "mikhaam", "bedoonam", "bedunam", "befahmam", "donbale", "donbal",
                "lotfan", "komak konid", "komakam konid", "rahnamayi", "rahnamaee", "kasi midoone",
                "kasi midune",
                "kasi mishnase", "kasi mishenase", "kasi sorragh", "soragh darid", "soal dashtam",
                "ye soal",
                "midoonid", "midunid", "midoone", "midune", "mishnase", "mishe", "mitoonam", "mitunam",
            ),
        },
        SignalKind.QUESTION_WORD: {
            _STRONG: (
                "koja", "kojast", "chetor", "chetori", "chejoori", "chejuri", "chera", "cheghadr",
                "cheqadr",
                "chand", "kodoom", "kodum", "aya", "chie", "chikar", "ki",
            ),
        },
        SignalKind.COURTESY: {_COURTESY_AGAINST: ("merci", "mamnoon", "mamnun", "mersi", "tabrik", "sepas")},
    },
    "zh": {
        SignalKind.REQUEST: {
            _STRONG: (
                "先谢谢", "提前谢谢", "先谢了", "我想找", "想找", "我在找", "在找", "找一个", "找个",
                "我需要", "急需", "需要帮忙", "需要帮助", "需要找", "需要一个", "需要人", "求助", "求推荐", "求介绍",
                "求问", "求", "请问", "想问", "想请问", "问一下", "问下", "请教", "想请教", "麻烦", "帮忙",
                "帮帮", "帮我", "推荐", "介绍一下", "有人知道", "谁知道", "有谁知道", "有人", "有没有人",
                "想了解", "了解一下", "咨询一下", "急", "蹲", "跪求", "在线等", "怎么办", "求解",
                "請問", "想問", "麻煩", "幫忙", "幫我", "推薦", "有冇", "邊度", "點樣", "點算", "邊個", "幾多",
                "想知", "唔知", "找一份", "找份", "打听", "打聽", "求职", "求職", "想咨询",
            ),
            _HINT: ("不知道", "需要", "咨询"),
            _FAINT: ("想", "要"),
        },
        SignalKind.ANSWER: {
            _AGAINST: (
                "你可以", "您可以", "你去", "你要去", "你得", "你需要", "打电话给", "我去过", "我之前",
                "我上次", "我办过", "建议你", "建议您", "楼上", "你说的是", "别着急", "尽管说", "有需要的",
                "需要的", "来领", "领取",
            ),
        },
        SignalKind.OFFER: {
            _STRONG_AGAINST: (
                "出一个", "出个", "出售", "转让", "转卖", "免费送", "送给", "招聘", "招人", "诚聘", "九成新",
                "八成新", "自取",
            ),
            _MILD_AGAINST: ("活动", "讲座", "提醒", "通知", "欢迎参加"),
        },
        SignalKind.COURTESY: {
            _COURTESY_AGAINST: (
                "谢谢", "感谢", "多谢", "恭喜", "快乐", "节日快乐", "新年快乐", "辛苦了", "节哀", "早上好",
                "晚安", "加油", "謝謝", "多謝", "恭喜恭喜",
            ),
        },
        SignalKind.KNOWING: {
            _AGAINST: ("我知道", "知道了", "明白了", "搞定了", "解决了", "找到了", "已经办好"),
        },
    },
}  # fmt: skip

_ARABIC_SCRIPT: Final = frozenset(("ar", "fa"))


#: Requests whose words stand apart, as regular expressions on normalized text: "دنبال کار پاره وقت هستم".
@dataclass(frozen=True, slots=True)
class Gapped:
    """A request whose words stand apart, as a regular expression on normalized text. ``needle``: text that
    must be in the message for the pattern to be tried; ``tail``: only the message's last characters are
    searched (the pattern ends the message). Both keep a regex that would try every position off most
    messages."""

    pattern: str
    shown: str
    needle: str = ""
    tail: int = 0


GAPPED: Final[Mapping[str, tuple[Gapped, ...]]] = {
    "fa": (
        Gapped(
            r"(?<!\w)دنبال(?:\s+\S+){0,6}?\s+(?:هستم|هستيم|ميگردم|مي گردم|ميگرديم|مي گرديم)(?!\w)",
            "دنبال … هستم",
            "دنبال",
        ),
        Gapped(
            r"(?<!\w)كسي(?:\s+\S+){0,6}?\s+(?:ميدونه|مي دونه|ميشناسه|مي شناسه|سراغ داره|خبر داره)(?!\w)",
            "کسی … میدونه",
            "كسي",
        ),
    ),
    "ar": (Gapped(r"(?<!\w)(?:في|فيه) (?:حدا|حد|احد|زول)(?!\w)", "في حدا …", "في"),),
    # Spoken French asks with the question word last: "on va où pour ça", "je dois amener quels papiers".
    "fr": (
        Gapped(
            r"(?<![\w'])(?<!importe )(?:quoi|où|ou|comment|combien|quand|lequel|laquelle)"
            r"(?: (?:pour )?(?:ça|ca|ce|svp|stp|exactement|en premier|la|là))?[\s\W]*$",
            "… où ? / … quoi ?",
            tail=40,
        ),
        Gapped(
            r"(?<![\w'])(?:on|je|j'|tu|vous|il|elle) (?:\w+ ){0,3}(?:quel|quelle|quels|quelles) \w+[\s\W]*$",
            "… quels papiers ?",
            "quel",
            tail=80,
        ),
    ),
    # A question word starting a clause without punctuation: "… for school where do we go for that".
    "en": (
        Gapped(
            r"(?<![\w'])(?:where|what|how|when|who|which) (?:do|does|did|should|can|could|would|will|is|are) "
            r"(?:i|we|you|they|he|she|it|my|our|u)(?![\w'])",
            "… where do we …",
            "wh",
        ),
        Gapped(
            r"(?<![\w'])how (?:do|does|did|should|can|could|would|will|is|are) "
            r"(?:i|we|you|they|he|she|it|my|our|u)(?![\w'])",
            "… how do we …",
            "how ",
        ),
    ),
}
_GAPPED_RE: Final = {
    language: tuple((LazyPattern(g.pattern), g) for g in patterns) for language, patterns in GAPPED.items()
}


@dataclass(frozen=True, slots=True)
class _Entry:
    kind: SignalKind
    weight: float
    shown: str  # the phrase as the table spells it (what "why?" shows)
    hit: tuple[SignalKind, str, float] = field(init=False)  # the three above, built once (see _phrases)

    def __post_init__(self) -> None:
        object.__setattr__(self, "hit", (self.kind, self.shown, self.weight))


#: Punctuation read as a space before phrases are looked up, so that a phrase matches whole words only.
#: Apostrophes and hyphens stay: they are inside words ("quelqu'un", "est-ce", "don't").
_PUNCTUATION: Final = '.,!?;:()[]{}"«»“”„…/\\*#~_|<>=+،؛؟。，！？、：；（）【】「」'
_PUNCTUATION_RE: Final = re.compile("[" + re.escape(_PUNCTUATION) + "]")


def spaced(text: str) -> str:
    """``text`` (already normalized) with punctuation as spaces and a space at each end: phrases are looked
    up as " phrase " in it, so every match is whole words (no check of what stands around it)."""
    return f" {_PUNCTUATION_RE.sub(' ', text)} "  # a regex: str.translate with a table costs 4x as much


class _PhraseTable:
    """One language's phrases in an Aho-Corasick automaton (one C pass per message), each as whole words:
    " phrase " (Arabic script also " وphrase " and " فphrase ": the glued "and", "so"); Chinese anywhere."""

    def __init__(self, language: str, table: Mapping[SignalKind, Mapping[float, tuple[str, ...]]]) -> None:
        self.entries: dict[str, _Entry] = {}
        for kind, by_weight in table.items():
            for weight, phrases in by_weight.items():
                # A hint of asking is its own kind, capped low: "help" and "info" together ask nothing yet.
                shown_kind = SignalKind.WEAK if weight in (_HINT, _FAINT) else kind
                for phrase in phrases:
                    key = " ".join(spaced(normalize(phrase)).split())
                    known = self.entries.get(key)
                    # A phrase listed twice keeps its strongest reading (against beats for).
                    if key and (known is None or abs(weight) > abs(known.weight)):
                        self.entries[key] = _Entry(shown_kind, weight, phrase)
        self.language = language
        self._automaton: Any = None

    def find(self, text: str) -> list[tuple[int, str, _Entry]]:
        """(start, phrase, entry) of the phrases in ``text`` (from :func:`spaced`): whole words, the longest
        where two overlap, leftmost first. A trie regex took five times as long, and the detector runs on
        every member message of an import."""
        automaton = self._automaton
        if automaton is None:
            automaton = self._automaton = _automaton(self.language, self.entries)
        found = [(end - length, phrase, entry) for end, (length, phrase, entry) in automaton.iter(text)]
        if len(found) < 2:
            return found
        found.sort(key=lambda hit: (hit[0], -len(hit[1])))
        kept: list[tuple[int, str, _Entry]] = []
        reached = -1
        for hit in found:
            if hit[0] >= reached:
                kept.append(hit)
                reached = hit[0] + len(hit[1])
        return kept


def _automaton(language: str, entries: Mapping[str, _Entry]) -> Any:
    """Keys as they stand in a :func:`spaced` text; each value says the match's length (to find its start,
    where a whole-word key's leading space is left out), the phrase and its entry."""
    import ahocorasick

    automaton = ahocorasick.Automaton()
    for phrase, entry in entries.items():
        if language == "zh":
            automaton.add_word(phrase, (len(phrase) - 1, phrase, entry))
            continue
        # An elision ends glued to the next word: "besoin d'" + "infos".
        tail = "" if phrase.endswith("'") else " "
        forms = [phrase]
        if language in _ARABIC_SCRIPT:
            forms += ["و" + phrase, "ف" + phrase]
        for form in forms:
            key = f" {form}{tail}"
            automaton.add_word(key, (len(key) - 2, phrase, entry))
    automaton.make_automaton()
    return automaton


class _Tables:
    """The phrase tables, compiled per language on first use (launch time: see text.LazyPattern)."""

    def __init__(self) -> None:
        self._tables: dict[str, _PhraseTable] = {}
        self._for_language: dict[str, tuple[_PhraseTable, ...]] = {}

    def for_language(self, language: str) -> tuple[_PhraseTable, ...]:
        """The tables read for a message in ``language`` ("und+": Latin text of no known language)."""
        tables = self._for_language.get(language)
        if tables is None:
            if language == "und+":
                names: tuple[str, ...] = (*_LATIN_FALLBACK, "arabizi", "finglish")
            else:
                names = (language,) if language in PHRASES else _LATIN_FALLBACK
            tables = self._for_language[language] = tuple(t for t in map(self.get, names) if t is not None)
        return tables

    def get(self, language: str) -> _PhraseTable | None:
        table = self._tables.get(language)
        if table is None:
            spec = PHRASES.get(language)
            if spec is None:
                return None
            table = self._tables[language] = _PhraseTable(language, spec)
        return table


_TABLES: Final = _Tables()

# Signals of one kind add up to at most this (three "please" do not make a question); hints to less.
_KIND_CAP: Final = 1.5
_WEAK_CAP: Final = 0.6
# A question mark counts for less when the message also offers, thanks or answers (a sale ending "DM me?").
_QUESTION_MARK_WEIGHT: Final = 1.5
_QUESTION_WORD_START_WEIGHT: Final = 1.0
_LONG_TEXT: Final = 600  # characters: beyond this only the first part is read for phrases
_URL_OR_MENTION_RE: Final = re.compile(r"(?:https?://|www\.)\S+|@\w+")
# A Latin-script word with a digit standing for an Arabic letter: "7ada", "3ayez", "sa2el", "bya3ref".
_ARABIZI_RE: Final = re.compile(r"(?<![\w])[a-z]*[a-z][2357][a-z']*|(?<![\w])[2357][a-z]{2,}", re.IGNORECASE)
_CJK_RE: Final = LazyPattern("[\u3400-\u4dbf\u4e00-\u9fff]")


#: A detector hit: (kind, the words shown, weight); plain tuples, as this runs on every member message.
_Hit = tuple[SignalKind, str, float]
_LATIN_FALLBACK: Final = ("en", "fr")


class InquiryDetector:
    """Scores a member message; the organization's examples (optional) are consulted last."""

    def __init__(self, examples: ExampleLookup | None = None) -> None:
        self.examples = examples

    def assess(self, text: str, language: str | None = None) -> Assessment:
        """The verdict with every signal behind it (what "why is this an inquiry?" shows)."""
        lang = detect_language(text) if language is None else language
        hits = self._hits(text, lang)
        verdict, score = _tally(hits)
        signals = tuple(Signal(kind, shown, weight) for kind, shown, weight in hits)
        return Assessment(verdict, round(score, 3), lang, signals)

    def verdict(self, text: str, language: str | None = None) -> Verdict:
        lang = detect_language(text) if language is None else language
        return _tally(self._hits(text, lang))[0]

    def judge(self, text: str, language: str) -> tuple[Verdict, str]:
        """The verdict and, unless it is NONE, the reason in a line (the ingestion path: no objects built)."""
        hits = self._hits(text, language)
        verdict, _ = _tally(hits)
        if verdict is Verdict.NONE:
            return verdict, ""
        return verdict, _reason(tuple(hits))

    def _hits(self, text: str, lang: str) -> list[_Hit]:
        if not text or text.isspace():
            return []
        examples = self.examples
        if has_question_mark(text):
            # A question mark decides on its own (what the organization taught may still speak against it):
            # the rest of the rules would change the verdict for about one message in a hundred, and this
            # runs on every member message of an import.
            hits: list[_Hit] = [(SignalKind.QUESTION_MARK, "?", _QUESTION_MARK_WEIGHT)]
            if examples is not None:
                head = text if len(text) <= _LONG_TEXT else text[:_LONG_TEXT]
                learned = examples.signal(normalize(head), lang)
                if learned is not None:
                    hits.append((learned.kind, learned.evidence, learned.weight))
            return hits
        hits = self._phrases(text, lang)
        if lang == "zh":
            word = zh_question_word(text)
            if word is not None:
                # A final 吗/呢 or an A-not-A form (要不要) is a spoken question mark and weighs as one.
                grammatical = word in "吗嗎呢" or (len(word) == 3 and word[1] in "不没" and word[0] == word[2])
                weight = _QUESTION_MARK_WEIGHT if grammatical else _QUESTION_WORD_START_WEIGHT
                hits.insert(0, (SignalKind.QUESTION_WORD, word, weight))
        elif not _decided(hits):
            # The first word of a sentence (after any greeting) is the costliest rule: read only when the
            # phrases have not already made the message an inquiry.
            word = starts_with_question_word(text, lang)
            if word is not None:
                # The same words found as a phrase ("y a-t-il", "چند") count once, as the question word.
                hits = [hit for hit in hits if normalize(hit[1]) != word]
                hits.insert(0, (SignalKind.QUESTION_WORD, word, _QUESTION_WORD_START_WEIGHT))
        return hits

    def _phrases(self, text: str, lang: str) -> list[_Hit]:
        hits: list[_Hit] = []
        head = text if len(text) <= _LONG_TEXT else text[:_LONG_TEXT]
        folded = normalize(_URL_OR_MENTION_RE.sub(" ", head) if ("@" in head or "/" in head) else head)
        words = spaced(folded)
        tables = _TABLES.for_language(lang)
        if lang == "und":
            tables = _TABLES.for_language("und+")  # Latin text of neither table: Arabic or Farsi in Latin letters?
        elif (lang == "en" or lang == "fr") and _has_digit_letter(head) and _ARABIZI_RE.search(head):
            tables = (*_TABLES.for_language("arabizi"), *tables)
        if lang != "zh" and not head.isascii() and _CJK_RE.search(head):
            # Chinese with English words in it ("刚拿到 open work permit，找工作一定要有 … 吗") may read as English.
            tables = (*tables, *_TABLES.for_language("zh"))
            word = zh_question_word(text)
            if word is not None:
                hits.append((SignalKind.QUESTION_WORD, word, _QUESTION_WORD_START_WEIGHT))
        grammar = bool(hits)  # a question word: thanks do not weigh against it
        first = len(hits)
        thanked = asked = False
        if len(tables) == 1 and not hits:
            for _, _, entry in tables[0].find(words):
                hits.append(entry.hit)
                kind = entry.kind
                if kind is _COURTESY_KIND:
                    thanked = True
                elif kind is _REQUEST_KIND or kind is _INDIRECT_KIND:
                    asked = True
        else:
            seen = {hit[1] for hit in hits}
            for table in tables:
                for _, phrase, entry in table.find(words):
                    if phrase in seen:
                        continue  # once each, whichever table or rule found it first
                    seen.add(phrase)
                    hits.append(entry.hit)
                    kind = entry.kind
                    if kind is _COURTESY_KIND:
                        thanked = True
                    elif kind is _REQUEST_KIND or kind is _INDIRECT_KIND:
                        asked = True
        if thanked and asked and not grammar:
            _thanks_apart(hits, first, words, tables)
        gapped = _GAPPED_RE.get(lang)
        if gapped is not None:
            for pattern, rule in gapped:
                if rule.needle and rule.needle not in folded:
                    continue
                found = pattern.search(folded, max(0, len(folded) - rule.tail)) if rule.tail else pattern.search(folded)
                if found is not None:
                    hits.append((SignalKind.REQUEST, rule.shown, _STRONG))
        if self.examples is not None:
            learned = self.examples.signal(folded, lang)
            if learned is not None:
                hits.append((learned.kind, learned.evidence, learned.weight))
        return hits


_COURTESY_KIND, _REQUEST_KIND, _INDIRECT_KIND = SignalKind.COURTESY, SignalKind.REQUEST, SignalKind.INDIRECT
_SENTENCE_BREAK_RE: Final = re.compile(
    "[.!?؟。！？\n…;؛]|[\U0001f300-\U0001faff\u2600-\u27bf]|(?<=[\u3400-\u9fff]) (?=[\u3400-\u9fff])"
)


def _thanks_apart(hits: list[_Hit], first: int, words: str, tables: tuple[_PhraseTable, ...]) -> None:
    """Thanks weigh against a request in the same sentence ("thanks to all who helped me"), not against one in
    a sentence of its own ("Thanks for adding me 🙏 I'd like to know …"): there the thanks are dropped. Rare
    enough that the phrases are looked up again here for where they stand."""
    breaks = [m.start() for m in _SENTENCE_BREAK_RE.finditer(words)]
    thanked_in: set[int] = set()
    asked_in: set[int] = set()
    for table in tables:
        for start, _, entry in table.find(words):
            if entry.kind is _COURTESY_KIND:
                thanked_in.add(bisect_right(breaks, start))
            elif entry.kind is _REQUEST_KIND or entry.kind is _INDIRECT_KIND:
                asked_in.add(bisect_right(breaks, start))
    if asked_in - thanked_in:
        hits[first:] = [hit for hit in hits[first:] if hit[0] is not _COURTESY_KIND]


def _decided(hits: list[_Hit]) -> bool:
    """The phrases alone make an inquiry: positive weight of a full signal, and nothing against."""
    total = 0.0
    for kind, _, weight in hits:
        if weight < 0:
            return False
        if kind is not SignalKind.WEAK:
            total += weight
    return total >= INQUIRY_SCORE


def _has_digit_letter(text: str) -> bool:
    return "2" in text or "3" in text or "5" in text or "7" in text


class ExampleLookup(Protocol):
    """What the organization taught: a signal for a message like one it promoted or dismissed
    (:class:`moderator_app.domain.examples.ExampleMemory`)."""

    def signal(self, folded: str, language: str) -> Signal | None: ...


def _tally(hits: list[_Hit]) -> tuple[Verdict, float]:
    if not hits:
        return Verdict.NONE, 0.0
    if len(hits) == 1:
        kind, _, weight = hits[0]
        if weight <= 0:
            return Verdict.NONE, weight
        weight = min(weight, _WEAK_CAP if kind is SignalKind.WEAK else _KIND_CAP)
        if weight >= INQUIRY_SCORE:
            return Verdict.INQUIRY, weight
        return (Verdict.POSSIBLE if weight >= POSSIBLE_SCORE else Verdict.NONE), weight
    by_kind: dict[SignalKind, float] = {}
    for kind, _, weight in hits:
        by_kind[kind] = by_kind.get(kind, 0.0) + weight
    positive = negative = courtesy = 0.0
    for kind, total in by_kind.items():
        if total > 0:
            cap = _WEAK_CAP if kind is SignalKind.WEAK else _KIND_CAP
            positive += total if total < cap else cap
        elif kind is SignalKind.COURTESY:
            courtesy = total if total > -_KIND_CAP else -_KIND_CAP
        else:
            negative += total if total > -_KIND_CAP else -_KIND_CAP
    # Thanks and wishes weigh against requests ("thanks to all who helped me"), not against a question
    # ("Ramadan moubarak. Y a-t-il un iftar …", "Thanks! Where is the office?").
    if SignalKind.QUESTION_MARK not in by_kind and SignalKind.QUESTION_WORD not in by_kind:
        negative += courtesy
    score = positive + negative
    if score >= INQUIRY_SCORE - 1e-9:
        return Verdict.INQUIRY, score
    if positive >= POSSIBLE_SCORE and score >= POSSIBLE_SCORE - 1e-9:
        return Verdict.POSSIBLE, score
    return Verdict.NONE, score


#: The detector without an organization's examples (the rules as shipped).
DEFAULT_DETECTOR: Final = InquiryDetector()


def is_question(text: str, language: str | None = None) -> bool:
    """Whether a group message should open an inquiry on its own (DESIGN, "Inquiry"): the detector's verdict
    without the organization's examples."""
    return DEFAULT_DETECTOR.verdict(text, language) is Verdict.INQUIRY
