"""The account's groups, supergroups and channels, for choosing which to watch (login wizard, ``sources``)."""

from __future__ import annotations

from moderator_app.domain.events import SourceRef
from moderator_app.store.db import Database
from moderator_app.store.repositories import SettingsRepository
from moderator_app.store.secrets import SecretStore
from moderator_app.telegram.client import ConnectionSettings, Credentials, make_client
from moderator_app.telegram.errors import Remedy, TelegramProblem, explain
from moderator_app.telegram.sources import source_ref_for


async def account_dialogs(db: Database, connection: ConnectionSettings) -> list[SourceRef]:
    credentials = Credentials.load(SettingsRepository(db), SecretStore(db))
    if credentials is None or not credentials.session:
        raise TelegramProblem("Not logged in to Telegram: run `moderator-app login` first.", Remedy.LOG_IN)
    client = make_client(credentials, connection, receive_updates=False)
    try:
        await client.connect()
        if not await client.is_user_authorized():
            raise TelegramProblem(
                "Telegram no longer accepts this session. Run `moderator-app login` again; the log is kept.",
                Remedy.LOG_IN,
            )
        refs = []
        async for dialog in client.iter_dialogs():
            ref = source_ref_for(dialog.entity)
            if ref is not None:
                refs.append(ref)
        return refs
    except TelegramProblem:
        raise
    except Exception as exc:
        raise explain(exc) from exc
    finally:
        await client.disconnect()
