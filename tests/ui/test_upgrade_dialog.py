"""The one-off re-derivation after an upgrade: run off the window's thread with its progress shown; a failure
is said in a plain message and the window opens all the same."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QProgressDialog

from moderator_app.ui.upgrade_dialog import rederive_with_progress


def test_the_work_runs_off_the_window_thread_with_its_progress_shown(qtbot: Any) -> None:
    seen: list[tuple[str, int]] = []

    def peek() -> None:
        dialog = next((w for w in QApplication.topLevelWidgets() if isinstance(w, QProgressDialog)), None)
        if dialog is not None and dialog.isVisible():
            seen.append((dialog.windowTitle(), dialog.maximum()))

    def work(progress: Callable[[int, int], None]) -> None:
        assert threading.current_thread() is not threading.main_thread()
        for done in range(1, 4):
            progress(done, 3)
            threading.Event().wait(0.15)

    timer = QTimer()
    timer.setInterval(50)
    timer.timeout.connect(peek)
    timer.start()
    assert rederive_with_progress(work)
    timer.stop()
    assert ("Updating the log", 3) in seen


def test_a_failure_is_said_and_the_window_opens_all_the_same(qtbot: Any) -> None:
    said: list[str] = []

    def close_the_box(tries: int = 200) -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            said.append(box.text())
            box.button(QMessageBox.StandardButton.Ok).click()
        elif tries:
            QTimer.singleShot(20, lambda: close_the_box(tries - 1))

    def work(progress: Callable[[int, int], None]) -> None:
        raise OSError("disk full <b>now</b>")

    QTimer.singleShot(20, close_the_box)
    assert not rederive_with_progress(work)
    assert said and "disk full <b>now</b>" in said[0] and "moderator-app rederive" in said[0]
