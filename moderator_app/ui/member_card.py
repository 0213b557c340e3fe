"""The member's card above the conversation: who asked, their membership of the source, their other inquiries.

Names, usernames and questions are members' text: shown as plain text only, and isolated inside a sentence
so an Arabic or Farsi name does not reorder it. Every line follows the layout direction (right-to-left too).
Warnings join the card when moderation records them (a later issue).
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from moderator_app.domain.conversation import PREVIOUS_SHOWN, MemberCard, PreviousInquiry
from moderator_app.domain.inquiries import InquiryState
from moderator_app.ui.delegates import isolate


def _label(name: str) -> QLabel:
    label = QLabel()
    label.setTextFormat(Qt.TextFormat.PlainText)  # members' text is never rich text
    label.setWordWrap(True)
    label.setAccessibleName(name)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class MemberCardWidget(QFrame):
    """Three short lines (name and @username; joined, first seen, left or removed; how many other
    inquiries), then the latest of those inquiries, one row each (at most PREVIOUS_SHOWN)."""

    def __init__(self, timezone: ZoneInfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._tz = timezone
        self.card: MemberCard | None = None
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAccessibleName(self.tr("Member's card"))
        self.name = _label(self.tr("Member's name"))
        font = QFont(self.name.font())
        font.setBold(True)
        self.name.setFont(font)
        self.username = _label(self.tr("Telegram username"))
        self.membership = _label(self.tr("Membership"))
        self.history = _label(self.tr("Earlier inquiries"))
        self.previous = [_label(self.tr("Earlier inquiry %1").replace("%1", str(n + 1))) for n in range(PREVIOUS_SHOWN)]
        first = QHBoxLayout()
        first.setContentsMargins(0, 0, 0, 0)
        first.setSpacing(8)
        first.addWidget(self.name)
        first.addWidget(self.username)
        first.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.setSpacing(1)
        layout.addLayout(first)
        for label in (self.membership, self.history, *self.previous):
            layout.addWidget(label)
        self._align()
        self.hide()

    def _align(self) -> None:
        """Every line on the layout's side. A plain-text label aligns by its own text's direction, so in a
        right-to-left window an English line would sit on the left and an Arabic name on the right of the
        same card: the side is given absolutely instead, from the layout direction."""
        rtl = self.layoutDirection() == Qt.LayoutDirection.RightToLeft
        side = Qt.AlignmentFlag.AlignRight if rtl else Qt.AlignmentFlag.AlignLeft
        for label in self.findChildren(QLabel):
            label.setAlignment(Qt.AlignmentFlag.AlignAbsolute | side | Qt.AlignmentFlag.AlignVCenter)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LayoutDirectionChange:
            self._align()
        super().changeEvent(event)

    # -- contents ---------------------------------------------------------------------------------------------
    def set_timezone(self, timezone: ZoneInfo) -> None:
        """Dates are shown in this time zone from the next card on (the panel shows the card again)."""
        self._tz = timezone

    def set_card(self, card: MemberCard | None, *, year: int | None = None) -> None:
        """Show ``card``, or hide the widget for None; dates of earlier inquiries in ``year`` (the inquiry's
        own) leave the year out."""
        self.card = card
        if card is None:
            self.hide()
            return
        self.name.setText(card.name or self.tr("(unknown)"))
        self.username.setText(isolate(f"@{card.username}") if card.username else "")  # "@name", never "name@"
        self.username.setVisible(bool(card.username))
        self.membership.setText(self.membership_line(card))
        self.history.setText(self.history_line(card))
        for n, label in enumerate(self.previous):
            row = card.previous[n] if n < len(card.previous) else None
            label.setText(self.previous_line(row, year) if row is not None else "")
            label.setVisible(row is not None)
        self.show()

    def lines(self) -> list[str]:
        """The visible text, line by line (what a screen reader reads, and what tests check)."""
        if self.card is None:
            return []
        first = " ".join(t for t in (self.name.text(), self.username.text()) if t)
        rest = [label.text() for label in (self.membership, self.history, *self.previous) if label.text()]
        return [first, *rest]

    def _day(self, at: datetime, *, year: int | None = None) -> str:
        local = at.astimezone(self._tz)
        return f"{local.day} {local:%b}" if local.year == year else f"{local.day} {local:%b %Y}"

    def membership_line(self, card: MemberCard) -> str:
        """In the inquiry's source: joined (and how), first seen posting, left or removed since, or nothing."""
        if card.private:
            return self.tr("Private chat: no group membership")
        if card.left_at is not None:
            text = self.tr("Removed on %1") if card.removed else self.tr("Left on %1")
            return text.replace("%1", self._day(card.left_at))
        if card.joined_at is None:
            return self.tr("No join on record")
        day = self._day(card.joined_at)
        if card.first_seen:
            return self.tr("First seen %1").replace("%1", day)
        ways = {
            "link": self.tr("Joined %1 (by link)"),
            "request": self.tr("Joined %1 (join request approved)"),
            "invite": self.tr("Joined %1 (added by someone)"),
        }
        return ways.get(card.joined_via or "", self.tr("Joined %1")).replace("%1", day)

    def history_line(self, card: MemberCard) -> str:
        if card.inquiries_total == 0:
            return self.tr("No other inquiry")
        if card.inquiries_total == 1:
            return self.tr("1 other inquiry")
        return self.tr("%n other inquiries", "", card.inquiries_total)

    def previous_line(self, row: PreviousInquiry, year: int | None = None) -> str:
        states = {
            InquiryState.OPEN: self.tr("open"),
            InquiryState.ACKNOWLEDGED: self.tr("acknowledged"),
            InquiryState.MEMBER_ANSWERED: self.tr("member answered"),
            InquiryState.ANSWERED: self.tr("answered"),
            InquiryState.DISMISSED: self.tr("dismissed"),
        }
        return (
            self.tr("%1 · %2 · %3 — %4")
            .replace("%1", self._day(row.arrival, year=year))
            .replace("%2", isolate(row.source))
            .replace("%3", states.get(row.state, row.state))
            .replace("%4", isolate(_short(row.first_line)) if row.first_line else self.tr("(no text)"))
        )


def _short(text: str, limit: int = 44) -> str:
    """A glimpse of an earlier question: the card stays a few lines high, the thread below keeps the room."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
