"""This build against an earlier commit of the project, both running, in one run (`make bench`).

A change must not make a turn slow; "slow" is only meaningful against the build before it
on the same machine at the same time. So the earlier commit is exported with `git archive`
into bench/work/previous/<commit>/, its model trained there by its own model store (cached
by its inputs, so only the first run trains), and both stacks serve side by side. The
client sends the same message to each in turn, alternating which goes first, so machine
noise falls on both alike. Messages: the held-out questions (what both builds answer)
and the personal stories of tests/heldout/personal.yml (what this build adds).

    python -m bench.previous_build [--commit 725228c] [--turns 300]

writes bench/PREVIOUS_BUILD.md.
"""
from __future__ import annotations

import argparse
import asyncio
import os
import random
import subprocess  # nosec B404  # git and the project's own scripts, fixed arguments
import sys
import tarfile
import tempfile
from datetime import datetime, timezone
from pathlib import Path

from bench import load
from bench.environment import cpu_model
from scripts.evaluate import HELDOUT_SETS, load_questions
from scripts.model_store import PROJECT_ROOT, current_model
from scripts.services import serving

BENCH_DIR = Path(__file__).resolve().parent
WORK_DIR = BENCH_DIR / "work" / "previous"
RESULTS_FILE = BENCH_DIR / "PREVIOUS_BUILD.md"
# The last commit before issue #20 (crisis help and personal problems) landed.
DEFAULT_COMMIT = "725228c"
TARGET_P50_RATIO = 1.2


def export_commit(commit: str) -> Path:
    """Export `commit` of this repository into bench/work/previous/<full hash>/ (once)."""
    full = subprocess.run(["git", "rev-parse", commit], cwd=PROJECT_ROOT, check=True,  # nosec B603 B607
                          capture_output=True, text=True).stdout.strip()
    destination = WORK_DIR / full
    if (destination / "config.yml").exists():
        return destination
    destination.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryFile() as archive:
        subprocess.run(["git", "archive", "--format=tar", full], cwd=PROJECT_ROOT,  # nosec B603 B607
                       check=True, stdout=archive)
        archive.seek(0)
        with tarfile.open(fileobj=archive) as tar:
            tar.extractall(destination, filter="data")
    return destination


def prepare(project: Path) -> tuple[Path, str]:
    """Train (or reuse) the project's model and load its knowledge base; return both."""
    subprocess.run([sys.executable, "-m", "scripts.model_store", "ensure"], cwd=project,  # nosec B603
                   check=True)
    WORK_DIR.mkdir(parents=True, exist_ok=True)
    kb_url = f"sqlite:///{WORK_DIR / (project.name + '-knowledge.db')}"
    subprocess.run([sys.executable, "-m", "knowledge", "load"], cwd=project, check=True,  # nosec B603
                   env={**os.environ, "KB_DATABASE_URL": kb_url})
    model = current_model(project / "models")
    if model is None:
        raise RuntimeError(f"no model in {project / 'models'}")
    return model, kb_url


def messages() -> list[tuple[str, str]]:
    """(kind, text): held-out questions and personal messages, in a fixed shuffled order.

    The questions are the work both builds do (the target compares them); the personal
    messages are new work this build does (routes, emergency help), shown apart.
    """
    texts = [("questions", q["text"]) for name in ("questions", "zh_questions")
             for q in load_questions(HELDOUT_SETS[name].path) if not q.get("context")]
    texts += [("personal", q["text"]) for q in load_questions(HELDOUT_SETS["personal"].path)]
    random.Random(20261204).shuffle(texts)  # nosec B311  # a reproducible order, not a secret
    return texts


async def side_by_side(ours_url: str, previous_url: str, texts: list[tuple[str, str]],
                       turns: int) -> dict[tuple[str, str], list[float]]:
    """Send each text to both servers, alternating which goes first; return turn durations
    by (build, kind of message)."""
    durations: dict[tuple[str, str], list[float]] = {}
    async with load.new_session(4) as session:
        stacks = {"ours": load.RasaHttp(session, ours_url, ""), "previous": load.RasaHttp(session, previous_url, "")}
        for label, rasa in stacks.items():
            for index in range(10):  # unrecorded: the first calls of a process are slow
                await rasa.turn(f"warm-{label}", texts[index][1])
        for index in range(turns):
            kind, text = texts[index % len(texts)]
            order = ("ours", "previous") if index % 2 == 0 else ("previous", "ours")
            for label in order:
                # A new conversation every 20 turns, as the latency benchmark does.
                result = await stacks[label].turn(f"{label}-{index // 20}", text)
                durations.setdefault((label, kind), []).append(result.seconds)
                durations.setdefault((label, "all"), []).append(result.seconds)
    return durations


ROWS = (("questions", "held-out questions (the work both builds do)", True),
        ("personal", "personal messages (stories, crises: new work of this build)", False),
        ("all", "all messages", False))


def report(commit: str, previous_model: Path, ours_model: Path,
           durations: dict[tuple[str, str], list[float]]) -> str:
    """The results as Markdown."""
    lines = [
        "# This build vs the previous build",
        "",
        "Generated by `python -m bench.previous_build` (part of `make bench`); do not edit by hand.",
        "",
        f"- **Date:** {datetime.now(timezone.utc).isoformat(timespec='seconds')}",
        f"- **Machine:** {cpu_model()}",
        f"- **Previous build:** commit `{commit}`, model `{previous_model.name}`",
        f"- **This build:** model `{ours_model.name}`",
        f"- **Turns:** {len(durations[('ours', 'all')])} per build, the same messages, sent to each "
        "build in turn (alternating which goes first); held-out questions and personal messages mixed.",
        "",
        "| messages | measure | this build | previous build | ratio | target | met? |",
        "|---|---|---|---|---|---|---|",
    ]
    for kind, label, targeted in ROWS:
        if (("ours", kind)) not in durations:
            continue
        ours, previous = load.Summary.of(durations[("ours", kind)]), load.Summary.of(durations[("previous", kind)])
        ratio = ours.p50 / previous.p50
        met = ("**yes**" if ratio <= TARGET_P50_RATIO else "**NO**") if targeted else "—"
        lines += [
            f"| {label} (n={ours.n}) | full REST turn p50 | {ours.p50 * 1000:.0f} ms | {previous.p50 * 1000:.0f} ms "
            f"| {ratio:.2f}× | {f'≤ {TARGET_P50_RATIO}×' if targeted else '—'} | {met} |",
            f"| {label} | full REST turn p95 | {ours.p95 * 1000:.0f} ms | {previous.p95 * 1000:.0f} ms "
            f"| {ours.p95 / previous.p95:.2f}× | — | — |",
        ]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Export, prepare and serve the previous build beside this one; write the report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--commit", default=DEFAULT_COMMIT)
    parser.add_argument("--turns", type=int, default=600)
    arguments = parser.parse_args(argv)
    previous_project = export_commit(arguments.commit)
    previous_model, previous_kb = prepare(previous_project)
    ours_model, ours_kb = prepare(PROJECT_ROOT)
    texts = messages()
    with tempfile.TemporaryDirectory(prefix="bench-previous-") as scratch:
        ours_dir, previous_dir = Path(scratch, "ours"), Path(scratch, "previous")
        ours_dir.mkdir()
        previous_dir.mkdir()
        with serving(ours_model, ours_dir, environment={"KB_DATABASE_URL": ours_kb}, api=False) as ours, \
                serving(previous_model, previous_dir, environment={"KB_DATABASE_URL": previous_kb},
                        cwd=previous_project, api=False) as previous:
            durations = asyncio.run(side_by_side(ours.rasa.url, previous.rasa.url, texts, arguments.turns))
    text = report(arguments.commit, previous_model, ours_model, durations)
    RESULTS_FILE.write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
