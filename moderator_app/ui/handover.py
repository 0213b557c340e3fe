"""The handover between the people on duty: the outgoing person's shift note, and the summary the incoming
person reads (what is overdue, open, promised, to verify, to follow up, failed), with the previous note.

Members' names and words are data: every one is shown through an item model or a plain-text widget, never
a rich-text label, and each cell is laid out in its own text's direction (an Arabic question in an English
window, a French name in a right-to-left one). Reads and the save run on the database worker.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from zoneinfo import ZoneInfo

from PySide6.QtCore import QCoreApplication, QModelIndex, QObject, Qt, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QTextEdit,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from moderator_app.domain.handover import (
    NOTE_LIMIT,
    SECTIONS,
    Handover,
    HandoverItem,
    HandoverSummary,
    Section,
    needs_note,
    offer_at_start,
)
from moderator_app.ui.access import HandoverAccess
from moderator_app.ui.delegates import DirectionDelegate, isolate, numbers_isolated
from moderator_app.ui.ops import Ops
from moderator_app.ui.plain import plain_tooltip

# The inquiry an item opens (None for a failed send that replied to none).
INQUIRY_ROLE = Qt.ItemDataRole.UserRole + 1
# The section a heading row stands for.
SECTION_ROLE = Qt.ItemDataRole.UserRole + 2

# A person on duty: the profile's id (None: nobody chosen) and name.
Person = tuple[int | None, str]


class SectionTitles(QObject):
    """The sections' headings, with their counts (one translation context for the summary and the note)."""

    def title(self, section: Section, count: int) -> str:
        """E.g. "Overdue: 3 inquiries past their due time, no response yet"."""
        if section is Section.OVERDUE:
            return self.tr("Overdue: %n inquiries past their due time, no response yet", "", count)
        if section is Section.OPEN:
            return self.tr("Open: %n inquiries waiting, within the standard", "", count)
        if section is Section.PROMISED:
            return self.tr("Promised: %n acknowledged, not answered yet", "", count)
        if section is Section.MEMBER_ANSWERED:
            return self.tr("Member answers to verify: %n", "", count)
        if section is Section.FOLLOW_UP:
            return self.tr("Follow-ups due today or earlier: %n", "", count)
        return self.tr("Failed sends: %n", "", count)


def _inbox_filter(section: Section) -> str:
    """The inbox filter that lists the whole section (its name as the inbox's Show box says it)."""
    return {
        Section.OVERDUE: QCoreApplication.translate("InboxPanel", "Overdue"),
        Section.OPEN: QCoreApplication.translate("InboxPanel", "Open"),
        Section.PROMISED: QCoreApplication.translate("InboxPanel", "Acknowledged"),
        Section.MEMBER_ANSWERED: QCoreApplication.translate("InboxPanel", "Member answered (verify)"),
        Section.FOLLOW_UP: QCoreApplication.translate("InboxPanel", "Follow-ups due today"),
        Section.FAILED: "",
    }[section]


class SummaryModel(QStandardItemModel):
    """The summary as a tree: a heading per section (its count), under it the items listed."""

    COLUMNS = 4

    def __init__(self, timezone: ZoneInfo, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._tz = timezone
        self._titles = SectionTitles(self)
        self.setHorizontalHeaderLabels([self.tr("When"), self.tr("Source"), self.tr("Member"), self.tr("What")])

    def show(self, summary: HandoverSummary) -> None:
        self.removeRows(0, self.rowCount())
        for section in SECTIONS:
            count = summary.count(section)
            heading = QStandardItem(self._titles.title(section, count))
            heading.setEditable(False)
            heading.setData(section.value, SECTION_ROLE)
            font = heading.font()
            font.setBold(True)
            heading.setFont(font)
            for item in summary.listed(section):
                heading.appendRow(self._row(item))
            more = summary.unlisted(section)
            if more:
                where = _inbox_filter(section)
                said = (
                    self.tr("… and %n more: the inbox's “%1” filter lists them all.", "", more).replace("%1", where)
                    if where
                    else self.tr("… and %n more.", "", more)
                )
                rest = QStandardItem(said)
                rest.setEditable(False)
                heading.appendRow([rest, *(self._blank() for _ in range(self.COLUMNS - 1))])
            self.appendRow([heading, *(self._blank() for _ in range(self.COLUMNS - 1))])

    @staticmethod
    def _blank() -> QStandardItem:
        cell = QStandardItem()
        cell.setEditable(False)
        return cell

    def _when(self, item: HandoverItem) -> str:
        if item.section is Section.FOLLOW_UP and item.follow_up_on is not None:
            return item.follow_up_on.strftime("%a %d %b")
        if item.due is None:
            return ""
        return item.due.astimezone(self._tz).strftime("%a %d %b %H:%M")

    def _what(self, item: HandoverItem) -> str:
        if item.section is Section.FAILED:
            kind, _, action = item.kind.partition(":")
            if kind == "moderate":
                text = self.tr("Moderation: %1").replace("%1", action or self.tr("action"))
            elif kind == "join_request":
                text = self.tr("Join request decision")
            else:
                text = item.text or self.tr("(no text)")
            if item.error:
                return f"{isolate(numbers_isolated(text))} — {isolate(item.error)}"
            return numbers_isolated(text)
        if item.text:
            return numbers_isolated(item.text)
        if item.media_kind:
            return self.tr("(%1)").replace("%1", item.media_kind)
        return self.tr("(no text)")

    def _row(self, item: HandoverItem) -> list[QStandardItem]:
        source = item.source if not item.forum_topic else f"{item.source} › {item.forum_topic}"
        texts = (self._when(item), source, item.member or self.tr("(unknown)"), self._what(item))
        cells = []
        for text in texts:
            cell = QStandardItem(text)  # a QStandardItem's text is shown as text, never as markup
            cell.setEditable(False)
            cell.setData(item.inquiry_id, INQUIRY_ROLE)
            cell.setToolTip(plain_tooltip(text))
            cells.append(cell)
        if item.inquiry_id is not None:
            cells[3].setToolTip(plain_tooltip(texts[3] + "\n\n" + self.tr("Double-click to open the inquiry.")))
        return cells


class HandoverDialog(QDialog):
    """What the incoming person reads: who handed over, the note, and the summary. Double-clicking an item
    asks the window to open its inquiry (:attr:`inquiry_chosen`); "Hand over…" (when offered) asks for the
    person on duty's own note (:attr:`hand_over_asked`)."""

    inquiry_chosen = Signal(int)
    hand_over_asked = Signal()

    def __init__(
        self,
        summary: HandoverSummary,
        handover: Handover | None,
        timezone: ZoneInfo,
        parent: QWidget | None = None,
        *,
        can_hand_over: bool = False,
    ) -> None:
        super().__init__(parent)
        self._tz = timezone
        self.setWindowTitle(self.tr("Handover"))
        self.setAccessibleName(self.tr("Handover"))
        self.resize(1000, 640)
        layout = QVBoxLayout(self)
        self.heading = QLabel()
        self.heading.setTextFormat(Qt.TextFormat.PlainText)
        self.heading.setWordWrap(True)
        self.heading.setAccessibleName(self.tr("Who handed over"))
        layout.addWidget(self.heading)
        self.note_box = QGroupBox(self.tr("Shift note"))
        note_layout = QVBoxLayout(self.note_box)
        # Set as plain text (never read as markup); a text document lays each paragraph out in its own direction
        # and starts it on its own side (a plain-text edit would start an Arabic paragraph on the window's).
        self.note = QTextEdit()
        self.note.setReadOnly(True)
        self.note.setAcceptRichText(False)
        self.note.setAccessibleName(self.tr("The previous person's shift note"))
        self.note.setMaximumHeight(130)
        note_layout.addWidget(self.note)
        layout.addWidget(self.note_box)
        self.as_of = QLabel()
        self.as_of.setTextFormat(Qt.TextFormat.PlainText)
        self.as_of.setWordWrap(True)
        self.as_of.setAccessibleName(self.tr("What is owed now"))
        layout.addWidget(self.as_of)
        self.model = SummaryModel(timezone, self)
        self.tree = QTreeView()
        self.tree.setAccessibleName(self.tr("Open work, by section"))
        self.tree.setModel(self.model)
        self.tree.setItemDelegate(DirectionDelegate(self.tree))
        self.tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.tree.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.tree.setUniformRowHeights(True)
        self.tree.setWordWrap(False)
        header = self.tree.header()
        header.setStretchLastSection(True)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for column, width in ((0, 150), (1, 210), (2, 150)):
            self.tree.setColumnWidth(column, width)
        # A double-click, or Enter on a row (Qt's "activated"; where the platform opens items on a single click,
        # that opens it).
        self.tree.activated.connect(self._activated)
        layout.addWidget(self.tree, 1)
        hint = QLabel(self.tr("Double-click an inquiry (or press Enter) to open it in the window."))
        hint.setTextFormat(Qt.TextFormat.PlainText)
        hint.setWordWrap(True)
        layout.addWidget(hint)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.hand_over_button: QPushButton | None = None
        if can_hand_over:
            self.hand_over_button = buttons.addButton(
                isolate(self.tr("&Hand over…")),  # "…" stays at its end in a right-to-left window
                QDialogButtonBox.ButtonRole.ActionRole,
            )
            self.hand_over_button.setAccessibleName(self.tr("Write my shift note and hand over"))
            self.hand_over_button.clicked.connect(self.hand_over_asked.emit)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.show_handover(summary, handover)

    def _time(self, at: datetime) -> str:
        return at.astimezone(self._tz).strftime("%a %d %b %H:%M")

    def show_handover(self, summary: HandoverSummary, handover: Handover | None) -> None:
        if handover is None:
            self.heading.setText(self.tr("No handover has been written yet."))
        else:
            giver = handover.from_name or self.tr("nobody on duty")
            taker = handover.to_name or self.tr("whoever comes next")
            self.heading.setText(
                self.tr("%1 handed over to %2 on %3.")
                .replace("%1", isolate(giver))
                .replace("%2", isolate(taker))
                .replace("%3", isolate(self._time(handover.at)))
            )
        self.note.setPlainText(
            handover.note if handover is not None and handover.note else self.tr("(No shift note was left.)")
        )
        self.as_of.setText(
            self.tr("Owed now (%1):").replace("%1", isolate(self._time(summary.at)))
            if not summary.nothing_owed
            else self.tr("Nothing is owed now (%1): no inquiry waits, no follow-up is due, no send failed.").replace(
                "%1", isolate(self._time(summary.at))
            )
        )
        self.model.show(summary)
        for row in range(self.model.rowCount()):
            index = self.model.index(row, 0)
            self.tree.setFirstColumnSpanned(row, QModelIndex(), True)
            self.tree.setExpanded(index, self.model.rowCount(index) > 0)
            for child in range(self.model.rowCount(index)):
                if (
                    self.model.index(child, 0, index).data(INQUIRY_ROLE) is None
                    and not self.model.index(child, 1, index).data()
                ):
                    self.tree.setFirstColumnSpanned(child, index, True)  # "… and 12 more"

    def _activated(self, index: QModelIndex) -> None:
        inquiry_id = index.data(INQUIRY_ROLE)
        if isinstance(inquiry_id, int):
            self.inquiry_chosen.emit(inquiry_id)


class NoteDialog(QDialog):
    """The outgoing person's shift note, with the counts the next person will see."""

    def __init__(
        self, outgoing: str, incoming: str | None, summary: HandoverSummary, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Hand over"))
        self.setAccessibleName(self.tr("Hand over"))
        self.setMinimumWidth(560)
        layout = QVBoxLayout(self)
        said = (
            self.tr("%1 hands over to %2.").replace("%1", isolate(outgoing)).replace("%2", isolate(incoming))
            if incoming
            else self.tr("%1 hands over to whoever comes next.").replace("%1", isolate(outgoing))
        )
        self.heading = QLabel(said)
        self.heading.setTextFormat(Qt.TextFormat.PlainText)
        self.heading.setWordWrap(True)
        layout.addWidget(self.heading)
        titles = SectionTitles(self)
        self.counts = QLabel("\n".join(titles.title(s, summary.count(s)) for s in SECTIONS))
        self.counts.setTextFormat(Qt.TextFormat.PlainText)
        self.counts.setAccessibleName(self.tr("What the next person will see"))
        layout.addWidget(self.counts)
        label = QLabel(self.tr("&Shift note for the next person:"))
        # Typed as plain text (pasted formatting is dropped); each paragraph starts on its own side.
        self.note = QTextEdit()
        self.note.setAcceptRichText(False)
        self.note.setAccessibleName(self.tr("Shift note"))
        self.note.setTabChangesFocus(True)
        self.note.setPlaceholderText(
            self.tr("Promises made, members to call back, anything unusual, what to watch for.")
        )
        label.setBuddy(self.note)
        layout.addWidget(label)
        layout.addWidget(self.note, 1)
        self.problem = QLabel()
        self.problem.setTextFormat(Qt.TextFormat.PlainText)
        self.problem.setStyleSheet("color: #b02a37;")
        self.problem.setAccessibleName(self.tr("Problem"))
        layout.addWidget(self.problem)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.accept_button = self.buttons.addButton(self.tr("&Hand over"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.accepted.connect(self._accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

    @property
    def text(self) -> str:
        return self.note.toPlainText()

    def _accept(self) -> None:
        if len(self.text) > NOTE_LIMIT:
            self.problem.setText(
                self.tr("A shift note of at most %1 characters, please.").replace("%1", f"{NOTE_LIMIT:,}")
            )
            return
        self.accept()


class HandoverFlow(QObject):
    """The handover's steps for the window: at a change of the person on duty, from the menu, at start-up.

    ``open_inquiry`` opens an inquiry in the window; ``say`` shows a sentence in its status bar.
    ``window_seen``: when the window was last open at this workstation, read before this start overwrote it.
    """

    def __init__(
        self,
        access: HandoverAccess,
        ops: Ops,
        window: QWidget,
        timezone: ZoneInfo,
        open_inquiry: Callable[[int], None],
        say: Callable[[str], None],
        window_seen: datetime | None,
    ) -> None:
        super().__init__(window)
        self._access = access
        self._ops = ops
        self._window = window
        self._tz = timezone
        self._open = open_inquiry
        self._say = say
        self._seen = window_seen
        self.dialog: HandoverDialog | None = None
        self.note_dialog: NoteDialog | None = None
        self._unsaved = ""  # a note whose save failed, offered again

    def set_timezone(self, timezone: ZoneInfo) -> None:
        self._tz = timezone

    # -- a change of the person on duty --------------------------------------------------------------------
    def change(self, outgoing: Person, incoming: Person, done: Callable[[bool], None]) -> None:
        """The outgoing person writes a note (unless nobody was on duty, or they just handed over); then the
        incoming person reads the summary. ``done(False)``: the outgoing person cancelled, the change is off."""
        access = self._access
        self._ops.run(lambda: (access.latest(), access.summary())).success(
            lambda read: self._changing(outgoing, incoming, *read, done)
        ).failure(lambda problem: self._failed(problem, done, True))

    def _failed(self, problem: str, done: Callable[[bool], None], change: bool) -> None:
        """A read that failed lets the change go ahead (the person on duty is never held by the log); a save
        that failed calls it off (the note is offered again, as written, at the next try)."""
        self._say(problem)
        done(change)

    def _changing(
        self,
        outgoing: Person,
        incoming: Person,
        latest: Handover | None,
        summary: HandoverSummary,
        done: Callable[[bool], None],
    ) -> None:
        if not needs_note(latest, outgoing[0], summary.at):
            done(True)
            if incoming[0] is not None:
                self.show(summary, latest)
            return
        note = self.ask_note(outgoing[1], incoming[1] if incoming[0] is not None else None, summary)
        if note is None:
            done(False)
            return
        access = self._access
        self._ops.run(lambda: access.save(outgoing[0], incoming[0], note, summary)).success(
            lambda kept: self._kept(kept, summary, incoming, done)
        ).failure(lambda problem: self._failed(problem, done, False))

    def _kept(self, kept: Handover, summary: HandoverSummary, incoming: Person, done: Callable[[bool], None]) -> None:
        self._unsaved = ""
        done(True)
        if incoming[0] is not None:
            self.show(summary, kept)
        else:
            self._say(self.tr("Handed over; the next person will see the note."))

    def ask_note(self, outgoing: str, incoming: str | None, summary: HandoverSummary) -> str | None:
        """The outgoing person's note (None: cancelled)."""
        dialog = self.note_dialog = NoteDialog(outgoing, incoming, summary, self._window)
        dialog.note.setPlainText(self._unsaved)
        try:
            accepted = dialog.exec() == QDialog.DialogCode.Accepted
            self._unsaved = dialog.text if accepted else self._unsaved
            return dialog.text if accepted else None
        finally:
            self.note_dialog = None
            dialog.deleteLater()

    # -- from the menu, and at start-up ----------------------------------------------------------------------
    def open(self, on_duty: Person) -> None:
        """Handover…: the summary now and the latest note; the person on duty can hand over from there."""
        access = self._access
        self._ops.run(lambda: (access.latest(), access.summary())).success(
            lambda read: self.show(read[1], read[0], on_duty=on_duty)
        )

    def at_start(self, on_duty: int | None) -> None:
        """The latest handover, when it is news at this workstation (see ``offer_at_start``)."""
        access, seen = self._access, self._seen
        self._ops.run(lambda: self._news(access, on_duty, seen)).success(
            lambda read: self.show(read[1], read[0]) if read is not None else None
        )

    @staticmethod
    def _news(
        access: HandoverAccess, on_duty: int | None, seen: datetime | None
    ) -> tuple[Handover, HandoverSummary] | None:
        latest = access.latest()
        if latest is None or not offer_at_start(latest, on_duty, seen):
            return None
        return latest, access.summary()

    def show(
        self, summary: HandoverSummary, handover: Handover | None, *, on_duty: Person | None = None
    ) -> HandoverDialog:
        if self.dialog is not None:
            self.dialog.close()
        can = on_duty is not None and on_duty[0] is not None
        dialog = HandoverDialog(summary, handover, self._tz, self._window, can_hand_over=can)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.inquiry_chosen.connect(self._open)
        dialog.destroyed.connect(lambda: self._forget(dialog))
        if on_duty is not None and can:
            dialog.hand_over_asked.connect(lambda: self._end_shift(dialog, on_duty))
        self.dialog = dialog
        dialog.show()
        return dialog

    def _forget(self, dialog: HandoverDialog) -> None:
        if self.dialog is dialog:
            self.dialog = None

    def _end_shift(self, dialog: HandoverDialog, on_duty: Person) -> None:
        """The person on duty hands over to whoever comes next (from the summary dialog)."""
        access = self._access
        self._ops.run(access.summary).success(lambda summary: self._write_end(dialog, on_duty, summary))

    def _write_end(self, dialog: HandoverDialog, on_duty: Person, summary: HandoverSummary) -> None:
        note = self.ask_note(on_duty[1], None, summary)
        if note is None:
            return
        access = self._access
        self._ops.run(lambda: access.save(on_duty[0], None, note, summary)).success(
            lambda kept: self._ended(dialog, summary, kept)
        ).failure(self._say)

    def _ended(self, dialog: HandoverDialog, summary: HandoverSummary, kept: Handover) -> None:
        self._unsaved = ""
        self._say(self.tr("Handed over; the next person will see the note."))
        if self.dialog is dialog:
            dialog.show_handover(summary, kept)
