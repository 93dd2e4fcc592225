"""Provinces and cities a statistics question may name ("and in Shanghai?", "北京有多少").

The knowledge base holds national figures only, so the answer says that first instead of
passing a national figure off as a local one (issue #21). Pure standard library.
"""
from __future__ import annotations

import re

# Province-level divisions, in Chinese (short forms) and English (pinyin and common names).
PROVINCES_ZH = (
    "北京", "天津", "上海", "重庆", "河北", "山西", "辽宁", "吉林", "黑龙江", "江苏", "浙江", "安徽",
    "福建", "江西", "山东", "河南", "湖北", "湖南", "广东", "海南", "四川", "贵州", "云南", "陕西",
    "甘肃", "青海", "台湾", "内蒙古", "广西", "西藏", "宁夏", "新疆", "香港", "澳门",
)
PROVINCES_EN = (
    "beijing", "tianjin", "shanghai", "chongqing", "hebei", "shanxi", "liaoning", "jilin",
    "heilongjiang", "jiangsu", "zhejiang", "anhui", "fujian", "jiangxi", "shandong", "henan", "hubei",
    "hunan", "guangdong", "hainan", "sichuan", "guizhou", "yunnan", "shaanxi", "gansu", "qinghai",
    "taiwan", "inner mongolia", "guangxi", "tibet", "xizang", "ningxia", "xinjiang", "hong kong", "macau",
    "macao", "shenzhen", "guangzhou", "wuhan", "chengdu", "hangzhou", "nanjing", "xian", "xi'an",
)
_PROVINCE_EN = re.compile(r"\b(" + "|".join(re.escape(p) for p in PROVINCES_EN) + r")\b", re.IGNORECASE)
# "我们省", "本市", "in my province", "locally": a place without a name.
_SOME_PLACE = re.compile(r"(我们|咱们|本|我|当地|地方)(省|市|县|区)|\b(my|our|this) (province|city|county)\b"
                         r"|\blocal(ly)?\b")


def named_place(text: str) -> str | None:
    """The province or city the text names (as written), or None."""
    for province in PROVINCES_ZH:
        if province in text:
            return province
    english = _PROVINCE_EN.search(text)
    if english:
        return english.group(1).title()
    some = _SOME_PLACE.search(text)
    return some.group(0) if some else None
