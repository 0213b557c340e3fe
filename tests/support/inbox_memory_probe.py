"""The inbox's peak memory with every inquiry of a log loaded, in a fresh process.

``python -m tests.support.inbox_memory_probe DATA_DIR NOW`` loads the inbox as the window does (the most
urgent screenful, every open inquiry, then the closed ones; here those of the year before NOW, so that every
inquiry of the benchmark's log is a row) into the model, proxy and panel, paints it, and prints
``rows=… rss_mb=…`` (the process's own peak resident memory: tests.support.peak_memory). Measured apart from
the benchmark's own process, whose peak includes building the log and whatever benchmark ran before (the
import benchmark holds its 200,000 rows in memory).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from tests.support.peak_memory import peak_rss_mb


def benchmarked_inbox(db: Any, now: Callable[[], datetime]) -> tuple[Any, Any, Any, Any]:
    """The inbox benchmark's model, proxy, panel and loader over ``db``, wired as the window wires them (the
    most urgent screenful first, then every open one, then the closed ones), with a year of closed inquiries
    (the window keeps 90 days) so that every inquiry of the benchmark's log is a row."""
    from moderator_app.store.repositories import InquiryRepository, SourceRepository, StandardRepository
    from moderator_app.ui.inbox_loader import InboxLoader
    from moderator_app.ui.inbox_model import InboxModel, InboxProxy
    from moderator_app.ui.inbox_panel import InboxPanel

    standards = StandardRepository(db)
    model = InboxModel(standards.clocks(), now, ZoneInfo(standards.global_standard().timezone))
    proxy = InboxProxy(model)
    panel = InboxPanel(proxy, [(s.id, s.name) for s in SourceRepository(db).all()], tick_ms=3_600_000)
    panel.resize(1280, 800)
    loader = InboxLoader(InquiryRepository(db).inbox, now, closed_window=timedelta(days=365))
    loader.first_loaded.connect(model.set_entries)
    loader.open_loaded.connect(model.merge)
    loader.closed_loaded.connect(model.extend)
    return model, proxy, panel, loader


def main() -> int:
    from PySide6.QtWidgets import QApplication

    from moderator_app.store.db import open_database
    from moderator_app.ui.inbox_loader import FIRST_PAGE

    app = QApplication(sys.argv[:1])
    db = open_database(data_dir=Path(sys.argv[1]))
    now = datetime.fromisoformat(sys.argv[2])
    model, proxy, panel, loader = benchmarked_inbox(db, lambda: now)
    loader.closed_loaded.connect(app.quit)  # after the model has taken them (connected first)
    loader.failed.connect(lambda message: (print(message, file=sys.stderr), app.exit(1)))
    panel.show()
    loader.start()
    if app.exec() != 0:
        return 1
    panel.table.viewport().repaint()
    assert proxy.rowCount() > FIRST_PAGE
    rss_mb = peak_rss_mb()
    print(f"rows={len(model.entries)} rss_mb={rss_mb:.1f}")
    loader.wait(5)
    db.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
