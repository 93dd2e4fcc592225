"""Small helpers shared by tests and benchmarks (fixtures live in tests/conftest.py)."""
from __future__ import annotations

import contextlib
import json
import os
import urllib.request
import uuid
from typing import Any
from collections.abc import Iterator

import pytest

RestReply = list[dict[str, Any]]


def post_json(url: str, payload: dict[str, Any], timeout: float = 30) -> Any:
    """POST JSON and return the decoded reply."""
    request = urllib.request.Request(
        url, data=json.dumps(payload).encode(), headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return json.loads(response.read())


def reply_text(reply: RestReply) -> str:
    """Join the text of all messages of a REST reply."""
    return "\n".join(message.get("text", "") for message in reply)


def reply_payloads(reply: RestReply) -> list[str]:
    """Return every button payload of a REST reply."""
    return [button["payload"] for message in reply for button in message.get("buttons", [])]


POSTGRES_ADMIN_URL = os.environ.get(
    "KB_TEST_POSTGRES_URL", "postgresql+psycopg2://postgres@127.0.0.1:5432/test"
)


@contextlib.contextmanager
def temporary_postgres_database(prefix: str) -> Iterator[str]:
    """Create a uniquely named PostgreSQL database; yield its URL; drop it afterwards.

    Fails (never skips) when PostgreSQL is unreachable: the deployed path is tested for real.
    """
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import OperationalError

    admin = create_engine(POSTGRES_ADMIN_URL, future=True, isolation_level="AUTOCOMMIT",
                          connect_args={"connect_timeout": 5})
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except OperationalError as error:
        admin.dispose()
        pytest.fail(f"PostgreSQL is not reachable at {POSTGRES_ADMIN_URL}: {error.orig}", pytrace=False)
    try:
        yield make_url(POSTGRES_ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(
                text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                     " WHERE datname = :name AND pid <> pg_backend_pid()"),
                {"name": name},
            )
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        admin.dispose()
