"""Text from strangers shown as text: Qt reads a string that looks like HTML as rich text (a tooltip, a
label), so text that may hold a member's words goes through here and is shown exactly as written."""

from __future__ import annotations

import html


def plain_tooltip(text: str) -> str:
    """A tooltip showing ``text`` literally: escaped rich text, line breaks kept."""
    return "<p style='white-space:pre-wrap'>" + html.escape(text, quote=False) + "</p>"
