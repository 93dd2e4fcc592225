"""The deployment's lock store (rasa_addons/lock_store.py) on the local Redis: a ticket whose
server died lapses within the lease, a live one is kept past it, never past the lock lifetime."""
from __future__ import annotations

import asyncio
import time
import uuid

import pytest

from rasa_addons import lock_store
from rasa_addons.lock_store import LeasedRedisLockStore

LEASE = 0.6


@pytest.fixture
def store(monkeypatch: pytest.MonkeyPatch) -> LeasedRedisLockStore:
    monkeypatch.setattr(lock_store, "LEASE_SECONDS", LEASE)
    return LeasedRedisLockStore(host="127.0.0.1", port=6379, db=2, key_prefix=f"test{uuid.uuid4().hex[:8]}")


async def test_a_dead_servers_ticket_lapses_within_the_lease(store: LeasedRedisLockStore) -> None:
    # A replica took the lock and was SIGKILLed: its ticket is in Redis, nobody renews it.
    store.issue_ticket("c", LEASE)
    started = time.monotonic()
    async with store.lock("c", lock_lifetime=120, wait_time_in_seconds=0.05):
        waited = time.monotonic() - started
    assert 0.3 < waited < LEASE + 0.5
    assert store.get_lock("c") is None  # cleaned up


async def test_a_held_lock_is_renewed_past_the_lease_up_to_its_lifetime(store: LeasedRedisLockStore) -> None:
    order: list[str] = []

    async def first() -> None:
        async with store.lock("c", lock_lifetime=120):
            order.append("first in")
            await asyncio.sleep(4 * LEASE)  # a slow turn, alive: renewed
            order.append("first out")

    async def second() -> None:
        await asyncio.sleep(0.1)
        async with store.lock("c", lock_lifetime=120, wait_time_in_seconds=0.05):
            order.append("second in")

    await asyncio.gather(first(), second())
    assert order == ["first in", "first out", "second in"]


async def test_a_hung_turn_still_loses_the_lock_at_its_lifetime(store: LeasedRedisLockStore) -> None:
    entered: list[float] = []

    async def hung() -> None:
        async with store.lock("c", lock_lifetime=2 * LEASE):
            await asyncio.sleep(6 * LEASE)

    async def next_turn() -> None:
        await asyncio.sleep(0.1)
        started = time.monotonic()
        async with store.lock("c", lock_lifetime=120, wait_time_in_seconds=0.05):
            entered.append(time.monotonic() - started)

    await asyncio.gather(hung(), next_turn())
    assert 2 * LEASE - 0.3 < entered[0] < 2 * LEASE + 0.6
