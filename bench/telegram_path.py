"""The Telegram path: fake Bot API (testkit/fake_telegram.py) -> `python -m bot` -> Rasa.

The fake Bot API runs in this process on 127.0.0.1; the front end runs as its own
process (so its memory can be measured), long-polling the fake through
TELEGRAM_API_BASE_URL. A message's latency is from queueing its update in the fake to
the fake receiving the bot's first sendMessage with the answer for that chat (the
fake stamps each call with time.monotonic() on arrival). Each message comes from a
new chat, so the pacing of a multi-message answer (1 message/s per chat) never delays
the next measurement. The same questions are sent straight to the REST channel,
interleaved, for comparison, and to a second front-end process without the inbox
(INBOX_DATABASE_URL=none), so the inbox's cost is measured in the same run, message by
message.
"""
from __future__ import annotations

import asyncio
import os
import secrets
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
    from bot.texts import TEXTS, say

    FALLBACK = say("en", "fallback")  # borrowed from assistant/replies.py, not in TEXTS
    NOTES = {TEXTS["en"]["redacted"], TEXTS["en"]["truncated"]}
except Exception:  # the front end is importable in the bot process; here it is only a nicety
    FALLBACK, NOTES = "can't reach my legal information service", set()


@dataclass
class TelegramResult:
    """Latencies of the Telegram path and of the REST channel, same questions, same run."""

    telegram: list[float] = field(default_factory=list)  # with the durable inbox (SQLite file)
    no_inbox: list[float] = field(default_factory=list)  # the same front end, no inbox
    rest: list[float] = field(default_factory=list)
    lost: int = 0  # no answer within REPLY_TIMEOUT_SECONDS
    fallbacks: int = 0  # the bot answered with its "can't reach the service" fallback
    rest_lost: int = 0
    startup_seconds: float = 0.0
    error: str | None = None


def _bot_environment(telegram: FakeTelegram, rasa_url: str, channel_secret: str,
                     inbox_url: str) -> dict:
    return {
        **os.environ,
        "PYTHONPATH": str(PROJECT_ROOT),
        "TELEGRAM_TOKEN": telegram.token,
        "TELEGRAM_API_BASE_URL": telegram.url,
        "RASA_URL": rasa_url,
        "RASA_CHANNEL_SECRET": channel_secret,
        "SENDER_ID_SECRET": secrets.token_urlsafe(32),
        "RASA_PRIVACY_TOKEN": secrets.token_urlsafe(32),
        "INBOX_DATABASE_URL": inbox_url,
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


async def _start_bot(telegram: FakeTelegram, environment: dict, log_path: Path,
                     sampler: MemorySampler, memory_name: str) -> tuple[subprocess.Popen, str | None]:
    """Start one front-end process; wait until it polls; return it and an error, if any."""
    started = time.monotonic()
    with open(log_path, "w") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "bot"], cwd=PROJECT_ROOT, stdin=subprocess.DEVNULL,
            stdout=log, stderr=subprocess.STDOUT, env=environment,
        )
    sampler.watch(memory_name, process.pid)
    while not telegram.calls_of("getUpdates"):
        if process.poll() is not None or time.monotonic() > started + STARTUP_TIMEOUT_SECONDS:
            return process, (f"the front end did not start polling (exit code "
                             f"{process.poll()}); see {log_path}")
        await asyncio.sleep(0.05)
    return process, None


async def _ask(telegram: FakeTelegram, chat_id: int, text: str, deadline: float) -> tuple | None:
    queued = time.monotonic()
    telegram.send_text(chat_id, text)
    answer = await _answer_time(telegram, chat_id, min(deadline, queued + REPLY_TIMEOUT_SECONDS) + 1)
    return None if answer is None else (answer[0] - queued, answer[1])


async def telegram_path(rasa: RasaHttp, channel_secret: str, texts: Sequence[str], count: int,
                        log_path: Path, sampler: MemorySampler, memory_name: str, deadline: float,
                        warmup: int = 3) -> TelegramResult:
    """Measure `count` questions through the front end with and without the inbox, and over REST."""
    result = TelegramResult()
    log_path.parent.mkdir(parents=True, exist_ok=True)
    inbox_url = f"sqlite:///{log_path.parent / 'bench-inbox.db'}"
    Path(inbox_url.removeprefix("sqlite:///")).unlink(missing_ok=True)
    async with FakeTelegram() as telegram, FakeTelegram() as bare:
        started = time.monotonic()
        process, error = await _start_bot(
            telegram, _bot_environment(telegram, rasa.base_url, channel_secret, inbox_url),
            log_path, sampler, memory_name)
        result.startup_seconds = time.monotonic() - started
        bare_process, bare_error = await _start_bot(
            bare, _bot_environment(bare, rasa.base_url, channel_secret, "none"),
            log_path.with_name(log_path.stem + "-no-inbox.log"), sampler, memory_name + "-no-inbox")
        try:
            result.error = error or bare_error
            chat_id = FIRST_CHAT_ID
            for index in range(0 if result.error else warmup + count):
                if time.monotonic() > deadline:
                    break
                text = texts[index % len(texts)]
                chat_id += 1
                # Alternate which front end goes first, so neither always meets a warmer Rasa.
                order = ((telegram, result.telegram), (bare, result.no_inbox))
                answers = {}
                for fake, _ in (order if index % 2 else order[::-1]):
                    answers[id(fake)] = await _ask(fake, chat_id, text, deadline)
                rest = await rasa.turn(f"tg-rest-{index}", text)
                if index < warmup:
                    continue
                for fake, samples in order:
                    answer = answers[id(fake)]
                    if answer is None:
                        result.lost += 1
                        continue
                    samples.append(answer[0])
                    result.fallbacks += FALLBACK in answer[1]
                result.rest.append(rest.seconds)
                result.rest_lost += rest.lost
        finally:
            for name, running in ((memory_name, process), (memory_name + "-no-inbox", bare_process)):
                sampler.close(name)
                await asyncio.get_running_loop().run_in_executor(None, _stop, running)
    return result
