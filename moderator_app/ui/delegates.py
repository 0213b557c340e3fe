"""Delegates shared by the tables."""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPalette
from PySide6.QtWidgets import QAbstractItemView, QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget

#: Text on the countdown colours (they are light in every theme).
TEXT_ON_COLOUR = QColor("#212529")


@lru_cache(maxsize=4096)
def is_right_to_left(text: str) -> bool:
    """The direction of a text is that of its first strong character (the Unicode bidi rule P2)."""
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind == "L":
            return False
        if kind in ("R", "AL"):
            return True
    return False


class DirectionDelegate(QStyledItemDelegate):
    """Each cell laid out in its own text's direction, aligned with the window's.

    Item views lay every cell out in the window's direction, so in a right-to-left window "Is it open?"
    shows as "?Is it open" and "2 h 00 min" as "h 00 min 2", and in a left-to-right one Arabic punctuation
    lands on the wrong side. Members write in both directions in the same column.
    """

    def __init__(self, view: QWidget) -> None:
        super().__init__(view)
        self._view = view

    def initStyleOption(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> None:
        super().initStyleOption(option, index)
        text = option.text
        if not text:
            return
        window_rtl = self._view.layoutDirection() == Qt.LayoutDirection.RightToLeft
        option.direction = Qt.LayoutDirection.RightToLeft if is_right_to_left(text) else Qt.LayoutDirection.LeftToRight
        side = Qt.AlignmentFlag.AlignRight if window_rtl else Qt.AlignmentFlag.AlignLeft
        option.displayAlignment = Qt.AlignmentFlag.AlignAbsolute | side | Qt.AlignmentFlag.AlignVCenter


class CountdownDelegate(QStyledItemDelegate):
    """The time-left cell, painted from one value (:data:`SHOWN_ROLE`): ticks repaint it every second, so it
    asks the model once per cell instead of once per role."""

    def __init__(self, view: QWidget, shown_role: int) -> None:
        super().__init__(view)
        self._view = view
        self._role = shown_role

    def paint(
        self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        shown = index.data(self._role)
        if shown is None:
            super().paint(painter, option, index)
            return
        painter.save()
        rect = option.rect
        palette = option.palette
        if option.state & QStyle.StateFlag.State_Selected:
            painter.fillRect(rect, palette.highlight())
            painter.setPen(palette.color(QPalette.ColorRole.HighlightedText))
        elif shown.background is not None:
            painter.fillRect(rect, shown.background)
            painter.setPen(TEXT_ON_COLOUR)
        else:
            painter.setPen(palette.color(QPalette.ColorRole.Text))
        text_rect = rect.adjusted(4, 0, -4, 0)
        text = option.fontMetrics.elidedText(shown.text, Qt.TextElideMode.ElideRight, text_rect.width())
        side = (
            Qt.AlignmentFlag.AlignRight
            if self._view.layoutDirection() == Qt.LayoutDirection.RightToLeft
            else Qt.AlignmentFlag.AlignLeft
        )
        direction = (
            Qt.TextFlag.TextForceRightToLeft if is_right_to_left(shown.text) else Qt.TextFlag.TextForceLeftToRight
        )
        flags = int(Qt.AlignmentFlag.AlignAbsolute | side | Qt.AlignmentFlag.AlignVCenter) | int(direction)
        painter.drawText(text_rect, flags, text)
        painter.restore()


def isolate(text: str) -> str:
    """User text inside a UI sentence: a first-strong isolate, so an Arabic name does not reorder the
    sentence around it ("Amira in Newcomers — health" stays in that order)."""
    return f"\u2068{text}\u2069"


HEADER_ROLE = Qt.ItemDataRole.UserRole + 20
BODY_ROLE = Qt.ItemDataRole.UserRole + 21


class MessageDelegate(QStyledItemDelegate):
    """A message as a small header (who, when, marks) over its wrapped text, each in its own direction."""

    PAD = 6

    def __init__(self, view: QAbstractItemView) -> None:
        super().__init__(view)
        self._view = view

    def _width(self, option: QStyleOptionViewItem) -> int:
        return max(80, self._view.viewport().width() - 2 * self.PAD - 4)

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:
        width = self._width(option)
        small = QFont(option.font)
        small.setPointSizeF(max(6.0, option.font.pointSizeF() * 0.85))
        body_font = index.data(Qt.ItemDataRole.FontRole) or option.font
        body = str(index.data(BODY_ROLE) or "")
        header_height = QFontMetrics(small).height()
        body_height = (
            QFontMetrics(body_font)
            .boundingRect(QRect(0, 0, width, 100_000), int(Qt.TextFlag.TextWordWrap), body or " ")
            .height()
        )
        return QSize(width, header_height + body_height + 3 * self.PAD)

    def paint(
        self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        painter.save()
        rect = option.rect
        palette = option.palette
        background = index.data(Qt.ItemDataRole.BackgroundRole)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        if selected:
            painter.fillRect(rect, palette.highlight())
        elif background is not None:
            painter.fillRect(rect, background)
        text_colour = (
            palette.color(QPalette.ColorRole.HighlightedText)
            if selected
            else (TEXT_ON_COLOUR if background is not None else palette.color(QPalette.ColorRole.Text))
        )
        body = str(index.data(BODY_ROLE) or "")
        # A message sits on the side its own text starts from, as in Telegram: a right-to-left message
        # wraps from the right edge whatever the window's direction.
        side = Qt.AlignmentFlag.AlignRight if is_right_to_left(body) else Qt.AlignmentFlag.AlignLeft
        inner = rect.adjusted(self.PAD, self.PAD, -self.PAD, -self.PAD)
        small = QFont(option.font)
        small.setPointSizeF(max(6.0, option.font.pointSizeF() * 0.85))
        header = str(index.data(HEADER_ROLE) or "")
        header_height = QFontMetrics(small).height()
        painter.setFont(small)
        muted = QColor(text_colour)
        muted.setAlpha(170)
        painter.setPen(muted)
        header_dir = Qt.TextFlag.TextForceRightToLeft if is_right_to_left(header) else Qt.TextFlag.TextForceLeftToRight
        painter.drawText(
            QRect(inner.left(), inner.top(), inner.width(), header_height),
            int(Qt.AlignmentFlag.AlignAbsolute | side | Qt.AlignmentFlag.AlignVCenter) | int(header_dir),
            header,
        )
        body_font = index.data(Qt.ItemDataRole.FontRole) or option.font
        painter.setFont(body_font)
        painter.setPen(text_colour)
        body_dir = Qt.TextFlag.TextForceRightToLeft if is_right_to_left(body) else Qt.TextFlag.TextForceLeftToRight
        painter.drawText(
            QRect(inner.left(), inner.top() + header_height + self.PAD // 2, inner.width(), inner.height()),
            int(Qt.AlignmentFlag.AlignAbsolute | side | Qt.AlignmentFlag.AlignTop)
            | int(Qt.TextFlag.TextWordWrap)
            | int(body_dir),
            body,
        )
        painter.restore()
