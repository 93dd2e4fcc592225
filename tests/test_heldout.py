"""The assistant's answers on held-out questions never used in training.

`make evaluate` prints the same evaluation as a report (per-topic accuracy,
out-of-scope rejection, confusions).
"""
from __future__ import annotations

import re

import pytest
import yaml

from scripts.evaluate import RasaClient, evaluate, load_questions, report
from scripts.model_store import PROJECT_ROOT

MIN_ACCURACY = 0.95
# Questions that repeat a training example are removed from the sets, hence the floors.
MIN_QUESTIONS = {"questions": 150, "fresh_questions": 130}


QUESTION_SETS = {
    # Written with the model, used to choose the pipeline.
    "questions": PROJECT_ROOT / "tests" / "heldout" / "questions.yml",
    # Written independently after tuning; scored once before any change it motivated.
    "fresh_questions": PROJECT_ROOT / "tests" / "heldout" / "fresh_questions.yml",
}


@pytest.mark.parametrize("question_set", sorted(QUESTION_SETS))
def test_heldout_questions_are_answered_from_the_right_topic(rasa_url, rasa_api_token, question_set):
    questions = load_questions(QUESTION_SETS[question_set])
    outcomes = evaluate(RasaClient(rasa_url, rasa_api_token), questions, run_id=question_set)
    summary = report(outcomes)
    print(summary)
    accuracy = sum(o.correct for o in outcomes) / len(outcomes)
    assert len(outcomes) >= MIN_QUESTIONS[question_set]
    assert accuracy >= MIN_ACCURACY, summary
    out_of_scope_with_figures = [
        o for o in outcomes if o.expect == "out_of_scope" and o.answered_as.startswith("stat_")
    ]
    assert not out_of_scope_with_figures, summary


def _comparable(text: str) -> str:
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)  # [2020](year) -> 2020
    return "".join(character for character in text.lower() if character.isalnum())


def test_heldout_questions_are_not_in_the_training_data():
    training = set()
    for block in yaml.safe_load((PROJECT_ROOT / "data" / "nlu.yml").read_text())["nlu"]:
        for line in (block.get("examples") or "").splitlines():
            training.add(_comparable(line.strip().lstrip("- ")))
    leaked = [
        q["text"]
        for path in QUESTION_SETS.values()
        for q in load_questions(path)
        if _comparable(q["text"]) in training
    ]
    assert not leaked
