"""Runs the Telegram front end: `python -m bot` (long polling, or a webhook if configured).

Exit codes: 0 after a normal stop, 1 if Telegram cannot be reached or another instance
polls with the same token, 2 for a configuration error (including a token Telegram rejects).
"""
from __future__ import annotations

import asyncio
import logging
import os
import sys

from telegram.error import InvalidToken, NetworkError

from bot.app import build_application, polling_options, webhook_options
from bot.config import ConfigError, Settings
from bot.handlers import SERVICES_KEY
from bot.redaction import REDACTION_FILTER

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


def main() -> int:
    """Run the bot until SIGINT/SIGTERM; return the process exit code."""
    _configure_logging()
    # Opt in to PTB's future timedelta time periods; otherwise every Telegram 429 makes PTB
    # construct RetryAfter with a deprecation warning about its own int attribute.
    os.environ.setdefault("PTB_TIMEDELTA", "true")
    try:
        settings = Settings.from_env()
    except ConfigError as error:
        print(f"Configuration error: {error}", file=sys.stderr)
        return 2
    application = build_application(settings)

    # Check the token ourselves (getMe) so a rejected token is one clear line, not a traceback.
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    try:
        loop.run_until_complete(application.bot.initialize())
    except (InvalidToken, NetworkError) as error:
        loop.run_until_complete(application.bot.shutdown())
        loop.close()
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
    if settings.use_webhook:
        application.run_webhook(**webhook_options(settings))
    else:
        application.run_polling(**polling_options())
    return 1 if application.bot_data[SERVICES_KEY].fatal_error else 0


if __name__ == "__main__":
    sys.exit(main())
