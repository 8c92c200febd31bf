"""The table at the top of docs/BENCHMARKS.md: every headline figure with its peer, ratio and goal,
gathered from the latest saved results of each benchmark."""

from __future__ import annotations

from typing import Any

from bench.common import fmt, load_json, table, write_section


def _verdict(ok: bool | None) -> str:
    return "–" if ok is None else ("met" if ok else "**missed**")


def rows() -> list[list[str]]:
    out: list[list[str]] = []
    ingest = load_json("ingest")
    if ingest:
        out.append([
            "1. ingest throughput", f"{fmt(ingest['pipeline_texts_per_s'], 2)} texts/s",
            f"bare encode {fmt(ingest['bare_texts_per_s'], 2)} texts/s", f"{ingest['ratio']:.2f}",
            "≥ 0.90", _verdict(ingest["ratio"] >= 0.9),
        ])  # fmt: skip
    retrieval = load_json("retrieval")
    for r in (retrieval or {}).get("sizes", []):
        goal = {10000: 150.0, 100000: 300.0}.get(r["size"])
        out.append([
            f"2. retrieval p50 / p95, {r['size']:,} chunks",
            f"{fmt(r['p50_ms'], 0)} / {fmt(r['p95_ms'], 0)} ms",
            f"bare parts {fmt(r['bare_p50_ms'], 0)} ms", f"{r['p50_ms'] / r['bare_p50_ms']:.2f}",
            f"p50 < {goal:.0f} ms" if goal else "–",
            _verdict(r["p50_ms"] < goal if goal else None),
        ])  # fmt: skip
    answer = load_json("answer")
    if answer:
        out.append([
            "3. first token p50", fmt(answer["first_token_ms_p50"] / 1000, 2, " s"),
            f"bare llama-cpp {fmt(answer['bare_first_token_ms_p50'] / 1000, 2, ' s')}",
            f"{answer['first_token_ratio']:.2f}", "≤ 3 s, ratio ≤ 1.20",
            _verdict(answer["first_token_ms_p50"] <= 3000 and answer["first_token_ratio"] <= 1.2),
        ])  # fmt: skip
        out.append([
            "3. full answer p50", fmt(answer["total_ms_p50"] / 1000, 2, " s"),
            f"bare llama-cpp {fmt(answer['bare_total_ms_p50'] / 1000, 2, ' s')}",
            f"{answer['total_ratio']:.2f}", "≤ 12 s, ratio ≤ 1.20",
            _verdict(answer["total_ms_p50"] <= 12000 and answer["total_ratio"] <= 1.2),
        ])  # fmt: skip
        out.append([
            "3. prompt tokens per question", f"p50 {fmt(answer['prompt_tokens_p50'], 0)}, "
            f"max {answer['prompt_tokens_max']}", "–", "–", "–", "–",
        ])  # fmt: skip
    cold = load_json("coldstart")
    if cold:
        out.append([
            "4. cold start to first paint", fmt(cold["first_paint_s"], 1, " s"),
            f"one-line Streamlit app {fmt(cold['minimal_paint_s'], 1, ' s')}",
            f"{cold['paint_ratio']:.2f}", "–", "–",
        ])  # fmt: skip
        out.append([
            "4. cold start to first answer", fmt(cold["first_answer_s"], 1, " s"),
            f"`assistant ask` cold {fmt(cold['cli_answer_s'], 1, ' s')}",
            f"{cold['answer_ratio']:.2f}", "–", "–",
        ])  # fmt: skip
    for selection in ("sample", "all"):
        stock = load_json(f"stock-{selection}")
        if not stock:
            continue
        a, s = stock["summaries"]["assistant"], stock["summaries"]["stock"]
        n = len(stock["questions"])
        out.append([
            f"5. correct answers ({n} questions)", fmt(_correct(a), 2),
            f"stock recipe {fmt(_correct(s), 2)}", _ratio(_correct(a), _correct(s)), "–", "–",
        ])  # fmt: skip
        out.append([
            f"5. unanswerable refused ({n} questions)", fmt(a.get("refusal_accuracy"), 2),
            f"stock recipe {fmt(s.get('refusal_accuracy'), 2)}",
            _ratio(a.get("refusal_accuracy"), s.get("refusal_accuracy")), "–", "–",
        ])  # fmt: skip
        al, sl = a["latency_ms"], s["latency_ms"]
        out.append([
            f"5. first token / full answer p50 ({n} questions)",
            f"{fmt(al['first_token_p50'] / 1000, 1)} / {fmt(al['total_p50'] / 1000, 1)} s",
            f"stock recipe {fmt(sl['first_token_p50'] / 1000, 1)} / {fmt(sl['total_p50'] / 1000, 1)} s",
            f"{_ratio(al['first_token_p50'], sl['first_token_p50'])} / "
            f"{_ratio(al['total_p50'], sl['total_p50'])}", "–", "–",
        ])  # fmt: skip
    return out


def _correct(summary: dict[str, Any]) -> float | None:
    """Share of all questions handled correctly (answered right, or rightly refused)."""
    row = summary.get("by_kind", {}).get("all", {})
    value = row.get("correct")
    return float(value) if value is not None else None


def _ratio(a: float | None, b: float | None) -> str:
    return f"{a / b:.2f}" if a is not None and b else "–"


def write() -> None:
    body = rows()
    if not body:
        return
    write_section(
        "summary",
        "## Summary\n\nEach figure against its peer, measured in the same run (details below).\n\n"
        + table(["benchmark", "figure", "peer", "ratio", "goal", "verdict"], body),
        first=True,
    )
