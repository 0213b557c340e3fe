"""Message storage for the fake server: one ordered store per conversation, with Telegram's history paging.

Histories are kept as ascending id lists so ``messages.getHistory`` windows are computed with bisect, which keeps
paging through 100,000 seeded messages cheap. Serialized messages are cached per viewer for the same reason.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from typing import Any

# A conversation: ("user", low_id, high_id) for a private chat, ("chat", id, 0) or ("channel", id, 0).
PeerKey = tuple[str, int, int]


def private_key(a: int, b: int) -> PeerKey:
    """The key of the private conversation between two users, independent of who is asking."""
    return ("user", min(a, b), max(a, b))


@dataclass(slots=True)
class Media:
    """A file attached to a message; ``kind`` is "voice", "photo" or "document"."""

    file_id: int
    access_hash: int
    kind: str
    data: bytes
    date: int
    mime_type: str
    file_name: str | None = None
    duration: int = 0


@dataclass(slots=True, eq=False)
class StoredMessage:
    """A message as the server keeps it; rendered per viewer (``out``, private peer) when sent."""

    id: int
    peer: PeerKey
    sender_id: int | None
    date: int
    text: str = ""
    reply_to: int | None = None
    media: Media | None = None
    action: Any = None
    entities: list[Any] | None = None
    edit_date: int | None = None
    views: int | None = None
    post: bool = False
    cache: dict[int, bytes] = field(default_factory=dict)


class MessageStore:
    """The messages of one conversation, ascending by id."""

    __slots__ = ("by_id", "ids")

    def __init__(self) -> None:
        self.ids: list[int] = []
        self.by_id: dict[int, StoredMessage] = {}

    def __len__(self) -> int:
        return len(self.ids)

    def append(self, message: StoredMessage) -> None:
        """Add a message whose id is higher than every id already stored."""
        if self.ids and message.id <= self.ids[-1]:
            raise ValueError("message ids must increase")
        self.ids.append(message.id)
        self.by_id[message.id] = message

    def get(self, message_id: int) -> StoredMessage | None:
        return self.by_id.get(message_id)

    def remove(self, message_id: int) -> StoredMessage | None:
        message = self.by_id.pop(message_id, None)
        if message is not None:
            del self.ids[bisect_left(self.ids, message_id)]
        return message

    def top(self) -> StoredMessage | None:
        """The newest message (a dialog's top_message)."""
        return self.by_id[self.ids[-1]] if self.ids else None

    def all(self) -> list[StoredMessage]:
        by_id = self.by_id
        return [by_id[i] for i in self.ids]

    def count_after(self, message_id: int) -> int:
        return len(self.ids) - bisect_right(self.ids, message_id)

    def after(self, message_id: int) -> list[StoredMessage]:
        by_id = self.by_id
        return [by_id[i] for i in self.ids[bisect_right(self.ids, message_id) :]]

    def history(
        self, *, offset_id: int, offset_date: int, add_offset: int, limit: int, max_id: int, min_id: int
    ) -> list[StoredMessage]:
        """``messages.getHistory`` window, newest first.

        The history between min_id and max_id (exclusive) is ordered newest first; the window starts at the first
        message older than offset_id (or, without offset_id, sent before offset_date), shifted by add_offset
        (negative to look at newer messages) and holds at most ``limit`` messages. Positions outside the history
        are simply missing, so a negative add_offset near the newest message returns fewer messages, exactly
        what Telethon's ``reverse=True`` paging relies on.
        """
        ids = self.ids
        lo = bisect_right(ids, min_id) if min_id > 0 else 0
        hi = bisect_left(ids, max_id) if max_id > 0 else len(ids)
        if hi <= lo or limit <= 0:
            return []
        if offset_id:
            pos = hi - max(lo, min(hi, bisect_left(ids, offset_id)))
        elif offset_date:
            by_id = self.by_id
            pos = hi - lo
            for k, index in enumerate(range(hi - 1, lo - 1, -1)):
                if by_id[ids[index]].date < offset_date:
                    pos = k
                    break
        else:
            pos = 0
        start = max(pos + add_offset, 0)
        end = min(pos + add_offset + min(limit, 100), hi - lo)
        by_id = self.by_id
        return [by_id[ids[hi - 1 - k]] for k in range(start, end)]
