"""Second-stage ranking of the hybrid search's candidates by their best sentence.

A chunk's embedding averages everything in it, so a chunk whose one sentence answers the question
can lose to a chunk that is about the topic in general, and a chunk in another language loses to
chunks that share the question's words. Each sentence's embedding is stored at ingest, so scoring
a candidate by its best-matching sentence costs no model call: the question's vector against the
stored sentence vectors. This is what lets an English question find the Danish article's answer.

A question that asks two things ("Where did X flee, and when did Y fall?") is split into its
parts; every part gets its best passages near the top, so neither half crowds the other out.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import replace

from assistant.types import Passage

Vector = Sequence[float]
SentenceVectors = Callable[[Passage], list[tuple[tuple[int, int], Vector]]]

_SECOND_QUESTION = re.compile(
    r"(?:,\s*and\s+|;\s*|\?\s*(?:and\s+)?|\band also\s+|,?\s*\bog\s+)"
    r"(?=(?:(?:on|in|at|by|for|from|to|of|with|til|på|i|af|med)\s+)?"
    r"(?:what|when|where|who|whom|which|why|how|did|does|is|was|were|hvad|hvornår|hvor|hvem|"
    r"hvilken|hvilke|hvorfor|hvordan)\b)",
    re.IGNORECASE,
)


_NAMES = r"(?:the\s+)?[A-ZÆØÅ][\w.’'-]*(?:\s+[A-ZÆØÅ][\w.’'-]*)*"
_TWO_SUBJECTS = re.compile(
    r"^(?P<head>\W*(?i:what|when|where|who|which|how|hvad|hvornår|hvor|hvem|hvilken|hvilke)\b"
    r".*?(?<!\bbetween)(?<!\bmellem)\s)"
    rf"(?P<a>{_NAMES})\s+(?:and|og)\s+(?:(?:for|of|to|about|om|til|af)\s+)?(?P<b>{_NAMES})"
    r"\s*\?\s*$"
)


def question_parts(question: str) -> list[str]:
    """The separate questions inside one ("A, and when did B?" → ["A", "when did B?"]).

    The same question asked of two named subjects ("How old were Khalilzad and Milley?") is two
    questions too, one per subject: each gets its own evidence and its own short draft.
    """
    parts = _clauses(question)
    if len(parts) > 1:
        return parts
    two = _two(question)
    if two:
        return [f"{two['head']}{two['a']}?", f"{two['head']}{two['b']}?"]
    return [question]


def two_subjects(question: str) -> tuple[str, str] | None:
    """The two named subjects of a question asked of both ("How old were Khalilzad and General
    Mark Milley?" → ("Khalilzad", "General Mark Milley")), or None."""
    two = _two(question)
    return (two["a"], two["b"]) if two else None


def _clauses(question: str) -> list[str]:
    parts = [p.strip(" ,;") for p in _SECOND_QUESTION.split(question)]
    return [p for p in parts if len(p.split()) >= 3]


def _two(question: str) -> re.Match[str] | None:
    if len(_clauses(question)) > 1:
        return None  # separate questions, split as such
    two = _TWO_SUBJECTS.match(question)
    return two if two and len(two["head"].split()) >= 2 else None


def as_question(part: str) -> str:
    """A part written as a question of its own ("where did Ghani flee" → "Where did Ghani
    flee?"): the small model takes a clause without its question mark for no question at all and
    refuses. (Retrieval embeds the part as written: that is how it was measured.)"""
    part = part.rstrip(" ?.")
    return f"{part[:1].upper()}{part[1:]}?"


def cosine(a: Vector, b: Vector) -> float:
    """Dot product of two unit vectors."""
    return float(sum(x * y for x, y in zip(a, b, strict=True)))


def best_sentence(query: Vector, passage: Passage, sentences: SentenceVectors) -> float:
    """The highest similarity of the query to any stored sentence of the passage."""
    return max((cosine(query, v) for _, v in sentences(passage)), default=0.0)


def _best(
    query: Vector,
    passage: Passage,
    sentences: SentenceVectors,
    holds: Callable[[str], bool] | None,
    penalty: float,
) -> float:
    if holds is None:
        return best_sentence(query, passage, sentences)
    return max(
        (
            cosine(query, v) - (0.0 if holds(_text(passage, span)) else penalty)
            for span, v in sentences(passage)
        ),
        default=0.0,
    )


def _text(passage: Passage, span: tuple[int, int]) -> str:
    return passage.text[span[0] - passage.start : span[1] - passage.start]


def rerank(
    passages: Sequence[Passage],
    queries: Sequence[Vector],
    sentences: SentenceVectors,
    *,
    chunk_weight: float = 0.5,
    lexical_weight: float = 0.05,
    language: str = "",
    other_language_bonus: float = 0.0,
    answers: Sequence[Callable[[str], bool]] = (),
    off_kind_penalty: float = 0.0,
) -> list[Passage]:
    """The passages ordered by best sentence similarity plus a little chunk similarity and BM25.

    A passage in another language than the question's gets `other_language_bonus`: the
    multilingual embedder scores a translation below a same-language paraphrase, and BM25 cannot
    match it at all, so without it the other language's answer ranks under the question's
    language's near misses.

    With several queries (the parts of a compound question) the rankings are interleaved: each
    part's best passage first, then each part's second best, and so on.

    `answers[i]` tells whether a sentence holds the kind of answer query i asks for (a date for
    "when", an age for "how old"); a sentence that does not counts `off_kind_penalty` less, so a
    passage is ranked by the best sentence that could answer.
    """
    if not passages or not queries:
        return list(passages)
    top_lexical = max((p.lexical for p in passages), default=0.0) or 1.0
    rankings: list[list[tuple[float, int]]] = []
    for q, query in enumerate(queries):
        holds = answers[q] if q < len(answers) and off_kind_penalty else None
        scored = [
            (
                _best(query, p, sentences, holds, off_kind_penalty)
                + chunk_weight * p.dense
                + lexical_weight * p.lexical / top_lexical
                + (other_language_bonus if language and p.language not in ("", language) else 0.0),
                i,
            )
            for i, p in enumerate(passages)
        ]
        rankings.append(sorted(scored, key=lambda s: (-s[0], s[1])))
    order: dict[int, float] = {}
    for position in range(len(passages)):
        for ranking in rankings:
            score, index = ranking[position]
            order.setdefault(index, score)
    return [replace(passages[i], score=score) for i, score in order.items()]
