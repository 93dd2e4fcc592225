"""Queries for personal problems: the public routes per kind, and emergency help in a crisis.

Like ``knowledge.repository``: the session is keyword-only, the results are frozen views
in the language asked for.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from assistant.contract import DEFAULT_LANGUAGE
from knowledge.models import CrisisHelp, ProblemRoute, Source
from knowledge.repository import localised
from knowledge.views import CrisisHelpView, ProblemRouteView


def get_problem_route(
    *, session: Session, kind: str, language: str = DEFAULT_LANGUAGE
) -> ProblemRouteView | None:
    """Return the routes for the kind of problem ``kind`` (e.g. ``unpaid_wages``), or None."""
    stmt = (
        select(ProblemRoute, Source)
        .join(Source, Source.key == ProblemRoute.source_key)
        .where(ProblemRoute.key == kind)
    )
    row = session.execute(stmt).first()
    if row is None:
        return None
    route, source = row
    return ProblemRouteView(
        key=route.key,
        title=localised(route, "title", language),
        routes=tuple(localised(route, "routes", language).splitlines()),
        time_limit=localised(route, "time_limit", language),
        legal_aid=route.legal_aid,
        check_matter=route.check_matter,
        check_special=route.check_special,
        legal_aid_note=localised(route, "legal_aid_note", language),
        evidence=localised(route, "evidence", language),
        basis=route.basis,
        reliability=route.reliability,
        source_title=localised(source, "title", language),
        source_date=source.published_on,
        source_url=source.url,
        last_reviewed=route.last_reviewed,
    )


def list_problem_kinds(*, session: Session) -> list[str]:
    """List the kinds of problem that have routes, in their display order."""
    return list(session.scalars(select(ProblemRoute.key).order_by(ProblemRoute.position)))


def list_crisis_help(
    *, session: Session, situations: tuple[str, ...], language: str = DEFAULT_LANGUAGE
) -> list[CrisisHelpView]:
    """Return the emergency help for ``situations``, most urgent (lowest position) first."""
    stmt = (
        select(CrisisHelp, Source)
        .join(Source, Source.key == CrisisHelp.source_key)
        .where(CrisisHelp.key.in_(situations))
        .order_by(CrisisHelp.position)
    )
    return [
        CrisisHelpView(
            key=help_row.key,
            help=localised(help_row, "help", language),
            legal_route=localised(help_row, "legal_route", language),
            source_title=localised(source, "title", language),
            source_date=source.published_on,
            last_reviewed=help_row.last_reviewed,
        )
        for help_row, source in session.execute(stmt)
    ]
