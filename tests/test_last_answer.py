"""The `last_answer` slot holds typed data (assistant/last_answer.py), one reader and one writer."""
from __future__ import annotations

import pytest
import yaml

from assistant.last_answer import LastAnswer, answer_of
from scripts.evaluate import classify_answer
from scripts.model_store import PROJECT_ROOT


@pytest.mark.parametrize(("answer", "label"), [
    (answer_of("faq_notarization"), "faq_notarization"),
    (answer_of("stat_notarization", "stat_judicial_appraisal"), "stat_notarization,stat_judicial_appraisal"),
    (answer_of("check_eligibility"), "check_eligibility"),
    (LastAnswer("eligibility", rule="civil_hardship"), "eligibility:civil_hardship"),
    (LastAnswer("eligibility", rule="none"), "eligibility:none"),
    (LastAnswer("crisis", situations=("danger_now", "self_harm")), "crisis:danger_now,self_harm"),
    (LastAnswer("crisis", intents=("problem_unpaid_wages",), situations=("danger_now",)),
     "crisis:danger_now;problem_unpaid_wages"),
    (LastAnswer("missing", intents=("faq_notarization",)), "missing:faq_notarization"),
    (LastAnswer("unknown_statistic", intents=("ask_unknown_statistic",)), "unknown_statistic:ask_unknown_statistic"),
    (LastAnswer("clarify"), "clarify"),
    (LastAnswer("knowledge_unavailable"), "knowledge_unavailable"),
])
def test_last_answer_survives_the_slot_and_keeps_its_evaluation_label(answer, label):
    value = answer.to_slot()
    # What Rasa stores and sends back: JSON-like data, no strings to parse.
    assert isinstance(value, dict) and value["kind"] == answer.kind
    assert LastAnswer.from_slot(value) == answer
    assert answer.label == label


@pytest.mark.parametrize("value", [None, "", "faq_notarization", "eligibility:civil_hardship", {"kind": "guess"}, 3])
def test_last_answer_reads_only_its_own_dicts(value):
    assert LastAnswer.from_slot(value) is None


def test_last_answer_slot_is_typed_and_never_featurized():
    slot = yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text(encoding="utf-8"))["slots"]["last_answer"]
    assert slot["type"] == "any" and slot["influence_conversation"] is False


@pytest.mark.parametrize(("answer", "answered_as"), [
    (answer_of("faq_notarization"), "faq_notarization"),
    (LastAnswer("unknown_statistic", intents=("stat_lawyers",)), "ask_unknown_statistic"),
    (LastAnswer("eligibility", rule="civil_hardship"), "check_eligibility"),
    (LastAnswer("referral"), "referral"),
])
def test_the_evaluation_reads_the_typed_answer(answer, answered_as):
    assert classify_answer("", answer.to_slot()) == answered_as

