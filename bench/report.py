"""Writes RESULTS.md (one table: ours, baseline of the same run, ratio, target) and the PNGs."""
from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from collections.abc import Sequence

from bench.load import Summary, percentile
from scripts.model_store import PROJECT_ROOT

GIB = 1024 ** 3
MIB = 1024 ** 2
MEMORY_TARGET_BYTES = int(1.5 * GIB)
LATENCY_TARGET = 1.5  # full turn p50 / parse p50
THROUGHPUT_TARGET = 2.5  # ours / stock at 8 concurrent conversations
THROUGHPUT_TARGET_LEVEL = 8
CONVERSATION_TARGET = 1.2  # p50 of the last window / p50 of the first
COLD_START_TARGET_SECONDS = 25.0


@dataclass
class Row:
    """One line of the results table."""

    section: str
    measure: str
    ours: str
    baseline: str
    ratio: str
    target: str = "—"
    met: bool | None = None


# --- formatting -------------------------------------------------------------------------------


def ms(seconds: float | None) -> str:
    """Format seconds as milliseconds."""
    if seconds is None or math.isnan(seconds):
        return "n/a"
    value = seconds * 1000
    return f"{value:.1f} ms" if value < 10 else f"{value:.0f} ms"


def secs(seconds: float | None) -> str:
    """Format seconds."""
    return "n/a" if seconds is None else f"{seconds:.1f} s"


def size(value: float | None) -> str:
    """Format bytes as MiB (GiB above 1 GiB)."""
    if value is None:
        return "n/a"
    if value >= GIB:
        return f"{value / GIB:.2f} GiB"
    return f"{value / MIB:.0f} MiB" if value >= 10 * MIB else f"{value / 1024:.0f} KiB"


def ratio(ours: float | None, baseline: float | None) -> float | None:
    """Return ours / baseline, or None."""
    if ours is None or baseline is None or baseline == 0 or math.isnan(ours) or math.isnan(baseline):
        return None
    return ours / baseline


def fmt_ratio(value: float | None) -> str:
    """Format a ratio."""
    return "n/a" if value is None else f"{value:.2f}×"


def met_cell(met: bool | None) -> str:
    """Format whether a target is met."""
    return {True: "**yes**", False: "**NO**", None: "—"}[met]


def not_measured(section: str, measure: str, why: str) -> Row:
    """A row for something that was not measured."""
    return Row(section, measure, f"not measured ({why})", "", "")


# --- rows -------------------------------------------------------------------------------------


def _summary(values: Sequence[float] | None) -> Summary | None:
    return Summary.of(values) if values else None


def _p50_window(latencies: Sequence[float], first: int, last: int) -> float | None:
    window = latencies[first - 1:last]
    return percentile(window, 50) if len(window) == last - first + 1 else None


def conversation_windows(results: dict[str, Any]) -> tuple:
    """Return (turns, window) of the conversation-length measurement."""
    sizes = results["sizes"]
    return sizes.conversation_turns, sizes.conversation_window


def build_rows(results: dict[str, Any]) -> list[Row]:
    """Return the table rows from the measurements."""
    ours, stock = results.get("ours"), results.get("stock")
    skip = set(results.get("skip", []))
    rows: list[Row] = []

    # Quality.
    if ours and ours.quality:
        oq, sq = ours.quality, stock.quality if stock and stock.quality else None
        for key, label in (("accuracy", "intent accuracy"), ("macro_f1", "intent macro-F1")):
            value, base = oq[key], sq[key] if sq else None
            rows.append(Row("quality", f"{label}, held-out questions without context (n={oq['n']})",
                            f"{value:.1%}" if key == "accuracy" else f"{value:.3f}",
                            (f"{base:.1%}" if key == "accuracy" else f"{base:.3f}") + " (stock)"
                            if base is not None else "n/a",
                            fmt_ratio(ratio(value, base)), "≥ stock",
                            None if base is None else value >= base))
    else:
        rows.append(not_measured("quality", "intent accuracy / macro-F1", "skipped"))

    # Latency.
    if ours and ours.latency and ours.latency.full:
        full, parse = Summary.of(ours.latency.full), Summary.of(ours.latency.parse)
        value = ratio(full.p50, parse.p50)
        rows.append(Row("latency", f"full REST turn p50 vs bare /model/parse p50, same server "
                                   f"(n={full.n} each)", ms(full.p50), f"{ms(parse.p50)} (parse)",
                        fmt_ratio(value), f"≤ {LATENCY_TARGET}×",
                        None if value is None else value <= LATENCY_TARGET))
        for name in ("p95", "p99"):
            a, b = getattr(full, name), getattr(parse, name)
            rows.append(Row("latency", f"full REST turn {name} vs parse {name}", ms(a),
                            f"{ms(b)} (parse)", fmt_ratio(ratio(a, b))))
        if stock and stock.latency and stock.latency.full:
            sfull, sparse = Summary.of(stock.latency.full), Summary.of(stock.latency.parse)
            rows.append(Row("latency", "full REST turn p50, ours vs stock", ms(full.p50),
                            f"{ms(sfull.p50)} (stock)", fmt_ratio(ratio(full.p50, sfull.p50))))
            rows.append(Row("latency", "stock: full REST turn p50 vs parse p50", ms(sfull.p50) + " (stock)",
                            f"{ms(sparse.p50)} (stock parse)", fmt_ratio(ratio(sfull.p50, sparse.p50)),
                            f"≤ {LATENCY_TARGET}× (for reference)",
                            None))
    else:
        rows.append(not_measured("latency", "full turn vs parse",
                                 "skipped" if "latency" in skip else "time budget used up"))

    # Throughput.
    if ours and ours.throughput:
        stock_levels = {t.concurrency: t for t in (stock.throughput if stock else [])}
        for level in ours.throughput:
            base = stock_levels.get(level.concurrency)
            value = ratio(level.turns_per_second, base.turns_per_second if base else None)
            is_target = level.concurrency == THROUGHPUT_TARGET_LEVEL
            rows.append(Row(
                "throughput", f"turns/s, {level.concurrency} concurrent conversation"
                              f"{'s' if level.concurrency > 1 else ''} ({level.turns} turns)",
                f"{level.turns_per_second:.1f}",
                f"{base.turns_per_second:.1f} (stock)" if base else "n/a", fmt_ratio(value),
                f"≥ {THROUGHPUT_TARGET}× stock" if is_target else "—",
                (None if value is None else value >= THROUGHPUT_TARGET) if is_target else None))
        lost = sum(t.lost for t in ours.throughput)
        slost = sum(t.lost for t in stock.throughput) if stock and stock.throughput else None
        order = sum(t.out_of_order + t.unanswered_in_tracker for t in ours.throughput)
        sorder = (sum(t.out_of_order + t.unanswered_in_tracker for t in stock.throughput)
                  if stock and stock.throughput else None)
        total = sum(t.turns for t in ours.throughput)
        stotal = sum(t.turns for t in stock.throughput) if stock and stock.throughput else 0
        rows.append(Row("throughput", "lost replies (error, timeout or empty reply), all levels",
                        f"{lost} of {total}",
                        f"{slost} of {stotal} (stock)" if slost is not None else "n/a", "—", "0",
                        lost == 0))
        rows.append(Row("throughput", "out-of-order or unanswered turns in Rasa's trackers, "
                                      "all levels", f"{order} of {total}",
                        f"{sorder} of {stotal} (stock)" if sorder is not None else "n/a", "—", "0",
                        order == 0))
    else:
        rows.append(not_measured("throughput", "turns/s",
                                 "skipped" if "throughput" in skip else "time budget used up"))

    # Conversation length.
    turns, window = conversation_windows(results)
    first, last = f"1–{window}", f"{turns - window + 1}–{turns}"
    for stack in (ours, stock):
        if not stack or not stack.conversation:
            continue
        lat = stack.conversation.latencies
        if len(lat) < turns:
            rows.append(not_measured("conversation length", f"{stack.label}: late vs early p50",
                                     f"cut short after {len(lat)} of {turns} turns"))
            continue
        early = _p50_window(lat, 1, window)
        late = _p50_window(lat, turns - window + 1, turns)
        value = ratio(late, early)
        rows.append(Row("conversation length",
                        f"{stack.label}: p50 at turns {last} vs turns {first}, one conversation",
                        ms(late), f"{ms(early)} (turns {first})", fmt_ratio(value),
                        f"≤ {CONVERSATION_TARGET}×",
                        None if value is None else value <= CONVERSATION_TARGET))
    if not (ours and ours.conversation):
        rows.append(not_measured("conversation length", "late vs early p50", "skipped"))

    # Telegram path.
    telegram = ours.telegram if ours else None
    if telegram and telegram.telegram:
        tg, rest = Summary.of(telegram.telegram), Summary.of(telegram.rest)
        for name in ("p50", "p95"):
            a, b = getattr(tg, name), getattr(rest, name)
            rows.append(Row("Telegram path", f"fake Bot API → bot → Rasa, update queued → "
                                             f"sendMessage, {name} (n={tg.n})",
                            ms(a), f"{ms(b)} (REST directly)", fmt_ratio(ratio(a, b))))
        rows.append(Row("Telegram path", "messages without an answer / with the 12348 fallback",
                        f"{telegram.lost} / {telegram.fallbacks}", "—", "—", "0 / 0",
                        telegram.lost == 0 and telegram.fallbacks == 0))
    else:
        why = "skipped" if "telegram" in skip else (telegram.error if telegram else "not run")
        rows.append(not_measured("Telegram path", "update → sendMessage", why))

    # Start-up.
    if ours and ours.cold_start_seconds is not None:
        base = stock.cold_start_seconds if stock else None
        rows.append(Row("start-up", "cold start: servers launched → first REST answer "
                                    "(Rasa + action server)",
                        secs(ours.cold_start_seconds), f"{secs(base)} (stock)" if base else "n/a",
                        fmt_ratio(ratio(ours.cold_start_seconds, base)),
                        f"≤ {COLD_START_TARGET_SECONDS:.0f} s",
                        ours.cold_start_seconds <= COLD_START_TARGET_SECONDS))

    # Training.
    stock_model = results.get("stock_model")
    if stock_model is not None:
        stock_training = f"{secs(stock_model.training_seconds)} (stock" + (
            f", cached: trained {stock_model.trained_at})" if stock_model.cached else ")")
    else:
        stock_training = "n/a"
    times = results.get("training")
    if times is not None:
        base = stock_model.training_seconds if stock_model else None
        rows.append(Row("training", "full training of our config (fresh copy, empty cache)",
                        secs(times.full_seconds), stock_training,
                        fmt_ratio(ratio(times.full_seconds, base))))
        rows.append(Row("training", "retraining after one new FAQ intent (warm cache)",
                        secs(times.retrain_seconds), stock_training,
                        fmt_ratio(ratio(times.retrain_seconds, base))))
    else:
        rows.append(not_measured("training", "our training time", "skipped"))

    # Memory.
    peaks = results.get("memory") or {}
    if peaks.get("ours/rasa"):
        for part, label in (("rasa", "Rasa server"), ("actions", "action server"),
                            ("telegram", "Telegram front end")):
            value, base = peaks.get(f"ours/{part}"), peaks.get(f"stock/{part}")
            if value is None:
                rows.append(not_measured("memory", f"peak RSS, {label}", "not run"))
                continue
            rows.append(Row("memory", f"peak RSS, {label}", size(value),
                            f"{size(base)} (stock)" if base else "— (no stock counterpart)"
                            if part == "telegram" else "n/a", fmt_ratio(ratio(value, base))))
        total = sum(v for k, v in peaks.items() if k.startswith("ours/"))
        stotal = sum(v for k, v in peaks.items() if k.startswith("stock/")) or None
        rows.append(Row("memory", "total: sum of the peaks above", size(total),
                        f"{size(stotal)} (stock, no front end)" if stotal else "n/a",
                        fmt_ratio(ratio(total, stotal)), "≤ 1.5 GiB", total <= MEMORY_TARGET_BYTES))
    return rows


# --- details and notes --------------------------------------------------------------------------


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
             f"{ms(parse.p50)} because DIET runs without transformer layers, which makes the "
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
                    ", so the cause is lower or closer DIET confidences, not a stricter setting")
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


def plot(results: dict[str, Any], out: Path) -> dict[str, Path]:
    """Write latency.png and throughput.png; return their paths (only those written)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    written: dict[str, Path] = {}
    ours, stock = results.get("ours"), results.get("stock")
    series = []
    for stack, colour in ((ours, "tab:blue"), (stock, "tab:orange")):
        if stack and stack.latency and stack.latency.full:
            series.append((f"{stack.label}: full REST turn", stack.latency.full, colour, "-"))
            series.append((f"{stack.label}: /model/parse", stack.latency.parse, colour, ":"))
    if ours and ours.telegram and ours.telegram.telegram:
        series.append(("ours: Telegram path", ours.telegram.telegram, "tab:green", "--"))
    if series:
        figure, axis = plt.subplots(figsize=(8, 5.4))
        for label, values, colour, style in series:
            ordered = sorted(v * 1000 for v in values)
            fractions = [(i + 1) / len(ordered) for i in range(len(ordered))]
            axis.step(ordered, fractions, where="post", color=colour, linestyle=style,
                      label=f"{label} (p50 {percentile(ordered, 50):.0f} ms, n={len(ordered)})")
        axis.set_xscale("log")
        axis.set_xlabel("latency (ms, log scale)")
        axis.set_ylabel("fraction of requests ≤ x")
        axis.set_title("Latency distribution: full REST turn vs bare /model/parse (same server)")
        axis.grid(True, which="both", alpha=0.3)
        axis.legend(fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.16), ncol=2,
                    frameon=False)
        figure.tight_layout()
        written["latency"] = out / "latency.png"
        figure.savefig(written["latency"], dpi=110)
        plt.close(figure)
    if ours and ours.throughput:
        figure, axis = plt.subplots(figsize=(7, 4.2))
        for stack, colour in ((ours, "tab:blue"), (stock, "tab:orange")):
            if not stack or not stack.throughput:
                continue
            xs = [t.concurrency for t in stack.throughput]
            ys = [t.turns_per_second for t in stack.throughput]
            axis.plot(xs, ys, marker="o", color=colour, label=stack.label)
            for x, y in zip(xs, ys, strict=False):
                axis.annotate(f"{y:.1f}", (x, y), textcoords="offset points", xytext=(0, 6),
                              ha="center", fontsize=8)
        axis.set_xscale("log", base=2)
        axis.set_xticks([t.concurrency for t in ours.throughput])
        axis.set_xticklabels([str(t.concurrency) for t in ours.throughput])
        axis.set_xlabel("concurrent conversations")
        axis.set_ylabel("turns per second")
        axis.set_ylim(bottom=0)
        axis.set_title("Throughput through the REST channel (full turns)")
        axis.grid(True, alpha=0.3)
        axis.legend()
        figure.tight_layout()
        written["throughput"] = out / "throughput.png"
        figure.savefig(written["throughput"], dpi=110)
        plt.close(figure)
    return written


# --- the document -------------------------------------------------------------------------------


def render(results: dict[str, Any], rows: list[Row], pictures: dict[str, Path]) -> str:
    """Return RESULTS.md."""
    machine, versions, sizes = results["machine"], results["versions"], results["sizes"]
    ours, stock = results.get("ours"), results.get("stock")
    stock_model = results.get("stock_model")
    title = "# Benchmark results" + (" (quick run: small sizes, not the benchmark)" if results["quick"] else "")
    lines = [
        title, "",
        "Generated by `bench/` (`make bench`); do not edit by hand. Every baseline value was "
        "measured in the same run as ours, on the same machine, one stack at a time (except the "
        "stock training time when the stock model came from the cache; the row says so).", "",
        f"- **Date:** {results['date']}; total run time {results['elapsed_seconds'] / 60:.1f} min",
        f"- **Machine:** {machine['nproc']} CPUs ({machine['cpu']}), "
        f"{machine['memory_bytes'] / GIB:.1f} GiB memory; load average before/after "
        f"{machine['load_before'][0]:.2f} / {machine['load_after'][0]:.2f}",
        "- **Versions:** " + ", ".join(f"{k} {v}" for k, v in versions.items()),
        f"- **Command:** {results['command']}",
        f"- **Ours:** models/current.tar.gz → `{results['our_model']}`"
        + (" (**stale**: the training inputs changed since; run `make model`)"
           if results.get("our_model_stale") else "")
        + "; config.yml (text normaliser, DIET without transformer, knowledge router policy)",
        "- **Stock:** Rasa 3.6's default `rasa init` pipeline and policies "
        "([bench/stock_config.yml](stock_config.yml)), same data/nlu/ and domain, plus one "
        "rule per faq_*/stat_* intent" + (f"; model `{stock_model.path.name}`" if stock_model else ""),
        "",
        "| area | measure | ours | baseline (same run) | ratio | target | met? |",
        "|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        lines.append(f"| {row.section} | {row.measure} | {row.ours} | {row.baseline} | "
                     f"{row.ratio} | {row.target} | {met_cell(row.met)} |")
    lines += [""]
    if pictures:
        lines += ["## Pictures", ""]
        if "latency" in pictures:
            lines += ["![Latency distribution](latency.png)", "",
                      "[latency.png](latency.png): cumulative distribution of full REST turns "
                      "and bare parses (ours and stock) and of the Telegram path.", ""]
        if "throughput" in pictures:
            lines += ["![Throughput vs concurrency](throughput.png)", "",
                      "[throughput.png](throughput.png): completed turns per second against "
                      "concurrent conversations, ours vs stock.", ""]
    lines += ["## Notes", ""]
    lines += [f"- {note}" for note in build_notes(results, rows)]
    errors = list(results.get("errors", []))
    for stack in (ours, stock):
        errors += [f"{stack.label}: {e}" for e in (stack.errors if stack else [])]
    if errors:
        lines += ["", "Not measured or cut short in this run:", ""] + [f"- {e}" for e in errors]
    turns, window = sizes.conversation_turns, sizes.conversation_window
    lines += [
        "", "## How it was measured", "",
        "- All traffic on 127.0.0.1. `scripts/services.py` starts each action server and Rasa "
        "server (`--enable-api --auth-token`, in-memory tracker and lock stores); the knowledge "
        "base is a temporary SQLite file loaded with `knowledge.loader`. Ours runs first, then "
        "stock; the client is asyncio + aiohttp with keep-alive connections, in the same "
        "2-core machine.",
        f"- **Quality:** `POST /model/parse` for each held-out question without `context` "
        f"({results['texts']['quality']} questions); correct when the top intent equals "
        "`expect` (nlu_fallback counts as wrong, also for out-of-scope questions). Macro-F1 "
        "averages the F1 of every expected intent.",
        f"- **Latency:** after {sizes.warmup_turns} warm-up turns, {sizes.latency_turns} "
        "sequential REST turns over a fixed-seed mix of the held-out questions (a new sender "
        "every 25 turns), each interleaved with a bare parse of the same text on the same "
        "server (alternating which goes first). Percentiles are linear-interpolated.",
        f"- **Throughput:** {', '.join(str(level) for level in sizes.throughput_levels)} "
        f"concurrent conversations for {sizes.throughput_seconds:g} s each (at most "
        f"{sizes.throughput_max_turns} turns); each sends its next message only after the "
        "previous reply. Lost = HTTP error, timeout or an empty reply list. Order was then "
        "checked in Rasa's tracker of every sender (`GET /conversations/<id>/tracker`): user "
        "messages in the order sent, each followed by a bot message.",
        f"- **Conversation length:** one conversation of {turns} turns cycling through the "
        f"same {window} knowledge questions, so turns {turns - window + 1}–{turns} ask exactly "
        f"what turns 1–{window} asked.",
        "- **Telegram path:** the fake Bot API of testkit/fake_telegram.py in the benchmark "
        "process, `python -m bot` as its own process long-polling it; latency from queueing the "
        "update to the fake receiving the answer's sendMessage; each message from a new chat; "
        "interleaved with the same question sent straight to the REST channel.",
        "- **Start-up:** both servers launched at once (like `make run`), clock stopped at the "
        "first non-empty REST answer to a knowledge question (so the action server and the "
        "knowledge base are included). Python files were in the page cache (not a cold disk).",
        "- **Training:** `scripts.model_store.train_model` in a fresh copy of the project "
        "(empty `.rasa/cache`); then `faq_court_fee_relief` (20 examples) added to data/nlu/ "
        "and domain.yml in the same copy and trained again. The stock model is cached under "
        "bench/work/stock/ by a hash of its inputs; when cached, its training time is the one "
        "measured when it was trained.",
        "- **Memory:** VmRSS of each server and its child processes sampled every 0.25 s, and "
        "the kernel's VmHWM read just before stopping it; the larger counts. The total adds "
        "the peaks (an upper bound: they need not coincide).",
    ]
    lines += ["", "## Details"]
    latency, throughput = _latency_details(results), _throughput_details(results)
    if len(latency) > 2:
        lines += ["", "### Latency", ""] + latency
    if len(throughput) > 2:
        lines += ["", "### Throughput", ""] + throughput
    quality = _quality_details(results)
    if quality:
        lines += ["", "### Quality", ""] + quality
    other: list[str] = []
    for stack in (ours, stock):
        if stack and stack.conversation and stack.conversation.tracker_bytes:
            sizes_ = stack.conversation.tracker_bytes
            other.append(f"- {stack.label} long conversation: tracker JSON "
                         + ", ".join(f"{size(v)} after turn {k}" for k, v in sorted(sizes_.items()))
                         + f"; lost replies {stack.conversation.lost}")
    for stack in (ours, stock):
        if stack and stack.rasa_up_seconds:
            other.append(f"- {stack.label} start-up: action server /health after "
                         f"{secs(stack.action_server_up_seconds)}, Rasa / after "
                         f"{secs(stack.rasa_up_seconds)}, first answer after "
                         f"{secs(stack.cold_start_seconds)}")
    if ours and ours.telegram and ours.telegram.startup_seconds:
        other.append(f"- Telegram front end: polling {secs(ours.telegram.startup_seconds)} after "
                     f"launch; REST replies lost during the Telegram comparison: "
                     f"{ours.telegram.rest_lost}")
    stock_model = results.get("stock_model")
    if stock_model is not None:
        other.append(f"- stock model `{stock_model.path.name}`: "
                     + (f"from the cache, trained {stock_model.trained_at} in "
                        if stock_model.cached else "trained in this run in ")
                     + f"{secs(stock_model.training_seconds)}")
    if other:
        lines += ["", "### Conversation length, start-up, front end", ""] + other
    peaks = results.get("memory") or {}
    if peaks:
        counts = results.get("memory_processes") or {}
        together = results.get("memory_simultaneous") or {}
        lines += ["", "### Memory", ""]
        lines += [f"- {name}: peak {size(value)} ({counts.get(name, 1)} process"
                  f"{'es' if counts.get(name, 1) > 1 else ''})" for name, value in sorted(peaks.items())]
        lines += [f"- {stack}: highest simultaneous sum of the samples {size(value)}"
                  for stack, value in sorted(together.items())]
    return "\n".join(lines) + "\n"


def write(results: dict[str, Any], out: Path) -> Path:
    """Write RESULTS.md and the PNGs into `out`; return the RESULTS.md path."""
    out.mkdir(parents=True, exist_ok=True)
    rows = build_rows(results)
    pictures = plot(results, out)
    path = out / "RESULTS.md"
    path.write_text(render(results, rows, pictures))
    return path
