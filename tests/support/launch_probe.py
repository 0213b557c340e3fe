"""How long the workstation takes from launch until the first inbox rows are on screen, in a fresh process.

``python -m tests.support.launch_probe DATA_DIR`` prints ``imports=… window=… rows=… total=…`` (seconds since
the script started; "rows" once the inbox has been painted with rows in it; the interpreter's own start is
measured by the caller). The window is built as ``moderator-app`` builds it (the same services, the collector
paused while the modules load), without the login wizard or a connector: the figure is the log and the
window, not the network.
"""

from __future__ import annotations

import time

STARTED = time.perf_counter()

import gc  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

gc.disable()  # as moderator_app.launch.main does before the app's modules load

# In the order `moderator-app` imports them: the command line first, Qt and the window (run_gui, in main
# below) after. The order matters: once PySide6 is imported its import hook makes every later import slower
# (the log's modules cost about 0.3 s more when imported after Qt).
from moderator_app.app import window_services  # noqa: E402
from moderator_app.process import end_startup  # noqa: E402
from moderator_app.store.db import open_database  # noqa: E402


def main() -> int:
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QApplication

    from moderator_app.ui.connector_bridge import ConnectorBridge
    from moderator_app.ui.main_window import MainWindow

    imported = time.perf_counter() - STARTED
    app = QApplication(sys.argv[:1])
    db = open_database(data_dir=Path(sys.argv[1]))
    window = MainWindow(window_services(db), ConnectorBridge())
    window.resize(1440, 860)
    window.show()
    end_startup()  # as run_gui does
    built = time.perf_counter() - STARTED
    shown: list[float] = []

    class FirstRowsPainted(QObject):
        """The first paint of the inbox's viewport with rows in the model; timed once that paint is over."""

        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint and window.proxy.rowCount() and not shown:
                shown.append(0.0)
                QTimer.singleShot(0, done)
            return False

    def done() -> None:
        shown[0] = time.perf_counter() - STARTED
        app.quit()

    watcher = FirstRowsPainted()
    window.inbox.table.viewport().installEventFilter(watcher)
    app.exec()
    window.shutdown()
    print(f"imports={imported:.3f} window={built:.3f} rows={shown[0]:.3f} total={shown[0]:.3f}")
    db.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
