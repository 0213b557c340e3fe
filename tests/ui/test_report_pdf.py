"""Issue 19, item 3: the funder PDF, read back as a funder's reader would (poppler's pdftotext, pdffonts,
pdfinfo): its figures, the organization, Arabic and Farsi source names as text, fonts embedded, two pages."""

from __future__ import annotations

import io
import shutil
import subprocess
import unicodedata
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import update

from moderator_app.cli.main import main
from moderator_app.domain.statistics import ALL_SOURCES, Month
from moderator_app.store.db import Database, open_database
from moderator_app.store.models import Source
from moderator_app.store.statistics import StatisticsService
from moderator_app.ui.report_pdf import write_pdf
from tests.conftest import TORONTO
from tests.support.october_log import october_log

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils (CI installs it)")

ARABIC = "مجموعة الترحيب"
FARSI = "گروه تازه‌واردان"


def text_of(pdf: Path) -> str:
    """The text a reader extracts; Arabic script comes out as the shaped glyphs' presentation forms, which
    NFKC folds back to letters."""
    done = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True)
    return unicodedata.normalize("NFKC", done.stdout)


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
    lines = {" ".join(line.split()[:-1]): line.split()[-1] for line in text.splitlines() if line.strip()}
    assert lines["Number of inquiries"] == "4"
    assert lines["Information provided"] == "2"
    assert lines["Group participants (distinct)"] == "3"
    assert "50.0 %" in text  # answered within the standard
    assert "18 h 0 min" in text and "83 h 0 min" in text  # medians in hours and minutes
    assert "How these are counted" in text and "Per month" in text
    # Source names in Arabic and Farsi are text in the file (shaped glyphs that map back to their letters).
    assert "الترحيب" in text and "تازه" in text
    fonts = subprocess.run(["pdffonts", str(pdf)], check=True, capture_output=True, text=True).stdout
    rows = fonts.splitlines()[2:]
    assert rows and all(row.split()[-5] == "yes" for row in rows), fonts  # every font embedded


def test_one_source_and_a_span_of_dates(qapp: Any, log: Database, tmp_path: Path) -> None:
    now = datetime(2025, 12, 15, tzinfo=UTC)
    report = StatisticsService(log).report(date(2025, 10, 6), date(2025, 10, 10), TORONTO, now=now)
    pdf = tmp_path / "week.pdf"
    write_pdf(report, pdf, organization="", generated_at=now, source=ARABIC, usage=None)
    text = text_of(pdf)
    assert "06 Oct 2025 to 10 Oct 2025" in text and "الترحيب" in text
    lines = {" ".join(line.split()[:-1]): line.split()[-1] for line in text.splitlines() if line.strip()}
    assert lines["Number of inquiries"] == "2"
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
