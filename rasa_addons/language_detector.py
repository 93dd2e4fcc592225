"""An NLU component that tags each message with its language as a `language` entity.

The `language` slot maps from this entity, so every answer, button and apology of the
turn is in the user's language, and a message without words of its own (digits,
emoji, "？") sets nothing and keeps the conversation's language. It runs first in the
pipeline: it must see the user's own script, not the English glosses the normaliser
adds after Chinese terms.
"""
from __future__ import annotations


from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message

from assistant.contract import LANGUAGE_ENTITY
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
