"""Secrets (the Telegram session and API hash) in the operating system's keyring, never in a file.

Entries are keyed by the log they belong to (an id kept in the log's settings), so two data folders or
databases on one machine never share a Telegram session. When no keyring can be used this says so and how
to fix it; it never falls back to storing secrets in clear. Someone who must work meanwhile may log in for
this run only: the secrets then stay in the process's memory and are gone when it ends.
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
    def __init__(self, db: Database, backend: KeyringBackend | None = None, *, this_run_only: bool = False) -> None:
        """``this_run_only``: no keyring can be used, and the person chose to log in anyway: the secrets are
        kept in this process's memory (never on disk) and are gone when it ends."""
        self._memory: dict[str, str] | None = {} if this_run_only else None
        settings = SettingsRepository(db)
        log_id = settings.read(LOG_ID)
        if not log_id:
            log_id = uuid.uuid4().hex
            settings.write(LOG_ID, log_id)
        self.log_id = str(log_id)
        if this_run_only:
            self.found: KeyringBackend | None = None
            self.backend: KeyringBackend | None = None
            return
        if backend is None:
            import keyring

            backend = keyring.get_keyring()
        self.found = backend  # what keyring offered
        self.backend = chosen_backend(backend)  # what is used: None when nothing offered encrypts

    @property
    def lasting(self) -> bool:
        """Whether what is stored outlives this process (False: kept for this run only)."""
        return self._memory is None

    def _check(self) -> KeyringBackend:
        if self.backend is None:
            raise SecretStoreUnavailable(why_not(self.found) if self.found is not None else HOW_TO_FIX)
        return self.backend

    def _key(self, name: str) -> str:
        return f"{self.log_id}:{name}"

    def get(self, name: str) -> str | None:
        from keyring.errors import KeyringError

        if self._memory is not None:
            return self._memory.get(name)
        backend = self._check()
        try:
            return backend.get_password(SERVICE, self._key(name))
        except KeyringError as exc:
            raise SecretStoreUnavailable(f"The keyring could not be read ({exc}). {HOW_TO_FIX}") from exc

    def set(self, name: str, value: str) -> None:
        from keyring.errors import KeyringError

        if self._memory is not None:
            self._memory[name] = value
            return
        backend = self._check()
        try:
            backend.set_password(SERVICE, self._key(name), value)
        except KeyringError as exc:
            raise SecretStoreUnavailable(f"The keyring refused the secret ({exc}). {HOW_TO_FIX}") from exc

    def delete(self, name: str) -> bool:
        from keyring.errors import KeyringError, PasswordDeleteError

        if self._memory is not None:
            return self._memory.pop(name, None) is not None
        backend = self._check()
        try:
            backend.delete_password(SERVICE, self._key(name))
        except PasswordDeleteError:
            return False
        except KeyringError as exc:
            raise SecretStoreUnavailable(f"The keyring could not be changed ({exc}). {HOW_TO_FIX}") from exc
        return True
