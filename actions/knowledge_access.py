"""Runs knowledge-base queries for the actions: off the event loop, with a timeout.

rasa_sdk runs actions on one event loop, so a blocking database call would stall
every other conversation; queries run in a worker thread instead.
"""
from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from functools import lru_cache
from typing import Any, TypeVar

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import sessionmaker

from actions.config import get_settings
from knowledge.db import make_engine, make_session_factory

logger = logging.getLogger(__name__)
Result = TypeVar("Result")


class KnowledgeUnavailable(Exception):
    """The knowledge base could not answer in time."""


@lru_cache(maxsize=1)
def _session_factory() -> sessionmaker:
    return make_session_factory(make_engine(get_settings().kb_database_url))


async def ask(query: Callable[..., Result], **arguments: Any) -> Result:
    """Run a `knowledge.repository` function in a read-only session and return its value."""

    def run_in_thread() -> Result:
        with _session_factory().begin() as session:
            return query(session=session, **arguments)

    try:
        return await asyncio.wait_for(
            asyncio.to_thread(run_in_thread), get_settings().kb_timeout_seconds
        )
    except (SQLAlchemyError, OSError, asyncio.TimeoutError) as error:
        logger.error(
            "Knowledge base unavailable during %s: %s",
            getattr(query, "__name__", "query"),
            type(error).__name__,
        )
        raise KnowledgeUnavailable() from error
