"""The rerank by best sentence, and compound questions split into their parts."""

from __future__ import annotations

from dataclasses import replace

from assistant.rerank import as_question, question_parts, rerank, two_subjects
from assistant.types import Passage


def _passage(name: str, dense: float, sentences: int = 2) -> Passage:
    spans = tuple((i * 10, i * 10 + 9) for i in range(sentences))
    return Passage(
        name, name, 0, sentences * 10, "x" * sentences * 10, 0.0, dense=dense, sentences=spans
    )


def test_compound_questions_split_into_their_parts() -> None:
    assert question_parts("Where did Ghani flee, and on what date did Kabul fall?") == [
        "Where did Ghani flee",
        "on what date did Kabul fall?",
    ]
    assert question_parts("Hvem er han, og hvad sagde han om Taliban?") == [
        "Hvem er han",
        "hvad sagde han om Taliban?",
    ]
    # The same question of two named subjects is asked of each.
    assert question_parts("How old were Khalilzad and General Mark Milley?") == [
        "How old were Khalilzad?",
        "How old were General Mark Milley?",
    ]
    assert question_parts("Hvilke poster fik Khalilzad af Bush og af Obama?") == [
        "Hvilke poster fik Khalilzad af Bush?",
        "Hvilke poster fik Khalilzad af Obama?",
    ]
    # Not when the two act together, or are compared, or are not both names.
    for question in (
        "Why did Khalilzad and Ghani fall out?",
        "What is the relationship between Khalilzad and Ghani?",
        "Where did the envoy and his deputy meet?",
    ):
        assert question_parts(question) == [question]


def test_a_part_is_put_to_the_model_as_a_question_of_its_own() -> None:
    assert as_question("on what date did Kabul fall") == "On what date did Kabul fall?"
    assert as_question("How old was he?") == "How old was he?"


def test_the_two_subjects_of_a_question_asked_of_both() -> None:
    assert two_subjects("How old were Zalmay Khalilzad and General Mark Milley?") == (
        "Zalmay Khalilzad",
        "General Mark Milley",
    )
    assert two_subjects("Why did Khalilzad and Ghani fall out?") is None
    # Two separate questions are parts, not subjects.
    assert two_subjects("Where did Ghani flee, and how old were Khalilzad and Milley?") is None


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


def test_a_passage_ranks_by_its_best_sentence_that_could_answer() -> None:
    texts = {"undated": "The envoy resigned after the talks", "dated": "He left on August 15 too"}
    passages = [
        Passage(n, n, 0, len(t), t, 0.0, sentences=((0, len(t)),)) for n, t in texts.items()
    ]
    vectors = {"undated": [0.9, 0.436], "dated": [0.8, 0.6]}

    def sentences(p: Passage):  # type: ignore[no-untyped-def]
        return [(p.sentences[0], vectors[p.source])]

    def order(penalty: float, answers=(lambda s: "August" in s,)) -> list[str]:  # type: ignore[no-untyped-def]
        ranked = rerank(
            passages, [[1.0, 0.0]], sentences, chunk_weight=0.0,
            answers=answers, off_kind_penalty=penalty,
        )  # fmt: skip
        return [p.source for p in ranked]

    assert order(0.0) == ["undated", "dated"]
    assert order(0.05) == ["undated", "dated"]  # a small penalty does not outweigh 0.1 closer
    assert order(0.2) == ["dated", "undated"]
    assert order(0.2, answers=(lambda s: True,)) == ["undated", "dated"]  # any sentence answers
