"""The part the bot and privacy channels share: a bearer secret from the environment.

A channel subclass names its variable (`SECRET_ENV`); it refuses to load when the variable
is unset or shorter than MIN_SECRET_LENGTH, so Rasa does not start with an open endpoint,
and compares the Authorization header in constant time.
"""
from __future__ import annotations

import hmac
import os
from typing import TypeVar

from rasa.core.channels.channel import InputChannel
from sanic.request import Request

MIN_SECRET_LENGTH = 32
Channel = TypeVar("Channel", bound="SecretChannel")


class ChannelConfigError(ValueError):
    """The channel cannot run as configured."""


class SecretChannel(InputChannel):
    """An input channel whose requests must carry `Authorization: Bearer $SECRET_ENV`."""

    SECRET_ENV = ""  # nosec B105  # the name of the variable, set by each subclass

    @classmethod
    def from_credentials(cls: type[Channel], credentials: dict | None) -> Channel:
        """Create the channel; the secret comes from the environment only, never from a file."""
        secret = (os.environ.get(cls.SECRET_ENV) or "").strip()
        if len(secret) < MIN_SECRET_LENGTH:
            raise ChannelConfigError(
                f"{cls.SECRET_ENV} must be set (at least {MIN_SECRET_LENGTH} characters) for the "
                f"{cls.name()} channel; the Telegram front end sends the same value."
            )
        return cls(secret)

    def __init__(self, secret: str) -> None:
        self._expected = f"Bearer {secret}".encode()

    def authorised(self, request: Request) -> bool:
        """Return True if the request carries the secret."""
        return hmac.compare_digest(request.headers.get("Authorization", "").encode(), self._expected)
