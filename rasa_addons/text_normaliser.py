"""An NLU pipeline component that makes any user text safe for the rest of the pipeline.

Users paste anything: control characters, zero-width and bidi marks, full-width
letters, "Zalgo" combining-mark floods, pages of text, Traditional characters. The
featurizers and DIET cope best with short, clean, NFKC-normalised Simplified text, so
this component runs first (after the language detector, which must see the user's own
script and words, not the English glosses added here).
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import Path
from typing import Any, Text

import yaml

from assistant.language import chinese_years_to_digits, detect_language, to_simplified
from assistant.pleasantries import strip_pleasantries
from assistant.text_cleaning import (
    MAX_QUESTION_CHARACTERS,
    collapse_whitespace,
    cut_at_word,
    remove_invisible,
)
from rasa_addons.stateless import StatelessComponent

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

DEFAULT_MAX_CHARACTERS = MAX_QUESTION_CHARACTERS
DEFAULT_GLOSSARY = Path(__file__).with_name("glossary_zh_en.yml")


@lru_cache(maxsize=8)
def load_glossary(path: Path = DEFAULT_GLOSSARY) -> tuple[tuple[str, str], ...]:
    """Return (Chinese term, English words) pairs, longest term first."""
    terms = (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("terms") or {}
    pairs = {unicodedata.normalize("NFKC", str(k)): str(v) for k, v in terms.items()}
    return tuple(sorted(pairs.items(), key=lambda pair: -len(pair[0])))


def add_glosses(text: Text, glossary: tuple[tuple[str, str], ...]) -> Text:
    """Add the English words after each glossary term of an English text (longest match wins).

    Only English messages with Chinese terms in them ("what is 法律援助") are glossed: a
    Chinese message is read by the Chinese training examples, and English words added to
    it made it look like the English ones (README "Choosing the pipeline").
    """
    if not glossary or text.isascii() or detect_language(text) != "en":
        return text
    pieces: list[str] = []
    position = 0
    while position < len(text):
        for term, english in glossary:
            if text.startswith(term, position):
                pieces.append(f"{term} {english} ")
                position += len(term)
                break
        else:
            pieces.append(text[position])
            position += 1
    return "".join(pieces)


_REPEATED_LETTER = re.compile(r"([^\W\d_])\1{3,}")


def normalise_text(
    text: Text,
    max_characters: int = DEFAULT_MAX_CHARACTERS,
    glossary: tuple[tuple[str, str], ...] | None = None,
) -> Text:
    """Return text NFKC-normalised, without control/format characters, capped, in
    Simplified characters with Chinese years in digits, without a greeting or thanks
    around a real question, and glossed."""
    # Cap first: nothing below should spend time on pages of pasted text.
    text = remove_invisible((text or "")[: max_characters * 4])
    # "aaaa…" or "哈哈哈哈哈" tells nothing more than three of it; a long run of one letter
    # would otherwise look like a word to the character n-grams. Digits are kept (10000).
    cleaned = cut_at_word(_REPEATED_LETTER.sub(r"\1\1\1", text), max_characters)
    cleaned = strip_pleasantries(chinese_years_to_digits(to_simplified(cleaned)))
    if glossary:
        cleaned = add_glosses(cleaned, glossary)
    return collapse_whitespace(cleaned)


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER], is_trainable=False
)
class TextNormaliser(StatelessComponent):
    """Normalises message text in place before tokenisation."""

    @staticmethod
    def get_default_config() -> dict[Text, Any]:
        """Return the default configuration."""
        # A file name next to this module, so a model does not depend on where it was trained.
        return {"max_characters": DEFAULT_MAX_CHARACTERS, "glossary": DEFAULT_GLOSSARY.name}

    def __init__(self, config: dict[Text, Any]) -> None:
        super().__init__(config)
        self._max_characters = int(config["max_characters"])
        glossary = config.get("glossary")
        self._glossary = load_glossary(Path(__file__).with_name(glossary)) if glossary else ()

    def _normalise(self, message: Message) -> None:
        text = message.get(TEXT)
        if isinstance(text, str):
            message.set(TEXT, normalise_text(text, self._max_characters, self._glossary))

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        """Normalise training examples the same way as live messages."""
        for example in training_data.training_examples:
            self._normalise(example)
        return training_data

    def process(self, messages: list[Message]) -> list[Message]:
        """Normalise incoming messages."""
        for message in messages:
            self._normalise(message)
        return messages
