"""Text from strangers shown as text: Qt reads a string that looks like HTML as rich text (a tooltip, a
label), so text that may hold a member's words goes through here and is shown exactly as written."""

from __future__ import annotations

import html
import sys

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget


def plain_notification(text: str) -> str:
    """A desktop notification's body showing ``text`` literally. On Linux the notification server reads the
    body as markup (bold, links, even images from local files); Windows and macOS show it as it is."""
    return html.escape(text, quote=False) if sys.platform.startswith("linux") else text


def plain_tooltip(text: str) -> str:
    """A tooltip showing ``text`` literally: escaped rich text, line breaks kept."""
    return "<p style='white-space:pre-wrap'>" + html.escape(text, quote=False) + "</p>"


def plain_message_box(
    parent: QWidget | None,
    icon: QMessageBox.Icon,
    title: str,
    text: str,
    buttons: QMessageBox.StandardButton = QMessageBox.StandardButton.Ok,
) -> QMessageBox.StandardButton:
    """A message box whose text is shown as text: its static helpers read what looks like HTML as rich text,
    and these sentences quote answer titles, partners' names and error messages from files."""
    box = QMessageBox(icon, title, text, buttons, parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    return QMessageBox.StandardButton(box.exec())


def ask(parent: QWidget | None, title: str, text: str, buttons: QMessageBox.StandardButton | None = None) -> bool:
    """A yes/no (or the given buttons') question as plain text; True for Yes or Discard."""
    chosen = plain_message_box(
        parent,
        QMessageBox.Icon.Question,
        title,
        text,
        buttons if buttons is not None else QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
    )
    return chosen in (QMessageBox.StandardButton.Yes, QMessageBox.StandardButton.Discard)
