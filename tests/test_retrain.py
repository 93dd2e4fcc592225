"""`make retrain` on a temporary copy of the project: a new intent, then a broken entry.

Marked `retrain` (run alone with `pytest -m retrain`); it trains one extra model.
"""
from __future__ import annotations

import secrets

import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path
from collections.abc import Iterator

import pytest

from scripts.example_topic import (
    NEW_ANSWER,
    SERVING_FILES,
    add_knowledge_edits,
    add_training_edits,
    copy_project,
)
from scripts.model_store import make_current
from scripts.services import start_action_server, start_rasa_server, write_endpoints
from testkit.support import post_json, reply_text

pytestmark = pytest.mark.retrain

COPIED = SERVING_FILES
API_SECRET = secrets.token_urlsafe(32)


def run_module(copy: Path, *arguments: str, kb_url: str, **environment: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", *arguments], cwd=copy, capture_output=True, text=True, timeout=1200,
        env={**os.environ, "PYTHONPATH": str(copy), "KB_DATABASE_URL": kb_url,
             "RASA_TELEMETRY_ENABLED": "false", **environment},
    )


def add_court_fee_topic(copy: Path) -> None:
    """The four edits a maintainer makes for a new FAQ topic, plus a held-out question."""
    add_training_edits(copy)
    add_knowledge_edits(copy)
    with open(copy / "tests" / "heldout" / "questions.yml", "a") as questions:
        questions.write('- text: "my income is tiny, will the court let me off the filing fee?"\n'
                        "  expect: faq_court_fee_relief\n")


@pytest.fixture(scope="module")
def project_copy(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A copy of the project with its own models/ and knowledge base."""
    yield copy_project(tmp_path_factory.mktemp("project"), COPIED)


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
        rasa = start_rasa_server(current, endpoints, copy / "rasa.log", api_secret=API_SECRET,
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
                                   RASA_URL=rasa.url, RASA_JWT_SECRET=API_SECRET)
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
                                RASA_URL=rasa.url, RASA_JWT_SECRET=API_SECRET)
            assert broken.returncode == 1
            assert "answers.yml" in broken.stderr and "no_such_topic" in broken.stderr
            assert "previous model keeps serving" in broken.stderr
            assert current.resolve() == serving
            assert NEW_ANSWER in ask(question)
        finally:
            rasa.stop()
    finally:
        actions.stop()
