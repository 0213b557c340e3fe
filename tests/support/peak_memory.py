"""Peak resident memory of a benchmark's child process, as the kernel counts it for that process alone.

``getrusage``'s ``ru_maxrss`` will not do for a child: Linux keeps it across fork and exec, so a child
started by a large parent (a pytest process that just built a log or held an import's rows) reports at least
the parent's size at the fork. ``VmHWM`` in ``/proc/self/status`` is the high-water mark of the process's
own memory since its exec.

``python -m tests.support.peak_memory MODULE ARGS...`` runs ``python -m MODULE ARGS...`` in this process and
prints ``peak_rss_mb=…`` on standard error when it ends.
"""

from __future__ import annotations

import runpy
import sys
from pathlib import Path


def peak_rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024  # kB
    raise RuntimeError("no VmHWM in /proc/self/status: the memory benchmarks need Linux")


def main() -> int:
    module, *args = sys.argv[1:]
    sys.argv = [module, *args]
    code: object = 0
    try:
        runpy.run_module(module, run_name="__main__", alter_sys=True)
    except SystemExit as exc:
        code = exc.code
    print(f"peak_rss_mb={peak_rss_mb():.1f}", file=sys.stderr)
    return code if isinstance(code, int) else (0 if code is None else 1)


if __name__ == "__main__":
    sys.exit(main())
