"""When a message asks for the legal-aid pre-check about the person's own case (issue #21).

"can my friend get legal aid, hes deaf and the police took him in", "包工头卷钱跑了…能不能给我们
法律援助", "不是欠薪 是工伤" after the check's outcome, "even tho i have a job?" after the help for
violence at home: each asks whether legal aid covers this person, which the pre-check answers
(it reads the story told just before, actions/eligibility_context.py). Split from
assistant/follow_up.py, which asks `check_request` first. Pure standard library.
"""
from __future__ import annotations

import re

from assistant.contract import (
    AFTER_ELIGIBILITY_OUTCOME,
    CHECK_ELIGIBILITY_INTENT,
    STORY_MIN_HAN_CHARACTERS,
    STORY_MIN_LATIN_WORDS,
    VIOLENCE_AT_HOME,
    problem_answered,
)
from assistant.figure_follow_ups import FALLBACK_INTENT, UNSURE_BELOW
from assistant.language import count_scripts
from assistant.last_answer import LastAnswer
from assistant.question_words import (
    ASKS_FOR_A_FREE_LAWYER,
    ASKS_HOW_TO_APPLY,
    ASKS_IF_LEGAL_AID_FOR_ME,
    MENTIONS_MEANS,
    WANTS_TO_APPLY,
    revises_an_answer,
)

# A follow-up is short: longer messages carry their own topic.
MAX_FOLLOW_UP_HAN = 16
MAX_FOLLOW_UP_WORDS = 10
# After the routes for a problem, people ask one more thing in a full sentence ("is there a free
# way to sort this out without going to court"): a follow-up may be longer there.
MAX_LONG_FOLLOW_UP_HAN = 24
MAX_LONG_FOLLOW_UP_WORDS = 16
# Questions on who gets legal aid in general: asked with a story, they ask about the person's case.
GENERAL_LEGAL_AID_QUESTIONS = ("faq_legal_aid_eligibility", "faq_legal_aid_matters", "faq_legal_aid_what")
ELIGIBILITY_QUESTION = GENERAL_LEGAL_AID_QUESTIONS[0]
CRIMINAL_LEGAL_AID_INTENT = "faq_legal_aid_criminal"
SUSPECT_PROBLEM = "problem_criminal_suspect"
# Criminal legal aid asked for someone with a fact that decides it ("can my friend get legal aid,
# hes deaf", "我弟才16 被抓了 能申请法援吗": a lawyer is appointed, Art. 25): that person's case,
# which the check concludes at once. Without one ("can my son get legal aid, he was arrested"),
# or in general ("犯罪嫌疑人能申请法律援助吗"), the answer on criminal legal aid lists the cases.
NAMES_SOMEONE = re.compile(r"我|他|她|咱|\b(?:i|we|my|our|he|she|his|her|hes|shes|him)\b", re.IGNORECASE)
DECIDING_DEFENCE_FACT = re.compile(
    r"聋|盲|哑|残疾|未成年|精神病|智力|\d{1,2}岁|才\d{1,2}(?!\d)|死刑|无期"
    r"|\b(?:deaf|blind|mute|disabled|disability|minor|under 18|\d{1,2} years old|mental\w*"
    r"|death penalty|life sentence)\b",
    re.IGNORECASE)

# "can i apply for legal aid", "能申请法律援助不" and nothing else: whether the writer qualifies,
# which the check answers, not how to apply (asked with how, where or a place, it stays that).
ASKS_ONLY_IF_I_QUALIFY = re.compile(
    r"^(?:so |and |hi |hello )?(?:can|could|may) (?:i|we) (?:even |still |also )?(?:apply for|get|qualify for) "
    r"(?:free )?legal aid\W*$"
    r"|^(?:那|请问|你好)?\W*(?:我|我们|俺)?(?:能|可以|能不能|可不可以)(?:申请|找|用)(?:法律援助|法援)(?:吗|不|么|嘛)?\W*$",
    re.IGNORECASE)


def is_short(text: str) -> bool:
    """Whether a message is short enough to be a follow-up."""
    han, words = count_scripts(text)
    return han <= MAX_FOLLOW_UP_HAN and words <= MAX_FOLLOW_UP_WORDS


def is_a_long_follow_up(text: str) -> bool:
    """Whether a message is short enough to be a follow-up in a full sentence."""
    han, words = count_scripts(text)
    return han <= MAX_LONG_FOLLOW_UP_HAN and words <= MAX_LONG_FOLLOW_UP_WORDS
# "why not", "为啥不行" after the outcome: why the matter or the means decided it.
ASKS_WHY = re.compile(r"^\W*(?:but |so |and )?why(?: not| is that| cant i| can't i| not covered)?\W*$"
                      r"|^\W*(?:那|可是|但是)?(?:为什么|为啥|凭什么|咋)(?:不行|不能|不给|不可以|呢|啊)?\W*$",
                      re.IGNORECASE)
MATTERS_QUESTION = GENERAL_LEGAL_AID_QUESTIONS[1]
# The outcomes a "why not" asks about: a matter off the national list, means above the line, or a
# suspect's (knowledge/data/eligibility_rules.yml; a test checks these keys are there).
OUT_OF_THE_LIST_RULE = "other_matter"
NO_HARDSHIP_RULE_SUFFIX = "no_hardship"
DEFENCE_RULE_PREFIX = "defence_"


def is_a_story(text: str) -> bool:
    """Whether a message is as long as a story (StoryPreference's measure)."""
    han, words = count_scripts(text)
    return han >= STORY_MIN_HAN_CHARACTERS or words >= STORY_MIN_LATIN_WORDS


def _asks_for_own_case(text: str, simplified: str, intent: str, confidence: float,
                       last_problem: str | None) -> bool:
    """A problem, or an answer that is a problem's too (contract.PROBLEM_OF_AN_ANSWER), asked with
    "can I get legal aid": the person's own case."""
    if not ASKS_IF_LEGAL_AID_FOR_ME.search(simplified):
        return False
    return (problem_answered(intent) is not None or intent in (FALLBACK_INTENT, CHECK_ELIGIBILITY_INTENT)
            or (intent in GENERAL_LEGAL_AID_QUESTIONS and is_a_story(text))
            # "能找法援不" after the routes for a problem: for that problem.
            or (intent in GENERAL_LEGAL_AID_QUESTIONS[:2] and last_problem is not None)
            # "would legal aid cover any of this" after a problem's routes, however it was read.
            or (last_problem is not None and confidence < UNSURE_BELOW)
            or (intent == CRIMINAL_LEGAL_AID_INTENT and NAMES_SOMEONE.search(simplified) is not None
                and DECIDING_DEFENCE_FACT.search(simplified) is not None))


def check_request(text: str, simplified: str, intent: str, confidence: float,
                  previous_answer: LastAnswer | None, last_problem: str | None) -> str | None:
    """The intent a message asking about the person's own legal aid means (the pre-check, or
    after its outcome, who qualifies and how to apply), or None when it asks nothing of the kind."""
    after_outcome = previous_answer is not None and previous_answer.kind == "eligibility"
    if intent == SUSPECT_PROBLEM and ASKS_FOR_A_FREE_LAWYER.search(simplified):
        # "my brother got arrested…, does he get a free lawyer": the answer on legal aid in criminal
        # cases, which starts the check for him (actions/faq.py), not only the suspect's routes.
        return CRIMINAL_LEGAL_AID_INTENT
    if _asks_for_own_case(text, simplified, intent, confidence, last_problem):
        return CHECK_ELIGIBILITY_INTENT
    if ASKS_ONLY_IF_I_QUALIFY.search(simplified.strip()):
        # Asked again after the outcome ("那我能申请法律援助吗"): where and how to apply.
        return AFTER_ELIGIBILITY_OUTCOME if after_outcome else CHECK_ELIGIBILITY_INTENT
    if after_outcome and revises_an_answer(simplified):
        # The outcome repeats what was read and invites a correction: the check reads it again.
        return CHECK_ELIGIBILITY_INTENT
    if after_outcome and ASKS_WHY.search(simplified):
        rule = (previous_answer.rule or "") if previous_answer is not None else ""
        if rule.startswith(DEFENCE_RULE_PREFIX):
            return CRIMINAL_LEGAL_AID_INTENT
        if rule == OUT_OF_THE_LIST_RULE:
            return MATTERS_QUESTION
        if rule.endswith(NO_HARDSHIP_RULE_SUFFIX):
            return ELIGIBILITY_QUESTION
    remarks_on_means = is_short(text) and MENTIONS_MEANS.search(simplified) and confidence < UNSURE_BELOW
    if after_outcome and remarks_on_means:
        # "i earn ok money though, does that matter" after the outcome: who qualifies, and why.
        return ELIGIBILITY_QUESTION
    if (remarks_on_means and previous_answer is not None and previous_answer.kind == "crisis"
            and VIOLENCE_AT_HOME in previous_answer.situations):
        # "even tho i have a job?" after the help for violence at home: the check, on the story told.
        return CHECK_ELIGIBILITY_INTENT
    if WANTS_TO_APPLY.search(simplified.strip()) and not ASKS_HOW_TO_APPLY.search(simplified):
        # "我想申请法律援助": the pre-check first; after its outcome, where and how to apply.
        return AFTER_ELIGIBILITY_OUTCOME if after_outcome else CHECK_ELIGIBILITY_INTENT
    return None
