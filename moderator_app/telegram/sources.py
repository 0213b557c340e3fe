"""Which of the account's dialogs are sources, and which private chats belong in "Private messages"."""

from __future__ import annotations

from typing import Any

from telethon.tl import types

from moderator_app.domain.events import SourceKind, SourceRef


def source_ref_for(entity: Any) -> SourceRef | None:
    """The source a group or channel dialog becomes (export-style type names)."""
    if isinstance(entity, types.Channel):
        public = bool(entity.username)
        if entity.megagroup or entity.gigagroup:
            kind, tg_type = SourceKind.GROUP, ("public_supergroup" if public else "private_supergroup")
        else:
            kind, tg_type = SourceKind.CHANNEL, ("public_channel" if public else "private_channel")
        return SourceRef(kind, entity.id, entity.title, tg_type)
    if isinstance(entity, types.Chat):
        return SourceRef(SourceKind.GROUP, entity.id, entity.title, "private_group")
    return None


def is_member_chat(user: Any, staff: frozenset[int], self_id: int) -> bool:
    """Private chats that belong in "Private messages": people, not bots, staff or Telegram itself."""
    if not isinstance(user, types.User):
        return False
    return not (user.bot or user.is_self or user.id in (self_id, TELEGRAM_SERVICE_USER) or user.id in staff)


#: Telegram's own notifications account: never a member's private chat.
TELEGRAM_SERVICE_USER = 777000
