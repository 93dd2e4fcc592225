"""SQLAlchemy models of the knowledge base (1.4, written in 2.0 style).

Every text a user can see exists in English and in Chinese: a column ``x`` has a
sibling ``x_zh`` (the loader refuses one without the other). FAQ answers are longer,
so they are rows per language instead (``Answer.language``).
"""

from typing import Any

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    Date,
    Float,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import declarative_base

# Any: SQLAlchemy 1.4 types its declarative classes only through a mypy plugin and stubs.
Base: Any = declarative_base()

TOPIC_KINDS = ("faq", "stat")
QUALIFIERS = ("exactly", "about", "more than", "at least", "expected to exceed", "nearly")
RELIABILITIES = ("A", "B", "C", "?")
SERVICE_KINDS = ("hotline", "website", "wechat", "office")


def _one_of(column: str, values: tuple[str, ...], name: str) -> CheckConstraint:
    allowed = ", ".join("'" + value + "'" for value in values)
    return CheckConstraint(f"{column} IN ({allowed})", name=name)


class Source(Base):
    """Where a figure or an answer comes from (statute, press conference, news report)."""

    __tablename__ = "sources"

    key = Column(String(64), primary_key=True)
    title = Column(Text, nullable=False)
    title_zh = Column(Text, nullable=False)
    publisher = Column(Text, nullable=False)
    publisher_zh = Column(Text, nullable=False)
    published_on = Column(Date, nullable=False)
    url = Column(Text)
    note = Column(Text)


class Topic(Base):
    """An FAQ or statistics topic; ``key`` matches the intent name without its prefix.

    Keys are unique per kind, not globally: ``arbitration`` is both the FAQ topic of
    ``faq_arbitration`` and the statistics topic of ``stat_arbitration``.
    """

    __tablename__ = "topics"
    __table_args__ = (_one_of("kind", TOPIC_KINDS, "ck_topics_kind"),)

    kind = Column(String(8), primary_key=True)
    key = Column(String(64), primary_key=True)
    title = Column(String(80), nullable=False)
    title_zh = Column(String(40), nullable=False)
    description = Column(Text)
    description_zh = Column(Text)


class Indicator(Base):
    """One measured quantity of a statistics topic, e.g. practising lawyers."""

    __tablename__ = "indicators"
    __table_args__ = (
        # topic_kind is always 'stat'; it exists so the composite foreign key can
        # point at the (kind, key) primary key of topics.
        CheckConstraint("topic_kind = 'stat'", name="ck_indicators_topic_kind"),
        ForeignKeyConstraint(
            ["topic_kind", "topic_key"], ["topics.kind", "topics.key"], name="fk_indicators_topic"
        ),
        Index("ix_indicators_topic_key", "topic_key"),
    )

    key = Column(String(64), primary_key=True)
    topic_kind = Column(String(8), nullable=False, default="stat")
    topic_key = Column(String(64), nullable=False)
    label = Column(Text, nullable=False)
    label_zh = Column(Text, nullable=False)
    unit = Column(String(64), nullable=False)
    unit_zh = Column(String(16), nullable=False)
    keywords = Column(Text, nullable=False)
    keywords_zh = Column(Text, nullable=False)
    headline = Column(Boolean, nullable=False, default=False)
    sort_order = Column(Integer, nullable=False, default=0)


class Statistic(Base):
    """One dated figure of an indicator; newer figures are added as new rows."""

    __tablename__ = "statistics"
    __table_args__ = (
        _one_of("qualifier", QUALIFIERS, "ck_statistics_qualifier"),
        _one_of("reliability", RELIABILITIES, "ck_statistics_reliability"),
        Index("ix_statistics_indicator_key", "indicator_key"),
    )

    key = Column(String(96), primary_key=True)
    indicator_key = Column(String(64), ForeignKey("indicators.key"), nullable=False)
    value = Column(Float, nullable=False)
    qualifier = Column(String(32), nullable=False)
    period_label = Column(Text, nullable=False)
    period_label_zh = Column(Text, nullable=False)
    period_year = Column(Integer)
    # The first year a cumulative figure counts ("since 2013"); empty for an annual figure or
    # a count at a date. Questions that name a period are answered by it (assistant/periods.py).
    period_start = Column(Integer)
    as_of = Column(Date, nullable=False)
    scope = Column(Text, nullable=False)
    scope_zh = Column(Text, nullable=False)
    reliability = Column(String(1), nullable=False)
    note = Column(Text)
    note_zh = Column(Text)
    source_key = Column(String(64), ForeignKey("sources.key"), nullable=False)


class Answer(Base):
    """The answer text of an FAQ topic in one language (one row per topic and language)."""

    __tablename__ = "answers"
    __table_args__ = (
        CheckConstraint("topic_kind = 'faq'", name="ck_answers_topic_kind"),
        ForeignKeyConstraint(
            ["topic_kind", "topic_key"], ["topics.kind", "topics.key"], name="fk_answers_topic"
        ),
    )

    topic_key = Column(String(64), primary_key=True)
    language = Column(String(8), primary_key=True)
    topic_kind = Column(String(8), nullable=False, default="faq")
    text = Column(Text, nullable=False)
    source_key = Column(String(64), ForeignKey("sources.key"), nullable=False)
    last_reviewed = Column(Date, nullable=False)
    legal_process = Column(Boolean, nullable=False)


class Service(Base):
    """A public channel the bot can refer people to (hotline, website, office)."""

    __tablename__ = "services"
    __table_args__ = (_one_of("kind", SERVICE_KINDS, "ck_services_kind"),)

    key = Column(String(64), primary_key=True)
    name = Column(Text, nullable=False)
    name_zh = Column(Text, nullable=False)
    kind = Column(String(16), nullable=False)
    contact = Column(Text, nullable=False)
    contact_zh = Column(Text, nullable=False)
    offers = Column(Text, nullable=False)
    offers_zh = Column(Text, nullable=False)
    availability_note = Column(Text)
    availability_note_zh = Column(Text)
    language = Column(String(8), nullable=False)
    source_key = Column(String(64), ForeignKey("sources.key"), nullable=False)


ELIGIBILITY_OUTCOMES = (
    "lawyer_appointed", "no_means_test", "likely_eligible", "depends_on_standard", "not_covered",
)


class EligibilityQuestion(Base):
    """One question of the legal-aid pre-check; ``key`` is the form slot it fills."""

    __tablename__ = "eligibility_questions"

    key = Column(String(32), primary_key=True)
    position = Column(Integer, nullable=False)
    prompt = Column(Text, nullable=False)
    prompt_zh = Column(Text, nullable=False)
    # Comma-separated question keys: once one is answered, this question is not asked.
    not_after = Column(Text, nullable=True)


class EligibilityOption(Base):
    """One answer to a pre-check question, as a button and as words that choose it when typed."""

    __tablename__ = "eligibility_options"

    question_key = Column(String(32), ForeignKey("eligibility_questions.key"), primary_key=True)
    value = Column(String(32), primary_key=True)
    position = Column(Integer, nullable=False)
    title = Column(Text, nullable=False)
    title_zh = Column(Text, nullable=False)
    keywords = Column(Text, nullable=False)
    keywords_zh = Column(Text, nullable=False)


class EligibilityGuidance(Base):
    """Where to apply and what to bring, for the matters it lists (Legal Aid Law Art. 38-41)."""

    __tablename__ = "eligibility_guidance"

    key = Column(String(32), primary_key=True)
    matters = Column(Text, nullable=False)
    where_to_apply = Column(Text, nullable=False)
    where_to_apply_zh = Column(Text, nullable=False)
    what_to_bring = Column(Text, nullable=False)
    what_to_bring_zh = Column(Text, nullable=False)
    source_key = Column(String(64), ForeignKey("sources.key"), nullable=False)
    last_reviewed = Column(Date, nullable=False)


class EligibilityRule(Base):
    """One row of the pre-check's decision table; the first rule whose conditions hold decides.

    ``conditions`` is JSON: question key -> the option values the rule applies to.
    """

    __tablename__ = "eligibility_rules"
    __table_args__ = (_one_of("outcome", ELIGIBILITY_OUTCOMES, "ck_eligibility_rules_outcome"),)

    key = Column(String(48), primary_key=True)
    position = Column(Integer, nullable=False)
    conditions = Column(Text, nullable=False)
    outcome = Column(String(32), nullable=False)
    articles = Column(Text, nullable=False)
    reason = Column(Text, nullable=False)
    reason_zh = Column(Text, nullable=False)
    source_key = Column(String(64), ForeignKey("sources.key"), nullable=False)
    last_reviewed = Column(Date, nullable=False)


# How far legal aid covers a kind of problem (Legal Aid Law): on the national list with the
# hardship test (Art. 31), without it (Arts. 32, 42), criminal legal aid (Arts. 24-25, 29), or
# not on the national list (a province may add it).
LEGAL_AID_COVERAGES = ("covered", "no_means_test", "criminal", "not_national_list")


class ProblemRoute(Base):
    """The free and public routes for one kind of personal legal problem (``problem_<key>``).

    ``routes`` holds the steps in the order a person would take them, one per line.
    """

    __tablename__ = "problem_routes"
    __table_args__ = (
        _one_of("legal_aid", LEGAL_AID_COVERAGES, "ck_problem_routes_legal_aid"),
        _one_of("reliability", RELIABILITIES, "ck_problem_routes_reliability"),
    )

    key = Column(String(32), primary_key=True)
    position = Column(Integer, nullable=False)
    title = Column(Text, nullable=False)
    title_zh = Column(Text, nullable=False)
    routes = Column(Text, nullable=False)
    routes_zh = Column(Text, nullable=False)
    time_limit = Column(Text, nullable=False)
    time_limit_zh = Column(Text, nullable=False)
    legal_aid = Column(String(24), nullable=False)
    # The pre-check's answer to "what is your matter about?" for this kind of problem, so a
    # check started after the routes does not ask again (eligibility_options.yml, elig_matter).
    check_matter = Column(String(32), nullable=False)
    # The answer to "does a special situation apply?" (elig_special) that this kind of problem
    # implies, if any: a loan or a deposit is no Art. 32 case, violence at home is one.
    check_special = Column(String(32), nullable=True)
    legal_aid_note = Column(Text, nullable=False)
    legal_aid_note_zh = Column(Text, nullable=False)
    evidence = Column(Text, nullable=False)
    evidence_zh = Column(Text, nullable=False)
    basis = Column(Text, nullable=False)
    reliability = Column(String(1), nullable=False)
    source_key = Column(String(64), ForeignKey("sources.key"), nullable=False)
    last_reviewed = Column(Date, nullable=False)


class CrisisHelp(Base):
    """Emergency help for one kind of crisis (danger now, self-harm...), shown before anything else."""

    __tablename__ = "crisis_help"
    __table_args__ = (_one_of("reliability", RELIABILITIES, "ck_crisis_help_reliability"),)

    key = Column(String(32), primary_key=True)
    position = Column(Integer, nullable=False)
    help = Column(Text, nullable=False)
    help_zh = Column(Text, nullable=False)
    legal_route = Column(Text)
    legal_route_zh = Column(Text)
    reliability = Column(String(1), nullable=False)
    source_key = Column(String(64), ForeignKey("sources.key"), nullable=False)
    last_reviewed = Column(Date, nullable=False)


# Parents before children: the loader inserts in this order and deletes in reverse.
MODELS_IN_LOAD_ORDER = (
    Source, Topic, Indicator, Statistic, Answer, Service,
    EligibilityQuestion, EligibilityOption, EligibilityGuidance, EligibilityRule,
    ProblemRoute, CrisisHelp,
)
