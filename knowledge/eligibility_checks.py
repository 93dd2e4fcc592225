"""Checks of the pre-check's data across its files, run by the loader before anything is stored.

Per-field checks are in knowledge/specs.py; here: references between the files, one place
to apply per matter, and the decision table itself: every path of answers reaches a rule, and
every rule is reached by one. (Whether an option's value fits in a button is the front
ends' contract: scripts/check_training_data.py checks it.)
"""
from __future__ import annotations

from assistant.contract import ELIGIBILITY_MATTER_QUESTION, ELIGIBILITY_NO_OPTION
from knowledge.eligibility import (
    EligibilityTable,
    OptionView,
    QuestionView,
    RuleView,
    rule_conditions,
    split_list,
    walk,
)

def eligibility_problems(parsed: dict, sources: set[str], problem) -> list:
    """Return the problems of the eligibility files (`parsed`: table name -> parsed file)."""
    questions, options = parsed["eligibility_questions"], parsed["eligibility_options"]
    rules, guidance = parsed["eligibility_rules"], parsed["eligibility_guidance"]
    problems = []
    question_keys = {key for (key,) in questions.identities}
    values: dict[str, set[str]] = {key: set() for key in question_keys}
    for label, row in options.rows:
        if row["question"] not in question_keys:
            problems.append(problem(options.path, label, f"unknown question {row['question']!r} "
                                    "(not defined in eligibility_questions.yml)"))
            continue
        values[row["question"]].add(row["value"])
    problems += [problem(questions.path, key, "needs at least two options in eligibility_options.yml")
                 for key, found in sorted(values.items()) if len(found) < 2]
    for label, row in questions.rows:
        after = split_list(row.get("not_after") or "")
        problems += [problem(questions.path, label, f"not_after: unknown question {key!r}")
                     for key in after if key not in question_keys]
        if after and ELIGIBILITY_NO_OPTION not in values.get(row["key"], set()):
            problems.append(problem(questions.path, label, f"not_after needs a {ELIGIBILITY_NO_OPTION!r} "
                                    "option: that is the answer assumed when it is not asked"))
    for item in (rules, guidance):
        problems += [problem(item.path, label, f"unknown source {row['source']!r} (not defined in sources.yml)")
                     for label, row in item.rows if row["source"] not in sources]
    for label, row in rules.rows:
        for question, allowed in rule_conditions(row["conditions"]):
            if question not in values:
                problems.append(problem(rules.path, label, f"conditions: unknown question {question!r}"))
            for value in set(allowed) - values.get(question, set()):
                problems.append(problem(rules.path, label, f"conditions: {question!r} has no option {value!r}"))
    matters = values.get(ELIGIBILITY_MATTER_QUESTION, set())
    covered: dict[str, str] = {}
    for label, row in guidance.rows:
        for matter in split_list(row["matters"]):
            if matter not in matters:
                problems.append(problem(guidance.path, label, f"matters: {matter!r} is not an option of "
                                        f"{ELIGIBILITY_MATTER_QUESTION!r}"))
            elif matter in covered:
                problems.append(problem(guidance.path, label, f"matters: {matter!r} is already in {covered[matter]!r}"))
            covered.setdefault(matter, label)
    problems += [problem(guidance.path, "(file)", f"no entry lists the matter {matter!r}: where would they apply?")
                 for matter in sorted(matters - set(covered))]
    # An entry with problems is left out; the table without it would only add confusing ones.
    if problems or any(len(item.rows) < len(item.identities) for item in (questions, options, rules, guidance)):
        return problems
    return _table_problems(questions, options, rules, problem)


def _table_problems(questions, options, rules, problem) -> list:
    by_question: dict[str, list] = {}
    for _, row in sorted(options.rows, key=lambda item: item[1]["position"]):
        by_question.setdefault(row["question"], []).append(OptionView(
            row["question"], row["value"], row["title"], split_list(row["keywords"]), ()))
    table = EligibilityTable(
        tuple(QuestionView(row["key"], row["prompt"], tuple(by_question.get(row["key"], ())),
                           split_list(row.get("not_after") or ""))
              for _, row in sorted(questions.rows, key=lambda item: item[1]["position"])),
        tuple(RuleView(row["key"], rule_conditions(row["conditions"]), row["outcome"], (), "")
              for _, row in sorted(rules.rows, key=lambda item: item[1]["position"])),
    )
    reached, dead_ends = walk(table)
    problems = [problem(rules.path, rule.key, "can never decide: earlier rules cover every answer it allows")
                for rule in table.rules if rule.key not in reached]
    problems += [problem(rules.path, "(table)", "no rule decides the answers "
                         + (", ".join(f"{q}={v}" for q, v in answers.items()) or "(none)"))
                 for answers in dead_ends[:5]]
    asked = {question for rule in table.rules for question, _ in rule.conditions}
    problems += [problem(questions.path, question.key, "no rule depends on it, so it is never asked")
                 for question in table.questions if question.key not in asked]
    return problems
