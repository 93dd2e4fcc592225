"""The shared shape of every answering action: ask the knowledge base, reply, mark it answered."""
from __future__ import annotations

import abc
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.formatting import KNOWLEDGE_UNAVAILABLE
from actions.knowledge_access import KnowledgeUnavailable

# rasa_addons/knowledge_router.py treats an answering action that did not set this
# slot as failed, and apologises on its behalf.
LAST_ANSWER_SLOT = "last_answer"


class KnowledgeAction(Action, abc.ABC):
    """Abstract, so rasa_sdk does not register it as an action."""

    @abc.abstractmethod
    def name(self) -> Text:
        """Return the action name used in domain.yml."""

    @abc.abstractmethod
    async def answer(
        self, dispatcher: CollectingDispatcher, tracker: Tracker
    ) -> List[Dict[Text, Any]]:
        """Reply to the user and return the events for the tracker."""

    async def run(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: Dict[Text, Any],
    ) -> List[Dict[Text, Any]]:
        """Answer from the knowledge base, or apologise when it is unavailable."""
        try:
            return await self.answer(dispatcher, tracker)
        except KnowledgeUnavailable:
            dispatcher.utter_message(text=KNOWLEDGE_UNAVAILABLE)
            return [SlotSet(LAST_ANSWER_SLOT, "knowledge_unavailable")]


def latest_intent(tracker: Tracker) -> Text:
    """Return the name of the intent of the latest user message."""
    return (tracker.latest_message.get("intent") or {}).get("name") or ""


def latest_text(tracker: Tracker) -> Text:
    """Return the (normalised) text of the latest user message."""
    return tracker.latest_message.get("text") or ""
