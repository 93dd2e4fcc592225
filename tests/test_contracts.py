"""Contracts written once, and the places that use them kept together: the pre-check's question
keys, the input limits, the combining-mark cap, the conversation retention, the Han ranges, and
the user-visible texts (each sentence once, in both languages; Rasa's fixed replies written in
assistant/replies.py and rendered by the trained model)."""
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


def _text_stores() -> dict[str, dict[str, dict[str, str]]]:
    """Every store of user-visible texts: Rasa's side (the fixed replies, the actions' texts)
    and the Telegram bot's."""
    import bot.texts
    from assistant.replies import ACTION_TEXTS, REPLIES

    return {"assistant/replies.py REPLIES": REPLIES, "assistant/replies.py ACTION_TEXTS": ACTION_TEXTS,
            "bot/texts.py": bot.texts.TEXTS}


def test_every_text_exists_in_both_languages_with_the_same_placeholders() -> None:
    """Every user-visible text has an English and a Chinese form that fill in the same values:
    Rasa's fixed replies and the texts they share (assistant/replies.py), the actions' texts and
    the bot's own."""
    import bot.texts

    bot_commands = {language: dict(bot.texts.command_descriptions(language)) for language in ("en", "zh")}
    catalogues = {**_text_stores(), "bot/texts.py COMMANDS": bot_commands}
    problems = [f"{where}: {problem}" for where, catalogue in catalogues.items()
                for problem in _same_in_both_languages(catalogue)]
    assert not problems, problems
    assert len(bot.texts.HELP_QUESTIONS["en"]) == len(bot.texts.HELP_QUESTIONS["zh"])


def test_the_text_check_finds_a_missing_language_and_a_lost_placeholder() -> None:
    """The check above can fail: a key in one language only, a value the other does not fill."""
    catalogue = {"en": {"a": "x {title}", "b": "y"}, "zh": {"a": "x"}}
    assert _same_in_both_languages(catalogue) == ["b: only in en", "a: ['title'] != []"]


def _written_twice(stores: dict[str, dict[str, dict[str, str]]]) -> list[str]:
    """Texts with words (outside their placeholders) under two keys, in any stores: a joiner
    such as "、" may repeat, a sentence may not."""
    where: dict[tuple[str, str], list[str]] = {}
    for store, catalogue in stores.items():
        for language, texts in catalogue.items():
            for key, text in texts.items():
                words = "".join(literal for literal, _, _, _ in string.Formatter().parse(text))
                if any(character.isalpha() for character in words):
                    where.setdefault((language, text), []).append(f"{store}:{key}")
    return [f"{language} {text[:40]!r}: {' '.join(keys)}"
            for (language, text), keys in where.items() if len(keys) > 1]


def test_no_sentence_is_written_twice() -> None:
    """Each sentence has one key in one store; a process that needs another's sentence borrows
    it (the bot's SHARED, the actions' CATALOGUE)."""
    assert not _written_twice(_text_stores()), _written_twice(_text_stores())
    twice = {"a": {"en": {"x": "Call 12348.", "j": "、"}}, "b": {"en": {"y": "Call 12348.", "k": "、"}}}
    assert _written_twice(twice) == ["en 'Call 12348.': a:x b:y"]


def test_each_text_store_keeps_its_own_keys() -> None:
    """The actions read their texts and the shared replies under one `say`, and the bot borrows
    by key: no key may hide another, and every borrowed key exists."""
    import bot.texts
    from assistant.replies import ACTION_TEXTS, REPLIES, RESPONSE_BUTTONS, response_names

    for language in ("en", "zh"):
        assert not set(REPLIES[language]) & set(ACTION_TEXTS[language])
        assert not set(bot.texts.SHARED) & set(bot.texts.TEXTS[language])
        assert set(bot.texts.SHARED.values()) <= set(REPLIES[language])
    assert len(response_names()) == 17 and set(RESPONSE_BUTTONS) <= set(response_names())
    assert all(title in REPLIES["en"] for buttons in RESPONSE_BUTTONS.values() for _, title in buttons)


# --- Rasa's fixed replies: written in assistant/replies.py, rendered by the trained model ---


def _responses_by_language(responses: dict) -> dict[str, dict[str, str]]:
    """Each response's text per language (its `language` variation, else English), and each
    button's title under "<response>/<number>:<payload>"."""
    catalogue: dict[str, dict[str, str]] = {"en": {}, "zh": {}}
    for name, variations in responses.items():
        for variation in variations:
            conditions = variation.get("condition") or []
            language = next((c["value"] for c in conditions if c.get("name") == "language"), "en")
            catalogue[language][name] = variation["text"]
            for number, button in enumerate(variation.get("buttons") or []):
                catalogue[language][f"{name}/{number}:{button['payload']}"] = button["title"]
    return catalogue


def _replies_by_language() -> dict[str, dict[str, str]]:
    """The same, read from assistant/replies.py directly (not through domain_responses)."""
    from assistant.replies import REPLIES, RESPONSE_BUTTONS, response_names

    catalogue: dict[str, dict[str, str]] = {}
    for language, texts in REPLIES.items():
        catalogue[language] = {name: texts[name] for name in response_names()}
        for name, buttons in RESPONSE_BUTTONS.items():
            for number, (intent, title) in enumerate(buttons):
                catalogue[language][f"{name}/{number}:/{intent}"] = texts[title]
    return catalogue


def test_the_fixed_replies_are_written_only_in_assistant_replies(domain) -> None:
    """domain.yml holds no sentence; Rasa's training adds the replies (config.yml `importers:`),
    and the files it builds them from are training inputs, so editing a reply retrains."""
    from scripts.model_store import training_inputs

    assert "responses" not in domain
    config = yaml.safe_load((ROOT / "config.yml").read_text(encoding="utf-8"))
    assert [importer["name"] for importer in config["importers"]] == [
        "RasaFileImporter", "rasa_addons.replies_importer.RepliesImporter"]
    inputs = training_inputs(ROOT)
    assert ROOT / "assistant" / "replies.py" in inputs
    assert ROOT / "rasa_addons" / "replies_importer.py" in inputs


def test_the_trained_model_renders_the_replies_of_assistant_replies(trained_model: Path) -> None:
    """The served model's domain (Rasa renders responses from it, with or without the action
    server) holds exactly the replies of assistant/replies.py, per language, buttons included."""
    import warnings

    from rasa.engine.storage.local_model_storage import LocalModelStorage

    with warnings.catch_warnings():
        # Raised on every domain load; Rasa's own commands hide it (rasa/utils/common.py).
        warnings.filterwarnings("ignore", message="Slot auto-fill has been removed", category=UserWarning)
        metadata = LocalModelStorage.metadata_from_archive(trained_model)
    assert _responses_by_language(metadata.domain.responses) == _replies_by_language()


def test_stock_rasa_gets_the_same_replies(tmp_path: Path) -> None:
    """The stock baseline runs no project code, so bench/stock.py writes the replies into its
    domain.yml: the same texts as the project's model."""
    from bench.stock import write_stock_project

    project = write_stock_project(tmp_path / "stock")
    stock_domain = yaml.safe_load((project / "domain.yml").read_text(encoding="utf-8"))
    assert _responses_by_language(stock_domain["responses"]) == _replies_by_language()
    assert {key: value for key, value in stock_domain.items() if key != "responses"} == yaml.safe_load(
        (ROOT / "domain.yml").read_text(encoding="utf-8"))
