"""A choice typed among the buttons just offered: "2", "第二个", "the second one", or the words
of a title ("公证", "村法律顾问" for "村（居）法律顾问数据"). Pure standard library."""
from __future__ import annotations

import re
from collections.abc import Sequence

from assistant.language import to_simplified

# "2", "第二个", "the second one", "option 2": a choice among the buttons just offered.
_ORDINALS_EN = {"first": 1, "second": 2, "third": 3, "fourth": 4, "1st": 1, "2nd": 2, "3rd": 3, "4th": 4,
                "one": 1, "two": 2, "three": 3, "four": 4, "last": -1}
_ORDINALS_ZH = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4, "最后": -1}
_CHOICE_EN = re.compile(
    r"^(?:(?:the|option|number|no\.?|choice|#)\s*)?(\d|first|second|third|fourth|1st|2nd|3rd|4th|one|two|"
    r"three|four|last)(?:\s*(?:one|option|please|pls))?$", re.IGNORECASE)
_CHOICE_ZH = re.compile(r"^(?:选|要)?第?([一二两三四1-4]|最后)(?:个|项|种|条|一个)?(?:吧|呗)?$")


def chosen_button(text: str, buttons: Sequence[dict], by_words: bool = True,
                  min_coverage: float = 0.0) -> str | None:
    """The intent of the button a typed message chooses ("2", "第二个", "公证"), or None.
    `by_words=False`: only by its number; `min_coverage`: the share of the button's title
    the words must make up ("法律援助" of "法律援助（数据）", not "lawyers" of "Lawyers sent
    to Tibet")."""
    intents = [payload_intent(button.get("payload")) for button in buttons]
    choices = [(str(button.get("title") or ""), intent) for button, intent in zip(buttons, intents, strict=True)
               if intent]
    if not choices:
        return None
    cleaned = re.sub(r"[\s\W_]+", " ", to_simplified(text)).strip().lower()
    cleaned = ABBREVIATIONS.get(cleaned, cleaned)
    number = _choice_number(cleaned)
    if number is not None:
        index = len(choices) - 1 if number == -1 else number - 1
        return choices[index][1] if 0 <= index < len(choices) else None
    squeezed = cleaned.replace(" ", "")
    if not by_words or len(squeezed) < 2:
        return None
    titles = [(re.sub(r"[\s\W_]+", "", to_simplified(title)).lower(), intent) for title, intent in choices]
    matches = [(title, intent) for title, intent in titles
               if _names_title(squeezed, title)
               and len(squeezed) >= min_coverage * len(_GENERIC_TITLE_WORDS.sub("", title))]
    if len({intent for _, intent in matches}) > 1:
        # "律师" names "全国律师数据" more than "律师调解数据": the title it covers most, once the
        # words every figures title has are set aside, if one does.
        bare = [(_GENERIC_TITLE_WORDS.sub("", title), intent) for title, intent in matches]
        shortest = min(len(title) for title, _ in bare)
        matches = [(title, intent) for title, intent in bare if len(title) == shortest]
    return matches[0][1] if len({intent for _, intent in matches}) == 1 else None


# Short names people type for a title's words ("法援" for the button "如何申请法律援助").
ABBREVIATIONS = {"法援": "法律援助", "司鉴": "司法鉴定"}
_GENERIC_TITLE_WORDS = re.compile(r"数据|统计|全国|figures|statistics|national")


def _names_title(words: str, title: str) -> bool:
    """Whether typed words name a button title: a part of it, or for Chinese its characters in
    order ("村法律顾问" for "村（居）法律顾问数据")."""
    if words in title:
        return True
    if words.isascii():
        return False
    remaining = iter(title)
    return all(character in remaining for character in words)


def _choice_number(cleaned: str) -> int | None:
    english = _CHOICE_EN.match(cleaned)
    if english:
        word = english.group(1).lower()
        return int(word) if word.isdigit() else _ORDINALS_EN[word]
    chinese = _CHOICE_ZH.match(cleaned.replace(" ", ""))
    return _ORDINALS_ZH[chinese.group(1)] if chinese else None


def payload_intent(payload: object) -> str | None:
    """"/faq_notarization" -> "faq_notarization"; payloads with entities are not chosen by words."""
    if isinstance(payload, str) and re.fullmatch(r"/[a-z0-9_]+", payload):
        return payload[1:]
    return None
