"""The Telegram path: fake Bot API (testkit/fake_telegram.py) -> `python -m bot` -> Rasa.

The fake Bot API runs in this process on 127.0.0.1; the front end runs as its own
process (so its memory can be measured), long-polling the fake through
TELEGRAM_API_BASE_URL. A message's latency is from queueing its update in the fake to
the fake receiving the bot's first sendMessage with the answer for that chat (the
fake stamps each call with time.monotonic() on arrival). Each message comes from a
new chat, so the pacing of a multi-message answer (1 message/s per chat) never delays
the next measurement. The same questions are sent straight to the REST channel,
interleaved, for comparison.
"""
from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from collections.abc import Sequence

from bench.load import RasaHttp
from bench.memory import MemorySampler
from scripts.model_store import PROJECT_ROOT
from testkit.fake_telegram import FakeTelegram

FIRST_CHAT_ID = 7_000_000
REPLY_TIMEOUT_SECONDS = 30.0
STARTUP_TIMEOUT_SECONDS = 60.0
# Texts the bot sends before the answer (identifier redaction, truncation) are not the answer.
try:
    from bot.texts import TEXTS

    FALLBACK = TEXTS["en"]["fallback"]
    NOTES = {TEXTS["en"]["redacted"], TEXTS["en"]["truncated"]}
except Exception:  # the front end is importable in the bot process; here it is only a nicety
    FALLBACK, NOTES = "can't reach my legal information service", set()


@dataclass
class TelegramResult:
    """Latencies of the Telegram path and of the REST channel, same questions, same run."""

    telegram: list[float] = field(default_factory=list)
    rest: list[float] = field(default_factory=list)
    lost: int = 0  # no answer within REPLY_TIMEOUT_SECONDS
    fallbacks: int = 0  # the bot answered with its "can't reach the service" fallback
    rest_lost: int = 0
    startup_seconds: float = 0.0
    error: str | None = None


def _bot_environment(telegram: FakeTelegram, rasa_url: str) -> dict:
    return {
        **os.environ,
        "PYTHONPATH": str(PROJECT_ROOT),
        "TELEGRAM_TOKEN": telegram.token,
        "TELEGRAM_API_BASE_URL": telegram.url,
        "RASA_URL": rasa_url,
        "SENDER_ID_SECRET": "bench-sender-secret",
        "RASA_TIMEOUT_SECONDS": str(REPLY_TIMEOUT_SECONDS),
        "LOG_LEVEL": "WARNING",
        "PTB_TIMEDELTA": "true",
    }


async def _answer_time(telegram: FakeTelegram, chat_id: int, deadline: float) -> tuple | None:
    """Wait for the first answer message to `chat_id`; return (arrival time, text) or None."""
    while time.monotonic() < deadline:
        for call in telegram.calls_of("sendMessage", ok=True):
            if call.params.get("chat_id") == chat_id and call.params.get("text") not in NOTES:
                return call.time, call.params.get("text") or ""
        await asyncio.sleep(0.005)
    return None


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=15)


async def telegram_path(rasa: RasaHttp, texts: Sequence[str], count: int, log_path: Path,
                        sampler: MemorySampler, memory_name: str, deadline: float,
                        warmup: int = 3) -> TelegramResult:
    """Measure `count` questions through the Telegram front end and straight over REST."""
    result = TelegramResult()
    log_path.parent.mkdir(parents=True, exist_ok=True)
    async with FakeTelegram() as telegram:
        with open(log_path, "w") as log:
            started = time.monotonic()
            process = subprocess.Popen(
                [sys.executable, "-m", "bot"], cwd=PROJECT_ROOT, stdin=subprocess.DEVNULL,
                stdout=log, stderr=subprocess.STDOUT, env=_bot_environment(telegram, rasa.base_url),
            )
            try:
                sampler.watch(memory_name, process.pid)
                ready_by = started + STARTUP_TIMEOUT_SECONDS
                while not telegram.calls_of("getUpdates"):
                    if process.poll() is not None or time.monotonic() > ready_by:
                        result.error = (f"the front end did not start polling (exit code "
                                        f"{process.poll()}); see {log_path}")
                        return result
                    await asyncio.sleep(0.05)
                result.startup_seconds = time.monotonic() - started
                chat_id = FIRST_CHAT_ID
                for index in range(warmup + count):
                    if time.monotonic() > deadline:
                        break
                    text = texts[index % len(texts)]
                    chat_id += 1
                    queued = time.monotonic()
                    telegram.send_text(chat_id, text)
                    answer = await _answer_time(
                        telegram, chat_id, min(deadline, queued + REPLY_TIMEOUT_SECONDS) + 1
                    )
                    rest = await rasa.turn(f"tg-rest-{index}", text)
                    if index < warmup:
                        continue
                    if answer is None:
                        result.lost += 1
                        continue
                    result.telegram.append(answer[0] - queued)
                    result.fallbacks += FALLBACK in answer[1]
                    result.rest.append(rest.seconds)
                    result.rest_lost += rest.lost
            finally:
                sampler.close(memory_name)
                await asyncio.get_running_loop().run_in_executor(None, _stop, process)
    return result
