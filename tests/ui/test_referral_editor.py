"""The partner organizations editor on a real log: details and a referral message per language are saved and
used by the picker; mistakes are refused with the reason; an organization already referred to stays."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QPlainTextEdit

from moderator_app.domain.events import MessageRecord, Peer, SourceKind, SourceRef
from moderator_app.domain.library import referral_text
from moderator_app.domain.referrals import ReferralOrganization
from moderator_app.store.db import Database
from moderator_app.store.live import LiveLog
from moderator_app.store.repositories import ReferralRepository, SettingsRepository
from moderator_app.store.responses import record_referrals
from moderator_app.ui.referral_editor import ReferralEditor
from tests.conftest import toronto_standard


def _yes_to_next_box(tries: int = 250) -> None:
    def press(left: int) -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            box.button(QMessageBox.StandardButton.Yes).click()
        elif left > 0:
            QTimer.singleShot(20, lambda: press(left - 1))

    QTimer.singleShot(20, lambda: press(tries))


def test_partner_details_messages_and_removal(qtbot: Any, sqlite_db: Database) -> None:
    repository = ReferralRepository(sqlite_db)
    repository.upsert_all(
        [ReferralOrganization("Community Health Clinic", ("CHC",), "613-555-0142", "chc.example.org")]
    )
    editor = ReferralEditor(repository.all, repository.save, repository.delete)
    qtbot.addWidget(editor)
    editor.show()
    assert editor.current is not None and editor.current.name == "Community Health Clinic"

    # No message of its own yet: said, instead of an empty unlabelled box, and nothing to remove.
    assert editor.no_message.isVisible() and not editor.templates.isVisible()
    assert not editor.remove_message.isEnabled()
    assert editor.list.horizontalScrollBarPolicy() == Qt.ScrollBarPolicy.ScrollBarAlwaysOff  # names elided
    editor.fields["address"].setText("420 Cooper St, Ottawa")
    editor.fields["hours"].setText("Mon-Fri 9-17")
    editor.fields["email"].setText("not an address")
    editor.fields["topics"].setText("health, dentistry")
    editor.add_language_for("ar")
    arabic = editor.templates.currentWidget()
    assert editor.templates.isVisible() and not editor.no_message.isVisible() and editor.remove_message.isEnabled()
    assert isinstance(arabic, QPlainTextEdit) and arabic.layoutDirection() == Qt.LayoutDirection.RightToLeft
    arabic.setPlainText("عيادة {name} في {address}، الهاتف {phone}، {adress}")
    assert not editor.save()
    problems = editor.problem.text()
    assert "'not an address' is not an email address" in problems and "Unknown topic 'dentistry'" in problems
    assert "The ar message: {adress} is not a field" in problems

    editor.fields["email"].setText("info@chc.example.org")
    editor.fields["topics"].setText("health")
    editor.fields["names"].setText("ar: عيادة صحة المجتمع | Clinique")
    assert not editor.save() and "'Clinique' is not a language tag for the name" in editor.problem.text()
    editor.fields["names"].setText("ar: عيادة صحة المجتمع | fr: Clinique de santé communautaire")
    arabic.setPlainText("يمكنك زيارة {name} في {address} ({hours})، الهاتف {phone}.")
    assert editor.save()
    saved = repository.all()[0]
    assert saved.address == "420 Cooper St, Ottawa" and saved.email == "info@chc.example.org"
    assert saved.names == (("ar", "عيادة صحة المجتمع"), ("fr", "Clinique de santé communautaire"))
    assert referral_text(saved, "ar") == (
        "يمكنك زيارة عيادة صحة المجتمع في 420 Cooper St, Ottawa (Mon-Fri 9-17)، الهاتف 613-555-0142."
    )
    assert referral_text(saved, "fr").startswith("Vous pouvez contacter Clinique de santé communautaire (613-555")
    assert referral_text(saved, "en").startswith("You can contact Community Health Clinic (613-555-0142")

    # A CSV import of the library (the foundation's six columns) keeps these details.
    repository.upsert_all([ReferralOrganization("Community Health Clinic", ("CHC", "Clinique"), "613-555-0142")])
    kept = repository.all()[0]
    assert kept.address == "420 Cooper St, Ottawa" and kept.aliases == ("CHC", "Clinique")

    # A name already used is refused; a new one is added.
    editor.reload(saved.id)
    editor.new()
    editor.fields["name"].setText("community health clinic")
    assert not editor.save() and "already an organization named" in editor.problem.text()
    editor.fields["name"].setText("Ottawa Food Bank")
    assert editor.save()
    assert [o.name for o in repository.all()] == ["Community Health Clinic", "Ottawa Food Bank"]

    # Once referred to, an organization stays (the statistics count those referrals).
    toronto_standard(sqlite_db)
    SettingsRepository(sqlite_db).add_staff([99])
    live = LiveLog(sqlite_db)
    group = live.source(SourceRef(SourceKind.GROUP, 1500, "Newcomers Ottawa", "public_supergroup"))
    at = datetime(2026, 11, 16, 15, 0, tzinfo=UTC)
    live.record(group, MessageRecord(1500, 1, at, Peer("user", 7, "Amal"), "Where is a clinic?"))
    live.record(group, MessageRecord(1500, 2, at, Peer("user", 99, "Desk"), "Go there.", reply_to=1))
    live.commit()
    assert record_referrals(sqlite_db, group.info.id, 1500, 2, [saved.id or 0]) == 1
    editor.reload(saved.id)
    _yes_to_next_box()
    editor.delete()
    assert "1 referrals in the log point at this organization" in editor.problem.text()
    editor.reload(next(o.id for o in repository.all() if o.name == "Ottawa Food Bank"))
    _yes_to_next_box()
    editor.delete()
    assert [o.name for o in repository.all()] == ["Community Health Clinic"]


def test_in_the_window_the_editor_reads_and_writes_on_the_database_worker(qtbot: Any, sqlite_db: Database) -> None:
    """With the window's ops, nothing the editor asks of the log runs on the window's thread; a refusal from
    the log is said in the form, and what was typed stays to correct."""
    import threading

    from moderator_app.services.errors import sentence
    from moderator_app.services.worker import DatabaseWorker
    from moderator_app.ui.ops import Ops

    repository = ReferralRepository(sqlite_db)
    repository.upsert_all([ReferralOrganization("Community Health Clinic", ("CHC",), "613-555-0142")])
    threads: list[str] = []

    def on_worker(call: Any) -> Any:
        def run(*args: Any) -> Any:
            threads.append(threading.current_thread().name)
            return call(*args)

        return run

    worker = DatabaseWorker()
    unhandled: list[str] = []
    ops = Ops(worker.submit, sentence, unhandled.append)
    try:
        editor = ReferralEditor(
            on_worker(repository.all), on_worker(repository.save), on_worker(repository.delete), ops=ops
        )
        qtbot.addWidget(editor)
        editor.show()
        qtbot.waitUntil(lambda: editor.current is not None)  # the list arrives from the worker
        assert editor.current is not None and editor.current.name == "Community Health Clinic"
        editor.new()
        editor.fields["name"].setText("community health clinic")
        assert editor.save()  # asked
        assert not editor.save_button.isEnabled()  # until the log answers
        qtbot.waitUntil(lambda: "already an organization named" in editor.problem.text())
        assert editor.fields["name"].text() == "community health clinic" and editor.save_button.isEnabled()
        editor.fields["name"].setText("Ottawa Food Bank")
        with qtbot.waitSignal(editor.changed):
            editor.save()
        qtbot.waitUntil(lambda: editor.current is not None and editor.current.name == "Ottawa Food Bank")
        assert [o.name for o in repository.all()] == ["Community Health Clinic", "Ottawa Food Bank"]
    finally:
        worker.close()
    assert threads and threading.main_thread().name not in threads and unhandled == []
