"""How many processes a build may use: the cores this process may run on that are idle now.

Kept apart from the batch package, whose imports are heavy: a single build asks before it
forks its PDF helper, which must happen before those imports.
"""

from __future__ import annotations

import os
import statistics
import time

DOCUMENTS_PER_WORKER = 6
"""A worker process pays for its start (a fresh interpreter importing WeasyPrint and loading
the fonts, about 1 s of processor time) only over this many communiqués or more: below, the
communiqués are laid out in this process (measured in docs/performance.md)."""


def usable_cores() -> int:
    """The cores this process may run on (its affinity, which a container or `taskset` can
    restrict), not all the machine's."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def busy_cores() -> float:
    """How many cores other processes are running on now: the processes the kernel counts as
    runnable, less this one, over three looks 5 ms apart (/proc/loadavg). The 1-minute load
    average (os.getloadavg, used where /proc is missing) lags: it still counts a build that
    just ended, and not yet a job that just started."""
    try:
        samples = []
        for look in range(3):
            if look:
                time.sleep(0.005)
            with open("/proc/loadavg", encoding="ascii") as loadavg:
                samples.append(int(loadavg.read().split()[3].split("/")[0]) - 1)
        return float(statistics.median(samples))
    except (OSError, ValueError, IndexError):
        try:
            return os.getloadavg()[0]
        except OSError:
            return 0.0


def idle_cores() -> int:
    """The cores this process may use that nothing else is using, at least one."""
    usable = usable_cores()
    return max(1, min(usable, round(usable - busy_cores())))


def default_jobs(documents: int) -> int:
    """Processes for `documents` communiqués when the user did not say (--jobs): one per idle
    core, never more than there are communiqués, and a worker only for DOCUMENTS_PER_WORKER
    of them or more."""
    return max(1, min(idle_cores(), documents // DOCUMENTS_PER_WORKER))
