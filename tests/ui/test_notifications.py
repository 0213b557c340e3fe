"""Notifications: a new inquiry, one entering its warning threshold, a catch-up summarised, both switchable."""

from __future__ import annotations

from typing import Any

from moderator_app.domain.settings import NOTIFY_NEW
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
