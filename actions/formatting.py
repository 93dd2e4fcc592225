"""Pure functions that turn knowledge-base values into the sentences the bot says.

English: "more than 12.89 million cases (as of September 2021, nationwide). Source: …,
24 Sep 2021." Chinese: "超过1289万件（截至2021年9月，全国）。来源：…（2021年9月24日）。"
"""
from __future__ import annotations

from datetime import date
from typing import Any

from actions.texts import say

# How the source states the figure, in each language ("exactly" is shown as nothing).
QUALIFIER_WORDS = {
    "en": {"exactly": "", "about": "about ", "more than": "more than ", "at least": "at least ",
           "expected to exceed": "expected to exceed ", "nearly": "nearly "},
    "zh": {"exactly": "", "about": "约", "more than": "超过", "at least": "至少",
           "expected to exceed": "预计超过", "nearly": "近"},
}


def format_number(value: float, unit: str = "", language: str = "en") -> str:
    """Format a figure as people read it: 540,000 / 12.89 million / 66% or 54万 / 1289万 / 14亿."""
    if unit == "%":
        return f"{_trim(value)}%"
    if unit in ("year", "年"):
        return str(int(value))
    magnitude = abs(value)
    if language == "zh":
        if magnitude >= 100_000_000:
            return f"{_trim(value / 100_000_000)}亿"
        if magnitude >= 10_000:
            return f"{_trim(value / 10_000)}万"
        return str(int(value)) if float(value).is_integer() else _trim(value)
    if magnitude >= 1_000_000_000:
        return f"{_trim(value / 1_000_000_000)} billion"
    if magnitude >= 1_000_000:
        return f"{_trim(value / 1_000_000)} million"
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def _trim(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


# English month names, written out: strftime's are the locale's.
MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August",
             "September", "October", "November", "December")


def format_date(day: date | None, language: str = "en") -> str:
    """Format a date as '24 Sep 2021' or '2021年9月24日'."""
    if day is None:
        return say(language, "date_unknown")
    if language == "zh":
        return f"{day.year}年{day.month}月{day.day}日"
    return f"{day.day} {MONTHS_EN[day.month - 1][:3]} {day.year}"


def format_month(year: int, month: int | None, language: str = "en") -> str:
    """Format a month asked about ("October 2022", "2022年10月"), or a year without one."""
    if language == "zh":
        return f"{year}年{month}月" if month else f"{year}年"
    return f"{MONTHS_EN[month - 1]} {year}" if month else str(year)


def format_source(title: str, when: date | None, url: str | None = None, language: str = "en") -> str:
    """Format a source citation: title, date and, where known, its address."""
    if language == "zh":
        citation = f"{title}（{format_date(when, language)}）"
        return f"{citation} {url}" if url else citation
    citation = f"{title}, {format_date(when)}"
    return f"{citation} ({url})" if url else citation


def _amount(statistic: Any) -> str:
    language = statistic.language
    qualifier = QUALIFIER_WORDS[language].get(statistic.qualifier, "")
    amount = format_number(statistic.value, statistic.unit, language)
    if language == "zh":
        unit = "" if statistic.unit in ("%", "") else statistic.unit
        return f"{qualifier}{amount}{unit}"
    unit = "" if statistic.unit in ("%", "year", "") else f" {statistic.unit}"
    return f"{qualifier}{amount}{unit}"


def format_statistic(statistic: Any) -> str:
    """One line per figure: label, qualifier, value, unit, period, scope and source."""
    language = statistic.language
    source = format_source(statistic.source_title, statistic.source_date, language=language)
    if language == "zh":
        scope = f"，{statistic.scope}" if statistic.scope else ""
        line = f"{statistic.label}：{_amount(statistic)}（{statistic.period_label}{scope}）。"
    else:
        scope = f", {statistic.scope}" if statistic.scope else ""
        line = f"{statistic.label}: {_amount(statistic)} ({statistic.period_label}{scope}). "
    line += say(language, "figure_source", source=source)
    if statistic.note:
        # Chinese sentences follow each other without a space.
        line += ("" if language == "zh" else " ") + say(language, "figure_note", note=statistic.note)
    return line


def format_earlier(statistic: Any) -> str:
    """A short line for an older figure of the same indicator."""
    language = statistic.language
    source = format_source(statistic.source_title, statistic.source_date, language=language)
    if language == "zh":
        return f"{_amount(statistic)}（{statistic.period_label}；{source}）"
    return f"{_amount(statistic)} ({statistic.period_label}; {source})"


_DIGITS_ZH = "零一二三四五六七八九"


def chinese_number(number: int) -> str:
    """Write 1-99 as Chinese statutes do: 25 -> 二十五, 10 -> 十, 42 -> 四十二."""
    tens, ones = divmod(number, 10)
    if not tens:
        return _DIGITS_ZH[ones]
    return ("" if tens == 1 else _DIGITS_ZH[tens]) + "十" + (_DIGITS_ZH[ones] if ones else "")


def format_articles(law: str, articles: tuple[int, ...], language: str = "en") -> str:
    """Cite articles: "Legal Aid Law…, Arts. 24 and 42" or "《中华人民共和国法律援助法》第二十四条、第四十二条"."""
    if language == "zh":
        cited = say(language, "list_joiner").join(f"第{chinese_number(a)}条" for a in articles)
    else:
        numbers = [str(a) for a in articles]
        cited = (", ".join(numbers[:-1]) + say(language, "articles_last_joiner") + numbers[-1]
                 if len(numbers) > 1 else numbers[0])
    key = "articles_one" if len(articles) == 1 else "articles_many"
    return say(language, key, law=law, articles=cited)
