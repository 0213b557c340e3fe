"""Telethon's messages as the plain records the store ingests, in the same shape as an export's.

Action names, media kinds and membership event keys are the Telegram Desktop export's, so a chat that was
first imported from an export and then watched live (or the other way round) is logged once.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from telethon import utils
from telethon.tl import types

from moderator_app.domain.events import MembershipKind, MembershipRecord, MessageRecord, Peer

#: Telethon action classes with the export's name for them; others get a snake_case name of their own.
ACTION_NAMES: dict[type[Any], str] = {
    types.MessageActionChatAddUser: "invite_members",
    types.MessageActionChatDeleteUser: "remove_members",
    types.MessageActionChatJoinedByLink: "join_group_by_link",
    types.MessageActionChatJoinedByRequest: "join_group_by_request",
    types.MessageActionChatCreate: "create_group",
    types.MessageActionChannelCreate: "create_channel",
    types.MessageActionChatMigrateTo: "migrate_to_supergroup",
    types.MessageActionChannelMigrateFrom: "migrate_from_group",
    types.MessageActionPinMessage: "pin_message",
    types.MessageActionChatEditTitle: "edit_group_title",
    types.MessageActionChatEditPhoto: "edit_group_photo",
    types.MessageActionChatDeletePhoto: "delete_group_photo",
    types.MessageActionSetChatTheme: "edit_chat_theme",
    types.MessageActionPhoneCall: "phone_call",
    types.MessageActionGroupCall: "group_call",
    types.MessageActionInviteToGroupCall: "invite_to_group_call",
    types.MessageActionGroupCallScheduled: "group_call_scheduled",
    types.MessageActionSetMessagesTTL: "set_messages_ttl",
    types.MessageActionGameScore: "score_in_game",
    types.MessageActionCustomAction: "custom_action",
    types.MessageActionHistoryClear: "clear_history",
    types.MessageActionTopicCreate: "topic_created",
    types.MessageActionTopicEdit: "topic_edit",
    types.MessageActionBotAllowed: "bot_allowed",
    types.MessageActionContactSignUp: "contact_sign_up",
    types.MessageActionGeoProximityReached: "proximity_reached",
    types.MessageActionBoostApply: "boost_apply",
    types.MessageActionGiftPremium: "gift_premium",
    types.MessageActionGiftCode: "gift_code_prize",
    types.MessageActionGiveawayLaunch: "giveaway_launch",
    types.MessageActionGiveawayResults: "giveaway_results",
    types.MessageActionRequestedPeer: "requested_peer",
    types.MessageActionSetChatWallPaper: "set_chat_wallpaper",
    types.MessageActionSuggestProfilePhoto: "suggest_profile_photo",
    types.MessageActionWebViewDataSent: "web_app_data_sent",
    types.MessageActionPaymentSent: "send_payment",
}

_CAMEL = re.compile(r"(?<!^)(?=[A-Z])")


def action_name(action: Any) -> str:
    kind = type(action)
    name = ACTION_NAMES.get(kind)
    if name is None:
        name = _CAMEL.sub("_", kind.__name__.removeprefix("MessageAction")).lower() or "unknown"
    return name[:64]


def display_name(entity: Any) -> str:
    """As Telegram Desktop writes ``from`` in an export: "First Last", or the chat's title."""
    if entity is None:
        return ""
    if isinstance(entity, types.User):
        name = " ".join(p for p in (entity.first_name, entity.last_name) if p)
        return name or (entity.username or "Deleted Account")
    return str(getattr(entity, "title", "") or "")


def username_of(entity: Any) -> str:
    """A user's public username without "@" ("" when none): their own, else the first active collectible one."""
    if not isinstance(entity, types.User):
        return ""
    if entity.username:
        return str(entity.username)
    for name in entity.usernames or ():
        if isinstance(name, types.Username) and name.active:
            return str(name.username)
    return ""


def user_peer(user_id: int, entity: Any) -> Peer:
    """A user as a Peer, with the username an ``@name`` in a staff answer can be matched against."""
    return Peer("user", user_id, display_name(entity), username_of(entity))


def chat_id_of(peer: Any) -> int:
    """The bare id (no -100 prefix), as an export's chat ``id`` is."""
    kind = type(peer)
    if kind is types.PeerChannel:
        return int(peer.channel_id)
    if kind is types.PeerUser:
        return int(peer.user_id)
    if kind is types.PeerChat:
        return int(peer.chat_id)
    return int(utils.get_peer_id(peer, add_mark=False))


EntityLookup = Callable[[int], Any]


def _peer(peer: Any, lookup: EntityLookup) -> Peer | None:
    if isinstance(peer, types.PeerUser):  # a user's marked id is their id
        return user_peer(peer.user_id, lookup(peer.user_id))
    if isinstance(peer, types.PeerChannel):
        return Peer("channel", peer.channel_id, display_name(lookup(utils.get_peer_id(peer))))
    if isinstance(peer, types.PeerChat):
        return Peer("channel", peer.chat_id, display_name(lookup(utils.get_peer_id(peer))))
    return None


def sender_of(message: Any, lookup: EntityLookup, self_id: int) -> Peer | None:
    """Who wrote it. Private chats omit the sender; a channel's posts are the channel's own."""
    if message.from_id is not None:
        return _peer(message.from_id, lookup)
    peer = message.peer_id
    if isinstance(peer, types.PeerUser):
        if message.out:
            return user_peer(self_id, lookup(self_id))
        return _peer(peer, lookup)
    if isinstance(peer, types.PeerChannel | types.PeerChat):
        return _peer(peer, lookup)
    return None


def _document_kind(document: Any) -> tuple[str, dict[str, Any]]:
    meta: dict[str, Any] = {"mime_type": document.mime_type, "file_size": document.size}
    kind = "document"
    for attribute in document.attributes:
        if isinstance(attribute, types.DocumentAttributeAudio):
            kind = "voice" if attribute.voice else "audio"
            meta["duration_seconds"] = int(attribute.duration)
        elif isinstance(attribute, types.DocumentAttributeVideo):
            kind = "video_message" if attribute.round_message else "video"
            meta["duration_seconds"] = int(attribute.duration)
            meta["width"], meta["height"] = attribute.w, attribute.h
        elif isinstance(attribute, types.DocumentAttributeSticker):
            kind = "sticker"
            meta["sticker_emoji"] = attribute.alt
        elif isinstance(attribute, types.DocumentAttributeAnimated) and kind == "document":
            kind = "animation"
        elif isinstance(attribute, types.DocumentAttributeFilename):
            meta["file_name"] = attribute.file_name
    return kind, meta


def media_of(message: Any) -> tuple[str | None, dict[str, Any] | None]:
    media = message.media
    if media is None or isinstance(media, types.MessageMediaEmpty | types.MessageMediaWebPage):
        return None, None
    if isinstance(media, types.MessageMediaPhoto):
        meta: dict[str, Any] = {}
        photo = media.photo
        if isinstance(photo, types.Photo):
            sizes = [s for s in photo.sizes if hasattr(s, "w")]
            if sizes:
                largest = max(sizes, key=lambda s: s.w * s.h)
                meta.update(width=largest.w, height=largest.h, photo_file_size=getattr(largest, "size", None))
        return "photo", meta or None
    if isinstance(media, types.MessageMediaDocument) and isinstance(media.document, types.Document):
        kind, meta = _document_kind(media.document)
        return kind, meta
    if isinstance(media, types.MessageMediaPoll):
        return "poll", {"question": _text(media.poll.question)}
    if isinstance(media, types.MessageMediaGeo | types.MessageMediaGeoLive | types.MessageMediaVenue):
        return "location", None
    if isinstance(media, types.MessageMediaContact):
        return "contact", {"phone_number": media.phone_number}
    return type(media).__name__.removeprefix("MessageMedia").lower()[:32], None


def _text(value: Any) -> str:
    """Poll questions are TextWithEntities in recent layers, plain strings in older ones."""
    return str(getattr(value, "text", value) or "")


def _forwarded(message: Any, lookup: EntityLookup) -> str | None:
    fwd = message.fwd_from
    if fwd is None:
        return None
    if fwd.from_name:
        return str(fwd.from_name)[:255]
    if fwd.from_id is not None:
        peer = _peer(fwd.from_id, lookup)
        if peer is not None:
            return (peer.name or str(peer.telegram_id))[:255]
    return "unknown"


def _utc(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def topic_and_reply(reply: Any) -> tuple[int | None, int | None]:
    """A message's (forum topic, reply_to) from its reply header.

    In a forum supergroup a message in a topic carries a header with ``forum_topic`` set: its topic is
    ``reply_to_top_id`` when it replies to someone inside the topic (then ``reply_to_msg_id`` is that
    message), else ``reply_to_msg_id`` is the topic's root, which it does not reply to. "General" and
    ordinary groups have no topic. A reply to another chat's message (``reply_to_peer_id``) is no reply here.
    """
    if not isinstance(reply, types.MessageReplyHeader):
        return None, None
    here = reply.reply_to_peer_id is None
    if reply.forum_topic:
        top = reply.reply_to_top_id
        if top is None:
            return (reply.reply_to_msg_id if here else None), None
        return top, (reply.reply_to_msg_id if here else None)
    return None, (reply.reply_to_msg_id if here else None)


def mentioned_ids_of(message: Any) -> tuple[int, ...]:
    """User ids named by text mentions (a name linked to the account, for members without a username)."""
    entities = message.entities
    if not entities:
        return ()
    ids: list[int] = []
    for entity in entities:
        if isinstance(entity, types.MessageEntityMentionName) and entity.user_id not in ids:
            ids.append(entity.user_id)
    return tuple(ids)


def topic_change(message: Any, record: MessageRecord) -> tuple[int, str, datetime | None] | None:
    """A service message that creates (topic, title, created_at) or renames (topic, title, None) a forum
    topic, for the log's topics table; None for any other message."""
    if not isinstance(message, types.MessageService) or record.topic_id is None:
        return None
    action = message.action
    if isinstance(action, types.MessageActionTopicCreate):
        return record.topic_id, str(action.title or "")[:255], record.date
    if isinstance(action, types.MessageActionTopicEdit) and action.title:
        return record.topic_id, str(action.title)[:255], None
    return None


def message_record(message: Any, lookup: EntityLookup, self_id: int) -> MessageRecord | None:
    """A Telethon Message or MessageService as a record; None for an empty (deleted) message."""
    if isinstance(message, types.MessageEmpty) or message is None:
        return None
    chat_id = chat_id_of(message.peer_id)
    date = _utc(message.date)
    assert date is not None
    sender = sender_of(message, lookup, self_id)
    if isinstance(message, types.MessageService):
        # A topic's root is the service message that created it; other service messages in a topic (a
        # rename, a pin) carry the topic in their reply header.
        if isinstance(message.action, types.MessageActionTopicCreate):
            topic: int | None = message.id
        else:
            topic, _ = topic_and_reply(message.reply_to)
        return MessageRecord(
            chat_id=chat_id,
            telegram_id=message.id,
            date=date,
            sender=sender,
            is_service=True,
            action=action_name(message.action),
            topic_id=topic,
        )
    kind, media = media_of(message)
    text = message.message or ""
    if kind == "poll" and not text and media:
        text = str(media.get("question", ""))
    topic, reply_to = topic_and_reply(message.reply_to)
    edited = None if message.edit_hide else _utc(message.edit_date)
    return MessageRecord(
        chat_id=chat_id,
        telegram_id=message.id,
        date=date,
        sender=sender,
        text=text,
        reply_to=reply_to,
        media_kind=kind,
        media=media,
        forwarded_from=_forwarded(message, lookup),
        edited_at=edited,
        topic_id=topic,
        mentioned_ids=mentioned_ids_of(message),
    )


def membership_records(message: Any, record: MessageRecord, lookup: EntityLookup) -> list[MembershipRecord]:
    """Joins, leaves and removals a service message announces, keyed as the export importer keys them."""
    if not isinstance(message, types.MessageService):
        return []
    action = message.action
    actor = record.sender
    actor_name = actor.name if actor else ""
    base = f"{record.chat_id}:{record.telegram_id}"
    at = record.date
    if isinstance(action, types.MessageActionChatJoinedByLink | types.MessageActionChatJoinedByRequest):
        via = "link" if isinstance(action, types.MessageActionChatJoinedByLink) else "request"
        return [MembershipRecord(MembershipKind.JOINED, at, actor, actor_name, actor, via, f"{base}:0")]
    if isinstance(action, types.MessageActionChatAddUser):
        out = []
        for position, user_id in enumerate(action.users):
            member = user_peer(user_id, lookup(user_id))
            is_self = actor is not None and actor.telegram_id == user_id
            via = "joined" if is_self else "invite"
            out.append(
                MembershipRecord(MembershipKind.JOINED, at, member, member.name, actor, via, f"{base}:{position}")
            )
        return out
    if isinstance(action, types.MessageActionChatDeleteUser):
        member = user_peer(action.user_id, lookup(action.user_id))
        if actor is not None and actor.telegram_id == action.user_id:
            kind, via = MembershipKind.LEFT, "self"
        else:
            kind, via = MembershipKind.REMOVED, "moderator"
        return [MembershipRecord(kind, at, member, member.name, actor, via, f"{base}:0")]
    return []
