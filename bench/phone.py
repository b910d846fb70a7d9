"""A phone-class CPU for Chromium's renderer, page and worker alike: every millisecond of CPU a
thread of the renderer uses costs RATE milliseconds of wall time (4, the factor Lighthouse uses
for mobile), by stopping the process (SIGSTOP / SIGCONT) for (RATE - 1) x the CPU time its
busiest thread used since the last look, as Chromium's own throttler does for one thread.

Why not CDP's `Emulation.setCPUThrottlingRate`: it slows only the page's main thread. A
dedicated worker in the same renderer runs at full speed (a busy loop in a worker took the same
time at rate 4), and worker targets refuse it ("Operation is only supported for pages, not
workers"), while our start-up runs in a module worker. Threads of one process cannot be stopped
one by one, so the busiest thread sets the pause: like a phone whose every core is RATE x
slower. Linux only (`/proc/<pid>/task/<tid>/schedstat`).
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
import time
from pathlib import Path

RATE = 4
TICK_S = 0.01


def _ppid(pid: int) -> int | None:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return int(stat.rsplit(")", 1)[1].split()[1])


def renderers(browser_pid: int) -> list[int]:
    """The renderer processes descended from `browser_pid` (its zygote forks them)."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            cmdline = Path(f"/proc/{entry}/cmdline").read_bytes()
        except OSError:
            continue
        if b"--type=renderer" not in cmdline:
            continue
        parent, hops = _ppid(int(entry)), 0
        while parent not in (None, 0, 1, browser_pid) and hops < 8:
            parent, hops = _ppid(parent), hops + 1
        if parent == browser_pid:
            found.append(int(entry))
    return found


def _thread_cpu_ns(pid: int) -> dict[int, int]:
    out = {}
    try:
        tids = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return out
    for tid in tids:
        try:
            out[int(tid)] = int(Path(f"/proc/{pid}/task/{tid}/schedstat").read_text().split()[0])
        except (OSError, ValueError, IndexError):
            continue
    return out


class Throttle:
    """While the block runs, every renderer of the browser pays RATE x its CPU time."""

    def __init__(self, browser_pid: int, rate: int = RATE) -> None:
        self.browser_pid, self.rate = browser_pid, rate
        self.stopped_s = 0.0
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def __enter__(self) -> Throttle:
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self._thread:
            self._thread.join()

    def _run(self) -> None:
        seen: dict[int, dict[int, int]] = {}
        pids: list[int] = []
        refreshed = 0.0
        try:
            while not self._stop.is_set():
                if time.monotonic() - refreshed > 0.2:  # a new context's renderer
                    pids, refreshed = renderers(self.browser_pid), time.monotonic()
                time.sleep(TICK_S)
                for pid in pids:
                    now = _thread_cpu_ns(pid)
                    before = seen.get(pid)
                    seen[pid] = now
                    if before is None:
                        continue
                    busiest = max((ns - before.get(tid, ns) for tid, ns in now.items()), default=0)
                    pause = busiest * (self.rate - 1) / 1e9
                    if pause <= 0:
                        continue
                    try:
                        os.kill(pid, signal.SIGSTOP)
                        time.sleep(pause)
                    except ProcessLookupError:
                        continue
                    finally:
                        with contextlib.suppress(ProcessLookupError):
                            os.kill(pid, signal.SIGCONT)
                    self.stopped_s += pause
                    seen[pid] = _thread_cpu_ns(pid)
        finally:
            for pid in renderers(self.browser_pid):
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGCONT)
