"""Member reports: a member's ``/report`` (as group bots take it) or an ``@admin`` reply in a group calls the
moderators to the message it replies to. It is a report for the moderators, not a question to the service:
the rules give it its own role, so it opens no inquiry and answers none (an "@admin" reply to an open question
would otherwise read as a member's answer to it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Final

#: "/report", "/report@SomeBot", "/report spam, he sells visas"
_COMMAND: Final = re.compile(r"^\s*/report(?:@\w+)?(?:\s+(?P<reason>.*))?\s*$", re.IGNORECASE | re.DOTALL)
#: "@admin", "@admins" as a word of their own (not "@administration_office", not an e-mail address)
_MENTION: Final = re.compile(r"(?<![\w@.])@admins?\b(?![.@]\w)", re.IGNORECASE)


def report_reason(text: str | None, is_reply: bool) -> str | None:
    """The reason a report gives ("" for none), or None when the message is not a report. ``/report`` is one
    with or without a reply (without one it is about the conversation); ``@admin`` only as a reply (on its
    own, it may be a question to the organization, and the rules judge it as one)."""
    if not text:
        return None
    command = _COMMAND.match(text)
    if command is not None:
        return (command.group("reason") or "").strip()
    if is_reply and _MENTION.search(text):
        return " ".join(_MENTION.sub(" ", text).split())
    return None


class ReportState(StrEnum):
    OPEN = "open"
    DISMISSED = "dismissed"  # looked at, nothing to do
    ACTED = "acted"  # the message deleted or its author warned, muted, removed or banned


@dataclass(frozen=True, slots=True)
class MemberReport:
    """A report as the window lists it. ``id`` is the report message's row in the log; the reported message
    is the one it replies to (None: a ``/report`` with no reply, about the conversation)."""

    id: int
    source_id: int
    source: str
    chat_id: int
    at: datetime
    reporter: str
    reason: str
    reported_id: int | None  # Telegram id of the reported message
    reported_text: str
    reported_member: str
    reported_member_id: int | None
    reported_deleted: bool
    language: str  # the reported message's language, for a reminder in it
    state: ReportState = ReportState.OPEN
    decided_by: str = ""
    action: str = ""
