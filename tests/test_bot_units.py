"""Unit tests of the Telegram front end's pure parts: settings, text cleaning and splitting,
keyboards, Rasa reply parsing, log redaction and the per-chat update processor."""
from __future__ import annotations

import asyncio
import datetime
import logging
import random
import re
import socket
import unicodedata
import warnings
from typing import Any

import pytest

with warnings.catch_warnings():
    # telegram.ext imports APScheduler 3, which imports the deprecated pkg_resources; its
    # import-time DeprecationWarnings are third-party and not ours to fix.
    warnings.simplefilter("ignore", DeprecationWarning)
    import telegram.ext  # noqa: F401

from telegram import Chat, Message, Update, User

from assistant.text_cleaning import MAX_COMBINING_MARKS, MAX_QUESTION_CHARACTERS
from bot.app import PerChatUpdateProcessor, api_base_urls
from bot.buttons import BUTTON_LIFETIME_DAYS, ButtonSigner
from bot.config import ConfigError, Settings
from bot.formatting import (
    Button,
    build_keyboard,
    clean_user_text,
    redact_identifiers,
    split_message,
    truncate_question,
    utf16_length,
)
from bot.texts import HELP_QUESTIONS
from bot.rasa_client import BotMessage, RasaClient, RasaError, parse_reply, sender_id
from bot.redaction import REDACTED, install_secret_redaction

TOKEN = "123456789:UNIT-test-token-abcdefghijklmnopqrstuvwxyz"
SENDER_SECRET = "s3cret-value-of-at-least-32-bytes"
CHANNEL_SECRET = "channel-secret-of-at-least-32-bytes"
PRIVACY_TOKEN = "privacy-token-of-at-least-32-bytes"


def env(**values: str) -> dict:
    """Return a minimal valid environment plus `values`."""
    return {"TELEGRAM_TOKEN": TOKEN, "SENDER_ID_SECRET": SENDER_SECRET,
            "RASA_CHANNEL_SECRET": CHANNEL_SECRET, "RASA_PRIVACY_TOKEN": PRIVACY_TOKEN, **values}


# --- settings ------------------------------------------------------------------------------


def test_settings_defaults() -> None:
    """Only the token and the two secrets are needed; everything else has a safe default."""
    settings = Settings.from_env(env())
    assert settings.rasa_url == "http://127.0.0.1:5005"
    assert settings.rasa_timeout_seconds == 10
    assert settings.telegram_api_base_url is None and settings.rasa_privacy_token == PRIVACY_TOKEN
    assert not settings.use_webhook and not settings.allow_groups
    assert (settings.webhook_listen, settings.webhook_port) == ("127.0.0.1", 8443)
    assert settings.sender_id_secret == SENDER_SECRET.encode()
    assert settings.inbox_database_url.endswith("/state/bot-inbox.db")
    assert settings.inbox_retention_seconds == 24 * 3600 and settings.rasa_patience_seconds == 60


@pytest.mark.parametrize(
    "values, message",
    [
        ({"TELEGRAM_TOKEN": ""}, "TELEGRAM_TOKEN is not set"),
        ({"TELEGRAM_TOKEN": "  "}, "TELEGRAM_TOKEN is not set"),
        ({"TELEGRAM_TOKEN": '"123:abc"'}, "does not look like a bot token"),
        ({"TELEGRAM_WEBHOOK_URL": "https://bot.example.org/hook"}, "TELEGRAM_WEBHOOK_SECRET is not"),
        ({"TELEGRAM_WEBHOOK_URL": "https://x.org/h", "TELEGRAM_WEBHOOK_SECRET": "has space"}, "1-256"),
        ({"TELEGRAM_WEBHOOK_URL": "ftp://x.org/h", "TELEGRAM_WEBHOOK_SECRET": "ok"}, "http(s) URL"),
        ({"RASA_URL": "localhost:5005"}, "RASA_URL must be an http(s) URL"),
        ({"RASA_TIMEOUT_SECONDS": "soon"}, "number of seconds"),
        ({"RASA_TIMEOUT_SECONDS": "0"}, "greater than 0"),
        ({"TELEGRAM_WEBHOOK_PORT": "99999"}, "port number"),
        ({"ALLOW_GROUPS": "maybe"}, "true or false"),
        ({"SENDER_ID_SECRET": ""}, "SENDER_ID_SECRET must be set to at least 32"),
        ({"SENDER_ID_SECRET": "x" * 31}, "SENDER_ID_SECRET must be set to at least 32"),
        ({"RASA_CHANNEL_SECRET": ""}, "RASA_CHANNEL_SECRET must be set to at least 32"),
        ({"RASA_PRIVACY_TOKEN": "short"}, "RASA_PRIVACY_TOKEN must be set to at least 32"),
        ({"INBOX_RETENTION_HOURS": "-1"}, "greater than 0"),
    ],
    ids=["missing-token", "blank-token", "quoted-token", "webhook-without-secret",
         "bad-webhook-secret", "webhook-not-http", "rasa-not-http", "timeout-not-number",
         "timeout-zero", "bad-port", "bad-allow-groups", "no-sender-secret", "short-sender-secret",
         "no-channel-secret", "short-privacy-token", "negative-retention"],
)
def test_settings_refuse_invalid_environment(values: dict, message: str) -> None:
    """Invalid or unsafe configuration is refused with a message naming the variable."""
    with pytest.raises(ConfigError, match=re.escape(message)):
        Settings.from_env(env(**values))


def test_webhook_settings() -> None:
    """Webhook mode: URL, secret, listen address and port come from the environment."""
    settings = Settings.from_env(env(
        TELEGRAM_WEBHOOK_URL="https://bot.example.org/tg/hook", TELEGRAM_WEBHOOK_SECRET="abc_DEF-1",
        TELEGRAM_WEBHOOK_LISTEN="0.0.0.0", TELEGRAM_WEBHOOK_PORT="8080", ALLOW_GROUPS="yes",
    ))
    assert settings.use_webhook and settings.allow_groups
    assert settings.webhook_secret == "abc_DEF-1"
    assert (settings.webhook_listen, settings.webhook_port) == ("0.0.0.0", 8080)


def test_settings_repr_hides_secrets() -> None:
    """Printing or logging the settings never shows the token or other secrets."""
    settings = Settings.from_env(env(
                                     TELEGRAM_WEBHOOK_URL="https://x.org/h",
                                     TELEGRAM_WEBHOOK_SECRET="hook-secret"))
    text = repr(settings)
    for secret in (TOKEN, PRIVACY_TOKEN, "hook-secret", SENDER_SECRET, CHANNEL_SECRET):
        assert secret not in text


@pytest.mark.parametrize(
    "root", ["http://127.0.0.1:8081", "http://127.0.0.1:8081/", "http://127.0.0.1:8081/bot"]
)
def test_api_base_urls(root: str) -> None:
    """TELEGRAM_API_BASE_URL is a server root; PTB's ".../bot" form is accepted too."""
    assert api_base_urls(root) == {
        "base_url": "http://127.0.0.1:8081/bot", "base_file_url": "http://127.0.0.1:8081/file/bot"
    }


# --- cleaning user text -------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw, clean",
    [
        ("劳\u200b动合同", "劳动合同"),  # zero-width space inside a keyword
        ("legal\u00adaid", "legalaid"),  # soft hyphen
        ("\u202eevil\u202c text \u2066x\u2069", "evil text x"),  # bidi override and isolates
        ("a\x00b\x1b[31mc\x7f", "ab[31mc"),  # NUL, escape, DEL
        ("line\r\nbreak\ttab", "line break tab"),
        ("ｌａｗ　ＡＢＣ１２３", "law ABC123"),  # full width → NFKC
        ("\ufeffhello", "hello"),
        ("   \n\n ", ""),
        ("\u200b\u200c\u200d", ""),
        (None, ""),
    ],
)
def test_clean_user_text(raw: Any, clean: str) -> None:
    """Invisible, control and bidi characters go; NFKC applies; whitespace collapses."""
    assert clean_user_text(raw) == clean


def test_clean_user_text_caps_combining_marks() -> None:
    """A "Zalgo" flood keeps at most MAX_COMBINING_MARKS (the NLU's) per base character."""
    cleaned = clean_user_text("a" + "\u0301" * 500 + "b")
    assert cleaned.startswith("á") and cleaned.endswith("b")  # NFKC composed the first mark
    assert sum(unicodedata.category(c) == "Mn" for c in cleaned) == MAX_COMBINING_MARKS


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("ID 11010519491231002X here", "ID [ID number] here"),
        ("call 13812345678 or +86 138-1234-5678", "call [phone number] or [phone number]"),
        ("write to li.lei+law@mail.example.cn", "write to [e-mail]"),
        # The address is ASCII: the Chinese around it stays (issue #21).
        ("请发邮件到abc@qq.com谢谢 法律援助怎么申请", "请发邮件到[e-mail]谢谢 法律援助怎么申请"),
        ("in 2020 there were 651,000 lawyers", "in 2020 there were 651,000 lawyers"),
        ("case 1234567890123", "case 1234567890123"),
        ("ID 110105 19491231 002X and 110105-19491231-002x", "ID [ID number] and [ID number]"),
        ("old ID 110105491231002.", "old ID [ID number]."),
        ("card 4111 1111 1111 1111 or 6011000990139424", "card [card number] or [card number]"),
        ("order 4111 1111 1111 1112", "order 4111 1111 1111 1112"),  # fails Luhn: not a card
        ("office 010-12345678, (0755) 8765 4321", "office [phone number], [phone number]"),
        ("2023年全国律师65.16万人，12348热线", "2023年全国律师65.16万人，12348热线"),
        ("20202021 and 2021年9月24日", "20202021 and 2021年9月24日"),
    ],
)
def test_redact_identifiers(raw: str, expected: str) -> None:
    """ID numbers (18 with or without separators, 15 legacy), bank cards (Luhn), mobiles,
    landlines and e-mails are masked; figures, years and dates are not."""
    assert redact_identifiers(raw) == (expected, raw != expected)


def test_truncate_question_cuts_at_a_word() -> None:
    """Over the NLU's limit is cut at a word boundary; shorter text is untouched."""
    assert truncate_question("short") == ("short", False)
    cut, truncated = truncate_question("word " * 1000)
    assert truncated and len(cut) <= MAX_QUESTION_CHARACTERS and cut.endswith("word")


# --- splitting ----------------------------------------------------------------------------


def squash(text: str) -> str:
    """Return `text` without whitespace (the splitter may drop it at cut points)."""
    return re.sub(r"\s+", "", text)


@pytest.mark.parametrize(
    "text, chunks",
    [
        ("a" * 4096, 1),
        ("字" * 4096, 1),
        ("😀" * 2048, 1),  # = 4096 UTF-16 units
        ("😀" * 2049, 2),
        ("", 0),
    ],
)
def test_split_limits_in_utf16_units(text: str, chunks: int) -> None:
    """Telegram's limit counts UTF-16 units, so an emoji counts twice."""
    parts = split_message(text)
    assert len(parts) == chunks
    assert all(utf16_length(part) <= 4096 for part in parts)
    assert "".join(parts) == text


def test_split_prefers_paragraph_then_sentence_then_word() -> None:
    """Cuts land on a paragraph break, else a sentence end, else a space."""
    first, second = "First paragraph. " * 10, "Second paragraph. " * 10
    assert split_message(f"{first.strip()}\n\n{second.strip()}", limit=200) == [first.strip(), second.strip()]
    sentences = "One sentence here. Another one there! A third? " * 3
    parts = split_message(sentences, limit=60)
    assert all(part.endswith((".", "!", "?")) for part in parts)
    words = "lawyer " * 30
    assert all(part.endswith("lawyer") for part in split_message(words, limit=50))
    chinese = "法律援助是国家建立的制度。" * 10
    assert all(part.endswith("。") for part in split_message(chinese, limit=40))


def test_split_random_texts_keeps_content_and_limits() -> None:
    """For many random texts (CJK, emoji, marks, newlines) every chunk fits and nothing is lost."""
    alphabet = list("abc xyz.!?\n") + ["字", "😀", "\u0301", "。", "\n\n", "  "]
    generator = random.Random(12348)
    for _ in range(300):
        text = "".join(generator.choice(alphabet) for _ in range(generator.randint(0, 400)))
        limit = generator.randint(8, 120)
        parts = split_message(text, limit=limit)
        assert all(0 < utf16_length(part) <= limit for part in parts)
        assert squash("".join(parts)) == squash(text)


# --- keyboards and Rasa replies -----------------------------------------------------------


def test_keyboard_leaves_out_payloads_telegram_would_reject() -> None:
    """callback_data (payload + "~" + 8-character tag) is limited to 64 bytes of UTF-8; longer
    payloads become typed suggestions."""
    signer = ButtonSigner(SENDER_SECRET.encode(), 42)
    keyboard, left_out = build_keyboard([
        Button("Legal aid", "/faq_legal_aid_apply"),
        Button("Chinese", "法" * 18),  # 54 bytes + 9
        Button("Too long", "法" * 19),  # 57 bytes + 9
        Button("", "/greet"),
    ], signer.sign)
    assert keyboard is not None
    rows = [(row[0].text, row[0].callback_data) for row in keyboard.inline_keyboard]
    assert [(text, signer.verify(data)) for text, data in rows] == [
        ("Legal aid", "/faq_legal_aid_apply"), ("Chinese", "法" * 18), ("/greet", "/greet")]
    assert all(len(data.encode()) <= 64 for _, data in rows)
    assert left_out == ["Too long"]
    assert build_keyboard([], signer.sign) == (None, [])


def test_button_tags_bind_payload_and_chat() -> None:
    """Only callback data this bot issued to this chat is accepted."""
    signer = ButtonSigner(SENDER_SECRET.encode(), 42)
    data = signer.sign('/stat_lawyers{"year": "2020"}')
    assert signer.verify(data) == '/stat_lawyers{"year": "2020"}'
    assert ButtonSigner(SENDER_SECRET.encode(), 43).verify(data) is None  # another chat
    assert ButtonSigner(b"another-secret-of-at-least-32-bytes", 42).verify(data) is None
    forged = data.replace("lawyers", "mediators")
    for bad in (forged, "/faq_legal_aid_apply", "/x~", "~abc", None, 42):
        assert signer.verify(bad) is None


def test_buttons_expire_after_their_lifetime() -> None:
    """A keyboard from weeks ago cannot replay its payloads; one from this week still works
    (the day is signed, not sent: callback data stays payload + "~" + 8 characters)."""
    clock = {"now": 1_700_000_000.0}
    signer = ButtonSigner(SENDER_SECRET.encode(), 42, clock=lambda: clock["now"])
    data = signer.sign("/faq_legal_aid_apply")
    assert len(data) == len("/faq_legal_aid_apply") + 9
    clock["now"] += (BUTTON_LIFETIME_DAYS - 1) * 86400
    assert signer.verify(data) == "/faq_legal_aid_apply"
    clock["now"] += 2 * 86400
    assert signer.verify(data) is None


def test_help_questions_fit_callback_data() -> None:
    """Each /help example is sent back as the question, so it must fit in 64 bytes signed."""
    signer = ButtonSigner(SENDER_SECRET.encode(), -1001234567890)
    assert all(signer.sign(question) for language in HELP_QUESTIONS for question in HELP_QUESTIONS[language])


@pytest.mark.parametrize(
    "payload",
    [[], [{"recipient_id": "x"}], [{"recipient_id": "x", "text": "  "}], {"text": "hi"}, "hi", None,
     [1, "a"]],
)
def test_parse_reply_rejects_empty_or_malformed(payload: Any) -> None:
    """`[]` is Rasa's way of saying something failed; it and malformed replies raise RasaError."""
    with pytest.raises(RasaError):
        parse_reply(payload)


def test_parse_reply_reads_text_buttons_and_image() -> None:
    """Text, buttons and images of a REST reply are kept in order."""
    reply = [
        {"recipient_id": "s", "text": "Pick one",
         "buttons": [{"title": "A", "payload": "/a"}, {"title": "no payload"}]},
        {"recipient_id": "s", "image": "https://example.org/chart.png"},
        {"recipient_id": "s", "text": "Bye"},
    ]
    assert parse_reply(reply) == [
        BotMessage(text="Pick one", buttons=(Button("A", "/a"),)),
        BotMessage(image="https://example.org/chart.png"),
        BotMessage(text="Bye"),
    ]


def test_sender_id_is_keyed_hash_of_chat() -> None:
    """The Rasa sender is HMAC-SHA256(secret, chat id): stable, secret-dependent, no raw id."""
    one = sender_id(b"secret-1", 4242)
    assert one == sender_id(b"secret-1", 4242) and re.fullmatch(r"[0-9a-f]{64}", one)
    assert one != sender_id(b"secret-2", 4242) and one != sender_id(b"secret-1", 4243)
    assert "4242" not in one


async def test_rasa_client_retries_a_refused_connection_within_its_patience(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Connection refused → retries with backoff until the patience runs out, then RasaError."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    client = RasaClient(f"http://127.0.0.1:{port}", timeout_seconds=2, channel_secret=CHANNEL_SECRET,
                        patience_seconds=1.0, retry_backoff_seconds=0.05)
    caplog.set_level(logging.WARNING)
    try:
        with pytest.raises(RasaError, match="cannot reach Rasa"):
            await client.send_message("sender", "hello", "tg-1")
        with pytest.raises(RasaError):
            await client.forget("sender")
        assert not await client.is_up()
    finally:
        await client.aclose()
    # Backoff 0.05, 0.1, 0.2, 0.4 s: at least three retries of each request fit in 1 s.
    assert caplog.text.count("retrying in") >= 6
    assert "hello" not in caplog.text  # user text is never logged


# --- log redaction ------------------------------------------------------------------------


def test_redaction_covers_messages_arguments_and_tracebacks(caplog: pytest.LogCaptureFixture) -> None:
    """Every record from any logger has the token replaced, including exception text."""
    install_secret_redaction([TOKEN])
    caplog.set_level(logging.DEBUG)
    log = logging.getLogger("some.library")
    log.info("GET https://api.telegram.org/bot%s/getMe", TOKEN)
    try:
        raise ValueError(f"The token `{TOKEN}` was rejected by the server.")
    except ValueError:
        log.exception("failed")
    log.warning("unknown token-shaped %s", "987654321:AAbbCCddEEffGGhhIIjjKKllMMnnOOppQQ")
    assert TOKEN not in caplog.text and "AAbbCCdd" not in caplog.text
    assert caplog.text.count(REDACTED) == 3
    assert all(TOKEN not in record.getMessage() for record in caplog.records)


# --- per-chat ordering --------------------------------------------------------------------


def make_update(update_id: int, chat_id: int) -> Update:
    """Return a text-message update from `chat_id`."""
    chat = Chat(chat_id, Chat.PRIVATE)
    user = User(chat_id, "user", False)
    message = Message(update_id, datetime.datetime.now(), chat, from_user=user, text="x")
    return Update(update_id, message=message)


async def test_processor_orders_one_chat_and_overlaps_chats() -> None:
    """Updates of one chat run one after the other in arrival order; other chats don't wait."""
    processor = PerChatUpdateProcessor()
    await processor.initialize()
    log: list[str] = []

    async def handle(name: str, delay: float) -> None:
        log.append(f"start {name}")
        await asyncio.sleep(delay)
        log.append(f"end {name}")

    tasks = [
        asyncio.create_task(processor.process_update(make_update(1, 1), handle("A1", 0.05))),
        asyncio.create_task(processor.process_update(make_update(2, 1), handle("A2", 0.0))),
        asyncio.create_task(processor.process_update(make_update(3, 2), handle("B1", 0.0))),
    ]
    await asyncio.gather(*tasks)
    assert log.index("end A1") < log.index("start A2")
    assert log.index("end B1") < log.index("end A1")
    await processor.shutdown()


async def test_processor_survives_cancellation_of_a_waiting_update() -> None:
    """Cancelling an update waiting for its turn neither blocks nor reorders the next one."""
    processor = PerChatUpdateProcessor()
    await processor.initialize()
    gate = asyncio.Event()
    log: list[str] = []

    async def first() -> None:
        await gate.wait()
        log.append("A1")

    async def record(name: str) -> None:
        log.append(name)

    one = asyncio.create_task(processor.process_update(make_update(1, 1), first()))
    two = asyncio.create_task(processor.process_update(make_update(2, 1), record("A2")))
    three = asyncio.create_task(processor.process_update(make_update(3, 1), record("A3")))
    await asyncio.sleep(0.01)
    two.cancel()
    gate.set()
    await asyncio.gather(one, three)
    assert two.cancelled() and log == ["A1", "A3"]
