"""Rasa's time limits for one turn, made to agree: the conversation lock outlives the turn.

Rasa 3.6 holds a conversation's ticket lock for 60 s (TICKET_LOCK_LIFETIME) but waits up to
300 s for each action call (a constant, DEFAULT_REQUEST_TIMEOUT). A turn whose action hangs
outlived its lock, and the conversation's next message ran beside it, on the same tracker.
The actions need far less: each knowledge-base query gives up after KB_TIMEOUT_SECONDS (5 s,
knowledge/db.py) and the action then apologises. So an action call is cut to twice that, and
the lock lasts as long as the most actions Rasa runs in one turn could take, plus the rest of
the turn. `scripts/rasa_cli.py` installs this before Rasa is imported: Rasa reads the lock
lifetime once, when its lock store module loads.
"""
from __future__ import annotations

import os

from knowledge.db import timeout_seconds

LOCK_LIFETIME_ENV = "TICKET_LOCK_LIFETIME"
# Rasa's own names: its circuit breaker (actions per turn) and its default for it.
MAX_PREDICTIONS_ENV = "MAX_NUMBER_OF_PREDICTIONS"
RASA_DEFAULT_MAX_PREDICTIONS = 10
# Parsing, policies and saving the tracker, beyond the action calls (under load, seconds).
TURN_OVERHEAD_SECONDS = 20


def action_timeout_seconds() -> float:
    """The longest an action call may take: two knowledge-base time limits."""
    return 2 * timeout_seconds()


def lock_lifetime_seconds() -> int:
    """The conversation lock's lifetime: every action of one turn at its time limit, and more."""
    actions = int(os.environ.get(MAX_PREDICTIONS_ENV, "") or RASA_DEFAULT_MAX_PREDICTIONS)
    # One more call than predictions: action_extract_slots may call the action server too.
    return int((actions + 1) * action_timeout_seconds()) + TURN_OVERHEAD_SECONDS


def install() -> None:
    """Set the lock lifetime (never shorter than an operator's own) and the action timeout."""
    configured = int(os.environ.get(LOCK_LIFETIME_ENV, "") or 0)
    os.environ[LOCK_LIFETIME_ENV] = str(max(configured, lock_lifetime_seconds()))
    from rasa.core.actions import action

    # RemoteAction.run reads this module global on every call.
    action.DEFAULT_REQUEST_TIMEOUT = action_timeout_seconds()
