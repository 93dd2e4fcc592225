"""Emergency help first, for a person in danger; then the legal route.

The knowledge router runs this before anything else when the crisis detector tagged the
message or the classifier ranks `crisis` high (rasa_addons/knowledge_router.py). A crisis
turn ends a running pre-check and never shows a figure; when the check was running and the help is
for violence at home, the check's outcome follows the help (actions/eligibility_outcome.py).
"""
from __future__ import annotations

from typing import Any, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import REQUESTED_SLOT

from actions._base import conversation_language, latest_intent, latest_text, ranked_problem_kind
from actions.eligibility_outcome import Outcome, check_is_running, outcome_after_violence_at_home
from actions.knowledge_access import KnowledgeUnavailable, ask
from actions.problems import format_routes
from actions.texts import say
from assistant.contract import (
    CHECK_ELIGIBILITY_INTENT,
    CRISIS_ENTITY,
    CRISIS_SITUATIONS,
    ELIGIBILITY_ANSWERS_SLOT,
    ELIGIBILITY_RESULT_SLOT,
    LAST_ANSWER_SLOT,
    LAST_PROBLEM_SLOT,
    VIOLENCE_AT_HOME,
    problem_intent,
    problem_kind_of,
)
from assistant.check_follow_ups import is_short
from assistant.last_answer import LastAnswer
from knowledge import routes
from knowledge.eligibility import get_eligibility_table

# The classifier alone (no pattern) names no situation: cover danger and despair, unless a kind
# of problem it ranks next names one ("he came home drunk again and i locked myself in the
# bathroom": violence at home, whose help names 12338 and the protection order).
UNNAMED_CRISIS = ("danger_now", "self_harm")
SITUATION_OF_PROBLEM = {VIOLENCE_AT_HOME: VIOLENCE_AT_HOME}
MIN_RANKED_PROBLEM = 0.05
RANKS_READ = 4
# Kinds of problem whose legal route the crisis help already gives.
COVERED_BY_CRISIS_HELP = {VIOLENCE_AT_HOME: VIOLENCE_AT_HOME}
# A crisis named by the classifier alone, in a message it also reads as a kind of problem ranked
# this high ("the school is holding my passport…", "债主都找上门了 我想离婚"): the emergency help
# first, then that problem's routes, so a story the classifier over-read is still answered.
MIN_ROUTED_PROBLEM = 0.06
# A short cry tells no story ("so tired of living. not sleep tired. the other kind" ranks
# dismissal 0.07): only a problem ranked this high is routed after its help.
MIN_ROUTED_PROBLEM_SHORT = 0.3


def problem_told_in_crisis(tracker: Tracker) -> str | None:
    """The kind of problem the message tells: its intent, or a problem ranked behind the crisis."""
    kind = problem_kind_of(latest_intent(tracker))
    if kind is not None:
        return kind
    least = MIN_ROUTED_PROBLEM_SHORT if is_short(latest_text(tracker)) else MIN_ROUTED_PROBLEM
    return ranked_problem_kind(tracker, least, RANKS_READ)


def detected_situations(tracker: Tracker) -> set[str]:
    """The situations the crisis detector's patterns found in the latest message."""
    return {str(entity.get("value")) for entity in tracker.latest_message.get("entities") or []
            if entity.get("entity") == CRISIS_ENTITY}


def crisis_situations(tracker: Tracker) -> tuple[str, ...]:
    """Return the situations the detector found in the latest message, most urgent first."""
    found = detected_situations(tracker)
    named = tuple(situation for situation in CRISIS_SITUATIONS if situation in found)
    if named:
        return named
    for candidate in (tracker.latest_message.get("intent_ranking") or [])[:RANKS_READ]:
        situation = SITUATION_OF_PROBLEM.get(problem_kind_of(str(candidate.get("name") or "")) or "")
        if situation is not None and (candidate.get("confidence") or 0.0) >= MIN_RANKED_PROBLEM:
            return ("danger_now", situation)
    return UNNAMED_CRISIS


class ActionCrisisHelp(Action):
    """Utter emergency numbers first, then what can follow, then the problem's routes."""

    def name(self) -> Text:
        """Return the action name."""
        return "action_crisis_help"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[Text, Any]
    ) -> list[dict[Text, Any]]:
        """Give the help; if the knowledge base is down, the domain's numbers instead."""
        language = conversation_language(tracker)
        situations = crisis_situations(tracker)
        kind = problem_told_in_crisis(tracker)
        if COVERED_BY_CRISIS_HELP.get(kind or "") in situations:
            kind = None
        try:
            helps = await ask(routes.list_crisis_help, situations=situations, language=language)
            route = await ask(routes.get_problem_route, kind=kind, language=language) if kind else None
        except KnowledgeUnavailable:
            helps, route = [], None
        outcome = await _outcome_of_the_check(tracker, language) if helps else None
        if not helps:
            # The emergency numbers never depend on the knowledge base.
            dispatcher.utter_message(response="utter_crisis_fallback")
        else:
            dispatcher.utter_message(text="\n\n".join(help_.help.strip() for help_ in helps))
            after = [help_.legal_route.strip() for help_ in helps if help_.legal_route]
            # Legal aid without a means test for violence at home: the pre-check confirms it
            # (or has, when it was running: its outcome follows).
            offer_check = VIOLENCE_AT_HOME in situations and outcome is None
            dispatcher.utter_message(text="\n".join(
                [say(language, "crisis_when_safe"), *after, say(language, "crisis_legal_help")]
            ), buttons=[{"title": say(language, "check_offer_button"),
                         "payload": f"/{CHECK_ELIGIBILITY_INTENT}"}] if offer_check else None)
        if route is not None:
            dispatcher.utter_message(text="\n".join(
                [say(language, "crisis_your_problem", title=route.title), format_routes(route, language)]
            ))
        if outcome is not None:
            # The person was asking about legal aid: after the help, the check's answer to that.
            dispatcher.utter_message(text=outcome.text, buttons=outcome.buttons)
        # A crisis turn ends a running pre-check: its next question would talk over the help.
        routed = (problem_intent(route.key),) if route is not None else ()
        # The problem whose routes a question asked next is about ("what should i keep as
        # evidence"): the one shown, or the one whose legal route the help itself gave.
        covered = next((problem_intent(kind) for kind, situation in COVERED_BY_CRISIS_HELP.items()
                        if situation in situations), None)
        last_problem = routed[0] if routed else covered
        answered = LastAnswer("crisis", intents=routed, situations=tuple(situations)) if outcome is None else (
            LastAnswer("eligibility", rule=outcome.rule, situations=tuple(situations)))
        return [ActiveLoop(None), SlotSet(REQUESTED_SLOT, None), SlotSet(LAST_ANSWER_SLOT, answered.to_slot()),
                *([SlotSet(LAST_PROBLEM_SLOT, last_problem)] if last_problem else []),
                *([SlotSet(ELIGIBILITY_RESULT_SLOT, outcome.rule), SlotSet(ELIGIBILITY_ANSWERS_SLOT, outcome.answers),
                   *[SlotSet(question, None) for question in outcome.answers]] if outcome is not None else [])]


async def _outcome_of_the_check(tracker: Tracker, language: str) -> Outcome | None:
    """The pre-check's outcome, when violence at home is told while it runs: the check asked about
    legal aid, and the help for it settles that (Art. 32). The emergency help still comes first."""
    # Told in words the patterns know, not only ranked by the classifier: the outcome is a legal reading.
    if VIOLENCE_AT_HOME not in detected_situations(tracker) or not check_is_running(tracker):
        return None
    try:
        table = await ask(get_eligibility_table, language=language)
    except KnowledgeUnavailable:
        return None
    return outcome_after_violence_at_home(tracker, table, language)
