"""Finds held-out questions that nearly repeat a training example.

Two texts are near-duplicates when, after lower-casing and dropping punctuation,
spaces and Chinese sentence particles (吗呢啊吧呀了的), they are equal or their
character-bigram sets overlap by at least `THRESHOLD` (Jaccard). That catches
"仲裁是什么" ~ "仲裁是什么呢？" and "how do i apply for legal aid" ~ "How do I apply for
legal aid?", while "律师有多少" and "律所有多少" stay apart.

    python -m scripts.near_duplicates   # lists every near-duplicate of every held-out set
"""
from __future__ import annotations

import re
import sys
from collections import defaultdict
from collections.abc import Iterable
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
    return [example.text for example in nlu_examples(root)]


def near_duplicates(questions: Iterable[str], examples: Iterable[str],
                    threshold: float = THRESHOLD) -> list[tuple[str, str]]:
    """Return (question, training example) pairs that are near-duplicates."""
    index: dict[str, list[tuple[str, set[str]]]] = defaultdict(list)
    exact: dict[str, str] = {}
    for example in examples:
        key = comparable(example)
        if not key:
            continue
        exact.setdefault(key, example)
        grams = _bigrams(key)
        for gram in grams:
            index[gram].append((example, grams))
    found = []
    for question in questions:
        key = comparable(question)
        if not key:
            continue
        if key in exact:
            found.append((question, exact[key]))
            continue
        grams = _bigrams(key)
        candidates = {example: other for gram in grams for example, other in index.get(gram, ())}
        for example, other in candidates.items():
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
