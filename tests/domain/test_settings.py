"""(issue 16) The settings registry: one declaration per key, typed reads, wrong shapes read as the default."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest

from moderator_app.domain.settings import ANSWER_WINDOW, MEDIA_CAP, NOTIFY_NEW, SETTINGS, STAFF_IDS, Setting


def test_every_setting_is_declared_once_with_a_description() -> None:
    keys = [s.key for s in SETTINGS.values()]
    assert len(keys) == len(set(keys)) >= 15
    assert all(s.description.endswith((".", ")")) for s in SETTINGS.values())


def test_reads_are_typed_and_a_wrong_shape_is_the_default(caplog: pytest.LogCaptureFixture) -> None:
    assert ANSWER_WINDOW.read(None) == timedelta(hours=2)
    assert ANSWER_WINDOW.read(ANSWER_WINDOW.dump(timedelta(minutes=45))) == timedelta(minutes=45)
    assert STAFF_IDS.read([3, "5"]) == frozenset({3, 5}) and STAFF_IDS.dump(frozenset({5, 3})) == [3, 5]
    with caplog.at_level(logging.WARNING):
        assert NOTIFY_NEW.read("false") is True  # text is not a flag: the default, and a note why
        assert MEDIA_CAP.read({"x": 1}) == 20 * 1024 * 1024
        assert ANSWER_WINDOW.read("soon") == timedelta(hours=2)
    assert [r.getMessage().split(":")[0] for r in caplog.records] == [
        "setting ui.notify_new_inquiries",
        "setting telegram.media_cap_bytes",
        "setting inquiries.answer_window_minutes",
    ]


def test_a_declaration_keeps_its_type() -> None:
    flag: Setting[bool] = Setting("x.flag", False, "A flag.", bool)
    assert flag.read(1) is True and flag.read(None) is False
