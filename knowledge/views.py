"""Plain, immutable values returned by ``knowledge.repository`` (never live ORM objects).

Text fields hold the language the repository was asked for (English or Chinese).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class TopicView:
    key: str
    kind: str
    title: str


@dataclass(frozen=True)
class AnswerView:
    topic: str
    title: str
    text: str
    legal_process: bool
    source_title: str
    source_publisher: str
    source_date: dt.date
    source_url: str | None
    last_reviewed: dt.date


@dataclass(frozen=True)
class IndicatorView:
    key: str
    topic: str
    label: str
    unit: str
    keywords: tuple[str, ...]
    keywords_zh: tuple[str, ...]
    headline: bool


@dataclass(frozen=True)
class StatisticView:
    key: str
    indicator: str
    label: str
    topic: str
    value: float
    unit: str
    qualifier: str
    period_label: str
    period_year: int | None
    # The first year of a cumulative figure; None for an annual figure or a count at a date.
    period_start: int | None
    as_of: dt.date
    scope: str
    reliability: str
    note: str | None
    source_title: str
    source_publisher: str
    source_date: dt.date
    source_url: str | None
    # The language the text fields are in: "en" or "zh".
    language: str = "en"


@dataclass(frozen=True)
class ServiceView:
    key: str
    name: str
    kind: str
    contact: str
    offers: str
    availability_note: str | None
    language: str
    source_title: str
    source_url: str | None


@dataclass(frozen=True)
class ProblemRouteView:
    """The public routes for one kind of personal problem, in one language."""

    key: str
    title: str
    routes: tuple[str, ...]
    time_limit: str
    legal_aid: str
    # The pre-check's matter option for this kind of problem (elig_matter).
    check_matter: str
    # The special-situation answer (elig_special) this kind of problem implies, or None.
    check_special: str | None
    legal_aid_note: str
    evidence: str
    basis: str
    reliability: str
    source_title: str
    source_date: dt.date
    source_url: str | None
    last_reviewed: dt.date


@dataclass(frozen=True)
class CrisisHelpView:
    """Emergency help for one crisis situation, in one language."""

    key: str
    help: str
    legal_route: str | None
    source_title: str
    source_date: dt.date
    last_reviewed: dt.date
