"""How many processors this process may use (work is split across them where it pays)."""

from __future__ import annotations

import os


def usable_cpus() -> int:
    """The processors this process may run on (its affinity where the system says), at least 1."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1
