"""The front end without the inbox, and the choice between the two (INBOX_DATABASE_URL)."""
from __future__ import annotations

from typing import Any

from bot.inbox import Inbox, InboxReport, StoredReply
from bot.shared_inbox import open_durable_inbox

# INBOX_DATABASE_URL=none: no inbox at all (NoInbox), only so `make bench` can measure its cost.
NO_INBOX = "none"


class NoInbox:
    """The front end without durability: the same interface, nothing stored.

    Selected by INBOX_DATABASE_URL=none so that `make bench` can run the Telegram path
    with and without the inbox side by side. An unfinished update is lost on a crash and
    a redelivered one is answered again; never deploy it.
    """

    def receive(self, update_id: int, chat_key: str | None, payload: dict[str, Any]) -> bool:
        """Accept every update as new."""
        return True

    def receive_many(self, items: list[tuple[int, str | None, dict[str, Any]]]) -> list[bool]:
        """Accept every update as new."""
        return [True] * len(items)

    def record_unreadable(self, update_id: int) -> None:
        """Keep nothing."""

    def pending(self) -> list[tuple[int, dict[str, Any]]]:
        """Nothing is ever left over."""
        return []

    def start_attempt(self, update_id: int) -> int:
        """Every update is started once."""
        return 1

    def stored_reply(self, update_id: int) -> StoredReply | None:
        """No reply is ever stored."""
        return None

    def store_reply(self, update_id: int, parts: list[dict[str, Any]]) -> None:
        """Keep nothing."""

    def mark_sent(self, update_id: int, parts_sent: int) -> None:
        """Keep nothing."""

    def finish(self, update_id: int) -> None:
        """Keep nothing."""

    def fail(self, update_id: int, reason: str) -> None:
        """Keep nothing (the failure is logged by the caller)."""

    def purge(self, retention_seconds: float, chat_retention_seconds: float) -> int:
        """Nothing to delete."""
        return 0

    def forget_chat(self, chat_key: str) -> tuple[int, int]:
        """Nothing to delete."""
        return 0, 0

    def language(self, chat_key: str) -> str | None:
        """No language is remembered across restarts."""
        return None

    def set_language(self, chat_key: str, language: str) -> None:
        """Keep nothing."""

    def report(self) -> InboxReport:
        """Always empty."""
        return InboxReport(0, 0, 0, None)

    def close(self) -> None:
        """Nothing to close."""


def open_inbox(url: str) -> Inbox | NoInbox:
    """Return the inbox a receiver serves for INBOX_DATABASE_URL (`none`: no inbox, for
    benchmarks; bot/shared_inbox.py: one receiver per SQLite file, several on PostgreSQL)."""
    return NoInbox() if url == NO_INBOX else open_durable_inbox(url)
