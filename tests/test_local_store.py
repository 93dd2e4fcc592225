"""`make run` / `make shell` keep conversations in a SQLite file (endpoints.yml), so a restart
of Rasa remembers them."""
from __future__ import annotations

from pathlib import Path

from scripts.model_store import PROJECT_ROOT
from scripts.services import Service, free_port, start_rasa_server
from testkit.support import post_json, reply_text


def test_project_endpoints_keep_the_conversation_across_a_restart(
    trained_model: Path, action_server: Service, tmp_path: Path
) -> None:
    """Yesterday's question, a restart, then "and in 2022?" still follows the earlier topic."""
    environment = {"RASA_TRACKER_DB": str(tmp_path / "state" / "rasa-tracker.db"),
                   "ACTION_SERVER_URL": f"{action_server.url}/webhook"}
    (tmp_path / "state").mkdir()
    port = free_port()

    def ask_in_a_fresh_rasa(message: str, log_name: str) -> str:
        rasa = start_rasa_server(trained_model, PROJECT_ROOT / "endpoints.yml", tmp_path / log_name,
                                 port=port, environment=environment)
        try:
            return reply_text(post_json(f"{rasa.url}/webhooks/rest/webhook",
                                        {"sender": "local-store", "message": message}))
        finally:
            rasa.stop()

    assert "540,000" in ask_in_a_fresh_rasa("how many lawyers are there in China?", "rasa-1.log")
    assert (tmp_path / "state" / "rasa-tracker.db").stat().st_size > 0
    assert "651,600" in ask_in_a_fresh_rasa("and in 2022?", "rasa-2.log")
