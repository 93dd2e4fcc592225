"""Engine and session factories for the knowledge base; nothing is created at import."""

from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.orm import sessionmaker

from knowledge.models import Base

DATABASE_URL_ENV = "KB_DATABASE_URL"
REPO_ROOT = Path(__file__).resolve().parent.parent
# Every query must finish well inside Rasa's 60 s ticket lock (see docs), so the
# database gives up after 5 s instead of letting an action hang.
TIMEOUT_SECONDS = 5


def default_database_url() -> str:
    """Return ``$KB_DATABASE_URL``, or the SQLite file ``knowledge.db`` at the repository root."""
    url = os.environ.get(DATABASE_URL_ENV, "").strip()
    if url:
        return url
    return f"sqlite:///{REPO_ROOT / 'knowledge.db'}"


def make_engine(url: str | None = None) -> Engine:
    """Create a 2.0-style engine with connection checks and short timeouts."""
    url = url or default_database_url()
    backend = make_url(url).get_backend_name()
    connect_args: dict = {}
    if backend == "sqlite":
        connect_args = {"timeout": TIMEOUT_SECONDS}
    elif backend == "postgresql":
        connect_args = {
            "connect_timeout": TIMEOUT_SECONDS,
            "options": f"-c statement_timeout={TIMEOUT_SECONDS * 1000}",
        }
    engine = create_engine(url, future=True, pool_pre_ping=True, connect_args=connect_args)
    if backend == "sqlite":
        event.listen(engine, "connect", _enable_sqlite_foreign_keys)
    return engine


def _enable_sqlite_foreign_keys(dbapi_connection, connection_record) -> None:
    # SQLite ignores foreign keys unless each connection turns them on.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def make_session_factory(engine: Engine) -> sessionmaker:
    """Return a 2.0-style session factory; use it as ``with Session.begin() as session:``."""
    return sessionmaker(engine, future=True)


def create_schema(engine: Engine) -> None:
    """Create the knowledge-base tables that do not exist yet."""
    Base.metadata.create_all(engine)
