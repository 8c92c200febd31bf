"""`assistant eval`: run a question set through an assistant and measure it.

Any object with `ask(question, history)` returning an Answer-like object (text, found, citations,
passages, timings) can be measured, so other pipelines can be scored with the same numbers.
See docs/EVALUATION.md for the definitions.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

from assistant.language import question_language
from assistant.metrics import EvalQuestion, Scored, load_questions, score
from vectorstore.settings import PROJECT_ROOT

DEFAULT_SET = PROJECT_ROOT / "bench" / "questions.yaml"
_RETRIEVAL_KEYS = {"configuration", "questions", "recall_at_5", "mrr", "errors", "latency_ms"}
Progress = Callable[[int, int, Scored], None]


def evaluate(
    assistant: Any, questions: Sequence[EvalQuestion], k: int = 5, progress: Progress | None = None
) -> list[Scored]:
    """Ask every question (with its history) and score each answer."""
    results = []
    for i, question in enumerate(questions, 1):
        started = time.perf_counter()
        try:
            answer = assistant.ask(question.question, list(question.history))
            result = score(question, answer, k)
        except Exception as exc:  # a failing pipeline is measured as wrong, and reported
            elapsed = (time.perf_counter() - started) * 1000
            result = score(question, {"text": "", "found": False}, k)
            result = Scored(**{**asdict(result), "total_ms": elapsed, "error": f"{exc}"[:300]})
        results.append(result)
        if progress:
            progress(i, len(questions), result)
    return results


def summarize(results: Sequence[Scored], k: int = 5) -> dict[str, Any]:
    """The headline numbers of a run (None where a measure has nothing to measure)."""
    answerable = [r for r in results if r.answerable]
    unanswerable = [r for r in results if not r.answerable]
    with_spans = [r for r in results if r.recall is not None]
    cited = sum(r.citations for r in results)
    conflicts = [r for r in results if r.kind == "conflict"]
    return {
        "questions": len(results),
        "answerable": len(answerable),
        "unanswerable": len(unanswerable),
        f"recall_at_{k}": _mean([r.recall for r in with_spans]),
        "mrr": _mean([r.reciprocal_rank for r in with_spans]),
        "answer_in_prompt": _mean([r.in_prompt for r in with_spans if r.in_prompt is not None]),
        "answer_accuracy": _mean([r.correct for r in answerable]),
        "citation_precision": _ratio(sum(r.precise_citations for r in results), cited),
        "refusal_accuracy": _mean([r.correct for r in unanswerable]),
        "false_refusal_rate": _mean([not r.found for r in answerable]),
        "conflicts_flagged": _mean([r.conflict_flagged for r in conflicts]),
        "citations": cited,
        "mean_cited_chars": _ratio(sum(r.cited_chars for r in results), cited),
        "errors": sum(bool(r.error) for r in results),
        "latency_ms": {
            "total_p50": _percentile([r.total_ms for r in results], 50),
            "total_p95": _percentile([r.total_ms for r in results], 95),
            "first_token_p50": _percentile([r.first_token_ms for r in results], 50),
            "first_token_p95": _percentile([r.first_token_ms for r in results], 95),
        },
        "by_kind": {kind: _kind_row(rows) for kind, rows in _by_kind(results).items()},
    }


def _kind_row(rows: list[Scored]) -> dict[str, Any]:
    spans = [r.recall for r in rows if r.recall is not None]
    cited = sum(r.citations for r in rows)
    return {
        "n": len(rows),
        "recall": _mean(spans),
        "mrr": _mean([r.reciprocal_rank for r in rows if r.reciprocal_rank is not None]),
        "correct": _mean([r.correct for r in rows]),
        "citation_precision": _ratio(sum(r.precise_citations for r in rows), cited),
        "refused": _mean([not r.found for r in rows]),
        "total_p50": _percentile([r.total_ms for r in rows], 50),
    }


def format_table(summary: dict[str, Any], k: int = 5) -> str:
    """A plain-text table: one row per kind of question, then the totals."""
    head = f"{'kind':<13}{'n':>4}{'R@' + str(k):>7}{'MRR':>7}{'correct':>9}{'cite-P':>8}{'refused':>9}{'p50 ms':>9}"
    lines = [head, "-" * len(head)]
    for kind, row in summary["by_kind"].items():
        lines.append(
            f"{kind:<13}{row['n']:>4}{_f(row['recall']):>7}{_f(row['mrr']):>7}{_f(row['correct']):>9}"
            f"{_f(row['citation_precision']):>8}{_f(row['refused']):>9}{_f(row['total_p50'], 0):>9}"
        )
    lat = summary["latency_ms"]
    lines += [
        "-" * len(head),
        f"recall@{k} {_f(summary[f'recall_at_{k}'])}   MRR {_f(summary['mrr'])}   "
        f"answer in the prompt {_f(summary.get('answer_in_prompt'))}   "
        f"answer accuracy {_f(summary['answer_accuracy'])}   "
        f"citation precision {_f(summary['citation_precision'])}",
        f"refusal accuracy {_f(summary['refusal_accuracy'])}   false refusals "
        f"{_f(summary['false_refusal_rate'])}   conflicts flagged {_f(summary['conflicts_flagged'])}"
        f"   mean cited span {_f(summary['mean_cited_chars'], 0)} chars   errors {summary['errors']}",
        f"latency ms: total p50 {_f(lat['total_p50'], 0)} p95 {_f(lat['total_p95'], 0)}   "
        f"first token p50 {_f(lat['first_token_p50'], 0)} p95 {_f(lat['first_token_p95'], 0)}",
    ]
    return "\n".join(lines)


def configuration(assistant: Any) -> dict[str, Any]:
    """The settings that decide quality, when the assistant exposes them."""
    s = getattr(assistant, "settings", None)
    if s is None:
        return {"pipeline": type(assistant).__name__}
    return {
        "rerank": [s.rerank_candidates, s.rerank_chunk_weight, s.rerank_lexical_weight],
        "evidence_passages": s.evidence_passages,
        "min_relevance": s.min_relevance,
        "llm_model": Path(s.llm_model).name,
        "embedding_model": s.store.embedding_model,
        "chunk_chars": s.store.chunk_chars,
        "passages": s.passages,
        "evidence_sentences": s.evidence_sentences,
        "other_language_bonus": s.other_language_bonus,
        "marker_margin": s.marker_margin,
        "dense_weight": s.dense_weight,
        "lexical_weight": s.lexical_weight,
        "sentence_weight": s.sentence_weight,
    }


def warm_up(assistant: Any) -> None:
    """Load the models before the clock starts, so latency measures answering, not loading."""
    load = getattr(getattr(assistant, "llm", None), "load", None)
    if callable(load):
        load()
    if hasattr(assistant, "search"):
        assistant.search("warm up", 1)


class RetrievalOnly:
    """Wraps an Assistant so that `ask` only retrieves: for comparing retrieval settings cheaply.
    Follow-ups are still rewritten by the model, as in the real pipeline."""

    def __init__(self, assistant: Any):
        self.assistant = assistant
        self.settings = assistant.settings
        self.llm = assistant.llm

    def search(self, query: str, k: int) -> Any:
        return self.assistant.search(query, k)

    def ask(self, question: str, history: Sequence[dict[str, str]]) -> dict[str, Any]:
        started = time.perf_counter()
        a = self.assistant
        standalone, _ = a._standalone(question, list(history))
        result, _, _ = a._retrieve(standalone, question_language(question, a.searcher.languages()))
        elapsed = (time.perf_counter() - started) * 1000
        timings = {"total_ms": elapsed, "first_token_ms": elapsed}
        return {"text": "", "found": False, "passages": result.passages, "timings": timings}


def run_cli(args: Any) -> int:
    """`assistant eval [FILE] [--limit N] [--json] [--out FILE] [--retrieval-only]`."""
    from assistant.core import Assistant

    questions = load_questions(args.file or DEFAULT_SET)
    if args.limit and args.limit > 0:
        questions = questions[: args.limit]
    assistant: Any = Assistant()
    retrieval_only = bool(getattr(args, "retrieval_only", False))
    if retrieval_only:
        assistant = RetrievalOnly(assistant)
    warm_up(assistant)
    results = evaluate(assistant, questions, progress=None if args.json else _progress)
    summary = {"configuration": configuration(assistant), **summarize(results)}
    if retrieval_only:
        summary = {k: v for k, v in summary.items() if k in _RETRIEVAL_KEYS}
    if args.out:
        payload = {"summary": summary, "results": [asdict(r) for r in results]}
        args.out.write_text(json.dumps(payload, ensure_ascii=False, indent=1), encoding="utf-8")
    if not args.json and not retrieval_only:
        print(format_table(summary))
    print(json.dumps(summary, ensure_ascii=False))
    return 0


def _progress(i: int, n: int, result: Scored) -> None:
    mark = "ok " if result.correct else "NO "
    note = f" missing {', '.join(result.missing)}" if result.missing else ""
    print(f"[{i}/{n}] {mark}{result.id} {result.total_ms / 1000:.1f}s{note}", file=sys.stderr)


def _mean(values: Sequence[Any]) -> float | None:
    values = [float(v) for v in values if v is not None]
    return statistics.fmean(values) if values else None


def _ratio(part: float, whole: float) -> float | None:
    return part / whole if whole else None


def _percentile(values: Sequence[float], q: float) -> float | None:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    if not ordered:
        return None
    index = max(0, min(len(ordered) - 1, -(-q * len(ordered) // 100) - 1))
    return ordered[int(index)]


def _f(value: float | None, digits: int = 2) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


def _by_kind(results: Sequence[Scored]) -> dict[str, list[Scored]]:
    groups: dict[str, list[Scored]] = {}
    for r in results:
        groups.setdefault(r.kind, []).append(r)
    return {**groups, "all": list(results)}
