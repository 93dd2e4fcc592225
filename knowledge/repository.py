"""Read-only queries over the knowledge base.

Every function takes the session keyword-only and returns plain frozen
dataclasses from ``knowledge.views``, so callers never hold ORM objects. Functions
that return text the user sees take ``language`` ("en" or "zh") and fill the views
with that language's columns (``title`` or ``title_zh``, ...).
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from assistant.contract import DEFAULT_LANGUAGE
from assistant.language import has_han, to_simplified

from knowledge.models import Answer, Indicator, Service, Source, Statistic, Topic
from knowledge.views import AnswerView, IndicatorView, ServiceView, StatisticView, TopicView

__all__ = [
    "AnswerView",
    "IndicatorView",
    "ServiceView",
    "StatisticView",
    "TopicView",
    "get_answer",
    "get_indicator_history",
    "get_service",
    "get_statistic_for_year",
    "get_topic",
    "list_indicators",
    "list_services",
    "list_statistic_years",
    "list_statistics",
    "list_topics",
    "match_indicators",
    "normalise_text",
    "ping",
]

_WORD = re.compile(r"[a-z0-9%]+")
_LATIN_AND_SPACES = re.compile(r"[A-Za-z\s'.\-]+")


def normalise_text(value: str) -> str:
    """Lower-case ``value`` and reduce it to single-space separated words (keeps digits and %)."""
    return " ".join(_WORD.findall(value.lower()))


def localised(row, column: str, language: str):
    """Return ``row.<column>_zh`` for Chinese (when set), else ``row.<column>``."""
    if language == "zh":
        value = getattr(row, f"{column}_zh", None)
        if value:
            return value
    return getattr(row, column)


def ping(*, session: Session) -> None:
    """Run ``SELECT 1``; raises the database error if the knowledge base is unreachable."""
    session.execute(text("SELECT 1")).scalar_one()


# --- topics and answers ---------------------------------------------------------------


def list_topics(
    *, session: Session, kind: str | None = None, language: str = DEFAULT_LANGUAGE
) -> list[TopicView]:
    """List topics (optionally only ``faq`` or ``stat``) sorted by key, then kind."""
    stmt = select(Topic).order_by(Topic.key, Topic.kind)
    if kind is not None:
        stmt = stmt.where(Topic.kind == kind)
    return [_topic_view(topic, language) for topic in session.scalars(stmt)]


def get_topic(
    *, session: Session, key: str, kind: str | None = None, language: str = DEFAULT_LANGUAGE
) -> TopicView | None:
    """Return one topic.

    Five keys (e.g. ``arbitration``) exist both as an FAQ and as a statistics
    topic, so pass ``kind``; without it, the FAQ topic wins.
    """
    stmt = select(Topic).where(Topic.key == key).order_by(Topic.kind)
    if kind is not None:
        stmt = stmt.where(Topic.kind == kind)
    topic = session.scalars(stmt).first()
    return _topic_view(topic, language) if topic is not None else None


def get_answer(
    *, session: Session, topic: str, language: str = DEFAULT_LANGUAGE
) -> AnswerView | None:
    """Return the answer of FAQ topic ``topic`` in ``language``, or None."""
    stmt = (
        select(Answer, Topic, Source)
        .join(Topic, (Topic.kind == Answer.topic_kind) & (Topic.key == Answer.topic_key))
        .join(Source, Source.key == Answer.source_key)
        .where(Answer.topic_key == topic, Answer.language == language)
    )
    row = session.execute(stmt).first()
    if row is None:
        return None
    answer, topic_row, source = row
    return AnswerView(
        topic=answer.topic_key,
        title=localised(topic_row, "title", language),
        text=answer.text,
        legal_process=answer.legal_process,
        source_title=localised(source, "title", language),
        source_publisher=localised(source, "publisher", language),
        source_date=source.published_on,
        source_url=source.url,
        last_reviewed=answer.last_reviewed,
    )


# --- indicators -----------------------------------------------------------------------


def list_indicators(
    *, session: Session, topic: str, language: str = DEFAULT_LANGUAGE
) -> list[IndicatorView]:
    """List the indicators of statistics topic ``topic`` in their sort order."""
    stmt = (
        select(Indicator)
        .where(Indicator.topic_key == topic)
        .order_by(Indicator.sort_order, Indicator.key)
    )
    return [_indicator_view(indicator, language) for indicator in session.scalars(stmt)]


def match_indicators(
    *, session: Session, topic: str, text: str, language: str = DEFAULT_LANGUAGE
) -> list[IndicatorView]:
    """Return the indicators of ``topic`` whose keywords occur in ``text``, best match first.

    English keywords match whole words after normalisation; Chinese keywords match as
    substrings of the Simplified text (Chinese has no spaces). An indicator's score is
    its longest matching keyword, ties keep the indicator sort order. A Chinese
    question is matched on Chinese keywords first and on English ones only when none
    match, so "lawyer 人数" still finds its indicator; glosses the NLU adds to Chinese
    text never outvote the Chinese keywords.
    """
    indicators = list_indicators(session=session, topic=topic, language=language)
    if has_han(text):
        # Latin words and spaces out: Chinese keywords are written without them, and the
        # NLU's glosses ("律师调解 lawyer mediation 员") would split a keyword (调解员).
        chinese = _LATIN_AND_SPACES.sub("", to_simplified(text))
        found = _best_first(indicators, chinese, _chinese_match)
        if found:
            return found
    return _best_first(indicators, f" {normalise_text(text)} ", _english_match)


def _best_first(indicators: list[IndicatorView], text: str, match) -> list[IndicatorView]:
    """The indicators `match` finds in the text, longest keyword first. One found only inside the
    best one's keyword ("workers" in "migrant workers") is not named by the text."""
    scored = [(-len(match(i, text)), position, i) for position, i in enumerate(indicators)]
    scored = sorted(item for item in scored if item[0] < 0)
    if not scored:
        return []
    best = scored[0][2]
    rest = text.replace(match(best, text), " ")
    return [best, *(indicator for _, _, indicator in scored[1:] if match(indicator, rest))]


def _chinese_match(indicator: IndicatorView, text: str) -> str:
    return max((k for k in indicator.keywords_zh if k and k in text), key=len, default="")


def _english_match(indicator: IndicatorView, haystack: str) -> str:
    """The longest keyword in the haystack, with the spaces around it ("lawyer" finds the keyword
    "lawyers", and "studio" "studios")."""
    best = ""
    for keyword in indicator.keywords:
        needle = normalise_text(keyword)
        singular = needle[:-1] if needle.endswith("s") and len(needle) > 3 else needle
        for form in {needle, singular}:
            if form and f" {form} " in haystack and len(form) + 2 > len(best):
                best = f" {form} "
    return best


# --- statistics -----------------------------------------------------------------------


def _statistics_stmt():
    return (
        select(Statistic, Indicator, Source)
        .join(Indicator, Indicator.key == Statistic.indicator_key)
        .join(Source, Source.key == Statistic.source_key)
    )


def get_indicator_history(
    *, session: Session, indicator: str, language: str = DEFAULT_LANGUAGE
) -> list[StatisticView]:
    """Return every figure of ``indicator``, newest ``as_of`` first."""
    stmt = (
        _statistics_stmt()
        .where(Statistic.indicator_key == indicator)
        .order_by(
            Statistic.as_of.desc(), Statistic.period_year.desc().nulls_last(), Statistic.key
        )
    )
    return [_statistic_view(row, language) for row in session.execute(stmt)]


def get_statistic_for_year(
    *, session: Session, indicator: str, year: int, language: str = DEFAULT_LANGUAGE
) -> StatisticView | None:
    """Return the figure of ``indicator`` for ``period_year == year`` (newest if several)."""
    stmt = (
        _statistics_stmt()
        .where(Statistic.indicator_key == indicator, Statistic.period_year == year)
        .order_by(Statistic.as_of.desc(), Statistic.key)
        .limit(1)
    )
    row = session.execute(stmt).first()
    return _statistic_view(row, language) if row is not None else None


def list_statistics(
    *, session: Session, topic: str | None = None, language: str = DEFAULT_LANGUAGE
) -> list[StatisticView]:
    """List figures (of one topic or all) by indicator sort order, newest ``as_of`` first."""
    stmt = _statistics_stmt().order_by(
        Indicator.topic_key,
        Indicator.sort_order,
        Indicator.key,
        Statistic.as_of.desc(),
        Statistic.key,
    )
    if topic is not None:
        stmt = stmt.where(Indicator.topic_key == topic)
    return [_statistic_view(row, language) for row in session.execute(stmt)]


def list_statistic_years(*, session: Session, topic: str) -> list[int]:
    """Return the distinct ``period_year`` values that figures of ``topic`` refer to, sorted."""
    stmt = (
        select(Statistic.period_year)
        .join(Indicator, Indicator.key == Statistic.indicator_key)
        .where(Indicator.topic_key == topic, Statistic.period_year.is_not(None))
        .distinct()
        .order_by(Statistic.period_year)
    )
    return list(session.scalars(stmt))


# --- services -------------------------------------------------------------------------


def get_service(
    *, session: Session, key: str, language: str = DEFAULT_LANGUAGE
) -> ServiceView | None:
    """Return the service ``key`` (e.g. ``hotline_12348``), or None."""
    row = session.execute(_services_stmt().where(Service.key == key)).first()
    return _service_view(row, language) if row is not None else None


def list_services(*, session: Session, language: str = DEFAULT_LANGUAGE) -> list[ServiceView]:
    """List all services sorted by key."""
    rows = session.execute(_services_stmt().order_by(Service.key))
    return [_service_view(row, language) for row in rows]


def _services_stmt():
    return select(Service, Source).join(Source, Source.key == Service.source_key)


# --- conversions ----------------------------------------------------------------------


def _topic_view(topic: Topic, language: str) -> TopicView:
    return TopicView(key=topic.key, kind=topic.kind, title=localised(topic, "title", language))


def _split_keywords(value: str | None) -> tuple[str, ...]:
    return tuple(word.strip() for word in (value or "").split(",") if word.strip())


def _indicator_view(indicator: Indicator, language: str) -> IndicatorView:
    return IndicatorView(
        key=indicator.key,
        topic=indicator.topic_key,
        label=localised(indicator, "label", language),
        unit=localised(indicator, "unit", language),
        keywords=_split_keywords(indicator.keywords),
        keywords_zh=_split_keywords(indicator.keywords_zh),
        headline=indicator.headline,
    )


def _statistic_view(row: Any, language: str) -> StatisticView:
    statistic: Statistic
    indicator: Indicator
    source: Source
    statistic, indicator, source = row
    return StatisticView(
        key=statistic.key,
        indicator=indicator.key,
        label=localised(indicator, "label", language),
        topic=indicator.topic_key,
        value=statistic.value,
        unit=localised(indicator, "unit", language),
        qualifier=statistic.qualifier,
        period_label=localised(statistic, "period_label", language),
        period_year=statistic.period_year,
        period_start=statistic.period_start,
        as_of=statistic.as_of,
        scope=localised(statistic, "scope", language),
        reliability=statistic.reliability,
        note=localised(statistic, "note", language),
        source_title=localised(source, "title", language),
        source_publisher=localised(source, "publisher", language),
        source_date=source.published_on,
        source_url=source.url,
        language=language,
    )


def _service_view(row: Any, language: str) -> ServiceView:
    service: Service
    source: Source
    service, source = row
    return ServiceView(
        key=service.key,
        name=localised(service, "name", language),
        kind=service.kind,
        contact=localised(service, "contact", language),
        offers=localised(service, "offers", language),
        availability_note=localised(service, "availability_note", language),
        language=service.language,
        source_title=localised(source, "title", language),
        source_url=source.url,
    )
