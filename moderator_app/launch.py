"""The console script's entry point: the app's modules load with the cyclic garbage collector paused.

Loading SQLAlchemy, Qt and the app allocates hundreds of thousands of long-lived objects (modules, classes,
functions); the collector would traverse them again and again while they load, which costs about a tenth
of the launch. Once the window is on screen (or a command has started), :func:`end_startup` moves them out
of every later collection and turns the collector back on (moderator_app.process).
"""

from __future__ import annotations

import gc


def main() -> int:
    gc.disable()
    try:
        from moderator_app.cli.main import main as run
    except BaseException:
        gc.enable()
        raise
    return run()
