"""Buttons the bot issued, and only those: callback data carries an HMAC tag of the chat.

Telegram returns a button's callback_data verbatim, but a modified client can send any
callback data, and the bot forwards a tapped payload to Rasa as the user's message, where
"/intent{...}" selects an intent and sets entities directly. So every callback_data is
`<payload>~<tag>`, the tag an HMAC (SENDER_ID_SECRET) of the chat id and the payload, and a
tap whose tag does not match is refused. A payload too long to carry its tag within
Telegram's 64 bytes is not made a button (the user is told to type it instead).

Buttons expire: the tag also signs the day it was issued (no extra bytes: the day is not
sent, the check tries the last BUTTON_LIFETIME_DAYS days), so an old keyboard cannot
replay a pre-check answer or a question weeks later.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import time
from collections.abc import Callable

from bot.formatting import callback_data_fits

SEPARATOR = "~"
TAG_CHARACTERS = 8  # 48 bits of HMAC-SHA256, base64url
BUTTON_LIFETIME_DAYS = 7
_DAY_SECONDS = 86400


class ButtonSigner:
    """Signs and checks the callback data of one chat's buttons."""

    def __init__(self, secret: bytes, chat_id: int, clock: Callable[[], float] = time.time) -> None:
        self._secret = secret
        self._chat = str(chat_id).encode()
        self._clock = clock

    def _today(self) -> int:
        return int(self._clock() // _DAY_SECONDS)

    def _tag(self, payload: str, day: int) -> str:
        message = b"button:" + self._chat + b":" + str(day).encode() + b":" + payload.encode()
        digest = hmac.new(self._secret, message, hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest).decode()[:TAG_CHARACTERS]

    def sign(self, payload: str) -> str | None:
        """Return the callback data for `payload`, or None if it cannot fit in 64 bytes."""
        data = f"{payload}{SEPARATOR}{self._tag(payload, self._today())}"
        return data if payload and callback_data_fits(data) else None

    def verify(self, data: object) -> str | None:
        """Return the payload of callback data this bot issued to this chat within the last
        BUTTON_LIFETIME_DAYS days, else None."""
        if not isinstance(data, str) or SEPARATOR not in data:
            return None
        payload, tag = data.rsplit(SEPARATOR, 1)
        if not payload:
            return None
        today = self._today()
        # Bytes: compare_digest refuses non-ASCII str, and a forged tag may be anything.
        matches = [hmac.compare_digest(tag.encode(), self._tag(payload, day).encode())
                   for day in range(today, today - BUTTON_LIFETIME_DAYS - 1, -1)]
        return payload if any(matches) else None
