"""`python -m bench quality`: the eval for the shipped defaults and for each alternative.

Every variant is the real pipeline with some `ASSISTANT_*` settings changed, run as
`assistant eval --json` in its own process (so nothing leaks between variants). A variant that
changes what the index holds (embedding model, chunk size) is ingested first into its own store
under bench/results/stores/. The defaults are also measured on the held-out set
(bench/holdout.yaml), written apart from the development set and not tuned on (the few choices
it took part in are listed in docs/EVALUATION.md).
The tables go to docs/EVALUATION.md between `<!-- quality:start -->` and `<!-- quality:end -->`;
raw summaries to bench/results/quality.json, per-question results to
bench/results/quality-SET-VARIANT.json.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.common import (
    RESULTS,
    fmt,
    load_json,
    machine,
    provenance,
    save_json,
    table,
    write_section,
)
from vectorstore.settings import PROJECT_ROOT

REPORT = PROJECT_ROOT / "docs" / "EVALUATION.md"
DEV_SET = PROJECT_ROOT / "bench" / "questions.yaml"
HOLDOUT_SET = PROJECT_ROOT / "bench" / "holdout.yaml"
STORES = RESULTS / "stores"
INDEX_SETTINGS = ("EMBEDDING_MODEL", "CHUNK_CHARS", "CHUNK_OVERLAP")
ASSISTANT = str(Path(sys.executable).with_name("assistant"))


@dataclass(frozen=True)
class Variant:
    """One configuration: a name, what it changes, and what it was compared for."""

    name: str
    group: str
    env: dict[str, str] = field(default_factory=dict)
    retrieval_only: bool = False

    @property
    def slug(self) -> str:
        slug = "-".join(f"{k}={v}" for k, v in sorted(self.env.items())) or "defaults"
        return f"{slug}-retrieval" if self.retrieval_only else slug

    @property
    def store_env(self) -> dict[str, str]:
        return {k: v for k, v in self.env.items() if k in INDEX_SETTINGS}


DEFAULTS = Variant("**defaults**", "defaults")
# Over a small collection the sentence rerank sees nearly every chunk, so the fusion weights are
# compared with it off (retrieval only): that is where they decide what the rerank gets.
_NO_RERANK = {"RERANK_CANDIDATES": "0"}
_NO_SENT = {"SENTENCE_WEIGHT": "0"}
VARIANTS: tuple[Variant, ...] = (
    DEFAULTS,
    Variant(
        "all-MiniLM-L6-v2 (English only)",
        "embedding model",
        {"EMBEDDING_MODEL": "all-minilm-l6-v2"},
    ),
    Variant("Qwen2.5-Coder-0.5B", "LLM", {"LLM_MODEL": "qwen2.5-coder-0.5b-instruct-q4_k_m"}),
    Variant("chunks ≤ 350 chars", "chunk size", {"CHUNK_CHARS": "350"}),
    Variant("chunks ≤ 1000 chars", "chunk size", {"CHUNK_CHARS": "1000"}),
    Variant("3 passages", "passages", {"PASSAGES": "3", "EVIDENCE_PASSAGES": "3"}),
    Variant("10 passages", "passages", {"PASSAGES": "10", "EVIDENCE_PASSAGES": "6"}),
    Variant("3 evidence sentences", "evidence sentences", {"EVIDENCE_SENTENCES": "3"}),
    Variant(
        "10 evidence sentences",
        "evidence sentences",
        {"EVIDENCE_SENTENCES": "10", "EVIDENCE_CHARS": "1500"},
    ),
    Variant("no sentence rerank", "rerank", {"RERANK_CANDIDATES": "0"}),
    Variant("no other-language bonus", "rerank", {"OTHER_LANGUAGE_BONUS": "0"}),
    Variant("other-language bonus 0.05", "rerank", {"OTHER_LANGUAGE_BONUS": "0.05"}),
    Variant("answer-kind penalty 0.1", "rerank", {"OFF_KIND_PENALTY": "0.1"}),
    Variant("bare-marker margin 0.05", "citation check", {"MARKER_MARGIN": "0.05"}),
    Variant("no second look for weak sources", "citation check", {"DRIFT_MARGIN": "-1"}),
    Variant("second look from 0.25 below the best", "citation check", {"DRIFT_MARGIN": "0.25"}),
    Variant("no nearest-sentence ranking", "fusion weights", {"SENTENCE_WEIGHT": "0"}),
    Variant("fusion 1 : 1 : 1 (the default)", "fusion weights", _NO_RERANK, retrieval_only=True),
    Variant("dense + BM25, no sentences", "fusion weights", {**_NO_RERANK, **_NO_SENT}, True),
    Variant(
        "dense only", "fusion weights", {**_NO_RERANK, **_NO_SENT, "LEXICAL_WEIGHT": "0"}, True
    ),
    Variant("BM25 only", "fusion weights", {**_NO_RERANK, **_NO_SENT, "DENSE_WEIGHT": "0"}, True),
    Variant(
        "nearest sentences only",
        "fusion weights",
        {**_NO_RERANK, "DENSE_WEIGHT": "0", "LEXICAL_WEIGHT": "0"},
        True,
    ),
    Variant(
        "dense 2 : BM25 1 : sentences 1",
        "fusion weights",
        {**_NO_RERANK, "DENSE_WEIGHT": "2"},
        True,
    ),
    Variant(
        "dense 1 : BM25 2 : sentences 1",
        "fusion weights",
        {**_NO_RERANK, "LEXICAL_WEIGHT": "2"},
        True,
    ),
)


def run(only: list[str] | None = None, holdout: bool = True) -> dict[str, Any]:
    """Measure every variant (or those whose name or group contains one of `only`)."""
    started = time.perf_counter()
    chosen = [v for v in VARIANTS if not only or any(o in v.name or o in v.group for o in only)]
    previous = load_json("quality") or {}
    rows: dict[str, Any] = dict(previous.get("dev", {}))
    for variant in chosen:
        rows[variant.name] = _measure(variant, DEV_SET)
    held: dict[str, Any] = dict(previous.get("holdout", {}))
    if holdout and HOLDOUT_SET.exists():
        for variant in (v for v in chosen if v.group in ("defaults", "LLM", "embedding model")):
            held[variant.name] = _measure(variant, HOLDOUT_SET)
    payload = {"machine": machine().line(), "dev": rows, "holdout": held}
    save_json("quality", payload)
    write_section("quality", _report(rows, held, time.perf_counter() - started), report=REPORT)
    return payload


def _measure(variant: Variant, questions: Path) -> dict[str, Any]:
    env = {**os.environ, **{f"ASSISTANT_{k}": v for k, v in variant.env.items()}}
    if variant.store_env:
        store = STORES / "-".join(f"{k}={v}" for k, v in sorted(variant.store_env.items()))
        env["ASSISTANT_STORE_PATH"] = str(store)
    ingest = subprocess.run(
        [ASSISTANT, "ingest", "--json"], env=env, cwd=PROJECT_ROOT, capture_output=True, text=True
    )
    if ingest.returncode != 0:
        raise RuntimeError(f"ingest for {variant.name} failed: {ingest.stderr.strip()[-400:]}")
    out = RESULTS / f"quality-{questions.stem}-{variant.slug}.json"
    command = [ASSISTANT, "eval", "--json", "--out", str(out), str(questions)]
    if variant.retrieval_only:
        command.append("--retrieval-only")
    print(f"quality: {variant.name} on {questions.name}", file=sys.stderr, flush=True)
    done = subprocess.run(command, env=env, cwd=PROJECT_ROOT, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"eval of {variant.name} failed: {done.stderr.strip()[-400:]}")
    summary: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    summary["settings"] = variant.env
    summary["group"] = variant.group
    summary["questions_file"] = questions.name
    return summary


HEADER = (
    "variant",
    "changed",
    "R@5",
    "MRR",
    "in prompt",
    "accuracy",
    "cite-P",
    "refusal acc.",
    "false refusals",
    "conflict",
    "p50 s",
    "p95 s",
    "first token p50 s",
)


def _row(name: str, s: dict[str, Any]) -> list[str]:
    lat = s.get("latency_ms", {})
    changed = ", ".join(f"`{k}={v}`" for k, v in s.get("settings", {}).items()) or "–"
    return [
        name,
        changed,
        fmt(s.get("recall_at_5"), 2),
        fmt(s.get("mrr"), 2),
        fmt(s.get("answer_in_prompt"), 2),
        fmt(s.get("answer_accuracy"), 2),
        fmt(s.get("citation_precision"), 2),
        fmt(s.get("refusal_accuracy"), 2),
        fmt(s.get("false_refusal_rate"), 2),
        fmt(s.get("conflicts_flagged"), 2),
        fmt(_seconds(lat.get("total_p50")), 1),
        fmt(_seconds(lat.get("total_p95")), 1),
        fmt(_seconds(lat.get("first_token_p50")), 1),
    ]


def _seconds(ms: float | None) -> float | None:
    return None if ms is None else ms / 1000


def _report(rows: dict[str, Any], held: dict[str, Any], seconds: float) -> str:
    order = [v.name for v in VARIANTS]
    dev = [_row(n, rows[n]) for n in order if n in rows]
    parts = [
        "### Development set (`bench/questions.yaml`, "
        f"{next(iter(rows.values()))['questions'] if rows else 0} questions)",
        "",
        table(HEADER, dev),
    ]
    if held:
        n = next(iter(held.values()))["questions"]
        parts += [
            "",
            f"### Held-out set (`bench/holdout.yaml`, {n} questions, not tuned on)",
            "",
            table(HEADER, [_row(k, held[k]) for k in order if k in held]),
        ]
    defaults = rows.get(DEFAULTS.name)
    if defaults:
        parts += ["", "Per kind of question, defaults, development set:", "", _kinds(defaults)]
    parts += [
        "",
        "Every row is `assistant eval --json FILE` with the `ASSISTANT_*` variables of its "
        "*changed* column (a variant that changes the index is ingested into its own store first); "
        "latency is per answer with the models loaded.",
        "",
        provenance(seconds),
    ]
    return "\n".join(parts)


def _kinds(summary: dict[str, Any]) -> str:
    rows = []
    for kind, r in summary.get("by_kind", {}).items():
        rows.append(
            [
                kind,
                r["n"],
                fmt(r.get("recall"), 2),
                fmt(r.get("mrr"), 2),
                fmt(r.get("correct"), 2),
                fmt(r.get("citation_precision"), 2),
                fmt(r.get("refused"), 2),
                fmt(_seconds(r.get("total_p50")), 1),
            ]
        )
    return table(("kind", "n", "R@5", "MRR", "correct", "cite-P", "refused", "p50 s"), rows)


def main() -> dict[str, Any]:
    return run()
