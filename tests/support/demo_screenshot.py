"""Run the app in demo mode on the current display, screenshot the window once it is connected, and quit.

Used by tests/ui/test_demo.py under xvfb-run: ``python -m tests.support.demo_screenshot OUT.png DATA_DIR``.
Prints what the window showed, for the test to check.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from moderator_app.cli import main as cli


def main() -> int:
    out, data_dir = sys.argv[1], sys.argv[2]
    application = QApplication(sys.argv[:1])
    waited = 0

    def check() -> None:
        nonlocal waited
        windows = [w for w in QApplication.topLevelWidgets() if w.isVisible() and w.windowTitle().startswith("Moder")]
        waited += 500
        if not windows or windows[0].connection.text() != "Telegram: connected" or not windows[0].proxy.rowCount():
            if waited > 60_000:
                print("timed out", file=sys.stderr)
                QApplication.exit(3)
            else:
                QTimer.singleShot(500, check)
            return
        window = windows[0]
        window.inbox.table.selectRow(0)
        QTimer.singleShot(1000, lambda: done(window))

    def done(window: object) -> None:
        picture = QApplication.primaryScreen().grabWindow(0)
        picture.save(out)
        print(f"title={window.windowTitle()}")  # type: ignore[attr-defined]
        print(f"rows={window.proxy.rowCount()}")  # type: ignore[attr-defined]
        print(f"connection={window.connection.text()}")  # type: ignore[attr-defined]
        QApplication.quit()

    QTimer.singleShot(500, check)
    del application
    return cli.main(["--data-dir", data_dir, "--demo"])


if __name__ == "__main__":
    sys.exit(main())
