"""`make retrain` on a temporary copy of the project: a new intent, then a broken entry.

Marked `retrain` (run alone with `pytest -m retrain`); it trains one extra model.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Iterator

import pytest

from scripts.model_store import PROJECT_ROOT, make_current
from scripts.services import start_action_server, start_rasa_server, write_endpoints
from tests.support import post_json, reply_text

pytestmark = pytest.mark.retrain

COPIED = ["config.yml", "domain.yml", "credentials.yml", "endpoints.yml", "data", "rasa_addons",
          "actions", "knowledge", "scripts", "tests/heldout"]
NEW_EXAMPLES = [
    "can the court waive my court fees?",
    "I can't afford the court fees, can they be reduced?",
    "how do I ask for court fee relief",
    "is there a way to delay paying litigation fees",
    "court costs too high, can I get them reduced or waived",
    "who can get court fees waived in China",
    "do poor people have to pay court fees",
    "apply for deferral of court fees",
    "litigation fee reduction how",
    "can legal aid recipients get court fees waived",
    "what is judicial assistance for court fees",
    "my lawsuit fee is too expensive what can i do",
    "court fee exemption conditions",
    "reduce court costs for a low income plaintiff",
    "waiver of case acceptance fee",
    "can I postpone the court fee until the judgment",
    "how to request fee relief from the people's court",
    "court charges I cannot pay",
    "fee waiver for a lawsuit",
    "are court fees reduced for people in hardship",
]
API_TOKEN = "retrain-test-token"
NEW_ANSWER = "Courts can defer, reduce or waive court fees for people in financial hardship"


def run_module(copy: Path, *arguments: str, kb_url: str, **environment: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", *arguments], cwd=copy, capture_output=True, text=True, timeout=1200,
        env={**os.environ, "PYTHONPATH": str(copy), "KB_DATABASE_URL": kb_url,
             "RASA_TELEMETRY_ENABLED": "false", **environment},
    )


def add_court_fee_topic(copy: Path) -> None:
    """The four edits a maintainer makes for a new FAQ topic (see README "Retraining")."""
    with open(copy / "data" / "nlu.yml", "a") as nlu:
        nlu.write("\n- intent: faq_court_fee_relief\n  examples: |\n")
        nlu.writelines(f"    - {example}\n" for example in NEW_EXAMPLES)
    domain = (copy / "domain.yml").read_text()
    (copy / "domain.yml").write_text(
        domain.replace("  - faq_public_legal_services\n",
                       "  - faq_public_legal_services\n  - faq_court_fee_relief\n"))
    with open(copy / "knowledge" / "data" / "topics.yml", "a") as topics:
        topics.write('\n- {kind: faq, key: court_fee_relief, title: "Court fee relief"}\n')
    with open(copy / "knowledge" / "data" / "answers.yml", "a") as answers:
        answers.write(
            "\n- topic: court_fee_relief\n  language: en\n  legal_process: true\n"
            "  source: legal-aid-law-2021\n  last_reviewed: 2026-11-29\n  text: |-\n"
            f"    {NEW_ANSWER} (judicial assistance). Legal aid recipients can ask the court to"
            " defer, reduce or waive fees (Legal Aid Law Art. 53). Ask the court's filing office"
            " or call 12348 for the local procedure and the documents the court expects.\n")
    with open(copy / "tests" / "heldout" / "questions.yml", "a") as questions:
        questions.write('- text: "my income is tiny, will the court let me off the filing fee?"\n'
                        "  expect: faq_court_fee_relief\n")


@pytest.fixture(scope="module")
def project_copy(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A copy of the project with its own models/ and knowledge base."""
    copy = tmp_path_factory.mktemp("project")
    for name in COPIED:
        source = PROJECT_ROOT / name
        if source.is_dir():
            shutil.copytree(source, copy / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            (copy / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, copy / name)
    yield copy


def test_retrain_serves_the_new_intent_without_restart_and_a_broken_entry_keeps_the_old_model(
    project_copy: Path, trained_model: Path
):
    copy = project_copy
    kb_url = f"sqlite:///{copy / 'knowledge.db'}"
    models = copy / "models"
    models.mkdir()
    shutil.copy2(trained_model, models / trained_model.name)
    current = make_current(models / trained_model.name)
    assert run_module(copy, "knowledge", "load", kb_url=kb_url).returncode == 0

    actions = start_action_server(copy / "actions.log", environment={"KB_DATABASE_URL": kb_url}, cwd=copy)
    try:
        endpoints = write_endpoints(copy / "endpoints-test.yml", actions.url)
        rasa = start_rasa_server(current, endpoints, copy / "rasa.log", api_token=API_TOKEN,
                                 credentials=copy / "credentials.yml", cwd=copy)
        try:
            def ask(text: str) -> str:
                return reply_text(post_json(f"{rasa.url}/webhooks/rest/webhook",
                                            {"sender": f"retrain-{uuid.uuid4().hex}", "message": text}))

            question = "can the court reduce my court fees?"
            assert NEW_ANSWER not in ask(question)

            add_court_fee_topic(copy)
            assert run_module(copy, "knowledge", "load", kb_url=kb_url).returncode == 0
            retrained = run_module(copy, "scripts.retrain", "--min-accuracy", "0.9", kb_url=kb_url,
                                   RASA_URL=rasa.url, RASA_API_TOKEN=API_TOKEN)
            assert retrained.returncode == 0, retrained.stdout[-3000:] + retrained.stderr[-3000:]
            assert "now serves the new model" in retrained.stdout
            serving = current.resolve()
            assert serving != trained_model.resolve()
            # The same running server, no restart: the swapped-in model knows the new intent.
            assert NEW_ANSWER in ask(question)

            # A broken entry: an answer for a topic that does not exist.
            with open(copy / "knowledge" / "data" / "answers.yml", "a") as answers:
                answers.write("\n- topic: no_such_topic\n  language: en\n  legal_process: false\n"
                              "  source: legal-aid-law-2021\n  last_reviewed: 2026-11-29\n"
                              "  text: orphan\n")
            broken = run_module(copy, "scripts.retrain", kb_url=kb_url,
                                RASA_URL=rasa.url, RASA_API_TOKEN=API_TOKEN)
            assert broken.returncode == 1
            assert "answers.yml" in broken.stderr and "no_such_topic" in broken.stderr
            assert "previous model keeps serving" in broken.stderr
            assert current.resolve() == serving
            assert NEW_ANSWER in ask(question)
        finally:
            rasa.stop()
    finally:
        actions.stop()
