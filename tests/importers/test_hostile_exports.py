"""Export files with fields of shapes no Telegram export has: a sentence and nothing stored, or the messages
kept with what can be read of them; never a traceback, never an empty source left behind (issue: hardening,
item 7)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from moderator_app.importers.export_reader import ExportError
from moderator_app.store.db import Database
from moderator_app.store.models import Member, Message, Source
from tests.support.exports import count, run_import, write


def _export(**changes: Any) -> dict[str, Any]:
    member = {
        "id": 1,
        "type": "message",
        "date": "2026-11-02T10:00:00",
        "date_unixtime": "1793700000",
        "from": "Amal",
        "from_id": "user1",
        "text": "Where is the food bank?",
    }
    joined = {
        "id": 2,
        "type": "service",
        "date": "2026-11-02T10:01:00",
        "date_unixtime": "1793700060",
        "actor": "Omid",
        "actor_id": "user2",
        "action": "join_group_by_link",
        "text": "",
    }
    chat = {"name": "Newcomers", "type": "private_supergroup", "id": 1700000123}
    for key, value in changes.items():
        where, _, field = key.partition("__")
        {"chat": chat, "member": member, "joined": joined}[where][field] = value
    return {**chat, "messages": [member, joined]}


@pytest.mark.parametrize(
    ("value", "said"),
    [("abc", '"abc"'), ({}, "an object"), ([1], "a list"), (None, "none")],
)
def test_a_chat_id_that_is_no_number_is_said_and_nothing_is_stored(
    db: Database, tmp_path: Path, value: Any, said: str
) -> None:
    path = write(tmp_path / "result.json", _export(chat__id=value))
    with pytest.raises(ExportError) as raised:
        run_import(db, path)
    assert f"the chat 'Newcomers' has as its \"id\" {said}, not a number" in str(raised.value)
    assert count(db, Source) == 0 and count(db, Message) == 0


def test_a_chat_id_written_as_digits_is_read(db: Database, tmp_path: Path) -> None:
    path = write(tmp_path / "result.json", _export(chat__id="1700000123"))
    assert run_import(db, path).counts.messages_stored == 2


@pytest.mark.parametrize(
    "change",
    [
        {"member__from_id": ["user1"]},
        {"member__from": {"first": "Amal"}},
        {"joined__actor_id": ["user2"]},
        {"joined__actor": [1]},
    ],
)
def test_senders_of_odd_shapes_keep_their_messages(db: Database, tmp_path: Path, change: dict[str, Any]) -> None:
    path = write(tmp_path / "result.json", _export(**change))
    assert run_import(db, path).counts.messages_stored == 2
    with db.sessions() as session:
        texts = session.scalars(select(Message.text).order_by(Message.telegram_id)).all()
        names = set(session.scalars(select(Member.display_name)))
    assert texts == ["Where is the food bank?", ""]
    assert not any(isinstance(name, list | dict) for name in names)
