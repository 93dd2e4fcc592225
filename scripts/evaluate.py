"""Scores the assistant on the held-out questions, end to end over HTTP, per language.

Each question is sent through the REST channel as a new conversation (after its
`context` message, if any). A question counts as answered correctly when the bot
answered it from the expected knowledge-base topic (the `last_answer` slot, read
through the HTTP API, with a JWT), where the question names a `figure` that
figure appears in the reply, and, for a Chinese set, the reply is in Chinese. Base
intents are checked by their reply text.

    python -m scripts.evaluate [--questions tests/heldout/zh_questions.yml]

starts the action server and Rasa with models/current.tar.gz on free loopback
ports and prints, per set, per-topic accuracy, out-of-scope rejection and the
confusions; exit 1 if a set is below its language's bar (assistant.contract).
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
import urllib.parse
import urllib.request
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import yaml

from assistant.contract import (
    ALSO_ANSWERED_BY,
    ANSWERED_BY_ANY_PROBLEM_ROUTE,
    CHECK_ELIGIBILITY_INTENT,
    CRISIS_ALSO_ANSWERS,
    HUMAN_HANDOFF_INTENT,
    LAST_ANSWER_SLOT,
    MIN_HELDOUT_ACCURACY,
    OUT_OF_SCOPE_INTENT,
    PERIOD_FOLLOWUP_INTENT,
    STAT_INTENT_PREFIX,
    SWITCH_LANGUAGE_INTENT,
    UNKNOWN_STATISTIC_INTENT,
    problem_kind_of,
)
from assistant.last_answer import LastAnswer
from assistant.language import is_mostly_chinese
from scripts.model_store import PROJECT_ROOT, current_model
from scripts.rasa_api import api_headers

HELDOUT_DIR = PROJECT_ROOT / "tests" / "heldout"
# Conversations scored at once. Each is its own sender, so none waits for another's lock; with
# two cores, Rasa's parse and the action server's work overlap: 403 personal messages took 28 s one
# at a time and 16 s three at a time, with the same outcomes (docs/design-notes.md, session 18).
EVALUATION_WORKERS = 3

_Item = TypeVar("_Item")
_Result = TypeVar("_Result")


def in_parallel(score: Callable[[_Item], _Result], items: Iterable[_Item], workers: int = 1) -> list[_Result]:
    """Apply `score` to every item, `workers` at a time; the results keep the items' order."""
    if workers <= 1:
        return [score(item) for item in items]
    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(score, items))


@dataclass(frozen=True)
class QuestionSet:
    """A held-out set: its file and the language its questions are in."""

    name: str
    path: Path
    language: str
    # Development sets guided choices (pipeline, thresholds, which examples to add); the
    # final sets were scored with the final model only, and must stay that way.
    development: bool = True
    # A set of personal messages by category (story, crisis, not_crisis, compound), in both
    # languages: each message's reply must be in its own language (issue #20).
    personal: bool = False

    @property
    def reply_language(self) -> str | None:
        """The language every reply must be in: Chinese for a Chinese set. The English
        sets hold a few Chinese and mixed questions, whose replies may be Chinese; a
        personal set names each message's language."""
        return "zh" if self.language == "zh" else None


HELDOUT_SETS = {
    # Written with the model, used to choose the English pipeline.
    "questions": QuestionSet("questions", HELDOUT_DIR / "questions.yml", "en"),
    # Written independently after tuning; scored once before any change it motivated.
    "fresh_questions": QuestionSet("fresh_questions", HELDOUT_DIR / "fresh_questions.yml", "en"),
    # Written in Chinese by a separate author without access to the training data.
    "zh_questions": QuestionSet("zh_questions", HELDOUT_DIR / "zh_questions.yml", "zh"),
    # Written on 3 Dec 2026 by a separate author from a list of intents, without the
    # training data or the other sets; never used to choose anything (README).
    "final_en": QuestionSet("final_en", HELDOUT_DIR / "final_en.yml", "en", development=False),
    "final_zh": QuestionSet("final_zh", HELDOUT_DIR / "final_zh.yml", "zh", development=False),
    # Personal stories, crises, ordinary messages about violence, compound messages, in both
    # languages, written on 4 Dec 2026 by separate authors from tests/heldout/PERSONAL_BRIEF.md
    # and the fact sheets only. `personal` was scored during the work. `personal_final` was
    # scored once at the end (crisis 76.7 %, stories 90.0 %: README); its crisis misses then
    # guided the crisis patterns, so it is a development set now, and the next final set must
    # be written anew.
    "personal": QuestionSet("personal", HELDOUT_DIR / "personal.yml", "both", personal=True),
    "personal_final": QuestionSet("personal_final", HELDOUT_DIR / "personal_final.yml", "both",
                                  personal=True),
    # Written on 4 Dec 2026 (evening) by another separate author from the same brief; kept
    # unseen while the work went on and scored once at the end (README: crisis 82.9 %,
    # stories 85.0 %). Its missed crises then became general patterns, so it is a
    # development set now, like personal_final before it.
    "personal_blind": QuestionSet("personal_blind", HELDOUT_DIR / "personal_blind.yml", "both",
                                  personal=True),
    # Crises and ordinary messages with frightening words only, written on 4 Dec 2026 (night)
    # by another separate author from the brief alone, to choose the crisis threshold. Its
    # missed crises then became patterns: a development set (README).
    "crisis_dev": QuestionSet("crisis_dev", HELDOUT_DIR / "crisis_dev.yml", "both", personal=True),
    # Written at the start of the third session (4 Dec 2026, night) by another separate author
    # from the brief and the fact sheets only; kept unseen until it was scored once at the end
    # of that session (README: crisis 94.0 %, stories 89.5 %). Its three missed crises and two
    # false alarms then became patterns: a development set now, like the blind sets before it.
    "personal_blind2": QuestionSet("personal_blind2", HELDOUT_DIR / "personal_blind2.yml", "both",
                                   personal=True),
    # Written at the start of session 9 (5 Dec 2026) by another separate author from the brief
    # and the fact sheets only; scored once at its end, then one bug it showed was fixed: a
    # development set now.
    "personal_blind3": QuestionSet("personal_blind3", HELDOUT_DIR / "personal_blind3.yml", "both",
                                   personal=True),
    # Written at the start of session 10 (5 Dec 2026) by another separate author from the brief and
    # the fact sheets only (320 messages); scored once at its end (docs/design-notes.md), then its
    # four missed crises and five false alarms became patterns: a development set now.
    "personal_blind4": QuestionSet("personal_blind4", HELDOUT_DIR / "personal_blind4.yml", "both",
                                   personal=True),
    # Written at the start of session 11 (5 Dec 2026) the same way (320 messages, 318 kept); scored
    # once at its end (docs/design-notes.md), then its four missed crises and three false alarms
    # became patterns and `unless` rules: a development set now.
    "personal_blind5": QuestionSet("personal_blind5", HELDOUT_DIR / "personal_blind5.yml", "both",
                                   personal=True),
    # Written in session 12 (5 Dec 2026) by another separate author from the brief and the fact
    # sheets only, as a development set of hard crises and ordinary messages (200): tuned on.
    "crisis_dev6": QuestionSet("crisis_dev6", HELDOUT_DIR / "crisis_dev6.yml", "both", personal=True),
    # Written at the start of session 12 (5 Dec 2026) by another separate author from the brief and
    # the fact sheets only (320 messages); scored once at its end (docs/design-notes.md), then its
    # eight missed crises became patterns: a development set now.
    "personal_blind6": QuestionSet("personal_blind6", HELDOUT_DIR / "personal_blind6.yml", "both",
                                   personal=True),
    # Written at the start of session 13 the same way (320 messages); scored once at its end, then
    # its eleven missed crises and three false alarms became patterns: a development set now.
    "personal_blind7": QuestionSet("personal_blind7", HELDOUT_DIR / "personal_blind7.yml", "both",
                                   personal=True),
    # Written at the start of session 14 the same way (320 messages); scored once at its end, then
    # its ten missed crises and seven false alarms became patterns: a development set now.
    "personal_blind8": QuestionSet("personal_blind8", HELDOUT_DIR / "personal_blind8.yml", "both",
                                   personal=True),
    # Written at the start of session 15 the same way (356 messages); scored once, then its six
    # missed crises became patterns and its confused kinds training examples: a development set now.
    "personal_blind9": QuestionSet("personal_blind9", HELDOUT_DIR / "personal_blind9.yml", "both",
                                   personal=True),
    # Written at the start of session 16 the same way (391 messages); scored once on the session's
    # first commit, then its two missed crises and one false alarm became patterns and its confused
    # kinds training examples in other words: a development set now.
    "personal_blind10": QuestionSet("personal_blind10", HELDOUT_DIR / "personal_blind10.yml", "both",
                                    personal=True),
    # Written at the start of session 17 the same way (405 messages); scored once on the session's
    # first commit, then a development set.
    "personal_blind11": QuestionSet("personal_blind11", HELDOUT_DIR / "personal_blind11.yml", "both",
                                    personal=True),
    # Written at the start of session 18 the same way (416 messages, two near-duplicates removed);
    # scored once on the session's first commit, then a development set.
    "personal_blind12": QuestionSet("personal_blind12", HELDOUT_DIR / "personal_blind12.yml", "both",
                                    personal=True),
}
ACCURACY_SETS = {name: s for name, s in HELDOUT_SETS.items() if not s.personal}
DEVELOPMENT_SETS = [s for s in HELDOUT_SETS.values() if s.development]
DEFAULT_QUESTIONS = HELDOUT_SETS["questions"].path
# The label of emergency help: "crisis:<situations>[;problem_<kind>]" (LastAnswer.label).
CRISIS_LABEL = LastAnswer("crisis").label
# What the reply to each base intent contains (assistant/replies.py), in either language.
BASE_REPLY_MARKERS = {
    "greet": ("Hello", "您好"),
    "goodbye": ("Goodbye", "再见"),
    "thank": ("welcome", "不客气"),
    "bot_challenge": ("automated assistant", "自动问答助手"),
    "help": ("Try one of these", "可以点击下面的问题"),
    HUMAN_HANDOFF_INTENT: ("To talk to a person", "人工服务"),
    OUT_OF_SCOPE_INTENT: ("I can only help with", "我只能解答"),
    SWITCH_LANGUAGE_INTENT: ("I'll answer in English", "我将用中文回答"),
    # Questions about the assistant and its answers (utter_meta_* in assistant/replies.py).
    "meta_legal_advice": ("not legal advice: it cannot replace", "不是法律意见：不能代替"),
    "meta_guarantee": ("I can't promise any outcome", "我无法对任何结果作出保证"),
    "meta_figure_source": ("names its source and date", "都注明来源和日期"),
    "meta_up_to_date": ("when it was last reviewed", "都标注了最后审核日期"),
    "meta_instruction": ("true and sourced", "真实、有来源"),
}


@dataclass(frozen=True)
class Outcome:
    """One held-out question and what the bot did with it."""

    text: str
    expect: str
    answered_as: str
    correct: bool
    reply: str
    figure: str | None = None
    # Whether the reply is in the question set's language.
    in_language: bool = True
    # Personal sets: the message's category and language, and the bot's first message.
    category: str = ""
    language: str = ""
    first_reply: str = ""


def load_questions(path: Path = DEFAULT_QUESTIONS) -> list[dict[str, Any]]:
    """Return the held-out questions."""
    return yaml.safe_load(path.read_text())["questions"]


class RasaClient:
    """The REST channel plus the JWT-protected tracker endpoint."""

    def __init__(self, base_url: str, api_secret: str) -> None:
        self.base_url = base_url.rstrip("/")
        self.api_secret = api_secret

    def send(self, sender: str, text: str) -> list[dict[str, Any]]:
        """Send a user message; return the bot's messages."""
        request = urllib.request.Request(
            f"{self.base_url}/webhooks/rest/webhook",
            data=json.dumps({"sender": sender, "message": text}).encode(),
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=60) as response:
            return json.loads(response.read())

    def slot_set_in_last_turn(self, sender: str, name: str) -> Any | None:
        """Return the value the last turn set the slot to (None if it did not set it)."""
        query = urllib.parse.urlencode({"include_events": "AFTER_RESTART"})
        url = f"{self.base_url}/conversations/{urllib.parse.quote(sender)}/tracker?{query}"
        request = urllib.request.Request(url, headers=api_headers(self.api_secret))
        with urllib.request.urlopen(request, timeout=30) as response:
            events = json.loads(response.read())["events"]
        value = None
        for event in events:
            if event.get("event") == "user":
                value = None
            elif event.get("event") == "slot" and event.get("name") == name:
                value = event.get("value")
        return value


def parse_crisis_label(answered_as: str) -> tuple[list[str], str] | None:
    """Split "crisis:<situations>[;problem_<kind>]" into (situations, routed intent), or None."""
    if not answered_as.startswith(CRISIS_LABEL):
        return None
    situations, _, routed = answered_as[len(CRISIS_LABEL):].partition(";")
    return situations.split(","), routed


def classify_answer(reply: str, last_answer: object) -> str:
    """Name what the bot answered as (`last_answer`: the slot's value), in the vocabulary of
    the questions' `expect`."""
    answer = LastAnswer.from_slot(last_answer)
    if answer is not None:
        if answer.kind == "unknown_statistic":
            return UNKNOWN_STATISTIC_INTENT
        if answer.kind == "eligibility":
            return CHECK_ELIGIBILITY_INTENT  # the check started and already had every answer
        # faq_/stat_/problem_ topics, check_eligibility, crisis:…, missing:…, clarify, referral,
        # not_understood, knowledge_unavailable
        return answer.label
    for intent, markers in BASE_REPLY_MARKERS.items():
        if any(marker in reply for marker in markers):
            return intent
    return "other"


def is_correct(question: dict[str, Any], answered_as: str, reply: str) -> bool:
    """Decide whether the reply answers the question as expected."""
    expect = question["expect"]
    figure = question.get("figure")
    if figure and figure not in reply:
        return False
    if expect == PERIOD_FOLLOWUP_INTENT:
        return answered_as.startswith(STAT_INTENT_PREFIX)
    if expect == HUMAN_HANDOFF_INTENT:
        return answered_as == "referral"
    if expect == OUT_OF_SCOPE_INTENT:
        # Declining, or asking to rephrase without offering a figure, is a rejection.
        return answered_as in ("out_of_scope", "not_understood")
    if expect in ANSWERED_BY_ANY_PROBLEM_ROUTE and problem_kind_of(answered_as):
        return True
    crisis = parse_crisis_label(answered_as)
    if crisis is not None:
        situations, routed = crisis
        return routed == expect or any(expect in CRISIS_ALSO_ANSWERS.get(s, ()) for s in situations)
    # Two figures asked at once are answered as "stat_a,stat_b": the first is the one asked.
    first = answered_as.split(",")[0]
    return first == expect or first in ALSO_ANSWERED_BY.get(expect, ())


def in_language(reply: str, language: str) -> bool:
    """Whether a reply is in the language: Chinese replies must be mostly Han characters."""
    return is_mostly_chinese(reply) if language == "zh" else not is_mostly_chinese(reply)


def evaluate(client: RasaClient, questions: list[dict[str, Any]], run_id: str = "eval",
             language: str | None = None, workers: int = 1) -> list[Outcome]:
    """Ask every question in its own conversation and score the replies.

    With `language`, a reply in another language counts as wrong.
    """
    def score(numbered: tuple[int, dict[str, Any]]) -> Outcome:
        number, question = numbered
        sender = f"{run_id}-{number}"
        if question.get("context"):
            client.send(sender, question["context"])
        messages = client.send(sender, question["text"])
        reply = "\n".join(m.get("text", "") for m in messages)
        last_answer = client.slot_set_in_last_turn(sender, LAST_ANSWER_SLOT)
        answered_as = classify_answer(reply, last_answer)
        # Asked to switch language, the reply is rightly in the language asked for.
        right_language = (language is None or question["expect"] == SWITCH_LANGUAGE_INTENT
                          or in_language(reply, language))
        return Outcome(
            text=question["text"], expect=question["expect"], answered_as=answered_as,
            correct=is_correct(question, answered_as, reply) and right_language, reply=reply,
            figure=question.get("figure"), in_language=right_language,
        )

    return in_parallel(score, enumerate(questions), workers)


def report(outcomes: list[Outcome]) -> str:
    """Return a Markdown report: overall, per topic, out-of-scope, confusions."""
    total = len(outcomes)
    correct = sum(o.correct for o in outcomes)
    lines = [f"Held-out questions: {total}; answered correctly: {correct} ({correct / total:.1%})", ""]
    by_topic: dict[str, list[Outcome]] = defaultdict(list)
    for outcome in outcomes:
        by_topic[outcome.expect].append(outcome)
    lines += ["| expected | n | correct | accuracy |", "|---|---|---|---|"]
    for topic in sorted(by_topic):
        group = by_topic[topic]
        hits = sum(o.correct for o in group)
        lines.append(f"| {topic} | {len(group)} | {hits} | {hits / len(group):.0%} |")
    out_of_scope = by_topic.get(OUT_OF_SCOPE_INTENT, [])
    with_figure = [o for o in out_of_scope if o.answered_as.startswith(STAT_INTENT_PREFIX)]
    if out_of_scope:
        rejected = sum(o.correct for o in out_of_scope)
        lines += ["", f"Out-of-scope rejected: {rejected}/{len(out_of_scope)}; "
                      f"answered with a figure: {len(with_figure)}"]
    figures = [o for o in outcomes if o.figure]
    if figures:
        lines.append(f"Press-conference figures quoted when asked: "
                     f"{sum(o.figure in o.reply for o in figures)}/{len(figures)}")
    wrong_language = [o for o in outcomes if not o.in_language]
    if wrong_language:
        lines.append(f"Replies in the wrong language: {len(wrong_language)} "
                     f"(e.g. \"{wrong_language[0].text}\")")
    confusions = Counter((o.expect, o.answered_as) for o in outcomes if not o.correct)
    if confusions:
        lines += ["", "Confusions (expected → answered as: count, example):"]
        for (expect, answered_as), count in confusions.most_common():
            example = next(o.text for o in outcomes
                           if (o.expect, o.answered_as) == (expect, answered_as) and not o.correct)
            lines.append(f"- {expect} → {answered_as}: {count} (e.g. \"{example}\")")
    return "\n".join(lines)


def accuracy(outcomes: list[Outcome]) -> float:
    """Share of questions answered correctly."""
    return sum(o.correct for o in outcomes) / len(outcomes) if outcomes else 0.0


def evaluate_sets(client: RasaClient, sets: list[QuestionSet]) -> dict[str, list[Outcome]]:
    """Evaluate each set; return its outcomes by set name."""
    from scripts.evaluate_personal import evaluate_personal

    return {
        question_set.name: (
            evaluate_personal(client, load_questions(question_set.path), run_id=question_set.name,
                              workers=EVALUATION_WORKERS)
            if question_set.personal else
            evaluate(client, load_questions(question_set.path), run_id=question_set.name,
                     language=question_set.reply_language, workers=EVALUATION_WORKERS)
        )
        for question_set in sets
    }


def below_bar(results: dict[str, list[Outcome]]) -> list[str]:
    """Return a line for each set below its bar (a personal set: per category)."""
    from scripts.evaluate_personal import below_personal_floors

    personal = [line for name, outcomes in results.items()
                if name in HELDOUT_SETS and HELDOUT_SETS[name].personal
                for line in below_personal_floors(name, outcomes)]
    return personal + [
        f"{name}: {accuracy(outcomes):.1%} is below {MIN_HELDOUT_ACCURACY[HELDOUT_SETS[name].language]:.0%}"
        for name, outcomes in results.items()
        if name in ACCURACY_SETS
        and accuracy(outcomes) < MIN_HELDOUT_ACCURACY[HELDOUT_SETS[name].language]
    ]


def main(argv: list[str] | None = None) -> int:
    """Start the servers, evaluate every set, print the reports; exit 1 below a bar."""
    from scripts.services import serving

    parser = argparse.ArgumentParser(description="Evaluate on the held-out questions.")
    parser.add_argument("--questions", type=Path, default=None,
                        help="one question file (default: every set in tests/heldout)")
    parser.add_argument("--sets", nargs="+", choices=sorted(HELDOUT_SETS), default=None,
                        help="held-out sets by name (default: all)")
    parser.add_argument("--model", type=Path, default=None)
    arguments = parser.parse_args(argv)
    model = arguments.model or current_model(PROJECT_ROOT / "models")
    if model is None:
        print("No model; run `make train` first.", file=sys.stderr)
        return 1
    if arguments.questions:
        chosen = [next((q for q in HELDOUT_SETS.values() if q.path.resolve() == arguments.questions.resolve()),
                       QuestionSet(arguments.questions.stem, arguments.questions, "en"))]
    else:
        chosen = [HELDOUT_SETS[name] for name in arguments.sets or HELDOUT_SETS]
    with tempfile.TemporaryDirectory(prefix="evaluate-") as scratch:
        with serving(model, Path(scratch)) as servers:
            results = evaluate_sets(RasaClient(servers.rasa.url, servers.api_secret), chosen)
    from scripts.evaluate_personal import personal_report

    for name, outcomes in results.items():
        personal = name in HELDOUT_SETS and HELDOUT_SETS[name].personal
        print(f"## {name}\n\n{personal_report(outcomes) if personal else report(outcomes)}\n")
    failures = below_bar(results)
    for failure in failures:
        print(failure, file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
