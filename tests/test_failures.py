"""A failing dependency gets a polite reply pointing to 12348, and recovery when it comes back."""
from __future__ import annotations

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
