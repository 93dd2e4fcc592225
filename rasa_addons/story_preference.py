"""An NLU component that reads a long personal story as a personal problem.

People tell their problem at length ("你好在吗我想离婚又不知道该怎么办", "借出去50万，对方人跑了
…该怎么办"), and a greeting or a farewell word, a hotline's number or "how many" in such a
story can outweigh the story for the intent classifier. A question about a service or a
figure is short; a story is not. So when a long message's top intent is one that never
answers a personal problem (a greeting, thanks, goodbye, help, a statistics topic or
menu, out of scope, a hotline's hours), and the classifier ranks some kind of personal
problem at all, that problem becomes the intent. It runs after the classifier and before
the FallbackClassifier, which then judges the new intent's confidence as usual.
"""
from __future__ import annotations

from typing import Any, Text

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from assistant.contract import (
    PROBLEM_INTENT_PREFIX,
    STAT_INTENT_PREFIX,
    STORY_MIN_HAN_CHARACTERS,
    STORY_MIN_LATIN_WORDS,
)
from assistant.language import count_scripts
from rasa_addons.stateless import StatelessComponent


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False
)
class StoryPreference(StatelessComponent):
    """Prefers a personal problem to a generic intent for long messages."""

    @staticmethod
    def get_default_config() -> dict[Text, Any]:
        """Return the default configuration."""
        return {
            # A story: about 12 Chinese words, or 15 English ones.
            "min_han_characters": STORY_MIN_HAN_CHARACTERS,
            "min_latin_words": STORY_MIN_LATIN_WORDS,
            # The problem must be in the running, not an accident of the ranking's tail.
            "min_problem_confidence": 0.08,
            # Intents that never answer a personal problem (exact names or prefixes).
            "generic_intents": [
                "greet", "goodbye", "thank", "help", "bot_challenge", "out_of_scope",
                "ask_unknown_statistic", "ask_period_followup", "faq_hotline_hours",
                "faq_hotline_12348", "faq_wechat_channel", "faq_legal_service_network",
                STAT_INTENT_PREFIX,
            ],
        }

    def _is_story(self, text: Text) -> bool:
        han, latin_words = count_scripts(text)
        return han >= self._config["min_han_characters"] or latin_words >= self._config["min_latin_words"]

    def _is_generic(self, intent: Text) -> bool:
        return any(
            intent == name or (name.endswith("_") and intent.startswith(name))
            for name in self._config["generic_intents"]
        )

    def process(self, messages: list[Message]) -> list[Message]:
        """Replace a generic top intent of a long story by the best intent that is not generic."""
        for message in messages:
            intent = message.get(INTENT) or {}
            text = message.get(TEXT)
            if not (isinstance(text, str) and self._is_generic(intent.get("name") or "")
                    and self._is_story(text)):
                continue
            problems = [
                candidate for candidate in message.get(INTENT_RANKING_KEY) or []
                if (candidate.get("name") or "").startswith(PROBLEM_INTENT_PREFIX)
                and (candidate.get("confidence") or 0.0) >= self._config["min_problem_confidence"]
            ]
            if problems:
                # The generic intents leave the ranking too: the FallbackClassifier's
                # ambiguity check compares the first two, and they no longer compete.
                ranking = [candidate for candidate in message.get(INTENT_RANKING_KEY)
                           if not self._is_generic(candidate.get("name") or "")]
                # The best of the rest: the problem, or a service question the story ends with.
                message.set(INTENT, dict(ranking[0]), add_to_output=True)
                message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)
        return messages
