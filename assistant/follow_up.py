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
    CHECK_ELIGIBILITY_INTENT,
    ELIGIBILITY_OUTCOME_ANSWER,
    FAQ_INTENT_PREFIX,
    OUT_OF_SCOPE_INTENT,
    PERIOD_FOLLOWUP_INTENT,
    PROBLEM_INTENT_PREFIX,
    SERVICE_OF_STATISTIC,
    STAT_INTENT_PREFIX,
    UNKNOWN_STATISTIC_INTENT,
)
from assistant.language import count_scripts, to_simplified
from assistant.periods import read_period
from assistant.places import named_place

# A follow-up is short: longer messages carry their own topic.
MAX_FOLLOW_UP_HAN = 16
MAX_FOLLOW_UP_WORDS = 10
# The classifier this unsure of a short message has not found a topic of its own in it.
UNSURE_BELOW = 0.5
# An "out of scope" this unsure, with a follow-up word, is most likely about the last answer.
OUT_OF_SCOPE_UNSURE_BELOW = 0.8
FALLBACK_INTENT = "nlu_fallback"
# The pre-check's generic questions, which a classifier reads as being about legal aid even
# after an answer on another service ("does it cost anything" after people's mediation).
LEGAL_AID_ASPECTS = ("faq_legal_aid_cost", "faq_legal_aid_apply", "faq_legal_aid_documents",
                     "faq_legal_aid_decision_time", "faq_hotline_hours")
LEGAL_AID_TOPICS = ("faq_legal_aid_", "stat_legal_aid")
# The last answer asked the person to choose ("Did you mean…?", "Which figures?"): option words
# typed next choose a button even when the classifier reads them as a topic of their own.
CHOICE_QUESTIONS = ("clarify", "not_understood", "unknown_statistic")
MIN_TITLE_COVERAGE = 0.5
# A long story the classifier was unsure of is routed to its likeliest kind of problem when
# that kind is ranked first, this high, and this far ahead of the next intent.
MIN_STORY_PROBLEM = 0.06
MIN_STORY_LEAD = 0.01
# Shorter than a story for StoryPreference: a service question is rarely this long and unsure.
UNSURE_STORY_MIN_HAN = 16
UNSURE_STORY_MIN_WORDS = 10
# A statistics intent ranked this high answers a period question asked without figures before it.
MIN_RANKED_STATISTIC = 0.1
# Buttons chosen by typing are followed for the intents the knowledge router answers.
ANSWERED_FROM_KNOWLEDGE = (FAQ_INTENT_PREFIX, STAT_INTENT_PREFIX, PROBLEM_INTENT_PREFIX)
_NAMES_LEGAL_AID = re.compile(r"法律援助|法援|legal aid", re.IGNORECASE)
# Words that point back at the last answer, or ask one more thing about it.
_FOLLOW_UP_WORDS = re.compile(
    r"这|那|它|其|他们|她们|呢|吗|嘛|么|多久|多长|多少|贵|费|免费|收钱|交钱|哪|怎么|咋|能不能|可以|要不要|"
    r"需要|还|先|然后|过了|期限|时效|加急|多快|几天|什么时候|谁|起诉|告"
    r"|\b(it|its|they|them|their|this|that|there|those|these|he|she|him|her|do i|can i|should i|how long|"
    r"how much|how fast|where|when|who|what if|what else|free|cost|costs|fee|fees|pay|time limit|deadline|"
    r"apply|file|sue|first|then|else|since when|so|also|too|do they|does it|is it|are they)\b",
    re.IGNORECASE,
)
# Words that ask for a figure; without one, a short follow-up to a service is not about figures.
_ASKS_FOR_FIGURES = re.compile(
    r"多少|几个|几家|几名|几件|数据|数字|比例|百分|统计|人次|人数|数量|总数|规模|变化|趋势|增长|增加|减少|历年|\d"
    r"|\b(how many|how much|number|numbers|figure|figures|percent|percentage|rate|statistics|stats|count|"
    r"total|per year|a year|changed?|trend|grown|growth|increased?|decreased?|over the years)\b",
    re.IGNORECASE,
)
# "老人要赡养费 可以申请法援吗", "can legal aid help me with this": a problem told with the
# question whether legal aid is open to the person asks for the pre-check, not the routes.
_ASKS_IF_LEGAL_AID_FOR_ME = re.compile(
    r"(能|可以|能不能|可不可以|够不够|符不符合|有没有|申请得?了?).{0,4}(法律援助|法援)|(法律援助|法援).{0,6}(吗|么|不|没有)"
    r"|\b(can|could|will|would|do|does|am|is)\b.{0,40}\b(legal aid|free lawyer)\b"
    r".{0,20}\b(help|cover|me|us|him|her|this)\b"
    r"|\b(can|could|may) (i|we|he|she|they|my \w+) (get|have|apply for|receive) (free )?(legal aid|a free lawyer)\b"
    r"|\b(do i|do we|does he|does she|would i|would we) qualify\b|\b(am i|are we|is he|is she) eligible\b",
    re.IGNORECASE,
)
# Words that ask how to use a service rather than for its figures.
_ASKS_HOW = re.compile(
    r"怎么|咋|如何|哪里|哪儿|去哪|在哪|联系|电话|找谁|找他|找她|申请|流程|手续|材料|要带|多久来|上门|收费|要钱"
    r"|\b(how do|how can|how to|where|contact|phone|call|reach|apply|process|visit|find one|find them|start|next)\b",
    re.IGNORECASE,
)
# "…呢", "and …?", "what about …": the same question again, about something else.
_ASKS_THE_SAME = re.compile(r"呢[?？]?$|^(?:那|还有)|^(and|what about|how about)\b", re.IGNORECASE)
# "how do i start" is a request for the help menu, except right after the pre-check's outcome.
HELP_INTENT = "help"
# "2", "第二个", "the second one", "option 2": a choice among the buttons just offered.
_ORDINALS_EN = {"first": 1, "second": 2, "third": 3, "fourth": 4, "1st": 1, "2nd": 2, "3rd": 3, "4th": 4,
                "one": 1, "two": 2, "three": 3, "four": 4, "last": -1}
_ORDINALS_ZH = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4, "最后": -1}
_CHOICE_EN = re.compile(
    r"^(?:(?:the|option|number|no\.?|choice|#)\s*)?(\d|first|second|third|fourth|1st|2nd|3rd|4th|one|two|"
    r"three|four|last)(?:\s*(?:one|option|please|pls))?$", re.IGNORECASE)
_CHOICE_ZH = re.compile(r"^(?:选|要)?第?([一二两三四1-4]|最后)(?:个|项|种|条|一个)?(?:吧|呗)?$")


def is_short(text: str) -> bool:
    """Whether a message is short enough to be a follow-up."""
    han, words = count_scripts(text)
    return han <= MAX_FOLLOW_UP_HAN and words <= MAX_FOLLOW_UP_WORDS


def chosen_button(text: str, buttons: Sequence[dict], by_words: bool = True,
                  min_coverage: float = 0.0) -> str | None:
    """The intent of the button a typed message chooses ("2", "第二个", "公证"), or None.
    `by_words=False`: only by its number; `min_coverage`: the share of the button's title
    the words must make up ("法律援助" of "法律援助（数据）", not "lawyers" of "Lawyers sent
    to Tibet")."""
    intents = [_payload_intent(button.get("payload")) for button in buttons]
    choices = [(str(button.get("title") or ""), intent) for button, intent in zip(buttons, intents, strict=True)
               if intent]
    if not choices:
        return None
    cleaned = re.sub(r"[\s\W_]+", " ", to_simplified(text)).strip().lower()
    number = _choice_number(cleaned)
    if number is not None:
        index = len(choices) - 1 if number == -1 else number - 1
        return choices[index][1] if 0 <= index < len(choices) else None
    squeezed = cleaned.replace(" ", "")
    if not by_words or len(squeezed) < 2:
        return None
    titles = [(re.sub(r"[\s\W_]+", "", to_simplified(title)).lower(), intent) for title, intent in choices]
    matches = [intent for title, intent in titles
               if squeezed in title and len(squeezed) >= min_coverage * len(title)]
    return matches[0] if len(set(matches)) == 1 else None


def _choice_number(cleaned: str) -> int | None:
    english = _CHOICE_EN.match(cleaned)
    if english:
        word = english.group(1).lower()
        return int(word) if word.isdigit() else _ORDINALS_EN[word]
    chinese = _CHOICE_ZH.match(cleaned.replace(" ", ""))
    return _ORDINALS_ZH[chinese.group(1)] if chinese else None


def _payload_intent(payload: object) -> str | None:
    """"/faq_notarization" -> "faq_notarization"; payloads with entities are not chosen by words."""
    if isinstance(payload, str) and re.fullmatch(r"/[a-z0-9_]+", payload):
        return payload[1:]
    return None


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


def _best_ranked_statistic(ranking: Sequence[dict], intent: str) -> str | None:
    """The statistics intent ranked first among the top two (after the unclear one itself)."""
    candidates = [c for c in ranking if c.get("name") not in (FALLBACK_INTENT, intent)][:2]
    for candidate in candidates:
        name = str(candidate.get("name") or "")
        if name.startswith(STAT_INTENT_PREFIX) and (candidate.get("confidence") or 0.0) >= MIN_RANKED_STATISTIC:
            return name
    return None


def _statistic_of(intent: str) -> str | None:
    """The statistics intent about the service a FAQ intent asks about, if there is one."""
    return next((statistic for statistic, questions in SERVICE_OF_STATISTIC.items() if intent in questions), None)


def _across_figures_and_service(text: str, intent: str, unsure: bool, topic: str,
                                ranking: Sequence[dict]) -> str | None:
    """After figures, a short question on how to use that service is about the service
    ("咋联系他们" after the number of village advisers), and "…呢" naming another service
    asks for its figures ("公证处呢" after the number of lawyers)."""
    if not topic.startswith(STAT_INTENT_PREFIX):
        return None
    questions = SERVICE_OF_STATISTIC.get(topic, ())
    if (questions and (unsure or intent.startswith(STAT_INTENT_PREFIX)) and _ASKS_HOW.search(text)
            and not _ASKS_FOR_FIGURES.search(text)):
        ranked = [str(c.get("name")) for c in ranking if c.get("name") in questions]
        return ranked[0] if ranked else questions[0]
    statistic = _statistic_of(intent)
    if statistic is not None and _ASKS_THE_SAME.search(text) and not _ASKS_HOW.search(text):
        return PERIOD_FOLLOWUP_INTENT if statistic == topic else statistic
    return None


def previous_topic(previous_answer: object) -> str | None:
    """The FAQ, statistics or problem intent the previous answer gave (its first, if two)."""
    if not isinstance(previous_answer, str):
        return None
    first = previous_answer.split(",")[0]
    return first if first.startswith(ANSWERED_FROM_KNOWLEDGE) else None


def intent_in_context(text: str, intent: str, confidence: float, previous_answer: object,
                      buttons: Sequence[dict] = (), ranking: Sequence[dict] = ()) -> str:
    """The intent a message asks, read against the previous answer and the buttons it offered.

    Returns `intent` itself unless the message is a short follow-up that the classifier
    could not place, or placed on a generic legal-aid question although it is about the
    other service just answered; then the previous topic (for figures, the period
    follow-up, which the statistics action reads against the previous figures). A period
    asked with no figures before it ("十八大以来法援一共办了多少案子" as a first message) asks
    for the figures the classifier ranks best (`ranking`: Rasa's intent ranking).
    """
    topic = previous_topic(previous_answer)
    if ((intent.startswith(PROBLEM_INTENT_PREFIX) or intent == FALLBACK_INTENT)
            and _ASKS_IF_LEGAL_AID_FOR_ME.search(to_simplified(text))):
        return CHECK_ELIGIBILITY_INTENT
    story_problem = _unsure_story_problem(text, intent, ranking)
    if story_problem is not None:
        return story_problem
    asks_a_period = intent == PERIOD_FOLLOWUP_INTENT or (
        intent == FALLBACK_INTENT and not read_period(text, this_year=date.today().year).is_empty)
    if asks_a_period and not (topic or "").startswith(STAT_INTENT_PREFIX):
        ranked = _best_ranked_statistic(ranking, intent)
        if ranked is not None:
            return ranked
    if not text or not is_short(text):
        return intent
    # Words choose a button only when the classifier found no topic of its own in them
    # ("lawyers" is a topic; "公证" after "did you mean: 公证 / 司法鉴定?" chooses either way).
    button_intents = {_payload_intent(button.get("payload")) for button in buttons}
    asked_to_choose = isinstance(previous_answer, str) and previous_answer.startswith(CHOICE_QUESTIONS)
    unsure_or_among = confidence < UNSURE_BELOW or intent in button_intents
    by_words = asked_to_choose or unsure_or_among
    # Sure of a topic the buttons do not offer, the classifier yields only to most of a title.
    coverage = 0.0 if unsure_or_among else MIN_TITLE_COVERAGE
    chosen = chosen_button(text, buttons, by_words, coverage) if buttons else None
    if chosen is not None and chosen.startswith(ANSWERED_FROM_KNOWLEDGE):
        return chosen
    simplified = to_simplified(text)
    # "and in Shanghai?" after figures: a place asks for the same figures there.
    # "and in Shanghai?", "back in march 2021?" after figures: the same figures there, then.
    after_figures = topic is not None and topic.startswith(STAT_INTENT_PREFIX)
    points_back = _FOLLOW_UP_WORDS.search(simplified) or (after_figures and (
        named_place(simplified) or not read_period(simplified, this_year=date.today().year).is_empty))
    # "那我现在去哪", "how do i start" after the pre-check's outcome: how to apply.
    after_check = isinstance(previous_answer, str) and previous_answer.startswith(ELIGIBILITY_OUTCOME_ANSWER)
    if after_check and _ASKS_HOW.search(simplified) and (confidence < UNSURE_BELOW or intent in (
            FALLBACK_INTENT, OUT_OF_SCOPE_INTENT, CHECK_ELIGIBILITY_INTENT, HELP_INTENT)):
        return AFTER_ELIGIBILITY_OUTCOME
    if topic is None or not points_back:
        return intent
    # An unsure figures intent is left to the statistics action, which reads a follow-up
    # against the previous figures itself ("and arbitration cases?" is a new topic).
    unsure = intent in (FALLBACK_INTENT, UNKNOWN_STATISTIC_INTENT) or (
        confidence < UNSURE_BELOW and not intent.startswith(STAT_INTENT_PREFIX))
    unsure = unsure or (intent == OUT_OF_SCOPE_INTENT and confidence < OUT_OF_SCOPE_UNSURE_BELOW)
    across = _across_figures_and_service(simplified, intent, unsure, topic, ranking)
    if across is not None:
        return across
    misread_aspect = (intent in LEGAL_AID_ASPECTS and not topic.startswith(LEGAL_AID_TOPICS)
                      and not _NAMES_LEGAL_AID.search(simplified))
    # "is there an app" after the answer on the China Legal Service Network is not a request
    # for its figures: no figure is given unless one is asked for (issue #20).
    figures_unasked = (intent.startswith(STAT_INTENT_PREFIX) and topic.startswith(FAQ_INTENT_PREFIX)
                       and not _ASKS_FOR_FIGURES.search(simplified))
    if not (unsure or misread_aspect or figures_unasked):
        return intent
    return PERIOD_FOLLOWUP_INTENT if topic.startswith(STAT_INTENT_PREFIX) else topic
