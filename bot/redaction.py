"""Keeps the bot token and other secrets out of every log record.

PTB and httpx put the token into URLs (`.../bot<TOKEN>/getMe`) and PTB even puts it into
the `InvalidToken` message. `install_secret_redaction()` makes every LogRecord created
afterwards, by any logger, carry a redacted message, so no handler can leak it.
"""
from __future__ import annotations

import logging
import re
import threading
from typing import Any
from collections.abc import Callable, Iterable

REDACTED = "<redacted>"
# Anything shaped like a bot token, even one we were not told about.
_TOKEN_SHAPE = re.compile(r"\d{5,}:[A-Za-z0-9_-]{30,}")
_MINIMUM_SECRET_LENGTH = 6  # shorter values would redact ordinary words


class SecretRedactingFilter(logging.Filter):
    """Rewrite a record's message and traceback text with every known secret replaced."""

    def __init__(self) -> None:
        super().__init__()
        self._secrets: set[str] = set()
        self._lock = threading.Lock()

    def add_secrets(self, values: Iterable[str]) -> None:
        """Remember more values to redact."""
        with self._lock:
            self._secrets.update(v for v in values if v and len(v) >= _MINIMUM_SECRET_LENGTH)

    def redact(self, text: str) -> str:
        """Return `text` with secrets and token-shaped strings replaced."""
        for secret in sorted(self._secrets, key=len, reverse=True):
            if secret in text:
                text = text.replace(secret, REDACTED)
        return _TOKEN_SHAPE.sub(REDACTED, text)

    def filter(self, record: logging.LogRecord) -> bool:
        """Redact `record` in place; never drop it."""
        try:
            message = record.getMessage()
        except Exception:  # a broken format string must not hide the record
            message = f"{record.msg!r} % {record.args!r}"
        redacted = self.redact(message)
        if redacted != message:
            record.msg, record.args = redacted, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.redact(record.exc_text)
        if record.stack_info:
            record.stack_info = self.redact(record.stack_info)
        return True


REDACTION_FILTER = SecretRedactingFilter()
_factory_installed = False
_install_lock = threading.Lock()


def install_secret_redaction(values: Iterable[str]) -> SecretRedactingFilter:
    """Redact `values` (and token-shaped strings) in every log record from now on."""
    global _factory_installed
    REDACTION_FILTER.add_secrets(values)
    with _install_lock:
        if not _factory_installed:
            previous: Callable[..., logging.LogRecord] = logging.getLogRecordFactory()

            def redacting_factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
                record = previous(*args, **kwargs)
                REDACTION_FILTER.filter(record)
                return record

            logging.setLogRecordFactory(redacting_factory)
            _factory_installed = True
    return REDACTION_FILTER
