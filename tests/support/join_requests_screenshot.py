"""Show Moderation ▸ Join requests on the current display with applicants writing in Arabic, Farsi, Chinese and
English, screenshot the screen, and quit: ``python -m tests.support.join_requests_screenshot OUT.png
[--offline] [--row=N] [-reverse]`` under xvfb-run at 1366x768 (the laptop the window must fit)."""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from PySide6.QtCore import QItemSelectionModel, QTimer
from PySide6.QtWidgets import QApplication

from moderator_app.domain.join_requests import JoinRequest, RequestState
from moderator_app.ui.join_requests import JoinRequestsDialog
from moderator_app.ui.ops import Ops, run_here

APPLICANTS = (
    ("رضا کریمی", "reza_k", "مهندس نرم‌افزار از شیراز، تازه به اتاوا آمده‌ام.\nدنبال کار و کلاس زبان هستم.", "", ""),
    ("فاطمة الزهراء", None, "ممرضة من حلب، وصلت إلى أوتاوا الشهر الماضي مع عائلتي.", "", ""),
    ("Marie Lefebvre", "marie_l", "Nurse from Lyon. Moving to Ottawa in January.", "", ""),
    ("李伟", "liwei", "<b>Nurse</b> from Wuhan, new in Ottawa", "approving", ""),
    (
        "زهرا احمدی",
        None,
        "",
        "",
        "The join questions were not delivered: This person's privacy settings do not allow it.",
    ),
    ("Omid N", "omid_n", "", "", ""),
)


def requests() -> list[JoinRequest]:
    return [
        JoinRequest(
            id=number,
            source_id=1,
            source="Newcomers Ottawa" if number % 2 else "قادمون جدد — أوتاوا",
            chat_id=5,
            user_id=5_000_000 + number,
            member_id=None,
            name=name,
            username=username,
            about=about,
            requested_at=datetime(2026, 12, 4, 14 + number, 5 * number, tzinfo=UTC),
            state=RequestState(state) if state else RequestState.PENDING,
            questions_sent=bool(error) or number == 3,
            error=error,
        )
        for number, (name, username, about, state, error) in enumerate(APPLICANTS, start=1)
    ]


def main() -> int:
    out = sys.argv[1]
    application = QApplication(sys.argv[:1] + [a for a in sys.argv[2:] if a == "-reverse"])
    ops = Ops(run_here, str, print)
    dialog = JoinRequestsDialog(requests, lambda ids, _: len(ids), len, ZoneInfo("America/Toronto"), ops)
    dialog.set_connected("--offline" not in sys.argv)
    dialog.load()
    dialog.show()

    def choose() -> None:
        row = next((int(a.split("=")[1]) for a in sys.argv if a.startswith("--row=")), dialog.model.rowCount() - 1)
        dialog.table.selectionModel().select(
            dialog.proxy.index(row, 0),
            QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
        )
        QTimer.singleShot(700, shoot)

    def shoot() -> None:
        QApplication.primaryScreen().grabWindow(0).save(out)
        print(f"size={dialog.width()}x{dialog.height()} rows={dialog.model.rowCount()}")
        QApplication.quit()

    QTimer.singleShot(800, choose)
    return application.exec()


if __name__ == "__main__":
    sys.exit(main())
