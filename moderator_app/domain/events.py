"""Plain records of what Telegram showed us, in the same shape whether it came from an export or live.

The importer and (later) the connector produce these; the store turns them into log rows through the
rules in :mod:`moderator_app.domain.inquiries`. Only plain data: they cross threads.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any


class SourceKind(StrEnum):
    GROUP = "group"
    CHANNEL = "channel"
    PRIVATE = "private"


#: Telegram Desktop export chat types and the source kind each belongs to.
EXPORT_CHAT_TYPES: dict[str, SourceKind] = {
    "personal_chat": SourceKind.PRIVATE,
    "private_group": SourceKind.GROUP,
    "private_supergroup": SourceKind.GROUP,
    "public_supergroup": SourceKind.GROUP,
    "public_channel": SourceKind.CHANNEL,
    "private_channel": SourceKind.CHANNEL,
}

#: Chat types we never log: Telegram's own notices, bots, the account's notes to itself.
IGNORED_CHAT_TYPES = frozenset({"saved_messages", "bot_chat", "replies"})

PRIVATE_SOURCE_NAME = "Private messages"


@dataclass(frozen=True, slots=True)
class Peer:
    """Who sent something: a user, or a channel/group posting as itself."""

    peer_type: str  # "user" | "channel"
    telegram_id: int
    name: str = ""
    username: str = ""  # without "@"; known live only (exports do not carry senders' usernames)


def is_staff(peer: Peer | None, staff: frozenset[int], source_telegram_id: int) -> bool:
    """DESIGN, "Staff": the organization's accounts, and the group or channel speaking as itself (channel
    posts, anonymous admins)."""
    if peer is None:
        return False
    if peer.peer_type == "user":
        return peer.telegram_id in staff
    return peer.telegram_id == source_telegram_id


@dataclass(frozen=True, slots=True)
class SourceRef:
    kind: SourceKind
    telegram_id: int  # 0 for the private-messages source
    name: str
    telegram_type: str | None = None


@dataclass(slots=True)
class MessageRecord:
    chat_id: int
    telegram_id: int
    date: datetime
    sender: Peer | None
    text: str = ""
    reply_to: int | None = None
    media_kind: str | None = None
    media: dict[str, Any] | None = None
    is_service: bool = False
    action: str | None = None
    forwarded_from: str | None = None
    edited_at: datetime | None = None
    holding: bool = False  # sent with "acknowledge": a holding reply, the first response but not an answer
    #: A staff message that answers no one (a moderation reminder or notice sent privately): never a response.
    answers_nothing: bool = False
    #: Forum supergroups: the id of the topic's root message (its ``topic_created`` service message; 1 for
    #: the "General" topic). A message whose Telegram reply points at that root is in the topic, and its
    #: ``reply_to`` is None: it replies to no one.
    topic_id: int | None = None
    #: Telegram user ids named by text mentions (``mention_name`` in exports, MessageEntityMentionName live):
    #: how a staff message can answer a member without Telegram's reply.
    mentioned_ids: tuple[int, ...] = ()


class MembershipKind(StrEnum):
    JOINED = "joined"
    LEFT = "left"
    REMOVED = "removed"
    PRESENT = "present"  # first seen posting, no join on record: was a member before the log began
    REQUESTED = "requested"  # asked to join (join request), not yet a member


@dataclass(frozen=True, slots=True)
class MembershipRecord:
    kind: MembershipKind
    at: datetime
    member: Peer | None
    member_name: str
    actor: Peer | None
    via: str | None
    event_key: str  # unique within the source: what makes storing it twice store it once
