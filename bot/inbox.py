"""The durable inbox: every Telegram update is stored before Telegram is told it arrived.

One row per update (`update_id` is the primary key, so a redelivered update is a no-op).
A row is `pending` until its reply has been sent, then `done` (or `failed` after bounded
retries). Rasa's reply is stored before anything is sent, and `parts_sent` counts the
parts Telegram accepted, so after a crash the reply resumes at its first unsent part
without asking Rasa again. One transaction per state change; SQLite runs in WAL mode.

The stored update is minimised (no names, usernames or chat titles) and the update and
reply are cleared when the row finishes; finished rows are deleted after the retention
period. Chats are keyed by the pseudonymous sender id, never by the Telegram chat id.

SQLite by default (a file under the data directory, created on first use); PostgreSQL
when INBOX_DATABASE_URL says so. The engine is built by `make_inbox_engine`, never at import.
"""
from __future__ import annotations

import json
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import (
    BigInteger,
    Column,
    Float,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    delete,
    event,
    func,
    insert,
    inspect,
    select,
    text,
    update,
)
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import IntegrityError
from sqlalchemy.pool import QueuePool

PENDING, DONE, FAILED = "pending", "done", "failed"

# Telegram keeps an undelivered update for 24 hours, so a redelivery is never older than
# that; an id seen longer ago than this (with margin) is Telegram numbering anew after a week
# without updates, and the update is new.
REDELIVERY_WINDOW_SECONDS = 2 * 86400
# Processing an update is started at most this many times (a crash mid-update counts):
# an update that keeps killing the process is marked failed instead of looping forever.
# Not fewer: under load one slow update can be in flight at several unrelated crashes.
MAX_PROCESSING_ATTEMPTS = 10

metadata = MetaData()

updates = Table(
    "inbox_updates",
    metadata,
    Column("update_id", BigInteger, primary_key=True, autoincrement=False),
    # HMAC sender id of the chat (the same pseudonym Rasa sees); None for chat-less updates.
    Column("chat_key", String(64), nullable=True, index=True),
    Column("state", String(16), nullable=False, index=True),
    # The minimised update as JSON; cleared when the row finishes.
    Column("payload", Text, nullable=True),
    # The reply to send, as a JSON list of parts; stored before the first part is sent.
    Column("reply", Text, nullable=True),
    Column("parts_sent", Integer, nullable=False, default=0),
    Column("attempts", Integer, nullable=False, default=0),
    Column("received_at", Float, nullable=False),
    Column("finished_at", Float, nullable=True),
    # A short, log-safe reason (no user text) for `failed` rows.
    Column("failure", String(200), nullable=True),
    # Several receivers on one PostgreSQL inbox (bot/shared_inbox.py): who handles the update,
    # and until when that claim holds unless renewed. Unused by a single SQLite receiver.
    Column("claimed_by", String(64), nullable=True),
    Column("claimed_until", Float, nullable=True),
)

chats = Table(
    "inbox_chats",
    metadata,
    Column("chat_key", String(64), primary_key=True),
    Column("language", String(8), nullable=False),
    Column("updated_at", Float, nullable=False),
)

# Fields of a Telegram user or chat that the handlers need; names, usernames, titles,
# bios and photos are dropped before the update is written anywhere.
_USER_FIELDS = {"id", "is_bot", "language_code"}
_CHAT_FIELDS = {"id", "type"}
# Which keys hold a User and which a Chat (Telegram's Message and MessageOrigin fields).
_USER_KEYS = {"from", "forward_from", "sender_user", "via_bot", "user"}
_CHAT_KEYS = {"chat", "sender_chat", "forward_from_chat"}


def make_inbox_engine(url: str) -> Engine:
    """Create the inbox engine (WAL and a busy timeout on SQLite) and its tables."""
    backend = make_url(url).get_backend_name()
    connect_args: dict[str, Any] = {}
    pooling: dict[str, Any] = {}
    if backend == "sqlite":
        database = make_url(url).database
        if database and database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        # Worker threads take turns with pooled connections (one thread at a time each).
        connect_args = {"timeout": 30, "check_same_thread": False}
        # SQLAlchemy 1.4 gives file databases a NullPool: a new connection, and a new WAL
        # set-up, per transaction cost ~20 ms per update; a pool makes it ~2.5 ms.
        pooling = {"poolclass": QueuePool, "pool_size": 8, "max_overflow": 8}
    elif backend == "postgresql":
        connect_args = {"connect_timeout": 5}
    # hide_parameters: an SQL error must not log the bound values (the update, the reply).
    engine = create_engine(url, future=True, pool_pre_ping=True, connect_args=connect_args,
                           hide_parameters=True, **pooling)
    if backend == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    metadata.create_all(engine)
    _add_missing_columns(engine)
    return engine


def _add_missing_columns(engine: Engine) -> None:
    """Add the columns a newer version added to an inbox created before it (nullable ones)."""
    existing = {column["name"] for column in inspect(engine).get_columns(updates.name)}
    with engine.begin() as connection:
        for column in updates.columns:
            if column.name not in existing:
                kind = column.type.compile(dialect=engine.dialect)
                # Names and types come from the Table above, never from input.
                connection.execute(text(
                    f"ALTER TABLE {updates.name} ADD COLUMN {column.name} {kind}"
                ))


def _sqlite_pragmas(dbapi_connection: Any, connection_record: Any) -> None:
    # WAL: a writer killed mid-transaction leaves the last committed state; readers never
    # block the writer. synchronous=NORMAL is durable against a process kill (not a power cut).
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def minimise_update(payload: dict[str, Any]) -> dict[str, Any]:
    """Return a copy of an update's JSON without names, usernames, titles or photos."""

    def strip(value: Any) -> Any:
        if isinstance(value, dict):
            cleaned = {}
            for key, item in value.items():
                if key in _USER_KEYS and isinstance(item, dict):
                    cleaned[key] = {k: v for k, v in item.items() if k in _USER_FIELDS}
                    cleaned[key].setdefault("first_name", "")
                elif key in _CHAT_KEYS and isinstance(item, dict):
                    cleaned[key] = {k: v for k, v in item.items() if k in _CHAT_FIELDS}
                else:
                    cleaned[key] = strip(item)
            return cleaned
        if isinstance(value, list):
            return [strip(item) for item in value]
        return value

    return strip(payload)


@dataclass(frozen=True)
class StoredReply:
    """A reply stored for an update: its parts (JSON objects) and how many were sent."""

    parts: list[dict[str, Any]]
    sent: int


@dataclass(frozen=True)
class InboxReport:
    """What `python -m bot inbox` prints."""

    pending: int
    failed: int
    done: int
    oldest_pending_age_seconds: float | None

    def lines(self) -> list[str]:
        """Return the report as printable lines."""
        age = self.oldest_pending_age_seconds
        return [
            f"pending: {self.pending}",
            f"failed:  {self.failed}",
            f"done:    {self.done}",
            "oldest pending: " + ("none" if age is None else f"{age:.0f} s"),
        ]


class Inbox:
    """Synchronous operations on the inbox tables; each call is one transaction."""

    def __init__(self, engine: Engine, clock: Any = time.time) -> None:
        self.engine = engine
        self._clock = clock

    def close(self) -> None:
        """Close the database connections."""
        self.engine.dispose()

    def receive(self, update_id: int, chat_key: str | None, payload: dict[str, Any]) -> bool:
        """Store a new update as pending; return False if it was stored before (redelivery)."""
        return self.receive_many([(update_id, chat_key, payload)])[0]

    def receive_many(self, items: list[tuple[int, str | None, dict[str, Any]]]) -> list[bool]:
        """Store new updates (id, chat key, JSON) as pending, in one transaction when none was
        stored before; return for each whether it is new (False: a redelivery)."""
        now = self._clock()
        rows = [{"update_id": update_id, "chat_key": chat_key, "state": PENDING,
                 "payload": json.dumps(minimise_update(payload), ensure_ascii=False),
                 "parts_sent": 0, "attempts": 0, "received_at": now}
                for update_id, chat_key, payload in items]
        try:
            with self.engine.begin() as connection:
                connection.execute(insert(updates), rows)
            return [True] * len(rows)
        except IntegrityError:
            if len(rows) > 1:  # some were stored before: one at a time
                return [self.receive(*item) for item in items]
            return [self._reuse_finished(rows[0])]

    def _reuse_finished(self, row: dict[str, Any]) -> bool:
        """Store `row` over a finished row of the same id received before the redelivery
        window (Telegram reused the id); return False for a real redelivery."""
        with self.engine.begin() as connection:
            replaced = connection.execute(
                update(updates).where(
                    updates.c.update_id == row["update_id"], updates.c.state != PENDING,
                    updates.c.received_at < self._clock() - REDELIVERY_WINDOW_SECONDS,
                ).values(**row, reply=None, failure=None, finished_at=None,
                          claimed_by=None, claimed_until=None)
            ).rowcount
        return bool(replaced)

    def record_unreadable(self, update_id: int) -> None:
        """Store an update that could not be parsed as failed (no content), so it is skipped."""
        now = self._clock()
        try:
            with self.engine.begin() as connection:
                connection.execute(insert(updates).values(
                    update_id=update_id, chat_key=None, state=FAILED, payload=None, parts_sent=0,
                    attempts=0, received_at=now, finished_at=now, failure="unreadable update",
                ))
        except IntegrityError:
            pass

    def pending(self) -> list[tuple[int, dict[str, Any]]]:
        """Return the unfinished updates (id and stored JSON), oldest first."""
        with self.engine.begin() as connection:
            rows = connection.execute(
                select(updates.c.update_id, updates.c.payload)
                .where(updates.c.state == PENDING)
                .order_by(updates.c.update_id)
            ).all()
        return [(row.update_id, json.loads(row.payload or "{}")) for row in rows]

    def start_attempt(self, update_id: int) -> int:
        """Count one more start of processing; return the count, or 0 if the update is not
        pending (unknown, or finished already: it must not be handled again)."""
        with self.engine.begin() as connection:
            started = connection.execute(
                update(updates).where(updates.c.update_id == update_id, updates.c.state == PENDING,
                                      *self._held_here()).values(attempts=updates.c.attempts + 1)
            ).rowcount
            if not started:
                return 0
            attempts = connection.execute(
                select(updates.c.attempts).where(updates.c.update_id == update_id)
            ).scalar()
        return int(attempts or 0)

    def _held_here(self) -> list[Any]:
        """Conditions on a row for this process to handle it (none: one receiver has them all)."""
        return []

    def stored_reply(self, update_id: int) -> StoredReply | None:
        """Return the reply stored for an update, or None if none was stored yet."""
        with self.engine.begin() as connection:
            row = connection.execute(
                select(updates.c.reply, updates.c.parts_sent).where(updates.c.update_id == update_id)
            ).first()
        if row is None or row.reply is None:
            return None
        return StoredReply(json.loads(row.reply), int(row.parts_sent))

    def store_reply(self, update_id: int, parts: list[dict[str, Any]]) -> None:
        """Store the reply of an update before any part of it is sent."""
        with self.engine.begin() as connection:
            connection.execute(
                update(updates).where(updates.c.update_id == update_id)
                .values(reply=json.dumps(parts, ensure_ascii=False), parts_sent=0)
            )

    def mark_sent(self, update_id: int, parts_sent: int) -> None:
        """Record that the first `parts_sent` parts of the reply were accepted by Telegram."""
        with self.engine.begin() as connection:
            connection.execute(
                update(updates).where(updates.c.update_id == update_id).values(parts_sent=parts_sent)
            )

    def finish(self, update_id: int) -> None:
        """Mark a pending update done and drop its text (a failed one stays failed)."""
        self._close(update_id, DONE, None)

    def fail(self, update_id: int, reason: str) -> None:
        """Mark a pending update failed with a log-safe reason and drop its text."""
        self._close(update_id, FAILED, reason[:200])

    def _close(self, update_id: int, state: str, reason: str | None) -> None:
        with self.engine.begin() as connection:
            connection.execute(
                update(updates)
                .where(updates.c.update_id == update_id, updates.c.state == PENDING)
                .values(state=state, failure=reason, payload=None, reply=None,
                        finished_at=self._clock())
            )

    def purge(self, retention_seconds: float, chat_retention_seconds: float) -> int:
        """Delete finished rows older than `retention_seconds`, and languages of chats silent
        for `chat_retention_seconds` (as long as Rasa keeps the conversation: the settings'
        CONVERSATION_RETENTION_DAYS); return how many update rows went."""
        now = self._clock()
        with self.engine.begin() as connection:
            result = connection.execute(
                delete(updates).where(
                    updates.c.state != PENDING, updates.c.finished_at < now - retention_seconds
                )
            )
            connection.execute(
                delete(chats).where(chats.c.updated_at < now - chat_retention_seconds)
            )
        return int(result.rowcount or 0)

    def forget_chat(self, chat_key: str) -> tuple[int, int]:
        """Delete a chat's finished rows and its language; return how many of each went."""
        with self.engine.begin() as connection:
            result = connection.execute(
                delete(updates).where(updates.c.chat_key == chat_key, updates.c.state != PENDING)
            )
            languages = connection.execute(delete(chats).where(chats.c.chat_key == chat_key))
        return int(result.rowcount or 0), int(languages.rowcount or 0)

    def language(self, chat_key: str) -> str | None:
        """Return the chat's language as last chosen or detected, or None."""
        with self.engine.begin() as connection:
            return connection.execute(
                select(chats.c.language).where(chats.c.chat_key == chat_key)
            ).scalar()

    def set_language(self, chat_key: str, language: str) -> None:
        """Remember the chat's language across restarts."""
        now = self._clock()
        with self.engine.begin() as connection:
            changed = connection.execute(
                update(chats).where(chats.c.chat_key == chat_key)
                .values(language=language, updated_at=now)
            ).rowcount
            if not changed:
                try:
                    with connection.begin_nested():
                        connection.execute(
                            insert(chats).values(chat_key=chat_key, language=language, updated_at=now)
                        )
                except IntegrityError:
                    pass  # another update of the same chat won the race; its value stands

    def report(self) -> InboxReport:
        """Count rows per state and the age of the oldest pending update."""
        with self.engine.begin() as connection:
            counts = dict(
                connection.execute(
                    select(updates.c.state, func.count()).group_by(updates.c.state)
                ).all()
            )
            oldest = connection.execute(
                select(func.min(updates.c.received_at)).where(updates.c.state == PENDING)
            ).scalar()
        return InboxReport(
            pending=int(counts.get(PENDING, 0)),
            failed=int(counts.get(FAILED, 0)),
            done=int(counts.get(DONE, 0)),
            oldest_pending_age_seconds=None if oldest is None else max(0.0, self._clock() - oldest),
        )
