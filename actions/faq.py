"""Answers FAQ questions (intents faq_<topic>) from the knowledge base."""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions._base import LAST_ANSWER_SLOT, KnowledgeAction, latest_intent
from actions.config import get_settings
from actions.formatting import HUMAN_REFERRAL_BUTTON, NOT_LEGAL_ADVICE, format_date, format_source
from actions.knowledge_access import ask
from knowledge import repository

FAQ_INTENT_PREFIX = "faq_"


class ActionAnswerFaq(KnowledgeAction):
    """Reply with the knowledge-base answer for the recognised FAQ topic."""

    def name(self) -> Text:
        """Return the action name."""
        return "action_answer_faq"

    async def answer(
        self, dispatcher: CollectingDispatcher, tracker: Tracker
    ) -> List[Dict[Text, Any]]:
        """Utter the answer, its source and review date, and the not-advice note."""
        intent = latest_intent(tracker)
        topic = intent[len(FAQ_INTENT_PREFIX):]
        answer = await ask(
            repository.get_answer, topic=topic, language=get_settings().language
        )
        if answer is None:
            dispatcher.utter_message(
                text=(
                    "Sorry, I don't have an answer on that yet. The 12348 public legal "
                    "service hotline can help you directly."
                ),
                buttons=[HUMAN_REFERRAL_BUTTON],
            )
            return [SlotSet(LAST_ANSWER_SLOT, f"missing:{intent}")]
        parts = [
            answer.text.strip(),
            f"Source: {format_source(answer.source_title, answer.source_date, answer.source_url)}."
            f" Last reviewed {format_date(answer.last_reviewed)}.",
        ]
        if answer.legal_process:
            parts.append(NOT_LEGAL_ADVICE)
        dispatcher.utter_message(text="\n\n".join(parts))
        return [SlotSet(LAST_ANSWER_SLOT, intent)]
