"""Reading a short message against the answer on a service (issue #21): the same service asked
of a place or a later step, "the mediation" after lawyers' mediation, and first questions too
vague to place. Pure standard library; `follow_up.intent_in_context` calls these."""
from __future__ import annotations

import re
from datetime import date

from assistant.check_follow_ups import is_a_long_follow_up, is_a_story, is_short
from assistant.contract import (
    FAQ_INTENT_PREFIX,
    LAWYER_MEDIATION_INTENT,
    LEGAL_AID_COST_INTENT,
    PEOPLES_MEDIATION_INTENT,
    FIGURE_SOURCE_INTENT,
    OUT_OF_SCOPE_INTENT,
    PERIOD_FOLLOWUP_INTENT,
    UNKNOWN_STATISTIC_INTENT,
)
from assistant.figure_follow_ups import (
    CONFIDENT_SERVICE_QUESTION,
    FALLBACK_INTENT,
    MAX_VAGUE_HAN,
    MAX_VAGUE_WORDS,
    UNSURE_BELOW,
    statistic_of,
)
from assistant.language import count_scripts
from assistant.periods import read_period
from assistant.places import named_place
from assistant.problem_follow_ups import TELLS_OF_ONESELF
from assistant.question_words import (
    ASKS_A_PRICE,
    ASKS_FOR_FIGURES,
    ASKS_HOW,
    FOLLOW_UP_WORDS,
    MONEY_OWED,
    NAMES_A_SERVICE,
    NAMES_A_SOURCE,
    NAMES_LEGAL_AID,
    NAMES_PEOPLES_MEDIATION,
    ONLY_A_PLACE,
)

LAWYER_MEDIATION_TOPICS = (LAWYER_MEDIATION_INTENT, statistic_of(LAWYER_MEDIATION_INTENT))
# "the one with lawyers", "律师那种", "有律师的那个" after people's mediation: the other kind of mediation
# ("can i bring a lawyer with me" is a question about that mediation).
_THE_ONE_WITH_LAWYERS = re.compile(r"律师(?:的)?那(?:种|个|类)|有律师的|律师调解"
                                   r"|\b(?:the|that) (?:one|kind|type) (?:with|by|run by|where) (?:the )?lawyers?\b",
                                   re.IGNORECASE)
# Who runs the mediation ("村里的调解", "社区调解员"): people's mediation, after lawyers' too.
_LOCAL_MEDIATION = re.compile(r"村|社区|街道|居委|乡镇|\b(?:village|community|neighbou?rhood|street)\b",
                              re.IGNORECASE)
# A time asked ("现在呢", "前几年呢", "what about recently"), which the period reader may not parse:
# the figures, not the service's answer again.
_SOUNDS_LIKE_A_TIME = re.compile(r"现在|目前|最近|近年|近几年|前几年|以前|之前|当时|期间|疫情|年|月"
                                 r"|\b(?:now|recently|lately|before|earlier|during|ago|years?|months?|pandemic|covid)\b",
                                 re.IGNORECASE)
# A price asked of something the classifier is this sure is out of scope ("iphone多少钱"): out of scope.
SURE_OUT_OF_SCOPE = 0.8
# A service's name typed as a choice: a few words at most.
MAX_NAME_HAN = 6
MAX_NAME_WORDS = 3


def more_of_the_service(simplified: str, intent: str, confidence: float, topic: str | None) -> str | None:
    """The FAQ answered last, asked again of a place ("hainan?" after the hotline's hours, which
    differ by province: that answer says so), of a step with no period ("裁完了不服呢", read as a
    period by the classifier); "the mediation" after lawyers' mediation ("去那调解要钱吗"), and
    "the one with lawyers" after people's mediation."""
    if (topic in LAWYER_MEDIATION_TOPICS and intent == PEOPLES_MEDIATION_INTENT
            and confidence < CONFIDENT_SERVICE_QUESTION and FOLLOW_UP_WORDS.search(simplified)
            and not NAMES_PEOPLES_MEDIATION.search(simplified) and not _LOCAL_MEDIATION.search(simplified)):
        return LAWYER_MEDIATION_INTENT
    if not (topic or "").startswith(FAQ_INTENT_PREFIX) or not is_short(simplified):
        return None
    if topic == PEOPLES_MEDIATION_INTENT and _THE_ONE_WITH_LAWYERS.search(simplified):
        return LAWYER_MEDIATION_INTENT
    place = named_place(simplified)
    if place is not None and ONLY_A_PLACE.fullmatch(re.sub(re.escape(place), " ", simplified, flags=re.IGNORECASE)):
        return topic
    if (intent == PERIOD_FOLLOWUP_INTENT and read_period(simplified, this_year=date.today().year).is_empty
            and not ASKS_FOR_FIGURES.search(simplified) and not _SOUNDS_LIKE_A_TIME.search(simplified)):
        return topic
    return None


# The legal-aid answers an unsure classifier gives a question on a price of legal aid ("法律援助一个案子
#要交500块是吧 去哪交"): the answer on its cost, which says it is free.
_READ_AS_OTHER_LEGAL_AID = (FALLBACK_INTENT, "faq_legal_aid_what", "stat_legal_aid", "faq_legal_aid_apply")


def price_of_legal_aid(text: str, intent: str, confidence: float) -> str | None:
    """The answer on what legal aid costs, for a price of it asked that the classifier placed unsurely."""
    if (intent in _READ_AS_OTHER_LEGAL_AID and confidence < UNSURE_BELOW and NAMES_LEGAL_AID.search(text)
            and ASKS_A_PRICE.search(text) and not is_a_story(text) and not MONEY_OWED.search(text)):
        return LEGAL_AID_COST_INTENT
    return None


# "how long do we have to go to court for that" after people's mediation: a question ending on that
# answer ("这个月工资…", "那个 老板欠我…" only begin with a word like it).
_POINTS_AT_IT = re.compile(r"(?:这个|那个|这样|那样)(?:的话)?(?:呢|吗|啊|呀)?\W*$"
                           r"|\b(?:for|about|with|do|does|on|after|to) (?:that|this|it)\W*$", re.IGNORECASE)


def asks_about_the_service(text: str, topic: str | None) -> bool:
    """Whether a message after the answer on a service asks about that answer (then it is no
    story of its own, however many words it has), and tells nothing of the writer's own."""
    return ((topic or "").startswith(FAQ_INTENT_PREFIX) and is_a_long_follow_up(text)
            and bool(_POINTS_AT_IT.search(text)) and not TELLS_OF_ONESELF.search(text))


def names_only_a_service(text: str) -> bool:
    """Whether a message is a service's name and no question about it ("律师", "notarization"), as a
    choice among figures is typed."""
    han, words = count_scripts(text)
    return han <= MAX_NAME_HAN and words <= MAX_NAME_WORDS and not FOLLOW_UP_WORDS.search(text) and not (
        ASKS_HOW.search(text))


def unplaced_vague_question(text: str, intent: str, confidence: float) -> str | None:
    """A first question read as something it does not say: "多少钱", "how much is it" read as a
    request for figures is a question on a price (which service's is asked next); "这个怎么弄啊"
    read, barely, as one on the figures' sources is unclear."""
    han, words = count_scripts(text)
    if han > MAX_VAGUE_HAN or words > MAX_VAGUE_WORDS or NAMES_A_SERVICE.search(text):
        return None
    placed_elsewhere = intent == OUT_OF_SCOPE_INTENT and confidence >= SURE_OUT_OF_SCOPE
    if intent in (UNKNOWN_STATISTIC_INTENT, OUT_OF_SCOPE_INTENT) and ASKS_A_PRICE.search(text) and not placed_elsewhere:
        return LEGAL_AID_COST_INTENT
    if intent == FIGURE_SOURCE_INTENT and confidence < UNSURE_BELOW and not (
            ASKS_FOR_FIGURES.search(text) or NAMES_A_SOURCE.search(text)):
        return FALLBACK_INTENT
    return None
