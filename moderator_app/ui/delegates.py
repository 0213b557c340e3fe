"""Delegates shared by the tables."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Protocol, runtime_checkable

from PySide6.QtCore import (
    QAbstractItemModel,
    QEvent,
    QModelIndex,
    QPersistentModelIndex,
    QPoint,
    QRect,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QFont, QFontMetrics, QImage, QMouseEvent, QPainter, QPalette, QPolygon
from PySide6.QtWidgets import QAbstractItemView, QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from moderator_app.ui.media import MediaView

#: Text on the countdown colours (they are light in every theme).
TEXT_ON_COLOUR = QColor("#212529")


#: A number written in groups: a phone number, a date, an address ("0100-555-613", "(613) 555-0100", "12/05").
_GROUPED_NUMBER = re.compile(r"\+?\(?\d+\)?(?:[-./ ]\(?\d+\)?)+")
_RTL_LETTER = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")


def numbers_isolated(text: str) -> str:
    """Grouped numbers in right-to-left text, each in a left-to-right isolate. After Arabic letters the
    Unicode bidi rules make digits Arabic numbers, and a hyphen between those is neutral: "613-555-0100"
    showed as "0100-555-613". Display only: what is stored and sent is the member's text as written."""
    if not _RTL_LETTER.search(text):
        return text
    return _GROUPED_NUMBER.sub(lambda m: f"\u2066{m.group(0)}\u2069", text)


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


@runtime_checkable
class MediaSource(Protocol):
    """A model whose rows may carry media; the delegate asks it directly (a plain Python call on every repaint
    of a playing note, rather than a Python object wrapped in and out of a QVariant)."""

    def media_view(self, row: int) -> MediaView | None: ...

    def thumbnail(self, row: int) -> QImage | None: ...


def _media(index: QModelIndex | QPersistentModelIndex) -> MediaView | None:
    model = index.model()
    return model.media_view(index.row()) if isinstance(model, MediaSource) else None


def _thumbnail(index: QModelIndex | QPersistentModelIndex) -> QImage | None:
    model = index.model()
    return model.thumbnail(index.row()) if isinstance(model, MediaSource) else None


def clock(milliseconds: int) -> str:
    seconds = max(0, milliseconds) // 1000
    return f"{seconds // 60}:{seconds % 60:02d}"


class MessageDelegate(QStyledItemDelegate):
    """A message as a small header (who, when, marks) over its wrapped text, each in its own direction, then its
    media: a voice note's play button and progress, a photo's thumbnail, or a line saying what the file is.

    A click on the media block emits ``mediaActivated`` (the pane plays, opens or downloads it)."""

    PAD = 6
    PLAYER_HEIGHT = 32

    mediaActivated = Signal(int)  # the row

    def __init__(self, view: QAbstractItemView) -> None:
        super().__init__(view)
        self._view = view

    def _width(self, option: QStyleOptionViewItem) -> int:
        return max(80, self._view.viewport().width() - 2 * self.PAD - 4)

    @staticmethod
    def _small(option: QStyleOptionViewItem) -> QFont:
        small = QFont(option.font)
        small.setPointSizeF(max(6.0, option.font.pointSizeF() * 0.85))
        return small

    def _media_height(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> int:
        media: MediaView | None = _media(index)
        if media is None:
            return 0
        if media.playable:
            return self.PLAYER_HEIGHT + self.PAD
        thumbnail = _thumbnail(index) if media.photo else None
        if isinstance(thumbnail, QImage):
            return thumbnail.height() + self.PAD
        return QFontMetrics(self._small(option)).height() + self.PAD

    def _body_height(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> int:
        body = numbers_isolated(str(index.data(BODY_ROLE) or ""))
        if not body and _media(index) is not None:
            return 0
        body_font = index.data(Qt.ItemDataRole.FontRole) or option.font
        return (
            QFontMetrics(body_font)
            .boundingRect(QRect(0, 0, self._width(option), 100_000), int(Qt.TextFlag.TextWordWrap), body or " ")
            .height()
        )

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:
        header_height = QFontMetrics(self._small(option)).height()
        height = header_height + self._body_height(option, index) + self._media_height(option, index)
        return QSize(self._width(option), height + 3 * self.PAD)

    def _side(self, index: QModelIndex | QPersistentModelIndex) -> Qt.AlignmentFlag:
        # A message sits on the side its own text starts from, as in Telegram: a right-to-left message
        # wraps from the right edge whatever the window's direction. Media alone follow the window.
        body = str(index.data(BODY_ROLE) or "")
        if body.strip():
            return Qt.AlignmentFlag.AlignRight if is_right_to_left(body) else Qt.AlignmentFlag.AlignLeft
        rtl = self._view.layoutDirection() == Qt.LayoutDirection.RightToLeft
        return Qt.AlignmentFlag.AlignRight if rtl else Qt.AlignmentFlag.AlignLeft

    def media_rect(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QRect:
        """Where the media block is drawn in the row (empty when the message has none)."""
        media: MediaView | None = _media(index)
        if media is None:
            return QRect()
        inner = option.rect.adjusted(self.PAD, self.PAD, -self.PAD, -self.PAD)
        top = inner.top() + QFontMetrics(self._small(option)).height() + self.PAD // 2
        top += self._body_height(option, index) + (self.PAD // 2 if index.data(BODY_ROLE) else 0)
        height = self._media_height(option, index) - self.PAD
        if media.playable:
            width = min(inner.width(), 320)
        else:
            thumbnail = _thumbnail(index) if media.photo else None
            width = thumbnail.width() if isinstance(thumbnail, QImage) else inner.width()
        left = inner.right() - width + 1 if self._side(index) == Qt.AlignmentFlag.AlignRight else inner.left()
        return QRect(left, top, width, height)

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
        body = numbers_isolated(str(index.data(BODY_ROLE) or ""))
        side = self._side(index)
        inner = rect.adjusted(self.PAD, self.PAD, -self.PAD, -self.PAD)
        small = self._small(option)
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
        media: MediaView | None = _media(index)
        if media is not None:
            self._paint_media(painter, option, index, media, text_colour, muted, small)
        painter.restore()

    def _paint_media(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
        media: MediaView,
        text_colour: QColor,
        muted: QColor,
        small: QFont,
    ) -> None:
        area = self.media_rect(option, index)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        if media.playable:
            self._paint_player(painter, area, media, text_colour, small)
            return
        thumbnail = _thumbnail(index) if media.photo else None
        if isinstance(thumbnail, QImage):
            painter.drawImage(area.topLeft(), thumbnail)
            painter.setPen(muted)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(area.adjusted(0, 0, -1, -1))
            return
        painter.setFont(small)
        painter.setPen(muted)
        direction = (
            Qt.TextFlag.TextForceRightToLeft if is_right_to_left(media.label) else Qt.TextFlag.TextForceLeftToRight
        )
        side = self._side(index)
        painter.drawText(
            area,
            int(Qt.AlignmentFlag.AlignAbsolute | side | Qt.AlignmentFlag.AlignVCenter) | int(direction),
            media.label,
        )

    def _paint_player(self, painter: QPainter, area: QRect, media: MediaView, colour: QColor, small: QFont) -> None:
        """A round play/pause button, a progress track, and "position / duration" (always left to right)."""
        size = self.PLAYER_HEIGHT - 4
        button = QRect(area.left(), area.top() + 2, size, size)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor("#0b5ed7"))
        painter.drawEllipse(button)
        painter.setBrush(QColor("white"))
        centre = button.center()
        if media.playing:
            bar = max(3, size // 8)
            painter.drawRect(centre.x() - bar - 2, centre.y() - size // 4, bar, size // 2)
            painter.drawRect(centre.x() + 2, centre.y() - size // 4, bar, size // 2)
        else:
            half = size // 4
            painter.drawPolygon(
                QPolygon(
                    [
                        QPoint(centre.x() - half + 2, centre.y() - half - 1),
                        QPoint(centre.x() - half + 2, centre.y() + half + 1),
                        QPoint(centre.x() + half + 2, centre.y()),
                    ]
                )
            )
        painter.setFont(small)
        time_text = f"{clock(media.position_ms)} / {clock(media.duration_ms)}"
        time_width = QFontMetrics(small).horizontalAdvance(time_text) + 4
        track_left = button.right() + 8
        track = QRect(track_left, area.center().y() - 2, max(10, area.right() - track_left - time_width - 8), 4)
        painter.setBrush(QColor(colour.red(), colour.green(), colour.blue(), 60))
        painter.drawRoundedRect(track, 2, 2)
        if media.duration_ms > 0 and media.position_ms > 0:
            done = QRect(track)
            done.setWidth(max(2, int(track.width() * min(1.0, media.position_ms / media.duration_ms))))
            painter.setBrush(QColor("#0b5ed7"))
            painter.drawRoundedRect(done, 2, 2)
        painter.setPen(colour)
        painter.drawText(
            QRect(track.right() + 8, area.top(), time_width, area.height()),
            int(Qt.AlignmentFlag.AlignAbsolute | Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
            | int(Qt.TextFlag.TextForceLeftToRight),
            time_text,
        )

    def editorEvent(
        self,
        event: QEvent,
        model: QAbstractItemModel,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> bool:
        if (
            event.type() == QEvent.Type.MouseButtonRelease
            and isinstance(event, QMouseEvent)
            and event.button() == Qt.MouseButton.LeftButton
            and self.media_rect(option, index).contains(event.position().toPoint())
        ):
            self.mediaActivated.emit(index.row())
            return True
        return super().editorEvent(event, model, option, index)
