"""The project's own checks of training data against the knowledge base.

`rasa data validate` checks Rasa's files among themselves; these checks cover
what only this project knows: every faq_/stat_ intent has knowledge-base content
and every knowledge-base topic has an intent; no example appears twice or under
two intents; every pre-check option's button fits Telegram's callback data.

    python -m scripts.check_training_data      # exit 1 and one line per problem
"""
from __future__ import annotations

import re
import sys
from collections import defaultdict
from pathlib import Path

import yaml

from assistant.contract import (
    MAX_BUTTON_PAYLOAD_BYTES,
    PROBLEM_INTENT_PREFIX,
    eligibility_button_payload,
    intent_of,
    is_knowledge_intent,
    problem_kind_of,
    topic_of,
)
from knowledge.loader import Problem
from scripts.model_store import PROJECT_ROOT
from scripts.training_data import nlu_examples

_ANNOTATION = re.compile(r"\[([^\]]*)\]\([^)]*\)|\[([^\]]*)\]\{[^}]*\}")


# One problem, named by file and entry: the same shape as the knowledge loader's.
Finding = Problem


def comparable(example: str) -> str:
    """Reduce an example to what matters for duplicate detection."""
    example = _ANNOTATION.sub(lambda m: m.group(1) or m.group(2) or "", example)
    return " ".join(re.findall(r"\w+", example.lower()))


def read_examples(root: Path) -> dict[str, list[tuple[str, str]]]:
    """Return intent -> [(file, example)] from the NLU files, as Rasa reads them."""
    examples: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for example in nlu_examples(root):
        examples[example.intent].append((example.file, example.text))
    return examples


def check(root: Path = PROJECT_ROOT, knowledge_dir: Path | None = None) -> list[Finding]:
    """Return every problem found (empty when all is well)."""
    from knowledge.loader import load_data_dir

    findings: list[Finding] = []
    knowledge_dir = knowledge_dir or root / "knowledge" / "data"
    knowledge = load_data_dir(knowledge_dir)  # raises DataFileError with its own messages
    answers_file = str((knowledge_dir / "answers.yml").relative_to(root))
    statistics_file = str((knowledge_dir / "statistics.yml").relative_to(root))
    answered_topics = {row["topic_key"] for row in knowledge.answers}
    indicator_topic = {row["key"]: row["topic_key"] for row in knowledge.indicators}
    figure_topics = {indicator_topic[row["indicator_key"]] for row in knowledge.statistics}

    domain_intents = set(yaml.safe_load((root / "domain.yml").read_text())["intents"])
    examples = read_examples(root)

    for intent in sorted(domain_intents | set(examples)):
        kind, key = topic_of(intent) or ("", "")
        if kind == "faq" and key not in answered_topics:
            findings.append(Finding(answers_file, intent,
                                    f"intent {intent} has no answer: add one with topic {key}"))
        if kind == "stat" and key not in figure_topics:
            findings.append(Finding(statistics_file, intent,
                                    f"intent {intent} has no figures for topic {key}"))
        if intent not in domain_intents:
            findings.append(Finding("domain.yml", intent, "intent has examples but is not listed under intents"))
        elif intent not in examples and is_knowledge_intent(intent):
            findings.append(Finding("data/nlu/", intent, "intent is in domain.yml but has no examples"))
    intent_topics = {topic_of(intent) for intent in domain_intents} - {None}
    for kind, topics, file in (("faq", answered_topics, answers_file), ("stat", figure_topics, statistics_file)):
        for topic in sorted(topics - {key for k, key in intent_topics if k == kind}):
            what = "answer" if kind == "faq" else "figures"
            findings.append(Finding(file, topic, f"{what} {'has' if kind == 'faq' else 'have'} no intent: "
                                    f"add {intent_of(kind, topic)} to domain.yml and data/nlu/"))

    findings += _problem_kinds_without_routes_or_intents(knowledge, domain_intents, examples, knowledge_dir, root)
    findings += buttons_too_long(knowledge, str((knowledge_dir / "eligibility_options.yml").relative_to(root)))

    seen: dict[str, tuple[str, str, str]] = {}
    for intent, items in sorted(examples.items()):
        for file, example in items:
            key = comparable(example)
            if not key:
                continue
            if key in seen:
                first_intent, first_file, first_example = seen[key]
                if first_intent == intent:
                    reason = f'duplicate example "{example}" (also in {first_file})'
                else:
                    reason = (f'example "{example}" conflicts with "{first_example}" '
                              f"under intent {first_intent} ({first_file})")
                findings.append(Finding(file, intent, reason))
            else:
                seen[key] = (intent, file, example)
    return findings


def _problem_kinds_without_routes_or_intents(knowledge, domain_intents: set[str], examples, knowledge_dir: Path,
                                             root: Path) -> list[Finding]:
    """Every problem_<kind> intent has routes, every kind with routes an intent with examples."""
    routes_file = str((knowledge_dir / "problem_routes.yml").relative_to(root))
    routed = {row["key"] for row in knowledge.problem_routes}
    intended = {kind for intent in domain_intents if (kind := problem_kind_of(intent))}
    findings = [Finding(routes_file, f"{PROBLEM_INTENT_PREFIX}{kind}", "intent has no routes: add the kind")
                for kind in sorted(intended - routed)]
    findings += [Finding("domain.yml", kind, f"routes have no intent: add {PROBLEM_INTENT_PREFIX}{kind}")
                 for kind in sorted(routed - intended)]
    findings += [Finding("data/nlu/", f"{PROBLEM_INTENT_PREFIX}{kind}", "intent has no examples")
                 for kind in sorted(intended) if f"{PROBLEM_INTENT_PREFIX}{kind}" not in examples]
    return findings


def buttons_too_long(knowledge, options_file: str) -> list[Finding]:
    """The pre-check options whose button payload would not fit, signed, in Telegram's
    callback data (the knowledge base holds plain values; the buttons are the actions')."""
    findings = []
    for row in knowledge.eligibility_options:
        payload = eligibility_button_payload(row["question_key"], row["value"])
        if len(payload.encode()) > MAX_BUTTON_PAYLOAD_BYTES:
            findings.append(Finding(options_file, f"{row['question_key']}/{row['value']}",
                                    f"button payload {payload!r} is longer than {MAX_BUTTON_PAYLOAD_BYTES} "
                                    "bytes (Telegram's limit): shorten the value"))
    return findings


def main() -> int:
    """Print the problems; exit 1 if there are any."""
    from knowledge.loader import DataFileError

    try:
        findings = check()
    except DataFileError as error:
        for problem in error.problems:
            print(f"error: {problem}", file=sys.stderr)
        return 1
    for finding in findings:
        print(f"error: {finding}", file=sys.stderr)
    if not findings:
        print("Training data and knowledge base agree: every intent has an answer, no duplicates.")
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main())
