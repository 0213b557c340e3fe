"""The operating system's keyring: which backend may hold secrets (only one that encrypts), why none can, and
the shared log's database password. Nothing here reads the log, so opening the log may use it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from keyring.backend import KeyringBackend

# keyring is imported where a secret is first needed, not with this module: the window imports this module
# for its error type, and the keyring package (with its backend discovery) adds to every launch.

SERVICE = "moderator-app"


HOW_TO_FIX = (
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


def backend_name(backend: KeyringBackend) -> str:
    return f"{type(backend).__module__}.{type(backend).__name__}"


def is_encrypting(backend: KeyringBackend) -> bool:
    """An operating-system keyring, or one that keeps nothing on disk (the demo's, tests' doubles: they say
    so with ``keeps_nothing_on_disk``)."""
    return backend_name(backend).startswith(ENCRYPTING_BACKENDS) or bool(
        getattr(backend, "keeps_nothing_on_disk", False)
    )


def chosen_backend(backend: KeyringBackend) -> KeyringBackend | None:
    """The backend to use: itself if it encrypts; of a chain, its first (most preferred) that does, so a
    plain-text one ranked above it never receives a secret; else None."""
    backends = getattr(backend, "backends", None)
    if backends is not None:
        return next((b for b in backends if is_encrypting(b)), None)
    return backend if is_encrypting(backend) else None


def why_not(backend: KeyringBackend) -> str:
    """Why no backend can be used: none at all, or only ones that would keep secrets in clear."""
    members = list(getattr(backend, "backends", None) or [backend])
    real = [b for b in members if not type(b).__module__.startswith(("keyring.backends.fail", "keyring.backends.null"))]
    if not real:
        return HOW_TO_FIX
    names = ", ".join(backend_name(b) for b in real)
    return (
        f"The keyring found here ({names}) would keep the secrets in a file that is not encrypted (as "
        f"keyrings.alt does), so the app does not use it. {HOW_TO_FIX}"
    )


DATABASE_SERVICE = "moderator-app-database"


def database_key(url: str) -> str:
    """The keyring entry of a database server account: user@host:port/database (never the password)."""
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    return f"{parsed.username or ''}@{parsed.host or 'localhost'}:{parsed.port or 5432}/{parsed.database or ''}"


def encrypting_keyring() -> KeyringBackend:
    import keyring

    found = keyring.get_keyring()
    chosen = chosen_backend(found)
    if chosen is None:
        raise SecretStoreUnavailable(why_not(found))
    return chosen


def database_password(url: str) -> str | None:
    """The password kept for the server account of ``url``, or None (none kept, or no keyring here: the
    driver then reads PGPASSWORD or the .pgpass file as usual)."""
    from keyring.errors import KeyringError

    try:
        return encrypting_keyring().get_password(DATABASE_SERVICE, database_key(url))
    except (SecretStoreUnavailable, KeyringError):
        return None


def save_database_password(url: str, password: str) -> None:
    """Keep the password of the server account of ``url`` in the system keyring (never in a file)."""
    from keyring.errors import KeyringError

    backend = encrypting_keyring()
    try:
        backend.set_password(DATABASE_SERVICE, database_key(url), password)
    except KeyringError as exc:
        raise SecretStoreUnavailable(f"The keyring refused the password ({exc}). {HOW_TO_FIX}") from exc
