"""A fake Telegram Bot API server for tests: real HTTP on 127.0.0.1, the real URL scheme.

It serves `/bot<token>/<method>` like api.telegram.org: getUpdates with offset/timeout
long-poll semantics (an update is confirmed when a later call asks for a higher offset),
sendMessage and friends returning proper `{"ok": true, "result": Message}` objects, 401 for
a wrong token, 409 for getUpdates while a webhook is set, and it pushes updates to a
webhook (with the secret header) once setWebhook was called. Tests script updates
(`send_text`, `tap_button`, `send_media`, ...; testkit/telegram_updates.py), inject failures
(`fail_next`, e.g. 429 with retry_after, or `fail_randomly`), and inspect every call with
its time (`calls`, `sent_messages`).
"""
from __future__ import annotations

import asyncio
import json
import random
import time
from dataclasses import dataclass, field
from typing import Any
from collections.abc import Callable

import aiohttp
from aiohttp import web

from testkit.telegram_updates import UpdateScripting, utf16_length

DEFAULT_TOKEN = "123456789:TEST-fake-token-abcdefghijklmnopqrstuvwxyz"  # nosec B105  # a fake
BOT_ID = 123456789
BOT_USERNAME = "legal_services_test_bot"
# Values PTB sends JSON-encoded inside form fields.
_JSON_FIELDS = {
    "reply_markup", "commands", "allowed_updates", "reply_parameters", "link_preview_options",
    "entities", "caption_entities", "scope",
}
_INT_FIELDS = {"chat_id", "offset", "limit", "message_id", "reply_to_message_id", "max_connections"}


@dataclass
class Call:
    """One request the fake received."""

    method: str
    params: dict[str, Any]
    time: float  # time.monotonic()
    status: int = 200
    result: Any = None
    # Uploaded files (multipart fields that are files, e.g. sendPhoto's photo), by field name.
    files: dict[str, bytes] = field(default_factory=dict)


@dataclass
class _Failure:
    count: int
    status: int
    retry_after: int | None
    description: str | None


@dataclass
class _Webhook:
    url: str
    secret_token: str | None
    allowed_updates: list[str] | None
    deliveries: list[int] = field(default_factory=list)


class FakeTelegram(UpdateScripting):
    """A scriptable Bot API server. Use `async with FakeTelegram() as telegram:`."""

    def __init__(self, token: str = DEFAULT_TOKEN) -> None:
        super().__init__()
        self.token = token
        self.bot_user = {
            "id": BOT_ID, "is_bot": True, "first_name": "Legal Services Test Bot",
            "username": BOT_USERNAME, "can_join_groups": True,
            "can_read_all_group_messages": False, "supports_inline_queries": False,
        }
        self.calls: list[Call] = []
        self.commands: list[dict[str, str]] = []
        self.commands_by_language: dict[str, list[dict[str, str]]] = {}
        self.language_codes: dict[int, str] = {}
        self.confirmed_update_id = 0  # highest update_id confirmed by a getUpdates offset
        self.last_update_id = 0
        self.webhook: _Webhook | None = None
        self._pending: list[dict[str, Any]] = []
        self._failures: dict[str, list[_Failure]] = {}
        self._random_failures: tuple[set[str], float, random.Random] | None = None
        self._random_failure_count = 0
        self._changed = asyncio.Event()
        self._stopping = False
        self._runner: web.AppRunner | None = None
        self._session: aiohttp.ClientSession | None = None
        self._pusher: asyncio.Task | None = None
        self.port = 0

    # --- lifecycle -----------------------------------------------------------------------

    async def start(self) -> FakeTelegram:
        """Listen on a random port of 127.0.0.1."""
        app = web.Application()
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        app.router.add_route("*", "/file/bot{token}/{path:.*}", self._handle_file)
        self._runner = web.AppRunner(
            app, handler_cancellation=True, shutdown_timeout=1.0, access_log=None
        )
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = self._runner.addresses[0][1]
        self._session = aiohttp.ClientSession()
        return self

    async def stop(self) -> None:
        """Release long polls and stop serving."""
        self._stopping = True
        self._notify()
        if self._pusher is not None:
            self._pusher.cancel()
            await asyncio.gather(self._pusher, return_exceptions=True)
        if self._session is not None:
            await self._session.close()
        if self._runner is not None:
            await self._runner.cleanup()

    async def __aenter__(self) -> FakeTelegram:
        return await self.start()

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    @property
    def url(self) -> str:
        """Return the server root, the value for TELEGRAM_API_BASE_URL."""
        return f"http://127.0.0.1:{self.port}"

    # --- failures ----------------------------------------------------------------------------

    def fail_next(self, method: str, count: int = 1, *, status: int = 429,
                  retry_after: int | None = 1, description: str | None = None) -> None:
        """Make the next `count` calls of `method` fail (default: 429 retry after 1 s)."""
        self._failures.setdefault(method, []).append(
            _Failure(count, status, retry_after if status == 429 else None, description)
        )

    def fail_randomly(self, methods: tuple[str, ...], probability: float, seed: int = 0) -> None:
        """Fail each call of `methods` with `probability`: 429 (retry after 1 s) or 500, alternately."""
        self._random_failures = (set(methods), probability, random.Random(seed))  # nosec B311

    def _take_failure(self, method: str) -> _Failure | None:
        if self._random_failures is not None:
            methods, probability, generator = self._random_failures
            if method in methods and generator.random() < probability:
                self._random_failure_count += 1
                if self._random_failure_count % 2:
                    return _Failure(1, 429, 1, None)
                return _Failure(1, 500, None, None)
        for failure in self._failures.get(method, []):
            if failure.count > 0:
                failure.count -= 1
                return failure
        return None

    # --- inspection --------------------------------------------------------------------------

    def calls_of(self, method: str, *, ok: bool | None = None) -> list[Call]:
        """Return the calls of `method`, optionally only the successful (or failed) ones."""
        return [c for c in self.calls if c.method == method
                and (ok is None or (c.status == 200) == ok)]

    def sent_messages(self, chat_id: int | None = None) -> list[dict[str, Any]]:
        """Return the parameters of every delivered sendMessage, in order."""
        return [c.params for c in self.calls_of("sendMessage", ok=True)
                if chat_id is None or c.params.get("chat_id") == chat_id]

    def texts(self, chat_id: int | None = None) -> list[str]:
        """Return the texts of every delivered sendMessage, in order."""
        return [params["text"] for params in self.sent_messages(chat_id)]

    async def wait_until(self, predicate: Callable[[], bool], timeout: float = 5.0) -> None:
        """Wait until `predicate()` is true; raise AssertionError after `timeout` seconds."""
        deadline = time.monotonic() + timeout
        while not predicate():
            if time.monotonic() > deadline:
                raise AssertionError(f"condition not met within {timeout} s")
            await asyncio.sleep(0.02)

    async def wait_for_texts(self, chat_id: int, count: int, timeout: float = 5.0) -> list[str]:
        """Wait until `count` messages were delivered to `chat_id`; return their texts."""
        await self.wait_until(lambda: len(self.texts(chat_id)) >= count, timeout)
        return self.texts(chat_id)

    # --- HTTP --------------------------------------------------------------------------------

    def _notify(self) -> None:
        self._changed.set()
        self._changed = asyncio.Event()

    @staticmethod
    async def _params(request: web.Request, files: dict[str, bytes] | None = None) -> dict[str, Any]:
        raw: dict[str, Any] = dict(request.query)
        if request.content_type == "application/json":
            body = await request.json()
            raw.update(body if isinstance(body, dict) else {})
        elif request.method == "POST":
            for key, value in (await request.post()).items():
                raw[key] = value if isinstance(value, str) else "<file>"
                if not isinstance(value, str):
                    with value.file as upload:  # aiohttp leaves the spooled upload open
                        content = upload.read()
                    if files is not None:
                        files[key] = content
        params: dict[str, Any] = {}
        for key, value in raw.items():
            if isinstance(value, str) and key in _JSON_FIELDS:
                value = json.loads(value)
            elif isinstance(value, str) and key in _INT_FIELDS and value.lstrip("-").isdigit():
                value = int(value)
            elif isinstance(value, str) and key == "timeout":
                value = float(value)
            params[key] = value
        return params

    @staticmethod
    def _error(status: int, description: str, **parameters: Any) -> web.Response:
        body: dict[str, Any] = {"ok": False, "error_code": status, "description": description}
        if parameters:
            body["parameters"] = parameters
        return web.json_response(body, status=status)

    async def _handle_file(self, request: web.Request) -> web.Response:
        return self._error(404, "Not Found")

    async def _handle(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        if request.match_info["token"] != self.token:
            return self._error(401, "Unauthorized")
        files: dict[str, bytes] = {}
        params = await self._params(request, files)
        call = Call(method, params, time.monotonic(), files=files)
        self.calls.append(call)
        failure = self._take_failure(method)
        if failure is not None:
            call.status = failure.status
            if failure.status == 429:
                return self._error(
                    429, failure.description or f"Too Many Requests: retry after {failure.retry_after}",
                    retry_after=failure.retry_after,
                )
            return self._error(failure.status, failure.description or "Internal Server Error")
        handler = getattr(self, f"_api_{method}", None)
        if handler is None:
            call.status = 404
            return self._error(404, "Not Found: method not found")
        outcome = await handler(params)
        if isinstance(outcome, web.Response):
            call.status = outcome.status
            return outcome
        call.result = outcome
        return web.json_response({"ok": True, "result": outcome})

    def _bot_message(self, chat_id: int, **content: Any) -> dict[str, Any]:
        return {"message_id": next(self._message_ids), "date": int(time.time()),
                "chat": self._chat(chat_id), "from": self.bot_user, **content}

    # --- Bot API methods ---------------------------------------------------------------------

    async def _api_getMe(self, params: dict[str, Any]) -> Any:
        return self.bot_user

    async def _api_getUpdates(self, params: dict[str, Any]) -> Any:
        if self.webhook is not None:
            return self._error(409, "Conflict: can't use getUpdates method while webhook is active; "
                                    "use deleteWebhook to delete the webhook first")
        offset = int(params.get("offset") or 0)
        limit = int(params.get("limit") or 100)
        timeout = float(params.get("timeout") or 0)
        allowed = params.get("allowed_updates") or None
        if offset > 0:
            self.confirmed_update_id = max(self.confirmed_update_id, offset - 1)
            self._pending = [u for u in self._pending if u["update_id"] >= offset]
        if allowed:
            # Telegram never delivers update types the bot did not ask for.
            self._pending = [u for u in self._pending if set(u) - {"update_id"} <= set(allowed)]
        deadline = time.monotonic() + timeout
        while not self._pending and not self._stopping:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                break
            changed = self._changed
            try:
                await asyncio.wait_for(changed.wait(), remaining)
            except asyncio.TimeoutError:
                break
            if allowed:
                self._pending = [u for u in self._pending if set(u) - {"update_id"} <= set(allowed)]
        return self._pending[:limit]

    async def _api_sendMessage(self, params: dict[str, Any]) -> Any:
        text = params.get("text", "")
        if not isinstance(text, str) or not text.strip():
            return self._error(400, "Bad Request: message text is empty")
        if utf16_length(text) > 4096:
            return self._error(400, "Bad Request: message is too long")
        if params.get("parse_mode"):
            return self._error(400, "Bad Request: this fake expects plain text only")
        content: dict[str, Any] = {"text": text}
        markup = params.get("reply_markup")
        if markup:
            for row in markup.get("inline_keyboard", []):
                for button in row:
                    data = button.get("callback_data")
                    if data is not None and not 1 <= len(data.encode()) <= 64:
                        return self._error(400, "Bad Request: BUTTON_DATA_INVALID")
            content["reply_markup"] = markup
        return self._bot_message(int(params["chat_id"]), **content)

    async def _api_sendPhoto(self, params: dict[str, Any]) -> Any:
        photo = [{"file_id": "sent-photo", "file_unique_id": "sent-photo-u", "width": 90, "height": 90}]
        return self._bot_message(int(params["chat_id"]), photo=photo)

    async def _api_sendChatAction(self, params: dict[str, Any]) -> Any:
        return True

    async def _api_answerCallbackQuery(self, params: dict[str, Any]) -> Any:
        return True

    async def _api_setMyCommands(self, params: dict[str, Any]) -> Any:
        commands = list(params.get("commands") or [])
        if params.get("language_code"):
            self.commands_by_language[params["language_code"]] = commands
        else:
            self.commands = commands
        return True

    async def _api_getMyCommands(self, params: dict[str, Any]) -> Any:
        if params.get("language_code"):
            return self.commands_by_language.get(params["language_code"], self.commands)
        return self.commands

    async def _api_deleteMyCommands(self, params: dict[str, Any]) -> Any:
        self.commands = []
        return True

    async def _api_editMessageReplyMarkup(self, params: dict[str, Any]) -> Any:
        markup = {"reply_markup": params["reply_markup"]} if params.get("reply_markup") else {}
        return self._bot_message(int(params["chat_id"]), text="(edited)", **markup)

    async def _api_editMessageText(self, params: dict[str, Any]) -> Any:
        return self._bot_message(int(params["chat_id"]), text=params.get("text", ""))

    async def _api_deleteMessage(self, params: dict[str, Any]) -> Any:
        return True

    async def _api_deleteWebhook(self, params: dict[str, Any]) -> Any:
        self.webhook = None
        if str(params.get("drop_pending_updates", "")).lower() == "true":
            self._pending.clear()
        return True

    async def _api_setWebhook(self, params: dict[str, Any]) -> Any:
        self.webhook = _Webhook(params["url"], params.get("secret_token"), params.get("allowed_updates"))
        if str(params.get("drop_pending_updates", "")).lower() == "true":
            self._pending.clear()
        if self._pusher is None or self._pusher.done():
            self._pusher = asyncio.get_running_loop().create_task(self._push_to_webhook())
        return True

    async def _api_getWebhookInfo(self, params: dict[str, Any]) -> Any:
        info: dict[str, Any] = {"url": "", "has_custom_certificate": False,
                                "pending_update_count": len(self._pending)}
        if self.webhook is not None:
            info["url"] = self.webhook.url
        return info

    async def _api_close(self, params: dict[str, Any]) -> Any:
        return True

    async def _api_logOut(self, params: dict[str, Any]) -> Any:
        return True

    async def _push_to_webhook(self) -> None:
        """Deliver queued updates to the webhook one at a time, like Telegram, with the secret."""
        while not self._stopping and self.webhook is not None and self._session is not None:
            webhook = self.webhook
            allowed = webhook.allowed_updates
            if allowed:
                self._pending = [u for u in self._pending if set(u) - {"update_id"} <= set(allowed)]
            if not self._pending:
                await self._changed.wait()
                continue
            update = self._pending[0]
            headers = {"Content-Type": "application/json"}
            if webhook.secret_token:
                headers["X-Telegram-Bot-Api-Secret-Token"] = webhook.secret_token
            try:
                async with self._session.post(
                    webhook.url, data=json.dumps(update), headers=headers
                ) as response:
                    delivered = 200 <= response.status < 300
            except aiohttp.ClientError:
                delivered = False
            if delivered:
                webhook.deliveries.append(update["update_id"])
                self.confirmed_update_id = max(self.confirmed_update_id, update["update_id"])
                self._pending.pop(0)
            else:
                await asyncio.sleep(0.2)
