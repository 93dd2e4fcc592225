"""Answers FAQ questions (intents faq_<topic>) from the knowledge base."""
from __future__ import annotations

import re
from typing import Any, Text

from rasa_sdk import Tracker
from rasa_sdk.events import FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions._base import KnowledgeAction, conversation_language, latest_intent, latest_text, ranked_problem_kind
from actions.formatting import format_date, format_source
from actions.knowledge_access import ask
from actions.texts import referral_button, say
from assistant.contract import (
    ANSWERS_FOLLOWED_BY_CHECK,
    CHECK_ELIGIBILITY_INTENT,
    ELIGIBILITY_FORM,
    ELIGIBILITY_MATTER_QUESTION,
    LAST_ANSWER_SLOT,
    problem_intent,
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
# The kind of problem of a person held by the police (knowledge/data/problem_routes.yml).
SUSPECT_KIND = "criminal_suspect"
# "my brother got arrested last night, does he get a free lawyer": the general answer on legal
# aid in criminal cases, then the pre-check for this person (its first question is whether an
# appointed lawyer is required, Art. 25), instead of leaving them to ask for it.
_OWN_CRIMINAL_CASE = re.compile(
    r"(我|他|她|俺).{0,10}(被抓|被拘|拘留|逮捕|刑拘|被带走|抓走|抓了|被起诉|看守所|关起来|是被告|是嫌疑人)"
    r"|\b(my \w+|i|he|she|we)\b.{0,40}\b(arrested|detained|charged with|in custody|locked up|"
    r"in (?:the )?detention(?: cent(?:re|er)| house)?|held by (?:the )?(?:police|cops)|"
    r"picked up by (?:the )?(?:police|cops)|taken (?:away )?by (?:the )?(?:police|cops)|in jail|"
    r"the (?:suspect|defendant|accused))\b",
    re.IGNORECASE)


def problem_also_told(tracker: Tracker) -> str | None:
    """Return the kind of personal problem the classifier also ranks high, or None."""
    return ranked_problem_kind(tracker, PROBLEM_OFFER_MIN_CONFIDENCE)


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
                            "payload": f"/{problem_intent(route.key)}"})
        dispatcher.utter_message(text="\n\n".join(parts), buttons=buttons or None)
        events: list[dict[Text, Any]] = [SlotSet(LAST_ANSWER_SLOT, answer_of(intent).to_slot())]
        if (intent in ANSWERS_FOLLOWED_BY_CHECK and not tracker.active_loop.get("name")
                and _OWN_CRIMINAL_CASE.search(latest_text(tracker))):
            # The check is for the person held: a suspect's matter (the route's), not asked again,
            # whatever else the classifier ranked ("my dad is in the detention centre, can he get legal aid").
            suspect = await ask(routes.get_problem_route, kind=SUSPECT_KIND, language=language)
            if suspect is not None and not tracker.get_slot(ELIGIBILITY_MATTER_QUESTION):
                events.append(SlotSet(ELIGIBILITY_MATTER_QUESTION, suspect.check_matter))
            events.append(FollowupAction(ELIGIBILITY_FORM))
        return events
