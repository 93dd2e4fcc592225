"""Cleaning what users type, written once: the bot cleans what it sends to Rasa, and the
NLU (rasa_addons/text_normaliser.py) what it reads, with the same rules and limits.

The limits are the NLU's: it reads MAX_QUESTION_CHARACTERS characters, so the bot cuts a
longer question there too and tells the user that number.
"""
from __future__ import annotations

import re
import unicodedata

# Nobody asks a FAQ question in more than a few hundred characters; the rest only slows
# featurisation down and drowns the signal.
MAX_QUESTION_CHARACTERS = 600
# A "Zalgo" flood of combining marks keeps this many per base character.
MAX_COMBINING_MARKS = 2
# A cut within this many characters of the limit moves back to the last space.
WORD_BOUNDARY_WINDOW = 40

_WHITESPACE = re.compile(r"\s+")
# Control, format (zero-width, bidi), surrogate, private use, unassigned.
_INVISIBLE_CATEGORIES = ("Cc", "Cf", "Cs", "Co", "Cn")
# Of those, the ones that separate words.
_SEPARATORS = "\t\n\r\x0b\x0c"


def remove_invisible(text: str | None, max_marks: int = MAX_COMBINING_MARKS) -> str:
    """Return `text` NFKC-normalised, without control/format characters (tabs and line
    breaks become spaces) and with at most `max_marks` combining marks in a row."""
    kept: list[str] = []
    marks_in_a_row = 0
    for character in unicodedata.normalize("NFKC", text or ""):
        category = unicodedata.category(character)
        if category in _INVISIBLE_CATEGORIES:
            kept.append(" " if character in _SEPARATORS else "")
            continue
        if category.startswith("M"):
            marks_in_a_row += 1
            if marks_in_a_row > max_marks:
                continue
        else:
            marks_in_a_row = 0
        kept.append(character)
    return "".join(kept)


def collapse_whitespace(text: str) -> str:
    """Return `text` with runs of whitespace as one space, stripped."""
    return _WHITESPACE.sub(" ", text).strip()


def cut_at_word(text: str, limit: int = MAX_QUESTION_CHARACTERS) -> str:
    """Return `text` cut to at most `limit` characters, at a space when one is near the end."""
    if len(text) <= limit:
        return text
    cut = text[:limit]
    space = cut.rfind(" ", limit - WORD_BOUNDARY_WINDOW)
    return cut[:space] if space > 0 else cut
