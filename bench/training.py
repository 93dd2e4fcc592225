"""Training-time measurements: our config from scratch, and retraining after one new intent.

Both run in a temporary copy of the project (its own `.rasa/cache`, since `rasa train`
keeps its training cache relative to the working directory), through
`scripts.model_store.train_model`, the function `make train` uses.
"""
from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from collections.abc import Iterator

from scripts.example_topic import TRAINING_FILES, add_training_edits, copy_project
from scripts.model_store import train_model

COPIED = TRAINING_FILES
@dataclass(frozen=True)
class TrainingTimes:
    """Seconds of `rasa train` for our config."""

    full_seconds: float
    retrain_seconds: float
    # The same config trained on the English examples only (issue #10's comparison).
    english_only_seconds: float | None = None
    english_only_model: Path | None = None


@contextlib.contextmanager
def captured_output(log_path: Path) -> Iterator[None]:
    """Send this process's (and its children's) stdout/stderr to `log_path` for the block."""
    log_path.parent.mkdir(parents=True, exist_ok=True)
    sys.stdout.flush()
    sys.stderr.flush()
    saved = os.dup(1), os.dup(2)
    with open(log_path, "ab") as log:
        os.dup2(log.fileno(), 1)
        os.dup2(log.fileno(), 2)
        try:
            yield
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os.dup2(saved[0], 1)
            os.dup2(saved[1], 2)
            os.close(saved[0])
            os.close(saved[1])


def measure_training(scratch: Path, log_path: Path) -> TrainingTimes:
    """Train our config from scratch in a copy, add one intent, and train again there; then
    train it from scratch on the English examples alone (a copy without data/nlu/zh)."""
    project = copy_project(scratch / "project", COPIED)
    try:
        with captured_output(log_path):
            full = train_model(project, project / "models" / "full.tar.gz")
            add_training_edits(project)
            # Same copy, so its training cache is warm, as on a maintainer's machine.
            retrain = train_model(project, project / "models" / "retrained.tar.gz")
    except subprocess.CalledProcessError as error:
        raise RuntimeError(f"training failed (exit {error.returncode}); see {log_path}:\n"
                           f"{log_path.read_text(errors='replace')[-3000:]}") from error
    english_project = copy_project(scratch / "english-only", COPIED)
    shutil.rmtree(english_project / "data" / "nlu" / "zh")
    english_model = english_project / "models" / "english-only.tar.gz"
    try:
        with captured_output(log_path):
            english = train_model(english_project, english_model)
    except subprocess.CalledProcessError as error:
        raise RuntimeError(f"English-only training failed (exit {error.returncode}); see {log_path}") from error
    return TrainingTimes(full, retrain, english, english_model)
