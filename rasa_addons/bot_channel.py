"""The input channel of the Telegram front end: authenticated, bounded, and idempotent.

    POST /webhooks/bot/webhook
    Authorization: Bearer <RASA_CHANNEL_SECRET>
    {"sender": "<64 hex digits>", "message": "...", "message_id": "tg-<update id>"}

It answers like the REST channel (a JSON list of messages), with three differences:

- the shared secret is required (401 without it, and the channel refuses to load when
  RASA_CHANNEL_SECRET is unset), the sender must be the bot's pseudonym (64 hex digits:
  HMAC-SHA256) and a body over MAX_BODY_BYTES gets 413 before it is parsed;
- `message_id` makes a resend harmless: when the conversation already has a user message
  with that id, the bot messages that followed it are returned and Rasa does not process
  the message again. The check and the processing hold the conversation's lock together,
  so a resend that overtakes the first copy waits for it. The bot resends after a crash or
  a dropped connection, so Rasa sees each Telegram update once;
- nothing the user wrote is logged, whatever fails.
"""
from __future__ import annotations

import logging
import re
from asyncio import CancelledError
from typing import Any, Text
from collections.abc import Awaitable, Callable

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.shared.core.events import BotUttered, UserUttered
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from assistant.contract import CHAT_LANGUAGE_METADATA_KEY, LANGUAGES
from rasa_addons.secret_channel import SecretChannel

logger = logging.getLogger(__name__)

# The bot cuts a question at assistant.text_cleaning.MAX_QUESTION_CHARACTERS: with httpx's
# compact UTF-8 JSON (requirements.txt), far below this (tests/test_contracts.py).
MAX_BODY_BYTES = 8 * 1024
SENDER_FORMAT = re.compile(r"^[0-9a-f]{64}$")
MESSAGE_ID_FORMAT = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
_MESSAGE_KEYS = ("buttons", "image", "attachment", "custom", "elements", "quick_replies")


def stored_reply(events: list[Any], message_id: str) -> list[BotUttered] | None:
    """Return the bot messages that answered the user message `message_id`, or None if the
    conversation has no such message."""
    for index in range(len(events) - 1, -1, -1):
        event = events[index]
        if isinstance(event, UserUttered) and event.message_id == message_id:
            answer = []
            for later in events[index + 1:]:
                if isinstance(later, UserUttered):
                    break
                if isinstance(later, BotUttered):
                    answer.append(later)
            return answer
    return None


async def replay(bot_messages: list[BotUttered], sender: str) -> list[dict[str, Any]]:
    """Return stored bot messages in the REST channel's reply format."""
    collector = CollectingOutputChannel()
    for message in bot_messages:
        content = {key: value for key, value in (message.data or {}).items()
                   if key in _MESSAGE_KEYS and value}
        if message.text:
            content["text"] = message.text
        await collector.send_response(sender, content)
    return collector.messages


def _chat_metadata(metadata: Any) -> dict[str, str] | None:
    """Only the chat's language passes from the bot to the NLU (LanguageDetector)."""
    if isinstance(metadata, dict) and metadata.get(CHAT_LANGUAGE_METADATA_KEY) in LANGUAGES:
        return {CHAT_LANGUAGE_METADATA_KEY: metadata[CHAT_LANGUAGE_METADATA_KEY]}
    return None


async def answer(agent: Any, message: UserMessage) -> HTTPResponse:
    """Handle `message` (or replay its stored reply) under the conversation's lock.

    Answers 200 only once the turn is stored in the tracker: on any failure, 500 and no
    partial reply, so the bot does not count a turn Rasa has not saved as answered.
    """
    if not agent.is_ready():
        return response.json([])  # no model loaded yet: the bot treats [] as a failure
    sender, message_id = message.sender_id, message.message_id
    collector = message.output_channel
    try:
        # One lock for the check and the processing (what agent.handle_message does, plus
        # the check): a resend that arrives while the first copy is still being handled
        # waits, then finds it answered, instead of being processed again.
        async with agent.lock_store.lock(sender):
            if message_id is not None:
                tracker = await agent.tracker_store.retrieve(sender)
                answered = stored_reply(list(tracker.events), message_id) if tracker else None
                if answered is not None:
                    logger.info("Message %s was answered before; replaying the stored reply.",
                                message_id)
                    return response.json(await replay(answered, sender))
            await agent.processor.handle_message(message)
    except CancelledError:
        logger.error("Message %s: the request was cancelled (client gone).", message_id)
        raise
    except Exception as error:  # noqa: BLE001 (reported without the user's text)
        logger.error("Message %s failed: %s; answering 500.", message_id, type(error).__name__)
        return response.json({"error": "the message could not be handled"}, status=500)
    return response.json(collector.messages)


class BotInput(SecretChannel):
    """POST /webhooks/bot/webhook for the Telegram front end (bot/)."""

    SECRET_ENV = "RASA_CHANNEL_SECRET"  # nosec B105  # a variable name

    @classmethod
    def name(cls) -> Text:
        """Return the channel name used in the URL."""
        return "bot"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        """Return the blueprint with the webhook.

        `on_new_message` (the agent's handle_message) is not used: the webhook takes the
        conversation lock itself, to check for a resend and process under the same lock.
        """
        blueprint = Blueprint("bot_webhook", __name__)

        @blueprint.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @blueprint.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            if not self.authorised(request):
                return response.json({"error": "unauthorised"}, status=401)
            if len(request.body or b"") > MAX_BODY_BYTES:
                return response.json({"error": "body too large"}, status=413)
            body = request.json if isinstance(request.json, dict) else {}
            sender, text = body.get("sender"), body.get("message")
            message_id = body.get("message_id")
            if not isinstance(sender, str) or not SENDER_FORMAT.match(sender):
                return response.json({"error": "sender must be 64 hex digits"}, status=400)
            if not isinstance(text, str):
                return response.json({"error": "message must be a string"}, status=400)
            if message_id is not None and (
                not isinstance(message_id, str) or not MESSAGE_ID_FORMAT.match(message_id)
            ):
                return response.json({"error": "bad message_id"}, status=400)

            return await answer(request.app.ctx.agent, UserMessage(
                text, CollectingOutputChannel(), sender, input_channel=self.name(),
                message_id=message_id, metadata=_chat_metadata(body.get("metadata")),
            ))

        return blueprint
