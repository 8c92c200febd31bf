"""The headline numbers of an evaluation run, overall and per kind of question, and their table."""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from typing import Any

from assistant.evaluation.scoring import Scored


def summarize(results: Sequence[Scored], k: int = 5) -> dict[str, Any]:
    """The headline numbers of a run (None where a measure has nothing to measure)."""
    answerable = [r for r in results if r.answerable]
    unanswerable = [r for r in results if not r.answerable]
    with_spans = [r for r in results if r.recall is not None]
    cited = sum(r.citations for r in results)
    conflicts = [r for r in results if r.kind == "conflict"]
    told = [r.in_language for r in results if r.in_language is not None]
    return {
        "questions": len(results),
        "answerable": len(answerable),
        "unanswerable": len(unanswerable),
        f"recall_at_{k}": _mean([r.recall for r in with_spans]),
        "mrr": _mean([r.reciprocal_rank for r in with_spans]),
        "answer_in_prompt": _mean([r.in_prompt for r in with_spans if r.in_prompt is not None]),
        "answer_first_in_prompt": _mean(
            [r.gold_position == 1 for r in with_spans if r.gold_position is not None]
        ),
        "answer_accuracy": _mean([r.correct for r in answerable]),
        "token_f1": _mean([r.f1 for r in answerable if r.f1 is not None]),
        "citation_precision": _ratio(sum(r.precise_citations for r in results), cited),
        "refusal_accuracy": _mean([r.correct for r in unanswerable]),
        "false_refusal_rate": _mean([not r.found for r in answerable]),
        "in_question_language": _mean(told),
        "language_told": len(told),
        "conflicts_flagged": _mean([r.conflict_flagged for r in conflicts]),
        "false_conflicts": _mean([r.conflict_flagged for r in answerable if r.kind != "conflict"]),
        "citations": cited,
        "mean_cited_chars": _ratio(sum(r.cited_chars for r in results), cited),
        "errors": sum(bool(r.error) for r in results),
        "latency_ms": {
            "total_p50": percentile([r.total_ms for r in results], 50),
            "total_p95": percentile([r.total_ms for r in results], 95),
            "first_token_p50": percentile([r.first_token_ms for r in results], 50),
            "first_token_p95": percentile([r.first_token_ms for r in results], 95),
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
        "in_prompt": _mean([r.in_prompt for r in rows if r.in_prompt is not None]),
        "first_in_prompt": _mean(
            [r.gold_position == 1 for r in rows if r.gold_position is not None]
        ),
        "correct": _mean([r.correct for r in rows]),
        "f1": _mean([r.f1 for r in rows if r.f1 is not None]),
        "citation_precision": _ratio(sum(r.precise_citations for r in rows), cited),
        "refused": _mean([not r.found for r in rows]),
        "in_language": _mean([r.in_language for r in rows if r.in_language is not None]),
        "total_p50": percentile([r.total_ms for r in rows], 50),
    }


def format_table(summary: dict[str, Any], k: int = 5) -> str:
    """A plain-text table: one row per kind of question, then the totals."""
    head = (
        f"{'kind':<13}{'n':>4}{'R@' + str(k):>7}{'MRR':>7}{'correct':>9}{'F1':>6}"
        f"{'cite-P':>8}{'refused':>9}{'lang':>6}{'p50 ms':>9}"
    )
    lines = [head, "-" * len(head)]
    for kind, row in summary["by_kind"].items():
        lines.append(
            f"{kind:<13}{row['n']:>4}{_f(row['recall']):>7}{_f(row['mrr']):>7}"
            f"{_f(row['correct']):>9}{_f(row['f1']):>6}{_f(row['citation_precision']):>8}"
            f"{_f(row['refused']):>9}{_f(row['in_language']):>6}{_f(row['total_p50'], 0):>9}"
        )
    lat = summary["latency_ms"]
    lines += [
        "-" * len(head),
        f"recall@{k} {_f(summary[f'recall_at_{k}'])}   MRR {_f(summary['mrr'])}   "
        f"answer in the prompt {_f(summary.get('answer_in_prompt'))}   "
        f"answer accuracy {_f(summary['answer_accuracy'])}   token F1 {_f(summary['token_f1'])}",
        f"citation precision {_f(summary['citation_precision'])}   "
        f"refusal accuracy {_f(summary['refusal_accuracy'])}   false refusals "
        f"{_f(summary['false_refusal_rate'])}   in the question's language "
        f"{_f(summary['in_question_language'])} (of {summary['language_told']})",
        f"conflicts flagged {_f(summary['conflicts_flagged'])}   false conflict flags "
        f"{_f(summary['false_conflicts'])}   mean cited span "
        f"{_f(summary['mean_cited_chars'], 0)} chars   errors {summary['errors']}",
        f"latency ms: total p50 {_f(lat['total_p50'], 0)} p95 {_f(lat['total_p95'], 0)}   "
        f"first token p50 {_f(lat['first_token_p50'], 0)} p95 {_f(lat['first_token_p95'], 0)}",
    ]
    return "\n".join(lines)


def percentile(values: Sequence[float], q: float) -> float | None:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    if not ordered:
        return None
    index = max(0, min(len(ordered) - 1, -(-q * len(ordered) // 100) - 1))
    return ordered[int(index)]


def _mean(values: Sequence[Any]) -> float | None:
    values = [float(v) for v in values if v is not None]
    return statistics.fmean(values) if values else None


def _ratio(part: float, whole: float) -> float | None:
    return part / whole if whole else None


def _f(value: float | None, digits: int = 2) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


def _by_kind(results: Sequence[Scored]) -> dict[str, list[Scored]]:
    groups: dict[str, list[Scored]] = {}
    for r in results:
        groups.setdefault(r.kind, []).append(r)
    return {**groups, "all": list(results)}
