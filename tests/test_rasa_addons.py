"""Rasa add-ons that need no server: text normalisation and action-reply validation.

Rasa is imported inside the tests, not at collection: importing Rasa's core into the
pytest process before tests/test_bot.py runs made a PTB polling test hang at shutdown.
"""
from __future__ import annotations

import pytest


def test_importing_the_addons_installs_the_prepared_validator():
    import rasa_addons  # noqa: F401  (installs the validator)
    from rasa.core.actions.action import RemoteAction
    from rasa_addons.action_response_validation import validate_action_result

    assert RemoteAction._validate_action_result is validate_action_result


def test_valid_action_reply_passes_and_invalid_one_fails_as_before():
    import rasa_addons  # noqa: F401
    from jsonschema import ValidationError
    from rasa.core.actions.action import RemoteAction

    action = RemoteAction("action_answer_faq", None)
    reply = {"events": [{"event": "slot", "name": "last_answer", "value": "x"}],
             "responses": [{"text": "hello"}]}
    assert action._validate_action_result(reply) is True
    with pytest.raises(ValidationError, match="Failed to validate Action server response"):
        action._validate_action_result({"events": "not a list"})


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("a\x00b\u200bc\u202e", "abc"),
        ("ｌｅｇａｌ  aid\n\nplease", "legal aid please"),
        ("how do I apply for 法律援助", "how do I apply for 法律援助 legal aid"),
        # Chinese messages are not glossed; Traditional becomes Simplified; years in digits.
        ("法律援助怎么申请", "法律援助怎么申请"),
        ("請問法律援助怎麼申請？", "请问法律援助怎么申请?"),
        ("二〇二〇年律师有多少", "2020年律师有多少"),
        ("２０２０年，律师有多少？", "2020年,律师有多少?"),
        ("q\u0301\u0302\u0303\u0304", "q\u0301\u0302"),
    ],
)
def test_normalise_text_cleans_and_glosses(raw, expected):
    from rasa_addons.text_normaliser import load_glossary, normalise_text

    assert normalise_text(raw, 600, load_glossary()) == expected


def test_normalise_text_caps_length_at_a_word_boundary():
    from rasa_addons.text_normaliser import normalise_text

    cleaned = normalise_text("word " * 500, 600)
    assert len(cleaned) <= 600 and cleaned.endswith("word")


@pytest.mark.parametrize(
    ("text", "language"),
    [("法律援助要收费吗？", "zh"), ("how many lawyers", "en"), ("12348 hotline 一年接多少电话", "zh"),
     ("can u explain what 法律援助 actually means", "en"), ("English please", "en"), ("说中文", "zh"),
     ("speak Chinese please", "zh"), ("请用英文回答", "en"), ("？", None), ("2020 😀", None),
     ("請問法律援助", "zh"), ("falv yuanzhu", "en"), ("律师调解 how does it work", "en"),
     ("legal aid是什么意思，国内有这个吗", "zh"),
     # Naming a language is not asking for it; "ok" belongs to no language (issue #21).
     ("Do I need to speak Chinese in court?", "en"), ("Is the Legal Aid Law available in Chinese?", "en"),
     ("需要英文版合同吗", "zh"), ("ok", None), ("OK!!", None), ("reply in chinese", "zh"),
     ("can you speak chinese", "zh"), ("换成英文", "en"),
     # Session 17: whether the hotline speaks English, an English word between.
     ("那12348 hotline能说英语不", "zh"), ("热线接线员会不会说英语", "zh"), ("律师说的我听不懂 你可以用英文吗", "en")],
)
def test_language_of_a_message(text, language):
    from assistant.language import detect_language

    assert detect_language(text) == language


def _message_with_ranking(text: str, ranking: list[tuple[str, float]]):
    from rasa.shared.nlu.training_data.message import Message

    message = Message(data={"text": text})
    message.set("intent", {"name": ranking[0][0], "confidence": ranking[0][1]})
    message.set("intent_ranking", [{"name": n, "confidence": c} for n, c in ranking])
    return message


@pytest.mark.parametrize(("text", "ranking", "expected"), [
    # A long story whose top intent is a greeting: the problem ranked after it wins.
    ("你好在吗 我想离婚又不知道该怎么办 他天天不回家 孩子才三岁 我也没有工作 房子是他婚前买的",
     [("greet", 0.41), ("stat_lawyers", 0.2), ("problem_family", 0.15)], "problem_family"),
    # A story ending with a service question keeps the best non-generic intent.
    ("my boss has not paid me for three months and i have no money left for rent, how do i apply for legal aid",
     [("goodbye", 0.3), ("faq_legal_aid_apply", 0.25), ("problem_unpaid_wages", 0.2)], "faq_legal_aid_apply"),
    # A short greeting stays a greeting; a story with no problem in the running stays as it is.
    ("你好在吗", [("greet", 0.9), ("problem_family", 0.09)], "greet"),
    ("hello there, i am writing to ask you a question about the figures you have on lawyers in china please",
     [("stat_lawyers", 0.8), ("problem_family", 0.01)], "stat_lawyers"),
])
def test_a_long_story_is_read_as_a_personal_problem(text, ranking, expected):
    from rasa_addons.story_preference import StoryPreference

    message = _message_with_ranking(text, ranking)
    StoryPreference(StoryPreference.get_default_config()).process([message])
    assert message.get("intent")["name"] == expected
    assert message.get("intent_ranking")[0]["name"] == expected
