"""The period a statistics question asks about, read from its words (issues #20, #21).

"How many cases since 2013", "十八大以来", "in total", "per year", "近几年", "去年" and
"截至2022年10月" each ask for a different figure: a cumulative count from a year, any
cumulative count, an annual one, the series over the years, a year counted from today, or
the figure at a date. The statistics answer picks its figures by this reading, and says
plainly when the knowledge base has no figure for the period asked: it never passes one
period off as another. Pure standard library, so the NLU side and the actions can both use it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

# Political periods people name instead of a year: the 18th Party Congress (November 2012)
# opened the period that official reports count "since 2013"; the 19th (October 2017) the
# one from 2018; the Five-Year Plans run from their first to their last year.
_NAMED_STARTS_ZH = {"十八大": 2013, "党的十八大": 2013, "十九大": 2018, "党的十九大": 2018, "二十大": 2023}
_FIVE_YEAR_PLANS_ZH = {"十二五": (2011, 2015), "十三五": (2016, 2020), "十四五": (2021, 2025)}
_FIVE_YEAR_PLANS_EN = {"12th five-year plan": (2011, 2015), "13th five-year plan": (2016, 2020),
                       "14th five-year plan": (2021, 2025)}

_YEAR = r"((?:19|20)\d{2})"
_SPAN_OF_YEARS = re.compile(
    rf"{_YEAR}\s*年?\s*(?:-|–|—|~|～|至|到|\bto\b|\bthrough\b|\buntil\b)\s*{_YEAR}", re.IGNORECASE)
_SINCE = [
    re.compile(rf"\b(?:since|from)\s+(?:the\s+(?:start|beginning)\s+of\s+)?{_YEAR}\b", re.IGNORECASE),
    re.compile(rf"(?:自|从|自从){_YEAR}\s*年?"),
    re.compile(rf"{_YEAR}\s*年?\s*(?:以来|来|起|至今|开始|到现在)"),
    # A span of years counts from its first ("the whole 2016-2020 period", "2016年至2020年").
    _SPAN_OF_YEARS,
]
_SINCE_NAMED = re.compile(r"(党的)?(十八大|十九大|二十大)\s*(以来|之后|后|来)")
_SINCE_NAMED_EN = re.compile(r"\bsince\s+the\s+(18th|19th|20th)\s+(party\s+)?congress\b", re.IGNORECASE)
_NAMED_STARTS_EN = {"18th": 2013, "19th": 2018, "20th": 2023}
_CUMULATIVE = re.compile(
    r"累计|一共|总共|总计|合计|共计|加起来|到目前为止|迄今|至今|历年"
    r"|\b(in total|total|altogether|cumulative(ly)?|so far|to date|all together|overall|combined)\b",
    re.IGNORECASE,
)
_ANNUAL = re.compile(
    r"每年|一年|年均|每一年|全年|年度"
    r"|\b(per year|a year|each year|every year|annual(ly)?|yearly|in a year|on average)\b",
    re.IGNORECASE,
)
_SERIES = re.compile(
    r"近几年|这几年|近年来|近年|这些年|历年来|逐年|几年来|变化|趋势|增长|涨了|变多|变少|走势|每年都"
    r"|\b(recent years|past (few|several) years|last (few|several) years|over the years|these years"
    r"|trend|changed?|growth|grown|increase[ds]?|decrease[ds]?|over time|year by year|each year since)\b",
    re.IGNORECASE,
)
_RELATIVE_YEARS_ZH = {"前年": -2, "去年": -1, "上一年": -1, "上年": -1, "今年": 0, "本年": 0}
_RELATIVE_YEARS_EN = re.compile(r"\b(last year|the year before last|this year|previous year)\b", re.IGNORECASE)
_RELATIVE_OFFSET_EN = {"last year": -1, "previous year": -1, "the year before last": -2, "this year": 0}
_UNTIL = [
    # 截至2022年10月 / 截止到2022年底 / 到2022年末
    re.compile(rf"(?:截至|截止到?|到)\s*{_YEAR}\s*年\s*(?:(\d{{1,2}})\s*月|(底|末|年底|年末))?"),
    # as of October 2022 / by the end of 2022 / as at end-2021
    re.compile(
        rf"\b(?:as of|as at|by|until|up to|at)\s+(?:the\s+)?(?:end\s+of\s+|end-)?"
        rf"(?:(january|february|march|april|may|june|july|august|september|october|november|december)\s+)?{_YEAR}\b",
        re.IGNORECASE,
    ),
]
_MONTHS_EN = ("january", "february", "march", "april", "may", "june", "july", "august",
              "september", "october", "november", "december")


@dataclass(frozen=True)
class AskedPeriod:
    """What a question asks about time; every field empty means "the latest figures".

    since: a cumulative count from this year ("since 2013", "十八大以来").
    cumulative: a cumulative count from any start ("in total", "累计").
    annual: a count for one year, not a total ("per year", "每年").
    series: the figures over the years ("近几年", "how has it changed").
    years: years named outright or counted from today ("2020", "去年").
    until: (year, month or None) a figure at a date ("截至2022年10月", "as of 2021").
    """

    since: int | None = None
    cumulative: bool = False
    annual: bool = False
    series: bool = False
    years: tuple[int, ...] = field(default_factory=tuple)
    until: tuple[int, int | None] | None = None

    @property
    def is_empty(self) -> bool:
        """Whether the question names no period at all."""
        return self == AskedPeriod()


# "截至22年末呢", "20年底", "21年的": a two-digit year before 年 and a part of the year (not "干了22年").
_SHORT_YEAR = re.compile(r"(?<![\d.了干满近有])([0-3]\d)(?=\s*年\s*(?:底|末|初|年底|年末|上半年|下半年|全年|的|呢))")


def _with_full_years(text: str, this_year: int) -> str:
    """The text with two-digit years of this century written in full ("22年底" -> "2022年底")."""
    return _SHORT_YEAR.sub(lambda m: str(2000 + int(m.group(1))) if 2000 + int(m.group(1)) <= this_year
                           else m.group(1), text)


def read_period(text: str, this_year: int) -> AskedPeriod:
    """Read the period a (normalised, Simplified) question asks about.

    `this_year` resolves "去年"/"last year"; a year after "since"/"从" starts a total and is
    not itself a year asked about.
    """
    lowered = _with_full_years(text.lower(), this_year)
    since = _since(lowered)
    until = None if since is not None else _until(lowered)
    spans_taken = [m.span() for pattern in _SINCE + _UNTIL for m in pattern.finditer(lowered)]
    years = [int(m.group(1)) for m in re.finditer(_YEAR, lowered)
             if not any(start <= m.start() < end for start, end in spans_taken)]
    years += [this_year + offset for word, offset in _RELATIVE_YEARS_ZH.items() if word in lowered]
    years += [this_year + _RELATIVE_OFFSET_EN[m.group(1)] for m in _RELATIVE_YEARS_EN.finditer(lowered)]
    for name, (first, _last) in {**_FIVE_YEAR_PLANS_ZH, **_FIVE_YEAR_PLANS_EN}.items():
        if name in lowered and since is None:
            since = first
    unique_years = tuple(dict.fromkeys(y for y in years if y != since))
    return AskedPeriod(
        since=since,
        cumulative=since is not None or bool(_CUMULATIVE.search(lowered)),
        annual=bool(_ANNUAL.search(lowered)),
        series=bool(_SERIES.search(lowered)),
        years=unique_years if until is None else (),
        until=until,
    )


def in_a_span_of_years(text: str, start: int) -> bool:
    """Whether the year at `start` is one end of a span ("2016-2020", "2016年至2020年"): a
    total over the span is asked, not that year's figure."""
    return any(match.start() <= start < match.end() for match in _SPAN_OF_YEARS.finditer(text))


def _since(text: str) -> int | None:
    named = _SINCE_NAMED.search(text)
    if named:
        return _NAMED_STARTS_ZH[named.group(2)]
    named_en = _SINCE_NAMED_EN.search(text)
    if named_en:
        return _NAMED_STARTS_EN[named_en.group(1).lower()]
    for pattern in _SINCE:
        match = pattern.search(text)
        if match:
            return int(match.group(1))
    return None


def _until(text: str) -> tuple[int, int | None] | None:
    chinese = _UNTIL[0].search(text)
    if chinese:
        year = int(chinese.group(1))
        if chinese.group(2):
            return year, min(max(int(chinese.group(2)), 1), 12)
        return year, 12 if chinese.group(3) else None
    english = _UNTIL[1].search(text)
    if english:
        month = english.group(1)
        if month:
            return int(english.group(2)), _MONTHS_EN.index(month.lower()) + 1
        return int(english.group(2)), 12 if "end" in english.group(0).lower() else None
    return None
