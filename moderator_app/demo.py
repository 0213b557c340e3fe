"""Demo mode: the full application against a simulated organization.

The local MTProto server (``fake_telegram``) runs in this process with a simulated settlement
organization: three groups (Arabic, Farsi, French), a channel and private chats, three months of history,
and live traffic whose members react to replies. The app logs in to it through the real connector, exactly
as it would to Telegram. Its secrets are the fake server's, kept in an in-memory keyring for the session:
nothing real is read or written, and nothing reaches Telegram.
"""

from __future__ import annotations

import asyncio
import contextlib
import tempfile
from dataclasses import replace
from pathlib import Path

import keyring
from keyring.backend import KeyringBackend
from keyring.errors import PasswordDeleteError

from moderator_app.domain.events import PRIVATE_SOURCE_NAME, SourceKind, SourceRef
from moderator_app.domain.settings import ON_DUTY, ORGANIZATION_NAME
from moderator_app.importers.library_files import STARTER_LIBRARY, read_library
from moderator_app.importers.referrals_csv import read_referrals_csv
from moderator_app.store.db import open_database
from moderator_app.store.library import LibraryRepository
from moderator_app.store.profiles import ProfileRepository
from moderator_app.store.repositories import (
    ReferralRepository,
    SettingsRepository,
    SourceRepository,
    StandardRepository,
)
from moderator_app.store.secrets import SecretStore
from moderator_app.telegram.client import ConnectionSettings, ServerAddress
from moderator_app.telegram.dialogs import account_dialogs
from moderator_app.telegram.login import LoginFlow, LoginStep

DEMO_API_ID = 20_240
DEMO_API_HASH = "de00de00de00de00de00de00de00de00"  # the local fake server's, not a real application's
DEMO_PHONE = "+15550100000"
DEMO_CODE = "24680"


class DemoKeyring(KeyringBackend):
    """The demo's secrets (a session with the local fake server) live in memory for the session only."""

    priority = 1
    keeps_nothing_on_disk = True  # memory only: accepted as the system keyrings are (store.secrets)

    def __init__(self) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self._entries: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self._entries.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self._entries[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if self._entries.pop((service, username), None) is None:
            raise PasswordDeleteError("not found")


def prepare(data_dir: Path | None, stack: contextlib.ExitStack, *, traffic_rate: float = 1.0) -> Path:
    """Start the simulated organization and log the app in to it; returns the data folder to use.

    Everything started is stopped by ``stack`` (the server, the live traffic).
    """
    from fake_telegram import FakeTelegram, public_key_pem, running_server
    from fake_telegram.simulation import Traffic, partners_csv, seed_organization

    folder = data_dir or Path(tempfile.mkdtemp(prefix="moderator-demo-"))
    keyring.set_keyring(DemoKeyring())
    world = FakeTelegram(login_code=DEMO_CODE)
    world.add_app(DEMO_API_ID, DEMO_API_HASH)
    account = world.add_account(DEMO_PHONE, "Settlement", "Help Desk")
    organization = seed_organization(world, account)
    address = stack.enter_context(running_server(world))
    db = open_database(data_dir=folder)
    try:
        key = folder / "demo-server.pem"
        key.write_bytes(public_key_pem())
        standards = StandardRepository(db)
        standards.save(
            replace(
                standards.global_standard(),
                timezone="America/Toronto",
                holidays_country="CA",
                holidays_subdivision="ON",
            )
        )
        partners = folder / "demo-partners.csv"
        partners.write_text(partners_csv(), encoding="utf-8")
        ReferralRepository(db).upsert_all(read_referrals_csv(partners))
        settings = SettingsRepository(db)
        connection = ConnectionSettings(ServerAddress(address.host, address.port, address.dc_id), key)
        connection.save(settings)
        flow = LoginFlow(settings, SecretStore(db), connection)

        async def log_in() -> None:
            step = await flow.start()
            if step is LoginStep.API:
                step = await flow.submit_api(DEMO_API_ID, DEMO_API_HASH)
            if step is LoginStep.PHONE:
                step = await flow.submit_phone(DEMO_PHONE)
            if step is LoginStep.CODE:
                step = await flow.submit_code(DEMO_CODE)
            await flow.close()
            if step is not LoginStep.DONE:
                raise RuntimeError(f"the demo login stopped at {step}")

        asyncio.run(log_in())
        # Watch every group and channel of the account, as a moderator would with `sources watch`.
        sources = SourceRepository(db)
        for ref in asyncio.run(account_dialogs(db, connection)):
            sources.set_watched(ref, True)
        sources.set_watched(SourceRef(SourceKind.PRIVATE, 0, PRIVATE_SOURCE_NAME, "personal_chat"), True)
        # The starter library of canned answers, and the organization's name they sign with.
        library = LibraryRepository(db)
        if not library.all():
            library.upsert_all(read_library(STARTER_LIBRARY))
        if not settings.read(ORGANIZATION_NAME):
            settings.write(ORGANIZATION_NAME, "Ottawa Newcomer Services")
        # The team sharing the account: one of them is on duty at this workstation.
        profiles = ProfileRepository(db)
        if not profiles.all():
            on_duty = profiles.add("Nadia Haddad", "moderator", ("ar", "fr", "en"))
            profiles.add("Reza Karimi", "backup", ("fa", "en"))
            profiles.add("Claire Martin", "manager", ("fr", "en"))
            settings.write(ON_DUTY, on_duty.id)
    finally:
        db.close()
    traffic = Traffic(world, organization, rate=traffic_rate)
    traffic.start()
    stack.callback(traffic.stop)
    return folder
