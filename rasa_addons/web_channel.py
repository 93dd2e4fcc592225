"""The web page: a chat page and its JSON API, served by the Rasa server itself (same origin).

    GET  /webhooks/web/                the page (rasa_addons/web/index.html)
    GET  /webhooks/web/static/<file>   its script modules and stylesheet
    POST /webhooks/web/message         {"visitor", "message", "language"?, "shown_as"?}
    POST /webhooks/web/history         {"visitor"}: the current conversation, after a reload
    POST /webhooks/web/forget          {"visitor"}: erase it (the /forget path of Telegram)

The page keeps a random id (`visitor`, 32 hex digits) in the browser's localStorage; the
tracker's sender id is HMAC-SHA256(SENDER_ID_SECRET, "web:" + visitor), the bot's pseudonym
function (assistant/privacy.py) with a prefix, so no visitor id can name a Telegram chat's
conversation. Replies are `{"language": "en" | "zh", "messages": [{"text", "buttons",
"link", "chart"}]}`; the page renders every text with textContent. Each response carries a
Content-Security-Policy without inline scripts. Bodies over MAX_BODY_BYTES get 413 before
they are parsed, a message over MAX_MESSAGE_CHARACTERS 413, a sender over its rate 429 with
Retry-After; the page explains each. Nothing a person wrote is logged, whatever fails.
"""
from __future__ import annotations

import asyncio
import logging
import os
import re
import time
from collections import deque
from pathlib import Path
from typing import Any, Text
from collections.abc import Awaitable, Callable

from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage
from rasa.shared.core.events import BotUttered, UserUttered
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from assistant.charts import read_chart
from assistant.contract import CHAT_LANGUAGE_METADATA_KEY, LANGUAGE_SLOT, LANGUAGES
from assistant.privacy import conversation_ref, pseudonym, retention_days
from assistant.unanswered_report import forget_in_report
from rasa_addons.privacy_retention import erase_under_lock
from rasa_addons.secret_channel import MIN_SECRET_LENGTH, ChannelConfigError

logger = logging.getLogger(__name__)

PAGE_DIRECTORY = Path(__file__).resolve().parent / "web"
STATIC_FILES = {  # the only files served: no path from a request reaches the file system
    "app.js": "text/javascript; charset=utf-8",
    "chart.js": "text/javascript; charset=utf-8",
    "render.js": "text/javascript; charset=utf-8",
    "texts.js": "text/javascript; charset=utf-8",
    "style.css": "text/css; charset=utf-8",
    "favicon.svg": "image/svg+xml",
}
# The same question cap as the Telegram front end; 2,000 characters are at most ~6 KB of JSON.
MAX_MESSAGE_CHARACTERS = 2000
MAX_BODY_BYTES = 8 * 1024
MAX_SHOWN_AS_CHARACTERS = 64  # a button's title, shown instead of its payload after a reload
VISITOR_FORMAT = re.compile(r"^[0-9a-f]{32}$")
# A person reads each answer: 20 messages a minute is far above that, and far below a script.
RATE_PER_MINUTE = 20
# All visitors together: new random ids must not buy a script unlimited turns.
TOTAL_RATE_PER_MINUTE = 600
HISTORY_MESSAGES = 60
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
        "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}
SENDER_SECRET_ENV = "SENDER_ID_SECRET"  # nosec B105  # a variable name


class RateLimiter:
    """Sliding one-minute windows per key and in total, in memory (one Rasa process)."""

    def __init__(self, per_key: int, total: int, clock: Callable[[], float] = time.monotonic) -> None:
        self._per_key, self._total, self._clock = per_key, total, clock
        self._times: dict[str, deque[float]] = {}
        self._all: deque[float] = deque()

    def retry_after(self, key: str) -> int:
        """Count a request of `key`; return 0 if allowed, else the seconds until it would be."""
        now = self._clock()
        for times in (self._all, self._times.setdefault(key, deque())):
            while times and times[0] <= now - 60:
                times.popleft()
        times = self._times[key]
        for window, limit in ((times, self._per_key), (self._all, self._total)):
            if len(window) >= limit:
                return max(1, int(window[0] + 60 - now) + 1)
        times.append(now)
        self._all.append(now)
        if len(self._times) > 10_000:  # forget idle visitors, so memory stays bounded
            self._times = {k: v for k, v in self._times.items() if v}
        return 0


def page_message(content: dict[str, Any]) -> dict[str, Any] | None:
    """One bot message as the page draws it: text, buttons, an image as a link, a chart."""
    message: dict[str, Any] = {}
    if isinstance(content.get("text"), str) and content["text"].strip():
        message["text"] = content["text"]
    buttons = [
        {"title": str(button.get("title") or ""), "payload": str(button["payload"])}
        for button in content.get("buttons") or []
        if isinstance(button, dict) and button.get("payload")
    ]
    if buttons:
        message["buttons"] = buttons
    if isinstance(content.get("image"), str):
        # Shown as a link: the page loads nothing from another origin (CSP img-src 'self').
        message["link"] = content["image"]
    chart = read_chart(content.get("custom"))
    if chart is not None:
        message["chart"] = chart
    return message or None


def history_messages(events: list[Any]) -> list[dict[str, Any]]:
    """The conversation's user and bot messages, as the page shows them after a reload."""
    shown: list[dict[str, Any]] = []
    for event in events:
        if isinstance(event, UserUttered) and event.text:
            metadata = event.metadata or {}
            text = event.text
            if text.startswith("/"):  # a button's payload: show the title the person clicked
                text = metadata.get("shown_as") if isinstance(metadata.get("shown_as"), str) else ""
            if text:
                shown.append({"from": "user", "text": text})
        elif isinstance(event, BotUttered):
            message = page_message({**(event.data or {}), "text": event.text})
            if message:
                shown.append({"from": "bot", **message})
    return shown[-HISTORY_MESSAGES:]


def _json(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> HTTPResponse:
    return response.json(body, status=status, headers={**SECURITY_HEADERS, **(headers or {})})


class WebInput(InputChannel):
    """The web page's channel (credentials.yml: rasa_addons.web_channel.WebInput)."""

    @classmethod
    def name(cls) -> Text:
        """Return the channel name used in the URL."""
        return "web"

    @classmethod
    def from_credentials(cls, credentials: dict | None) -> WebInput:
        """Create the channel; it refuses to load without the bot's SENDER_ID_SECRET."""
        secret = (os.environ.get(SENDER_SECRET_ENV) or "").strip()
        if len(secret) < MIN_SECRET_LENGTH:
            raise ChannelConfigError(
                f"{SENDER_SECRET_ENV} must be set (at least {MIN_SECRET_LENGTH} characters) for the "
                "web channel; the Telegram front end uses the same value."
            )
        credentials = credentials or {}
        return cls(secret, int(credentials.get("rate_per_minute") or RATE_PER_MINUTE))

    def __init__(self, secret: str, rate_per_minute: int = RATE_PER_MINUTE) -> None:
        self._secret = secret.encode()
        self._limiter = RateLimiter(rate_per_minute, TOTAL_RATE_PER_MINUTE)
        self._page = (PAGE_DIRECTORY / "index.html").read_text(encoding="utf-8").replace(
            "{{RETENTION_DAYS}}", f"{retention_days():g}").replace(
            "{{MAX_CHARACTERS}}", str(MAX_MESSAGE_CHARACTERS))
        self._static = {name: (PAGE_DIRECTORY / name).read_bytes() for name in STATIC_FILES}

    def sender_of(self, visitor: str) -> str:
        """The tracker's sender id of a page's visitor id."""
        return pseudonym(self._secret, f"web:{visitor}")

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        """Return the blueprint with the page, its files and its API."""
        blueprint = Blueprint("web_page", __name__)

        @blueprint.route("/", methods=["GET"])
        async def page(_: Request) -> HTTPResponse:
            return response.html(self._page, headers=SECURITY_HEADERS)

        @blueprint.route("/static/<name>", methods=["GET"])
        async def static(_: Request, name: str) -> HTTPResponse:
            if name not in STATIC_FILES:
                return _json({"error": "not_found"}, status=404)
            return response.raw(self._static[name], content_type=STATIC_FILES[name],
                                headers=SECURITY_HEADERS)

        @blueprint.route("/message", methods=["POST"])
        async def message(request: Request) -> HTTPResponse:
            body, refusal = self._read(request)
            if refusal is not None:
                return refusal
            text, language, shown_as = body.get("message"), body.get("language"), body.get("shown_as")
            if not isinstance(text, str):
                return _json({"error": "bad_request"}, status=400)
            if len(text) > MAX_MESSAGE_CHARACTERS:
                return _json({"error": "too_long", "limit": MAX_MESSAGE_CHARACTERS}, status=413)
            sender = self.sender_of(body["visitor"])
            wait = self._limiter.retry_after(sender)
            if wait:
                return _json({"error": "rate_limited", "retry_after": wait}, status=429,
                             headers={"Retry-After": str(wait)})
            agent = request.app.ctx.agent
            if agent is None or not agent.is_ready():
                return _json({"error": "not_ready"}, status=503)
            metadata: dict[str, str] = {}
            if language in LANGUAGES:
                metadata[CHAT_LANGUAGE_METADATA_KEY] = language
            if isinstance(shown_as, str) and text.startswith("/"):
                metadata["shown_as"] = shown_as[:MAX_SHOWN_AS_CHARACTERS]
            collector = CollectingOutputChannel()
            try:
                await on_new_message(UserMessage(text, collector, sender, input_channel=self.name(),
                                                 metadata=metadata or None))
            except asyncio.CancelledError:
                logger.error("Web conversation %s: the request was cancelled.", conversation_ref(sender))
                raise
            except Exception as error:  # noqa: BLE001 (reported without the user's text)
                logger.error("Web conversation %s failed: %s.", conversation_ref(sender),
                             type(error).__name__)
                return _json({"error": "failed"}, status=500)
            messages = [m for m in (page_message(c) for c in collector.messages) if m]
            return _json({"language": await self._language(agent, sender, language),
                          "messages": messages})

        @blueprint.route("/history", methods=["POST"])
        async def history(request: Request) -> HTTPResponse:
            body, refusal = self._read(request)
            if refusal is not None:
                return refusal
            agent = request.app.ctx.agent
            sender = self.sender_of(body["visitor"])
            tracker = await agent.tracker_store.retrieve(sender) if agent is not None else None
            if tracker is None:
                return _json({"language": None, "messages": []})
            return _json({"language": tracker.get_slot(LANGUAGE_SLOT),
                          "messages": history_messages(list(tracker.events))})

        @blueprint.route("/forget", methods=["POST"])
        async def forget(request: Request) -> HTTPResponse:
            body, refusal = self._read(request)
            if refusal is not None:
                return refusal
            agent = request.app.ctx.agent
            sender = self.sender_of(body["visitor"])
            ref = conversation_ref(sender)
            # The erase path of Telegram's /forget (rasa_addons/privacy_channel.py).
            deleted = await erase_under_lock(agent.lock_store, agent.tracker_store, sender)
            rows = await asyncio.to_thread(forget_in_report, ref)
            logger.info("Erased web conversation %s: %d events, %d report rows.", ref, deleted, rows)
            return _json({"deleted_events": deleted})

        return blueprint

    @staticmethod
    def _read(request: Request) -> tuple[dict[str, Any], HTTPResponse | None]:
        """The JSON body with a well-formed visitor id, or the response refusing it."""
        if len(request.body or b"") > MAX_BODY_BYTES:
            return {}, _json({"error": "too_long", "limit": MAX_MESSAGE_CHARACTERS}, status=413)
        try:
            body = request.json
        except Exception:  # noqa: BLE001 (sanic raises its own error for malformed JSON)
            body = None
        if not isinstance(body, dict) or not isinstance(body.get("visitor"), str) \
                or not VISITOR_FORMAT.match(body["visitor"]):
            return {}, _json({"error": "bad_request"}, status=400)
        return body, None

    @staticmethod
    async def _language(agent: Any, sender: str, fallback: Any) -> str | None:
        """The conversation's language after the turn (the `language` slot)."""
        tracker = await agent.tracker_store.retrieve(sender)
        slot = tracker.get_slot(LANGUAGE_SLOT) if tracker is not None else None
        return slot if slot in LANGUAGES else (fallback if fallback in LANGUAGES else None)
