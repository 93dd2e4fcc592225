"""The legal-aid pre-check: a Rasa form whose questions and rules are knowledge-base data.

`validate_eligibility_form` reads each answer (a button, an option number or the words of
an option), asks knowledge.eligibility which question the outcome still depends on, and
hands an unrelated question back to the dialogue (the form is resumed after the answer).
`action_ask_<question>` asks a question with its buttons; `action_eligibility_outcome`
names the outcome, the articles behind it, where to apply and what to bring.
"""
from __future__ import annotations

import abc
from typing import Any, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActionExecutionRejected, ActiveLoop, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import REQUESTED_SLOT

from actions._base import conversation_language, latest_text, ranked_problem_kind
from actions.eligibility_context import kept_answers, story_answers
from actions.eligibility_outcome import outcome_of
from actions.knowledge_access import KnowledgeUnavailable, ask
from actions.texts import say
from assistant.contract import (
    CHECK_ELIGIBILITY_INTENT,
    ELIGIBILITY_ANSWERS_SLOT,
    ELIGIBILITY_FORM,
    ELIGIBILITY_MATTER_QUESTION,
    ELIGIBILITY_NO_OPTION,
    ELIGIBILITY_RESULT_SLOT,
    ELIGIBILITY_SPECIAL_QUESTION,
    LAST_ANSWER_SLOT,
    LAST_PROBLEM_SLOT,
    STORY_ANSWERS_SLOT,
    OUT_OF_SCOPE_INTENT,
    STOP_CHECK_INTENT,
    eligibility_button_payload,
    is_leaving_word,
    problem_answered,
    problem_intent,
    problem_kind_of,
)
from assistant.language import count_scripts, to_simplified
from assistant.last_answer import LastAnswer, answer_of
from assistant.pleasantries import asks_something
from assistant.question_words import ASKS_FOR_A_TIME_LIMIT, ASKS_WHAT_ELSE
from knowledge.eligibility import EligibilityTable, get_eligibility_table, is_option_number
from knowledge.routes import get_problem_route

# An unrelated question this sure of its intent is answered, and the check resumed after it;
# a message worded as a question ("那我自己去哪儿申请") needs less.
INTERRUPTION_CONFIDENCE = 0.5
QUESTION_INTERRUPTION_CONFIDENCE = 0.4
# A problem told along with the request for the check ("my mom is 80 and my brother wont support
# her, can she get legal aid"): the classifier, sure it is the check, still ranks the kind of
# problem among the next few, this high; the story must be long enough to tell one.
MIN_TOLD_PROBLEM = 0.03
# ... unless words already answered another question (the message's, or when the check starts, the
# story's: "i lost my job and my family is really struggling" is the means, not a criminal case
# ranked at 0.03): then it must be surer.
MIN_TOLD_PROBLEM_BESIDES_ANSWERS = 0.10
TOLD_PROBLEM_RANKS = 4
MIN_STORY_HAN = 10
MIN_STORY_WORDS = 8
# Intents that never count as an unrelated question inside the check. Out of scope too:
# there it is most likely an answer the check cannot read ("香蕉"), so it says so and asks again.
NOT_AN_INTERRUPTION = {"nlu_fallback", CHECK_ELIGIBILITY_INTENT, OUT_OF_SCOPE_INTENT}
_SYSTEM_ACTIONS = {"action_listen", "action_extract_slots", ELIGIBILITY_FORM,
                   f"validate_{ELIGIBILITY_FORM}", "action_session_start"}


def question_slots(domain: dict[Text, Any]) -> list[str]:
    """The form's slots (domain.yml), which are the pre-check's question keys."""
    return list((domain.get("forms") or {}).get(ELIGIBILITY_FORM, {}).get("required_slots") or [])


def current_answers(tracker: Tracker, domain: dict[Text, Any]) -> dict[str, str]:
    return {slot: tracker.get_slot(slot) for slot in question_slots(domain)
            if isinstance(tracker.get_slot(slot), str)}


def _payload_answers(tracker: Tracker, table: EligibilityTable) -> dict[str, str]:
    """Answers a button carried as entities (only values the table knows)."""
    found = {}
    for entity in tracker.latest_message.get("entities") or []:
        question, value = entity.get("entity"), entity.get("value")
        if isinstance(value, str) and table.option(question, value) is not None:
            found[question] = value
    return found


def _interrupted_since_last_message(tracker: Tracker) -> bool:
    """Whether something else answered the user since their last message (an interruption)."""
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            return False
        if event.get("event") == "action" and event.get("name") not in _SYSTEM_ACTIONS:
            return True
    return False


def _check_started_this_turn(tracker: Tracker) -> bool:
    """Whether the check began after the latest message (after an answer that leads into it):
    then nothing is resumed."""
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            return False
        if event.get("event") == "active_loop" and event.get("name") == ELIGIBILITY_FORM:
            return True
    return False


def _skipped_as_none(table: EligibilityTable, asked: str | None, new: dict[str, str],
                     answers: dict[str, str]) -> bool:
    """Whether the person passed over the question asked to answer a later one ("我没工作了
    家里很困难" to "does any of these apply to you?"): then none of its situations is taken to
    apply, and said, so it can be corrected, instead of asking the same question again."""
    if not asked or asked in new or table.option(asked, ELIGIBILITY_NO_OPTION) is None:
        return False
    # A later question only: a correction of an earlier answer ("不是欠薪，是工伤") skips nothing.
    order = [question.key for question in table.questions]
    return any(question not in answers and order.index(question) > order.index(asked)
               for question in new if question in order)


def _told_problem_kind(tracker: Tracker, answered_by_words: bool = False) -> str | None:
    """The kind of problem the latest message tells: its intent, or, in a story that asks for
    the check, a problem the classifier ranks just behind it (surer when its words answered
    another question)."""
    message = tracker.latest_message
    kind = problem_kind_of(str((message.get("intent") or {}).get("name") or ""))
    if kind is not None:
        return kind
    han, words = count_scripts(latest_text(tracker))
    if han < MIN_STORY_HAN and words < MIN_STORY_WORDS:
        return None
    least = MIN_TOLD_PROBLEM_BESIDES_ANSWERS if answered_by_words else MIN_TOLD_PROBLEM
    return ranked_problem_kind(tracker, least, TOLD_PROBLEM_RANKS)


async def _matter_of_problem(tracker: Tracker, language: str, in_check: bool = False,
                             answered_by_words: bool = False) -> tuple[str | None, str | None, str | None]:
    """The kind of problem this message tells ("老人要赡养费 可以申请法援吗", "赡养费的事，
    儿子不给钱" in the check) or, when the check starts, the one the previous answer routed,
    and the matter and special-situation answers it implies (None where it implies none). Only
    a kind told in this message implies a special situation: "我想离婚 能申请法律援助吗" after the
    routes for a loan is no loan."""
    kind = _told_problem_kind(tracker, answered_by_words)
    told_now = kind is not None
    if kind is None and not in_check:
        previous = LastAnswer.from_slot(tracker.get_slot(LAST_ANSWER_SLOT))
        answered = problem_answered(previous.intent or "") if previous and previous.kind == "answer" else None
        kind = problem_kind_of(answered or "")
    if kind is None:
        return None, None, None
    try:
        route = await ask(get_problem_route, kind=kind, language=language)
    except KnowledgeUnavailable:
        return kind, None, None  # then the matter question is asked, as without a previous problem
    if route is None:
        return kind, None, None
    return kind, route.check_matter, route.check_special if told_now else None


async def table_or_apology(dispatcher: CollectingDispatcher, language: str) -> EligibilityTable | None:
    """The pre-check in the language, or None after telling the user the database is down."""
    try:
        return await ask(get_eligibility_table, language=language)
    except KnowledgeUnavailable:
        dispatcher.utter_message(text=say(language, "knowledge_unavailable"))
        return None


class ValidateEligibilityForm(Action):
    """Read the answer, choose the next question or end the form; hand unrelated questions back."""

    def name(self) -> Text:
        return f"validate_{ELIGIBILITY_FORM}"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[Text, Any]) -> list[dict[Text, Any]]:
        """Return the answers' slots and the next requested slot (None: the outcome is known)."""
        language = conversation_language(tracker)
        table = await table_or_apology(dispatcher, language)
        if table is None:
            return [ActiveLoop(None), SlotSet(REQUESTED_SLOT, None),
                    SlotSet(LAST_ANSWER_SLOT, LastAnswer("knowledge_unavailable").to_slot())]
        answers = current_answers(tracker, domain)
        asked = tracker.get_slot(REQUESTED_SLOT) if tracker.active_loop.get("name") == ELIGIBILITY_FORM else None
        new: dict[str, str] = {}
        retracted: set[str] = set()
        told_kind = None
        special_implied = False  # "none of these" taken from the kind of problem, and said
        # Started again by a correction of its outcome: the other answers stand.
        kept = kept_answers(tracker, latest_text(tracker)) if not asked else {}
        answers.update(kept)
        if not asked and not kept:  # a correction continues the check it corrects: no new intro
            dispatcher.utter_message(text=say(language, "check_intro"))
        # Right after a user message (not when resuming after the answer to another question;
        # a check started by the answer itself reads the message that led to it).
        answered_in_between = _interrupted_since_last_message(tracker)
        interrupted = answered_in_between and not _check_started_this_turn(tracker)
        if not interrupted:
            if asked and is_leaving_word(latest_text(tracker)):
                return [ActionExecutionRejected(ELIGIBILITY_FORM)]  # the router stops the check
            from_button = _payload_answers(tracker, table)
            typed = {} if from_button else table.match_answers(latest_text(tracker), asked)
            if not asked and not from_button and not kept:
                # "can I get legal aid for this?" after a story: the story answers too.
                typed = {**story_answers(tracker, table, typed), **typed}
            # "不是欠薪，是工伤": a recorded answer the message denies is taken back.
            retracted = set() if from_button else table.denied_answers(latest_text(tracker), answers)
            for question in retracted:
                answers.pop(question)
            if retracted:  # the "不是"/"not" of a correction is not a "none of these"
                typed = {q: v for q, v in typed.items() if v != ELIGIBILITY_NO_OPTION}
            # A correction's own words replace what was kept ("不对 是工伤" names a new matter).
            new = {q: v for q, v in {**typed, **from_button}.items() if q == asked or q not in answers or q in kept}
            # "can I get legal aid for this?" right after the routes for a kind of problem, or
            # the problem told as the answer ("my dad was killed by a car and the insurer wont
            # pay"): the kind of problem names the matter, unless the words named it already.
            # Looked up only while the matter is open or answered now (the kind is remembered then).
            matter_open = ELIGIBILITY_MATTER_QUESTION not in answers or ELIGIBILITY_MATTER_QUESTION in new
            told_kind, matter, special = (await _matter_of_problem(tracker, language, in_check=bool(asked),
                                                                   answered_by_words=bool(typed))
                                          if matter_open else (None, None, None))
            if ELIGIBILITY_MATTER_QUESTION not in new and ELIGIBILITY_MATTER_QUESTION not in answers:
                if matter is not None:
                    typed[ELIGIBILITY_MATTER_QUESTION] = new[ELIGIBILITY_MATTER_QUESTION] = matter
            # "he borrowed 20k and wont pay": a loan is no special case (Art. 32), violence at home
            # is one; the problem's kind answers that too, when it is the matter answered.
            if (special is not None and matter == new.get(ELIGIBILITY_MATTER_QUESTION)
                    and ELIGIBILITY_SPECIAL_QUESTION not in answers and ELIGIBILITY_SPECIAL_QUESTION not in new):
                new[ELIGIBILITY_SPECIAL_QUESTION] = special
                if special != ELIGIBILITY_NO_OPTION:
                    typed[ELIGIBILITY_SPECIAL_QUESTION] = special
                else:
                    special_implied = True
            assumed = _skipped_as_none(table, asked, new, answers)
            if assumed:
                new[asked] = ELIGIBILITY_NO_OPTION
                dispatcher.utter_message(text=say(language, "check_assumed_none"))
            if asked and asked not in new and not from_button and not retracted:
                intent = tracker.latest_message.get("intent") or {}
                # "I don't want to go on" (stop_check), or a question of its own: the dialogue
                # handles it (the router stops the check or answers, then the form resumes).
                needed = (QUESTION_INTERRUPTION_CONFIDENCE if asks_something(latest_text(tracker))
                          else INTERRUPTION_CONFIDENCE)
                # "nah nothing like that" asked about money: an answer ("none of these", which this
                # question does not offer, so it is asked again), whatever the classifier made of it.
                answers_not_interrupts = table.says_none_of_these(latest_text(tracker))
                if answers_not_interrupts:
                    intent = {}
                # "那我还能咋办", "起诉有时效吗" about the problem told: its routes, then the check resumes.
                simplified = to_simplified(latest_text(tracker))
                asks_about_the_problem = bool(tracker.get_slot(LAST_PROBLEM_SLOT)) and bool(
                    ASKS_WHAT_ELSE.search(simplified) or ASKS_FOR_A_TIME_LIMIT.search(simplified))
                if intent.get("name") == STOP_CHECK_INTENT or (
                        intent.get("name") not in NOT_AN_INTERRUPTION
                        and (intent.get("confidence") or 0) >= needed) or asks_about_the_problem:
                    return [ActionExecutionRejected(ELIGIBILITY_FORM)]
                if intent.get("name") != CHECK_ELIGIBILITY_INTENT and not new:
                    dispatcher.utter_message(text=say(language, "check_not_understood"))
            # Answers read from words are repeated, so a misreading shows before the outcome.
            noted = [table.option(q, v).title for q, v in typed.items()
                     if q in new and v != ELIGIBILITY_NO_OPTION]
            if noted and not is_option_number(latest_text(tracker)):
                dispatcher.utter_message(text=say(language, "check_noted",
                                                  answers=say(language, "answers_joiner").join(noted)))
            if special_implied:  # said, so it can be corrected
                dispatcher.utter_message(text=say(language, "check_special_implied"))
        answers.update(new)
        step = table.next_step(answers)
        events = [SlotSet(question, None) for question in retracted if question not in new]
        events += [SlotSet(question, value) for question, value in {**kept, **new}.items()
                   if question not in retracted or question in new]
        events.append(SlotSet(REQUESTED_SLOT, step.question))
        if step.rule is not None:
            events.append(SlotSet(ELIGIBILITY_RESULT_SLOT, step.rule.key))
        if told_kind is not None and ELIGIBILITY_MATTER_QUESTION in new:
            # "is there a time limit for suing her" after the outcome: that problem's routes.
            events.append(SlotSet(LAST_PROBLEM_SLOT, problem_intent(told_kind)))
        # Resuming, the turn's answer stays the one to the question asked in between.
        answered = (tracker.get_slot(LAST_ANSWER_SLOT) if answered_in_between else None) or answer_of(
            CHECK_ELIGIBILITY_INTENT).to_slot()
        return events + [SlotSet(LAST_ANSWER_SLOT, answered)]


class AskEligibilityQuestion(Action, abc.ABC):
    """Ask one pre-check question with a button per option (and one to stop)."""

    @property
    @abc.abstractmethod
    def question_key(self) -> str:
        """The question (form slot) this action asks."""

    def name(self) -> Text:
        return f"action_ask_{self.question_key}"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[Text, Any]) -> list[dict[Text, Any]]:
        """Utter the question; after an unrelated answer, say the check goes on."""
        language = conversation_language(tracker)
        table = await table_or_apology(dispatcher, language)
        if table is None:
            return [SlotSet(LAST_ANSWER_SLOT, LastAnswer("knowledge_unavailable").to_slot())]
        question = table.question(self.question_key)
        buttons = [{"title": option.title, "payload": eligibility_button_payload(question.key, option.value)}
                   for option in question.options]
        buttons.append({"title": say(language, "check_stop_button"), "payload": f"/{STOP_CHECK_INTENT}"})
        text = question.prompt
        answered = answer_of(CHECK_ELIGIBILITY_INTENT).to_slot()
        if _interrupted_since_last_message(tracker):
            if not _check_started_this_turn(tracker):
                text = say(language, "check_resume") + ("" if language == "zh" else " ") + text
            # The turn's answer is the one given before the question ("要交钱吗" in between, or
            # the answer that led into the check): follow-ups and the evaluation read it.
            answered = tracker.get_slot(LAST_ANSWER_SLOT) or answered
        dispatcher.utter_message(text=text, buttons=buttons)
        return [SlotSet(LAST_ANSWER_SLOT, answered)]


class AskMatter(AskEligibilityQuestion):
    question_key = "elig_matter"


class AskDefence(AskEligibilityQuestion):
    question_key = "elig_defence"


class AskSpecialSituation(AskEligibilityQuestion):
    question_key = "elig_special"


class AskMeans(AskEligibilityQuestion):
    question_key = "elig_means"


def _reset(domain: dict[Text, Any]) -> list[dict[Text, Any]]:
    """The check's slots emptied; also what a story told of the person, which a check that has
    ended (with its answers confirmed or corrected, or stopped) must not bring back."""
    return [SlotSet(slot, None) for slot in question_slots(domain)] + [
        SlotSet(REQUESTED_SLOT, None), SlotSet(STORY_ANSWERS_SLOT, None)]


class ActionEligibilityOutcome(Action):
    """Give the outcome: which case it is, the articles, where to apply and what to bring."""

    def name(self) -> Text:
        return "action_eligibility_outcome"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[Text, Any]) -> list[dict[Text, Any]]:
        """Utter the outcome and clear the answers (the rule behind it stays for follow-ups)."""
        language = conversation_language(tracker)
        answers = current_answers(tracker, domain)
        table = await table_or_apology(dispatcher, language)
        if table is None:
            return _reset(domain) + [SlotSet(LAST_ANSWER_SLOT, LastAnswer("knowledge_unavailable").to_slot())]
        outcome = outcome_of(table, answers, language)
        if outcome is None:
            # The check ended without an outcome (it already said why).
            return _reset(domain) + [SlotSet(LAST_ANSWER_SLOT, LastAnswer("eligibility", rule="none").to_slot())]
        dispatcher.utter_message(text=outcome.text, buttons=outcome.buttons)
        answered = LastAnswer("eligibility", rule=outcome.rule).to_slot()
        if _check_started_this_turn(tracker) and _interrupted_since_last_message(tracker):
            # The check followed the answer to the question asked ("my son was arrested, can he
            # get legal aid?"): the turn stays that answer, with the outcome as its next step.
            answered = tracker.get_slot(LAST_ANSWER_SLOT) or answered
        return _reset(domain) + [SlotSet(ELIGIBILITY_RESULT_SLOT, outcome.rule),
                                 SlotSet(ELIGIBILITY_ANSWERS_SLOT, answers), SlotSet(LAST_ANSWER_SLOT, answered)]


class ActionStopEligibilityCheck(Action):
    """End the check on "stop", "不查了" or /cancel (or say that none is running)."""

    def name(self) -> Text:
        return "action_stop_eligibility_check"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[Text, Any]) -> list[dict[Text, Any]]:
        """Deactivate the form and forget its answers."""
        language = conversation_language(tracker)
        running = tracker.active_loop.get("name") == ELIGIBILITY_FORM
        dispatcher.utter_message(text=say(language, "check_stopped" if running else "check_not_running"))
        return [ActiveLoop(None), *_reset(domain), SlotSet(ELIGIBILITY_ANSWERS_SLOT, None),
                SlotSet(LAST_ANSWER_SLOT, answer_of(STOP_CHECK_INTENT).to_slot())]


__all__ = ["ActionEligibilityOutcome", "ActionStopEligibilityCheck", "AskDefence", "AskMatter",
           "AskMeans", "AskSpecialSituation", "ValidateEligibilityForm"]
