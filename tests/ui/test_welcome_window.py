"""Welcome messages against the fake server: in a group set to welcome automatically, a member who joins is
welcomed in the group at once, in the group's language, with the variables filled and no question answered
by it; in a group set to one click, joins wait under a bar above the inbox and are welcomed privately from the
dialog; a member whose privacy settings refuse strangers is listed as not delivered, with the reason."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from fake_telegram import FakeTelegram
from moderator_app.domain.events import SourceKind, SourceRef
from moderator_app.domain.library import CannedAnswer
from moderator_app.domain.settings import ORGANIZATION_NAME
from moderator_app.domain.welcome import WELCOME_TOPIC, WelcomeMode, WelcomePlace, WelcomeSetup, WelcomeState
from moderator_app.store.db import Database
from moderator_app.store.library import LibraryRepository
from moderator_app.store.models import Message, Source
from moderator_app.store.profiles import ProfileRepository
from moderator_app.store.repositories import SettingsRepository, SourceRepository
from moderator_app.store.welcome import WelcomeRepository
from moderator_app.telegram.client import ConnectionSettings
from moderator_app.ui.welcome import WelcomeDialog
from tests.ui.conftest import watched_group, window_with_connector

WELCOME = CannedAnswer(
    title="Welcome",
    shortcut="welcome",
    bodies={
        "en": "Welcome {member_first_name} to {organization}'s group! Please read our guidelines (pinned).",
        "ar": "أهلاً {member_first_name} في مجموعة {organization}! يرجى قراءة القواعد (المثبتة).",
    },
    topics=(WELCOME_TOPIC,),
)


def test_welcomes_automatic_and_one_click_with_telegrams_limits_said(
    qtbot: Any, log: Database, world: FakeTelegram, account: int, connection: ConnectionSettings, tmp_path: Path
) -> None:
    SettingsRepository(log).write(ORGANIZATION_NAME, "Ottawa Newcomers Centre")
    answer = LibraryRepository(log).save(WELCOME)
    amal = world.add_user("Amal", "Haddad")
    auto_group = watched_group(log, world, connection, "مجموعة الوافدين", [amal])
    click_group = world.add_supergroup("Newcomers Ottawa", members=[amal])
    sources = SourceRepository(log)
    auto_info = sources.set_watched(SourceRef(SourceKind.GROUP, auto_group, "مجموعة الوافدين", "supergroup"), True)
    with log.sessions.begin() as session:  # the Arabic group's language
        row = session.get(Source, auto_info.id)
        assert row is not None
        row.language = "ar"
    click_info = sources.set_watched(SourceRef(SourceKind.GROUP, click_group, "Newcomers Ottawa", "supergroup"), True)
    welcomes = WelcomeRepository(log)
    with pytest.raises(ValueError, match="Choose the welcome"):
        welcomes.save_setups([WelcomeSetup(auto_info.id, WelcomeMode.AUTOMATIC)])
    welcomes.save_setups(
        [
            WelcomeSetup(auto_info.id, WelcomeMode.AUTOMATIC, WelcomePlace.GROUP, answer.id),
            WelcomeSetup(click_info.id, WelcomeMode.ONE_CLICK, WelcomePlace.PRIVATE, answer.id),
        ]
    )
    window, thread = window_with_connector(qtbot, log, connection, tmp_path)
    thread.start()
    try:
        qtbot.waitUntil(lambda: window.connection.text() == "Telegram: connected", timeout=10_000)
        person = ProfileRepository(log).add("Nadia", "moderator", ("ar",))
        assert person.id is not None
        window.load_on_duty(person.id)
        qtbot.waitUntil(lambda: window.on_duty_id == person.id)

        omar = world.add_user("Omar", "Saleh")
        world.join(auto_group, omar, how="link")
        expected = "أهلاً Omar في مجموعة Ottawa Newcomers Centre! يرجى قراءة القواعد (المثبتة)."
        qtbot.waitUntil(lambda: expected in [m.message for m in world.sent_by_account(auto_group)], timeout=10_000)

        li, reza = world.add_user("伟", "李"), world.add_user("رضا", "کریمی")
        world._users[reza].accepts_strangers = False  # "Who can send me messages: my contacts"
        world.join(click_group, li, how="link")
        qtbot.waitUntil(lambda: len(welcomes.waiting()) == 1, timeout=10_000)
        world.join(click_group, reza, how="request")
        qtbot.waitUntil(lambda: window.inbox.welcomes_bar.isVisible(), timeout=10_000)
        qtbot.waitUntil(lambda: "2 new members waiting" in window.inbox.welcomes_label.text(), timeout=10_000)
        assert world.sent_by_account(li) == []  # one click: nothing sent yet

        window.inbox.welcomes_button.click()
        dialog = next(w for w in window.findChildren(WelcomeDialog) if w.isVisible())
        qtbot.waitUntil(lambda: dialog.model.rowCount() == 3, timeout=5000)  # Omar's (sent) and the two waiting
        assert dialog.rows[click_info.id][0].currentData() == WelcomeMode.ONE_CLICK
        dialog.welcome_all.click()
        qtbot.waitUntil(lambda: len(world.sent_by_account(li)) == 1, timeout=10_000)
        assert world.sent_by_account(li)[0].message.startswith("Welcome 伟 to Ottawa Newcomers Centre's group!")

        def states() -> dict[str, str]:
            return {j.member: j.state.value + (": " + j.error if j.error else "") for j in welcomes.joiners()}

        qtbot.waitUntil(lambda: states().get("رضا کریمی", "").startswith("failed"), timeout=10_000)
        assert states()["رضا کریمی"] == "failed: This person's privacy settings do not allow it."
        dialog.load()
        qtbot.waitUntil(
            lambda: any(
                "not delivered: This person's privacy" in (dialog.model.index(r, 3).data() or "")
                for r in range(dialog.model.rowCount())
            ),
            timeout=5000,
        )
        # Nobody is welcomed twice: the click again queues nothing.
        assert welcomes.welcome([j.event_id for j in welcomes.joiners()], person.id) == 0
        qtbot.waitUntil(lambda: not window.inbox.welcomes_bar.isVisible(), timeout=10_000)
        dialog.close()
    finally:
        thread.stop()
    # A welcome answers no question and opens none.
    with log.sessions() as session:
        roles = {m.text: m.role for m in session.scalars(select(Message).where(Message.from_staff.is_(True)))}
    assert roles[expected] == "staff_other"
    assert [j.state for j in welcomes.joiners() if j.member == "Omar Saleh"] == [WelcomeState.SENT]


def test_turning_welcomes_on_does_not_greet_earlier_joins(log: Database, world: FakeTelegram) -> None:
    answer = LibraryRepository(log).save(WELCOME)
    info = SourceRepository(log).set_watched(SourceRef(SourceKind.GROUP, 77, "Group", "private_supergroup"), True)
    welcomes = WelcomeRepository(log)
    saved = welcomes.save_setups([WelcomeSetup(info.id, WelcomeMode.ONE_CLICK, WelcomePlace.GROUP, answer.id)])
    since = saved[info.id].since
    assert since is not None
    # Saving again (another field changed) keeps the date it was turned on.
    again = welcomes.save_setups([replace(saved[info.id], place=WelcomePlace.PRIVATE)])
    assert again[info.id].since == since and again[info.id].place is WelcomePlace.PRIVATE
