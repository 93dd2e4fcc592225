"""Periods in statistics questions (issues #20, #21): "since 2013", "十八大以来", totals, per
year, the series over the years, "去年", "截至2022年10月": the figure for the period asked,
or a plain sentence that the knowledge base has none, never another period passed off."""
from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from actions.figure_periods import figures_for_period, series_figures, until_figure
from assistant.language import is_mostly_chinese
from assistant.periods import AskedPeriod, read_period
from scripts.evaluate import RasaClient

THIS_YEAR = 2026


@pytest.mark.parametrize(("text", "expected"), [
    ("how many legal aid cases since 2013", AskedPeriod(since=2013, cumulative=True)),
    ("十八大以来法律援助办了多少案件", AskedPeriod(since=2013, cumulative=True)),
    ("党的十九大以来呢", AskedPeriod(since=2018, cumulative=True)),
    ("自2016年起累计多少", AskedPeriod(since=2016, cumulative=True)),
    ("十三五期间一共办了多少", AskedPeriod(since=2016, cumulative=True)),
    ("and the whole 2016-2020 period?", AskedPeriod(since=2016, cumulative=True)),
    ("2016年至2020年办了多少", AskedPeriod(since=2016, cumulative=True)),
    ("cases in 2018 and 2019", AskedPeriod(years=(2018, 2019))),
    ("in total?", AskedPeriod(cumulative=True)),
    ("一共呢", AskedPeriod(cumulative=True)),
    ("每年多少件", AskedPeriod(annual=True)),
    ("近几年呢", AskedPeriod(series=True)),
    ("how has it changed over the years", AskedPeriod(series=True)),
    ("去年呢", AskedPeriod(years=(2025,))),
    ("and last year?", AskedPeriod(years=(2025,))),
    ("what about 2019?", AskedPeriod(years=(2019,))),
    ("截至2022年10月有多少律师", AskedPeriod(until=(2022, 10))),
    ("截至2022年底", AskedPeriod(until=(2022, 12))),
    ("as of October 2022, how many lawyers", AskedPeriod(until=(2022, 10))),
    ("how many lawyers", AskedPeriod()),
])
def test_the_period_a_question_names_is_read(text, expected):
    assert read_period(text, this_year=THIS_YEAR) == expected


def figure(value, *, year=None, start=None, as_of=(2021, 9, 24)):
    return SimpleNamespace(value=value, period_year=year, period_start=start, as_of=dt.date(*as_of))


HISTORY = [  # newest statement first, as the repository returns it
    figure(1_370_000, year=2022, as_of=(2023, 8, 24)),
    figure(12_890_000, start=2013, as_of=(2021, 9, 24)),
    figure(6_400_000, start=2016, as_of=(2021, 3, 25)),
    figure(1_400_000, year=2020, as_of=(2021, 3, 25)),
    figure(1_300_000, year=2019, as_of=(2020, 5, 1)),
]


def test_a_total_since_a_year_is_the_cumulative_figure_from_that_year():
    assert [f.value for f in figures_for_period(HISTORY, AskedPeriod(since=2013, cumulative=True))][:1] == [12_890_000]
    assert [f.value for f in figures_for_period(HISTORY, AskedPeriod(since=2012, cumulative=True))][:1] == [12_890_000]
    assert figures_for_period(HISTORY, AskedPeriod(since=2005, cumulative=True)) == []  # none: said so


def test_the_series_is_annual_oldest_first_without_totals():
    assert [f.value for f in series_figures(HISTORY)] == [1_300_000, 1_400_000, 1_370_000]


def test_a_figure_at_a_date_is_the_nearest_and_only_if_close():
    nearest, close = until_figure(HISTORY, (2021, 10))
    assert nearest.value == 12_890_000 and close
    _, close = until_figure(HISTORY, (2010, 1))
    assert not close


def test_per_year_never_answers_with_a_total():
    assert [f.value for f in figures_for_period(HISTORY, AskedPeriod(annual=True))] == [1_370_000, 1_400_000, 1_300_000]


@pytest.fixture
def client(rasa_url, rasa_api_secret) -> RasaClient:
    return RasaClient(rasa_url, rasa_api_secret)


def ask(client: RasaClient, sender: str, text: str) -> str:
    return "\n".join(m.get("text", "") for m in client.send(sender, text))


@pytest.mark.parametrize(("sender", "turns"), [
    ("since-en", [("How many legal aid cases have been handled since 2013?", "12.89 million", "1.37 million")]),
    ("since-zh", [("十八大以来法律援助一共办了多少案件", "1289万", None)]),
    ("since-follow-up-en", [("How many legal aid cases were handled in 2022?", "1.37 million", None),
                            ("and since 2013?", "12.89 million", None)]),
    ("since-follow-up-zh", [("2022年法律援助办了多少案件", "137万", None),
                            ("那十八大以来呢", "1289万", None)]),
    ("no-such-period-en", [("How many lawyers have there been since 1990 in total?", "don't have a cumulative", None)]),
    ("last-year-zh", [("去年法律援助办了多少案件", "暂无2025年", None)]),
])
def test_a_period_asked_gets_its_own_figure_or_a_plain_no(client, sender, turns):
    for text, must_have, must_not_have in turns:
        reply = ask(client, sender, text)
        assert must_have in reply, (text, reply)
        assert must_not_have is None or must_not_have not in reply.split("\n\n")[0], (text, reply)
        assert is_mostly_chinese(reply) == is_mostly_chinese(text), reply
