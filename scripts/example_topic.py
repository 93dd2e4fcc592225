"""A worked example of teaching the assistant a new FAQ topic, on a copy of the project.

Used by tests/test_retrain.py (proof that `make retrain` serves a new intent) and by
bench/training.py (retraining time); it makes exactly the edits README "Retraining
with new intents" lists.
"""
from __future__ import annotations

import shutil
from pathlib import Path
from collections.abc import Iterable

from assistant.contract import topic_of
from scripts.model_store import PROJECT_ROOT

# What a copy of the project needs to train (TRAINING) and to serve and retrain (SERVING).
TRAINING_FILES = ("config.yml", "domain.yml", "credentials.yml", "endpoints.yml", "data",
                  "rasa_addons", "assistant")
SERVING_FILES = (*TRAINING_FILES, "actions", "knowledge", "scripts", "tests/heldout")

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
NEW_EXAMPLES_ZH = (
    "诉讼费可以减免吗",
    "交不起诉讼费怎么办",
    "法院的案件受理费能缓交吗",
    "打官司的钱太贵了能少交点吗",
    "诉讼费减免怎么申请",
    "经济困难能免交诉讼费吗",
    "司法救助可以免诉讼费吗",
    "受援人诉讼费能不能免",
    "起诉费用能申请缓交吗",
    "低收入打官司诉讼费怎么算",
    "诉讼费可以先不交吗",
    "法院收费减免的条件",
    "申请缓交诉讼费要什么材料",
    "诉讼费能不能等判决后再交",
    "穷人打官司要交诉讼费吗",
    "減免訴訟費怎麼辦理",
    "诉讼费 waiver 怎么弄",
    "诉讼费太高了怎么办啊",
    "怎么向法院申请减交诉讼费",
    "诉讼费免交需要什么条件",
)
NEW_ANSWER = "Courts can defer, reduce or waive court fees for people in financial hardship"
NEW_ANSWER_ZH = "经济确有困难的当事人，可以向人民法院申请缓交、减交或者免交诉讼费用"


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
    """The training-side edits: examples in data/nlu/{en,zh}/faq.yml, the intent in domain.yml."""
    for language, examples in (("en", NEW_EXAMPLES), ("zh", NEW_EXAMPLES_ZH)):
        with open(project / "data" / "nlu" / language / "faq.yml", "a", encoding="utf-8") as nlu:
            nlu.write(f"\n- intent: {NEW_INTENT}\n  examples: |\n")
            nlu.writelines(f"    - {example}\n" for example in examples)
    domain = (project / "domain.yml").read_text()
    anchor = "  - faq_public_legal_services\n"
    if anchor not in domain:
        raise RuntimeError("domain.yml has no faq_public_legal_services intent to add after")
    (project / "domain.yml").write_text(domain.replace(anchor, f"{anchor}  - {NEW_INTENT}\n", 1))


def add_knowledge_edits(project: Path) -> None:
    """The knowledge-side edits: the topic's titles and its answer in both languages."""
    _kind, topic = topic_of(NEW_INTENT)
    with open(project / "knowledge" / "data" / "topics.yml", "a", encoding="utf-8") as topics:
        topics.write(f'\n- {{kind: faq, key: {topic}, title: "Court fee relief", title_zh: "诉讼费减免"}}\n')
    with open(project / "knowledge" / "data" / "answers.yml", "a", encoding="utf-8") as answers:
        answers.write(
            f"\n- topic: {topic}\n  language: en\n  legal_process: true\n"
            "  source: legal-aid-law-2021\n  last_reviewed: 2026-11-29\n  text: |-\n"
            f"    {NEW_ANSWER} (judicial assistance). Legal aid recipients can ask the court to"
            " defer, reduce or waive fees (Legal Aid Law Art. 53). Ask the court's filing office"
            " or call 12348 for the local procedure and the documents the court expects.\n")
        answers.write(
            f"\n- topic: {topic}\n  language: zh\n  legal_process: true\n"
            "  source: legal-aid-law-2021\n  last_reviewed: 2026-11-29\n  text: |-\n"
            f"    {NEW_ANSWER_ZH}（司法救助）。法律援助受援人可以向法院申请缓交、减交或者免交诉讼费"
            "（《法律援助法》第五十三条）。具体程序和所需材料，请咨询受理案件的法院立案庭，"
            "或拨打12348公共法律服务热线。\n")
