"""Shared fixtures: one trained model, a loaded knowledge base, and real servers per session.

The model is trained at most once per set of training inputs (scripts/model_store.py
caches it by hash under models/), so a second test run reuses it.
"""
from __future__ import annotations

import secrets
from pathlib import Path
from collections.abc import Callable, Iterator

import pytest

from scripts.model_store import PROJECT_ROOT, ensure_model
from scripts.services import Service, project_endpoints, start_action_server, start_rasa_server
from testkit.support import RestReply, post_json, temporary_postgres_database

# The HTTP API is enabled only with a JWT secret; tests read trackers through it.
RASA_JWT_SECRET = secrets.token_urlsafe(32)


@pytest.fixture(scope="session")
def trained_model() -> Path:
    """Return the model for the current training inputs, training it if needed."""
    return ensure_model(PROJECT_ROOT)


@pytest.fixture(scope="session")
def kb_database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """Return the URL of a SQLite knowledge base loaded from knowledge/data."""
    from knowledge.loader import load_into_url

    url = f"sqlite:///{tmp_path_factory.mktemp('kb') / 'knowledge.db'}"
    load_into_url(url)
    return url


@pytest.fixture(scope="session")
def read_eligibility_table(kb_database_url: str):
    """Read the shipped pre-check back from the loaded knowledge base, in a language."""
    from knowledge.db import make_engine, make_session_factory
    from knowledge.eligibility import get_eligibility_table

    def read(language: str):
        engine = make_engine(kb_database_url)
        try:
            with make_session_factory(engine).begin() as session:
                return get_eligibility_table(session=session, language=language)
        finally:
            engine.dispose()

    return read


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
    """Run the real Rasa server (REST channel) with the trained model and action server, and the
    project's endpoints.yml (its tracker store on a SQLite file of this run)."""
    directory = tmp_path_factory.mktemp("rasa")
    endpoints = project_endpoints(directory / "endpoints.yml", action_server.url)
    service = start_rasa_server(
        trained_model, endpoints, directory / "rasa.log", api_secret=RASA_JWT_SECRET
    )
    yield service
    service.stop()


@pytest.fixture(scope="session")
def rasa_url(rasa_server: Service) -> str:
    """Return the base URL of the real Rasa server."""
    return rasa_server.url


@pytest.fixture(scope="session")
def rasa_channel_secret(rasa_server: Service) -> str:
    """Return the secret of the real Rasa server's bot channel (RASA_CHANNEL_SECRET)."""
    return rasa_server.channel_secret


@pytest.fixture(scope="session")
def rasa_api_secret(rasa_server: Service) -> str:
    """Return the secret that signs JWTs for the Rasa server's HTTP API."""
    return RASA_JWT_SECRET


@pytest.fixture
def talk(rasa_url: str, request: pytest.FixtureRequest) -> Callable[..., RestReply]:
    """Send a message over the REST channel as a sender unique to this test."""
    default_sender = f"test-{request.node.name}"

    def send(text: str, sender: str = default_sender) -> RestReply:
        return post_json(f"{rasa_url}/webhooks/rest/webhook", {"sender": sender, "message": text})

    return send


# --- knowledge base: a fresh database per test, from the shipped data files -----------


@pytest.fixture(scope="session")
def kb_data():
    """The shipped data files, parsed once (LoadedData is immutable)."""
    from knowledge.loader import load_data_dir

    return load_data_dir()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """URL of a fresh, empty database (SQLite file or PostgreSQL database), removed after."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'kb.db'}"
        return
    with temporary_postgres_database("kb_test") as url:
        yield url


@pytest.fixture
def inbox(database_url: str):
    """The Telegram front end's inbox on the fresh database, with a clock tests can move."""
    from bot.inbox import Inbox, make_inbox_engine

    engine = make_inbox_engine(database_url)
    clock = {"now": 1_000_000.0}
    yield Inbox(engine, clock=lambda: clock["now"]), clock
    engine.dispose()


@pytest.fixture
def engine(database_url: str):
    """An engine on the fresh database."""
    from knowledge.db import make_engine

    engine = make_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def loaded_engine(engine, kb_data):
    """The fresh database loaded with the shipped data."""
    from knowledge.loader import load_into_database

    load_into_database(engine, kb_data)
    return engine


@pytest.fixture
def session(loaded_engine):
    """A session on the loaded database, in one transaction."""
    from knowledge.db import make_session_factory

    Session = make_session_factory(loaded_engine)
    with Session.begin() as session:
        yield session


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A writable copy of the shipped data directory."""
    import shutil

    from knowledge.loader import DATA_DIR

    return Path(shutil.copytree(DATA_DIR, tmp_path / "data"))


# --- actions: a fresh knowledge base per test, a real dispatcher --------------------------


def _forget_cached_action_settings() -> None:
    from actions import config as action_config
    from actions import knowledge_access

    action_config.get_settings.cache_clear()
    knowledge_access._session_factory.cache_clear()


@pytest.fixture
def knowledge_base(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A fresh SQLite knowledge base per test, loaded from knowledge/data, used by the actions."""
    from knowledge.loader import load_into_url

    url = f"sqlite:///{tmp_path / 'kb.db'}"
    load_into_url(url)
    monkeypatch.setenv("KB_DATABASE_URL", url)
    _forget_cached_action_settings()
    yield url
    _forget_cached_action_settings()


@pytest.fixture
def unreachable_knowledge_base(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Point the actions at a database that cannot be opened."""
    monkeypatch.setenv("KB_DATABASE_URL", f"sqlite:///{tmp_path / 'missing-dir' / 'kb.db'}")
    _forget_cached_action_settings()
    yield
    _forget_cached_action_settings()


@pytest.fixture
def dispatcher():
    """A fresh rasa_sdk dispatcher per test."""
    from rasa_sdk.executor import CollectingDispatcher

    return CollectingDispatcher()
