"""An NLU component that tags a message telling of a person in danger with `crisis` entities.

One entity per situation (assistant.contract.CRISIS_SITUATIONS: danger now, self-harm,
domestic violence, a child hurt), from the patterns of assistant/crisis_patterns.yml. It
runs before the normaliser, on the user's own whole text: the normaliser caps length, and a
crisis told at the end of a long story must not be cut off. The knowledge router answers a
tagged message with emergency help before anything else, inside a form or not.
"""
from __future__ import annotations

from typing import Any, Text

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message

from assistant.contract import CRISIS_ENTITY, CRISIS_RULED_OUT
from assistant.crisis import assess_crisis, load_happening_now, load_patterns
from rasa_addons.stateless import StatelessComponent


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=False
)
class CrisisDetector(StatelessComponent):
    """Adds crisis=<situation> entities to messages that tell of danger."""

    def __init__(self, config: dict[Text, Any]) -> None:
        super().__init__(config)
        # Compiled now, so a bad patterns file fails when the model loads, not on a message.
        load_patterns()
        load_happening_now()

    def process(self, messages: list[Message]) -> list[Message]:
        """Tag each message with the crisis situations it tells of, or with `ruled_out`."""
        for message in messages:
            text = message.get(TEXT)
            if not isinstance(text, str):
                continue
            assessment = assess_crisis(text)
            values = assessment.situations or ((CRISIS_RULED_OUT,) if assessment.ruled_out else ())
            if not values:
                continue
            entities = [
                {"entity": CRISIS_ENTITY, "value": value, "start": 0, "end": 0,
                 "extractor": self.__class__.__name__}
                for value in values
            ]
            message.set(ENTITIES, [*message.get(ENTITIES, []), *entities], add_to_output=True)
        return messages
