"""What a benchmark run measured: plain containers, picklable by module name.

They live here rather than in bench/__main__.py so that results pickled by
`python -m bench` (module `__main__`) can be loaded again for `--render`.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from collections.abc import Sequence

from bench import load


@dataclass(frozen=True)
class Sizes:
    """How much load each measurement applies."""

    latency_turns: int
    conversation_turns: int
    conversation_window: int
    throughput_levels: Sequence[int]
    throughput_seconds: float
    throughput_max_turns: int
    telegram_messages: int
    quality_limit: int | None  # None: every held-out question without context
    warmup_turns: int


@dataclass
class StackResult:
    """What was measured on one stack (ours or stock)."""

    label: str
    model: str
    cold_start_seconds: float | None = None
    action_server_up_seconds: float | None = None
    rasa_up_seconds: float | None = None
    quality: dict[str, Any] | None = None
    # The Chinese held-out set (zh_questions.yml), parsed the same way.
    quality_zh: dict[str, Any] | None = None
    latency: load.LatencyResult | None = None
    conversation: load.ConversationResult | None = None
    throughput: list[load.ThroughputResult] = field(default_factory=list)
    telegram: Any | None = None
    errors: list[str] = field(default_factory=list)
