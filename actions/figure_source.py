"""Where a figure comes from (intent meta_figure_source): the figure named by its value, with
its own source and date ("where does the 66% come from", "137万这个数是哪来的"), or, when no
value is named, how every figure is sourced.

A value is matched as people round it: "1.4 million" is any figure from 1.35 to 1.45 million,
"66%" any percentage from 65.5 to 66.5. A value the knowledge base does not hold is said to be
unknown here: the assistant cannot vouch for a figure it did not give.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Text

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions._base import KnowledgeAction, conversation_language, latest_text
from actions.formatting import format_number, format_statistic
from actions.knowledge_access import ask
from actions.texts import say
from assistant.contract import FIGURE_SOURCE_INTENT, LAST_ANSWER_SLOT
from assistant.language import chinese_numerals_to_digits, to_simplified
from assistant.last_answer import answer_of
from knowledge import repository

INTENT = FIGURE_SOURCE_INTENT
GENERAL_ANSWER = f"utter_{INTENT}"
# More matches than this name no one figure: the general answer instead.
MAX_FIGURES = 3
_SCALES = {"million": 1_000_000, "billion": 1_000_000_000, "万": 10_000, "亿": 100_000_000,
           "thousand": 1_000, "千": 1_000}
_VALUE = re.compile(
    r"(?<![\d.])(?:§\s*(?P<percent_zh>\d+(?:\.\d+)?)"
    r"|(?P<number>\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)\s*"
    r"(?P<unit>%|％|percent\b|per cent\b|million\b|billion\b|thousand\b|万|亿|千)?"
    r"\s*(?P<money>元|块|yuan\b|rmb\b|kuai\b)?)")
# Round thousands ("12,890,000", "3000") stand for a rounded figure; "300" is exact.
MIN_ROUNDING_ZEROS = 3
# More digits than any figure has ("99999999999999999999"): no value, not an infinite one.
MAX_DIGITS = 15
# Years and statute articles are no figures asked about.
_NOT_A_FIGURE = re.compile(r"^(?:19|20)\d\d$")


@dataclass(frozen=True)
class NamedValue:
    """A figure's value as the question names it, and the step its last digit stands for."""

    value: float
    step: float
    percent: bool
    # An amount of money: the knowledge base counts services, it holds no prices.
    money: bool = False


def values_named(text: str) -> list[NamedValue]:
    """The figures a question names by value ("66%", "1.37 million", "137万", "百分之六十六")."""
    # 百分之 is marked first: its 百 is no numeral.
    text = chinese_numerals_to_digits(to_simplified(text).lower().replace("百分之", "§"))
    found = []
    for match in _VALUE.finditer(text):
        digits = match.group("percent_zh") or match.group("number")
        unit = "%" if match.group("percent_zh") else (match.group("unit") or "")
        if not unit and _NOT_A_FIGURE.match(digits):
            continue
        plain = digits.replace(",", "")
        if len(plain.replace(".", "")) > MAX_DIGITS:
            continue
        decimals = len(plain.partition(".")[2])
        percent = unit in ("%", "％", "percent", "per cent")
        scale = 1 if percent else _SCALES.get(unit, 1)
        if decimals:
            step = scale / 10 ** decimals
        else:  # "12,890,000" is exact to the ten thousand, "300" and "66" to the one
            trailing = len(plain) - len(plain.rstrip("0")) if plain.strip("0") else 0
            step = scale * 10 ** (trailing if trailing >= MIN_ROUNDING_ZEROS else 0)
        found.append(NamedValue(float(plain) * scale, step, percent, bool(match.group("money"))))
    return found


def figures_with_value(statistics: list[Any], named: NamedValue) -> list[Any]:
    """The figures that, rounded as the question rounds, are the value named."""
    if named.money:
        return []
    return [s for s in statistics if (s.unit == "%") == named.percent
            and abs(s.value - named.value) <= named.step / 2]


class ActionFigureSource(KnowledgeAction):
    """Say where a figure comes from: the one named by its value, or how figures are sourced."""

    def name(self) -> Text:
        """Return the action name."""
        return "action_figure_source"

    async def answer(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[dict[Text, Any]]:
        """Utter the sources of the figures named by value, or the general answer."""
        language = conversation_language(tracker)
        named = values_named(latest_text(tracker))
        if named:
            statistics = await ask(repository.list_statistics, language=language)
            found = list({s.key: s for value in named for s in figures_with_value(statistics, value)}.values())
            if found and len(found) <= MAX_FIGURES:
                lines = [say(language, "figure_source_found")] + [f"• {format_statistic(s)}" for s in found]
                dispatcher.utter_message(text="\n".join(lines))
                return [SlotSet(LAST_ANSWER_SLOT, answer_of(INTENT).to_slot())]
            if not found:
                shown = format_number(named[0].value, "%" if named[0].percent else "", language)
                dispatcher.utter_message(text=say(language, "figure_source_unknown", value=shown))
        dispatcher.utter_message(text=say(language, GENERAL_ANSWER))
        return [SlotSet(LAST_ANSWER_SLOT, answer_of(INTENT).to_slot())]
