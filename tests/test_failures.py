"""A failing dependency gets a polite reply pointing to 12348, and recovery when it comes back."""
from __future__ import annotations

import socket
import time
from pathlib import Path

from assistant.replies import REPLIES
from scripts.services import free_port, start_action_server, start_rasa_server, write_endpoints
from testkit.support import post_json, reply_text


def test_action_server_down_gets_the_configured_reply_then_recovers(
    trained_model: Path, kb_database_url: str, tmp_path: Path
):
    action_port = free_port()
    endpoints = write_endpoints(tmp_path / "endpoints.yml", f"http://127.0.0.1:{action_port}")
    rasa = start_rasa_server(trained_model, endpoints, tmp_path / "rasa.log")
    try:
        def ask(text: str, sender: str = "failures") -> str:
            return reply_text(post_json(f"{rasa.url}/webhooks/rest/webhook",
                                        {"sender": sender, "message": text}))

        down = ask("how do I apply for legal aid?")
        assert "can't reach my legal information service" in down and "12348" in down
        assert "hello" in ask("hi").lower()  # rules need no action server
        # The fixed replies are in the model (assistant/replies.py, added to the domain at
        # training), so Rasa says them alone: the emergency numbers, and in Chinese too.
        crisis = ask("I cant take it anymore, I want to kill myself", sender="failures-crisis")
        assert REPLIES["en"]["utter_crisis_fallback"] in crisis
        crisis_zh = ask("活着太累了 我想结束这一切", sender="failures-crisis-zh")
        assert REPLIES["zh"]["utter_crisis_fallback"] in crisis_zh
        assert REPLIES["zh"]["utter_service_unavailable"] in ask("怎么申请法律援助？", sender="failures-zh")

        actions = start_action_server(tmp_path / "actions.log", port=action_port,
                                      environment={"KB_DATABASE_URL": kb_database_url})
        try:
            back = ask("how do I apply for legal aid?")
            assert "can't reach" not in back and "legal aid" in back.lower()
        finally:
            actions.stop()
    finally:
        rasa.stop()


def test_an_action_server_that_never_answers_is_given_up_within_the_action_time_limit(
    trained_model: Path, tmp_path: Path
):
    """Rasa would wait 300 s for an action call, five times its conversation lock's 60 s; the
    call now ends after two knowledge-base limits (rasa_addons/turn_limits.py), well inside the
    lock, and the person gets the reply for an unreachable service."""
    from rasa_addons.turn_limits import action_timeout_seconds

    silent = socket.create_server(("127.0.0.1", 0))  # accepts connections, never answers
    try:
        endpoints = write_endpoints(tmp_path / "endpoints.yml", f"http://127.0.0.1:{silent.getsockname()[1]}")
        rasa = start_rasa_server(trained_model, endpoints, tmp_path / "rasa.log")
        try:
            started = time.monotonic()
            reply = reply_text(post_json(f"{rasa.url}/webhooks/rest/webhook",
                                         {"sender": "silent", "message": "how do I apply for legal aid?"},
                                         timeout=120))
            took = time.monotonic() - started
            assert "can't reach my legal information service" in reply and "12348" in reply
            assert action_timeout_seconds() <= took < action_timeout_seconds() + 15
        finally:
            rasa.stop()
    finally:
        silent.close()
