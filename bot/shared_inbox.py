"""One inbox, one or several receivers: who may handle which update.

**SQLite: one receiver.** A SQLite inbox is a file of this machine, and its receiver keeps its
chats in order in memory (bot.app.PerChatUpdateProcessor). `LocalInbox` holds an exclusive
lock on `<file>.receiver.lock` while the bot runs, so a second `python -m bot` on the same
file stops at start-up with `InboxInUse` (exit 2) instead of answering beside the first.

**PostgreSQL: any number of receivers** (behind a load balancer, `make cluster-up`). A
receiver stores what it receives and handles only what it claimed (`SharedInbox.claim`):
each chat's oldest pending update, and only while no receiver holds a live claim on it.
The rows are locked with `SELECT … FOR UPDATE SKIP LOCKED`, so two receivers never claim
the same update, and a chat's next update becomes claimable only once the one before it is
finished: per-chat order holds across receivers. A claim lasts `CLAIM_LEASE_SECONDS` and its
receiver renews it while it works (`renew`); a receiver that was killed stops renewing, and
its updates are claimed by another receiver after the lease (their stored replies resume at
the first unsent part, bot/delivery.py).
"""
from __future__ import annotations

import fcntl
import json
import os
import secrets
import socket
from pathlib import Path
from typing import IO, Any

from sqlalchemy import func, or_, select, update
from sqlalchemy.engine import Engine, make_url

from bot.inbox import PENDING, Inbox, make_inbox_engine, updates

# How long a claim holds without renewal; receivers renew every third of it. A killed
# receiver's updates wait this long before another receiver takes them.
CLAIM_LEASE_SECONDS = 15.0
RENEW_INTERVAL_SECONDS = CLAIM_LEASE_SECONDS / 3


class InboxInUse(Exception):
    """A SQLite inbox is already served by another process (one receiver per SQLite file)."""


def receiver_name() -> str:
    """Return a name for this receiver process, unique across restarts (log-safe)."""
    return f"{socket.gethostname()[:32]}-{os.getpid()}-{secrets.token_hex(4)}"


class LocalInbox(Inbox):
    """A SQLite inbox that this process alone serves (an exclusive file lock while open)."""

    def __init__(self, engine: Engine, database: Path) -> None:
        super().__init__(engine)
        lock_path = database.with_name(database.name + ".receiver.lock")
        self._lock_file: IO[str] | None = open(lock_path, "a")  # noqa: SIM115 (held until close())
        try:
            fcntl.flock(self._lock_file, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self._lock_file.close()
            self._lock_file = None
            engine.dispose()
            raise InboxInUse(
                f"the SQLite inbox {database} is in use by another bot process. "
                "A SQLite inbox serves one receiver; to run several, put the inbox in PostgreSQL "
                "(INBOX_DATABASE_URL=postgresql+psycopg2://…)."
            ) from None

    def close(self) -> None:
        """Close the database connections and let another process serve the file."""
        super().close()
        if self._lock_file is not None:
            self._lock_file.close()  # releases the lock
            self._lock_file = None


class SharedInbox(Inbox):
    """A PostgreSQL inbox shared by several receivers; this object is one of them."""

    shared = True

    def __init__(self, engine: Engine, receiver: str | None = None, clock: Any = None) -> None:
        super().__init__(engine, **({"clock": clock} if clock is not None else {}))
        self.receiver = receiver or receiver_name()

    def claim(self, limit: int, lease_seconds: float = CLAIM_LEASE_SECONDS) -> list[tuple[int, dict[str, Any]]]:
        """Claim up to `limit` updates for this receiver, oldest first: the oldest pending update
        of each chat whose claim (if any) has lapsed. Return their ids and stored JSON."""
        if limit <= 0:
            return []
        now = self._clock()
        heads = (select(func.min(updates.c.update_id)).where(updates.c.state == PENDING)
                 .group_by(updates.c.chat_key))
        with self.engine.begin() as connection:
            rows = connection.execute(
                select(updates.c.update_id, updates.c.payload)
                .where(updates.c.update_id.in_(heads.scalar_subquery()), updates.c.state == PENDING,
                       or_(updates.c.claimed_until.is_(None), updates.c.claimed_until < now))
                .order_by(updates.c.update_id).limit(limit)
                .with_for_update(skip_locked=True)
            ).all()
            if rows:
                connection.execute(
                    update(updates).where(updates.c.update_id.in_([row.update_id for row in rows]))
                    .values(claimed_by=self.receiver, claimed_until=now + lease_seconds)
                )
        return [(row.update_id, json.loads(row.payload or "{}")) for row in rows]

    def renew(self, update_ids: list[int], lease_seconds: float = CLAIM_LEASE_SECONDS) -> int:
        """Extend this receiver's claims on `update_ids` (those it still works on); return how many."""
        if not update_ids:
            return 0
        with self.engine.begin() as connection:
            renewed = connection.execute(
                update(updates).where(updates.c.update_id.in_(update_ids),
                                      updates.c.claimed_by == self.receiver,
                                      updates.c.state == PENDING)
                .values(claimed_until=self._clock() + lease_seconds)
            ).rowcount
        return int(renewed or 0)

    def _held_here(self) -> list[Any]:
        """Only while this receiver's claim holds: another receiver may have taken it over."""
        return [updates.c.claimed_by == self.receiver, updates.c.claimed_until >= self._clock()]


def open_durable_inbox(url: str) -> LocalInbox | SharedInbox | Inbox:
    """Return the inbox a receiver serves: shared on PostgreSQL, this process's alone on a
    SQLite file (raises InboxInUse if another process serves it), plain otherwise."""
    parsed = make_url(url)
    engine = make_inbox_engine(url)
    if parsed.get_backend_name() == "postgresql":
        return SharedInbox(engine)
    if parsed.get_backend_name() == "sqlite" and parsed.database and parsed.database != ":memory:":
        return LocalInbox(engine, Path(parsed.database))
    return Inbox(engine)
