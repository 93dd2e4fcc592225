"""Reading a short message about figures against the previous answer (issue #21): more of the
same figures ("and since 2013?", "cases in total?", "上海的有吗"), a service's figures after its
answer ("how many county level areas have it"), two figures asked at once, and which figures a
vague request means ("numbers?"). Split from assistant/follow_up.py, which calls these in
order. Pure standard library.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date

from assistant.contract import (
    FAQ_INTENT_PREFIX,
    OUT_OF_SCOPE_INTENT,
    PERIOD_FOLLOWUP_INTENT,
    PROBLEM_INTENT_PREFIX,
    SERVICE_OF_STATISTIC,
    STAT_INTENT_PREFIX,
    UNKNOWN_STATISTIC_INTENT,
)
from assistant.language import count_scripts
from assistant.periods import read_period
from assistant.places import named_place
from assistant.question_words import (
    ASKS_A_CONTACT,
    ASKS_A_PRICE,
    ASKS_ABOUT_A_COST,
    ASKS_ABOUT_THE_FIGURE,
    ASKS_FOR_A_DURATION,
    ASKS_FOR_FIGURES,
    ASKS_HOW,
    ASKS_THE_SAME,
    THE_SAME_PERIOD,
    DOUBTS_THE_FIGURES,
    NAMES_A_SERVICE,
    NAMES_LEGAL_AID,
    OF_SOMETHING_ELSE,
    REFERS_BACK,
    SERVICE_NUMBER,
    YES_OR_NO,
)

# A FAQ intent's figures sibling ranked this high takes a question that asks for figures
# ("刑辩全覆盖现在推到多少个县了": the pilot's FAQ and its figures are both ranked).
MIN_SIBLING_STATISTIC = 0.1

# The classifier this unsure of a short message has not found a topic of its own in it.
UNSURE_BELOW = 0.5
# A question about a service this sure of itself is not about the figures just given.
CONFIDENT_SERVICE_QUESTION = 0.9

FALLBACK_INTENT = "nlu_fallback"

# A question this short that names no service says too little to guess which it is about.
MAX_VAGUE_WORDS = 6

MAX_VAGUE_HAN = 8

# The pre-check's generic questions, which a classifier reads as being about legal aid even
# after an answer on another service ("does it cost anything" after people's mediation).
LEGAL_AID_ASPECTS = ("faq_legal_aid_cost", "faq_legal_aid_apply", "faq_legal_aid_documents",
                     "faq_legal_aid_decision_time", "faq_hotline_hours")

# Two statistics intents each ranked this high, for a message asking for figures: both were asked.
MIN_TWO_FIGURES = 0.2

# A statistics intent ranked this high answers a period question asked without figures before it.
MIN_RANKED_STATISTIC = 0.1

# After figures, "and for migrant workers", "what about rural residents", "鉴定人呢" this short
# name one more figure of the same topic (the statistics action finds which).
MAX_BARE_FIGURE_FOLLOW_UP_WORDS = 5
MAX_BARE_FIGURE_FOLLOW_UP_HAN = 8
# A bare name ("offices", "rural residents?", "律所"): no question around it.
MAX_BARE_NAME_WORDS = 3
MAX_BARE_NAME_HAN = 6
# Replies that name nothing asked for: thanks, surprise, a request for help or a source, and
# anything told of oneself or done ("i was fired", "被辞退了", "房东不退押金").
NOT_A_NAME = re.compile(
    r"^\W*(ok|okay|thanks?|thank you|thx|wow|cool|nice|great|good|help|source|i need help)\b"
    r"|^\W*(好的?|好吧|嗯|哦|谢谢|多谢|出处|来源|帮帮)|[我他她被了不没]"
    r"|\b(i|me|my|we|our|he|she|his|her|was|were|got|did|didnt|dont|wont|not)\b", re.IGNORECASE)
# A kind of problem the classifier ranks below this is no reading of a bare name.
MAX_UNSURE_PROBLEM = 0.3
# A question of another kind ("网址是啥", "那这些中心都能办啥事", "who runs them"), once the opening
# "what about" is gone: not one more figure.
ASKS_SOMETHING_ELSE = re.compile(
    r"啥|什么|怎么|咋|哪|谁|几时|为什么|能不能|可以|吗|"
    r"\b(?:what|where|how|who|when|why|which|can|could|do|does|did|is|are|should|will)\b", re.IGNORECASE)
ASKS_THE_SAME_OPENING = re.compile(r"^\W*(?:and\s+)?(?:what|how)\s+about\b", re.IGNORECASE)
# What an unsure classifier makes of a bare name that may be one more figure; greetings, thanks
# and yes-or-no answers are not.
PLACEABLE_INTENTS = (FAQ_INTENT_PREFIX, STAT_INTENT_PREFIX, PROBLEM_INTENT_PREFIX, FALLBACK_INTENT,
                     UNKNOWN_STATISTIC_INTENT, OUT_OF_SCOPE_INTENT)


def is_bare(text: str) -> bool:
    """Whether a message is a bare name or two, in one script ("rural residents?", "律所"): not
    a thanks, a request for help or a source, nor something told of oneself ("i was fired", "被辞退了")."""
    han, words = count_scripts(text)
    one_script = (not han and 0 < words <= MAX_BARE_NAME_WORDS) or (not words and 0 < han <= MAX_BARE_NAME_HAN)
    return one_script and not NOT_A_NAME.search(text)


# What is left of a bare follow-up once its asking words are gone is the name asked for.
_ASKING_WORDS = re.compile(
    r"那么|那|还有|呢|的|吗|么|有多少|多少|有没有|有吗|数据|数字|人数|一共|总共|[?？!！.。,，~]"
    r"|\b(?:and|what|about|how|for|the|of|a|an|any|many|much|number|numbers|figures?|stats?|statistics|"
    r"then|too|also|ok|okay|so|please|pls|is|are|there|do|you|have|only)\b", re.IGNORECASE)
MIN_NAME_LETTERS = 3
MIN_NAME_HAN = 2


def name_asked(text: str) -> str | None:
    """The name a bare follow-up asks figures for ("and for women?" → "women", "女性的呢" → "女性"),
    or None when the message is not bare or names nothing besides its asking words."""
    if not is_bare(text):
        return None
    name = " ".join(_ASKING_WORDS.sub(" ", text).split())
    han, _words = count_scripts(name)
    long_enough = han >= MIN_NAME_HAN if han else len(name.replace(" ", "")) >= MIN_NAME_LETTERS
    return name if long_enough and not name.isdigit() else None


def asks_figures_in_words(text: str) -> bool:
    """Whether words ask for a figure ("how many", "数据"): a bare year or amount asks for none,
    nor does a duration ("how many days", "几天")."""
    return bool(ASKS_FOR_FIGURES.search(re.sub(r"\d", " ", text))) and not ASKS_FOR_A_DURATION.search(text)


def two_figures_asked(text: str, intent: str, ranking: Sequence[dict]) -> str | None:
    """"全国现在有多少律师 村居法律顾问又有多少": the classifier, torn between two figures, was
    asked for both. The first is answered; the statistics action adds the second."""
    if intent != FALLBACK_INTENT or not ASKS_FOR_FIGURES.search(text):
        return None
    candidates = [c for c in ranking if c.get("name") != FALLBACK_INTENT][:2]
    if len(candidates) == 2 and all(str(c.get("name") or "").startswith(STAT_INTENT_PREFIX)
                                    and (c.get("confidence") or 0.0) >= MIN_TWO_FIGURES for c in candidates):
        return str(candidates[0]["name"])
    return None


def best_ranked_statistic(ranking: Sequence[dict], intent: str) -> str | None:
    """The statistics intent ranked first among the top two (after the unclear one itself)."""
    candidates = [c for c in ranking if c.get("name") not in (FALLBACK_INTENT, intent)][:2]
    for candidate in candidates:
        name = str(candidate.get("name") or "")
        if name.startswith(STAT_INTENT_PREFIX) and (candidate.get("confidence") or 0.0) >= MIN_RANKED_STATISTIC:
            return name
    return None


def statistic_of(intent: str) -> str | None:
    """The statistics intent about the service a FAQ intent asks about, if there is one."""
    return next((statistic for statistic, questions in SERVICE_OF_STATISTIC.items() if intent in questions), None)


def across_figures_and_service(text: str, intent: str, unsure: bool, topic: str,
                                ranking: Sequence[dict]) -> str | None:
    """After figures, a short question on how to use that service is about the service
    ("咋联系他们" after the number of village advisers), and "…呢" naming another service
    asks for its figures ("公证处呢" after the number of lawyers)."""
    if not topic.startswith(STAT_INTENT_PREFIX):
        return None
    questions = SERVICE_OF_STATISTIC.get(topic, ())
    # "公证处呢" after the number of notaries, "and duty lawyer help?" after the defence figures:
    # a bare "…呢" naming the same service asks for one more of its figures.
    han, words = count_scripts(text)
    if (intent in questions and ASKS_THE_SAME.search(text) and han <= MAX_BARE_FIGURE_FOLLOW_UP_HAN
            and words <= MAX_BARE_FIGURE_FOLLOW_UP_WORDS and not ASKS_HOW.search(text)
            and not ASKS_A_PRICE.search(text) and not ASKS_ABOUT_A_COST.search(text)):
        return PERIOD_FOLLOWUP_INTENT
    if intent in questions and not ASKS_FOR_FIGURES.search(text):
        return intent  # "can i call on a sunday" after the hotline's figures: its hours
    asks_for_figures = ASKS_FOR_FIGURES.search(text) or named_place(text) or not read_period(
        text, this_year=date.today().year).is_empty
    # "what do they actually do", "is the award final or can i appeal", "鉴定费能减免吗": a
    # question with no figure in it, which the classifier could not place (or read as a
    # generic legal-aid question), asks about the service whose figures were just given.
    misread_aspect = intent in LEGAL_AID_ASPECTS and not NAMES_LEGAL_AID.search(text)
    if questions and not asks_for_figures and (
            (unsure or misread_aspect) or (intent.startswith(STAT_INTENT_PREFIX) and ASKS_HOW.search(text))):
        ranked = [str(c.get("name")) for c in ranking if c.get("name") in questions]
        return ranked[0] if ranked else questions[0]
    statistic = statistic_of(intent)
    if statistic is not None and ASKS_THE_SAME.search(text) and not ASKS_HOW.search(text):
        return PERIOD_FOLLOWUP_INTENT if statistic == topic else statistic
    return None


def figures_of_a_service(text: str, intent: str, ranking: Sequence[dict], topic: str | None = None) -> str | None:
    """The figures a question about a service asks for ("刑辩全覆盖现在推到多少个县了"): the
    service's statistics intent, when the question asks for a figure (not a price) and the
    classifier ranks those figures too, or they were just given ("做调解的律师有几个")."""
    statistic = statistic_of(intent)
    # "12348热线能干什么": a hotline's number is no figure asked for; nor a price or an address.
    text = SERVICE_NUMBER.sub(" ", text)
    if statistic is None or not ASKS_FOR_FIGURES.search(text) or ASKS_A_PRICE.search(text) or (
            ASKS_A_CONTACT.search(text)) or NOT_A_COUNT.search(text):
        return None
    ranked = next((c for c in ranking[:3] if c.get("name") == statistic), None)
    # "做调解的律师有几个" right after those figures: one more of them; not "how many times can i apply".
    if topic == statistic and COUNTS_ASKED.search(text) and not ABOUT_ONESELF.search(text):
        return statistic
    if ranked is None or (ranked.get("confidence") or 0.0) < MIN_SIBLING_STATISTIC:
        return None
    return statistic


# Figures asked by what is counted ("多少件", "how many calls"), not "热线是多少" (its number),
# "收多少" (a price), "几个材料" (what to bring) or a standard.
COUNTS_ASKED = re.compile(
    r"多少(个|件|人|次|家|名|万|亿|起|位)|几(个|件|次|家|名|位)(?!材料|文件|证件)|数据|统计|"
    r"\b(how many|number of|figures|statistics|stats)\b", re.IGNORECASE)
ABOUT_ONESELF = re.compile(r"我|俺|\b(?:i|me|my|we|us|our)\b", re.IGNORECASE)
NOT_A_COUNT = re.compile(r"(热线|电话|号码|网址)(是)?多少|收多少|标准|材料|证明|工作日|几天"
                         r"|\b(dial|call|ring|documents?|papers?|certificates?|days?|steps?|forms?)\b", re.IGNORECASE)


def service_or_its_figures(text: str, intent: str, ranking: Sequence[dict]) -> str | None:
    """Too close to call between a service and its figures ("whats the hotline number": the
    hotline 0.41, its calls 0.40): the figures when the words ask for a figure, else the service."""
    if intent != FALLBACK_INTENT:
        return None
    first, second = ([str(c.get("name") or "") for c in ranking if c.get("name") != FALLBACK_INTENT] + ["", ""])[:2]
    pair = {first, second}
    service = next((name for name in pair if statistic_of(name) in pair), None)
    if service is None:
        return None
    asks_a_figure = COUNTS_ASKED.search(SERVICE_NUMBER.sub(" ", text)) is not None and not (
        ASKS_A_CONTACT.search(text) or ASKS_A_PRICE.search(text) or NOT_A_COUNT.search(text))
    return statistic_of(service) if asks_a_figure else service


def service_of_unasked_figures(text: str, intent: str, ranking: Sequence[dict]) -> str | None:
    """The service a yes-or-no question about it asks of ("现在所有刑事案件都有律师辩护吗"), when
    the classifier read it as its figures but asks for none and ranks the service too."""
    questions = SERVICE_OF_STATISTIC.get(intent, ())
    text = SERVICE_NUMBER.sub(" ", text)
    if not questions or ASKS_FOR_FIGURES.search(text) or not YES_OR_NO.search(text):
        return None
    ranked = [c for c in ranking[:3] if c.get("name") in questions
              and (c.get("confidence") or 0.0) >= MIN_SIBLING_STATISTIC]
    return str(ranked[0]["name"]) if ranked else None


def asks_more_of_the_figures(text: str, intent: str, confidence: float, topic: str) -> bool:
    """Right after figures, whether a message asks about them or for one more of the same topic:
    "as of when", "这是一年的还是累计的", "and for migrant workers", "鉴定人呢", "调解员有几个",
    "how many cases have they handled". A confident question of its own ("how many lawyers
    are there", "公证处呢", "and how do i apply") is left to the rest of the reading."""
    if intent.startswith(FAQ_INTENT_PREFIX) and confidence >= CONFIDENT_SERVICE_QUESTION:
        return False  # "is it open 24 hours" after the hotline's calls: a question of its own
    if ASKS_ABOUT_THE_FIGURE.search(text):
        return True
    if ASKS_HOW.search(text) or ASKS_A_PRICE.search(text) or ASKS_ABOUT_A_COST.search(text):
        return False
    other_figures = intent.startswith(STAT_INTENT_PREFIX) and intent != topic
    # "how many people got help" read as figures the bot does not hold: unplaced, like an unsure one.
    unsure = intent in (FALLBACK_INTENT, UNKNOWN_STATISTIC_INTENT) or confidence < UNSURE_BELOW
    if other_figures and unsure and REFERS_BACK.search(text) and ASKS_FOR_FIGURES.search(text):
        return True  # "how many cases have they handled": theirs, not legal aid's
    # "cases in total?", "how many ppl actually got aid": figures asked without naming another
    # service, which the classifier could not place, are more of the same topic's.
    if unsure and not NAMES_A_SERVICE.search(text) and asks_figures_in_words(text):
        return True
    # "and for migrant workers that year", "那农村的呢": the same question of someone else, which
    # the classifier could not place.
    placeable = (intent.startswith(PLACEABLE_INTENTS) and not NAMES_A_SERVICE.search(text)
                 and not ASKS_SOMETHING_ELSE.search(ASKS_THE_SAME_OPENING.sub("", text))
                 and not NOT_A_NAME.search(ASKS_THE_SAME_OPENING.sub("", text))
                 and not (intent.startswith(PROBLEM_INTENT_PREFIX) and confidence >= MAX_UNSURE_PROBLEM))
    if unsure and placeable and ASKS_THE_SAME.search(text):
        return True
    # "and for migrant workers that year", read fairly surely as the answer on wage arrears: the
    # figures' own period names them.
    if placeable and ASKS_THE_SAME.search(text) and THE_SAME_PERIOD.search(text):
        return True
    han, words = count_scripts(text)
    if han > MAX_BARE_FIGURE_FOLLOW_UP_HAN or words > MAX_BARE_FIGURE_FOLLOW_UP_WORDS:
        return False
    # "上海的有吗", "in guangzhou?", "农村居民的": the same figures somewhere or for someone else,
    # however sure the classifier is that a place is out of scope.
    if not NAMES_A_SERVICE.search(text) and (named_place(text) or OF_SOMETHING_ELSE.search(text)) and not (
            intent.startswith((FAQ_INTENT_PREFIX, STAT_INTENT_PREFIX)) and confidence >= UNSURE_BELOW):
        return True
    # "rural residents?", "offices", "律所": a bare name the classifier could not place is one more
    # of these figures (the statistics action finds it among the topic's, or says it has none).
    if unsure and is_bare(text) and placeable:
        return True
    # Another service's figures ("and arbitration cases?", "公证处呢"), however unsure, are read
    # by _across_figures_and_service.
    if other_figures or statistic_of(intent) is not None:
        return False
    return bool(ASKS_THE_SAME.search(text)) or (confidence < UNSURE_BELOW and bool(ASKS_FOR_FIGURES.search(text)))


# The words around a request for figures that name nothing counted ("give me some stats pls").
_REQUEST_FILLER = re.compile(
    # "我想问下那个数字": what the figure is called is the rest ("数据" beside "问个数" too).
    r"数据|数字|数|那个|这个|关于|我|想|要|查|看|问|个|点|些|一下|请|给|有|吗|呢|的|官方|帮|下|能|可以|"
    r"\b(i|want|wanna|need|to|see|show|give|get|me|some|any|the|a|an|about|ask|please|pls|plz|official|can|could|you|"
    r"have|got|do|what|are|there|your|latest|help|look up|find)\b", re.IGNORECASE)


def asks_no_figure_in_particular(text: str) -> bool:
    """"numbers?", "stats please", "我想查个数": a request for figures that says no more
    ("how many judges are there" names what it counts)."""
    han, words = count_scripts(text)
    if han > MAX_VAGUE_HAN or words > MAX_VAGUE_WORDS or not asks_figures_in_words(text):
        return False
    rest = _REQUEST_FILLER.sub(" ", ASKS_FOR_FIGURES.sub(" ", _REQUEST_FILLER.sub(" ", text)))
    return not re.search(r"[A-Za-z\u4e00-\u9fff]", rest)


def figures_asked_without_a_topic(text: str, intent: str, confidence: float, topic: str | None) -> str | None:
    """A short request for figures that names no service: after the answer on a service, its
    figures ("how many county level areas have it" after lawyer mediation); with no service
    answered before, the question which figures are meant ("numbers?", "我想查个数"), not a
    guess at one."""
    unsure = intent == FALLBACK_INTENT or confidence < UNSURE_BELOW
    # "2019年他们帮了多少案子" after the duty lawyers: theirs, whichever figures the classifier chose.
    # "how many people use it" after the WeChat channel, read as that answer again: its figures.
    own_statistic = statistic_of(topic or "")
    same_service = intent == topic or intent in SERVICE_OF_STATISTIC.get(own_statistic or "", ())
    theirs = (intent.startswith(STAT_INTENT_PREFIX) or same_service) and bool(REFERS_BACK.search(text))
    if not (unsure or theirs) or NAMES_A_SERVICE.search(text) or not asks_figures_in_words(text) or (
            ASKS_A_PRICE.search(text) or ASKS_A_CONTACT.search(text)):
        return None
    if topic is not None and topic.startswith(FAQ_INTENT_PREFIX):
        return statistic_of(topic)
    # Longer than a vague request, it names what it counts.
    if topic is None and asks_no_figure_in_particular(text) and (
            intent in (FALLBACK_INTENT, OUT_OF_SCOPE_INTENT) or intent.startswith(STAT_INTENT_PREFIX)):
        return UNKNOWN_STATISTIC_INTENT
    return None


def doubts_the_figures(text: str, intent: str, confidence: float) -> bool:
    """"why should i believe these stats", "你们这些数据靠谱吗" that the classifier could not place:
    a question on where the figures come from (`text` in Simplified characters)."""
    unsure = confidence < UNSURE_BELOW or intent in (FALLBACK_INTENT, OUT_OF_SCOPE_INTENT)
    return unsure and DOUBTS_THE_FIGURES.search(text) is not None
