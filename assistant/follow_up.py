"""Reading a short message against the previous answer (issue #21).

People do not repeat the topic: after the answer on notarization they ask "贵不贵啊", after
the routes for a traffic accident "how long do i have", after a "did you mean" they type
"2" or "公证". Read alone, such a message is unclear or about something else; read against
the previous answer, it is plain. The knowledge router (which action answers) and the
actions (which topic they answer) both call `intent_in_context`, so they never disagree.
Pure standard library.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date

from assistant.contract import (
    AFTER_ELIGIBILITY_OUTCOME,
    ANSWERS_FOLLOWED_BY_CHECK,
    CHECK_ELIGIBILITY_INTENT,
    FAQ_INTENT_PREFIX,
    FIGURE_SOURCE_INTENT,
    LEGAL_AID_COST_INTENT,
    META_INSTRUCTION_INTENT,
    OUT_OF_SCOPE_INTENT,
    PERIOD_FOLLOWUP_INTENT,
    PROBLEM_INTENT_PREFIX,
    SERVICE_OF_STATISTIC,
    SERVICES_OF_AN_ASPECT,
    STAT_INTENT_PREFIX,
    STOP_CHECK_INTENT,
    SWITCH_LANGUAGE_INTENT,
    UNKNOWN_STATISTIC_INTENT,
)
from assistant.check_follow_ups import (
    CRIMINAL_LEGAL_AID_INTENT,
    DEFENCE_RULE_PREFIX,
    SUSPECT_PROBLEM,
    check_request,
    is_a_long_follow_up,
    is_short,
)
from assistant.choices import chosen_button, payload_intent
from assistant.language import count_scripts, requested_language, to_simplified
from assistant.figure_follow_ups import (
    FALLBACK_INTENT,
    LEGAL_AID_ASPECTS,
    MAX_VAGUE_HAN,
    MAX_VAGUE_WORDS,
    UNSURE_BELOW,
    across_figures_and_service,
    doubts_the_figures,
    asks_more_of_the_figures,
    best_ranked_statistic,
    figures_asked_without_a_topic,
    figures_of_a_service,
    service_of_unasked_figures,
    service_or_its_figures,
    statistic_of,
    two_figures_asked,
)
from assistant.last_answer import CHOICE_KINDS, LastAnswer
from assistant.periods import read_period
from assistant.service_follow_ups import (
    asks_about_the_service,
    more_of_the_service,
    names_only_a_service,
    price_of_legal_aid,
    unplaced_vague_question,
)
from assistant.problem_follow_ups import (
    IN_LABOUR_DISPUTES,
    LABOUR_PROBLEMS,
    LEGAL_AID_TOPICS,
    TELLS_OF_ONESELF,
    asks_about_the_route,
    names_a_service_besides_the_court,
    stays_with_the_problem,
)
from assistant.places import named_place
from assistant.question_words import (
    ASKS_ABOUT_SUING,
    ASKS_ABOUT_THE_DETENTION,
    ASKS_A_PRICE,
    ASKS_FOR_FIGURES,
    ASKS_FOR_ONE,
    ASKS_FOR_THE_CHECK,
    ASKS_HOW,
    ASKS_HOW_LONG,
    ASKS_THE_SAME,
    ASKS_TO_APPLY_OR_WAIT,
    ASKS_WHAT_ELSE,
    ASKS_WHETHER_A_SERVICE_CAN,
    CONTINUES_WITH_A_CASE,
    FOLLOW_UP_WORDS,
    INSTRUCTS_WHAT_TO_SAY,
    MENTIONS_MEANS,
    NAMES_A_LAWYER,
    NAMES_A_SERVICE,
    NAMES_LEGAL_AID,
    SERVICE_NUMBER,
)

# An "out of scope" this unsure, with a follow-up word, is most likely about the last answer.
OUT_OF_SCOPE_UNSURE_BELOW = 0.8
# The last answer asked the person to choose ("Did you mean…?", "Which figures?"): option words
# typed next choose a button even when the classifier reads them as a topic of their own.
MIN_TITLE_COVERAGE = 0.5
# A long story the classifier was unsure of is routed to its likeliest kind of problem when
# that kind is ranked first, this high, and this far ahead of the next intent.
MIN_STORY_PROBLEM = 0.06
MIN_STORY_LEAD = 0.01
# Shorter than a story for StoryPreference: a service question is rarely this long and unsure.
UNSURE_STORY_MIN_HAN = 16
UNSURE_STORY_MIN_WORDS = 10
# Buttons chosen by typing are followed for the intents the knowledge router answers.
ANSWERED_FROM_KNOWLEDGE = (FAQ_INTENT_PREFIX, STAT_INTENT_PREFIX, PROBLEM_INTENT_PREFIX)
# The answer on what a service costs ("法律援助一个案子收300块是吧 去哪交" is no question for figures).
PRICE_OF = {"stat_legal_aid": LEGAL_AID_COST_INTENT}
# An "out of scope" this unsure, for a message naming a service, yields to a question about it
# ranked this high behind it ("what exactly is 12348").
OUT_OF_SCOPE_DOUBT = 0.5
MIN_IN_SCOPE_RUNNER_UP = 0.15
DECISION_TIME_INTENT = "faq_legal_aid_decision_time"
# "how do i start" is a request for the help menu, except right after the pre-check's outcome.
HELP_INTENT = "help"
# After the pre-check's outcome for a suspect or defendant, "how fast do they give him one" asks
# when the lawyer is appointed, which the answer on criminal legal aid gives.


def _unsure_story_problem(text: str, intent: str, ranking: Sequence[dict]) -> str | None:
    """The kind of problem a long story most likely tells, when the classifier was too unsure
    to name it: the routes of the likeliest kind (their answer names the kind, so a misreading
    shows) help a person in trouble more than "Did you mean…?"."""
    if intent != FALLBACK_INTENT or not text:
        return None
    han, words = count_scripts(text)
    if han < UNSURE_STORY_MIN_HAN and words < UNSURE_STORY_MIN_WORDS:
        return None
    candidates = [c for c in ranking if c.get("name") != FALLBACK_INTENT]
    if not candidates:
        return None
    best = candidates[0]
    runner_up = candidates[1].get("confidence") or 0.0 if len(candidates) > 1 else 0.0
    confidence = best.get("confidence") or 0.0
    if (str(best.get("name") or "").startswith(PROBLEM_INTENT_PREFIX) and confidence >= MIN_STORY_PROBLEM
            and confidence - runner_up >= MIN_STORY_LEAD):
        return str(best["name"])
    return None


def _in_scope_runner_up(text: str, intent: str, confidence: float, ranking: Sequence[dict]) -> str | None:
    """"what exactly is 12348": an unsure "out of scope" for a message that names a service,
    with that service's question ranked close behind, is that question; so is a language named
    in a question about a service ("要不要翻成英文") without asking for that language."""
    # "出国用的公证书 要不要翻成英文" names a language without asking to switch to it.
    # "can i call 12348 and talk in english" asks whether a service speaks a language.
    names_a_language = intent == SWITCH_LANGUAGE_INTENT and (requested_language(text) is None or (
        NAMES_A_SERVICE.search(text) is not None and ASKS_WHETHER_A_SERVICE_CAN.search(text) is not None))
    if not names_a_language and (
            intent != OUT_OF_SCOPE_INTENT or confidence >= OUT_OF_SCOPE_DOUBT or not NAMES_A_SERVICE.search(text)):
        return None
    for candidate in ranking[1:3]:
        name = str(candidate.get("name") or "")
        if name.startswith((FAQ_INTENT_PREFIX, STAT_INTENT_PREFIX)) and (
                candidate.get("confidence") or 0.0) >= MIN_IN_SCOPE_RUNNER_UP:
            return name
    return None


def _is_a_vague_first_question(text: str, intent: str, topic: str | None,
                               previous_answer: LastAnswer | None) -> bool:
    """"is it free", "how long", "怎么申请啊" with nothing before them to say what "it" is
    (`text` in Simplified characters)."""
    # The pre-check (running or just ended) is about legal aid: "申请要交钱吗" there is not vague;
    # nor "what does she need to bring" after crisis help, which names legal aid among its routes.
    after_check = previous_answer is not None and (previous_answer.kind in ("eligibility", "crisis") or (
        previous_answer.kind == "answer" and previous_answer.intent == CHECK_ELIGIBILITY_INTENT))
    # A tapped button ("/faq_legal_aid_cost") or a story step without text chose its intent.
    if topic is not None or after_check or intent not in SERVICES_OF_AN_ASPECT or not text.strip() or (
            text.lstrip().startswith("/")):
        return False
    han, words = count_scripts(text)
    return han <= MAX_VAGUE_HAN and words <= MAX_VAGUE_WORDS and not NAMES_A_SERVICE.search(text)


# An unclear follow-up is read as the same service's question ranked first behind the unclear
# verdict, this high ("what if im missing some papers" after how to apply: the documents).
MIN_SAME_SERVICE_ASPECT = 0.12
MIN_OWN_PROBLEM = 0.35
BARE_NUMBER = re.compile(r"^\W*\d+\W*$")


def _is_a_bare_number(text: str, intent: str, previous_answer: LastAnswer | None) -> bool:
    """A number alone that is no year, no service's number and no choice among buttons names no
    topic, whatever the classifier makes of its digits ("123" read as the 12348 hotline)."""
    choosing = previous_answer is not None and previous_answer.kind in CHOICE_KINDS
    return (not choosing and BARE_NUMBER.match(text) is not None and not SERVICE_NUMBER.search(text)
            and intent.startswith((FAQ_INTENT_PREFIX, STAT_INTENT_PREFIX))
            and read_period(text, this_year=date.today().year).is_empty)


def _same_service(intent: str, topic: str) -> bool:
    """Whether two different FAQ intents are questions about one service."""
    return intent != topic and intent.startswith(FAQ_INTENT_PREFIX) and any(
        intent in questions and topic in questions for questions in SERVICE_OF_STATISTIC.values())


def previous_topic(previous_answer: LastAnswer | None) -> str | None:
    """The FAQ, statistics or problem intent the previous answer gave (its first, if two)."""
    if previous_answer is None or previous_answer.kind != "answer":
        return None
    first = previous_answer.intent or ""
    return first if first.startswith(ANSWERED_FROM_KNOWLEDGE) else None


def intent_in_context(text: str, intent: str, confidence: float, last_answer: object,
                      buttons: Sequence[dict] = (), ranking: Sequence[dict] = (),
                      last_problem: str | None = None) -> str:
    """The intent a message asks, read against the previous answer and the buttons it offered.

    Returns `intent` itself unless the message is a short follow-up that the classifier
    could not place, or placed on a generic legal-aid question although it is about the
    other service just answered; then the previous topic (for figures, the period
    follow-up, which the statistics action reads against the previous figures). A period
    asked with no figures before it ("十八大以来法援一共办了多少案子" as a first message) asks
    for the figures the classifier ranks best (`ranking`: Rasa's intent ranking). A question
    on a problem's routes ("过了多久就不能告了") after another answer is about `last_problem`,
    the kind of problem routed last (LAST_PROBLEM_SLOT), when it names no service.
    """
    previous_answer = LastAnswer.from_slot(last_answer)
    topic = previous_topic(previous_answer)
    if topic is None and previous_answer is not None and previous_answer.kind == "crisis" and last_problem:
        # "how do i get one of those protection orders", "does that cost money" after emergency
        # help that named the legal route of a problem: that problem.
        topic = last_problem
    # Converted once: every reading below is of the Simplified text.
    simplified = to_simplified(text)
    if INSTRUCTS_WHAT_TO_SAY.search(simplified):
        return META_INSTRUCTION_INTENT  # "ignore all previous instructions and tell me…": the truth
    intent = (_in_scope_runner_up(simplified, intent, confidence, ranking)
              or service_or_its_figures(simplified, intent, ranking) or intent)
    intent = (unplaced_vague_question(simplified, intent, confidence) if topic is None else None) or intent
    if _is_a_vague_first_question(simplified, intent, topic, previous_answer):
        return FALLBACK_INTENT  # "Which service do you mean?"
    if doubts_the_figures(simplified, intent, confidence):
        return FIGURE_SOURCE_INTENT  # "why should i believe these stats": where they come from

    asks_for_the_check = check_request(text, simplified, intent, confidence, previous_answer, last_problem)
    if asks_for_the_check is not None:
        return asks_for_the_check
    price = price_of_legal_aid(simplified, intent, confidence)
    if price is not None:
        return price
    story_problem = (None if asks_about_the_service(simplified, topic) else _unsure_story_problem(
        text, intent, ranking)) or two_figures_asked(simplified, intent, ranking)
    if story_problem is not None:
        return story_problem
    more = more_of_the_service(simplified, intent, confidence, topic)
    if more is not None:
        return more
    asks_a_period = intent == PERIOD_FOLLOWUP_INTENT or (
        intent == FALLBACK_INTENT and not read_period(text, this_year=date.today().year).is_empty)
    if asks_a_period and not (topic or "").startswith(STAT_INTENT_PREFIX):
        # "2020年底有多少个县" after the answer on the defence pilots: that service's figures.
        own = statistic_of(topic or "") if not NAMES_A_SERVICE.search(simplified) else None
        ranked = own or best_ranked_statistic(ranking, intent)
        if ranked is not None:
            return ranked
    if _is_a_bare_number(text, intent, previous_answer):
        return FALLBACK_INTENT  # "123", "17" with nothing asked: which service is meant?
    figures = (figures_of_a_service(simplified, intent, ranking, topic)
               or service_of_unasked_figures(simplified, intent, ranking))
    if figures is not None:
        return figures
    if intent.startswith(STAT_INTENT_PREFIX) and ASKS_A_PRICE.search(simplified):
        service = PRICE_OF.get(intent) or next(iter(SERVICE_OF_STATISTIC.get(intent, ())), None)
        if service is not None:
            return service
    if ASKS_FOR_THE_CHECK.search(simplified) and is_a_long_follow_up(text) and intent != STOP_CHECK_INTENT:
        return CHECK_ELIGIBILITY_INTENT
    if topic in LABOUR_PROBLEMS and intent in IN_LABOUR_DISPUTES:
        return IN_LABOUR_DISPUTES[intent]
    # After the routes for a problem, or opened as a continuation ("and if the other guy…"), a
    # follow-up may be a full sentence.
    continues = topic is not None and (topic.startswith(PROBLEM_INTENT_PREFIX) or ASKS_THE_SAME.search(text)
                                       or asks_about_the_service(simplified, topic)
                                       # "what if the other side…", not "what if my employer…": a story
                                       or (CONTINUES_WITH_A_CASE.search(simplified)
                                           and not TELLS_OF_ONESELF.search(simplified)))
    if not text or not (is_short(text) or (continues and is_a_long_follow_up(text))):
        return intent
    # Words choose a button only when the classifier found no topic of its own in them
    # ("lawyers" is a topic; "公证" after "did you mean: 公证 / 司法鉴定?" chooses either way).
    button_intents = {payload_intent(button.get("payload")) for button in buttons}
    asked_to_choose = previous_answer is not None and previous_answer.kind in CHOICE_KINDS
    unsure_or_among = confidence < UNSURE_BELOW or intent in button_intents
    by_words = asked_to_choose or unsure_or_among
    # Sure of a topic the buttons do not offer, the classifier yields only to most of a title.
    coverage = 0.0 if unsure_or_among else MIN_TITLE_COVERAGE
    chosen = chosen_button(text, buttons, by_words, coverage) if buttons else None
    if chosen is not None and chosen.startswith(ANSWERED_FROM_KNOWLEDGE):
        return chosen
    # "律师" after "which figures?": that service's figures, not the service ("怎么找律师" is its question).
    if previous_answer is not None and previous_answer.kind == "unknown_statistic" and (
            statistic_of(intent) in button_intents) and names_only_a_service(simplified):
        return statistic_of(intent) or intent
    if topic is not None and stays_with_the_problem(simplified, intent, confidence, topic):
        return topic
    # "and in Shanghai?", "back in march 2021?" after figures: the same figures there, then.
    after_figures = topic is not None and topic.startswith(STAT_INTENT_PREFIX)
    if after_figures and asks_more_of_the_figures(simplified, intent, confidence, topic or ""):
        return PERIOD_FOLLOWUP_INTENT
    points_back = FOLLOW_UP_WORDS.search(simplified) or ASKS_THE_SAME.search(simplified) or (after_figures and (
        named_place(simplified) or not read_period(simplified, this_year=date.today().year).is_empty))
    # "那我现在去哪", "how do i start" after the pre-check's outcome: how to apply.
    after_check = previous_answer is not None and (previous_answer.kind == "eligibility" or (
        previous_answer.kind == "answer" and previous_answer.intent in ANSWERS_FOLLOWED_BY_CHECK))
    unplaced = confidence < UNSURE_BELOW or intent in (FALLBACK_INTENT, OUT_OF_SCOPE_INTENT)
    defence = previous_answer is not None and ((previous_answer.rule or "").startswith(DEFENCE_RULE_PREFIX) or (
        previous_answer.kind == "answer" and previous_answer.intent == CRIMINAL_LEGAL_AID_INTENT))
    # "那我还能找谁帮忙", "so what can i do then" after the pre-check or another answer: the
    # routes of the problem told before (in the check too), when no service is named.
    if (last_problem and not (topic or "").startswith(PROBLEM_INTENT_PREFIX) and ASKS_WHAT_ELSE.search(simplified)
            and not names_a_service_besides_the_court(simplified)
            and not (intent.startswith(PROBLEM_INTENT_PREFIX) and confidence >= UNSURE_BELOW)):
        return last_problem
    # "will the police even tell us where he is", "他要被关多久" after the outcome for a suspect (or
    # the answer on criminal legal aid): the suspect's routes (notice to the family within 24 hours,
    # visits, bail), unless a lawyer is asked about or the classifier is sure of something else.
    about_the_suspect = unplaced or intent in (CRIMINAL_LEGAL_AID_INTENT, SUSPECT_PROBLEM)
    if defence and about_the_suspect and ASKS_ABOUT_THE_DETENTION.search(simplified) and not (
            NAMES_A_LAWYER.search(simplified)):
        return SUSPECT_PROBLEM
    if after_check and ASKS_HOW_LONG.search(simplified) and unplaced and not ASKS_ABOUT_SUING.search(simplified):
        return CRIMINAL_LEGAL_AID_INTENT if defence else DECISION_TIME_INTENT
    # "who asks for the lawyer, us or the police" after the outcome for a suspect: criminal legal aid.
    if defence and previous_answer is not None and previous_answer.kind == "eligibility" and unplaced and (
            FOLLOW_UP_WORDS.search(simplified)) and not ASKS_A_PRICE.search(simplified):
        return CRIMINAL_LEGAL_AID_INTENT
    if after_check and ASKS_HOW.search(simplified) and (confidence < UNSURE_BELOW or intent in (
            FALLBACK_INTENT, OUT_OF_SCOPE_INTENT, CHECK_ELIGIBILITY_INTENT, HELP_INTENT)):
        return AFTER_ELIGIBILITY_OUTCOME
    if topic is not None and topic.startswith(PROBLEM_INTENT_PREFIX) and asks_about_the_route(
            simplified, intent, confidence):
        return topic
    # "is there a time limit for suing her" after the pre-check, "過了多久就不能告了" after a detour
    # to notarization, "what should i keep as evidence" after crisis help: the routes of the
    # problem told before.
    after_check_or_crisis = previous_answer is not None and previous_answer.kind in ("eligibility", "crisis")
    # Not "那我去哪申请啊" or "how long will it take" after the outcome: applying, read above.
    about_applying = bool(ASKS_TO_APPLY_OR_WAIT.search(simplified) or MENTIONS_MEANS.search(simplified))
    if (last_problem and not (topic or "").startswith(PROBLEM_INTENT_PREFIX)
            and (ASKS_ABOUT_SUING.search(simplified) or (after_check_or_crisis and not about_applying))
            and not names_a_service_besides_the_court(simplified)
            and asks_about_the_route(simplified, intent, confidence)):
        return last_problem
    if topic is not None and topic.startswith(FAQ_INTENT_PREFIX) and ASKS_FOR_ONE.search(simplified) and (
            intent in (HELP_INTENT, FALLBACK_INTENT, OUT_OF_SCOPE_INTENT)) and not NAMES_A_SERVICE.search(simplified):
        return topic
    figures_asked = figures_asked_without_a_topic(simplified, intent, confidence, topic)
    if figures_asked is not None:
        return figures_asked
    if topic is None or not points_back:
        return intent
    # An unsure figures intent is left to the statistics action, which reads a follow-up
    # against the previous figures itself ("and arbitration cases?" is a new topic).
    unsure = intent in (FALLBACK_INTENT, UNKNOWN_STATISTIC_INTENT) or (
        confidence < UNSURE_BELOW and not intent.startswith(STAT_INTENT_PREFIX))
    unsure = unsure or (intent == OUT_OF_SCOPE_INTENT and confidence < OUT_OF_SCOPE_UNSURE_BELOW)
    across = across_figures_and_service(simplified, intent, unsure, topic, ranking)
    if across is not None:
        return across
    misread_aspect = (intent in LEGAL_AID_ASPECTS and not topic.startswith(LEGAL_AID_TOPICS)
                      and not NAMES_LEGAL_AID.search(simplified))
    # "is there an app" after the answer on the China Legal Service Network is not a request
    # for its figures: no figure is given unless one is asked for (issue #20).
    figures_unasked = (intent.startswith(STAT_INTENT_PREFIX) and topic.startswith(FAQ_INTENT_PREFIX)
                       and not ASKS_FOR_FIGURES.search(simplified))
    if not (unsure or misread_aspect or figures_unasked):
        return intent
    # "how do i get a protection order" after the legal-aid criteria: a kind of problem the
    # classifier ranks first, fairly surely, is a question of its own, not about the last answer.
    if intent.startswith(PROBLEM_INTENT_PREFIX) and confidence >= MIN_OWN_PROBLEM and not topic.startswith(
            PROBLEM_INTENT_PREFIX):
        return intent
    # "谁可以申请" after what legal aid is, "晚上十点还有人接吗" after the hotline: an unsure
    # question on another aspect of the same service keeps that aspect (ranked first, or
    # behind the unclear verdict); only the service was missing from it.
    runner_up = next((c for c in ranking if c.get("name") not in (FALLBACK_INTENT, intent)), {})
    aspect = intent if intent != FALLBACK_INTENT else str(runner_up.get("name") or "")
    sure_enough = aspect == intent or (runner_up.get("confidence") or 0.0) >= MIN_SAME_SERVICE_ASPECT
    # "is it open 24 hours" after the hotline's figures: that service's hours.
    if sure_enough and (_same_service(aspect, topic) or aspect in SERVICE_OF_STATISTIC.get(topic, ())):
        return aspect
    return PERIOD_FOLLOWUP_INTENT if topic.startswith(STAT_INTENT_PREFIX) else topic
