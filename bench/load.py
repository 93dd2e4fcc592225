"""HTTP load helpers (asyncio + aiohttp, 127.0.0.1 only) and percentiles.

Every loop here is bounded twice: by a number of turns and by a deadline.
"""
from __future__ import annotations

import asyncio
import json
import math
import statistics
import time
from dataclasses import dataclass, field
from typing import Any
from collections.abc import Sequence

import aiohttp

from scripts.rasa_api import api_headers

REQUEST_TIMEOUT_SECONDS = 60.0


# --- statistics ---------------------------------------------------------------------------


def percentile(values: Sequence[float], q: int) -> float:
    """Return the q-th percentile (1-99) with linear interpolation; NaN when empty."""
    if not values:
        return math.nan
    if len(values) == 1:
        return float(values[0])
    # "inclusive" is the interpolation between closest ranks (numpy's default).
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


@dataclass(frozen=True)
class Summary:
    """Percentiles of a list of durations, in seconds."""

    n: int
    p50: float
    p95: float
    p99: float
    mean: float

    @classmethod
    def of(cls, values: Sequence[float]) -> Summary:
        """Summarise `values`."""
        return cls(len(values), percentile(values, 50), percentile(values, 95),
                   percentile(values, 99), sum(values) / len(values) if values else math.nan)


# --- one Rasa server ---------------------------------------------------------------------------


@dataclass
class TurnResult:
    """One REST-channel turn as the client saw it."""

    seconds: float
    messages: list[dict[str, Any]]
    error: str | None = None

    @property
    def lost(self) -> bool:
        """True when the turn got no usable reply (error, or Rasa's empty list)."""
        return self.error is not None or not any(
            m.get("text") or m.get("buttons") or m.get("image") for m in self.messages
        )


class RasaHttp:
    """The REST channel and the JWT-protected HTTP API of one Rasa server."""

    def __init__(self, session: aiohttp.ClientSession, base_url: str, token: str) -> None:
        self.session = session
        self.base_url = base_url.rstrip("/")
        self.token = token

    async def turn(self, sender: str, text: str) -> TurnResult:
        """Send one user message through the REST channel; time it."""
        started = time.perf_counter()
        try:
            async with self.session.post(
                f"{self.base_url}/webhooks/rest/webhook", json={"sender": sender, "message": text}
            ) as response:
                body = await response.read()
                seconds = time.perf_counter() - started
                if response.status != 200:
                    return TurnResult(seconds, [], f"HTTP {response.status}")
                messages = json.loads(body)
                if not isinstance(messages, list):
                    return TurnResult(seconds, [], "reply is not a list")
                return TurnResult(seconds, messages)
        except (aiohttp.ClientError, asyncio.TimeoutError, ValueError) as error:
            return TurnResult(time.perf_counter() - started, [], type(error).__name__)

    async def parse(self, text: str) -> tuple[float, str | None, float]:
        """POST /model/parse; return (seconds, intent name or None, confidence)."""
        started = time.perf_counter()
        try:
            async with self.session.post(
                f"{self.base_url}/model/parse", headers=api_headers(self.token), json={"text": text}
            ) as response:
                body = await response.read()
                seconds = time.perf_counter() - started
                if response.status != 200:
                    return seconds, None, 0.0
                intent = json.loads(body).get("intent") or {}
                return seconds, intent.get("name"), float(intent.get("confidence") or 0.0)
        except (aiohttp.ClientError, asyncio.TimeoutError, ValueError):
            return time.perf_counter() - started, None, 0.0

    async def tracker(self, sender: str) -> tuple[dict[str, Any], int]:
        """Return the tracker of `sender` and the size of its JSON in bytes."""
        async with self.session.get(
            f"{self.base_url}/conversations/{sender}/tracker", headers=api_headers(self.token)
        ) as response:
            body = await response.read()
            response.raise_for_status()
            return json.loads(body), len(body)


def new_session(connections: int = 64) -> aiohttp.ClientSession:
    """Return a keep-alive client session for loopback load."""
    return aiohttp.ClientSession(
        connector=aiohttp.TCPConnector(limit=connections, force_close=False),
        timeout=aiohttp.ClientTimeout(total=REQUEST_TIMEOUT_SECONDS),
    )


async def first_answer(base_url: str, text: str, deadline: float) -> float:
    """Send `text` until the REST channel answers it (bounded by `deadline`, a monotonic time)."""
    async with new_session(2) as session:
        rasa = RasaHttp(session, base_url, "")
        attempt = 0
        while time.monotonic() < deadline:
            attempt += 1
            result = await rasa.turn(f"coldstart-{attempt}", text)
            if not result.lost:
                return time.monotonic()
            await asyncio.sleep(0.2)
    raise RuntimeError(f"no answer from {base_url} before the deadline")


# --- latency: full turn next to bare parse ------------------------------------------------------


@dataclass
class LatencyResult:
    """Full-turn and parse durations measured interleaved on one server."""

    full: list[float] = field(default_factory=list)
    parse: list[float] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    lost: int = 0


async def warm_up(rasa: RasaHttp, texts: Sequence[str], count: int, prefix: str) -> None:
    """Send a few unrecorded turns and parses (first TensorFlow calls are slow)."""
    for index in range(count):
        await rasa.turn(f"{prefix}-warmup", texts[index % len(texts)])
        await rasa.parse(texts[index % len(texts)])


async def latency_run(rasa: RasaHttp, texts: Sequence[str], turns: int, prefix: str,
                      deadline: float, sender_every: int = 25) -> LatencyResult:
    """Measure `turns` sequential full turns and as many parses, interleaved, same texts.

    A fresh sender every `sender_every` turns; the order (turn first or parse first)
    alternates so neither side systematically gets the warmer cache.
    """
    result = LatencyResult()
    for index in range(turns):
        if time.monotonic() > deadline:
            break
        text = texts[index % len(texts)]
        sender = f"{prefix}-{index // sender_every}"
        if index % 2 == 0:
            turn = await rasa.turn(sender, text)
            parsed = await rasa.parse(text)
        else:
            parsed = await rasa.parse(text)
            turn = await rasa.turn(sender, text)
        result.full.append(turn.seconds)
        result.parse.append(parsed[0])
        result.texts.append(text)
        result.lost += turn.lost
    return result


# --- throughput: N concurrent conversations ----------------------------------------------------


@dataclass
class ThroughputResult:
    """One concurrency level."""

    concurrency: int
    turns: int
    seconds: float
    lost: int
    out_of_order: int
    unanswered_in_tracker: int
    senders_checked: int
    latencies: list[float]

    @property
    def turns_per_second(self) -> float:
        """Completed turns per second of wall time."""
        return self.turns / self.seconds if self.seconds > 0 else math.nan


async def throughput_level(rasa: RasaHttp, texts: Sequence[str], concurrency: int,
                           duration: float, max_turns: int, prefix: str,
                           sender_every: int = 25, check_order: bool = True) -> ThroughputResult:
    """Run `concurrency` conversations for `duration` s (or `max_turns` turns in total).

    Each conversation sends its next message only after the previous reply arrived, so
    on the client a reply always belongs to the request it answers. Order and completeness
    are then checked where they could really break: in Rasa's tracker of each sender
    (unless `check_order` is false: that needs the HTTP API).
    """
    sent: dict[str, list[str]] = {}
    latencies: list[float] = []
    lost = 0
    started = time.monotonic()
    stop_at = started + duration
    budget = [max_turns]
    finished = [started]

    async def conversation(number: int) -> None:
        nonlocal lost
        offset = (number * 7) % len(texts)
        index = 0
        while time.monotonic() < stop_at and budget[0] > 0:
            budget[0] -= 1
            sender = f"{prefix}-c{number}-s{index // sender_every}"
            text = texts[(offset + index) % len(texts)]
            sent.setdefault(sender, []).append(text)
            result = await rasa.turn(sender, text)
            latencies.append(result.seconds)
            lost += result.lost
            finished[0] = max(finished[0], time.monotonic())
            index += 1

    await asyncio.gather(*(conversation(number) for number in range(concurrency)))
    seconds = finished[0] - started
    out_of_order, unanswered = await check_trackers(rasa, sent) if check_order else (0, 0)
    return ThroughputResult(concurrency, len(latencies), seconds, lost, out_of_order, unanswered,
                            len(sent), latencies)


def user_turns(events: Sequence[dict[str, Any]]) -> tuple[list[str], int]:
    """Return the user texts of a tracker in order, and how many got no bot message."""
    texts: list[str] = []
    answered: list[bool] = []
    for event in events:
        if event.get("event") == "user":
            texts.append(event.get("text") or "")
            answered.append(False)
        elif event.get("event") == "bot" and answered:
            answered[-1] = True
    return texts, answered.count(False)


async def check_trackers(rasa: RasaHttp, sent: dict[str, list[str]]) -> tuple[int, int]:
    """Compare each sender's tracker with what was sent; return (out of order, unanswered).

    Out of order: positions where the tracker's user message differs from the one sent
    at that position (plus any missing or extra ones). Unanswered: user messages not
    followed by a bot message before the next user message.
    """
    out_of_order = unanswered = 0
    for sender, texts in sent.items():
        tracker, _ = await rasa.tracker(sender)
        seen, missing_replies = user_turns(tracker.get("events") or [])
        out_of_order += sum(a != b for a, b in zip(seen, texts, strict=False)) + abs(len(seen) - len(texts))
        unanswered += missing_replies
    return out_of_order, unanswered


# --- conversation length --------------------------------------------------------------------


@dataclass
class ConversationResult:
    """One long conversation."""

    latencies: list[float]
    lost: int
    tracker_bytes: dict[int, int]  # turn number -> size of the tracker JSON after it


async def long_conversation(rasa: RasaHttp, texts: Sequence[str], turns: int, sender: str,
                            deadline: float, size_at: Sequence[int] = ()) -> ConversationResult:
    """Send `turns` messages in one conversation, cycling through `texts`."""
    result = ConversationResult([], 0, {})
    for index in range(turns):
        if time.monotonic() > deadline:
            break
        turn = await rasa.turn(sender, texts[index % len(texts)])
        result.latencies.append(turn.seconds)
        result.lost += turn.lost
        if index + 1 in size_at:
            result.tracker_bytes[index + 1] = (await rasa.tracker(sender))[1]
    return result
