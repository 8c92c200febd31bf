"""`assistant eval`: run a question set through an assistant and measure it.

Any object with `ask(question, history)` returning an Answer-like object (text, found, citations,
passages, timings) can be measured, so other pipelines can be scored with the same numbers.
See docs/EVALUATION.md for the definitions.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

from assistant.evaluation.questions import EvalQuestion, load_questions
from assistant.evaluation.scoring import Scored, score
from assistant.evaluation.summary import format_table, summarize
from vectorstore.settings import PROJECT_ROOT

DEFAULT_SET = PROJECT_ROOT / "bench" / "questions.yaml"
_RETRIEVAL_KEYS = {
    "configuration", "questions", "recall_at_5", "mrr", "answer_in_prompt",
    "answer_first_in_prompt", "errors", "latency_ms",
}  # fmt: skip
_RETRIEVAL_ROW = {"n", "recall", "mrr", "in_prompt", "first_in_prompt"}
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


def configuration(assistant: Any) -> dict[str, Any]:
    """The settings that decide quality, when the assistant exposes them."""
    s = getattr(assistant, "settings", None)
    if s is None:
        return {"pipeline": type(assistant).__name__}
    return {
        "llm_model": Path(s.llm_model).name,
        "embedding_model": s.store.embedding_model,
        "chunk_chars": s.store.chunk_chars,
        "passages": s.passages,
        "evidence_sentences": s.evidence_sentences,
        "min_relevance": s.min_relevance,
    }


def warm_up(assistant: Any) -> None:
    """Load the models before the clock starts, so latency measures answering, not loading."""
    load = getattr(getattr(assistant, "llm", None), "load", None)
    if callable(load):
        load()
    if hasattr(assistant, "search"):
        assistant.search("warm up", 1)


class RetrievalOnly:
    """Wraps an Assistant so that `ask` only retrieves and selects the evidence: for comparing
    retrieval and evidence settings cheaply. Follow-ups are still rewritten by the model, as in
    the real pipeline."""

    def __init__(self, assistant: Any):
        self.assistant = assistant
        self.settings = assistant.settings
        self.llm = assistant.llm

    def search(self, query: str, k: int) -> Any:
        return self.assistant.search(query, k)

    def ask(self, question: str, history: Sequence[dict[str, str]]) -> dict[str, Any]:
        started = time.perf_counter()
        retrieved, evidence = self.assistant.retrieve(question, list(history))
        elapsed = (time.perf_counter() - started) * 1000
        timings = {"total_ms": elapsed, "first_token_ms": elapsed}
        return {"text": "", "found": False, "passages": retrieved.passages, "timings": timings,
                "evidence": evidence}  # fmt: skip


def select(questions: list[EvalQuestion], limit: int = 0, every: int = 0) -> list[EvalQuestion]:
    """Every `every`-th question of each kind (a slice across the whole set, in its order), then
    the first `limit`."""
    if every > 1:
        seen: dict[str, int] = {}
        kept = []
        for question in questions:
            seen[question.kind] = seen.get(question.kind, -1) + 1
            if seen[question.kind] % every == 0:
                kept.append(question)
        questions = kept
    return questions[:limit] if limit > 0 else questions


def run_cli(args: Any) -> int:
    """`assistant eval [FILE] [--collection C] [--every K] [--limit N] [--json] [--out FILE]
    [--retrieval-only]`."""
    from assistant.core import Assistant

    assistant: Any = Assistant()
    path = args.file or DEFAULT_SET
    documents = assistant.searcher.documents() if path.suffix == ".jsonl" else None
    questions = load_questions(path, getattr(args, "collection", "") or "", documents)
    questions = select(questions, args.limit, getattr(args, "every", 0))
    retrieval_only = bool(getattr(args, "retrieval_only", False))
    if retrieval_only:
        assistant = RetrievalOnly(assistant)
    warm_up(assistant)
    results = evaluate(assistant, questions, progress=None if args.json else _progress)
    summary = {"configuration": configuration(assistant), **summarize(results)}
    if retrieval_only:
        summary = _retrieval_summary(summary)
    if args.out:
        payload = {"summary": summary, "results": [asdict(r) for r in results]}
        args.out.write_text(json.dumps(payload, ensure_ascii=False, indent=1), encoding="utf-8")
    if not args.json and not retrieval_only:
        print(format_table(summary))
    print(json.dumps(summary, ensure_ascii=False))
    return 0


def _retrieval_summary(summary: dict[str, Any]) -> dict[str, Any]:
    """Only what a run that drafts no answer measures, overall and per kind."""
    kept = {k: v for k, v in summary.items() if k in _RETRIEVAL_KEYS}
    by_kind = {kind: {k: v for k, v in row.items() if k in _RETRIEVAL_ROW}
               for kind, row in summary["by_kind"].items()}  # fmt: skip
    return {**kept, "by_kind": by_kind}


def _progress(i: int, n: int, result: Scored) -> None:
    mark = "ok " if result.correct else "NO "
    note = f" missing {', '.join(result.missing)}" if result.missing else ""
    print(f"[{i}/{n}] {mark}{result.id} {result.total_ms / 1000:.1f}s{note}", file=sys.stderr)
