"""Where a loaded Rasa server spends its time: py-spy on the server while conversations drive it.

    pip install py-spy   # a profiler, not a requirement of the assistant
    python -m bench.profile [--concurrency 8] [--seconds 30] [--out bench/PROFILE.md]

Serves the current model with the project's own endpoints.yml tracker store (a SQLite
file in a scratch directory, as `make run` does), drives it with `--concurrency` closed-loop
conversations over REST, and samples the Rasa process with `py-spy record --idle` meanwhile.
Writes the top frames (inclusive and self time) of the server's event-loop thread as Markdown:
Rasa serves every conversation on that one thread, so what blocks it, blocks them all.
"""
from __future__ import annotations

import argparse
import asyncio
import collections
import shlex
import shutil
import subprocess  # nosec B404  # py-spy with fixed arguments
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from bench import load
from bench.__main__ import build_texts, make_knowledge_base, FULL
from scripts.model_store import PROJECT_ROOT, current_model
from scripts.services import serving

# The leaf frame of the event-loop thread when it waits for work (uvloop runs inside sanic's serve).
IDLE_LEAVES = ("serve (sanic/server/runners.py)", "select (selectors.py)")
# The thread that serves requests: its stacks pass through here.
LOOP_FRAME = "serve_application (rasa/core/run.py)"


@dataclass
class Profile:
    """Samples of the event-loop thread: how many, how many idle, and counts per function."""

    samples: int
    idle: int
    inclusive: list[tuple[str, int]]
    self_time: list[tuple[str, int]]


def summarise(raw: str, top: int = 30) -> Profile:
    """Count py-spy's raw (collapsed) stacks of the event-loop thread per function.

    Frames in nearly every busy sample (the server's own call chain down to the request
    handler) are left out of the inclusive list: they say nothing about where time goes.
    """
    inclusive: collections.Counter[str] = collections.Counter()
    leaf: collections.Counter[str] = collections.Counter()
    samples = idle = 0
    for line in raw.splitlines():
        stack, _, count_text = line.rpartition(" ")
        frames = [_function(frame) for frame in stack.split(";")]
        if not count_text.isdigit() or LOOP_FRAME not in frames:
            continue
        count = int(count_text)
        samples += count
        if frames[-1] in IDLE_LEAVES:
            idle += count
            continue
        for frame in set(frames):
            inclusive[frame] += count
        leaf[frames[-1]] += count
    busy = samples - idle
    shown = [(name, count) for name, count in inclusive.most_common() if count < 0.97 * busy]
    return Profile(samples, idle, shown[:top], leaf.most_common(top))


def _function(frame: str) -> str:
    """`name (path/to/module.py:line)` -> `name (package/module.py)`, lines merged."""
    name, _, where = frame.partition(" (")
    where = where.rstrip(")").rsplit(":", 1)[0]
    for marker in ("site-packages/", "python3.10/", str(PROJECT_ROOT) + "/"):
        if marker in where:
            where = where.split(marker, 1)[1]
    return f"{name} ({where})"


def markdown(title: str, raw: str, turns_per_second: float, command: str, top: int = 30) -> str:
    """The profile summary as Markdown."""
    profile = summarise(raw, top)
    total = profile.samples
    lines = [f"## {title}", "", f"- **Command:** `{command}`",
             f"- **Load:** {turns_per_second:.1f} turns/s while sampled (py-spy at 100 Hz slows the server)",
             f"- **Event-loop thread:** {total} samples, {100 * profile.idle / total:.1f} % waiting for "
             f"work, {100 * (total - profile.idle) / total:.1f} % busy; percentages below are of all "
             "its samples", "",
             "Inclusive time (a function and what it calls):", "",
             "| % of samples | function |", "|---|---|"]
    lines += [f"| {100 * count / total:.1f} | `{name}` |" for name, count in profile.inclusive]
    lines += ["", "Self time (the frame on top of the stack):", "", "| % of samples | function |", "|---|---|"]
    lines += [f"| {100 * count / total:.1f} | `{name}` |" for name, count in profile.self_time]
    return "\n".join(lines) + "\n"


async def drive(url: str, concurrency: int, seconds: float) -> float:
    """Closed-loop conversations for `seconds`; return turns/s."""
    texts = build_texts(FULL)["mix"]
    async with load.new_session(concurrency + 4) as session:
        rasa = load.RasaHttp(session, url, "")
        for index in range(10):  # unrecorded: the first calls of a process are slow
            await rasa.turn("profile-warm", texts[index])
        result = await load.throughput_level(rasa, texts, concurrency, seconds, 100_000, "profile",
                                             check_order=False)
    return result.turns_per_second


def main(argv: list[str] | None = None) -> int:
    """Serve, load, sample, summarise."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--title", default="Rasa server under load")
    parser.add_argument("--top", type=int, default=30, help="functions listed per table")
    parser.add_argument("--out", type=Path, default=None, help="append the summary to this file")
    arguments = parser.parse_args(argv)
    py_spy = shutil.which("py-spy") or str(Path(sys.executable).parent / "py-spy")
    model = current_model(PROJECT_ROOT / "models")
    if model is None or not Path(py_spy).exists():
        raise SystemExit("needs models/current.tar.gz (make model) and py-spy (pip install py-spy)")
    with tempfile.TemporaryDirectory(prefix="bench-profile-") as scratch:
        directory = Path(scratch)
        environment = {"KB_DATABASE_URL": make_knowledge_base(directory)}
        with serving(model, directory, environment=environment, api=False,
                     own_endpoints=True) as stack:
            raw_path = directory / "profile.txt"
            sampler = subprocess.Popen(  # nosec B603  # py-spy, fixed arguments
                [py_spy, "record", "--pid", str(stack.rasa.process.pid), "--format", "raw", "--idle",
                 "--rate", "100", "--threads", "--duration", str(int(arguments.seconds)), "--nonblocking",
                 "--output", str(raw_path)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            time.sleep(1.0)
            turns_per_second = asyncio.run(drive(stack.rasa.url, arguments.concurrency, arguments.seconds))
            _, errors = sampler.communicate(timeout=arguments.seconds + 60)
            if sampler.returncode != 0:
                raise SystemExit(f"py-spy failed: {errors.decode(errors='replace')[-2000:]}")
            raw = raw_path.read_text()
    command = shlex.join(["python", "-m", "bench.profile", *(argv if argv is not None else sys.argv[1:])])
    text = markdown(arguments.title, raw, turns_per_second, command, arguments.top)
    if arguments.out:
        with arguments.out.open("a", encoding="utf-8") as out:
            out.write("\n" + text)
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
