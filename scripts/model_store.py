"""Trains the Rasa model only when its inputs changed, and says which model serves.

Models are stored as models/<hash>.tar.gz, where <hash> covers everything that
changes what training produces (config, domain, training data, custom components,
pinned versions). models/current.tar.gz links to the model that serves; a model
becomes current only after it trained (and, for `make retrain`, passed evaluation).

    python -m scripts.model_store hash       # print the inputs hash
    python -m scripts.model_store ensure     # train if no model for the hash; make it current
    python -m scripts.model_store train      # train even if a model exists; make it current
    python -m scripts.model_store path       # print the path of the current model
"""
from __future__ import annotations

import argparse
import hashlib
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from collections.abc import Iterable

PROJECT_ROOT = Path(__file__).resolve().parent.parent
TRAINING_INPUT_GLOBS = (
    "config.yml",
    "domain.yml",
    "domain/**/*.yml",
    "data/**/*.yml",
    "rasa_addons/**/*.py",
    "rasa_addons/**/*.yml",
    "rasa_addons/**/*.txt",
    "assistant/**/*.py",
    "assistant/**/*.yml",
    "requirements.txt",
)
# Run-time plug-ins of the Rasa server (input channels, the action-reply check): editing
# them must not force a retraining.
SERVING_ONLY_GLOBS = (
    "rasa_addons/*_channel.py",  # includes secret_channel.py, their shared base
    "rasa_addons/action_response_validation.py",
    "rasa_addons/privacy_retention.py",
    "rasa_addons/tracker_store.py",  # the tracker store of endpoints.yml
    "rasa_addons/tracker_window.py",
    "rasa_addons/lock_store.py",  # the lock store of deploy/endpoints.yml
    "rasa_addons/turn_limits.py",
    "rasa_addons/keep_alive.py",
    "rasa_addons/action_payload.py",
    "assistant/privacy.py",
    "assistant/unanswered_report.py",
    "assistant/log_privacy.py",
    "assistant/charts.py",  # the chart message's contract: actions and front ends, not the NLU
)
CURRENT_MODEL_NAME = "current.tar.gz"


def training_inputs(root: Path = PROJECT_ROOT) -> list[Path]:
    """Return the files whose content decides the trained model, sorted."""
    files = set()
    for pattern in TRAINING_INPUT_GLOBS:
        files.update(path for path in root.glob(pattern) if path.is_file())
    for pattern in SERVING_ONLY_GLOBS:
        files.difference_update(root.glob(pattern))
    return sorted(files)


def inputs_hash(root: Path = PROJECT_ROOT) -> str:
    """Return a short hash of the training inputs' paths and contents."""
    digest = hashlib.sha256()
    for path in training_inputs(root):
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()[:16]


def rasa_environment() -> dict:
    """Return the environment for rasa commands: telemetry off, quiet TensorFlow."""
    environment = dict(os.environ)
    environment.setdefault("RASA_TELEMETRY_ENABLED", "false")
    environment.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    environment.setdefault("ACTION_SERVER_URL", "http://127.0.0.1:5055/webhook")
    return environment


def rasa_executable() -> str:
    """Return the rasa command of the running interpreter's environment."""
    candidate = Path(sys.executable).with_name("rasa")
    return str(candidate) if candidate.exists() else "rasa"


def train_model(root: Path, destination: Path, extra_args: Iterable[str] = ()) -> float:
    """Train into a temporary directory, then move the model to `destination`.

    Returns the training time in seconds. Raises CalledProcessError on failure,
    leaving `destination` untouched.
    """
    destination.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="train-", dir=destination.parent) as scratch:
        started = time.monotonic()
        subprocess.run(
            [
                rasa_executable(), "train",
                "--config", str(root / "config.yml"),
                "--domain", str(root / "domain.yml"),
                "--data", str(root / "data"),
                "--out", scratch,
                "--fixed-model-name", "model",
                # Rasa's training cache keys a component by its config and data, not by our
                # code, so after an edit to rasa_addons/ or assistant/ it restored outputs of
                # the old code (3 Dec 2026: a language-detection change "trained" in 17 s).
                # This function runs only when the inputs hash changed or on request.
                "--force",
                *extra_args,
            ],
            cwd=root,
            env={**rasa_environment(), "PYTHONPATH": str(root)},
            check=True,
        )
        elapsed = time.monotonic() - started
        os.replace(Path(scratch) / "model.tar.gz", destination)
    return elapsed


def make_current(model: Path) -> Path:
    """Point models/current.tar.gz at `model` atomically; return the link."""
    link = model.parent / CURRENT_MODEL_NAME
    temporary = model.parent / f".{CURRENT_MODEL_NAME}.{os.getpid()}"
    if temporary.is_symlink() or temporary.exists():
        temporary.unlink()
    temporary.symlink_to(model.name)
    os.replace(temporary, link)
    return link


def current_model(models_dir: Path) -> Path | None:
    """Return the resolved current model, or None."""
    link = models_dir / CURRENT_MODEL_NAME
    return link.resolve() if link.exists() else None


def ensure_model(root: Path = PROJECT_ROOT, models_dir: Path | None = None,
                 force: bool = False) -> Path:
    """Return the model for the current inputs, training it first if needed."""
    models_dir = models_dir or root / "models"
    model = models_dir / f"{inputs_hash(root)}.tar.gz"
    if force or not model.exists():
        print(f"Training model {model.name} (inputs changed or no model yet)...", flush=True)
        seconds = train_model(root, model)
        print(f"Trained {model.name} in {seconds:.0f} s.", flush=True)
    else:
        print(f"Model {model.name} is up to date; not retraining.", flush=True)
    make_current(model)
    return model


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["hash", "ensure", "train", "path"])
    arguments = parser.parse_args(argv)
    if arguments.command == "hash":
        print(inputs_hash())
    elif arguments.command == "path":
        model = current_model(PROJECT_ROOT / "models")
        if model is None:
            print("No current model; run `make train`.", file=sys.stderr)
            return 1
        print(model)
    else:
        try:
            ensure_model(force=arguments.command == "train")
        except subprocess.CalledProcessError as error:
            print(f"Training failed (exit {error.returncode}); the current model is unchanged.",
                  file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
