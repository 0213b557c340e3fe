"""Member reports against the fake server: an "@admin" reply and a "/report" reach the window as reports (the
bar above the inbox, not inquiries), the reported message is deleted with one key (D) through the moderation
dialog, the other report is dismissed (X), and the question a report replied to stays open."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialogButtonBox
from pytestqt.modeltest import ModelTester

from fake_telegram import FakeTelegram
from moderator_app.domain.moderation import ModerationKind
from moderator_app.domain.reports import ReportState
from moderator_app.store.db import Database
from moderator_app.store.profiles import ProfileRepository
from moderator_app.store.reports import ReportRepository
from moderator_app.telegram.client import ConnectionSettings
from moderator_app.ui.moderation_dialog import ModerationDialog
from moderator_app.ui.reports import ReportsDialog, ReportsModel
from tests.support.inbox_entries import TORONTO
from tests.support.modal import act_on_modal
from tests.ui.conftest import watched_group, window_with_connector


def test_reports_reach_the_window_and_are_acted_on_with_one_key(
    qtbot: Any, log: Database, world: FakeTelegram, account: int, connection: ConnectionSettings, tmp_path: Path
) -> None:
    amal, reza, li = world.add_user("Amal", "Haddad"), world.add_user("رضا", "کریمی"), world.add_user("伟", "李")
    group = watched_group(log, world, connection, "Newcomers Ottawa", [amal, reza, li])
    window, thread = window_with_connector(qtbot, log, connection, tmp_path)
    thread.start()
    try:
        qtbot.waitUntil(lambda: window.connection.text() == "Telegram: connected", timeout=10_000)
        person = ProfileRepository(log).add("Nadia", "moderator", ("fa",))
        assert person.id is not None
        window.load_on_duty(person.id)
        qtbot.waitUntil(lambda: window.on_duty_id == person.id)
        notified: list[tuple[str, str]] = []
        window.notifier.message.connect(lambda title, text: notified.append((title, text)))
        question = world.send(group, amal, "Where can I get a health card?")
        spam = world.send(group, reza, "<b>ویزای ارزان</b> فقط امروز")
        world.send(group, amal, "@admin this is a scam", reply_to=spam)
        world.send(group, li, "/report", reply_to=question)
        qtbot.waitUntil(lambda: window.inbox.reports_bar.isVisible(), timeout=10_000)
        qtbot.waitUntil(lambda: "2 member reports" in window.inbox.reports_label.text(), timeout=10_000)
        assert window.proxy.rowCount() == 1  # Amal's question only: reports are not inquiries
        assert window.proxy.entry(0).state == "open"  # Li's /report did not answer it

        window.inbox.reports_button.click()
        dialog = next(w for w in QApplication.topLevelWidgets() if isinstance(w, ReportsDialog) and w.isVisible())
        qtbot.waitUntil(lambda: dialog.model.rowCount() == 2, timeout=5000)
        ModelTester(qtbot).check(dialog.model, force_py=True)
        dialog.table.setCurrentIndex(dialog.model.index(1, 0))  # the older one: Amal's, about the spam
        report = dialog.current()
        assert report is not None and report.reported_member == "رضا کریمی"
        assert dialog.reported.toPlainText() == "<b>ویزای ارزان</b> فقط امروز"  # text, not markup

        def delete(moderation: ModerationDialog) -> None:
            assert moderation.kind() is ModerationKind.DELETE
            moderation.reason.setText("visa scam, reported")
            moderation.buttons.button(QDialogButtonBox.StandardButton.Ok).click()

        act_on_modal(ModerationDialog, delete)
        dialog.activateWindow()
        qtbot.waitUntil(dialog.isActiveWindow)
        qtbot.keyClick(dialog.table, Qt.Key.Key_D)
        qtbot.waitUntil(lambda: world.lookup(world._chats[group].peer, spam) is None, timeout=10_000)
        qtbot.waitUntil(lambda: dialog.model.rowCount() == 1, timeout=5000)
        dialog.activateWindow()  # back from the moderation dialog
        qtbot.waitUntil(dialog.isActiveWindow)
        qtbot.keyClick(dialog.table, Qt.Key.Key_X)  # Li's report about the question: nothing to do
        qtbot.waitUntil(lambda: dialog.model.rowCount() == 0, timeout=5000)
        decided = {r.reporter: r for r in ReportRepository(log).reports(open_only=False)}
        assert decided["Amal Haddad"].state is ReportState.ACTED and decided["Amal Haddad"].action == "delete"
        assert decided["伟 李"].state is ReportState.DISMISSED and decided["伟 李"].decided_by == "Nadia"
        dialog.close()
        qtbot.waitUntil(lambda: not window.inbox.reports_bar.isVisible(), timeout=5000)
    finally:
        thread.stop()


def test_the_reports_model_passes_qtmodeltester(qtbot: Any) -> None:
    ModelTester(qtbot).check(ReportsModel(TORONTO), force_py=True)
