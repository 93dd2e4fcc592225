"""Greetings and thanks around a real question ("你好 我想问一下法律援助怎么申请", "where do
I apply? thanks"): the question is what the person wants answered.

The intent classifier reads a whole message, and a greeting word weighs a lot in a short
one, so a leading greeting or a trailing thanks is dropped when what remains is itself a
question (a question word or mark, and enough words to be one). A greeting alone, or
thanks with praise ("thanks a lot, that was really helpful"), is left as it is.
"""
from __future__ import annotations

import re

from assistant.language import count_scripts

_SEPARATORS = r"[\s,，.。!！~～、:：;；]*"
_LEADING = re.compile(
    r"^(?:(?:你好|您好|你们好|嗨|哈喽|哈啰|在吗|在不在|在么|有人吗|早上好|下午好|晚上好|谢谢你?|多谢|"
    r"感谢|好的|嗯嗯?|打扰了?一下|打扰了|不好意思|"
    r"hello|hi|hey|hiya|good (?:morning|afternoon|evening)|thanks|thank you|thank u|thx|ty|"
    r"ok|okay|cheers|sorry to bother you|excuse me)(?![a-z])" + _SEPARATORS
    # "再问一个 …", "one more question: …" open a question only when a break follows them.
    + r"|(?:再问一个问题|再问一个|再问一下|还有个问题|还想问一下)[\s,，.。!！~～、:：;；]+"
    r"|(?:one more question|another question)[,，.。!！:：;；]+\s*)+",
    re.IGNORECASE,
)
# The English words only as words of their own: "penalty", "property" and "city" end in "ty".
_TRAILING = re.compile(
    _SEPARATORS + r"(?:谢谢你?|谢谢了|多谢|感谢|(?<![a-z])(?:thanks|thank you|thank u|thx|ty))"
    r"(?: (?:a lot|so much|very much))?"
    + _SEPARATORS + r"$",
    re.IGNORECASE,
)
_QUESTION = re.compile(
    r"[?？]|怎么|怎样|如何|吗|什么|(?<!没)啥(?!都)|哪|多少|能不能|可不可以|可以|咋|是否|为什么|办|"
    r"\b(?:how|what|where|when|who|which|why|can|could|do|does|is|are|should|will|would|may)\b",
    re.IGNORECASE,
)
# What must remain to count as a question of its own: about two Chinese words, or three English.
MIN_HAN_CHARACTERS = 4
MIN_LATIN_WORDS = 3


def asks_something(text: str) -> bool:
    """Whether a message is worded as a question (a question word or mark)."""
    return bool(_QUESTION.search(text))


def _is_question(text: str) -> bool:
    han, latin_words = count_scripts(text)
    return (han >= MIN_HAN_CHARACTERS or latin_words >= MIN_LATIN_WORDS) and bool(_QUESTION.search(text))


def strip_pleasantries(text: str) -> str:
    """Return the text without a leading greeting or trailing thanks around a real question."""
    for pattern in (_LEADING, _TRAILING):
        remainder = pattern.sub("", text).strip()
        if remainder != text.strip() and _is_question(remainder):
            text = remainder
    return text
