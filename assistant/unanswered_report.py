"""The unanswered-questions report (reports/unanswered.md): its format, and erasing from it.

`make unanswered` (scripts/unanswered.py) writes it from the tracker store; the privacy
channel removes a conversation's share of it on /forget and deletes a report older than
the conversation retention period, so the report never outlives the conversations it
quotes. Each row names the conversations it comes from by a reference
(assistant.privacy.conversation_ref).
"""
from __future__ import annotations

import contextlib
import fcntl
import os
import re
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from assistant.privacy import conversation_ref

REPORT_ENV = "UNANSWERED_REPORT"
DEFAULT_REPORT = Path("reports") / "unanswered.md"
# Not the working directory: Rasa started from elsewhere must still find the report that
# `make unanswered` wrote, or /forget and expiry would silently miss it.
PROJECT_ROOT = Path(__file__).resolve().parent.parent
HEADER = "| count | conversations | message | why | nearest intent | last seen |"
_ROW = re.compile(r"^\| (?P<count>\d+) \| (?P<conversations>[^|]*) \|(?P<rest>.*)$")
_SHARE = re.compile(r"(?P<ref>[0-9a-f]{12})×(?P<count>\d+)")
_GENERATED = re.compile(r"Generated (\d{4}-\d{2}-\d{2} \d{2}:\d{2}) UTC")


def report_path(root: Path = PROJECT_ROOT) -> Path:
    """Return $UNANSWERED_REPORT, or reports/unanswered.md; a relative path is under `root`
    (the project root), whatever the working directory."""
    path = Path(os.environ.get(REPORT_ENV) or DEFAULT_REPORT)
    return path if path.is_absolute() else root / path


@contextlib.contextmanager
def report_lock(path: Path) -> Iterator[None]:
    """Hold the report's lock: a file lock, because the writers are different processes
    (`make unanswered`, the Rasa server's /forget and expiry) as well as threads."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.with_name(f".{path.name}.lock"), "a", encoding="utf-8") as lock_file:
        fcntl.flock(lock_file, fcntl.LOCK_EX)  # released when the file is closed
        yield


@dataclass
class Group:
    """All occurrences of one (normalised) unanswered message."""

    text: str
    count: int = 0
    reasons: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    guesses: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    conversations: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    last_seen: float = 0.0


def render(groups: dict[str, Group], retention_days: float) -> str:
    """Return the report as Markdown, most frequent first."""
    generated = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        "# Unanswered questions",
        "",
        f"Generated {generated} by `make unanswered`, from conversations of the last "
        f"{retention_days:g} days (the retention period; older ones are deleted, and so is "
        "this file once it is older than that). Each row is a message the assistant could not "
        "answer confidently; frequent ones are candidates for new intents (add examples to "
        "data/nlu/ and an answer to knowledge/data, then `make retrain`). /forget removes a "
        "conversation's share of a row.",
        "",
        HEADER,
        "|---|---|---|---|---|---|",
    ]
    for group in sorted(groups.values(), key=lambda g: (-g.count, g.text)):
        why = ", ".join(f"{reason} ×{n}" for reason, n in sorted(group.reasons.items()))
        guess = max(group.guesses.items(), key=lambda item: item[1])[0]
        seen = datetime.fromtimestamp(group.last_seen, timezone.utc).strftime("%Y-%m-%d")
        message = group.text.replace("|", "\\|")[:200]
        shares = " ".join(f"{conversation_ref(sender)}×{n}"
                          for sender, n in sorted(group.conversations.items()))
        lines.append(f"| {group.count} | {len(group.conversations)}: {shares} | {message} | {why} "
                     f"| {guess} | {seen} |")
    if not groups:
        lines.append("| 0 | 0 | (nothing unanswered) | | | |")
    return "\n".join(lines) + "\n"


def remove_conversation(report: str, ref: str) -> tuple[str, int]:
    """Return the report without conversation `ref`'s messages, and how many rows it was in.

    A row only that conversation asked disappears; a shared row keeps the others' count.
    """
    kept: list[str] = []
    touched = 0
    for line in report.splitlines():
        match = _ROW.match(line)
        shares = dict(_SHARE.findall(match["conversations"])) if match else {}
        if match is None or ref not in shares:
            kept.append(line)
            continue
        touched += 1
        count = int(match["count"]) - int(shares.pop(ref))
        if shares and count > 0:
            cell = f"{len(shares)}: " + " ".join(f"{r}×{n}" for r, n in sorted(shares.items()))
            kept.append(f"| {count} | {cell} |{match['rest']}")
    return "\n".join(kept) + "\n", touched


def publish_report(path: Path, text: str) -> None:
    """Replace the report under its lock (a /forget in progress finishes first)."""
    with report_lock(path):
        write_report(path, text)


def write_report(path: Path, text: str) -> None:
    """Replace the report atomically: a crash leaves the old or the new one, never half.
    The caller holds report_lock."""
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=".unanswered-", suffix=".tmp")
    with os.fdopen(descriptor, "w", encoding="utf-8") as file:
        file.write(text)
    os.replace(temporary, path)


def forget_in_report(ref: str, path: Path | None = None) -> int:
    """Remove conversation `ref` from the report file, if there is one; return rows touched."""
    path = path or report_path()
    if not path.exists():
        return 0
    with report_lock(path):  # two writers at once must not undo each other
        if not path.exists():
            return 0
        updated, touched = remove_conversation(path.read_text(encoding="utf-8"), ref)
        if touched:
            write_report(path, updated)
    return touched


def generated_at(report: str) -> float | None:
    """Return when the report was generated (its header), as a timestamp, if it says."""
    match = _GENERATED.search(report)
    if match is None:
        return None
    moment = datetime.strptime(match.group(1), "%Y-%m-%d %H:%M").replace(tzinfo=timezone.utc)
    return moment.timestamp()


def expire_report(retention_seconds: float, path: Path | None = None) -> bool:
    """Delete the report once it was generated longer ago than the retention period (rewrites
    by /forget keep its generation time); return True if deleted."""
    path = path or report_path()
    if not path.exists():
        return False
    with report_lock(path):
        if not path.exists():
            return False
        generated = generated_at(path.read_text(encoding="utf-8")) or path.stat().st_mtime
        if generated < time.time() - retention_seconds:
            path.unlink()
            return True
    return False
