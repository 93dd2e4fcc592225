"""Whether a message tells of a person in danger, and which kind of danger.

Patterns per situation live in ``crisis_patterns.yml`` beside this module (data, not
code). The text is prepared the way a person's typing varies: NFKC (full-width letters),
lower case, Traditional -> Simplified, and no spaces between Han characters. A whole
message is read, however long: a crisis told at the end of a long story still counts.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from assistant.contract import CRISIS_SITUATIONS
from assistant.language import HAN_CHARACTER, to_simplified

PATTERNS_FILE = Path(__file__).with_name("crisis_patterns.yml")
# The file's list of words that outweigh every `unless`: "last year i lent him 30k… today
# they pulled me inside and wont let me leave" is a danger now.
HAPPENING_NOW_KEY = "happening_now"
# Enough for any story; a paste of pages is not read further (the regexes stay fast).
MAX_CHARACTERS = 4000
_SPACE_BETWEEN_HAN = re.compile(rf"(?<={HAN_CHARACTER})\s+(?={HAN_CHARACTER})")
_WHITESPACE = re.compile(r"\s+")
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "`": "'"})


@dataclass(frozen=True)
class SituationPatterns:
    """The compiled patterns of one situation."""

    situation: str
    patterns: re.Pattern[str]
    unless: re.Pattern[str] | None


def _alternation(patterns: list[str]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{pattern})" for pattern in patterns))


@lru_cache(maxsize=4)
def load_patterns(path: Path = PATTERNS_FILE) -> tuple[SituationPatterns, ...]:
    """Return the compiled patterns, in the order of CRISIS_SITUATIONS (most urgent first)."""
    document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    unknown = set(document) - set(CRISIS_SITUATIONS) - {HAPPENING_NOW_KEY}
    if unknown:
        raise ValueError(f"{path.name}: unknown crisis situations {sorted(unknown)}")
    compiled = []
    for situation in CRISIS_SITUATIONS:
        entry = document.get(situation) or {}
        if not entry.get("patterns"):
            raise ValueError(f"{path.name}: no patterns for {situation!r}")
        unless = entry.get("unless") or []
        compiled.append(SituationPatterns(
            situation, _alternation(entry["patterns"]), _alternation(unless) if unless else None,
        ))
    return tuple(compiled)


def prepare(text: str) -> str:
    """Return the text as the patterns read it."""
    text = unicodedata.normalize("NFKC", text[:MAX_CHARACTERS]).translate(_APOSTROPHES).lower()
    # 俺 is the first person in northern speech ("俺男人又打俺了"): the patterns are written with 我.
    text = _WHITESPACE.sub(" ", to_simplified(text)).replace("俺", "我")
    return _SPACE_BETWEEN_HAN.sub("", text).strip()


@lru_cache(maxsize=4)
def load_happening_now(path: Path = PATTERNS_FILE) -> re.Pattern[str] | None:
    """The words that put a danger in the present, however the story began."""
    patterns = (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get(HAPPENING_NOW_KEY) or []
    return _alternation(patterns) if patterns else None


@dataclass(frozen=True)
class CrisisAssessment:
    """What the patterns make of a message."""

    # The situations it tells of, most urgent first.
    situations: tuple[str, ...] = ()
    # A situation's words are there, but so is what makes it no crisis now (a question
    # about the law, violence long past): the classifier alone must not overrule that.
    ruled_out: bool = False


def assess_crisis(text: str | None, patterns: tuple[SituationPatterns, ...] | None = None) -> CrisisAssessment:
    """Return the crisis situations the text tells of, and whether one was ruled out."""
    if not text or not text.strip():
        return CrisisAssessment()
    prepared = prepare(text)
    found, ruled_out = [], False
    happening_now = load_happening_now() if patterns is None else None
    now = happening_now is not None and happening_now.search(prepared) is not None
    for situation in patterns or load_patterns():
        if not situation.patterns.search(prepared):
            continue
        if situation.unless and situation.unless.search(prepared) and not now:
            ruled_out = True
        else:
            found.append(situation.situation)
    return CrisisAssessment(tuple(found), ruled_out and not found)


def detect_crisis(text: str | None) -> tuple[str, ...]:
    """Return the crisis situations the text tells of, most urgent first (empty: none)."""
    return assess_crisis(text).situations
