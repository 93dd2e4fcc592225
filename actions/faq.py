"""Answers FAQ questions (intents faq_<topic>) from the knowledge base."""
from __future__ import annotations

from typing import Any, Text

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions._base import KnowledgeAction, conversation_language, latest_intent
from actions.formatting import format_date, format_source
from actions.knowledge_access import ask
from actions.texts import referral_button, say
from assistant.contract import (
    CHECK_ELIGIBILITY_INTENT,
    LAST_ANSWER_SLOT,
    PROBLEM_INTENT_PREFIX,
    problem_kind_of,
    topic_of,
)
from assistant.last_answer import LastAnswer, answer_of
from knowledge import repository, routes

# FAQ topics whose answer offers a next step as a button: topic -> (intent, button text key).
NEXT_STEP_BUTTONS = {"legal_aid_eligibility": (CHECK_ELIGIBILITY_INTENT, "check_offer_button")}
# A question about a service that also tells of a personal problem ("how do I get legal aid
# for my divorce"): the classifier's runner-up kind of problem, from this confidence, is
# offered as a button to its routes.
PROBLEM_OFFER_MIN_CONFIDENCE = 0.15


def problem_also_told(tracker: Tracker) -> str | None:
    """Return the kind of personal problem the classifier also ranks high, or None."""
    for candidate in tracker.latest_message.get("intent_ranking") or []:
        name = candidate.get("name") or ""
        if name.startswith(PROBLEM_INTENT_PREFIX) and (
            candidate.get("confidence") or 0.0
        ) >= PROBLEM_OFFER_MIN_CONFIDENCE:
            return problem_kind_of(name)
    return None


class ActionAnswerFaq(KnowledgeAction):
    """Reply with the knowledge-base answer for the recognised FAQ topic."""

    def name(self) -> Text:
        """Return the action name."""
        return "action_answer_faq"

    async def answer(
        self, dispatcher: CollectingDispatcher, tracker: Tracker
    ) -> list[dict[Text, Any]]:
        """Utter the answer, its source and review date, and the not-advice note."""
        intent = latest_intent(tracker)
        language = conversation_language(tracker)
        _kind, topic = topic_of(intent) or ("faq", "")
        answer = await ask(repository.get_answer, topic=topic, language=language)
        if answer is None:
            dispatcher.utter_message(
                text=say(language, "no_answer_yet"), buttons=[referral_button(language)]
            )
            return [SlotSet(LAST_ANSWER_SLOT, LastAnswer("missing", intents=(intent,)).to_slot())]
        source = format_source(
            answer.source_title, answer.source_date, answer.source_url, language=language
        )
        parts = [
            answer.text.strip(),
            say(language, "answer_source", source=source,
                reviewed=format_date(answer.last_reviewed, language)),
        ]
        if answer.legal_process:
            parts.append(say(language, "not_legal_advice"))
        buttons = []
        if topic in NEXT_STEP_BUTTONS:
            intent_to_start, title_key = NEXT_STEP_BUTTONS[topic]
            buttons.append({"title": say(language, title_key), "payload": f"/{intent_to_start}"})
        kind = problem_also_told(tracker)
        route = await ask(routes.get_problem_route, kind=kind, language=language) if kind else None
        if route is not None:
            buttons.append({"title": f"{say(language, 'problem_routes_button')}: {route.title}",
                            "payload": f"/{PROBLEM_INTENT_PREFIX}{route.key}"})
        dispatcher.utter_message(text="\n\n".join(parts), buttons=buttons or None)
        return [SlotSet(LAST_ANSWER_SLOT, answer_of(intent).to_slot())]
