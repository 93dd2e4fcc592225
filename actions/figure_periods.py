"""Which dated figures answer a question that names a period (assistant/periods.py).

Pure functions over an indicator's history (newest first). Each returns the figures that
answer the period asked, or an empty list when the knowledge base has none for it: the
caller then says so plainly and gives what it has, labelled with its own period.
"""
from __future__ import annotations

import calendar
import datetime as dt
from typing import Any

from assistant.periods import AskedPeriod

# A cumulative figure "since 2013" answers "since 2012" as well: official reports count the
# period opened by the 18th Party Congress (November 2012) from 2013. Its label names its start.
SINCE_TOLERANCE_YEARS = 1
# A count at a date answers "as of <date>" when it is this close; otherwise the reply says the
# knowledge base has no figure for that date and shows the nearest with its own date.
UNTIL_TOLERANCE_DAYS = 200


def is_cumulative(statistic: Any) -> bool:
    """Whether a figure counts from a start year to its date ("2013 to September 2021")."""
    return statistic.period_start is not None


def reference_date(statistic: Any) -> dt.date:
    """The day a figure describes: the end of its year, or the date it was stated."""
    if statistic.period_year is not None:
        return dt.date(statistic.period_year, 12, 31)
    return statistic.as_of


def asked_date(until: tuple[int, int | None]) -> dt.date:
    """The last day of the month (or year) a question asks about."""
    year, month = until
    month = month or 12
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def since_figures(history: list[Any], since: int) -> list[Any]:
    """Cumulative figures counted from the year asked (newest first)."""
    return [s for s in history if is_cumulative(s)
            and abs(s.period_start - since) <= SINCE_TOLERANCE_YEARS]


def until_figure(history: list[Any], until: tuple[int, int | None]) -> tuple[Any | None, bool]:
    """The figure nearest the date asked, and whether it is close enough to answer it."""
    if not history:
        return None, False
    target = asked_date(until)
    # Prefer what was known on the date; among equals the newer.
    nearest = min(history, key=lambda s: (abs((reference_date(s) - target).days), reference_date(s) > target))
    return nearest, abs((reference_date(nearest) - target).days) <= UNTIL_TOLERANCE_DAYS


def series_figures(history: list[Any]) -> list[Any]:
    """One figure per year, oldest first: the series people mean by "近几年" / "over the years".
    Cumulative totals are left out: a total and an annual count are not one series."""
    by_year: dict[int, Any] = {}
    for statistic in history:  # newest as_of first: the first seen is the latest statement
        if is_cumulative(statistic):
            continue
        year = statistic.period_year if statistic.period_year is not None else statistic.as_of.year
        by_year.setdefault(year, statistic)
    return [by_year[year] for year in sorted(by_year)]


def figures_for_period(history: list[Any], period: AskedPeriod) -> list[Any]:
    """The figures of one indicator that answer the period, the answer first and then the
    earlier ones of the same kind (the answer lists a few as "Earlier"); [] when none does.

    `years` are handled by the caller (it also offers the years it has); here: since,
    until, series, cumulative and annual.
    """
    if period.since is not None:
        return since_figures(history, period.since)
    if period.until is not None:
        nearest, close = until_figure(history, period.until)
        if not close:
            return []
        return [nearest, *(s for s in history if s is not nearest and reference_date(s) <= reference_date(nearest))]
    if period.series:
        return series_figures(history)
    if period.cumulative:
        return [s for s in history if is_cumulative(s)]
    if period.annual:
        return [s for s in history if not is_cumulative(s)]
    return history
