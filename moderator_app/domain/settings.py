"""Every setting the log keeps, declared once: its key, type, default and what it is for.

qutebrowser's ``configdata`` is the model: code reads ``settings.read(ANSWER_WINDOW)`` and gets a
``timedelta``, never ``get("inquiries.answer_window_minutes", None)`` and a guess at what came back. A stored
value of the wrong shape (edited by hand, written by an older version) reads as the default, with a warning
in the notes, instead of breaking the window.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Generic, Protocol, TypeVar

from moderator_app.domain.library import REVIEW_MONTHS_DEFAULT
from moderator_app.domain.safety import parse_lists, starter_lists

T = TypeVar("T")
log = logging.getLogger(__name__)


def _same(value: Any) -> Any:
    return value


def _flag(value: Any) -> bool:
    if not isinstance(value, bool):
        raise TypeError(f"not true or false: {value!r}")
    return value


def _whole(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise TypeError(f"not a whole number: {value!r}")
    return int(value)


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError(f"not text: {value!r}")
    return value


def _instant(value: Any) -> datetime:
    if not isinstance(value, str):
        raise TypeError("an instant is written as ISO 8601 text")
    instant = datetime.fromisoformat(value)
    if instant.tzinfo is None:
        raise ValueError("an instant needs its UTC offset")
    return instant


def _document(value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise TypeError(f"not a JSON object: {value!r}")
    return value


@dataclass(frozen=True, slots=True)
class Setting(Generic[T]):
    """``parse`` turns the stored JSON value into ``T`` (raising TypeError or ValueError on a wrong shape);
    ``dump`` the other way. A ``per_workstation`` setting is kept once per computer and system user (a team's
    shared log has one person on duty at each workstation)."""

    key: str
    default: T
    description: str
    parse: Callable[[Any], T]
    dump: Callable[[T], Any] = _same
    per_workstation: bool = False

    def read(self, stored: Any) -> T:
        if stored is None:
            return self.default
        try:
            return self.parse(stored)
        except (TypeError, ValueError) as exc:
            log.warning("setting %s: %s; using the default %r", self.key, exc, self.default)
            return self.default


class SettingsAccess(Protocol):
    """Reading and writing declared settings (the log's settings repository; a dict in tests)."""

    def read(self, setting: Setting[T]) -> T: ...

    def write(self, setting: Setting[T], value: T) -> None: ...


STAFF_IDS: Setting[frozenset[int]] = Setting(
    "staff_telegram_ids",
    frozenset(),
    "Telegram user ids of the organization's staff accounts (their messages are responses, not inquiries).",
    lambda v: frozenset(_whole(i) for i in v),
    lambda ids: sorted(ids),
)
ANSWER_WINDOW: Setting[timedelta] = Setting(
    "inquiries.answer_window_minutes",
    timedelta(hours=2),
    "How recent a source's only open question must be for the next staff message to answer it without "
    "Telegram's reply (stored in minutes).",
    lambda v: timedelta(minutes=float(v)),
    lambda window: window.total_seconds() / 60,
)
PSEUDONYM_SALT: Setting[str] = Setting(
    "pseudonym_salt", "", "Random per log, so pseudonyms in exports cannot be reversed.", _text
)
LOG_ID: Setting[str] = Setting("log_id", "", "This log's identity, naming its secrets in the keyring.", _text)
MONTH_TIMEZONE: Setting[str | None] = Setting(
    "month_timezone", None, "The time zone the log's month columns were computed in (IANA name).", _text
)
RULES_VERSION: Setting[int | None] = Setting(
    "rules.version", None, "The rules the log's inquiries and responses were derived under.", _whole
)
SEARCH_INDEX_VERSION: Setting[int | None] = Setting(
    "library.search_index_version", None, "The layout of the library's search index in the log.", _whole
)
REVIEW_MONTHS: Setting[int] = Setting(
    "library.review_months",
    REVIEW_MONTHS_DEFAULT,
    "Canned answers not reviewed for this many months are marked for review.",
    _whole,
)
NOTIFY_NEW: Setting[bool] = Setting(
    "ui.notify_new_inquiries", True, "A desktop notification for each new inquiry.", _flag
)
NOTIFY_WARNINGS: Setting[bool] = Setting(
    "ui.notify_warnings", True, "A desktop notification when an inquiry nears its due time.", _flag
)
WARNING_THRESHOLD: Setting[int] = Setting(
    "moderation.warning_threshold",
    2,
    "Warnings (across all sources, while recent) at which the app proposes removing the member.",
    _whole,
)
WARNING_EXPIRY_DAYS: Setting[int] = Setting(
    "moderation.warning_expiry_days", 90, "Days a warning counts towards removal.", _whole
)
URGENT_WORDS: Setting[dict[str, dict[str, list[str]]]] = Setting(
    "safety.urgent_words",
    starter_lists(),
    "Urgent-word lists (category -> language -> terms): a member message matching one is flagged urgent.",
    parse_lists,
)
ORGANIZATION_NAME: Setting[str] = Setting(
    "organization.name", "", "The organization's name, for canned answers' {organization} and reports.", _text
)
ORGANIZATION_LOGO: Setting[str] = Setting(
    "organization.logo",
    "",
    "The organization's logo for the funder PDF, as base64 PNG kept in the log (every workstation of a team has "
    "it; never a path or an address).",
    _text,
)
MEDIA_CAP: Setting[int] = Setting(
    "telegram.media_cap_bytes",
    20 * 1024 * 1024,
    "Files up to this size are downloaded as they arrive; larger ones when a moderator asks.",
    _whole,
)
TELEGRAM_API_ID: Setting[int | None] = Setting(
    "telegram.api_id", None, "The organization's Telegram API id (its hash is in the keyring).", _whole
)
TELEGRAM_SERVER: Setting[str | None] = Setting(
    "telegram.server", None, "HOST:PORT[:DC] of a Telegram test or local server instead of Telegram's own.", _text
)
TELEGRAM_RSA_KEY: Setting[str | None] = Setting(
    "telegram.rsa_key", None, "That server's RSA public key file (PEM).", _text
)
TELEGRAM_UPDATE_STATE: Setting[dict[str, Any]] = Setting(
    "telegram.update_state",
    {},
    "Telegram's update state and channel positions, so a restart catches up on what it missed.",
    _document,
)
WELCOMES: Setting[dict[str, Any]] = Setting(
    "moderation.welcomes",
    {},
    "Per group (its id in the log): welcome mode (off, automatic, one click), place, the answer sent, since when.",
    _document,
)
ADMIN_LOG_SEEN: Setting[dict[str, Any]] = Setting(
    "telegram.admin_log_seen",
    {},
    "Per group (its Telegram id), the last admin-log event read into the moderation record.",
    _document,
)
RETENTION_MONTHS: Setting[int | None] = Setting(
    "retention.months",
    None,
    "Message text older than this many whole months is removed (counts, inquiries and the pseudonymised inquiry "
    "log stay); None: kept for good.",
    _whole,
)
RETENTION_BEFORE: Setting[datetime | None] = Setting(
    "retention.text_removed_before",
    None,
    "The latest retention run removed the text of messages before this instant: re-deriving keeps what was "
    "derived for them.",
    _instant,
    lambda instant: instant.isoformat() if instant is not None else None,
)
ON_DUTY: Setting[int | None] = Setting(
    "workstation.on_duty",
    None,
    "The moderator profile on duty at this workstation (credited with replies and decisions).",
    _whole,
    per_workstation=True,
)
WINDOW_SEEN: Setting[datetime | None] = Setting(
    "workstation.window_seen",
    None,
    "When the window at this workstation was last open: what arrived since is notified once at the next start.",
    _instant,
    lambda instant: instant.isoformat() if instant is not None else None,
    per_workstation=True,
)

#: Every declared setting, by key.
SETTINGS: dict[str, Setting[Any]] = {
    s.key: s
    for s in (
        STAFF_IDS,
        ANSWER_WINDOW,
        PSEUDONYM_SALT,
        LOG_ID,
        MONTH_TIMEZONE,
        RULES_VERSION,
        SEARCH_INDEX_VERSION,
        REVIEW_MONTHS,
        NOTIFY_NEW,
        NOTIFY_WARNINGS,
        WARNING_THRESHOLD,
        WARNING_EXPIRY_DAYS,
        URGENT_WORDS,
        ORGANIZATION_NAME,
        ORGANIZATION_LOGO,
        MEDIA_CAP,
        TELEGRAM_API_ID,
        TELEGRAM_SERVER,
        TELEGRAM_RSA_KEY,
        TELEGRAM_UPDATE_STATE,
        ADMIN_LOG_SEEN,
        WELCOMES,
        RETENTION_MONTHS,
        RETENTION_BEFORE,
        ON_DUTY,
        WINDOW_SEEN,
    )
}
