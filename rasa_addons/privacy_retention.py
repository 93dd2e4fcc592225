"""Erasing and expiring conversations in Rasa's tracker stores (/forget and retention).

Rasa Open Source has no call that deletes a tracker (rasa#10719). The agent wraps the
configured store (FailSafe -> Awaitable -> real store), and the FailSafe wrapper keeps an
in-memory fallback that holds conversations written while the real store was down: both
are erased.
"""
from __future__ import annotations

import asyncio
import time
from typing import Any

import sqlalchemy as sa
from rasa.core.tracker_store import InMemoryTrackerStore, SQLTrackerStore

def concrete_stores(store: Any) -> list[Any]:
    """Return every store behind the agent's wrappers, the in-memory fallback included."""
    found: list[Any] = []
    pending = [store]
    while pending:
        current = pending.pop()
        if current is None:
            continue
        if hasattr(current, "_tracker_store") or hasattr(current, "_fallback_tracker_store"):
            pending.append(getattr(current, "_tracker_store", None))
            pending.append(getattr(current, "_fallback_tracker_store", None))
        else:
            found.append(current)
    return found


def erase_conversation(store: Any, sender_id: str) -> int:
    """Delete every stored event of `sender_id` in every store; return how many were deleted."""
    deleted = 0
    for concrete in concrete_stores(store):
        if isinstance(concrete, InMemoryTrackerStore):
            serialised = concrete.store.pop(sender_id, None)
            if serialised is not None:
                tracker = concrete.deserialise_tracker(sender_id, serialised)
                deleted += len(tracker.events) if tracker else 1
        elif isinstance(concrete, SQLTrackerStore):
            with concrete.session_scope() as session:
                result = session.execute(
                    sa.delete(concrete.SQLEvent).where(concrete.SQLEvent.sender_id == sender_id)
                )
                session.commit()
                deleted += int(result.rowcount or 0)
            if hasattr(concrete, "evict"):  # rasa_addons/tracker_store.py keeps it in memory too
                concrete.evict(sender_id)
        else:
            raise NotImplementedError(
                f"Erasing conversations is not supported for {type(concrete).__name__}."
            )
    return deleted


async def erase_under_lock(lock_store: Any, tracker_store: Any, sender_id: str) -> int:
    """Erase `sender_id` while holding its conversation lock, so that a turn in flight ends
    first and cannot save the tracker again afterwards; return the events deleted."""
    async with lock_store.lock(sender_id):
        return await asyncio.to_thread(erase_conversation, tracker_store, sender_id)


def _latest_timestamps(store: Any, sender_id: str | None = None) -> dict[str, float]:
    """Return each stored conversation's latest event time (or only `sender_id`'s), over
    every concrete store."""
    latest: dict[str, float] = {}
    for concrete in concrete_stores(store):
        if isinstance(concrete, InMemoryTrackerStore):
            senders = list(concrete.store) if sender_id is None else [sender_id]
            for sender in senders:
                serialised = concrete.store.get(sender)
                if serialised is None:
                    continue
                tracker = concrete.deserialise_tracker(sender, serialised)
                stamp = tracker.events[-1].timestamp if tracker and tracker.events else 0.0
                latest[sender] = max(latest.get(sender, 0.0), stamp)
        elif isinstance(concrete, SQLTrackerStore):
            event = concrete.SQLEvent
            query = sa.select(event.sender_id, sa.func.max(event.timestamp)).group_by(event.sender_id)
            if sender_id is not None:
                query = query.where(event.sender_id == sender_id)
            with concrete.session_scope() as session:
                for sender, stamp in session.execute(query):
                    latest[sender] = max(latest.get(sender, 0.0), stamp or 0.0)
    return latest


async def expire_conversations(lock_store: Any, store: Any, retention_seconds: float,
                               now: float | None = None) -> int:
    """Delete conversations whose latest event is older than the retention; return how many.

    One scan finds the candidates; each one is checked again, alone, and erased under its
    conversation lock, so a turn that started meanwhile neither loses its new events nor
    writes the old ones back (and the job stays linear in the number of conversations).
    """
    cutoff = (now if now is not None else time.time()) - retention_seconds
    stale = [sender for sender, stamp in (await asyncio.to_thread(_latest_timestamps, store)).items()
             if stamp < cutoff]
    expired = 0
    for sender_id in stale:
        async with lock_store.lock(sender_id):
            latest = (await asyncio.to_thread(_latest_timestamps, store, sender_id)).get(sender_id, 0.0)
            if latest < cutoff:
                await asyncio.to_thread(erase_conversation, store, sender_id)
                expired += 1
    return expired
