"""A chart of an indicator's figures over the years, as the chart message (assistant/charts.py).

The statistics action adds one beside its text answer when an indicator has figures for two
or more years; the text answer is unchanged, so a front end that cannot draw loses nothing.
"""
from __future__ import annotations

from typing import Any

from actions.figure_periods import series_figures
from actions.formatting import QUALIFIER_WORDS, format_number, format_source
from actions.texts import say
from assistant.charts import MAX_POINTS, MIN_POINTS, chart_message

# Two points make a comparison, not a trend: bars; three or more: a line.
MIN_POINTS_FOR_A_LINE = 3


def figure_label(statistic: Any) -> str:
    """The figure as the source states it, qualifier kept: "more than 540,000", "超过54万"."""
    language = statistic.language
    qualifier = QUALIFIER_WORDS[language].get(statistic.qualifier, "")
    return f"{qualifier}{format_number(statistic.value, statistic.unit, language)}"


def chart_of(history: list[Any], language: str) -> dict[str, Any] | None:
    """The chart message for one indicator's history (newest first), or None with fewer than
    two years. Cumulative totals are left out (series_figures): a total and an annual count
    are never one line."""
    figures = series_figures(history)[-MAX_POINTS:]
    if len(figures) < MIN_POINTS:
        return None
    latest = figures[-1]
    unit = latest.unit
    y_label = (say(language, "chart_y_label_percent") if unit == "%"
               else say(language, "chart_y_label", unit=unit))
    sources = list(dict.fromkeys(
        format_source(s.source_title, s.source_date, language=language) for s in figures
    ))
    joiner = say(language, "chart_joiner")
    caption = say(language, "chart_caption", periods=joiner.join(s.period_label for s in figures),
                  sources=joiner.join(sources))
    try:
        return chart_message(
            kind="line" if len(figures) >= MIN_POINTS_FOR_A_LINE else "bar",
            language=language,
            title=latest.label,
            x_label=say(language, "chart_x_label"),
            y_label=y_label,
            caption=caption,
            points=[{"x": str(s.period_year if s.period_year is not None else s.as_of.year),
                     "value": float(s.value), "label": figure_label(s)} for s in figures],
        )
    except ValueError:
        return None  # e.g. a negative figure: the text answer says it, a chart from zero cannot
