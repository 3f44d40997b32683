"""What this machine lets narrate use."""

from __future__ import annotations

import os


def usable_cpus() -> int:
    """How many CPUs this process may run on: those of its affinity mask (``taskset``, a
    container's cpuset, a pinned ``narrate worker``), not every CPU the machine has."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):  # macOS and Windows have no affinity mask
        return max(1, os.cpu_count() or 1)
