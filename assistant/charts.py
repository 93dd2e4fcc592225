"""The chart message: a statistic's dated figures as data, the one format every front end reads.

The statistics action sends it as a custom JSON message (`dispatcher.utter_message(
json_message={"chart": {...}})`, so Rasa's REST reply carries `{"custom": {"chart": ...}}`);
the Telegram front end draws it as a PNG (bot/charts.py), the web page as SVG
(rasa_addons/web/chart.js), `make shell` as a text table (`text_table` below). The action
writes every word in the user's language, so the front ends only draw:

    {"version": 1, "kind": "line" | "bar", "language": "en" | "zh",
     "title": "...", "x_label": "...", "y_label": "...", "caption": "...",
     "points": [{"x": "2021", "value": 540000.0, "label": "more than 540,000"}, ...]}

One chart is one indicator's figures of one kind (never a cumulative total beside an
annual count), oldest first; `label` keeps the source's qualifier ("more than", "约").
Not a training input (scripts/model_store.py): the NLU never reads it.
"""
from __future__ import annotations

import json
import math
from typing import Any

CHART_KEY = "chart"
CHART_VERSION = 1
CHART_KINDS = ("line", "bar")
MIN_POINTS = 2
MAX_POINTS = 20
MAX_TEXT = 1000  # any one text field, in characters
_TEXT_FIELDS = ("title", "x_label", "y_label", "caption")


def chart_message(*, kind: str, language: str, title: str, x_label: str, y_label: str,
                  caption: str, points: list[dict[str, Any]]) -> dict[str, Any]:
    """Return the custom JSON message for a chart; raise ValueError if it would not be valid."""
    chart = {"version": CHART_VERSION, "kind": kind, "language": language, "title": title,
             "x_label": x_label, "y_label": y_label, "caption": caption, "points": points}
    if read_chart({CHART_KEY: chart}) is None:
        raise ValueError("not a valid chart")
    return {CHART_KEY: chart}


def read_chart(custom: Any) -> dict[str, Any] | None:
    """Return the chart of a custom message if it is one this version can draw, else None.

    Front ends call this on whatever arrives, so a malformed message is left out instead of
    breaking the answer it came with."""
    chart = custom.get(CHART_KEY) if isinstance(custom, dict) else None
    if not isinstance(chart, dict) or chart.get("version") != CHART_VERSION:
        return None
    if chart.get("kind") not in CHART_KINDS or chart.get("language") not in ("en", "zh"):
        return None
    if not all(isinstance(chart.get(key), str) and len(chart[key]) <= MAX_TEXT for key in _TEXT_FIELDS):
        return None
    points = chart.get("points")
    if not isinstance(points, list) or not MIN_POINTS <= len(points) <= MAX_POINTS:
        return None
    clean = []
    for point in points:
        if not isinstance(point, dict):
            return None
        x, value, label = point.get("x"), point.get("value"), point.get("label")
        if not (isinstance(x, str) and isinstance(label, str) and len(x) <= 40 and len(label) <= 80):
            return None
        # A chart's y-axis starts at zero: a negative or non-finite figure has no place on it.
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value < 0:
            return None
        clean.append({"x": x, "value": float(value), "label": label})
    return {**{key: chart[key] for key in ("version", "kind", "language", *_TEXT_FIELDS)}, "points": clean}


def chart_fingerprint(chart: dict[str, Any]) -> str:
    """A stable text of everything drawn: the cache key of a rendered chart."""
    return json.dumps(chart, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def text_table(chart: dict[str, Any]) -> str:
    """The chart as a compact text table for a terminal: title, one row per point, caption."""
    width = max(len(point["x"]) for point in chart["points"])
    rows = [f"  {point['x'].ljust(width)}  {point['label']}" for point in chart["points"]]
    return "\n".join([f"{chart['title']} ({chart['y_label']})", *rows, chart["caption"]])
