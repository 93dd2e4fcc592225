"""How the actions say their sentences: `say` and the "talk to a person" button.

Every Rasa-side sentence, the actions' included, is in assistant/replies.py (one store, issue
#22), which Rasa's training reads too.
"""
from __future__ import annotations

from assistant.contract import HUMAN_HANDOFF_INTENT, language_or_default
from assistant.replies import CATALOGUE

__all__ = ["CATALOGUE", "referral_button", "say"]


def say(language: object, key: str, **values: object) -> str:
    """Return the text ``key`` in the language (English for an unknown one), filled in."""
    template = CATALOGUE[language_or_default(language)][key]
    return template.format(**values) if values else template


def referral_button(language: object) -> dict[str, str]:
    """The "talk to a person" button, in the language (the help reply's last button too)."""
    return {"title": say(language, f"intent_title:{HUMAN_HANDOFF_INTENT}"), "payload": f"/{HUMAN_HANDOFF_INTENT}"}
