"""The pictures of bench/RESULTS.md: latency and throughput plots (matplotlib, no display)."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from bench.load import percentile



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
