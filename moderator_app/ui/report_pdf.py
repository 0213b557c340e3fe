"""The funder report as a PDF: one or two pages drawn with Qt's own PDF writer.

Qt shapes Arabic, Farsi and Chinese names and embeds the fonts it used, so the file reads the same on a
funder's computer. Tables are a QTextDocument (every value from the log escaped: names are text, never
markup) and the chart is the page's own drawing (ui/trend_chart), so it stays a vector drawing. Only QtGui is
used, so the command line can write it under a QGuiApplication, and the window off its own thread.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QMarginsF, QRectF, QSizeF
from PySide6.QtGui import QFont, QImage, QPageLayout, QPageSize, QPainter, QPdfWriter, QTextDocument

from moderator_app.domain.statistics import ALL_SOURCES, COUNTED_METRICS, Month, Report, Value, hours_and_minutes
from moderator_app.ui.report_page import FigureLine, figure_lines, format_value
from moderator_app.ui.trend_chart import TrendSeries, paint_trend

#: Figures a sum over months means something for (the others are at an end, distinct, shares or times).
_SUMMABLE_KINDS = frozenset({"count"})
_NOT_SUMMED = frozenset({"members_end", "participants", "open_end", "open_overdue_end", "answered_within_standard_pct"})

_STYLE = """
body { font-size: 8.5pt; color: #222; }
h1 { font-size: 15pt; margin: 0; }
h2 { font-size: 10.5pt; margin-top: 8px; margin-bottom: 3px; }
p.meta { color: #555; margin: 0; }
table { border-collapse: collapse; }
th { background: #dfe9f5; font-weight: bold; padding: 2px 3px; font-size: 7.5pt; }
td { padding: 1px 3px; border-bottom: 1px solid #e4e4e4; }
td.n { text-align: right; }
tr.total td { font-weight: bold; }
p.note { color: #444; font-size: 7pt; margin-top: 0; }
"""


def _tr(text: str) -> str:
    return QCoreApplication.translate("ReportPdf", text)


def _e(text: str) -> str:
    return html.escape(text, quote=False)


def _value(report: Report, period: object, source: str, line: FigureLine) -> Value:
    return report.get(period, source, line.metric)  # type: ignore[arg-type]


def _table(report: Report, source: str, lines: Sequence[FigureLine], tr: Callable[[str], str]) -> str:
    """One section: a column per report column, and a total where a sum over months means something."""
    periods = report.periods
    with_total = len(periods) > 1
    # A non-breaking hyphen: "Dec-24" must not break into "Dec-2" and "4" in a narrow column.
    head = "".join(f"<th nowrap>{_e(p.label().replace('-', chr(0x2011)))}</th>" for p in periods)
    head += f"<th nowrap>{_e(tr('Total'))}</th>" if with_total else ""
    rows = []
    for line in lines:
        cells = [_cell(tr, _value(report, p, source, line), line.kind, compact=with_total) for p in periods]
        if with_total:
            summable = line.kind in _SUMMABLE_KINDS and line.metric not in _NOT_SUMMED
            total = sum(int(_value(report, p, source, line) or 0) for p in periods) if summable else None
            cells.append(format_value(tr, total, "count") if total is not None else "")
        klass = " class='total'" if line.metric == "total" else ""
        rows.append(
            f"<tr{klass}><td>{_e(line.label)}</td>"
            + "".join(f"<td class='n' nowrap>{_e(c)}</td>" for c in cells)
            + "</tr>"
        )
    label_width = 70 if len(periods) == 1 else 31  # per cent of the width: labels wrap only when months crowd
    return f"<table width='100%'><tr><th align='left' width='{label_width}%'></th>{head}</tr>{''.join(rows)}</table>"


#: The service-standard figures a funder reads (the page and the XLSX have the percentiles and the buckets
#: too): with them the report stays within two pages for twelve months.
PDF_STANDARD = frozenset(
    {
        "answered_within_standard",
        "answered_within_standard_pct",
        "first_response_business_median_minutes",
        "first_response_median_minutes",
        "first_response_business_p90_minutes",
        "resolution_business_median_minutes",
        "resolution_median_minutes",
        "open_end",
        "open_overdue_end",
    }
)


def _cell(tr: Callable[[str], str], value: Value, kind: str, *, compact: bool) -> str:
    """A value as the page shows it; side by side with other months a duration is ``94:21`` (hours:minutes),
    so twelve months fit across a landscape page."""
    if compact and kind == "duration" and value is not None:
        split = hours_and_minutes(float(value))
        if split is not None:
            return f"{split[0]}:{split[1]:02d}"
    return format_value(tr, value, kind)


def _sections(report: Report, tr: Callable[[str], str]) -> list[tuple[str, list[FigureLine]]]:
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
    head = "".join(f"<th>{_e(n)}</th>" for n in names)
    rows = []
    for source in [*report.sources, ALL_SOURCES]:
        label = tr("All sources") if source == ALL_SOURCES else source
        values = [sum(int(report.get(p, source, m) or 0) for p in report.periods) for m in (*COUNTED_METRICS, "total")]
        klass = " class='total'" if source == ALL_SOURCES else ""
        # A source's name is its own text, in its own direction (an Arabic name inside an English table).
        rows.append(
            f"<tr{klass}><td dir='auto'>{_e(label)}</td>"
            + "".join(f"<td class='n'>{v:,}</td>" for v in values)
            + "</tr>"
        )
    return f"<table width='100%'><tr><th align='left'>{_e(tr('Source'))}</th>{head}</tr>{''.join(rows)}</table>"


def report_html(
    report: Report, *, organization: str, generated_at: datetime, source: str, tr: Callable[[str], str] = _tr
) -> tuple[str, list[str], str]:
    """The header, the tables in order (Table 6, Table 7, the service standard), and what follows the chart:
    usage by source (for all sources) and the note on how the figures are counted."""
    where = tr("all sources") if source == ALL_SOURCES else source
    title = organization.strip() or tr("Moderator Workstation")
    period = tr("Statistics for %1, %2").replace("%1", report.label()).replace("%2", where)
    when = generated_at.strftime("%Y-%m-%d %H:%M")
    meta = tr("Time zone: %1 · Generated %2").replace("%1", report.timezone).replace("%2", when)
    header = f"<h1 dir='auto'>{_e(title)}</h1><p class='meta'>{_e(period)}</p><p class='meta'>{_e(meta)}</p>"
    tables = [f"<h2>{_e(heading)}</h2>" + _table(report, source, lines, tr) for heading, lines in _sections(report, tr)]
    if len(report.periods) > 1:  # side by side, durations are hours:minutes (see _cell)
        tables[-1] = tables[-1].replace("</h2>", " " + _e(tr("(durations in hours:minutes)")) + "</h2>", 1)
    if source == ALL_SOURCES and report.sources:
        note = f"<h2>{_e(tr('Usage by source'))}</h2>" + _by_source(report, tr)
    else:
        note = ""
    note += f"<h2>{_e(tr('How these are counted'))}</h2><p class='note'>{_e(counting_note(tr))}</p>"
    return header, tables, note


def counting_note(tr: Callable[[str], str]) -> str:
    return tr(
        "Every figure is counted from the organization's log of its Telegram groups, channels and private "
        "messages, in the service time zone. Inquiries are members' questions and requests (a question the "
        "rules detect, or one staff answered, or one a moderator marked), counted in the period they arrived; "
        "messages a moderator dismissed as not an inquiry are left out. Information, referrals and posts are "
        "staff messages, counted when sent. Members at the end come from joins, leaves, removals and first "
        "appearances; participants are distinct members who wrote, counted once over the whole period. "
        "Questions answered exclude private messages and are counted when answered. Answered within the "
        "standard is the share of decided inquiries (answered, or past due) whose first response met the "
        "service standard. First response and resolution (arrival to answer) are medians and 90th "
        "percentiles, in calendar time and in the business hours the standard counts."
    )


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
    """Write the funder report; returns its page count. ``usage``: Table 6 by month for the chart (the
    report itself when its columns are months)."""
    writer = QPdfWriter(str(path))
    writer.setTitle(f"{organization} — {report.label()}".strip(" —"))
    writer.setCreator("Moderator Workstation")
    writer.setResolution(72)  # one unit is one point
    wide = len(report.periods) > 3  # months side by side: landscape
    writer.setPageLayout(
        QPageLayout(
            QPageSize(QPageSize.PageSizeId.A4),
            QPageLayout.Orientation.Landscape if wide else QPageLayout.Orientation.Portrait,
            QMarginsF(36, 36, 36, 36),
        )
    )
    area = QRectF(writer.pageLayout().paintRect(QPageLayout.Unit.Point))
    width, height = area.width(), area.height()
    font = QFont("Noto Sans")
    font.setPointSizeF(8.5)
    header, tables, note = report_html(report, organization=organization, generated_at=generated_at, source=source)
    image = QImage.fromData(logo_png) if logo_png else QImage()

    def document(body: str, text_width: float = width) -> QTextDocument:
        doc = QTextDocument()
        doc.setDefaultFont(font)
        doc.setDefaultStyleSheet(_STYLE)
        doc.setDocumentMargin(0)
        doc.setHtml(f"<body>{body}</body>")
        doc.setTextWidth(text_width)
        return doc

    monthly = usage if usage is not None else (report if all(isinstance(p, Month) for p in report.periods) else None)
    painter = QPainter()
    if not painter.begin(writer):
        raise OSError(f"{path} could not be written")
    pages, used = 1, 0.0

    def place(doc: QTextDocument) -> None:
        nonlocal pages, used
        if used and used + doc.size().height() > height:
            writer.newPage()
            pages, used = pages + 1, 0.0
        painter.save()
        painter.translate(0, used)
        doc.drawContents(painter)
        painter.restore()
        used += doc.size().height() + 6

    try:
        logo_room = 90.0 if not image.isNull() else 0.0
        top = document(header, width - logo_room)
        place(top)
        if not image.isNull():  # top right, beside the name, its proportions kept
            ratio = min(80 / image.width(), 56 / image.height())
            shown = QSizeF(image.width() * ratio, image.height() * ratio)
            painter.drawImage(QRectF(width - shown.width(), 0, shown.width(), shown.height()), image)
            used = max(used, 62.0)
        for table in tables:  # each on the page it fits, whole
            place(document(table))
        # The chart after the tables, as tall as the room before the note allows (a page of its own if short).
        closing = document(note)
        if monthly is not None and monthly.periods:
            title = document(f"<h2>{_e(_tr('Per month: inquiries, information, referrals and posts'))}</h2>")
            room = height - used - title.size().height() - 12
            chart_height = min(210.0, room)
            if chart_height < 100:  # too little room: the chart on the next page
                writer.newPage()
                pages, used, chart_height = pages + 1, 0.0, 210.0
            place(title)
            labels = [p.label() for p in monthly.periods]
            series = [
                TrendSeries(name, tuple(int(monthly.get(p, source, metric) or 0) for p in monthly.periods))
                for name, metric in (
                    (_tr("Inquiries"), "inquiries"),
                    (_tr("Information"), "information"),
                    (_tr("Referrals"), "referrals"),
                    (_tr("Posts"), "posts"),
                )
            ]
            paint_trend(
                painter, QRectF(0, used, width, chart_height), labels, series, font=font, empty_text=_tr("No months")
            )
            used += chart_height + 8
        place(closing)
    finally:
        painter.end()
    return pages
