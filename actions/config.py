"""Settings for the action server, read from the environment when first needed."""
from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache
from typing import Optional


@dataclass(frozen=True)
class ActionSettings:
    """What the actions need to know about their environment."""

    kb_database_url: Optional[str]
    kb_timeout_seconds: float
    language: str


@lru_cache(maxsize=1)
def get_settings() -> ActionSettings:
    """Return the settings from the environment (cached for the process)."""
    return ActionSettings(
        # None means knowledge.db's own default (a SQLite file in the repository).
        kb_database_url=os.environ.get("KB_DATABASE_URL") or None,
        kb_timeout_seconds=float(os.environ.get("KB_TIMEOUT_SECONDS", "5")),
        language=os.environ.get("ANSWER_LANGUAGE", "en"),
    )
