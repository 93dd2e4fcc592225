"""What `make cluster-up` runs on, from the environment (README "Several replicas"): the
PostgreSQL databases (created when missing; the knowledge base loaded), the model, the
secrets, and Telegram's webhook if a token is set."""
from __future__ import annotations

import os
import sys

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from scripts.cluster import RUN_DIRECTORY, ClusterSettings
from scripts.model_store import PROJECT_ROOT, current_model

DEFAULT_KB_URL = "postgresql+psycopg2://postgres@127.0.0.1:5432/legal_kb"
DEFAULT_INBOX_URL = "postgresql+psycopg2://postgres@127.0.0.1:5432/bot_inbox"
SECRETS = ("RASA_CHANNEL_SECRET", "RASA_PRIVACY_TOKEN", "SENDER_ID_SECRET")


def ensure_database(url: str) -> None:
    """Create the PostgreSQL database of `url` if it does not exist."""
    parsed = make_url(url)
    admin = create_engine(parsed.set(database="postgres"), future=True, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            exists = connection.execute(text("SELECT 1 FROM pg_database WHERE datname = :name"),
                                        {"name": parsed.database}).first()
            if not exists:
                # The name comes from the operator's own configuration, quoted as an identifier.
                connection.execute(text(f'CREATE DATABASE "{parsed.database}"'))
    finally:
        admin.dispose()


def _postgresql(variable: str, default: str) -> str:
    url = os.environ.get(variable) or default
    if make_url(url).get_backend_name() != "postgresql":
        sys.exit(f"{variable} must be a PostgreSQL URL for the cluster: its replicas share it.")
    return url


def settings_from_environment(rasa: int, actions: int, bots: int) -> ClusterSettings:
    """Return the cluster's settings; create and load what it needs first."""
    from knowledge.loader import load_into_url

    model = current_model(PROJECT_ROOT / "models")
    if model is None:
        sys.exit("No trained model: run `make model` first.")
    missing = [name for name in SECRETS if len(os.environ.get(name, "")) < 32]
    if missing:
        sys.exit(f"{missing[0]} is not set (at least 32 bytes): run through `make cluster-up`.")
    kb_url = _postgresql("KB_DATABASE_URL", DEFAULT_KB_URL)
    inbox_url = _postgresql("INBOX_DATABASE_URL", DEFAULT_INBOX_URL)
    tracker_db = {name: os.environ.get(name, default) for name, default in (
        ("TRACKER_DB_HOST", "127.0.0.1"), ("TRACKER_DB_PORT", "5432"), ("TRACKER_DB_NAME", "rasa_tracker"),
        ("TRACKER_DB_USER", "postgres"), ("TRACKER_DB_PASSWORD", ""))}
    tracker_url = (f"postgresql+psycopg2://{tracker_db['TRACKER_DB_USER']}@{tracker_db['TRACKER_DB_HOST']}:"
                   f"{tracker_db['TRACKER_DB_PORT']}/{tracker_db['TRACKER_DB_NAME']}")
    for url in (kb_url, inbox_url, tracker_url):
        ensure_database(url)
    load_into_url(kb_url)
    environment = {name: os.environ[name] for name in SECRETS}
    if os.environ.get("TELEGRAM_TOKEN"):
        for name in ("TELEGRAM_TOKEN", "TELEGRAM_WEBHOOK_URL", "TELEGRAM_WEBHOOK_SECRET",
                     "TELEGRAM_API_BASE_URL"):
            if os.environ.get(name):
                environment[name] = os.environ[name]
        if "TELEGRAM_WEBHOOK_URL" not in environment or "TELEGRAM_WEBHOOK_SECRET" not in environment:
            sys.exit("Several receivers need Telegram's webhook (two pollers conflict): set "
                     "TELEGRAM_WEBHOOK_URL (public HTTPS, path /telegram/hook, forwarded to "
                     "127.0.0.1:$TELEGRAM_WEBHOOK_PORT) and TELEGRAM_WEBHOOK_SECRET.")
    else:
        print("TELEGRAM_TOKEN is not set: no Telegram receivers.")
        bots = 0
    return ClusterSettings(
        model=model, run_directory=RUN_DIRECTORY, kb_url=kb_url, tracker_db=tracker_db,
        inbox_url=inbox_url, redis_key_prefix=os.environ.get("REDIS_KEY_PREFIX", "legalservices"),
        redis_db=os.environ.get("REDIS_DB", "1"), environment=environment,
        rasa_replicas=rasa, action_servers=actions, bot_receivers=bots,
        rasa_port=int(os.environ.get("RASA_PORT", "5005")),
        actions_port=int(os.environ.get("ACTION_SERVER_PORT", "5055")),
        webhook_port=int(os.environ.get("TELEGRAM_WEBHOOK_PORT", "8443")),
    )
