"""Which language a message is in, and the Chinese clean-up the NLU needs.

The rules are deliberately simple and explainable: a message is Chinese when it has
more than two Han characters per Latin word, since a Chinese word is about two
characters long ("12348 hotline 一年接多少电话" is Chinese, "can u explain what 法律援助
means" and "律师调解 how does it work" are English); a message with neither
(digits, emoji, a lone "？") has no language of its own and keeps the conversation's.
An explicit request ("English please", "说中文") beats the script it is written in.
"""
from __future__ import annotations

import re
from functools import lru_cache

# CJK Unified Ideographs, Extension A and the compatibility block: enough for every
# character a user types; rarer extensions count as Han too.
# The one definition of "a Han character" (knowledge/specs.py and actions use it too).
HAN_RANGES = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ffff"
HAN_CHARACTER = f"[{HAN_RANGES}]"
_HAN = re.compile(HAN_CHARACTER)
_LATIN_WORD = re.compile(r"[A-Za-z]+(?:'[A-Za-z]+)?")
# Han characters per Latin word at which a mixed message counts as Chinese.
HAN_CHARACTERS_PER_WORD = 2
# In a message with both scripts, the grammar tells the language the person writes in, the
# nouns only what they name: "and 人民调解?" is English, "我想问下 legal aid 要多久" Chinese.
_ENGLISH_GRAMMAR_WORDS = frozenset({
    "a", "an", "the", "and", "or", "but", "is", "are", "was", "do", "does", "did", "can", "could", "will",
    "would", "should", "what", "how", "where", "when", "which", "who", "why", "about", "of", "to", "in",
    "for", "with", "i", "my", "me", "you", "your", "it", "this", "that", "there", "please", "if"})
_CHINESE_GRAMMAR = re.compile(r"[的了吗呢吧嘛是我你他她们在有要想能会怎么什哪谁和就还也都把被给让该咋啥]")

# "reply in Chinese", "说中文", "换成英文": the user asks for a language. Naming a language is
# not asking for it: "Do I need to speak Chinese in court?", "Is the law available in
# Chinese?" and "需要英文版合同吗" are questions in their own language (issue #21).
_REQUESTS = {
    "zh": re.compile(
        r"(说|讲|用|回|换成|换回|切换到|切换成|改成|改用|改回|来点)\s*(中文|汉语|普通话|簡體|简体|chinese|mandarin)"
        r"|(中文|汉语)\s*(回答|回复|可以吗|行吗|吧|模式)"
        r"|\b(reply|answer|respond|write|talk|speak|text)\s+(to me\s+|back\s+)?in\s+(chinese|mandarin|zhongwen)\b"
        r"|\b(switch|change)\s+(the language\s+|it\s+)?to\s+(chinese|mandarin|zhongwen)\b"
        r"|\b(can|could|would)\s+you\s+(please\s+)?(speak|use|write|talk)\s+(in\s+)?(chinese|mandarin)\b"
        r"|\b(chinese|mandarin|zhongwen)\s+(please|pls|plz|now|again)\b|^\W*(chinese|mandarin)\W*$"
        r"|\b(back|go back|switch back|change back)\s+to\s+(chinese|mandarin)\b",
        re.IGNORECASE,
    ),
    "en": re.compile(
        r"(说|讲|用|回|换成|换回|切换到|切换成|改成|改用|改回)\s*(英文|英语|english)(?!版|合同|名字|名|翻译|材料|文件)"
        r"|(英文|英语)\s*(回答|回复|可以吗|行吗|吧|模式)"
        r"|\b(reply|answer|respond|write|talk|speak|text)\s+(to me\s+|back\s+)?in\s+english\b"
        r"|\b(switch|change)\s+(the language\s+|it\s+)?to\s+english\b"
        r"|\b(can|could|would)\s+you\s+(please\s+)?(speak|use|write|talk)\s+(in\s+)?english\b"
        r"|\benglish\s+(please|pls|plz|now|again)\b|^\s*english\s*[.!?]*\s*$"
        r"|\b(back|go back|switch back|change back)\s+to\s+english\b"
        r"|\b(say|put|write)\s+(that|it|this)\s+in\s+english\b",
        re.IGNORECASE,
    ),
}
# Asking whether someone speaks a language is not asking the bot to: "12348能说英语吗", "律师会讲
#英文吗", "does the hotline speak english", "can the lawyer talk to me in chinese".
_ASKS_IF_SOMEONE_SPEAKS = re.compile(
    # "那12348 hotline能说英语不" (the eleventh blind set): an English word may stand between, but
    # not the assistant addressed ("律师说的我听不懂 你可以用英文吗" asks it to switch).
    r"(12348|热线|hotline|律师|法院|法官|他们|那边|工作人员|接线员|客服|公证处|仲裁|中心|翻译)[^，,。？?你您]{0,10}"
    r"(能|会|可以|能不能|会不会|可不可以)(说|讲|用|听懂)(英语|英文|中文|汉语|普通话)"
    r"|\b(does|do|can|could|will|is|are)\s+(12348|the hotline|they|the lawyers?|the staff|staff|the court|the judge|"
    r"someone|anyone|the operator|the centre|the center|he|she)\b.{0,30}\b(speak|speaks|talk|understand)\w*\b",
    re.IGNORECASE)
# Words that belong to no language: "ok" after a Chinese answer keeps the conversation Chinese.
_NEUTRAL_WORDS = frozenset({"ok", "okay", "okk", "k", "kk", "thx", "ty", "lol", "haha", "hmm", "emm", "em",
                            "oh", "ohh", "wow", "hi", "bye", "sos"})

# "好的 thanks", "ok 谢谢": pleasantries in both scripts say nothing of the language the person
# writes in, so they keep the conversation's, like "ok" alone.
_MIXED_PLEASANTRY = re.compile(
    r"^[\W_]*(?:(?:好的|好滴|好吧|好|谢谢|谢了|多谢|嗯+|哦+|噢+|行|收到|明白了?|了解|辛苦了|拜拜|再见"
    r"|thanks|thank you|thank u|thx|ty|ok|okay|okk|got it|cool|great|nice|bye)[\W_]*)+$",
    re.IGNORECASE)

_CHINESE_DIGITS = {"〇": "0", "零": "0", "○": "0", "一": "1", "二": "2", "三": "3", "四": "4",
                   "五": "5", "六": "6", "七": "7", "八": "8", "九": "9"}
# 二〇二〇年 / 二零一九年 -> 2020年: years are looked up by digits (the `year` regex).
_CHINESE_YEAR = re.compile(r"([〇零○一二三四五六七八九]{4})(?=\s*年)")


def count_scripts(text: str) -> tuple[int, int]:
    """Return (Han characters, Latin words) in the text."""
    return len(_HAN.findall(text)), len(_LATIN_WORD.findall(text))


def requested_language(text: str) -> str | None:
    """Return the language the user explicitly asks for, or None."""
    if _ASKS_IF_SOMEONE_SPEAKS.search(text):
        return None
    for language, pattern in _REQUESTS.items():
        if pattern.search(text):
            return language
    return None


def detect_language(text: str) -> str | None:
    """Return 'zh', 'en', or None when the text has no words of either script."""
    requested = requested_language(text)
    if requested is not None:
        return requested
    han = len(_HAN.findall(text))
    # "ok", "thx", "lol" belong to neither language: they do not tip a mixed message either.
    latin_words = sum(1 for word in _LATIN_WORD.findall(text) if word.lower() not in _NEUTRAL_WORDS)
    if han == 0 and latin_words == 0:
        return None
    if han and _LATIN_WORD.search(text) and _MIXED_PLEASANTRY.match(text):
        return None
    if han and latin_words:
        english_grammar = any(word.lower() in _ENGLISH_GRAMMAR_WORDS for word in _LATIN_WORD.findall(text))
        chinese_grammar = _CHINESE_GRAMMAR.search(text) is not None
        if english_grammar != chinese_grammar:
            return "en" if english_grammar else "zh"
    # More than two Han characters per English word: "what is 值班律师" is English.
    return "zh" if han > HAN_CHARACTERS_PER_WORD * latin_words else "en"


def has_han(text: str) -> bool:
    """Whether the text contains any Han character."""
    return _HAN.search(text) is not None


def is_mostly_chinese(text: str) -> bool:
    """Whether a (bot) text is written in Chinese: more Han characters than Latin letters.

    Used to check replies: URLs, "12348" and a source's English title may appear in a
    Chinese reply, but most of it must be Han characters.
    """
    han = len(_HAN.findall(text))
    latin_letters = sum(1 for character in text if character.isascii() and character.isalpha())
    return han > latin_letters


@lru_cache(maxsize=1)
def _converter():
    # zhconv loads its conversion table on first use; keep that out of import time. Its
    # default loader leaves the file open (a ResourceWarning); a path it opens with `with`.
    import os

    import zhconv

    zhconv.loaddict(os.path.join(os.path.dirname(zhconv.__file__), "zhcdict.json"))
    return zhconv.convert


def to_simplified(text: str) -> str:
    """Convert Traditional characters to Simplified ("請問法律援助" -> "请问法律援助")."""
    if not has_han(text):
        return text
    return _converter()(text, "zh-hans")


def chinese_years_to_digits(text: str) -> str:
    """Write four-character Chinese years in digits: 二〇二〇年 -> 2020年."""
    return _CHINESE_YEAR.sub(
        lambda match: "".join(_CHINESE_DIGITS[c] for c in match.group(1)), text
    )



_NUMERAL_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
                   "八": 8, "九": 9}
_NUMERAL_UNITS = {"十": 10, "百": 100, "千": 1000, "万": 10_000}
# Not right after a digit or a point: "1.5万", "2千" keep their unit.
_CHINESE_NUMERAL = re.compile(r"(?<![\d.])[零〇一二两三四五六七八九十百千万]+")


def chinese_number(word: str) -> int:
    """The value of a Chinese numeral ("十五" 15, "二百零五" 205, "一万二千" 12000), read as
    people say amounts: a last digit right after 百/千/万 counts in the next lower unit
    ("两千五" 2500, "三百五" 350, "一万二" 12000). Digit by digit when it has no unit ("二零二一")."""
    if not any(character in _NUMERAL_UNITS for character in word):
        return int("".join(str(_NUMERAL_DIGITS[character]) for character in word))
    total, section, digit, last_unit = 0, 0, 0, 1
    for character in word:
        if character == "万":
            total += (section + digit or 1) * 10_000
            section, digit, last_unit = 0, 0, 10_000
        elif character in _NUMERAL_UNITS:
            section += (digit or 1) * _NUMERAL_UNITS[character]
            digit, last_unit = 0, _NUMERAL_UNITS[character]
        else:
            digit = _NUMERAL_DIGITS[character]
    after_a_unit = len(word) > 1 and word[-2] in "百千万" and word[-1] in _NUMERAL_DIGITS and digit
    return total + section + (digit * last_unit // 10 if after_a_unit else digit)


def chinese_numerals_to_digits(text: str, with_unit_only: bool = False) -> str:
    """The text with its Chinese numerals in digits ("三十日内" → "30日内", "一个月两千五" →
    "1个月2500"). With `with_unit_only`, only numerals holding 十/百/千/万 change ("一个月两千五"
    → "一个月2500"), so "一个" and "第三" keep their words."""
    def written(match: re.Match[str]) -> str:
        word = match.group()
        if with_unit_only and not any(character in _NUMERAL_UNITS for character in word):
            return word
        return str(chinese_number(word))
    return _CHINESE_NUMERAL.sub(written, text)
