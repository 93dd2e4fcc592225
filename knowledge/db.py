"""Engine and session factories for the knowledge base; nothing is created at import."""

from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy import create_engine, event, inspect
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.orm import sessionmaker

from knowledge.models import Base

DATABASE_URL_ENV = "KB_DATABASE_URL"
REPO_ROOT = Path(__file__).resolve().parent.parent
TIMEOUT_ENV = "KB_TIMEOUT_SECONDS"
# Every query must finish well inside Rasa's 60 s ticket lock (see docs), so the
# database gives up after 5 s (or $KB_TIMEOUT_SECONDS) instead of letting an action hang.
DEFAULT_TIMEOUT_SECONDS = 5.0


def timeout_seconds() -> float:
    """Return the query timeout: ``$KB_TIMEOUT_SECONDS`` or 5 s."""
    try:
        value = float(os.environ.get(TIMEOUT_ENV, "") or DEFAULT_TIMEOUT_SECONDS)
    except ValueError:
        return DEFAULT_TIMEOUT_SECONDS
    return value if value > 0 else DEFAULT_TIMEOUT_SECONDS


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
    timeout = timeout_seconds()
    connect_args: dict = {}
    if backend == "sqlite":
        connect_args = {"timeout": timeout}
    elif backend == "postgresql":
        connect_args = {
            # libpq takes whole seconds (at least 1); the statement timeout milliseconds.
            "connect_timeout": max(1, round(timeout)),
            "options": f"-c statement_timeout={int(timeout * 1000)}",
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
    """Create the knowledge-base tables; rebuild them if their columns are outdated.

    The knowledge base holds nothing that is not in knowledge/data, so a database
    created by an older version (say, before the Chinese columns) is simply rebuilt
    by the next load instead of needing a migration.
    """
    existing = inspect(engine)
    outdated = [
        table
        for table in Base.metadata.sorted_tables
        if existing.has_table(table.name)
        and {column.name for column in table.columns}
        - {column["name"] for column in existing.get_columns(table.name)}
    ]
    if outdated:
        Base.metadata.drop_all(engine)
    Base.metadata.create_all(engine)
