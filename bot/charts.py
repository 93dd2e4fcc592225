"""A chart message (assistant/charts.py) drawn as a PNG for Telegram's sendPhoto.

matplotlib's object API with the Agg canvas (no pyplot: no global figure state, safe in a
worker thread); `render_png` is called through asyncio.to_thread so drawing (tens of ms)
never holds the event loop that serves every chat, and is cached by what it draws, so the
same series asked again (or a reply resumed after a restart) is not drawn twice.

Chinese labels need a font with Simplified Chinese glyphs: Debian's fonts-wqy-microhei
(README set-up, .ci/run). Without one, a Chinese chart is not drawn (ChartFontMissing),
never drawn with empty boxes; the text answer is sent all the same.
"""
from __future__ import annotations

import functools
import io
import json
import logging
from pathlib import Path
from typing import Any

from matplotlib import font_manager
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

from assistant.charts import chart_fingerprint

logger = logging.getLogger(__name__)

# Telegram's limit for a photo's caption.
MAX_CAPTION_CHARACTERS = 1024
# First one found wins; matplotlib < 3.11 reads the first face of a .ttc, which for
# wqy-microhei is the proportional "WenQuanYi Micro Hei".
CJK_FONT_FILES = (
    Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"),
    Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),
)
LATIN_FAMILY = "DejaVu Sans"  # ships with matplotlib
SIZE_INCHES, DPI = (8.0, 4.5), 120  # 960 x 540 px: sharp on a phone, small to send
COLOUR, GRID, TEXT = "#0b4f8a", "#d9dee3", "#1b1f24"
CACHE_SIZE = 64


class ChartFontMissing(RuntimeError):
    """No font with Chinese glyphs is installed; a Chinese chart would show boxes."""


@functools.lru_cache(maxsize=1)
def cjk_family() -> str | None:
    """Register the first CJK font file found with matplotlib; return its family name."""
    for path in CJK_FONT_FILES:
        if path.exists():
            font_manager.fontManager.addfont(str(path))
            return font_manager.FontProperties(fname=str(path)).get_name()
    return None


def caption_of(chart: dict[str, Any]) -> str:
    """The photo's caption: the chart's source and dates, within Telegram's 1,024 characters."""
    caption = chart["caption"]
    if len(caption) <= MAX_CAPTION_CHARACTERS:
        return caption
    return caption[: MAX_CAPTION_CHARACTERS - 1] + "…"


def render_png(chart: dict[str, Any]) -> bytes:
    """Return the chart as PNG bytes (cached by everything it draws)."""
    return _render(chart_fingerprint(chart))


@functools.lru_cache(maxsize=CACHE_SIZE)
def _render(fingerprint: str) -> bytes:
    chart = json.loads(fingerprint)
    family = cjk_family()
    if chart["language"] == "zh" and family is None:
        raise ChartFontMissing("no font with Chinese glyphs (apt-get install fonts-wqy-microhei)")
    families = [family, LATIN_FAMILY] if family else [LATIN_FAMILY]
    font = font_manager.FontProperties(family=families)

    figure = Figure(figsize=SIZE_INCHES, dpi=DPI, layout="constrained")
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    points = chart["points"]
    years = [int(p["x"]) for p in points if p["x"].isdigit()]
    # Years are placed by their distance in time; other labels evenly.
    xs = years if len(years) == len(points) == len(set(years)) else list(range(len(points)))
    values = [p["value"] for p in points]
    if chart["kind"] == "bar":
        axes.bar(xs, values, color=COLOUR, width=0.6 * min(b - a for a, b in zip(xs, xs[1:], strict=False)))
    else:
        axes.plot(xs, values, color=COLOUR, linewidth=2.5, marker="o")
    top = max(values) * 1.2 or 1.0
    axes.set_ylim(0, top)  # from zero, always: a cut axis exaggerates change
    for x, point in zip(xs, points, strict=True):
        axes.annotate(point["label"], (x, point["value"]), textcoords="offset points", xytext=(0, 8),
                      ha="center", fontproperties=font, fontsize=11, color=TEXT,
                      bbox={"boxstyle": "round,pad=0.15", "facecolor": "white", "edgecolor": "none"})
    axes.set_xticks(xs, [p["x"] for p in points], fontproperties=font)
    axes.yaxis.set_major_locator(MaxNLocator(nbins=5))
    axes.yaxis.set_major_formatter(FuncFormatter(lambda value, _: _axis_number(value, chart["language"])))
    for label in axes.get_yticklabels():
        label.set_fontproperties(font)
    axes.set_title(chart["title"], fontproperties=font, fontsize=15, color=TEXT)
    axes.set_xlabel(chart["x_label"], fontproperties=font, fontsize=12, color=TEXT)
    axes.set_ylabel(chart["y_label"], fontproperties=font, fontsize=12, color=TEXT)
    axes.grid(axis="y", color=GRID)
    axes.set_axisbelow(True)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    margin = 0.5 if xs == list(range(len(points))) else max(0.5, (xs[-1] - xs[0]) * 0.08)
    axes.set_xlim(xs[0] - margin, xs[-1] + margin)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", facecolor="white")
    return buffer.getvalue()


def _axis_number(value: float, language: str) -> str:
    """Axis ticks as people read them: 500,000 / 50万."""
    if language == "zh" and value >= 10_000:
        return f"{value / 10_000:g}万"
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"
