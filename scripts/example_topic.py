"""A worked example of teaching the assistant a new FAQ topic, on a copy of the project.

Used by tests/test_retrain.py (proof that `make retrain` serves a new intent) and by
bench/training.py (retraining time); it makes exactly the edits README "Retraining
with new intents" lists.
"""
from __future__ import annotations

import shutil
from pathlib import Path
from typing import Iterable

from scripts.model_store import PROJECT_ROOT

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
NEW_ANSWER = "Courts can defer, reduce or waive court fees for people in financial hardship"


def copy_project(destination: Path, names: Iterable[str], root: Path = PROJECT_ROOT) -> Path:
    """Copy the named files and folders of the project into `destination`."""
    for name in names:
        source = root / name
        if source.is_dir():
            shutil.copytree(source, destination / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            (destination / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, destination / name)
    return destination


def add_training_edits(project: Path) -> None:
    """The training-side edits: examples in data/nlu.yml, the intent in domain.yml."""
    with open(project / "data" / "nlu.yml", "a") as nlu:
        nlu.write(f"\n- intent: {NEW_INTENT}\n  examples: |\n")
        nlu.writelines(f"    - {example}\n" for example in NEW_EXAMPLES)
    domain = (project / "domain.yml").read_text()
    anchor = "  - faq_public_legal_services\n"
    if anchor not in domain:
        raise RuntimeError("domain.yml has no faq_public_legal_services intent to add after")
    (project / "domain.yml").write_text(domain.replace(anchor, f"{anchor}  - {NEW_INTENT}\n", 1))


def add_knowledge_edits(project: Path) -> None:
    """The knowledge-side edits: the topic's title and its answer."""
    topic = NEW_INTENT[len("faq_"):]
    with open(project / "knowledge" / "data" / "topics.yml", "a") as topics:
        topics.write(f'\n- {{kind: faq, key: {topic}, title: "Court fee relief"}}\n')
    with open(project / "knowledge" / "data" / "answers.yml", "a") as answers:
        answers.write(
            f"\n- topic: {topic}\n  language: en\n  legal_process: true\n"
            "  source: legal-aid-law-2021\n  last_reviewed: 2026-11-29\n  text: |-\n"
            f"    {NEW_ANSWER} (judicial assistance). Legal aid recipients can ask the court to"
            " defer, reduce or waive fees (Legal Aid Law Art. 53). Ask the court's filing office"
            " or call 12348 for the local procedure and the documents the court expects.\n")
