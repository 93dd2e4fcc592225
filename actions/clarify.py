"""Asks "Did you mean…?" when the NLU is unsure, instead of guessing."""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions._base import LAST_ANSWER_SLOT, KnowledgeAction
from actions.faq import FAQ_INTENT_PREFIX
from actions.formatting import HUMAN_REFERRAL_BUTTON
from actions.knowledge_access import ask
from actions.statistics import STAT_INTENT_PREFIX
from knowledge import repository

MAX_CANDIDATES = 3
# Below this an intent is noise, not a candidate worth offering.
MIN_CANDIDATE_CONFIDENCE = 0.08
NOT_OFFERED = {"nlu_fallback", "out_of_scope", "greet", "goodbye", "thank", "ask_period_followup"}
BASE_INTENT_TITLES = {
    "help": "What can you answer?",
    "human_handoff": "Talk to a person",
    "bot_challenge": "Are you a bot?",
    "ask_unknown_statistic": "Which figures do you have?",
}
NOT_UNDERSTOOD = (
    "Sorry, I'm not sure I understood. I can help with China's public legal services "
    "(legal aid, the 12348 hotline, mediation, notarization, arbitration, judicial "
    "appraisal, lawyers) and official figures about them. Could you rephrase? "
    "To talk to a person, call the 12348 public legal service hotline."
)


class ActionClarify(KnowledgeAction):
    """Offer the best 2–3 candidate topics as buttons, or say what the bot can do."""

    def name(self) -> Text:
        """Return the action name."""
        return "action_clarify"

    async def answer(
        self, dispatcher: CollectingDispatcher, tracker: Tracker
    ) -> List[Dict[Text, Any]]:
        """Utter the candidates from the intent ranking, best first."""
        buttons = []
        for candidate in tracker.latest_message.get("intent_ranking") or []:
            name = candidate.get("name") or ""
            if name in NOT_OFFERED or (candidate.get("confidence") or 0) < MIN_CANDIDATE_CONFIDENCE:
                continue
            title = await self._title(name)
            if title:
                buttons.append({"title": title, "payload": f"/{name}"})
            if len(buttons) == MAX_CANDIDATES:
                break
        if not buttons:
            dispatcher.utter_message(text=NOT_UNDERSTOOD, buttons=[HUMAN_REFERRAL_BUTTON])
            return [SlotSet(LAST_ANSWER_SLOT, "not_understood")]
        if HUMAN_REFERRAL_BUTTON["payload"] not in {b["payload"] for b in buttons}:
            buttons.append(HUMAN_REFERRAL_BUTTON)
        dispatcher.utter_message(text="Did you mean one of these?", buttons=buttons)
        return [SlotSet(LAST_ANSWER_SLOT, "clarify")]

    @staticmethod
    async def _title(intent: Text) -> Optional[Text]:
        if intent in BASE_INTENT_TITLES:
            return BASE_INTENT_TITLES[intent]
        for prefix, kind in ((FAQ_INTENT_PREFIX, "faq"), (STAT_INTENT_PREFIX, "stat")):
            if intent.startswith(prefix):
                topic = await ask(repository.get_topic, key=intent[len(prefix):], kind=kind)
                return topic.title if topic else None
        return None
