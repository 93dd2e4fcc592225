"""Tokenizers for one model that reads both English and Chinese.

`MixedScriptTokenizer` splits on whitespace and punctuation like Rasa's
WhitespaceTokenizer, then segments every word that contains Han characters with jieba
(plus this domain's user dictionary: 法律援助, 值班律师, 12348 ...), so "法律援助 how
to apply" becomes 法律援助 / how / to / apply. `AnyLanguageJiebaTokenizer` is Rasa's
JiebaTokenizer allowed in a model whose language is not "zh"; it is kept to compare
against (README "Choosing the pipeline").
"""
from __future__ import annotations

import logging
from functools import lru_cache
from pathlib import Path
from typing import Any, Text

from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.tokenizers.jieba_tokenizer import JiebaTokenizer
from rasa.nlu.tokenizers.tokenizer import Token
from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer
from rasa.shared.nlu.training_data.message import Message

from assistant.language import has_han

USER_DICTIONARY = Path(__file__).with_name("jieba_userdict.txt")


@lru_cache(maxsize=1)
def _jieba():
    import jieba

    # jieba logs its dictionary loading at DEBUG on its own stderr handler.
    jieba.setLogLevel(logging.WARNING)
    jieba.load_userdict(str(USER_DICTIONARY))
    return jieba


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER, is_trainable=False
)
class MixedScriptTokenizer(WhitespaceTokenizer):
    """Whitespace tokens, with Han-character words segmented by jieba."""

    @staticmethod
    def not_supported_languages() -> list[Text] | None:
        """Every language: Chinese runs are segmented, the rest split on spaces."""
        return None

    @classmethod
    def create(
        cls,
        config: dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> MixedScriptTokenizer:
        """Create the tokenizer and load jieba with the domain dictionary."""
        _jieba()
        return cls(config)

    def tokenize(self, message: Message, attribute: Text) -> list[Token]:
        """Split on whitespace, then segment the Chinese words."""
        tokens: list[Token] = []
        for token in super().tokenize(message, attribute):
            if not has_han(token.text):
                tokens.append(token)
                continue
            for word, start, _end in _jieba().tokenize(token.text):
                if word.strip():
                    tokens.append(Token(word, token.start + start))
        return tokens


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER, is_trainable=True
)
class AnyLanguageJiebaTokenizer(JiebaTokenizer):
    """Rasa's JiebaTokenizer for a model whose configured language is not "zh"."""

    @staticmethod
    def supported_languages() -> list[Text] | None:
        """Every language (jieba passes Latin words through)."""
        return None

    def tokenize(self, message: Message, attribute: Text) -> list[Token]:
        """Jieba's tokens without the whitespace tokens it emits between words."""
        return [token for token in super().tokenize(message, attribute) if token.text.strip()]
