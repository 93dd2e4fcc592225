"""What a chart costs the Telegram front end: drawing one PNG (bot/charts.py), per chart.

Measured in a separate process, as the bot draws them: the lawyers series from the shipped
knowledge base in each language, drawn ROUNDS times with the cache cleared (the cost of a
new series), then once more from the cache (a series asked again). `python -m bench.charts`
prints the result; `make bench` adds it to bench/RESULTS.md.
"""
from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from scripts.model_store import PROJECT_ROOT, rasa_environment

ROUNDS = 20
_SNIPPET = r"""
import json, statistics, sys, time
from actions.charts import chart_of
from assistant.charts import read_chart
from bot.charts import _render, cjk_family, render_png
from knowledge import repository
from knowledge.db import make_engine, make_session_factory

engine = make_engine(sys.argv[1])
rounds = int(sys.argv[2])
found = {}
for language in ("zh", "en"):
    with make_session_factory(engine).begin() as session:
        history = repository.get_indicator_history(session=session, indicator="lawyers", language=language)
    chart = read_chart(chart_of(history, language))
    cjk_family()  # the font is registered once per process, at the first chart
    times = []
    for _ in range(rounds):
        _render.cache_clear()
        started = time.perf_counter()
        png = render_png(chart)
        times.append(time.perf_counter() - started)
    started = time.perf_counter()
    render_png(chart)
    cached = time.perf_counter() - started
    found[language] = {"median_seconds": statistics.median(times), "max_seconds": max(times),
                       "cached_seconds": cached, "png_bytes": len(png), "points": len(chart["points"])}
print(json.dumps(found))
"""


def render_cost(kb_url: str, rounds: int = ROUNDS, timeout: float = 300) -> dict[str, Any] | None:
    """Return the render cost per language, or None if it could not be measured."""
    try:
        completed = subprocess.run(
            [sys.executable, "-c", _SNIPPET, kb_url, str(rounds)], cwd=PROJECT_ROOT,
            capture_output=True, text=True, timeout=timeout,
            env={**rasa_environment(), "PYTHONPATH": str(PROJECT_ROOT)},
        )
        return json.loads(completed.stdout.strip().splitlines()[-1])
    except (subprocess.SubprocessError, ValueError, IndexError, OSError):
        return None


def report_lines(found: dict[str, Any] | None) -> list[str]:
    """The lines of bench/RESULTS.md about charts."""
    if not found:
        return ["- chart rendering could not be measured"]
    return [f"- {language}: one {value['points']}-point chart drawn as a PNG in "
            f"{value['median_seconds'] * 1000:.0f} ms (median of {ROUNDS}, worst "
            f"{value['max_seconds'] * 1000:.0f} ms), {value['png_bytes'] / 1024:.0f} KB; from the cache "
            f"{value['cached_seconds'] * 1e6:.0f} µs" for language, value in found.items()]


if __name__ == "__main__":
    from knowledge.loader import load_into_url

    with tempfile.TemporaryDirectory() as directory:
        url = f"sqlite:///{Path(directory) / 'knowledge.db'}"
        load_into_url(url)
        print("\n".join(report_lines(render_cost(url))))
