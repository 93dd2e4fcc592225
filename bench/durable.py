"""Durable and fast (#24): this build on its default store against the turn-1 build, one run.

The turn-1 build (commit 8edfdaf, 29 Nov 2026) kept conversations in memory and did 2.9x stock
Rasa's throughput; the durable SQLite default then halved it. Here three stacks serve side by
side: this build with the tracker store of its own endpoints.yml (a SQLite file, as `make run`
does), this build with Rasa's own SQLTrackerStore on a SQLite file (the default before #24), and
the turn-1 build with its own endpoints (in memory), and stock Rasa as `python -m bench` serves it
(bench/stock.py: Rasa's default pipeline and policies on this project's data; its model is
trained once, about 40 minutes, and cached by input hash). Closed-loop conversations load one
stack at a time in alternating windows, so machine noise falls on all alike. Then one conversation of 200
turns on each store of this build: the cost of its last 25 turns against the first 25 of a new
conversation asking the same questions, the two alternating (and against its own first 25).

    python -m bench.durable [--rounds 3] [--seconds 10] [--concurrency 8] [--no-stock]

writes bench/DURABLE.md (part of `make bench`).
"""
from __future__ import annotations

import argparse
import asyncio
import shlex
import sys
import tempfile
import time
from contextlib import ExitStack
from datetime import datetime, timezone
from pathlib import Path

from bench import load
from bench import stock
from bench.__main__ import FULL, build_texts, start_stack
from bench.environment import cpu_model
from bench.previous_build import export_commit, prepare
from scripts.model_store import PROJECT_ROOT
from scripts.services import serving

BENCH_DIR = Path(__file__).resolve().parent
RESULTS_FILE = BENCH_DIR / "DURABLE.md"
TURN_ONE_COMMIT = "8edfdaf"
TARGET_THROUGHPUT_RATIO = 1.0
TARGET_LENGTH_RATIO = 1.3
TARGET_STOCK_RATIO = 2.5
OURS, OURS_RASA_STORE, TURN_ONE, STOCK = "this build", "this build, Rasa's SQL store", "turn-1 build", "stock Rasa"
LABELS = (OURS, OURS_RASA_STORE, TURN_ONE, STOCK)
WINDOW = 25  # turns compared at each end of the long conversation


async def alternate(urls: dict[str, str], texts: list[str], concurrency: int, seconds: float,
                    rounds: int) -> dict[str, list[load.ThroughputResult]]:
    """Load each build in turn for `seconds`, `rounds` times, alternating which goes first."""
    results: dict[str, list[load.ThroughputResult]] = {label: [] for label in urls}
    async with load.new_session(concurrency + 4) as session:
        clients = {label: load.RasaHttp(session, url, "") for label, url in urls.items()}
        for label, rasa in clients.items():
            for index in range(10):  # unrecorded: the first calls of a process are slow
                await rasa.turn(f"warm-{label}", texts[index])
        for number in range(rounds):
            order = list(clients) if number % 2 == 0 else list(reversed(clients))
            for label in order:
                results[label].append(await load.throughput_level(
                    clients[label], texts, concurrency, seconds, 100_000, f"{label}-r{number}",
                    check_order=False))
    return results


async def long_conversation(url: str, texts: list[str], turns: int, window: int) -> dict[str, list[float]]:
    """One conversation of `turns` turns cycling through `texts` (the same 25 questions).

    Its last `window` turns alternate with the first `window` of a new conversation asking the
    same questions, so both are timed under the same machine load; the long one's own first
    turns (timed minutes earlier) are kept too.
    """
    async with load.new_session(2) as session:
        rasa = load.RasaHttp(session, url, "")
        long, fresh = f"long-{time.monotonic_ns()}", f"fresh-{time.monotonic_ns()}"
        times: dict[str, list[float]] = {"own first": [], "late": [], "new first": [], "lost": []}
        for index in range(turns - window):
            turn = await rasa.turn(long, texts[index % len(texts)])
            times["own first"].append(turn.seconds)
            times["lost"] += [1.0] * turn.lost
        for index in range(window):
            pair = ((fresh, "new first", index), (long, "late", turns - window + index))
            for sender, key, number in (pair if index % 2 == 0 else reversed(pair)):
                turn = await rasa.turn(sender, texts[number % len(texts)])
                times[key].append(turn.seconds)
                times["lost"] += [1.0] * turn.lost
        times["own first"] = times["own first"][:window]
        return times


def turns_per_second(results: list[load.ThroughputResult]) -> float:
    """All windows of one build together."""
    return sum(r.turns for r in results) / sum(r.seconds for r in results)


def report(results: dict[str, list[load.ThroughputResult]],
           conversations: dict[str, dict[str, list[float]]], window: int, turns: int,
           concurrency: int, command: str, stock_epochs: int | None = None) -> str:
    """The results as Markdown (`stock_epochs`: stock's networks trained that many epochs)."""
    turn_one = turns_per_second(results[TURN_ONE])
    lost = sum(r.lost for rs in results.values() for r in rs) + sum(len(c["lost"]) for c in conversations.values())
    lines = [
        "# Durable and fast: this build against the turn-1 build",
        "",
        "Generated by `python -m bench.durable` (part of `make bench`); do not edit by hand.",
        "",
        f"- **Date:** {datetime.now(timezone.utc).isoformat(timespec='seconds')}",
        f"- **Machine:** {cpu_model()}, shared with other work: compare the ratios, measured in one run",
        f"- **Command:** `{command}`",
        f"- **{OURS}:** the tracker store of endpoints.yml (rasa_addons/tracker_store.py, a SQLite file); "
        f"**{OURS_RASA_STORE}:** the same build and file with Rasa's own `SQLTrackerStore` (the default "
        f"before #24); **{TURN_ONE}:** commit `{TURN_ONE_COMMIT}`, its own endpoints.yml (in memory); "
        f"**{STOCK}:** Rasa's default pipeline and policies on this project's data, served as "
        "`python -m bench` serves it (bench/stock.py)"
        + (f"; its networks trained {stock_epochs} epochs instead of 100, which changes their answers "
           "but not what serving a message costs, so only its speed is compared here"
           if stock_epochs is not None else ""),
        f"- **Load:** {concurrency} closed-loop conversations over REST (a new sender every 25 turns), "
        f"{len(results[OURS])} windows per build, alternating; English held-out questions",
        "",
        "| measure | build | result | turn-1 build (same run) | ratio | target | met? |",
        "|---|---|---|---|---|---|---|",
    ]
    for label in (OURS, OURS_RASA_STORE):
        ours = turns_per_second(results[label])
        ratio = ours / turn_one
        targeted = label == OURS
        met = ("**yes**" if ratio >= TARGET_THROUGHPUT_RATIO else "**NO**") if targeted else "—"
        lines.append(f"| turns/s, {concurrency} conversations | {label} | {ours:.1f} | {turn_one:.1f} | "
                     f"{ratio:.2f}× | {f'≥ {TARGET_THROUGHPUT_RATIO}×' if targeted else '—'} | {met} |")
    ours = turns_per_second(results[OURS])
    if STOCK in results:
        stock_rate = turns_per_second(results[STOCK])
        ratio = ours / stock_rate
        lines.append(f"| turns/s against stock Rasa, {concurrency} conversations | {OURS} | {ours:.1f} | "
                     f"stock: {stock_rate:.1f} (same run) | {ratio:.2f}× | ≥ {TARGET_STOCK_RATIO}× | "
                     f"{'**yes**' if ratio >= TARGET_STOCK_RATIO else '**NO**'} |")
    for label, conversation in conversations.items():
        late = load.Summary.of(conversation["late"]).p50
        for baseline, description, targeted in (
                ("new first", f"the first {window} of a new conversation, timed alongside", label == OURS),
                ("own first", f"its own first {window}, timed before", False)):
            early = load.Summary.of(conversation[baseline]).p50
            ratio = late / early
            met = ("**yes**" if ratio <= TARGET_LENGTH_RATIO else "**NO**") if targeted else "—"
            lines.append(f"| p50 of turns {turns - window + 1}–{turns} of one conversation / {description} "
                         f"| {label} | {late * 1000:.0f} / {early * 1000:.0f} ms | — | {ratio:.2f}× | "
                         f"{f'≤ {TARGET_LENGTH_RATIO}×' if targeted else '—'} | {met} |")
    lines += [f"| lost replies (error, timeout or empty), all of the above | all | {lost} | — | — | 0 | "
              f"{'**yes**' if lost == 0 else '**NO**'} |", ""]
    for label, windows in results.items():
        lines.append(f"- turns/s per window, {label}: "
                     + ", ".join(f"{r.turns_per_second:.1f}" for r in windows))
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Serve both builds, load them in turn, write the report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--turns", type=int, default=200)
    parser.add_argument("--out", type=Path, default=RESULTS_FILE)
    parser.add_argument("--no-stock", action="store_true",
                        help="leave stock Rasa out (its model takes hours to train once on 2 cores)")
    parser.add_argument("--stock-epochs", type=int, default=None,
                        help="train stock's networks this many epochs instead of 100: the same serving "
                             "cost (speed is all this compares), a fraction of the training time")
    arguments = parser.parse_args(argv)
    turn_one_project = export_commit(TURN_ONE_COMMIT)
    turn_one_model, turn_one_kb = prepare(turn_one_project)
    ours_model, ours_kb = prepare(PROJECT_ROOT)
    texts = build_texts(FULL)
    with tempfile.TemporaryDirectory(prefix="bench-durable-") as scratch, ExitStack() as stacks:
        directories = {label: Path(scratch, str(number)) for number, label in enumerate(LABELS)}
        for directory in directories.values():
            directory.mkdir()
        # Stock's model first (trained once, then cached), before any server takes the cores.
        stock_project = stock.write_stock_project(Path(scratch, "stock-project"), epochs=arguments.stock_epochs)
        stock_model = (None if arguments.no_stock
                       else stock.ensure_stock_model(stock_project, Path(scratch, "stock-training.log")))
        urls = {}
        for label, model, kb_url, cwd, store_type in (
                (OURS, ours_model, ours_kb, PROJECT_ROOT, None),
                (OURS_RASA_STORE, ours_model, ours_kb, PROJECT_ROOT, "SQL"),
                (TURN_ONE, turn_one_model, turn_one_kb, turn_one_project, None)):
            served = stacks.enter_context(serving(model, directories[label], {"KB_DATABASE_URL": kb_url},
                                                  cwd=cwd, api=False, own_endpoints=True,
                                                  tracker_store_type=store_type))
            urls[label] = served.rasa.url
        if stock_model is not None:
            served_stock = start_stack("stock", stock_model.path, stock_project / "credentials.yml",
                                       directories[STOCK], ours_kb, "")
            stacks.callback(served_stock.stop)
            urls[STOCK] = served_stock.rasa.url
        results = asyncio.run(alternate(urls, texts["mix"], arguments.concurrency, arguments.seconds,
                                        arguments.rounds))
        conversations = {label: asyncio.run(long_conversation(urls[label], texts["conversation"][:WINDOW],
                                                              arguments.turns, WINDOW))
                         for label in (OURS, OURS_RASA_STORE)}
    command = shlex.join(["python", "-m", "bench.durable", *(argv if argv is not None else sys.argv[1:])])
    text = report(results, conversations, WINDOW, arguments.turns, arguments.concurrency, command,
                  arguments.stock_epochs)
    arguments.out.write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
