"""Text from strangers shown as text: Qt reads a string that looks like HTML as rich text (a tooltip, a
label), so text that may hold a member's words goes through here and is shown exactly as written."""

from __future__ import annotations

import html
import sys


def plain_notification(text: str) -> str:
    """A desktop notification's body showing ``text`` literally. On Linux the notification server reads the
    body as markup (bold, links, even images from local files); Windows and macOS show it as it is."""
    return html.escape(text, quote=False) if sys.platform.startswith("linux") else text


def plain_tooltip(text: str) -> str:
    """A tooltip showing ``text`` literally: escaped rich text, line breaks kept."""
    return "<p style='white-space:pre-wrap'>" + html.escape(text, quote=False) + "</p>"
