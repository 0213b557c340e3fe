"""A new moderator profile: checked here, added on the database worker, a refusal said in the dialog."""

from __future__ import annotations

import threading
from typing import Any

from PySide6.QtWidgets import QDialog

from moderator_app.services.worker import DatabaseWorker
from moderator_app.store.db import Database
from moderator_app.store.profiles import ProfileRepository
from moderator_app.ui.profile_dialog import ProfileDialog


def test_a_profile_is_added_on_the_worker_and_a_name_used_twice_is_refused(qtbot: Any, sqlite_db: Database) -> None:
    profiles = ProfileRepository(sqlite_db)
    profiles.add("Nadia Haddad")
    threads: list[str] = []

    def add(name: str, role: str, languages: tuple[str, ...]) -> Any:
        threads.append(threading.current_thread().name)
        return profiles.add(name, role, languages)

    worker = DatabaseWorker()
    try:
        dialog = ProfileDialog(add, submit=worker.submit)
        assert dialog.minimumWidth() >= 420  # "New mo…or profile" and 105-pixel fields no more
        qtbot.addWidget(dialog)
        dialog.show()
        dialog.name.setText("Nadia  Haddad")
        dialog.languages.setText("ar, arabic")
        dialog.save()
        assert "“arabic” is not a language code" in dialog.problem.text() and threads == []
        dialog.languages.setText("ar fr")
        dialog.save()
        assert not dialog.buttons.isEnabled()  # until the log answers
        qtbot.waitUntil(lambda: "already a profile named 'Nadia Haddad'" in dialog.problem.text())
        assert dialog.buttons.isEnabled() and dialog.result() != QDialog.DialogCode.Accepted
        dialog.name.setText("Reza Karimi")
        with qtbot.waitSignal(dialog.accepted):
            dialog.save()
    finally:
        worker.close()
    assert (
        dialog.profile is not None and dialog.profile.name == "Reza Karimi" and dialog.profile.languages == ("ar", "fr")
    )
    assert [p.name for p in profiles.all()] == ["Nadia Haddad", "Reza Karimi"]
    assert threads and threading.main_thread().name not in threads
