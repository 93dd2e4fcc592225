"""Build rasa_sdk trackers whose latest message has a given NLU result, and read replies."""
from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher


def make_tracker(
    *,
    intent: str,
    text: str = "",
    confidence: float = 0.95,
    entities: list[dict[str, Any]] | None = None,
    slots: dict[str, Any] | None = None,
    ranking: list[dict[str, Any]] | None = None,
) -> Tracker:
    """Build a tracker whose latest message has the given NLU result."""
    latest_message = {
        "text": text,
        "intent": {"name": intent, "confidence": confidence},
        "entities": entities or [],
        "intent_ranking": ranking or [{"name": intent, "confidence": confidence}],
    }
    return Tracker(
        sender_id="test",
        slots=slots or {},
        latest_message=latest_message,
        events=[],
        paused=False,
        followup_action=None,
        active_loop={},
        latest_action_name="action_listen",
    )


def year_entity(year: int) -> dict[str, Any]:
    return {"entity": "year", "value": str(year), "start": 0, "end": 4}


async def run(action, dispatcher, tracker, domain: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    return await action.run(dispatcher, tracker, domain or {})


def texts(dispatcher: CollectingDispatcher) -> str:
    return "\n".join(message.get("text") or "" for message in dispatcher.messages)


def buttons(dispatcher: CollectingDispatcher) -> list[dict[str, str]]:
    return [button for message in dispatcher.messages for button in message.get("buttons") or []]
