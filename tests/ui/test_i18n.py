"""Plurals read right ("1 inquiry", "2 inquiries"), and the shipped translation is built from its source
and covers every counted sentence of the window."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from typing import Any

from moderator_app.ui.i18n import TRANSLATIONS
from moderator_app.ui.inbox_model import InboxModel, InboxProxy
from moderator_app.ui.inbox_panel import InboxPanel
from tests.support.inbox_entries import TORONTO, FakeNow, OneClock, entry, local

TOOLS = Path(sys.executable).parent


def test_counts_are_said_in_the_singular_and_the_plural(qtbot: Any) -> None:
    model = InboxModel(OneClock(), FakeNow(local(2026, 11, 17, 10, 0)), TORONTO)
    panel = InboxPanel(InboxProxy(model), [])
    qtbot.addWidget(panel)
    model.set_entries([entry(1, local(2026, 11, 17, 9, 0))])
    assert panel.count_label.text() == "1 inquiry"  # was "1 inquiries"
    model.set_entries([entry(1, local(2026, 11, 17, 9, 0)), entry(2, local(2026, 11, 17, 9, 5))])
    assert panel.count_label.text() == "2 inquiries"


def test_the_translation_is_built_from_its_source_and_has_every_counted_sentence(tmp_path: Path) -> None:
    source = TRANSLATIONS / "moderator_en.ts"
    built = tmp_path / "moderator_en.qm"
    subprocess.run([str(TOOLS / "pyside6-lrelease"), str(source), "-qm", str(built)], check=True, capture_output=True)
    assert built.read_bytes() == (TRANSLATIONS / "moderator_en.qm").read_bytes(), "run pyside6-lrelease"
    fresh = tmp_path / "fresh.ts"
    ui = sorted(str(p) for p in (Path(__file__).resolve().parents[2] / "moderator_app" / "ui").glob("*.py"))
    subprocess.run(
        [str(TOOLS / "pyside6-lupdate"), *ui, "-pluralonly", "-locations", "none", "-ts", str(fresh)],
        check=True,
        capture_output=True,
    )
    wanted = set(re.findall(r"<source>(.*?)</source>", fresh.read_text()))
    shipped = set(re.findall(r"<source>(.*?)</source>", source.read_text()))
    assert wanted <= shipped, f"counted sentences without their forms: {sorted(wanted - shipped)}"
    assert 'type="unfinished"' not in source.read_text()
