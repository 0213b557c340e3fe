"""Secrets (the Telegram session and API hash) in the operating system's keyring, never in a file.

Entries are keyed by the log they belong to (an id kept in the log's settings), so two data folders or
databases on one machine never share a Telegram session. When no keyring can be used this says so and how
to fix it; it never falls back to storing secrets in clear.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from moderator_app.store.db import Database
from moderator_app.store.repositories import SettingsRepository

if TYPE_CHECKING:
    from keyring.backend import KeyringBackend

# keyring is imported where a secret is first needed, not with this module: the window imports this module
# for its error type, and the keyring package (with its backend discovery) adds to every launch.

SERVICE = "moderator-app"
LOG_ID_SETTING = "log_id"

SESSION = "telegram-session"
API_HASH = "telegram-api-hash"

_HOW_TO_FIX = (
    "The app keeps the Telegram session and API hash only in the system keyring, and none can be used here. "
    "On Linux, install and unlock a Secret Service (GNOME Keyring or KWallet; on a server, run the connector "
    "inside a logged-in session or with gnome-keyring-daemon started and unlocked); on Windows and macOS the "
    "system keyring is always there. Nothing was written in clear."
)


class SecretStoreUnavailable(Exception):
    """No usable keyring: the message says what to install or unlock."""


def _usable(backend: KeyringBackend) -> bool:
    """keyring's "fail" and "null" backends (and a chainer with nothing in it) store nothing."""
    module = type(backend).__module__
    if module.startswith(("keyring.backends.fail", "keyring.backends.null")):
        return False
    backends = getattr(backend, "backends", None)
    return backends is None or any(_usable(b) for b in backends)


class SecretStore:
    def __init__(self, db: Database, backend: KeyringBackend | None = None) -> None:
        settings = SettingsRepository(db)
        log_id = settings.get(LOG_ID_SETTING)
        if not log_id:
            log_id = uuid.uuid4().hex
            settings.set(LOG_ID_SETTING, log_id)
        self.log_id = str(log_id)
        if backend is None:
            import keyring

            backend = keyring.get_keyring()
        self.backend = backend

    def _check(self) -> None:
        if not _usable(self.backend):
            raise SecretStoreUnavailable(_HOW_TO_FIX)

    def _key(self, name: str) -> str:
        return f"{self.log_id}:{name}"

    def get(self, name: str) -> str | None:
        from keyring.errors import KeyringError

        self._check()
        try:
            return self.backend.get_password(SERVICE, self._key(name))
        except KeyringError as exc:
            raise SecretStoreUnavailable(f"The keyring could not be read ({exc}). {_HOW_TO_FIX}") from exc

    def set(self, name: str, value: str) -> None:
        from keyring.errors import KeyringError

        self._check()
        try:
            self.backend.set_password(SERVICE, self._key(name), value)
        except KeyringError as exc:
            raise SecretStoreUnavailable(f"The keyring refused the secret ({exc}). {_HOW_TO_FIX}") from exc

    def delete(self, name: str) -> bool:
        from keyring.errors import KeyringError, PasswordDeleteError

        self._check()
        try:
            self.backend.delete_password(SERVICE, self._key(name))
        except PasswordDeleteError:
            return False
        except KeyringError as exc:
            raise SecretStoreUnavailable(f"The keyring could not be changed ({exc}). {_HOW_TO_FIX}") from exc
        return True
