"""An HTTP endpoint that erases a conversation (Telegram /forget), and the retention job.

    DELETE /webhooks/privacy/conversations/<sender_id>
    Authorization: Bearer <RASA_PRIVACY_TOKEN>    (required: 403 without it)

It erases the conversation from the tracker store and its in-memory fallback while holding
the conversation's lock-store lock (so a turn in flight cannot write it back), and removes
its share of the unanswered report. It answers `{"deleted_events": n, "report_rows": m}`;
erasing an unknown conversation is not an error (n = 0, and the bot says nothing was stored).

The channel refuses to load without RASA_PRIVACY_TOKEN. Once the server runs, it deletes
every hour the conversations silent for CONVERSATION_RETENTION_DAYS (30), and the
unanswered report once it is older than that.
"""
from __future__ import annotations

import asyncio
import logging
from typing import Any, Text
from collections.abc import Awaitable, Callable

from rasa.core.channels.channel import UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from assistant.privacy import conversation_ref, retention_days
from assistant.unanswered_report import expire_report, forget_in_report
from rasa_addons.privacy_retention import erase_under_lock, expire_conversations
from rasa_addons.secret_channel import SecretChannel

logger = logging.getLogger(__name__)

PURGE_INTERVAL_SECONDS = 3600.0


async def purge_once(agent: Any, retention_seconds: float) -> int:
    """Expire old conversations and an old unanswered report; return conversations deleted."""
    if agent is None or agent.tracker_store is None:
        return 0
    expired = await expire_conversations(agent.lock_store, agent.tracker_store, retention_seconds)
    if expire_report(retention_seconds):
        logger.info("Deleted the unanswered report: older than the retention period.")
    if expired:
        logger.info("Deleted %d conversation(s) silent for more than %.0f days.",
                    expired, retention_seconds / 86400)
    return expired


class PrivacyInput(SecretChannel):
    """Adds DELETE /webhooks/privacy/conversations/<sender_id> and the retention job."""

    SECRET_ENV = "RASA_PRIVACY_TOKEN"  # nosec B105  # a variable name

    @classmethod
    def name(cls) -> Text:
        """Return the channel name used in the URL."""
        return "privacy"

    def blueprint(
        self, on_new_message: Callable[[UserMessage], Awaitable[Any]]
    ) -> Blueprint:
        """Return the blueprint with the erase endpoint and the retention job."""
        blueprint = Blueprint("privacy_webhook", __name__)

        @blueprint.listener("after_server_start")
        async def start_retention(app: Any, _: Any) -> None:
            app.add_task(self._purge_periodically(app))

        @blueprint.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @blueprint.route("/conversations/<sender_id>", methods=["DELETE"])
        async def erase(request: Request, sender_id: Text) -> HTTPResponse:
            if not self.authorised(request):
                return response.json({"error": "forbidden"}, status=403)
            agent = request.app.ctx.agent
            ref = conversation_ref(sender_id)
            try:
                deleted = await erase_under_lock(agent.lock_store, agent.tracker_store, sender_id)
            except NotImplementedError as error:
                return response.json({"error": str(error)}, status=501)
            rows = await asyncio.to_thread(forget_in_report, ref)
            logger.info("Erased conversation %s: %d events, %d report rows.", ref, deleted, rows)
            return response.json({"deleted_events": deleted, "report_rows": rows})

        return blueprint

    async def _purge_periodically(self, app: Any) -> None:
        retention = retention_days() * 86400
        while True:
            try:
                await purge_once(getattr(app.ctx, "agent", None), retention)
            except Exception as error:  # noqa: BLE001 (retried at the next interval)
                logger.warning("Conversation retention job failed (%s).", type(error).__name__)
            await asyncio.sleep(PURGE_INTERVAL_SECONDS)
