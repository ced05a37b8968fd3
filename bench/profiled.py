"""Run a module under cProfile switched on and off by signals, so only a chosen window counts.

    python -m bench.profiled OUT.prof MODULE [ARGS...]

SIGUSR1 starts (or resumes) profiling, SIGUSR2 stops it and writes the statistics to OUT.prof.
"""

from __future__ import annotations

import cProfile
import runpy
import signal
import sys
from types import FrameType


def main() -> None:
    """Profile `sys.argv[2]` run as `__main__` with the remaining arguments."""
    out, module, *rest = sys.argv[1:]
    profile = cProfile.Profile()

    def start(_: int, __: FrameType | None) -> None:
        profile.enable()

    def stop(_: int, __: FrameType | None) -> None:
        profile.disable()
        profile.dump_stats(out)

    signal.signal(signal.SIGUSR1, start)
    signal.signal(signal.SIGUSR2, stop)
    sys.argv = [module, *rest]
    runpy.run_module(module, run_name="__main__", alter_sys=True)


if __name__ == "__main__":
    main()
