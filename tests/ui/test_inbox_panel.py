"""The inbox panel in a real widget tree: filters drive the proxy, the timer repaints countdowns, the
selection survives a rebuild; and a picture of it, right-to-left with Arabic and Farsi text."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from PySide6.QtCore import QLocale, Qt
from PySide6.QtWidgets import QApplication

from moderator_app.ui.inbox_model import InboxModel, InboxProxy, View
from moderator_app.ui.inbox_panel import InboxPanel
from tests.support.inbox_entries import TORONTO, FakeNow, OneClock, entry, local

SAMPLES = [
    (1, local(2026, 11, 16, 12, 0), "ar", "كيف أسجل أطفالي في المدرسة؟", "ليلى حداد", "education"),
    (
        2,
        local(2026, 11, 17, 9, 30),
        "fa",
        "سلام، برای گرفتن کارت بیمه درمانی چه مدارکی لازم است؟",
        "رضا کریمی",
        "health",
    ),
    (
        3,
        local(2026, 11, 13, 16, 0),
        "fr",
        "Bonjour, où puis-je renouveler mon permis de travail ?",
        "Jean-Baptiste",
        "employment",
    ),
    (4, local(2026, 11, 17, 8, 0), "en", "Is the food bank open on Saturday?", "Grace", "food"),
    (5, local(2026, 11, 17, 9, 50), "zh", "请问在哪里可以上英语课？", "王芳", "language"),
]


def _panel(qtbot: Any, now: FakeNow) -> tuple[InboxModel, InboxProxy, InboxPanel]:
    model = InboxModel(OneClock(), now, TORONTO)
    model.set_entries(
        [
            entry(i, at, language=lang, text=text, member=member, topic=topic, source="Newcomers Ottawa")
            for i, at, lang, text, member, topic in SAMPLES
        ]
    )
    proxy = InboxProxy(model)
    panel = InboxPanel(proxy, [(1, "Newcomers Ottawa"), (2, "Private messages")], tick_ms=20)
    qtbot.addWidget(panel)
    panel.resize(1100, 320)
    return model, proxy, panel


def test_filters_timer_and_selection(qtbot: Any) -> None:
    now = FakeNow(local(2026, 11, 17, 10, 0))
    model, proxy, panel = _panel(qtbot, now)
    panel.show()
    qtbot.waitExposed(panel)
    assert panel.count_label.text() == "5 inquiries"
    panel.table.selectRow(2)
    chosen = panel.current_entry()
    assert chosen is not None
    with qtbot.waitSignal(panel.selected) as signal:
        panel.table.selectRow(1)
    assert signal.args[0] is panel.current_entry()
    kept = panel.current_entry()
    assert kept is not None
    panel.view_box.setCurrentIndex(panel.view_box.findData(View.ALL))
    assert panel.current_entry() is not None and panel.current_entry().id == kept.id  # type: ignore[union-attr]
    panel.language_box.setCurrentIndex(panel.language_box.findData("fa"))
    assert proxy.rowCount() == 1 and panel.count_label.text() == "1 inquiry"
    panel.language_box.setCurrentIndex(0)
    panel.view_box.setCurrentIndex(panel.view_box.findData(View.OVERDUE))
    assert [proxy.entry(r).id for r in range(proxy.rowCount())] == [3]
    panel.view_box.setCurrentIndex(0)
    # The timer repaints the visible countdowns: the time moves on, the text follows.
    first = proxy.index(0, 0)
    before = proxy.data(first)
    now.at = local(2026, 11, 17, 10, 30)
    with qtbot.waitSignal(proxy.dataChanged, timeout=1000):
        pass
    assert proxy.data(first) != before


def test_screenshot_right_to_left(qtbot: Any, tmp_path: Path) -> None:
    now = FakeNow(local(2026, 11, 17, 10, 0))
    QApplication.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
    try:
        _, _, panel = _panel(qtbot, now)
        panel.setLocale(QLocale(QLocale.Language.Arabic))
        panel.show()
        qtbot.waitExposed(panel)
        picture = panel.grab()
        path = tmp_path / "inbox-rtl.png"
        assert picture.save(str(path))
        assert picture.width() >= 1000 and path.stat().st_size > 10_000
        # The first column sits on the right in a right-to-left layout.
        header = panel.table.horizontalHeader()
        assert header.sectionViewportPosition(0) > header.sectionViewportPosition(5)
        # Choosing a row from code (next/previous inquiry, a kept selection) works right-to-left too, with the
        # table wider than its columns (QTableView.selectRow selects nothing there).
        panel.resize(1600, 320)
        panel.table.setColumnHidden(6, True)
        with qtbot.waitSignal(panel.selected) as signal:
            panel.select_row(2)
        assert panel.current_entry() is not None and signal.args[0].id == panel.current_entry().id  # type: ignore[union-attr]
        assert len(panel.table.selectionModel().selectedRows()) == 1
    finally:
        QApplication.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
    import os

    keep = os.environ.get("MW_SCREENSHOTS")
    if keep:
        picture.save(str(Path(keep) / "inbox-rtl.png"))


def test_the_pane_follows_the_list_an_inquiry_that_leaves_it_is_not_kept(qtbot: Any) -> None:
    """Answered, confirmed or dismissed (the list is read again), the inquiry gives its place to the next;
    a filter that hides it leaves nothing selected; one that changed and stays is shown as it is now."""
    now = FakeNow(local(2026, 11, 17, 10, 0))
    model, proxy, panel = _panel(qtbot, now)
    shown: list[Any] = []
    panel.selected.connect(shown.append)
    panel.show()
    qtbot.waitExposed(panel)
    panel.select_row(1)
    reading = panel.current_entry()
    assert reading is not None
    model.merge([replace(reading, state="acknowledged", first_response=now.at)])  # still open: stays, updated
    assert shown[-1].id == reading.id and shown[-1].state == "acknowledged"
    row = panel.table.currentIndex().row()  # met: it sorts lower now
    below = proxy.entry(row + 1) if row + 1 < proxy.rowCount() else proxy.entry(row - 1)
    model.merge([replace(reading, state="answered", first_response=now.at)])  # leaves the open inquiries
    assert shown[-1] is not None and shown[-1].id == below.id
    assert panel.current_entry() is not None and panel.current_entry().id == below.id  # type: ignore[union-attr]
    other = "fr" if below.language != "fr" else "ar"
    panel.language_box.setCurrentIndex(panel.language_box.findData(other))  # a filter that hides it
    assert proxy.rowCount() == 1
    assert shown[-1] is None and panel.current_entry() is None
