"""Media in the conversation pane, through the real window and the real connector: a voice note plays in place
(play, progress, pause), a photo shows as a thumbnail, a file too large to fetch on arrival is downloaded on
request and then opens with the system's viewer, and a file that can run programs is never opened."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QStyleOptionViewItem

from fake_telegram import FakeTelegram
from fake_telegram.media_samples import PHOTO_MIME, VOICE_MIME, letter_photo, voice_note
from moderator_app.domain.events import SourceKind, SourceRef
from moderator_app.store.db import Database
from moderator_app.store.repositories import SettingsRepository, SourceRepository
from moderator_app.telegram.client import ConnectionSettings
from moderator_app.ui.conversation import ConversationPanel
from moderator_app.ui.media import MediaView
from tests.telegram.conftest import log_in
from tests.ui.conftest import window_with_connector


def _row(panel: ConversationPanel, kind: str) -> int:
    return next(r for r in range(panel.model.rowCount()) if panel.model.message(r).media_kind == kind)


def _view(panel: ConversationPanel, row: int) -> MediaView:
    view = panel.model.media_view(row)
    assert isinstance(view, MediaView)
    return view


def _click_media(qtbot: Any, panel: ConversationPanel, row: int) -> None:
    option = QStyleOptionViewItem()
    option.initFrom(panel.list.viewport())
    option.rect = panel.list.visualRect(panel.model.index(row))
    area = panel.delegate.media_rect(option, panel.model.index(row))
    assert not area.isEmpty()
    qtbot.mouseClick(panel.list.viewport(), Qt.MouseButton.LeftButton, pos=area.topLeft() + QPoint(8, 8))


def test_voice_photo_and_files_in_the_conversation(
    qtbot: Any,
    log: Database,
    world: FakeTelegram,
    account: int,
    connection: ConnectionSettings,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    amira = world.add_user("Amira", "Haddad")
    log_in(log, world, connection)
    SourceRepository(log).set_watched(SourceRef(SourceKind.PRIVATE, 0, "Private messages", "personal_chat"), True)
    SettingsRepository(log).set("telegram.media_cap_bytes", 400 * 1024)
    rng = random.Random(3)
    voice_id = world.send_private(amira, "", media=("voice", voice_note(rng, 3), 3, VOICE_MIME))
    photo_id = world.send_private(
        amira, "وصلتني هذه الرسالة، ماذا يطلبون مني؟", media=("photo", letter_photo(rng), PHOTO_MIME)
    )
    lease = b"%PDF-1.4 lease " + bytes(500 * 1024)  # over the cap: on demand only
    lease_id = world.send_private(amira, "", media=("document", lease, "lease.pdf", "application/pdf"))
    world.send_private(amira, "", media=("document", b"MZ" + bytes(100), "form.exe", "application/octet-stream"))

    window, thread = window_with_connector(qtbot, log, connection, tmp_path, (1400, 900))
    panel = window.conversation
    opened: list[str] = []
    panel.system_open = lambda path: opened.append(path) or True
    thread.start()
    try:
        qtbot.waitUntil(lambda: window.proxy.rowCount() == 1, timeout=15_000)
        window.inbox.table.selectRow(0)

        def downloaded() -> bool:
            panel.reload()
            return panel.model.rowCount() == 4 and all(
                _view(panel, _row(panel, kind)).path is not None for kind in ("voice", "photo")
            )

        qtbot.waitUntil(downloaded, timeout=15_000)

        # The photo: a thumbnail no larger than 240 x 180, in the letter's proportions.
        photo = _row(panel, "photo")
        assert panel.model.message(photo).telegram_id == photo_id
        thumbnail = panel.model.thumbnail(photo)
        assert isinstance(thumbnail, QImage) and (thumbnail.width(), thumbnail.height()) == (240, 173)
        assert Path(str(_view(panel, _row(panel, "voice")).path)).suffix == ".wav"  # a name the system can open
        assert panel.delegate.sizeHint(QStyleOptionViewItem(), panel.model.index(photo)).height() > 173

        # The voice note plays where it is: the button turns to pause and the position moves, then it pauses.
        voice = _row(panel, "voice")
        assert panel.model.message(voice).telegram_id == voice_id
        view = _view(panel, voice)
        assert view.playable and not view.playing and view.duration_ms == 3000
        _click_media(qtbot, panel, voice)
        qtbot.waitUntil(lambda: _view(panel, voice).playing and _view(panel, voice).position_ms > 0, timeout=10_000)
        panel.list.setCurrentIndex(panel.model.index(voice))
        qtbot.keyClick(panel.list, Qt.Key.Key_Space)  # the keyboard does the same
        qtbot.waitUntil(lambda: not _view(panel, voice).playing, timeout=5_000)
        assert _view(panel, voice).position_ms > 0  # paused where it was

        # The lease was too large to fetch on arrival: Enter asks for it, then Enter opens it.
        document = next(r for r in range(panel.model.rowCount()) if panel.model.message(r).telegram_id == lease_id)
        assert _view(panel, document).downloadable and "press Enter to download" in _view(panel, document).label
        panel.list.setCurrentIndex(panel.model.index(document))
        qtbot.keyClick(panel.list, Qt.Key.Key_Return)
        qtbot.waitUntil(
            lambda: "Download asked for" in panel.status.text(), timeout=10_000
        )  # queued on the database worker
        qtbot.waitUntil(lambda: _view(panel, document).path is not None, timeout=15_000)
        assert Path(str(_view(panel, document).path)).read_bytes() == lease
        assert "Enter opens it" in _view(panel, document).label
        panel.list.setCurrentIndex(panel.model.index(document))
        qtbot.keyClick(panel.list, Qt.Key.Key_Return)
        assert opened == [_view(panel, document).path]

        # A program a member sent is downloaded on request like any file, but never started from here.
        program = next(
            r
            for r in range(panel.model.rowCount())
            if (panel.model.message(r).media or {}).get("file_name") == "form.exe"
        )
        panel.activate_media(program)
        qtbot.waitUntil(lambda: _view(panel, program).path is not None, timeout=15_000)
        panel.activate_media(program)
        assert opened == [_view(panel, document).path]
        assert "is not opened from the workstation" in panel.status.text()
        assert Path(str(_view(panel, program).path)).suffix == ".exe"  # saved under the sender's type, refused
        # What is not opened can still be saved where the moderator chooses.
        copy = tmp_path / "copy-of-form.exe"
        monkeypatch.setattr(
            "moderator_app.ui.conversation.QFileDialog.getSaveFileName", lambda *args, **kwargs: (str(copy), "")
        )
        panel.save_copy(program)
        assert copy.read_bytes().startswith(b"MZ") and "Saved a copy as" in panel.status.text()
    finally:
        panel.player.stop()
        thread.stop()
