"""Show the audit record (profiles and paths in Arabic, Farsi and English) or the retention dialog on the current
display, screenshot the screen, and quit: ``python -m tests.support.audit_screenshot OUT.png [--retention]
[--window] [-reverse]`` under xvfb-run at 1366x768 (the laptop the window must fit). ``--window``: the main
window with a manager on duty (the reply closed, the reason said) and the join requests under her."""

from __future__ import annotations

import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from PySide6.QtCore import QDate, QTimer
from PySide6.QtWidgets import QApplication, QWidget

from moderator_app.domain.audit import AuditEntry
from moderator_app.domain.retention import RetentionPreview
from moderator_app.ui.audit_dialog import AuditDialog
from moderator_app.ui.i18n import install_translations
from moderator_app.ui.ops import Ops, run_here
from moderator_app.ui.retention_dialog import RetentionDialog

TORONTO = ZoneInfo("America/Toronto")
AT = datetime(2026, 12, 4, 21, 30, tzinfo=UTC)


def entries() -> list[AuditEntry]:
    return [
        AuditEntry(
            9,
            AT,
            1,
            "منى الحداد",
            "export",
            {"what": "report", "from": "2026-11", "to": "2026-11", "path": "/home/mona/تقارير/نوفمبر.xlsx"},
        ),
        AuditEntry(8, AT - timedelta(minutes=20), 1, "منى الحداد", "on_duty", {"how": "changed", "previous": "Reza"}),
        AuditEntry(
            7,
            AT - timedelta(hours=2),
            2,
            "Reza",
            "setting",
            {
                "setting": "service_standard",
                "source": "گروه تازه‌واردان اتاوا",
                "target": "1 day, 0:00:00",
                "mode": "business_days",
            },
        ),
        AuditEntry(
            6,
            AT - timedelta(hours=3),
            2,
            "Reza",
            "export",
            {"what": "moderation_record", "path": "/home/reza/record.csv", "actions": 14},
        ),
        AuditEntry(
            5,
            AT - timedelta(hours=5),
            None,
            "",
            "retention",
            {"months": 24, "before": "2024-12-01", "messages": 1843, "files": 12, "via": "start-up"},
        ),
        AuditEntry(4, AT - timedelta(days=1), 3, "سارا", "telegram_login", {"via": "window"}),
        AuditEntry(3, AT - timedelta(days=1, hours=1), 3, "سارا", "setting", {"setting": "urgent_words", "terms": 41}),
        AuditEntry(2, AT - timedelta(days=2), 3, "سارا", "profile", {"added": "Reza", "role": "backup"}),
        AuditEntry(1, AT - timedelta(days=3), 3, "سارا", "import", {"what": "partners", "path": "/tmp/شركاء.csv"}),
    ]


def _window() -> QWidget:
    """The real window on a small log, a manager on duty, the conversation of an Arabic question open."""
    from moderator_app.app import window_services
    from moderator_app.domain.events import MessageRecord, Peer, SourceKind, SourceRef
    from moderator_app.domain.settings import ON_DUTY, WINDOW_SEEN
    from moderator_app.store.db import open_database
    from moderator_app.store.live import LiveLog
    from moderator_app.store.profiles import ProfileRepository
    from moderator_app.store.repositories import SettingsRepository, now_utc
    from moderator_app.ui.connector_bridge import ConnectorBridge
    from moderator_app.ui.main_window import MainWindow

    db = open_database(data_dir=Path(tempfile.mkdtemp()) / "data")
    mona = ProfileRepository(db).add("منى الحداد", "manager")
    ProfileRepository(db).add("Reza", "moderator")
    live = LiveLog(db)
    group = live.source(SourceRef(SourceKind.GROUP, 1500, "قادمون جدد — أوتاوا", "public_supergroup"))
    live.record(
        group,
        MessageRecord(1500, 1, now_utc() - timedelta(hours=2), Peer("user", 7, "فاطمة"), "أين أجد طبيب عائلة؟"),
    )
    live.commit()
    SettingsRepository(db).write(ON_DUTY, mona.id)
    SettingsRepository(db).write(WINDOW_SEEN, now_utc())
    window = MainWindow(window_services(db), ConnectorBridge())
    window.showMaximized()

    def read() -> None:
        window._go_to_inbox()
        window.inbox.select_row(0)

    QTimer.singleShot(800, read)
    return window


def main() -> None:
    out = sys.argv[1]
    app = QApplication(sys.argv[:1] + [a for a in sys.argv[2:] if a.startswith("-") and not a.startswith("--")])
    install_translations(app)
    ops = Ops(run_here, str, lambda _: None)
    shown: QWidget
    if "--retention" in sys.argv:
        dialog = RetentionDialog(
            lambda: 24,
            lambda months: RetentionPreview(months, datetime(2024, 12, 1, tzinfo=TORONTO), 1843, 3),
            lambda months: None,
            ops,
        )
        dialog.load()
        shown = dialog
    elif "--window" in sys.argv:
        shown = _window()
    else:
        audit = AuditDialog(lambda start, end: entries(), TORONTO, ops, QDate(2026, 12, 4))
        audit.load()
        shown = audit
    shown.show()

    def grab() -> None:
        screen = QApplication.primaryScreen()
        screen.grabWindow(0).save(out)
        app.quit()

    QTimer.singleShot(2500, grab)
    app.exec()


if __name__ == "__main__":
    main()
