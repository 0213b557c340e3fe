"""How long the workstation takes from launch until the first inbox rows are on screen, in a fresh process.

``python -m tests.support.launch_probe DATA_DIR`` prints ``imports=… window=… rows=… total=…`` (seconds since
the script started; the interpreter's own start is measured by the caller). The window is built as
``moderator-app`` builds it (the same services), without the login wizard or a connector: the figure is the
log and the window, not the network.
"""

from __future__ import annotations

import time

STARTED = time.perf_counter()

import sys  # noqa: E402
from pathlib import Path  # noqa: E402

# In the order `moderator-app` imports them: the command line first, Qt and the window (run_gui, in main
# below) after. The order matters: once PySide6 is imported its import hook makes every later import slower
# (the log's modules cost about 0.3 s more when imported after Qt).
from moderator_app.app import window_services  # noqa: E402
from moderator_app.store.db import open_database  # noqa: E402


def main() -> int:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from moderator_app.ui.connector_bridge import ConnectorBridge
    from moderator_app.ui.main_window import MainWindow

    imported = time.perf_counter() - STARTED
    app = QApplication(sys.argv[:1])
    db = open_database(data_dir=Path(sys.argv[1]))
    window = MainWindow(window_services(db), ConnectorBridge())
    window.resize(1440, 860)
    window.show()
    built = time.perf_counter() - STARTED
    shown: list[float] = []

    def check() -> None:
        if window.proxy.rowCount():
            window.inbox.table.viewport().repaint()
            shown.append(time.perf_counter() - STARTED)
            app.quit()
        else:
            QTimer.singleShot(5, check)

    QTimer.singleShot(0, check)
    app.exec()
    window.shutdown()
    print(f"imports={imported:.3f} window={built:.3f} rows={shown[0]:.3f} total={shown[0]:.3f}")
    db.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
