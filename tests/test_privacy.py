"""Privacy parts of the Rasa side with Rasa's real classes: erasing (fallback store included,
under the conversation lock), retention, and the unanswered report's erasure."""
from __future__ import annotations

import asyncio
import os
import time
from pathlib import Path

import pytest

from assistant.privacy import conversation_ref
from assistant.unanswered_report import (
    Group,
    expire_report,
    forget_in_report,
    remove_conversation,
    render,
)


def _tracker(sender: str, text: str, timestamp: float):
    from rasa.shared.core.events import UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    tracker = DialogueStateTracker(sender, slots=[])
    tracker.update(UserUttered(text, timestamp=timestamp))
    return tracker


@pytest.fixture(params=["rasa", "durable"])
def stores(tmp_path: Path, request: pytest.FixtureRequest):
    """A FailSafe store wrapping a SQLite SQL store (Rasa's, or the default of endpoints.yml),
    with a filled in-memory fallback."""
    from rasa.core.tracker_store import FailSafeTrackerStore, InMemoryTrackerStore, SQLTrackerStore
    from rasa.shared.core.domain import Domain

    from rasa_addons.tracker_store import DurableSQLTrackerStore

    domain = Domain.empty()
    store_class = DurableSQLTrackerStore if request.param == "durable" else SQLTrackerStore
    sql = store_class(domain=domain, dialect="sqlite", db=str(tmp_path / "tracker.db"))
    fallback = InMemoryTrackerStore(domain)
    return FailSafeTrackerStore(sql, fallback_tracker_store=fallback), sql, fallback


async def test_erase_reaches_the_sql_store_and_the_in_memory_fallback(stores) -> None:
    """A conversation written to the fallback while the database was down is erased too."""
    from rasa_addons.privacy_retention import erase_conversation

    store, sql, fallback = stores
    await sql.save(_tracker("a" * 64, "my husband hits me", time.time()))
    await fallback.save(_tracker("a" * 64, "written during an outage", time.time()))
    await sql.save(_tracker("b" * 64, "someone else", time.time()))
    assert erase_conversation(store, "a" * 64) == 2
    assert await sql.retrieve("a" * 64) is None and await fallback.retrieve("a" * 64) is None
    assert await sql.retrieve("b" * 64) is not None
    assert erase_conversation(store, "a" * 64) == 0  # nothing left: the bot says so


async def test_erase_waits_for_the_turn_in_flight(stores) -> None:
    """The erase takes the conversation's lock: a turn holding it finishes first."""
    from rasa.core.lock_store import InMemoryLockStore

    from rasa_addons.privacy_retention import erase_under_lock

    store, sql, _ = stores
    locks = InMemoryLockStore()
    order: list[str] = []

    async def turn() -> None:
        async with locks.lock("c" * 64):
            await asyncio.sleep(0.3)
            await sql.save(_tracker("c" * 64, "a turn that was in flight", time.time()))
            order.append("turn saved")

    task = asyncio.create_task(turn())
    await asyncio.sleep(0.05)
    deleted = await erase_under_lock(locks, store, "c" * 64)
    order.append("erased")
    await task
    assert order == ["turn saved", "erased"] and deleted == 1
    assert await sql.retrieve("c" * 64) is None


async def test_retention_deletes_only_conversations_silent_too_long(stores) -> None:
    """Conversations whose latest event is older than the retention go, in both stores."""
    from rasa.core.lock_store import InMemoryLockStore

    from rasa_addons.privacy_retention import expire_conversations

    store, sql, fallback = stores
    now = time.time()
    await sql.save(_tracker("d" * 64, "old", now - 31 * 86400))
    await sql.save(_tracker("e" * 64, "recent", now - 29 * 86400))
    await fallback.save(_tracker("f" * 64, "old too", now - 40 * 86400))
    assert await expire_conversations(InMemoryLockStore(), store, 30 * 86400, now=now) == 2
    assert await sql.retrieve("d" * 64) is None and await fallback.retrieve("f" * 64) is None
    assert await sql.retrieve("e" * 64) is not None


async def test_expiry_scans_the_store_once_not_once_per_stale_conversation(stores) -> None:
    """The re-check under each conversation's lock reads that conversation only: one full
    scan for N stale conversations, not N + 1 (the job held each lock while re-scanning)."""
    from rasa.core.lock_store import InMemoryLockStore
    from sqlalchemy import event

    from rasa_addons.privacy_retention import expire_conversations

    store, sql, _ = stores
    now = time.time()
    for index in range(5):
        await sql.save(_tracker(f"{index}" * 64, "old", now - 31 * 86400))
    statements: list[str] = []
    event.listen(sql.engine, "before_cursor_execute",
                 lambda *args: statements.append(args[2].upper()))
    assert await expire_conversations(InMemoryLockStore(), store, 30 * 86400, now=now) == 5
    full_scans = [s for s in statements if "GROUP BY" in s and "WHERE" not in s]
    assert len(full_scans) == 1


def test_report_rows_lose_a_forgotten_conversation(tmp_path: Path) -> None:
    """/forget removes a conversation's share of each row; a row it alone asked disappears."""
    one, two = "1" * 64, "2" * 64
    shared = Group("blorp", count=3, conversations={one: 2, two: 1})
    shared.reasons["fallback"] = 3
    shared.guesses["faq_legal_aid_what"] = 3
    alone = Group("my debt collector", count=1, conversations={one: 1})
    alone.reasons["fallback"] = 1
    alone.guesses["faq_wage_arrears"] = 1
    report = render({"blorp": shared, "debt": alone}, retention_days=30)
    assert conversation_ref(one) in report and one not in report
    updated, touched = remove_conversation(report, conversation_ref(one))
    assert touched == 2 and "my debt collector" not in updated
    row = next(line for line in updated.splitlines() if "blorp" in line)
    assert row.startswith(f"| 1 | 1: {conversation_ref(two)}×1 | blorp |")
    path = tmp_path / "unanswered.md"
    path.write_text(report)
    assert forget_in_report(conversation_ref(one), path) == 2
    assert forget_in_report(conversation_ref(one), path) == 0
    assert "my debt collector" not in path.read_text()


def test_report_older_than_the_retention_is_deleted(tmp_path: Path) -> None:
    """The report cannot outlive the conversations it quotes."""
    path = tmp_path / "unanswered.md"
    path.write_text("# Unanswered questions\n")
    assert not expire_report(30 * 86400, path)
    old = time.time() - 31 * 86400
    os.utime(path, (old, old))
    assert expire_report(30 * 86400, path) and not path.exists()


def test_report_path_is_under_the_project_not_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Rasa started from another directory still finds (and erases from) the report."""
    from assistant.unanswered_report import report_path

    monkeypatch.delenv("UNANSWERED_REPORT", raising=False)
    monkeypatch.chdir(tmp_path)
    project = Path(__file__).resolve().parent.parent
    assert report_path() == project / "reports" / "unanswered.md"
    monkeypatch.setenv("UNANSWERED_REPORT", "elsewhere/report.md")
    assert report_path() == project / "elsewhere" / "report.md"


def test_an_erasure_waits_for_another_process_writing_the_report(tmp_path: Path) -> None:
    """`make unanswered` (another process) holds the report's lock while it replaces the
    report; /forget waits for it, then erases from the new report, not the old one."""
    import subprocess
    import sys

    path = tmp_path / "unanswered.md"
    old = render({"a": _group("a", "sender-old")}, 30)
    path.write_text(old, encoding="utf-8")
    new = render({"b": _group("b", "sender-new")}, 30)
    (tmp_path / "new.md").write_text(new, encoding="utf-8")
    with subprocess.Popen(  # noqa: S603 (our own interpreter and code)
        [sys.executable, "-c", (
            "import sys, time; from pathlib import Path\n"
            "from assistant.unanswered_report import report_lock, write_report\n"
            "path = Path(sys.argv[1])\n"
            "with report_lock(path):\n"
            "    print('locked', flush=True); time.sleep(1.0)\n"
            "    write_report(path, (path.parent / 'new.md').read_text(encoding='utf-8'))\n"
        ), str(path)],
        stdout=subprocess.PIPE, text=True, cwd=Path(__file__).resolve().parent.parent,
    ) as writer:
        assert writer.stdout.readline().strip() == "locked"
        assert forget_in_report(conversation_ref("sender-new"), path) == 1
    assert conversation_ref("sender-new") not in path.read_text(encoding="utf-8")


def _group(text: str, sender: str) -> Group:
    group = Group(text=text, count=1, last_seen=time.time())
    group.reasons["fallback"] += 1
    group.guesses["faq_x"] += 1
    group.conversations[sender] += 1
    return group
