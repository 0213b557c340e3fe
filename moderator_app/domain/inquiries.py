"""The inquiry lifecycle: what each message in a source means for the inquiries the service owes answers to.

One :class:`ConversationTracker` per source keeps just enough state (which messages belong to which
inquiry, which private chat has an open inquiry) to decide every message in order. It is pure: the store
hydrates it from the log, feeds it messages, and writes what it decides.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

from moderator_app.domain.events import MessageRecord, SourceKind
from moderator_app.domain.referrals import ReferralMatcher, ReferralOrganization
from moderator_app.domain.standard import ServiceClock
from moderator_app.domain.text import classify_post_type, classify_topic, detect_language, is_question


class InquiryState(StrEnum):
    OPEN = "open"
    ACKNOWLEDGED = "acknowledged"
    MEMBER_ANSWERED = "member_answered"
    ANSWERED = "answered"
    DISMISSED = "dismissed"


#: States in which the service still owes something (the inbox).
OPEN_STATES = frozenset({InquiryState.OPEN, InquiryState.ACKNOWLEDGED, InquiryState.MEMBER_ANSWERED})


class Detection(StrEnum):
    QUESTION = "question"  # a group message detected as a question
    PRIVATE = "private"  # a private message (every member message opens one)
    PROMOTED = "promoted"  # promoted by a moderator
    COURTESY = "courtesy"  # a private "thank you" after an answer: opened and dismissed at once


class Role(StrEnum):
    """What a message was to the rules; kept on the message row so every count can be traced."""

    QUESTION = "question"
    FOLLOW_UP = "follow_up"
    MEMBER_ANSWER = "member_answer"
    STAFF_REPLY = "staff_reply"
    ACKNOWLEDGEMENT = "acknowledgement"
    POST = "post"
    STAFF_OTHER = "staff_other"
    CHATTER = "chatter"
    SERVICE = "service"


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
    id: int | None = None
    dirty: bool = field(default=True)

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

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
    referrals: list[ReferralOrganization] = field(default_factory=list)
    post_type: str | None = None
    first_response: bool = False


class ConversationTracker:
    """Decides messages of one source, in order."""

    def __init__(
        self,
        kind: SourceKind,
        matcher: ReferralMatcher,
        clock: ServiceClock,
        default_language: str | None = None,
    ) -> None:
        self.kind = kind
        self.matcher = matcher
        self.clock = clock
        self.default_language = default_language
        self._by_message: dict[tuple[int, int], TrackedInquiry] = {}
        self._open_private: dict[int, TrackedInquiry] = {}
        # Links in the order they were made, so old ones can be forgotten (see forget_before).
        self._recent: deque[tuple[datetime, tuple[int, int]]] = deque()
        #: Asked for a (chat, message) link that is no longer in memory; the store answers from the log.
        self.recall: Callable[[int, int], TrackedInquiry | None] | None = None
        # Per chat, the message id below which links may have been forgotten (or were never loaded).
        self._horizon: dict[int, int] = {}

    # -- state ------------------------------------------------------------------------------------------
    def set_horizon(self, chat_id: int, telegram_id: int) -> None:
        """Messages of ``chat_id`` below ``telegram_id`` are in the log but not in memory: ask :attr:`recall`."""
        self._horizon[chat_id] = max(self._horizon.get(chat_id, 0), telegram_id)

    def load(self, inquiries: Iterable[TrackedInquiry]) -> None:
        """Hydrate from the log (the open private inquiries); other links are recalled when replies need them."""
        for inquiry in inquiries:
            inquiry.dirty = False
            self._by_message[(inquiry.chat_id, inquiry.question_id)] = inquiry
            if self.kind is SourceKind.PRIVATE and inquiry.is_open:
                current = self._open_private.get(inquiry.chat_id)
                if current is None or current.arrival < inquiry.arrival:
                    self._open_private[inquiry.chat_id] = inquiry

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
        if self.kind is SourceKind.PRIVATE:
            return self._private_member(message, sender)
        return self._group_member(message, sender)

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

    def _group_member(self, message: MessageRecord, sender: int | None) -> Decision:
        target = self.inquiry_of(message.chat_id, message.reply_to) if message.reply_to else None
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
            # (or, from the asker, a follow-up that stays with the answered inquiry).
            language, asks = self._asks(message)
            if not asks:
                if mine:
                    self._join(target, message)
                    return Decision(Role.FOLLOW_UP, target)
                return Decision(Role.CHATTER)
        else:
            language, asks = self._asks(message)
        if asks:
            inquiry = self._open(message, sender, Detection.QUESTION, language)
            return Decision(Role.QUESTION, inquiry, opened=True)
        return Decision(Role.CHATTER)

    @staticmethod
    def _asks(message: MessageRecord) -> tuple[str, bool]:
        """The message's language, and whether it is a question (detection runs only when it matters)."""
        text = message.text
        if not text or message.media_kind in NON_INQUIRY_MEDIA:
            return "und", False
        language = detect_language(text)
        return language, is_question(text, language)

    def _staff(self, message: MessageRecord, sender: int | None) -> Decision:
        if self.kind is SourceKind.PRIVATE:
            target = self._open_private.get(message.chat_id)
            if target is None or not target.is_open:
                return Decision(Role.STAFF_OTHER)
        elif message.reply_to is None:
            post_type = classify_post_type(message.text)
            return Decision(Role.POST, response=ResponseKind.POST, post_type=post_type)
        else:
            found = self.inquiry_of(message.chat_id, message.reply_to)
            if found is None or found.state is InquiryState.DISMISSED:
                return Decision(Role.STAFF_OTHER)
            target = found
        if message.holding:
            return self._hold(target, message, sender)
        return self._answer(target, message, sender)

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

    def recompute_due(self, inquiry: TrackedInquiry) -> None:
        """After the standard changed: inquiries still open are re-measured; closed ones keep their figures."""
        if not inquiry.is_open:
            return
        inquiry.clock_start, inquiry.due = self.clock.start_and_due(inquiry.arrival)
        inquiry.measure(self.clock)
        inquiry.dirty = True
