"""Scores the assistant on the held-out questions, end to end over HTTP.

Each question is sent through the REST channel as a new conversation (after its
`context` message, if any). A question counts as answered correctly when the bot
answered it from the expected knowledge-base topic (the `last_answer` slot, read
through the token-protected HTTP API) and, where the question names a `figure`,
that figure appears in the reply. Base intents are checked by their reply text.

    python -m scripts.evaluate [--questions tests/heldout/questions.yml]

starts the action server and Rasa with models/current.tar.gz on free loopback
ports and prints per-topic accuracy, out-of-scope rejection and the confusions.
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
import urllib.parse
import urllib.request
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, List, Optional

import yaml

from scripts.model_store import PROJECT_ROOT, current_model

DEFAULT_QUESTIONS = PROJECT_ROOT / "tests" / "heldout" / "questions.yml"
# What the reply to each base intent contains (see domain.yml responses).
BASE_REPLY_MARKERS = {
    "greet": "Hello",
    "goodbye": "Goodbye",
    "thank": "welcome",
    "bot_challenge": "automated assistant",
    "help": "Try one of these",
    "human_handoff": "To talk to a person",
    "out_of_scope": "I can only help with",
}


@dataclass(frozen=True)
class Outcome:
    """One held-out question and what the bot did with it."""

    text: str
    expect: str
    answered_as: str
    correct: bool
    reply: str
    figure: Optional[str] = None


def load_questions(path: Path = DEFAULT_QUESTIONS) -> List[Dict[str, Any]]:
    """Return the held-out questions."""
    return yaml.safe_load(path.read_text())["questions"]


class RasaClient:
    """The REST channel plus the token-protected tracker endpoint."""

    def __init__(self, base_url: str, api_token: str) -> None:
        self.base_url = base_url.rstrip("/")
        self.api_token = api_token

    def send(self, sender: str, text: str) -> List[Dict[str, Any]]:
        """Send a user message; return the bot's messages."""
        request = urllib.request.Request(
            f"{self.base_url}/webhooks/rest/webhook",
            data=json.dumps({"sender": sender, "message": text}).encode(),
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=60) as response:
            return json.loads(response.read())

    def slot_set_in_last_turn(self, sender: str, name: str) -> Optional[Any]:
        """Return the value the last turn set the slot to (None if it did not set it)."""
        query = urllib.parse.urlencode({"token": self.api_token, "include_events": "AFTER_RESTART"})
        url = f"{self.base_url}/conversations/{urllib.parse.quote(sender)}/tracker?{query}"
        with urllib.request.urlopen(url, timeout=30) as response:
            events = json.loads(response.read())["events"]
        value = None
        for event in events:
            if event.get("event") == "user":
                value = None
            elif event.get("event") == "slot" and event.get("name") == name:
                value = event.get("value")
        return value


def classify_answer(expect: str, reply: str, last_answer: Optional[str]) -> str:
    """Name what the bot answered as, in the vocabulary of `expect`."""
    if last_answer:
        if last_answer.startswith(("faq_", "stat_")):
            return last_answer
        if last_answer.startswith("unknown_statistic"):
            return "ask_unknown_statistic"
        return last_answer  # clarify, referral, not_understood, knowledge_unavailable
    for intent, marker in BASE_REPLY_MARKERS.items():
        if marker in reply:
            return intent
    return "other"


def is_correct(question: Dict[str, Any], answered_as: str, reply: str) -> bool:
    """Decide whether the reply answers the question as expected."""
    expect = question["expect"]
    figure = question.get("figure")
    if figure and figure not in reply:
        return False
    if expect == "ask_period_followup":
        return answered_as.startswith("stat_")
    if expect == "human_handoff":
        return answered_as == "referral"
    if expect == "out_of_scope":
        # Declining, or asking to rephrase without offering a figure, is a rejection.
        return answered_as in ("out_of_scope", "not_understood")
    return answered_as == expect


def evaluate(client: RasaClient, questions: List[Dict[str, Any]], run_id: str = "eval") -> List[Outcome]:
    """Ask every question in its own conversation and score the replies."""
    outcomes = []
    for number, question in enumerate(questions):
        sender = f"{run_id}-{number}"
        if question.get("context"):
            client.send(sender, question["context"])
        messages = client.send(sender, question["text"])
        reply = "\n".join(m.get("text", "") for m in messages)
        last_answer = client.slot_set_in_last_turn(sender, "last_answer")
        answered_as = classify_answer(question["expect"], reply, last_answer)
        outcomes.append(Outcome(
            text=question["text"], expect=question["expect"], answered_as=answered_as,
            correct=is_correct(question, answered_as, reply), reply=reply,
            figure=question.get("figure"),
        ))
    return outcomes


def report(outcomes: List[Outcome]) -> str:
    """Return a Markdown report: overall, per topic, out-of-scope, confusions."""
    total = len(outcomes)
    correct = sum(o.correct for o in outcomes)
    lines = [f"Held-out questions: {total}; answered correctly: {correct} ({correct / total:.1%})", ""]
    by_topic: Dict[str, List[Outcome]] = defaultdict(list)
    for outcome in outcomes:
        by_topic[outcome.expect].append(outcome)
    lines += ["| expected | n | correct | accuracy |", "|---|---|---|---|"]
    for topic in sorted(by_topic):
        group = by_topic[topic]
        hits = sum(o.correct for o in group)
        lines.append(f"| {topic} | {len(group)} | {hits} | {hits / len(group):.0%} |")
    out_of_scope = by_topic.get("out_of_scope", [])
    with_figure = [o for o in out_of_scope if o.answered_as.startswith("stat_")]
    if out_of_scope:
        rejected = sum(o.correct for o in out_of_scope)
        lines += ["", f"Out-of-scope rejected: {rejected}/{len(out_of_scope)}; "
                      f"answered with a figure: {len(with_figure)}"]
    figures = [o for o in outcomes if o.figure]
    if figures:
        lines.append(f"Press-conference figures quoted when asked: "
                     f"{sum(o.figure in o.reply for o in figures)}/{len(figures)}")
    confusions = Counter((o.expect, o.answered_as) for o in outcomes if not o.correct)
    if confusions:
        lines += ["", "Confusions (expected → answered as: count, example):"]
        for (expect, answered_as), count in confusions.most_common():
            example = next(o.text for o in outcomes if (o.expect, o.answered_as) == (expect, answered_as) and not o.correct)
            lines.append(f"- {expect} → {answered_as}: {count} (e.g. \"{example}\")")
    return "\n".join(lines)


def main(argv: Optional[List[str]] = None) -> int:
    """Start the servers, evaluate, print the report; exit 1 below the threshold."""
    from scripts.services import start_action_server, start_rasa_server, write_endpoints

    parser = argparse.ArgumentParser(description="Evaluate on the held-out questions.")
    parser.add_argument("--questions", type=Path, default=DEFAULT_QUESTIONS)
    parser.add_argument("--model", type=Path, default=None)
    parser.add_argument("--min-accuracy", type=float, default=0.95)
    arguments = parser.parse_args(argv)
    model = arguments.model or current_model(PROJECT_ROOT / "models")
    if model is None:
        print("No model; run `make train` first.", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory(prefix="evaluate-") as scratch:
        directory = Path(scratch)
        actions = start_action_server(directory / "actions.log")
        try:
            endpoints = write_endpoints(directory / "endpoints.yml", actions.url)
            rasa = start_rasa_server(model, endpoints, directory / "rasa.log", api_token="evaluate")
            try:
                outcomes = evaluate(RasaClient(rasa.url, "evaluate"), load_questions(arguments.questions))
            finally:
                rasa.stop()
        finally:
            actions.stop()
    print(report(outcomes))
    accuracy = sum(o.correct for o in outcomes) / len(outcomes)
    return 0 if accuracy >= arguments.min_accuracy else 1


if __name__ == "__main__":
    sys.exit(main())
