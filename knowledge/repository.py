"""Read-only queries over the knowledge base.

Every function takes the session keyword-only and returns plain frozen
dataclasses from ``knowledge.views``, so callers never hold ORM objects.
"""

from __future__ import annotations

import re

from sqlalchemy import select, text
from sqlalchemy.orm import Session

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

_INTENT_PREFIXES = {"faq_": "faq", "stat_": "stat"}
_WORD = re.compile(r"[a-z0-9%]+")


def normalise_text(value: str) -> str:
    """Lower-case ``value`` and reduce it to single-space separated words (keeps digits and %)."""
    return " ".join(_WORD.findall(value.lower()))


def ping(*, session: Session) -> None:
    """Run ``SELECT 1``; raises the database error if the knowledge base is unreachable."""
    session.execute(text("SELECT 1")).scalar_one()


# --- topics and answers ---------------------------------------------------------------


def list_topics(*, session: Session, kind: str | None = None) -> list[TopicView]:
    """List topics (optionally only ``faq`` or ``stat``) sorted by key, then kind."""
    stmt = select(Topic).order_by(Topic.key, Topic.kind)
    if kind is not None:
        stmt = stmt.where(Topic.kind == kind)
    return [_topic_view(topic) for topic in session.scalars(stmt)]


def get_topic(*, session: Session, key: str, kind: str | None = None) -> TopicView | None:
    """Return one topic.

    Five keys (e.g. ``arbitration``) exist both as an FAQ and as a statistics
    topic, so pass ``kind`` or an intent name such as ``stat_arbitration``. With
    neither, the FAQ topic wins.
    """
    if kind is None:
        for prefix, prefix_kind in _INTENT_PREFIXES.items():
            if key.startswith(prefix):
                key, kind = key[len(prefix):], prefix_kind
                break
    stmt = select(Topic).where(Topic.key == key).order_by(Topic.kind)
    if kind is not None:
        stmt = stmt.where(Topic.kind == kind)
    topic = session.scalars(stmt).first()
    return _topic_view(topic) if topic is not None else None


def get_answer(*, session: Session, topic: str, language: str = "en") -> AnswerView | None:
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
        title=topic_row.title,
        text=answer.text,
        legal_process=answer.legal_process,
        source_title=source.title,
        source_publisher=source.publisher,
        source_date=source.published_on,
        source_url=source.url,
        last_reviewed=answer.last_reviewed,
    )


# --- indicators -----------------------------------------------------------------------


def list_indicators(*, session: Session, topic: str) -> list[IndicatorView]:
    """List the indicators of statistics topic ``topic`` in their sort order."""
    stmt = (
        select(Indicator)
        .where(Indicator.topic_key == topic)
        .order_by(Indicator.sort_order, Indicator.key)
    )
    return [_indicator_view(indicator) for indicator in session.scalars(stmt)]


def match_indicators(*, session: Session, topic: str, text: str) -> list[IndicatorView]:
    """Return the indicators of ``topic`` whose keywords occur in ``text``, best match first.

    Keywords match whole words after normalisation; an indicator's score is its
    longest matching keyword, ties keep the indicator sort order.
    """
    haystack = f" {normalise_text(text)} "
    scored = []
    for position, indicator in enumerate(list_indicators(session=session, topic=topic)):
        best = 0
        for keyword in indicator.keywords:
            needle = normalise_text(keyword)
            # "lawyer" should find the keyword "lawyers", and "studio" "studios".
            singular = needle[:-1] if needle.endswith("s") and len(needle) > 3 else needle
            for form in {needle, singular}:
                if form and f" {form} " in haystack:
                    best = max(best, len(form))
        if best:
            scored.append((-best, position, indicator))
    scored.sort(key=lambda item: item[:2])
    return [indicator for _, _, indicator in scored]


# --- statistics -----------------------------------------------------------------------


def _statistics_stmt():
    return (
        select(Statistic, Indicator, Source)
        .join(Indicator, Indicator.key == Statistic.indicator_key)
        .join(Source, Source.key == Statistic.source_key)
    )


def get_indicator_history(*, session: Session, indicator: str) -> list[StatisticView]:
    """Return every figure of ``indicator``, newest ``as_of`` first."""
    stmt = (
        _statistics_stmt()
        .where(Statistic.indicator_key == indicator)
        .order_by(
            Statistic.as_of.desc(), Statistic.period_year.desc().nulls_last(), Statistic.key
        )
    )
    return [_statistic_view(*row) for row in session.execute(stmt)]


def get_statistic_for_year(*, session: Session, indicator: str, year: int) -> StatisticView | None:
    """Return the figure of ``indicator`` for ``period_year == year`` (newest if several)."""
    stmt = (
        _statistics_stmt()
        .where(Statistic.indicator_key == indicator, Statistic.period_year == year)
        .order_by(Statistic.as_of.desc(), Statistic.key)
        .limit(1)
    )
    row = session.execute(stmt).first()
    return _statistic_view(*row) if row is not None else None


def list_statistics(*, session: Session, topic: str | None = None) -> list[StatisticView]:
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
    return [_statistic_view(*row) for row in session.execute(stmt)]


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


def get_service(*, session: Session, key: str) -> ServiceView | None:
    """Return the service ``key`` (e.g. ``hotline_12348``), or None."""
    row = session.execute(_services_stmt().where(Service.key == key)).first()
    return _service_view(*row) if row is not None else None


def list_services(*, session: Session) -> list[ServiceView]:
    """List all services sorted by key."""
    return [_service_view(*row) for row in session.execute(_services_stmt().order_by(Service.key))]


def _services_stmt():
    return select(Service, Source).join(Source, Source.key == Service.source_key)


# --- conversions ----------------------------------------------------------------------


def _topic_view(topic: Topic) -> TopicView:
    return TopicView(key=topic.key, kind=topic.kind, title=topic.title)


def _indicator_view(indicator: Indicator) -> IndicatorView:
    keywords = tuple(word.strip() for word in indicator.keywords.split(",") if word.strip())
    return IndicatorView(
        key=indicator.key,
        topic=indicator.topic_key,
        label=indicator.label,
        unit=indicator.unit,
        keywords=keywords,
        headline=indicator.headline,
    )


def _statistic_view(statistic: Statistic, indicator: Indicator, source: Source) -> StatisticView:
    return StatisticView(
        key=statistic.key,
        indicator=indicator.key,
        label=indicator.label,
        topic=indicator.topic_key,
        value=statistic.value,
        unit=indicator.unit,
        qualifier=statistic.qualifier,
        period_label=statistic.period_label,
        period_year=statistic.period_year,
        as_of=statistic.as_of,
        scope=statistic.scope,
        reliability=statistic.reliability,
        note=statistic.note,
        source_title=source.title,
        source_publisher=source.publisher,
        source_date=source.published_on,
        source_url=source.url,
    )


def _service_view(service: Service, source: Source) -> ServiceView:
    return ServiceView(
        key=service.key,
        name=service.name,
        kind=service.kind,
        contact=service.contact,
        offers=service.offers,
        availability_note=service.availability_note,
        language=service.language,
        source_title=source.title,
        source_url=source.url,
    )
