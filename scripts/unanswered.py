"""Report the user messages the assistant could not answer confidently.

Reads every conversation from the tracker store configured in an endpoints file
(default deploy/endpoints.yml: PostgreSQL), finds user messages that hit the
fallback (nlu_fallback, the default fallback action), were below the confidence
bar, or were declined as out of scope, groups them by text and writes a review
file, most frequent first: the raw material for the next intents.

    python -m scripts.unanswered [--endpoints FILE] [--out reports/unanswered.md]
"""
from __future__ import annotations

import argparse
import asyncio
import re
import sys
import warnings
import time
from pathlib import Path
from collections.abc import Iterable

from assistant.privacy import retention_days
from assistant.unanswered_report import Group, publish_report, render, report_path
from scripts.model_store import PROJECT_ROOT

FALLBACK_ACTIONS = {"action_clarify", "action_default_fallback"}
OUT_OF_SCOPE_ACTIONS = {"utter_out_of_scope"}
LOW_CONFIDENCE = 0.6


def normalise(text: str) -> str:
    """Group messages that differ only in case, spacing and trailing punctuation."""
    return re.sub(r"\s+", " ", text or "").strip().lower().rstrip("?!.。？！ ")


def unanswered_messages(events: Iterable, sender: str) -> Iterable[dict]:
    """Yield {text, reason, guess, timestamp} for each unanswered user message."""
    from rasa.shared.core.events import ActionExecuted, UserUttered

    pending: UserUttered | None = None
    for event in events:
        if isinstance(event, UserUttered):
            pending = event
            intent = event.intent or {}
            ranking = [r for r in (event.parse_data or {}).get("intent_ranking", [])
                       if r.get("name") != "nlu_fallback"]
            guess = ranking[0]["name"] if ranking else (intent.get("name") or "?")
            if (event.text or "").startswith("/"):
                pending = None  # a tapped button, not typed text
            elif intent.get("name") == "nlu_fallback":
                yield {"text": event.text, "reason": "fallback", "guess": guess,
                       "timestamp": event.timestamp, "sender": sender}
                pending = None
            elif (intent.get("confidence") or 0) < LOW_CONFIDENCE:
                yield {"text": event.text, "reason": "low confidence", "guess": guess,
                       "timestamp": event.timestamp, "sender": sender}
                pending = None
        elif isinstance(event, ActionExecuted) and pending is not None and event.action_name != "action_listen":
            reason = ("fallback" if event.action_name in FALLBACK_ACTIONS
                      else "out of scope" if event.action_name in OUT_OF_SCOPE_ACTIONS else None)
            if reason:
                yield {"text": pending.text, "reason": reason,
                       "guess": (pending.intent or {}).get("name") or "?",
                       "timestamp": pending.timestamp, "sender": sender}
            pending = None


async def collect(endpoints_path: Path, domain_path: Path) -> dict[str, Group]:
    """Read every conversation from the tracker store and group unanswered messages."""
    from rasa.core.tracker_store import TrackerStore
    from rasa.core.utils import AvailableEndpoints
    from rasa.shared.core.domain import Domain

    endpoints = AvailableEndpoints.read_endpoints(str(endpoints_path))
    if endpoints.tracker_store is None:
        raise SystemExit(
            f"{endpoints_path} configures no tracker store: the default in-memory store keeps "
            "nothing to report on. Run Rasa with deploy/endpoints.yml (PostgreSQL)."
        )
    with warnings.catch_warnings():
        # Rasa 3.6 warns about slot auto-fill on every domain load, whatever the domain.
        warnings.filterwarnings("ignore", message="Slot auto-fill has been removed")
        domain = Domain.load(str(domain_path))
    store = TrackerStore.create(endpoints.tracker_store, domain)
    cutoff = time.time() - retention_days() * 86400
    groups: dict[str, Group] = {}
    for sender in await store.keys():
        tracker = await store.retrieve_full_tracker(sender)
        if tracker is None:
            continue
        for item in unanswered_messages(tracker.events, sender):
            key = normalise(item["text"])
            if not key or (item["timestamp"] or 0) < cutoff:
                continue
            group = groups.setdefault(key, Group(text=key))
            group.count += 1
            group.reasons[item["reason"]] += 1
            group.guesses[item["guess"]] += 1
            group.conversations[item["sender"]] += 1
            group.last_seen = max(group.last_seen, item["timestamp"] or 0)
    return groups


def main(argv: list[str] | None = None) -> int:
    """Write the report and say where it is."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--endpoints", type=Path, default=PROJECT_ROOT / "deploy" / "endpoints.yml")
    parser.add_argument("--domain", type=Path, default=PROJECT_ROOT / "domain.yml")
    parser.add_argument("--out", type=Path, default=report_path(),
                        help="default: $UNANSWERED_REPORT or reports/unanswered.md (where /forget edits it)")
    arguments = parser.parse_args(argv)
    groups = asyncio.run(collect(arguments.endpoints, arguments.domain))
    publish_report(arguments.out, render(groups, retention_days()))
    total = sum(group.count for group in groups.values())
    print(f"{total} unanswered messages in {len(groups)} groups written to {arguments.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
