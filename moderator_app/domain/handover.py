"""A handover between the people on duty: what the next person must see at once, and the outgoing person's note.

The summary has six sections, each a count and the first few items, most urgent first. They are the inbox's
own filters, so a count here is the count the inbox shows under the same name:

- **overdue**: still owed (open, acknowledged, member answered), no first response, past its due time;
- **open**: open and not overdue (the standard's clock still runs);
- **promised**: acknowledged (a holding reply was sent), not answered yet;
- **member answered**: another member replied; the moderator must verify (confirm and add, or correct);
- **follow-ups due**: a follow-up date of today or earlier (in the service time zone);
- **failed sends**: outbox rows that failed for good (a person must retry them); file downloads are not sends.

An inquiry can be in more than one section (an overdue one a member answered is in both), as in the inbox.
The snapshot kept with a handover holds counts and ids only: members' words stay in the log, where retention
can reach them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any

from moderator_app.domain.inquiries import OPEN_STATES, InquiryState
from moderator_app.domain.outbox import OutboxState


class Section(StrEnum):
    OVERDUE = "overdue"
    OPEN = "open"
    PROMISED = "promised"
    MEMBER_ANSWERED = "member_answered"
    FOLLOW_UP = "follow_up"
    FAILED = "failed"


#: The sections in the order the next person reads them.
SECTIONS: tuple[Section, ...] = tuple(Section)
#: Items listed per section (the count says how many there are; the inbox's filter lists them all).
LISTED = 50
#: Outbox kinds that are not sends (a file asked from Telegram): a failed one is not the next person's work.
NOT_SENDS = frozenset({"download"})
#: The longest shift note kept.
NOTE_LIMIT = 20_000
#: A handover to "whoever comes next" written this recently still stands: the same person changing the
#: profile on duty is not asked for a second note.
STILL_STANDS = timedelta(hours=12)
#: The first line of a text, at most this long.
LINE_LIMIT = 160
SNAPSHOT_VERSION = 1


class HandoverError(ValueError):
    """A handover that cannot be saved; the message says why."""


def first_line(text: str | None, limit: int = LINE_LIMIT) -> str:
    """The first line that has something on it, its spaces collapsed, cut at ``limit`` characters with "…"."""
    for line in (text or "").splitlines():
        words = " ".join(line.split())
        if words:
            return words if len(words) <= limit else words[: limit - 1].rstrip() + "…"
    return ""


def today_in(now: datetime, timezone: Any) -> date:
    """The service's date at ``now`` (``timezone``: a tzinfo)."""
    return now.astimezone(timezone).date()


def is_overdue(state: InquiryState, due: datetime, first_response: datetime | None, now: datetime) -> bool:
    return state in OPEN_STATES and first_response is None and now >= due


def sections_of(
    state: InquiryState,
    due: datetime,
    first_response: datetime | None,
    follow_up_on: date | None,
    now: datetime,
    today: date,
) -> frozenset[Section]:
    """The sections an inquiry is listed in at ``now`` (the service's date ``today``)."""
    found: set[Section] = set()
    overdue = is_overdue(state, due, first_response, now)
    if overdue:
        found.add(Section.OVERDUE)
    if state is InquiryState.OPEN and not overdue:
        found.add(Section.OPEN)
    if state is InquiryState.ACKNOWLEDGED:
        found.add(Section.PROMISED)
    if state is InquiryState.MEMBER_ANSWERED:
        found.add(Section.MEMBER_ANSWERED)
    if follow_up_on is not None and follow_up_on <= today:
        found.add(Section.FOLLOW_UP)
    return frozenset(found)


def is_failed_send(state: OutboxState, kind: str) -> bool:
    return state is OutboxState.FAILED and kind not in NOT_SENDS


@dataclass(frozen=True, slots=True)
class HandoverItem:
    """One line of a section. ``id`` is the inquiry's, or the outbox row's for a failed send (whose
    ``inquiry_id`` is the inquiry it replied to, if any). ``due``: the due time of an inquiry, the time a failed
    send was queued."""

    section: Section
    id: int
    inquiry_id: int | None
    source: str
    member: str | None
    text: str
    due: datetime | None
    follow_up_on: date | None = None
    media_kind: str | None = None
    forum_topic: str | None = None
    error: str | None = None
    kind: str = "message"  # a failed send's outbox kind (message, moderate, join_request)


def sort_key(item: HandoverItem) -> tuple[Any, ...]:
    """Most urgent first: follow-ups by their date, failed sends oldest first, the rest by due time."""
    due = item.due.timestamp() if item.due is not None else 0.0
    if item.section is Section.FOLLOW_UP:
        return (item.follow_up_on or date.min, due, item.id)
    if item.section is Section.FAILED:
        return (0.0, item.id)
    return (due, item.id)


@dataclass(frozen=True)
class HandoverSummary:
    """What is owed at ``at`` (the service's date ``today``): a count per section and its first items."""

    at: datetime
    today: date
    counts: Mapping[Section, int]
    items: Mapping[Section, tuple[HandoverItem, ...]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for section in SECTIONS:
            listed = len(self.items.get(section, ()))
            if listed > self.counts.get(section, 0):
                raise ValueError(f"{section}: {listed} items listed of {self.counts.get(section, 0)}")

    def count(self, section: Section) -> int:
        return self.counts.get(section, 0)

    def listed(self, section: Section) -> tuple[HandoverItem, ...]:
        return self.items.get(section, ())

    def unlisted(self, section: Section) -> int:
        """How many the section counts beyond those listed."""
        return self.count(section) - len(self.listed(section))

    @property
    def nothing_owed(self) -> bool:
        return not any(self.counts.get(s, 0) for s in SECTIONS)

    def snapshot(self) -> dict[str, Any]:
        """The summary as kept with the handover: counts and the listed ids (no member's words)."""
        return {
            "version": SNAPSHOT_VERSION,
            "at": self.at.isoformat(),
            "today": self.today.isoformat(),
            "counts": {s.value: self.count(s) for s in SECTIONS},
            "ids": {s.value: [i.id for i in self.listed(s)] for s in SECTIONS},
        }


def summarize(
    inquiries: Iterable[tuple[HandoverItem, InquiryState, datetime | None]],
    failed: Iterable[HandoverItem],
    at: datetime,
    today: date,
    listed: int = LISTED,
) -> HandoverSummary:
    """The summary of the given inquiries (an item with its state and first response) and failed sends, by
    the rules above: the reference the log's queries are held to, and what a small log can use directly."""
    found: dict[Section, list[HandoverItem]] = {s: [] for s in SECTIONS}
    for item, state, first_response in inquiries:
        due = item.due if item.due is not None else at
        for section in sections_of(state, due, first_response, item.follow_up_on, at, today):
            found[section].append(_as(item, section))
    found[Section.FAILED] = [_as(i, Section.FAILED) for i in failed]
    counts = {s: len(found[s]) for s in SECTIONS}
    items = {s: tuple(sorted(found[s], key=sort_key)[:listed]) for s in SECTIONS}
    return HandoverSummary(at, today, counts, items)


def _as(item: HandoverItem, section: Section) -> HandoverItem:
    if item.section is section:
        return item
    return HandoverItem(
        section,
        item.id,
        item.inquiry_id,
        item.source,
        item.member,
        item.text,
        item.due,
        item.follow_up_on,
        item.media_kind,
        item.forum_topic,
        item.error,
        item.kind,
    )


def counts_of(snapshot: Mapping[str, Any] | None) -> dict[Section, int]:
    """The counts a kept snapshot says (zero for a section it lacks or cannot say: written by another
    version, or edited by hand)."""
    counts = (snapshot or {}).get("counts")
    out = {s: 0 for s in SECTIONS}
    if isinstance(counts, Mapping):
        for section in SECTIONS:
            value = counts.get(section.value)
            if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
                out[section] = value
    return out


def clean_note(text: str) -> str:
    """The note as kept: trailing spaces and blank lines off, its own line breaks and words as written."""
    note = "\n".join(line.rstrip() for line in text.replace("\r\n", "\n").split("\n")).strip("\n")
    if len(note) > NOTE_LIMIT:
        raise HandoverError(f"A shift note of at most {NOTE_LIMIT:,} characters, please.")
    return note


@dataclass(frozen=True, slots=True)
class Handover:
    """A change of the person on duty as kept: who handed over to whom (None: to whoever comes next; from
    nobody chosen), when, the note and the counts the next person saw."""

    id: int
    at: datetime
    from_profile_id: int | None
    from_name: str | None
    to_profile_id: int | None
    to_name: str | None
    note: str
    counts: Mapping[Section, int]


def needs_note(latest: Handover | None, outgoing: int | None, now: datetime) -> bool:
    """Whether the outgoing person is asked for a shift note when the profile on duty changes: not when
    nobody was on duty, nor when they already handed over to whoever comes next (Handover…) a short while ago."""
    if outgoing is None:
        return False
    return not (
        latest is not None
        and latest.from_profile_id == outgoing
        and latest.to_profile_id is None
        and timedelta(0) <= now - latest.at <= STILL_STANDS
    )


def offer_at_start(latest: Handover | None, on_duty: int | None, window_seen: datetime | None) -> bool:
    """Whether the window opens on the latest handover at start-up: when it was written since the window was
    last open at this workstation (so, elsewhere or after it closed), by someone else, and for the person on
    duty here or for whoever comes next. One handed to a named person was shown to them when it was made."""
    if latest is None or (latest.from_profile_id is not None and latest.from_profile_id == on_duty):
        return False
    if latest.to_profile_id is not None and latest.to_profile_id != on_duty:
        return False
    return window_seen is None or latest.at > window_seen
