"""The contract between the NLU model, the dialogue and the knowledge base, written once.

Intent names carry knowledge-base keys: `faq_<topic>` is answered from the FAQ answer
of <topic>, `stat_<topic>` from its figures. Actions, the knowledge router, the data
checks, the evaluation and the benchmarks all read these names from here. This module
imports nothing outside the standard library, so every process can use it.
"""
from __future__ import annotations

import json
import re


FAQ_INTENT_PREFIX = "faq_"
STAT_INTENT_PREFIX = "stat_"
# Intent prefix -> topic kind in the knowledge base (knowledge.models.TOPIC_KINDS).
TOPIC_KIND_OF_PREFIX = {FAQ_INTENT_PREFIX: "faq", STAT_INTENT_PREFIX: "stat"}
KNOWLEDGE_INTENT_PREFIXES = tuple(TOPIC_KIND_OF_PREFIX)

# A personal legal problem of one kind (knowledge/data/problem_routes.yml), e.g.
# problem_unpaid_wages: answered with the public routes for that kind.
PROBLEM_INTENT_PREFIX = "problem_"
# Questions about the assistant and its answers (meta_legal_advice, ...): fixed responses.
META_INTENT_PREFIX = "meta_"
# A person in danger: the classifier's intent, and the detector's entity naming the situation.
CRISIS_INTENT = "crisis"
CRISIS_ENTITY = "crisis"
# Situations with their own emergency help (knowledge/data/crisis_help.yml), most urgent first.
# Violence at home: a crisis situation and a kind of problem, whose help settles the pre-check (Art. 32).
VIOLENCE_AT_HOME = "domestic_violence"
CRISIS_SITUATIONS = ("danger_now", "self_harm", VIOLENCE_AT_HOME, "child_harm")
# The detector's value when crisis words are there but the message rules a crisis out
# ("小时候被打过", "反家暴法哪年实施"): the classifier's crisis intent alone then does not count.
CRISIS_RULED_OUT = "ruled_out"
# A long message is a story, not a question: about 12 Chinese words, or 15 English ones
# (rasa_addons/story_preference.py, assistant/follow_up.py).
STORY_MIN_HAN_CHARACTERS = 25
STORY_MIN_LATIN_WORDS = 15
# The classifier's crisis intent alone (no detector pattern) counts from this confidence,
# anywhere in its ranking: a missed crisis costs far more than an extra emergency number.
# Session 14, the classifier alone over every held-out personal set, with 300 more examples
# of danger told by the situation: 0.55 names 513 of 608 crises and 12 of 1,950 ordinary
# messages (0.6: 495 and 7; the model before them: 485 and 11 at 0.5).
CRISIS_MIN_CONFIDENCE = 0.55
# A short reply while the pre-check's question is pending is read as its answer: the classifier
# ranks person-descriptions such as "他才15岁" (0.73) and "hes blind" (0.82) as crises, so alone it
# counts there only from this confidence; the detector's patterns count as everywhere.
CRISIS_MIN_CONFIDENCE_ANSWERING = 0.9
# Except in a message this short: with few words the classifier has little to go on and its
# probability drifts to one half ("hes deaf" 0.52, "我想申请" 0.56 in the third blind set), while
# the short cries for help ("救命", "i want to die", "我不想活了") are the detector's patterns.
CRISIS_MIN_CONFIDENCE_SHORT = 0.7
CRISIS_SHORT_MAX_HAN = 8
CRISIS_SHORT_MAX_WORDS = 4

PERIOD_FOLLOWUP_INTENT = "ask_period_followup"
# Services that follow-ups move between by name (assistant/service_follow_ups.py).
LEGAL_AID_COST_INTENT = "faq_legal_aid_cost"
PEOPLES_MEDIATION_INTENT = "faq_peoples_mediation"
LAWYER_MEDIATION_INTENT = "faq_lawyer_mediation"
# The figures about a service, and the questions about that service (the first answers a
# "how do I reach them" the classifier could not place): a short follow-up moves between
# them ("咋联系他们" after the number of village legal advisers; "公证处呢" after the number
# of lawyers asks for figures).
SERVICE_OF_STATISTIC = {
    "stat_legal_aid": ("faq_legal_aid_apply", "faq_legal_aid_what", "faq_legal_aid_eligibility",
                       "faq_legal_aid_matters", "faq_legal_aid_criminal", "faq_legal_aid_documents",
                       "faq_legal_aid_decision_time", LEGAL_AID_COST_INTENT, "faq_legal_aid_refused",
                       "faq_legal_aid_complaint"),
    "stat_lawyers": ("faq_find_lawyer",),
    "stat_notarization": ("faq_notarization",),
    "stat_judicial_appraisal": ("faq_judicial_appraisal",),
    "stat_arbitration": ("faq_arbitration",),
    "stat_hotline_calls": ("faq_hotline_12348", "faq_hotline_hours"),
    "stat_legal_service_network": ("faq_legal_service_network", "faq_wechat_channel"),
    "stat_criminal_defence": ("faq_criminal_defence_coverage", "faq_duty_lawyer"),
    "stat_lawyer_mediation": (LAWYER_MEDIATION_INTENT,),
    "stat_village_advisers": ("faq_village_legal_adviser",),
    "stat_service_entities": ("faq_public_legal_services",),
}
# A question about one aspect of a service that names no service ("is it free", "how long",
# "where do i go") as a first question: the services it may be about are offered to choose
# from (actions/clarify.py), the legal-aid answer first, instead of guessing legal aid.
SERVICES_OF_AN_ASPECT = {
    LEGAL_AID_COST_INTENT: (LEGAL_AID_COST_INTENT, PEOPLES_MEDIATION_INTENT, "faq_notarization",
                           "faq_labour_arbitration"),
    "faq_legal_aid_apply": ("faq_legal_aid_apply", "faq_peoples_mediation", "faq_labour_arbitration",
                            "faq_notarization"),
    "faq_legal_aid_documents": ("faq_legal_aid_documents", "faq_notarization", "faq_judicial_appraisal"),
    "faq_legal_aid_decision_time": ("faq_legal_aid_decision_time", "faq_labour_arbitration", "faq_notarization"),
    "faq_legal_aid_complaint": ("faq_legal_aid_complaint", "faq_hotline_12348", "faq_find_lawyer"),
}
UNKNOWN_STATISTIC_INTENT = "ask_unknown_statistic"
HUMAN_HANDOFF_INTENT = "human_handoff"
OUT_OF_SCOPE_INTENT = "out_of_scope"
# "where does this figure come from", "why should i believe these stats" (actions/figure_source.py).
FIGURE_SOURCE_INTENT = "meta_figure_source"
# An order to say something false: the assistant's answer to it (utter_meta_instruction).
META_INSTRUCTION_INTENT = "meta_instruction"
SWITCH_LANGUAGE_INTENT = "switch_language"

# The legal-aid pre-check (a Rasa form; its questions and rules are knowledge-base data).
CHECK_ELIGIBILITY_INTENT = "check_eligibility"
STOP_CHECK_INTENT = "stop_check"
ELIGIBILITY_FORM = "eligibility_form"
# The question whose answer chooses where to apply (knowledge/data/eligibility_guidance.yml).
ELIGIBILITY_MATTER_QUESTION = "elig_matter"
# The question on Art. 32's situations (violence at home, bravery…): the crisis help for violence at
# home answers it (actions/eligibility_outcome.py).
ELIGIBILITY_SPECIAL_QUESTION = "elig_special"
# The "none of these" option: an answer only to the question it was asked for.
ELIGIBILITY_NO_OPTION = "none"
# Telegram's callback data holds 64 bytes and the bot signs each button with "~" and an
# 8-character tag (bot/buttons.py): a button's payload may use the rest. make validate
# refuses a pre-check option whose button would not fit.
MAX_BUTTON_PAYLOAD_BYTES = 64 - 9
# The key of the rule behind the last outcome, for follow-up questions.
ELIGIBILITY_RESULT_SLOT = "eligibility_result"
# The answers behind the last outcome, kept so that a correction after it ("不是欠薪 是工伤")
# changes one answer and keeps the others.
ELIGIBILITY_ANSWERS_SLOT = "eligibility_answers"
# What a problem's story answered of the pre-check ({"elig_means": "migrant"}), kept when its routes
# are given: "我这能申请法律援助不" two questions later still knows "我是河南出来打工的". The
# options read, not the words: no user text is kept beside the conversation's own events.
STORY_ANSWERS_SLOT = "story_answers"
# A short question after the pre-check's outcome ("那我现在去哪", "how do i start") is about
# applying.
AFTER_ELIGIBILITY_OUTCOME = "faq_legal_aid_apply"
# FAQ answers the pre-check may follow in the same turn, when the person tells their own case
# ("my brother got arrested, does he get a free lawyer"); after them, "where do I go" is how to apply.
ANSWERS_FOLLOWED_BY_CHECK = ("faq_legal_aid_criminal",)
# A general eligibility question may rightly be answered by starting the pre-check (the guided
# answer to the same question), so the evaluation accepts it for faq_legal_aid_eligibility.
ALSO_ANSWERED_BY = {
    "faq_legal_aid_eligibility": (CHECK_ELIGIBILITY_INTENT,),
    # The wage-arrears answer and the unpaid-wages routes both give the free routes for
    # unpaid wages (labour inspection, arbitration, legal aid): either answers either question.
    "problem_unpaid_wages": ("faq_wage_arrears",),
    "faq_wage_arrears": ("problem_unpaid_wages",),
    # The held-out briefs name one label for lawyers' figures; the knowledge base keeps the
    # cases lawyers handle as a topic of its own.
    "stat_lawyers": ("stat_lawyer_work",),
}
# Every problem route states whether legal aid covers that kind of matter (Legal Aid Law
# Art. 31), so it answers "can I get legal aid for a <kind of matter>?" as well.
ANSWERED_BY_ANY_PROBLEM_ROUTE = ("faq_legal_aid_matters",)
# The emergency help of a crisis situation also answers these questions: for domestic
# violence it gives legal aid without a means test (Art. 32), the answer to "my husband hits
# me, can I get legal aid?", and offers the pre-check.
CRISIS_ALSO_ANSWERS = {
    "domestic_violence": (CHECK_ELIGIBILITY_INTENT, "faq_legal_aid_eligibility", "problem_domestic_violence"),
}
# Typed alone while a check runs, these end it even when the NLU is unsure of them.
LEAVING_WORDS = frozenset({"quit", "exit", "end", "取消", "退出", "停止", "结束", "不用了", "不要了", "停"})
# ...as do these phrases, after a polite word or two ("那我先不查了", "oh never mind"): "不查了" opening
# a longer message ("先不弄了 我先去找医院问问"), "算了" or an English word only with more of leaving
# ("算了 以后再说", "never mind, i'll call 12348"; not "算了 说实话我没什么收入", "stop paying me").
# Words that add nothing to a short reply ("嗯 都不是", "oh never mind"), in either language.
FILLER_WORDS = (r"(?:好的|好吧|好|嗯|哦|啊|呢|吧|那|那就|那我|我|还是|行|真的|其实|好像|应该|算了"
                r"|ok|okay|oh|nah|no|nope|um|well|just|really|at all|sorry)")
_LEAVING_PHRASE = re.compile(
    rf"^(?:{FILLER_WORDS}\s*)*先?不(?:查|测|弄)了(?:吧|啦)?(?:\s|$)"
    rf"|^(?:{FILLER_WORDS}\s*)*(?:算了|不用查了)(?:吧|啦)?(?:\s*(?:以后再说|下次再说|先这样|不问了))?$"
    rf"|^(?:{FILLER_WORDS}\s)*(?:stop|never ?mind|forget (?:it|about it)|cancel)"
    r"(?:\s(?:the check|it|please|pls|now|never ?mind|forget it|thanks|thx|bye))*"
    r"(?:\s(?:i ?ll|i will) (?:call|ring|phone|ask|try|come back)\b.*)?$")

# Set by every answering action (assistant/last_answer.py: what it answered, as a dict); its
# absence after one means the action failed (rasa_addons/knowledge_router.py then apologises
# on the action's behalf).
LAST_ANSWER_SLOT = "last_answer"
# The kind of problem whose routes were given last (problem_<kind>), kept across other answers:
# "过了多久就不能告了" after a detour to notarization is still about the inheritance told before.
LAST_PROBLEM_SLOT = "last_problem"
# The statistic topic and indicator of the last figure given, for "and in 2020?".
STAT_TOPIC_SLOT = "stat_topic"
STAT_INDICATOR_SLOT = "stat_indicator"
# The language of the conversation: set from each message (rasa_addons/language.py).
LANGUAGE_SLOT = "language"
# The language the person explicitly asked for; it outweighs the language of each message.
ASKED_LANGUAGE_SLOT = "asked_language"
YEAR_ENTITY = "year"
LANGUAGE_ENTITY = "language"

# The key under which a front end sends the chat's language with a message (metadata), for
# messages with no words of their own (rasa_addons/language_detector.py).
CHAT_LANGUAGE_METADATA_KEY = "chat_language"

LANGUAGES = ("en", "zh")
DEFAULT_LANGUAGE = "en"

# Share of held-out questions the model must answer from the right topic, per language,
# before `make retrain` serves it and for `make test` to pass: every set, development
# and final. Measured 3 Dec 2026 (TF-IDF logistic regression): development sets 0.961 /
# 0.972 (English) and 0.960 (Chinese); final sets 0.958 (English) and 0.972 (Chinese).
# English is a floor under the lowest set, Chinese the target (#10).
MIN_HELDOUT_ACCURACY = {"en": 0.94, "zh": 0.92}
# The personal sets (issue #20), per category over both languages: personal stories routed
# to a fitting public channel, crises given emergency help first, ordinary messages about
# violence or police not treated as a crisis, compound messages answered. Measured 5 Dec
# 2026, stories / crises / not crises / compound: personal 95.0 / 100 / 100 / 88.7 %;
# personal_final 93.3 / 100 / 100 / 82.9 %; personal_blind 89.7 / 100 / 100 / 83.1 %;
# personal_blind2 89.5 / 100 / 100 / 89.7 %; crisis_dev – / 100 / 98.6 / – (README). Crises
# and false alarms are the targets; the rest are floors under the measures.
MIN_PERSONAL_ACCURACY = {
    "personal": {"story": 0.93, "crisis": 1.0, "not_crisis": 0.95, "compound": 0.85},
    "personal_final": {"story": 0.92, "crisis": 1.0, "not_crisis": 0.95, "compound": 0.80},
    # Scored blind once on 4 Dec 2026 (evening): story 85.0 %, crisis 82.9 %, not_crisis 95.9 %,
    # compound 84.6 % (README); its seven missed crises then became general patterns.
    "personal_blind": {"story": 0.88, "crisis": 1.0, "not_crisis": 0.95, "compound": 0.80},
    "crisis_dev": {"crisis": 1.0, "not_crisis": 0.95},
    # Scored blind once on 5 Dec 2026: story 89.5 %, crisis 94.0 %, not_crisis 96.0 %, compound
    # 89.7 % (README); its three missed crises and two false alarms then became patterns.
    "personal_blind2": {"story": 0.88, "crisis": 1.0, "not_crisis": 0.95, "compound": 0.85},
    # Scored blind once on 5 Dec 2026 (session 9): story 86.7 %, crisis 90.0 %, not_crisis 87.5 %,
    # compound 90.6 % (docs/design-notes.md). A bug it showed (short messages read as crises by
    # the classifier alone) was fixed the same day, and its four missed crises and four false
    # alarms became patterns and `unless` rules: a development set now.
    "personal_blind3": {"story": 0.85, "crisis": 1.0, "not_crisis": 0.95, "compound": 0.85},
    # Scored blind once on 5 Dec 2026 (session 10): story 91.4 %, crisis 93.3 %, not_crisis 91.7 %,
    # compound 93.3 % (docs/design-notes.md); its four missed crises and five false alarms then
    # became patterns and `unless` rules: a development set now.
    "personal_blind4": {"story": 0.89, "crisis": 1.0, "not_crisis": 0.95, "compound": 0.90},
    # Scored blind once on 5 Dec 2026 (session 11): story 95.0 %, crisis 93.3 %, not_crisis 95.0 %,
    # compound 90.0 % (docs/design-notes.md); its four missed crises and three false alarms then
    # became patterns, `unless` rules and contrast examples: a development set now.
    "personal_blind5": {"story": 0.92, "crisis": 1.0, "not_crisis": 0.95, "compound": 0.87},
    # Written in session 12 as a development set: 86 % of its crises caught and 7 false alarms in
    # 100 before the patterns it showed were added, then 100 % / 0.
    "crisis_dev6": {"crisis": 1.0, "not_crisis": 0.95},
    # Scored blind once on 5 Dec 2026 (session 12): story 92.1 %, crisis 86.7 %, not_crisis 100 %,
    # compound 85.0 % (docs/design-notes.md); its eight missed crises then became patterns.
    "personal_blind6": {"story": 0.90, "crisis": 1.0, "not_crisis": 0.95, "compound": 0.82},
    # Scored blind once on 5 Dec 2026 (session 13): story 92.1 %, crisis 81.7 %, not_crisis 95.0 %,
    # compound 90.0 % (docs/design-notes.md); its missed crises and false alarms then became patterns.
    "personal_blind7": {"story": 0.90, "crisis": 1.0, "not_crisis": 0.95, "compound": 0.87},
    # Scored blind once on 5 Dec 2026 (session 14): story 98.6 %, crisis 83.3 %, not_crisis 88.3 %,
    # compound 93.3 % (docs/design-notes.md); its missed crises and false alarms then became patterns.
    "personal_blind8": {"story": 0.95, "crisis": 1.0, "not_crisis": 0.95, "compound": 0.88},
    # Scored blind once on 5 Dec 2026 (session 15): story 86.6 %, crisis 91.2 %, not_crisis 100 %,
    # compound 84.6 % (docs/design-notes.md); its missed crises then became patterns, and its
    # confused kinds training examples in other words.
    "personal_blind9": {"story": 0.85, "crisis": 1.0, "not_crisis": 0.95, "compound": 0.82},
    # Scored blind once on 6 Dec 2026 (session 16): story 91.1 %, crisis 97.1 %, not_crisis 98.4 %,
    # compound 87.0 % (docs/design-notes.md); its missed crises and false alarm then became patterns,
    # and its confused kinds training examples in other words (story 96.6 % after).
    "personal_blind10": {"story": 0.92, "crisis": 1.0, "not_crisis": 0.95, "compound": 0.83},
    # Scored blind once on 6 Dec 2026 (session 17): story 93.1 %, crisis 94.1 %, not_crisis 95.3 %,
    # compound 90.6 % (docs/design-notes.md); its missed crises and false alarms then became patterns,
    # and its confused kinds training examples in other words.
    "personal_blind11": {"story": 0.93, "crisis": 1.0, "not_crisis": 0.95, "compound": 0.88},
    # Scored blind once on 6 Dec 2026 (session 18, commit e8f350f): story 94.2 %, crisis 94.3 %,
    # not_crisis 98.5 %, compound 87.7 %; its missed crises and false alarm then became patterns, and
    # its confused kinds training examples in other words (story 99.1 %, compound 93.0 % after).
    "personal_blind12": {"story": 0.96, "crisis": 1.0, "not_crisis": 0.97, "compound": 0.88},
}

# The conversation sets (issue #21): conversations right in every turn, and single questions
# about the assistant, its answers and false premises: the targets (`make evaluate`
# reports against them).
MIN_CONVERSATION_ACCURACY = {"conversations": 0.90, "questions": 0.95}
# What `make test` holds each set to, below the measured scores (4 Dec 2026, README): floors
# against regressions until the targets above are reached.
CONVERSATION_FLOORS = {
    "conversations_dev": {"conversations": 0.75, "questions": 0.95},
    # Scored blind once (4 Dec 2026, evening): conversations 20.3 %, questions 65.9 %; a
    # development set since (5 Dec 2026: 37.5 % / 90.2 %).
    "conversations_final": {"conversations": 0.40, "questions": 0.85},
    # Scored blind once (5 Dec 2026): conversations 49.2 %, questions 90.2 %; tuned on since
    # (session 9: 87.3 % / 100 %), a development set now.
    "conversations_blind2": {"conversations": 0.80, "questions": 0.95},
    # Scored blind once (5 Dec 2026, session 9): conversations 46.9 %, questions 95.0 %; then one
    # fix it showed (short messages read as crises): 48.4 % / 95.0 %.
    # Session 10: 68.8 % / 95.0 % after its follow-up and pre-check work.
    "conversations_blind3": {"conversations": 0.60, "questions": 0.90},
    # Scored blind once (5 Dec 2026, session 10): conversations 64.1 %, questions 94.9 %;
    # session 11: 87.5 % / 94.9 % after its follow-up and pre-check work.
    "conversations_blind4": {"conversations": 0.80, "questions": 0.90},
    # Scored blind once (5 Dec 2026, session 11): conversations 65.6 %, questions 92.7 %;
    # session 12: 79.7 % / 92.7 % after its pre-check work.
    "conversations_blind5": {"conversations": 0.75, "questions": 0.88},
    # Written in session 12 as a development set (48 conversations, no single questions): 58.3 %
    # when written, 66.7 % after the work it guided; 79.2 % after session 13's.
    "conversations_dev6": {"conversations": 0.75},
    # Scored blind once (5 Dec 2026, session 12): conversations 62.5 %, questions 92.7 %; then
    # 67.2 % / 92.7 % after the work it guided; 82.8 % / 97.6 % after session 13's.
    "conversations_blind6": {"conversations": 0.78, "questions": 0.92},
    # Scored blind once (5 Dec 2026, session 13): conversations 59.4 %, questions 90.9 %; then
    # 70.3 % / 93.2 % after the work it guided.
    "conversations_blind7": {"conversations": 0.65, "questions": 0.88},
    # Scored blind once (5 Dec 2026, session 14): conversations 62.5 %, questions 95.1 %.
    "conversations_blind8": {"conversations": 0.60, "questions": 0.92},
    # Scored blind once (5 Dec 2026, session 15): conversations 65.6 %, questions 90.2 %.
    "conversations_blind9": {"conversations": 0.62, "questions": 0.88},
    # Scored blind once (6 Dec 2026, session 16): conversations 76.6 %, questions 92.9 %; then
    # 93.8 % / 100 % after the work it guided.
    "conversations_blind10": {"conversations": 0.86, "questions": 0.95},
    # Scored blind once (6 Dec 2026, session 17): conversations 73.4 %, questions 88.4 %.
    "conversations_blind11": {"conversations": 0.73, "questions": 0.88},
    # Scored blind once (6 Dec 2026, session 18, commit e8f350f): conversations 75.0 %, questions 90.7 %;
    # then 96.9 % / 100 % after the work it guided.
    "conversations_blind12": {"conversations": 0.90, "questions": 0.95},
}


def is_leaving_word(text: str) -> bool:
    """Whether a message ends a check: a leaving word alone ("stop", "不查了!") or a leaving phrase."""
    cleaned = re.sub(r"[\W_]+", " ", text).strip().lower()
    return cleaned in LEAVING_WORDS or bool(_LEAVING_PHRASE.match(cleaned))


def topic_of(intent: str) -> tuple[str, str] | None:
    """Return (kind, key) of the knowledge-base topic an intent names, or None."""
    for prefix, kind in TOPIC_KIND_OF_PREFIX.items():
        if intent.startswith(prefix) and len(intent) > len(prefix):
            return kind, intent[len(prefix):]
    return None


def intent_of(kind: str, key: str) -> str:
    """Return the intent name of a knowledge-base topic: ('faq', 'x') -> 'faq_x'."""
    for prefix, prefix_kind in TOPIC_KIND_OF_PREFIX.items():
        if prefix_kind == kind:
            return prefix + key
    raise ValueError(f"unknown topic kind {kind!r}")


def problem_intent(kind: str) -> str:
    """Return the intent of a kind of personal problem (family -> problem_family)."""
    return f"{PROBLEM_INTENT_PREFIX}{kind}"


# Answers of the FAQ that are a problem's too: a check started after them reads the story they
# answered ("we are migrant workers, the subcontractor ran off…" then "can we get legal aid").
PROBLEM_OF_AN_ANSWER = {"faq_wage_arrears": f"{PROBLEM_INTENT_PREFIX}unpaid_wages"}


def problem_answered(intent: str) -> str | None:
    """Return the problem intent an answer's intent is about (itself for a problem), or None."""
    if problem_kind_of(intent) is not None:
        return intent
    return PROBLEM_OF_AN_ANSWER.get(intent)


def problem_kind_of(intent: str) -> str | None:
    """Return the kind of personal problem an intent names (problem_family -> family), or None."""
    if intent.startswith(PROBLEM_INTENT_PREFIX) and len(intent) > len(PROBLEM_INTENT_PREFIX):
        return intent[len(PROBLEM_INTENT_PREFIX):]
    return None


def is_knowledge_intent(intent: str) -> bool:
    """Whether the intent is answered from the knowledge base (faq_* or stat_*)."""
    return topic_of(intent) is not None


def is_statistic_intent(intent: str) -> bool:
    """Whether the intent asks for figures (stat_*)."""
    found = topic_of(intent)
    return found is not None and found[0] == "stat"


def language_or_default(value: object) -> str:
    """Return a supported language code for a slot value (None or unknown -> default)."""
    return value if isinstance(value, str) and value in LANGUAGES else DEFAULT_LANGUAGE


def eligibility_button_payload(question: str, value: str) -> str:
    """The payload of a pre-check option's button: the check's intent with the answer as an
    entity ("/check_eligibility{"elig_means":"no_hardship"}")."""
    return f"/{CHECK_ELIGIBILITY_INTENT}" + json.dumps({question: value}, separators=(",", ":"))
