"""Issue 19, item 3: the funder PDF, read back as a funder's reader would (poppler's pdftotext, pdffonts,
pdfinfo): its figures, the organization, Arabic and Farsi source names as text, fonts embedded, two pages."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import threading
import unicodedata
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import update

from moderator_app.cli.main import main
from moderator_app.domain.statistics import ALL_SOURCES, Month
from moderator_app.store.db import Database, open_database
from moderator_app.store.models import Source
from moderator_app.store.statistics import StatisticsService
from moderator_app.ui.report_pdf import write_pdf
from tests.conftest import TORONTO
from tests.support.exportgen import TABLE6, table6_export, write_referral_csv
from tests.support.october_log import october_log

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils (CI installs it)")

ARABIC = "مجموعة الترحيب"
FARSI = "گروه تازه‌واردان"


def text_of(pdf: Path) -> str:
    """The text a reader extracts; Arabic script comes out as the shaped glyphs' presentation forms, which
    NFKC folds back to letters."""
    done = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True)
    return unicodedata.normalize("NFKC", done.stdout).translate(BIDI_CONTROLS)


#: The embedding marks pdftotext puts around right-to-left runs.
BIDI_CONTROLS = dict.fromkeys([*range(0x202A, 0x202F), *range(0x2066, 0x206A)])


def figures(text: str) -> dict[str, list[str]]:
    """Each table row of the extracted text: its label and its figures (a figure is a number, a share or a
    duration; the label is what precedes the first one)."""
    rows: dict[str, list[str]] = {}
    for line in text.splitlines():
        cells = [cell.strip() for cell in line.split("  ") if cell.strip()]
        if len(cells) >= 2 and cells[0][:1].isalpha():
            rows.setdefault(cells[0], cells[1:])
    return rows


def row(rows: dict[str, list[str]], label: str) -> list[str]:
    """The figures of the row labelled ``label``; a label wrapped onto two lines in a narrow column is
    found by its first line."""
    if label in rows:
        return rows[label]
    first_line = max((key for key in rows if label.startswith(key) and len(key) > 10), key=len)
    return rows[first_line]


def fonts_embedded(pdf: Path) -> list[str]:
    """pdffonts' rows whose emb column is not "yes" (none: every font the text uses travels with the file)."""
    fonts = subprocess.run(["pdffonts", str(pdf)], check=True, capture_output=True, text=True).stdout
    rows = fonts.splitlines()[2:]
    assert rows, fonts
    return [row for row in rows if row.split()[-5] != "yes"]


def pages_of(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))


@pytest.fixture
def log(tmp_path: Path) -> Database:
    db = open_database(data_dir=tmp_path / "data")
    october_log(db, tmp_path)
    with db.sessions.begin() as session:  # two groups named in Arabic and in Farsi
        session.execute(update(Source).where(Source.name == "Group A").values(name=ARABIC))
        session.execute(update(Source).where(Source.name == "Group B").values(name=FARSI))
    return db


def test_the_funder_pdf_says_the_month_s_figures(qapp: Any, log: Database, tmp_path: Path) -> None:
    now = datetime(2025, 12, 15, tzinfo=UTC)
    october = Month(2025, 10)
    report = StatisticsService(log).report(october, october, TORONTO, now=now)
    usage = StatisticsService(log).usage_by_month(Month(2024, 11), october, TORONTO)
    pdf = tmp_path / "october.pdf"
    pages = write_pdf(
        report, pdf, organization="Refugee <613>", generated_at=now.astimezone(TORONTO), usage=usage, logo_png=None
    )
    assert pages == pages_of(pdf) == 2
    text = text_of(pdf)
    assert "Refugee <613>" in text  # the name as written: text, never markup
    assert "Statistics for Oct-25, all sources" in text and "America/Toronto" in text
    rows = figures(text)
    assert rows["Number of inquiries"] == ["4"]
    assert rows["Information provided"] == ["2"]
    assert rows["Referrals to partner agencies"] == ["0"]
    assert rows["Posts"] == ["1"] and rows["Total"] == ["7"]
    assert rows["Group participants (distinct)"] == ["3"]
    assert rows["Share answered within the standard"] == ["50.0 %"]
    # Medians and 90th percentiles in hours and minutes, business and calendar (never thousands of minutes).
    assert rows["First response, median (business hours)"] == ["18 h 0 min"]
    assert rows["First response, median (calendar)"] == ["83 h 0 min"]
    assert rows["First response, 90th percentile (business hours)"] == ["23 h 12 min"]
    assert rows["Resolution, median (calendar)"] == ["83 h 0 min"]
    assert "How these are counted" in text and "Per month" in text and "90th percentiles" in text
    # Source names in Arabic and Farsi are text in the file (shaped glyphs that map back to their letters),
    # each with its own figures in the table of sources.
    arabic = next(label for label in rows if "الترحيب" in label)
    farsi = next(label for label in rows if "گروه" in label and "تازه" in label and "واردان" in label)
    assert rows[arabic] == ["3", "2", "0", "1", "6"] and rows[farsi] == ["1", "0", "0", "0", "1"]
    assert rows["All sources"] == ["4", "2", "0", "1", "7"]
    assert fonts_embedded(pdf) == []


def test_one_source_and_a_span_of_dates(qapp: Any, log: Database, tmp_path: Path) -> None:
    now = datetime(2025, 12, 15, tzinfo=UTC)
    report = StatisticsService(log).report(date(2025, 10, 6), date(2025, 10, 10), TORONTO, now=now)
    pdf = tmp_path / "week.pdf"
    write_pdf(report, pdf, organization="", generated_at=now, source=ARABIC, usage=None)
    text = text_of(pdf)
    assert "06 Oct 2025 to 10 Oct 2025" in text and "الترحيب" in text
    assert figures(text)["Number of inquiries"] == ["2"]
    assert "Usage by source" not in text  # one source: no table of sources
    assert "Moderator Workstation" in text  # no organization name set: the product's


def test_report_format_pdf_on_the_command_line(qapp: Any, log: Database, tmp_path: Path) -> None:
    logo = tmp_path / "logo.png"
    from PySide6.QtGui import QColor, QImage

    image = QImage(1200, 600, QImage.Format.Format_RGB32)
    image.fill(QColor("#0072B2"))
    assert image.save(str(logo))
    where = ["--data-dir", str(tmp_path / "data")]
    out, err = io.StringIO(), io.StringIO()
    assert main([*where, "organization", "--name", "Centre d'accueil", "--logo", str(logo)], out, err) == 0, err
    assert "logo: set" in out.getvalue()
    pdf = tmp_path / "q4.pdf"
    out, err = io.StringIO(), io.StringIO()
    code = main([*where, "report", "--from", "2025-10", "--to", "2025-12-31", "--output", str(pdf)], out, err)
    assert code == 0, err.getvalue()
    assert "funder report" in out.getvalue() and pdf.exists()
    text = text_of(pdf)
    assert "Centre d'accueil" in text and "Oct-25 to Dec-25" in text
    images = subprocess.run(["pdfimages", "-list", str(pdf)], check=True, capture_output=True, text=True).stdout
    assert len(images.splitlines()) == 3  # the logo (header, rule, one image), scaled down to 512 px
    assert " 512 " in images.splitlines()[2]
    out, err = io.StringIO(), io.StringIO()
    code = main(
        [*where, "report", "--from", "2025-10", "--to", "2025-10", "--source", "Nowhere", "--output", str(pdf)],
        out,
        err,
    )
    assert code == 1 and "no source 'Nowhere'" in err.getvalue()
    out, err = io.StringIO(), io.StringIO()
    assert main([*where, "organization", "--logo", str(tmp_path / "data")], out, err) == 1
    assert ALL_SOURCES == "all"


def test_twelve_months_fit_two_landscape_pages(qapp: Any, tmp_path: Path) -> None:
    """The toolkit's year (Refugee 613's group, March 2017 to February 2018) through `report --format pdf`:
    a column per month and a total, the figures the toolkit printed, durations in hours and minutes."""
    where = ["--data-dir", str(tmp_path / "data")]
    export, partners = tmp_path / "result.json", tmp_path / "partners.csv"
    table6_export(export, ZoneInfo("America/Toronto"))
    write_referral_csv(partners)
    for command in (
        ["standard", "set", "--timezone", "America/Toronto", "--holidays", "CA-ON"],
        ["referrals", "import", str(partners)],
        ["import-telegram-export", str(export), "--staff", "9000"],
        ["organization", "--name", "Refugee 613"],
    ):
        out, err = io.StringIO(), io.StringIO()
        assert main([*where, *command], out, err) == 0, err.getvalue()
    pdf = tmp_path / "year.pdf"
    out, err = io.StringIO(), io.StringIO()
    code = main(
        [*where, "report", "--from", "2017-03", "--to", "2018-02", "--format", "pdf", "--output", str(pdf)], out, err
    )
    assert code == 0, err.getvalue()
    assert "(2 pages)" in out.getvalue()
    assert pages_of(pdf) == 2
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
    assert "842 x 595 pts (A4)" in info  # landscape: twelve months and a total side by side
    text = text_of(pdf)
    rows = figures(text)
    assert "Refugee 613" in text and "Mar-17 to Feb-18" in text
    assert rows["Number of inquiries"] == [*map(str, TABLE6["inquiries"]), "279"]
    assert rows["Information provided"] == [*map(str, TABLE6["information"]), "169"]
    assert rows["Referrals to partner agencies"] == [*map(str, TABLE6["referrals"]), "221"]
    assert rows["Posts"] == [*map(str, TABLE6["posts"]), "458"]
    assert rows["Total"][-1] == "1,127" and rows["Total"][6] == "81"
    # Shares and times are not summed: the standard's rows have a figure per month and no total.
    share = row(rows, "Share answered within the standard")
    assert len(share) == 12 and share[1] == "71.9 %" and share[0] == "100.0 %"
    calendar = row(rows, "First response, median (calendar)")
    # (pdftotext may set neighbouring durations one space apart: they are told apart by their shape.)
    calendar = re.findall(r"(?:\d+ h )?\d+ min", " ".join(calendar))
    assert len(calendar) == 12 and calendar[1] == "23 h 8 min" and calendar[-1] == "27 h 45 min", calendar
    assert re.findall(r"(?:\d+ h )?\d+ min", " ".join(row(rows, "Resolution, 90th percentile (calendar)")))[-1] == (
        "30 h 57 min"
    )
    assert fonts_embedded(pdf) == []


def test_written_on_a_worker_thread(qapp: Any, log: Database, tmp_path: Path) -> None:
    """The window writes the PDF off its own thread: QPdfWriter, QTextDocument and QImage, no pixmap."""
    now = datetime(2025, 12, 15, tzinfo=UTC)
    report = StatisticsService(log).report(Month(2025, 10), Month(2025, 10), TORONTO, now=now)
    pdf = tmp_path / "thread.pdf"
    pages: list[int] = []
    errors: list[BaseException] = []

    def work() -> None:
        try:
            pages.append(write_pdf(report, pdf, organization="Refugee 613", generated_at=now, source=ARABIC))
        except BaseException as exc:  # reported below, on the test's thread
            errors.append(exc)

    worker = threading.Thread(target=work)
    worker.start()
    worker.join(60)
    assert not errors and pages and pages[0] == pages_of(pdf)
    assert figures(text_of(pdf))["Number of inquiries"] == ["3"]
