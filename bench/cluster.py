"""Capacity of the multi-replica deployment (scripts/cluster.py): turns/s and memory with 1, 2 and 3
Rasa replicas behind nginx, for the README's capacity model. Writes bench/CLUSTER.md.

    python -m bench.cluster [--seconds 40] [--conversations 16]

The cluster runs as `make cluster-up` runs it (PostgreSQL tracker store and knowledge base, the
Redis lock store, two action servers), on temporary databases, without Telegram receivers. The
load is closed-loop conversations on the bot channel through nginx, each naming its conversation
in the header nginx hashes on. Replicas are started one after another into the same cluster, and
each level is measured once they all answer.
"""
from __future__ import annotations

import argparse
import asyncio
import hashlib
import os
import secrets
import shlex
import sys
import time
import uuid
from datetime import datetime, timezone
from pathlib import Path
from tempfile import TemporaryDirectory

import aiohttp

from bench.__main__ import FULL, build_texts
from bench.environment import cpu_model
from bench.load import Summary
from bench.memory import process_tree, status_kib
from bot.rasa_client import BOT_CHANNEL_PATH, CONVERSATION_HEADER
from knowledge.loader import load_into_url
from scripts.cluster import Cluster, ClusterSettings, tracker_variables
from scripts.model_store import PROJECT_ROOT, ensure_model
from testkit.support import temporary_postgres_database

OUTPUT = PROJECT_ROOT / "bench" / "CLUSTER.md"


async def closed_loop(url: str, secret: str, texts: list[str], conversations: int,
                      seconds: float) -> tuple[int, int, list[float], float]:
    """Run `conversations` closed-loop conversations for `seconds`; return turns, lost, latencies, wall s."""
    latencies: list[float] = []
    lost = 0
    started = time.monotonic()
    stop_at = started + seconds
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=60)) as session:

        async def conversation(number: int) -> None:
            nonlocal lost
            sender = hashlib.sha256(f"{uuid.uuid4()}".encode()).hexdigest()
            index = 0
            while time.monotonic() < stop_at:
                began = time.perf_counter()
                body = {"sender": sender, "message": texts[(number * 7 + index) % len(texts)],
                        "message_id": f"bench-{number}-{index}"}
                headers = {"Authorization": f"Bearer {secret}", CONVERSATION_HEADER: sender}
                try:
                    async with session.post(url + BOT_CHANNEL_PATH, json=body, headers=headers) as response:
                        reply = await response.json() if response.status == 200 else []
                except (aiohttp.ClientError, asyncio.TimeoutError, ValueError):
                    reply = []
                latencies.append(time.perf_counter() - began)
                lost += not reply
                index += 1

        await asyncio.gather(*(conversation(n) for n in range(conversations)))
    return len(latencies), lost, latencies, time.monotonic() - started


def cpu_seconds(pid: int) -> float:
    """Return the CPU time (user + system) of `pid` and its descendants so far."""
    total = 0
    for member in process_tree(pid):
        try:
            stat = Path(f"/proc/{member}/stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rfind(")") + 2:].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / os.sysconf("SC_CLK_TCK")


def cpu_by_kind(cluster: Cluster) -> dict[str, float]:
    """CPU seconds so far of the Rasa replicas, the action servers and nginx."""
    kinds = {"rasa": cluster.rasa, "actions": cluster.actions, "nginx": [cluster.nginx]}
    return {kind: sum(cpu_seconds(s.process.pid) for s in services if s is not None)
            for kind, services in kinds.items()}


def measure(cluster: Cluster, texts: list[str], conversations: int, seconds: float) -> dict[str, float]:
    """One level: turns/s, latency, memory per replica, and CPU milliseconds per turn by kind of
    process (what a core buys, whatever else the machine runs)."""
    secret = cluster.settings.environment["RASA_CHANNEL_SECRET"]
    asyncio.run(closed_loop(cluster.rasa_url, secret, texts, conversations, 5))  # warm-up
    before = cpu_by_kind(cluster)
    turns, lost, latencies, wall = asyncio.run(
        closed_loop(cluster.rasa_url, secret, texts, conversations, seconds))
    after = cpu_by_kind(cluster)
    summary = Summary.of(latencies)
    rss = [status_kib(s.process.pid, "VmRSS") / 1024 for s in cluster.rasa if s is not None]
    return {"replicas": len(rss), "turns_per_second": turns / wall, "p50": summary.p50, "p95": summary.p95,
            "lost": lost, "turns": turns, "rss_mib": max(rss),
            **{f"{kind}_ms": 1000 * (after[kind] - before[kind]) / turns for kind in after}}


def run(seconds: float, conversations: int) -> list[dict[str, float]]:
    model = ensure_model(PROJECT_ROOT)
    texts = build_texts(FULL)["mix"]
    results = []
    with temporary_postgres_database("bench_kb") as kb, temporary_postgres_database("bench_tracker") as tracker, \
            TemporaryDirectory() as directory:
        load_into_url(kb)
        settings = ClusterSettings(
            model=model, run_directory=Path(directory), kb_url=kb, inbox_url="", bot_receivers=0,
            tracker_db=tracker_variables(tracker),
            redis_key_prefix=f"bench{uuid.uuid4().hex[:8]}", redis_db="2",
            environment={name: secrets.token_urlsafe(32)
                         for name in ("RASA_CHANNEL_SECRET", "RASA_PRIVACY_TOKEN", "SENDER_ID_SECRET")})
        cluster = Cluster(settings)
        try:
            cluster.start_nginx()
            for index in range(len(cluster.actions)):
                cluster.start_actions(index)
            for index in range(len(cluster.rasa)):
                cluster.start_rasa(index)
                results.append(measure(cluster, texts, conversations, seconds))
                print(results[-1], flush=True)
        finally:
            cluster.stop()
    return results


def write(results: list[dict[str, float]], conversations: int, seconds: float) -> None:
    lines = [
        "# Capacity of the cluster: Rasa replicas behind nginx", "",
        "Generated by `python -m bench.cluster`; do not edit by hand.", "",
        f"- **Date:** {datetime.now(timezone.utc).isoformat(timespec='seconds')}",
        f"- **Machine:** {cpu_model()}, {os.cpu_count()} cores, shared with other work (turns/s and "
        "latency depend on it; CPU per turn does not)",
        f"- **Command:** `{shlex.join(['python', '-m', 'bench.cluster', *sys.argv[1:]])}`",
        f"- **Load:** {conversations} closed-loop conversations on the bot channel through nginx, "
        f"{seconds:.0f} s per level after a 5 s warm-up; English held-out questions; PostgreSQL tracker "
        "store and knowledge base, Redis lock store, 2 action servers, the load generator on the same machine",
        "", "CPU per turn is measured from /proc (user + system time of each process tree during the "
        "timed window, divided by the turns): it does not depend on what else the machine ran. "
        "PostgreSQL, Redis and the load generator are not included.", "",
        "| Rasa replicas | turns/s | p50 | p95 | lost | RSS per replica | CPU per turn: Rasa | "
        "action servers | nginx | turns/s per core (Rasa + actions + nginx) |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for row in results:
        per_turn = row["rasa_ms"] + row["actions_ms"] + row["nginx_ms"]
        lines.append(f"| {row['replicas']:.0f} | {row['turns_per_second']:.1f} | {row['p50'] * 1000:.0f} ms | "
                     f"{row['p95'] * 1000:.0f} ms | {row['lost']:.0f} of {row['turns']:.0f} | "
                     f"{row['rss_mib']:.0f} MiB | {row['rasa_ms']:.1f} ms | {row['actions_ms']:.1f} ms | "
                     f"{row['nginx_ms']:.1f} ms | {1000 / per_turn:.0f} |")
    OUTPUT.write_text("\n".join(lines) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.cluster")
    parser.add_argument("--seconds", type=float, default=40)
    parser.add_argument("--conversations", type=int, default=16)
    options = parser.parse_args()
    results = run(options.seconds, options.conversations)
    write(results, options.conversations, options.seconds)
    print(OUTPUT.read_text())


if __name__ == "__main__":
    main()
