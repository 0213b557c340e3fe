"""The join-request queue against the fake server: requests reach the window with the applicant's bio (as
text), the join questions go privately (or the request says why not), approving lets the member in and counts
the join, declining and approving all work, and a request handled from a phone leaves the queue."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import QItemSelectionModel
from PySide6.QtWidgets import QMessageBox
from pytestqt.modeltest import ModelTester

from fake_telegram import FakeTelegram
from moderator_app.domain.join_requests import JOIN_QUESTIONS_TOPIC, JoinRequest, RequestState
from moderator_app.domain.library import CannedAnswer
from moderator_app.domain.statistics import Month
from moderator_app.store.db import Database
from moderator_app.store.join_requests import JoinRequestRepository
from moderator_app.store.library import LibraryRepository
from moderator_app.store.profiles import ProfileRepository
from moderator_app.store.statistics import StatisticsService
from moderator_app.telegram.client import ConnectionSettings
from moderator_app.ui.join_requests import JoinRequestsDialog, JoinRequestsModel
from moderator_app.ui.ops import Ops, run_here
from tests.support.inbox_entries import TORONTO
from tests.support.modal import answer_message_box
from tests.ui.conftest import watched_group, window_with_connector

QUESTIONS = CannedAnswer(
    title="Join questions",
    shortcut="join-questions",
    bodies={"en": "Hello {member_first_name}! Which city do you live in, and how did you hear of the group?"},
    topics=(JOIN_QUESTIONS_TOPIC,),
)


def _select(dialog: JoinRequestsDialog, name: str) -> None:
    dialog.table.clearSelection()
    for row in range(dialog.proxy.rowCount()):
        if dialog.proxy.index(row, 2).data() == name:
            dialog.table.selectionModel().select(
                dialog.proxy.index(row, 0),
                QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows,
            )
            return
    raise AssertionError(f"{name} is not listed")


def test_join_requests_queued_questioned_approved_and_declined(
    qtbot: Any, log: Database, world: FakeTelegram, account: int, connection: ConnectionSettings, tmp_path: Path
) -> None:
    LibraryRepository(log).save(QUESTIONS)
    amal = world.add_user("Amal", "Haddad")
    group = watched_group(log, world, connection, "Newcomers Ottawa", [amal])
    li, reza, omid = world.add_user("伟", "李"), world.add_user("رضا", "کریمی"), world.add_user("Omid", "N")
    world._users[li].about = "<b>Nurse</b> from Wuhan, new in Ottawa"
    world._users[reza].about = "تازه به اتاوا آمده‌ام"
    world._users[reza].accepts_strangers = False
    window, thread = window_with_connector(qtbot, log, connection, tmp_path)
    thread.start()
    requests = JoinRequestRepository(log)
    try:
        qtbot.waitUntil(lambda: window.connection.text() == "Telegram: connected", timeout=10_000)
        person = ProfileRepository(log).add("Nadia", "moderator", ())
        assert person.id is not None
        window.load_on_duty(person.id)
        qtbot.waitUntil(lambda: window.on_duty_id == person.id)
        for user in (li, reza, omid):
            world.request_join(group, user)
        qtbot.waitUntil(lambda: "3 requests to join" in window.inbox.join_label.text(), timeout=10_000)
        assert window.inbox.join_bar.isVisible()

        window.inbox.join_button.click()
        dialog = next(w for w in window.findChildren(JoinRequestsDialog) if w.isVisible())
        qtbot.waitUntil(lambda: dialog.model.rowCount() == 3, timeout=5000)
        ModelTester(qtbot).check(dialog.model, force_py=True)
        _select(dialog, "伟 李")
        assert dialog.bio.toPlainText() == "<b>Nurse</b> from Wuhan, new in Ottawa"  # text, not markup
        assert "asks to join \u2068Newcomers Ottawa\u2069" in dialog.profile.text()

        # The join questions, privately: Li receives them; Reza's privacy refuses them, and the request says so.
        _select(dialog, "伟 李")
        dialog.questions_button.click()
        qtbot.waitUntil(lambda: len(world.sent_by_account(li)) == 1, timeout=10_000)
        assert world.sent_by_account(li)[0].message.startswith("Hello 伟! Which city")
        _select(dialog, "رضا کریمی")
        dialog.questions_button.click()
        qtbot.waitUntil(
            lambda: any("not delivered" in r.error for r in requests.requests() if r.name == "رضا کریمی"),
            timeout=10_000,
        )

        # Approve Li: a member now, the join counted; decline Reza.
        _select(dialog, "伟 李")
        dialog.approve_button.click()
        qtbot.waitUntil(lambda: li in world._chats[group].members, timeout=10_000)
        _select(dialog, "رضا کریمی")
        dialog.decline_button.click()
        qtbot.waitUntil(lambda: reza not in world._chats[group].join_requests, timeout=10_000)
        qtbot.waitUntil(lambda: [r.name for r in requests.requests()] == ["Omid N"], timeout=10_000)
        decided = {r.name: r for r in requests.requests(pending_only=False)}
        assert decided["伟 李"].state is RequestState.APPROVED and decided["伟 李"].decided_by == "Nadia"
        assert decided["رضا کریمی"].state is RequestState.DECLINED

        # Omid's request is handled from a phone; Sara asks meanwhile and is approved with "Approve all".
        world.join(group, omid, how="request")
        sara = world.add_user("Sara", "M")
        world.request_join(group, sara)
        qtbot.waitUntil(lambda: [r.name for r in requests.requests()] == ["Sara M"], timeout=10_000)
        assert {r.name: r.state for r in requests.requests(pending_only=False)}["Omid N"] is RequestState.GONE
        # The open window follows the connector: Omid leaves it, Sara appears, nobody reloads it by hand.
        qtbot.waitUntil(lambda: [r.name for r in dialog.model.requests] == ["Sara M"], timeout=10_000)
        assert not dialog.offline.isVisible()  # connected: no note that decisions wait
        answer_message_box(QMessageBox.StandardButton.Yes)
        dialog.approve_all.click()
        qtbot.waitUntil(lambda: sara in world._chats[group].members, timeout=10_000)
        qtbot.waitUntil(lambda: not window.inbox.join_bar.isVisible(), timeout=10_000)
        dialog.close()
        # The approvals are the month's joins (Li, Omid from the phone, Sara).
        toronto = ZoneInfo("America/Toronto")
        month = Month.of(datetime.now(UTC), toronto)
        qtbot.waitUntil(
            lambda: (
                StatisticsService(log).report(month, month, toronto).get(month, "Newcomers Ottawa", "members_joined")
                == 3
            ),
            timeout=10_000,
        )
    finally:
        thread.stop()


def test_the_join_requests_model_passes_qtmodeltester(qtbot: Any) -> None:
    ModelTester(qtbot).check(JoinRequestsModel(TORONTO), force_py=True)


def test_a_refresh_keeps_the_selection_and_the_offline_note_says_decisions_wait(qtbot: Any) -> None:
    """A refresh (every change the connector announces) must not drop the applicant a moderator chose; while
    Telegram is not connected the window says the decisions wait in the outbox."""

    def request(number: int, name: str, about: str) -> JoinRequest:
        return JoinRequest(
            id=number,
            source_id=1,
            source="Newcomers Ottawa",
            chat_id=5,
            user_id=100 + number,
            member_id=None,
            name=name,
            username=None,
            about=about,
            requested_at=datetime(2026, 12, 1, 15, number, tzinfo=UTC),
            state=RequestState.PENDING,
        )

    listed = [request(1, "رضا کریمی", "مهندس نرم‌افزار"), request(2, "فاطمة الزهراء", "ممرضة من حلب")]
    ops = Ops(run_here, str, lambda _: None)
    dialog = JoinRequestsDialog(lambda: list(listed), lambda ids, _: len(ids), len, TORONTO, ops)
    qtbot.addWidget(dialog)
    dialog.load()
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 2)
    _select(dialog, "فاطمة الزهراء")
    listed.insert(0, request(3, "Omid N", ""))
    dialog.load()
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 3)
    assert dialog.selected() == [2]
    assert dialog.bio.toPlainText() == "ممرضة من حلب"
    dialog.show()
    dialog.set_connected(False)
    assert dialog.offline.isVisible() and "sent when the connection is back" in dialog.offline.text()
    dialog.set_connected(True)
    assert not dialog.offline.isVisible()
