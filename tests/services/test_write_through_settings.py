"""The window's settings: read once, then from memory (no query on the window's thread), written through to
the log on the database worker in order; a write the log refuses is noted and the value kept."""

from __future__ import annotations

import logging
from typing import Any

import pytest

from moderator_app.domain.settings import NOTIFY_NEW, ON_DUTY, ORGANIZATION_NAME
from moderator_app.services.settings import WriteThroughSettings
from moderator_app.services.worker import DatabaseWorker
from moderator_app.store.db import Database
from moderator_app.store.repositories import SettingsRepository


class CountingSettings:
    def __init__(self, stored: SettingsRepository) -> None:
        self.stored = stored
        self.reads = 0

    def read(self, setting: Any) -> Any:
        self.reads += 1
        return self.stored.read(setting)

    def write(self, setting: Any, value: Any) -> None:
        self.stored.write(setting, value)


def test_reads_come_from_memory_and_writes_reach_the_log_in_order(sqlite_db: Database) -> None:
    stored = SettingsRepository(sqlite_db)
    stored.write(ORGANIZATION_NAME, "Ottawa Newcomer Services")
    counting = CountingSettings(stored)
    worker = DatabaseWorker()
    try:
        settings = WriteThroughSettings(counting, worker.submit, (ORGANIZATION_NAME, ON_DUTY, NOTIFY_NEW))
        assert counting.reads == 3
        for _ in range(50):
            assert settings.read(ORGANIZATION_NAME) == "Ottawa Newcomer Services"
        assert counting.reads == 3  # the window's reads ask nothing of the log
        for person in (4, 5, 6):
            settings.write(ON_DUTY, person)
        assert settings.read(ON_DUTY) == 6  # at once, before the log has it
        settings.write(NOTIFY_NEW, False)
    finally:
        worker.close()  # what was asked for is written
    assert stored.read(ON_DUTY) == 6 and stored.read(NOTIFY_NEW) is False


def test_a_refused_write_is_noted_and_the_value_kept(sqlite_db: Database, caplog: pytest.LogCaptureFixture) -> None:
    class Locked(CountingSettings):
        def write(self, setting: Any, value: Any) -> None:
            raise RuntimeError("database is locked")

    worker = DatabaseWorker()
    try:
        settings = WriteThroughSettings(Locked(SettingsRepository(sqlite_db)), worker.submit, (NOTIFY_NEW,))
        with caplog.at_level(logging.ERROR):
            settings.write(NOTIFY_NEW, False)
            worker.submit(lambda: None).result()  # after the write
    finally:
        worker.close()
    assert settings.read(NOTIFY_NEW) is False
    assert any("ui.notify_new_inquiries could not be saved" in r.getMessage() for r in caplog.records)
