"""Settings of the Telegram front end, read from the environment by `Settings.from_env()`.

Nothing is read at import time; secrets never appear in `repr()` (and so never in logs).
"""
from __future__ import annotations

import logging
import os
import re
from dataclasses import dataclass, field
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import urlsplit

from assistant.privacy import DEFAULT_RETENTION_DAYS, RETENTION_ENV

logger = logging.getLogger(__name__)

DEFAULT_RASA_URL = "http://127.0.0.1:5005"
DEFAULT_RASA_TIMEOUT_SECONDS = 10.0
DEFAULT_WEBHOOK_LISTEN = "127.0.0.1"
DEFAULT_WEBHOOK_PORT = 8443
PROJECT_ROOT = Path(__file__).resolve().parent.parent
# Where the bot keeps its inbox when INBOX_DATABASE_URL is not set (created on first start).
DEFAULT_STATE_DIRECTORY = PROJECT_ROOT / "state"
DEFAULT_INBOX_RETENTION_HOURS = 24.0
DEFAULT_RASA_PATIENCE_SECONDS = 60.0
# Secrets and HMAC keys: at least 32 bytes, the strength of the HMAC-SHA256 they key.
MIN_SECRET_BYTES = 32

# As issued by @BotFather: "<bot id>:<secret>". It becomes part of every Bot API URL.
_TOKEN_FORMAT = re.compile(r"^\d+:[A-Za-z0-9_-]+$")
# Bot API setWebhook: secret_token is 1-256 characters of A-Z, a-z, 0-9, _ and -.
_WEBHOOK_SECRET_FORMAT = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"", "0", "false", "no", "off"}


class ConfigError(ValueError):
    """The environment does not describe a runnable front end; the message says how to fix it."""


@dataclass(frozen=True)
class Settings:
    """Everything the front end needs to know about its environment."""

    telegram_token: str = field(repr=False)
    sender_id_secret: bytes = field(repr=False)
    rasa_channel_secret: str = field(repr=False)
    rasa_url: str = DEFAULT_RASA_URL
    rasa_timeout_seconds: float = DEFAULT_RASA_TIMEOUT_SECONDS
    # How long a message waits for Rasa to come back (connection refused or dropped)
    # before the user gets the 12348 fallback; resending is safe (the channel deduplicates).
    rasa_patience_seconds: float = DEFAULT_RASA_PATIENCE_SECONDS
    rasa_privacy_token: str = field(default="", repr=False)
    telegram_api_base_url: str | None = None
    inbox_database_url: str = field(
        default=f"sqlite:///{DEFAULT_STATE_DIRECTORY / 'bot-inbox.db'}", repr=False
    )
    inbox_retention_seconds: float = DEFAULT_INBOX_RETENTION_HOURS * 3600
    # Rasa deletes conversations silent this long (rasa_addons/privacy_channel.py reads the
    # same CONVERSATION_RETENTION_DAYS); /start tells the user.
    conversation_retention_days: float = DEFAULT_RETENTION_DAYS
    webhook_url: str | None = None
    webhook_secret: str | None = field(default=None, repr=False)
    webhook_listen: str = DEFAULT_WEBHOOK_LISTEN
    webhook_port: int = DEFAULT_WEBHOOK_PORT
    allow_groups: bool = False
    # Pause between the messages of one answer: Telegram asks for <= 1 message/s per chat.
    send_interval_seconds: float = 1.0
    # First pause before resending a part Telegram did not take (doubled per attempt).
    send_retry_base_seconds: float = 1.0

    @property
    def use_webhook(self) -> bool:
        """Return True when updates come in over a webhook instead of long polling."""
        return self.webhook_url is not None

    @property
    def secrets(self) -> tuple:
        """Return every secret value, for log redaction."""
        values = [self.telegram_token, self.rasa_privacy_token, self.webhook_secret,
                  self.rasa_channel_secret, self.sender_id_secret.decode("utf-8", "replace")]
        return tuple(value for value in values if value)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Return the settings from `environ` (default os.environ); raise ConfigError if invalid."""
        env = os.environ if environ is None else environ

        def get(name: str) -> str:
            return (env.get(name) or "").strip()

        token = get("TELEGRAM_TOKEN")
        if not token:
            raise ConfigError(
                "TELEGRAM_TOKEN is not set. Create a bot with @BotFather and run "
                "`TELEGRAM_TOKEN=<token> python -m bot`."
            )
        if not _TOKEN_FORMAT.match(token):
            raise ConfigError(
                "TELEGRAM_TOKEN does not look like a bot token (expected <digits>:<letters>, "
                "exactly as @BotFather gives it, without quotes or a 'bot' prefix)."
            )

        # Without a stable key every restart would give every user a new conversation id,
        # orphaning the old conversations (and /forget could no longer find them).
        secret_bytes = _required_secret("SENDER_ID_SECRET", get("SENDER_ID_SECRET")).encode()
        channel_secret = _required_secret("RASA_CHANNEL_SECRET", get("RASA_CHANNEL_SECRET"))
        # /forget must be able to erase, and the erase endpoint must never be open.
        privacy_token = _required_secret("RASA_PRIVACY_TOKEN", get("RASA_PRIVACY_TOKEN"))

        webhook_url = get("TELEGRAM_WEBHOOK_URL") or None
        webhook_secret = get("TELEGRAM_WEBHOOK_SECRET") or None
        if webhook_url is not None:
            if not _is_http_url(webhook_url):
                raise ConfigError(
                    f"TELEGRAM_WEBHOOK_URL must be an http(s) URL, got {webhook_url!r}."
                )
            if webhook_secret is None:
                raise ConfigError(
                    "TELEGRAM_WEBHOOK_URL is set but TELEGRAM_WEBHOOK_SECRET is not. Without it "
                    "anyone who finds the URL can post forged updates; set it to 1-256 characters "
                    "of A-Z, a-z, 0-9, _ and -."
                )
        if webhook_secret is not None and not _WEBHOOK_SECRET_FORMAT.match(webhook_secret):
            raise ConfigError(
                "TELEGRAM_WEBHOOK_SECRET must be 1-256 characters of A-Z, a-z, 0-9, _ and -."
            )

        rasa_url = (get("RASA_URL") or DEFAULT_RASA_URL).rstrip("/")
        if not _is_http_url(rasa_url):
            raise ConfigError(f"RASA_URL must be an http(s) URL, got {rasa_url!r}.")
        api_base_url = get("TELEGRAM_API_BASE_URL") or None
        if api_base_url is not None and not _is_http_url(api_base_url):
            raise ConfigError(
                f"TELEGRAM_API_BASE_URL must be an http(s) URL, got {api_base_url!r}."
            )

        return cls(
            telegram_token=token,
            sender_id_secret=secret_bytes,
            rasa_channel_secret=channel_secret,
            rasa_url=rasa_url,
            rasa_timeout_seconds=_positive_float(
                "RASA_TIMEOUT_SECONDS", get("RASA_TIMEOUT_SECONDS"), DEFAULT_RASA_TIMEOUT_SECONDS
            ),
            rasa_patience_seconds=_positive_float(
                "RASA_PATIENCE_SECONDS", get("RASA_PATIENCE_SECONDS"), DEFAULT_RASA_PATIENCE_SECONDS
            ),
            inbox_database_url=get("INBOX_DATABASE_URL")
            or f"sqlite:///{DEFAULT_STATE_DIRECTORY / 'bot-inbox.db'}",
            conversation_retention_days=_positive_float(
                RETENTION_ENV, get(RETENTION_ENV), DEFAULT_RETENTION_DAYS
            ),
            inbox_retention_seconds=3600 * _positive_float(
                "INBOX_RETENTION_HOURS", get("INBOX_RETENTION_HOURS"), DEFAULT_INBOX_RETENTION_HOURS
            ),
            send_interval_seconds=_positive_float(
                "BOT_SEND_INTERVAL_SECONDS", get("BOT_SEND_INTERVAL_SECONDS"), 1.0
            ),
            send_retry_base_seconds=_positive_float(
                "TELEGRAM_RETRY_BASE_SECONDS", get("TELEGRAM_RETRY_BASE_SECONDS"), 1.0
            ),
            rasa_privacy_token=privacy_token,
            telegram_api_base_url=api_base_url,
            webhook_url=webhook_url,
            webhook_secret=webhook_secret,
            webhook_listen=get("TELEGRAM_WEBHOOK_LISTEN") or DEFAULT_WEBHOOK_LISTEN,
            webhook_port=_port(get("TELEGRAM_WEBHOOK_PORT")),
            allow_groups=_boolean("ALLOW_GROUPS", get("ALLOW_GROUPS")),
        )


def _required_secret(name: str, value: str) -> str:
    if len(value.encode()) < MIN_SECRET_BYTES:
        raise ConfigError(
            f"{name} must be set to at least {MIN_SECRET_BYTES} random bytes "
            f"(e.g. `python -c 'import secrets; print(secrets.token_urlsafe(32))'`); "
            f"{'it is not set' if not value else 'the value given is too short'}."
        )
    return value


def _is_http_url(value: str) -> bool:
    parts = urlsplit(value)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def _positive_float(name: str, raw: str, default: float) -> float:
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a number of seconds, got {raw!r}.") from None
    if not value > 0:
        raise ConfigError(f"{name} must be greater than 0, got {raw!r}.")
    return value


def _port(raw: str) -> int:
    if not raw:
        return DEFAULT_WEBHOOK_PORT
    if not raw.isdigit() or not 0 < int(raw) < 65536:
        raise ConfigError(f"TELEGRAM_WEBHOOK_PORT must be a port number, got {raw!r}.")
    return int(raw)


def _boolean(name: str, raw: str) -> bool:
    if raw.lower() in _TRUE:
        return True
    if raw.lower() in _FALSE:
        return False
    raise ConfigError(f"{name} must be true or false, got {raw!r}.")
