"""The inquiry lifecycle: what each message in a source means for the inquiries the service owes answers to.

One :class:`ConversationTracker` per source keeps just enough state (which messages belong to which
inquiry, which private chat has an open inquiry) to decide every message in order. It is pure: the store
hydrates it from the log, feeds it messages, and writes what it decides.
"""

from __future__ import annotations

import re
from collections import OrderedDict, deque
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum
from functools import lru_cache

from moderator_app.domain.asking import DEFAULT_DETECTOR, InquiryDetector, Verdict
from moderator_app.domain.clock import ServiceClock
from moderator_app.domain.events import MessageRecord, SourceKind
from moderator_app.domain.language import detect_language
from moderator_app.domain.questions import is_greeting_only
from moderator_app.domain.referrals import ReferralMatcher, ReferralOrganization
from moderator_app.domain.reports import report_reason
from moderator_app.domain.safety import NO_URGENT_WORDS, UrgentHit, UrgentMatcher, merge
from moderator_app.domain.text import normalize
from moderator_app.domain.topics import classify_post_type, classify_topic, post_type_keyword


class InquiryState(StrEnum):
    OPEN = "open"
    ACKNOWLEDGED = "acknowledged"
    MEMBER_ANSWERED = "member_answered"
    ANSWERED = "answered"
    DISMISSED = "dismissed"
    #: Some sign of asking under the detector's threshold: listed for the moderator, not counted, no
    #: countdown, until promoted (then open), answered by staff (then a revealed inquiry) or dismissed.
    POSSIBLE = "possible"


#: States in which the service still owes something (the inbox).
OPEN_STATES = frozenset({InquiryState.OPEN, InquiryState.ACKNOWLEDGED, InquiryState.MEMBER_ANSWERED})
#: States left out of every count and of the service standard.
UNCOUNTED_STATES = frozenset({InquiryState.DISMISSED, InquiryState.POSSIBLE})


class Detection(StrEnum):
    QUESTION = "question"  # a group message detected as a question
    PRIVATE = "private"  # a private message (every member message opens one)
    PROMOTED = "promoted"  # promoted by a moderator
    COURTESY = "courtesy"  # a private "thank you" after an answer: opened and dismissed at once
    REVEALED = "revealed"  # a group message the detector passed over, which staff answered
    POSSIBLE = "possible"  # a group message with some sign of asking, under the threshold


class LinkKind(StrEnum):
    """How a staff message was tied to the inquiry it answers (kept on the response, shown in the window)."""

    REPLY = "reply"  # Telegram's reply
    MENTION = "mention"  # named the member: @username, a text mention, or the first name opening it
    SEQUENCE = "sequence"  # the first staff message after the source's only open, recent inquiry
    MODERATOR = "moderator"  # linked by hand


class Role(StrEnum):
    """What a message was to the rules; kept on the message row so every count can be traced."""

    QUESTION = "question"
    POSSIBLE = "possible"  # a possible inquiry's message (see InquiryState.POSSIBLE)
    FOLLOW_UP = "follow_up"
    MEMBER_ANSWER = "member_answer"
    STAFF_REPLY = "staff_reply"
    ACKNOWLEDGEMENT = "acknowledgement"
    POST = "post"
    STAFF_OTHER = "staff_other"
    CHATTER = "chatter"
    SERVICE = "service"
    REPORT = "report"  # a member's /report or @admin reply: for the moderators (domain.reports), no inquiry


#: Roles of a staff message tied to an inquiry (an answer, or a holding reply), as the log stores them.
TIED_ROLES: tuple[str, ...] = (Role.STAFF_REPLY.value, Role.ACKNOWLEDGEMENT.value)


class ResponseKind(StrEnum):
    INFORMATION = "information"
    REFERRAL = "referral"
    POST = "post"
    ACKNOWLEDGEMENT = "acknowledgement"


#: Media that never opens an inquiry on its own.
NON_INQUIRY_MEDIA = frozenset({"sticker", "animation", "reaction", "dice", "game"})

_COURTESY = re.compile(
    r"^[\s\W\d_]*(?:thanks?(?: you)?(?: (?:so|very) much)?|thx|ty|ok(?:ay)?|merci(?: beaucoup)?|d'accord|"
    r"شكرا(?: جزيلا)?|شكرًا|مشكور(?:ة)?|تمام|ممنون(?:م)?|مرسی|سپاس(?:گزارم)?|谢谢(?:你|您)?|好的)"
    r"[\s\W\d_]*$",
    re.IGNORECASE,
)


#: Thanks in the languages members write, anywhere in a short message ("Perfect, thanks!", "سپاس فراوان").
_THANKS = re.compile(
    r"(?<!\w)(?:thanks?|thank you|thx|(?:much )?appreciated?|merci|gracias|شكر|مشكور|جزاك(?:م)? الله|"
    r"يعطيك(?:م)? العافية|ممنون|مرسی|مرسي|سپاس|متشکر|تشکر|دست(?:تون| شما) درد نکنه)|谢谢|感谢|多谢",
    re.IGNORECASE,
)
_QUESTION_MARKS = frozenset("?؟？")


def is_courtesy(text: str) -> bool:
    """A closing "thank you"/"ok" (with emoji), which needs no answer: the whole message, or a short one
    (eight words at most, no question mark) that thanks."""
    stripped = text.replace("\u064b", "").replace("\u0640", "").strip()
    if not stripped:
        return False
    if _COURTESY.match(stripped):
        return True
    if _QUESTION_MARKS.intersection(stripped) or len(stripped.split()) > 8:
        return False
    return bool(_THANKS.search(stripped))


@dataclass(slots=True, eq=False, weakref_slot=True)
class TrackedInquiry:
    """The parts of an inquiry the rules need; ``id`` is filled in by the store once the row exists."""

    chat_id: int
    question_id: int
    member: int | None
    state: InquiryState
    detection: Detection
    arrival: datetime
    clock_start: datetime
    due: datetime
    language: str = "und"
    topic: str = "other"
    first_response_at: datetime | None = None
    first_response_seconds: float | None = None
    business_response_seconds: float | None = None
    met_standard: bool | None = None
    responder: int | None = None
    member_answered_at: datetime | None = None
    answered_at: datetime | None = None
    dismissed_at: datetime | None = None
    follow_up_on: date | None = None
    #: Why the rules took it for an inquiry (the detector's signals, "staff replied", ...): for "why?".
    reason: str = ""
    #: The urgent words its messages matched (safety.describe), if any: listed under "Urgent" at once.
    urgent: str = ""
    id: int | None = None
    dirty: bool = field(default=True)

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    @property
    def counted(self) -> bool:
        return self.state not in UNCOUNTED_STATES

    def record_first_response(self, at: datetime, responder: int | None, clock: ServiceClock) -> bool:
        """Set the first response if there was none; returns whether this was it."""
        if self.first_response_at is not None:
            return False
        self.first_response_at = at
        self.first_response_seconds = max(0.0, (at - self.arrival).total_seconds())
        self.responder = responder
        self.measure(clock)
        return True

    def measure(self, clock: ServiceClock) -> None:
        """The first response against the standard: business time from the clock start, and met or not."""
        if self.first_response_at is not None:
            self.business_response_seconds = clock.counted(self.clock_start, self.first_response_at).total_seconds()
            self.met_standard = self.first_response_at <= self.due


@dataclass(slots=True)
class Decision:
    """What one message meant."""

    role: Role
    inquiry: TrackedInquiry | None = None
    opened: bool = False
    response: ResponseKind | None = None
    referrals: Sequence[ReferralOrganization] = ()  # no list built for each of the messages that name none
    post_type: str | None = None
    first_response: bool = False
    link: LinkKind | None = None  # for a staff answer: how it was tied to the inquiry
    #: A revealed inquiry: the earlier member message (chat, telegram id) that is now its question.
    revealed: tuple[int, int] | None = None


@dataclass(frozen=True, slots=True)
class StaffAnswer:
    """A staff message tied to an inquiry, as :meth:`ConversationTracker.reassess` takes it."""

    at: datetime
    responder: int | None
    holding: bool  # a holding reply: the first response, not an answer


@dataclass(slots=True, eq=False)  # compared by identity: the indexes find and drop this very object
class _Ask:
    """An open group inquiry and who asked it: what an answer without Telegram's reply is matched against."""

    inquiry: TrackedInquiry
    topic_id: int | None
    user_id: int | None  # the asker's Telegram user id (text mentions carry it)
    first_name: str  # normalized first word of the asker's name
    username: str  # casefolded, without "@"
    gone: bool = False  # left the mention window (see _OpenAsks)

    @property
    def live(self) -> bool:
        """Still in the mention window and still open: a staff message may answer it."""
        return not self.gone and self.inquiry.is_open


class _OpenAsks:
    """The open group inquiries of the mention window, indexed the ways a staff message can name them.

    Removal is lazy: an ask that left the window is flagged, closed and flagged ones are dropped from the end
    of a list when a lookup meets them, and the indexes are rebuilt from the window once it has turned over,
    so each ask costs a bounded amount of work and a long import stays linear.
    """

    def __init__(self) -> None:
        self._order: deque[_Ask] = deque()
        self._added = 0
        self.by_user: dict[int, list[_Ask]] = {}
        self.by_username: dict[str, list[_Ask]] = {}
        self.by_name: dict[str, list[_Ask]] = {}
        self.by_scope: dict[tuple[int, int | None], list[_Ask]] = {}

    def __bool__(self) -> bool:
        return bool(self._order)

    def add(self, ask: _Ask) -> None:
        self._order.append(ask)
        self._index(ask)
        self._added += 1
        if self._added >= 4096 and self._added >= 2 * len(self._order):
            self._rebuild()

    def _index(self, ask: _Ask) -> None:
        if ask.user_id is not None:
            self.by_user.setdefault(ask.user_id, []).append(ask)
        if ask.username:
            self.by_username.setdefault(ask.username, []).append(ask)
        if ask.first_name:
            self.by_name.setdefault(ask.first_name, []).append(ask)
        self.by_scope.setdefault((ask.inquiry.chat_id, ask.topic_id), []).append(ask)

    def _rebuild(self) -> None:
        """Indexes of the asks still in the window and open (the others were only flagged)."""
        self._order = deque(a for a in self._order if a.inquiry.is_open)
        self._added = len(self._order)
        self.by_user, self.by_username, self.by_name, self.by_scope = {}, {}, {}, {}
        for ask in self._order:
            self._index(ask)

    def forget_before(self, oldest: datetime) -> None:
        order = self._order
        while order and order[0].inquiry.arrival < oldest:
            order.popleft().gone = True

    @staticmethod
    def latest(asks: list[_Ask] | None) -> _Ask | None:
        """The newest still open of ``asks`` (closed or forgotten ones met on the way are dropped)."""
        while asks:
            last = asks[-1]
            if last.live:
                return last
            asks.pop()
        return None

    def only_open(self, chat_id: int, topic_id: int | None) -> TrackedInquiry | None:
        """The scope's open inquiry if it has exactly one. Read newest first, it stops at the second open one."""
        scope = self.by_scope.get((chat_id, topic_id))
        if not scope:
            return None
        while scope and not scope[-1].live:
            scope.pop()
        found: TrackedInquiry | None = None
        for ask in reversed(scope):
            if not ask.live:
                continue
            if found is not None:
                return None
            found = ask.inquiry
        return found


#: A staff message opening with a member's name: "Amal, the office is …", "@amal you can …", "Hi Amal," ...
_OPENING_NAME_RE = re.compile(
    r"^\W*(?:(?:hi|hello|hey|dear|bonjour|salut|سلام|مرحبا|اهلا|أهلا|您好|你好)\s+)?(?P<name>[^\W\d_]+)\s*[,،:：]",
    re.IGNORECASE,
)
_AT_NAME_RE = re.compile(r"@(\w{3,32})")


#: A staff message without a reply answers the source's only open inquiry asked this recently (a setting).
DEFAULT_ANSWER_WINDOW = timedelta(hours=2)
#: Open group inquiries older than this are not matched by a mention (they stay open, and a reply still
#: answers them): it bounds what an import keeps in memory.
MENTION_WINDOW = timedelta(days=14)
#: The last member messages that opened no inquiry are kept for a staff reply that reveals one; a reply to
#: an older one asks the log (:attr:`ConversationTracker.recall_message`).
CHATTER_KEPT = 20_000  # messages per source: a few days of a busy group


class ConversationTracker:
    """Decides messages of one source, in order."""

    def __init__(
        self,
        kind: SourceKind,
        matcher: ReferralMatcher,
        clock: ServiceClock,
        default_language: str | None = None,
        *,
        detector: InquiryDetector = DEFAULT_DETECTOR,
        answer_window: timedelta = DEFAULT_ANSWER_WINDOW,
        urgent_words: UrgentMatcher = NO_URGENT_WORDS,
    ) -> None:
        self.kind = kind
        self.urgent_words = urgent_words
        self.matcher = matcher
        self.clock = clock
        self.default_language = default_language
        self.detector = detector
        self.answer_window = answer_window
        # Group sources: open inquiries with their askers, newest last, and per (chat, topic) the time of
        # the latest staff message (the sequence rule needs "the first staff message after the question").
        self._asks = _OpenAsks()
        self._last_staff: dict[tuple[int, int | None], datetime] = {}
        # Member messages that opened nothing, for a staff reply that reveals an inquiry, oldest first (an
        # OrderedDict: a dict finds its first key by walking past the keys deleted before it, and this one
        # drops its oldest on every message once full).
        self._chatter: OrderedDict[tuple[int, int], tuple[MessageRecord, int | None]] = OrderedDict()
        self._chatter_horizon: dict[int, int] = {}
        #: Asked for a member message (and its member id) older than what is kept; the store answers.
        self.recall_message: Callable[[int, int], tuple[MessageRecord, int | None] | None] | None = None
        self._by_message: dict[tuple[int, int], TrackedInquiry] = {}
        self._open_private: dict[int, TrackedInquiry] = {}
        # Links in the order they were made, so old ones can be forgotten (see forget_before).
        self._recent: deque[tuple[datetime, tuple[int, int]]] = deque()
        #: Asked for a (chat, message) link that is no longer in memory; the store answers from the log.
        self.recall: Callable[[int, int], TrackedInquiry | None] | None = None
        # Per chat, the message id below which links may have been forgotten (or were never loaded).
        self._horizon: dict[int, int] = {}
        #: Moderators' answer links, (chat, staff message) -> (chat, question) of the inquiry it answers, or
        #: None (it answers nothing); they overrule the rules (re-deriving the log follows them).
        self.moderator_links: dict[tuple[int, int], tuple[int, int] | None] = {}

    # -- state ------------------------------------------------------------------------------------------
    def set_horizon(self, chat_id: int, telegram_id: int) -> None:
        """Messages of ``chat_id`` below ``telegram_id`` are in the log but not in memory: ask :attr:`recall`."""
        self._horizon[chat_id] = max(self._horizon.get(chat_id, 0), telegram_id)
        # Member messages stored before are not remembered here either: a reply to one asks the log.
        self._chatter_horizon[chat_id] = max(self._chatter_horizon.get(chat_id, 0), telegram_id)

    def load(self, inquiries: Iterable[TrackedInquiry]) -> None:
        """Hydrate from the log (the open private inquiries); other links are recalled when replies need them."""
        for inquiry in inquiries:
            inquiry.dirty = False
            self._by_message[(inquiry.chat_id, inquiry.question_id)] = inquiry
            if self.kind is SourceKind.PRIVATE and inquiry.is_open:
                current = self._open_private.get(inquiry.chat_id)
                if current is None or current.arrival < inquiry.arrival:
                    self._open_private[inquiry.chat_id] = inquiry

    def load_asks(self, asks: Iterable[tuple[TrackedInquiry, int | None, int | None, str, str]]) -> None:
        """Hydrate the open group inquiries of the mention window: (inquiry, topic, asker's Telegram user id,
        asker's name, username), oldest first."""
        for inquiry, topic_id, user_id, name, username in asks:
            inquiry.dirty = False
            self._by_message.setdefault((inquiry.chat_id, inquiry.question_id), inquiry)
            self._asks.add(_Ask(inquiry, topic_id, user_id, _first_name(name), username.casefold()))

    def inquiry_of(self, chat_id: int, telegram_id: int) -> TrackedInquiry | None:
        found = self._by_message.get((chat_id, telegram_id))
        if found is None and self.recall is not None and telegram_id < self._horizon.get(chat_id, 0):
            found = self.recall(chat_id, telegram_id)
            if found is not None:
                self._by_message[(chat_id, telegram_id)] = found
        return found

    def _link(self, message: MessageRecord, inquiry: TrackedInquiry) -> None:
        key = (message.chat_id, message.telegram_id)
        self._by_message[key] = inquiry
        self._recent.append((message.date, key))

    def relinked(self, chat_id: int, telegram_id: int, inquiry: TrackedInquiry | None) -> None:
        """A moderator tied a staff message to ``inquiry`` (None: to none) in the log: a member's reply to that
        message now joins that inquiry (or is judged on its own)."""
        if inquiry is None:
            self._by_message.pop((chat_id, telegram_id), None)
        else:
            self._by_message[(chat_id, telegram_id)] = inquiry

    def forget_before(self, moment: datetime) -> int:
        """Drop links made before ``moment`` whose inquiry is already in the log, so a long import keeps a
        bounded window in memory; a reply to something older is looked up again through :attr:`recall`."""
        forgotten = 0
        recent = self._recent
        while recent and recent[0][0] < moment:
            _, key = recent[0]
            inquiry = self._by_message.get(key)
            if inquiry is not None:
                if inquiry.id is None or inquiry.dirty:
                    break  # not written yet: keep it (and everything after it) for now
                if self._open_private.get(inquiry.chat_id) is not inquiry:
                    del self._by_message[key]
                    forgotten += 1
            chat_id, telegram_id = key
            if telegram_id + 1 > self._horizon.get(chat_id, 0):
                self._horizon[chat_id] = telegram_id + 1
            recent.popleft()
        return forgotten

    # -- rules ------------------------------------------------------------------------------------------
    def observe(self, message: MessageRecord, sender: int | None, from_staff: bool) -> Decision:
        if message.is_service:
            return Decision(Role.SERVICE)
        if from_staff:
            return self._staff(message, sender)
        if (
            self.kind is not SourceKind.PRIVATE
            and report_reason(message.text, message.reply_to is not None) is not None
        ):
            return Decision(Role.REPORT)
        hits = self.urgent_words.find(message.text) if message.text and self.urgent_words else ()
        if self.kind is SourceKind.PRIVATE:
            decision = self._private_member(message, sender)
        else:
            decision = self._group_member(message, sender, hits)
        if hits and decision.inquiry is not None:
            # Whatever the message is to its inquiry (the question, a follow-up, another member's answer),
            # the inquiry is flagged: the moderator reads the conversation it is in.
            flag = merge(decision.inquiry.urgent, hits)
            if flag != decision.inquiry.urgent:
                decision.inquiry.urgent = flag
                decision.inquiry.dirty = True
        return decision

    def _open(
        self, message: MessageRecord, sender: int | None, detection: Detection, language: str | None = None
    ) -> TrackedInquiry:
        if language is None:
            language = detect_language(message.text) if message.text else "und"
        if language == "und" and self.default_language:
            language = self.default_language
        arrival = message.date
        clock_start, due = self.clock.start_and_due(arrival)
        inquiry = TrackedInquiry(
            chat_id=message.chat_id,
            question_id=message.telegram_id,
            member=sender,
            state=InquiryState.OPEN,
            detection=detection,
            arrival=arrival,
            clock_start=clock_start,
            due=due,
            language=language,
            topic=classify_topic(message.text, language) if message.text else "other",
        )
        self._link(message, inquiry)
        return inquiry

    def _join(self, inquiry: TrackedInquiry, message: MessageRecord) -> None:
        self._link(message, inquiry)
        if inquiry.language == "und" and message.text:
            inquiry.language = detect_language(message.text)
            inquiry.topic = classify_topic(message.text, inquiry.language)
            inquiry.dirty = True

    def _private_member(self, message: MessageRecord, sender: int | None) -> Decision:
        inquiry = self._open_private.get(message.chat_id)
        if inquiry is not None and inquiry.is_open:
            self._join(inquiry, message)
            return Decision(Role.FOLLOW_UP, inquiry)
        if message.media_kind in NON_INQUIRY_MEDIA or (not message.text and message.media_kind is None):
            return Decision(Role.CHATTER)
        if message.text and is_courtesy(message.text):
            inquiry = self._open(message, sender, Detection.COURTESY)
            inquiry.state = InquiryState.DISMISSED
            inquiry.dismissed_at = message.date
            return Decision(Role.QUESTION, inquiry, opened=True)
        inquiry = self._open(message, sender, Detection.PRIVATE)
        self._open_private[message.chat_id] = inquiry
        return Decision(Role.QUESTION, inquiry, opened=True)

    def _group_member(self, message: MessageRecord, sender: int | None, hits: tuple[UrgentHit, ...] = ()) -> Decision:
        target = self.inquiry_of(message.chat_id, message.reply_to) if message.reply_to else None
        if target is not None and target.state is InquiryState.POSSIBLE:
            # Replies to a possible inquiry: the asker's own follow-up joins it; anyone else's is judged alone.
            if sender is not None and sender == target.member:
                self._join(target, message)
                return Decision(Role.FOLLOW_UP, target)
            target = None
        if target is not None and target.state is not InquiryState.DISMISSED:
            mine = sender is not None and sender == target.member
            if target.is_open:
                if mine:
                    self._join(target, message)
                    return Decision(Role.FOLLOW_UP, target)
                self._link(message, target)
                if target.state is InquiryState.OPEN:
                    target.state = InquiryState.MEMBER_ANSWERED
                    target.member_answered_at = message.date
                    target.dirty = True
                return Decision(Role.MEMBER_ANSWER, target)
            # A reply to an answered inquiry: a new question opens a new inquiry; the rest is chatter
            # (or, from the asker, a follow-up that stays with the answered inquiry). Urgent words are
            # listed on their own, not left in a closed conversation.
            language, verdict, reason = self._assess(message, hits)
            if verdict is not Verdict.INQUIRY and not hits:
                if mine:
                    self._join(target, message)
                    return Decision(Role.FOLLOW_UP, target)
                self._remember_chatter(message, sender)
                return Decision(Role.CHATTER)
        else:
            language, verdict, reason = self._assess(message, hits)
        if verdict is Verdict.INQUIRY:
            inquiry = self._open(message, sender, Detection.QUESTION, language)
            inquiry.reason = reason
            self._track_ask(inquiry, message)
            return Decision(Role.QUESTION, inquiry, opened=True)
        if verdict is Verdict.POSSIBLE:
            inquiry = self._open(message, sender, Detection.POSSIBLE, language)
            inquiry.state = InquiryState.POSSIBLE
            inquiry.reason = reason
            return Decision(Role.POSSIBLE, inquiry, opened=True)
        self._remember_chatter(message, sender)
        return Decision(Role.CHATTER)

    def _assess(self, message: MessageRecord, hits: tuple[UrgentHit, ...] = ()) -> tuple[str, Verdict, str]:
        """The message's language, the detector's verdict and its reason (detection runs only when it matters).
        A message with urgent words that asks nothing is a possible inquiry: listed for a person to read."""
        text = message.text
        if not text or message.media_kind in NON_INQUIRY_MEDIA:
            return "und", Verdict.NONE, ""
        language = detect_language(text)
        verdict, reason = self.detector.judge(text, language)
        if hits and verdict is Verdict.NONE:
            return language, Verdict.POSSIBLE, "urgent words: " + ", ".join(hit.term for hit in hits)
        return language, verdict, reason

    def _remember_chatter(self, message: MessageRecord, sender: int | None) -> None:
        if message.text or message.media_kind is not None:
            chatter = self._chatter
            chatter[(message.chat_id, message.telegram_id)] = (message, sender)
            if len(chatter) > CHATTER_KEPT:
                (chat_id, telegram_id), _ = chatter.popitem(last=False)
                if telegram_id + 1 > self._chatter_horizon.get(chat_id, 0):
                    self._chatter_horizon[chat_id] = telegram_id + 1

    def _track_ask(self, inquiry: TrackedInquiry, message: MessageRecord) -> None:
        peer = message.sender
        if peer is None or peer.peer_type != "user":
            self._asks.add(_Ask(inquiry, message.topic_id, None, "", ""))
        else:
            self._asks.add(
                _Ask(inquiry, message.topic_id, peer.telegram_id, _first_name(peer.name), peer.username.casefold())
            )

    def _reveal(self, chat_id: int, telegram_id: int) -> TrackedInquiry | None:
        """A staff reply to a member message that opened nothing: it was an inquiry after all."""
        remembered = self._chatter.pop((chat_id, telegram_id), None)
        if remembered is None:
            if self.recall_message is None or telegram_id >= self._chatter_horizon.get(chat_id, 0):
                return None
            remembered = self.recall_message(chat_id, telegram_id)
            if remembered is None:
                return None
        question, member = remembered
        if not question.text and question.media_kind is None:
            return None
        if _says_nothing(question.text):
            return None  # "Good morning everyone" answered with "Good morning!": no one asked anything
        inquiry = self._open(question, member, Detection.REVEALED)
        inquiry.reason = "staff replied to it"
        return inquiry

    def _unreplied_target(self, message: MessageRecord) -> tuple[TrackedInquiry | None, LinkKind | None]:
        """The open inquiry a staff message without Telegram's reply answers, and how it was matched."""
        asks = self._asks
        asks.forget_before(message.date - MENTION_WINDOW)
        if not asks:
            return None, None
        text = message.text
        for user_id in message.mentioned_ids:
            found = asks.latest(asks.by_user.get(user_id))
            if found is not None:
                return found.inquiry, LinkKind.MENTION
        if "@" in text:
            for match in _AT_NAME_RE.finditer(text):
                found = asks.latest(asks.by_username.get(match.group(1).casefold()))
                if found is not None:
                    return found.inquiry, LinkKind.MENTION
        opening = _OPENING_NAME_RE.match(text)
        if opening is not None:
            named = [a for a in asks.by_name.get(normalize(opening.group("name")), ()) if a.live]
            # Two different members with that first name: never guess between them.
            if named and len({a.user_id if a.user_id is not None else id(a) for a in named}) == 1:
                return named[-1].inquiry, LinkKind.MENTION
        only = asks.only_open(message.chat_id, message.topic_id)
        if only is None:
            return None, None
        last_staff = self._last_staff.get((message.chat_id, message.topic_id))
        if (
            message.date - only.arrival <= self.answer_window
            and (last_staff is None or last_staff < only.arrival)
            and post_type_keyword(text) is None
        ):
            return only, LinkKind.SEQUENCE
        return None, None

    def _staff(self, message: MessageRecord, sender: int | None) -> Decision:
        link = LinkKind.REPLY
        revealed: tuple[int, int] | None = None
        if message.answers_nothing:
            return Decision(Role.STAFF_OTHER)
        if self.moderator_links and (message.chat_id, message.telegram_id) in self.moderator_links:
            return self._staff_as_linked(message, sender)
        if self.kind is SourceKind.PRIVATE:
            target = self._open_private.get(message.chat_id)
            if target is None or not target.is_open:
                return Decision(Role.STAFF_OTHER)
        elif message.reply_to is None:
            found, how = self._unreplied_target(message) if message.text else (None, None)
            self._last_staff[(message.chat_id, message.topic_id)] = message.date
            if found is None or how is None:
                post_type = classify_post_type(message.text)
                return Decision(Role.POST, response=ResponseKind.POST, post_type=post_type)
            target, link = found, how
        else:
            self._last_staff[(message.chat_id, message.topic_id)] = message.date
            found = self.inquiry_of(message.chat_id, message.reply_to)
            if found is None:
                if _says_nothing(message.text):
                    return Decision(Role.STAFF_OTHER)  # "You're welcome", "Good morning!" answer nothing
                found = self._reveal(message.chat_id, message.reply_to)
                if found is None:
                    return Decision(Role.STAFF_OTHER)
                revealed = (message.chat_id, message.reply_to)
            elif found.state is InquiryState.DISMISSED:
                return Decision(Role.STAFF_OTHER)
            elif found.state is InquiryState.POSSIBLE:
                found.state = InquiryState.OPEN
                found.detection = Detection.REVEALED
                found.reason = "staff replied to it" + (f" ({found.reason})" if found.reason else "")
                found.dirty = True
            target = found
        decision = self._hold(target, message, sender) if message.holding else self._answer(target, message, sender)
        decision.link = link
        if revealed is not None:
            decision.revealed = revealed
            decision.opened = True
        return decision

    def _staff_as_linked(self, message: MessageRecord, sender: int | None) -> Decision:
        """A staff message a moderator linked by hand (or said answers nothing): their word decides."""
        if self.kind is not SourceKind.PRIVATE:
            self._last_staff[(message.chat_id, message.topic_id)] = message.date
        question = self.moderator_links[(message.chat_id, message.telegram_id)]
        target = None
        revealed: tuple[int, int] | None = None
        if question is not None:
            target = self.inquiry_of(*question)
            if target is None:
                target = self._reveal(*question)
                revealed = question if target is not None else None
        if target is None or target.state is InquiryState.DISMISSED:
            if self.kind is SourceKind.PRIVATE:
                return Decision(Role.STAFF_OTHER)
            return Decision(Role.POST, response=ResponseKind.POST, post_type=classify_post_type(message.text))
        if target.state is InquiryState.POSSIBLE:
            target.state = InquiryState.OPEN
            target.detection = Detection.REVEALED
            target.dirty = True
        decision = self._hold(target, message, sender) if message.holding else self._answer(target, message, sender)
        decision.link = LinkKind.MODERATOR
        if revealed is not None:
            decision.revealed = revealed
            decision.opened = True
        return decision

    def _hold(self, inquiry: TrackedInquiry, message: MessageRecord, sender: int | None) -> Decision:
        """A holding reply ("we are looking into it"): the first response, not an answer, not information."""
        self._link(message, inquiry)
        first = inquiry.record_first_response(message.date, sender, self.clock)
        if inquiry.state in (InquiryState.OPEN, InquiryState.MEMBER_ANSWERED):
            inquiry.state = InquiryState.ACKNOWLEDGED
        inquiry.dirty = True
        return Decision(Role.ACKNOWLEDGEMENT, inquiry, first_response=first)

    def _answer(self, inquiry: TrackedInquiry, message: MessageRecord, sender: int | None) -> Decision:
        self._link(message, inquiry)
        referrals = self.matcher.find(message.text) if message.text else []
        first = inquiry.record_first_response(message.date, sender, self.clock)
        if inquiry.state is not InquiryState.ANSWERED:
            inquiry.state = InquiryState.ANSWERED
            inquiry.answered_at = message.date
        inquiry.dirty = True
        if self.kind is SourceKind.PRIVATE:
            self._open_private.pop(message.chat_id, None)
        kind = ResponseKind.REFERRAL if referrals else ResponseKind.INFORMATION
        return Decision(Role.STAFF_REPLY, inquiry, response=kind, referrals=referrals, first_response=first)

    # -- moderator actions (used by the workstation) ---------------------------------------------------
    def acknowledge(self, inquiry: TrackedInquiry, at: datetime, responder: int | None) -> bool:
        """A holding reply: the first response is met, the inquiry stays open."""
        if not inquiry.is_open:
            return False
        inquiry.record_first_response(at, responder, self.clock)
        inquiry.state = InquiryState.ACKNOWLEDGED
        inquiry.dirty = True
        return True

    def mark_answered(self, inquiry: TrackedInquiry, at: datetime, responder: int | None) -> bool:
        """Answered outside the chat (by phone, in person) or a member's answer confirmed as right; the
        first response is this moment if there was none."""
        if inquiry.state in (InquiryState.ANSWERED, InquiryState.DISMISSED):
            return False
        inquiry.record_first_response(at, responder, self.clock)
        inquiry.state = InquiryState.ANSWERED
        inquiry.answered_at = at
        inquiry.dirty = True
        if self._open_private.get(inquiry.chat_id) is inquiry:
            del self._open_private[inquiry.chat_id]
        return True

    def dismiss(self, inquiry: TrackedInquiry, at: datetime) -> None:
        inquiry.state = InquiryState.DISMISSED
        inquiry.dismissed_at = at
        inquiry.dirty = True
        if self._open_private.get(inquiry.chat_id) is inquiry:
            del self._open_private[inquiry.chat_id]

    def adopt(self, held: TrackedInquiry, fresh: TrackedInquiry) -> None:
        """A moderator changed this inquiry in the log, elsewhere (another workstation, while the connector
        runs on a third machine): the inquiry held in memory takes the log's view, so the next message builds
        on it rather than writing the older state back."""
        for name in (
            "state",
            "detection",
            "language",
            "topic",
            "first_response_at",
            "first_response_seconds",
            "business_response_seconds",
            "met_standard",
            "responder",
            "member_answered_at",
            "answered_at",
            "dismissed_at",
            "follow_up_on",
        ):
            setattr(held, name, getattr(fresh, name))
        held.dirty = False
        if not held.is_open and self._open_private.get(held.chat_id) is held:
            del self._open_private[held.chat_id]

    def restored(self, inquiry: TrackedInquiry) -> None:
        """A decision was undone: an open private inquiry is again the one its chat's messages join."""
        if self.kind is SourceKind.PRIVATE and inquiry.is_open:
            current = self._open_private.get(inquiry.chat_id)
            if current is None or current.arrival < inquiry.arrival:
                self._open_private[inquiry.chat_id] = inquiry

    def promote(self, inquiry: TrackedInquiry, at: datetime) -> bool:
        """A moderator says a possible inquiry (or a dismissed one) is an inquiry after all: it is counted and
        its countdown runs from when it was asked, as every inquiry's does."""
        if inquiry.state not in (InquiryState.POSSIBLE, InquiryState.DISMISSED):
            return False
        inquiry.state = InquiryState.OPEN
        inquiry.detection = Detection.PROMOTED
        inquiry.dismissed_at = None
        inquiry.clock_start, inquiry.due = self.clock.start_and_due(inquiry.arrival)
        inquiry.dirty = True
        return True

    def open_promoted(self, message: MessageRecord, sender: int | None) -> TrackedInquiry:
        """A message a moderator made an inquiry (re-deriving history keeps that decision)."""
        inquiry = self._open(message, sender, Detection.PROMOTED)
        if self.kind is not SourceKind.PRIVATE:
            self._track_ask(inquiry, message)
        return inquiry

    def reassess(
        self, inquiry: TrackedInquiry, answers: Iterable[StaffAnswer], decided_at: datetime | None = None
    ) -> None:
        """A moderator moved a staff answer to or from this inquiry: its first response and state are worked
        out again from the staff messages now tied to it (and a moderator's "answered" at ``decided_at``), as
        the rules would have made them. A member's answer stays. A possible inquiry given an answer is revealed;
        a revealed one left with none is possible again (listed for a moderator's decision, not counted)."""
        events = sorted(answers, key=lambda a: a.at)
        if decided_at is not None:
            events = sorted([*events, StaffAnswer(decided_at, None, False)], key=lambda a: a.at)
        for name in (
            "first_response_at",
            "first_response_seconds",
            "business_response_seconds",
            "met_standard",
            "responder",
            "answered_at",
        ):
            setattr(inquiry, name, None)
        inquiry.dirty = True
        if inquiry.state is InquiryState.DISMISSED:
            return
        if inquiry.state is InquiryState.POSSIBLE and events:
            inquiry.detection = Detection.REVEALED
        elif inquiry.detection is Detection.REVEALED and not events:
            inquiry.state = InquiryState.POSSIBLE
            return
        if inquiry.state is InquiryState.POSSIBLE:
            return
        inquiry.state = InquiryState.MEMBER_ANSWERED if inquiry.member_answered_at is not None else InquiryState.OPEN
        for answer in events:
            inquiry.record_first_response(answer.at, answer.responder, self.clock)
            if answer.holding:
                if inquiry.state in (InquiryState.OPEN, InquiryState.MEMBER_ANSWERED):
                    inquiry.state = InquiryState.ACKNOWLEDGED
            elif inquiry.state is not InquiryState.ANSWERED:
                inquiry.state = InquiryState.ANSWERED
                inquiry.answered_at = answer.at

    def open_possible(self, message: MessageRecord, sender: int | None) -> TrackedInquiry:
        """A message a moderator's decision left possible (re-deriving history keeps that decision)."""
        inquiry = self._open(message, sender, Detection.POSSIBLE)
        inquiry.state = InquiryState.POSSIBLE
        return inquiry

    def recompute_due(self, inquiry: TrackedInquiry) -> None:
        """After the standard changed: inquiries still open are re-measured; closed ones keep their figures."""
        if not inquiry.is_open:
            return
        inquiry.clock_start, inquiry.due = self.clock.start_and_due(inquiry.arrival)
        inquiry.measure(self.clock)
        inquiry.dirty = True


def _says_nothing(text: str) -> bool:
    """Only thanks or a greeting: it neither asks nor answers."""
    return bool(text) and (is_courtesy(text) or is_greeting_only(text))


@lru_cache(maxsize=4096)
def _first_name(name: str) -> str:
    """The first word of a display name, folded as text is (for "Amal, the office is …")."""
    words = normalize(name).split()
    return words[0].strip(".,;:!?()[]\"'«»") if words else ""
