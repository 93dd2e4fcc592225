"""What the pre-check reads from before it started (issue #21).

The check often starts after another answer: after the routes for a story ("我们十几个农民工
在工地干了半年 包工头跑了" and then "can I get legal aid for this?"), or again after its own
outcome, when the person corrects what it read ("不是欠薪 是工伤"). The story's words answer
its questions as well as the request does, and a correction changes one answer, not all of them.
The story is the user message before the latest one (the action receives the previous turn:
rasa_addons/action_payload.py); the answers behind an outcome are kept in a slot.
"""
from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker

from assistant.contract import ELIGIBILITY_ANSWERS_SLOT, ELIGIBILITY_NO_OPTION, LAST_ANSWER_SLOT, problem_answered
from assistant.language import to_simplified
from assistant.last_answer import LastAnswer
from assistant.question_words import revises_an_answer
from knowledge.eligibility import EligibilityTable


def previous_user_text(tracker: Tracker) -> str:
    """The text of the user message before the latest one, if the action received it."""
    texts = [event.get("text") or "" for event in tracker.events if event.get("event") == "user"]
    return texts[-2] if len(texts) >= 2 else ""


def kept_answers(tracker: Tracker, text: str) -> dict[str, str]:
    """The answers behind the outcome this message corrects or adds to ("不是欠薪 是工伤", "even tho
    i have a job?"), or none."""
    previous = LastAnswer.from_slot(tracker.get_slot(LAST_ANSWER_SLOT))
    if previous is None or previous.kind != "eligibility" or not revises_an_answer(to_simplified(text)):
        return {}
    kept: Any = tracker.get_slot(ELIGIBILITY_ANSWERS_SLOT)
    return {str(q): str(v) for q, v in kept.items()} if isinstance(kept, dict) else {}


def story_answers(tracker: Tracker, table: EligibilityTable) -> dict[str, str]:
    """The answers a story answered just before tells ("我们十几个农民工…"); "none of these" is
    never read from a story, since nobody asked it there."""
    previous = LastAnswer.from_slot(tracker.get_slot(LAST_ANSWER_SLOT))
    # A story answered with a problem's routes, or with emergency help ("my husband has been
    # hitting me for two years…", then "so can i get legal aid?").
    told = previous is not None and (previous.kind == "crisis" or (
        previous.kind == "answer" and problem_answered(previous.intent or "") is not None))
    if not told:
        return {}
    story = previous_user_text(tracker)
    return {q: v for q, v in table.match_answers(story, None).items() if v != ELIGIBILITY_NO_OPTION}
