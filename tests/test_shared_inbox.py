"""Several receivers on one inbox (bot/shared_inbox.py): PostgreSQL claims keep each chat in order
across receivers and never hand one update to two; a SQLite inbox refuses a second receiver."""
from __future__ import annotations

import os
import secrets
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect, text

from bot.inbox import make_inbox_engine
from bot.shared_inbox import InboxInUse, LocalInbox, SharedInbox, open_durable_inbox
from testkit.support import temporary_postgres_database

LEASE = 15.0
PROJECT_ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def receivers() -> Iterator[tuple[SharedInbox, SharedInbox, dict[str, float]]]:
    """Two receivers on a fresh PostgreSQL inbox, with one clock tests can move."""
    clock = {"now": 1_000_000.0}
    with temporary_postgres_database("inbox_shared") as url:
        engines = [make_inbox_engine(url), make_inbox_engine(url)]
        yield (SharedInbox(engines[0], "a", clock=lambda: clock["now"]),
               SharedInbox(engines[1], "b", clock=lambda: clock["now"]), clock)
        for engine in engines:
            engine.dispose()


def store(inbox: SharedInbox, update_id: int, chat: str) -> None:
    assert inbox.receive(update_id, chat, {"update_id": update_id})


def ids(claimed: list[tuple[int, dict]]) -> list[int]:
    return [update_id for update_id, _ in claimed]


def test_each_chat_has_one_update_claimed_at_a_time_in_order(receivers) -> None:
    a, b, _ = receivers
    for update_id, chat in [(1, "x"), (2, "y"), (3, "x"), (4, "x"), (5, "y")]:
        store(b, update_id, chat)
    assert ids(a.claim(10)) == [1, 2]  # the oldest of each chat
    assert ids(b.claim(10)) == []  # x and y are in flight at a: nothing of theirs for b
    assert a.start_attempt(1) == 1 and b.start_attempt(2) == 0  # b holds no claim on 2
    a.finish(1)
    assert ids(b.claim(10)) == [3]  # x's next one, now that 1 is finished
    assert ids(a.claim(10)) == []
    b.finish(3)
    a.finish(2)
    assert ids(a.claim(1)) == [4] and ids(b.claim(10)) == [5]


def test_a_lapsed_claim_goes_to_another_receiver_and_renewal_keeps_it(receivers) -> None:
    a, b, clock = receivers
    store(a, 1, "x")
    store(a, 2, "z")
    assert ids(a.claim(10)) == [1, 2]
    clock["now"] += LEASE - 1
    assert a.renew([1]) == 1  # a still works on 1; 2 was abandoned
    clock["now"] += 2
    assert ids(b.claim(10)) == [2]  # 2's claim lapsed, 1's was renewed
    b.finish(2)
    clock["now"] += LEASE + 1  # a was killed: nothing renews 1
    assert ids(b.claim(10)) == [1]
    assert a.start_attempt(1) == 0 and b.start_attempt(1) == 1
    assert a.renew([1]) == 0  # not a's any more


def test_concurrent_receivers_never_claim_one_update_twice(receivers) -> None:
    a, b, _ = receivers
    for update_id in range(1, 401):
        store(a, update_id, f"chat{update_id % 40}")
    claimed: dict[str, list[int]] = {"a": [], "b": []}

    def work(inbox: SharedInbox) -> None:
        for _ in range(200):
            got = ids(inbox.claim(3))
            claimed[inbox.receiver].extend(got)
            for update_id in got:
                inbox.finish(update_id)

    threads = [threading.Thread(target=work, args=(inbox,)) for inbox in (a, b)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    everything = claimed["a"] + claimed["b"]
    assert sorted(everything) == list(range(1, 401))  # each once
    assert claimed["a"] and claimed["b"]
    for chat in range(40):  # per chat, claims came in update order
        for name in ("a", "b"):
            mine = [u for u in claimed[name] if u % 40 == chat]
            assert mine == sorted(mine)


def test_a_sqlite_inbox_refuses_a_second_receiver(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'inbox.db'}"
    first = open_durable_inbox(url)
    assert isinstance(first, LocalInbox)
    with pytest.raises(InboxInUse, match="in use by another bot process.*PostgreSQL"):
        open_durable_inbox(url)
    first.close()
    second = open_durable_inbox(url)  # free again once the first receiver stopped
    second.close()


def test_postgresql_inbox_is_shared_and_old_inboxes_get_the_claim_columns() -> None:
    with temporary_postgres_database("inbox_old") as url:
        engine = create_engine(url, future=True)
        with engine.begin() as connection:  # the table as versions before the claims made it
            connection.execute(text(
                "CREATE TABLE inbox_updates (update_id BIGINT PRIMARY KEY, chat_key VARCHAR(64), "
                "state VARCHAR(16) NOT NULL, payload TEXT, reply TEXT, parts_sent INTEGER NOT NULL, "
                "attempts INTEGER NOT NULL, received_at FLOAT NOT NULL, finished_at FLOAT, "
                "failure VARCHAR(200))"))
        inbox = open_durable_inbox(url)
        assert isinstance(inbox, SharedInbox)
        columns = {column["name"] for column in inspect(engine).get_columns("inbox_updates")}
        assert {"claimed_by", "claimed_until"} <= columns
        assert inbox.receive(7, "x", {"update_id": 7}) and ids(inbox.claim(5)) == [7]
        inbox.close()
        engine.dispose()


def test_a_second_bot_process_on_a_sqlite_inbox_exits_2_saying_why(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'inbox.db'}"
    first = open_durable_inbox(url)  # the running receiver
    environment = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "RASA_", "INBOX_", "SENDER_"))},
        "TELEGRAM_TOKEN": "123456789:TEST-second-receiver", "INBOX_DATABASE_URL": url,
        **{name: secrets.token_urlsafe(32) for name in ("SENDER_ID_SECRET", "RASA_CHANNEL_SECRET",
                                                         "RASA_PRIVACY_TOKEN")},
    }
    try:
        result = subprocess.run([sys.executable, "-m", "bot"], cwd=PROJECT_ROOT, env=environment,
                                capture_output=True, text=True, timeout=60)
    finally:
        first.close()
    assert result.returncode == 2, result.stderr
    assert "in use by another bot process" in result.stderr and "PostgreSQL" in result.stderr
    assert "Traceback" not in result.stderr
