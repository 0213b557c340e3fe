"""A conversation pane's access (ui/access.ConversationAccess) for tests: a thread, a card and an outbox in
memory; queuing refuses unless the test gives ``queue``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from moderator_app.domain.conversation import MemberCard, ThreadMessage
from moderator_app.domain.drafts import Draft
from moderator_app.domain.inbox import InboxEntry
from moderator_app.domain.outbox import Outgoing
from moderator_app.domain.referrals import ReferralOrganization


def _nothing_sent(*args: Any) -> Outgoing:
    raise AssertionError("nothing is sent here")


@dataclass
class FakeConversation:
    messages: list[ThreadMessage] = field(default_factory=list)
    card: Callable[[InboxEntry], MemberCard | None] = lambda entry: None
    queue: Callable[..., Outgoing] = _nothing_sent  # (entry, text, holding, reply_to, referrals, profile_id)
    outbox: list[Outgoing] = field(default_factory=list)
    used: list[int] = field(default_factory=list)
    drafts: dict[int, tuple[str, tuple[int, ...], int | None]] = field(default_factory=dict)

    def thread(self, entry: InboxEntry) -> list[ThreadMessage]:
        return list(self.messages)

    def member_card(self, entry: InboxEntry) -> MemberCard | None:
        return self.card(entry)

    def queue_reply(
        self,
        entry: InboxEntry,
        text: str,
        holding: bool,
        reply_to: int | None,
        referrals: tuple[int, ...],
        profile_id: int | None,
    ) -> Outgoing:
        item = self.queue(entry, text, holding, reply_to, referrals, profile_id)
        self.outbox.append(item)
        return item

    def queue_download(self, entry: InboxEntry, telegram_id: int) -> Outgoing:
        return _nothing_sent()

    def replies_of(self, inquiry_id: int) -> list[Outgoing]:
        return [item for item in self.outbox if item.inquiry_id == inquiry_id]

    def outbox_item(self, item_id: int) -> Outgoing | None:
        return next((item for item in self.outbox if item.id == item_id), None)

    def record_use(self, answer_id: int) -> None:
        self.used.append(answer_id)

    def draft(self, inquiry_id: int) -> tuple[Draft, list[ReferralOrganization]] | None:
        found = self.drafts.get(inquiry_id)
        if found is None:
            return None
        text, partners, profile = found
        return Draft(inquiry_id, text, partners, profile, datetime(2026, 12, 4, tzinfo=UTC)), []

    def save_draft(self, inquiry_id: int, text: str, partner_ids: tuple[int, ...], profile_id: int | None) -> None:
        if text.strip():
            self.drafts[inquiry_id] = (text, partner_ids, profile_id)
        else:
            self.drafts.pop(inquiry_id, None)
