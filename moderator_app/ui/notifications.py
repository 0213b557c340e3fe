"""What is worth interrupting a moderator for: a new inquiry, an inquiry entering its warning threshold, and
a message flagged urgent (its own signal, always on: the safety net is not one of the moderator's options).

The notifier only decides and emits :attr:`Notifier.message`; the window shows it through the tray icon when
the desktop has one. Both kinds can be turned off (kept in the log's settings, so a backup moderator on the
same log gets the same choice).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from PySide6.QtCore import QModelIndex, QObject, Signal

from moderator_app.domain.inbox import InboxEntry
from moderator_app.domain.inquiries import OPEN_STATES
from moderator_app.domain.safety import parse as parse_urgent
from moderator_app.domain.settings import NOTIFY_NEW, NOTIFY_WARNINGS, WINDOW_SEEN, SettingsAccess
from moderator_app.ui.delegates import isolate
from moderator_app.ui.inbox_model import InboxModel, Urgency, is_flagged

#: More new inquiries than this at once (a catch-up after a night offline) make one summary, not a flood.
SUMMARY_AFTER = 3


class Notifier(QObject):
    message = Signal(str, str)  # title, text
    urgent = Signal(str, str)  # title, text: an inquiry newly flagged urgent

    def __init__(
        self,
        model: InboxModel,
        settings: SettingsAccess,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._model = model
        self._settings = settings
        self._known: set[int] | None = None  # None until the first load
        # News is what arrived since the window was last open at this workstation (kept in WINDOW_SEEN): a
        # start does not announce weeks-old questions as new, and what came overnight is announced once.
        seen = settings.read(WINDOW_SEEN)
        self._since: datetime = seen if seen is not None else model.now()
        # After the log is read: what the window gains is news if it was asked since the window was last open
        # (a catch-up brings the night's questions), not history (an import brings last year's).
        self._history_before = seen if seen is not None else model.now() - timedelta(days=1)
        self._warned: set[int] = set()
        self._flagged: dict[int, str] = {}  # inquiry id -> the flag last announced (or found at the start)
        model.modelReset.connect(self._loaded)
        model.rowsInserted.connect(self._inserted)
        model.merged.connect(lambda: self._flags_changed(self._model.entries))
        model.dataChanged.connect(self._rows_changed)

    @property
    def new_inquiries(self) -> bool:
        return self._settings.read(NOTIFY_NEW)

    @new_inquiries.setter
    def new_inquiries(self, on: bool) -> None:
        self._settings.write(NOTIFY_NEW, on)

    @property
    def warnings(self) -> bool:
        return self._settings.read(NOTIFY_WARNINGS)

    @warnings.setter
    def warnings(self, on: bool) -> None:
        self._settings.write(NOTIFY_WARNINGS, on)

    def log_read(self) -> None:
        """The window has read the open inquiries: from now on an inquiry it gains is news unless it is
        history (asked before the window was last open: an import's)."""
        self._since = self._history_before

    def seen_now(self) -> None:
        """The window is open now: remembered, so the next start announces only what comes after."""
        self._settings.write(WINDOW_SEEN, self._model.now())

    def open_count(self) -> int:
        return sum(1 for e in self._model.entries if e.state in OPEN_STATES)

    def _loaded(self) -> None:
        known = {e.id for e in self._model.entries}
        if self._known is None:
            self._known = known
            self.check_warnings(announce=False)  # urgent already: the list shows it, no alarm at start
            # Flags already in the log at the start are announced if they came since the window was last
            # open (the night's); older ones are listed under "Urgent", not sounded again.
            self._silence_history(self._model.entries)
            self._flags_changed(self._model.entries)
            self._announce(self._model.entries)
            return
        self._silence_history([e for e in self._model.entries if e.id not in self._known])
        self._flags_changed(self._model.entries)
        self._announce([e for e in self._model.entries if e.id not in self._known])
        self._known |= known

    def _silence_history(self, first_seen: Sequence[InboxEntry]) -> None:
        """Inquiries the window reads for the first time that were asked before it was last open (the log's
        history, the answered and possible ones loaded after the open ones): their flags are listed under
        "Urgent", not sounded again. A flag they gain from now on is."""
        since = self._since
        for entry in first_seen:
            if entry.urgent and entry.arrival <= since:
                self._flagged.setdefault(entry.id, entry.urgent)

    def _rows_changed(self, top_left: QModelIndex, bottom_right: QModelIndex) -> None:
        self._flags_changed(self._model.entries[top_left.row() : bottom_right.row() + 1])

    def _flags_changed(self, entries: Sequence[InboxEntry]) -> None:
        """Announce each inquiry newly flagged urgent, or flagged for another kind of danger, once."""
        if self._known is None:
            return
        fresh = []
        for entry in entries:
            if entry.urgent and self._flagged.get(entry.id) != entry.urgent and is_flagged(entry):
                before = self._flagged.get(entry.id)
                self._flagged[entry.id] = entry.urgent
                if before is None or any(h not in parse_urgent(before) for h in parse_urgent(entry.urgent)):
                    fresh.append(entry)
        if len(fresh) > SUMMARY_AFTER:
            self.urgent.emit(
                self.tr("Urgent"), self.tr("%n messages flagged urgent: see Show ▸ Urgent", "", len(fresh))
            )
            return
        for entry in fresh:
            first_line = (entry.text or "").split("\n", 1)[0][:120]
            self.urgent.emit(
                self.tr("Urgent in %1: %2")
                .replace("%1", isolate(entry.source))
                .replace("%2", self._model.urgent_words(entry)),
                f"{isolate(entry.member or '')}: {isolate(first_line)}",
            )

    def _inserted(self, parent: QModelIndex, first: int, last: int) -> None:
        entries = self._model.entries[first : last + 1]
        if self._known is None:
            self._known = set()
        fresh = [e for e in entries if e.id not in self._known]
        self._silence_history(fresh)
        self._flags_changed(entries)
        self._known.update(e.id for e in entries)
        self._announce(fresh)

    def _announce(self, fresh: Sequence[InboxEntry]) -> None:
        since = self._since
        # (One flagged urgent has had its own, louder notification.)
        fresh = [
            e
            for e in fresh
            if e.state in OPEN_STATES and e.first_response is None and e.arrival > since and not is_flagged(e)
        ]
        if not fresh or not self.new_inquiries:
            return
        if len(fresh) > SUMMARY_AFTER:
            self.message.emit(self.tr("New inquiries"), self.tr("%n new inquiries", "", len(fresh)))
            return
        for entry in fresh:
            first_line = (entry.text or f"[{entry.media_kind or '…'}]").split("\n", 1)[0][:120]
            self.message.emit(  # strangers' names and words, isolated: none reorders the sentence around it
                self.tr("New inquiry in %1").replace("%1", isolate(entry.source)),
                f"{isolate(entry.member or '')}: {isolate(first_line)}",
            )

    def check_warnings(self, *, announce: bool = True) -> int:
        """Called at each tick: inquiries that entered their warning threshold since the last call."""
        model = self._model
        now = model.now()
        entered = []
        for entry in model.entries:
            # Only an inquiry due within the target can be in its warning; the cheap test comes first.
            if entry.first_response is not None or entry.state not in OPEN_STATES or entry.id in self._warned:
                continue
            if (entry.due - now).total_seconds() > 7 * 24 * 3600:
                continue
            if model.urgency(entry, now) is Urgency.WARNING:
                self._warned.add(entry.id)
                entered.append(entry)
        if entered and announce and self.warnings:
            if len(entered) > SUMMARY_AFTER:
                self.message.emit(
                    self.tr("Due soon"), self.tr("%n inquiries are close to their deadline", "", len(entered))
                )
            else:
                for entry in entered:
                    due = entry.due.astimezone(model.timezone).strftime("%a %H:%M")
                    self.message.emit(
                        self.tr("Due soon: %1").replace("%1", isolate(entry.source)),
                        self.tr("%1, due %2").replace("%1", isolate(entry.member or "")).replace("%2", due),
                    )
        return len(entered)
