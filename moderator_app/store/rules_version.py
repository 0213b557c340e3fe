"""Which version of the inquiry rules the log's history was derived under (kept light: the window's start-up
reads it before anything else)."""

from __future__ import annotations

from typing import Final

from moderator_app.domain.settings import RULES_VERSION as RULES_VERSION_SETTING
from moderator_app.store.db import Database
from moderator_app.store.repositories import SettingsRepository

#: Raised whenever the rules change what they make of the same messages; a log derived under an older
#: version is re-derived (``moderator-app rederive``; the next command or window start does it first).
#: Raising it means setting the log's version below it in a migration (0012 does for version 1).
RULES_VERSION: Final = 2


def rules_outdated(db: Database) -> bool:
    """Whether the log holds history derived under older rules. Migration 0012 marks a log that had messages
    when it was upgraded as version 1; a log created since is current until :data:`RULES_VERSION` moves."""
    version = SettingsRepository(db).read(RULES_VERSION_SETTING)
    return version is not None and int(version) < RULES_VERSION


def mark_rules_current(db: Database) -> None:
    SettingsRepository(db).write(RULES_VERSION_SETTING, RULES_VERSION)
