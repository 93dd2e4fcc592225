"""One keep-alive HTTP session per Rasa endpoint (the action server), not a new one per call.

Rasa 3.6's `EndpointConfig.request` opens `async with self.session()`, a new aiohttp session and
so a new TCP connection, for every action call: 7 % of the event loop under load
(bench/PROFILE.md). Here `session()` hands out the endpoint's one session, made on first use
in the running event loop, and leaving the `async with` keeps it open. Requests, their
per-call time limit (rasa_addons/turn_limits.py) and errors are Rasa's own.
`scripts/rasa_cli.py` installs it.
"""
from __future__ import annotations

import asyncio
from typing import Any

import aiohttp
from rasa.core.constants import DEFAULT_REQUEST_TIMEOUT
from rasa.utils.endpoints import EndpointConfig

# Idle connections are closed before the action server's Sanic closes them (after 5 s), so a
# call never goes out on a connection the server is closing.
IDLE_SECONDS = 2.0


class _KeptSession:
    """The endpoint's session, entered and left without closing it."""

    def __init__(self, session: aiohttp.ClientSession) -> None:
        self._session = session

    async def __aenter__(self) -> aiohttp.ClientSession:
        return self._session

    async def __aexit__(self, *exc_info: Any) -> None:
        return None


def kept_session(self: EndpointConfig) -> _KeptSession:
    """Return the endpoint's open session for this event loop, making it if needed."""
    loop = asyncio.get_running_loop()
    kept = self.__dict__.get("_kept_session")
    if kept is None or kept[0] is not loop or kept[1].closed:
        # What Rasa's own session() makes (headers, basic auth, its time limit), kept alive.
        auth = aiohttp.BasicAuth(self.basic_auth["username"], self.basic_auth["password"]) \
            if self.basic_auth else None
        session = aiohttp.ClientSession(
            headers=self.headers, auth=auth, timeout=aiohttp.ClientTimeout(total=DEFAULT_REQUEST_TIMEOUT),
            connector=aiohttp.TCPConnector(keepalive_timeout=IDLE_SECONDS))
        kept = self.__dict__["_kept_session"] = (loop, session)
    return _KeptSession(kept[1])


def install() -> None:
    """Give every endpoint of this process one kept session."""
    EndpointConfig.session = kept_session
