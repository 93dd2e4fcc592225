"""End-to-end tests of the Telegram front end: the real PTB Application from
`build_application()`, really polling a fake Bot API server (testkit/fake_telegram.py) over HTTP.

Tests whose name contains `rasa_url` talk to the real Rasa server (session fixture in
conftest.py: trained model, action server, knowledge base). The others use `stand_in_rasa`,
a small aiohttp server speaking the REST channel protocol, for exact replies and failures.
"""
from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import json
import logging
import os
import signal
import socket
import sys
import time
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from collections.abc import AsyncIterator, Awaitable, Callable

import aiohttp
import pytest
from aiohttp import web

with warnings.catch_warnings():
    # telegram.ext imports APScheduler 3, which imports the deprecated pkg_resources; its
    # import-time DeprecationWarnings are third-party and not ours to fix.
    warnings.simplefilter("ignore", DeprecationWarning)
    from telegram.ext import Application

from bot.formatting import MAX_QUESTION_CHARACTERS
from bot.texts import HELP_QUESTIONS, say
from assistant.privacy import conversation_ref
from bot.app import build_application
from bot.buttons import ButtonSigner
from bot.config import Settings
from bot.runner import running
from bot.formatting import split_message, utf16_length
from bot.rasa_client import parse_reply, sender_id
from testkit.fake_telegram import FakeTelegram

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SECRET = "test-sender-secret-of-at-least-32-bytes"
CHANNEL_SECRET = "test-channel-secret-of-at-least-32-bytes"
PRIVACY_TOKEN = "test-privacy-token-of-at-least-32-bytes"
CHAT = 4242
OTHER_CHAT = 777


# --- a stand-in Rasa server -----------------------------------------------------------------


@dataclass
class RasaCall:
    """One REST channel request the stand-in received."""

    sender: str
    message: str
    start: float
    message_id: str | None = None
    authorization: str | None = None
    end: float | None = None
    reply: Any = None


Outcome = tuple[int, Any, float]  # HTTP status, JSON body (or raw str), delay in seconds
Behaviour = Callable[[str, str], Awaitable[Outcome]]
BOT_CHANNEL = "/webhooks/bot/webhook"


async def answer_with_echo(sender: str, message: str) -> Outcome:
    """Reply like Rasa with one text message naming the question."""
    return 200, [{"recipient_id": sender, "text": f"Answer to: {message}"}], 0.0


class StandInRasa:
    """An aiohttp server with the bot channel (rasa_addons/bot_channel.py), privacy and root
    endpoints of the Rasa server."""

    def __init__(self) -> None:
        self.behaviour: Behaviour = answer_with_echo
        self.calls: list[RasaCall] = []
        self.erasures: list[tuple[str, str | None]] = []
        self._runner: web.AppRunner | None = None
        self.port = 0

    async def start(self, port: int = 0) -> StandInRasa:
        """Serve on 127.0.0.1:`port` (0: any free port)."""
        app = web.Application()
        app.router.add_get("/", self._root)
        app.router.add_post(BOT_CHANNEL, self._webhook)
        app.router.add_delete("/webhooks/privacy/conversations/{sender}", self._erase)
        self._runner = web.AppRunner(
            app, handler_cancellation=True, shutdown_timeout=0.5, access_log=None
        )
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", port).start()
        self.port = self._runner.addresses[0][1]
        return self

    async def stop(self) -> None:
        """Stop serving."""
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def url(self) -> str:
        """Return the base URL, the value for RASA_URL."""
        return f"http://127.0.0.1:{self.port}"

    def messages(self, sender: str | None = None) -> list[str]:
        """Return the messages received, optionally of one sender."""
        return [c.message for c in self.calls if sender is None or c.sender == sender]

    async def _root(self, request: web.Request) -> web.Response:
        return web.Response(text="Hello from Rasa: 3.6.21")

    async def _webhook(self, request: web.Request) -> web.Response:
        body = await request.json()
        call = RasaCall(body.get("sender"), body.get("message"), time.monotonic(),
                        body.get("message_id"), request.headers.get("Authorization"))
        self.calls.append(call)
        status, reply, delay = await self.behaviour(call.sender, call.message)
        if delay:
            await asyncio.sleep(delay)
        call.end, call.reply = time.monotonic(), reply
        if isinstance(reply, str):
            return web.Response(status=status, text=reply, content_type="application/json")
        return web.json_response(reply, status=status)

    async def _erase(self, request: web.Request) -> web.Response:
        sender = request.match_info["sender"]
        self.erasures.append((sender, request.headers.get("Authorization")))
        deleted = sum(1 for c in self.calls if c.sender == sender)
        self.calls = [c for c in self.calls if c.sender != sender]
        return web.json_response({"deleted_events": deleted})


def forward_to(rasa_base_url: str, secret: str, session: aiohttp.ClientSession) -> Behaviour:
    """Return a behaviour that relays each message to a real Rasa server (a recording proxy)."""

    async def forward(sender: str, message: str) -> Outcome:
        async with session.post(
            f"{rasa_base_url}{BOT_CHANNEL}", json={"sender": sender, "message": message},
            headers={"Authorization": f"Bearer {secret}"},
        ) as response:
            return response.status, await response.json(content_type=None), 0.0

    return forward


# --- fixtures and helpers -------------------------------------------------------------------


@pytest.fixture(autouse=True)
def ptb_timedelta(monkeypatch: pytest.MonkeyPatch) -> None:
    """Opt in to PTB's timedelta periods as `python -m bot` does (else 429s raise a deprecation)."""
    monkeypatch.setenv("PTB_TIMEDELTA", "true")


@pytest.fixture(autouse=True)
def inbox_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Give each test its own inbox (a SQLite file), read by make_settings()."""
    path = tmp_path / "state" / "bot-inbox.db"
    monkeypatch.setenv("INBOX_DATABASE_URL", f"sqlite:///{path}")
    return path


@pytest.fixture
async def telegram() -> AsyncIterator[FakeTelegram]:
    """Run a fake Bot API server."""
    async with FakeTelegram() as fake:
        yield fake


@pytest.fixture
async def stand_in_rasa() -> AsyncIterator[StandInRasa]:
    """Run a stand-in Rasa server that answers "Answer to: <message>"."""
    rasa = StandInRasa()
    await rasa.start()
    yield rasa
    await rasa.stop()


def free_port() -> int:
    """Return a TCP port of 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def make_settings(telegram: FakeTelegram, rasa_url: str, **env: str) -> Settings:
    """Return settings from an environment pointing at the fake Telegram and `rasa_url`."""
    environ = {
        "TELEGRAM_TOKEN": telegram.token,
        "TELEGRAM_API_BASE_URL": telegram.url,
        "RASA_URL": rasa_url,
        "SENDER_ID_SECRET": SECRET,
        "RASA_CHANNEL_SECRET": CHANNEL_SECRET,
        "RASA_PRIVACY_TOKEN": PRIVACY_TOKEN,
        "RASA_TIMEOUT_SECONDS": "2",
        "RASA_PATIENCE_SECONDS": "1",
        "INBOX_DATABASE_URL": os.environ["INBOX_DATABASE_URL"],
        **env,
    }
    return dataclasses.replace(
        Settings.from_env(environ), send_interval_seconds=0.3, send_retry_base_seconds=0.2
    )


def signed(chat_id: int, payload: str) -> str:
    """Return the callback data the bot gives `chat_id` for a button with `payload`."""
    return ButtonSigner(SECRET.encode(), chat_id).sign(payload)


def payload_of(data: str) -> str:
    """Return the payload of the bot's callback data (without its tag)."""
    return data.rsplit("~", 1)[0]


def sender_of(chat_id: int) -> str:
    """Return the Rasa sender id the bot uses for `chat_id`."""
    return sender_id(SECRET.encode(), chat_id)


@contextlib.asynccontextmanager
async def running_bot(settings: Settings) -> AsyncIterator[Application]:
    """Build the application from `settings` and run it as `python -m bot` does (bot.runner)."""
    application = build_application(settings)
    async with running(application):
        yield application


# --- real Rasa (session fixture `rasa_url` from conftest.py) ------------------------------


@pytest.fixture
async def rasa_proxy(rasa_url: str, rasa_channel_secret: str) -> AsyncIterator[StandInRasa]:
    """Put a recording proxy in front of the real Rasa server."""
    async with aiohttp.ClientSession() as session:
        proxy = StandInRasa()
        proxy.behaviour = forward_to(rasa_url, rasa_channel_secret, session)
        await proxy.start()
        yield proxy
        await proxy.stop()


def expected_texts(reply: Any) -> list[str]:
    """Return what the bot should send for one REST reply: split text, or the fallback."""
    try:
        messages = parse_reply(reply)
    except Exception:
        return [say("en", "fallback")]
    texts: list[str] = []
    for message in messages:
        chunks = split_message(message.text or "")
        texts.extend(chunks or ([say("en", "choose")] if message.buttons else []))
    return texts


async def test_rasa_url_round_trip(telegram: FakeTelegram, rasa_url: str, rasa_channel_secret: str) -> None:
    """A greeting and a legal-aid question get real answers from Rasa and the knowledge base."""
    settings = make_settings(telegram, rasa_url, RASA_TIMEOUT_SECONDS="30",
                             RASA_CHANNEL_SECRET=rasa_channel_secret)
    async with running_bot(settings):
        telegram.send_text(CHAT, "hi")
        greeting = (await telegram.wait_for_texts(CHAT, 1, timeout=30))[0]
        assert "hello" in greeting.lower()
        count = len(telegram.texts(CHAT))
        telegram.send_text(CHAT, "how do I apply for legal aid?")
        await telegram.wait_for_texts(CHAT, count + 1, timeout=30)
        await asyncio.sleep(1.0)  # an answer may come in several messages
    answer = "\n".join(telegram.texts(CHAT)[count:])
    assert "legal aid" in answer.lower()
    assert say("en", "fallback") not in telegram.texts(CHAT)


async def test_rasa_url_buttons_and_button_tap(telegram: FakeTelegram, rasa_proxy: StandInRasa) -> None:
    """Rasa's buttons become an inline keyboard; a tap is answered and its payload goes to Rasa."""
    settings = make_settings(telegram, rasa_proxy.url, RASA_TIMEOUT_SECONDS="30")
    async with running_bot(settings):
        telegram.send_text(CHAT, "help")
        await telegram.wait_until(
            lambda: any("reply_markup" in m for m in telegram.sent_messages(CHAT)), timeout=30
        )
        message = next(m for m in telegram.sent_messages(CHAT) if "reply_markup" in m)
        keyboard = message["reply_markup"]["inline_keyboard"]
        rasa_buttons = [b for m in rasa_proxy.calls[0].reply for b in m.get("buttons", [])]
        assert [payload_of(row[0]["callback_data"]) for row in keyboard] == [b["payload"] for b in rasa_buttons]
        assert [row[0]["text"] for row in keyboard] == [b["title"] for b in rasa_buttons]

        data = keyboard[0][0]["callback_data"]
        payload = payload_of(data)
        before = len(telegram.texts(CHAT))
        query_id = telegram.tap_button(CHAT, data)
        await telegram.wait_for_texts(CHAT, before + 1, timeout=30)
    assert [c.params["callback_query_id"] for c in telegram.calls_of("answerCallbackQuery")] == [query_id]
    assert rasa_proxy.messages(sender_of(CHAT))[-1] == payload
    assert say("en", "fallback") not in telegram.texts(CHAT)


async def test_check_command_runs_the_pre_check_with_inline_keyboards(
        telegram: FakeTelegram, rasa_proxy: StandInRasa) -> None:
    """/check asks the first question as an inline keyboard, a tap answers it, /cancel stops."""
    settings = make_settings(telegram, rasa_proxy.url, RASA_TIMEOUT_SECONDS="30")

    def keyboards() -> list[list]:
        return [m["reply_markup"]["inline_keyboard"] for m in telegram.sent_messages(CHAT) if "reply_markup" in m]

    async with running_bot(settings):
        telegram.send_text(CHAT, "/check")
        await telegram.wait_until(lambda: len(keyboards()) == 1, timeout=30)
        assert rasa_proxy.messages(sender_of(CHAT)) == ["/check_eligibility"]
        rows = keyboards()[0]
        assert [row[0]["text"] for row in rows][-2:] == [
            "Something else (divorce, contract, debt, housing…)", "Stop the check"]
        telegram.tap_button(CHAT, rows[-2][0]["callback_data"])
        await telegram.wait_until(lambda: len(keyboards()) == 2, timeout=30)
        assert "Does any of these apply to you?" in telegram.texts(CHAT)[-1]
        telegram.send_text(CHAT, "/cancel")
        await telegram.wait_until(lambda: "I've stopped the legal-aid check" in telegram.texts(CHAT)[-1],
                                  timeout=30)
    assert rasa_proxy.messages(sender_of(CHAT))[1:] == ['/check_eligibility{"elig_matter":"other"}', "/stop_check"]


async def test_rasa_url_in_order_replies(telegram: FakeTelegram, rasa_proxy: StandInRasa) -> None:
    """Five quick messages from one chat are answered in order while another chat is served too."""
    questions = [
        "hi",
        "how do I apply for legal aid?",
        "what is the 12348 hotline?",
        "is people's mediation free?",
        "thank you",
    ]
    settings = dataclasses.replace(
        make_settings(telegram, rasa_proxy.url, RASA_TIMEOUT_SECONDS="30"), send_interval_seconds=0.1
    )
    async with running_bot(settings):
        for question in questions:
            telegram.send_text(CHAT, question)
        telegram.send_text(OTHER_CHAT, "how do I apply for legal aid?")
        await telegram.wait_until(
            lambda: len(rasa_proxy.messages(sender_of(CHAT))) == 5
            and all(c.end for c in rasa_proxy.calls), timeout=60,
        )
        turns = [c for c in rasa_proxy.calls if c.sender == sender_of(CHAT)]
        expected = [text for turn in turns for text in expected_texts(turn.reply)]
        await telegram.wait_for_texts(CHAT, len(expected), timeout=30)
        await telegram.wait_for_texts(OTHER_CHAT, 1, timeout=30)
    assert [turn.message for turn in turns] == questions
    assert telegram.texts(CHAT) == expected
    assert say("en", "fallback") not in expected
    # One chat's turns never overlap (Rasa sees them in order) ...
    assert all(later.start >= earlier.end for earlier, later in zip(turns, turns[1:], strict=False))
    # ... while the other chat did not wait for all five.
    other = next(c for c in rasa_proxy.calls if c.sender == sender_of(OTHER_CHAT))
    assert other.start < turns[-1].start


# --- stand-in Rasa: exact replies -----------------------------------------------------------


async def test_round_trip_sends_pseudonymous_sender_and_plain_text(
    telegram: FakeTelegram, stand_in_rasa: StandInRasa
) -> None:
    """A question reaches Rasa under an HMAC sender id, and the answer comes back as plain text."""
    async with running_bot(make_settings(telegram, stand_in_rasa.url)):
        telegram.send_text(CHAT, "How do I apply for legal aid?")
        texts = await telegram.wait_for_texts(CHAT, 1)
    assert texts == ["Answer to: How do I apply for legal aid?"]
    call = stand_in_rasa.calls[0]
    assert call.sender == sender_of(CHAT) and len(call.sender) == 64
    assert str(CHAT) not in call.sender
    assert "parse_mode" not in telegram.sent_messages(CHAT)[0]
    typing = telegram.calls_of("sendChatAction")
    assert typing and typing[0].params["action"] == "typing"
    assert typing[0].time <= telegram.calls_of("sendMessage")[0].time
    assert [c["command"] for c in telegram.commands] == ["start", "check", "cancel", "help", "hotline", "language", "forget"]
    assert telegram.commands_by_language["zh"][0]["description"] == "关于本助手和隐私说明"


async def test_buttons_become_inline_keyboard_and_tap_is_answered(
    telegram: FakeTelegram, stand_in_rasa: StandInRasa
) -> None:
    """Rasa buttons → inline keyboard (callback_data = payload); a tap is answered and sent to Rasa."""
    long_payload = "/faq_legal_aid_apply" + "x" * 60

    async def clarify(sender: str, message: str) -> Outcome:
        if message == "legal thing":
            return 200, [{"recipient_id": sender, "text": "Did you mean:", "buttons": [
                {"title": "Applying for legal aid", "payload": "/faq_legal_aid_apply"},
                {"title": "The 12348 hotline", "payload": "/faq_hotline_12348"},
                {"title": "Something too long", "payload": long_payload},
            ]}], 0.0
        return await answer_with_echo(sender, message)

    stand_in_rasa.behaviour = clarify
    async with running_bot(make_settings(telegram, stand_in_rasa.url)):
        telegram.send_text(CHAT, "legal thing")
        await telegram.wait_for_texts(CHAT, 1)
        shown = telegram.sent_messages(CHAT)[0]
        query_id = telegram.tap_button(CHAT, signed(CHAT, "/faq_legal_aid_apply"))
        texts = await telegram.wait_for_texts(CHAT, 2)
    assert shown["reply_markup"] == {"inline_keyboard": [
        [{"text": "Applying for legal aid", "callback_data": signed(CHAT, "/faq_legal_aid_apply")}],
        [{"text": "The 12348 hotline", "callback_data": signed(CHAT, "/faq_hotline_12348")}],
    ]}
    # A payload Telegram would reject (> 64 bytes) becomes something the user can type.
    assert shown["text"].startswith("Did you mean:") and "• Something too long" in shown["text"]
    answers = telegram.calls_of("answerCallbackQuery")
    assert [c.params["callback_query_id"] for c in answers] == [query_id]
    assert answers[0].time <= telegram.calls_of("sendMessage")[-1].time
    assert stand_in_rasa.messages() == ["legal thing", "/faq_legal_aid_apply"]
    assert texts[1] == "Answer to: /faq_legal_aid_apply"


async def test_long_reply_is_split_within_telegram_limit(
    telegram: FakeTelegram, stand_in_rasa: StandInRasa
) -> None:
    """A 10,000-character answer with emoji arrives as ordered chunks of ≤ 4096 UTF-16 units."""
    paragraph = "Legal aid covers many matters 😀. " * 40  # emoji count 2 units each
    long_text = "\n\n".join(f"{i}. {paragraph.strip()}" for i in range(8))

    async def long_answer(sender: str, message: str) -> Outcome:
        return 200, [{"recipient_id": sender, "text": long_text}], 0.0

    stand_in_rasa.behaviour = long_answer
    async with running_bot(make_settings(telegram, stand_in_rasa.url)):
        telegram.send_text(CHAT, "tell me everything")
        await telegram.wait_until(lambda: "".join(telegram.texts(CHAT)).count("😀") == 320, timeout=8)
    chunks = telegram.texts(CHAT)
    assert len(chunks) >= 3
    assert all(utf16_length(chunk) <= 4096 for chunk in chunks)
    assert "".join(chunks).replace("\n", "").replace(" ", "") == long_text.replace("\n", "").replace(" ", "")
    assert all(chunk.rstrip().endswith(".") for chunk in chunks)  # cut at sentence ends
    sends = [c.time for c in telegram.calls_of("sendMessage", ok=True)]
    assert all(later - earlier >= 0.25 for earlier, later in zip(sends, sends[1:], strict=False))  # paced


async def test_flood_limit_429_is_retried_and_delivered_exactly_once(
    telegram: FakeTelegram, stand_in_rasa: StandInRasa
) -> None:
    """Telegram's 429 retry_after=1 → the bot waits ≥ 1 s and the answer is delivered once."""
    telegram.fail_next("sendMessage", 2, retry_after=1)
    async with running_bot(make_settings(telegram, stand_in_rasa.url)):
        telegram.send_text(CHAT, "what is notarization?")
        await telegram.wait_for_texts(CHAT, 1, timeout=8)
        await asyncio.sleep(0.5)  # a duplicate would arrive now
    attempts = telegram.calls_of("sendMessage")
    assert [c.status for c in attempts] == [429, 429, 200]
    assert telegram.texts(CHAT) == ["Answer to: what is notarization?"]
    assert attempts[1].time - attempts[0].time >= 1.0
    assert attempts[2].time - attempts[1].time >= 1.0
    assert len(stand_in_rasa.calls) == 1


async def test_image_reply_is_sent_as_photo(telegram: FakeTelegram, stand_in_rasa: StandInRasa) -> None:
    """An `image` in Rasa's reply is sent with sendPhoto, after the text, in order."""

    async def with_image(sender: str, message: str) -> Outcome:
        return 200, [{"recipient_id": sender, "text": "Here is the chart."},
                     {"recipient_id": sender, "image": "https://example.org/chart.png"}], 0.0

    stand_in_rasa.behaviour = with_image
    async with running_bot(make_settings(telegram, stand_in_rasa.url)):
        telegram.send_text(CHAT, "show me the figures")
        await telegram.wait_until(lambda: bool(telegram.calls_of("sendPhoto")), timeout=5)
    photo = telegram.calls_of("sendPhoto")[0]
    assert photo.params["photo"] == "https://example.org/chart.png"
    assert telegram.texts(CHAT) == ["Here is the chart."]
    assert photo.time > telegram.calls_of("sendMessage")[0].time


# --- stand-in Rasa: failures ---------------------------------------------------------------


async def test_rasa_down_gives_fallback_then_recovers(telegram: FakeTelegram) -> None:
    """Rasa refusing connections → 12348 fallback within seconds; once Rasa is up, answers again."""
    port = free_port()
    async with running_bot(make_settings(telegram, f"http://127.0.0.1:{port}")):
        sent = time.monotonic()
        telegram.send_text(CHAT, "how do I apply for legal aid?")
        texts = await telegram.wait_for_texts(CHAT, 1, timeout=5)
        assert texts == [say("en", "fallback")]
        # Rasa's own apology when its service is down (assistant/replies.py); Telegram links
        # the bare www. address.
        assert "12348" in texts[0] and "www.12348.gov.cn" in texts[0]
        assert telegram.calls_of("sendMessage")[0].time - sent < 3.0

        rasa = await StandInRasa().start(port)
        try:
            telegram.send_text(CHAT, "how do I apply for legal aid?")
            texts = await telegram.wait_for_texts(CHAT, 2, timeout=5)
        finally:
            await rasa.stop()
    assert texts[1] == "Answer to: how do I apply for legal aid?"


async def test_rasa_slower_than_timeout_gives_fallback(
    telegram: FakeTelegram, stand_in_rasa: StandInRasa
) -> None:
    """Rasa taking longer than RASA_TIMEOUT_SECONDS → fallback at the timeout, no retry."""

    async def slow(sender: str, message: str) -> Outcome:
        return 200, [{"recipient_id": sender, "text": "too late"}], 5.0

    stand_in_rasa.behaviour = slow
    settings = make_settings(telegram, stand_in_rasa.url, RASA_TIMEOUT_SECONDS="1")
    async with running_bot(settings):
        sent = time.monotonic()
        telegram.send_text(CHAT, "is mediation free?")
        texts = await telegram.wait_for_texts(CHAT, 1, timeout=5)
        delay = telegram.calls_of("sendMessage")[0].time - sent
    assert texts == [say("en", "fallback")]
    assert 0.9 <= delay < 3.0
    assert len(stand_in_rasa.calls) == 1  # a timed-out message is not sent twice


@pytest.mark.parametrize(
    "status, body",
    [(200, []), (500, {"error": "boom"}), (200, "<html>not json"), (200, {"not": "a list"})],
    ids=["empty-list", "http-500", "invalid-json", "not-a-list"],
)
async def test_rasa_failure_reply_gives_fallback(
    telegram: FakeTelegram, stand_in_rasa: StandInRasa, status: int, body: Any
) -> None:
    """`[]` (Rasa swallowed an error), HTTP 500 and malformed JSON all get the 12348 fallback."""

    async def failing(sender: str, message: str) -> Outcome:
        return status, body, 0.0

    stand_in_rasa.behaviour = failing
    async with running_bot(make_settings(telegram, stand_in_rasa.url)):
        telegram.send_text(CHAT, "how many lawyers are there?")
        assert await telegram.wait_for_texts(CHAT, 1) == [say("en", "fallback")]



async def rasa_answers_500(sender: str, message: str) -> Outcome:
    """A stand-in Rasa behaviour: every message fails with HTTP 500."""
    return 500, {"error": "boom"}, 0.0


async def test_button_tap_is_answered_even_when_rasa_fails(
    telegram: FakeTelegram, stand_in_rasa: StandInRasa
) -> None:
    """The callback query is answered before Rasa is asked, so a Rasa failure cannot skip it."""
    stand_in_rasa.behaviour = rasa_answers_500
    async with running_bot(make_settings(telegram, stand_in_rasa.url)):
        query_id = telegram.tap_button(CHAT, signed(CHAT, "/faq_hotline_12348"))
        assert await telegram.wait_for_texts(CHAT, 1) == [say("en", "fallback")]
    assert [c.params["callback_query_id"] for c in telegram.calls_of("answerCallbackQuery")] == [query_id]


async def test_error_handler_logs_first_then_tells_the_user(
    telegram: FakeTelegram, stand_in_rasa: StandInRasa, caplog: pytest.LogCaptureFixture
) -> None:
    """A Telegram error while answering is logged, then the user gets the 12348 error reply;
    a user who blocked the bot (403) gets nothing more."""
    caplog.set_level(logging.INFO, logger="bot")
    async with running_bot(make_settings(telegram, stand_in_rasa.url)):
        telegram.fail_next("sendMessage", 1, status=400, description="Bad Request: something odd")
        telegram.send_text(CHAT, "first question")
        assert await telegram.wait_for_texts(CHAT, 1) == [say("en", "error")]
        logged_at = next(r.created for r in caplog.records if "Error while handling update" in r.getMessage())
        telegram.fail_next("sendMessage", 1, status=403, description="Forbidden: bot was blocked by the user")
        telegram.send_text(OTHER_CHAT, "second question")
        await telegram.wait_until(lambda: any("blocked the bot" in r.getMessage() for r in caplog.records))
        await asyncio.sleep(0.2)
    assert "12348" in say("en", "error")
    reply_sent_at = telegram.calls_of("sendMessage", ok=True)[0].time + (time.time() - time.monotonic())
    assert logged_at <= reply_sent_at  # logged first, then told the user
    assert telegram.texts(OTHER_CHAT) == []
    assert len(telegram.calls_of("sendMessage")) == 3  # answer (400), error reply, answer (403)


# --- inputs that must not reach Rasa, and cleaning ------------------------------------------


async def test_non_text_and_edited_messages_get_polite_reply_and_skip_rasa(
    telegram: FakeTelegram, stand_in_rasa: StandInRasa
) -> None:
    """Stickers, photos, voice, video, documents, locations, contacts, polls and edits → polite reply."""
    kinds = ["sticker", "photo", "voice", "video", "document", "location", "contact", "poll"]
    async with running_bot(make_settings(telegram, stand_in_rasa.url)):
        for kind in kinds:
            telegram.send_media(CHAT, kind)
        original = telegram.send_text(OTHER_CHAT, "/start")
        telegram.edit_text(original, "/forget")
        telegram.send_text(OTHER_CHAT + 1, "\u200b\u202e \u2066")
        texts = await telegram.wait_for_texts(CHAT, len(kinds))
        other = await telegram.wait_for_texts(OTHER_CHAT, 2)
        empty = await telegram.wait_for_texts(OTHER_CHAT + 1, 1)
    assert texts == [say("en", "text_only")] * len(kinds)
    assert other == [say("en", "welcome", days="30"), say("en", "edited")]
    assert empty == [say("en", "empty_question")]
    assert stand_in_rasa.calls == [] and stand_in_rasa.erasures == []


async def test_user_text_is_cleaned_redacted_and_truncated_before_rasa(
    telegram: FakeTelegram, stand_in_rasa: StandInRasa
) -> None:
    """Control, bidi and zero-width characters go, NFKC applies, identifiers are masked, and the
    question is cut at the NLU's limit, which the note names."""
    async with running_bot(make_settings(telegram, stand_in_rasa.url)):
        telegram.send_text(CHAT, "劳\u200b动合同\u202e ｌａｗ\x00\x1b[31m?\u00ad")
        await telegram.wait_for_texts(CHAT, 1)
        telegram.send_text(CHAT, "my ID is 11010519491231002X and phone 13812345678, mail a.b@example.cn")
        await telegram.wait_for_texts(CHAT, 3)
        telegram.send_text(CHAT, "word " * 1000)
        texts = await telegram.wait_for_texts(CHAT, 5)
    first, second, third = stand_in_rasa.messages()
    assert first == "劳动合同 law[31m?"
    assert second == "my ID is [ID number] and phone [phone number], mail [e-mail]"
    assert len(third) <= MAX_QUESTION_CHARACTERS and third.startswith("word word")
    assert texts[1] == say("en", "redacted")
    assert texts[3] == say("en", "truncated", limit=MAX_QUESTION_CHARACTERS)


async def test_forged_callback_data_is_refused_and_never_reaches_rasa(
    telegram: FakeTelegram, stand_in_rasa: StandInRasa
) -> None:
    """A modified client can send any callback data: unsigned, tampered, or another chat's
    button gets a polite "type your question" and nothing reaches Rasa."""
    async with running_bot(make_settings(telegram, stand_in_rasa.url)):
        telegram.tap_button(CHAT, '/stat_lawyers{"year": "1999"}')
        tampered = signed(CHAT, "/faq_legal_aid_apply").replace("apply", "refused")
        telegram.tap_button(CHAT, tampered)
        telegram.tap_button(CHAT, signed(OTHER_CHAT, "/faq_hotline_12348"))
        texts = await telegram.wait_for_texts(CHAT, 3)
        telegram.tap_button(CHAT, signed(CHAT, "/faq_hotline_12348"))
        texts = await telegram.wait_for_texts(CHAT, 4)
    assert texts[:3] == [say("en", "stale_button")] * 3
    assert stand_in_rasa.messages() == ["/faq_hotline_12348"]
    assert len(telegram.calls_of("answerCallbackQuery")) == 4  # every tap stops spinning


async def test_typed_text_never_reaches_rasa_as_intent_syntax(
    telegram: FakeTelegram, stand_in_rasa: StandInRasa
) -> None:
    """Text that would start with "/" once invisible characters are removed is not a command
    for Telegram and must not be "/intent{...}" for Rasa either."""
    async with running_bot(make_settings(telegram, stand_in_rasa.url)):
        telegram.send_text(CHAT, '\u200b/stat_lawyers{"year": "1999"}')
        telegram.send_text(CHAT, " //human_handoff")
        await telegram.wait_for_texts(CHAT, 2)
    assert stand_in_rasa.messages() == ['stat_lawyers{"year": "1999"}', "human_handoff"]
    assert not any(message.startswith("/") for message in stand_in_rasa.messages())


async def test_an_update_that_cannot_be_parsed_is_recorded_and_skipped(
    telegram: FakeTelegram, stand_in_rasa: StandInRasa, inbox_file: Path
) -> None:
    """PTB cannot parse a whole getUpdates batch with one malformed update in it, and Telegram
    would send that batch forever: the bot records the bad one as failed and carries on."""
    from bot.inbox import Inbox, make_inbox_engine

    async with running_bot(make_settings(telegram, stand_in_rasa.url)):
        telegram.add_update("message", {"message_id": 1, "text": "no chat, no date"})
        telegram.send_text(CHAT, "is mediation free?")
        texts = await telegram.wait_for_texts(CHAT, 1, timeout=20)
    engine = make_inbox_engine(f"sqlite:///{inbox_file}")
    report = Inbox(engine).report()
    engine.dispose()
    assert texts == ["Answer to: is mediation free?"]
    assert (report.failed, report.done, report.pending) == (1, 1, 0)


async def test_group_chats_get_one_private_only_reply(
    telegram: FakeTelegram, stand_in_rasa: StandInRasa
) -> None:
    """By default a group gets one "private chats only" reply and nothing reaches Rasa."""
    group = -1001
    async with running_bot(make_settings(telegram, stand_in_rasa.url)):
        telegram.send_text(group, "/start", user_id=5)
        telegram.send_text(group, "how do I apply for legal aid?", user_id=5)
        telegram.send_text(CHAT, "hello")
        await telegram.wait_for_texts(CHAT, 1)
        await telegram.wait_for_texts(group, 1)
        await asyncio.sleep(0.3)
    assert telegram.texts(group) == [say("en", "private_only")]
    assert stand_in_rasa.messages() == ["hello"]


async def test_groups_are_answered_when_allowed(
    telegram: FakeTelegram, stand_in_rasa: StandInRasa
) -> None:
    """ALLOW_GROUPS=true lets group messages through to Rasa."""
    group = -1002
    async with running_bot(make_settings(telegram, stand_in_rasa.url, ALLOW_GROUPS="true")):
        telegram.send_text(group, "is mediation free?", user_id=5)
        assert await telegram.wait_for_texts(group, 1) == ["Answer to: is mediation free?"]


# --- ordering, loss window -----------------------------------------------------------------


async def test_one_chat_in_order_while_other_chats_run_concurrently(
    telegram: FakeTelegram, stand_in_rasa: StandInRasa
) -> None:
    """Five quick messages from one chat are answered in order even when Rasa answers out of order."""
    delays = {"A1": 0.5, "A2": 0.1, "A3": 0.3, "A4": 0.0, "A5": 0.2, "B1": 0.0}

    async def uneven(sender: str, message: str) -> Outcome:
        status, reply, _ = await answer_with_echo(sender, message)
        return status, reply, delays[message]

    stand_in_rasa.behaviour = uneven
    async with running_bot(make_settings(telegram, stand_in_rasa.url)):
        for n in range(1, 6):
            telegram.send_text(CHAT, f"A{n}")
        telegram.send_text(OTHER_CHAT, "B1")
        await telegram.wait_for_texts(CHAT, 5, timeout=5)
    assert telegram.texts(CHAT) == [f"Answer to: A{n}" for n in range(1, 6)]
    a_calls = [c for c in stand_in_rasa.calls if c.sender == sender_of(CHAT)]
    assert all(later.start >= earlier.end for earlier, later in zip(a_calls, a_calls[1:], strict=False))
    sends = {c.params["text"]: c.time for c in telegram.calls_of("sendMessage")}
    assert sends["Answer to: B1"] < sends["Answer to: A1"]  # B did not wait behind A


async def test_update_is_confirmed_to_telegram_only_after_it_is_stored(
    telegram: FakeTelegram, stand_in_rasa: StandInRasa, inbox_file: Path
) -> None:
    """The getUpdates offset moves past an update only once the inbox has it; Rasa is asked with
    the update's id, so a resend cannot make Rasa process it twice."""
    from bot.inbox import Inbox, make_inbox_engine

    async def slow(sender: str, message: str) -> Outcome:
        status, reply, _ = await answer_with_echo(sender, message)
        return status, reply, 1.0

    stand_in_rasa.behaviour = slow
    async with running_bot(make_settings(telegram, stand_in_rasa.url)):
        telegram.send_text(CHAT, "hello")
        update_id = telegram.last_update_id
        await telegram.wait_until(lambda: telegram.confirmed_update_id >= update_id, timeout=3)
        engine = make_inbox_engine(f"sqlite:///{inbox_file}")
        stored_when_confirmed = [row[0] for row in Inbox(engine).pending()]
        await telegram.wait_for_texts(CHAT, 1)
        await asyncio.sleep(0.2)
        report = Inbox(engine).report()
        engine.dispose()
    assert stored_when_confirmed == [update_id]
    assert (report.pending, report.done, report.failed) == (0, 1, 0)
    assert stand_in_rasa.calls[0].message_id.startswith(f"tg-{update_id}-")
    assert stand_in_rasa.calls[0].authorization == f"Bearer {CHANNEL_SECRET}"


async def test_updates_numbered_anew_below_the_stored_ids_are_all_answered(
    telegram: FakeTelegram, stand_in_rasa: StandInRasa, inbox_file: Path
) -> None:
    """After a week without updates Telegram numbers them anew, possibly below ids it gave
    before (issue #24): after a restart nothing is lost to a stored offset, no new update is
    dropped as a redelivery of an old one with its id, and Rasa gets a new message_id."""
    from sqlalchemy import text

    from bot.inbox import make_inbox_engine

    def a_week_without_updates() -> None:
        engine = make_inbox_engine(f"sqlite:///{inbox_file}")
        try:
            with engine.begin() as connection:
                connection.execute(text("UPDATE inbox_updates SET received_at = received_at - 691200, "
                                        "finished_at = finished_at - 691200"))
        finally:
            engine.dispose()

    settings = make_settings(telegram, stand_in_rasa.url)
    async with running_bot(settings):
        telegram.send_text(CHAT, "first")
        first = telegram.last_update_id
        telegram.send_text(CHAT, "second")
        await telegram.wait_for_texts(CHAT, 2)
    a_week_without_updates()
    telegram.restart_update_ids(first)  # below the highest id stored, and equal to old ones
    telegram.send_text(CHAT, "third")
    async with running_bot(settings):
        await telegram.wait_for_texts(CHAT, 3)
        telegram.send_text(CHAT, "fourth")
        texts = await telegram.wait_for_texts(CHAT, 4)
    assert texts == [f"Answer to: {q}" for q in ("first", "second", "third", "fourth")]
    message_ids = [call.message_id for call in stand_in_rasa.calls]
    assert len(message_ids) == 4 and len(set(message_ids)) == 4


# --- commands -----------------------------------------------------------------------------


async def test_start_help_hotline_and_unknown_command(
    telegram: FakeTelegram, stand_in_rasa: StandInRasa
) -> None:
    """/start has the disclaimer and privacy notice, /help example buttons, /hotline asks Rasa
    for the knowledge base's referral card."""
    async with running_bot(make_settings(telegram, stand_in_rasa.url)):
        for command in ("/start", "/help", "/hotline", "/nonsense"):
            telegram.send_text(CHAT, command)
        texts = await telegram.wait_for_texts(CHAT, 4)
        keyboard = telegram.sent_messages(CHAT)[1]["reply_markup"]["inline_keyboard"]
        question = payload_of(keyboard[0][0]["callback_data"])
        query_id = telegram.tap_button(CHAT, keyboard[0][0]["callback_data"])
        await telegram.wait_for_texts(CHAT, 5)
    welcome, help_text, card, unknown, answer = texts[:4] + [telegram.texts(CHAT)[4]]
    assert "not legal advice" in welcome and "/forget" in welcome
    assert "pseudonymous" in welcome and "text of your messages" in welcome
    assert "/hotline" in help_text
    assert [row[0]["text"] for row in keyboard] == list(HELP_QUESTIONS["en"])
    assert all(0 < len(row[0]["callback_data"].encode()) <= 64 for row in keyboard)
    assert card == "Answer to: /human_handoff"
    assert unknown == say("en", "unknown_command") and "/help" in unknown
    assert [c.params["callback_query_id"] for c in telegram.calls_of("answerCallbackQuery")] == [query_id]
    assert stand_in_rasa.messages() == ["/human_handoff", question]
    assert answer == f"Answer to: {question}"


async def test_hotline_without_rasa_gives_the_built_in_card(
    telegram: FakeTelegram, stand_in_rasa: StandInRasa
) -> None:
    """Rasa down: /hotline still gives 12348, the website, WeChat and legal-aid centres."""
    stand_in_rasa.behaviour = rasa_answers_500
    async with running_bot(make_settings(telegram, stand_in_rasa.url)):
        telegram.send_text(CHAT, "/hotline")
        (card,) = await telegram.wait_for_texts(CHAT, 1)
    for needle in ("12348", "free", "hours vary by province", "call charges may apply",
                   "https://www.12348.gov.cn", "掌上12348", "legal-aid centre", "judicial bureau"):
        assert needle in card


async def test_chinese_chat_gets_chinese_bot_texts_and_language_switches(
    telegram: FakeTelegram, stand_in_rasa: StandInRasa
) -> None:
    """language_code zh → Chinese /start; a Chinese question makes the bot's own texts Chinese;
    /language tells Rasa to switch and the bot's texts follow."""
    telegram.language_codes[CHAT] = "zh-hans"
    async with running_bot(make_settings(telegram, stand_in_rasa.url)):
        telegram.send_text(CHAT, "/start")
        telegram.send_media(CHAT, "sticker")
        telegram.send_text(CHAT, "/language")
        telegram.send_media(CHAT, "sticker")
        telegram.send_text(CHAT, "法律援助怎么申请")
        telegram.send_media(CHAT, "sticker")
        texts = await telegram.wait_for_texts(CHAT, 6)
    assert texts[0] == say("zh", "welcome", days="30") and "隐私" in texts[0]
    assert texts[1] == say("zh", "text_only")
    assert texts[2] == 'Answer to: /switch_language{"language":"en"}'
    assert texts[3] == say("en", "text_only")
    assert texts[4] == "Answer to: 法律援助怎么申请"
    assert texts[5] == say("zh", "text_only")


async def test_forget_erases_rasa_and_bot_data_idempotently(
    telegram: FakeTelegram, stand_in_rasa: StandInRasa, caplog: pytest.LogCaptureFixture
) -> None:
    """/forget → DELETE in Rasa (bearer token), drop chat/user data, confirm; a second /forget
    says truthfully that nothing was stored."""
    caplog.set_level(logging.INFO)
    async with running_bot(make_settings(telegram, stand_in_rasa.url)) as application:
        telegram.send_text(CHAT, "hello")
        await telegram.wait_for_texts(CHAT, 1)
        application.chat_data[CHAT]["note"] = "x"
        application.user_data[CHAT]["note"] = "x"
        telegram.send_text(CHAT, "/forget")
        telegram.send_text(CHAT, "/forget extra words")
        texts = await telegram.wait_for_texts(CHAT, 3)
        assert CHAT not in application.chat_data and CHAT not in application.user_data
    assert texts[1:] == [say("en", "forget_done"), say("en", "forget_nothing")]
    assert stand_in_rasa.erasures == [(sender_of(CHAT), f"Bearer {PRIVACY_TOKEN}")] * 2
    assert stand_in_rasa.calls == []
    bot_logs = [r.getMessage() for r in caplog.records if r.name.startswith(("bot", "telegram", "httpx"))]
    erasure_logs = [m for m in bot_logs if "Erasure done" in m]
    assert len(erasure_logs) == 2 and conversation_ref(sender_of(CHAT)) in erasure_logs[0]
    assert not [m for m in bot_logs if str(CHAT) in m or sender_of(CHAT) in m]


async def test_forget_when_rasa_is_down_says_so_and_keeps_the_chat(telegram: FakeTelegram) -> None:
    """/forget while Rasa is unreachable tells the user to try again, instead of claiming success,
    and drops nothing here (the chat keeps its language and data until an erase succeeds)."""
    async with running_bot(make_settings(telegram, f"http://127.0.0.1:{free_port()}")) as application:
        application.chat_data[CHAT]["note"] = "x"
        telegram.send_text(CHAT, "/forget")
        assert await telegram.wait_for_texts(CHAT, 1) == [say("en", "forget_failed")]
        assert application.chat_data[CHAT]["note"] == "x"


async def test_forget_when_the_inbox_fails_says_so_at_once(
    telegram: FakeTelegram, stand_in_rasa: StandInRasa, inbox_file: Path
) -> None:
    """An inbox error during /forget is answered now ("try again"), not left to a re-run a
    minute later; the chat's data stays until an erase succeeds."""
    from sqlalchemy import text

    from bot.inbox import make_inbox_engine

    async with running_bot(make_settings(telegram, stand_in_rasa.url)) as application:
        telegram.send_text(CHAT, "hello")
        await telegram.wait_for_texts(CHAT, 1)
        application.chat_data[CHAT]["note"] = "x"
        engine = make_inbox_engine(f"sqlite:///{inbox_file}")
        try:
            with engine.begin() as connection:  # the languages table goes missing
                connection.execute(text("ALTER TABLE inbox_chats RENAME TO gone"))
            telegram.send_text(CHAT, "/forget")
            texts = await telegram.wait_for_texts(CHAT, 2)
        finally:
            engine.dispose()
        assert application.chat_data[CHAT]["note"] == "x"
    assert texts[1] == say("en", "forget_failed")


async def test_forget_of_a_chat_rasa_never_saw_says_what_went(
    telegram: FakeTelegram, stand_in_rasa: StandInRasa
) -> None:
    """A chat that only said /start has its language stored here: /forget erases it and says
    so ("deleted"), not "nothing was stored"; a second /forget finds nothing."""
    async with running_bot(make_settings(telegram, stand_in_rasa.url)):
        telegram.send_text(CHAT, "/start")
        await telegram.wait_for_texts(CHAT, 1)
        telegram.send_text(CHAT, "/forget")
        telegram.send_text(CHAT, "/forget")
        texts = await telegram.wait_for_texts(CHAT, 3)
    assert texts[1:] == [say("en", "forget_done"), say("en", "forget_nothing")]
    assert stand_in_rasa.calls == []


# --- webhook mode -------------------------------------------------------------------------


async def test_webhook_rejects_missing_or_wrong_secret(
    telegram: FakeTelegram, stand_in_rasa: StandInRasa
) -> None:
    """Webhook mode: forged POSTs without or with a wrong secret get 403 and no reply;
    Telegram's own (with the secret) get answered."""
    port = free_port()
    hook = f"http://127.0.0.1:{port}/telegram/hook-path"
    secret = "webhook-Secret_123"
    settings = make_settings(
        telegram, stand_in_rasa.url, TELEGRAM_WEBHOOK_URL=hook, TELEGRAM_WEBHOOK_SECRET=secret,
        TELEGRAM_WEBHOOK_PORT=str(port),
    )
    forged = {"update_id": 1, "message": {
        "message_id": 1, "date": int(time.time()), "text": "forged question",
        "chat": {"id": CHAT, "type": "private", "first_name": "X"},
        "from": {"id": CHAT, "is_bot": False, "first_name": "X"}}}
    statuses = []
    async with running_bot(settings):
        async with aiohttp.ClientSession() as session:
            for headers in ({}, {"X-Telegram-Bot-Api-Secret-Token": "wrong"}):
                async with session.post(hook, data=json.dumps(forged), headers={
                    "Content-Type": "application/json", **headers}) as response:
                    statuses.append(response.status)
        telegram.send_text(CHAT, "real question")  # the fake pushes it with the secret
        texts = await telegram.wait_for_texts(CHAT, 1)
        await asyncio.sleep(0.3)
    assert statuses == [403, 403]
    # One delivery at a time, or two messages of one chat could be stored out of order.
    assert telegram.calls_of("setWebhook")[0].params["max_connections"] == 1
    assert telegram.webhook is not None and telegram.webhook.secret_token == secret
    assert telegram.webhook.url == hook
    assert texts == ["Answer to: real question"]
    assert stand_in_rasa.messages() == ["real question"]


# --- secrets and start-up errors ----------------------------------------------------------


async def test_bot_token_never_appears_in_logs(
    telegram: FakeTelegram, stand_in_rasa: StandInRasa, caplog: pytest.LogCaptureFixture
) -> None:
    """Even at DEBUG, with httpx logging every URL, no record contains the token."""
    caplog.set_level(logging.DEBUG)
    application = build_application(make_settings(telegram, stand_in_rasa.url))
    logging.getLogger("httpx").setLevel(logging.DEBUG)  # someone turns verbose logging on
    telegram.fail_next("sendMessage", 1, retry_after=1)
    try:
        async with running(application):
            telegram.send_text(CHAT, "hello")
            await telegram.wait_for_texts(CHAT, 1, timeout=8)
    finally:
        logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("bot.test").error("token check: %s", telegram.token)
    messages = [record.getMessage() for record in caplog.records]
    assert any("/bot<redacted>/getUpdates" in m for m in messages)  # URLs were logged ...
    assert telegram.token not in caplog.text  # ... but never with the token
    assert all(telegram.token not in m for m in messages)
    assert telegram.token.split(":")[1] not in caplog.text


async def run_bot_process(env: dict[str, str], timeout: float = 30) -> tuple[int, str]:
    """Run `python -m bot` with `env`; return its exit code and combined output."""
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", cwd=PROJECT_ROOT, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
    )
    output, _ = await asyncio.wait_for(process.communicate(), timeout)
    return process.returncode, output.decode()


def base_environment() -> dict[str, str]:
    """Return os.environ without any of the bot's variables."""
    return {k: v for k, v in os.environ.items()
            if not k.startswith(("TELEGRAM_", "RASA_", "SENDER_ID_", "ALLOW_GROUPS", "INBOX_", "BOT_"))}


def secrets_environment() -> dict[str, str]:
    """Return the bot's required secrets and this test's inbox."""
    return {"SENDER_ID_SECRET": SECRET, "RASA_CHANNEL_SECRET": CHANNEL_SECRET,
            "RASA_PRIVACY_TOKEN": PRIVACY_TOKEN, "INBOX_DATABASE_URL": os.environ["INBOX_DATABASE_URL"]}


async def test_main_polls_answers_and_drains_queue_on_sigterm(
    telegram: FakeTelegram, stand_in_rasa: StandInRasa
) -> None:
    """`python -m bot` answers over real polling; SIGTERM answers what was fetched, then exits 0."""

    async def slowish(sender: str, message: str) -> Outcome:
        status, reply, _ = await answer_with_echo(sender, message)
        return status, reply, 0.4

    stand_in_rasa.behaviour = slowish
    env = {**base_environment(), **secrets_environment(), "TELEGRAM_TOKEN": telegram.token,
           "TELEGRAM_API_BASE_URL": telegram.url, "RASA_URL": stand_in_rasa.url, "LOG_LEVEL": "DEBUG"}
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", cwd=PROJECT_ROOT, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
    )
    try:
        await telegram.wait_until(lambda: bool(telegram.calls_of("getUpdates")), timeout=20)
        for n in range(1, 4):
            telegram.send_text(CHAT, f"question {n}")
        await telegram.wait_for_texts(CHAT, 1, timeout=10)
        process.send_signal(signal.SIGTERM)
        output, _ = await asyncio.wait_for(process.communicate(), 20)
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
    log = output.decode()
    assert process.returncode == 0, log[-2000:]
    assert telegram.texts(CHAT) == [f"Answer to: question {n}" for n in range(1, 4)]
    assert "/bot<redacted>" in log and telegram.token not in log  # PTB logs its URL at DEBUG
    assert "Traceback" not in log


async def test_missing_token_exits_2_with_clear_message() -> None:
    """Without TELEGRAM_TOKEN, `python -m bot` says what to set and exits 2, no traceback."""
    code, output = await run_bot_process(base_environment())
    assert code == 2
    assert "TELEGRAM_TOKEN is not set" in output and "Traceback" not in output


@pytest.mark.parametrize("name", ["SENDER_ID_SECRET", "RASA_CHANNEL_SECRET", "RASA_PRIVACY_TOKEN"])
@pytest.mark.parametrize("value", ["", "only-twelve!"], ids=["unset", "short"])
async def test_missing_or_short_secret_exits_2_naming_it(
    telegram: FakeTelegram, name: str, value: str
) -> None:
    """Without a secret of at least 32 bytes the bot does not start: exit 2, one line naming it."""
    env = {**base_environment(), **secrets_environment(), "TELEGRAM_TOKEN": telegram.token,
           "TELEGRAM_API_BASE_URL": telegram.url, name: value}
    code, output = await run_bot_process(env)
    assert code == 2, output
    assert output.count("\n") == 1 and name in output and "at least 32" in output
    assert "Traceback" not in output and telegram.calls == []


async def test_rejected_token_exits_2_with_clear_message(telegram: FakeTelegram) -> None:
    """A token Telegram answers 401 for gives one clear line, no traceback and no token in the output."""
    wrong = "987654321:WRONG-token-abcdefghijklmnopqrstuvwxyz"
    env = {**base_environment(), **secrets_environment(), "TELEGRAM_TOKEN": wrong,
           "TELEGRAM_API_BASE_URL": telegram.url}
    code, output = await run_bot_process(env)
    assert code == 2
    assert "Telegram rejected TELEGRAM_TOKEN" in output
    assert "Traceback" not in output and wrong not in output and "WRONG-token" not in output
    assert telegram.calls == []  # every request was refused with 401 before reaching a method
