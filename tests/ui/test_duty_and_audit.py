"""(issue 19, items 7 and 8) In the window: with a manager on duty nothing sends (the reply, moderation, join
decisions, welcomes, slow mode), each place saying why, while the inbox, the conversations and the records
read as before; who takes the workstation is in the audit record, which a dialog shows read only; the
retention dialog says what it removes and asks before removing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QAbstractItemView, QLabel, QMessageBox
from pytestqt.modeltest import ModelTester

from moderator_app.domain.audit import AuditEntry
from moderator_app.domain.events import MessageRecord, Peer, SourceKind, SourceRef
from moderator_app.domain.moderation import ModerationKind
from moderator_app.domain.retention import RetentionPreview, RetentionResult
from moderator_app.domain.settings import ON_DUTY, WINDOW_SEEN
from moderator_app.store.audit import AuditRepository
from moderator_app.store.db import Database
from moderator_app.store.live import LiveLog
from moderator_app.store.profiles import ProfileRepository
from moderator_app.store.repositories import SettingsRepository, now_utc
from moderator_app.ui.audit_dialog import AuditDialog
from moderator_app.ui.handover import NoteDialog
from moderator_app.ui.main_window import MainWindow, ModerationTarget
from moderator_app.ui.ops import Ops, run_here
from moderator_app.ui.retention_dialog import RetentionDialog
from tests.support.log_window import window_with_one_inquiry
from tests.support.modal import act_on_modal, answer_message_box

TORONTO = ZoneInfo("America/Toronto")
GROUP = SourceRef(SourceKind.GROUP, 1500, "مجموعة القادمين الجدد", "public_supergroup")


def _log(db: Database) -> tuple[int, int]:
    profiles = ProfileRepository(db)
    mona, amal = profiles.add("منى", "manager"), profiles.add("Amal", "moderator")
    live = LiveLog(db)
    group = live.source(GROUP)
    live.record(group, MessageRecord(1500, 1, now_utc() - timedelta(hours=1), Peer("user", 7, "أمل"), "أين المكتبة؟"))
    live.commit()
    settings = SettingsRepository(db)
    settings.write(ON_DUTY, mona.id)
    settings.write(WINDOW_SEEN, now_utc())  # no handover news at start
    return mona.id, amal.id


def _action(window: MainWindow, text: str) -> QAction:
    return next(a for a in window.findChildren(QAction) if a.text() == text)


def test_a_manager_on_duty_reads_and_sends_nothing(qtbot: Any, sqlite_db: Database) -> None:
    mona, amal = _log(sqlite_db)
    window = window_with_one_inquiry(qtbot, sqlite_db)
    reason = window.duty.reason
    assert reason.startswith("\u2068منى\u2069 is on duty as a manager") and "send nothing" in reason
    assert window.pages.currentWidget() is window._reports_holder  # a manager sees the reports first
    window._go_to_inbox()  # and reads the inbox and the conversations as anyone does
    window.inbox.select_row(0)
    qtbot.waitUntil(lambda: window.conversation.entry is not None, timeout=5000)
    panel = window.conversation
    assert panel.read_only_note.isVisible() and panel.read_only_note.text() == reason
    assert not panel.composer.isEnabled() and not panel.send_button.isEnabled()
    assert not panel.acknowledge_button.isEnabled()
    assert panel.dismiss_button.isEnabled()  # a decision sends nothing: still hers to take
    panel.send()  # Ctrl+Enter: refused, said
    assert panel.status.text() == reason
    assert not _action(window, "&Slow mode…").isEnabled()
    assert _action(window, "&Slow mode…").statusTip() == reason

    joins = window.show_join_requests()
    assert joins is not None
    assert all(b.isHidden() for b in (joins.approve_button, joins.decline_button, joins.approve_all))
    note = joins.findChild(QLabel, "readOnlyNote")
    assert note is not None and note.text() == reason and note.accessibleName() == "Why nothing can be sent"
    welcome = window.show_welcome()
    assert welcome is not None and welcome.welcome_all.isHidden() and welcome.save_button.isHidden()
    people = window.show_people()
    assert people is not None and people.warn_button.isHidden() and not people.note_button.isHidden()
    reports = window.show_reports()
    assert reports is not None and reports.warn_button.isHidden() and not reports.dismiss_button.isHidden()
    window.open_moderation(ModerationTarget(1, 1500, None, "أمل", 1, "", "ar"), ModerationKind.WARN)
    assert window.statusBar().currentMessage() == "\u2068" + reason + "\u2069"
    qtbot.waitUntil(lambda: len(AuditRepository(sqlite_db).entries()) == 1, timeout=5000)
    (start,) = AuditRepository(sqlite_db).entries()
    assert (start.action, start.profile, start.detail["how"]) == ("on_duty", "منى", "start")

    # Amal takes over (after Mona's handover note): everything sends again, and the change is recorded.
    def write(dialog: NoteDialog) -> None:
        dialog.note.setPlainText("كل شيء هادئ")
        dialog.accept_button.click()

    act_on_modal(NoteDialog, write)
    index = window.on_duty.findData(amal)
    window.on_duty.setCurrentIndex(index)
    window.on_duty.activated.emit(index)
    qtbot.waitUntil(lambda: window.duty.reason == "", timeout=5000)
    assert panel.composer.isEnabled() and panel.send_button.isEnabled() and not panel.read_only_note.isVisible()
    assert _action(window, "&Slow mode…").isEnabled()
    qtbot.waitUntil(lambda: len(AuditRepository(sqlite_db).entries()) == 2, timeout=5000)
    changed = AuditRepository(sqlite_db).entries()[0]
    assert (changed.action, changed.profile, changed.detail) == (
        "on_duty",
        "Amal",
        {"how": "changed", "previous": "منى"},
    )
    window.shutdown()


def test_the_settings_menu_opens_the_audit_record_and_retention(qtbot: Any, sqlite_db: Database) -> None:
    _log(sqlite_db)
    window = window_with_one_inquiry(qtbot, sqlite_db)
    assert _action(window, "Message &retention…") is not None
    qtbot.waitUntil(lambda: len(AuditRepository(sqlite_db).entries()) == 1, timeout=5000)
    _action(window, "&Audit record…").trigger()
    dialog = next(w for w in window.findChildren(AuditDialog))
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 1, timeout=5000)
    assert dialog.proxy.index(0, 1).data() == "منى" and dialog.proxy.index(0, 2).data() == "On duty"
    window.shutdown()


def _entries() -> list[AuditEntry]:
    at = datetime(2026, 11, 30, 15, 0, tzinfo=UTC)
    return [
        AuditEntry(3, at, 1, "منى", "export", {"what": "report", "path": "/تقارير/نوفمبر.xlsx"}),
        AuditEntry(2, at - timedelta(hours=1), None, "", "retention", {"months": 24, "messages": 1200}),
        AuditEntry(1, at - timedelta(days=1), 2, "Amal", "setting", {"setting": "urgent_words", "terms": 41}),
    ]


def test_the_audit_dialog_reads_only(qtbot: Any) -> None:
    asked: list[tuple[datetime, datetime]] = []

    def read(start: datetime, end: datetime) -> list[AuditEntry]:
        asked.append((start, end))
        return _entries()

    dialog = AuditDialog(read, TORONTO, Ops(run_here, str, lambda _: None), QDate(2026, 11, 30))
    qtbot.addWidget(dialog)
    ModelTester(qtbot).check(dialog.model, force_py=True)
    dialog.load()
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 3, timeout=5000)
    assert asked == [(datetime(2026, 11, 1, tzinfo=TORONTO), datetime(2026, 12, 1, tzinfo=TORONTO))]
    first = [dialog.proxy.index(0, c).data() for c in range(4)]
    assert first == ["2026-11-30 10:00", "منى", "Export", "what: report; path: /تقارير/نوفمبر.xlsx"]
    assert dialog.proxy.index(1, 1).data() == "(nobody on duty)" and dialog.proxy.index(1, 2).data() == "Retention run"
    assert dialog.table.editTriggers() == QAbstractItemView.EditTrigger.NoEditTriggers
    assert dialog.status.text() == "3 events in the period."
    dialog.filter.setText("urgent")
    assert dialog.proxy.rowCount() == 1 and dialog.proxy.index(0, 1).data() == "Amal"
    for widget in (dialog.first, dialog.last, dialog.filter, dialog.table, dialog.show_button):
        assert widget.accessibleName()
    dialog.last.setDate(QDate(2026, 10, 1))
    dialog.load()
    assert dialog.status.text() == "The end of the period is before its start." and len(asked) == 1


def _preview(months: int) -> RetentionPreview:
    return RetentionPreview(months, datetime(2024, 11, 1, tzinfo=TORONTO), 1200 if months == 24 else 5, 2)


def test_the_retention_dialog_says_what_goes_and_asks_first(qtbot: Any) -> None:
    saved: list[int | None] = []

    def save(months: int | None) -> RetentionResult | None:
        saved.append(months)
        if months is None:
            return None
        return RetentionResult(datetime(2024, 11, 1, tzinfo=TORONTO), 1200, 3, 1, 2, 4, 2)

    dialog = RetentionDialog(lambda: None, _preview, save, Ops(run_here, str, lambda _: None))
    qtbot.addWidget(dialog)
    dialog.load()
    qtbot.waitUntil(lambda: dialog.preview_label.text() == "Off: message text is kept for good.")
    assert not dialog.enabled.isChecked() and not dialog.spin.isEnabled()
    dialog.enabled.setChecked(True)
    assert dialog.spin.isEnabled() and dialog.spin.value() == 24
    qtbot.waitUntil(lambda: "1200" in dialog.preview_label.text())
    assert dialog.preview_label.text() == (
        "Saving removes the text of 1200 messages from before 2024-11-01. "
        "2 messages of inquiries still open keep theirs for now."
    )
    answer_message_box(QMessageBox.StandardButton.No)
    dialog.buttons.button(dialog.buttons.StandardButton.Save).click()
    assert saved == [] and dialog.buttons.isEnabled()
    answer_message_box(QMessageBox.StandardButton.Yes)
    dialog.buttons.button(dialog.buttons.StandardButton.Save).click()
    qtbot.waitUntil(lambda: dialog.result() == dialog.DialogCode.Accepted)
    assert saved == [24]
    assert dialog.result_message.startswith("Retention saved: text removed from 1200 messages from before 2024-11-01")

    # Saved before any preview was read: it is read, then asked about all the same.
    again = RetentionDialog(lambda: 6, _preview, save, Ops(run_here, str, lambda _: None))
    qtbot.addWidget(again)
    again.load()
    qtbot.waitUntil(lambda: again.spin.value() == 6 and "5 messages" in again.preview_label.text())
    again.spin.setValue(7)  # the preview of 7 months is still to come
    answer_message_box(QMessageBox.StandardButton.Yes)
    again.buttons.button(again.buttons.StandardButton.Save).click()
    qtbot.waitUntil(lambda: saved == [24, 7])
    off = RetentionDialog(lambda: 6, _preview, save, Ops(run_here, str, lambda _: None))
    qtbot.addWidget(off)
    off.load()
    qtbot.waitUntil(lambda: off.enabled.isChecked())
    off.enabled.setChecked(False)
    off.buttons.button(off.buttons.StandardButton.Save).click()  # turning it off removes nothing: no question
    qtbot.waitUntil(lambda: bool(off.result_message))
    assert saved == [24, 7, None] and off.result_message == "Retention is off: message text is kept for good."
    assert off.spin.accessibleName() and off.enabled.accessibleName()


def test_the_audit_dialog_mirrors_right_to_left(qtbot: Any, qapp: Any) -> None:
    qapp.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
    try:
        dialog = AuditDialog(lambda s, e: _entries(), TORONTO, Ops(run_here, str, lambda _: None), QDate(2026, 11, 30))
        qtbot.addWidget(dialog)
        dialog.resize(900, 400)
        dialog.show()
        qtbot.waitExposed(dialog)
        assert dialog.first.geometry().x() > dialog.filter.geometry().x()  # "From" starts on the right
    finally:
        qapp.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
