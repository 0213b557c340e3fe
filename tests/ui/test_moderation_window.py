"""Moderation from the window against the fake server: a member's message in the conversation is warned
about (the guideline's text in the member's language becomes the private reminder), the second warning
proposes removal, the message is deleted, and the record shows it all; the record's model passes
qtmodeltester."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QDialogButtonBox

from fake_telegram import FakeTelegram
from moderator_app.domain.library import CannedAnswer
from moderator_app.domain.moderation import GUIDELINE_TOPIC, ModerationKind, ModerationOrigin, RecordEntry
from moderator_app.store.db import Database
from moderator_app.store.library import LibraryRepository
from moderator_app.store.profiles import ProfileRepository
from moderator_app.telegram.client import ConnectionSettings
from moderator_app.ui.moderation_dialog import ModerationDialog
from moderator_app.ui.moderation_record import ModerationRecordDialog, RecordModel
from moderator_app.ui.slow_mode import SlowModeDialog
from tests.support.modal import act_on_modal
from tests.ui.conftest import watched_group, window_with_connector

NO_ADS = CannedAnswer(
    title="No advertising",
    shortcut="no-ads",
    bodies={
        "en": "Please keep the group for settlement questions: no advertising (guideline 3).",
        "ar": "يرجى إبقاء المجموعة لأسئلة الاستقرار: لا إعلانات (القاعدة 3).",
    },
    topics=(GUIDELINE_TOPIC,),
)


def test_warn_twice_then_delete_from_the_conversation(
    qtbot: Any, log: Database, world: FakeTelegram, account: int, connection: ConnectionSettings, tmp_path: Path
) -> None:
    LibraryRepository(log).save(NO_ADS)
    amal, reza = world.add_user("Amal", "Haddad"), world.add_user("رضا", "کریمی")
    group = watched_group(log, world, connection, "Newcomers Ottawa", [amal, reza])
    window, thread = window_with_connector(qtbot, log, connection, tmp_path)
    thread.start()
    try:
        qtbot.waitUntil(lambda: window.connection.text() == "Telegram: connected", timeout=10_000)
        person = ProfileRepository(log).add("Nadia", "moderator", ("ar",))
        assert person.id is not None
        window.load_on_duty(person.id)
        qtbot.waitUntil(lambda: window.on_duty_id == person.id)
        question = world.send(group, amal, "كيف أسجل أطفالي في المدرسة؟")
        spam = world.send(group, reza, "=cmd|' /C calc'!A0 تأشيرات رخيصة", reply_to=question)
        qtbot.waitUntil(lambda: window.proxy.rowCount() == 1, timeout=10_000)
        with qtbot.waitSignal(window.conversation.loaded):
            window.inbox.table.selectRow(0)
        entry = window.conversation.entry
        assert entry is not None
        qtbot.waitUntil(lambda: window.conversation.model.rowCount() == 2, timeout=10_000)
        row = next(r for r in range(2) if window.conversation.model.message(r).telegram_id == spam)
        message = window.conversation.model.message(row)
        assert message.sender_id is not None

        def warn(dialog: ModerationDialog) -> None:
            assert dialog.kind() is ModerationKind.WARN
            assert "0 warnings" in dialog.standing.text()
            dialog.guideline.setCurrentIndex(dialog.guideline.findText("No advertising"))
            assert dialog.notice.toPlainText() == NO_ADS.bodies["ar"]  # the member's language (the inquiry's)
            dialog.reason.setText("advertising visas")
            dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()

        act_on_modal(ModerationDialog, warn)
        window.moderate(entry, message, ModerationKind.WARN)
        qtbot.waitUntil(lambda: len(world.sent_by_account(reza)) == 1, timeout=10_000)
        assert world.sent_by_account(reza)[0].message == NO_ADS.bodies["ar"]

        def second_warning(dialog: ModerationDialog) -> None:
            # One warning on record: the second is the limit, and removal is proposed, one click away.
            assert "1 warning in the last 90 days" in dialog.standing.text()
            dialog.notice.setPlainText("Second reminder: no advertising.")
            dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()

        act_on_modal(ModerationDialog, second_warning)
        window.moderate(entry, message, ModerationKind.WARN)
        qtbot.waitUntil(lambda: len(world.sent_by_account(reza)) == 2, timeout=10_000)

        def proposed(dialog: ModerationDialog) -> None:
            assert "removal is proposed" in dialog.standing.text()
            dialog.remove_instead.click()
            assert dialog.kind() is ModerationKind.REMOVE
            dialog.reject()

        handled: list[bool] = []
        act_on_modal(ModerationDialog, lambda dialog: (proposed(dialog), handled.append(True)))
        window.moderate(entry, message, ModerationKind.WARN)
        qtbot.waitUntil(lambda: bool(handled), timeout=10_000)

        def delete(dialog: ModerationDialog) -> None:
            assert dialog.quoted.text() == message.text  # shown as it was written, as text
            dialog.reason.setText("spam")
            dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()

        act_on_modal(ModerationDialog, delete)
        window.moderate(entry, message, ModerationKind.DELETE)
        qtbot.waitUntil(lambda: world.lookup(world._chats[group].peer, spam) is None, timeout=10_000)
    finally:
        thread.stop()

    assert window.services.moderation is not None
    record = ModerationRecordDialog(
        window.services.moderation.record,
        window.services.moderation.export,
        window.services.timezone,
        window.ops,
        __import__("PySide6.QtCore", fromlist=["QDate"]).QDate.currentDate(),
    )
    qtbot.addWidget(record)
    record.load()
    qtbot.waitUntil(lambda: record.model.rowCount() == 3, timeout=10_000)
    kinds = sorted(record.model.entry(r).kind for r in range(3))
    assert kinds == ["deletion", "warning", "warning"]
    record.filter.setText("deletion")
    assert record.proxy.rowCount() == 1
    target = tmp_path / "record.csv"
    exported = window.services.moderation.export([record.model.entry(0)], target)
    assert exported == 1 and target.read_text(encoding="utf-8-sig").count("\n") == 2


def test_the_record_model_passes_the_model_tester(qtmodeltester: Any) -> None:
    from zoneinfo import ZoneInfo

    model = RecordModel(ZoneInfo("America/Toronto"))
    now = datetime.now(UTC)
    model.set_entries(
        [
            RecordEntry(now, "Newcomers", "Amal", "warning", ModerationOrigin.APP, "Nadia", reason="ads"),
            RecordEntry(
                now - timedelta(hours=1), "Newcomers", "رضا", "ban", ModerationOrigin.APP, "", until=now, state="failed"
            ),
        ]
    )
    qtmodeltester.check(model)


def test_a_member_without_a_message_can_be_unbanned_or_have_all_messages_deleted(qtbot: Any) -> None:
    """From the people panel (a member, no message): lifting a ban or mute and deleting all of their messages
    are offered; deleting one message is not; neither sends the member anything."""
    dialog = ModerationDialog(
        ModerationKind.UNBAN,
        source_id=1,
        member_id=3,
        member="رضا کریمی",
        message_id=None,
        message="",
        language="fa",
        standing=None,
        guidelines=[],
        profile_id=1,
    )
    qtbot.addWidget(dialog)
    kinds = [ModerationKind(dialog.action.itemData(i)) for i in range(dialog.action.count())]
    assert ModerationKind.UNBAN in kinds and ModerationKind.PURGE in kinds and ModerationKind.DELETE not in kinds
    assert dialog.kind() is ModerationKind.UNBAN
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert dialog.request is not None and dialog.request.kind is ModerationKind.UNBAN
    assert dialog.request.duration is None

    purge = ModerationDialog(
        ModerationKind.PURGE,
        source_id=1,
        member_id=3,
        member="رضا کریمی",
        message_id=None,
        message="",
        language="fa",
        standing=None,
        guidelines=[],
        profile_id=1,
    )
    qtbot.addWidget(purge)
    assert not purge.form.isRowVisible(purge.notice)
    purge.notice.setPlainText("should not be sent")
    purge.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert purge.request is not None and purge.request.kind is ModerationKind.PURGE and purge.request.notice == ""


def test_a_removal_or_ban_offers_the_librarys_removal_notice_in_the_members_language(qtbot: Any) -> None:
    notice = CannedAnswer(
        title="Removal notice",
        shortcut="removal-notice",
        bodies={"en": "You were removed from the group.", "fa": "شما از گروه حذف شدید."},
        topics=("removal_notice",),
        id=7,
    )
    guideline = replace(NO_ADS, id=8)
    dialog = ModerationDialog(
        ModerationKind.WARN,
        source_id=1,
        member_id=3,
        member="رضا کریمی",
        message_id=5,
        message="تبلیغ",
        language="fa",
        standing=None,
        guidelines=[guideline, notice],
        profile_id=1,
    )
    qtbot.addWidget(dialog)
    # Only guidelines are offered as the guideline broken.
    assert [dialog.guideline.itemText(i) for i in range(dialog.guideline.count())] == ["", "No advertising"]
    assert dialog.notice.toPlainText() == ""
    dialog.action.setCurrentIndex(dialog.action.findData(ModerationKind.REMOVE))
    assert dialog.notice.toPlainText() == "شما از گروه حذف شدید."
    dialog.action.setCurrentIndex(dialog.action.findData(ModerationKind.WARN))
    assert dialog.notice.toPlainText() == ""  # the dialog's own offer follows the action
    dialog.notice.setPlainText("Last reminder before removal.")
    dialog.action.setCurrentIndex(dialog.action.findData(ModerationKind.BAN))
    assert dialog.notice.toPlainText() == "Last reminder before removal."  # the moderator's words are kept


def test_the_slow_mode_dialog_builds_the_request(qtbot: Any) -> None:
    dialog = SlowModeDialog([(4, "Newcomers Ottawa"), (5, "مجموعة الوافدين")], profile_id=2)
    qtbot.addWidget(dialog)
    assert dialog.interval.currentText() == "30 seconds"
    dialog.group.setCurrentIndex(1)
    dialog.interval.setCurrentIndex(dialog.interval.findData(300))
    dialog.reason.setText("a heated thread")
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert dialog.request is not None
    assert (dialog.request.kind, dialog.request.source_id, dialog.request.duration) == (
        ModerationKind.SLOW_MODE,
        5,
        timedelta(minutes=5),
    )
    assert dialog.request.reason == "a heated thread" and dialog.request.profile_id == 2
