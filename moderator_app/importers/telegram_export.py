"""Import a Telegram Desktop export into the log.

Turns each exported message into a :class:`MessageRecord` (and service actions into membership events)
and hands them to the store's ingestor. Anything that cannot be read is skipped with its reason and
position and listed in the summary; nothing readable is dropped.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from moderator_app.domain.events import (
    EXPORT_CHAT_TYPES,
    IGNORED_CHAT_TYPES,
    PRIVATE_SOURCE_NAME,
    MembershipKind,
    MembershipRecord,
    MessageRecord,
    Peer,
    SourceKind,
    SourceRef,
)
from moderator_app.importers.export_reader import ChatHeader, ExportReader
from moderator_app.store.ingest import IngestCounts, Ingestor, SourceIngest, fewer_collections

#: Service actions that change membership.
MEMBERSHIP_ACTIONS = frozenset({"join_group_by_link", "join_group_by_request", "invite_members", "remove_members"})

#: Service actions we know and keep as service messages, counting nothing.
KNOWN_ACTIONS = MEMBERSHIP_ACTIONS | frozenset(
    {
        "migrate_from_group",
        "migrate_to_supergroup",
        "create_group",
        "create_channel",
        "pin_message",
        "edit_group_title",
        "edit_group_photo",
        "delete_group_photo",
        "edit_chat_theme",
        "phone_call",
        "group_call",
        "invite_to_group_call",
        "group_call_scheduled",
        "set_messages_ttl",
        "score_in_game",
        "custom_action",
        "clear_history",
        "topic_created",
        "topic_edit",
        "allow_sending_messages",
        "send_payment",
        "boost_apply",
        "gift_premium",
        "gift_code_prize",
        "giveaway_launch",
        "giveaway_results",
        "requested_peer",
        "set_chat_wallpaper",
        "set_same_chat_wallpaper",
        "suggest_profile_photo",
        "web_app_data_sent",
        "bot_allowed",
        "contact_sign_up",
        "secure_values_sent",
        "proximity_reached",
        "channel_create",
    }
)

_MEDIA_TYPES = {
    "voice_message": "voice",
    "video_message": "video_message",
    "sticker": "sticker",
    "animation": "animation",
    "video_file": "video",
    "audio_file": "audio",
}
_MEDIA_KEYS = frozenset({"media_type", "photo", "poll", "file", "location_information", "contact_information"})
_MEDIA_FIELDS = (
    "duration_seconds",
    "mime_type",
    "width",
    "height",
    "file",
    "sticker_emoji",
    "photo_file_size",
    "file_size",
)


@dataclass
class ImportSummary:
    """What an import did and what it left out, with reasons; printed for the person who ran it."""

    path: str
    chats: list[str] = field(default_factory=list)
    skipped_chats: list[str] = field(default_factory=list)
    skipped: Counter[str] = field(default_factory=Counter)
    skipped_examples: dict[str, str] = field(default_factory=dict)
    unknown_actions: Counter[str] = field(default_factory=Counter)
    local_dates: int = 0
    counts: IngestCounts = field(default_factory=IngestCounts)
    used_fallback: bool = False

    def skip(self, reason: str, where: str) -> None:
        self.skipped[reason] += 1
        self.skipped_examples.setdefault(reason, where)

    def lines(self) -> list[str]:
        c = self.counts
        out = [
            f"Imported {self.path}",
            f"  chats: {', '.join(self.chats) or 'none'}",
            f"  messages stored: {c.messages_stored:,}; already in the log: {c.messages_already_stored:,}",
            f"  inquiries opened: {c.inquiries_opened:,}; responses: "
            + (", ".join(f"{k} {v:,}" for k, v in sorted(c.responses.items())) or "none"),
            f"  membership events stored: {c.membership_events:,}; already in the log: {c.membership_already_stored:,}",
        ]
        if self.skipped_chats:
            out.append(f"  chats left out: {'; '.join(self.skipped_chats)}")
        if self.local_dates:
            out.append(
                f"  {self.local_dates:,} messages had no date_unixtime: their local 'date' was read in the "
                "service time zone"
            )
        for reason, count in self.skipped.most_common():
            out.append(f"  skipped {count:,}: {reason} (first at {self.skipped_examples[reason]})")
        for action, count in self.unknown_actions.most_common():
            out.append(
                f"  {count:,} service messages with the unknown action {action!r}: kept in the log as service "
                "messages, counted in nothing"
            )
        return out


def parse_peer(value: Any, name: Any) -> Peer | None:
    """``user123`` / ``channel123`` / ``chat123`` -> Peer; None when absent or unreadable."""
    if not isinstance(value, str):
        return None
    for prefix, peer_type in (("user", "user"), ("channel", "channel"), ("chat", "channel")):
        if value.startswith(prefix) and value[len(prefix) :].isdigit():
            return Peer(peer_type, int(value[len(prefix) :]), name if isinstance(name, str) else "")
    return None


def flatten_text(value: Any) -> str:
    """Exports give text as a string or as a list of strings and entity objects."""
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        parts: list[str] = []
        for part in value:
            if isinstance(part, str):
                parts.append(part)
            elif isinstance(part, dict):
                parts.append(str(part.get("text", "")))
        return "".join(parts)
    return ""


class ExportImporter:
    def __init__(
        self,
        ingestor: Ingestor,
        timezone: ZoneInfo,
        *,
        source_name: str | None = None,
        on_progress: Callable[[int, int], None] | None = None,
    ) -> None:
        self.ingestor = ingestor
        self.timezone = timezone
        self.source_name = source_name
        self.on_progress = on_progress
        self._private: SourceIngest | None = None
        self._peers: dict[tuple[Any, Any], Peer | None] = {}
        self._folder = Path()
        #: The summary of the run in progress (what was done so far, should it stop half-way).
        self.summary: ImportSummary | None = None

    def run(self, path: Path) -> ImportSummary:
        with fewer_collections():
            return self._run(path)

    def _run(self, path: Path) -> ImportSummary:
        summary = self.summary = ImportSummary(path=str(path))
        self._folder = path.resolve().parent
        summary.counts = self.ingestor.counts
        reader = ExportReader(path, self.on_progress)
        current_key: tuple[int, str] | None = None
        current: SourceIngest | None = None
        chat: ChatHeader | None = None
        seen_private = False
        index = 0
        for chat, message in reader:
            key = (chat.id, chat.type)
            if key != current_key:
                if current is not None and current is not self._private:
                    current.finish()
                current_key = key
                index = 0
                current = self._open_chat(chat, reader.layout.kind, summary)
                if current is not None and current is self._private:
                    seen_private = True
            index += 1
            if current is None:
                continue
            self._message(current, chat, message, index, summary)
        if current is not None and current is not self._private:
            current.finish()
        if seen_private and self._private is not None:
            self._private.finish()
        self.ingestor.flush()
        summary.used_fallback = reader.used_fallback
        return summary

    def _open_chat(self, chat: ChatHeader, layout: str, summary: ImportSummary) -> SourceIngest | None:
        label = chat.name or f"chat {chat.id}"
        kind = EXPORT_CHAT_TYPES.get(chat.type)
        if chat.type in IGNORED_CHAT_TYPES:
            summary.skipped_chats.append(f"{label} ({chat.type}: not a conversation with members)")
            return None
        if kind is None:
            summary.skipped_chats.append(f"{label} (unknown chat type {chat.type!r})")
            return None
        if self.source_name and layout == "account" and chat.name != self.source_name:
            summary.skipped_chats.append(f"{label} (not --source-name)")
            return None
        if kind is SourceKind.PRIVATE:
            if chat.id in self.ingestor.staff:
                summary.skipped_chats.append(f"{label} (a staff account)")
                return None
            if self._private is None:
                self._private = self.ingestor.source(
                    SourceRef(SourceKind.PRIVATE, 0, PRIVATE_SOURCE_NAME, "personal_chat")
                )
            summary.chats.append(f"{label} (private)")
            return self._private
        name = self.source_name if (self.source_name and layout == "single") else label
        summary.chats.append(name)
        return self.ingestor.source(SourceRef(kind, chat.id, name, chat.type))

    def _date(self, message: dict[str, Any], key: str, summary: ImportSummary | None) -> datetime | None:
        unix = message.get(f"{key}_unixtime")
        if unix is not None:
            try:
                return datetime.fromtimestamp(int(unix), UTC)
            except (TypeError, ValueError, OverflowError):
                pass
        local = message.get(key)
        if isinstance(local, str):
            try:
                parsed = datetime.fromisoformat(local)
            except ValueError:
                return None
            if summary is not None:
                summary.local_dates += 1
            return parsed.replace(tzinfo=self.timezone) if parsed.tzinfo is None else parsed
        return None

    def _message(
        self, source: SourceIngest, chat: ChatHeader, message: Any, index: int, summary: ImportSummary
    ) -> None:
        if not isinstance(message, dict):
            summary.skip("a message that is not a JSON object", f"chat {chat.name or chat.id!r}, message #{index}")
            return
        telegram_id = message.get("id")
        if type(telegram_id) is not int:
            summary.skip('a message without a numeric "id"', f"chat {chat.name or chat.id!r}, message #{index}")
            return
        if source.has(chat.id, telegram_id):
            source.ingestor.counts.messages_already_stored += 1
            return
        unix = message.get("date_unixtime")
        try:
            date = datetime.fromtimestamp(int(unix), UTC) if unix is not None else None
        except (TypeError, ValueError, OverflowError):
            date = None
        if date is None:
            date = self._date(message, "date", summary)
            if date is None:
                summary.skip(
                    'a message without a readable "date"',
                    f"chat {chat.name or chat.id!r}, message id {telegram_id}",
                )
                return
        mtype = message.get("type")
        if mtype == "message":
            text = message.get("text")
            if type(text) is not str:
                text = flatten_text(text)
            media_kind, media = _media(message) if not _MEDIA_KEYS.isdisjoint(message) else (None, None)
            if media is not None and "file" in media:
                media["file"] = self._local_file(media["file"])
            if media_kind == "poll" and not text:
                poll = message.get("poll")
                text = str(poll.get("question", "")) if isinstance(poll, dict) else ""
            reply_to = message.get("reply_to_message_id")
            forwarded = message.get("forwarded_from")
            source.message(
                MessageRecord(
                    chat.id,
                    telegram_id,
                    date,
                    self._peer(message.get("from_id"), message.get("from")),
                    text,
                    reply_to if type(reply_to) is int else None,
                    media_kind,
                    media,
                    False,
                    None,
                    forwarded if isinstance(forwarded, str) else None,
                    self._date(message, "edited", None) if "edited" in message else None,
                ),
                checked=True,
            )
        elif mtype == "service":
            self._service(source, chat, message, telegram_id, date, summary)
        else:
            summary.skip(
                f"a message of unknown type {mtype!r}",
                f"chat {chat.name or chat.id!r}, message id {telegram_id}",
            )

    def _local_file(self, value: Any) -> Any:
        """The export names files relative to its folder; the window opens them by absolute path. A file the
        export left out ("(File not included...)") or that is not there stays as written."""
        if not isinstance(value, str) or not value or value.startswith("("):
            return value
        candidate = self._folder / value
        try:
            inside = candidate.resolve().is_relative_to(self._folder) and candidate.is_file()
        except OSError:
            return value
        return str(candidate.resolve()) if inside else value

    def _peer(self, value: Any, name: Any) -> Peer | None:
        """Peers repeat: parse each (id, name) once."""
        key = (value, name)
        peer = self._peers.get(key)
        if peer is None and key not in self._peers:
            peer = self._peers[key] = parse_peer(value, name)
        return peer

    def _service(
        self,
        source: SourceIngest,
        chat: ChatHeader,
        message: dict[str, Any],
        telegram_id: int,
        date: datetime,
        summary: ImportSummary,
    ) -> None:
        action = message.get("action")
        action = action if isinstance(action, str) else "unknown"
        actor = self._peer(message.get("actor_id"), message.get("actor"))
        if action not in KNOWN_ACTIONS:
            summary.unknown_actions[action] += 1
        source.message(
            MessageRecord(
                chat_id=chat.id,
                telegram_id=telegram_id,
                date=date,
                sender=actor,
                text=flatten_text(message.get("text")),
                is_service=True,
                action=action[:64],
            ),
            checked=True,
        )
        if action not in MEMBERSHIP_ACTIONS or source.info.kind is SourceKind.PRIVATE:
            return
        base = f"{chat.id}:{telegram_id}"
        actor_name = actor.name if actor else ""
        if action in ("join_group_by_link", "join_group_by_request"):
            via = "link" if action == "join_group_by_link" else "request"
            source.membership(MembershipRecord(MembershipKind.JOINED, date, actor, actor_name, actor, via, f"{base}:0"))
            return
        members = message.get("members")
        names = [m if isinstance(m, str) else "" for m in members] if isinstance(members, list) else []
        for position, name in enumerate(names):
            is_self = bool(actor_name) and name == actor_name
            member = actor if is_self else None
            if action == "invite_members":
                kind, via = MembershipKind.JOINED, ("joined" if is_self else "invite")
            else:
                kind, via = (MembershipKind.LEFT, "self") if is_self else (MembershipKind.REMOVED, "moderator")
            source.membership(MembershipRecord(kind, date, member, name, actor, via, f"{base}:{position}"))


def _media(message: dict[str, Any]) -> tuple[str | None, dict[str, Any] | None]:
    kind: str | None = None
    if "media_type" in message:
        kind = _MEDIA_TYPES.get(str(message["media_type"]), str(message["media_type"])[:32])
    elif "photo" in message:
        kind = "photo"
    elif "poll" in message:
        kind = "poll"
    elif "file" in message:
        kind = "document"
    elif "location_information" in message:
        kind = "location"
    elif "contact_information" in message:
        kind = "contact"
    if kind is None:
        return None, None
    meta = {k: message[k] for k in _MEDIA_FIELDS if k in message}
    if "photo" in message:
        meta["file"] = message["photo"]
    return kind, meta or None
