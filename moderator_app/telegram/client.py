"""Building the Telethon client: credentials from the keyring, connection settings from the log.

The session string and the API hash live only in the OS keyring (:class:`SecretStore`); the API id (not a
secret) and the advanced connection settings (a test server and its public key) live in the log's settings.
"""

from __future__ import annotations

import platform
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from telethon import TelegramClient, utils
from telethon.crypto import rsa as telethon_rsa
from telethon.sessions import StringSession
from telethon.tl import types

from moderator_app.domain.settings import TELEGRAM_API_ID, TELEGRAM_RSA_KEY, TELEGRAM_SERVER, TELEGRAM_UPDATE_STATE
from moderator_app.store.repositories import SettingsRepository
from moderator_app.store.secrets import API_HASH, SESSION, SecretStore
from moderator_app.telegram.problems import SettingsError as SettingsError

#: Where an organization gets its API id and hash; shown by the login on the terminal and in the wizard.
API_HELP = (
    "Telegram identifies the program that logs in by an API id and API hash. Your organization creates "
    "its own once: log in at https://my.telegram.org with the organization's phone number, open "
    '"API development tools", fill in the form (app title e.g. "Moderator Workstation", platform "Desktop"), '
    'and copy "App api_id" (a number) and "App api_hash" (32 letters and digits).'
)

_HASH = re.compile(r"^[0-9a-fA-F]{32}$")


@dataclass(frozen=True)
class ServerAddress:
    host: str
    port: int
    dc_id: int = 2

    @classmethod
    def parse(cls, text: str) -> ServerAddress:
        parts = text.strip().rsplit(":", 2) if text.count(":") >= 2 else text.strip().rsplit(":", 1)
        try:
            if len(parts) == 3:
                return cls(parts[0], int(parts[1]), int(parts[2]))
            if len(parts) == 2:
                return cls(parts[0], int(parts[1]))
        except ValueError:
            pass
        raise SettingsError(f"--telegram-server {text!r}: write HOST:PORT or HOST:PORT:DC, e.g. 127.0.0.1:8443:2.")

    def __str__(self) -> str:
        return f"{self.host}:{self.port}:{self.dc_id}"


@dataclass(frozen=True)
class ConnectionSettings:
    """Advanced: Telegram's test environment or a local MTProto server, with that server's public key."""

    server: ServerAddress | None = None
    rsa_key: Path | None = None

    @classmethod
    def load(cls, settings: SettingsRepository) -> ConnectionSettings:
        server = settings.read(TELEGRAM_SERVER)
        key = settings.read(TELEGRAM_RSA_KEY)
        return cls(ServerAddress.parse(server) if server else None, Path(key) if key else None)

    def save(self, settings: SettingsRepository) -> None:
        settings.write(TELEGRAM_SERVER, str(self.server) if self.server else None)
        settings.write(TELEGRAM_RSA_KEY, str(self.rsa_key) if self.rsa_key else None)

    def install_key(self) -> None:
        """Teach Telethon the server's public key (Telegram's own keys are built in)."""
        if self.rsa_key is None:
            return
        try:
            pem = self.rsa_key.read_bytes()
            telethon_rsa.add_key(pem, old=False)
        except OSError as exc:
            raise SettingsError(f"The server key {self.rsa_key} cannot be read ({exc.strerror}).") from exc
        except (ValueError, TypeError) as exc:
            raise SettingsError(
                f"{self.rsa_key} is not an RSA public key in PEM format (-----BEGIN RSA PUBLIC KEY-----)."
            ) from exc


def check_api_credentials(api_id: str | int, api_hash: str) -> tuple[int, str]:
    """The obvious typing mistakes, caught before Telegram is asked."""
    text = str(api_id).strip()
    if not text.isdigit() or int(text) <= 0:
        raise SettingsError(f"The API id is a number (like 1234567); {text!r} is not. " + API_HELP)
    api_hash = api_hash.strip()
    if not _HASH.match(api_hash):
        raise SettingsError("The API hash is 32 letters (a-f) and digits. " + API_HELP)
    return int(text), api_hash.lower()


@dataclass(frozen=True)
class Credentials:
    api_id: int
    api_hash: str
    session: str  # StringSession text; "" before login

    @classmethod
    def load(cls, settings: SettingsRepository, secrets: SecretStore) -> Credentials | None:
        api_id = settings.read(TELEGRAM_API_ID)
        api_hash = secrets.get(API_HASH)
        if not api_id or not api_hash:
            return None
        return cls(int(api_id), api_hash, secrets.get(SESSION) or "")

    def save(self, settings: SettingsRepository, secrets: SecretStore) -> None:
        secrets.set(API_HASH, self.api_hash)
        settings.write(TELEGRAM_API_ID, self.api_id)
        if self.session:
            secrets.set(SESSION, self.session)


class LogSession(StringSession):  # type: ignore[misc]
    """A StringSession whose update state (pts, per-channel pts and those channels' access hashes) is kept
    in the log, so the connector's catch-up can ask Telegram for the edits and deletions made while it was
    off (``updates.getDifference`` / ``getChannelDifference`` from the saved pts). The session string
    itself stays in the keyring.

    Telethon's own catch-up is not used for this: it sets the new state before reading ``other_updates`` and
    so drops every edit and deletion a difference carries (Telethon 1.45, messagebox.apply_difference_type).
    """

    def __init__(self, string: str | None, settings: SettingsRepository) -> None:
        super().__init__(string)
        self._settings = settings
        saved = settings.read(TELEGRAM_UPDATE_STATE)
        self._saved: dict[str, Any] = dict(saved)
        common = saved.get("common")
        if common:
            date = datetime.fromtimestamp(common["date"], UTC)
            self._update_states[0] = types.updates.State(
                common["pts"], common["qts"], date, common["seq"], unread_count=0
            )
        for channel_id, (pts, access_hash) in (saved.get("channels") or {}).items():
            channel = int(channel_id)
            self._update_states[channel] = types.updates.State(pts, 0, datetime.now(UTC), 0, unread_count=0)
            self._entities.add((utils.get_peer_id(types.PeerChannel(channel)), access_hash, None, None, None))

    @property
    def has_update_state(self) -> bool:
        return 0 in self._update_states

    def saved_state(self) -> dict[str, Any]:
        return dict(self._saved)

    def record_common(self, pts: int, qts: int, date: int, seq: int) -> None:
        self._saved["common"] = {"pts": pts, "qts": qts, "date": date, "seq": seq}
        self._settings.write(TELEGRAM_UPDATE_STATE, self._saved)

    def record_channel(self, channel_id: int, pts: int, access_hash: int) -> None:
        channels = dict(self._saved.get("channels") or {})
        channels[str(channel_id)] = [pts, access_hash]
        self._saved["channels"] = channels
        self._settings.write(TELEGRAM_UPDATE_STATE, self._saved)

    def set_update_state(self, entity_id: int, state: Any) -> None:
        super().set_update_state(entity_id, state)
        if entity_id == 0:
            self._saved["common"] = {
                "pts": state.pts,
                "qts": state.qts,
                "date": int(state.date.timestamp()),
                "seq": state.seq,
            }
        else:
            rows = self.get_entity_rows_by_id(utils.get_peer_id(types.PeerChannel(entity_id)))
            if not rows:
                return  # no access hash: Telethon could not catch this channel up anyway
            channels = dict(self._saved.get("channels") or {})
            channels[str(entity_id)] = [state.pts, rows[1]]
            self._saved["channels"] = channels
        self._settings.write(TELEGRAM_UPDATE_STATE, self._saved)


def make_client(
    credentials: Credentials,
    connection: ConnectionSettings,
    *,
    catch_up: bool = False,
    receive_updates: bool = True,
    session: StringSession | None = None,
    **options: Any,
) -> TelegramClient:
    """A client that never sleeps on a FloodWait by itself (we report it and decide), with our name on it."""
    from moderator_app import __version__

    connection.install_key()
    session = session if session is not None else StringSession(credentials.session or None)
    server = connection.server
    if server is not None and (session.server_address != server.host or session.port != server.port):
        session.set_dc(server.dc_id, server.host, server.port)
    settings: dict[str, Any] = {
        "flood_sleep_threshold": 0,
        "device_model": "Moderator Workstation",
        "system_version": f"{platform.system()} {platform.release()}".strip(),
        "app_version": __version__,
        "catch_up": catch_up,
        "receive_updates": receive_updates,
        "sequential_updates": True,
        "connection_retries": 3,
        "retry_delay": 2,
        "auto_reconnect": True,
        # After Telethon's own retries of an internal server error, raise that error (RANDOM_ID_DUPLICATE: the
        # message was sent before) rather than a bare ValueError the connector would take for an unknown chat.
        "raise_last_call_error": True,
    }
    settings.update(options)
    return TelegramClient(session, credentials.api_id, credentials.api_hash, **settings)


async def save_update_state(client: TelegramClient) -> None:
    """Have Telethon hand its update state (pts, qts, per-channel pts) to the session now.

    Telethon 1.x does this only on a clean disconnect, through the client's private
    ``_save_states_and_entities``; there is no public call. Without it a crash would lose the state, and with
    it every edit and deletion Telethon could have replayed at the next start. This is the one private call
    the app makes, kept here; if a Telethon update removes it, this says so instead of failing elsewhere.
    """
    save = getattr(client, "_save_states_and_entities", None)
    if save is None:
        raise RuntimeError(
            "This Telethon version has no _save_states_and_entities: the update state cannot be saved "
            "before a disconnect (see telegram/client.py, save_update_state)."
        )
    await save()
