"""The shipped question sets (development and held-out) are well formed: their gold spans are
exact text of the seeds."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from assistant.evaluation import DEFAULT_SET, load_questions

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
QUESTIONS = load_questions(DEFAULT_SET)
HOLDOUT = load_questions(DEFAULT_SET.with_name("holdout.yaml"))


def test_the_set_has_every_kind_of_question() -> None:
    kinds = Counter(q.kind for q in QUESTIONS)
    assert len(QUESTIONS) >= 40
    for kind in ("single", "danish", "crosslingual", "multi", "followup", "conflict"):
        assert kinds[kind] >= 1, kind
    assert sum(not q.answerable for q in QUESTIONS) >= 6
    assert all(q.history for q in QUESTIONS if q.kind == "followup")
    assert len({q.id for q in QUESTIONS}) == len(QUESTIONS)


def test_the_held_out_set_is_apart_from_the_development_set() -> None:
    assert len(HOLDOUT) >= 20 and not any(q.gate for q in HOLDOUT)
    assert not {q.id for q in HOLDOUT} & {q.id for q in QUESTIONS}
    asked = {(q.question, str(q.history)) for q in QUESTIONS}
    assert not any((q.question, str(q.history)) in asked for q in HOLDOUT)


@pytest.mark.parametrize("question", QUESTIONS + HOLDOUT, ids=lambda q: q.id)
def test_every_gold_span_is_the_quoted_text_of_its_seed(question) -> None:  # type: ignore[no-untyped-def]
    if not question.answerable:
        assert not question.facts and not question.spans
        return
    assert question.facts and question.spans
    for group in question.spans:
        for span in group:
            text = (SEEDS / span.source).read_text(encoding="utf-8")
            assert 0 <= span.start < span.end <= len(text)
            assert text[span.start : span.end] == span.text


def test_questions_that_need_two_articles_cite_two_sources() -> None:
    for question in (q for q in QUESTIONS if q.kind == "multi"):
        sources = {s.source for group in question.spans for s in group}
        assert len(sources) >= 2, question.id


def test_gate_subset_mixes_kinds_and_stays_small() -> None:
    gate = [q for q in QUESTIONS if q.gate]
    assert 15 <= len(gate) <= 24  # about a minute and a half with the real models
    kinds = {q.kind for q in gate}
    assert {
        "single",
        "danish",
        "crosslingual",
        "multi",
        "conflict",
        "followup",
        "unanswerable",
    } <= kinds
