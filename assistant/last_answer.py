"""What the previous turn answered (the `last_answer` slot), as typed data.

Every answering action sets it; the knowledge router reads its absence after an action as
that action's failure, the follow-up reading (assistant/follow_up.py) reads the previous
topic from it, and the evaluations name what a reply answered as with `label`. The slot
holds `to_slot()`'s dict (slot type `any`, never featurized); `from_slot` is its only reader.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal, get_args

# answer: knowledge-base topics answered (faq_/stat_/problem_ intents; two figures at once
# are two), or the pre-check started (check_eligibility) or stopped (stop_check);
# missing: the topic's intent had no knowledge-base row; unknown_statistic: figures the
# knowledge base does not hold, topics offered instead; eligibility: the pre-check's outcome
# (its rule, or "none"); crisis: emergency help (its situations, and the routes of a problem
# the message also told of); the rest answer with no topic.
AnswerKind = Literal["answer", "missing", "unknown_statistic", "eligibility", "crisis", "clarify",
                     "not_understood", "referral", "knowledge_unavailable"]
ANSWER_KINDS: tuple[str, ...] = get_args(AnswerKind)
# Answers that offered buttons to choose among: a typed "2" or "公证" chooses one of them.
CHOICE_KINDS = frozenset({"clarify", "not_understood", "unknown_statistic"})


@dataclass(frozen=True)
class LastAnswer:
    """What one turn answered."""

    kind: AnswerKind
    intents: tuple[str, ...] = ()
    rule: str | None = None
    situations: tuple[str, ...] = ()

    @property
    def intent(self) -> str | None:
        """The first intent answered (or missing, or asked about), if any."""
        return self.intents[0] if self.intents else None

    def to_slot(self) -> dict[str, Any]:
        """The slot's value: a plain dict, as Rasa stores and sends slots."""
        value: dict[str, Any] = {"kind": self.kind}
        if self.intents:
            value["intents"] = list(self.intents)
        if self.rule is not None:
            value["rule"] = self.rule
        if self.situations:
            value["situations"] = list(self.situations)
        return value

    @classmethod
    def from_slot(cls, value: object) -> LastAnswer | None:
        """Read the slot's value; None when nothing (or nothing well-formed) was answered."""
        if not isinstance(value, dict) or value.get("kind") not in ANSWER_KINDS:
            return None
        rule = value.get("rule")
        return cls(kind=value["kind"], intents=tuple(str(i) for i in value.get("intents") or ()),
                   rule=str(rule) if rule is not None else None,
                   situations=tuple(str(s) for s in value.get("situations") or ()))

    @property
    def label(self) -> str:
        """The answer in the evaluations' vocabulary: "faq_x", "stat_a,stat_b",
        "eligibility:<rule>", "crisis:<situations>[;problem_<kind>]", "missing:<intent>"."""
        if self.kind == "answer":
            return ",".join(self.intents)
        if self.kind == "eligibility":
            return f"eligibility:{self.rule}"
        if self.kind == "crisis":
            routed = f";{self.intent}" if self.intents else ""
            return "crisis:" + ",".join(self.situations) + routed
        if self.kind in ("missing", "unknown_statistic"):
            return f"{self.kind}:{self.intent}"
        return self.kind


def answer_of(*intents: str) -> LastAnswer:
    """The topics (or the pre-check step) a turn answered."""
    return LastAnswer("answer", intents=intents)

