"""What a benchmark run records about its machine, and how it cleans up its processes."""
from __future__ import annotations

import os
import platform
import signal
import sys
import time
from collections.abc import Sequence
from importlib import metadata
from pathlib import Path

from bench import memory
from scripts.model_store import PROJECT_ROOT


# --- environment description --------------------------------------------------------------


def cpu_model() -> str:
    """Return the CPU model name from /proc/cpuinfo."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def versions() -> dict[str, str]:
    """Return the versions the results depend on."""
    found = {"python": platform.python_version()}
    for package in ("rasa", "rasa-sdk", "python-telegram-bot", "SQLAlchemy"):
        try:
            found[package.lower()] = metadata.version(package)
        except metadata.PackageNotFoundError:
            found[package.lower()] = "not installed"
    return found


def command_line(argv: Sequence[str]) -> str:
    """Return the command that ran this benchmark, as typed in the project root (Markdown)."""
    try:
        python = os.path.relpath(sys.executable, PROJECT_ROOT)
    except ValueError:
        python = sys.executable
    command = f"`{' '.join([python, '-m', 'bench', *argv])}`"
    return f"`make bench` (runs {command})" if os.environ.get("MAKELEVEL") else command


# --- processes ------------------------------------------------------------------------------


def terminate_children() -> None:
    """Last resort on errors: SIGTERM, then SIGKILL, every child process of this process."""
    own = os.getpid()
    children = [pid for pid in memory.process_tree(own) if pid != own
                and _parent(pid) == own]
    for pid in children:
        try:
            os.kill(pid, signal.SIGTERM)
        except OSError:
            pass
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(_alive(pid) for pid in children):
        time.sleep(0.2)
    for pid in children:
        if _alive(pid):
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass


def _parent(pid: int) -> int:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
        return int(stat[stat.rfind(")") + 2:].split()[1])
    except (OSError, ValueError, IndexError):
        return -1


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text()
        return state[state.rfind(")") + 2] != "Z"
    except OSError:
        return False
