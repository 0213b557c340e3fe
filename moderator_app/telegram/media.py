"""Media: files fetched on arrival when small and worth it (a voice note), or when a moderator asks; saved
beside the log, readable by the user only, named by the message id with the sender's extension if safe."""

from __future__ import annotations

import asyncio
import os
import re
from pathlib import Path
from typing import Any, Final

from telethon import TelegramClient, errors

from moderator_app.domain.inbox import SourceInfo
from moderator_app.domain.outbox import Outgoing
from moderator_app.store.outbox import OutboxRepository
from moderator_app.telegram.convert import chat_id_of
from moderator_app.telegram.errors import explain
from moderator_app.telegram.hub import ConnectorHub

DEFAULT_MEDIA_CAP = 20 * 1024 * 1024
#: Files a moderator asks for are fetched up to this size (Telegram's own limit for user accounts).
ON_DEMAND_CAP = 2 * 1024 * 1024 * 1024

#: Suffixes Python's mimetypes table lacks on some systems (a file without one does not open by a double-click).
_SUFFIXES: Final = {"audio/wav": ".wav", "audio/x-wav": ".wav", "audio/ogg": ".ogg", "audio/opus": ".opus"}
_SAFE_SUFFIX: Final = re.compile(r"\.[A-Za-z0-9]{1,10}")


def _suffix(file: Any) -> str:
    """The file's extension: the sender's file name's (what the system picks a program by), else the MIME
    type's, else nothing. Only letters and digits: a sender's name is any text (a NUL in it failed the
    download; "x.pdf " with a space is no PDF), and the saved file is named by the message id anyway."""
    if file is None:
        return ""
    for candidate in (
        Path((file.name or "").replace("\x00", "")).suffix,
        file.ext,
        _SUFFIXES.get(file.mime_type or ""),
    ):
        if candidate and _SAFE_SUFFIX.fullmatch(candidate):
            return str(candidate)
    return ""


class Media:
    def __init__(self, hub: ConnectorHub, outbox: OutboxRepository, media_dir: Path) -> None:
        self.hub = hub
        self.outbox = outbox
        self.media_dir = media_dir

    async def loop(self, client: TelegramClient) -> None:
        """The files of messages as they are stored (see :meth:`ConnectorHub.store_message`)."""
        while True:
            info, message = await self.hub.downloads.get()
            try:
                await self.download(client, info, message)
            except errors.FloodWaitError as exc:
                await asyncio.sleep(exc.seconds)
                self.hub.downloads.put_nowait((info, message))
            except (errors.RPCError, OSError) as exc:
                self.hub.log.warning("message %d: media not downloaded: %s", message.id, explain(exc).message)

    async def on_demand(self, client: TelegramClient, info: SourceInfo, item: Outgoing) -> None:
        """A moderator asked for this file (too large to fetch on arrival): an outbox item of kind download."""
        assert item.reply_to is not None
        peer = await self.hub.input_peer(client, info, item.chat_id)
        message = await client.get_messages(peer, ids=item.reply_to)
        if message is None or message.media is None:
            self.outbox.mark_failed(item.id, "The message or its file no longer exists in Telegram.")
            return
        path = await self.download(client, info, message, cap=ON_DEMAND_CAP)
        if path is None:
            self.outbox.mark_failed(item.id, "Telegram gave no file for this message.")
            return
        self.outbox.mark_sent(item.id, item.reply_to)
        self.hub.log.info("downloaded %s for message %d in %s", path.name, item.reply_to, info.name)

    async def download(
        self, client: TelegramClient, info: SourceInfo, message: Any, *, cap: int | None = None
    ) -> Path | None:
        hub = self.hub
        assert hub.live is not None
        chat_id = chat_id_of(message.peer_id)
        size = message.file.size if message.file is not None else None
        if size is not None and size > (cap if cap is not None else hub.media_cap):
            async with hub.ingest_lock:
                hub.live.set_media(info, chat_id, message.id, {"download": "on_demand"})
            return None
        folder = self.media_dir / str(info.id) / str(chat_id)
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        target = folder / f"{message.id}{_suffix(message.file)}"
        written = await client.download_media(message, file=str(target))
        if written is None:
            return None
        path = Path(written)
        os.chmod(path, 0o600)
        async with hub.ingest_lock:
            hub.live.set_media(
                info, chat_id, message.id, {"file": str(path), "file_size": path.stat().st_size, "download": "done"}
            )
        hub.counts.downloads += 1
        hub.stored("download", message.id)
        return path
