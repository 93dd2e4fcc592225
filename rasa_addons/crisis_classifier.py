"""Whether a message tells of danger, asked as its own yes-or-no question (issue #20).

The intent classifier weighs `crisis` against some eighty other intents, and its crisis
examples outnumber any other intent's many times over: a short message it knows little of
("im on dibao", "那我现在去哪") then falls to the biggest class and reads as a crisis. This
classifier fits a logistic regression on the same TF-IDF-weighted features to one question
only, crisis or not, from the same training data; its probability replaces the crisis
confidence in the intent ranking (the other intents share the rest), and the top intent is
re-chosen from the corrected ranking. The knowledge router then reads the crisis confidence as before
(assistant.contract.CRISIS_MIN_CONFIDENCE); the patterns of the crisis detector still count
whatever the classifiers say.
"""
from __future__ import annotations

from typing import Any, Text

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from scipy.sparse import csr_matrix

from assistant.contract import (
    CRISIS_INTENT,
    CRISIS_MIN_CONFIDENCE,
    CRISIS_MIN_CONFIDENCE_SHORT,
    CRISIS_SHORT_MAX_HAN,
    CRISIS_SHORT_MAX_WORDS,
)
from assistant.language import count_scripts
from rasa_addons.intent_classifier import TfidfLogisticRegressionClassifier, _has_known_features

NOT_CRISIS = "not_crisis"


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True
)
class CrisisClassifier(TfidfLogisticRegressionClassifier):
    """Crisis or not, on the intent classifier's features; corrects the crisis confidence."""

    def _create_training_matrix(self, training_data: TrainingData) -> tuple[csr_matrix, list[str]]:
        """Every intent example, labelled crisis or not."""
        features, intents = super()._create_training_matrix(training_data)
        return features, [CRISIS_INTENT if intent == CRISIS_INTENT else NOT_CRISIS for intent in intents]

    def process(self, messages: list[Message]) -> list[Message]:
        """Put this classifier's crisis probability in each ranked message's intent ranking."""
        readable = [message for message in messages
                    if message.get(INTENT_RANKING_KEY) and _has_known_features(message)]
        if not readable:
            return messages
        column = list(self.clf.classes_).index(CRISIS_INTENT)
        probabilities = self.probabilities(readable)[:, column]
        for message, probability in zip(readable, probabilities, strict=True):
            ranking = _with_crisis_probability(message.get(INTENT_RANKING_KEY), float(probability),
                                               crisis_threshold(message.get(TEXT) or ""))
            message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)
            message.set(INTENT, dict(ranking[0]), add_to_output=True)
        return messages

    @staticmethod
    def get_default_config() -> dict[Text, Any]:
        """The intent classifier's settings; one question needs less freedom than eighty."""
        return {**TfidfLogisticRegressionClassifier.get_default_config(), "C": 10.0}


def crisis_threshold(text: str) -> float:
    """The crisis probability from which this classifier alone names a crisis."""
    han, words = count_scripts(text)
    short = han <= CRISIS_SHORT_MAX_HAN and words <= CRISIS_SHORT_MAX_WORDS
    return CRISIS_MIN_CONFIDENCE_SHORT if short else CRISIS_MIN_CONFIDENCE


def _with_crisis_probability(ranking: list[dict[str, Any]], probability: float,
                             threshold: float = CRISIS_MIN_CONFIDENCE) -> list[dict[str, Any]]:
    """The ranking with P(crisis) = `probability` and the other intents sharing the rest in
    their proportions. Below the threshold crisis leaves the ranking, so it neither
    answers nor makes the fallback think two intents are too close to call."""
    others = [dict(candidate) for candidate in ranking if candidate.get("name") != CRISIS_INTENT]
    ranked_crisis = sum(float(c["confidence"]) for c in ranking if c.get("name") == CRISIS_INTENT)
    counts = probability >= threshold
    share = (1.0 - probability if counts else 1.0) / max(1.0 - ranked_crisis, 1e-9)
    for candidate in others:
        candidate["confidence"] = float(candidate["confidence"]) * share
    if counts:
        others.append({"name": CRISIS_INTENT, "confidence": probability})
    return sorted(others, key=lambda candidate: -candidate["confidence"])
