"""Builds the PTB Application for the front end; running it is `bot.runner`'s job.

`build_application(settings)` is what tests use too, pointed at a fake Bot API through
TELEGRAM_API_BASE_URL. It has no PTB Updater: bot.runner receives updates itself, so
that an update is stored in the inbox before Telegram is told it arrived.
"""
from __future__ import annotations

import asyncio
import logging
from typing import Any
from collections.abc import Awaitable

from telegram import BotCommand, LinkPreviewOptions, Update
from telegram.error import TelegramError
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    BaseUpdateProcessor,
    Defaults,
)

from bot.config import Settings
from bot.handlers import chat_id_of, register
from bot.no_inbox import NoInbox, open_inbox
from bot.rasa_client import RasaClient
from bot.redaction import install_secret_redaction
from bot.state import CONTEXT_TYPES, Deliveries
from bot.texts import command_descriptions

logger = logging.getLogger(__name__)

# Telegram's command menu, in English and for apps set to Chinese (bot/texts.py describes them).
COMMANDS = [BotCommand(name, description) for name, description in command_descriptions("en")]
COMMANDS_ZH = [BotCommand(name, description) for name, description in command_descriptions("zh")]
# Telegram's 429 "retry after N" is retried by bot.delivery (resuming at the failed part);
# the rate limiter only spaces requests out.
RATE_LIMIT_RETRIES = 0
# Updates accepted before new ones wait (including those waiting for their chat's turn).
MAX_UPDATES_IN_FLIGHT = 4096
# Updates actually being handled at once (each holds a Rasa request).
MAX_UPDATES_ACTIVE = 256


class PerChatUpdateProcessor(BaseUpdateProcessor):
    """Handle updates of different chats concurrently, and those of one chat in arrival order.

    PTB starts one task per update, in arrival order; each task queues behind the previous
    update of its chat before doing anything that can suspend, so order within a chat is
    the order Telegram delivered, while other chats proceed. With `deliveries`, each update
    is started (counted: one that keeps crashing the process is failed) and finished there.
    """

    def __init__(self, deliveries: Deliveries | None = None, max_active: int = MAX_UPDATES_ACTIVE) -> None:
        # The base semaphore only bounds memory: it must never be what makes a task wait
        # before it has taken its place in its chat's queue.
        super().__init__(MAX_UPDATES_IN_FLIGHT)
        self._max_active = max_active
        self._deliveries = deliveries
        self._active: asyncio.Semaphore | None = None
        self._tails: dict[int, asyncio.Future[None]] = {}

    async def initialize(self) -> None:
        """Create the concurrency limit in the running loop."""
        self._active = asyncio.Semaphore(self._max_active)

    async def shutdown(self) -> None:
        """Forget the per-chat queues."""
        self._tails.clear()

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        """Wait for the chat's previous update to finish, then handle this one."""
        if self._active is None:
            self._active = asyncio.Semaphore(self._max_active)
        key = chat_id_of(update) if isinstance(update, Update) else None
        previous = self._tails.get(key) if key is not None else None
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        if key is not None:
            self._tails[key] = done
        started = False
        try:
            if previous is not None:
                # asyncio.wait, not await: cancelling us must not cancel the other update's future.
                await asyncio.wait({previous})
            async with self._active:
                started = True
                await self._handle(update, coroutine)
        finally:
            if not started and asyncio.iscoroutine(coroutine):
                coroutine.close()
            done.set_result(None)
            if key is not None and self._tails.get(key) is done:
                del self._tails[key]


    async def _handle(self, update: object, coroutine: Awaitable[Any]) -> None:
        deliveries = self._deliveries
        if deliveries is None or not isinstance(update, Update):
            await coroutine
            return
        update_id = update.update_id
        if not await deliveries.start(update_id):
            if asyncio.iscoroutine(coroutine):
                coroutine.close()
            return
        try:
            # Handler errors are caught by PTB; those that matter reached `deliveries`
            # already (bot.handlers.reporting_failures).
            await coroutine
        except BaseException:
            deliveries.release(update_id)  # cancelled: left pending, queued again later
            raise
        await deliveries.finish(update_id)


def api_base_urls(root: str) -> dict[str, str]:
    """Return PTB's base_url and base_file_url for a Bot API server root (http://host:8081)."""
    root = root.rstrip("/")
    if root.endswith("/bot"):  # also accept PTB's own form, ".../bot"
        root = root[: -len("/bot")]
    return {"base_url": f"{root}/bot", "base_file_url": f"{root}/file/bot"}


async def _post_init(application: Application) -> None:
    """Register the command menu and say whether Rasa answers."""
    try:
        await application.bot.set_my_commands(COMMANDS)
        await application.bot.set_my_commands(COMMANDS_ZH, language_code="zh")
    except TelegramError as error:
        logger.warning("Could not register the command menu: %s", error)
    rasa = application.bot_data.rasa
    if await rasa.is_up():
        logger.info("Rasa answers at %s.", rasa.base_url)
    else:
        logger.warning(
            "Rasa does not answer at %s yet; users get the 12348 fallback until it does.",
            rasa.base_url,
        )


async def _post_shutdown(application: Application) -> None:
    """Close the connection pool to Rasa and the inbox's connections."""
    await application.bot_data.rasa.aclose()
    application.bot_data.inbox.close()


def build_application(settings: Settings) -> Application:
    """Return the configured Application (handlers, rate limiter, per-chat order); do not run it."""
    install_secret_redaction(settings.secrets)
    # httpx logs every request URL at INFO, and Bot API URLs contain the token.
    logging.getLogger("httpx").setLevel(logging.WARNING)

    inbox = open_inbox(settings.inbox_database_url)
    if isinstance(inbox, NoInbox):
        logger.warning("INBOX_DATABASE_URL=none: no inbox; a crash loses unanswered messages "
                       "(for benchmarks only).")
    deliveries = Deliveries(inbox)
    builder = (
        ApplicationBuilder()
        .token(settings.telegram_token)
        .context_types(CONTEXT_TYPES)
        .updater(None)  # bot.runner receives updates (inbox first)
        .rate_limiter(AIORateLimiter(max_retries=RATE_LIMIT_RETRIES))
        .concurrent_updates(PerChatUpdateProcessor(deliveries))
        .job_queue(None)  # no scheduled jobs
        .defaults(Defaults(link_preview_options=LinkPreviewOptions(is_disabled=True)))
        .post_init(_post_init)
        .post_shutdown(_post_shutdown)
    )
    if settings.telegram_api_base_url:
        urls = api_base_urls(settings.telegram_api_base_url)
        builder = builder.base_url(urls["base_url"]).base_file_url(urls["base_file_url"])
    application = builder.build()
    rasa = RasaClient(
        settings.rasa_url,
        timeout_seconds=settings.rasa_timeout_seconds,
        channel_secret=settings.rasa_channel_secret,
        privacy_token=settings.rasa_privacy_token,
        patience_seconds=settings.rasa_patience_seconds,
    )
    application.bot_data.attach(settings, rasa, inbox, deliveries)
    register(application)
    return application
