"""`make retrain`: validate, train a candidate, evaluate it, and only then serve it.

1. `rasa data validate` and the project's own checks (scripts/check_training_data.py);
2. train a candidate model (the serving model is untouched);
3. evaluate the candidate on the held-out questions (scripts/evaluate.py);
4. make it models/current.tar.gz, and if a Rasa server is running (RASA_URL and
   RASA_API_TOKEN set), swap it in through Rasa's `PUT /model` API.
On any failure the previous model keeps serving and the exit status is 1.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import List, Optional

from scripts.check_training_data import check
from scripts.evaluate import RasaClient, evaluate, load_questions, report
from scripts.model_store import (
    PROJECT_ROOT,
    inputs_hash,
    make_current,
    rasa_environment,
    rasa_executable,
    train_model,
)


class RetrainFailed(Exception):
    """A step failed; the message says which and why."""


def validate(root: Path) -> None:
    """Run Rasa's and the project's data checks."""
    from knowledge.loader import DataFileError

    completed = subprocess.run(
        [rasa_executable(), "data", "validate", "--config", "config.yml",
         "--domain", "domain.yml", "--data", "data"],
        cwd=root, env=rasa_environment(), capture_output=True, text=True,
    )
    if completed.returncode != 0:
        raise RetrainFailed("rasa data validate failed:\n" + (completed.stdout + completed.stderr)[-3000:])
    try:
        findings = check(root)
    except DataFileError as error:
        raise RetrainFailed("knowledge data is invalid:\n" + str(error)) from error
    if findings:
        raise RetrainFailed("training data problems:\n" + "\n".join(str(f) for f in findings))


def evaluate_candidate(root: Path, model: Path, questions: Path, kb_database_url: Optional[str],
                       min_accuracy: float) -> str:
    """Serve the candidate on loopback and score it; raise if below the bar."""
    from scripts.services import start_action_server, start_rasa_server, write_endpoints

    environment = {"KB_DATABASE_URL": kb_database_url} if kb_database_url else {}
    with tempfile.TemporaryDirectory(prefix="retrain-") as scratch:
        directory = Path(scratch)
        actions = start_action_server(directory / "actions.log", environment=environment, cwd=root)
        try:
            endpoints = write_endpoints(directory / "endpoints.yml", actions.url)
            rasa = start_rasa_server(model, endpoints, directory / "rasa.log", api_token="retrain",
                                     credentials=root / "credentials.yml", cwd=root)
            try:
                outcomes = evaluate(RasaClient(rasa.url, "retrain"), load_questions(questions))
            finally:
                rasa.stop()
        finally:
            actions.stop()
    summary = report(outcomes)
    accuracy = sum(o.correct for o in outcomes) / len(outcomes)
    if accuracy < min_accuracy:
        raise RetrainFailed(f"held-out accuracy {accuracy:.1%} is below {min_accuracy:.0%}:\n{summary}")
    return summary


def hot_swap(model: Path) -> str:
    """Ask a running Rasa server to load `model`; return what happened."""
    url, token = os.environ.get("RASA_URL"), os.environ.get("RASA_API_TOKEN")
    if not (url and token):
        return "No RASA_URL/RASA_API_TOKEN set: restart `make run` to serve the new model."
    request = urllib.request.Request(
        f"{url.rstrip('/')}/model?{urllib.parse.urlencode({'token': token})}",
        data=json.dumps({"model_file": str(model)}).encode(),
        headers={"Content-Type": "application/json"}, method="PUT",
    )
    try:
        with urllib.request.urlopen(request, timeout=300) as response:
            return f"Running Rasa server at {url} now serves the new model (HTTP {response.status})."
    except (urllib.error.URLError, OSError) as error:
        return f"Could not reach the Rasa server at {url} ({error}); restart it to serve the new model."


def retrain(root: Path = PROJECT_ROOT, questions: Optional[Path] = None,
            kb_database_url: Optional[str] = None, min_accuracy: float = 0.95) -> Path:
    """Run the whole retraining; return the model that now serves."""
    started = time.monotonic()
    print("1/4 Validating training data and knowledge base...", flush=True)
    validate(root)
    models_dir = root / "models"
    final = models_dir / f"{inputs_hash(root)}.tar.gz"
    candidate = models_dir / f"candidate-{final.name}"
    print("2/4 Training a candidate model...", flush=True)
    try:
        seconds = train_model(root, candidate)
    except subprocess.CalledProcessError as error:
        raise RetrainFailed(f"training failed (exit {error.returncode})") from error
    print(f"    trained in {seconds:.0f} s", flush=True)
    try:
        print("3/4 Evaluating the candidate on the held-out questions...", flush=True)
        summary = evaluate_candidate(
            root, candidate, questions or root / "tests" / "heldout" / "questions.yml",
            kb_database_url, min_accuracy,
        )
        print(summary.splitlines()[0], flush=True)
    except BaseException:
        candidate.unlink(missing_ok=True)
        raise
    os.replace(candidate, final)
    make_current(final)
    print(f"4/4 {final.name} is now models/{'current.tar.gz'}. {hot_swap(final)}")
    print(f"Retrained in {time.monotonic() - started:.0f} s.")
    return final


def main(argv: Optional[List[str]] = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--min-accuracy", type=float, default=0.95)
    arguments = parser.parse_args(argv)
    try:
        retrain(kb_database_url=os.environ.get("KB_DATABASE_URL"), min_accuracy=arguments.min_accuracy)
    except RetrainFailed as error:
        print(f"Retraining stopped: {error}", file=sys.stderr)
        print("The previous model keeps serving.", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
