"""The bot's per-process state, with one owner for each piece.

`BotData` is PTB's typed bot_data (`ContextTypes(bot_data=BotData)`, as in PTB's
contexttypesbot example): handlers read `context.bot_data.<field>`. `Deliveries` alone keeps
the delivery bookkeeping of an update: received → started → finished, or retried later.
"""
from __future__ import annotations

import asyncio
import logging
from typing import Any

from telegram.ext import CallbackContext, ContextTypes, ExtBot

from bot.config import Settings
from bot.delivery import ChatPace, run_in_thread
from bot.inbox import MAX_PROCESSING_ATTEMPTS, Inbox
from bot.no_inbox import NoInbox
from bot.shared_inbox import SharedInbox
from bot.rasa_client import RasaClient

logger = logging.getLogger(__name__)


class Deliveries:
    """Receives, starts, finishes and retries updates; the only writer of the in-flight set.

    An id is in flight from `receive` (or `requeue`) until its handling ends. A pending inbox
    row that is not in flight was orphaned (an inbox error, a failed finish), and
    `orphans()` lists it so bot.runner can hand it over again.
    """

    def __init__(self, inbox: Inbox | NoInbox) -> None:
        self._inbox = inbox
        self._in_flight: set[int] = set()
        # Ids whose handling hit an inbox error in the current attempt: left pending.
        self._retry: set[int] = set()
        # A shared inbox (bot/shared_inbox.py): updates are handled once claimed, not when received.
        self._shared_inbox = inbox if isinstance(inbox, SharedInbox) else None
        self.shared = self._shared_inbox is not None
        # Set when an update was stored or finished here: there may be one to claim.
        self.changed = asyncio.Event()

    def in_flight(self, update_id: int) -> bool:
        """Return whether the update is queued or being handled in this process."""
        return update_id in self._in_flight

    async def receive(self, update_id: int, chat_key: str | None, payload: dict[str, Any]) -> bool:
        """Store the update (raises if the store fails); return True if it is new and now in
        flight (in a shared inbox: new, and to be claimed)."""
        return (await self.receive_many([(update_id, chat_key, payload)]))[0]

    async def receive_many(self, items: list[tuple[int, str | None, dict[str, Any]]]) -> list[bool]:
        """Store updates (id, chat key, JSON) in one transaction (raises if the store fails);
        return for each whether it is new and now in flight (shared inbox: to be claimed)."""
        if self.shared:
            stored = await run_in_thread(self._inbox.receive_many, items)
            self.changed.set()
            return list(stored)
        ids = [update_id for update_id, _, _ in items]
        held = {update_id for update_id in ids if update_id in self._in_flight}
        # In flight before the commit: the periodic re-queue must not see them pending and free.
        self._in_flight.update(ids)
        try:
            stored = await run_in_thread(self._inbox.receive_many, items)
        except BaseException:
            self._in_flight.difference_update(set(ids) - held)
            raise
        for update_id, new in zip(ids, stored, strict=True):
            if not new and update_id not in held:
                self._in_flight.discard(update_id)
        return list(stored)

    async def orphans(self) -> list[tuple[int, dict[str, Any]]]:
        """Return the pending stored updates nothing here handles, oldest first."""
        return [(update_id, payload) for update_id, payload in await run_in_thread(self._inbox.pending)
                if update_id not in self._in_flight]

    async def claim(self, limit: int) -> list[tuple[int, dict[str, Any]]]:
        """Claim stored updates of a shared inbox (up to `limit` in flight here); they are in
        flight from now on."""
        if self._shared_inbox is None:
            return []
        claimed = await run_in_thread(self._shared_inbox.claim, limit - len(self._in_flight))
        self._in_flight.update(update_id for update_id, _ in claimed)
        return claimed

    async def renew(self) -> int:
        """Extend the claims on the updates in flight here (a shared inbox); return how many."""
        if self._shared_inbox is None:
            return 0
        return int(await run_in_thread(self._shared_inbox.renew, sorted(self._in_flight)))

    def requeue(self, update_id: int) -> None:
        """Note that an orphaned update was queued again."""
        self._in_flight.add(update_id)

    async def start(self, update_id: int) -> bool:
        """Count an attempt; return True if the update should be handled now.

        On an inbox error the update is released (left pending, queued again later) and
        False returned: nothing of this attempt stays behind to spoil the next one.
        """
        self._retry.discard(update_id)
        try:
            attempts = await run_in_thread(self._inbox.start_attempt, update_id)
            if attempts > MAX_PROCESSING_ATTEMPTS:
                logger.error("Update %s: started %d times without finishing; marked failed.",
                             update_id, attempts - 1)
                await run_in_thread(self._inbox.fail, update_id, "processing kept crashing")
        except Exception as error:  # noqa: BLE001 (the inbox; the update stays pending)
            logger.error("Update %s: the inbox failed at its start (%s); it will be handled again.",
                         update_id, type(error).__name__)
            self.release(update_id)
            return False
        if attempts == 0 or attempts > MAX_PROCESSING_ATTEMPTS:
            # 0: finished already (queued twice): never handle an update again
            self.release(update_id)
            return False
        return True

    def retry(self, update_id: int) -> None:
        """A handler's inbox call failed: leave the update pending, to be handled again later."""
        if update_id in self._in_flight:
            logger.error("Update %s: the inbox failed; it will be handled again.", update_id)
            self._retry.add(update_id)

    async def fail(self, update_id: int, reason: str) -> None:
        """Mark the update failed for good (`reason` is log-safe)."""
        logger.error("Update %s: marked failed (%s).", update_id, reason)
        try:
            await run_in_thread(self._inbox.fail, update_id, reason)
        except Exception as error:  # noqa: BLE001 (left pending: handled again, its reply resumed)
            logger.error("Update %s: could not be marked failed (%s).", update_id, type(error).__name__)

    async def finish(self, update_id: int) -> None:
        """Mark the update done, unless its handling asked to be retried; release it."""
        try:
            if update_id not in self._retry:
                await run_in_thread(self._inbox.finish, update_id)
        except Exception as error:  # noqa: BLE001 (left pending: handled again, its reply resumed)
            logger.error("Update %s: could not be marked done (%s); it will be handled again.",
                         update_id, type(error).__name__)
        finally:
            self.release(update_id)

    def release(self, update_id: int) -> None:
        """Forget the update here (its handling ended or was abandoned)."""
        self._retry.discard(update_id)
        self._in_flight.discard(update_id)
        self.changed.set()  # the chat's next update may be claimed now


class BotData:
    """What the handlers share; PTB creates it empty, `attach` fills it (bot.app)."""

    settings: Settings
    rasa: RasaClient
    inbox: Inbox | NoInbox
    deliveries: Deliveries

    def __init__(self) -> None:
        # Set by bot.runner while running: setting it stops receiving and shuts down.
        self.stop: asyncio.Event | None = None
        # Each chat's replies at Telegram's pace, so one chat cannot crowd out the others.
        self.chat_pace = ChatPace()
        self.fatal_error: str | None = None

    def attach(self, settings: Settings, rasa: RasaClient, inbox: Inbox | NoInbox,
               deliveries: Deliveries) -> None:
        """Give the bot its settings, Rasa client, inbox and the inbox's bookkeeping."""
        self.settings, self.rasa, self.inbox, self.deliveries = settings, rasa, inbox, deliveries

    def stop_fatally(self, reason: str) -> None:
        """Stop receiving and shut down; the process exits with 1."""
        self.fatal_error = reason
        if self.stop is not None:
            self.stop.set()


Context = CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], BotData]
CONTEXT_TYPES = ContextTypes(bot_data=BotData)
