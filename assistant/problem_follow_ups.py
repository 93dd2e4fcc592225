"""Reading a follow-up after the routes for a personal problem (issues #20, #21): a part of that
problem, a question the routes answer, or a new question of its own. Pure standard library."""
from __future__ import annotations

import re

from assistant.contract import FAQ_INTENT_PREFIX, PROBLEM_INTENT_PREFIX, STAT_INTENT_PREFIX
from assistant.figure_follow_ups import UNSURE_BELOW
from assistant.question_words import (
    ASKS_ABOUT_THE_ROUTE,
    ASKS_WHAT_ELSE,
    COURT,
    EXCEPT_LEGAL_AID,
    NAMES_A_SERVICE,
    NAMES_LEGAL_AID,
)

# After a problem's routes, a question this sure of a service is about that service ("要不要先去公证处").
CONFIDENT_ELSEWHERE = 0.8
# The legal-aid topics: a generic legal-aid question after them is about legal aid indeed.
LEGAL_AID_TOPICS = ("faq_legal_aid_", "stat_legal_aid")

# After the routes for a labour problem, "arbitration" is labour arbitration ("does arbitration
# cost money" after a dismissal), which the classifier reads as commercial arbitration.
LABOUR_PROBLEMS = ("problem_unpaid_wages", "problem_dismissal", "problem_work_injury", "problem_social_insurance")
IN_LABOUR_DISPUTES = {"faq_arbitration": "faq_labour_arbitration"}
# A public number other than 12348 asked about ("what is 96110", "打12315有用吗") after a problem's
# routes, which name the numbers that problem needs: those routes again, not the 12348 answer.
HOTLINE_INTENT = "faq_hotline_12348"
ASKS_OF_ANOTHER_HOTLINE = re.compile(
    r"(?:\b(?:what(?:'s| is)?|whats|call|calling|dial|ring)\b|打|拨打?|是什么|是干嘛|是啥|干嘛的|有用吗)\W{0,3}"
    r"(?!12348(?!\d))(?:1\d{4}|9\d{4})(?!\d)|(?<!\d)(?!12348(?!\d))(?:1\d{4}|9\d{4})(?!\d)\W{0,3}"
    r"(?:是什么|是干嘛|是啥|干嘛的|有用吗|管用吗|\bis (?:what|that|for)\b)",
    re.IGNORECASE)
# Telling of oneself ("我借给朋友五万", "my mum's surgery went wrong") is a new story, not a part
# of the problem routed.
TELLS_OF_ONESELF = re.compile(r"我|俺|\b(?:i|my|me|i'm|im|mine)\b", re.IGNORECASE)
# After the routes for a problem, a follow-up read as a kind that is part of it stays with it:
# "who pays the hospital bills now" after a traffic accident is its injury, "can i get my money
# back" after a fraud is not a consumer dispute.
PARTS_OF_A_PROBLEM = {
    "problem_traffic_accident": ("problem_personal_injury", "problem_medical"),
    "problem_work_injury": ("problem_personal_injury", "problem_medical"),
    "problem_medical": ("problem_personal_injury",),
    "problem_crime_victim": ("problem_personal_injury",),
    "problem_fraud": ("problem_consumer", "problem_loans_debts"),
    # "报警有用吗" after violence at home is its police route, not a crime of a stranger.
    "problem_domestic_violence": ("problem_crime_victim", "problem_personal_injury"),
}

def asks_about_the_route(text: str, intent: str, confidence: float) -> bool:
    """After the routes for a problem, whether a message asks what they answer ("what should i
    keep as evidence", "is there a deadline", "要是拖了好几年还能告吗"), not a new question of its
    own: a confident other problem, or legal aid by name."""
    if not (ASKS_ABOUT_THE_ROUTE.search(text) or ASKS_WHAT_ELSE.search(text)) or NAMES_LEGAL_AID.search(text):
        return False
    # "so where else can i complain" read as complaints about legal aid, which it does not name.
    other_service = intent.startswith((FAQ_INTENT_PREFIX, STAT_INTENT_PREFIX)) and not intent.startswith(
        LEGAL_AID_TOPICS)
    return not (intent.startswith(PROBLEM_INTENT_PREFIX) and confidence >= UNSURE_BELOW) and not (
        other_service and confidence >= CONFIDENT_ELSEWHERE)


def stays_with_the_problem(text: str, intent: str, confidence: float, topic: str) -> bool:
    """After a problem's routes, whether a question is about them: a part of that problem asked
    without a new story of one's own ("who pays the hospital bills now" after a road accident),
    or another public number asked about, with the 12348 answer sure of nothing but the digits."""
    if not topic.startswith(PROBLEM_INTENT_PREFIX):
        return False
    if ASKS_OF_ANOTHER_HOTLINE.search(text) and (intent == HOTLINE_INTENT or confidence < UNSURE_BELOW):
        return True
    # A part the classifier is sure is someone else's ("邻居家被偷了 报警有用吗" after violence at
    # home) is that problem of its own.
    return (intent in PARTS_OF_A_PROBLEM.get(topic, ()) and confidence < CONFIDENT_ELSEWHERE
            and not TELLS_OF_ONESELF.search(text))


def names_a_service_besides_the_court(text: str) -> bool:
    """"how long do we have to take him to court" names no service of its own: going to court is
    one of a problem's routes; nor does "除了法援还能找谁" (who else, besides legal aid)."""
    return NAMES_A_SERVICE.search(COURT.sub("", EXCEPT_LEGAL_AID.sub("", text))) is not None
