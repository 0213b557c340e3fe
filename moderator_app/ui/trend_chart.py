"""The toolkit's Table 8 kind of chart: inquiries, information, referrals and posts per month, as lines.

Drawn with QPainter alone, so the reports page and the PDF draw the same chart (a vector drawing in the
PDF, no image); QtCharts would give the page a chart the PDF could only paste as a picture.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPainterPath, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

#: Okabe-Ito colours: told apart by people with the common colour-vision deficiencies, and in grey print.
SERIES_COLOURS: tuple[str, ...] = ("#0072B2", "#E69F00", "#009E73", "#CC79A7")
#: Each series also has its own marker, so a black-and-white printout still tells them apart.
MARKERS: tuple[str, ...] = ("circle", "square", "triangle", "diamond")


@dataclass(frozen=True)
class TrendSeries:
    name: str
    values: tuple[int, ...]


def nice_ceiling(value: float) -> tuple[float, float]:
    """An axis top at or above ``value`` and its step: 1, 2 or 5 times a power of ten, four or five steps."""
    if value <= 0:
        return 4.0, 1.0
    raw = value / 4.0
    power = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 5, 10):
        step = factor * power
        if step >= raw:
            break
    step = max(step, 1.0)
    return step * math.ceil(value / step), step


def _marker(painter: QPainter, shape: str, at: QPointF, size: float) -> None:
    half = size / 2
    if shape == "circle":
        painter.drawEllipse(at, half, half)
    elif shape == "square":
        painter.drawRect(QRectF(at.x() - half, at.y() - half, size, size))
    else:
        path = QPainterPath()
        if shape == "triangle":
            path.moveTo(at.x(), at.y() - half)
            path.lineTo(at.x() + half, at.y() + half)
            path.lineTo(at.x() - half, at.y() + half)
        else:
            path.moveTo(at.x(), at.y() - half)
            path.lineTo(at.x() + half, at.y())
            path.lineTo(at.x(), at.y() + half)
            path.lineTo(at.x() - half, at.y())
        path.closeSubpath()
        painter.drawPath(path)


def paint_trend(
    painter: QPainter,
    rect: QRectF,
    labels: Sequence[str],
    series: Sequence[TrendSeries],
    *,
    font: QFont,
    empty_text: str,
    right_to_left: bool = False,
) -> None:
    """Draw the chart into ``rect``: a legend on top, a value axis, one line per series, month labels below.
    Months run in reading order (right to left in a right-to-left layout), as a reader of the page expects."""
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setFont(font)
    metrics = QFontMetricsF(font)
    line_height = metrics.height()
    text_pen = QPen(QColor("#222222"))
    grid_pen = QPen(QColor("#d0d0d0"), 0.6)

    # Legend: a marker and a name per series, in one row (wrapping when the names are wide).
    x, y = rect.left(), rect.top()
    for index, item in enumerate(series):
        width = line_height * 1.6 + metrics.horizontalAdvance(item.name) + line_height
        if x + width > rect.right() and x > rect.left():
            x, y = rect.left(), y + line_height * 1.2
        colour = QColor(SERIES_COLOURS[index % len(SERIES_COLOURS)])
        painter.setPen(QPen(colour, 2))
        painter.setBrush(colour)
        middle = QPointF(x + line_height * 0.6, y + line_height / 2)
        painter.drawLine(QPointF(x, middle.y()), QPointF(x + line_height * 1.2, middle.y()))
        _marker(painter, MARKERS[index % len(MARKERS)], middle, line_height * 0.45)
        painter.setPen(text_pen)
        painter.drawText(QPointF(x + line_height * 1.6, y + metrics.ascent()), item.name)
        x += width
    top = y + line_height * 1.6

    peak = max((v for item in series for v in item.values), default=0)
    ceiling, step = nice_ceiling(float(peak))
    axis_width = metrics.horizontalAdvance(f"{int(ceiling):,}") + line_height * 0.6
    plot = QRectF(rect.left() + axis_width, top, rect.width() - axis_width - line_height * 0.5, 0)
    plot.setBottom(rect.bottom() - line_height * 1.6)
    if plot.height() <= line_height or plot.width() <= line_height or not labels:
        painter.setPen(text_pen)
        painter.drawText(rect, int(Qt.AlignmentFlag.AlignCenter), empty_text)
        painter.restore()
        return

    # Value axis and grid.
    steps = round(ceiling / step)
    for i in range(steps + 1):
        value = step * i
        y = plot.bottom() - plot.height() * value / ceiling
        painter.setPen(grid_pen)
        painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
        painter.setPen(text_pen)
        box = QRectF(rect.left(), y - line_height / 2, axis_width - line_height * 0.3, line_height)
        painter.drawText(box, int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter), f"{int(value):,}")

    count = len(labels)
    slot = plot.width() / count

    def x_of(i: int) -> float:
        position = count - 1 - i if right_to_left else i
        return plot.left() + slot * (position + 0.5)

    # Month labels: every one when they fit, else every n-th.
    widest = max(metrics.horizontalAdvance(label) for label in labels) + line_height * 0.5
    every = max(1, math.ceil(widest / slot))
    painter.setPen(text_pen)
    for i, label in enumerate(labels):
        if i % every:
            continue
        box = QRectF(x_of(i) - widest / 2, plot.bottom() + line_height * 0.3, widest, line_height)
        painter.drawText(box, int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop), label)

    for index, item in enumerate(series):
        colour = QColor(SERIES_COLOURS[index % len(SERIES_COLOURS)])
        points = [
            QPointF(x_of(i), plot.bottom() - plot.height() * value / ceiling)
            for i, value in enumerate(item.values[:count])
        ]
        painter.setPen(QPen(colour, 2))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPolyline(points)
        painter.setBrush(colour)
        for point in points:
            _marker(painter, MARKERS[index % len(MARKERS)], point, line_height * 0.4)
    painter.setPen(QPen(QColor("#888888"), 1))
    painter.drawLine(plot.bottomLeft(), plot.bottomRight())
    painter.restore()


class TrendChart(QWidget):
    """The chart on the reports page."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._labels: list[str] = []
        self._series: list[TrendSeries] = []
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setAccessibleName(self.tr("Trend of inquiries, information, referrals and posts per month"))

    def set_data(self, labels: Sequence[str], series: Sequence[TrendSeries]) -> None:
        self._labels = list(labels)
        self._series = list(series)
        description = "; ".join(
            f"{item.name}: " + ", ".join(f"{label} {value}" for label, value in zip(labels, item.values, strict=False))
            for item in series
        )
        self.setAccessibleDescription(description)
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(480, 240)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), self.palette().base())
        paint_trend(
            painter,
            QRectF(self.rect()).adjusted(8, 8, -8, -8),
            self._labels,
            self._series,
            font=self.font(),
            empty_text=self.tr("No months to chart"),
            right_to_left=self.layoutDirection() == Qt.LayoutDirection.RightToLeft,
        )
        painter.end()
