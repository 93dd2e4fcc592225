"""Talks to the Rasa server over HTTP only: the REST channel and the privacy (erase) endpoint.

Messages go to the bot channel (rasa_addons/bot_channel.py) with the shared secret and the
Telegram update's id as `message_id`, so sending a message again is harmless: a message
Rasa already answered is answered from its tracker, not processed twice. That is why a
refused or dropped connection is retried until `patience_seconds` run out (Rasa is
restarting); a timeout is not (Rasa may still be working on the message).

The channel answers HTTP 200 with `[]` when anything inside Rasa fails, so an empty reply
is reported as a failure here, like a timeout or a refused connection.
"""
from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from typing import Any

import httpx

from assistant.charts import read_chart
from assistant.contract import CHAT_LANGUAGE_METADATA_KEY
from assistant.privacy import conversation_ref, pseudonym
from bot.formatting import Button

logger = logging.getLogger(__name__)

BOT_CHANNEL_PATH = "/webhooks/bot/webhook"
# Names the conversation (its pseudonym) outside the JSON body, so that a load balancer in front
# of several Rasa replicas sends all of a conversation's requests to one of them
# (scripts/nginx_conf.py hashes on it).
CONVERSATION_HEADER = "X-Conversation-Id"
PRIVACY_PATH = "/webhooks/privacy/conversations/{sender}"


class RasaError(Exception):
    """Rasa gave no usable answer; `reason` is a short, log-safe description (no user text)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class BotMessage:
    """One message of a Rasa reply."""

    text: str | None = None
    buttons: tuple[Button, ...] = ()
    image: str | None = None
    # A chart message (assistant/charts.py), drawn as a photo by bot/charts.py.
    chart: dict[str, Any] | None = None


def sender_id(secret: bytes, chat_id: int) -> str:
    """Return the pseudonymous Rasa sender id of a Telegram chat: HMAC-SHA256(secret, chat id)."""
    return pseudonym(secret, str(chat_id))


def log_id(sender: str) -> str:
    """Return the conversation's reference for logs, the same one Rasa's logs and the
    unanswered report use (assistant.privacy.conversation_ref)."""
    return conversation_ref(sender)


def parse_reply(payload: Any) -> list[BotMessage]:
    """Return the messages of a REST channel reply; raise RasaError if it is malformed or empty."""
    if not isinstance(payload, list):
        raise RasaError(f"reply is a {type(payload).__name__}, not a list")
    messages: list[BotMessage] = []
    for item in payload:
        if not isinstance(item, dict):
            continue
        text = item.get("text") if isinstance(item.get("text"), str) else None
        image = item.get("image") if isinstance(item.get("image"), str) else None
        buttons = tuple(
            Button(str(button.get("title") or ""), str(button.get("payload") or ""))
            for button in item.get("buttons") or []
            if isinstance(button, dict) and button.get("payload")
        )
        chart = read_chart(item.get("custom"))
        if (text and text.strip()) or image or buttons or chart:
            messages.append(BotMessage(text=text, buttons=buttons, image=image, chart=chart))
    if not messages:
        # Rasa swallows exceptions (action server down, tracker store down, ...) and returns [].
        raise RasaError("empty reply")
    return messages


class RasaClient:
    """An HTTP client for one Rasa server."""

    def __init__(
        self,
        base_url: str,
        timeout_seconds: float,
        channel_secret: str,
        privacy_token: str = "",  # nosec B107  # an empty default, the real token is required config
        patience_seconds: float = 60.0,
        retry_backoff_seconds: float = 0.5,
    ) -> None:
        self._base_url = base_url.rstrip("/")
        self._timeout = timeout_seconds
        self._channel_secret = channel_secret
        self._privacy_token = privacy_token
        self._patience = patience_seconds
        self._backoff = retry_backoff_seconds
        self._client: httpx.AsyncClient | None = None

    @property
    def base_url(self) -> str:
        """Return the Rasa server's base URL."""
        return self._base_url

    def _http(self) -> httpx.AsyncClient:
        if self._client is None or self._client.is_closed:
            self._client = httpx.AsyncClient(
                timeout=httpx.Timeout(self._timeout),
                limits=httpx.Limits(max_connections=256, max_keepalive_connections=32),
                headers={"User-Agent": "legal-services-telegram-bot"},
            )
        return self._client

    async def aclose(self) -> None:
        """Close the connection pool."""
        if self._client is not None:
            await self._client.aclose()
            self._client = None

    async def _request(self, method: str, path: str, *, resend_safe: bool = False,
                       **kwargs: Any) -> httpx.Response:
        """Send one request with an overall deadline.

        A refused connection reached nothing, so it is retried; with `resend_safe`, so is a
        connection dropped mid-exchange; both until `patience_seconds` have passed.
        """
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self._patience
        delay = self._backoff
        while True:
            try:
                # httpx's own timeouts (connect, write, read, pool: each `timeout_seconds`), not
                # asyncio.wait_for: cancelling httpx mid-request can wait forever for its clean-up.
                return await self._http().request(method, f"{self._base_url}{path}", **kwargs)
            except (httpx.ConnectError, httpx.ConnectTimeout, httpx.RemoteProtocolError,
                    httpx.ReadError, httpx.WriteError) as error:
                dropped = not isinstance(error, (httpx.ConnectError, httpx.ConnectTimeout))
                if (dropped and not resend_safe) or loop.time() + delay > deadline:
                    raise RasaError(f"cannot reach Rasa ({type(error).__name__})") from error
                logger.warning(
                    "Cannot reach Rasa at %s (%s); retrying in %.1f s.",
                    self._base_url, type(error).__name__, delay,
                )
                await asyncio.sleep(delay)
                delay = min(delay * 2, 5.0)
            except httpx.TimeoutException as error:
                # Not retried: Rasa may still be processing the message.
                raise RasaError(f"no answer within {self._timeout:g} s") from error
            except httpx.HTTPError as error:
                raise RasaError(f"HTTP error ({type(error).__name__})") from error

    async def send_message(self, sender: str, text: str, message_id: str,
                           chat_language: str | None = None) -> list[BotMessage]:
        """Send a user message (with the chat's language, for messages without words of
        their own) to the bot channel and return Rasa's reply messages."""
        body: dict[str, Any] = {"sender": sender, "message": text, "message_id": message_id}
        if chat_language is not None:
            body["metadata"] = {CHAT_LANGUAGE_METADATA_KEY: chat_language}
        response = await self._request(
            "POST", BOT_CHANNEL_PATH, resend_safe=True,
            json=body,
            headers={"Authorization": f"Bearer {self._channel_secret}", CONVERSATION_HEADER: sender},
        )
        if response.status_code != 200:
            raise RasaError(f"HTTP {response.status_code}")
        try:
            payload = response.json()
        except ValueError as error:
            raise RasaError("reply is not JSON") from error
        return parse_reply(payload)

    async def forget(self, sender: str) -> int:
        """Erase the conversation of `sender` in Rasa; return how many items went (its events
        and its rows of the unanswered report)."""
        headers = {"Authorization": f"Bearer {self._privacy_token}", CONVERSATION_HEADER: sender}
        response = await self._request(
            "DELETE", PRIVACY_PATH.format(sender=sender), resend_safe=True, headers=headers
        )
        if response.status_code != 200:
            raise RasaError(f"erase failed: HTTP {response.status_code}")
        try:
            counts = response.json()
            erased = [counts.get(key, 0) for key in ("deleted_events", "report_rows")]
        except (ValueError, AttributeError) as error:
            raise RasaError("erase reply is not a JSON object") from error
        return sum(int(n) for n in erased if isinstance(n, (int, float)))

    async def is_up(self) -> bool:
        """Return True if the Rasa server answers its root URL."""
        try:
            response = await self._http().get(f"{self._base_url}/", timeout=min(self._timeout, 3))
        except httpx.HTTPError:
            return False
        return response.status_code == 200
