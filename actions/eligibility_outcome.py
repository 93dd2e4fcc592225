"""The pre-check's outcome as the person reads it: which case it is, the articles behind it,
where to apply and what to bring. Said at the end of the check (actions/eligibility.py), and
after the emergency help when violence at home is told during the check (actions/crisis.py):
the check asked about legal aid, and that help settles it (Art. 32, no means test)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rasa_sdk import Tracker

from actions.formatting import format_articles, format_date, format_source
from actions.texts import referral_button, say
from assistant.contract import (
    CHECK_ELIGIBILITY_INTENT,
    ELIGIBILITY_FORM,
    ELIGIBILITY_MATTER_QUESTION,
    ELIGIBILITY_SPECIAL_QUESTION,
)
from knowledge.eligibility import EligibilityTable

# The special situation the crisis help for violence at home answers (eligibility_options.yml).
VIOLENCE_AT_HOME = "violence"
# Art. 32 covers the victim's claims about the violence: the check concludes for these matters
# only (none named yet is taken as "something else"), never for wages or an injury claim.
OTHER_MATTER = "other"
MATTERS_OF_VIOLENCE_AT_HOME = (OTHER_MATTER, "support", "criminal_victim")


@dataclass(frozen=True)
class Outcome:
    """The outcome's rule, its text and buttons, and the answers behind it."""

    rule: str
    text: str
    buttons: list[dict[str, Any]]
    answers: dict[str, str]


def outcome_of(table: EligibilityTable, answers: dict[str, str], language: str) -> Outcome | None:
    """The outcome the answers settle, or None when the check still needs a question answered."""
    rule = table.next_step(answers).rule
    if rule is None:
        return None
    options = [table.option(q, answers[q]) for q, _ in rule.conditions if q in answers]
    used = [option.title for option in options if option is not None]
    guidance = table.guidance_for(answers.get(ELIGIBILITY_MATTER_QUESTION))
    source = format_source(rule.source_title, rule.source_date, rule.source_url, language=language)
    parts = [
        say(language, "check_result", outcome=say(language, f"outcome:{rule.outcome}")),
        say(language, "check_based_on", answers=say(language, "answers_joiner").join(used)),
        say(language, "check_rule", reason=rule.reason.strip(),
            articles=format_articles(rule.source_title, rule.articles, language)),
    ]
    if guidance is not None:
        parts += [say(language, "check_where", where=guidance.where_to_apply.strip()),
                  say(language, "check_bring", bring=guidance.what_to_bring.strip())]
    parts += [say(language, "check_centre_decides"),
              say(language, "answer_source", source=source, reviewed=format_date(rule.last_reviewed, language))]
    buttons = [
        {"title": say(language, "check_documents_button"), "payload": "/faq_legal_aid_documents"},
        {"title": say(language, "check_again_button"), "payload": f"/{CHECK_ELIGIBILITY_INTENT}"},
        referral_button(language),
    ]
    return Outcome(rule.key, "\n\n".join(parts), buttons, dict(answers))


def answers_so_far(tracker: Tracker, table: EligibilityTable) -> dict[str, str]:
    """The answers the running check has recorded (its slots are its questions' keys)."""
    return {question.key: tracker.get_slot(question.key) for question in table.questions
            if isinstance(tracker.get_slot(question.key), str)}


def check_is_running(tracker: Tracker) -> bool:
    """Whether the pre-check was waiting for an answer when this message came."""
    return (tracker.active_loop or {}).get("name") == ELIGIBILITY_FORM


def outcome_after_violence_at_home(tracker: Tracker, table: EligibilityTable, language: str) -> Outcome | None:
    """The check's outcome when violence at home is told while it runs: its answers so far, the
    story's, and the special situation the story tells."""
    if not check_is_running(tracker) or table.option(ELIGIBILITY_SPECIAL_QUESTION, VIOLENCE_AT_HOME) is None:
        return None
    text = str(tracker.latest_message.get("text") or "")
    read = {q: v for q, v in table.match_answers(text, None).items() if q != ELIGIBILITY_SPECIAL_QUESTION}
    answers = {ELIGIBILITY_MATTER_QUESTION: OTHER_MATTER, **answers_so_far(tracker, table), **read}
    if answers[ELIGIBILITY_MATTER_QUESTION] not in MATTERS_OF_VIOLENCE_AT_HOME:
        return None
    return outcome_of(table, {**answers, ELIGIBILITY_SPECIAL_QUESTION: VIOLENCE_AT_HOME}, language)
