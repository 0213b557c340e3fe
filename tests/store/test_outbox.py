"""The outbox: queued in order, claimed one at a time, and never sent twice (SQLite and PostgreSQL)."""

from __future__ import annotations

import io
from datetime import timedelta
from pathlib import Path

import pytest

from moderator_app.cli.main import main
from moderator_app.domain.inbox import SourceInfo
from moderator_app.domain.outbox import OutboxError, OutboxState
from moderator_app.store.db import Database
from moderator_app.store.outbox import OutboxRepository
from moderator_app.store.repositories import SourceRepository, now_utc
from tests.conftest import FIXTURES
from tests.support.exports import run_import


@pytest.fixture
def logged(db: Database) -> tuple[Database, SourceInfo, SourceInfo]:
    run_import(db, FIXTURES / "telegram-export-full-account.json")
    sources = SourceRepository(db)
    return db, sources.find("Welcome Group (Arabic)"), sources.find("Private messages")


def test_replies_are_claimed_in_order_per_chat_and_marked_sent(logged: tuple[Database, SourceInfo, SourceInfo]) -> None:
    db, group, private = logged
    outbox = OutboxRepository(db)
    first = outbox.queue_reply(group, "Voici le lien pour la carte santé.", reply_to=20)
    second = outbox.queue_reply(group, "Et les heures d'ouverture.", reply_to=20)
    other = outbox.queue_reply(private, "سلام فاطمه", reply_to=104)
    assert first.chat_id == 1500100200 and other.chat_id == 5005
    assert len({first.random_id, second.random_id, other.random_id}) == 3
    claimed = outbox.claim_next()
    assert claimed is not None and claimed.id == first.id and claimed.state is OutboxState.SENDING
    # The group's second reply waits for the first; the private chat's may go meanwhile.
    parallel = outbox.claim_next()
    assert parallel is not None and parallel.id == other.id
    assert outbox.claim_next() is None
    outbox.mark_sent(first.id, telegram_id=21)
    nxt = outbox.claim_next()
    assert nxt is not None and nxt.id == second.id
    sent = outbox.get(first.id)
    assert sent is not None and sent.state is OutboxState.SENT and sent.telegram_id == 21 and sent.sent_at


def test_a_crash_while_sending_resends_with_the_same_random_id(logged: tuple[Database, SourceInfo, SourceInfo]) -> None:
    db, group, _ = logged
    outbox = OutboxRepository(db)
    queued = outbox.queue_reply(group, "Réponse", reply_to=20)
    claimed = outbox.claim_next()
    assert claimed is not None
    # The process dies here: the row stays "sending". The next start puts it back, same random_id.
    assert OutboxRepository(db).recover() == 1
    again = OutboxRepository(db).claim_next()
    assert again is not None and again.id == queued.id
    assert again.random_id == queued.random_id and again.attempts == 2


def test_flood_wait_backs_off_and_permanent_errors_stay_failed(logged: tuple[Database, SourceInfo, SourceInfo]) -> None:
    db, group, _ = logged
    outbox = OutboxRepository(db)
    item = outbox.queue_reply(group, "Réponse", reply_to=20)
    assert outbox.claim_next() is not None
    outbox.mark_failed(item.id, "Telegram asks to wait 30 seconds (FloodWait)", retry_after=timedelta(seconds=30))
    assert outbox.claim_next() is None  # not before 30 s
    later = outbox.claim_next(now=now_utc() + timedelta(seconds=31))
    assert later is not None and later.id == item.id
    outbox.mark_failed(item.id, "You have no right to write in this group")
    failed = outbox.get(item.id)
    assert failed is not None and failed.state is OutboxState.FAILED and "no right" in (failed.last_error or "")
    assert outbox.claim_next(now=now_utc() + timedelta(days=1)) is None
    assert outbox.retry(item.id) and not outbox.retry(item.id)
    assert outbox.claim_next() is not None


def test_bad_replies_are_refused_with_a_reason(logged: tuple[Database, SourceInfo, SourceInfo]) -> None:
    db, group, private = logged
    outbox = OutboxRepository(db)
    with pytest.raises(OutboxError, match="empty"):
        outbox.queue_reply(group, "   ")
    with pytest.raises(OutboxError, match="at most 4,096"):
        outbox.queue_reply(group, "x" * 5000)
    with pytest.raises(OutboxError, match="no message 999"):
        outbox.queue_reply(group, "hello", reply_to=999)
    with pytest.raises(OutboxError, match="--chat"):
        outbox.queue_reply(private, "hello")
    assert outbox.queue_reply(private, "hello", chat_id=5005).chat_id == 5005
    assert outbox.queue_reply(group, "A post").chat_id == 1500100200


def test_send_and_outbox_commands(tmp_path: Path) -> None:
    where = ["--data-dir", str(tmp_path / "data")]

    def run(*args: str) -> tuple[int, str, str]:
        out, err = io.StringIO(), io.StringIO()
        return main([*where, *args], out=out, err=err), out.getvalue(), err.getvalue()

    run("import-telegram-export", str(FIXTURES / "telegram-export-single-chat.json"), "--staff", "9000")
    code, out, err = run("send", "--source", "Welcome Group (Arabic)", "--reply-to", "20", "--text", "Voici.")
    assert code == 0 and "Queued as outbox #1" in out, err
    code, out, err = run("send", "--source", "Welcome Group (Arabic)", "--reply-to", "77", "--text", "Voici.")
    assert code == 1 and "no message 77" in err
    code, out, err = run("outbox")
    assert code == 0 and "#1" in out and "queued" in out and "Voici." in out
    code, out, err = run("outbox", "--retry", "1")
    assert code == 1 and "not a failed message" in err
