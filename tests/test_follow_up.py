"""Short messages read against the previous answer (issue #21): a follow-up keeps the topic,
a typed number or option text chooses a button, a request for a language is one, and
the router and the actions read a message the same way (assistant/follow_up.py)."""
from __future__ import annotations

import pytest

from assistant.follow_up import chosen_button, intent_in_context
from assistant.language import detect_language, is_mostly_chinese
from assistant.places import named_place
from scripts.evaluate import RasaClient

BUTTONS = [{"title": "公证", "payload": "/faq_notarization"},
           {"title": "司法鉴定", "payload": "/faq_judicial_appraisal"},
           {"title": "转人工服务", "payload": "/human_handoff"}]


@pytest.mark.parametrize(("text", "expected"), [
    ("2", "faq_judicial_appraisal"), ("第二个", "faq_judicial_appraisal"), ("the second one", "faq_judicial_appraisal"),
    ("公证", "faq_notarization"), ("司法鉴定吧", None), ("5", None), ("香蕉", None),
])
def test_a_typed_choice_picks_a_button(text, expected):
    assert chosen_button(text, BUTTONS) == expected


@pytest.mark.parametrize(("text", "intent", "confidence", "previous", "expected"), [
    ("贵不贵啊", "nlu_fallback", 0.3, "faq_notarization", "faq_notarization"),
    ("does it cost anything", "faq_legal_aid_cost", 0.9, "faq_peoples_mediation", "faq_peoples_mediation"),
    ("does legal aid cost anything", "faq_legal_aid_cost", 0.9, "faq_peoples_mediation", "faq_legal_aid_cost"),
    ("how long do i have", "out_of_scope", 0.6, "problem_traffic_accident", "problem_traffic_accident"),
    ("上海有多少", "ask_unknown_statistic", 0.7, "stat_legal_aid", "ask_period_followup"),
    ("back in march 2021?", "out_of_scope", 0.5, "stat_lawyers", "ask_period_followup"),
    # Between a service's figures and the service itself.
    ("咋联系他们", "nlu_fallback", 0.2, "stat_village_advisers", "faq_village_legal_adviser"),
    ("公证处呢", "faq_notarization", 0.7, "stat_lawyers", "stat_notarization"),
    # After the pre-check's outcome, how to apply; a problem with "can I get legal aid?", the check.
    ("那我现在去哪", "nlu_fallback", 0.2, "eligibility:wages_injury_waived", "faq_legal_aid_apply"),
    ("how do i start", "help", 0.8, "eligibility:civil_no_hardship", "faq_legal_aid_apply"),
    ("how do i start", "help", 0.8, None, "help"),
    ("老人要赡养费 可以申请法援吗", "problem_elderly_support", 0.6, None, "check_eligibility"),
    # "How has it changed" asks for figures, even right after a FAQ answer.
    ("全国律师人数这几年是怎么变化的", "stat_lawyers", 0.3, "faq_peoples_mediation", "stat_lawyers"),
    # Not a follow-up: confident, long, off-topic without a word pointing back, or no previous topic.
    ("how do I get a document notarized", "faq_notarization", 0.9, "faq_peoples_mediation", "faq_notarization"),
    ("what's the weather", "out_of_scope", 0.95, "faq_notarization", "out_of_scope"),
    ("贵不贵啊", "nlu_fallback", 0.3, "eligibility:civil_hardship", "nlu_fallback"),
    ("我想问一下我老公打我我能不能离婚他一直不同意而且房子是他的名字孩子还小", "nlu_fallback", 0.3,
     "faq_notarization", "nlu_fallback"),
])
def test_a_short_follow_up_is_read_against_the_previous_answer(text, intent, confidence, previous, expected):
    assert intent_in_context(text, intent, confidence, previous) == expected


def test_a_place_is_named():
    assert named_place("上海有多少") == "上海" and named_place("and in shanghai?") == "Shanghai"
    assert named_place("how many lawyers") is None


@pytest.mark.parametrize(("text", "language"), [
    ("what is 值班律师", "en"), ("12348 hotline 一年接多少电话", "zh"), ("律师 ok", "zh"),
    ("thanks, back to english now pls", "en"), ("ok 还是说中文吧", "zh"), ("123", None), ("k", None),
    # Both scripts: the grammar decides ("and" is English, 我/要 Chinese).
    ("and 人民调解?", "en"), ("我想问下 legal aid 申请下来要多久", "zh"),
])
def test_the_language_of_a_message(text, language):
    assert detect_language(text) == language


@pytest.fixture
def client(rasa_url, rasa_api_secret) -> RasaClient:
    return RasaClient(rasa_url, rasa_api_secret)


def converse(client: RasaClient, sender: str, text: str) -> tuple[str, str]:
    reply = "\n".join(message.get("text", "") for message in client.send(sender, text))
    return reply, client.slot_set_in_last_turn(sender, "last_answer") or ""


@pytest.mark.parametrize(("sender", "turns"), [
    ("carry-zh", [("公证怎么办理", "faq_notarization", "zh"), ("贵不贵啊", "faq_notarization", "zh")]),
    ("carry-en", [("what is people's mediation", "faq_peoples_mediation", "en"),
                  ("does it cost anything", "faq_peoples_mediation", "en")]),
    ("place-zh", [("2022年法律援助办了多少案件", "stat_legal_aid", "zh"), ("上海有多少", "stat_legal_aid", "zh")]),
    ("switch-back", [("法律援助是什么", "faq_legal_aid_what", "zh"),
                     ("can you say that in english please", "", "en"),
                     ("ok 还是说中文吧", "", "zh")]),
])
def test_follow_ups_through_rasa(client, sender, turns):
    for text, answered_as, language in turns:
        reply, last_answer = converse(client, sender, text)
        if answered_as:
            assert last_answer == answered_as, (text, last_answer, reply)
        assert is_mostly_chinese(reply) == (language == "zh"), (text, reply)
    if sender == "place-zh":
        assert "只有全国数据" in reply


def test_a_check_after_the_routes_does_not_ask_the_matter_again(client):
    reply, last_answer = converse(client, "matter-from-route",
                                  "i was hit by a car at a crossing last week and broke my wrist, the driver stopped paying")
    assert last_answer == "problem_traffic_accident", reply
    reply, _ = converse(client, "matter-from-route", "can i get legal aid for this")
    assert "Noted: Injury compensation" in reply and "What is your matter about?" not in reply, reply


def test_a_period_asked_without_figures_before_it_asks_for_the_best_ranked_figures():
    ranking = [{"name": "nlu_fallback", "confidence": 0.2}, {"name": "ask_period_followup", "confidence": 0.41},
               {"name": "stat_legal_aid", "confidence": 0.4}]
    assert intent_in_context("十八大以来法援一共办了多少案子", "nlu_fallback", 0.2, None, (), ranking) == "stat_legal_aid"
    # After figures, the same words are a follow-up to them (the statistics action reads the topic).
    assert intent_in_context("那十八大以来呢", "ask_period_followup", 0.6, "stat_lawyers", (), ranking) \
        == "ask_period_followup"
    # Unclear words without a period are not answered with figures.
    assert intent_in_context("numbers?", "nlu_fallback", 0.2, None, (), ranking) == "nlu_fallback"


def test_after_which_figures_the_option_words_choose_even_a_confident_topic():
    buttons = [{"title": "法律援助（数据）", "payload": "/stat_legal_aid"}, {"title": "律师（数据）", "payload": "/stat_lawyers"}]
    assert intent_in_context("法律援助", "faq_legal_aid_what", 0.9, "unknown_statistic:ask_period_followup",
                             buttons) == "stat_legal_aid"
    assert intent_in_context("法律援助", "faq_legal_aid_what", 0.9, "faq_notarization", buttons) == "faq_legal_aid_what"


def test_a_topic_word_is_not_a_partial_button_title():
    buttons = [{"title": "Lawyers sent to Tibet (figures)", "payload": "/stat_tibet_lawyers"},
               {"title": "Legal aid (figures)", "payload": "/stat_legal_aid"}]
    assert intent_in_context("lawyers", "stat_lawyers", 0.8, "clarify", buttons) == "stat_lawyers"
    assert intent_in_context("legal aid", "faq_legal_aid_what", 0.8, "clarify", buttons) == "stat_legal_aid"


def test_a_follow_up_to_a_service_gets_no_figure_it_did_not_ask_for():
    assert intent_in_context("is there an app", "stat_legal_service_network", 0.8,
                             "faq_legal_service_network") == "faq_legal_service_network"
    assert intent_in_context("how many people use it", "stat_legal_service_network", 0.8,
                             "faq_legal_service_network") == "stat_legal_service_network"


def test_an_unsure_story_is_routed_to_its_likeliest_problem():
    ranking = [{"name": "nlu_fallback", "confidence": 0.2}, {"name": "problem_contract", "confidence": 0.15},
               {"name": "problem_consumer", "confidence": 0.1}]
    story = "在驾校交了四千多学费 教练一直约不上车 想退费 驾校说只能退三成"
    assert intent_in_context(story, "nlu_fallback", 0.2, None, (), ranking) == "problem_contract"
    # Too close to call, or a short message: "Did you mean…?" stays.
    close = [ranking[0], {"name": "problem_contract", "confidence": 0.15}, {"name": "faq_notarization", "confidence": 0.14}]
    assert intent_in_context(story, "nlu_fallback", 0.2, None, (), close) == "nlu_fallback"
    assert intent_in_context("退费怎么办", "nlu_fallback", 0.2, None, (), ranking) == "nlu_fallback"
