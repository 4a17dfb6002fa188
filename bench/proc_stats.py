"""CPU and memory of the processes a load test runs (from /proc), for bench.load_test."""
from __future__ import annotations

import os
from pathlib import Path

TICK = os.sysconf("SC_CLK_TCK")  # clock ticks per second of /proc's CPU times (100 on Linux, but asked)


def cpu_seconds(pids: list[int], children: bool = True) -> float:
    """User+system CPU seconds of the given processes (and their live children)."""
    total = 0.0
    seen = set()
    todo = list(pids)
    while todo:
        pid = todo.pop()
        if pid in seen:
            continue
        seen.add(pid)
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / TICK
            if children:
                kids = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
                todo.extend(int(k) for k in kids)
        except (OSError, IndexError, ValueError):
            continue
    return total


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def machine_busy() -> float:
    """CPU seconds all cores spent busy so far (from /proc/stat), for the share of the machine."""
    fields = [int(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = fields[3] + fields[4]
    return (sum(fields[:8]) - idle) / TICK


def browser_pids() -> list[str]:
    """Top-level chromium processes started by this Python process (for CPU accounting)."""
    me = os.getpid()
    out = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
            ppid = int(text.rsplit(")", 1)[1].split()[1])
            if ppid == me or ppid in {int(x) for x in out}:
                out.append(stat.parent.name)
        except (OSError, ValueError, IndexError):
            continue
    return out
