"""The funder report as a PDF: one or two pages drawn with Qt's own PDF writer.

Qt shapes Arabic, Farsi and Chinese names and embeds the fonts it used, so the file reads the same on a
funder's computer. Tables are QTextDocuments (every value from the log escaped: names are text, never
markup) and the chart is the page's own drawing (ui/trend_chart), so it stays a vector drawing. Only QtGui
objects are made (no widget), so the command line can write it under a QGuiApplication, and the window on a
worker thread (QPdfWriter, QPainter on it, QTextDocument and QImage may be used off the GUI thread).

A4, not Letter: the organizations are in Canada, Europe and elsewhere, and a Letter printer fits an A4 page
scaled by 3 % (the margins take it), while an A4 printer would cut a Letter page's bottom. One column
(a month, a quarter, a year given as dates) is portrait; more than three months side by side are landscape.
The tables' type shrinks, step by step, until the report fits two pages (twelve months with their totals do).
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QMarginsF, QRectF, QSizeF
from PySide6.QtGui import (
    QFont,
    QImage,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QTextDocument,
)

from moderator_app.domain.statistics import ALL_SOURCES, COUNTED_METRICS, Month, Report, Value
from moderator_app.reports.xlsx_report import STANDARD_LINES, USAGE_LINES, activity_lines
from moderator_app.ui.report_page import FigureLine, figure_lines, format_value
from moderator_app.ui.trend_chart import TrendSeries, paint_trend

#: Figures whose sum over months means nothing (at an end, distinct over the month, shares, times): the
#: workbook's own line definitions say which.
NOT_SUMMED: frozenset[str] = frozenset(
    line.metric for line in (*USAGE_LINES, *activity_lines(()), *STANDARD_LINES) if not line.summable
)

#: The service-standard figures a funder reads: the share met, first response and resolution (median and
#: 90th percentile, in business hours and in calendar time), and what was open at the end. The page and the
#: workbook have the response-time buckets too.
PDF_STANDARD: frozenset[str] = frozenset(
    {
        "answered_within_standard",
        "answered_within_standard_pct",
        "first_response_business_median_minutes",
        "first_response_median_minutes",
        "first_response_business_p90_minutes",
        "first_response_p90_minutes",
        "resolution_business_median_minutes",
        "resolution_median_minutes",
        "resolution_business_p90_minutes",
        "resolution_p90_minutes",
        "open_end",
        "open_overdue_end",
    }
)

#: Type sizes (points) tried in turn for the tables until the report fits two pages.
FONT_SIZES: tuple[float, ...] = (8.5, 8.0, 7.5, 7.0, 6.5)
MAX_PAGES = 2
MARGIN = 36.0  # points: half an inch
GAP = 6.0  # between blocks
CHART_MIN, CHART_MAX = 130.0, 210.0
LOGO_BOX = QSizeF(80, 56)

FSI, PDI = "\u2068", "\u2069"


def _tr(text: str) -> str:
    return QCoreApplication.translate("ReportPdf", text)


def _e(text: str) -> str:
    return html.escape(text, quote=False)


def _name(text: str) -> str:
    """A name from the log, escaped and isolated: an Arabic name (or a stray U+202E) keeps its own direction
    without reordering the sentence or the table around it."""
    return _e(f"{FSI}{text}{PDI}")


def _style(size: float) -> str:
    return f"""
body {{ font-size: {size}pt; color: #222; }}
h1 {{ font-size: 15pt; margin: 0; }}
h2 {{ font-size: {size + 2}pt; margin-top: 0; margin-bottom: 3px; }}
p.meta {{ color: #555; margin: 0; font-size: {max(size, 8.0)}pt; }}
table {{ border-collapse: collapse; }}
th {{ background: #dfe9f5; font-weight: bold; padding: 2px 3px; font-size: {size - 0.5}pt; white-space: nowrap; }}
td {{ padding: 1px 3px; border-bottom: 1px solid #e4e4e4; }}
td.n {{ text-align: right; white-space: nowrap; padding-left: 6px; }}
tr.total td {{ font-weight: bold; }}
p.note {{ color: #444; font-size: {size - 1}pt; margin: 0; }}
"""


def _value(report: Report, period: object, source: str, line: FigureLine) -> Value:
    return report.get(period, source, line.metric)  # type: ignore[arg-type]


def _table(
    report: Report, source: str, lines: Sequence[FigureLine], tr: Callable[[str], str], *, with_total: bool
) -> str:
    """One section: a column per report column, and a total where a sum over months means something."""
    periods = report.periods
    with_total = with_total and len(periods) > 1
    head = "".join(f"<th align='right'>{_e(p.label())}</th>" for p in periods)
    head += f"<th align='right'>{_e(tr('Total'))}</th>" if with_total else ""
    rows = []
    for line in lines:
        cells = [format_value(tr, _value(report, p, source, line), line.kind) for p in periods]
        if with_total:
            summable = line.kind == "count" and line.metric not in NOT_SUMMED
            total = sum(int(_value(report, p, source, line) or 0) for p in periods) if summable else None
            cells.append(format_value(tr, total, "count") if total is not None else "")
        klass = " class='total'" if line.metric == "total" else ""
        rows.append(
            f"<tr{klass}><td>{_e(line.label)}</td>"
            + "".join(f"<td class='n'>{_e(cell)}</td>" for cell in cells)
            + "</tr>"
        )
    return f"<table width='100%' cellspacing='0'><tr><th></th>{head}</tr>{''.join(rows)}</table>"


def _sections(report: Report, tr: Callable[[str], str]) -> list[tuple[str, list[FigureLine]]]:
    """The page's figures in the toolkit's order: Table 6, Table 7 and the standard (without the buckets)."""
    sections: list[tuple[str, list[FigureLine]]] = []
    for line in figure_lines(tr, report):
        if line.kind == "heading":
            sections.append((line.label, []))
        elif sections and (len(sections) < 3 or line.metric in PDF_STANDARD):
            sections[-1][1].append(line)
    return sections


def _by_source(report: Report, tr: Callable[[str], str]) -> str:
    """Table 6 per source over the whole report: each group's, channel's and the private messages' share."""
    names = [tr("Number of inquiries"), tr("Information provided"), tr("Referrals"), tr("Posts"), tr("Total")]
    head = "".join(f"<th align='right'>{_e(n)}</th>" for n in names)
    rows = []
    for source in [*report.sources, ALL_SOURCES]:
        label = _e(tr("All sources")) if source == ALL_SOURCES else _name(source)
        values = [sum(int(report.get(p, source, m) or 0) for p in report.periods) for m in (*COUNTED_METRICS, "total")]
        klass = " class='total'" if source == ALL_SOURCES else ""
        rows.append(f"<tr{klass}><td>{label}</td>" + "".join(f"<td class='n'>{v:,}</td>" for v in values) + "</tr>")
    return (
        f"<table width='100%' cellspacing='0'><tr><th align='left'>{_e(tr('Source'))}</th>{head}</tr>"
        f"{''.join(rows)}</table>"
    )


def counting_note(tr: Callable[[str], str]) -> str:
    """How the figures are counted: the README's rules, in a funder's words."""
    return tr(
        "Every figure is counted from the organization's log of its Telegram groups, channels and private "
        "messages, in the service time zone, and each can be traced to rows of that log. Inquiries are members' "
        "questions and requests (a question the rules detect, one staff answered, or one a moderator marked), "
        "counted in the month they arrived; messages a moderator dismissed as not an inquiry are left out. "
        "Information, referrals (one per partner organization named) and posts are staff messages, counted in "
        "the month they were sent. Members at the end come from joins, leaves, removals and first appearances. "
        "Participants are the distinct members who posted (for all sources, in groups and channels), each "
        "counted once per column. Questions answered exclude private messages and are counted in the month "
        "they were answered. The share answered within the standard is over the inquiries of the month that "
        "are decided (answered, or past due). First response and resolution (arrival to answer) are medians "
        "and 90th percentiles, in the business hours the service standard counts and in calendar time."
    )


@dataclass(frozen=True)
class ReportHtml:
    """The report's parts as rich text, in order; the chart goes between ``tables`` and ``note``."""

    header: str
    tables: list[str]
    note: str


def report_html(
    report: Report, *, organization: str, generated_at: datetime, source: str, tr: Callable[[str], str] = _tr
) -> ReportHtml:
    """The header; Table 6, usage by source (for all sources), Table 7 and the service standard; the note on
    how the figures are counted."""
    title = _name(organization.strip()) if organization.strip() else _e(tr("Moderator Workstation"))
    where = _e(tr("all sources")) if source == ALL_SOURCES else _name(source)
    period = _e(tr("Statistics for %1, %2")).replace("%1", _e(report.label())).replace("%2", where)
    when = generated_at.strftime("%Y-%m-%d %H:%M")
    meta = tr("Time zone: %1 · Generated %2").replace("%1", report.timezone).replace("%2", when)
    header = f"<h1>{title}</h1><p class='meta'>{period}</p><p class='meta'>{_e(meta)}</p>"
    tables = []
    for index, (heading, lines) in enumerate(_sections(report, tr)):
        standard = index == 2  # shares and times: no total column (as in the workbook)
        tables.append(f"<h2>{_e(heading)}</h2>" + _table(report, source, lines, tr, with_total=not standard))
        if index == 0 and source == ALL_SOURCES and report.sources:
            tables.append(f"<h2>{_e(tr('Usage by source'))}</h2>" + _by_source(report, tr))
    note = f"<h2>{_e(tr('How these are counted'))}</h2><p class='note'>{_e(counting_note(tr))}</p>"
    return ReportHtml(header, tables, note)


@dataclass
class _Placed:
    page: int
    top: float
    height: float
    doc: QTextDocument | None  # None: the chart


def _plan(
    header: QTextDocument,
    header_height: float,
    blocks: Sequence[QTextDocument],
    chart: QTextDocument | None,
    note: QTextDocument,
    page_height: float,
) -> list[_Placed]:
    """Where each block goes: in order, each whole on the page it fits; the chart as tall as the room left
    (between CHART_MIN and CHART_MAX), leaving the note beside it on the page when both fit."""
    placed = [_Placed(0, 0.0, header_height, header)]
    page, used = 0, header_height + GAP

    def put(doc: QTextDocument | None, height: float) -> None:
        nonlocal page, used
        if used and used + height > page_height:
            page, used = page + 1, 0.0
        placed.append(_Placed(page, used, height, doc))
        used += height + GAP

    for doc in blocks:
        put(doc, doc.size().height())
    if chart is not None:
        title = chart.size().height()
        room = page_height - used - title - GAP
        after = note.size().height() + GAP
        if room - after >= CHART_MIN:
            height = min(CHART_MAX, room - after)
        elif room >= CHART_MIN:
            height = min(CHART_MAX, room)
        else:
            height = CHART_MAX
        put(chart, title + height)
    put(note, note.size().height())
    return placed


def write_pdf(
    report: Report,
    path: Path,
    *,
    organization: str,
    generated_at: datetime,
    source: str = ALL_SOURCES,
    usage: Report | None = None,
    logo_png: bytes | None = None,
) -> int:
    """Write the funder report; returns its page count. ``usage``: Table 6 by month for the chart (the report
    itself serves when its columns are months); ``logo_png``: the organization's logo (any image Qt reads).
    Safe on a worker thread."""
    writer = QPdfWriter(str(path))
    writer.setTitle(f"{organization} — {report.label()}".strip(" —"))
    writer.setCreator("Moderator Workstation")
    writer.setResolution(72)  # one unit is one point
    wide = len(report.periods) > 3  # months side by side: landscape
    writer.setPageLayout(
        QPageLayout(
            QPageSize(QPageSize.PageSizeId.A4),
            QPageLayout.Orientation.Landscape if wide else QPageLayout.Orientation.Portrait,
            QMarginsF(MARGIN, MARGIN, MARGIN, MARGIN),
        )
    )
    area = QRectF(writer.pageLayout().paintRect(QPageLayout.Unit.Point))
    width, height = area.width(), area.height()
    parts = report_html(report, organization=organization, generated_at=generated_at, source=source)
    image = QImage.fromData(logo_png) if logo_png else QImage()
    logo_room = LOGO_BOX.width() + 10 if not image.isNull() else 0.0
    monthly = usage if usage is not None else (report if all(isinstance(p, Month) for p in report.periods) else None)
    if monthly is not None and not monthly.periods:
        monthly = None

    def document(body: str, font: QFont, size: float, text_width: float = width) -> QTextDocument:
        doc = QTextDocument()
        # Laid out for the PDF's points, not the screen's pixels (text would come out a third larger).
        doc.documentLayout().setPaintDevice(writer)
        doc.setDefaultFont(font)
        doc.setDefaultStyleSheet(_style(size))
        doc.setDocumentMargin(0)
        # Left to right for every block: left alone, a block starting with an Arabic name (the organization's,
        # a source's) would turn right to left and right-aligned inside the report. (A right-to-left
        # translation would need more: Qt's rich-text tables do not mirror their columns.)
        doc.setHtml(f"<body dir='ltr'>{body}</body>")
        doc.setTextWidth(text_width)
        return doc

    # Lay out at the largest type that fits two pages (the smallest when none does).
    for size in FONT_SIZES:
        font = QFont("Noto Sans")
        font.setPointSizeF(size)
        header = document(parts.header, font, size, width - logo_room)
        header_height = max(header.size().height(), LOGO_BOX.height() + 4 if logo_room else 0.0)
        blocks = [document(table, font, size) for table in parts.tables]
        chart_title = (
            document(f"<h2>{_e(_tr('Per month: inquiries, information, referrals and posts'))}</h2>", font, size)
            if monthly is not None
            else None
        )
        note = document(parts.note, font, size)
        plan = _plan(header, header_height, blocks, chart_title, note, height)
        if plan[-1].page < MAX_PAGES:
            break

    painter = QPainter()
    if not painter.begin(writer):
        raise OSError(f"{path} could not be written")
    try:
        page = 0
        for item in plan:
            if item.page > page:
                writer.newPage()
                page = item.page
            painter.save()
            painter.translate(0, item.top)
            if item.doc is not None and item.doc is not chart_title:
                item.doc.drawContents(painter)
            elif chart_title is not None and monthly is not None:
                chart_title.drawContents(painter)
                title = chart_title.size().height()
                _chart(painter, QRectF(0, title, width, item.height - title), monthly, source, font)
            painter.restore()
            if item.doc is header and not image.isNull():  # beside the name, its proportions kept
                ratio = min(LOGO_BOX.width() / image.width(), LOGO_BOX.height() / image.height())
                shown = QSizeF(image.width() * ratio, image.height() * ratio)
                painter.drawImage(QRectF(width - shown.width(), 0, shown.width(), shown.height()), image)
    finally:
        painter.end()
    return plan[-1].page + 1


def _chart(painter: QPainter, rect: QRectF, monthly: Report, source: str, font: QFont) -> None:
    """Table 8's chart: inquiries, information, referrals and posts per month. Its font is sized in pixels
    (points on this writer): the chart measures text with the screen's metrics, which then agree with the
    page's."""
    font = QFont(font)
    font.setPixelSize(max(6, round(font.pointSizeF())))
    series = [
        TrendSeries(name, tuple(int(monthly.get(p, source, metric) or 0) for p in monthly.periods))
        for name, metric in (
            (_tr("Inquiries"), "inquiries"),
            (_tr("Information"), "information"),
            (_tr("Referrals"), "referrals"),
            (_tr("Posts"), "posts"),
        )
    ]
    labels = [p.label() for p in monthly.periods]
    paint_trend(painter, rect, labels, series, font=font, empty_text=_tr("No months"))
