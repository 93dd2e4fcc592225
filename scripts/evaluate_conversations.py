"""Scores the conversation sets (issue #21): multi-turn conversations and single questions
about the assistant, its answers and false premises.

A conversation is sent turn by turn in one Rasa conversation and counts as right only
when every turn is. A turn's `expect` is read like a held-out question's, plus:

- `ask:<question>`: the pre-check asks that question next (the form's requested slot);
- `eligibility`: the pre-check gives its outcome; `clarify`: the bot asks what was meant;
- `any`: any answer at all (a real reply, in the right language).

`reply_has` (one of them must be in the reply), `reply_lacks` (none may be) and
`reply_not_start` (the reply may not open with one: "Yes" to a false premise) check the
words. Every reply must be in the person's language, or in the one they asked for
(`reply_language`, which holds for the rest of the conversation).

A turn that nearly repeats a training example ("hello", a common opening question) is still
sent, since the conversation needs it, but not scored: the sets measure what the model was
not taught (scripts/near_duplicates.py).
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from assistant.contract import (
    CHECK_ELIGIBILITY_INTENT,
    LAST_ANSWER_SLOT,
    MIN_CONVERSATION_ACCURACY,
)
from assistant.language import chinese_numerals_to_digits
from assistant.last_answer import LastAnswer
from scripts.evaluate import (
    EVALUATION_WORKERS,
    HELDOUT_DIR,
    RasaClient,
    classify_answer,
    in_language,
    in_parallel,
    is_correct,
)

REQUESTED_SLOT = "requested_slot"  # rasa_sdk.forms.REQUESTED_SLOT, without importing the SDK
ELIGIBILITY_LABEL = "eligibility"
# The pre-check's outcome is answered as its label, which names the rule (LastAnswer.label:
# "eligibility:<rule>"); the rule "none" is a check that ended without an outcome.
NO_OUTCOME_LABEL = LastAnswer("eligibility", rule="none").label
OUTCOME_LABEL = NO_OUTCOME_LABEL.removesuffix("none")
ASK_PREFIX = "ask:"
# What a bot asking "what do you mean?" is answered as (actions/clarify.py, the fallback, and
# the statistics answer asking which figures are meant).
CLARIFY_ANSWERS = ("clarify", "not_understood", "ask_unknown_statistic")
FAILED_ANSWERS = ("knowledge_unavailable",)


@dataclass(frozen=True)
class ConversationSet:
    """A file of conversations and single questions; `development` as in scripts/evaluate.py."""

    name: str
    path: Path
    development: bool = True


CONVERSATION_SETS = {
    # Written on 4 Dec 2026 by separate authors from a brief and the fact sheets only.
    # `conversations_dev` guided the work; `conversations_final` was kept unseen until it was
    # scored once (session 7), and has guided the work since; `conversations_blind2` was kept
    # unseen until it was scored once at the end of the next session (README), and not tuned on.
    "conversations_dev": ConversationSet("conversations_dev", HELDOUT_DIR / "conversations_dev.yml"),
    "conversations_final": ConversationSet("conversations_final", HELDOUT_DIR / "conversations_final.yml"),
    # `conversations_blind2` guided session 9; `conversations_blind3`, written at its start the same
    # way, was scored once at its end, then one bug it showed was fixed.
    "conversations_blind2": ConversationSet("conversations_blind2", HELDOUT_DIR / "conversations_blind2.yml"),
    "conversations_blind3": ConversationSet("conversations_blind3", HELDOUT_DIR / "conversations_blind3.yml"),
    # Written at the start of session 10 the same way; scored once at its end, a development set since.
    "conversations_blind4": ConversationSet("conversations_blind4", HELDOUT_DIR / "conversations_blind4.yml"),
    # Written at the start of session 11 the same way; scored once at its end, a development set since.
    "conversations_blind5": ConversationSet("conversations_blind5", HELDOUT_DIR / "conversations_blind5.yml"),
    # Written in session 12 the same way, as a development set of conversations only.
    "conversations_dev6": ConversationSet("conversations_dev6", HELDOUT_DIR / "conversations_dev6.yml"),
    # Written at the start of session 12 the same way; scored once at its end, a development set since.
    "conversations_blind6": ConversationSet("conversations_blind6", HELDOUT_DIR / "conversations_blind6.yml"),
    # Written at the start of session 13 the same way; scored once at its end, a development set since.
    "conversations_blind7": ConversationSet("conversations_blind7", HELDOUT_DIR / "conversations_blind7.yml"),
    # Written at the start of session 14 the same way; scored once at its end, a development set since.
    "conversations_blind8": ConversationSet("conversations_blind8", HELDOUT_DIR / "conversations_blind8.yml"),
    # Written at the start of session 15 the same way; scored once, a development set since.
    "conversations_blind9": ConversationSet("conversations_blind9", HELDOUT_DIR / "conversations_blind9.yml"),
    # Written at the start of session 16 the same way; scored once on its first commit, a development set since.
    "conversations_blind10": ConversationSet("conversations_blind10", HELDOUT_DIR / "conversations_blind10.yml"),
    # Written at the start of session 17 the same way; scored once on its first commit, a development set since.
    "conversations_blind11": ConversationSet("conversations_blind11", HELDOUT_DIR / "conversations_blind11.yml"),
    # Written at the start of session 18 the same way; scored once on its first commit, a development set since.
    "conversations_blind12": ConversationSet("conversations_blind12", HELDOUT_DIR / "conversations_blind12.yml"),
}


@dataclass(frozen=True)
class TurnOutcome:
    """One turn (or single question) and what the bot did with it."""

    conversation: str
    category: str
    language: str
    text: str
    expect: str
    answered_as: str
    reply: str
    correct: bool
    why: str = ""
    # False for a near-duplicate of a training example: sent, not scored.
    scored: bool = True


def load_set(path: Path) -> dict[str, list[dict[str, Any]]]:
    """Return the set's conversations and questions."""
    data = yaml.safe_load(path.read_text()) or {}
    content = {"conversations": data.get("conversations") or [], "questions": data.get("questions") or []}
    # A bare number ("123", "2020") is what the person typed: YAML reads it as an int.
    for item in content["questions"] + [turn for c in content["conversations"] for turn in c["turns"]]:
        item["text"] = str(item["text"])
    return content


def turn_verdict(turn: dict[str, Any], answered_as: str, requested: Any, reply: str,
                 language: str) -> str:
    """Return "" when the turn is answered as expected, else a short reason."""
    expect = turn["expect"]
    accepted = [expect, *(turn.get("accept") or [])]
    if not reply.strip() or answered_as in FAILED_ANSWERS:
        return "no answer"
    if not in_language(reply, language):
        return "wrong language"
    if not any(_label_matches(label, answered_as, requested, reply) for label in accepted):
        return f"answered as {answered_as}" + (f" (asks {requested})" if requested else "")
    lowered = reply.lower()
    # "十五个工作日" says 15 as a Chinese government text writes it: a number counts either way.
    with_digits = chinese_numerals_to_digits(lowered)
    if turn.get("reply_has") and not any(
            str(w).lower() in lowered or str(w).lower() in with_digits for w in turn["reply_has"]):
        return f"lacks one of {turn['reply_has']}"
    if any(str(w).lower() in lowered for w in turn.get("reply_lacks") or []):
        return "says what it should not"
    if any(reply.lstrip().lower().startswith(str(w).lower()) for w in turn.get("reply_not_start") or []):
        return "agrees with a false premise"
    return ""


def _label_matches(label: str, answered_as: str, requested: Any, reply: str) -> bool:
    if label == "any":
        return True
    if label.startswith(ASK_PREFIX):
        return requested == label[len(ASK_PREFIX):]
    if label == ELIGIBILITY_LABEL:
        return answered_as.startswith(OUTCOME_LABEL) and answered_as != NO_OUTCOME_LABEL
    if label == CHECK_ELIGIBILITY_INTENT:
        return answered_as == CHECK_ELIGIBILITY_INTENT or answered_as.startswith(OUTCOME_LABEL)
    if label == "clarify":
        return answered_as in CLARIFY_ANSWERS
    if answered_as.startswith(OUTCOME_LABEL):
        answered_as = CHECK_ELIGIBILITY_INTENT  # as the held-out sets read an outcome
    return is_correct({"expect": label}, answered_as, reply)


def _ask(client: RasaClient, sender: str, text: str) -> tuple[str, str, Any]:
    messages = client.send(sender, text)
    reply = "\n".join(m.get("text", "") for m in messages if m.get("text"))
    last_answer = client.slot_set_in_last_turn(sender, LAST_ANSWER_SLOT)
    answer = LastAnswer.from_slot(last_answer)
    # The pre-check's outcome keeps its rule ("eligibility:<rule>"): the label `eligibility`.
    is_outcome = answer is not None and answer.kind == "eligibility"
    answered_as = answer.label if answer is not None and is_outcome else classify_answer(reply, last_answer)
    return reply, answered_as, client.slot_set_in_last_turn(sender, REQUESTED_SLOT)


def taught_texts(content: dict[str, list[dict[str, Any]]]) -> set[str]:
    """The set's texts that nearly repeat a training example."""
    from scripts.near_duplicates import near_duplicates, training_examples

    texts = [q["text"] for q in content["questions"]]
    texts += [turn["text"] for conversation in content["conversations"] for turn in conversation["turns"]]
    return {text for text, _ in near_duplicates(texts, training_examples())}


def evaluate_conversations(client: RasaClient, content: dict[str, list[dict[str, Any]]],
                           run_id: str = "conversations", workers: int = 1) -> list[TurnOutcome]:
    """Play every conversation turn by turn, and every single question in its own."""
    taught = taught_texts(content)

    def play(numbered: tuple[int, dict[str, Any]]) -> list[TurnOutcome]:
        number, conversation = numbered
        sender, name = f"{run_id}-c{number}", conversation.get("id") or f"c{number}"
        language, outcomes = conversation["language"], []
        for turn in conversation["turns"]:
            language = turn.get("reply_language") or language
            reply, answered_as, requested = _ask(client, sender, turn["text"])
            why = turn_verdict(turn, answered_as, requested, reply, language)
            outcomes.append(TurnOutcome(name, conversation["category"], conversation["language"],
                                        turn["text"], turn["expect"], answered_as, reply, not why, why,
                                        scored=turn["text"] not in taught))
        return outcomes

    def ask(numbered: tuple[int, dict[str, Any]]) -> TurnOutcome:
        number, question = numbered
        reply, answered_as, requested = _ask(client, f"{run_id}-q{number}", question["text"])
        why = turn_verdict(question, answered_as, requested, reply,
                           question.get("reply_language") or question["language"])
        return TurnOutcome(f"q{number}", question["category"], question["language"],
                           question["text"], question["expect"], answered_as, reply, not why, why,
                           scored=question["text"] not in taught)

    conversations = in_parallel(play, enumerate(content["conversations"]), workers)
    return ([turn for turns in conversations for turn in turns]
            + in_parallel(ask, enumerate(content["questions"]), workers))


def scores(outcomes: list[TurnOutcome]) -> dict[str, dict[tuple[str, str], tuple[int, int]]]:
    """(right, total) per (category, language) and per ('all', language) and ('all', 'all'):
    for conversations (right when every turn is) and for single questions."""
    by_conversation: dict[tuple[str, str, str], bool] = {}
    question_results: list[tuple[str, str, bool]] = []
    for o in (o for o in outcomes if o.scored):
        if o.conversation.startswith("q") and o.conversation[1:].isdigit():
            question_results.append((o.category, o.language, o.correct))
        else:
            key = (o.conversation, o.category, o.language)
            by_conversation[key] = by_conversation.get(key, True) and o.correct
    result: dict[str, dict[tuple[str, str], tuple[int, int]]] = {}
    for kind, rows in (("conversations", [(c, lang, ok) for (_, c, lang), ok in by_conversation.items()]),
                       ("questions", question_results)):
        table: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
        for category, language, ok in rows:
            for key in ((category, language), ("all", language), ("all", "all")):
                table[key][0] += ok
                table[key][1] += 1
        result[kind] = {key: (hits, total) for key, (hits, total) in sorted(table.items())}
    return result


def conversation_report(outcomes: list[TurnOutcome]) -> str:
    """A Markdown report: conversations and questions per category and language, then misses."""
    lines = []
    for kind, table in scores(outcomes).items():
        lines += [f"### {kind}", "", "| category | language | right | n | share |", "|---|---|---|---|---|"]
        lines += [f"| {c} | {lang} | {hits} | {total} | {hits / total:.1%} |"
                  for (c, lang), (hits, total) in table.items()]
        lines.append("")
    unscored = sum(not o.scored for o in outcomes)
    lines.append(f"Turns sent but not scored (near-duplicates of training examples): {unscored} of {len(outcomes)}")
    misses = [o for o in outcomes if not o.correct and o.scored]
    if misses:
        lines.append("Missed turns (conversation, expected: why):")
        lines += [f"- {o.conversation} {o.expect}: {o.why}: \"{o.text[:70]}\"" for o in misses]
    return "\n".join(lines)


def below_conversation_floors(outcomes: list[TurnOutcome]) -> list[str]:
    """A line for conversations or questions (both languages) below the issue's targets."""
    return [
        f"{kind}: {table[('all', 'all')][0] / table[('all', 'all')][1]:.1%} is below "
        f"{MIN_CONVERSATION_ACCURACY[kind]:.0%}"
        for kind, table in scores(outcomes).items()
        if ("all", "all") in table
        and table[("all", "all")][0] / table[("all", "all")][1] < MIN_CONVERSATION_ACCURACY[kind]
    ]


def main(argv: list[str] | None = None) -> int:
    """Start the servers, score the conversation sets, print the reports; exit 1 below a target."""
    import argparse
    import sys
    import tempfile

    from scripts.model_store import PROJECT_ROOT, current_model
    from scripts.services import serving

    parser = argparse.ArgumentParser(description="Evaluate the multi-turn and meta sets.")
    parser.add_argument("--sets", nargs="+", choices=sorted(CONVERSATION_SETS), default=None)
    arguments = parser.parse_args(argv)
    model = current_model(PROJECT_ROOT / "models")
    if model is None:
        print("No model; run `make train` first.", file=sys.stderr)
        return 1
    chosen = [CONVERSATION_SETS[name] for name in arguments.sets or CONVERSATION_SETS
              if CONVERSATION_SETS[name].path.exists()]
    failures = []
    with tempfile.TemporaryDirectory(prefix="evaluate-") as scratch:
        with serving(model, Path(scratch)) as servers:
            client = RasaClient(servers.rasa.url, servers.api_secret)
            for conversation_set in chosen:
                outcomes = evaluate_conversations(client, load_set(conversation_set.path),
                                                  run_id=conversation_set.name,
                                                  workers=EVALUATION_WORKERS)
                print(f"## {conversation_set.name}\n\n{conversation_report(outcomes)}\n")
                failures += [f"{conversation_set.name} {line}" for line in below_conversation_floors(outcomes)]
    for failure in failures:
        print(failure, file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
