"""The prose of bench/RESULTS.md: details and notes that explain each measure and each missed target."""
from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any
from collections.abc import Sequence

from bench.load import Summary, percentile
from bench.rows import (
    COLD_START_TARGET_SECONDS,
    CONVERSATION_TARGET,
    LATENCY_TARGET,
    Row,
    THROUGHPUT_TARGET,
    THROUGHPUT_TARGET_LEVEL,
    fmt_ratio,
    ms,
    ratio,
    secs,
    size,
)
from scripts.model_store import PROJECT_ROOT


def is_knowledge(expect: str) -> bool:
    """True for intents answered from the knowledge base by the action server."""
    return expect.startswith(("faq_", "stat_")) or expect in (
        "ask_period_followup", "ask_unknown_statistic")


def latency_split(latency: Any, expect: dict[str, str], knowledge: bool) -> tuple:
    """Return (full, parse) durations of the questions (not) expected to hit the knowledge base."""
    picked = [i for i, text in enumerate(latency.texts) if is_knowledge(expect.get(text, "")) == knowledge]
    return [latency.full[i] for i in picked], [latency.parse[i] for i in picked]


def _latency_details(results: dict[str, Any]) -> list[str]:
    expect = results["texts"]["expect"]
    lines = ["| stack | request | questions | n | p50 | p95 | p99 | mean |",
             "|---|---|---|---|---|---|---|---|"]
    for stack in (results.get("ours"), results.get("stock")):
        if not stack or not stack.latency or not stack.latency.full:
            continue
        groups = [("all", stack.latency.full, stack.latency.parse)]
        for knowledge, label in ((True, "knowledge (faq_/stat_: action server + KB)"),
                                 (False, "other (greet, thanks, out of scope, handoff…)")):
            full, parse = latency_split(stack.latency, expect, knowledge)
            groups.append((label, full, parse))
        for request, index in (("full REST turn", 1), ("/model/parse", 2)):
            for group in groups:
                if not group[index]:
                    continue
                s = Summary.of(group[index])
                lines.append(f"| {stack.label} | {request} | {group[0]} | {s.n} | {ms(s.p50)} | "
                             f"{ms(s.p95)} | {ms(s.p99)} | {ms(s.mean)} |")
        lines.append(f"| {stack.label} | lost full turns | all | {stack.latency.lost} | | | | |")
    return lines


def _throughput_details(results: dict[str, Any]) -> list[str]:
    lines = ["| stack | concurrent | turns | seconds | turns/s | turn p50 | turn p95 | lost | "
             "out of order | unanswered in tracker | senders checked |",
             "|---|---|---|---|---|---|---|---|---|---|---|"]
    for stack in (results.get("ours"), results.get("stock")):
        for t in (stack.throughput if stack else []):
            lines.append(f"| {stack.label} | {t.concurrency} | {t.turns} | {t.seconds:.1f} | "
                         f"{t.turns_per_second:.1f} | {ms(percentile(t.latencies, 50))} | "
                         f"{ms(percentile(t.latencies, 95))} | {t.lost} | {t.out_of_order} | "
                         f"{t.unanswered_in_tracker} | {t.senders_checked} |")
    return lines


def _quality_details(results: dict[str, Any]) -> list[str]:
    lines: list[str] = []
    for stack in (results.get("ours"), results.get("stock")):
        if not stack or not stack.quality:
            continue
        q = stack.quality
        confusions = Counter((e, p) for e, p in zip(q["expected"], q["predicted"], strict=False) if e != p)
        top = ", ".join(f"{e} → {p} ×{n}" for (e, p), n in confusions.most_common(6))
        lines.append(f"- {stack.label}: {q['correct']}/{q['n']} correct, {q['fallbacks']} "
                     f"nlu_fallback; most frequent confusions: {top or 'none'}")
    return lines


def _p50(values: Sequence[float]) -> float | None:
    return percentile(values, 50) if values else None


def _validation(results: dict[str, Any]) -> tuple:
    """Return (Rasa's validation seconds, prebuilt validator seconds) or (None, None)."""
    found = results.get("diagnostics") or {}
    return found.get("rasa_validate_seconds"), found.get("prebuilt_validator_seconds")


def _latency_note(results: dict[str, Any]) -> str:
    ours = results["ours"]
    expect = results["texts"]["expect"]
    full, parse = Summary.of(ours.latency.full), Summary.of(ours.latency.parse)
    knowledge_full = _p50(latency_split(ours.latency, expect, True)[0])
    other_full = _p50(latency_split(ours.latency, expect, False)[0])
    validate, prebuilt = _validation(results)
    text = (f"**Latency: full turn p50 {ms(full.p50)} vs parse {ms(parse.p50)} "
            f"({fmt_ratio(ratio(full.p50, parse.p50))}, target ≤ {LATENCY_TARGET}×).** ")
    if knowledge_full is not None and other_full is not None:
        text += (f"Turns answered by a rule without the action server (greetings, thanks, "
                 f"out of scope) take {ms(other_full)} p50, already "
                 f"{fmt_ratio(ratio(other_full, parse.p50))} the parse; knowledge turns, which call "
                 f"the action server, take {ms(knowledge_full)}. ")
    if validate is not None:
        text += (f"Rasa 3.6's `RemoteAction._validate_action_result` checks each action-server "
                 f"response with `jsonschema.validate`, which re-checks the whole events schema "
                 f"and builds a new validator on every call: {ms(validate)} per call here, against "
                 f"{ms(prebuilt)} with a validator built once. Ours installs the prepared "
                 "validator (`rasa_addons/action_response_validation.py`); the stock stack pays "
                 "the full cost. ")
    text += ("The rest is Rasa's per-turn machinery, which the parse does not pay: the "
             "in-memory tracker store deserialises the whole tracker on every message, the "
             "policies run twice (after the user message and after the action), the action call "
             "opens a new HTTP connection and sends the whole tracker, and the tracker is saved "
             "again. The parse is only "
             f"{ms(parse.p50)} because the intent classifier is a logistic regression, which makes the "
             "fixed cost look large. What would get closer: `enable_selective_domain: true` "
             "under `action_endpoint` in endpoints.yml, so Rasa stops serialising the domain into "
             "every call; but ≤ 1.5× is not reachable while every turn goes "
             "through Rasa's tracker and policy loop, since even rule-only turns cost "
             f"{fmt_ratio(ratio(other_full, parse.p50))} the parse; it would take answering "
             "faq_*/stat_* intents straight from the parse result, outside Rasa Core, giving up "
             "the dialogue state (clarification, follow-ups).")
    return text


def _throughput_note(results: dict[str, Any]) -> str | None:
    ours, stock = results["ours"], results["stock"]
    levels = {t.concurrency: t for t in ours.throughput}
    slevels = {t.concurrency: t for t in stock.throughput}
    o, s = levels.get(THROUGHPUT_TARGET_LEVEL), slevels.get(THROUGHPUT_TARGET_LEVEL)
    if not (o and s):
        return None
    per_turn, stock_per_turn = 1 / o.turns_per_second, 1 / s.turns_per_second
    text = (f"**Throughput at {THROUGHPUT_TARGET_LEVEL} concurrent: {o.turns_per_second:.1f} vs "
            f"stock {s.turns_per_second:.1f} turns/s "
            f"({fmt_ratio(ratio(o.turns_per_second, s.turns_per_second))}, target ≥ "
            f"{THROUGHPUT_TARGET}×).** A Rasa process runs NLU and policy inference synchronously "
            "on its one event loop, so concurrent conversations queue for it: throughput is about "
            "1 / (CPU time per turn): here one turn every "
            f"{ms(per_turn)} for ours and every {ms(stock_per_turn)} for stock, with the action server "
            "and the load generator on the same 2 cores. Ours saves the stock model's transformer "
            "and TED / UnexpecTED inference, but both stacks pay the same Rasa Core machinery and "
            "the same action-server call, which are most of a turn (see latency), so the ratio "
            "stays near the ratio of whole-turn costs. ")
    validate, prebuilt = _validation(results)
    if validate is not None:
        text += (f"Ours also skips {ms(validate - prebuilt)} of schema preparation per action "
                 "call that stock Rasa pays (see latency). ")
    if o.turns_per_second / s.turns_per_second < THROUGHPUT_TARGET:
        text += "Reaching 2.5× needs more than one Rasa process: "
    else:
        text += "A margin beyond that needs more than one Rasa process: "
    text += ("several `rasa run` processes behind a load balancer sharing the tracker store and "
             "the Redis lock store of deploy/endpoints.yml, on more cores than this 2-core "
             "machine.")
    return text


def _conversation_note(results: dict[str, Any], missed: list[str]) -> str:
    parts = []
    for stack in (results.get("ours"), results.get("stock")):
        if stack and stack.conversation and stack.conversation.tracker_bytes:
            sizes_ = stack.conversation.tracker_bytes
            parts.append(f"{stack.label}: " + ", ".join(
                f"{size(v)} after turn {k}" for k, v in sorted(sizes_.items())))
    return (
        "**Conversation length (" + "; ".join(missed) + ").** Rasa keeps every event of a "
        "conversation, and the per-turn work grows with it: the in-memory tracker store "
        "deserialises the whole tracker on every message, the policies featurise the dialogue "
        "history, and each action call sends the whole tracker to the action server and "
        "serialises it again (tracker JSON " + "; ".join(parts) + "). The same questions were "
        f"asked in both windows, so the growth is the conversation itself. What would reach ≤ "
        f"{CONVERSATION_TARGET}×: shorter sessions (a smaller `session_expiration_time`: Rasa "
        "3.6's tracker store hands Rasa, and so the action server, only the current session), "
        "and an action call that sends only what the "
        "actions read (the latest intent and two slots), which Rasa 3.6 offers no switch for.")


def fallback_thresholds(path: Path) -> tuple | None:
    """Return (threshold, ambiguity_threshold) of the FallbackClassifier in a config file."""
    import yaml

    try:
        for component in yaml.safe_load(path.read_text()).get("pipeline") or []:
            if component.get("name") == "FallbackClassifier":
                return component.get("threshold"), component.get("ambiguity_threshold")
    except (OSError, AttributeError, yaml.YAMLError):
        pass
    return None


def _fewer(difference: int) -> str:
    if difference == 0:
        return "as many questions right"
    word = "question" if abs(difference) == 1 else "questions"
    return f"{abs(difference)} {word} {'more' if difference > 0 else 'fewer'} right"


def _quality_note(results: dict[str, Any]) -> str:
    ours, stock = results["ours"], results["stock"]
    oq, sq = ours.quality, stock.quality
    text = (f"**Quality: ours {oq['accuracy']:.1%} / macro-F1 {oq['macro_f1']:.3f} vs stock "
            f"{sq['accuracy']:.1%} / {sq['macro_f1']:.3f} on {oq['n']} questions "
            f"({_fewer(oq['correct'] - sq['correct'])}).** ")
    ours_t = fallback_thresholds(PROJECT_ROOT / "config.yml")
    stock_t = fallback_thresholds(Path(__file__).resolve().parent / "stock_config.yml")
    if oq["fallbacks"] > sq["fallbacks"] and ours_t and stock_t:
        stricter = (ours_t[0] or 0) > (stock_t[0] or 0)
        text += (f"Ours sends {oq['fallbacks']} of them to nlu_fallback (stock: "
                 f"{sq['fallbacks']}); its FallbackClassifier has threshold {ours_t[0]} / "
                 f"ambiguity {ours_t[1]} against stock's {stock_t[0]} / {stock_t[1]}"
                 + (", so it is stricter" if stricter else
                    ", so the cause is lower or closer intent confidences, not a stricter setting")
                 + ". A fallback makes the bot ask \"Did you mean…?\" with buttons instead of "
                 "guessing; this strict intent metric counts it as wrong. ")
    ours_lat, stock_lat = ours.latency, stock.latency
    if ours_lat and stock_lat and ours_lat.parse and stock_lat.parse:
        text += (f"Stock's transformer DIET parses in {ms(_p50(stock_lat.parse))} against "
                 f"{ms(_p50(ours_lat.parse))}")
        stock_model = results.get("stock_model")
        if stock_model is not None:
            text += f" and took {stock_model.training_seconds / 60:.0f} min to train"
        text += ". "
    text += ("What would close the gap: the confusions under Details are the training examples "
             "to add (data/nlu/), or a lower fallback threshold if guessing is preferred to "
             "asking.")
    return text


def build_notes(results: dict[str, Any], rows: list[Row]) -> list[str]:
    """Explain each missed target with the numbers of this run, and what would reach it."""
    notes: list[str] = []
    ours, stock = results.get("ours"), results.get("stock")
    missed_rows = [row for row in rows if row.met is False]
    sections = {row.section for row in missed_rows}
    if "latency" in sections and ours and ours.latency and ours.latency.full:
        notes.append(_latency_note(results))
    if "throughput" in sections and ours and stock and ours.throughput and stock.throughput:
        note = _throughput_note(results)
        if note:
            notes.append(note)
    conversation = [row.measure.split(":")[0] + f" {row.ratio}" for row in missed_rows
                    if row.section == "conversation length"]
    if conversation:
        notes.append(_conversation_note(results, conversation))
    if ours and ours.cold_start_seconds and ours.cold_start_seconds > COLD_START_TARGET_SECONDS:
        notes.append(
            f"**Start-up ({secs(ours.cold_start_seconds)}).** Most of it is importing "
            "TensorFlow and Rasa and loading the model graph, with the action server starting "
            "on the same 2 cores. What would reach the target: a lighter pipeline or more cores.")
    if "memory" in sections:
        peaks = results.get("memory") or {}
        total = sum(v for k, v in peaks.items() if k.startswith("ours/"))
        notes.append(
            f"**Memory ({size(total)}).** The Rasa server's TensorFlow runtime dominates; the "
            "action server and the front end are small.")
    if "quality" in sections and ours and stock and ours.quality and stock.quality:
        notes.append(_quality_note(results))
    if not notes:
        notes.append("Every target with a measured value was met in this run.")
    return notes


# --- pictures ---------------------------------------------------------------------------------
