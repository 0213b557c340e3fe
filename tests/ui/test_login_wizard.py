"""The login wizard against the local MTProto server: each step, a wrong code shown on its page, the 2FA
password, then the sources to watch."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from fake_telegram import FakeTelegram
from moderator_app.domain.events import SourceKind
from moderator_app.store.db import Database
from moderator_app.store.repositories import SettingsRepository, SourceRepository
from moderator_app.store.secrets import SESSION, SecretStore
from moderator_app.telegram.client import ConnectionSettings
from moderator_app.telegram.dialogs import account_dialogs
from moderator_app.telegram.login import LoginFlow
from moderator_app.ui.login_wizard import LoginWizard
from tests.telegram.conftest import API_HASH, API_ID


def test_wizard_logs_in_and_chooses_sources(
    qtbot: Any, log: Database, world: FakeTelegram, connection: ConnectionSettings
) -> None:
    phone = "+15550003000"
    world.add_account(phone, "Help", "Desk", password="correct horse")
    amal = world.add_user("Amal", "Haddad")
    group = world.add_supergroup("Newcomers Ottawa", members=[amal])
    channel = world.add_channel("Settlement News")
    sources = SourceRepository(log)
    wizard = LoginWizard(
        LoginFlow(SettingsRepository(log), SecretStore(log), connection),
        lambda: account_dialogs(log, connection),
        lambda refs: [sources.set_watched(ref, True) for ref in refs],
    )
    qtbot.addWidget(wizard)
    wizard.show()

    def on_page(edit: Any) -> bool:
        return wizard.pages.currentWidget().isAncestorOf(edit) and wizard.next_button.isEnabled()

    qtbot.waitUntil(lambda: on_page(wizard.api_id), timeout=10_000)
    wizard.api_id.setText("12ab")
    wizard.api_hash.setText(API_HASH)
    qtbot.mouseClick(wizard.next_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "number" in wizard.problem.text(), timeout=10_000)
    assert wizard.problem.text().startswith("API id: ") and "my.telegram.org" not in wizard.problem.text()
    wizard.api_id.setText(str(API_ID))
    qtbot.mouseClick(wizard.next_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: on_page(wizard.phone), timeout=10_000)
    assert wizard.problem.text() == ""
    wizard.phone.setText(phone)
    qtbot.mouseClick(wizard.next_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: on_page(wizard.code), timeout=10_000)
    assert "Telegram app" in wizard.code_info.text()
    wizard.code.setText("00000" if world.login_code(phone) != "00000" else "11111")
    qtbot.mouseClick(wizard.next_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "not the right one" in wizard.problem.text(), timeout=10_000)
    assert on_page(wizard.code)
    assert wizard.problem.text().startswith("Login code: ")  # the field named, and marked
    assert "#b02a37" in wizard.code.styleSheet()
    # Back to the phone number (a typo in it): the code is asked for again.
    qtbot.mouseClick(wizard.back_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: on_page(wizard.phone), timeout=10_000)
    assert wizard.back_button.isEnabled()  # and back again to the API keys, if need be
    qtbot.mouseClick(wizard.next_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: on_page(wizard.code), timeout=10_000)
    wizard.code.setText(world.login_code(phone))
    qtbot.mouseClick(wizard.next_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: on_page(wizard.password), timeout=10_000)
    wizard.password.setText("battery staple")
    qtbot.mouseClick(wizard.next_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "password is wrong" in wizard.problem.text(), timeout=15_000)
    wizard.password.setText("correct horse")
    qtbot.mouseClick(wizard.next_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: wizard.sources.rowCount() == 3, timeout=15_000)
    assert wizard.account_name == "Help Desk"
    # Leave the channel out.
    channel_row = next(r for r in range(3) if "Settlement News" in wizard.sources.data(wizard.sources.index(r)))
    wizard.sources.setData(wizard.sources.index(channel_row), Qt.CheckState.Unchecked, Qt.ItemDataRole.CheckStateRole)
    with qtbot.waitSignal(wizard.accepted):
        qtbot.mouseClick(wizard.next_button, Qt.MouseButton.LeftButton)
    watched = {(s.kind, s.telegram_id) for s in sources.watched()}
    assert watched == {(SourceKind.PRIVATE, 0), (SourceKind.GROUP, group)}
    assert channel not in {t for _, t in watched}
    assert SecretStore(log).get(SESSION)
