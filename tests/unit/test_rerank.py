"""The rerank by best sentence: one matching sentence, each part of a compound question, and the
other language's bonus."""

from __future__ import annotations

from dataclasses import replace

from assistant.pipeline.rerank import rerank
from assistant.types import Passage


def _passage(name: str, dense: float, sentences: int = 2) -> Passage:
    spans = tuple((i * 10, i * 10 + 9) for i in range(sentences))
    return Passage(
        name, name, 0, sentences * 10, "x" * sentences * 10, 0.0, dense=dense, sentences=spans
    )


def test_a_passage_with_one_matching_sentence_beats_a_vaguely_similar_one() -> None:
    vague, exact = _passage("vague", dense=0.6), _passage("exact", dense=0.4)
    vectors = {"vague": [[0.5, 0.5], [0.5, 0.5]], "exact": [[0.0, 0.1], [1.0, 0.0]]}

    def sentences(p: Passage):  # type: ignore[no-untyped-def]
        return list(zip(p.sentences, vectors[p.source], strict=True))

    ranked = rerank([vague, exact], [[1.0, 0.0]], sentences, chunk_weight=0.5)
    assert [p.source for p in ranked] == ["exact", "vague"]
    assert ranked[0].score > ranked[1].score


def test_each_part_of_a_compound_question_gets_a_top_passage() -> None:
    passages = [_passage(n, 0.0, 1) for n in ("a1", "a2", "a3", "b1")]
    vectors = {"a1": [1.0, 0.0], "a2": [0.95, 0.05], "a3": [0.9, 0.1], "b1": [0.3, 0.7]}

    def sentences(p: Passage):  # type: ignore[no-untyped-def]
        return [(p.sentences[0], vectors[p.source])]

    ranked = rerank(passages, [[1.0, 0.0], [0.0, 1.0]], sentences, chunk_weight=0.0)
    assert [p.source for p in ranked][:2] == ["a1", "b1"]


def test_a_passage_in_the_other_language_gets_the_bonus_and_no_more() -> None:
    english = replace(_passage("english", 0.0, 1), language="en")
    danish = replace(_passage("danish", 0.0, 1), language="da")
    vectors = {"english": [0.60, 0.80], "danish": [0.56, 0.83]}  # a translation scores lower

    def sentences(p: Passage):  # type: ignore[no-untyped-def]
        return [(p.sentences[0], vectors[p.source])]

    def order(question_language: str, bonus: float) -> list[str]:
        ranked = rerank(
            [english, danish], [[1.0, 0.0]], sentences, chunk_weight=0.0,
            language=question_language, other_language_bonus=bonus,
        )  # fmt: skip
        return [p.source for p in ranked]

    assert order("en", 0.0) == ["english", "danish"]
    assert order("en", 0.05) == ["danish", "english"]
    assert order("da", 0.05) == ["english", "danish"]  # now English is the other language
    assert order("", 0.05) == ["english", "danish"]  # unknown question language: no bonus
