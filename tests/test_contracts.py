"""Contracts written once, and the places that use them kept together: the pre-check's question
keys, the input limits, the combining-mark cap, the conversation retention and the Han ranges."""
from __future__ import annotations

import json
import re
import string
import unicodedata
from pathlib import Path

import pytest
import yaml

from assistant.language import HAN_CHARACTER
from assistant.privacy import DEFAULT_RETENTION_DAYS
from assistant.text_cleaning import MAX_COMBINING_MARKS, MAX_QUESTION_CHARACTERS

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def domain() -> dict:
    return yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))


def test_eligibility_question_keys_agree(kb_data, domain) -> None:
    """The knowledge base's questions are the form's slots, in domain.yml and in actions/."""
    from actions.eligibility import AskEligibilityQuestion

    keys = {row["key"] for row in kb_data.eligibility_questions}
    assert keys and all(key.startswith("elig_") for key in keys)
    assert {row["question_key"] for row in kb_data.eligibility_options} == keys
    for rule in kb_data.eligibility_rules:
        assert set(json.loads(rule["conditions"])) <= keys, rule["key"]
    assert set(domain["forms"]["eligibility_form"]["required_slots"]) == keys
    assert keys <= set(domain["slots"]) and keys <= set(domain["entities"])
    asks = {cls.question_key: cls().name() for cls in AskEligibilityQuestion.__subclasses__()}
    assert set(asks) == keys
    assert all(name == f"action_ask_{key}" for key, name in asks.items())
    # An action is listed by name, or as {name: {send_domain: true}} (selective domain).
    listed = {action if isinstance(action, str) else next(iter(action)) for action in domain["actions"]}
    assert set(asks.values()) <= listed


def test_the_bot_cuts_questions_where_the_nlu_stops_reading() -> None:
    """One limit: the NLU reads MAX_QUESTION_CHARACTERS, the bot cuts there and says so."""
    from bot.formatting import truncate_question
    from bot.texts import say
    from rasa_addons.text_normaliser import TextNormaliser, normalise_text

    assert TextNormaliser.get_default_config()["max_characters"] == MAX_QUESTION_CHARACTERS
    config = yaml.safe_load((ROOT / "config.yml").read_text(encoding="utf-8"))
    [normaliser] = [c for c in config["pipeline"] if c["name"].endswith("TextNormaliser")]
    assert normaliser.get("max_characters", MAX_QUESTION_CHARACTERS) == MAX_QUESTION_CHARACTERS
    question, truncated = truncate_question("word " * 1000)
    assert truncated and normalise_text(question) == question
    for language in ("en", "zh"):
        assert str(MAX_QUESTION_CHARACTERS) in say(language, "truncated", limit=MAX_QUESTION_CHARACTERS)


def test_the_bot_and_the_nlu_keep_the_same_combining_marks() -> None:
    """A "Zalgo" flood is capped the same way on both sides."""
    from bot.formatting import clean_user_text
    from rasa_addons.text_normaliser import normalise_text

    flood = "q" + "\u0301\u0302\u0303\u0304" * 10 + " law"
    assert clean_user_text(flood) == normalise_text(flood)
    assert sum(unicodedata.category(c) == "Mn" for c in clean_user_text(flood)) == MAX_COMBINING_MARKS


def test_the_bot_keeps_a_chat_language_as_long_as_rasa_keeps_the_conversation() -> None:
    """No second retention period: the bot reads CONVERSATION_RETENTION_DAYS like Rasa."""
    from bot.config import Settings

    environment = {"TELEGRAM_TOKEN": "1:x", "SENDER_ID_SECRET": "s" * 32,
                   "RASA_CHANNEL_SECRET": "c" * 32, "RASA_PRIVACY_TOKEN": "p" * 32}
    assert Settings.from_env(environment).conversation_retention_days == DEFAULT_RETENTION_DAYS
    settings = Settings.from_env({**environment, "CONVERSATION_RETENTION_DAYS": "7"})
    assert settings.conversation_retention_days == 7
    import inspect

    from bot.inbox import Inbox

    # No period of its own: the caller (bot.runner) passes the settings' period.
    parameter = inspect.signature(Inbox.purge).parameters["chat_retention_seconds"]
    assert parameter.default is inspect.Parameter.empty


@pytest.mark.parametrize("path", ["knowledge/specs.py", "assistant/crisis.py", "actions/statistics.py"])
def test_han_characters_are_defined_once(path: str) -> None:
    """Every module that looks for Han characters uses assistant.language's ranges."""
    source = (ROOT / path).read_text(encoding="utf-8")
    assert not re.search(r"\\u4e00|\\u3400|\\u9fff", source)
    assert "HAN_CHARACTER" in source or "HAN_RANGES" in source


@pytest.mark.parametrize("character", ["法", "㐀", "豈", "𠀀"])
def test_the_knowledge_check_and_the_language_detector_agree_on_han(character: str) -> None:
    """Extension A, compatibility and Extension B characters are Han for both."""
    from knowledge import specs

    assert re.fullmatch(HAN_CHARACTER, character) and specs._HAN.search(character)


def test_the_longest_question_fits_the_bot_channel_body_cap() -> None:
    """The bot's request for a question of MAX_QUESTION_CHARACTERS four-byte characters stays
    under the channel's 8 KB, as encoded by the pinned httpx (compact UTF-8 since 0.28)."""
    import httpx

    from rasa_addons.bot_channel import MAX_BODY_BYTES

    pinned = [line for line in (ROOT / "requirements.txt").read_text().splitlines()
              if line.startswith("httpx")]
    assert pinned == [f"httpx=={httpx.__version__}"]
    assert tuple(int(part) for part in httpx.__version__.split(".")[:2]) >= (0, 28)
    body = {"sender": "a" * 64, "message": "\U00020000" * MAX_QUESTION_CHARACTERS,
            "message_id": "tg-" + "9" * 12, "metadata": {"chat_language": "zh"}}
    request = httpx.Request("POST", "http://127.0.0.1/webhooks/bot/webhook", json=body)
    assert len(request.content) <= MAX_BODY_BYTES


def _placeholders(template: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(template) if field is not None}


def _same_in_both_languages(catalogue: dict[str, dict[str, str]]) -> list[str]:
    """Keys one language lacks, and keys whose placeholders differ between the languages."""
    en, zh = catalogue["en"], catalogue["zh"]
    problems = [f"{key}: only in {'en' if key in en else 'zh'}" for key in sorted(set(en) ^ set(zh))]
    problems += [f"{key}: {sorted(_placeholders(en[key]))} != {sorted(_placeholders(zh[key]))}"
                 for key in sorted(set(en) & set(zh)) if _placeholders(en[key]) != _placeholders(zh[key])]
    return problems


def _domain_responses_by_language(domain: dict) -> dict[str, dict[str, str]]:
    """Each response's text per language: the `language: zh` variation, and the default one."""
    catalogue: dict[str, dict[str, str]] = {"en": {}, "zh": {}}
    for name, variations in domain["responses"].items():
        for variation in variations:
            conditions = variation.get("condition") or []
            language = next((c["value"] for c in conditions if c.get("name") == "language"), "en")
            catalogue[language][name] = variation["text"]
            for number, button in enumerate(variation.get("buttons") or []):
                catalogue[language][f"{name}/{number}:{button['payload']}"] = button["title"]
    return catalogue


def test_every_text_exists_in_both_languages_with_the_same_placeholders(domain) -> None:
    """Every user-visible text has an English and a Chinese form that fill in the same values:
    Rasa's fixed replies (domain.yml), the actions' texts and the bot's own."""
    import actions.texts
    import bot.texts

    bot_commands = {language: dict(bot.texts.command_descriptions(language)) for language in ("en", "zh")}
    catalogues = {
        "domain.yml": _domain_responses_by_language(domain),
        "actions/texts.py": actions.texts.TEXTS,
        "bot/texts.py": bot.texts.TEXTS,
        "bot/texts.py COMMANDS": bot_commands,
    }
    problems = [f"{where}: {problem}" for where, catalogue in catalogues.items()
                for problem in _same_in_both_languages(catalogue)]
    assert not problems, problems
    assert len(bot.texts.HELP_QUESTIONS["en"]) == len(bot.texts.HELP_QUESTIONS["zh"])


def test_the_text_check_finds_a_missing_language_and_a_lost_placeholder() -> None:
    """The check above can fail: a key in one language only, a value the other does not fill."""
    catalogue = {"en": {"a": "x {title}", "b": "y"}, "zh": {"a": "x"}}
    assert _same_in_both_languages(catalogue) == ["b: only in en", "a: ['title'] != []"]
