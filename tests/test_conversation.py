"""The base conversation, through the real Rasa server's REST channel."""
from __future__ import annotations

import pytest

from testkit.support import reply_payloads, reply_text

NOT_ADVICE = "not legal advice"


def test_greeting_on_first_contact_carries_the_not_advice_note(talk):
    first = reply_text(talk("hi"))
    assert "Hello" in first and NOT_ADVICE in first
    second = reply_text(talk("hello there"))
    assert "Hello" in second and NOT_ADVICE not in second


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("bye", "Goodbye"),
        ("thanks a lot", "welcome"),
        ("are you a bot?", "automated assistant"),
        ("what can you do?", "public legal services"),
    ],
)
def test_base_intents_get_their_reply(talk, message, expected):
    assert expected in reply_text(talk(message))


def test_help_offers_example_questions_as_short_ascii_buttons(talk):
    payloads = reply_payloads(talk("help"))
    assert len(payloads) >= 3
    assert all(p.isascii() and len(p.encode()) <= 64 for p in payloads)


def test_out_of_scope_is_declined_with_the_hotline(talk):
    text = reply_text(talk("what's the weather in Beijing tomorrow?"))
    assert "only help" in text and "12348" in text


def test_talk_to_a_person_gets_the_referral_card(talk):
    text = reply_text(talk("I want to talk to a real person"))
    assert "12348" in text and "12348.gov.cn" in text


@pytest.mark.parametrize(
    "message",
    [
        "",
        "   ",
        "\n\n",
        "a" * 10_000,
        "字" * 4096,
        "😀" * 2048,
        "\x00\x1b[31m\x7f\r",
        "劳\u200b动合同 \u202eevil",
        "我想咨询 labor contract 劳动合同 dispute 怎么办?",
        "<b>*bold*</b> [click](http://evil) ' OR 1=1 --",
        "Z\u0301\u0302\u0303\u0304\u0305" * 100,
        "ｌｅｇａｌ ａｉｄ",
        "asdkjh qwe zzz",
    ],
    ids=[
        "empty", "spaces", "newlines", "10k-chars", "4096-cjk", "emoji", "control-chars",
        "zero-width-bidi", "mixed-zh-en", "markup-and-sql", "zalgo", "full-width", "gibberish",
    ],
)
def test_bad_input_always_gets_a_sane_reply(talk, message):
    reply = talk(message)
    text = reply_text(reply)
    assert reply and text.strip(), "the bot must never be silent"
    assert "Traceback" not in text
    assert len(text) < 6000


def test_empty_message_asks_for_a_question(talk):
    assert "type your question" in reply_text(talk("   "))
