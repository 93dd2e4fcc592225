"""Composing replies: Rasa's answer (or the fallback) as the parts the inbox stores and sends."""
from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Callable, Sequence

from telegram import Bot
from telegram.constants import ChatAction
from telegram.error import TelegramError

from bot.delivery import Part, chart_part, photo_part, text_part
from bot.formatting import build_keyboard, split_message
from bot.rasa_client import BotMessage, RasaClient, RasaError, log_id
from bot.texts import say

logger = logging.getLogger(__name__)

TYPING_REFRESH_SECONDS = 4.5  # Telegram shows "typing…" for 5 s per chat action
# Typing loops still finishing their last request (a reference keeps them from being collected).
_typing_tasks: set[asyncio.Task[None]] = set()


@contextlib.asynccontextmanager
async def typing(bot: Bot, chat_id: int) -> AsyncIterator[None]:
    """Show "typing…" in the chat until the block ends."""

    done = asyncio.Event()

    async def keep_typing() -> None:
        while not done.is_set():
            try:
                await bot.send_chat_action(chat_id=chat_id, action=ChatAction.TYPING)
            except TelegramError as error:  # cosmetic; never let it block the answer
                logger.debug("sendChatAction failed: %s", error)
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(done.wait(), TYPING_REFRESH_SECONDS)

    task = asyncio.create_task(keep_typing())
    _typing_tasks.add(task)
    task.add_done_callback(_typing_tasks.discard)
    try:
        yield
    finally:
        # Stop the loop after its request in flight, and do not wait for it: cancelling an
        # HTTP request mid-exchange can wait forever for its clean-up, and waiting for it here
        # once left a chat's answer (and every later update of that chat) stuck.
        done.set()


def answer_parts(messages: Sequence[BotMessage], language: str,
                 sign: Callable[[str], str | None]) -> list[Part]:
    """Return Rasa's messages as parts: text split to Telegram's limit, buttons as a keyboard
    (callback data signed by `sign`) under the last chunk, images and charts as photos."""
    parts: list[Part] = []
    for message in messages:
        text = message.text or ""
        keyboard, left_out = build_keyboard(message.buttons, sign)
        if left_out:
            text = f"{text}\n\n{say(language, 'you_can_type')}\n" + "\n".join(
                f"• {title}" for title in left_out
            )
        chunks = split_message(text)
        if keyboard is not None and not chunks:
            chunks = [say(language, "choose")]
        for index, chunk in enumerate(chunks):
            last = index == len(chunks) - 1
            parts.append(text_part(chunk, keyboard if last else None))
        if message.image:
            parts.append(photo_part(message.image))
        if message.chart:
            parts.append(chart_part(message.chart))
    return parts


async def ask_rasa(
    bot: Bot, rasa: RasaClient, chat_id: int, sender: str, question: str, message_id: str,
    language: str, sign: Callable[[str], str | None], fallback_key: str = "fallback",
) -> list[Part]:
    """Return the parts answering `question`: Rasa's reply, or the fallback if Rasa fails."""
    async with typing(bot, chat_id):
        try:
            messages = await rasa.send_message(sender, question, message_id, chat_language=language)
        except RasaError as error:
            logger.warning(
                "No answer from Rasa for conversation %s: %s", log_id(sender), error.reason
            )
            messages = []
    if not messages:
        return [text_part(say(language, fallback_key))]
    return answer_parts(messages, language, sign)
