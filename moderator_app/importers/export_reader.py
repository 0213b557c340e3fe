"""Streaming reader for Telegram Desktop ``result.json`` exports (single chat or whole account).

Exports can be gigabytes, so nothing is loaded whole. Messages are built by ijson's C backend; the only
thing its item stream cannot tell us is which chat a message belongs to in a full-account export. We learn
that by cutting the byte stream right before each ``"messages"`` key: ijson consumes and yields everything
before a cut before it asks for the bytes after it, so a chat header parsed at a cut applies exactly to the
messages yielded after it. Should an export not have the header where Telegram Desktop writes it, the reader
falls back to an exact (slower) event-by-event parse.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Final

import ijson
from ijson.common import IncompleteJSONError, JSONError, ObjectBuilder

CHUNK = 1 << 16
_MESSAGES_KEY = b'"messages"'
# The header of a chat object as Telegram Desktop writes it: simple "name"/"type"/"id" pairs right before
# "messages". Strings may contain escaped quotes; values may also be numbers or null.
_HEADER = re.compile(
    rb'\{\s*((?:"(?:name|type|id)"\s*:\s*(?:"(?:[^"\\]|\\.)*"|-?\d+|null)\s*,\s*)+)$',
    re.DOTALL,
)
_HEADER_WINDOW = 8192
_LOOKAHEAD = 64
# A real "messages" key opens an array; the same word as a string value is followed by , } or ].
_MESSAGES_ARRAY = re.compile(rb'"messages"\s*:\s*\[')


class ExportError(Exception):
    """The file is not a readable export: says which file, where, and what was expected."""

    def __init__(self, path: Path, message: str, position: int | None = None) -> None:
        where = f" (at byte {position:,})" if position is not None else ""
        super().__init__(f"{path}{where}: {message}")
        self.path = path
        self.position = position


@dataclass(frozen=True)
class ChatHeader:
    name: str
    type: str
    id: int


@dataclass(frozen=True)
class ExportLayout:
    kind: str  # "single" | "account"
    message_prefix: str


class _HeaderNotFound(Exception):
    pass


#: How deep an export's JSON may nest. Telegram Desktop's nests about six levels (a message's text entities);
#: 30,000 nested brackets in 60 KB took 2.3 GB to parse (the parser's path strings grow with every level).
MAX_NESTING: Final = 64
#: MAX_NESTING openings with no closing between them (keys and values may stand between): how deep nesting
#: is written. Possessive, so it never backtracks.
_DEEP_RE: Final = re.compile(rb"[\[{](?:[^\[\]{}]*+[\[{]){%d}" % (MAX_NESTING - 1))
_OPENING_RE: Final = re.compile(rb"[\[{]")
_BRACKETS_ONLY: Final = (bytes.maketrans(b"{}", b"[]"), bytes(b for b in range(256) if b not in b"[]{}"))
_RUN: Final = b"[" * MAX_NESTING
_OVERLAP: Final = 16_384  # bytes of the previous read looked at again: a run may straddle two reads


class _Guarded:
    """A file wrapper for the parser that refuses JSON nested deeper than MAX_NESTING before it is parsed.

    Each read is first reduced to its brackets (one C pass, about 1 ms per MB): only where MAX_NESTING openings
    follow one another with no closing between them is the text looked at closely, and openings inside a
    string (a member who typed 64 "[") are told apart (see _look_closely). Nesting that closes as it goes
    ("[[],[[],[…") is not caught by this; Telegram's exports never write it."""

    def __init__(self, raw: IO[bytes], path: Path) -> None:
        self.raw = raw
        self.path = path
        self._carry = b""  # the last brackets of the reads before
        self._before = b""  # the last bytes of the reads before
        self._offset = 0

    def read(self, size: int = -1) -> bytes:
        data = self.raw.read(size)
        if data:
            reduced = self._carry + data.translate(*_BRACKETS_ONLY)
            if _RUN in reduced:
                self._look_closely(self._before + data, self._offset - len(self._before))
            self._carry = reduced[-MAX_NESTING:]
            self._before = data[-_OVERLAP:] if len(data) >= _OVERLAP else (self._before + data)[-_OVERLAP:]
            self._offset += len(data)
        return data

    def _look_closely(self, window: bytes, start: int) -> None:
        """Refuse if MAX_NESTING of a run's openings are outside strings. Telegram Desktop writes each string on
        a line of its own, so an opening is in a string when an odd number of quotes precede it on its line; a
        window with no line break (a file on one line, which Telegram never writes) counts every opening."""
        for found in _DEEP_RE.finditer(window):
            outside = 0
            for opening in _OPENING_RE.finditer(window, found.start(), found.end()):
                position = opening.start()
                line_start = window.rfind(b"\n", 0, position)
                if line_start >= 0:
                    line = window[line_start + 1 : position]
                    if (line.count(b'"') - line.count(b'\\"')) % 2:
                        continue  # in a string: text, not nesting
                outside += 1
            if outside >= MAX_NESTING:
                raise ExportError(
                    self.path,
                    f"the JSON nests more than {MAX_NESTING} levels deep here (a Telegram export nests about "
                    "six): this is not a Telegram export",
                    start + found.start(),
                )

    def tell(self) -> int:
        return self.raw.tell()


class _CuttingReader:
    """A file wrapper for ijson that stops each read at the next ``"messages"`` key."""

    def __init__(self, raw: IO[bytes] | _Guarded, on_read: Callable[[int], None]) -> None:
        self.raw = raw
        self.on_read = on_read
        self.buffer = b""
        self.tail = b""  # the last bytes handed out: the header of the chat at a cut lies in them
        self.position = 0  # bytes handed to the parser so far
        self.header: ChatHeader | None = None
        self._next: tuple[ChatHeader | None] | None = None
        self.eof = False

    def read(self, size: int = CHUNK) -> bytes:
        if size == 0:  # ijson probes with read(0) to learn whether the file gives bytes or text
            return b""
        if self._next is not None:
            (self.header,) = self._next
            self._next = None
        if not self.eof and len(self.buffer) < size + _LOOKAHEAD:
            more = self.raw.read(max(size, CHUNK))
            if more:
                self.buffer += more
            else:
                self.eof = True
        if not self.buffer:
            return b""
        # Only positions with enough bytes after them can be checked for being a key.
        limit = len(self.buffer) if self.eof else len(self.buffer) - _LOOKAHEAD
        cut = self.buffer.find(_MESSAGES_KEY, 1, max(limit, 1) + len(_MESSAGES_KEY))
        while cut > 0 and cut < limit and _MESSAGES_ARRAY.match(self.buffer, cut) is None:
            cut = self.buffer.find(_MESSAGES_KEY, cut + 1, limit + len(_MESSAGES_KEY))
        if 0 < cut < limit:
            out = self.buffer[:cut]
            self.buffer = self.buffer[cut:]
            self._hand_out(out)
            self._next = (self._parse_header(),)
            return out
        if limit <= 0:  # a short buffer that is not the end: wait for more before deciding
            more = self.raw.read(CHUNK)
            if more:
                self.buffer += more
                return self.read(size)
            self.eof = True
            limit = len(self.buffer)
        out = self.buffer[:limit]
        self.buffer = self.buffer[limit:]
        self._hand_out(out)
        return out

    def _hand_out(self, data: bytes) -> None:
        self.position += len(data)
        self.tail = (self.tail + data)[-_HEADER_WINDOW:]
        self.on_read(self.position)

    def _parse_header(self) -> ChatHeader | None:
        match = _HEADER.search(self.tail)
        if match is None:
            return None
        try:
            fields = json.loads(b"{" + match.group(1).rstrip().rstrip(b",") + b"}")
        except ValueError:
            return None
        if _chat_id(fields.get("id")) is None:
            return None  # read again event by event, which says what is wrong with it
        return chat_header(fields, Path())


#: A chat's field that is an object or a list (where a number or text belongs), as parse events give it.
_STARTS: Final[dict[str, Any]] = {"start_map": {}, "start_array": []}
_ENDS: Final = frozenset(("end_map", "end_array"))


def _chat_id(value: Any) -> int | None:
    """A chat's "id": a number (older tools wrote it as a string of digits); anything else is no id."""
    if type(value) is int:
        return value
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value)
    return None


def chat_header(fields: Mapping[str, Any], path: Path) -> ChatHeader:
    """A chat's name, type and id; an id that is no number is said, with the chat's name."""
    name = fields.get("name")
    name = name if isinstance(name, str) else ""
    kind = fields.get("type")
    chat_id = _chat_id(fields.get("id"))
    if chat_id is None:
        value = fields.get("id")
        shown = (
            "an object"
            if isinstance(value, dict)
            else "a list"
            if isinstance(value, list)
            else "none"
            if value is None
            else json.dumps(value, ensure_ascii=False)[:40]
        )
        chat = name or "(no name)"
        raise ExportError(path, f'the chat {chat!r} has as its "id" {shown}, not a number: no Telegram export does')
    return ChatHeader(name=name, type=kind if isinstance(kind, str) else "", id=chat_id)


def _is_truncation(exc: Exception) -> bool:
    """ijson's C backend raises IncompleteJSONError for bad syntax too; only a premature end is truncation."""
    text = str(exc).lower()
    return "premature eof" in text or "incomplete json" in text


def _first_line(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


def detect_layout(path: Path) -> ExportLayout:
    """Single-chat exports have ``messages`` at the top; full-account exports have ``chats.list``.

    Pushes the file in chunks so a decision needs only the first bytes, and a short truncated file is
    still recognised before its end is reached.
    """
    events = ijson.sendable_list()
    parser = ijson.parse_coro(events)
    try:
        with path.open("rb") as opened:
            raw = _Guarded(opened, path)
            # Small pieces: the C parser hands events on only as later bytes arrive.
            while chunk := raw.read(1024):
                parser.send(chunk)
                for prefix, event, _value in events:
                    if prefix == "messages" and event == "start_array":
                        return ExportLayout("single", "messages.item")
                    if prefix == "chats.list" and event == "start_array":
                        return ExportLayout("account", "chats.list.item.messages.item")
                del events[:]
            parser.close()
    except JSONError as exc:
        if _is_truncation(exc):
            raise ExportError(
                path, "the file ends before the export does: it is truncated", path.stat().st_size
            ) from exc
        raise ExportError(
            path,
            f"this is not JSON ({_first_line(exc)}). Choose the result.json of an export made with the "
            'format "Machine-readable JSON"',
        ) from exc
    except UnicodeDecodeError as exc:
        raise ExportError(path, "this is not a UTF-8 JSON file", exc.start) from exc
    raise ExportError(
        path,
        'this JSON is not a Telegram Desktop export: expected a top-level "messages" list (Export chat '
        'history) or "chats": {"list": [...]} (Export Telegram data), in machine-readable JSON format',
    )


class ExportReader:
    """Yields ``(chat header, message dict)`` pairs in file order."""

    def __init__(self, path: Path, on_progress: Callable[[int, int], None] | None = None) -> None:
        self.path = path
        self.size = path.stat().st_size
        self.on_progress = on_progress
        self.layout = detect_layout(path)
        self.used_fallback = False
        self.position = 0

    def _progress(self, position: int) -> None:
        self.position = position
        if self.on_progress is not None:
            self.on_progress(position, self.size)

    def __iter__(self) -> Iterator[tuple[ChatHeader, dict[str, Any]]]:
        try:
            yield from self._fast()
        except _HeaderNotFound:
            self.used_fallback = True
            yield from self._exact()

    def _errors(self, exc: Exception) -> ExportError:
        if isinstance(exc, IncompleteJSONError) and _is_truncation(exc):
            return ExportError(
                self.path,
                "the file ends in the middle of the export: it is truncated (was the export finished, or the "
                "copy interrupted?)",
                self.position,
            )
        if isinstance(exc, UnicodeDecodeError):
            return ExportError(self.path, "the file is not UTF-8 text here", self.position)
        return ExportError(self.path, f"the JSON is malformed here ({_first_line(exc)})", self.position)

    def _fast(self) -> Iterator[tuple[ChatHeader, dict[str, Any]]]:
        with self.path.open("rb") as opened:
            raw = _Guarded(opened, self.path)
            reader = _CuttingReader(raw, self._progress)
            try:
                for message in ijson.items(reader, self.layout.message_prefix, use_float=True):
                    header = reader.header
                    if header is None:
                        raise _HeaderNotFound
                    yield header, message
            except (JSONError, UnicodeDecodeError) as exc:
                raise self._errors(exc) from exc

    def _exact(self) -> Iterator[tuple[ChatHeader, dict[str, Any]]]:
        """Event by event: slower, but indifferent to key order and formatting.

        Messages that come before their chat's "id" (never so in Telegram Desktop's files) wait in memory
        until the chat object ends.
        """
        chat_prefix = "" if self.layout.kind == "single" else "chats.list.item"
        message_prefix = self.layout.message_prefix
        sep = "." if chat_prefix else ""
        name_key, type_key, id_key = (f"{chat_prefix}{sep}{k}" for k in ("name", "type", "id"))
        header: dict[str, Any] = {}
        waiting: list[dict[str, Any]] = []
        builder: ObjectBuilder | None = None

        def chat() -> ChatHeader:
            return chat_header(header, self.path)

        with self.path.open("rb") as opened:
            raw = _Guarded(opened, self.path)
            try:
                for prefix, event, value in ijson.parse(raw, use_float=True):
                    if builder is not None:
                        builder.event(event, value)
                        if prefix == message_prefix and event == "end_map":
                            if "id" in header and "type" in header:
                                yield chat(), builder.value
                            else:
                                waiting.append(builder.value)
                            builder = None
                            self._progress(raw.tell())
                        continue
                    if prefix == message_prefix and event == "start_map":
                        builder = ObjectBuilder()
                        builder.event(event, value)
                    elif prefix == chat_prefix and event == "start_map":
                        header = {}
                    elif prefix == chat_prefix and event == "end_map" and waiting:
                        if "id" not in header:
                            raise ExportError(self.path, 'a chat has messages but no "id"', raw.tell())
                        for message in waiting:
                            yield chat(), message
                        waiting.clear()
                    elif prefix == name_key:
                        header["name"] = value
                    elif prefix == type_key:
                        header["type"] = value
                    elif prefix == id_key and event not in _ENDS:
                        header["id"] = _STARTS.get(event, value)
            except (JSONError, UnicodeDecodeError) as exc:
                self.position = raw.tell()
                raise self._errors(exc) from exc


# The account's own user id, written near the top of a full-account export (Telegram Desktop's
# "personal_information" block, before the chats).
_PERSONAL_USER_ID = re.compile(rb'"personal_information"\s*:\s*\{\s*"user_id"\s*:\s*(\d+)')
_LEFT_CHATS = re.compile(rb'"left_chats"\s*:\s*\{')  # the key (a text "left_chats" is followed by , } or ])


@dataclass(frozen=True)
class ExportChats:
    """What an export holds, read without parsing its messages."""

    layout: ExportLayout
    chats: list[ChatHeader]
    #: The user id of the account that made a full-account export (its "personal_information"), if written.
    account_user_id: int | None = None


def scan_chats(path: Path) -> ExportChats:
    """The chats of an export, from their headers: a byte scan (a second or so a gigabyte), no JSON parse.

    The import asks before it stores anything, when it needs to know whether the file holds any chat that
    needs staff ids. Chats the export lists under ``left_chats`` are not imported and are not listed. Should a
    header not be where Telegram Desktop writes it, the whole file is parsed for the headers instead (slower).
    """
    layout = detect_layout(path)
    chats: list[ChatHeader] = []
    account_user_id: int | None = None
    with path.open("rb") as opened:
        raw = _Guarded(opened, path)
        reader = _CuttingReader(raw, lambda _position: None)
        seen = b""
        first = True
        while data := reader.read(CHUNK):
            if first and layout.kind == "account":
                found = _PERSONAL_USER_ID.search(data)
                account_user_id = int(found.group(1)) if found else None
            first = False
            if layout.kind == "account" and _LEFT_CHATS.search(seen + data) is not None:
                break
            seen = data[-_LOOKAHEAD:]
            if reader._next is not None:
                (header,) = reader._next
                if header is None:
                    return ExportChats(layout, _exact_headers(path, layout), account_user_id)
                chats.append(header)
                if layout.kind == "single":
                    break
    return ExportChats(layout, chats, account_user_id)


def _exact_headers(path: Path, layout: ExportLayout) -> list[ChatHeader]:
    """Every chat's name, type and id by an event-by-event parse, wherever the keys are."""
    chat_prefix = "" if layout.kind == "single" else "chats.list.item"
    sep = "." if chat_prefix else ""
    keys = {f"{chat_prefix}{sep}{k}": k for k in ("name", "type", "id")}
    chats: list[ChatHeader] = []
    header: dict[str, Any] = {}

    def chat() -> ChatHeader:
        return chat_header(header, path)

    with path.open("rb") as opened:
        raw = _Guarded(opened, path)
        try:
            for prefix, event, value in ijson.parse(raw, use_float=True):
                if prefix in keys and event not in _ENDS:
                    header[keys[prefix]] = _STARTS.get(event, value)
                elif prefix == chat_prefix and event == "end_map" and "id" in header:
                    chats.append(chat())
                    header = {}
        except (JSONError, UnicodeDecodeError):
            if "id" in header:  # the chat the file breaks in: the import will say where
                chats.append(chat())
    return chats
