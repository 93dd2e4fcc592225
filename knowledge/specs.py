"""What each knowledge-base data file may contain, and the check of each value.

Every text a user can see comes in English and Chinese: a field ``x`` has a sibling
``x_zh``. ``_Field.translation_of`` ties the pair, so the loader can refuse an entry
with one and not the other, naming both fields.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from dataclasses import dataclass, field
from typing import Any

from assistant.contract import LANGUAGES
from assistant.language import HAN_CHARACTER, HAN_RANGES
from knowledge.models import (
    ELIGIBILITY_OUTCOMES,
    LEGAL_AID_COVERAGES,
    QUALIFIERS,
    RELIABILITIES,
    SERVICE_KINDS,
    TOPIC_KINDS,
    Answer,
    EligibilityGuidance,
    EligibilityOption,
    EligibilityQuestion,
    EligibilityRule,
    CrisisHelp,
    Indicator,
    ProblemRoute,
    Service,
    Source,
    Statistic,
    Topic,
)

_IDENTIFIER = re.compile(r"^[a-z][a-z0-9_]*$")
_KEY = re.compile(r"^[a-z0-9][a-z0-9_@.\-]*$")
_LANGUAGE = re.compile(r"^[a-z]{2,3}$")
_HAN = re.compile(HAN_CHARACTER)
# A space after Chinese punctuation before more Chinese: YAML's folded scalars (>) join
# lines with a space, which Chinese text does not have. (A space between two issuers'
# names, "最高人民法院 司法部", is the official style and allowed.)
_CJK_GAP = re.compile(f"[，。；：、！？）》」』] +[{HAN_RANGES}（《「『]")
CHINESE_SUFFIX = "_zh"


@dataclass(frozen=True)
class Field:
    """One field of a data file's entries."""

    name: str
    kind: str
    required: bool = True
    choices: tuple[str, ...] = ()
    column: str | None = None
    # For a Chinese field: the English field it translates (both or neither).
    translation_of: str | None = None


def bilingual(name: str, kind: str = "text", required: bool = True) -> tuple[Field, Field]:
    """Return the English field and its Chinese sibling ``<name>_zh``."""
    return (
        Field(name, kind, required=required),
        Field(name + CHINESE_SUFFIX, kind + CHINESE_SUFFIX, required=required, translation_of=name),
    )


@dataclass(frozen=True)
class FileSpec:
    """One data file: its model, fields and the fields that identify an entry."""

    filename: str
    model: Any  # a declarative class of knowledge.models
    fields: tuple[Field, ...]
    identity: tuple[str, ...]
    fixed: dict[str, Any] = field(default_factory=dict)


SPECS = (
    FileSpec(
        "sources.yml",
        Source,
        (
            Field("key", "key"),
            *bilingual("title"),
            *bilingual("publisher"),
            Field("published_on", "date"),
            Field("url", "url", required=False),
            Field("note", "text", required=False),
        ),
        identity=("key",),
    ),
    FileSpec(
        "topics.yml",
        Topic,
        (
            Field("key", "identifier"),
            Field("kind", "choice", choices=TOPIC_KINDS),
            *bilingual("title"),
            *bilingual("description", required=False),
        ),
        identity=("kind", "key"),
    ),
    FileSpec(
        "indicators.yml",
        Indicator,
        (
            Field("key", "identifier"),
            Field("topic", "identifier", column="topic_key"),
            *bilingual("label"),
            Field("unit", "text"),
            # "%" is a unit in both languages, so the Chinese unit need not be Han.
            Field("unit_zh", "text", translation_of="unit"),
            *bilingual("keywords", "keywords"),
            Field("headline", "bool"),
            Field("sort_order", "int"),
        ),
        identity=("key",),
        fixed={"topic_kind": "stat"},
    ),
    FileSpec(
        "statistics.yml",
        Statistic,
        (
            Field("key", "key"),
            Field("indicator", "identifier", column="indicator_key"),
            Field("value", "number"),
            Field("qualifier", "choice", choices=QUALIFIERS),
            *bilingual("period_label"),
            Field("period_year", "int", required=False),
            Field("period_start", "int", required=False),
            Field("as_of", "date"),
            *bilingual("scope"),
            Field("reliability", "choice", choices=RELIABILITIES),
            *bilingual("note", required=False),
            Field("source", "key", column="source_key"),
        ),
        identity=("key",),
    ),
    FileSpec(
        "answers.yml",
        Answer,
        (
            Field("topic", "identifier", column="topic_key"),
            Field("language", "choice", choices=LANGUAGES),
            Field("text", "text"),
            Field("source", "key", column="source_key"),
            Field("last_reviewed", "date"),
            Field("legal_process", "bool"),
        ),
        identity=("topic", "language"),
        fixed={"topic_kind": "faq"},
    ),
    FileSpec(
        "services.yml",
        Service,
        (
            Field("key", "identifier"),
            *bilingual("name"),
            Field("kind", "choice", choices=SERVICE_KINDS),
            Field("contact", "text"),
            # A number or an address reads the same in Chinese: any text will do.
            Field("contact_zh", "text", translation_of="contact"),
            *bilingual("offers"),
            *bilingual("availability_note", required=False),
            Field("language", "language"),
            Field("source", "key", column="source_key"),
        ),
        identity=("key",),
    ),
    # The legal-aid pre-check (knowledge/eligibility.py): questions, their options, the
    # decision table and where to apply. Cross-checked by knowledge/eligibility_checks.py.
    FileSpec(
        "eligibility_questions.yml",
        EligibilityQuestion,
        (Field("key", "identifier"), Field("position", "int"), *bilingual("prompt"),
         Field("not_after", "identifiers", required=False)),
        identity=("key",),
    ),
    FileSpec(
        "eligibility_options.yml",
        EligibilityOption,
        (
            Field("question", "identifier", column="question_key"),
            Field("value", "identifier"),
            Field("position", "int"),
            *bilingual("title"),
            *bilingual("keywords", "keywords"),
        ),
        identity=("question", "value"),
    ),
    FileSpec(
        "eligibility_guidance.yml",
        EligibilityGuidance,
        (
            Field("key", "identifier"),
            Field("matters", "identifiers"),
            *bilingual("where_to_apply"),
            *bilingual("what_to_bring"),
            Field("source", "key", column="source_key"),
            Field("last_reviewed", "date"),
        ),
        identity=("key",),
    ),
    FileSpec(
        "eligibility_rules.yml",
        EligibilityRule,
        (
            Field("key", "identifier"),
            Field("position", "int"),
            Field("conditions", "conditions"),
            Field("outcome", "choice", choices=ELIGIBILITY_OUTCOMES),
            Field("articles", "articles"),
            *bilingual("reason"),
            Field("source", "key", column="source_key"),
            Field("last_reviewed", "date"),
        ),
        identity=("key",),
    ),
    # Personal problems (problem_<key> intents) and crises: knowledge/routes.py reads them.
    FileSpec(
        "problem_routes.yml",
        ProblemRoute,
        (
            Field("key", "identifier"),
            Field("position", "int"),
            *bilingual("title"),
            *bilingual("routes", "steps"),
            *bilingual("time_limit"),
            Field("legal_aid", "choice", choices=LEGAL_AID_COVERAGES),
            Field("check_matter", "identifier"),
            Field("check_special", "identifier", required=False),
            *bilingual("legal_aid_note"),
            *bilingual("evidence"),
            Field("basis", "text"),
            Field("reliability", "choice", choices=RELIABILITIES),
            Field("source", "key", column="source_key"),
            Field("last_reviewed", "date"),
        ),
        identity=("key",),
    ),
    FileSpec(
        "crisis_help.yml",
        CrisisHelp,
        (
            Field("key", "identifier"),
            Field("position", "int"),
            *bilingual("help"),
            *bilingual("legal_route", required=False),
            Field("reliability", "choice", choices=RELIABILITIES),
            Field("source", "key", column="source_key"),
            Field("last_reviewed", "date"),
        ),
        identity=("key",),
    ),
)

DATA_FILES = tuple(spec.filename for spec in SPECS)


def describe(value: Any) -> str:
    shown = repr(value)
    if len(shown) > 40:
        shown = shown[:37] + "..."
    return f"{type(value).__name__} {shown}"


def check_value(spec: Field, value: Any) -> tuple[Any, str | None]:
    """Return (converted value, None) or (None, reason)."""
    name, kind = spec.name, spec.kind
    if kind.endswith(CHINESE_SUFFIX):
        value, reason = check_value(Field(name, kind[: -len(CHINESE_SUFFIX)]), value)
        if reason is None and not all(_HAN.search(part) for part in str(value).split(",")):
            return None, f"field {name!r} must be Chinese text (Han characters), got {value!r}"
        if reason is None and (gap := _CJK_GAP.search(str(value))):
            return None, (f"field {name!r} has a space between Chinese characters ({gap.group()!r}): "
                          "a folded YAML line? Write Chinese text on one line")
        return value, reason
    if kind in ("text", "key", "identifier", "language", "url", "choice"):
        if not isinstance(value, str) or not value.strip():
            return None, f"field {name!r} must be a non-empty string, got {describe(value)}"
        value = value.strip()
        if kind == "key" and not _KEY.match(value):
            return None, f"field {name!r} must be a lower-case key without spaces, got {value!r}"
        if kind == "identifier" and not _IDENTIFIER.match(value):
            return None, f"field {name!r} must be a snake_case identifier, got {value!r}"
        if kind == "language" and not _LANGUAGE.match(value):
            return None, f"field {name!r} must be a language code such as 'en', got {value!r}"
        if kind == "url" and not value.startswith(("http://", "https://")):
            return None, f"field {name!r} must start with http:// or https://, got {value!r}"
        if kind == "choice" and value not in spec.choices:
            allowed = ", ".join(repr(choice) for choice in spec.choices)
            return None, f"field {name!r} must be one of {allowed}, got {value!r}"
        return value, None
    if kind == "int":
        if isinstance(value, bool) or not isinstance(value, int):
            return None, f"field {name!r} must be an integer, got {describe(value)}"
        return value, None
    if kind == "number":
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            return None, f"field {name!r} must be a number, got {describe(value)}"
        return float(value), None
    if kind == "bool":
        if not isinstance(value, bool):
            return None, f"field {name!r} must be true or false, got {describe(value)}"
        return value, None
    if kind == "date":
        if isinstance(value, dt.datetime):
            return None, f"field {name!r} must be a date (YYYY-MM-DD) without a time, got {value!r}"
        if isinstance(value, dt.date):
            return value, None
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value.strip()), None
            except ValueError:
                pass
        return None, f"field {name!r} must be a date (YYYY-MM-DD), got {describe(value)}"
    if kind == "keywords":
        if not isinstance(value, list) or not value:
            return None, f"field {name!r} must be a non-empty list of phrases, got {describe(value)}"
        words = []
        for word in value:
            if not isinstance(word, str) or not word.strip():
                return None, f"field {name!r} must contain only non-empty strings, got {describe(word)}"
            word = word.strip()
            if word != word.lower() or "," in word:
                return None, f"field {name!r}: keyword {word!r} must be lower-case without commas"
            words.append(word)
        return ",".join(words), None
    if kind == "steps":
        if not isinstance(value, list) or not value or not all(
            isinstance(step, str) and step.strip() and "\n" not in step.strip() for step in value
        ):
            return None, f"field {name!r} must be a non-empty list of one-line steps, got {describe(value)}"
        return "\n".join(step.strip() for step in value), None
    if kind == "identifiers":
        if not isinstance(value, list) or not value or not all(
            isinstance(item, str) and _IDENTIFIER.match(item) for item in value
        ):
            return None, f"field {name!r} must be a non-empty list of snake_case identifiers, got {describe(value)}"
        return ",".join(value), None
    if kind == "articles":
        if not isinstance(value, list) or not value or not all(
            isinstance(item, int) and not isinstance(item, bool) and 0 < item < 100 for item in value
        ):
            return None, f"field {name!r} must be a non-empty list of article numbers (1-99), got {describe(value)}"
        return ",".join(str(item) for item in value), None
    if kind == "conditions":
        if not isinstance(value, dict) or not value:
            return None, f"field {name!r} must map question keys to lists of option values, got {describe(value)}"
        for question, options in value.items():
            values, reason = check_value(Field(f"{name}.{question}", "identifiers"), options)
            if not (isinstance(question, str) and _IDENTIFIER.match(question)) or reason:
                return None, reason or f"field {name!r}: {question!r} is not a question key"
        return json.dumps({question: list(options) for question, options in value.items()}), None
    raise AssertionError(f"unknown field kind {kind!r}")


