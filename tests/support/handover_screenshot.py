"""Show the handover's summary (members writing in Arabic, Farsi, French, Chinese and English, a note in Arabic
and English) on the current display, screenshot the screen, and quit:
``python -m tests.support.handover_screenshot OUT.png [--note] [-reverse]`` under xvfb-run at 1366x768 (the
laptop the window must fit). ``--note``: the outgoing person's note dialog over it."""

from __future__ import annotations

import sys
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from moderator_app.domain.handover import SECTIONS, Handover, HandoverItem, HandoverSummary, Section
from moderator_app.ui.handover import HandoverDialog, NoteDialog
from moderator_app.ui.i18n import install_translations

NOW = datetime(2026, 12, 4, 21, 30, tzinfo=UTC)
GROUP, FARSI, PRIVATE = "قادمون جدد — أوتاوا", "گروه تازه‌واردان اتاوا", "Private messages"


def _item(section: Section, number: int, source: str, member: str, text: str, **more: object) -> HandoverItem:
    due = NOW - timedelta(hours=number * 3) if section is Section.OVERDUE else NOW + timedelta(hours=number * 2)
    return HandoverItem(section, 100 + number, 100 + number, source, member, text, due, **more)  # type: ignore[arg-type]


def summary() -> HandoverSummary:
    items = {
        Section.OVERDUE: (
            _item(Section.OVERDUE, 1, GROUP, "فاطمة الزهراء", "أين أجد طبيب عائلة يتكلم العربية؟ رقمي 613-555-0100"),
            _item(
                Section.OVERDUE, 2, FARSI, "رضا کریمی", "کجا می‌توانم کلاس زبان رایگان پیدا کنم؟", forum_topic="آموزش"
            ),
            _item(Section.OVERDUE, 3, PRIVATE, "Marie Lefebvre", "<b>Urgent</b>: where do I renew my work permit?"),
        ),
        Section.OPEN: (
            _item(Section.OPEN, 4, GROUP, "أحمد", "هل مكتب الهجرة مفتوح يوم السبت؟"),
            _item(Section.OPEN, 5, PRIVATE, "李伟", "我想找一个会说中文的律师"),
        ),
        Section.PROMISED: (_item(Section.PROMISED, 6, FARSI, "زهرا احمدی", "دنبال خانه ارزان در اتاوا هستم"),),
        Section.MEMBER_ANSWERED: (
            _item(Section.MEMBER_ANSWERED, 7, GROUP, "Omid N", "Is the food bank open on Sunday?"),
        ),
        Section.FOLLOW_UP: (
            _item(Section.FOLLOW_UP, 8, PRIVATE, "سارا", "ممنون، فردا به کلینیک می‌روم", follow_up_on=date(2026, 12, 4)),
        ),
        Section.FAILED: (
            HandoverItem(
                Section.FAILED,
                31,
                106,
                FARSI,
                "زهرا احمدی",
                "سلام زهرا، این لیست خانه‌هاست",
                NOW,
                error="FLOOD_WAIT_420",
            ),
        ),
    }
    counts = {s: len(items.get(s, ())) for s in SECTIONS} | {Section.OVERDUE: 57}
    return HandoverSummary(NOW, date(2026, 12, 4), counts, items)


NOTE = (
    "وعدت فاطمة بالرد قبل الظهر: تنتظر اسم طبيب من مركز صحة المجتمع.\n"
    "Reza's class list is in the library under “language classes”.\n"
    "پیام زهرا ارسال نشد؛ لطفاً دوباره بفرستید."
)


def main() -> int:
    out = sys.argv[1]
    application = QApplication(sys.argv[:1] + [a for a in sys.argv[2:] if a == "-reverse"])
    install_translations(application)
    handover = Handover(1, NOW - timedelta(minutes=3), 1, "نادیا حسینی", 2, "Claire Martin", NOTE, {})
    dialog = HandoverDialog(summary(), handover, ZoneInfo("America/Toronto"), can_hand_over=True)
    dialog.show()
    if "--note" in sys.argv:
        note = NoteDialog("Claire Martin", None, summary(), dialog)
        note.note.setPlainText("Le dossier de Fatima attend la réponse du CLSC.\nسأعود يوم الاثنين.")
        note.show()

    def shoot() -> None:
        QApplication.primaryScreen().grabWindow(0).save(out)
        print(f"size={dialog.width()}x{dialog.height()}")
        QApplication.quit()

    QTimer.singleShot(900, shoot)
    return application.exec()


if __name__ == "__main__":
    sys.exit(main())
