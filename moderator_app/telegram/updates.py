"""What the connector's live-update queue carries: Telegram's updates as typed records, in arrival order."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class NewMessage:
    """A message (or a service message: join, leave, pin...) arrived."""

    message: Any  # types.Message | types.MessageService


@dataclass(frozen=True, slots=True)
class EditedMessage:
    message: Any  # types.Message


@dataclass(frozen=True, slots=True)
class DeletedMessages:
    """``chat``: the marked id of the channel they were in; None when Telegram does not say (private chats
    and basic groups, whose message ids are unique across the account)."""

    chat: int | None
    ids: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class JoinRequests:
    update: Any  # types.UpdatePendingJoinRequests


#: What the live-update queue carries, in the order Telegram sent it.
Update = NewMessage | EditedMessage | DeletedMessages | JoinRequests
