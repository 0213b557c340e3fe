"""The urgent-word lists: read, saved and announced, so a running connector reads the next member message
against the lists as they now stand (see :meth:`Connector.follow`)."""

from __future__ import annotations

import copy

from moderator_app.domain.audit import AuditAction
from moderator_app.domain.safety import parse_lists, starter_lists
from moderator_app.domain.settings import URGENT_WORDS
from moderator_app.services.changes import ChangeBus, Changes
from moderator_app.store.audit import AuditRepository
from moderator_app.store.db import Database
from moderator_app.store.repositories import SettingsRepository

#: category -> language -> terms
Lists = dict[str, dict[str, list[str]]]


class SafetyService:
    def __init__(self, db: Database, bus: ChangeBus) -> None:
        self.db = db
        self.bus = bus

    def lists(self) -> Lists:
        """A copy: the caller may edit it (the setting's default is shared)."""
        return copy.deepcopy(SettingsRepository(self.db).read(URGENT_WORDS))

    def save(self, lists: Lists) -> Lists:
        """Store the lists (terms trimmed, blank ones dropped) and announce them; returns what was stored.
        Lists that name no term at all are refused: a safety net someone emptied by mistake flags nothing."""
        cleaned = parse_lists(lists)
        if not any(terms for by_language in cleaned.values() for terms in by_language.values()):
            raise ValueError("The urgent-word lists are empty: keep at least one word, or restore the starter lists.")
        settings = SettingsRepository(self.db)
        before = settings.read(URGENT_WORDS)
        settings.write(URGENT_WORDS, cleaned)
        if before != cleaned:
            terms = sum(len(t) for by_language in cleaned.values() for t in by_language.values())
            AuditRepository(self.db).try_record(
                AuditAction.SETTING, {"setting": "urgent_words", "categories": len(cleaned), "terms": terms}
            )
        self.bus.announce(Changes(settings=frozenset({URGENT_WORDS.key})))
        return cleaned

    def restore_starter(self) -> Lists:
        return self.save(starter_lists())
