"""Charts of a statistic's figures: the chart message from the real action server, drawn as a
PNG for Telegram (through the fake Bot API), as a table in a real `make shell`."""
from __future__ import annotations

import asyncio
import datetime as dt
import struct
import sys
from collections.abc import Callable
from pathlib import Path

import pexpect
import pytest

from actions.charts import chart_of
from assistant.charts import read_chart
from bot.charts import MAX_CAPTION_CHARACTERS, _render, cjk_family, render_png
from knowledge.views import StatisticView
from scripts.model_store import PROJECT_ROOT, rasa_environment
from scripts.services import Service, free_port, write_endpoints
from testkit.fake_telegram import FakeTelegram
from testkit.support import RestReply, reply_text

# The Telegram front end's test fixtures (fake Bot API, recording proxy in front of real Rasa).
from test_bot import (  # noqa: F401  (fixtures are used by name)
    CHAT,
    StandInRasa,
    inbox_file,
    make_settings,
    ptb_timedelta,
    rasa_proxy,
    running_bot,
    telegram,
)

PROMPT = "Your input ->"
LAWYERS_ZH = "全国律师人数这几年是怎么变化的"
LAWYERS_EN = "how has the number of lawyers changed over the years?"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def charts_of(reply: RestReply) -> list[dict]:
    """The chart messages of a REST reply, read as every front end reads them."""
    return [chart for chart in (read_chart(m.get("custom")) for m in reply) if chart]


def png_size(png: bytes) -> tuple[int, int]:
    """Width and height from a PNG's IHDR chunk."""
    assert png.startswith(PNG_SIGNATURE)
    return struct.unpack(">II", png[16:24])


def figure(value: float, year: int, *, start: int | None = None, qualifier: str = "exactly") -> StatisticView:
    """A figure of one indicator, as the knowledge base returns it."""
    return StatisticView(
        key=f"cases@{year}", indicator="cases", label="Legal aid cases", topic="legal_aid", value=value,
        unit="cases", qualifier=qualifier, period_label=f"in {year}", period_year=None if start else year,
        period_start=start, as_of=dt.date(year, 12, 31), scope="nationwide", reliability="B", note=None,
        source_title=f"Report {year}", source_publisher="MOJ", source_date=dt.date(year + 1, 3, 1),
        source_url=None,
    )


def test_series_answer_keeps_its_text_and_adds_a_chinese_chart(talk: Callable[..., RestReply]) -> None:
    """"全国律师人数这几年是怎么变化的": the figures as text, then a line chart with the qualifier
    kept in each label, Chinese title and axes, the sources and dates in the caption."""
    reply = talk(LAWYERS_ZH)
    assert "超过54万名" in reply_text(reply)
    (chart,) = charts_of(reply)
    assert chart["language"] == "zh" and chart["kind"] == "line"
    assert chart["title"] == "执业律师人数" and chart["x_label"] == "年份"
    assert [(p["x"], p["label"]) for p in chart["points"]] == [
        ("2021", "超过54万"), ("2022", "超过65.16万"), ("2025", "83万")]
    assert "来源" in chart["caption"] and "2021年9月24日" in chart["caption"]


def test_english_chart_and_none_for_a_single_year(talk: Callable[..., RestReply]) -> None:
    """English words in an English chart; a question about one year gets its figure, no chart."""
    (chart,) = charts_of(talk(LAWYERS_EN, sender="charts-en"))
    assert chart["language"] == "en" and chart["x_label"] == "Year"
    assert chart["points"][0]["label"] == "more than 540,000"
    assert "Sources:" in chart["caption"]
    reply = talk("how many lawyers were there in 2022?", sender="charts-year")
    assert "651,600" in reply_text(reply) and not charts_of(reply)


def test_a_cumulative_total_is_never_on_the_line_of_annual_counts() -> None:
    """series_figures leaves totals out: the chart holds the annual counts only, from zero."""
    history = [figure(1_400_000, 2021, qualifier="more than"), figure(9_000_000, 2021, start=2013),
               figure(1_300_000, 2020), figure(1_200_000, 2019)]
    chart = read_chart(chart_of(history, "en"))
    assert [p["value"] for p in chart["points"]] == [1_200_000, 1_300_000, 1_400_000]
    assert chart["points"][-1]["label"] == "more than 1.4 million"
    assert chart_of([figure(1, 2020), figure(5, 2020, start=2013)], "en") is None  # one year only
    two = read_chart(chart_of([figure(2, 2021), figure(1, 2020)], "en"))
    assert two["kind"] == "bar"


@pytest.mark.parametrize("question", [LAWYERS_ZH, LAWYERS_EN])
def test_png_is_a_sensible_image_with_glyphs_for_every_label(
    talk: Callable[..., RestReply], question: str
) -> None:
    """The PNG is 960 x 540 and 10-300 KB. Warnings are errors here, and matplotlib warns for
    every glyph its font lacks, so Chinese labels drawn as boxes would fail this test."""
    assert cjk_family() is not None, "install fonts-wqy-microhei (README, .ci/run)"
    (chart,) = charts_of(talk(question, sender=f"png-{len(question)}"))
    _render.cache_clear()
    png = render_png(chart)
    assert png_size(png) == (960, 540)
    assert 10_000 < len(png) < 300_000
    assert render_png(dict(chart)) is png  # drawn once per series: the second is the cached bytes


def test_make_shell_prints_the_chart_as_a_compact_table(
    trained_model: Path, action_server: Service, tmp_path: Path
) -> None:
    """`make shell` (scripts.rasa_cli shell, in a real terminal): the figures as text, then the
    chart as a title and one row per year, not Rasa's "Custom json" dump."""
    endpoints = write_endpoints(tmp_path / "endpoints.yml", action_server.url)
    child = pexpect.spawn(
        sys.executable, ["-m", "scripts.rasa_cli", "shell", "--model", str(trained_model),
                         "--endpoints", str(endpoints), "--port", str(free_port())],
        cwd=str(PROJECT_ROOT), env=rasa_environment(), encoding="utf-8", codec_errors="replace",
        timeout=240, dimensions=(50, 250),
    )
    with open(tmp_path / "shell.log", "w") as log:
        child.logfile_read = log
        try:
            child.expect(PROMPT)
            child.sendline(LAWYERS_ZH)
            child.expect(r"执业律师人数 \(单位：名\)", timeout=120)
            child.expect(PROMPT, timeout=60)
            printed = child.before
            child.sendline("/stop")
            child.expect(pexpect.EOF, timeout=60)
        finally:
            child.close(force=True)
    assert "2021  超过54万" in printed and "2025  83万" in printed and "数据时间" in printed
    assert "Custom json" not in (tmp_path / "shell.log").read_text()


async def test_telegram_sends_the_chart_as_a_png_beside_the_text_answer(
    telegram: FakeTelegram, rasa_proxy: StandInRasa  # noqa: F811
) -> None:
    """In Telegram, the question brings the text answer as before, then a PNG chart sent from
    bytes with its sources as the caption (within 1,024 characters)."""
    settings = make_settings(telegram, rasa_proxy.url, RASA_TIMEOUT_SECONDS="30")
    async with running_bot(settings):
        telegram.send_text(CHAT, LAWYERS_ZH)
        await telegram.wait_until(lambda: bool(telegram.calls_of("sendPhoto")), timeout=60)
        await asyncio.sleep(0.5)
    photo = telegram.calls_of("sendPhoto")[0]
    png = photo.files["photo"]
    assert png_size(png) == (960, 540) and 10_000 < len(png) < 300_000
    assert "来源" in photo.params["caption"] and len(photo.params["caption"]) <= MAX_CAPTION_CHARACTERS
    texts = telegram.texts(CHAT)
    assert any("超过54万名" in text for text in texts)
    assert photo.time > telegram.calls_of("sendMessage")[0].time  # the text answer comes first
