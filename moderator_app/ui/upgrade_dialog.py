"""Work done once before the window opens (re-deriving history after an upgrade of the rules), on a thread of
its own, while a dialog shows how far it got; a failure is said in words and the window opens all the same."""

from __future__ import annotations

import threading
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QEventLoop, QTimer
from PySide6.QtWidgets import QMessageBox, QProgressDialog

from moderator_app.ui.plain import plain_message_box

#: ``work`` is given a callback to say (done, total) as it goes.
Work = Callable[[Callable[[int, int], None]], object]


def _tr(text: str) -> str:
    return QCoreApplication.translate("Rederive", text)


def rederive_with_progress(work: Work) -> bool:
    """Runs ``work`` (the log's history re-derived by the new rules); False, after saying so, if it failed."""
    dialog = QProgressDialog(
        _tr(
            "The rules that find inquiries and answers changed in this version.\n"
            "Re-deriving the history in the log (moderators' decisions are kept); this happens once."
        ),
        "",
        0,
        0,
    )
    dialog.setCancelButton(None)
    dialog.setWindowTitle(_tr("Updating the log"))
    dialog.setMinimumDuration(0)
    dialog.setAutoClose(False)
    progress = {"done": 0, "total": 0}
    failed: list[BaseException] = []
    finished = threading.Event()

    def run() -> None:
        try:
            work(lambda done, total: progress.update(done=done, total=total))
        except BaseException as exc:  # shown below; the log keeps every source either as it was or re-derived
            failed.append(exc)
        finally:
            finished.set()

    loop = QEventLoop()
    timer = QTimer()
    timer.setInterval(100)

    def poll() -> None:
        if progress["total"]:
            dialog.setMaximum(progress["total"])
            dialog.setValue(progress["done"])
        if finished.is_set():
            loop.quit()

    timer.timeout.connect(poll)
    threading.Thread(target=run, name="rederive", daemon=True).start()
    dialog.show()
    timer.start()
    loop.exec()
    timer.stop()
    dialog.close()
    if failed:
        plain_message_box(
            None,
            QMessageBox.Icon.Warning,
            _tr("Updating the log"),
            _tr(
                "The history could not be re-derived: %1\nThe window opens with the log as it was; run "
                "'moderator-app rederive' to try again."
            ).replace("%1", str(failed[0])),
        )
    return not failed
