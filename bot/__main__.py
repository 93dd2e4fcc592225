"""Runs the Telegram front end: `python -m bot` (long polling, or a webhook if configured).

`python -m bot inbox` prints the inbox report instead: pending, failed and done updates and
the age of the oldest pending one (it needs only INBOX_DATABASE_URL, or the default file).

Exit codes: 0 after a normal stop, 1 if Telegram cannot be reached or another instance
polls with the same token, 2 for a configuration error (including a token Telegram rejects).
"""
from __future__ import annotations

import asyncio
import logging
import os
import signal
import sys

from telegram.error import InvalidToken, NetworkError

from assistant import log_privacy
from bot.app import build_application
from bot.config import DEFAULT_STATE_DIRECTORY, ConfigError, Settings
from bot.inbox import Inbox, make_inbox_engine
from bot.redaction import REDACTION_FILTER
from bot.shared_inbox import InboxInUse
from bot.runner import serve

logger = logging.getLogger("bot")


def _configure_logging() -> None:
    logging.basicConfig(
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        level=os.environ.get("LOG_LEVEL", "INFO").upper(),
    )
    # Every request URL contains the bot token; httpx logs them at INFO.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    for handler in logging.getLogger().handlers:
        handler.addFilter(REDACTION_FILTER)
    # PTB logs an update it cannot parse, whole, at CRITICAL: message texts and names.
    log_privacy.install()


def inbox_report() -> int:
    """Print the inbox report; return 0."""
    url = (os.environ.get("INBOX_DATABASE_URL") or "").strip()
    engine = make_inbox_engine(url or f"sqlite:///{DEFAULT_STATE_DIRECTORY / 'bot-inbox.db'}")
    try:
        print("\n".join(Inbox(engine).report().lines()))
    finally:
        engine.dispose()
    return 0


def main(arguments: list[str]) -> int:
    """Run the bot until SIGINT/SIGTERM (or print the inbox report); return the exit code."""
    if arguments[:1] == ["inbox"]:
        return inbox_report()
    if arguments:
        print("usage: python -m bot [inbox]", file=sys.stderr)
        return 2
    _configure_logging()
    # Opt in to PTB's future timedelta time periods; otherwise every Telegram 429 makes PTB
    # construct RetryAfter with a deprecation warning about its own int attribute.
    os.environ.setdefault("PTB_TIMEDELTA", "true")
    try:
        settings = Settings.from_env()
    except ConfigError as error:
        print(f"Configuration error: {error}", file=sys.stderr)
        return 2
    return asyncio.run(_run(settings))


async def _run(settings: Settings) -> int:
    try:
        application = build_application(settings)
    except InboxInUse as error:
        print(f"Configuration error: {error}", file=sys.stderr)
        return 2
    # Check the token ourselves (getMe) so a rejected token is one clear line, not a traceback.
    try:
        await application.bot.initialize()
    except (InvalidToken, NetworkError) as error:
        await application.bot.shutdown()
        application.bot_data.inbox.close()
        if isinstance(error, InvalidToken):
            print(
                "Configuration error: Telegram rejected TELEGRAM_TOKEN (getMe answered "
                "401 Unauthorized / 404). Check the token with @BotFather.",
                file=sys.stderr,
            )
            return 2
        logger.error("Cannot reach the Telegram Bot API: %s", error)
        return 1

    mode = "webhook" if settings.use_webhook else "long polling"
    logger.info(
        "Starting @%s (%s); Rasa at %s; groups %s.",
        application.bot.username, mode, settings.rasa_url,
        "allowed" if settings.allow_groups else "refused",
    )
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signal_number in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signal_number, stop.set)
    await serve(application, stop)
    logger.info("Stopped.")
    return 1 if application.bot_data.fatal_error else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
