"""Rasa's Redis lock store, with tickets that lapse soon after the server holding them dies.

Several Rasa replicas share one Redis lock store (deploy/endpoints.yml, `make cluster-up`).
Rasa gives each ticket its whole lifetime up front (TICKET_LOCK_LIFETIME: every action of a turn
at its time limit, rasa_addons/turn_limits.py, 130 s), so a replica killed mid-turn left its
conversations locked for two minutes, though another replica could answer them at once.

Here a ticket is issued for `LEASE_SECONDS` and the process that waits for it or holds it
extends it every third of that, never past the lock lifetime Rasa asked for: a turn that hangs
still loses the lock when it always did, a dead replica's tickets lapse within the lease.
Everything else (the ticket queue, the waiting, the clean-up) is Rasa's own.
"""
from __future__ import annotations

import asyncio
import contextlib
import json
import time
from collections.abc import AsyncGenerator
from typing import Any

import redis
from rasa.core import lock_store as rasa_lock_store
from rasa.core.lock import TicketLock
from rasa.core.lock_store import RedisLockStore
from rasa.utils.endpoints import EndpointConfig

LEASE_SECONDS = 10.0
# How often a waiting turn looks whether its ticket is served (Rasa's own: 1 s).
WAIT_SECONDS = 0.25


class LeasedRedisLockStore(RedisLockStore):
    """`RedisLockStore` (same keys, `key_prefix` and tickets) with renewed short leases."""

    def __init__(self, endpoint_config: EndpointConfig | None = None, **kwargs: Any) -> None:
        if endpoint_config is not None:  # Rasa creates custom lock stores from endpoints.yml
            kwargs = {"host": endpoint_config.url or "localhost", **endpoint_config.kwargs}
        super().__init__(**kwargs)

    @contextlib.asynccontextmanager
    async def lock(self, conversation_id: str, lock_lifetime: float | None = None,
                   wait_time_in_seconds: float = WAIT_SECONDS) -> AsyncGenerator[TicketLock, None]:
        """Rasa's `lock`, the ticket kept alive by this process up to `lock_lifetime`."""
        deadline = time.time() + (lock_lifetime or rasa_lock_store.LOCK_LIFETIME)
        ticket = self.issue_ticket(conversation_id, min(LEASE_SECONDS, deadline - time.time()))
        renewal = asyncio.ensure_future(self._keep_alive(conversation_id, ticket, deadline))
        try:
            yield await self._acquire_lock(conversation_id, ticket, wait_time_in_seconds)
        finally:
            renewal.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await renewal
            self.cleanup(conversation_id, ticket)

    async def _keep_alive(self, conversation_id: str, ticket: int, deadline: float) -> None:
        while time.time() < deadline:
            await asyncio.sleep(LEASE_SECONDS / 3)
            self.extend(conversation_id, ticket, min(time.time() + LEASE_SECONDS, deadline))

    def extend(self, conversation_id: str, ticket: int, expires: float) -> bool:
        """Move the ticket's expiry to `expires` (atomically: WATCH/MULTI); return whether it
        was still there to extend."""
        key = self.key_prefix + conversation_id
        with self.red.pipeline() as pipe:
            while True:
                try:
                    pipe.watch(key)
                    serialised = pipe.get(key)
                    lock = TicketLock.from_dict(json.loads(serialised)) if serialised else None
                    mine = [t for t in lock.tickets if t.number == ticket] if lock else []
                    if lock is None or not mine or mine[0].has_expired():
                        pipe.unwatch()
                        return False
                    mine[0].expires = max(mine[0].expires, expires)
                    pipe.multi()
                    pipe.set(key, lock.dumps())
                    pipe.execute()
                    return True
                except redis.WatchError:
                    continue  # another process changed the lock meanwhile: read it again
