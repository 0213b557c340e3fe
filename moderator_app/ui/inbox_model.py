"""The inbox: inquiries as a table model with a live countdown, and a proxy that filters and sorts them.

The countdown is computed when a cell is painted, from the injected clock, so a tick costs only the repaint
of the visible time-left cells (:meth:`InboxProxy.tick`). Filtering and sorting run in bulk in Python over
the plain rows (a list comprehension and one sort for 50,000 inquiries) instead of a Python callback per
row, which is what keeps a filter change fast.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import IntEnum, StrEnum
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from PySide6.QtCore import (
    QAbstractProxyModel,
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor

from moderator_app.domain.clock import ServiceClock
from moderator_app.domain.inbox import InboxEntry
from moderator_app.domain.inquiries import OPEN_STATES, InquiryState
from moderator_app.domain.safety import UrgentCategory
from moderator_app.domain.safety import parse as parse_urgent
from moderator_app.domain.standard import Mode
from moderator_app.ui.delegates import TEXT_ON_COLOUR, isolate, numbers_isolated
from moderator_app.ui.plain import plain_tooltip

Index = QModelIndex | QPersistentModelIndex


class Column(IntEnum):
    TIME_LEFT = 0
    STATE = 1
    SOURCE = 2
    MEMBER = 3
    LANGUAGE = 4
    QUESTION = 5
    TOPIC = 6
    RESPONDER = 7
    ASSIGNEE = 8


#: Sort ranks in seconds, far above any instant's timestamp: closed after open, met after those owed.
_MET = 1e11
_RANK = 2e11
_URGENT = 4e11


class Urgency(IntEnum):
    """Most urgent last, so sorting by it descending puts the overdue first."""

    CLOSED = 0  # answered or dismissed
    MET = 1  # the first response is in (acknowledged): the standard is met, an answer still owed
    CALM = 2
    WARNING = 3  # within the warning threshold
    OVERDUE = 4


ENTRY_ROLE = Qt.ItemDataRole.UserRole + 1
URGENCY_ROLE = Qt.ItemDataRole.UserRole + 2
PAUSED_ROLE = Qt.ItemDataRole.UserRole + 3
SHOWN_ROLE = Qt.ItemDataRole.UserRole + 4  # the countdown cell, for its delegate

# Plain ints for the hot path: data() runs for every role of every painted cell.
_DISPLAY = int(Qt.ItemDataRole.DisplayRole.value)
_BACKGROUND = int(Qt.ItemDataRole.BackgroundRole.value)
_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole.value)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole.value)
_ACCESSIBLE = int(Qt.ItemDataRole.AccessibleTextRole.value)
_TIME_LEFT, _STATE, _SOURCE, _MEMBER, _LANGUAGE, _QUESTION, _TOPIC, _RESPONDER, _ASSIGNEE = range(9)
COLUMN_COUNT = len(Column)

#: Background of the time-left cell; the text says the same in words (never colour alone).
COLOURS = {
    Urgency.OVERDUE: QColor("#f5c2c7"),
    Urgency.WARNING: QColor("#ffe69c"),
    Urgency.CALM: QColor("#d1e7dd"),
}
PAUSED_COLOUR = QColor("#dee2e6")
#: The state cell of an inquiry flagged urgent (its text says "URGENT" too).
URGENT_COLOUR = QColor("#f1aeb5")


def is_flagged(entry: InboxEntry) -> bool:
    """Flagged urgent and not yet dealt with (answered or dismissed): listed under "Urgent", first."""
    return bool(entry.urgent) and (entry.state in OPEN_STATES or entry.state == InquiryState.POSSIBLE)


@dataclass(frozen=True, slots=True)
class _Shown:
    text: str
    urgency: Urgency
    paused: bool
    background: QColor | None


class Clocks(Protocol):
    def for_source(self, source_id: int) -> ServiceClock: ...


def _tr(text: str) -> str:
    return QCoreApplication.translate("InboxModel", text)


def format_left(left: timedelta, hours_only: bool = False) -> str:
    """ "1 d 3 h", "5 h 07 min", "12 min"; ``hours_only``: hours however many (opening hours are not days)."""
    minutes = int(abs(left).total_seconds() // 60)
    days, rest = divmod(minutes, 24 * 60)
    if hours_only:
        days, rest = 0, minutes
    hours, mins = divmod(rest, 60)
    if days:
        return _tr("%1 d %2 h").replace("%1", str(days)).replace("%2", str(hours))
    if hours:
        return _tr("%1 h %2 min").replace("%1", str(hours)).replace("%2", f"{mins:02d}")
    return _tr("%1 min").replace("%1", str(mins))


class InboxModel(QAbstractTableModel):
    merged = Signal()
    timezone_changed = Signal()  # "today" is another day now: the filters that use it are applied again

    def __init__(
        self,
        clocks: Clocks,
        now: Callable[[], datetime],
        timezone: ZoneInfo,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._clocks = clocks
        self._now = now
        self._tz = timezone
        self._entries: list[InboxEntry] = []
        self._at = now()  # the instant every cell shows until the next tick (all rows agree)
        self._warning: dict[int, datetime] = {}  # inquiry id -> warning instant, computed when first needed
        # inquiry id -> (instant, time counted from clock start to it): the next tick adds only the time since.
        self._counted: dict[int, tuple[datetime, datetime, timedelta]] = {}  # clock start, instant, counted
        self._shown: dict[int, _Shown] = {}  # inquiry id -> what its countdown cell shows at self._at
        self._previous: dict[int, _Shown] = {}  # the same before the last advance
        self._headers = [
            self.tr("Time left"),
            self.tr("State"),
            self.tr("Source"),
            self.tr("Member"),
            self.tr("Language"),
            self.tr("Question"),
            self.tr("Topic"),
            self.tr("Answered by"),
            self.tr("Assigned to"),
        ]
        self._states = {
            InquiryState.OPEN: self.tr("open"),
            InquiryState.ACKNOWLEDGED: self.tr("acknowledged"),
            InquiryState.MEMBER_ANSWERED: self.tr("member answered"),
            InquiryState.ANSWERED: self.tr("answered"),
            InquiryState.DISMISSED: self.tr("dismissed"),
            InquiryState.POSSIBLE: self.tr("possible"),
        }
        self._categories = {
            UrgentCategory.SELF_HARM: self.tr("self-harm"),
            UrgentCategory.VIOLENCE: self.tr("violence"),
            UrgentCategory.TRAFFICKING: self.tr("trafficking or forced labour"),
            UrgentCategory.MEDICAL: self.tr("a medical emergency"),
        }

    def urgent_words(self, entry: InboxEntry) -> str:
        """ "self-harm (“want to die”), violence (“he beats me”)": what the flag is about, in words."""
        return ", ".join(
            f"{self._categories[hit.category]} (“{isolate(hit.term)}”)" for hit in parse_urgent(entry.urgent)
        )

    # -- contents -------------------------------------------------------------------------------------------
    def now(self) -> datetime:
        """The instant the cells show (moved on by :meth:`advance`, at each tick)."""
        return self._at

    def advance(self) -> None:
        self._at = self._now()
        self._previous = self._shown
        self._shown = {}

    def changed_since_advance(self, entry: InboxEntry) -> bool:
        """Whether the countdown cell reads or looks different from before the last :meth:`advance`."""
        before = self._previous.get(entry.id)
        now = self.shown(entry)
        return before is None or before.text != now.text or before.background != now.background

    @property
    def timezone(self) -> ZoneInfo:
        return self._tz

    @property
    def entries(self) -> Sequence[InboxEntry]:
        return self._entries

    @property
    def clocks(self) -> Clocks:
        return self._clocks

    def set_clocks(self, clocks: Clocks) -> None:
        """A new service standard: every countdown is measured again by it, at once."""
        self._clocks = clocks
        self._forget_measures()
        self._previous.clear()
        if self._entries:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._entries) - 1, COLUMN_COUNT - 1))

    def set_timezone(self, timezone: ZoneInfo) -> None:
        """The general standard's time zone changed: due times, "today" and the tooltips are read in it."""
        self._tz = timezone
        if self._entries:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._entries) - 1, COLUMN_COUNT - 1))
        self.timezone_changed.emit()

    def set_entries(self, entries: list[InboxEntry]) -> None:
        self.beginResetModel()
        self._entries = entries
        self._forget_measures()
        self.endResetModel()

    def _forget_measures(self) -> None:
        """Every row's warning instant, time counted and countdown cell: measured again when next shown."""
        for cache in (self._warning, self._counted, self._shown):
            cache.clear()

    def extend(self, entries: list[InboxEntry]) -> None:
        """More rows at once (the answered and dismissed ones, loaded after the open ones)."""
        known = {e.id for e in self._entries}
        fresh = [e for e in entries if e.id not in known]
        if not fresh:
            return
        first = len(self._entries)
        self.beginInsertRows(QModelIndex(), first, first + len(fresh) - 1)
        self._entries.extend(fresh)
        self.endInsertRows()

    def merge(self, entries: list[InboxEntry]) -> None:
        """Fresh rows from the log after new messages: changed ones replaced, new ones added, then one
        :attr:`merged` signal (the proxy re-filters once: an answered inquiry leaves the open view)."""
        position = {e.id: row for row, e in enumerate(self._entries)}
        fresh: list[InboxEntry] = []
        for entry in entries:
            row = position.get(entry.id)
            if row is None:
                fresh.append(entry)
            elif self._entries[row] != entry:
                self._entries[row] = entry
                for cache in (self._warning, self._counted, self._shown):
                    cache.pop(entry.id, None)
                self.dataChanged.emit(self.index(row, 0), self.index(row, COLUMN_COUNT - 1))
        if fresh:
            self.extend(fresh)
        self.merged.emit()

    def upsert(self, entry: InboxEntry) -> None:
        """A new or changed inquiry (from the connector or an action): one row inserted or changed."""
        for row, existing in enumerate(self._entries):
            if existing.id == entry.id:
                self._entries[row] = entry
                self._warning.pop(entry.id, None)
                self._counted.pop(entry.id, None)
                self._shown.pop(entry.id, None)
                self.dataChanged.emit(self.index(row, 0), self.index(row, len(Column) - 1))
                return
        row = len(self._entries)
        self.beginInsertRows(QModelIndex(), row, row)
        self._entries.append(entry)
        self.endInsertRows()

    def entry(self, row: int) -> InboxEntry:
        return self._entries[row]

    # -- urgency ---------------------------------------------------------------------------------------------
    def urgency(self, entry: InboxEntry, now: datetime) -> Urgency:
        if entry.state not in OPEN_STATES:
            return Urgency.CLOSED
        if entry.first_response is not None:
            return Urgency.MET
        if now >= entry.due:
            return Urgency.OVERDUE
        warning = self._warning.get(entry.id)
        if warning is None:
            warning = self._warning[entry.id] = self._clocks.for_source(entry.source_id).warning_at(entry.arrival)
        return Urgency.WARNING if now >= warning else Urgency.CALM

    def _counted_until(self, entry: InboxEntry, clock: ServiceClock, now: datetime) -> tuple[datetime, timedelta]:
        """The clock start, and the time counted from it to ``now``, continued from the last tick's figure. (Not
        from before the start: an inquiry that came at 07:23 counts nothing until the 09:00 opening, even on a
        day that counts whole.)"""
        known = self._counted.get(entry.id)
        if known is not None and known[1] <= now:
            start, at, counted = known
            counted += clock.counted(max(at, start), now)
        else:
            start = clock.clock_start(entry.arrival)
            counted = clock.counted(start, now)
        self._counted[entry.id] = (start, now, counted)
        return start, counted

    def shown(self, entry: InboxEntry) -> _Shown:
        """The countdown cell at the current instant, computed once per tick however many roles are asked."""
        cached = self._shown.get(entry.id)
        if cached is not None:
            return cached
        now = self._at
        clock = self._clocks.for_source(entry.source_id)
        urgency = self.urgency(entry, now)
        paused = False
        if urgency is Urgency.CLOSED:
            text = self._states.get(entry.state, entry.state)
        else:
            start, counted = self._counted_until(entry, clock, now)
            left = clock.standard.target - counted
            # Counted as the standard counts (a weekend does not make it later); in opening hours never as
            # days ("1 d 0 h" read as a day, for three days of eight opening hours).
            hours_only = clock.standard.mode is Mode.BUSINESS_HOURS
            if urgency is Urgency.MET:
                # The first response met the standard; the answer is still owed, by the same due time.
                if left > timedelta(0):
                    text = self.tr("met · answer in %1").replace("%1", format_left(left, hours_only))
                else:
                    text = self.tr("met · answer overdue %1").replace("%1", format_left(-left, hours_only))
            else:
                paused = now < start or clock.is_paused(now)  # not started yet (came before opening), or closed
                if left <= timedelta(0) or urgency is Urgency.OVERDUE:
                    text = self.tr("overdue %1").replace("%1", format_left(-left, hours_only))
                else:
                    text = format_left(left, hours_only)
                if paused:
                    text = "⏸ " + text
        background = None
        if urgency in COLOURS:
            background = PAUSED_COLOUR if paused and urgency is not Urgency.OVERDUE else COLOURS[urgency]
        result = self._shown[entry.id] = _Shown(text, urgency, paused, background)
        return result

    def _urgent_tooltip(self, entry: InboxEntry) -> str:
        return plain_tooltip(
            self.tr("Urgent: words about %1. Read it now, whatever the countdown says.").replace(
                "%1", self.urgent_words(entry)
            )
            + "\n"
            + self.tr("The flag is a prompt to read, not a diagnosis; the words are in Moderation ▸ Urgent words.")
        )

    def _tooltip(self, entry: InboxEntry, now: datetime) -> str:
        if entry.state == InquiryState.POSSIBLE:
            return plain_tooltip(
                self.tr("A possible inquiry: not counted and no countdown until it is made an inquiry (Ctrl+Shift+P)")
                + " "
                + self.tr("or dismissed (Ctrl+Shift+D).")
                + "\n"
                + self.tr("Why: %1").replace("%1", entry.reason or self.tr("a sign of asking"))
            )
        due = entry.due.astimezone(self._tz)
        text = self.tr("Due %1 (%2).").replace("%1", due.strftime("%a %d %b %Y %H:%M")).replace("%2", str(self._tz))
        if entry.first_response is not None and entry.state in OPEN_STATES:
            return (
                text
                + "\n"
                + self.tr(
                    "The first response was sent (acknowledged): the standard is met. The answer is still owed; the "
                    "countdown shows the time left to give it by the same due time."
                )
            )
        if entry.first_response is not None:
            return text + " " + self.tr("The first response was sent: the standard is met.")
        if entry.state not in OPEN_STATES:
            return text
        clock = self._clocks.for_source(entry.source_id)
        start, counted = self._counted_until(entry, clock, now)
        left = clock.standard.target - counted
        mode = clock.standard.mode
        counts = {
            Mode.BUSINESS_HOURS: self.tr("in opening hours"),
            Mode.BUSINESS_DAYS: self.tr("on business days"),
            Mode.CALENDAR: self.tr("around the clock"),
        }[mode]
        if left > timedelta(0):
            text += "\n" + self.tr("Time left as the standard counts it (%1): %2.").replace("%1", counts).replace(
                "%2", format_left(left, mode is Mode.BUSINESS_HOURS)
            )
        if due > now:
            text += "\n" + self.tr("Until then by the clock on the wall: %1.").replace("%1", format_left(due - now))
        if now < start:
            text += "\n" + self.tr("The countdown has not started: the service opens %1.").replace(
                "%1", start.astimezone(self._tz).strftime("%a %d %b %H:%M")
            )
        elif clock.is_paused(now):
            reopen = clock.resumes_at(now).astimezone(self._tz)
            text += "\n" + self.tr("The clock is paused: the service is closed now. It runs again from %1.").replace(
                "%1", reopen.strftime("%a %d %b %H:%M")
            )
        return text

    # -- QAbstractTableModel ---------------------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._entries)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else COLUMN_COUNT

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(Column)
        ):
            return self._headers[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        return self.cell(index.row(), index.column(), role)

    def cell(self, row: int, column: int, role: int) -> Any:
        """One value; the proxy calls this directly (no index mapping per call: ticks paint often)."""
        if not 0 <= row < len(self._entries):
            return None
        entry = self._entries[row]
        if role == _DISPLAY:
            if column == _TIME_LEFT:
                return self.shown(entry).text
            if column == _STATE:
                state = self._states.get(entry.state, entry.state)
                return self.tr("URGENT · %1").replace("%1", state) if is_flagged(entry) else state
            if column == _SOURCE:
                return source_label(entry)
            if column == _MEMBER:
                return entry.member or self.tr("(unknown)")
            if column == _LANGUAGE:
                return entry.language
            if column == _QUESTION:
                text = entry.text or (f"[{entry.media_kind}]" if entry.media_kind else "")
                return numbers_isolated(text.split("\n", 1)[0][:200])
            if column == _TOPIC:
                return entry.topic
            if column == _RESPONDER:
                return entry.responder or ""
            if column == _ASSIGNEE:
                return entry.assignee or ""
            return None
        if column == _TIME_LEFT:
            if role == SHOWN_ROLE:
                return self.shown(entry)
            if role == _BACKGROUND:
                return self.shown(entry).background
            if role == _FOREGROUND:
                return TEXT_ON_COLOUR if self.shown(entry).background is not None else None
            if role == _TOOLTIP:
                return self._tooltip(entry, self._at)
            if role == _ACCESSIBLE:
                return self.shown(entry).text.replace("⏸", self.tr("paused"))
        elif column == _STATE and is_flagged(entry):
            if role == _BACKGROUND:
                return URGENT_COLOUR
            if role == _FOREGROUND:
                return TEXT_ON_COLOUR
            if role == _TOOLTIP:
                return self._urgent_tooltip(entry)
        elif role == _TOOLTIP and column == _QUESTION:
            return plain_tooltip(entry.text) if entry.text else None  # a member's words: text, never markup
        if role == ENTRY_ROLE:
            return entry
        if role == URGENCY_ROLE:
            return int(self.shown(entry).urgency)
        if role == PAUSED_ROLE:
            return self.shown(entry).paused
        return None


def source_label(entry: InboxEntry) -> str:
    """ "Source › Topic" for a question asked in a forum topic, else the source's name."""
    if entry.forum_topic_id is None:
        return entry.source
    # Two strangers' texts side by side: each isolated, so neither (a U+202E in a title) reorders the other.
    return f"{isolate(entry.source)} › {isolate(entry.forum_topic or '#' + str(entry.forum_topic_id))}"


class View(StrEnum):
    OPEN = "open"
    OVERDUE = "overdue"
    MEMBER_ANSWERED = "member_answered"
    ACKNOWLEDGED = "acknowledged"
    FOLLOW_UP_TODAY = "follow_up_today"
    DISMISSED = "dismissed"
    POSSIBLE = "possible"  # possible inquiries: some sign of asking, under the detector's threshold
    MINE = "mine"  # open and assigned to the profile on duty
    URGENT = "urgent"  # flagged by the urgent words and not dealt with yet, possible ones included
    ALL = "all"  # every inquiry (possible ones are not inquiries yet: they have their own view)


class InboxProxy(QAbstractProxyModel):
    """Filter (view, source, language, topic) and sort (default: most urgent first) in bulk."""

    def __init__(self, model: InboxModel, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._model = model
        self.view = View.OPEN
        #: A source's id, or (source id, forum topic id) for one topic of a forum supergroup.
        self.source_id: int | tuple[int, int] | None = None
        self.language: str | None = None
        self.topic: str | None = None
        self.me: str | None = None  # the profile on duty (the "assigned to me" view)
        self.sort_column: int = Column.TIME_LEFT
        self.sort_order = Qt.SortOrder.AscendingOrder
        self._rows: list[int] = []
        self._proxy_of: dict[int, int] = {}
        #: Whether the last rebuild came from the moderator changing a filter or the order (not the data).
        self.refiltered = False
        self.setSourceModel(model)
        model.modelReset.connect(self._rebuild)
        model.rowsInserted.connect(self._rebuild)
        model.merged.connect(self._rebuild)
        model.timezone_changed.connect(self._rebuild)
        model.dataChanged.connect(self._source_changed)
        self._rebuild()

    @property
    def inquiries(self) -> InboxModel:
        """Every inquiry read, whatever the filters show."""
        return self._model

    # -- filters ---------------------------------------------------------------------------------------------
    def set_view(self, view: View | str) -> None:
        self.view = View(view)
        self._refilter()

    def set_source(self, source_id: int | tuple[int, int] | None) -> None:
        self.source_id = source_id
        self._refilter()

    def set_language(self, language: str | None) -> None:
        self.language = language
        self._refilter()

    def set_topic(self, topic: str | None) -> None:
        self.topic = topic
        self._refilter()

    def set_me(self, name: str | None) -> None:
        self.me = name
        if self.view is View.MINE:
            self._refilter()

    def _refilter(self) -> None:
        self.refiltered = True
        try:
            self._rebuild()
        finally:
            self.refiltered = False

    def _accepts(self, now: datetime, today: date) -> Callable[[InboxEntry], bool]:
        view = self.view
        if view is View.OPEN:
            # A possible inquiry flagged urgent is open business too: first in the list until dealt with.
            base: Callable[[InboxEntry], bool] = lambda e: e.state in OPEN_STATES or is_flagged(e)  # noqa: E731
        elif view is View.OVERDUE:
            base = lambda e: e.state in OPEN_STATES and e.first_response is None and now >= e.due  # noqa: E731
        elif view is View.MEMBER_ANSWERED:
            base = lambda e: e.state == InquiryState.MEMBER_ANSWERED  # noqa: E731
        elif view is View.ACKNOWLEDGED:
            base = lambda e: e.state == InquiryState.ACKNOWLEDGED  # noqa: E731
        elif view is View.FOLLOW_UP_TODAY:
            base = lambda e: e.follow_up_on is not None and e.follow_up_on <= today  # noqa: E731
        elif view is View.DISMISSED:
            base = lambda e: e.state == InquiryState.DISMISSED  # noqa: E731
        elif view is View.POSSIBLE:
            base = lambda e: e.state == InquiryState.POSSIBLE  # noqa: E731
        elif view is View.URGENT:
            base = is_flagged
        elif view is View.MINE:
            me = self.me
            base = lambda e: e.state in OPEN_STATES and me is not None and e.assignee == me  # noqa: E731
        else:
            base = lambda e: e.state != InquiryState.POSSIBLE  # noqa: E731
        source_id, language, topic = self.source_id, self.language, self.topic
        if source_id is None and language is None and topic is None:
            return base
        forum_topic: int | None = None
        if isinstance(source_id, tuple):
            source_id, forum_topic = source_id
        return lambda e: (
            base(e)
            and (source_id is None or e.source_id == source_id)
            and (forum_topic is None or e.forum_topic_id == forum_topic)
            and (language is None or e.language == language)
            and (topic is None or e.topic == topic)
        )

    def _sort_key(self) -> Callable[[InboxEntry], Any]:
        column = self.sort_column
        if column == Column.TIME_LEFT:
            # Most urgent first: still owed a first response before met ones, then by due time. One float per
            # row, not a tuple: floats are not tracked by the cyclic collector, so sorting 50,000 rows does
            # not set off a full collection over the whole inbox (it cost 130 ms, landing on a filter change).
            # An inquiry flagged urgent comes before all of them, whatever its countdown says.
            return lambda e: (
                (e.state not in OPEN_STATES) * _RANK
                + (e.first_response is not None) * _MET
                + e.due.timestamp()
                - (e.urgent is not None and is_flagged(e)) * _URGENT
            )
        if column == Column.STATE:
            return lambda e: e.state
        if column == Column.SOURCE:
            return lambda e: source_label(e).casefold()
        if column == Column.MEMBER:
            return lambda e: (e.member or "").casefold()
        if column == Column.LANGUAGE:
            return lambda e: e.language
        if column == Column.QUESTION:
            return lambda e: (e.text or "").casefold()
        if column == Column.TOPIC:
            return lambda e: e.topic
        if column == Column.ASSIGNEE:
            return lambda e: (e.assignee or "").casefold()
        return lambda e: (e.responder or "").casefold()

    def _rebuild(self) -> None:
        self.beginResetModel()
        now = self._model.now()
        accepts = self._accepts(now, now.astimezone(self._model.timezone).date())
        entries = self._model.entries
        rows = [i for i, e in enumerate(entries) if accepts(e)]
        key = self._sort_key()
        rows.sort(key=lambda i: key(entries[i]), reverse=self.sort_order == Qt.SortOrder.DescendingOrder)
        self._rows = rows
        self._proxy_of = {source: proxy for proxy, source in enumerate(rows)}
        self.endResetModel()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self.sort_column = column
        self.sort_order = order
        self._refilter()

    def _source_changed(self, top_left: QModelIndex, bottom_right: QModelIndex, roles: list[int]) -> None:
        for source_row in range(top_left.row(), bottom_right.row() + 1):
            proxy_row = self._proxy_of.get(source_row)
            if proxy_row is not None:
                self.dataChanged.emit(
                    self.index(proxy_row, top_left.column()), self.index(proxy_row, bottom_right.column()), roles
                )

    def tick(self, first: int, last: int) -> int:
        """Move the countdowns on and repaint those of proxy rows ``first`` to ``last`` (the visible ones)
        whose text or colour changed (a countdown in minutes changes once a minute). Returns how many."""
        model = self._model
        model.advance()
        last = min(last, len(self._rows) - 1)
        column = int(Column.TIME_LEFT)
        changed = 0
        run_start: int | None = None
        for row in range(first, last + 2):
            differs = row <= last and model.changed_since_advance(model.entry(self._rows[row]))
            if differs:
                changed += 1
                if run_start is None:
                    run_start = row
            elif run_start is not None:
                self.dataChanged.emit(self.index(run_start, column), self.index(row - 1, column))
                run_start = None
        return changed

    def entry(self, row: int) -> InboxEntry:
        return self._model.entry(self._rows[row])

    def row_of(self, inquiry_id: int) -> int | None:
        """The proxy row showing an inquiry, if it passes the filters."""
        entries = self._model.entries
        for proxy_row, source_row in enumerate(self._rows):
            if entries[source_row].id == inquiry_id:
                return proxy_row
        return None

    # -- QAbstractProxyModel ---------------------------------------------------------------------------------
    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = index.row()
        rows = self._rows
        return self._model.cell(rows[row], index.column(), role) if 0 <= row < len(rows) else None

    def mapToSource(self, proxy_index: Index) -> QModelIndex:
        if not proxy_index.isValid() or not 0 <= proxy_index.row() < len(self._rows):
            return QModelIndex()
        return self._model.index(self._rows[proxy_index.row()], proxy_index.column())

    def mapFromSource(self, source_index: Index) -> QModelIndex:
        if not source_index.isValid():
            return QModelIndex()
        row = self._proxy_of.get(source_index.row())
        return QModelIndex() if row is None else self.index(row, source_index.column())

    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        if parent.isValid() or not (0 <= row < len(self._rows) and 0 <= column < COLUMN_COUNT):
            return QModelIndex()
        return self.createIndex(row, column)

    def parent(self, index: Index = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        return QModelIndex()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else COLUMN_COUNT

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal:
            return self._model.headerData(section, orientation, role)
        return None
