"""Trains NLU pipeline variants on the same bilingual data and scores each on every
development set, for README "Choosing the pipeline" (never on the final sets: a
choice made on them would make them development sets too).

    python -m scripts.compare_pipelines [--variants mixed,whitespace] [--epochs 100]

Each variant is config.yml with some components swapped, trained in its own copy of
the project (so `rasa train` caches do not mix), served on loopback and evaluated
like `make evaluate`. Variants train one after the other: never two at once.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path
from collections.abc import Callable

import yaml

from knowledge.loader import load_into_url
from scripts.evaluate import DEVELOPMENT_SETS, RasaClient, accuracy, evaluate_sets
from scripts.example_topic import SERVING_FILES, copy_project
from scripts.model_store import PROJECT_ROOT, train_model
from scripts.services import serving

TOKENIZER = "rasa_addons.tokenizers.MixedScriptTokenizer"
NORMALISER = "rasa_addons.text_normaliser.TextNormaliser"
CLASSIFIER = "rasa_addons.intent_classifier.TfidfLogisticRegressionClassifier"
# The classifier before 3 Dec 2026, for the comparison in README "Choosing the pipeline".
DIET_WITHOUT_TRANSFORMER = {
    "name": "DIETClassifier", "epochs": 60, "number_of_transformer_layers": 0,
    "batch_size": [64, 256], "constrain_similarities": True, "entity_recognition": False,
    "random_seed": 42,
}


def _replace(name: str, replacement: dict) -> Callable[[list[dict]], list[dict]]:
    def edit(pipeline: list[dict]) -> list[dict]:
        return [replacement if step["name"] == name else step for step in pipeline]
    return edit


def _without_glossary(pipeline: list[dict]) -> list[dict]:
    return [{**step, "glossary": None} if step["name"] == NORMALISER else step for step in pipeline]


VARIANTS: dict[str, Callable[[list[dict]], list[dict]]] = {
    "mixed": lambda pipeline: pipeline,
    "whitespace": _replace(TOKENIZER, {"name": "WhitespaceTokenizer"}),
    "jieba": _replace(TOKENIZER, {"name": "rasa_addons.tokenizers.AnyLanguageJiebaTokenizer",
                                  "dictionary_path": "rasa_addons/jieba"}),
    "mixed-no-glossary": _without_glossary,
    "diet": _replace(CLASSIFIER, DIET_WITHOUT_TRANSFORMER),
    "whitespace-no-glossary": lambda pipeline: _without_glossary(
        _replace(TOKENIZER, {"name": "WhitespaceTokenizer"})(pipeline)
    ),
}


def variant_config(name: str, epochs: int) -> dict:
    """Return config.yml with the variant's pipeline; `epochs` applies to DIET variants."""
    config = yaml.safe_load((PROJECT_ROOT / "config.yml").read_text())
    pipeline = VARIANTS[name](config["pipeline"])
    config["pipeline"] = [
        {**step, "epochs": epochs} if step["name"] == "DIETClassifier" else step for step in pipeline
    ]
    return config


def measure(name: str, epochs: int, scratch: Path, kb_url: str) -> dict[str, float]:
    """Train and evaluate one variant; return its training seconds and accuracies."""
    project = copy_project(scratch / name, SERVING_FILES)
    (project / "config.yml").write_text(yaml.safe_dump(variant_config(name, epochs), sort_keys=False))
    if name == "jieba":
        # Rasa's JiebaTokenizer reads every file of a folder as a user dictionary.
        folder = project / "rasa_addons" / "jieba"
        folder.mkdir()
        (folder / "userdict.txt").write_bytes((project / "rasa_addons" / "jieba_userdict.txt").read_bytes())
    model = project / "models" / "model.tar.gz"
    seconds = train_model(project, model)
    with serving(model, project, environment={"KB_DATABASE_URL": kb_url}, cwd=project) as servers:
        started = time.monotonic()
        results = evaluate_sets(RasaClient(servers.rasa.url, servers.api_secret), DEVELOPMENT_SETS)
        evaluated = time.monotonic() - started
    row = {"training_seconds": seconds, "evaluation_seconds": evaluated}
    row.update({set_name: accuracy(outcomes) for set_name, outcomes in results.items()})
    return row


def main(argv: list[str] | None = None) -> int:
    """Measure the variants and print a Markdown table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--variants", default=",".join(VARIANTS))
    parser.add_argument("--epochs", type=int, default=100)
    arguments = parser.parse_args(argv)
    rows = {}
    with tempfile.TemporaryDirectory(prefix="pipelines-") as scratch:
        kb_url = f"sqlite:///{Path(scratch) / 'knowledge.db'}"
        load_into_url(kb_url)
        for name in arguments.variants.split(","):
            rows[name] = measure(name, arguments.epochs, Path(scratch), kb_url)
            print(f"{name}: {rows[name]}", flush=True)
    sets = [question_set.name for question_set in DEVELOPMENT_SETS]
    print("\n| variant | " + " | ".join(sets) + " | training |")
    print("|---|" + "---|" * (len(sets) + 1))
    for name, row in rows.items():
        cells = " | ".join(f"{row[s]:.3f}" for s in sets)
        print(f"| {name} | {cells} | {row['training_seconds']:.0f} s |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
