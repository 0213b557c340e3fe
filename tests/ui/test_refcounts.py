"""PySide 6.12.0 loses a reference to None each time Python reads a role a Python model answers with None
(``QModelIndex.data``) and on every repaint of a view. Python 3.11's None is an ordinary object: a window open
all day (countdowns repaint every second, a playing voice note many times a second) ran its count down to zero
and the process aborted ("Fatal Python error: none_dealloc"). The app pins a PySide release without the bug;
this test fails on one that has it."""

from __future__ import annotations

import sys
from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import QListView


class _Nothing(QAbstractListModel):
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 3

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        return None


def test_reading_and_painting_none_keeps_none_alive(qtbot: Any) -> None:
    model = _Nothing()
    view = QListView()
    qtbot.addWidget(view)
    view.setModel(model)
    view.show()
    qtbot.waitExposed(view)
    index = model.index(0)
    before = sys.getrefcount(None)
    for _ in range(2000):
        index.data(Qt.ItemDataRole.FontRole)
    for _ in range(200):
        view.viewport().repaint()
    # The bug loses one per read and per repaint (2,200 here); threads left by other tests may drop a few of
    # their own references to None meanwhile, which is no loss.
    assert sys.getrefcount(None) >= before - 100
