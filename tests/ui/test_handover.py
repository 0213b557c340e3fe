"""The handover in the window: the summary dialog shows members' words as text, each in its own direction, and
opens an inquiry on a double-click; a change of the person on duty asks the outgoing person's note, keeps the
handover and shows the incoming person the summary; cancelled, the change is off; File ▸ Handover… and the
start-up offer."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QStyleOptionViewItem, QWidget

from moderator_app.domain.events import MessageRecord, Peer, SourceKind, SourceRef
from moderator_app.domain.handover import (
    LISTED,
    SECTIONS,
    Handover,
    HandoverItem,
    HandoverSummary,
    Section,
)
from moderator_app.domain.settings import ON_DUTY, WINDOW_SEEN
from moderator_app.store.db import Database
from moderator_app.store.handovers import HandoverRepository
from moderator_app.store.live import LiveLog
from moderator_app.store.profiles import ProfileRepository
from moderator_app.store.repositories import SettingsRepository, now_utc
from moderator_app.ui.delegates import DirectionDelegate
from moderator_app.ui.handover import INQUIRY_ROLE, HandoverDialog, NoteDialog
from moderator_app.ui.main_window import MainWindow
from tests.support.log_window import window_with_one_inquiry
from tests.support.modal import act_on_modal

TORONTO = ZoneInfo("America/Toronto")
NOW = datetime(2026, 11, 17, 15, 0, tzinfo=UTC)
MARKUP = "<b>urgent</b> <img src='x'> &amp; كيف أجدد الإقامة؟"


def _item(section: Section, item_id: int, member: str, text: str, **more: Any) -> HandoverItem:
    return HandoverItem(section, item_id, more.pop("inquiry_id", item_id), "گروه تازه‌واردان", member, text, NOW, **more)


def _summary() -> HandoverSummary:
    overdue = tuple(_item(Section.OVERDUE, i, "أمل حداد", MARKUP) for i in range(1, 4))
    failed = (_item(Section.FAILED, 70, "رضا کریمی", "Please call 613-555-0100", inquiry_id=None, error="FLOOD_WAIT"),)
    follow = (_item(Section.FOLLOW_UP, 9, "Marie", "Où est la clinique ?", follow_up_on=date(2026, 11, 16)),)
    counts = {s: 0 for s in SECTIONS} | {Section.OVERDUE: LISTED + 12, Section.FAILED: 1, Section.FOLLOW_UP: 1}
    return HandoverSummary(
        NOW, date(2026, 11, 17), counts, {Section.OVERDUE: overdue, Section.FAILED: failed, Section.FOLLOW_UP: follow}
    )


NOTE = "وعدت أمل بالرد قبل الظهر\n<i>Call Reza</i> about the lawyer"


def _double_click(qtbot: Any, widget: QWidget, at: QPoint) -> None:
    """A click, then the second press QTest sends as the double-click (alone, Qt 6 takes it for a press)."""
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton, pos=at)
    qtbot.mouseDClick(widget, Qt.MouseButton.LeftButton, pos=at)


def test_the_summary_dialog_shows_words_as_text_and_opens_an_inquiry(qtbot: Any) -> None:
    handover = Handover(1, NOW - timedelta(minutes=5), 1, "نادیا", 2, "Reza", NOTE, {})
    dialog = HandoverDialog(_summary(), handover, TORONTO)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.note.toPlainText() == NOTE and dialog.note.isReadOnly()  # the note as written, no markup read
    assert "نادیا" in dialog.heading.text() and "Reza" in dialog.heading.text()
    assert dialog.heading.textFormat() == Qt.TextFormat.PlainText
    model = dialog.model
    headings = [model.index(row, 0).data() for row in range(model.rowCount())]
    assert headings[0] == f"Overdue: {LISTED + 12} inquiries past their due time, no response yet"
    assert headings[1] == "Open: 0 inquiries waiting, within the standard"
    assert "Failed sends: 1" in headings and "Follow-ups due today or earlier: 1" in headings
    overdue = model.index(0, 0)
    assert model.rowCount(overdue) == 3 + 1  # the three listed, then how many more
    assert model.index(3, 0, overdue).data() == f"… and {LISTED + 9} more: the inbox's “Overdue” filter lists them all."
    first = model.index(0, 3, overdue)
    assert first.data() == MARKUP and first.data(INQUIRY_ROLE) == 1  # shown as written: never read as markup
    assert model.index(0, 2, overdue).data() == "أمل حداد" and model.index(0, 1, overdue).data() == "گروه تازه‌واردان"
    assert dialog.tree.isExpanded(overdue) and not dialog.tree.isExpanded(model.index(1, 0))
    # Each cell in its own text's direction, whatever the window's: the Arabic question right to left, the
    # French one left to right.
    delegate = dialog.tree.itemDelegate()
    assert isinstance(delegate, DirectionDelegate)
    for index, direction in (
        (model.index(0, 2, overdue), Qt.LayoutDirection.RightToLeft),
        (model.index(0, 3, model.index(4, 0)), Qt.LayoutDirection.LeftToRight),
    ):
        option = QStyleOptionViewItem()
        delegate.initStyleOption(option, index)
        assert option.direction == direction, index.data()
    failed_row = model.index(5, 0)
    assert "FLOOD_WAIT" in model.index(0, 3, failed_row).data()
    # A double-click on an inquiry asks the window to open it; on a send that replied to none, nothing.
    chosen: list[int] = []
    dialog.inquiry_chosen.connect(lambda inquiry_id: chosen.append(inquiry_id))
    for index in (model.index(0, 3, overdue), model.index(0, 3, failed_row), model.index(3, 0, overdue)):
        dialog.tree.scrollTo(index)
        rect = dialog.tree.visualRect(index)
        assert rect.isValid() and dialog.tree.viewport().rect().contains(rect.center())
        _double_click(qtbot, dialog.tree.viewport(), rect.center())
    assert chosen == [1]
    assert dialog.hand_over_button is None  # offered from the menu only
    assert dialog.accessibleName() == "Handover" and dialog.tree.accessibleName()


def test_a_right_to_left_window_mirrors_the_dialog(qtbot: Any, qapp: Any) -> None:
    qapp.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
    try:
        dialog = HandoverDialog(_summary(), None, TORONTO)
        qtbot.addWidget(dialog)
        dialog.show()
        assert dialog.layoutDirection() == Qt.LayoutDirection.RightToLeft
        assert dialog.heading.text() == "No handover has been written yet."
        assert dialog.note.toPlainText() == "(No shift note was left.)"
        overdue = dialog.model.index(0, 0)
        option = QStyleOptionViewItem()
        delegate = dialog.tree.itemDelegate()
        assert isinstance(delegate, DirectionDelegate)
        delegate.initStyleOption(option, dialog.model.index(0, 0, dialog.model.index(4, 0)))
        assert option.direction == Qt.LayoutDirection.LeftToRight  # a date stays left to right
        # The "When" column is on the right in a right-to-left window.
        assert (
            dialog.tree.visualRect(dialog.model.index(0, 0, overdue)).x()
            > dialog.tree.visualRect(dialog.model.index(0, 3, overdue)).x()
        )
    finally:
        qapp.setLayoutDirection(Qt.LayoutDirection.LeftToRight)


GROUP = SourceRef(SourceKind.GROUP, 1500, "گروه تازه‌واردان", "public_supergroup")


def _log(db: Database) -> tuple[int, int, int]:
    """Nadia and Reza, and an inquiry of Amal's three days old; their ids."""
    profiles = ProfileRepository(db)
    nadia, reza = profiles.add("نادیا"), profiles.add("Reza", "backup")
    live = LiveLog(db)
    group = live.source(GROUP)
    asked = now_utc() - timedelta(days=3)
    live.record(group, MessageRecord(1500, 1, asked, Peer("user", 7, "أمل"), "أين أجد طبيب عائلة؟"))
    live.commit()
    (inquiry,) = HandoverRepository(db).summary(now_utc(), TORONTO).listed(Section.OVERDUE)
    return nadia.id, reza.id, inquiry.id


def _choose(window: MainWindow, profile_id: int) -> None:
    """The person on duty picked in the "On duty" list, as a click does."""
    index = window.on_duty.findData(profile_id)
    window.on_duty.setCurrentIndex(index)
    window.on_duty.activated.emit(index)


def test_a_change_of_duty_is_a_handover(qtbot: Any, sqlite_db: Database) -> None:
    nadia, reza, inquiry = _log(sqlite_db)
    settings = SettingsRepository(sqlite_db)
    settings.write(ON_DUTY, nadia)
    settings.write(WINDOW_SEEN, now_utc())
    window = window_with_one_inquiry(qtbot, sqlite_db)
    assert window.handover is not None and window.handover.dialog is None  # nothing new at start-up
    window.inbox.view_box.setCurrentIndex(window.inbox.view_box.findData("dismissed"))  # hides the inquiry
    counts: list[str] = []

    def write(dialog: NoteDialog) -> None:
        counts.append(dialog.counts.text())
        dialog.note.setPlainText(NOTE + "  \n\n")
        dialog.accept_button.click()

    act_on_modal(NoteDialog, write)
    _choose(window, reza)
    qtbot.waitUntil(lambda: window.handover is not None and window.handover.dialog is not None, timeout=5000)
    assert "Overdue: 1 inquiry past its due time, no response yet" in counts[0]
    latest = HandoverRepository(sqlite_db).latest()
    assert latest is not None and (latest.from_profile_id, latest.to_profile_id, latest.note) == (nadia, reza, NOTE)
    assert latest.counts[Section.OVERDUE] == 1
    assert SettingsRepository(sqlite_db).read(ON_DUTY) == reza and window.on_duty_id == reza
    dialog = window.handover.dialog
    assert dialog is not None and dialog.note.toPlainText() == NOTE
    # Reza opens the inquiry from the summary: the inbox shows it (its filter put back to show it), selected.
    overdue = dialog.model.index(0, 0)
    assert dialog.model.index(0, 3, overdue).data() == "أين أجد طبيب عائلة؟"
    dialog.inquiry_chosen.emit(dialog.model.index(0, 3, overdue).data(INQUIRY_ROLE))
    current = window.inbox.current_entry()
    assert current is not None and current.id == inquiry and window.conversation.entry is not None

    # Back to Nadia, but Reza cancels his note: he stays on duty, nothing is kept.
    act_on_modal(NoteDialog, lambda note_dialog: note_dialog.reject())
    _choose(window, nadia)
    qtbot.waitUntil(lambda: window.on_duty_id == reza, timeout=5000)
    assert SettingsRepository(sqlite_db).read(ON_DUTY) == reza
    assert HandoverRepository(sqlite_db).latest() == latest
    window.shutdown()


def test_handover_from_the_menu_and_at_the_next_start(qtbot: Any, sqlite_db: Database) -> None:
    nadia, reza, _ = _log(sqlite_db)
    settings = SettingsRepository(sqlite_db)
    settings.write(ON_DUTY, nadia)
    settings.write(WINDOW_SEEN, now_utc())
    window = window_with_one_inquiry(qtbot, sqlite_db)
    action = next(a for a in window.findChildren(type(window.menuBar().actions()[0])) if a.text() == "&Handover…")
    assert action.shortcut().toString() == "Ctrl+Shift+H"
    action.trigger()
    assert window.handover is not None
    qtbot.waitUntil(lambda: window.handover is not None and window.handover.dialog is not None, timeout=5000)
    dialog = window.handover.dialog
    assert dialog is not None and dialog.hand_over_button is not None
    assert dialog.heading.text() == "No handover has been written yet."

    def write(note_dialog: NoteDialog) -> None:
        note_dialog.note.setPlainText("دنبال پاسخ وکیل باشید")
        note_dialog.accept_button.click()

    act_on_modal(NoteDialog, write)
    dialog.hand_over_button.click()
    qtbot.waitUntil(lambda: dialog.note.toPlainText() == "دنبال پاسخ وکیل باشید", timeout=5000)
    latest = HandoverRepository(sqlite_db).latest()
    assert latest is not None and (latest.from_profile_id, latest.to_profile_id) == (nadia, None)
    # Nadia then changes the profile on duty to Reza: she handed over already, so no second note is asked.
    _choose(window, reza)
    qtbot.waitUntil(lambda: SettingsRepository(sqlite_db).read(ON_DUTY) == reza, timeout=5000)
    assert HandoverRepository(sqlite_db).latest() == latest
    window.shutdown()

    # The next start at a workstation last open before her note: Reza is shown it at once.
    settings.write(WINDOW_SEEN, latest.at - timedelta(hours=1))
    again = window_with_one_inquiry(qtbot, sqlite_db)
    qtbot.waitUntil(lambda: again.handover is not None and again.handover.dialog is not None, timeout=5000)
    assert again.handover is not None and again.handover.dialog is not None
    assert again.handover.dialog.note.toPlainText() == "دنبال پاسخ وکیل باشید"
    assert again.handover.dialog.hand_over_button is None
    again.shutdown()

    # Once that window has been open, the next start has nothing new to show.
    settings.write(WINDOW_SEEN, latest.at + timedelta(minutes=1))
    third = window_with_one_inquiry(qtbot, sqlite_db)
    qtbot.wait(300)  # the start-up read has come back by then
    assert third.handover is not None and third.handover.dialog is None
    third.shutdown()
