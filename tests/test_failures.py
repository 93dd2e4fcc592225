"""A failing dependency gets a polite reply pointing to 12348, and recovery when it comes back."""
from __future__ import annotations

import socket
import time
from pathlib import Path

from scripts.services import free_port, start_action_server, start_rasa_server, write_endpoints
from testkit.support import post_json, reply_text


def test_action_server_down_gets_the_configured_reply_then_recovers(
    trained_model: Path, kb_database_url: str, tmp_path: Path
):
    action_port = free_port()
    endpoints = write_endpoints(tmp_path / "endpoints.yml", f"http://127.0.0.1:{action_port}")
    rasa = start_rasa_server(trained_model, endpoints, tmp_path / "rasa.log")
    try:
        def ask(text: str) -> str:
            return reply_text(post_json(f"{rasa.url}/webhooks/rest/webhook",
                                        {"sender": "failures", "message": text}))

        down = ask("how do I apply for legal aid?")
        assert "can't reach my legal information service" in down and "12348" in down
        assert "hello" in ask("hi").lower()  # rules need no action server

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
