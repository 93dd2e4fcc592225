"""`make retrain`: validate, train a candidate, evaluate it, and only then serve it.

1. `rasa data validate` and the project's own checks (scripts/check_training_data.py);
2. train a candidate model (the serving model is untouched);
3. evaluate the candidate on the held-out questions (scripts/evaluate.py);
4. make it models/current.tar.gz, and if a Rasa server is running (RASA_URL and
   RASA_JWT_SECRET set), swap it in through Rasa's `PUT /model` API.
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
import urllib.request
from pathlib import Path

from scripts.check_training_data import check
from scripts.evaluate import ACCURACY_SETS, RasaClient, accuracy, below_bar, evaluate_sets, report
from scripts.rasa_api import JWT_SECRET_ENV, api_headers
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


def evaluate_candidate(root: Path, model: Path, kb_database_url: str | None,
                       min_accuracy: float | None) -> str:
    """Serve the candidate on loopback and score it on every held-out set; raise below a bar.

    Each set must reach its language's bar (assistant.contract.MIN_HELDOUT_ACCURACY), or
    `min_accuracy` for every set when given.
    """
    from scripts.services import serving

    environment = {"KB_DATABASE_URL": kb_database_url} if kb_database_url else {}
    with tempfile.TemporaryDirectory(prefix="retrain-") as scratch:
        with serving(model, Path(scratch), environment=environment, cwd=root) as servers:
            results = evaluate_sets(RasaClient(servers.rasa.url, servers.api_secret),
                                    list(ACCURACY_SETS.values()))
    summary = "\n".join(
        f"{name}: {accuracy(outcomes):.1%} of {len(outcomes)}" for name, outcomes in results.items()
    )
    if min_accuracy is not None:
        failures = [f"{name}: {accuracy(o):.1%} is below {min_accuracy:.0%}"
                    for name, o in results.items() if accuracy(o) < min_accuracy]
    else:
        failures = below_bar(results)
    if failures:
        reports = "\n\n".join(f"## {name}\n{report(o)}" for name, o in results.items())
        raise RetrainFailed("held-out accuracy too low:\n" + "\n".join(failures) + "\n\n" + reports)
    return summary


def hot_swap(model: Path) -> str:
    """Ask a running Rasa server to load `model`; return what happened."""
    url, secret = os.environ.get("RASA_URL"), os.environ.get(JWT_SECRET_ENV)
    if not (url and secret):
        return f"No RASA_URL/{JWT_SECRET_ENV} set: restart `make run` to serve the new model."
    request = urllib.request.Request(
        f"{url.rstrip('/')}/model", data=json.dumps({"model_file": str(model)}).encode(),
        headers={"Content-Type": "application/json", **api_headers(secret)}, method="PUT",
    )
    try:
        with urllib.request.urlopen(request, timeout=300) as response:
            return f"Running Rasa server at {url} now serves the new model (HTTP {response.status})."
    except (urllib.error.URLError, OSError) as error:
        return f"Could not reach the Rasa server at {url} ({error}); restart it to serve the new model."


def retrain(root: Path = PROJECT_ROOT, kb_database_url: str | None = None,
            min_accuracy: float | None = None) -> Path:
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
        summary = evaluate_candidate(root, candidate, kb_database_url, min_accuracy)
        print(summary, flush=True)
    except BaseException:
        candidate.unlink(missing_ok=True)
        raise
    os.replace(candidate, final)
    make_current(final)
    print(f"4/4 {final.name} is now models/{'current.tar.gz'}. {hot_swap(final)}")
    print(f"Retrained in {time.monotonic() - started:.0f} s.")
    return final


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--min-accuracy", type=float, default=None,
                        help="one bar for every held-out set (default: each language's bar)")
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
