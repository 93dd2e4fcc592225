"""An HTTP endpoint that erases a conversation, for the Telegram /forget command.

Rasa Open Source has no endpoint that deletes a tracker (rasa#10719), so this
input channel adds one next to the REST channel:

    DELETE /webhooks/privacy/conversations/<sender_id>
    Authorization: Bearer <RASA_PRIVACY_TOKEN>    (required when the variable is set)

It answers `{"deleted_events": n}`; erasing an unknown conversation is not an error.
"""
from __future__ import annotations

import hashlib
import hmac
import logging
import os
from typing import Any, Text
from collections.abc import Awaitable, Callable

import sqlalchemy as sa
from rasa.core.channels.channel import InputChannel, UserMessage
from rasa.core.tracker_store import InMemoryTrackerStore, SQLTrackerStore, TrackerStore
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

logger = logging.getLogger(__name__)


def _innermost_store(store: Any) -> Any:
    # The agent wraps the configured store (FailSafe -> Awaitable -> real store).
    while hasattr(store, "_tracker_store"):
        store = store._tracker_store
    return store


def erase_conversation(store: TrackerStore, sender_id: Text) -> int:
    """Delete every stored event of `sender_id`; return how many were deleted."""
    store = _innermost_store(store)
    if isinstance(store, InMemoryTrackerStore):
        serialised = store.store.pop(sender_id, None)
        if serialised is None:
            return 0
        tracker = store.deserialise_tracker(sender_id, serialised)
        return len(tracker.events) if tracker else 1
    if isinstance(store, SQLTrackerStore):
        with store.session_scope() as session:
            result = session.execute(
                sa.delete(store.SQLEvent).where(store.SQLEvent.sender_id == sender_id)
            )
            session.commit()
            return int(result.rowcount or 0)
    raise NotImplementedError(
        f"Erasing conversations is not supported for {type(store).__name__}."
    )


class PrivacyInput(InputChannel):
    """Adds DELETE /webhooks/privacy/conversations/<sender_id>."""

    @classmethod
    def name(cls) -> Text:
        """Return the channel name used in the URL."""
        return "privacy"

    @classmethod
    def from_credentials(cls, credentials: dict | None) -> PrivacyInput:
        """Create the channel; the token comes from the environment only."""
        return cls(os.environ.get("RASA_PRIVACY_TOKEN") or None)

    def __init__(self, token: Text | None) -> None:
        self._token = token

    def _authorised(self, request: Request) -> bool:
        if not self._token:
            return True
        header = request.headers.get("Authorization", "")
        return hmac.compare_digest(header.encode(), f"Bearer {self._token}".encode())

    def blueprint(
        self, on_new_message: Callable[[UserMessage], Awaitable[Any]]
    ) -> Blueprint:
        """Return the blueprint with the erase endpoint."""
        blueprint = Blueprint("privacy_webhook", __name__)

        @blueprint.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @blueprint.route("/conversations/<sender_id>", methods=["DELETE"])
        async def erase(request: Request, sender_id: Text) -> HTTPResponse:
            if not self._authorised(request):
                return response.json({"error": "unauthorised"}, status=401)
            agent = request.app.ctx.agent
            try:
                deleted = erase_conversation(agent.tracker_store, sender_id)
            except NotImplementedError as error:
                return response.json({"error": str(error)}, status=501)
            digest = hashlib.sha256(sender_id.encode()).hexdigest()[:12]
            logger.info("Erased conversation %s: %d events.", digest, deleted)
            return response.json({"deleted_events": deleted})

        return blueprint
