"""Asks "Did you mean…?" when the NLU is unsure, instead of guessing."""
from __future__ import annotations

from typing import Any, Text

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions._base import KnowledgeAction, classified_confidence, conversation_language
from actions.knowledge_access import ask
from actions.texts import CATALOGUE, referral_button, say
from assistant.contract import (
    LAST_ANSWER_SLOT,
    PERIOD_FOLLOWUP_INTENT,
    SERVICES_OF_AN_ASPECT,
    problem_kind_of,
    topic_of,
)
from assistant.last_answer import LastAnswer
from knowledge import repository, routes

MAX_CANDIDATES = 3
# The classifier this sure it was asked about one aspect ("is it free"): the router asked to
# clarify because no service was named, so the services with that aspect are offered.
ASPECT_SURE = 0.5
# Below this an intent is noise, not a candidate worth offering.
MIN_CANDIDATE_CONFIDENCE = 0.08
NOT_OFFERED = {"nlu_fallback", "out_of_scope", "greet", "goodbye", "thank", PERIOD_FOLLOWUP_INTENT}
INTENT_TITLE_PREFIX = "intent_title:"


class ActionClarify(KnowledgeAction):
    """Offer the best 2–3 candidate topics as buttons, or say what the bot can do."""

    def name(self) -> Text:
        """Return the action name."""
        return "action_clarify"

    async def answer(
        self, dispatcher: CollectingDispatcher, tracker: Tracker
    ) -> list[dict[Text, Any]]:
        """Utter the candidates from the intent ranking, best first."""
        language = conversation_language(tracker)
        ranking = list(tracker.latest_message.get("intent_ranking") or [])
        first = str((ranking[0] if ranking else {}).get("name") or "")
        # "is it free" as a first question: the services it may be about.
        aspect = first in SERVICES_OF_AN_ASPECT and classified_confidence(tracker) >= ASPECT_SURE
        candidates = [{"name": name, "confidence": 1.0} for name in SERVICES_OF_AN_ASPECT[first]] if aspect else ranking
        limit = len(candidates) if aspect else MAX_CANDIDATES
        buttons = []
        for candidate in candidates:
            name = candidate.get("name") or ""
            if name in NOT_OFFERED or (candidate.get("confidence") or 0) < MIN_CANDIDATE_CONFIDENCE:
                continue
            title = await self._title(name, language)
            if title:
                buttons.append({"title": title, "payload": f"/{name}"})
            if len(buttons) == limit:
                break
        handoff = referral_button(language)
        if not buttons:
            dispatcher.utter_message(text=say(language, "not_understood"), buttons=[handoff])
            return [SlotSet(LAST_ANSWER_SLOT, LastAnswer("not_understood").to_slot())]
        if handoff["payload"] not in {b["payload"] for b in buttons}:
            buttons.append(handoff)
        dispatcher.utter_message(text=say(language, "did_you_mean"), buttons=buttons)
        return [SlotSet(LAST_ANSWER_SLOT, LastAnswer("clarify").to_slot())]

    @staticmethod
    async def _title(intent: Text, language: Text) -> Text | None:
        base_title = INTENT_TITLE_PREFIX + intent
        if base_title in CATALOGUE["en"]:
            return say(language, base_title)
        kind_of_problem = problem_kind_of(intent)
        if kind_of_problem is not None:
            route = await ask(routes.get_problem_route, kind=kind_of_problem, language=language)
            return say(language, "problem_button", title=route.title) if route else None
        found = topic_of(intent)
        if found is None:
            return None
        kind, key = found
        topic = await ask(repository.get_topic, key=key, kind=kind, language=language)
        return topic.title if topic else None
