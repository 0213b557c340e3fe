"""Welcome messages: when someone joins a watched group, the organization's welcome (a library answer of the
topic "welcome", which links the guidelines) is sent, automatically or with one click, in the group or
privately, per source, in the member's language where it is known (else the group's).

Telegram's limits are said, not hidden: a private welcome reaches only people whose privacy settings accept
messages from accounts they have not written to; a welcome in the group is seen by everyone in it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from moderator_app.domain.library import WELCOME_TOPIC as WELCOME_TOPIC  # where the library's users look


class WelcomeMode(StrEnum):
    OFF = "off"
    AUTOMATIC = "automatic"  # sent as soon as the connector sees the join
    ONE_CLICK = "one_click"  # listed for a moderator, who sends them with one click


class WelcomePlace(StrEnum):
    GROUP = "group"  # in the group, naming the member
    PRIVATE = "private"  # a private message to the member


@dataclass(frozen=True, slots=True)
class WelcomeSetup:
    """One group's welcome. ``since``: joins before it are not welcomed (turning welcomes on does not greet
    last month's members)."""

    source_id: int
    mode: WelcomeMode = WelcomeMode.OFF
    place: WelcomePlace = WelcomePlace.GROUP
    answer_id: int | None = None
    since: datetime | None = None


def setups_from(stored: Mapping[str, Any]) -> dict[int, WelcomeSetup]:
    """The setting's value back to setups (an entry it cannot read is left out, with the others kept)."""
    setups: dict[int, WelcomeSetup] = {}
    for key, value in stored.items():
        try:
            since = value.get("since")
            setups[int(key)] = WelcomeSetup(
                source_id=int(key),
                mode=WelcomeMode(value.get("mode", "off")),
                place=WelcomePlace(value.get("place", "group")),
                answer_id=int(value["answer_id"]) if value.get("answer_id") is not None else None,
                since=datetime.fromisoformat(since) if since else None,
            )
        except (AttributeError, TypeError, ValueError):
            continue
    return setups


def setups_to(setups: Mapping[int, WelcomeSetup]) -> dict[str, Any]:
    return {
        str(source_id): {
            "mode": setup.mode.value,
            "place": setup.place.value,
            "answer_id": setup.answer_id,
            "since": setup.since.isoformat() if setup.since is not None else None,
        }
        for source_id, setup in setups.items()
    }


class WelcomeState(StrEnum):
    WAITING = "waiting"  # a one-click group: not sent yet
    QUEUED = "queued"
    SENT = "sent"
    FAILED = "failed"


@dataclass(frozen=True, slots=True)
class Joiner:
    """A member who joined a group that welcomes, and where their welcome stands."""

    event_id: int  # the join's membership event
    source_id: int
    source: str
    member_id: int | None
    member: str
    at: datetime
    state: WelcomeState
    error: str = ""
