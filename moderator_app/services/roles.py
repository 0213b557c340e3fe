"""Roles in the use cases: a manager reads the inbox, the records and the reports, and sends nothing.

The window disables what sends while a manager is on duty (ui/duty.py); the use cases that queue something
for Telegram refuse it too, so no other way in (an older dialog left open, a script on the services) sends
in a manager's name.
"""

from __future__ import annotations

from collections.abc import Iterable

from moderator_app.domain.join_requests import JoinRequest
from moderator_app.domain.profiles import RoleRefused, may_send
from moderator_app.store.db import Database
from moderator_app.store.join_requests import JoinRequestRepository
from moderator_app.store.profiles import ProfileRepository


class SendingGuard:
    """Refuses (RoleRefused, a sentence) what would send for a profile whose role sends nothing."""

    def __init__(self, db: Database) -> None:
        self._profiles = ProfileRepository(db)

    def check(self, profile_id: int | None, what: str) -> None:
        """``what``: the thing refused, as "nothing was {what}" ends the sentence ("queued", "sent")."""
        if profile_id is None:
            return
        profile = self._profiles.get(profile_id)
        if profile is not None and not may_send(profile.role):
            raise RoleRefused(
                f"{profile.name} is on duty as a manager: a manager reads the inbox, the records and the "
                f"reports, and sends nothing. Nothing was {what}; choose a moderator under “On duty” to send."
            )


class LogJoinRequests:
    """Join requests (ui/access.JoinRequestsAccess) over the log: deciding and asking the join questions send
    to Telegram, so a manager's are refused."""

    def __init__(self, db: Database) -> None:
        self._requests = JoinRequestRepository(db)
        self._guard = SendingGuard(db)

    def requests(self) -> list[JoinRequest]:
        return self._requests.requests()

    def pending_count(self) -> int:
        return self._requests.pending_count()

    def decide(self, request_ids: Iterable[int], approve: bool, profile_id: int | None) -> int:
        self._guard.check(profile_id, "approved or declined")
        return self._requests.decide(request_ids, approve, profile_id)

    def send_questions(self, request_ids: Iterable[int], profile_id: int | None) -> int:
        self._guard.check(profile_id, "sent")
        return self._requests.send_questions(request_ids, profile_id)
