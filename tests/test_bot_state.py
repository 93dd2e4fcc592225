"""The bot's delivery bookkeeping (bot/state.py `Deliveries`) and the per-chat processor that
drives it, on a real inbox (SQLite and PostgreSQL) whose table goes missing on cue."""
from __future__ import annotations

import contextlib
import datetime
from collections.abc import Iterator

from sqlalchemy import text

from bot.app import PerChatUpdateProcessor
from bot.inbox import DONE, MAX_PROCESSING_ATTEMPTS, Inbox, updates
from bot.state import Deliveries

MESSAGE = {"update_id": 7, "message": {"message_id": 1, "date": 1, "text": "hello",
                                      "chat": {"id": 42, "type": "private"}}}


@contextlib.contextmanager
def inbox_broken(store: Inbox) -> Iterator[None]:
    """Make every inbox call fail inside the block (its table is renamed away), as a lost
    database would."""
    with store.engine.begin() as connection:
        connection.execute(text(f"ALTER TABLE {updates.name} RENAME TO broken_inbox"))
    try:
        yield
    finally:
        with store.engine.begin() as connection:
            connection.execute(text(f"ALTER TABLE broken_inbox RENAME TO {updates.name}"))


def state_of(store: Inbox, update_id: int) -> str:
    with store.engine.begin() as connection:
        return connection.execute(
            text(f"SELECT state FROM {updates.name} WHERE update_id = :id"), {"id": update_id}
        ).scalar_one()


def make_update(update_id: int):
    from telegram import Chat, Message, Update, User

    chat = Chat(42, Chat.PRIVATE)
    message = Message(1, datetime.datetime.now(), chat, from_user=User(42, "u", False), text="x")
    return Update(update_id, message=message)


async def test_deliveries_receive_start_finish(inbox) -> None:
    """A new update is in flight from its receipt until it is finished, then done."""
    store, _ = inbox
    deliveries = Deliveries(store)
    assert await deliveries.receive(7, "chat-a", MESSAGE)
    assert not await deliveries.receive(7, "chat-a", MESSAGE)  # redelivered: stored already
    assert deliveries.in_flight(7) and await deliveries.orphans() == []
    assert await deliveries.start(7)
    await deliveries.finish(7)
    assert not deliveries.in_flight(7) and state_of(store, 7) == DONE
    assert not await deliveries.start(7)  # queued twice: never handled again


async def test_a_start_that_fails_leaves_nothing_stale(inbox) -> None:
    """The inbox failing at start releases the update: it is an orphan, queued again, and its
    next attempt is handled and finished like any other (no leftover retry mark)."""
    store, _ = inbox
    deliveries = Deliveries(store)
    await deliveries.receive(7, "chat-a", MESSAGE)
    with inbox_broken(store):
        assert not await deliveries.start(7)
    assert not deliveries.in_flight(7)
    assert [update_id for update_id, _ in await deliveries.orphans()] == [7]
    deliveries.requeue(7)
    assert await deliveries.start(7)
    await deliveries.finish(7)
    assert state_of(store, 7) == DONE


async def test_a_retry_applies_to_its_attempt_only(inbox) -> None:
    """A handler's inbox failure leaves the update pending; the next attempt finishes it."""
    store, _ = inbox
    deliveries = Deliveries(store)
    await deliveries.receive(7, "chat-a", MESSAGE)
    assert await deliveries.start(7)
    deliveries.retry(7)
    await deliveries.finish(7)
    assert state_of(store, 7) == "pending" and not deliveries.in_flight(7)
    deliveries.retry(7)  # not in flight any more: ignored
    deliveries.requeue(7)
    assert await deliveries.start(7)
    await deliveries.finish(7)
    assert state_of(store, 7) == DONE


async def test_an_update_that_keeps_crashing_is_failed(inbox) -> None:
    """After MAX_PROCESSING_ATTEMPTS starts without a finish, the update is failed, not run."""
    store, _ = inbox
    deliveries = Deliveries(store)
    await deliveries.receive(7, "chat-a", MESSAGE)
    for _ in range(MAX_PROCESSING_ATTEMPTS):
        assert await deliveries.start(7)
        deliveries.release(7)  # as a crash would
    assert not await deliveries.start(7)
    assert state_of(store, 7) == "failed"


async def test_processor_closes_the_handler_when_the_start_fails(inbox) -> None:
    """The processor neither raises (PTB's error handler never learns of it) nor leaves the
    handler coroutine unawaited-and-unclosed; the next attempt runs the handler once."""
    store, _ = inbox
    deliveries = Deliveries(store)
    processor = PerChatUpdateProcessor(deliveries)
    await processor.initialize()
    runs: list[int] = []

    async def handler() -> None:
        runs.append(7)

    await deliveries.receive(7, "chat-a", MESSAGE)
    with inbox_broken(store):
        await processor.process_update(make_update(7), handler())
    assert runs == [] and not deliveries.in_flight(7)
    deliveries.requeue(7)
    await processor.process_update(make_update(7), handler())
    assert runs == [7] and state_of(store, 7) == DONE
    await processor.shutdown()
