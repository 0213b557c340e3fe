"""What a committed use case changed, announced to whoever holds a view of it (the window, the connector).

Anki's ``OpChanges`` is the model: a small typed record says which kinds of things changed, and each
follower decides what to reload. A follower is called on the thread that committed the change; one with a
thread of its own (the window, the connector's loop) hands the call over to it.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Changes:
    """``standard``: a service standard or the answer window (every clock may differ). ``sources``: the
    sources it concerns (None: all). ``inquiries``: inquiries whose state or details a moderator changed.
    ``everything``: changes may have been missed (a team's connection to the shared log dropped for a while,
    services/team_bus.py): read everything again, the tables are the truth."""

    standard: bool = False
    sources: frozenset[int] | None = None
    inquiries: frozenset[int] = frozenset()
    library: bool = False
    settings: frozenset[str] = frozenset()
    everything: bool = False


Follower = Callable[[Changes], object]


class ChangeBus:
    """Followers in the order they subscribed. A follower that raises is logged and the others still hear
    the change: one broken view must not keep the connector from re-reading its clocks."""

    def __init__(self) -> None:
        self._followers: list[Follower] = []
        self._lock = threading.Lock()

    def subscribe(self, follower: Follower) -> Callable[[], None]:
        """Follow changes from now on; returns the call that stops following."""
        with self._lock:
            self._followers.append(follower)

        def unsubscribe() -> None:
            with self._lock:
                if follower in self._followers:
                    self._followers.remove(follower)

        return unsubscribe

    def announce(self, changes: Changes) -> None:
        with self._lock:
            followers = list(self._followers)
        for follower in followers:
            try:
                follower(changes)
            except Exception:
                log.exception("a follower of %s failed", changes)
