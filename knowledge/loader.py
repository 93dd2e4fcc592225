"""Read and validate the YAML files in ``knowledge/data/`` and load them into the database.

Validation is complete before the database is touched, so a bad file leaves the
database exactly as it was; the load itself replaces all rows in one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import delete, insert
from sqlalchemy.engine import Engine

from assistant.contract import (
    CRISIS_SITUATIONS,
    ELIGIBILITY_MATTER_QUESTION,
    ELIGIBILITY_SPECIAL_QUESTION,
    LANGUAGES,
)
from knowledge.db import create_schema, make_session_factory
from knowledge.eligibility_checks import eligibility_problems
from knowledge.models import MODELS_IN_LOAD_ORDER, TOPIC_KINDS
from knowledge.specs import SPECS, FileSpec, check_value, describe

DATA_DIR = Path(__file__).resolve().parent / "data"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one entry of one data file."""

    file: str
    entry: str
    reason: str

    def __str__(self) -> str:
        return f"{self.file}: {self.entry}: {self.reason}"


class DataFileError(Exception):
    """The data files have problems; ``problems`` lists all of them."""

    def __init__(self, problems: list[Problem]):
        self.problems = tuple(problems)
        super().__init__("\n".join(str(problem) for problem in self.problems))


@dataclass(frozen=True)
class LoadedData:
    """Validated rows, keyed by column name, ready to insert."""

    sources: tuple[dict, ...]
    topics: tuple[dict, ...]
    indicators: tuple[dict, ...]
    statistics: tuple[dict, ...]
    answers: tuple[dict, ...]
    services: tuple[dict, ...]
    eligibility_questions: tuple[dict, ...] = ()
    eligibility_options: tuple[dict, ...] = ()
    eligibility_guidance: tuple[dict, ...] = ()
    eligibility_rules: tuple[dict, ...] = ()
    problem_routes: tuple[dict, ...] = ()
    crisis_help: tuple[dict, ...] = ()

    def rows_for(self, model) -> tuple[dict, ...]:
        """Return the rows destined for the table of ``model``."""
        return getattr(self, model.__tablename__)

    def counts(self) -> dict[str, int]:
        """Return the number of rows per table, in load order."""
        return {model.__tablename__: len(self.rows_for(model)) for model in MODELS_IN_LOAD_ORDER}


# --- YAML reading ---------------------------------------------------------------------


class _StrictLoader(yaml.SafeLoader):
    """SafeLoader that rejects a mapping with the same field twice (PyYAML keeps the last)."""


def _construct_mapping(loader: _StrictLoader, node: yaml.MappingNode, deep: bool = False):
    seen = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate field {key!r}", key_node.start_mark
            )
        seen.add(key)
    return yaml.SafeLoader.construct_mapping(loader, node, deep=deep)


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _read_yaml(path: Path, problems: list[Problem]) -> list | None:
    name = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        problems.append(Problem(name, "(file)", "file not found"))
        return None
    except (OSError, UnicodeDecodeError) as exc:
        problems.append(Problem(name, "(file)", f"cannot read file: {exc}"))
        return None
    try:
        document = yaml.load(text, Loader=_StrictLoader)  # nosec B506  # a SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        entry = f"line {mark.line + 1}" if mark is not None else "(file)"
        detail = getattr(exc, "problem", None) or str(exc)
        problems.append(Problem(name, entry, f"malformed YAML: {detail}"))
        return None
    if document is None:
        return []
    if not isinstance(document, list):
        problems.append(
            Problem(name, "(file)", f"expected a list of entries, got {type(document).__name__}")
        )
        return None
    return document


# --- parsing one file -----------------------------------------------------------------


@dataclass
class _Parsed:
    spec: FileSpec
    path: str
    # (entry label, row with YAML field names) of entries without problems
    rows: list[tuple[str, dict]] = field(default_factory=list)
    # identities of all entries whose identity fields are valid, even if the rest is not
    identities: set[tuple] = field(default_factory=set)


def _parse_file(spec: FileSpec, data_dir: Path, problems: list[Problem]) -> _Parsed:
    path = data_dir / spec.filename
    parsed = _Parsed(spec, str(path))
    document = _read_yaml(path, problems)
    if document is None:
        return parsed
    known = {f.name: f for f in spec.fields}
    first_seen: dict[tuple, str] = {}
    for index, entry in enumerate(document, start=1):
        label = f"entry #{index}"
        if not isinstance(entry, dict):
            problems.append(Problem(parsed.path, label, f"expected a mapping, got {describe(entry)}"))
            continue
        identity = []
        for name in spec.identity:
            value, reason = (
                check_value(known[name], entry[name]) if name in entry else (None, "missing")
            )
            identity.append(value if reason is None else None)
        if all(part is not None for part in identity):
            label = "/".join(str(part) for part in identity)
        entry_problems = []
        row: dict[str, Any] = {}
        for name in entry:
            if name not in known:
                entry_problems.append(f"unknown field {name!r}")
        for spec_field in spec.fields:
            if spec_field.name not in entry or entry[spec_field.name] is None:
                english = spec_field.translation_of
                if english is not None and entry.get(english) is not None:
                    entry_problems.append(
                        f"has English {english!r} but no Chinese {spec_field.name!r}"
                        " (every text the user sees needs both languages)"
                    )
                elif english is None and entry.get(spec_field.name + "_zh") is not None:
                    entry_problems.append(
                        f"has Chinese {spec_field.name + '_zh'!r} but no English {spec_field.name!r}"
                        " (every text the user sees needs both languages)"
                    )
                elif spec_field.required:
                    entry_problems.append(f"missing required field {spec_field.name!r}")
                else:
                    row[spec_field.name] = None
                continue
            value, reason = check_value(spec_field, entry[spec_field.name])
            if reason is not None:
                entry_problems.append(reason)
            else:
                row[spec_field.name] = value
        if all(part is not None for part in identity):
            key = tuple(identity)
            if key in first_seen:
                what = "key" if len(key) == 1 else "(" + ", ".join(spec.identity) + ")"
                entry_problems.append(
                    f"duplicate {what} {label!r} (first defined as {first_seen[key]})"
                )
            else:
                first_seen[key] = f"entry #{index}"
                parsed.identities.add(key)
        problems.extend(Problem(parsed.path, label, reason) for reason in entry_problems)
        if not entry_problems:
            parsed.rows.append((label, row))
    return parsed


# --- public API -----------------------------------------------------------------------


def load_data_dir(path: str | Path = DATA_DIR) -> LoadedData:
    """Parse and validate every data file in ``path``; raise DataFileError listing all problems."""
    data_dir = Path(path)
    problems: list[Problem] = []
    parsed = {spec.model.__tablename__: _parse_file(spec, data_dir, problems) for spec in SPECS}

    sources = {key for (key,) in parsed["sources"].identities}
    topics_by_kind: dict[str, set[str]] = {kind: set() for kind in TOPIC_KINDS}
    for kind, key in parsed["topics"].identities:
        topics_by_kind[kind].add(key)
    indicators = {key for (key,) in parsed["indicators"].identities}
    references = {
        # table: [(YAML field, allowed keys, what to call it)]
        "indicators": [("topic", topics_by_kind["stat"], "stat topic")],
        "statistics": [("indicator", indicators, "indicator"), ("source", sources, "source")],
        "answers": [("topic", topics_by_kind["faq"], "faq topic"), ("source", sources, "source")],
        "services": [("source", sources, "source")],
        "problem_routes": [("source", sources, "source")],
        "crisis_help": [("source", sources, "source")],
    }
    for table, checks in references.items():
        item = parsed[table]
        valid_rows = []
        for label, row in item.rows:
            reasons = [
                f"unknown {what} {row[name]!r} (not defined in {_defined_in(what)})"
                for name, allowed, what in checks
                if row[name] not in allowed
            ]
            problems.extend(Problem(item.path, label, reason) for reason in reasons)
            if not reasons:
                valid_rows.append((label, row))
        item.rows = valid_rows

    problems.extend(_answers_missing_a_language(parsed["answers"], topics_by_kind["faq"]))
    problems.extend(eligibility_problems(parsed, sources, Problem))
    problems.extend(_crisis_situations_missing(parsed["crisis_help"]))
    problems.extend(_periods_inconsistent(parsed["statistics"]))
    problems.extend(_check_matters_unknown(parsed["problem_routes"], parsed["eligibility_options"]))
    if problems:
        raise DataFileError(problems)

    tables = {}
    for name, item in parsed.items():
        spec = item.spec
        columns = {f.name: f.column or f.name for f in spec.fields}
        tables[name] = tuple(
            {**spec.fixed, **{columns[key]: value for key, value in row.items()}}
            for _, row in item.rows
        )
    return LoadedData(**tables)


def _answers_missing_a_language(answers: _Parsed, faq_topics: set[str]) -> list[Problem]:
    """Every FAQ topic needs an answer in every language (answers.yml is keyed by both)."""
    answered = {identity for identity in answers.identities}
    return [
        Problem(answers.path, topic, f"no {language!r} answer (every FAQ topic needs one per language)")
        for topic in sorted(faq_topics)
        for language in LANGUAGES
        if (topic, language) not in answered
    ]


def _crisis_situations_missing(crisis_help: _Parsed) -> list[Problem]:
    """Every situation the crisis detector can report needs its emergency help, and no other."""
    defined = {key for (key,) in crisis_help.identities}
    return [
        Problem(crisis_help.path, situation, "no emergency help for this crisis situation "
                "(assistant.contract.CRISIS_SITUATIONS)")
        for situation in CRISIS_SITUATIONS if situation not in defined
    ] + [
        Problem(crisis_help.path, key, "not a crisis situation the detector reports "
                "(assistant.contract.CRISIS_SITUATIONS)")
        for key in sorted(defined - set(CRISIS_SITUATIONS))
    ]


def _check_matters_unknown(routes: _Parsed, options: _Parsed) -> list[Problem]:
    """A problem route's `check_matter` (and `check_special`, if given) must be an answer the
    pre-check's matter (special-situation) question has."""
    problems = []
    for column_name, question in (("check_matter", ELIGIBILITY_MATTER_QUESTION),
                                  ("check_special", ELIGIBILITY_SPECIAL_QUESTION)):
        values = {row["value"] for _, row in options.rows if row["question"] == question}
        problems += [Problem(routes.path, label, f"{column_name} {row[column_name]!r} is not an option of "
                             f"{question} (eligibility_options.yml)")
                     for label, row in routes.rows
                     if row.get(column_name) is not None and row[column_name] not in values]
    return problems


def _periods_inconsistent(statistics: _Parsed) -> list[Problem]:
    """A figure is annual (period_year), cumulative (period_start) or a count at a date, never
    two of these; a cumulative one starts before it was stated."""
    problems = []
    for label, row in statistics.rows:
        start, year = row.get("period_start"), row.get("period_year")
        if start is not None and year is not None:
            problems.append(Problem(statistics.path, label, "both period_start and period_year: "
                                    "a figure is either cumulative or annual"))
        elif start is not None and start > row["as_of"].year:
            problems.append(Problem(statistics.path, label, f"period_start {start} is after as_of"))
    return problems


def _defined_in(what: str) -> str:
    return {
        "stat topic": "topics.yml with kind 'stat'",
        "faq topic": "topics.yml with kind 'faq'",
        "indicator": "indicators.yml",
        "source": "sources.yml",
    }[what]


def load_into_database(engine: Engine, data: LoadedData) -> dict[str, int]:
    """Create missing tables, then replace every row with ``data`` in one transaction.

    Returns the number of rows per table. Any database error rolls the whole
    load back, leaving the previous content in place.
    """
    create_schema(engine)
    Session = make_session_factory(engine)
    with Session.begin() as session:
        for model in reversed(MODELS_IN_LOAD_ORDER):
            session.execute(delete(model))
        for model in MODELS_IN_LOAD_ORDER:
            rows = data.rows_for(model)
            if rows:
                session.execute(insert(model), [dict(row) for row in rows])
    return data.counts()


def load_into_url(url: str, data_dir: str | Path = DATA_DIR) -> dict[str, int]:
    """Validate ``data_dir`` and load it into the database at ``url``; return row counts.

    The one way tests, benchmarks and scripts set up a knowledge base.
    """
    from knowledge.db import make_engine

    data = load_data_dir(data_dir)
    engine = make_engine(url)
    try:
        return load_into_database(engine, data)
    finally:
        engine.dispose()
