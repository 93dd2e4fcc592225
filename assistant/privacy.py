"""How long conversations are kept, and how logs and reports refer to one (dependency-free).

Read by the Rasa side (the retention job, the unanswered report) and by the Telegram front
end (its /start privacy notice), so both state and apply the same period.
"""
from __future__ import annotations

import hashlib
import hmac
import os

RETENTION_ENV = "CONVERSATION_RETENTION_DAYS"
DEFAULT_RETENTION_DAYS = 30.0


def retention_days() -> float:
    """Return $CONVERSATION_RETENTION_DAYS, or 30: how long a silent conversation is kept."""
    try:
        days = float(os.environ.get(RETENTION_ENV) or DEFAULT_RETENTION_DAYS)
    except ValueError:
        return DEFAULT_RETENTION_DAYS
    return days if days > 0 else DEFAULT_RETENTION_DAYS


def conversation_ref(sender_id: str) -> str:
    """Return the reference logs and the unanswered report use for a conversation: the first
    12 hex digits of SHA-256 of its sender id (not reversible, never the Telegram chat id)."""
    return hashlib.sha256(sender_id.encode()).hexdigest()[:12]


def pseudonym(secret: bytes, identity: str) -> str:
    """Return the Rasa sender id of a person: HMAC-SHA256 of their front end's own id (a
    Telegram chat id, a web page's random id) with SENDER_ID_SECRET; without the secret it
    cannot be traced back, and the secret keeps it stable across restarts."""
    return hmac.new(secret, identity.encode(), hashlib.sha256).hexdigest()
