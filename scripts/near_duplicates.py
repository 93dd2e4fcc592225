"""Finds held-out questions that nearly repeat a training example.

Two texts are near-duplicates when, after lower-casing and dropping punctuation,
spaces and Chinese sentence particles (吗呢啊吧呀了的), they are equal or their
character-bigram sets overlap by at least `THRESHOLD` (Jaccard). That catches
"仲裁是什么" ~ "仲裁是什么呢？" and "how do i apply for legal aid" ~ "How do I apply for
legal aid?", while "律师有多少" and "律所有多少" stay apart.

    python -m scripts.near_duplicates   # lists every near-duplicate of every held-out set
"""
from __future__ import annotations

import math
import re
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from scripts.model_store import PROJECT_ROOT
from scripts.training_data import nlu_examples

THRESHOLD = 0.8
_ANNOTATION = re.compile(r"\[([^\]]*)\]\([^)]*\)|\[([^\]]*)\]\{[^}]*\}")
_PARTICLES = re.compile(r"[吗呢啊吧呀了的嘛哈哦啦]")
_NOT_WORD = re.compile(r"[\W_]+")


def comparable(text: str) -> str:
    """Reduce a text to what matters when comparing it: letters, digits, Han characters."""
    text = _ANNOTATION.sub(lambda m: m.group(1) or m.group(2) or "", text)
    return _NOT_WORD.sub("", _PARTICLES.sub("", text.lower()))


def _bigrams(text: str) -> set[str]:
    return {text[i:i + 2] for i in range(len(text) - 1)} or {text}


def training_examples(root: Path = PROJECT_ROOT) -> list[str]:
    """Return every training example under data/ (all languages)."""
    return list(_training_examples(root))


@lru_cache(maxsize=2)
def _training_examples(root: Path) -> tuple[str, ...]:
    # Read once per process: each held-out set is compared with the same examples.
    return tuple(example.text for example in nlu_examples(root))


def _prefix_length(size: int, threshold: float) -> int:
    """How many of a set's rarest bigrams two sets this similar must share one of (prefix filtering:
    sets with Jaccard >= threshold share a bigram among the first |x| - ceil(threshold*|x|) + 1)."""
    return size - math.ceil(threshold * size) + 1


@dataclass(frozen=True)
class _Index:
    """Training examples prepared for comparison: exact keys, bigram sets, and the examples by the
    rarest bigrams of each (its prefix)."""

    exact: dict[str, str]
    examples: list[tuple[str, set[str]]]
    frequency: Counter
    by_prefix: dict[str, list[int]]
    threshold: float

    def prefix(self, grams: set[str]) -> list[str]:
        # Rarest bigrams first (an order both sides share), so prefixes hold what tells texts apart.
        ordered = sorted(grams, key=lambda gram: (self.frequency[gram], gram))
        return ordered[:_prefix_length(len(grams), self.threshold)]


@lru_cache(maxsize=4)
def _index(examples: tuple[str, ...], threshold: float) -> _Index:
    exact: dict[str, str] = {}
    prepared: list[tuple[str, set[str]]] = []
    for example in examples:
        key = comparable(example)
        if key:
            exact.setdefault(key, example)
            prepared.append((example, _bigrams(key)))
    index = _Index(exact, prepared, Counter(gram for _, grams in prepared for gram in grams),
                   defaultdict(list), threshold)
    for number, (_, grams) in enumerate(prepared):
        for gram in index.prefix(grams):
            index.by_prefix[gram].append(number)
    return index


def near_duplicates(questions: Iterable[str], examples: Iterable[str],
                    threshold: float = THRESHOLD) -> list[tuple[str, str]]:
    """Return (question, training example) pairs that are near-duplicates."""
    index = _index(tuple(examples), threshold)
    found = []
    for question in questions:
        key = comparable(question)
        if not key:
            continue
        if key in index.exact:
            found.append((question, index.exact[key]))
            continue
        grams = _bigrams(key)
        candidates = sorted({number for gram in index.prefix(grams) for number in index.by_prefix.get(gram, ())})
        for number in candidates:
            example, other = index.examples[number]
            if len(grams & other) / len(grams | other) >= threshold:
                found.append((question, example))
                break
    return found


def main() -> int:
    """Print every near-duplicate; exit 1 if there is one."""
    from scripts.evaluate import HELDOUT_SETS, load_questions

    examples = training_examples()
    found = 0
    for name, question_set in HELDOUT_SETS.items():
        for question, example in near_duplicates([q["text"] for q in load_questions(question_set.path)],
                                                 examples):
            print(f"{name}: {question!r} ~ training example {example!r}")
            found += 1
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
