"""The unanswered-questions report (reports/unanswered.md): its format, and erasing from it.

`make unanswered` (scripts/unanswered.py) writes it from the tracker store; the privacy
channel removes a conversation's share of it on /forget and deletes a report older than
the conversation retention period, so the report never outlives the conversations it
quotes. Each row names the conversations it comes from by a reference
(assistant.privacy.conversation_ref).
"""
from __future__ import annotations

import os
import re
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from assistant.privacy import conversation_ref

REPORT_ENV = "UNANSWERED_REPORT"
DEFAULT_REPORT = Path("reports") / "unanswered.md"
HEADER = "| count | conversations | message | why | nearest intent | last seen |"
_ROW = re.compile(r"^\| (?P<count>\d+) \| (?P<conversations>[^|]*) \|(?P<rest>.*)$")
_SHARE = re.compile(r"(?P<ref>[0-9a-f]{12})×(?P<count>\d+)")


def report_path() -> Path:
    """Return $UNANSWERED_REPORT, or reports/unanswered.md under the working directory."""
    return Path(os.environ.get(REPORT_ENV) or DEFAULT_REPORT)


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
        if ref not in shares:
            kept.append(line)
            continue
        touched += 1
        count = int(match["count"]) - int(shares.pop(ref))
        if shares and count > 0:
            cell = f"{len(shares)}: " + " ".join(f"{r}×{n}" for r, n in sorted(shares.items()))
            kept.append(f"| {count} | {cell} |{match['rest']}")
    return "\n".join(kept) + "\n", touched


def forget_in_report(ref: str, path: Path | None = None) -> int:
    """Remove conversation `ref` from the report file, if there is one; return rows touched."""
    path = path or report_path()
    if not path.exists():
        return 0
    updated, touched = remove_conversation(path.read_text(encoding="utf-8"), ref)
    if touched:
        temporary = path.with_suffix(".tmp")
        temporary.write_text(updated, encoding="utf-8")
        temporary.replace(path)  # atomic: a crash leaves the old or the new report
    return touched


def expire_report(retention_seconds: float, path: Path | None = None) -> bool:
    """Delete the report file if it is older than the retention period; return True if deleted."""
    path = path or report_path()
    if path.exists() and path.stat().st_mtime < time.time() - retention_seconds:
        path.unlink()
        return True
    return False
