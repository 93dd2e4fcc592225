"""Routes a personal legal problem (intents problem_<kind>) to the free and public channels."""
from __future__ import annotations

from typing import Any, Text

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions._base import KnowledgeAction, conversation_language, latest_intent, latest_text
from actions.formatting import format_date, format_source
from actions.eligibility_context import kept_story_answers, story_slot
from actions.knowledge_access import KnowledgeUnavailable, ask
from actions.texts import referral_button, say
from assistant.contract import (
    CHECK_ELIGIBILITY_INTENT,
    LAST_ANSWER_SLOT,
    LAST_PROBLEM_SLOT,
    STORY_ANSWERS_SLOT,
    problem_kind_of,
)
from assistant.last_answer import LastAnswer, answer_of
from knowledge import routes
from knowledge.eligibility import get_eligibility_table
from knowledge.views import ProblemRouteView


def format_routes(route: ProblemRouteView, language: str) -> str:
    """The numbered routes and the time limit: what a person needs first."""
    steps = "\n".join(f"{number}. {step}" for number, step in enumerate(route.routes, start=1))
    return "\n".join([steps, say(language, "problem_time_limit", time_limit=route.time_limit)])


def format_problem_answer(route: ProblemRouteView, language: str) -> str:
    """The whole answer: not advice, the routes, time limit, legal aid, evidence, 12348, source."""
    source = format_source(route.source_title, route.source_date, route.source_url, language=language)
    parts = [
        say(language, "problem_intro", title=route.title),
        format_routes(route, language),
        say(language, "problem_legal_aid", note=route.legal_aid_note)
        + ("" if language == "zh" else " ") + say(language, "problem_check_offer"),
        say(language, "problem_evidence", evidence=route.evidence),
        say(language, "problem_human"),
        # The articles are in the time limit and legal-aid lines; `basis` (short statute
        # names) is for maintainers, not for the person asking.
        say(language, "answer_source", source=source, reviewed=format_date(route.last_reviewed, language)),
        say(language, "problem_not_advice"),
    ]
    return "\n\n".join(parts)


class ActionRouteProblem(KnowledgeAction):
    """Reply with the public routes for the kind of problem the user describes."""

    def name(self) -> Text:
        """Return the action name."""
        return "action_route_problem"

    async def answer(
        self, dispatcher: CollectingDispatcher, tracker: Tracker
    ) -> list[dict[Text, Any]]:
        """Utter the routes of the recognised kind, with the pre-check and 12348 as next steps."""
        intent = latest_intent(tracker)
        language = conversation_language(tracker)
        kind = problem_kind_of(intent) or ""
        route = await ask(routes.get_problem_route, kind=kind, language=language)
        if route is None:
            dispatcher.utter_message(text=say(language, "problem_unknown"),
                                     buttons=[referral_button(language)])
            return [SlotSet(LAST_ANSWER_SLOT, LastAnswer("missing", intents=(intent,)).to_slot())]
        buttons = [
            {"title": say(language, "check_offer_button"), "payload": f"/{CHECK_ELIGIBILITY_INTENT}"},
            referral_button(language),
        ]
        told = await _told_answers(tracker, intent, language)
        dispatcher.utter_message(text=format_problem_answer(route, language), buttons=buttons)
        return [SlotSet(LAST_ANSWER_SLOT, answer_of(intent).to_slot()), SlotSet(LAST_PROBLEM_SLOT, intent),
                SlotSet(STORY_ANSWERS_SLOT, story_slot(intent, told))]


async def _told_answers(tracker: Tracker, intent: str, language: str) -> dict[str, str]:
    """What the story tells of the person ("我是河南出来打工的"), to answer the pre-check if it is
    asked for later; a follow-up routed to the same problem ("那我要去哪告他") adds to it. Without
    the pre-check's table (the database is slow), nothing: the routes are answered all the same."""
    try:
        table = await ask(get_eligibility_table, language=language)
    except KnowledgeUnavailable:
        return {}
    return {**kept_story_answers(tracker, intent), **table.story_answers(latest_text(tracker))}
