"""Acting on a modal dialog from a test: the dialog runs its own event loop, so the test schedules what to do
once it is open (polled every 20 ms, for a few seconds)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

W = TypeVar("W", bound=QWidget)


def act_on_modal(kind: type[W], act: Callable[[W], object], tries: int = 200) -> None:
    """Call ``act`` with the next modal window of ``kind``, once it is open."""

    def attempt(left: int) -> None:
        window = QApplication.activeModalWidget()
        if isinstance(window, kind):
            act(window)
        elif left > 0:
            QTimer.singleShot(20, lambda: attempt(left - 1))

    QTimer.singleShot(20, lambda: attempt(tries))


def answer_message_box(button: QMessageBox.StandardButton, tries: int = 250) -> None:
    """Press ``button`` of the next message box (a confirmation), once it is open."""
    act_on_modal(QMessageBox, lambda box: box.button(button).click(), tries)
