"""Pure functions that turn knowledge-base values into the sentences the bot says."""
from __future__ import annotations

from datetime import date
from typing import Any, Optional

NOT_LEGAL_ADVICE = (
    "This is general legal information, not legal advice. For your own case, "
    "ask your local legal aid centre or call 12348."
)
KNOWLEDGE_UNAVAILABLE = (
    "Sorry, my legal information database isn't available right now. Please try "
    "again in a few minutes. For help today, call the 12348 public legal service "
    "hotline or visit www.12348.gov.cn."
)
HUMAN_REFERRAL_BUTTON = {"title": "Talk to a person", "payload": "/human_handoff"}


def format_number(value: float, unit: str = "") -> str:
    """Format a figure the way people read it: 540,000 / 12.89 million / 66%."""
    if unit == "%":
        return f"{_trim(value)}%"
    if unit == "year":
        return str(int(value))
    magnitude = abs(value)
    if magnitude >= 1_000_000_000:
        return f"{_trim(value / 1_000_000_000)} billion"
    if magnitude >= 1_000_000:
        return f"{_trim(value / 1_000_000)} million"
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def _trim(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


def format_date(day: Optional[date]) -> str:
    """Format a date as '24 Sep 2021'."""
    if day is None:
        return "date unknown"
    return f"{day.day} {day.strftime('%b %Y')}"


def format_source(title: str, when: Optional[date], url: Optional[str] = None) -> str:
    """Format a source citation: title, date and, where known, its address."""
    citation = f"{title}, {format_date(when)}"
    return f"{citation} ({url})" if url else citation


def format_statistic(statistic: Any) -> str:
    """One line per figure: label, qualifier, value, unit, period, scope and source."""
    qualifier = "" if statistic.qualifier in ("", "exactly") else f"{statistic.qualifier} "
    amount = format_number(statistic.value, statistic.unit)
    unit = "" if statistic.unit in ("%", "year", "") else f" {statistic.unit}"
    scope = f", {statistic.scope}" if statistic.scope else ""
    line = (
        f"{statistic.label}: {qualifier}{amount}{unit} ({statistic.period_label}{scope}). "
        f"Source: {format_source(statistic.source_title, statistic.source_date)}."
    )
    if statistic.note:
        line += f" Note: {statistic.note}"
    return line


def format_earlier(statistic: Any) -> str:
    """A short line for an older figure of the same indicator."""
    qualifier = "" if statistic.qualifier in ("", "exactly") else f"{statistic.qualifier} "
    amount = format_number(statistic.value, statistic.unit)
    return (
        f"{qualifier}{amount} ({statistic.period_label}; "
        f"{format_source(statistic.source_title, statistic.source_date)})"
    )
