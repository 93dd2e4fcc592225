"""The bot channel (rasa_addons/bot_channel.py) on the real Rasa server: authenticated,
bounded, and idempotent per message_id."""
from __future__ import annotations

import hashlib
import json
import urllib.error
import urllib.request
from typing import Any

import pytest

from testkit.support import post_json
from scripts.rasa_api import api_headers

CHANNEL = "/webhooks/bot/webhook"


def sender_for(name: str) -> str:
    """Return a sender id shaped like the bot's (64 hex digits)."""
    return hashlib.sha256(name.encode()).hexdigest()


def post(url: str, body: bytes, authorization: str | None) -> tuple[int, Any]:
    headers = {"Content-Type": "application/json"}
    if authorization is not None:
        headers["Authorization"] = authorization
    request = urllib.request.Request(url, data=body, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        error.close()
        return error.code, None


def user_messages(rasa_url: str, api_secret: str, sender: str) -> int:
    request = urllib.request.Request(f"{rasa_url}/conversations/{sender}/tracker",
                                     headers=api_headers(api_secret))
    with urllib.request.urlopen(request, timeout=30) as response:
        tracker = json.loads(response.read())
    return sum(1 for event in tracker["events"] if event["event"] == "user")


def test_same_message_id_is_answered_from_the_tracker_not_processed_again(
    rasa_url: str, rasa_channel_secret: str, rasa_api_secret: str
) -> None:
    """A resend (same message_id) gets the same reply and Rasa stores the message once."""
    sender = sender_for("idempotent")
    body = {"sender": sender, "message": "how do I apply for legal aid?", "message_id": "tg-501"}
    auth = f"Bearer {rasa_channel_secret}"
    status, first = post(f"{rasa_url}{CHANNEL}", json.dumps(body).encode(), auth)
    assert status == 200 and first and "legal aid" in json.dumps(first).lower()
    status, again = post(f"{rasa_url}{CHANNEL}", json.dumps(body).encode(), auth)
    assert (status, again) == (200, first)
    assert user_messages(rasa_url, rasa_api_secret, sender) == 1
    status, other = post(f"{rasa_url}{CHANNEL}",
                         json.dumps({**body, "message_id": "tg-502", "message": "hi"}).encode(), auth)
    assert status == 200 and other != first
    assert user_messages(rasa_url, rasa_api_secret, sender) == 2


def test_buttons_are_replayed_too(rasa_url: str, rasa_channel_secret: str) -> None:
    """A stored reply with buttons comes back with the same buttons."""
    body = {"sender": sender_for("buttons"), "message": "help", "message_id": "tg-600"}
    auth = f"Bearer {rasa_channel_secret}"
    _, first = post(f"{rasa_url}{CHANNEL}", json.dumps(body).encode(), auth)
    _, again = post(f"{rasa_url}{CHANNEL}", json.dumps(body).encode(), auth)
    assert any(message.get("buttons") for message in first) and again == first


@pytest.mark.parametrize(
    "authorization, body, status",
    [
        (None, {"sender": "a" * 64, "message": "hi"}, 401),
        ("Bearer wrong-secret", {"sender": "a" * 64, "message": "hi"}, 401),
        ("valid", {"sender": "a" * 64, "message": "x" * 9000}, 413),
        ("valid", {"sender": "chat-42", "message": "hi"}, 400),
        ("valid", {"sender": "a" * 64, "message": 42}, 400),
        ("valid", {"sender": "a" * 64, "message": "hi", "message_id": "../../etc"}, 400),
    ],
    ids=["no-secret", "wrong-secret", "oversize", "bad-sender", "not-text", "bad-message-id"],
)
def test_channel_refuses_what_the_bot_would_never_send(
    rasa_url: str, rasa_channel_secret: str, authorization: str | None, body: dict, status: int
) -> None:
    """Without the secret 401; over 8 KB 413; a sender that is not a pseudonym 400."""
    if authorization == "valid":
        authorization = f"Bearer {rasa_channel_secret}"
    assert post(f"{rasa_url}{CHANNEL}", json.dumps(body).encode(), authorization)[0] == status


def test_rest_channel_still_answers_on_loopback(rasa_url: str) -> None:
    """Evaluation and the tests use the REST channel; it stays."""
    assert post_json(f"{rasa_url}/webhooks/rest/webhook", {"sender": "rest-check", "message": "hi"})


class TurnNotSaved:
    """Rasa's processor when the tracker store fails: the turn was uttered, not saved."""

    async def handle_message(self, message: Any) -> None:
        await message.output_channel.send_text_message(message.sender_id, "partial answer")
        raise OSError("the tracker store is unreachable")


async def test_a_turn_rasa_did_not_save_is_a_500_without_the_partial_reply() -> None:
    """Only a stored turn is answered 200; otherwise the bot must not count it as answered."""
    from types import SimpleNamespace

    from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
    from rasa.core.lock_store import InMemoryLockStore
    from rasa.core.tracker_store import InMemoryTrackerStore
    from rasa.shared.core.domain import Domain

    from rasa_addons.bot_channel import answer

    agent = SimpleNamespace(is_ready=lambda: True, lock_store=InMemoryLockStore(),
                            tracker_store=InMemoryTrackerStore(Domain.empty()),
                            processor=TurnNotSaved())
    reply = await answer(agent, UserMessage("hi", CollectingOutputChannel(), sender_for("x"),
                                            message_id="tg-1"))
    assert reply.status == 500 and b"partial" not in reply.body
