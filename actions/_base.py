"""The shared shape of every answering action: ask the knowledge base, reply, mark it answered."""
from __future__ import annotations

import abc
from typing import Any, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.knowledge_access import KnowledgeUnavailable
from actions.texts import say
from assistant.contract import (
    LANGUAGE_SLOT,
    LAST_ANSWER_SLOT,
    LAST_PROBLEM_SLOT,
    language_or_default,
    problem_kind_of,
)
from assistant.follow_up import intent_in_context
from assistant.last_answer import LastAnswer


class KnowledgeAction(Action, abc.ABC):
    """Abstract, so rasa_sdk does not register it as an action."""

    @abc.abstractmethod
    def name(self) -> Text:
        """Return the action name used in domain.yml."""

    @abc.abstractmethod
    async def answer(
        self, dispatcher: CollectingDispatcher, tracker: Tracker
    ) -> list[dict[Text, Any]]:
        """Reply to the user and return the events for the tracker."""

    async def run(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: dict[Text, Any],
    ) -> list[dict[Text, Any]]:
        """Answer from the knowledge base, or apologise when it is unavailable."""
        try:
            return await self.answer(dispatcher, tracker)
        except KnowledgeUnavailable:
            dispatcher.utter_message(text=say(conversation_language(tracker), "knowledge_unavailable"))
            return [SlotSet(LAST_ANSWER_SLOT, LastAnswer("knowledge_unavailable").to_slot())]


def latest_intent(tracker: Tracker) -> Text:
    """Return the intent of the latest user message, read against the previous answer and the
    buttons it offered (assistant/follow_up.py; the knowledge router reads it the same way)."""
    return intent_in_context(
        latest_text(tracker), classified_intent(tracker), classified_confidence(tracker),
        tracker.get_slot(LAST_ANSWER_SLOT), last_bot_buttons(tracker.events),
        tracker.latest_message.get("intent_ranking") or [], tracker.get_slot(LAST_PROBLEM_SLOT),
    )


def classified_intent(tracker: Tracker) -> Text:
    """Return the intent the NLU gave the latest user message, as it is."""
    return (tracker.latest_message.get("intent") or {}).get("name") or ""


def classified_confidence(tracker: Tracker) -> float:
    """Return the NLU's confidence in that intent."""
    return (tracker.latest_message.get("intent") or {}).get("confidence") or 0.0


def last_bot_buttons(events: list[dict[Text, Any]]) -> list[dict[Text, Any]]:
    """The buttons of the bot's last message before the latest user message."""
    for event in reversed(events or []):
        if event.get("event") == "bot":
            return list((event.get("data") or {}).get("buttons") or [])
    return []


def latest_text(tracker: Tracker) -> Text:
    """Return the (normalised) text of the latest user message."""
    return tracker.latest_message.get("text") or ""


def conversation_language(tracker: Tracker) -> Text:
    """Return the conversation's language ("en" or "zh") from the `language` slot."""
    return language_or_default(tracker.get_slot(LANGUAGE_SLOT))


def ranked_problem_kind(tracker: Tracker, min_confidence: float, ranks: int | None = None) -> Text | None:
    """The kind of problem the classifier ranks highest among its first `ranks` intents (all
    when None) with at least `min_confidence`, or None."""
    for candidate in (tracker.latest_message.get("intent_ranking") or [])[:ranks]:
        kind = problem_kind_of(str(candidate.get("name") or ""))
        if kind is not None and (candidate.get("confidence") or 0.0) >= min_confidence:
            return kind
    return None
