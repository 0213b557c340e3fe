"""Notifications: a new inquiry, one entering its warning threshold, a catch-up summarised, both switchable."""

from __future__ import annotations

from typing import Any

from moderator_app.domain.settings import NOTIFY_NEW, WINDOW_SEEN
from moderator_app.ui.inbox_model import InboxModel
from moderator_app.ui.notifications import Notifier
from tests.support.inbox_entries import TORONTO, FakeNow, OneClock, entry, local
from tests.support.memory_settings import MemorySettings


def test_new_inquiries_and_warnings(qtbot: Any) -> None:
    now = FakeNow(local(2026, 11, 17, 10, 0))
    settings = MemorySettings()
    model = InboxModel(OneClock(), now, TORONTO)
    notifier = Notifier(model, settings)
    messages: list[tuple[str, str]] = []
    notifier.message.connect(lambda title, text: messages.append((title, text)))
    model.set_entries([entry(1, local(2026, 11, 16, 12, 0)), entry(2, local(2026, 11, 17, 9, 30))])
    notifier.log_read()  # the window has read the log
    assert messages == []  # what the window opens on is not news (entry 1 is already within its warning)
    assert notifier.check_warnings() == 0
    model.upsert(entry(3, local(2026, 11, 17, 9, 55), member="Amal", text="كيف أسجل أطفالي في المدرسة؟"))
    assert messages == [
        ("New inquiry in \u2068Newcomers Ottawa\u2069", "\u2068Amal\u2069: \u2068كيف أسجل أطفالي في المدرسة؟\u2069")
    ]
    # Entry 2 (due Wed 09:30) enters its warning (6 h left) at 03:30 on Wednesday: once.
    now.at = local(2026, 11, 18, 3, 40)
    model.advance()
    assert notifier.check_warnings() == 1
    assert messages[-1] == ("Due soon: \u2068Newcomers Ottawa\u2069", "\u2068Member 2\u2069, due Wed 09:30")
    assert notifier.check_warnings() == 0
    # A catch-up after a night offline: one summary, not a flood.
    model.extend([entry(10 + i, local(2026, 11, 18, 1, i)) for i in range(6)])
    assert messages[-1] == ("New inquiries", "6 new inquiries")
    notifier.new_inquiries = False
    assert settings.stored["ui.notify_new_inquiries"] is False and settings.read(NOTIFY_NEW) is False
    model.upsert(entry(30, local(2026, 11, 18, 3, 0)))
    assert messages[-1] == ("New inquiries", "6 new inquiries")
    assert notifier.open_count() == 10


def test_a_start_announces_only_what_came_since_the_window_was_last_open_and_once(qtbot: Any) -> None:
    """Every start used to pop "56 new inquiries", counting questions up to 55 days old."""
    now = FakeNow(local(2026, 11, 17, 8, 0))
    settings = MemorySettings()
    settings.write(WINDOW_SEEN, local(2026, 11, 16, 17, 0))  # closed last evening
    model = InboxModel(OneClock(), now, TORONTO)
    notifier = Notifier(model, settings)
    messages: list[tuple[str, str]] = []
    notifier.message.connect(lambda title, text: messages.append((title, text)))
    weeks_old = [entry(i, local(2026, 10, 1 + i, 10, 0)) for i in range(1, 30)]
    overnight = entry(40, local(2026, 11, 16, 21, 0), member="Reza", text="سلام، کلاس زبان کی شروع میشه؟")
    model.set_entries(weeks_old[:10])  # the first screenful
    model.merge([*weeks_old, overnight])  # then the rest of the open ones
    notifier.log_read()
    assert messages == [
        ("New inquiry in \u2068Newcomers Ottawa\u2069", "\u2068Reza\u2069: \u2068سلام، کلاس زبان کی شروع میشه؟\u2069")
    ]
    notifier.seen_now()  # the window closes (or five minutes pass)
    assert settings.read(WINDOW_SEEN) == now.at

    again = InboxModel(OneClock(), now, TORONTO)  # the next start: the night's question is not news twice
    restarted = Notifier(again, settings)
    heard: list[tuple[str, str]] = []
    restarted.message.connect(lambda title, text: heard.append((title, text)))
    again.set_entries([*weeks_old, overnight])
    restarted.log_read()
    assert heard == []
    now.at = local(2026, 11, 17, 9, 0)
    again.upsert(entry(41, local(2026, 11, 17, 8, 30), member="Amal"))  # a catch-up brings an earlier question
    assert len(heard) == 1 and "Amal" in heard[0][1]
    again.upsert(entry(42, local(2025, 3, 2, 10, 0), member="Omid"))  # an import brings history: not news
    assert len(heard) == 1
