"""A reply being written: it belongs to its inquiry, as Telegram Desktop's drafts belong to their chat.

One composer serves every inquiry; without drafts, a reply typed for one member was still there for the
next (Ctrl+Down, Ctrl+Enter: sent to the wrong person). Each inquiry keeps its own text, across switching
and restarts, until it is sent.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Draft:
    inquiry_id: int
    text: str
    #: Partners inserted from the library into this text (a referral if the reply still names them when sent).
    partner_ids: tuple[int, ...]
    profile_id: int | None  # who wrote it (a backup moderator sees whose draft it is)
    updated_at: datetime
    author: str = ""  # the profile's name, for "Draft left by Amal" at a handover
