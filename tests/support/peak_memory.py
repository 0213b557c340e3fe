"""Peak resident memory of a benchmark's child process, as the kernel counts it for that process alone.

``getrusage``'s ``ru_maxrss`` will not do for a child: Linux keeps it across fork and exec, so a child
started by a large parent (a pytest process that just built a log or held an import's rows) reports at least
the parent's size at the fork. ``VmHWM`` in ``/proc/self/status`` is the high-water mark of the process's
own memory since its exec.

``python -m tests.support.peak_memory MODULE ARGS...`` runs ``python -m MODULE ARGS...`` in this process and
prints ``peak_rss_mb=…`` on standard error when it ends: the larger of this process's own high-water mark and
the highest sum, sampled every 20 ms, of its resident memory and its child processes' (a large import writes
from a second process, store.import_writer: both are the import's memory).
"""

from __future__ import annotations

import os
import runpy
import sys
import threading
from pathlib import Path

_SAMPLE_SECONDS = 0.02


def peak_rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024  # kB
    raise RuntimeError("no VmHWM in /proc/self/status: the memory benchmarks need Linux")


def _rss_kb(pid: int | str) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:  # the process ended meanwhile
        return 0
    return 0


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:  # the field after the state is the parent's id
                found.append(int(entry.name))
    return found


class _TreeSampler(threading.Thread):
    """The highest sum of this process's and its children's resident memory, in kB."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.peak_kb = 0
        self.done = threading.Event()

    def run(self) -> None:
        me = os.getpid()
        while not self.done.wait(_SAMPLE_SECONDS):
            total = _rss_kb(me) + sum(_rss_kb(child) for child in _children(me))
            self.peak_kb = max(self.peak_kb, total)


def main() -> int:
    module, *args = sys.argv[1:]
    sys.argv = [module, *args]
    code: object = 0
    sampler = _TreeSampler()
    sampler.start()
    try:
        runpy.run_module(module, run_name="__main__", alter_sys=True)
    except SystemExit as exc:
        code = exc.code
    sampler.done.set()
    sampler.join()
    own = peak_rss_mb()
    print(f"own_peak_rss_mb={own:.1f} with_children_peak_rss_mb={sampler.peak_kb / 1024:.1f}", file=sys.stderr)
    print(f"peak_rss_mb={max(own, sampler.peak_kb / 1024):.1f}", file=sys.stderr)
    return code if isinstance(code, int) else (0 if code is None else 1)


if __name__ == "__main__":
    sys.exit(main())
