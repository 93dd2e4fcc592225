"""Sending a reply through the inbox: stored before the first part goes out, resumed after a crash.

A handler composes the whole reply of an update as a list of parts (JSON objects:
`{"text": ..., "reply_markup": {...}}`, `{"photo": url}` or `{"chart": {...}}`, a series drawn
as a PNG when it is sent: bot/charts.py), and `deliver()` stores it,
then sends it part by part, recording each part Telegram accepted. When the update is
handled again after a restart, the stored reply is sent from its first unsent part and
`compose` (which asks Rasa) is not called again.

Telegram's 429 (after `retry_after`), 5xx, timeouts and network errors are retried with
backoff, resuming at the failed part; after SEND_ATTEMPTS the update is marked failed.
The one window left: a part that Telegram accepted just before a crash or a dropped
connection is sent again, because the acceptance was not recorded.
"""
from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

from telegram import Bot, InlineKeyboardMarkup
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter

from bot.charts import caption_of, render_png
from bot.inbox import Inbox
from bot.no_inbox import NoInbox

logger = logging.getLogger(__name__)

Part = dict[str, Any]
# Attempts per part before the update is marked failed (about 90 s of retrying).
SEND_ATTEMPTS = 8
MAX_BACKOFF_SECONDS = 30.0


class DeliveryFailed(Exception):
    """A part could not be sent after SEND_ATTEMPTS; `reason` is log-safe."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def text_part(text: str, reply_markup: InlineKeyboardMarkup | None = None) -> Part:
    """Return a text part, with an inline keyboard if given."""
    part: Part = {"text": text}
    if reply_markup is not None:
        part["reply_markup"] = reply_markup.to_dict()
    return part


def photo_part(url: str) -> Part:
    """Return a photo part (sent as a link if Telegram refuses the image)."""
    return {"photo": url}


def chart_part(chart: dict[str, Any]) -> Part:
    """Return a chart part: the series is stored, the PNG drawn when it is sent."""
    return {"chart": chart}


async def run_in_thread(function: Callable[..., Any], *args: Any) -> Any:
    """Run a blocking inbox call in a worker thread (the event loop keeps serving other chats)."""
    return await asyncio.to_thread(function, *args)


class ChatPace:
    """When each chat was last sent a message. A chat's next reply starts no sooner than the
    send interval after it: Telegram takes about one message a second in a chat anyway, and one
    chat sending a thousand messages is then answered at that pace instead of taking the turns
    the other chats need (issue #24, fairness)."""

    # Chats not written to for this long are forgotten (their wait is long over).
    FORGET_AFTER_SECONDS = 60.0
    MAX_REMEMBERED = 10_000

    def __init__(self) -> None:
        self._last_sent: dict[int, float] = {}

    async def wait_turn(self, chat_id: int, interval_seconds: float) -> None:
        """Wait until the chat's last message is `interval_seconds` old."""
        last = self._last_sent.get(chat_id)
        if last is not None:
            delay = last + interval_seconds - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)

    def sent(self, chat_id: int) -> None:
        """Note that a message was just sent to the chat."""
        now = time.monotonic()
        if len(self._last_sent) >= self.MAX_REMEMBERED:
            self._last_sent = {chat: at for chat, at in self._last_sent.items()
                               if now - at < self.FORGET_AFTER_SECONDS}
        self._last_sent[chat_id] = now


async def deliver(
    bot: Bot,
    inbox: Inbox | NoInbox,
    update_id: int,
    chat_id: int,
    compose: Callable[[], Awaitable[list[Part]]],
    *,
    interval_seconds: float,
    retry_base_seconds: float,
    pace: ChatPace | None = None,
) -> None:
    """Send the reply of one update exactly once across crashes (but see the module doc)."""
    if pace is not None:
        await pace.wait_turn(chat_id, interval_seconds)
    stored = await run_in_thread(inbox.stored_reply, update_id)
    if stored is None:
        parts = await compose()
        await run_in_thread(inbox.store_reply, update_id, parts)
        first = 0
    else:
        parts, first = stored.parts, stored.sent
        if first < len(parts):
            logger.info("Update %s: resuming its stored reply at part %d of %d.",
                        update_id, first + 1, len(parts))
    for index in range(first, len(parts)):
        if index > first or first > 0:
            # Telegram asks for at most about one message per second in one chat.
            await asyncio.sleep(interval_seconds)
        await _send_with_retries(bot, chat_id, parts[index], update_id, retry_base_seconds)
        if pace is not None:
            pace.sent(chat_id)
        await run_in_thread(inbox.mark_sent, update_id, index + 1)


async def _send_with_retries(
    bot: Bot, chat_id: int, part: Part, update_id: int, retry_base_seconds: float
) -> None:
    for attempt in range(1, SEND_ATTEMPTS + 1):
        try:
            await _send(bot, chat_id, part)
            return
        except Forbidden:
            raise  # the user blocked the bot: retrying cannot help
        except RetryAfter as error:
            wait = seconds_of(error.retry_after)
            reason = "429 flood control"
        except NetworkError as error:  # includes TimedOut and Telegram's 5xx
            if isinstance(error, BadRequest):
                raise
            wait = min(MAX_BACKOFF_SECONDS, retry_base_seconds * 2 ** (attempt - 1))
            reason = type(error).__name__
        if attempt == SEND_ATTEMPTS:
            raise DeliveryFailed(f"{reason}, {SEND_ATTEMPTS} attempts")
        logger.warning("Update %s: Telegram send failed (%s); retrying in %.1f s (attempt %d of %d).",
                       update_id, reason, wait, attempt + 1, SEND_ATTEMPTS)
        await asyncio.sleep(wait)


async def _send(bot: Bot, chat_id: int, part: Part) -> None:
    if "chart" in part:
        await _send_chart(bot, chat_id, part["chart"])
        return
    if "photo" in part:
        try:
            await bot.send_photo(chat_id=chat_id, photo=part["photo"])
        except BadRequest as error:
            logger.warning("Telegram refused an image from Rasa (%s); sending its link.", error)
            await bot.send_message(chat_id=chat_id, text=part["photo"])
        return
    markup = part.get("reply_markup")
    await bot.send_message(
        chat_id=chat_id, text=part["text"],
        reply_markup=InlineKeyboardMarkup.de_json(markup, bot) if markup else None,
    )


async def _send_chart(bot: Bot, chat_id: int, chart: dict[str, Any]) -> None:
    """Draw the chart off the event loop and send it as a photo from bytes; a chart that
    cannot be drawn or is refused is left out (the text answer beside it says it all)."""
    try:
        png = await asyncio.to_thread(render_png, chart)
    except Exception as error:  # noqa: BLE001 (a chart is extra; its failure must not fail the reply)
        logger.error("A chart could not be drawn (%s: %s); sending the answer without it.",
                     type(error).__name__, error)
        return
    try:
        await bot.send_photo(chat_id=chat_id, photo=png, caption=caption_of(chart))
    except BadRequest as error:
        logger.warning("Telegram refused a chart (%s); the answer goes without it.", error)


def seconds_of(value: int | float | timedelta) -> float:
    """Return a PTB time period (seconds, or a timedelta with PTB_TIMEDELTA) in seconds."""
    return value.total_seconds() if isinstance(value, timedelta) else float(value)
