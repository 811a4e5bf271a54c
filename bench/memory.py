"""Resident memory of the processes a benchmark started, read from /proc (Linux).

Two figures per process: the kernel's high-water mark (`VmHWM`: the largest resident set the
process ever had, exact but since it started) and the largest `VmRSS` seen by polling every
0.2 s while a phase ran (what that phase needed, approximately). A server is every process
of the session `concord serve` was started in: the launcher, the app server's master and its
workers.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

PROC = Path("/proc")


def status_kib(pid: int, field: str) -> int | None:
    """`field` ("VmRSS", "VmHWM") of /proc/<pid>/status in KiB, None once the process is gone."""
    try:
        for line in (PROC / str(pid) / "status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        return None
    return None


def own_peak_mib() -> float | None:
    """This process's high-water mark, for a job run in a process of its own."""
    kib = status_kib(os.getpid(), "VmHWM")
    return round(kib / 1024, 1) if kib else None


def session_processes(session: int) -> dict[int, int]:
    """{pid: parent pid} of every live process in `session`."""
    found = {}
    for entry in PROC.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # The command name may hold spaces and parentheses: the fields follow the last ")".
        fields = stat[stat.rfind(")") + 2 :].split()
        if len(fields) > 3 and int(fields[3]) == session:
            found[int(entry.name)] = int(fields[1])
    return found


def role(pid: int, parent: int, session: int) -> str:
    if pid == session:
        return "launcher (concord serve)"
    if parent == session:
        return "app server master"
    return "app server worker"


class Sampler(threading.Thread):
    """Polls the resident memory of a session's processes until stopped (bounded by a count)."""

    def __init__(self, session: int, every: float = 0.2, limit: int = 30_000):
        super().__init__(daemon=True)
        self.session, self.every, self.limit = session, every, limit
        self.stop_flag = threading.Event()
        self.peaks: dict[int, dict] = {}
        self.peak_total_kib = 0
        self.samples = 0

    def run(self) -> None:
        for _ in range(self.limit):
            self.sample()
            if self.stop_flag.wait(self.every):
                break
        self.sample()

    def sample(self) -> None:
        total = 0
        for pid, parent in session_processes(self.session).items():
            rss, hwm = status_kib(pid, "VmRSS"), status_kib(pid, "VmHWM")
            if rss is None:
                continue
            total += rss
            seen = self.peaks.setdefault(
                pid, {"role": role(pid, parent, self.session), "rss": 0, "hwm": 0}
            )
            seen["rss"], seen["hwm"] = max(seen["rss"], rss), max(seen["hwm"], hwm or 0)
        self.peak_total_kib = max(self.peak_total_kib, total)
        self.samples += 1

    def finish(self) -> dict:
        self.stop_flag.set()
        self.join(timeout=10)
        processes = [
            {
                "pid": pid,
                "role": seen["role"],
                "peak_rss_mib": round(seen["rss"] / 1024, 1),
                "hwm_mib": round(seen["hwm"] / 1024, 1),
            }
            for pid, seen in sorted(self.peaks.items())
        ]
        workers = [p["peak_rss_mib"] for p in processes if p["role"] == "app server worker"]
        masters = [p["peak_rss_mib"] for p in processes if p["role"] == "app server master"]
        return {
            "processes": processes,
            "worker_peak_rss_mib": max(workers, default=None),
            "master_peak_rss_mib": max(masters, default=None),
            "peak_total_rss_mib": round(self.peak_total_kib / 1024, 1),
            "samples": self.samples,
        }
