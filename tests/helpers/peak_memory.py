"""A process's peak resident memory, as the process itself sees it (no Kakikomi imports here: the
CLI tests' launcher loads this before it runs `app`)."""

from __future__ import annotations

import atexit
from pathlib import Path


def peak_memory_kb() -> int:
    """This process's peak resident memory (VmHWM from /proc/self/status), in KB; 0 if unknown."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def report_peak_memory_at_exit(path: str) -> None:
    """Write this process's peak resident memory (KB) to `path` when it exits normally."""
    atexit.register(lambda: Path(path).write_text(str(peak_memory_kb())))
