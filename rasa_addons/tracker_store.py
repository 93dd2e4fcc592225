"""Rasa's SQL tracker store, fast enough to be the default (endpoints.yml).

Profiled under load (bench/PROFILE.md), Rasa 3.6's `SQLTrackerStore` took about 40 % of the
server's only event-loop thread: every turn it re-read and replayed the whole session, counted
the stored rows again to find the new events, and committed with SQLite's full fsync, all on
the event loop, on a new connection each time. This subclass keeps the same table and rows
(a database written by either store is read by the other) and changes how it gets there:

- SQLite in WAL mode with `synchronous=NORMAL` and a pooled engine: a commit survives the
  process being killed (not a power cut before the next checkpoint), and readers do not wait
  for the writer;
- database work runs in a worker thread, so the other conversations go on meanwhile;
- a save appends the events after the ones it loaded, instead of counting the stored rows;
- the tracker a turn works on (`get_or_create_tracker`, which only the message processor
  calls, through the agent's FailSafeTrackerStore: taught here to ask this store for it)
  comes from memory when the database holds nothing newer (one indexed query checks),
  and is cut to its latest turns (rasa_addons/tracker_window.py), so a turn costs the same
  at turn 200 as at turn 5. `retrieve` still returns the whole current session, from the
  database, for the channels that read a conversation's history.
"""
from __future__ import annotations

import asyncio
import collections
import itertools
import json
from dataclasses import dataclass
from typing import Any, Text

import sqlalchemy as sa
from rasa.core.tracker_store import FailSafeTrackerStore, SQLTrackerStore
from rasa.shared.core.events import SessionStarted
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT_NAME_KEY

from rasa_addons import tracker_window

# Conversations whose working tracker is kept in memory (least recently used dropped first).
DEFAULT_CACHED_CONVERSATIONS = 512
# Set on a tracker this store loaded or saved: how many of its events are in the database.
_STORED = "_stored_event_count"


@dataclass
class _Cached:
    tracker: DialogueStateTracker
    last_event_id: int | None


class DurableSQLTrackerStore(SQLTrackerStore):
    """The SQL tracker store, appending, off the event loop, with a working-tracker cache."""

    def __init__(self, *args: Any, cached_conversations: int = DEFAULT_CACHED_CONVERSATIONS,
                 window_turns: int = tracker_window.DEFAULT_TURNS, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _delegate_from_failsafe_wrapper()
        if self.engine.dialect.name == "sqlite":
            self._use_wal_engine()
        self._cache: collections.OrderedDict[str, _Cached] = collections.OrderedDict()
        self._cache_size = int(cached_conversations)
        self._window_turns = int(window_turns)

    def _use_wal_engine(self) -> None:
        """Replace Rasa's SQLite engine (a new connection per session) with a pooled WAL one."""
        url = self.engine.url
        self.engine.dispose()
        # Pooled connections move between worker threads, one thread at a time.
        self.engine = sa.create_engine(url, poolclass=sa.pool.QueuePool, pool_size=4,
                                       connect_args={"check_same_thread": False, "timeout": 30})
        sa.event.listen(self.engine, "connect", _sqlite_wal)
        self.sessionmaker = sa.orm.sessionmaker(bind=self.engine)

    # --- the processor's working tracker ----------------------------------------------------

    async def get_or_create_tracker(self, sender_id: Text, max_event_history: int | None = None,
                                    append_action_listen: bool = True) -> DialogueStateTracker:
        """Return the conversation's working tracker: its latest turns, from memory when current."""
        self.max_event_history = max_event_history
        cached = self._cache.pop(sender_id, None)  # checked out: a turn that fails never returns it
        last_id = await asyncio.to_thread(self._last_event_id, sender_id)
        if cached is not None and cached.last_event_id == last_id \
                and getattr(cached.tracker, _STORED, None) == len(cached.tracker.events):
            tracker = cached.tracker
        else:
            tracker = await self.retrieve(sender_id)
            if tracker is None:
                return await self.create_tracker(sender_id, append_action_listen=append_action_listen)
        compact = tracker_window.compact(tracker, self._window_turns)
        if compact is not None:
            setattr(compact, _STORED, len(compact.events))
            tracker = compact
        return tracker

    def evict(self, sender_id: Text) -> None:
        """Forget the working tracker of `sender_id` (its events were erased)."""
        self._cache.pop(sender_id, None)

    # --- Rasa's interface ----------------------------------------------------------------------

    async def retrieve(self, sender_id: Text) -> DialogueStateTracker | None:
        """Return the conversation's current session from the database."""
        tracker = await asyncio.to_thread(self._load, sender_id, False)
        if tracker is not None:
            setattr(tracker, _STORED, len(tracker.events))
        return tracker

    async def retrieve_full_tracker(self, conversation_id: Text) -> DialogueStateTracker | None:
        """Return every session of the conversation from the database."""
        return await asyncio.to_thread(self._load, conversation_id, True)

    async def keys(self) -> list[Text]:
        """Return the stored conversation ids."""
        return await asyncio.to_thread(self._keys)

    async def save(self, tracker: DialogueStateTracker) -> None:
        """Append the events the tracker has beyond those it was loaded or last saved with."""
        await self.stream_events(tracker)
        stored = getattr(tracker, _STORED, None)
        events = list(tracker.events)
        last_id = await asyncio.to_thread(self._append, tracker.sender_id, events, stored)
        setattr(tracker, _STORED, len(events))
        new_events = events[stored:] if stored is not None else events
        if any(isinstance(event, SessionStarted) for event in new_events):
            # A new session: Rasa loads from its start on, so the old one must not stay in memory.
            self._cache.pop(tracker.sender_id, None)
            return
        self._cache[tracker.sender_id] = _Cached(tracker, last_id)
        self._cache.move_to_end(tracker.sender_id)
        while len(self._cache) > self._cache_size:
            self._cache.popitem(last=False)

    # --- database work, in worker threads ------------------------------------------------------

    def _load(self, sender_id: Text, all_sessions: bool) -> DialogueStateTracker | None:
        with self.session_scope() as session:
            rows = self._event_query(session, sender_id, fetch_events_from_all_sessions=all_sessions)
            events = [json.loads(row.data) for row in rows.all()]
        if not events or not self.domain:
            return None
        return DialogueStateTracker.from_dict(sender_id, events, self.domain.slots)

    def _keys(self) -> list[Text]:
        with self.session_scope() as session:
            return list(session.scalars(sa.select(self.SQLEvent.sender_id).distinct()))

    def _last_event_id(self, sender_id: Text) -> int | None:
        with self.session_scope() as session:
            return session.scalar(sa.select(sa.func.max(self.SQLEvent.id))
                                  .where(self.SQLEvent.sender_id == sender_id))

    def _append(self, sender_id: Text, events: list[Any], stored: int | None) -> int | None:
        """Insert the events not stored yet; return the conversation's last event id."""
        with self.session_scope() as session:
            if stored is None:  # a tracker this store did not load: Rasa's own way, by counting
                stored = self._event_query(session, sender_id,
                                           fetch_events_from_all_sessions=False).count()
            rows = []
            for event in itertools.islice(events, stored, None):
                data = event.as_dict()
                rows.append(self.SQLEvent(
                    sender_id=sender_id, type_name=event.type_name, timestamp=data.get("timestamp"),
                    intent_name=(data.get("parse_data") or {}).get("intent", {}).get(INTENT_NAME_KEY),
                    action_name=data.get("name"), data=json.dumps(data)))
            if not rows:
                return self._last_event_id(sender_id)
            session.add_all(rows)
            session.flush()  # assigns the ids
            last_id = rows[-1].id
            session.commit()
            return last_id


def _delegate_from_failsafe_wrapper() -> None:
    """Make Rasa's FailSafeTrackerStore, which the agent wraps around every store, ask this
    store for the working tracker: its inherited `get_or_create_tracker` calls `retrieve`."""
    if getattr(FailSafeTrackerStore.get_or_create_tracker, "delegates", False):
        return
    rasa_get_or_create = FailSafeTrackerStore.get_or_create_tracker

    async def get_or_create_tracker(self: FailSafeTrackerStore, sender_id: Text,
                                    max_event_history: int | None = None,
                                    append_action_listen: bool = True) -> DialogueStateTracker:
        primary = self._tracker_store
        if isinstance(primary, DurableSQLTrackerStore):
            try:
                return await primary.get_or_create_tracker(sender_id, max_event_history,
                                                           append_action_listen)
            except Exception as error:  # noqa: BLE001 (Rasa's fallback, as for any store error)
                self.on_tracker_store_retrieve_error(error)
        return await rasa_get_or_create(self, sender_id, max_event_history, append_action_listen)

    get_or_create_tracker.delegates = True  # type: ignore[attr-defined]
    FailSafeTrackerStore.get_or_create_tracker = get_or_create_tracker


def _sqlite_wal(connection: Any, _record: Any) -> None:
    """WAL with synchronous=NORMAL: no fsync per commit, still safe when the process dies."""
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()
