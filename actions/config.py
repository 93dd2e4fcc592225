"""Settings for the action server, read from the environment when first needed."""
from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache

from knowledge.db import timeout_seconds


@dataclass(frozen=True)
class ActionSettings:
    """What the actions need to know about their environment."""

    kb_database_url: str | None
    # The same limit the database enforces (knowledge.db), so both give up together.
    kb_timeout_seconds: float


@lru_cache(maxsize=1)
def get_settings() -> ActionSettings:
    """Return the settings from the environment (cached for the process)."""
    return ActionSettings(
        # None means knowledge.db's own default (a SQLite file in the repository).
        kb_database_url=os.environ.get("KB_DATABASE_URL") or None,
        kb_timeout_seconds=timeout_seconds(),
    )
