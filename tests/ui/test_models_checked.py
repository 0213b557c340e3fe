"""qtmodeltester on the conversation and sources models (the inbox's are checked in test_inbox_model), with
the rows they really carry: text in both directions, a voice note with its file, a photo, a file too large
to fetch, and sources with open and overdue counts."""

from __future__ import annotations

import random
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from fake_telegram.media_samples import letter_photo, voice_note
from moderator_app.domain.conversation import ThreadMessage
from moderator_app.domain.events import SourceKind
from moderator_app.domain.inbox import SourceInfo
from moderator_app.ui.conversation_model import ConversationModel
from moderator_app.ui.inbox_model import InboxModel
from moderator_app.ui.main_window import SourcesModel
from tests.support.inbox_entries import TORONTO, FakeNow, OneClock, entry, local


def _message(telegram_id: int, text: str, **changes: Any) -> ThreadMessage:
    values: dict[str, Any] = {
        "telegram_id": telegram_id,
        "date": datetime(2026, 11, 17, 15, telegram_id, tzinfo=UTC),
        "sender": "Amira",
        "from_staff": False,
        "text": text,
        "reply_to": None,
        "media_kind": None,
        "media": None,
        "is_service": False,
        "edited": False,
        "deleted": False,
        "role": "question",
        "is_question": telegram_id == 1,
    }
    values.update(changes)
    return ThreadMessage(**values)


def test_conversation_model(qtmodeltester: Any, tmp_path: Path) -> None:
    rng = random.Random(5)
    voice, photo = tmp_path / "1.wav", tmp_path / "2.png"
    voice.write_bytes(voice_note(rng, 2))
    photo.write_bytes(letter_photo(rng))
    model = ConversationModel(TORONTO)
    model.set_messages(
        [
            _message(1, "كيف أسجل أطفالي في المدرسة؟"),
            _message(2, "", media_kind="voice", media={"duration_seconds": 2, "file": str(voice)}),
            _message(3, "This letter?", media_kind="photo", media={"file": str(photo)}),
            _message(4, "", media_kind="document", media={"file_name": "lease.pdf", "download": "on_demand"}),
            _message(5, "Merci !", from_staff=True, edited=True, role="staff_reply"),
        ]
    )
    qtmodeltester.check(model)
    assert model.media_view(1) is not None and model.media_view(1).playable  # type: ignore[union-attr]
    assert model.thumbnail(2) is not None and model.media_view(3).downloadable  # type: ignore[union-attr]


def test_sources_model(qtmodeltester: Any) -> None:
    now = FakeNow(local(2026, 11, 17, 10, 0))
    inbox = InboxModel(OneClock(), now, TORONTO)
    inbox.set_entries(
        [entry(1, local(2026, 11, 13, 9, 0), source_id=1), entry(2, local(2026, 11, 17, 9, 0), source_id=2)]
    )
    model = SourcesModel(inbox)
    model.set_sources(
        [
            SourceInfo(1, SourceKind.GROUP, 100, "Newcomers Ottawa — عربي", "private_supergroup", "ar"),
            SourceInfo(2, SourceKind.PRIVATE, 0, "Private messages", "personal_chat", None),
            SourceInfo(3, SourceKind.CHANNEL, 300, "Not watched", "private_channel", None, watched=False),
        ]
    )
    qtmodeltester.check(model)
    assert model.rowCount() == 3  # "All sources" and the two watched ones
