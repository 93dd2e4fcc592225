"""Running the front end: updates go into the inbox first, then to the handlers.

PTB's Updater confirms an update to Telegram (the next getUpdates offset) before the bot
has stored it, and its webhook answers 200 before anything is done, so a crash loses
updates. Here:

- polling calls `Bot.get_updates` itself and moves the offset past an update only after
  the inbox committed it;
- the webhook answers 200 only after the commit, 500 if it failed (Telegram redelivers);
- on start-up the unfinished updates of the inbox are handled first, in order.

`serve(application)` does all of it until `stop` is set; `running(application)` is the same
as an async context manager for tests.
"""
from __future__ import annotations

import asyncio
import contextlib
import hmac
import json
import logging
import warnings
from collections.abc import AsyncIterator, Awaitable
from typing import TypeVar
from urllib.parse import urlsplit

from aiohttp import web
from telegram import Update
from telegram.error import Conflict, InvalidToken, NetworkError, RetryAfter, TelegramError
from telegram.ext import Application
from telegram.warnings import PTBUserWarning

from bot.delivery import run_in_thread, seconds_of
from bot.handlers import chat_key_of
from bot.shared_inbox import RENEW_INTERVAL_SECONDS
from bot.state import BotData

logger = logging.getLogger(__name__)
T = TypeVar("T")

# Only what the handlers use (privacy: no member lists, no inline queries, no polls).
ALLOWED_UPDATES = [Update.MESSAGE, Update.EDITED_MESSAGE, Update.CALLBACK_QUERY]
POLL_TIMEOUT_SECONDS = 10
# After this many failed batches in a row, check whether one update cannot be parsed at all.
UNREADABLE_AFTER_FAILURES = 3
# How often unfinished updates that nothing handles are queued again (see Intake).
REQUEUE_INTERVAL_SECONDS = 60.0
MAX_POLL_BACKOFF_SECONDS = 30.0
PURGE_INTERVAL_SECONDS = 3600.0
# A shared inbox (bot/shared_inbox.py): updates one receiver handles at once (the rest are left
# to the others), and how often it looks for updates to claim when nothing happened here.
MAX_CLAIMED_UPDATES = 64
CLAIM_POLL_SECONDS = 0.5
# Telegram's updates are a few KB; anything far larger is not from Telegram.
MAX_WEBHOOK_BODY_BYTES = 1024 * 1024
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"  # nosec B105  # a header name


class Intake:
    """Stores an incoming update in the inbox (through `Deliveries`), then hands it to the
    application; also hands over again the stored updates that nothing here handles."""

    def __init__(self, application: Application) -> None:
        self.application = application
        self.data: BotData = application.bot_data

    async def accept(self, update: Update) -> bool:
        """Store `update` (raises if the store fails); queue it if new; return True if new."""
        return (await self.accept_many([update]))[0]

    async def accept_many(self, batch: list[Update]) -> list[bool]:
        """Store a batch of updates in one transaction (raises if the store fails), then queue
        the new ones in order; return for each whether it was new. One commit per batch: a chat
        sending a thousand messages is taken in within a few commits, not a thousand, so the
        other chats' messages behind it in Telegram's queue are not held up."""
        deliveries = self.data.deliveries
        new = await deliveries.receive_many(
            [(u.update_id, chat_key_of(self.data.settings, u), u.to_dict()) for u in batch])
        for update, is_new in zip(batch, new, strict=True):
            if not is_new:
                logger.info("Update %s was delivered again; it is stored already.", update.update_id)
            elif not deliveries.shared:  # a shared inbox's updates are claimed first
                await self.application.update_queue.put(update)
        return new

    async def requeue_pending(self) -> int:
        """Queue the inbox's unfinished updates that nothing here is handling, oldest first
        (in a shared inbox: those this receiver could claim)."""
        deliveries = self.data.deliveries
        if deliveries.shared:
            pending = await deliveries.claim(MAX_CLAIMED_UPDATES)
        else:
            pending = await deliveries.orphans()
        for update_id, payload in pending:
            try:
                update = Update.de_json(payload, self.application.bot)
            except Exception as error:  # noqa: BLE001 (a row this version cannot read)
                logger.error("Stored update %s cannot be read (%s); marked failed.",
                             update_id, type(error).__name__)
                await deliveries.fail(update_id, "unreadable stored update")
                deliveries.release(update_id)  # claimed (shared inbox): no longer handled here
                continue
            deliveries.requeue(update_id)
            await self.application.update_queue.put(update)
        if pending and not deliveries.shared:
            logger.info("Queued %d unfinished update(s) from the inbox (oldest %s).",
                        len(pending), pending[0][0])
        return len(pending)

    async def skip_if_unreadable(self, offset: int | None) -> int | None:
        """If the next update cannot be parsed, record it as failed; return the offset past it.

        PTB's get_updates fails for the whole batch when one update cannot be parsed, and
        Telegram would send the same batch forever.
        """
        bot = self.application.bot
        with warnings.catch_warnings():
            # PTB suggests Bot.get_updates, but that parses the update, which is what fails here.
            warnings.simplefilter("ignore", PTBUserWarning)
            raw = await bot.do_api_request(
                "getUpdates", api_kwargs={"offset": offset or 0, "limit": 1, "timeout": 0})
        if not raw:
            return None
        item = raw[0]
        try:
            Update.de_json(item, bot)
            return None  # it parses: the failure was elsewhere (the inbox), keep retrying
        except Exception as error:  # noqa: BLE001
            update_id = int(item["update_id"])
            logger.error("Update %s cannot be read (%s); recorded as failed and skipped.",
                         update_id, type(error).__name__)
            await run_in_thread(self.data.inbox.record_unreadable, update_id)
            return update_id + 1


async def poll(intake: Intake, stop: asyncio.Event) -> None:
    """Long-poll getUpdates until `stop`; confirm an update only once it is stored.

    The offset is the last batch's highest id + 1 while it must confirm a batch, and none
    otherwise (at start-up too): Telegram then sends every unconfirmed update, whatever its
    id. A stored maximum would lose updates when Telegram numbers them anew below it (after a
    week without updates); redeliveries of stored updates are no-ops in the inbox.
    """
    bot = intake.application.bot
    offset: int | None = None
    failures = 0
    while not stop.is_set():
        try:
            updates = await _unless_stopped(stop, bot.get_updates(
                offset=offset, timeout=POLL_TIMEOUT_SECONDS, allowed_updates=ALLOWED_UPDATES,
                read_timeout=POLL_TIMEOUT_SECONDS + 10,
            ))
            if updates is None:
                return
            # An empty answer to a call with an offset has confirmed the batch before it.
            offset = None
            if updates:
                await intake.accept_many(list(updates))
                offset = updates[-1].update_id + 1
            failures = 0
        except (Conflict, InvalidToken):
            raise
        except RetryAfter as error:
            await _wait(stop, seconds_of(error.retry_after))
        except NetworkError as error:
            failures += 1
            delay = min(MAX_POLL_BACKOFF_SECONDS, 0.5 * 2 ** failures)
            logger.warning("getUpdates failed (%s); retrying in %.1f s.", type(error).__name__, delay)
            await _wait(stop, delay)
        except TelegramError as error:
            failures += 1
            logger.error("getUpdates failed: %s; retrying.", error)
            await _wait(stop, min(MAX_POLL_BACKOFF_SECONDS, 0.5 * 2 ** failures))
        except Exception as error:  # storing (or parsing) failed: do not confirm the update
            failures += 1
            delay = min(MAX_POLL_BACKOFF_SECONDS, 0.5 * 2 ** failures)
            logger.error("Could not store an update (%s); not confirming it; retrying in %.1f s.",
                         type(error).__name__, delay)
            if failures >= UNREADABLE_AFTER_FAILURES:
                with contextlib.suppress(Exception):
                    offset = await intake.skip_if_unreadable(offset) or offset
            await _wait(stop, delay)


async def _unless_stopped(stop: asyncio.Event, request: Awaitable[T]) -> T | None:
    """Await `request`, or cancel it and return None once `stop` is set.

    Cancelling a long poll loses nothing: its updates were not confirmed, so Telegram
    delivers them again to the next getUpdates.
    """
    fetch = asyncio.ensure_future(request)
    stopped = asyncio.ensure_future(stop.wait())
    await asyncio.wait({fetch, stopped}, return_when=asyncio.FIRST_COMPLETED)
    stopped.cancel()
    if fetch.done():
        return fetch.result()
    fetch.cancel()
    with contextlib.suppress(asyncio.CancelledError, Exception):
        await fetch
    return None


async def _wait(stop: asyncio.Event, seconds: float) -> None:
    with contextlib.suppress(asyncio.TimeoutError):
        await asyncio.wait_for(stop.wait(), seconds)


def webhook_app(intake: Intake, path: str, secret: str) -> web.Application:
    """Return the aiohttp app that receives Telegram's webhook POSTs on `path`."""
    expected = secret.encode()

    async def receive(request: web.Request) -> web.Response:
        if not hmac.compare_digest(request.headers.get(SECRET_HEADER, "").encode(), expected):
            return web.Response(status=403)
        try:
            data = json.loads(await request.read())
        except ValueError:
            return web.Response(status=400)
        try:
            update = Update.de_json(data, intake.application.bot)
        except Exception as error:  # noqa: BLE001 (Telegram would redeliver it forever)
            update_id = data.get("update_id") if isinstance(data, dict) else None
            if not isinstance(update_id, int):
                return web.Response(status=400)
            logger.error("Update %s cannot be read (%s); recorded as failed and skipped.",
                         update_id, type(error).__name__)
            await run_in_thread(intake.data.inbox.record_unreadable, update_id)
            return web.Response(status=200)
        if update is None:
            return web.Response(status=400)
        try:
            await intake.accept(update)
        except Exception as error:  # not stored: a non-2xx makes Telegram deliver it again
            logger.error("Could not store update %s (%s); asking Telegram to redeliver.",
                         update.update_id, type(error).__name__)
            return web.Response(status=500)
        return web.Response(status=200)

    app = web.Application(client_max_size=MAX_WEBHOOK_BODY_BYTES)
    app.router.add_post("/" + path.lstrip("/"), receive)
    return app


async def _requeue_periodically(intake: Intake, stop: asyncio.Event) -> None:
    while not stop.is_set():
        await _wait(stop, REQUEUE_INTERVAL_SECONDS)
        if stop.is_set():
            return
        try:
            await intake.requeue_pending()
        except Exception as error:  # noqa: BLE001 (retried at the next interval)
            logger.warning("Re-queueing unfinished updates failed (%s).", type(error).__name__)


async def _claim_continuously(intake: Intake, stop: asyncio.Event) -> None:
    """Claim a shared inbox's updates whenever one was stored or finished here, and every
    CLAIM_POLL_SECONDS (those of other receivers, lapsed claims)."""
    deliveries = intake.data.deliveries
    while not stop.is_set():
        with contextlib.suppress(asyncio.TimeoutError):
            await asyncio.wait_for(deliveries.changed.wait(), CLAIM_POLL_SECONDS)
        deliveries.changed.clear()
        if stop.is_set():
            return
        try:
            await intake.requeue_pending()
        except Exception as error:  # noqa: BLE001 (the database; tried again on the next round)
            logger.warning("Claiming updates failed (%s).", type(error).__name__)
            await _wait(stop, CLAIM_POLL_SECONDS)


async def _renew_claims(data: BotData) -> None:
    """Keep this receiver's claims alive until cancelled, which is after its last update finished
    (also while it drains its queue on shutdown: a lapsed claim would be handled twice)."""
    while True:
        await asyncio.sleep(RENEW_INTERVAL_SECONDS)
        try:
            await data.deliveries.renew()
        except Exception as error:  # noqa: BLE001 (the database; tried again at the next interval)
            logger.warning("Renewing claims failed (%s).", type(error).__name__)


async def _purge_periodically(data: BotData, stop: asyncio.Event) -> None:
    retention = data.settings.inbox_retention_seconds
    # A chat's language is kept exactly as long as Rasa keeps its conversation.
    chat_retention = data.settings.conversation_retention_days * 86400
    while not stop.is_set():
        try:
            deleted = await run_in_thread(data.inbox.purge, retention, chat_retention)
            if deleted:
                logger.info("Deleted %d finished inbox row(s) older than %.0f h.", deleted, retention / 3600)
        except Exception as error:  # noqa: BLE001 (retried at the next interval)
            logger.warning("Inbox purge failed (%s).", type(error).__name__)
        await _wait(stop, PURGE_INTERVAL_SECONDS)


@contextlib.asynccontextmanager
async def running(application: Application) -> AsyncIterator[asyncio.Event]:
    """Run the application (polling or webhook, per its settings) inside the block.

    Yields the stop event: setting it (or leaving the block) stops receiving, lets the
    queued updates finish, and shuts down.
    """
    services: BotData = application.bot_data
    settings = services.settings
    stop = asyncio.Event()
    intake = Intake(application)
    runner: web.AppRunner | None = None
    async with application:
        if application.post_init is not None:
            await application.post_init(application)
        await application.start()
        services.stop = stop
        await intake.requeue_pending()
        renewing = asyncio.create_task(_renew_claims(services)) if services.deliveries.shared else None
        background = [asyncio.create_task(_purge_periodically(services, stop)),
                      asyncio.create_task(_claim_continuously(intake, stop) if services.deliveries.shared
                                          else _requeue_periodically(intake, stop))]
        try:
            if settings.use_webhook:
                # Settings.from_env refuses a webhook URL without a secret.
                runner = web.AppRunner(webhook_app(intake, urlsplit(settings.webhook_url or "").path,
                                                   settings.webhook_secret or ""), access_log=None)
                await runner.setup()
                await web.TCPSite(runner, settings.webhook_listen, settings.webhook_port).start()
                await application.bot.set_webhook(
                    url=settings.webhook_url, secret_token=settings.webhook_secret,
                    allowed_updates=ALLOWED_UPDATES, drop_pending_updates=False,
                    # One delivery at a time: with parallel POSTs two messages of one chat
                    # could be stored, and answered, in the wrong order.
                    max_connections=1,
                )
            else:
                await application.bot.delete_webhook(drop_pending_updates=False)
                background.append(asyncio.create_task(_poll_until_fatal(intake, stop)))
            yield stop
        finally:
            stop.set()
            if runner is not None:
                await runner.cleanup()  # no new updates, then finish the queued ones
            await asyncio.gather(*background, return_exceptions=True)
            await application.stop()
            if renewing is not None:
                renewing.cancel()
                await asyncio.gather(renewing, return_exceptions=True)
            if application.post_shutdown is not None:
                await application.post_shutdown(application)


async def _poll_until_fatal(intake: Intake, stop: asyncio.Event) -> None:
    try:
        await poll(intake, stop)
    except Conflict as error:
        logger.error("Another process is receiving updates for this bot token (%s). Stopping; "
                     "run one poller only, or use a webhook.", error)
        intake.data.stop_fatally("conflict")
    except InvalidToken:
        logger.error("Telegram rejected the bot token while polling. Stopping.")
        intake.data.stop_fatally("invalid token")


async def serve(application: Application, stop_signal: asyncio.Event) -> None:
    """Run until `stop_signal` is set or a fatal error stops receiving."""
    async with running(application) as stop:
        waiters = [asyncio.create_task(stop_signal.wait()), asyncio.create_task(stop.wait())]
        await asyncio.wait(waiters, return_when=asyncio.FIRST_COMPLETED)
        for waiter in waiters:
            waiter.cancel()
