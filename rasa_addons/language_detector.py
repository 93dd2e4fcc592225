"""An NLU component that tags each message with its language as a `language` entity.

The `language` slot maps from this entity, so every answer, button and apology of the
turn is in the user's language, and a message without words of its own (digits,
emoji, "？") sets nothing and keeps the conversation's language. It runs first in the
pipeline: it must see the user's own script, not the English glosses the normaliser
adds after Chinese terms.

A front end may name the chat's language in the message metadata ({"chat_language": "zh"}: the
Telegram bot does, from the same `detect_language` and the user's Telegram language): a
message with no words of its own then takes that language, so the first "👍" of a Chinese
chat is answered in Chinese, and the bot and Rasa never disagree (issue #21).
"""
from __future__ import annotations


from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import ENTITIES, METADATA, TEXT
from rasa.shared.nlu.training_data.message import Message

from assistant.contract import CHAT_LANGUAGE_METADATA_KEY, LANGUAGE_ENTITY, LANGUAGES
from assistant.language import detect_language
from rasa_addons.stateless import StatelessComponent


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=False
)
class LanguageDetector(StatelessComponent):
    """Adds the entity language=zh|en when the message has words of either script."""

    def process(self, messages: list[Message]) -> list[Message]:
        """Tag each message with its language."""
        for message in messages:
            text = message.get(TEXT)
            language = detect_language(text) if isinstance(text, str) else None
            if language is None:
                language = chat_language(message.get(METADATA))
            if language is None:
                continue
            entity = {
                "entity": LANGUAGE_ENTITY,
                "value": language,
                "start": 0,
                "end": 0,
                "extractor": self.__class__.__name__,
            }
            message.set(ENTITIES, [*message.get(ENTITIES, []), entity], add_to_output=True)
        return messages


def chat_language(metadata: object) -> str | None:
    """The chat's language a front end sent with the message, if it is one we speak."""
    if isinstance(metadata, dict) and metadata.get(CHAT_LANGUAGE_METADATA_KEY) in LANGUAGES:
        return metadata[CHAT_LANGUAGE_METADATA_KEY]
    return None
