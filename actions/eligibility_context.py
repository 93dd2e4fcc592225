"""What the pre-check reads from before it started (issue #21).

The check often starts after another answer: after the routes for a story ("我们十几个农民工
在工地干了半年 包工头跑了" and then "can I get legal aid for this?"), or again after its own
outcome, when the person corrects what it read ("不是欠薪 是工伤"). The story's words answer
its questions as well as the request does, and a correction changes one answer, not all of them.
The story is the user message before the latest one (the action receives the previous turn:
rasa_addons/action_payload.py), or, a few questions later, what the story answered when its
routes were given (a slot, with its problem); the answers behind an outcome are kept in a slot.
"""
from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker

from actions._base import latest_text

from assistant.contract import (
    ELIGIBILITY_ANSWERS_SLOT,
    ELIGIBILITY_MATTER_QUESTION,
    LAST_ANSWER_SLOT,
    LAST_PROBLEM_SLOT,
    STORY_ANSWERS_SLOT,
    problem_answered,
)
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


def story_slot(problem: str, answers: dict[str, str]) -> dict[str, Any] | None:
    """The value of the story-answers slot: the answers, with the problem whose story gave them."""
    return {"problem": problem, "answers": answers} if answers else None


def kept_story_answers(tracker: Tracker, problem: str | None = None) -> dict[str, str]:
    """What the story of the problem still being talked about answered when its routes were given
    (of `problem`, or of the last problem routed); nothing once another problem took its place."""
    kept: Any = tracker.get_slot(STORY_ANSWERS_SLOT)
    problem = problem or tracker.get_slot(LAST_PROBLEM_SLOT)
    if not isinstance(kept, dict) or not problem or kept.get("problem") != problem:
        return {}
    answers = kept.get("answers")
    return {str(q): str(v) for q, v in answers.items()} if isinstance(answers, dict) else {}


def story_answers(tracker: Tracker, table: EligibilityTable, typed: dict[str, str]) -> dict[str, str]:
    """The answers the story of the problem being talked about gives ("我们十几个农民工…"): told just
    before, or, when the request answers nothing itself (`typed`), a few questions earlier. None
    when the request names another matter ("我朋友被欠了工资 他能申请吗" after a divorce)."""
    previous = LastAnswer.from_slot(tracker.get_slot(LAST_ANSWER_SLOT))
    # A story answered with a problem's routes, or with emergency help ("my husband has been
    # hitting me for two years…", then "so can i get legal aid?").
    told = previous is not None and (previous.kind == "crisis" or (
        previous.kind == "answer" and problem_answered(previous.intent or "") is not None))
    # Asked a few questions later ("那我要去哪告他", "要多少钱", then "我这能申请法律援助不").
    answers = {} if typed else kept_story_answers(tracker)
    if told:
        answers.update(table.story_answers(previous_user_text(tracker)))
    matter = answers.get(ELIGIBILITY_MATTER_QUESTION)
    if matter is not None and typed.get(ELIGIBILITY_MATTER_QUESTION, matter) != matter:
        return {}  # the request tells of another matter: the story was about something else
    # "我不是外地来打工的": what the request denies of the story is not kept.
    for question in table.denied_answers(latest_text(tracker), answers):
        answers.pop(question)
    return answers
