"""The regression gate: the fixed `gate: true` subset of bench/questions.yaml (every third question
of the file, plus the conflict question: 20 questions of every kind, failing ones included),
answered by the real assistant over the seeded index, must keep its quality. The full set and the
held-out set are measured by `python -m bench quality` (docs/EVALUATION.md)."""

from __future__ import annotations

from assistant.evaluation import DEFAULT_SET, evaluate, format_table, load_questions, summarize

# Measured on the gate subset with the shipped defaults (recall@5 0.88, accuracy 0.75 = 12/16,
# citation precision 1.00, refusal accuracy 1.00 = 4/4, false refusals 0.12 = 2/16), less about
# one question's worth: two more wrong answers, or one imprecise citation, fail the gate.
THRESHOLDS = {
    "recall_at_5": 0.8,
    "answer_accuracy": 0.68,
    "citation_precision": 0.95,
    "refusal_accuracy": 0.75,
}
MAX_FALSE_REFUSALS = 0.19


def test_gate_subset_meets_the_quality_thresholds(real_assistant) -> None:  # type: ignore[no-untyped-def]
    questions = [q for q in load_questions(DEFAULT_SET) if q.gate]
    results = evaluate(real_assistant, questions)
    summary = summarize(results)
    print("\n" + format_table(summary))
    report = {r.id: (r.correct, r.answer[:120]) for r in results}
    assert summary["errors"] == 0, report
    for measure, floor in THRESHOLDS.items():
        assert summary[measure] is not None and summary[measure] >= floor, (measure, report)
    assert summary["false_refusal_rate"] <= MAX_FALSE_REFUSALS, report
    assert summary["conflicts_flagged"] == 1.0, report
