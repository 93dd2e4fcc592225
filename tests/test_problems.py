"""Personal legal problems (issue #20): every kind has routes in the knowledge base, the
action gives them in the user's language, and real stories reach them through Rasa."""
from __future__ import annotations

import pytest
import yaml
from rasa_sdk.events import SlotSet

from actions.problems import ActionRouteProblem
from assistant.contract import CRISIS_SITUATIONS, PROBLEM_INTENT_PREFIX, problem_kind_of
from assistant.language import is_mostly_chinese
from assistant.last_answer import LastAnswer, answer_of
from assistant.pleasantries import strip_pleasantries
from knowledge.loader import DataFileError, load_data_dir
from scripts.model_store import PROJECT_ROOT
from testkit.trackers import buttons, make_tracker, run, texts

DOMAIN_INTENTS = yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text())["intents"]
PROBLEM_INTENTS = [intent for intent in DOMAIN_INTENTS if intent.startswith(PROBLEM_INTENT_PREFIX)]


def test_every_problem_intent_has_routes_and_every_route_an_intent(kb_data):
    routed = {row["key"] for row in kb_data.problem_routes}
    assert routed == {problem_kind_of(intent) for intent in PROBLEM_INTENTS}
    assert len(routed) >= 22  # at least the kinds the issue lists


def test_every_crisis_situation_has_emergency_help_in_both_languages(kb_data):
    rows = {row["key"]: row for row in kb_data.crisis_help}
    assert set(rows) == set(CRISIS_SITUATIONS)
    for row in rows.values():
        assert any(number in row["help"] for number in ("110", "12356")) or "110" in row["help"]
        assert is_mostly_chinese(row["help_zh"])
    assert "12356" in rows["self_harm"]["help"] and "12356" in rows["self_harm"]["help_zh"]
    assert "12338" in rows["domestic_violence"]["help"]


@pytest.mark.parametrize("intent", PROBLEM_INTENTS)
@pytest.mark.parametrize("language", ["en", "zh"])
async def test_each_kind_is_answered_with_routes_time_limit_legal_aid_evidence_and_12348(
    knowledge_base, dispatcher, intent, language
):
    tracker = make_tracker(intent=intent, slots={"language": language})
    events = await run(ActionRouteProblem(), dispatcher, tracker)
    text = texts(dispatcher)
    # The problem is remembered too, for a time limit asked after another answer (session 11), and
    # what its story told of the person (nothing here: the tracker has no text).
    assert events == [SlotSet("last_answer", answer_of(intent).to_slot()), SlotSet("last_problem", intent),
                      SlotSet("story_answers", None)]
    assert "1. " in text and "2. " in text and "12348" in text and "12348.gov.cn" in text
    if language == "zh":
        assert is_mostly_chinese(text)
        assert all(word in text for word in ("时效期限", "法律援助", "证据", "不构成对您案件的法律意见"))
    else:
        assert not is_mostly_chinese(text)
        assert all(word in text for word in ("Time limit", "Legal aid", "Evidence", "not advice on your case"))
    assert "/check_eligibility" in [button["payload"] for button in buttons(dispatcher)]


def test_loader_refuses_routes_without_chinese_steps_and_a_missing_crisis_situation(data_copy):
    routes = yaml.safe_load((data_copy / "problem_routes.yml").read_text())
    routes[0]["routes_zh"] = ["Go to court"]
    (data_copy / "problem_routes.yml").write_text(yaml.safe_dump(routes, allow_unicode=True))
    help_rows = yaml.safe_load((data_copy / "crisis_help.yml").read_text())
    (data_copy / "crisis_help.yml").write_text(yaml.safe_dump(help_rows[1:], allow_unicode=True))
    with pytest.raises(DataFileError) as error:
        load_data_dir(data_copy)
    message = str(error.value)
    assert "routes_zh" in message and "Chinese" in message
    assert help_rows[0]["key"] in message and "no emergency help" in message


def test_loader_refuses_a_route_implying_an_answer_the_check_does_not_have(data_copy):
    """A route's `check_special` (the special situation its kind implies) must be an option."""
    routes = yaml.safe_load((data_copy / "problem_routes.yml").read_text())
    loans = next(route for route in routes if route["key"] == "loans_debts")
    assert loans["check_special"] == "none"
    loans["check_special"] = "bankrupt"
    (data_copy / "problem_routes.yml").write_text(yaml.safe_dump(routes, allow_unicode=True))
    with pytest.raises(DataFileError) as error:
        load_data_dir(data_copy)
    assert "check_special 'bankrupt' is not an option of elig_special" in str(error.value)


@pytest.mark.parametrize(("text", "expected"), [
    ("你好 我想问一下法律援助怎么申请", "我想问一下法律援助怎么申请"),
    ("谢谢 法律援助怎么申请", "法律援助怎么申请"),
    ("where do i apply for legal aid? thanks", "where do i apply for legal aid?"),
    ("hi can you help me", "can you help me"),
    ("你好", "你好"),
    ("thanks a lot, that was really helpful", "thanks a lot, that was really helpful"),
    ("hiring a lawyer", "hiring a lawyer"),
    # A word ending in "ty" is not "ty" (thank you): it lost its end before.
    ("can he get the death penalty", "can he get the death penalty"),
    ("who pays for the damage to the property", "who pays for the damage to the property"),
    ("what if the other party wont pay ty", "what if the other party wont pay"),
    # "one more question" opens a question too; 啥 asks as 什么 does (session 15).
    ("多谢！再问一下 公证是啥", "公证是啥"),
    ("thanks. another question: is mediation free", "is mediation free"),
    ("再问一个", "再问一个"),
    ("还有个问题没解决，公司还是不给钱怎么办", "还有个问题没解决，公司还是不给钱怎么办"),
    ("one more question came up, what do I do", "one more question came up, what do I do"),
    ("谢谢，没啥问题了", "谢谢，没啥问题了"),
])
def test_greetings_and_thanks_around_a_question_are_dropped(text, expected):
    assert strip_pleasantries(text) == expected


# Stories from the issue and like them; the kinds that fit each.
STORIES = [
    ("你好在吗我想离婚又不知道该怎么办", {"problem_family"}),
    ("借出去50万，对方人跑了，电话也不接，该怎么办", {"problem_loans_debts"}),
    ("结婚半年就离婚彩礼需要反还多少", {"problem_bride_price", "problem_family"}),
    ("加班下班的路上摔伤，算不算工伤", {"problem_work_injury"}),
    ("my landlord kept my deposit of 3000 yuan and stopped answering my messages, what can i do",
     {"problem_housing"}),
    ("i worked 4 months on a building site and the boss vanished without paying any of us",
     {"problem_unpaid_wages", "faq_wage_arrears"}),
]


@pytest.mark.parametrize(("text", "kinds"), STORIES)
def test_personal_stories_are_routed_in_the_users_language(rasa_url, rasa_api_secret, text, kinds):
    from scripts.evaluate import RasaClient, classify_answer
    from scripts.evaluate_personal import routed_kinds

    client = RasaClient(rasa_url, rasa_api_secret)
    sender = f"story-{abs(hash(text))}"
    reply = "\n".join(message.get("text", "") for message in client.send(sender, text))
    answered_as = classify_answer(reply, client.slot_set_in_last_turn(sender, "last_answer"))
    assert routed_kinds(answered_as) & kinds or answered_as in kinds, (answered_as, reply)
    assert "12348" in reply
    assert is_mostly_chinese(reply) == is_mostly_chinese(text)


@pytest.mark.parametrize(("text", "answered"), [
    ("你好 我想问一下法律援助怎么申请", {"faq_legal_aid_apply"}),
    ("thanks! and where do i apply for legal aid?", {"faq_legal_aid_apply"}),
    ("公证一年多少件 司法鉴定呢", {"stat_notarization", "stat_judicial_appraisal"}),
    ("how many notarizations a year, and how many judicial appraisals?",
     {"stat_notarization", "stat_judicial_appraisal"}),
])
def test_two_things_in_one_message_get_the_question_answered(rasa_url, rasa_api_secret, text, answered):
    from scripts.evaluate import RasaClient

    client = RasaClient(rasa_url, rasa_api_secret)
    sender = f"compound-{abs(hash(text))}"
    reply = "\n".join(message.get("text", "") for message in client.send(sender, text))
    last_answer = LastAnswer.from_slot(client.slot_set_in_last_turn(sender, "last_answer"))
    assert last_answer is not None and set(last_answer.intents) == answered, (last_answer, reply)
    assert is_mostly_chinese(reply) == is_mostly_chinese(text)
