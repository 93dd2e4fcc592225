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
from typing import Iterator

from scripts.model_store import PROJECT_ROOT, train_model

COPIED = ("config.yml", "domain.yml", "credentials.yml", "endpoints.yml", "data", "rasa_addons")
NEW_INTENT = "faq_court_fee_relief"
NEW_EXAMPLES = (
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
)


@dataclass(frozen=True)
class TrainingTimes:
    """Seconds of `rasa train` for our config."""

    full_seconds: float
    retrain_seconds: float


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


def copy_project(destination: Path, root: Path = PROJECT_ROOT) -> Path:
    """Copy what training needs into `destination` (no models, no training cache)."""
    for name in COPIED:
        source = root / name
        if source.is_dir():
            shutil.copytree(source, destination / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            destination.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, destination / name)
    return destination


def add_new_intent(project: Path) -> None:
    """Make the training-side edits of a new FAQ topic (README "Retraining"): nlu + domain."""
    with open(project / "data" / "nlu.yml", "a") as nlu:
        nlu.write(f"\n- intent: {NEW_INTENT}\n  examples: |\n")
        nlu.writelines(f"    - {example}\n" for example in NEW_EXAMPLES)
    domain = (project / "domain.yml").read_text()
    anchor = "  - faq_public_legal_services\n"
    if anchor not in domain:
        raise RuntimeError("domain.yml has no faq_public_legal_services intent to add after")
    (project / "domain.yml").write_text(domain.replace(anchor, f"{anchor}  - {NEW_INTENT}\n", 1))


def measure_training(scratch: Path, log_path: Path) -> TrainingTimes:
    """Train our config from scratch in a copy, add one intent, and train again there."""
    project = copy_project(scratch / "project")
    try:
        with captured_output(log_path):
            full = train_model(project, project / "models" / "full.tar.gz")
            add_new_intent(project)
            # Same copy, so its training cache is warm, as on a maintainer's machine.
            retrain = train_model(project, project / "models" / "retrained.tar.gz")
    except subprocess.CalledProcessError as error:
        raise RuntimeError(f"training failed (exit {error.returncode}); see {log_path}:\n"
                           f"{log_path.read_text(errors='replace')[-3000:]}") from error
    return TrainingTimes(full, retrain)
