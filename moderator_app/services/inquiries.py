"""A moderator's decisions on an inquiry: an action, its details, which staff message answers it.

With a connector running in this process, it applies them itself, between two updates (it holds the open
inquiries in memory and must not write its older view back); otherwise they are written to the log on the
database worker and numbered, so a connector running elsewhere adopts them. Either way the caller gets a
future, and the change is announced once it is in the log.
"""

from __future__ import annotations

import concurrent.futures
from collections.abc import Callable
from typing import Protocol, TypeVar

from moderator_app.domain.actions import Details, ModeratorAction
from moderator_app.domain.inbox import InboxEntry
from moderator_app.services.changes import ChangeBus, Changes
from moderator_app.services.worker import DatabaseWorker
from moderator_app.store.actions import InquiryActions
from moderator_app.store.answer_links import AnswerLinks, Relinked
from moderator_app.store.db import Database

T = TypeVar("T")


class LiveInquiries(Protocol):
    """The running connector, as the decisions need it (each call runs on its loop)."""

    def apply_action(
        self, inquiry_id: int, action: ModeratorAction, profile_id: int | None
    ) -> concurrent.futures.Future[None]: ...

    def apply_details(self, inquiry_id: int, details: Details) -> concurrent.futures.Future[None]: ...

    def relink_answer(
        self, source_id: int, chat_id: int, telegram_id: int, inquiry_id: int | None, profile_id: int | None
    ) -> concurrent.futures.Future[Relinked]: ...


class InquiryService:
    def __init__(
        self,
        db: Database,
        worker: DatabaseWorker,
        bus: ChangeBus,
        live: Callable[[], LiveInquiries | None] = lambda: None,
    ) -> None:
        self.db = db
        self.worker = worker
        self.bus = bus
        self.live = live

    def act(
        self, entry: InboxEntry, action: ModeratorAction, profile_id: int | None
    ) -> concurrent.futures.Future[None]:
        live = self.live()
        if live is not None:
            return self._announced(live.apply_action(entry.id, action, profile_id), entry.id)
        return self._in_log(lambda: InquiryActions(self.db).apply(entry.id, action, profile_id=profile_id), entry.id)

    def set_details(self, entry: InboxEntry, details: Details) -> concurrent.futures.Future[None]:
        live = self.live()
        if live is not None:
            return self._announced(live.apply_details(entry.id, details), entry.id)
        return self._in_log(lambda: InquiryActions(self.db).update(entry.id, details), entry.id)

    def relink(
        self, entry: InboxEntry, telegram_id: int, inquiry_id: int | None, profile_id: int | None
    ) -> concurrent.futures.Future[Relinked]:
        """Tie a staff message of the entry's chat to ``inquiry_id`` (None: to no inquiry)."""
        live = self.live()
        if live is not None:
            future = live.relink_answer(entry.source_id, entry.chat_id, telegram_id, inquiry_id, profile_id)
        else:
            future = self.worker.submit(
                AnswerLinks(self.db).link,
                entry.source_id,
                entry.chat_id,
                telegram_id,
                inquiry_id,
                profile_id=profile_id,
            )

        def announce(done: concurrent.futures.Future[Relinked]) -> None:
            if done.exception() is None:
                relinked = done.result()
                touched = {i for i in (relinked.before, relinked.after) if i is not None}
                self.bus.announce(Changes(inquiries=frozenset(touched)))

        future.add_done_callback(announce)
        return future

    def _in_log(self, write: Callable[[], object], inquiry_id: int) -> concurrent.futures.Future[None]:
        def run() -> None:
            write()
            self.bus.announce(Changes(inquiries=frozenset({inquiry_id})))

        return self.worker.submit(run)

    def _announced(self, future: concurrent.futures.Future[T], inquiry_id: int) -> concurrent.futures.Future[T]:
        def announce(done: concurrent.futures.Future[T]) -> None:
            if done.exception() is None:
                self.bus.announce(Changes(inquiries=frozenset({inquiry_id})))

        future.add_done_callback(announce)
        return future
