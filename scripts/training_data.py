"""The NLU training examples as Rasa reads them (its own loader, not a second YAML parser).

Rasa's reader handles every example format (plain, annotated, with metadata) and drops an
exact repeat within a file, as training does.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from scripts.model_store import PROJECT_ROOT


@dataclass(frozen=True)
class Example:
    """One training example: its file (relative to the project), intent and text."""

    file: str
    intent: str
    text: str


def nlu_examples(root: Path = PROJECT_ROOT) -> list[Example]:
    """Return every intent example under data/ (all languages), file by file."""
    from rasa.shared.data import is_nlu_file
    from rasa.shared.nlu.training_data.loading import load_data

    examples = []
    for path in sorted(p for p in (root / "data").rglob("*.yml") if is_nlu_file(str(p))):
        file = path.relative_to(root).as_posix()
        examples += [Example(file, message.get("intent"), message.get("text"))
                     for message in load_data(str(path)).intent_examples]
    return examples
