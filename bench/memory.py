"""Peak memory of server processes, from /proc (no psutil).

A background thread samples VmRSS of each watched process and all its descendants
every `interval` seconds; just before a process is stopped, `close()` also reads the
kernel's own peak (VmHWM) of the process and its descendants, which catches spikes
between samples. A group's peak is the larger of the two.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

PROC = Path("/proc")


def status_kib(pid: int, field: str) -> int:
    """Return a `kB` field (VmRSS, VmHWM) of /proc/<pid>/status; 0 if the process is gone."""
    try:
        for line in (PROC / str(pid) / "status").read_text().splitlines():
            if line.startswith(f"{field}:"):
                return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return 0


def _children_map() -> dict[int, list[int]]:
    children: dict[int, list[int]] = {}
    for entry in PROC.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # The command name may contain spaces and parentheses: ppid follows the last ")".
        fields = stat[stat.rfind(")") + 2:].split()
        if len(fields) > 1:
            children.setdefault(int(fields[1]), []).append(int(entry.name))
    return children


def process_tree(pid: int) -> list[int]:
    """Return `pid` and all its descendants that are alive now."""
    children = _children_map()
    tree, pending = [], [pid]
    while pending and len(tree) < 1000:
        current = pending.pop()
        tree.append(current)
        pending.extend(children.get(current, []))
    return tree


@dataclass
class Group:
    """One watched server: its root pid and peaks in KiB."""

    name: str
    pid: int
    sampled_peak_kib: int = 0
    hwm_kib: int = 0
    processes: int = 1
    closed: bool = False

    @property
    def peak_bytes(self) -> int:
        """Return the peak resident memory of the process tree, in bytes."""
        return max(self.sampled_peak_kib, self.hwm_kib) * 1024


class MemorySampler:
    """Samples the resident memory of named process trees until stopped."""

    def __init__(self, interval: float = 0.25) -> None:
        self.interval = interval
        self.groups: dict[str, Group] = {}
        self.peak_sum_kib: dict[str, int] = {}  # stack name -> peak of simultaneous sum
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def __enter__(self) -> MemorySampler:
        self._thread = threading.Thread(target=self._run, name="memory-sampler", daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def watch(self, name: str, pid: int) -> None:
        """Start watching the process tree of `pid` under `name` ("ours/rasa", ...)."""
        with self._lock:
            self.groups[name] = Group(name, pid)

    def close(self, name: str) -> None:
        """Read the kernel peaks of `name`'s processes (call before stopping them)."""
        with self._lock:
            group = self.groups.get(name)
            if group is None or group.closed:
                return
            tree = process_tree(group.pid)
            group.hwm_kib = sum(status_kib(pid, "VmHWM") for pid in tree)
            group.processes = max(group.processes, len(tree))
            group.closed = True

    def peak(self, name: str) -> int | None:
        """Return the peak of `name` in bytes, or None if it was never watched."""
        group = self.groups.get(name)
        return group.peak_bytes if group else None

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            with self._lock:
                totals: dict[str, int] = {}
                for group in self.groups.values():
                    if group.closed:
                        continue
                    tree = process_tree(group.pid)
                    rss = sum(status_kib(pid, "VmRSS") for pid in tree)
                    group.sampled_peak_kib = max(group.sampled_peak_kib, rss)
                    group.processes = max(group.processes, len(tree))
                    stack = group.name.split("/")[0]
                    totals[stack] = totals.get(stack, 0) + rss
                for stack, total in totals.items():
                    self.peak_sum_kib[stack] = max(self.peak_sum_kib.get(stack, 0), total)


def machine_memory_bytes() -> int:
    """Return MemTotal in bytes."""
    for line in (PROC / "meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            return int(line.split()[1]) * 1024
    return 0
