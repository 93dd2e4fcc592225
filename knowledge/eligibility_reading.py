"""Reading a pre-check answer typed in the person's own words (issue #21).

An option's keyword counts only where the text does not deny it: "我不穷", "不是欠薪",
"he is not a minor" and "i'm not poor" do not choose the option they name. An age under
18 ("他才15岁", "my son is 16", or a bare "17" when the question asked has that option) answers
"under 18"; a monthly income or pension the province's line decides ("his pension is tiny, like 300 a
month", "一个月两千五") answers "low income", whose outcome depends on that line; having
come from elsewhere to work ("从河南来深圳打工") answers "migrant worker".
Everything else stays data: the keywords of each option live in
knowledge/data/eligibility_options.yml.
"""
from __future__ import annotations

import re

from assistant.language import chinese_numerals_to_digits, has_han

# Words that deny what follows ("不是", "不是欠", "没有被", "并不太", "is not a", "isn't really", "no
# disability", "nothing like life in prison"). Not a
# bare 没/没有: "没有工资" says the wages are missing, not that the matter is not wages.
_DENIED_ZH = re.compile(r"(?:不是|并非|不属于|不算|没有被|没被|未被|不太|不怎么|不很|不)(?:拖欠|欠)?$"
                        # "不会判死刑", "判不了无期": a sentence not expected
                        r"|(?:不会|不至于|不可能|不会被)判$|判不了$")
_DENIED_EN = re.compile(
    r"(?<![a-z])(?:not|never|isn't|isnt|aren't|arent|wasn't|wasnt|don't|dont|doesn't|doesnt|didn't|didnt|"
    r"no longer|no|nothing like|without|cant|can't|cannot|can not)"
    r"\s+(?:a\s+|an\s+|really\s+|very\s+|that\s+|so\s+|in\s+)?$"
)
# 一…十七: option numbers ("第三个") and ages under 18 ("十五岁") written in Chinese.
CHINESE_NUMBERS = {word: n for n, word in enumerate(
    "一 二 三 四 五 六 七 八 九 十 十一 十二 十三 十四 十五 十六 十七".split(), start=1)}
_AGE = re.compile(
    r"(\d{1,3}|[一二三四五六七八九十]{1,3})\s*(?:周岁|岁)"
    r"|(?:才|只有|刚满?)(\d{1,2})(?![\d.])(?!\s*(?:块|元|万|千|天|个|年|月|号|点|次|%))"
    r"|(?<![\d.])(\d{1,3})\s*(?:years? old|yrs? old|y/o|yo)\b"
    r"|\b(?:aged?|is|he's|she's|hes|shes|i'm|im|only|just)\s+(\d{1,2})\b(?!\s*(?:yuan|rmb|kuai|k\b|%|months?|days?))"
    # "他十六", "我弟今年才15": a person and a number with nothing counted after it.
    r"|(?:他|她|孩子|儿子|女儿|闺女|弟弟|妹妹|我弟|我妹)(?:今年|现在|才|刚|只有|刚满)*"
    r"(\d{1,2}|[一二三四五六七八九十]{1,3})(?=\s*(?:周岁|岁|了|$|[，,。！？!?、\s]))"
)
# A bare number ("17", "十六岁") answering a question that has an "under 18" option: an age.
_BARE_AGE = re.compile(r"^\W*(\d{1,2}|[一二三四五六七八九十]{1,3})\s*(周岁|岁|yrs? old|years old|y/?o)?\W*$")
# A suspect younger than this is no one's case (criminal responsibility starts at 12, Criminal Law
# Art. 17): a smaller bare number is more likely a mistyped option than an age.
YOUNGEST_SUSPECT = 12
# "还没满18", "未满16周岁": younger than the number said.
_NOT_YET = re.compile(r"(?:还?没满|不满|未满)\s*(\d{1,2}|[一二三四五六七八九十]{1,3})(?:周?岁)?")
ADULT_AGE = 18
# Added to the text when it names an age under 18: the words the "under 18" option knows.
UNDER_AGE_WORDS = " under 18 未满18 "


# A monthly amount ("300 a month", "每月就800块", "一个月两千五"): whether it is hardship is for
# the province's line (Art. 34; there is no national figure). Provinces tie their lines to local
# subsistence or minimum-wage levels, so an amount below this many yuan may be under the line
# somewhere: it chooses "low income", whose outcome says it depends on the local standard. A
# larger amount is left to the person's own words.
INCOME_JUDGED_LOCALLY_BELOW_YUAN = 5000
_INCOME_WORDS = r"(?:earn\w*|make|makes|making|get|gets|paid|income|pension|salary|wages?|receive\w*)"
_MONTHLY_AMOUNT = re.compile(
    r"\b" + _INCOME_WORDS + r"\b\D{0,20}?(?<![\d.,])(\d[\d,]*)\s*(?:yuan|rmb|kuai|cny)?\s*"
    r"(?:a|per|each|every|/)\s*month"
    r"|\b(?:pension|income|salary)\b\D{0,20}?(?<![\d.,])(\d[\d,]*)\s*(?:yuan|rmb|kuai|cny|块|元)"
    r"|(?:月收入|月工资|退休金|养老金|(?:每个?月|一个月)(?:就|才|只有?|(?:就|才|只)?(?:挣|赚|拿|收入|工资|有)))\D{0,4}?"
    r"(?<![\d.,])(\d[\d,]*)(?![\d.,]*\s*(?:千|万|岁|年|天))"
    # "一个月2500": the amount straight after the month ("一个月后我还了2000" is no income).
    r"|(?:每个?月|一个月|一月)\s*(\d[\d,]*)(?![\d.,]*\s*(?:千|万|岁|年|天|号|日))")
# Amounts a month that are no income: rent, a mortgage, support paid or owed, a penalty.
_NOT_INCOME = re.compile(r"房租|房贷|租金|月供|抚养费|赡养费|生活费|违约金|还款|还钱|"
                         r"\b(rent|mortgage|child support|alimony|repay\w*|fine|penalty)\b")
LOW_INCOME_WORDS = " low income "
LOW_INCOME_WORDS_ZH = " 收入低 "
# Having come from elsewhere to work ("came from anhui to work in a factory", "从河南来深圳打工"):
# a migrant worker (Art. 42), whatever the place is called.
_CAME_TO_WORK = re.compile(
    r"\b(?:came|come|moved|went)\s+(?:here\s+|over\s+|out\s+|all the way\s+)?from\s+"
    r"(?:my\s+|the\s+|a\s+|our\s+)?(?!office|home|school|work|there|lunch)[a-z]+(?:\s+province)?"
    r"\s+to\s+(?:\w+\s+){0,2}?(?:work|find work|do work|find a job)\b"
    r"|\b(?:i am|im|i'm|we are|we're) from (?!here\b)[a-z]+\b[^.?!]{0,20}\bworking (?:in|at|on) (?:a |the )?"
    r"(?:factory|construction|building site|site|restaurant|warehouse|workshop|farm|mine)"
    # "i worked at a shoe factory in dongguan for 8 months, im from guizhou": told the other way round
    r"|\b(?:worked|working|work)\s+(?:at|in|on)\s+(?:a\s+|the\s+)?(?:[a-z]+\s+){0,2}?"
    r"(?:factory|construction site|building site|site|restaurant|warehouse|workshop|mine)\b"
    r"[^?!]{0,80}?\b(?:i am|im|i'm|we are|we're) (?:originally )?from "
    r"(?!(?:here|there|this|that|the|a|an|my|our|around|nearby|local\w*|near|town|the city)\b)[a-z]{3,}"
    r"|从(?![早晚上下午中]|\d|[一二三四五六七八九十两]+月|去年|今年|前年|年初|年底|那天|那时|以前|小)"
    r"[^，,。！？\s]{1,6}?(?:来|到|跑到)[^，,。！？\s]{0,6}?(?:打工|干活|上班|务工|做工)")
MIGRANT_WORDS = " migrant worker 外来务工 "
# Whether the suspect has a lawyer is not one of the check's questions (having none is its
# premise): "no he has no lawyer yet", "没有 还没请律师" answer that, not "none of these".
_NO_LAWYER = re.compile(
    r"^\W*(?:no|nope|nah|没有|没)?[\s,，.。]*(?:he|she|they|i|we)?\s*(?:has|have|got|had)?\s*(?:got\s+)?"
    r"no (?:lawyer|attorney|defen[cs]e lawyer)(?: yet)?\W*"
    r"|^\W*(?:没有|没)?[\s,，。]*(?:他|她|我们|我)?(?:还)?(?:没有|没)(?:请|找)?(?:律师|辩护律师)\W*")


# Before a verb of violence or a condition a bare 没 does deny it: "他倒是没打我 就是不管我",
# "25了 没残疾".
_DENIABLE_VERBS_ZH = ("打", "骂", "虐待", "遗弃", "动手", "残疾", "精神病", "智力残疾", "家暴", "家庭暴力")
_NOT_DONE_ZH = re.compile(r"没有?(?:再|怎么)?$")


# A denial after a situation or a list of them, where the sentence ends: "见义勇为啥的都没有 就是普通
# 车祸", "见义勇为、家暴这些都没有", "残疾倒不是". Not a bare "也没有"/"没了": "工资也没有", "抚养费都没了"
# say what is missing, which is the matter itself.
_DENIED_AFTER_ZH = re.compile(r"(?:(?:[、,，/和或跟及]|还有)[^\s，。！？?!]{1,8}){0,3}"
                              r"(?:(?:啥的|之类的?|什么的|这些|那些|这种|那种|这类)(?:都|也|倒)?"
                              r"(?:没有|没|不是|不沾边|不算|谈不上|算不上)|倒(?:也)?(?:不是|没有))(?:的|啦|了)?"
                              r"(?=$|[\s，,。.！!？?;；]|就是|只是|但是|不过)")


def is_denied(text: str, start: int, end: int | None = None) -> bool:
    """Whether the words just before position `start` (or, in Chinese, just after `end`, where the
    sentence ends) deny what is between."""
    before = text[max(0, start - 24):start].rstrip()
    if text.startswith(_DENIABLE_VERBS_ZH, start) and _NOT_DONE_ZH.search(before):
        return True
    # Not after a denial itself: "不是不是 他都四十了" says "no" twice.
    if end is not None and _DENIED_AFTER_ZH.match(text, end) and not _DENIED_AFTER_ZH.fullmatch(text, start, end):
        return True
    return bool(_DENIED_ZH.search(before) or _DENIED_EN.search(before + " "))


def keyword_length(keyword: str, text: str) -> int:
    """The length of `keyword` if the text says it without denying it (English on word
    boundaries), else 0."""
    if re.search(r"[a-z0-9]", keyword):
        pattern = r"(?<![a-z0-9])" + re.escape(keyword) + r"(?![a-z0-9])"
    else:
        pattern = re.escape(keyword)
    return len(keyword) if any(not is_denied(text, m.start(), m.end())
                               for m in re.finditer(pattern, text)) else 0


def denied_keyword(keyword: str, text: str) -> bool:
    """Whether the text names `keyword` only to deny it ("不是欠薪", "not wages")."""
    found = list(re.finditer(re.escape(keyword), text))
    return bool(found) and all(is_denied(text, m.start(), m.end()) for m in found)


def with_age_words(text: str) -> str:
    """The text, with the words of "under 18" added when it names an age below 18."""
    for match in _NOT_YET.finditer(text):
        word = match.group(1)
        limit = int(word) if word.isdigit() else {**CHINESE_NUMBERS, "十八": ADULT_AGE}.get(word, ADULT_AGE + 1)
        if limit <= ADULT_AGE:
            return text + UNDER_AGE_WORDS
    for match in _AGE.finditer(_NOT_YET.sub(" ", text)):
        word = next(group for group in match.groups() if group)
        age = int(word) if word.isdigit() else CHINESE_NUMBERS.get(word, ADULT_AGE)
        if age < ADULT_AGE:
            return text + UNDER_AGE_WORDS
    return text


def bare_age_words(text: str) -> str | None:
    """The words of "under 18" when the text is nothing but an age below 18, else None."""
    match = _BARE_AGE.match(text)
    if match is None:
        return None
    word, unit = match.group(1), match.group(2)
    age = int(word) if word.isdigit() else CHINESE_NUMBERS.get(word, ADULT_AGE)
    return UNDER_AGE_WORDS if (unit or age >= YOUNGEST_SUSPECT) and age < ADULT_AGE else None


def with_income_words(text: str) -> str:
    """The text, with the words of "low income" added when it names a monthly income that may be
    under a province's hardship line."""
    if _NOT_INCOME.search(text):
        return text
    for match in _MONTHLY_AMOUNT.finditer(chinese_numerals_to_digits(text, with_unit_only=True)):
        digits = next(group for group in match.groups() if group)
        if float(digits.replace(",", "")) < INCOME_JUDGED_LOCALLY_BELOW_YUAN:
            # In the text's own language only: a longer English keyword would outweigh what the
            # person said of themselves ("每月四千多 不算困难吧").
            return text + (LOW_INCOME_WORDS_ZH if has_han(text) else LOW_INCOME_WORDS)
    return text


# "穷不穷", "困难不困难": a question whether, which chooses neither ("是不是还得看我们家穷不穷").
_A_NOT_A = re.compile(r"(?<!不)([\u4e00-\u9fff]{1,2})不\1")


def with_inferred_words(text: str) -> str:
    """The text with the words its ages and amounts imply, and without an answer to a question
    the check never asked ("no he has no lawyer yet": the "no" is about the lawyer) or a
    question whether ("穷不穷")."""
    text = with_income_words(with_age_words(_A_NOT_A.sub(" ", _NO_LAWYER.sub(" ", text))))
    return text + MIGRANT_WORDS if _CAME_TO_WORK.search(text) else text
