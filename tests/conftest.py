"""Shared fixtures: one trained model, a loaded knowledge base, and real servers per session.

The model is trained at most once per set of training inputs (scripts/model_store.py
caches it by hash under models/), so a second test run reuses it.
"""
from __future__ import annotations

from pathlib import Path
from typing import Callable, Iterator

import pytest

from scripts.model_store import PROJECT_ROOT, ensure_model
from scripts.services import Service, start_action_server, start_rasa_server, write_endpoints
from tests.support import RestReply, post_json

# The HTTP API is enabled only with a token; tests read trackers through it.
RASA_API_TOKEN = "test-api-token"


@pytest.fixture(scope="session")
def trained_model() -> Path:
    """Return the model for the current training inputs, training it if needed."""
    return ensure_model(PROJECT_ROOT)


@pytest.fixture(scope="session")
def kb_database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """Return the URL of a SQLite knowledge base loaded from knowledge/data."""
    from knowledge.db import make_engine
    from knowledge.loader import load_data_dir, load_into_database

    url = f"sqlite:///{tmp_path_factory.mktemp('kb') / 'knowledge.db'}"
    engine = make_engine(url)
    load_into_database(engine, load_data_dir(PROJECT_ROOT / "knowledge" / "data"))
    engine.dispose()
    return url


@pytest.fixture(scope="session")
def action_server(kb_database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    """Run the real action server against the session knowledge base."""
    service = start_action_server(
        tmp_path_factory.mktemp("logs") / "action-server.log",
        environment={"KB_DATABASE_URL": kb_database_url},
    )
    yield service
    service.stop()


@pytest.fixture(scope="session")
def rasa_server(
    trained_model: Path, action_server: Service, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Service]:
    """Run the real Rasa server (REST channel) with the trained model and action server."""
    directory = tmp_path_factory.mktemp("rasa")
    endpoints = write_endpoints(directory / "endpoints.yml", action_server.url)
    service = start_rasa_server(
        trained_model, endpoints, directory / "rasa.log", api_token=RASA_API_TOKEN
    )
    yield service
    service.stop()


@pytest.fixture(scope="session")
def rasa_url(rasa_server: Service) -> str:
    """Return the base URL of the real Rasa server."""
    return rasa_server.url


@pytest.fixture(scope="session")
def rasa_api_token(rasa_server: Service) -> str:
    """Return the token of the Rasa server's HTTP API."""
    return RASA_API_TOKEN


@pytest.fixture
def talk(rasa_url: str, request: pytest.FixtureRequest) -> Callable[..., RestReply]:
    """Send a message over the REST channel as a sender unique to this test."""
    default_sender = f"test-{request.node.name}"

    def send(text: str, sender: str = default_sender) -> RestReply:
        return post_json(f"{rasa_url}/webhooks/rest/webhook", {"sender": sender, "message": text})

    return send
