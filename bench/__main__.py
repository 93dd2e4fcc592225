"""Runs the benchmark suite and writes bench/RESULTS.md (see bench/__init__.py).

    python -m bench            # full sizes (make bench): about 15 min on 2 cores, plus the stock model the first time
                               # (on the bilingual data: over 40 min; its DIET alone ran 19 s/epoch × 100 on 3 Dec)
    python -m bench --skip stock   # without the stock comparison (what bench/RESULTS.md holds since 3 Dec)
    python -m bench --quick    # small sizes, results under bench/work/quick/
    python -m bench --quick --skip training,stock,telegram

Everything runs on 127.0.0.1; every process started here is stopped on exit, also on
Ctrl-C or SIGTERM.
"""
from __future__ import annotations

import argparse
import asyncio
import os
import pickle  # nosec B403  # only the results file this benchmark wrote itself
import random
import secrets
import shutil
import signal
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from collections.abc import Sequence

from bench import charts, diagnostics, load, memory, report, stock, training
from bench.environment import command_line, cpu_model, terminate_children, versions
from bench.results import Sizes, StackResult
from assistant.contract import ALSO_ANSWERED_BY
from bench.telegram_path import telegram_path
from scripts.evaluate import HELDOUT_SETS, load_questions
from scripts.model_store import PROJECT_ROOT, current_model, inputs_hash
from scripts.services import (Service, free_port, project_endpoints, start_action_server,
                              start_rasa_server, write_endpoints)

BENCH_DIR = Path(__file__).resolve().parent
SECTIONS = ("training", "stock", "quality", "latency", "conversation", "throughput", "telegram",
            "diagnostics", "charts")
COLD_START_QUESTION = "how do I apply for legal aid?"


FULL = Sizes(latency_turns=500, conversation_turns=200, conversation_window=25,
             throughput_levels=(1, 8, 32), throughput_seconds=15, throughput_max_turns=3000,
             telegram_messages=100, quality_limit=None, warmup_turns=10)
QUICK = Sizes(latency_turns=40, conversation_turns=40, conversation_window=10,
              throughput_levels=(1, 8, 32), throughput_seconds=3, throughput_max_turns=300,
              telegram_messages=30, quality_limit=40, warmup_turns=3)


def _raise_keyboard_interrupt(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt(f"signal {signum}")


@dataclass
class Stack:
    """An action server and a Rasa server, started together."""

    actions: Service
    rasa: Service
    cold_start_seconds: float

    def stop(self) -> None:
        """Stop both servers."""
        try:
            self.rasa.stop()
        finally:
            self.actions.stop()


def start_stack(label: str, model: Path, credentials: Path, scratch: Path, kb_url: str,
                token: str) -> Stack:
    """Launch the action server and Rasa at once (as `make run` does); time the first answer."""
    action_port = free_port()
    # Ours is served as `make run` serves it (endpoints.yml); stock, as stock Rasa is (in memory).
    (scratch / label).mkdir(exist_ok=True)
    endpoints = (write_endpoints(scratch / f"{label}-endpoints.yml", f"http://127.0.0.1:{action_port}")
                 if label == "stock" else
                 project_endpoints(scratch / label / "endpoints.yml", f"http://127.0.0.1:{action_port}"))
    launched = time.monotonic()
    with ThreadPoolExecutor(max_workers=2) as pool:
        futures = [
            pool.submit(start_action_server, scratch / f"{label}-actions.log", port=action_port,
                        environment={"KB_DATABASE_URL": kb_url}),
            pool.submit(start_rasa_server, model, endpoints, scratch / f"{label}-rasa.log",
                        api_secret=token, credentials=credentials),
        ]
        try:
            actions, rasa = (future.result() for future in futures)
        except BaseException:
            terminate_children()  # makes a start still waiting fail fast
            for future in futures:
                # Stop whichever server did start; the one that failed has nothing to stop.
                try:
                    future.result(timeout=60).stop()
                except Exception as error:  # noqa: BLE001 (reported below, then re-raised)
                    print(f"bench: a server did not start: {type(error).__name__}", file=sys.stderr)
            raise
    try:
        answered = asyncio.run(load.first_answer(rasa.url, COLD_START_QUESTION, time.monotonic() + 120))
    except BaseException:
        Stack(actions, rasa, 0).stop()
        raise
    return Stack(actions, rasa, answered - launched)


# --- measurements ---------------------------------------------------------------------------


def macro_f1(expected: Sequence[str], predicted: Sequence[str]) -> float:
    """Return the F1 score averaged over the expected labels (each label weighs the same)."""
    if not expected:
        return float("nan")
    from sklearn.metrics import f1_score  # imported here: scikit-learn takes a second to load

    # Only the expected labels count: a wrong guess lowers its true label's recall, and a
    # label never expected gets no score of its own.
    return float(f1_score(expected, predicted, labels=sorted(set(expected)), average="macro",
                          zero_division=0))


async def measure_quality(rasa: load.RasaHttp, questions: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Parse every question; return accuracy, macro-F1 and the predictions."""
    expected, predicted, seconds = [], [], []
    for question in questions:
        took, intent, _ = await rasa.parse(question["text"])
        expected.append(question["expect"])
        predicted.append(intent or "(error)")
        seconds.append(took)
    # Starting the pre-check answers a general eligibility question too (assistant/contract.py).
    correct = sum(e == p or p in ALSO_ANSWERED_BY.get(e, ()) for e, p in zip(expected, predicted, strict=False))
    return {"n": len(expected), "correct": correct, "accuracy": correct / len(expected),
            "macro_f1": macro_f1(expected, predicted), "expected": expected,
            "predicted": predicted, "fallbacks": predicted.count("nlu_fallback")}


async def measure_http(result: StackResult, rasa_url: str, token: str, sizes: Sizes,
                       texts: dict[str, Any], skip: set, deadline: float) -> None:
    """Quality, latency, conversation length and throughput on one running stack."""
    async with load.new_session(max(sizes.throughput_levels) + 8) as session:
        rasa = load.RasaHttp(session, rasa_url, token)
        await load.warm_up(rasa, texts["mix"], sizes.warmup_turns, f"{result.label}-warm")
        if "quality" not in skip:
            print(f"[{result.label}] quality: {len(texts['quality'])} + {len(texts['quality_zh'])} parses",
                  flush=True)
            result.quality = await measure_quality(rasa, texts["quality"])
            result.quality_zh = await measure_quality(rasa, texts["quality_zh"])
        if "latency" not in skip:
            print(f"[{result.label}] latency: {sizes.latency_turns} full turns + parses", flush=True)
            result.latency = await load.latency_run(
                rasa, texts["mix"], sizes.latency_turns, f"{result.label}-lat",
                min(deadline, time.monotonic() + 300))
        if "conversation" not in skip:
            window = sizes.conversation_window
            print(f"[{result.label}] conversation: {sizes.conversation_turns} turns", flush=True)
            result.conversation = await load.long_conversation(
                rasa, texts["conversation"][:window], sizes.conversation_turns,
                f"{result.label}-long-{secrets.token_hex(3)}", min(deadline, time.monotonic() + 240),
                size_at=(window, sizes.conversation_turns))
        if "throughput" not in skip:
            for level in sizes.throughput_levels:
                if time.monotonic() > deadline:
                    result.errors.append(f"throughput at {level}: skipped, time budget used up")
                    continue
                print(f"[{result.label}] throughput: {level} concurrent for "
                      f"{sizes.throughput_seconds:g} s", flush=True)
                result.throughput.append(await load.throughput_level(
                    rasa, texts["mix"], level, sizes.throughput_seconds,
                    sizes.throughput_max_turns, f"{result.label}-tp{level}"))


async def measure_telegram(result: StackResult, rasa_url: str, channel_secret: str, token: str, sizes: Sizes,
                           texts: dict[str, Any], scratch: Path, sampler: memory.MemorySampler,
                           deadline: float) -> None:
    """The Telegram path next to REST, on one running stack."""
    async with load.new_session(4) as session:
        rasa = load.RasaHttp(session, rasa_url, token)
        print(f"[{result.label}] telegram path: {sizes.telegram_messages} messages", flush=True)
        result.telegram = await telegram_path(
            rasa, channel_secret, texts["mix"], sizes.telegram_messages, scratch / "telegram-bot.log", sampler,
            f"{result.label}/telegram", min(deadline, time.monotonic() + 300))
        if result.telegram.error:
            result.errors.append(f"telegram path: {result.telegram.error}")


def run_stack(label: str, model: Path, credentials: Path, scratch: Path, kb_url: str,
              sizes: Sizes, texts: dict[str, Any], skip: set, sampler: memory.MemorySampler,
              deadline: float) -> StackResult:
    """Start one stack, measure everything on it, stop it."""
    result = StackResult(label, model.name)
    token = secrets.token_hex(16)
    print(f"[{label}] starting action server + Rasa ({model.name})", flush=True)
    stack = start_stack(label, model, credentials, scratch, kb_url, token)
    try:
        result.cold_start_seconds = stack.cold_start_seconds
        result.action_server_up_seconds = stack.actions.started_in
        result.rasa_up_seconds = stack.rasa.started_in
        print(f"[{label}] first answer {stack.cold_start_seconds:.1f} s after launch", flush=True)
        sampler.watch(f"{label}/rasa", stack.rasa.process.pid)
        sampler.watch(f"{label}/actions", stack.actions.process.pid)
        asyncio.run(measure_http(result, stack.rasa.url, token, sizes, texts, skip, deadline))
        if label == "ours" and "telegram" not in skip:
            asyncio.run(measure_telegram(result, stack.rasa.url, stack.rasa.channel_secret, token,
                                         sizes, texts, scratch,
                                         sampler, deadline))
    finally:
        sampler.close(f"{label}/rasa")
        sampler.close(f"{label}/actions")
        stack.stop()
    return result


def build_texts(sizes: Sizes) -> dict[str, Any]:
    """Return the question sets: quality (no context), a fixed-seed mix, knowledge questions."""
    questions = [q for q in load_questions() if not q.get("context")]
    mix = [q["text"] for q in questions]
    random.Random(20240901).shuffle(mix)  # nosec B311  # a reproducible order, not a secret
    knowledge = [q["text"] for q in questions if q["expect"].startswith(("faq_", "stat_"))]
    random.Random(7).shuffle(knowledge)  # nosec B311  # a reproducible order, not a secret
    chinese = [q for q in load_questions(HELDOUT_SETS["zh_questions"].path) if not q.get("context")]
    return {"quality": _every_nth(questions, sizes.quality_limit),
            "quality_zh": _every_nth(chinese, sizes.quality_limit), "mix": mix, "conversation": knowledge,
            "expect": {q["text"]: q["expect"] for q in questions}}


def _every_nth(questions: list[dict[str, Any]], limit: int | None) -> list[dict[str, Any]]:
    """All questions, or `limit` of them spread evenly over the set."""
    if limit is None:
        return questions
    return questions[::max(1, len(questions) // limit)][:limit]


def make_knowledge_base(directory: Path) -> str:
    """Load knowledge/data into a new SQLite file; return its URL."""
    from knowledge.loader import load_into_url

    url = f"sqlite:///{directory / 'knowledge.db'}"
    load_into_url(url)
    return url


def run(arguments: argparse.Namespace, argv: Sequence[str]) -> dict[str, Any]:
    """Run every measurement not skipped; return everything the report needs."""
    started = time.monotonic()
    sizes = QUICK if arguments.quick else FULL
    skip = set(arguments.skip)
    if arguments.quick and not arguments.training:
        skip.add("training")
    results: dict[str, Any] = {
        "date": datetime.now().astimezone().isoformat(timespec="seconds"),
        "machine": {"nproc": os.cpu_count(), "memory_bytes": memory.machine_memory_bytes(),
                    "cpu": cpu_model(), "load_before": os.getloadavg()},
        "versions": versions(), "command": command_line(argv), "quick": arguments.quick,
        "sizes": sizes, "skip": sorted(skip), "errors": [],
    }
    model = current_model(PROJECT_ROOT / "models")
    if model is None:
        raise SystemExit("No models/current.tar.gz; run `make setup` (or `make model`) first.")
    results["our_model"] = model.name
    results["our_model_stale"] = model.name != f"{inputs_hash()}.tar.gz"
    texts = build_texts(sizes)
    results["texts"] = {"quality": len(texts["quality"]), "mix": len(texts["mix"]),
                        "expect": texts["expect"]}
    for old in stock.WORK_DIR.glob("bench-*"):  # logs of earlier runs
        shutil.rmtree(old, ignore_errors=True)
    scratch = Path(tempfile.mkdtemp(prefix="bench-", dir=stock.WORK_DIR))
    results["scratch"] = scratch
    try:
        if "training" not in skip:
            print("[training] our config from scratch, then after one new intent "
                  "(log: %s)" % (scratch / "training.log"), flush=True)
            try:
                results["training"] = training.measure_training(scratch / "training",
                                                                scratch / "training.log")
                print(f"[training] full {results['training'].full_seconds:.0f} s, retrain "
                      f"{results['training'].retrain_seconds:.0f} s", flush=True)
            except RuntimeError as error:
                results["errors"].append(f"training: {str(error).splitlines()[0]}")
                print(f"[training] failed: {error}", file=sys.stderr, flush=True)
        stock_model = None
        if "stock" not in skip:
            project = stock.write_stock_project(scratch / "stock-project")
            print("[stock] model (cached by input hash under bench/work/stock/)", flush=True)
            try:
                stock_model = stock.ensure_stock_model(project, scratch / "stock-training.log",
                                                       force=arguments.retrain_stock)
                results["stock_model"] = stock_model
                print(f"[stock] {stock_model.path.name}: "
                      f"{'cached' if stock_model.cached else 'trained'} "
                      f"({stock_model.training_seconds:.0f} s of training)", flush=True)
            except RuntimeError as error:
                results["errors"].append(f"stock model: {str(error).splitlines()[0]}")
                print(f"[stock] failed: {error}", file=sys.stderr, flush=True)
        kb_url = make_knowledge_base(scratch)
        # The budget bounds the measurements on running servers, not the training above.
        deadline = time.monotonic() + arguments.budget_minutes * 60
        with memory.MemorySampler() as sampler:
            results["ours"] = run_stack("ours", model, PROJECT_ROOT / "credentials.yml", scratch,
                                        kb_url, sizes, texts, skip, sampler, deadline)
            english_only = getattr(results.get("training"), "english_only_model", None)
            if english_only is not None:
                # The latency of the same stack with an English-only model; quality shows
                # what Chinese costs the English side.
                results["english_only"] = run_stack(
                    "english-only", english_only, PROJECT_ROOT / "credentials.yml", scratch, kb_url,
                    sizes, texts, skip | {"conversation", "throughput", "telegram"}, sampler, deadline)
            if stock_model is not None:
                results["stock"] = run_stack("stock", stock_model.path,
                                             scratch / "stock-project" / "credentials.yml", scratch,
                                             kb_url, sizes, texts, skip, sampler, deadline)
        if "diagnostics" not in skip:
            print("[diagnostics] cost of Rasa's action-response validation", flush=True)
            results["diagnostics"] = diagnostics.action_validation_cost()
        if "charts" not in skip:
            print("[charts] cost of drawing a chart for Telegram", flush=True)
            results["charts"] = charts.render_cost(kb_url)
        results["memory"] = {name: group.peak_bytes for name, group in sampler.groups.items()}
        results["memory_processes"] = {name: g.processes for name, g in sampler.groups.items()}
        results["memory_simultaneous"] = {k: v * 1024 for k, v in sampler.peak_sum_kib.items()}
    finally:
        terminate_children()
        # Keep the logs; drop the project copies (the training copy holds a large cache).
        for copy in ("training", "stock-project"):
            shutil.rmtree(scratch / copy, ignore_errors=True)
    results["machine"]["load_after"] = os.getloadavg()
    results["elapsed_seconds"] = time.monotonic() - started
    return results


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true",
                        help="small sizes for development; writes bench/work/quick/RESULTS.md")
    parser.add_argument("--skip", type=lambda v: [s for s in v.split(",") if s], default=[],
                        help=f"comma-separated sections to leave out: {','.join(SECTIONS)}")
    parser.add_argument("--training", action="store_true",
                        help="with --quick: measure training too (skipped by default)")
    parser.add_argument("--retrain-stock", action="store_true",
                        help="train the stock model even if bench/work/stock/ has it")
    parser.add_argument("--budget-minutes", type=float, default=12.0,
                        help="cut measurements short after this many minutes of servers running")
    parser.add_argument("--out", type=Path, default=None,
                        help="directory for RESULTS.md and the PNGs (default: bench/, "
                             "or bench/work/quick/ with --quick)")
    parser.add_argument("--render", type=Path, default=None, metavar="PICKLE",
                        help="only rewrite the report from bench/work/results-*.pickle")
    arguments = parser.parse_args(argv)
    unknown = set(arguments.skip) - set(SECTIONS)
    if unknown:
        parser.error(f"unknown section(s) for --skip: {', '.join(sorted(unknown))}")
    out = arguments.out or (stock.WORK_DIR / "quick" if arguments.quick else BENCH_DIR)
    signal.signal(signal.SIGTERM, _raise_keyboard_interrupt)
    os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    stock.WORK_DIR.mkdir(parents=True, exist_ok=True)
    if arguments.render:
        results = pickle.loads(arguments.render.read_bytes())  # nosec B301  # our own results file
    else:
        try:
            results = run(arguments, argv)
        except KeyboardInterrupt:
            print("Interrupted; every process started here was stopped.", file=sys.stderr)
            return 130
        out.mkdir(parents=True, exist_ok=True)
        (stock.WORK_DIR / f"results-{'quick' if arguments.quick else 'full'}.pickle").write_bytes(
            pickle.dumps(results))
    path = report.write(results, out)
    print(f"Wrote {path}" + ("." if arguments.render else
                             f" after {results['elapsed_seconds'] / 60:.1f} min."))
    return 0


if __name__ == "__main__":
    sys.exit(main())
