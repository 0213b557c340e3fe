"""Secrets (the Telegram session and API hash) in the operating system's keyring, never in a file.

Entries are keyed by the log they belong to (an id kept in the log's settings), so two data folders or
databases on one machine never share a Telegram session. When no keyring can be used this says so and how
to fix it; it never falls back to storing secrets in clear.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from moderator_app.domain.settings import LOG_ID
from moderator_app.store.db import Database
from moderator_app.store.keyring_backends import (
    HOW_TO_FIX,
    SERVICE,
    SecretStoreUnavailable,
    chosen_backend,
    why_not,
)
from moderator_app.store.repositories import SettingsRepository

if TYPE_CHECKING:
    from keyring.backend import KeyringBackend


#: The secrets a log keeps: the Telegram session and the organization's API hash.
SESSION = "telegram-session"
API_HASH = "telegram-api-hash"


class SecretStore:
    def __init__(self, db: Database, backend: KeyringBackend | None = None) -> None:
        settings = SettingsRepository(db)
        log_id = settings.read(LOG_ID)
        if not log_id:
            log_id = uuid.uuid4().hex
            settings.write(LOG_ID, log_id)
        self.log_id = str(log_id)
        if backend is None:
            import keyring

            backend = keyring.get_keyring()
        self.found = backend  # what keyring offered
        self.backend = chosen_backend(backend)  # what is used: None when nothing offered encrypts

    def _check(self) -> KeyringBackend:
        if self.backend is None:
            raise SecretStoreUnavailable(why_not(self.found))
        return self.backend

    def _key(self, name: str) -> str:
        return f"{self.log_id}:{name}"

    def get(self, name: str) -> str | None:
        from keyring.errors import KeyringError

        backend = self._check()
        try:
            return backend.get_password(SERVICE, self._key(name))
        except KeyringError as exc:
            raise SecretStoreUnavailable(f"The keyring could not be read ({exc}). {HOW_TO_FIX}") from exc

    def set(self, name: str, value: str) -> None:
        from keyring.errors import KeyringError

        backend = self._check()
        try:
            backend.set_password(SERVICE, self._key(name), value)
        except KeyringError as exc:
            raise SecretStoreUnavailable(f"The keyring refused the secret ({exc}). {HOW_TO_FIX}") from exc

    def delete(self, name: str) -> bool:
        from keyring.errors import KeyringError, PasswordDeleteError

        backend = self._check()
        try:
            backend.delete_password(SERVICE, self._key(name))
        except PasswordDeleteError:
            return False
        except KeyringError as exc:
            raise SecretStoreUnavailable(f"The keyring could not be changed ({exc}). {HOW_TO_FIX}") from exc
        return True
