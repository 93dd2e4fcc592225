"""The legal-aid pre-check as data: its questions, options and decision table, and how to run it.

The decision table is an ordered list of rules; each rule names, per question, the answers
it applies to. The first rule that the answers so far do not contradict decides: if it
needs no more answers it is the outcome, otherwise its first unanswered question is asked.
So the check asks only what the outcome depends on, and a province-specific rule is one
more entry (with its own question, if it needs one) placed before the national rules.
"""
from __future__ import annotations

import datetime as dt
import itertools
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from assistant.contract import ELIGIBILITY_NO_OPTION, ELIGIBILITY_SPECIAL_QUESTION, FILLER_WORDS
from assistant.language import to_simplified
from knowledge.eligibility_reading import (
    CHINESE_NUMBERS,
    bare_age_words,
    denied_keyword,
    keyword_length,
    with_inferred_words,
)
from knowledge.models import (
    EligibilityGuidance,
    EligibilityOption,
    EligibilityQuestion,
    EligibilityRule,
    Source,
)

_NOT_WORD = re.compile(r"[^\w]+")
_ORDINAL = re.compile(
    r"^(?:no\.?|number|option|choice|第)?\s*(\d{1,2}|[一二三四五六七八九十]{1,2})\s*(?:个|项|种|条|号)?$")


# Outcomes after which the person does the same thing, apply: a question that can only
# choose between them is not worth asking. A person who has said they cannot afford a
# lawyer is not asked whether a special situation waives the means check as well; the
# outcome says that it would (knowledge/data/eligibility_rules.yml).
OUTCOMES_TO_APPLY = frozenset({"lawyer_appointed", "no_means_test", "likely_eligible", "depends_on_standard"})


def outcome_class(outcome: str) -> str:
    """The outcomes that lead the person to the same next step share a class."""
    return "apply" if outcome in OUTCOMES_TO_APPLY else outcome


@dataclass(frozen=True)
class OptionView:
    question: str
    value: str
    title: str
    keywords: tuple[str, ...]
    keywords_zh: tuple[str, ...]


@dataclass(frozen=True)
class QuestionView:
    key: str
    prompt: str
    options: tuple[OptionView, ...]
    # Once one of these is answered the question is not asked: "none of these" is assumed,
    # and the outcome says what would change it.
    not_after: tuple[str, ...] = ()


@dataclass(frozen=True)
class RuleView:
    key: str
    # (question, allowed option values) pairs, in no particular order.
    conditions: tuple[tuple[str, tuple[str, ...]], ...]
    outcome: str
    articles: tuple[int, ...]
    reason: str
    source_title: str = ""
    source_date: dt.date | None = None
    source_url: str | None = None
    last_reviewed: dt.date | None = None

    def allows(self, question: str, value: str) -> bool | None:
        """Whether the rule allows this answer (None: the rule does not ask it)."""
        for key, values in self.conditions:
            if key == question:
                return value in values
        return None


@dataclass(frozen=True)
class GuidanceView:
    key: str
    matters: tuple[str, ...]
    where_to_apply: str
    what_to_bring: str


@dataclass(frozen=True)
class Step:
    """What the check does next: ask `question`, or give the outcome of `rule`."""

    question: str | None = None
    rule: RuleView | None = None


@dataclass(frozen=True)
class EligibilityTable:
    """The whole pre-check in one language."""

    questions: tuple[QuestionView, ...]
    rules: tuple[RuleView, ...]
    guidance: tuple[GuidanceView, ...] = ()

    def question(self, key: str) -> QuestionView | None:
        return next((question for question in self.questions if question.key == key), None)

    def option(self, question: str, value: str) -> OptionView | None:
        found = self.question(question)
        return next((o for o in found.options if o.value == value), None) if found else None

    def next_step(self, answers: Mapping[str, str]) -> Step:
        """Return the next question to ask, or the deciding rule (see the module docstring).

        A question is not asked when no answer to it could change what the person should do
        (e.g. a migrant worker claiming wages: Art. 42 waives the means check, and a special
        situation under Art. 32 would only give another reason for the same): the outcome is
        then the one the answers reach if none of the remaining situations applies.
        """
        step = self._first_rule(answers)
        if step.question is None:
            return step
        settled = self._settled_rule(answers)
        if settled is not None:
            return Step(rule=settled)
        question = self.question(step.question)
        if question is not None and set(question.not_after) & set(answers):
            return self.next_step({**answers, step.question: ELIGIBILITY_NO_OPTION})
        return step

    def _first_rule(self, answers: Mapping[str, str]) -> Step:
        """The first rule the answers reach, or the question to ask next: the first (in
        `position` order) that a rule still open depends on. So the general condition, the
        person's finances, is asked before the situations that waive it, as the application
        itself does (Legal Aid Law Arts. 31, 41 before 32, 42), and a person on dibao or a
        migrant worker claiming wages is done after two questions."""
        order = [question.key for question in self.questions]
        open_rules = [rule for rule in self.rules
                      if not any(rule.allows(question, value) is False for question, value in answers.items())]
        if not open_rules:
            return Step()
        first = open_rules[0]
        if all(question in answers for question, _ in first.conditions):
            return Step(rule=first)
        depended_on = {question for rule in open_rules for question, _ in rule.conditions}
        return Step(question=next(key for key in order if key in depended_on and key not in answers))

    def _settled_rule(self, answers: Mapping[str, str]) -> RuleView | None:
        """The rule of the "none of these" answers when every answer to the questions still
        open leads to an outcome the person acts on alike; None otherwise."""
        open_questions = [q for q in self.questions if q.key not in answers
                          and any(q.key == key for rule in self.rules for key, _ in rule.conditions)]
        if not open_questions or any(not q.options for q in open_questions):
            return None
        classes, reached = set(), set()
        keys = [q.key for q in open_questions]
        # A situation of Art. 32 told (violence at home, bravery…) is a victim's or claimant's: no
        # matter under which it is never asked (defending a suspect) is theirs. Other answers read
        # from words say nothing of the matter ("我是聋哑人" may be a wage claim, not a defence).
        told = {key for key, value in answers.items()
                if key == ELIGIBILITY_SPECIAL_QUESTION and value != ELIGIBILITY_NO_OPTION}
        for values in itertools.product(*([o.value for o in q.options] for q in open_questions)):
            assumed_here = dict(zip(keys, values, strict=True))
            rule = self._first_rule({**answers, **assumed_here}).rule
            if rule is None:
                return None
            if any(not self._asked_with(assumed_here, key) for key in told):
                # The person told of something never asked with these answers: they are not
                # theirs (a victim of violence at home is not the suspect of a crime).
                continue
            classes.add(outcome_class(rule.outcome))
            reached.add(rule)
            if len(classes) > 1:
                return None
        if len(reached) == 1:
            return next(iter(reached))
        assumed = {q.key: ELIGIBILITY_NO_OPTION for q in open_questions
                   if any(o.value == ELIGIBILITY_NO_OPTION for o in q.options)}
        if len(assumed) != len(open_questions):
            return None
        return self._first_rule({**answers, **assumed}).rule

    def _asked_with(self, answers: Mapping[str, str], question: str) -> bool:
        """Whether some rule that allows these answers depends on `question`."""
        return any(any(key == question for key, _ in rule.conditions)
                   and all(rule.allows(key, value) is not False for key, value in answers.items())
                   for rule in self.rules)

    def denied_answers(self, text: str, answers: Mapping[str, str]) -> set[str]:
        """The recorded answers a message takes back ("不是欠薪，是工伤", "no, not wages"):
        it names a keyword of the recorded option only to deny it."""
        normalised = to_simplified(text).lower().strip()
        denied = set()
        for question, value in answers.items():
            option = self.option(question, value)
            if option is not None and value != ELIGIBILITY_NO_OPTION and any(
                    denied_keyword(k, normalised) for k in option.keywords + option.keywords_zh):
                denied.add(question)
        return denied

    def says_none_of_these(self, text: str) -> bool:
        """Whether the text is nothing but a "none of these" in words ("nah nothing like that",
        "都不沾边"), whatever question it answers: an answer, not a wish to leave the check ("nope,
        stop asking me questions" is that, and "我是成年人 也能申请吗" a question)."""
        normalised = to_simplified(text).lower().strip()
        keywords = sorted({k for q in self.questions for o in q.options if o.value == ELIGIBILITY_NO_OPTION
                           for k in o.keywords + o.keywords_zh if len(k) >= 3}, key=len, reverse=True)
        said = next((k for k in keywords if keyword_length(k, normalised)), None)
        return said is not None and _FILLER_ONLY.fullmatch(normalised.replace(said, " ", 1)) is not None

    def guidance_for(self, matter: str | None) -> GuidanceView | None:
        return next((g for g in self.guidance if matter in g.matters), None)

    def story_answers(self, text: str) -> dict[str, str]:
        """What a story tells of the person: its answers, never "none of these", which nobody
        asked there."""
        return {q: v for q, v in self.match_answers(text, None).items() if v != ELIGIBILITY_NO_OPTION}

    def match_answers(self, text: str, asked: str | None) -> dict[str, str]:
        """Return the answers a typed message gives: to the question `asked` (its option
        number or words) and to others its words name clearly. "None of these" counts only
        as an answer to the question asked, so a sentence with "no" fills nothing else."""
        normalised = with_inferred_words(to_simplified(text).lower().strip())
        found: dict[str, str] = {}
        asked_question = self.question(asked) if asked else None
        if asked and asked_question is not None:
            number = _option_number(normalised)
            if number is not None and 1 <= number <= len(asked_question.options):
                return {asked: asked_question.options[number - 1].value}
            age_words = bare_age_words(normalised)
            under_age = _best_option(asked_question.options, age_words) if age_words else None
            if under_age is not None:
                return {asked: under_age}  # "17" asked about the suspect: under 18
        for question in self.questions:
            options = [o for o in question.options
                       if question.key == asked or o.value != ELIGIBILITY_NO_OPTION]
            value = _best_option(options, normalised)
            if value is not None:
                found[question.key] = value
            elif _denies_every_named_option(question, normalised):
                # "25了 没残疾", "nah no abuse, she just ignores him" (even while asked about
                # money): a question is answered by denying the one situation it names.
                found[question.key] = ELIGIBILITY_NO_OPTION
        return found


# What may stand beside a "none of these" in words without making it more than that.
_FILLER_ONLY = re.compile(rf"[\W_]*(?:{FILLER_WORDS}[\W_]*)*")


def is_option_number(text: str) -> bool:
    """Whether the text chooses an option by its number ("2", "第二个", "no. 2")."""
    return _option_number(to_simplified(text).lower().strip()) is not None


def _option_number(text: str) -> int | None:
    match = _ORDINAL.match(_NOT_WORD.sub(" ", text).strip())
    if not match:
        return None
    word = match.group(1)
    return int(word) if word.isdigit() else CHINESE_NUMBERS.get(word)


def _denies_every_named_option(question: QuestionView, text: str) -> bool:
    """Whether the text names an option of the question only to deny it, and the question has
    a "none of these" answer for that."""
    if not any(o.value == ELIGIBILITY_NO_OPTION for o in question.options):
        return False
    named = [k for o in question.options if o.value != ELIGIBILITY_NO_OPTION
             for k in o.keywords + o.keywords_zh if k in text]
    return bool(named) and all(denied_keyword(k, text) for k in named)


def _best_option(options: Iterable[OptionView], text: str) -> str | None:
    """The option with the longest keyword in the text; None when none or two tie. "None of
    these" found only within a situation's own word ("成年人" in "他是未成年人") does not count."""
    scores, matched = {}, {}
    for option in options:
        found = [k for k in option.keywords + option.keywords_zh if keyword_length(k, text)]
        if found:
            matched[option.value] = max(found, key=len)
            scores[option.value] = len(matched[option.value])
    none_word = matched.get(ELIGIBILITY_NO_OPTION)
    if none_word is not None:
        situations = [(m.start(), m.end()) for value, word in matched.items() if value != ELIGIBILITY_NO_OPTION
                      for m in re.finditer(re.escape(word), text)]
        if all(any(start < end_s and start_s < end for start_s, end_s in situations)
               for start, end in ((m.start(), m.end()) for m in re.finditer(re.escape(none_word), text))):
            scores.pop(ELIGIBILITY_NO_OPTION)
    if not scores:
        return None
    best = max(scores.values())
    winners = [value for value, score in scores.items() if score == best]
    return winners[0] if len(winners) == 1 else None


def walk(table: EligibilityTable) -> tuple[set[str], list[dict[str, str]]]:
    """Follow every path of answers; return the rules reached and the answers that reach none."""
    reached: set[str] = set()
    dead_ends: list[dict[str, str]] = []
    pending: list[dict[str, str]] = [{}]
    while pending:
        answers = pending.pop()
        step = table.next_step(answers)
        if step.rule is not None:
            reached.add(step.rule.key)
        elif step.question is not None and (question := table.question(step.question)) is not None:
            pending += [{**answers, step.question: o.value} for o in question.options]
        else:
            dead_ends.append(answers)
    return reached, dead_ends


def rule_conditions(raw: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Parse the stored JSON conditions of a rule."""
    return tuple((question, tuple(values)) for question, values in json.loads(raw).items())


def split_list(raw: str) -> tuple[str, ...]:
    return tuple(part for part in raw.split(",") if part)


def get_eligibility_table(*, session: Session, language: str) -> EligibilityTable:
    """Return the pre-check's questions, rules and guidance, texts in `language`."""
    zh = language == "zh"
    options: dict[str, list[OptionView]] = {}
    for row in session.scalars(select(EligibilityOption).order_by(EligibilityOption.position)):
        options.setdefault(row.question_key, []).append(OptionView(
            row.question_key, row.value, row.title_zh if zh else row.title,
            split_list(row.keywords), split_list(row.keywords_zh)))
    questions = tuple(
        QuestionView(row.key, row.prompt_zh if zh else row.prompt, tuple(options.get(row.key, ())),
                     split_list(row.not_after or ""))
        for row in session.scalars(select(EligibilityQuestion).order_by(EligibilityQuestion.position))
    )
    rules = tuple(
        RuleView(rule.key, rule_conditions(rule.conditions), rule.outcome,
                 tuple(int(article) for article in split_list(rule.articles)),
                 rule.reason_zh if zh else rule.reason, source.title_zh if zh else source.title,
                 source.published_on, source.url, rule.last_reviewed)
        for rule, source in session.execute(
            select(EligibilityRule, Source).join(Source, EligibilityRule.source_key == Source.key)
            .order_by(EligibilityRule.position))
    )
    guidance = tuple(
        GuidanceView(row.key, split_list(row.matters), row.where_to_apply_zh if zh else row.where_to_apply,
                     row.what_to_bring_zh if zh else row.what_to_bring)
        for row in session.scalars(select(EligibilityGuidance).order_by(EligibilityGuidance.key))
    )
    return EligibilityTable(questions, rules, guidance)


__all__ = ["EligibilityTable", "GuidanceView", "OptionView",
           "QuestionView", "RuleView", "Step", "get_eligibility_table", "is_option_number", "keyword_length", "walk"]
