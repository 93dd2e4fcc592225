"""Pure text helpers: clean what users type, split long replies, turn Rasa buttons into keyboards.

Replies are sent as plain text (no parse_mode), so Telegram's "can't parse entities" error
cannot happen whatever the knowledge base or the user writes.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from collections.abc import Callable, Sequence

from stdnum import luhn
from telegram import InlineKeyboardButton, InlineKeyboardMarkup
from telegram.constants import InlineKeyboardButtonLimit, MessageLimit

from assistant.text_cleaning import (
    MAX_QUESTION_CHARACTERS,
    collapse_whitespace,
    cut_at_word,
    remove_invisible,
)

MAX_MESSAGE_UNITS = MessageLimit.MAX_TEXT_LENGTH  # 4096 UTF-16 code units
MAX_CALLBACK_DATA_BYTES = InlineKeyboardButtonLimit.MAX_CALLBACK_DATA  # 64 bytes

_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")
_SENTENCE_END = re.compile(r"(?:[.!?…]+[\"'”’)\]]*\s)|[。！？]+[”’」』）]*")
# Identifiers nobody needs to send to a FAQ bot (reliability checklist §6).
# Resident ID: 18 characters (6 + 8 + 3 + check digit or X), also written 6-8-4 with spaces
# or dashes; the legacy 15-digit number.
_ID_CARD = re.compile(
    r"(?<![0-9A-Za-z])(?:\d{6}[ -]?\d{8}[ -]?\d{3}[\dXx]|\d{15})(?![0-9A-Za-z])"
)
# Bank cards: 16-19 digits, in groups or not; masked only if the Luhn check passes
# (python-stdnum). ID numbers are masked by shape alone, without stdnum's cn.ric check
# digit: a mistyped ID number is still someone's.
_CARD_CANDIDATE = re.compile(r"(?<![0-9A-Za-z])\d(?:[ -]?\d){15,18}(?![0-9A-Za-z])")
_MOBILE = re.compile(r"(?<!\d)(?:\+?86[ -]?)?1[3-9]\d[ -]?\d{4}[ -]?\d{4}(?!\d)")
# Landlines: area code 0xx or 0xxx, then 7 or 8 digits (010-12345678, 0755 8765 4321).
_LANDLINE = re.compile(r"(?<![\d+])(?:\+?86[ -]?)?\(?0\d{2,3}\)?[ -]?\d{3,4}[ -]?\d{4}(?!\d)")
# ASCII only: `\w` is also every Han character, so "请发邮件到abc@qq.com谢谢" lost its Chinese.
_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
# Rasa reads a message starting with "/" as "/intent{entities}", skipping NLU.
_INTENT_SYNTAX = re.compile(r"^[/\s]+")


@dataclass(frozen=True)
class Button:
    """A Rasa button: what the user sees and what is sent back to Rasa when tapped."""

    title: str
    payload: str


def utf16_length(text: str) -> int:
    """Return the length of `text` as Telegram counts it (UTF-16 code units)."""
    return len(text.encode("utf-16-le")) // 2


def clean_user_text(text: str | None) -> str:
    """Return `text` cleaned as the NLU cleans it (assistant/text_cleaning.py)."""
    return collapse_whitespace(remove_invisible(text))


def _mask_card(match: re.Match) -> str:
    digits = re.sub(r"\D", "", match.group())
    return "[card number]" if luhn.is_valid(digits) else match.group()


def redact_identifiers(text: str) -> tuple[str, bool]:
    """Replace ID, bank card, mobile and landline numbers and e-mail addresses; say if any."""
    redacted = _CARD_CANDIDATE.sub(_mask_card, text)
    redacted = _ID_CARD.sub("[ID number]", redacted)
    redacted = _MOBILE.sub("[phone number]", redacted)
    redacted = _LANDLINE.sub("[phone number]", redacted)
    redacted = _EMAIL.sub("[e-mail]", redacted)
    return redacted, redacted != text


def without_intent_syntax(text: str) -> str:
    """Return typed text that Rasa cannot read as "/intent{...}" (leading slashes removed)."""
    return _INTENT_SYNTAX.sub("", text)


def truncate_question(text: str, limit: int = MAX_QUESTION_CHARACTERS) -> tuple[str, bool]:
    """Cut `text` to the NLU's limit, at a word boundary when one is near; say if cut."""
    if len(text) <= limit:
        return text, False
    return cut_at_word(text, limit).rstrip(), True


def split_message(text: str, limit: int = MAX_MESSAGE_UNITS) -> list[str]:
    """Split `text` into chunks of <= `limit` UTF-16 units at paragraph, sentence or word ends."""
    chunks: list[str] = []
    remaining = text.strip()
    while utf16_length(remaining) > limit:
        cut = _cut_position(remaining, limit)
        head, remaining = remaining[:cut].rstrip(), remaining[cut:].lstrip()
        if head:
            chunks.append(head)
    if remaining:
        chunks.append(remaining)
    return chunks


def _cut_position(text: str, limit: int) -> int:
    """Return where to cut `text` so that the head fits in `limit` UTF-16 units."""
    fits, units = 0, 0
    for character in text:
        units += 2 if ord(character) > 0xFFFF else 1
        if units > limit:
            break
        fits += 1
    window = text[:fits]
    # A boundary in the first quarter would leave a uselessly short message.
    minimum = fits // 4
    for boundary in (_last_paragraph_break, _last_sentence_end, _last_space):
        position = boundary(window)
        if position > minimum:
            return position
    # No boundary at all (e.g. unbroken Chinese text without punctuation): hard cut, but not
    # between a character and its combining marks.
    while fits > 1 and unicodedata.category(text[fits])[0] == "M":
        fits -= 1
    return fits


def _last_paragraph_break(window: str) -> int:
    matches = list(_PARAGRAPH_BREAK.finditer(window))
    return matches[-1].start() if matches else -1


def _last_sentence_end(window: str) -> int:
    matches = list(_SENTENCE_END.finditer(window))
    return matches[-1].end() if matches else -1


def _last_space(window: str) -> int:
    return max(window.rfind(" "), window.rfind("\n"))


def callback_data_fits(data: str) -> bool:
    """Return True if `data` can be an inline button's callback_data (1-64 bytes of UTF-8)."""
    return 0 < len(data.encode("utf-8")) <= MAX_CALLBACK_DATA_BYTES


def build_keyboard(
    buttons: Sequence[Button], sign: Callable[[str], str | None]
) -> tuple[InlineKeyboardMarkup | None, list[str]]:
    """Return a one-button-per-row keyboard, and the titles of buttons that cannot be buttons.

    `sign` turns a payload into callback data (bot/buttons.py), or None when it would not
    fit Telegram's 64 bytes; such a button is left out and its title returned, so the
    caller can list it as something the user may type instead.
    """
    rows = []
    left_out: list[str] = []
    for button in buttons:
        title = button.title.strip() or button.payload
        data = sign(button.payload)
        if data is not None:
            rows.append([InlineKeyboardButton(title, callback_data=data)])
        elif title:
            left_out.append(title)
    return (InlineKeyboardMarkup(rows) if rows else None), left_out


def question_keyboard(
    questions: Sequence[str], sign: Callable[[str], str | None]
) -> InlineKeyboardMarkup:
    """Return a keyboard whose buttons send their own text as the question."""
    return build_keyboard([Button(question, question) for question in questions], sign)[0] or (
        InlineKeyboardMarkup([])
    )
