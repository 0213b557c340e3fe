"""The people panel against the fake server: members of the watched group listed with what they wrote and
asked, found by a search in their script, opened (messages, record, notes), noted, and warned from the panel
(the reminder reaches them privately); its model passes qtmodeltester."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QDialogButtonBox
from pytestqt.modeltest import ModelTester

from fake_telegram import FakeTelegram
from moderator_app.domain.moderation import ModerationKind
from moderator_app.store.db import Database
from moderator_app.store.profiles import ProfileRepository
from moderator_app.telegram.client import ConnectionSettings
from moderator_app.ui.moderation_dialog import ModerationDialog
from moderator_app.ui.people import MESSAGES, NAME, NOTES, WARNINGS, PeopleDialog, PeopleModel
from tests.support.inbox_entries import TORONTO
from tests.support.modal import act_on_modal
from tests.ui.conftest import watched_group, window_with_connector


def test_people_listed_searched_opened_noted_and_warned(
    qtbot: Any, log: Database, world: FakeTelegram, account: int, connection: ConnectionSettings, tmp_path: Path
) -> None:
    amal, reza = world.add_user("أمل", "حداد"), world.add_user("رضا", "کریمی")
    group = watched_group(log, world, connection, "Newcomers Ottawa", [amal, reza])
    window, thread = window_with_connector(qtbot, log, connection, tmp_path)
    thread.start()
    try:
        qtbot.waitUntil(lambda: window.connection.text() == "Telegram: connected", timeout=10_000)
        person = ProfileRepository(log).add("Nadia", "moderator", ("fa",))
        assert person.id is not None
        window.load_on_duty(person.id)
        qtbot.waitUntil(lambda: window.on_duty_id == person.id)
        world.send(group, amal, "كيف أسجل أطفالي في المدرسة؟")
        world.send(group, reza, "<b>ویزای ارزان</b> فقط امروز")
        world.send(group, reza, "پیام بدید")
        qtbot.waitUntil(lambda: window.proxy.rowCount() == 1, timeout=10_000)
        qtbot.waitUntil(lambda: bool(window.known_sources), timeout=10_000)

        dialog = window.show_people()
        assert isinstance(dialog, PeopleDialog)
        qtbot.addWidget(dialog)
        qtbot.waitUntil(lambda: dialog.proxy.rowCount() == 2, timeout=10_000)
        ModelTester(qtbot).check(dialog.model, force_py=True)
        rows = {dialog.proxy.index(r, NAME).data(): r for r in range(2)}
        assert set(rows) == {"أمل حداد", "رضا کریمی"}
        assert dialog.proxy.index(rows["رضا کریمی"], MESSAGES).data() == 2
        assert dialog.source_box.itemText(1) == "Newcomers Ottawa"

        dialog.search.setText("كريمي")  # typed with an Arabic keyboard's kaf and yeh
        qtbot.waitUntil(lambda: dialog.proxy.rowCount() == 1)
        assert dialog.count.text() == "1 member"
        dialog.table.selectRow(0)
        qtbot.waitUntil(lambda: dialog.detail is not None and dialog.detail.row.name == "رضا کریمی", timeout=5000)
        assert "<b>ویزای ارزان</b> فقط امروز" in dialog.messages.toPlainText()  # as written: text, not markup
        assert "\u2068Newcomers Ottawa\u2069: first seen" in dialog.memberships.text()
        assert dialog.in_source.currentText() == "Newcomers Ottawa"

        dialog.note_edit.setText("Sells visas; second group this week.")
        dialog.note_button.click()
        qtbot.waitUntil(lambda: "Sells visas" in dialog.notes.toPlainText(), timeout=5000)
        assert "Nadia" in dialog.notes.toPlainText()

        def warn(moderation: ModerationDialog) -> None:
            assert moderation.kind() is ModerationKind.WARN
            moderation.notice.setPlainText("لطفاً تبلیغ نکنید.")
            moderation.buttons.button(QDialogButtonBox.StandardButton.Ok).click()

        act_on_modal(ModerationDialog, warn)
        dialog.warn_button.click()
        qtbot.waitUntil(lambda: len(world.sent_by_account(reza)) == 1, timeout=10_000)
        assert world.sent_by_account(reza)[0].message == "لطفاً تبلیغ نکنید."

        dialog.load()  # the counts read again: the warning and the note are on the row
        qtbot.waitUntil(lambda: dialog.proxy.index(0, WARNINGS).data() == 1, timeout=5000)
        assert dialog.proxy.index(0, NOTES).data() == 1
        qtbot.waitUntil(lambda: "warning" in dialog.record.toPlainText(), timeout=5000)
        dialog.close()
    finally:
        thread.stop()


def test_the_people_model_passes_qtmodeltester(qtbot: Any) -> None:
    model = PeopleModel(TORONTO)
    ModelTester(qtbot).check(model, force_py=True)
