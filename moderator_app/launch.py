"""The console script's entry point: the app's modules load with the cyclic garbage collector paused.

Loading SQLAlchemy, Qt and the app allocates hundreds of thousands of long-lived objects (modules, classes,
functions); the collector would traverse them again and again while they load, which costs about a tenth
of the launch. Once the window is on screen (or a command has started), :func:`end_startup` moves them out
of every later collection and turns the collector back on.
"""

from __future__ import annotations

import gc


def end_startup() -> None:
    """Everything allocated so far lives as long as the process: no collection need look at it again.
    Does nothing when the collector was not paused by :func:`main` (tests, embedding)."""
    if not gc.isenabled():
        gc.freeze()
        gc.enable()


def main() -> int:
    gc.disable()
    try:
        from moderator_app.app import main as run
    except BaseException:
        gc.enable()
        raise
    return run()
