"""inbox, send, download, outbox: the open inquiries and the connector's outbox, for scripts."""

from __future__ import annotations

import argparse
import json
from datetime import UTC, datetime
from typing import TYPE_CHECKING, TextIO
from zoneinfo import ZoneInfo

from moderator_app.domain.outbox import OutboxError
from moderator_app.store.db import (
    Database,
)
from moderator_app.store.outbox import OutboxRepository
from moderator_app.store.repositories import (
    InquiryRepository,
    SourceRepository,
    StandardRepository,
)

if TYPE_CHECKING:
    pass
from moderator_app.cli.common import UserError


def cmd_inbox(db: Database, args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """The open inquiries, most urgent first: as JSON for scripts, or as a table for a person."""
    source = SourceRepository(db).find(args.source) if args.source else None
    entries = InquiryRepository(db).inbox(source.id if source else None)
    tz = ZoneInfo(StandardRepository(db).global_standard().timezone)
    now = datetime.now(UTC)
    if args.json:
        items = [
            {
                "id": e.id,
                "source": e.source,
                "member": e.member,
                "text": e.text if e.text else (f"[{e.media_kind}]" if e.media_kind else ""),
                "state": e.state,
                "language": e.language,
                "topic": e.topic,
                "arrival": e.arrival.astimezone(tz).isoformat(),
                "due": e.due.astimezone(tz).isoformat(),
                "overdue": e.first_response is None and e.due < now,
            }
            for e in entries
        ]
        json.dump(items, out, ensure_ascii=False, indent=2)
        out.write("\n")
        return 0
    if not entries:
        print("No open inquiries.", file=out)
        return 0
    for e in entries:
        late = "OVERDUE " if e.first_response is None and e.due < now else ""
        first_line = (
            (e.text or f"[{e.media_kind or 'no text'}]").splitlines()[0][:70] if (e.text or e.media_kind) else ""
        )
        print(
            f"#{e.id:<6} {late}due {e.due.astimezone(tz):%Y-%m-%d %H:%M}  {e.state:<15} {e.source} · "
            f"{e.member or '?'}: {first_line}",
            file=out,
        )
    return 0


def cmd_send(db: Database, args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Queue a message in the outbox; the connector sends it (once)."""
    source = SourceRepository(db).find(args.source)
    try:
        item = OutboxRepository(db).queue_reply(source, args.text, reply_to=args.reply_to, chat_id=args.chat)
    except OutboxError as exc:
        raise UserError(str(exc)) from exc
    target = f"in reply to message {item.reply_to}" if item.reply_to else f"in chat {item.chat_id}"
    print(f"Queued as outbox #{item.id} for {source.name} {target}; the connector sends it.", file=out)
    return 0


def cmd_download(db: Database, args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Ask the connector for a file too large to have been fetched on arrival."""
    source = SourceRepository(db).find(args.source)
    try:
        item = OutboxRepository(db).queue_download(source, args.message, chat_id=args.chat)
    except OutboxError as exc:
        raise UserError(str(exc)) from exc
    print(
        f"Queued as outbox #{item.id}: the connector downloads message {args.message}'s file into the media "
        "folder beside the log.",
        file=out,
    )
    return 0


def cmd_outbox(db: Database, args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """What is waiting to be sent, being sent, sent or failed (newest first)."""
    repository = OutboxRepository(db)
    if args.retry is not None:
        if not repository.retry(args.retry):
            raise UserError(f"Outbox #{args.retry} is not a failed message (only failed ones can be retried).")
        print(f"Outbox #{args.retry} is queued again.", file=out)
        return 0
    items = repository.recent(args.limit)
    if args.json:
        json.dump(
            [
                {
                    "id": i.id,
                    "state": i.state.value,
                    "chat": i.chat_id,
                    "reply_to": i.reply_to,
                    "text": i.text,
                    "attempts": i.attempts,
                    "error": i.last_error,
                    "created": i.created_at.isoformat(),
                    "sent": i.sent_at.isoformat() if i.sent_at else None,
                    "telegram_id": i.telegram_id,
                }
                for i in items
            ],
            out,
            ensure_ascii=False,
            indent=2,
        )
        out.write("\n")
        return 0
    if not items:
        print("The outbox is empty.", file=out)
    for i in items:
        detail = f" ({i.last_error})" if i.last_error else ""
        print(f"#{i.id:<6} {i.state.value:<8}{detail} chat {i.chat_id}: {i.text.splitlines()[0][:70]}", file=out)
    return 0
