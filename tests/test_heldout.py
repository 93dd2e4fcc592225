"""The assistant's answers on held-out questions never used in training, per language.

`make evaluate` prints the same evaluation as a report (per-topic accuracy,
out-of-scope rejection, confusions).
"""
from __future__ import annotations

import pytest

from assistant.contract import MIN_HELDOUT_ACCURACY, STAT_INTENT_PREFIX
from scripts.evaluate import HELDOUT_SETS, RasaClient, accuracy, evaluate, load_questions, report
from scripts.near_duplicates import near_duplicates, training_examples

# Questions that repeat a training example were removed from the sets, hence the floors.
MIN_QUESTIONS = {"questions": 150, "fresh_questions": 130, "zh_questions": 200,
                 "final_en": 160, "final_zh": 200}


@pytest.mark.parametrize("name", sorted(HELDOUT_SETS))
def test_heldout_questions_are_answered_from_the_right_topic(rasa_url, rasa_api_secret, name):
    question_set = HELDOUT_SETS[name]
    questions = load_questions(question_set.path)
    outcomes = evaluate(RasaClient(rasa_url, rasa_api_secret), questions, run_id=name,
                        language=question_set.reply_language)
    summary = report(outcomes)
    print(summary)
    assert len(outcomes) >= MIN_QUESTIONS[name]
    assert accuracy(outcomes) >= MIN_HELDOUT_ACCURACY[question_set.language], summary
    out_of_scope_with_figures = [
        o for o in outcomes if o.expect == "out_of_scope" and o.answered_as.startswith(STAT_INTENT_PREFIX)
    ]
    assert not out_of_scope_with_figures, summary


@pytest.mark.parametrize(("name", "min_follow_ups"),
                         [("zh_questions", 15), ("final_en", 5), ("final_zh", 5)])
def test_set_covers_every_intent_and_has_follow_ups(name, min_follow_ups):
    import yaml

    from scripts.model_store import PROJECT_ROOT

    intents = set(yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text())["intents"])
    questions = load_questions(HELDOUT_SETS[name].path)
    assert intents <= {q["expect"] for q in questions}
    assert sum(1 for q in questions if q.get("context")) >= min_follow_ups


@pytest.mark.parametrize("name", sorted(HELDOUT_SETS))
def test_heldout_questions_are_not_near_duplicates_of_training_examples(name):
    questions = [q["text"] for q in load_questions(HELDOUT_SETS[name].path)]
    leaked = near_duplicates(questions, training_examples())
    assert not leaked, "\n".join(f"{q!r} ~ training {t!r}" for q, t in leaked)
