"""Secrets (the Telegram session and API hash) in the operating system's keyring, never in a file.

Entries are keyed by the log they belong to (an id kept in the log's settings), so two data folders or
databases on one machine never share a Telegram session. When no keyring can be used this says so and how
to fix it; it never falls back to storing secrets in clear.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Final

from moderator_app.domain.settings import LOG_ID
from moderator_app.store.db import Database
from moderator_app.store.repositories import SettingsRepository

if TYPE_CHECKING:
    from keyring.backend import KeyringBackend

# keyring is imported where a secret is first needed, not with this module: the window imports this module
# for its error type, and the keyring package (with its backend discovery) adds to every launch.

SERVICE = "moderator-app"

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


#: The operating systems' keyrings, which keep what they hold encrypted at rest. Anything else (keyrings.alt's
#: plain-text and base64 "encrypted" files, a keyring that only says it encrypts) is refused by name.
ENCRYPTING_BACKENDS: Final = (
    "keyring.backends.SecretService",  # GNOME Keyring, KeePassXC and others on Linux
    "keyring.backends.libsecret",
    "keyring.backends.kwallet",  # KDE
    "keyring.backends.macOS",  # the Keychain
    "keyring.backends.Windows",  # Credential Locker
)


def _name(backend: KeyringBackend) -> str:
    return f"{type(backend).__module__}.{type(backend).__name__}"


def _encrypting(backend: KeyringBackend) -> bool:
    """An operating-system keyring, or one that keeps nothing on disk (the demo's, tests' doubles: they say
    so with ``keeps_nothing_on_disk``)."""
    return _name(backend).startswith(ENCRYPTING_BACKENDS) or bool(getattr(backend, "keeps_nothing_on_disk", False))


def _chosen(backend: KeyringBackend) -> KeyringBackend | None:
    """The backend to use: itself if it encrypts; of a chain, its first (most preferred) that does, so a
    plain-text one ranked above it never receives a secret; else None."""
    backends = getattr(backend, "backends", None)
    if backends is not None:
        return next((b for b in backends if _encrypting(b)), None)
    return backend if _encrypting(backend) else None


def _why_not(backend: KeyringBackend) -> str:
    """Why no backend can be used: none at all, or only ones that would keep secrets in clear."""
    members = list(getattr(backend, "backends", None) or [backend])
    real = [b for b in members if not type(b).__module__.startswith(("keyring.backends.fail", "keyring.backends.null"))]
    if not real:
        return _HOW_TO_FIX
    names = ", ".join(_name(b) for b in real)
    return (
        f"The keyring found here ({names}) would keep the secrets in a file that is not encrypted (as "
        f"keyrings.alt does), so the app does not use it. {_HOW_TO_FIX}"
    )


DATABASE_SERVICE = "moderator-app-database"


def database_key(url: str) -> str:
    """The keyring entry of a database server account: user@host:port/database (never the password)."""
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    return f"{parsed.username or ''}@{parsed.host or 'localhost'}:{parsed.port or 5432}/{parsed.database or ''}"


def _encrypting_keyring() -> KeyringBackend:
    import keyring

    found = keyring.get_keyring()
    chosen = _chosen(found)
    if chosen is None:
        raise SecretStoreUnavailable(_why_not(found))
    return chosen


def database_password(url: str) -> str | None:
    """The password kept for the server account of ``url``, or None (none kept, or no keyring here: the
    driver then reads PGPASSWORD or the .pgpass file as usual)."""
    from keyring.errors import KeyringError

    try:
        return _encrypting_keyring().get_password(DATABASE_SERVICE, database_key(url))
    except (SecretStoreUnavailable, KeyringError):
        return None


def save_database_password(url: str, password: str) -> None:
    """Keep the password of the server account of ``url`` in the system keyring (never in a file)."""
    from keyring.errors import KeyringError

    backend = _encrypting_keyring()
    try:
        backend.set_password(DATABASE_SERVICE, database_key(url), password)
    except KeyringError as exc:
        raise SecretStoreUnavailable(f"The keyring refused the password ({exc}). {_HOW_TO_FIX}") from exc


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
        self.backend = _chosen(backend)  # what is used: None when nothing offered encrypts

    def _check(self) -> KeyringBackend:
        if self.backend is None:
            raise SecretStoreUnavailable(_why_not(self.found))
        return self.backend

    def _key(self, name: str) -> str:
        return f"{self.log_id}:{name}"

    def get(self, name: str) -> str | None:
        from keyring.errors import KeyringError

        backend = self._check()
        try:
            return backend.get_password(SERVICE, self._key(name))
        except KeyringError as exc:
            raise SecretStoreUnavailable(f"The keyring could not be read ({exc}). {_HOW_TO_FIX}") from exc

    def set(self, name: str, value: str) -> None:
        from keyring.errors import KeyringError

        backend = self._check()
        try:
            backend.set_password(SERVICE, self._key(name), value)
        except KeyringError as exc:
            raise SecretStoreUnavailable(f"The keyring refused the secret ({exc}). {_HOW_TO_FIX}") from exc

    def delete(self, name: str) -> bool:
        from keyring.errors import KeyringError, PasswordDeleteError

        backend = self._check()
        try:
            backend.delete_password(SERVICE, self._key(name))
        except PasswordDeleteError:
            return False
        except KeyringError as exc:
            raise SecretStoreUnavailable(f"The keyring could not be changed ({exc}). {_HOW_TO_FIX}") from exc
        return True
