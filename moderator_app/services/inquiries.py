"""A moderator's decisions on an inquiry: an action, its details, which staff message answers it.

With a connector running in this process, it applies them itself, between two updates (it holds the open
inquiries in memory and must not write its older view back); otherwise they are written to the log on the
database worker and numbered, so a connector running elsewhere adopts them. Either way the caller gets a
future, and the change is announced once it is in the log.
"""

from __future__ import annotations

import concurrent.futures
from collections.abc import Callable, Iterable
from typing import Protocol, TypeVar

from moderator_app.domain.actions import Details, ModeratorAction, Undo
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
    ) -> concurrent.futures.Future[Undo]: ...

    def undo_action(self, taken: Undo) -> concurrent.futures.Future[None]: ...

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
    ) -> concurrent.futures.Future[Undo]:
        """The decision; its future gives how to undo it."""
        live = self.live()
        if live is not None:
            return self._announced(live.apply_action(entry.id, action, profile_id), lambda _: (entry.id,))
        return self._in_log(
            lambda: InquiryActions(self.db).apply(entry.id, action, profile_id=profile_id), lambda _: (entry.id,)
        )

    def undo(self, taken: Undo) -> concurrent.futures.Future[None]:
        """The decision taken back; refused (ActionRefused) when the inquiry has changed since."""
        live = self.live()
        if live is not None:
            return self._announced(live.undo_action(taken), lambda _: (taken.inquiry_id,))

        def undo() -> None:
            InquiryActions(self.db).undo(taken)

        return self._in_log(undo, lambda _: (taken.inquiry_id,))

    def set_details(self, entry: InboxEntry, details: Details) -> concurrent.futures.Future[None]:
        live = self.live()
        if live is not None:
            return self._announced(live.apply_details(entry.id, details), lambda _: (entry.id,))

        def update() -> None:
            InquiryActions(self.db).update(entry.id, details)

        return self._in_log(update, lambda _: (entry.id,))

    def relink(
        self, entry: InboxEntry, telegram_id: int, inquiry_id: int | None, profile_id: int | None
    ) -> concurrent.futures.Future[Relinked]:
        """Tie a staff message of the entry's chat to ``inquiry_id`` (None: to no inquiry)."""
        live = self.live()
        if live is not None:
            future = live.relink_answer(entry.source_id, entry.chat_id, telegram_id, inquiry_id, profile_id)
            return self._announced(future, lambda relinked: relinked.changed)
        return self._in_log(
            lambda: AnswerLinks(self.db).link(
                entry.source_id, entry.chat_id, telegram_id, inquiry_id, profile_id=profile_id
            ),
            lambda relinked: relinked.changed,
        )

    def _announce(self, inquiries: Iterable[int]) -> None:
        self.bus.announce(Changes(inquiries=frozenset(inquiries)))

    def _in_log(self, write: Callable[[], T], changed: Callable[[T], Iterable[int]]) -> concurrent.futures.Future[T]:
        """On the database worker; announced there once committed, before the future is done."""

        def run() -> T:
            result = write()
            self._announce(changed(result))
            return result

        return self.worker.submit(run)

    def _announced(
        self, future: concurrent.futures.Future[T], changed: Callable[[T], Iterable[int]]
    ) -> concurrent.futures.Future[T]:
        """The connector's future: announced when it is done, if it did what was asked."""

        def announce(done: concurrent.futures.Future[T]) -> None:
            if not done.cancelled() and done.exception() is None:
                self._announce(changed(done.result()))

        future.add_done_callback(announce)
        return future
