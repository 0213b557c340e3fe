"""Import a Telegram Desktop export into the log.

Turns each exported message into a :class:`MessageRecord` (and service actions into membership events and
forum topics) and hands them to the store's ingestor. Anything that cannot be read is skipped with its reason
and position and listed in the summary; nothing readable is dropped.

Exports from every Telegram Desktop version since 2019 are read: sender ids as "user123" or (older) as bare
numbers, dates with or without ``date_unixtime``, text as a string or as a list of parts. Hand-edited files
whose message ids repeat within a chat keep every message (see :func:`repeat_key`).
"""

from __future__ import annotations

import contextlib
import time
from array import array
from bisect import bisect_left
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Final
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
from moderator_app.importers.export_reader import ChatHeader, ExportError, ExportReader
from moderator_app.store.import_writer import WriterProcess, write_behind_for
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

#: Dates Telegram cannot have written: before 2013 (Telegram began that August), or far in the future: over
#: a year after the import (a computer whose clock is somewhat wrong must not make real messages impossible).
#: A ``date_unixtime`` outside them ("0000000000" in some hand-edited files) gives way to the local ``date``.
EARLIEST_DATE: Final = datetime(2013, 1, 1, tzinfo=UTC)
_EARLIEST_UNIX: Final = int(EARLIEST_DATE.timestamp())
FUTURE_MARGIN: Final = timedelta(days=365)

#: A repeated id's stored key is ``-(id * REPEAT_SPAN + n)`` for its n-th repeat (see :func:`repeat_key`).
REPEAT_SPAN: Final = 1 << 24
_MAX_REPEATED_ID: Final = 1 << 38  # keeps every key within a signed 64-bit integer

#: Chat kinds whose messages can be told apart as staff or member only with staff ids (a channel posts as
#: itself, which is staff whatever the ids).
NEEDS_STAFF_KINDS = frozenset({SourceKind.GROUP, SourceKind.PRIVATE})


def repeat_key(telegram_id: int, n: int) -> int | None:
    """The stored id of the n-th repeat (n >= 1) of ``telegram_id`` within one chat of an export.

    Hand-anonymised exports reuse ids; each message is still its own. Real ids are never negative, so a
    negative key cannot collide with one, and the n-th repeat of an id in a file is the same on every import
    of it: a rerun stores nothing twice. None when the numbers are too large to encode.
    """
    if telegram_id < 0 or telegram_id >= _MAX_REPEATED_ID or not 0 < n < REPEAT_SPAN:
        return None
    return -(telegram_id * REPEAT_SPAN + n)


class ImportStopped(Exception):
    """A person asked the import to stop (Ctrl+C): it stopped between two messages, with what it read stored."""


@dataclass
class ImportSummary:
    """What an import did and what it left out, with reasons; printed for the person who ran it."""

    path: str
    chats: list[str] = field(default_factory=list)
    skipped_chats: list[str] = field(default_factory=list)
    #: Chats left out because no staff ids are known (see ``NEEDS_STAFF_KINDS``).
    needs_staff: list[str] = field(default_factory=list)
    skipped: Counter[str] = field(default_factory=Counter)
    skipped_examples: dict[str, str] = field(default_factory=dict)
    unknown_actions: Counter[str] = field(default_factory=Counter)
    local_dates: int = 0
    #: Messages whose ``date_unixtime`` was impossible or unreadable: their local ``date`` was used.
    bad_unixtime: int = 0
    bad_unixtime_example: str = ""
    #: Messages whose id repeated an earlier one of the same chat: kept apart (see :func:`repeat_key`).
    repeated_ids: int = 0
    repeated_example: str = ""
    #: Topic renames (``topic_edit``) that name no topic: exports do not say which topic was renamed.
    unplaced_topic_edits: int = 0
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
        if c.topics_stored or c.topics_renamed:
            out.append(f"  forum topics stored: {c.topics_stored:,}; renamed: {c.topics_renamed:,}")
        if self.skipped_chats:
            out.append(f"  chats left out: {'; '.join(self.skipped_chats)}")
        if self.needs_staff:
            out.append(
                "  to import the chats left out for want of staff ids, rerun with --staff ID[,ID...] (the "
                "numeric Telegram user ids of the organization's accounts)"
            )
        if self.local_dates:
            out.append(
                f"  {self.local_dates:,} messages had no date_unixtime: their local 'date' was read in the "
                "service time zone"
            )
        if self.bad_unixtime:
            out.append(
                f"  warning: {self.bad_unixtime:,} messages had an impossible date_unixtime (unreadable, before "
                f"2013 or over a year after the import; first: {self.bad_unixtime_example}): their local 'date' was "
                "used instead, read in the service time zone"
            )
        if self.repeated_ids:
            out.append(
                f"  {self.repeated_ids:,} messages repeated the id of an earlier message of the same chat (first: "
                f"{self.repeated_example}); each was kept as a message of its own, stored under the id "
                f"-(id x {REPEAT_SPAN:,} + n) for the n-th repeat, the same on every import of this file; a reply "
                "to a repeated id points at the latest message before it with that id"
            )
        if self.unplaced_topic_edits:
            out.append(
                f"  {self.unplaced_topic_edits:,} topic renames (topic_edit) do not say which topic they renamed "
                "(exports leave it out): those topics keep the title they were created with"
            )
        for reason, count in self.skipped.most_common():
            out.append(f"  skipped {count:,}: {reason} (first at {self.skipped_examples[reason]})")
        for action, count in self.unknown_actions.most_common():
            out.append(
                f"  {count:,} service messages with the unknown action {action!r}: kept in the log as service "
                "messages, counted in nothing"
            )
        return out

    def stopped_lines(self, *, file_error: bool) -> list[str]:
        """What a run that stopped half-way stored, exactly, and what to run next.

        ``file_error``: the file itself broke off (truncated or malformed): the messages read before the break
        were stored, and the same file cannot give more. Otherwise (an interruption, a failure), the batch
        being built was not stored, and rerunning the same command resumes.
        """
        c = self.counts
        stored = f"{c.messages_committed:,} messages and {c.membership_committed:,} membership events"
        already = f" ({c.messages_already_stored:,} messages were already there)" if c.messages_already_stored else ""
        if file_error:
            return [
                f"Stored in the log by this run: {stored}, every message before that point{already}.",
                "Export again (or copy the file again) and rerun the same command on the whole file: it resumes, "
                "and what is already in the log is not stored twice.",
            ]
        lost = c.messages_stored - c.messages_committed
        return [
            f"Stored in the log by this run before it stopped: {stored}{already}"
            + (f"; the {lost:,} messages of the batch in progress were not stored." if lost else "."),
            "Run the same command again to resume: what is already in the log is not stored twice.",
        ]


def parse_peer(value: Any, name: Any) -> Peer | None:
    """``user123`` / ``channel123`` / ``chat123`` -> Peer; None when absent or unreadable.

    A bare number is a user id: exports from 2019 to 2021 wrote ``"from_id": 302373742``.
    """
    label = name if isinstance(name, str) else ""
    if type(value) is int:
        return Peer("user", value, label) if value > 0 else None
    if not isinstance(value, str):
        return None
    for prefix, peer_type in (("user", "user"), ("channel", "channel"), ("chat", "channel")):
        if value.startswith(prefix) and value[len(prefix) :].isdigit():
            return Peer(peer_type, int(value[len(prefix) :]), label)
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


def _user_id(value: Any) -> int | None:
    """A ``mention_name`` part's ``user_id``: a number in Telegram Desktop's files, text in some others."""
    if type(value) is int:
        return value if value > 0 else None
    if isinstance(value, str):
        digits = value.removeprefix("user")
        return int(digits) if digits.isdigit() and int(digits) > 0 else None
    return None


def text_and_mentions(value: Any, entities: Any) -> tuple[str, tuple[int, ...]]:
    """A message's text, and the user ids its text mentions (``mention_name``) name, in order, once each.

    Text with entities is a list of parts; a file that carries only ``text_entities`` gives both from those.
    """
    parts = value if isinstance(value, list) else entities if value is None and isinstance(entities, list) else None
    if parts is None:
        return flatten_text(value), ()
    mentioned: list[int] = []
    for part in parts:
        if isinstance(part, dict) and part.get("type") == "mention_name":
            user_id = _user_id(part.get("user_id"))
            if user_id is not None and user_id not in mentioned:
                mentioned.append(user_id)
    return flatten_text(parts), tuple(mentioned)


class _Forum:
    """A forum supergroup's topics while its messages are read: the roots, and each message's topic.

    A message is in topic T when its reply points at T's root (then it replies to no one), or at a message in
    T (a reply inside the topic). Messages outside any topic ("General") are not recorded, and the others in
    16 bytes each (their ids arrive in increasing order; the rare one out of order goes to a dict).
    """

    def __init__(self) -> None:
        self.roots: set[int] = set()
        self._ids = array("q")
        self._topics = array("q")
        self._late: dict[int, int] = {}

    def place(self, key: int, reply_to: int | None) -> tuple[int | None, int | None]:
        """The message's (topic, reply_to)."""
        if reply_to is None:
            return None, None
        if reply_to in self.roots:
            topic = reply_to
            reply_to = None
        else:
            found = self.topic_of(reply_to)
            if found is None:
                return None, reply_to
            topic = found
        ids = self._ids
        if not ids or key > ids[-1]:
            ids.append(key)
            self._topics.append(topic)
        else:
            self._late[key] = topic
        return topic, reply_to

    def topic_of(self, key: int) -> int | None:
        ids = self._ids
        if ids and key <= ids[-1]:
            i = bisect_left(ids, key)
            if i < len(ids) and ids[i] == key:
                return self._topics[i]
        return self._late.get(key)


class ExportImporter:
    def __init__(
        self,
        ingestor: Ingestor,
        timezone: ZoneInfo,
        *,
        source_name: str | None = None,
        on_progress: Callable[[int, int], None] | None = None,
        write_behind: bool | None = None,
    ) -> None:
        self.ingestor = ingestor
        #: Batches written by a second process while the next is read (see store.import_writer): True or
        #: False to choose, None for "when the export is large enough".
        self.write_behind = write_behind
        self.timezone = timezone
        self.source_name = source_name
        self.on_progress = on_progress
        self._private: SourceIngest | None = None
        self._peers: dict[tuple[Any, Any], Peer | None] = {}
        self._folder = Path()
        self._latest_unix = 0
        self._latest = EARLIEST_DATE
        # The chat being read (see _start_chat).
        self._own: Peer | None = None
        self._default_sender: Peer | None = None
        self._last_id = -1
        self._track_seen = False
        self._seen = array("q")
        self._seen_late: set[int] = set()
        self._repeats: dict[int, int] = {}
        self._forum: _Forum | None = None
        #: The summary of the run in progress (what was done so far, should it stop half-way); None until the
        #: file is known to be an export.
        self.summary: ImportSummary | None = None
        #: Set (from a signal handler, say) to stop between two messages: what was read is stored, then
        #: :class:`ImportStopped` is raised.
        self.stop_requested = False

    def run(self, path: Path) -> ImportSummary:
        with contextlib.ExitStack() as stack:
            stack.enter_context(fewer_collections())
            writer = self._writer_for(path)
            if writer is not None:
                stack.enter_context(writer)  # ended last, after the ingestor has waited for its last batch
                stack.enter_context(self.ingestor.writing_behind(writer))
            return self._run(path)

    def _writer_for(self, path: Path) -> WriterProcess | None:
        if self.write_behind is False:
            return None
        try:
            size = path.stat().st_size
        except OSError:
            size = 0  # the reader says what is wrong with the file
        return write_behind_for(self.ingestor.db, size, always=bool(self.write_behind))

    def _run(self, path: Path) -> ImportSummary:
        self.summary = None
        reader = ExportReader(path, self.on_progress)  # refuses a file that is no export before anything else
        summary = self.summary = ImportSummary(path=str(path))
        self._folder = path.resolve().parent
        self._latest = datetime.now(UTC) + FUTURE_MARGIN
        self._latest_unix = int(time.time() + FUTURE_MARGIN.total_seconds())
        summary.counts = self.ingestor.counts
        current_key: tuple[int, str] | None = None
        current: SourceIngest | None = None
        chat: ChatHeader | None = None
        seen_private = False
        index = 0
        try:
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
                if self.stop_requested:
                    self.ingestor.flush()
                    raise ImportStopped("stopped as asked (Ctrl+C)")
                if current is None:
                    continue
                self._message(current, chat, message, index, summary)
        except ExportError:
            # The file breaks off here; every message read before is whole: store them, so the log holds
            # exactly what the file gave (the error's message says so).
            self.ingestor.flush()
            raise
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
        if kind in NEEDS_STAFF_KINDS and not self.ingestor.staff:
            summary.skipped_chats.append(f"{label} ({chat.type}: needs staff ids)")
            summary.needs_staff.append(label)
            return None
        self._start_chat(chat, kind)
        if kind is SourceKind.PRIVATE:
            if chat.id in self.ingestor.staff:
                summary.skipped_chats.append(f"{label} (a staff account)")
                return None
            if self._private is None:
                self._private = self.ingestor.source(
                    SourceRef(SourceKind.PRIVATE, 0, PRIVATE_SOURCE_NAME, "personal_chat")
                )
            summary.chats.append(f"{label} (private)")
            source = self._private
        else:
            name = self.source_name if (self.source_name and layout == "single") else label
            summary.chats.append(name)
            source = self.ingestor.source(SourceRef(kind, chat.id, name, chat.type))
        # A chat new to the log: what the log holds of it is what this run read, so the log's ids tell a
        # repeated id. Otherwise this run keeps its own list of the chat's ids (8 bytes a message).
        self._track_seen = chat.id in source.stored.chats()
        return source

    def _start_chat(self, chat: ChatHeader, kind: SourceKind) -> None:
        """Forget the previous chat's ids, topics and senders: each chat's messages come together."""
        self._peers.clear()
        # A group or channel speaks as itself with its own id (anonymous admins, channel posts); in a private
        # chat that id is the other person's.
        self._own = None if kind is SourceKind.PRIVATE else Peer("channel", chat.id, chat.name)
        # Channel posts of older exports name no sender: a channel's messages are all its own.
        self._default_sender = self._own if kind is SourceKind.CHANNEL else None
        self._last_id = -1
        self._seen = array("q")
        self._seen_late = set()
        self._repeats = {}
        self._forum = None

    def _where(self, chat: ChatHeader, telegram_id: int) -> str:
        return f"chat {chat.name or chat.id!r}, message id {telegram_id}"

    def _again(self, source: SourceIngest, chat: ChatHeader, telegram_id: int, summary: ImportSummary) -> int | None:
        """The key of a message whose id is not above the chat's highest so far: its own id when the id is
        new (out of order), a distinct key when it repeats one (see :func:`repeat_key`); None to skip it."""
        if telegram_id < 0:
            summary.skip('a message with a negative "id"', self._where(chat, telegram_id))
            return None
        if self._track_seen:
            seen = self._seen
            i = bisect_left(seen, telegram_id)
            new = not (i < len(seen) and seen[i] == telegram_id) and telegram_id not in self._seen_late
            if new:
                self._seen_late.add(telegram_id)
        else:
            new = not source.has(chat.id, telegram_id)
        if new:
            return telegram_id
        n = self._repeats.get(telegram_id, 0) + 1
        key = repeat_key(telegram_id, n)
        if key is None:
            summary.skip("a repeated id too large to keep apart", self._where(chat, telegram_id))
            return None
        self._repeats[telegram_id] = n
        summary.repeated_ids += 1
        if not summary.repeated_example:
            summary.repeated_example = self._where(chat, telegram_id)
        return key

    def _reply(self, value: Any, own_id: int) -> int | None:
        """A ``reply_to_message_id`` (of the message with id ``own_id``) as the key it points at."""
        if type(value) is not int:
            return None
        if self._repeats and value in self._repeats:
            return self._latest_key(value, own_id)
        return value

    def _latest_key(self, telegram_id: int, own_id: int) -> int:
        """The key of the latest message before this one with a repeated id (this one may be among them)."""
        n = self._repeats[telegram_id] - (telegram_id == own_id)
        return (repeat_key(telegram_id, n) or telegram_id) if n else telegram_id

    def _follow(self, key: int, telegram_id: int, message: dict[str, Any]) -> None:
        """A message the log already has: keep track of the forum's topics for the messages after it."""
        if message.get("type") == "service":
            if message.get("action") == "topic_created":
                if self._forum is None:
                    self._forum = _Forum()
                self._forum.roots.add(key)
            return
        if self._forum is not None:
            self._forum.place(key, self._reply(message.get("reply_to_message_id"), telegram_id))

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
        if telegram_id > self._last_id:  # the usual case: ids increase through a chat
            self._last_id = telegram_id
            if self._track_seen:
                self._seen.append(telegram_id)
            key = telegram_id
        else:
            again = self._again(source, chat, telegram_id, summary)
            if again is None:
                return
            key = again
        if source.has(chat.id, key):
            source.resumed = True  # its sender is read from the log when the source finishes
            source.ingestor.counts.messages_already_stored += 1
            if self._forum is not None or message.get("type") == "service":
                self._follow(key, telegram_id, message)
            return
        unix = message.get("date_unixtime")
        date: datetime | None = None
        if unix is not None:
            date = self._unix(unix)
            if date is None:
                summary.bad_unixtime += 1
                if not summary.bad_unixtime_example:
                    summary.bad_unixtime_example = f"{self._where(chat, telegram_id)}, {unix!r}"
        if date is None:
            date = self._local_date(message, "date", summary if unix is None else None)
            if date is None:
                summary.skip('a message without a readable "date"', self._where(chat, telegram_id))
                return
            if not EARLIEST_DATE <= date <= self._latest:
                summary.skip(
                    "a message dated before 2013 or over a year after the import", self._where(chat, telegram_id)
                )
                return
        mtype = message.get("type")
        if mtype == "message":
            text = message.get("text")
            mentioned: tuple[int, ...] = ()
            if type(text) is not str:
                text, mentioned = text_and_mentions(text, message.get("text_entities"))
            media_kind, media = _media(message) if not _MEDIA_KEYS.isdisjoint(message) else (None, None)
            if media is not None and "file" in media:
                media["file"] = self._local_file(media["file"])
            if media_kind == "poll" and not text:
                poll = message.get("poll")
                text = str(poll.get("question", "")) if isinstance(poll, dict) else ""
            reply_to = message.get("reply_to_message_id")
            if type(reply_to) is not int:
                reply_to = None
            elif self._repeats and reply_to in self._repeats:
                reply_to = self._latest_key(reply_to, telegram_id)
            topic = None
            if self._forum is not None:
                topic, reply_to = self._forum.place(key, reply_to)
            forwarded = message.get("forwarded_from")
            source.message(
                MessageRecord(
                    chat.id,
                    key,
                    date,
                    self._peer(message.get("from_id"), message.get("from")) or self._default_sender,
                    text,
                    reply_to,
                    media_kind,
                    media,
                    False,
                    None,
                    forwarded if isinstance(forwarded, str) else None,
                    self._edited(message) if "edited" in message else None,
                    topic_id=topic,
                    mentioned_ids=mentioned,
                ),
                checked=True,
            )
        elif mtype == "service":
            self._service(source, chat, message, key, telegram_id, date, summary)
        else:
            summary.skip(f"a message of unknown type {mtype!r}", self._where(chat, telegram_id))

    def _local_date(self, message: dict[str, Any], key: str, summary: ImportSummary | None) -> datetime | None:
        """The local ``date`` (older exports have nothing else), read in the service time zone."""
        local = message.get(key)
        if not isinstance(local, str):
            return None
        try:
            parsed = datetime.fromisoformat(local)
        except ValueError:
            return None
        if summary is not None:
            summary.local_dates += 1
        return parsed.replace(tzinfo=self.timezone) if parsed.tzinfo is None else parsed

    def _unix(self, unix: Any) -> datetime | None:
        """A ``*_unixtime`` value as an instant, or None when it is unreadable or impossible ("0000000000")."""
        try:
            seconds = int(unix)
        except (TypeError, ValueError):
            return None
        return datetime.fromtimestamp(seconds, UTC) if _EARLIEST_UNIX <= seconds <= self._latest_unix else None

    def _edited(self, message: dict[str, Any]) -> datetime | None:
        unix = message.get("edited_unixtime")
        if unix is not None:
            edited_at = self._unix(unix)
            if edited_at is not None:
                return edited_at
        edited = self._local_date(message, "edited", None)
        return edited if edited is not None and EARLIEST_DATE <= edited <= self._latest else None

    def _local_file(self, value: Any) -> Any:
        """The export names files relative to its folder; the window opens them by absolute path. A file the
        export left out ("(File not included...)") or that is not there stays as written."""
        if not isinstance(value, str) or not value or value.startswith("("):
            return value
        candidate = self._folder / value  # an absolute "file" replaces the folder: it is checked like any other
        try:
            resolved = candidate.resolve()
            inside = resolved.is_relative_to(self._folder)
        except (OSError, ValueError):
            inside, resolved = False, candidate
        if not inside:
            # "/etc/shadow", "../../.ssh/id_rsa", a link out of the folder: never kept, so never opened.
            return f"(File outside the export's folder, not kept: {Path(value).name})"
        return str(resolved) if resolved.is_file() else value

    def _peer(self, value: Any, name: Any) -> Peer | None:
        """Peers repeat: parse each (id, name) once per chat. An id or name of another shape (a list, an
        object: no export writes one) is no id or name, as parse_peer reads it."""
        if not isinstance(value, str | int):
            value = None
        if not isinstance(name, str):
            name = None
        key = (value, name)
        peer = self._peers.get(key)
        if peer is None and key not in self._peers:
            own = self._own
            if own is not None and type(value) is int and value == own.telegram_id:
                # An older export's bare number that is the chat's own id: the group or channel itself.
                peer = Peer("channel", value, name if isinstance(name, str) else own.name)
            else:
                peer = parse_peer(value, name)
            self._peers[key] = peer
        return peer

    def _service(
        self,
        source: SourceIngest,
        chat: ChatHeader,
        message: dict[str, Any],
        telegram_id: int,
        raw_id: int,
        date: datetime,
        summary: ImportSummary,
    ) -> None:
        """``telegram_id``: the key the message is stored under; ``raw_id``: the id the file gives it."""
        action = message.get("action")
        action = action if isinstance(action, str) else "unknown"
        actor = self._peer(message.get("actor_id"), message.get("actor"))
        if action not in KNOWN_ACTIONS:
            summary.unknown_actions[action] += 1
        topic = (
            self._topic_action(source, action, message, telegram_id, raw_id, date, summary)
            if "topic" in action
            else None
        )
        source.message(
            MessageRecord(
                chat_id=chat.id,
                telegram_id=telegram_id,
                date=date,
                sender=actor,
                text=flatten_text(message.get("text")),
                is_service=True,
                action=action[:64],
                topic_id=topic,
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

    def _topic_action(
        self,
        source: SourceIngest,
        action: str,
        message: dict[str, Any],
        key: int,
        raw_id: int,
        date: datetime,
        summary: ImportSummary,
    ) -> int | None:
        """A forum topic created (the message is its root) or renamed: the topic it belongs to, logged."""
        if action == "topic_created":
            if self._forum is None:
                self._forum = _Forum()
            self._forum.roots.add(key)
            title = message.get("title")
            source.topic(key, title[:255] if isinstance(title, str) else "", date)
            return key
        if action != "topic_edit":
            return None
        title = message.get("new_title", message.get("title"))
        # Telegram Desktop writes no reply for a rename; other tools' files may name the topic's root.
        root = self._reply(message.get("reply_to_message_id"), raw_id)
        forum = self._forum
        topic = None
        if forum is not None and root is not None:
            topic = root if root in forum.roots else forum.topic_of(root)
        if not isinstance(title, str) or not title:
            return topic
        if topic is None:
            summary.unplaced_topic_edits += 1
            return None
        source.topic(topic, title[:255])
        return topic


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
