"""Pure text helpers: clean what users type, split long replies, turn Rasa buttons into keyboards.

Replies are sent as plain text (no parse_mode), so Telegram's "can't parse entities" error
cannot happen whatever the knowledge base or the user writes.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from collections.abc import Sequence

from telegram import InlineKeyboardButton, InlineKeyboardMarkup
from telegram.constants import InlineKeyboardButtonLimit, MessageLimit

MAX_MESSAGE_UNITS = MessageLimit.MAX_TEXT_LENGTH  # 4096 UTF-16 code units
MAX_CALLBACK_DATA_BYTES = InlineKeyboardButtonLimit.MAX_CALLBACK_DATA  # 64 bytes
# Longer questions are cut to this many characters before they reach Rasa.
MAX_QUESTION_CHARACTERS = 2000
MAX_COMBINING_MARKS = 3

_WHITESPACE = re.compile(r"\s+")
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")
_SENTENCE_END = re.compile(r"(?:[.!?…]+[\"'”’)\]]*\s)|[。！？]+[”’」』）]*")
# Identifiers nobody needs to send to a FAQ bot (reliability checklist §6).
_ID_CARD = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")
_MOBILE = re.compile(r"(?<!\d)(?:\+?86[ -]?)?1[3-9]\d[ -]?\d{4}[ -]?\d{4}(?!\d)")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


@dataclass(frozen=True)
class Button:
    """A Rasa button: what the user sees and what is sent back to Rasa when tapped."""

    title: str
    payload: str


def utf16_length(text: str) -> int:
    """Return the length of `text` as Telegram counts it (UTF-16 code units)."""
    return len(text.encode("utf-16-le")) // 2


def clean_user_text(text: str | None) -> str:
    """Return `text` NFKC-normalised, without control/format/zero-width/bidi characters."""
    text = unicodedata.normalize("NFKC", text or "")
    kept: list[str] = []
    marks = 0
    for character in text:
        category = unicodedata.category(character)
        if category in ("Cc", "Cf", "Cs", "Co", "Cn"):
            # Tabs and newlines separate words; everything else in these classes is invisible.
            kept.append(" " if character in "\t\n\r\x0b\x0c\x85" else "")
            continue
        if category.startswith("M"):
            marks += 1
            if marks > MAX_COMBINING_MARKS:
                continue
        else:
            marks = 0
        kept.append(character)
    return _WHITESPACE.sub(" ", "".join(kept)).strip()


def redact_identifiers(text: str) -> tuple[str, bool]:
    """Replace resident ID numbers, mainland mobile numbers and e-mail addresses; say if any."""
    redacted = _ID_CARD.sub("[ID number]", text)
    redacted = _MOBILE.sub("[phone number]", redacted)
    redacted = _EMAIL.sub("[e-mail]", redacted)
    return redacted, redacted != text


def truncate_question(text: str, limit: int = MAX_QUESTION_CHARACTERS) -> tuple[str, bool]:
    """Cut `text` to at most `limit` characters, at a word boundary when one is near; say if cut."""
    if len(text) <= limit:
        return text, False
    cut = text[:limit]
    space = cut.rfind(" ", limit - 100)
    return (cut[:space] if space > 0 else cut).rstrip(), True


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


def build_keyboard(buttons: Sequence[Button]) -> tuple[InlineKeyboardMarkup | None, list[str]]:
    """Return a one-button-per-row keyboard, and the titles of buttons that cannot be buttons.

    Telegram rejects callback_data over 64 bytes; such a button is left out and its title
    returned, so the caller can list it as something the user may type instead.
    """
    rows = []
    left_out: list[str] = []
    for button in buttons:
        title = button.title.strip() or button.payload
        if callback_data_fits(button.payload):
            rows.append([InlineKeyboardButton(title, callback_data=button.payload)])
        elif title:
            left_out.append(title)
    return (InlineKeyboardMarkup(rows) if rows else None), left_out


def question_keyboard(questions: Sequence[str]) -> InlineKeyboardMarkup:
    """Return a keyboard whose buttons send their own text as the question."""
    return build_keyboard([Button(question, question) for question in questions])[0] or (
        InlineKeyboardMarkup([])
    )
