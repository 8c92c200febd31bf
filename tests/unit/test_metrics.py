"""Quality measures on hand-made answers: facts, retrieval, citations, refusals, latency."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import pytest

from assistant.evaluation import evaluate, format_table, summarize
from assistant.evaluation.questions import EvalFileError, EvalQuestion, Span, load_questions
from assistant.evaluation.run import RetrievalOnly, _retrieval_summary
from assistant.evaluation.scoring import (
    citing_sentences,
    fact_present,
    holds_answer,
    in_language,
    missing_facts,
    retrieval,
    score,
    supports,
)

GOLD = Span("a.txt", 100, 160, "The bridge opened in May 2019 after four years of work.")


def _question(**overrides) -> EvalQuestion:  # type: ignore[no-untyped-def]
    fields = dict(
        id="q1", question="When did the bridge open?", facts=(("May 2019",),), spans=((GOLD,),)
    )
    return EvalQuestion(**{**fields, **overrides})  # type: ignore[arg-type]


def _passage(source: str, start: int, end: int) -> SimpleNamespace:
    return SimpleNamespace(source=source, start=start, end=end)


def _answer(text: str, found: bool = True, citations=(), passages=(), total=1000.0, first=500.0):  # type: ignore[no-untyped-def]
    timings = SimpleNamespace(total_ms=total, first_token_ms=first)
    return SimpleNamespace(
        text=text, found=found, citations=citations, passages=passages, timings=timings
    )


def test_facts_match_at_word_starts_ignoring_case() -> None:
    assert fact_present("pessimis", "It is unduly PESSIMISTIC, he said")
    assert fact_present("5,000", "releasing 5,000 prisoners")
    assert fact_present("Tom West", "Tom   West takes over")
    assert not fact_present("vice", "his service")
    assert (
        missing_facts((("Tom West", "Thomas West"), ("deputy",)), "Thomas West, the deputy") == ()
    )
    assert missing_facts((("70",), ("63",)), "He is 70.") == ("63",)


def test_a_fact_bound_to_its_subject_must_share_a_sentence_with_it() -> None:
    facts, about = (("70",), ("63",)), (("Khalilzad", "envoy"), ("Milley", "general"))
    right = "The 70-year-old envoy led the talks. [1] Said the 63-year-old general. [2]"
    swapped = "Zalmay Khalilzad was 63 years old. [1] General Mark Milley was 70 years old. [2]"
    assert missing_facts(facts, right, about) == ()
    assert len(missing_facts(facts, swapped, about)) == 2
    assert missing_facts(facts, swapped) == ()  # without subjects the swap goes unseen


def test_facts_with_subjects_load_from_a_question_file(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "set.yaml"
    path.write_text(
        "- question: How old are they?\n"
        "  facts: [{fact: '70', about: [envoy]}, ['63', 'sixty-three']]\n",
        encoding="utf-8",
    )
    (question,) = load_questions(path)
    assert question.facts == (("70",), ("63", "sixty-three"))
    assert question.about == (("envoy",), ())


def test_recall_counts_requirements_met_and_mrr_the_first_gold_rank() -> None:
    other = Span("b.txt", 0, 50)
    passages = [_passage("c.txt", 0, 500), _passage("a.txt", 90, 400), _passage("b.txt", 40, 90)]
    assert retrieval(((GOLD,), (other,)), passages, k=2) == (0.5, 0.5)
    assert retrieval(((GOLD,), (other,)), passages, k=3) == (1.0, 0.5)
    assert retrieval(((GOLD, other),), passages[:1], k=5) == (0.0, 0.0)


def test_answer_in_prompt_counts_requirements_met_by_the_evidence_sentences() -> None:
    other = Span("b.txt", 0, 50)
    question = _question(spans=((GOLD,), (other,)))
    shown = _answer("It opened in May 2019 [1].")
    shown.evidence = (_passage("a.txt", 120, 150), _passage("c.txt", 0, 40))
    assert score(question, shown).in_prompt == 0.5
    shown.evidence += (_passage("b.txt", 45, 80),)
    assert score(question, shown).in_prompt == 1.0
    assert score(question, _answer("It opened in May 2019 [1].")).in_prompt is None
    summary = summarize([score(question, shown), score(_question(), _answer("No.", False))])
    assert summary["answer_in_prompt"] == 1.0  # a run without evidence counts for nothing


def test_the_gold_sentences_place_in_the_prompt_is_recorded_and_summarised() -> None:
    question = _question()
    shown = _answer("It opened in May 2019 [2].")
    shown.evidence = (_passage("c.txt", 0, 40), _passage("a.txt", 120, 150))
    assert score(question, shown).gold_position == 2
    shown.evidence = shown.evidence[::-1]
    first = score(question, shown)
    shown.evidence = (_passage("c.txt", 0, 40),)
    missed = score(question, shown)
    assert (first.gold_position, missed.gold_position) == (1, 0)
    assert score(question, _answer("May 2019 [1].")).gold_position is None
    summary = summarize([first, missed, score(question, _answer("May 2019 [1]."))])
    assert summary["answer_first_in_prompt"] == 0.5
    assert summary["by_kind"]["all"]["first_in_prompt"] == 0.5


def test_citation_is_precise_on_a_gold_span_or_when_it_supports_its_sentence() -> None:
    on_gold = SimpleNamespace(n=1, source="a.txt", start=100, end=160, text=GOLD.text)
    supporting = SimpleNamespace(n=2, source="z.txt", start=0, end=40, text="Work ended in 2019.")
    unrelated = SimpleNamespace(n=3, source="z.txt", start=50, end=90, text="Tolls are high.")
    text = "The bridge opened in May 2019 [1]. Work ended in 2019 [2]. It cost 9 million [3]."
    result = score(_question(), _answer(text, citations=(on_gold, supporting, unrelated)))
    assert (result.citations, result.precise_citations) == (3, 2)
    assert result.correct and result.cited_chars == 60 + 40 + 40


def test_support_needs_the_words_and_every_number() -> None:
    cited = "Ghani first fled to Uzbekistan and is now in exile in the United Arab Emirates."
    assert supports("Ghani fled to Uzbekistan first.", cited)
    assert not supports("Ghani fled to Uzbekistan in 2019.", cited)
    assert not supports("Karzai stayed in Kabul.", cited)
    assert citing_sentences("A is true [1]. B is true [2][1]. C.", 1) == ["A is true", "B is true"]
    assert citing_sentences("Due by Sept. 11. [2] Another says August 31. [3]", 2) == [
        "Due by Sept. 11."
    ]


def test_refusals_score_by_answerability() -> None:
    unanswerable = _question(answerable=False, facts=(), spans=())
    assert score(unanswerable, _answer("I could not find it.", found=False)).correct
    assert not score(unanswerable, _answer("It opened in 1990 [1].")).correct
    refused = score(_question(), _answer("I could not find it.", found=False))
    assert not refused.correct and refused.missing == ("(refused)",)


def test_summary_reports_accuracy_refusals_and_latency_percentiles() -> None:
    questions = [
        _question(id="a"),
        _question(id="b"),
        _question(id="c", answerable=False, facts=(), spans=(), kind="unanswerable"),
    ]
    answers = {
        "a": _answer("It opened in May 2019 [1].", total=1000, first=400),
        "b": _answer("Not found.", found=False, total=3000, first=900),
        "c": _answer("Not found.", found=False, total=2000, first=100),
    }
    results = [score(q, answers[q.id]) for q in questions]
    summary = summarize(results)
    assert summary["answer_accuracy"] == 0.5
    assert summary["false_refusal_rate"] == 0.5
    assert summary["refusal_accuracy"] == 1.0
    assert summary["latency_ms"]["total_p50"] == 2000
    assert summary["latency_ms"]["total_p95"] == 3000
    assert summary["by_kind"]["unanswerable"]["n"] == 1
    assert "answer accuracy 0.50" in format_table(summary)


def test_any_object_with_ask_can_be_measured_and_failures_count_as_wrong() -> None:
    class Peer:
        def ask(self, question: str, history: list[dict[str, str]]) -> dict[str, object]:
            if "boom" in question:
                raise RuntimeError("model crashed")
            return {"text": "The bridge opened in May 2019.", "found": True}

    results = evaluate(Peer(), [_question(), _question(id="q2", question="boom?")])
    assert results[0].correct and results[0].citations == 0
    assert not results[1].correct and "crashed" in results[1].error
    assert summarize(results)["errors"] == 1


def test_question_files_load_from_yaml_or_json_with_alternatives(tmp_path: Path) -> None:
    item = {
        "id": "x",
        "question": "Who?",
        "history": [{"role": "user", "content": "Hi"}],
        "gold_facts": [["Tom West", "Thomas West"], "deputy"],
        "gold_spans": [{"source": "a.txt", "start": 1, "end": 5}],
    }
    path = tmp_path / "set.json"
    path.write_text(json.dumps([item]), encoding="utf-8")
    (question,) = load_questions(path)
    assert question.facts == (("Tom West", "Thomas West"), ("deputy",))
    assert question.spans == ((Span("a.txt", 1, 5),),) and question.history[0]["role"] == "user"
    yaml_path = tmp_path / "set.yaml"
    yaml_path.write_text("questions:\n- question: Why?\n  answerable: false\n", encoding="utf-8")
    assert not load_questions(yaml_path)[0].answerable


@pytest.mark.parametrize("content", ["", "questions: 3", "- {question: 5}", "[unclosed"])
def test_malformed_question_files_are_one_clear_error(tmp_path: Path, content: str) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(EvalFileError):
        load_questions(path)
    with pytest.raises(EvalFileError, match="cannot read"):
        load_questions(tmp_path / "missing.yaml")


def test_a_short_gold_answer_counts_when_held_or_close_and_f1_rewards_short_answers() -> None:
    held, f1 = holds_answer("Off the coast of Africa. [1]", ["Africa"])
    assert held and f1 == pytest.approx(0.4)
    pasted = "In 1900 the island off the coast of Africa was first mapped by sailors from Lisbon."
    assert holds_answer(pasted, ["Africa"])[1] < 0.2
    assert holds_answer("Ogród Saski [2]", ["Ogród Saski"]) == (True, 1.0)
    assert holds_answer("the Saxon Palace", ["Saxon Garden"])[0] is True  # F1 0.5
    assert holds_answer("Warsaw", ["Saxon Garden"]) == (False, 0.0)


def test_the_answers_language_is_told_by_its_function_words_not_by_names() -> None:
    assert in_language("Off the coast of Africa. [1]", "en") is True
    assert in_language("Det sagde den sikkerhedspolitiske ekspert [1]", "en") is False
    assert in_language("die Einheit der magnetischen Flussdichte", "de") is True
    for neutral in ("US Supreme Court [1]", "Rhine-Meuse delta [1]", "1943 [1]", "Ogród Saski"):
        assert in_language(neutral, "en") is None, neutral


def test_a_retrieval_only_run_measures_the_evidence_and_reports_nothing_of_answers() -> None:
    shown = (_passage("c.txt", 0, 40), _passage("a.txt", 120, 150))
    retrieved = SimpleNamespace(passages=(_passage("a.txt", 90, 400),))
    pipeline = SimpleNamespace(settings=None, llm=None, retrieve=lambda q, h: (retrieved, shown))
    (result,) = evaluate(RetrievalOnly(pipeline), [_question()])
    assert (result.recall, result.in_prompt, result.gold_position) == (1.0, 1.0, 2)
    summary = _retrieval_summary(summarize([result]))
    assert summary["answer_first_in_prompt"] == 0.0 and "answer_accuracy" not in summary
    assert summary["by_kind"]["all"] == {
        "n": 1,
        "recall": 1.0,
        "mrr": 1.0,
        "in_prompt": 1.0,
        "first_in_prompt": 0.0,
    }
