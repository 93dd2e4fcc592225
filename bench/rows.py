"""The rows of bench/RESULTS.md: each measure, ours vs the baseline, ratio and target."""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any
from collections.abc import Sequence

from bench.load import Summary, percentile

GIB = 1024 ** 3
MIB = 1024 ** 2
MEMORY_TARGET_BYTES = int(1.5 * GIB)
LATENCY_TARGET = 1.5  # full turn p50 / parse p50
THROUGHPUT_TARGET = 2.5  # ours / stock at 8 concurrent conversations
THROUGHPUT_TARGET_LEVEL = 8
CONVERSATION_TARGET = 1.2  # p50 of the last window / p50 of the first
INBOX_TARGET = 1.3  # Telegram path p50 with the durable inbox / without it
BILINGUAL_TARGET = 1.5  # bilingual model / English-only model: full training time, full-turn p50
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
    rows += _language_rows(ours, stock, results.get("english_only"))

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

    english_only = results.get("english_only")
    if ours and ours.latency and ours.latency.full and english_only and english_only.latency:
        a, b = Summary.of(ours.latency.full).p50, Summary.of(english_only.latency.full).p50
        value = ratio(a, b)
        rows.append(Row("latency", "full REST turn p50, bilingual model vs English-only model "
                                   "(same config and stack, same run)", ms(a), f"{ms(b)} (English-only)",
                        fmt_ratio(value), f"≤ {BILINGUAL_TARGET}×",
                        None if value is None else value <= BILINGUAL_TARGET))

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
        if telegram.no_inbox:
            bare = Summary.of(telegram.no_inbox)
            for name in ("p50", "p95"):
                a, b = getattr(tg, name), getattr(bare, name)
                value = ratio(a, b)
                has_target = name == "p50"
                rows.append(Row("Telegram path", f"with the durable inbox vs without it, {name} "
                                                 f"(n={tg.n}, messages interleaved)",
                                ms(a), f"{ms(b)} (no inbox)", fmt_ratio(value),
                                f"≤ {INBOX_TARGET}×" if has_target else "—",
                                value <= INBOX_TARGET if has_target and value is not None else None))
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
        if times.english_only_seconds is not None:
            value = ratio(times.full_seconds, times.english_only_seconds)
            rows.append(Row("training", "full training, bilingual vs English-only data (our config, "
                                        "fresh copies, same run)", secs(times.full_seconds),
                            f"{secs(times.english_only_seconds)} (English-only)", fmt_ratio(value),
                            f"≤ {BILINGUAL_TARGET}×", None if value is None else value <= BILINGUAL_TARGET))
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


def _language_rows(ours, stock, english_only) -> list[Row]:
    """Top-1 intent accuracy per language: English and Chinese held-out sets, and what the
    English-only model scores on the English set."""
    rows = []
    for attribute, name in (("quality", "English"), ("quality_zh", "Chinese")):
        value = getattr(ours, attribute, None) if ours else None
        if not value:
            continue
        base = getattr(stock, attribute, None) if stock else None
        rows.append(Row("quality per language", f"{name} held-out, top-1 intent (n={value['n']})",
                        f"{value['accuracy']:.1%}",
                        f"{base['accuracy']:.1%} (stock)" if base else "n/a",
                        fmt_ratio(ratio(value["accuracy"], base["accuracy"] if base else None))))
    reference = english_only.quality if english_only else None
    if ours and ours.quality and reference:
        rows.append(Row("quality per language", f"English held-out, bilingual vs English-only model "
                                                f"(n={reference['n']})", f"{ours.quality['accuracy']:.1%}",
                        f"{reference['accuracy']:.1%} (English-only)",
                        fmt_ratio(ratio(ours.quality["accuracy"], reference["accuracy"]))))
    return rows


# --- details and notes --------------------------------------------------------------------------
