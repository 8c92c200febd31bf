"""Retrieve, second stage: the hybrid search's candidates re-ranked by their best sentence.

A chunk's embedding averages everything in it, so a chunk whose one sentence answers the question
can lose to a chunk that is about the topic in general, and a chunk in another language loses to
chunks that share the question's words. Each sentence's embedding is stored at ingest, so scoring
a candidate by its best-matching sentence costs no model call: the question's vector against the
stored sentence vectors. This is what lets an English question find the Danish article's answer.

A question that asks two things has one query vector per part; the rankings are interleaved, so
each part gets its best passages near the top and neither half crowds the other out.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

from assistant.pipeline.addressed import AddressedText
from assistant.pipeline.question import Question
from assistant.pipeline.retrieve import HybridSearcher, cosine
from assistant.settings import AssistantSettings
from assistant.types import Passage
from vectorstore.schema import sentence_id
from vectorstore.text import tokenize

Vector = Sequence[float]
Span = tuple[int, int]
SentenceVectors = Callable[[Passage], list[tuple[Span, Vector]]]
Similarity = Callable[[Passage, Span], float]
"""How close a sentence (a passage and the span of one of its sentences) is to a question."""


@dataclass(frozen=True)
class Retrieved:
    """The passages for a question, best first, and what scoring their sentences needs."""

    passages: tuple[Passage, ...]
    relevance: float
    """The best similarity of the question to any candidate chunk or sentence."""
    retrieve_ms: float
    coverage: float = 0.0
    """The rarity-weighted share of the question's words the best of the first passages holds."""
    queries: tuple[Vector, ...] = ()
    """The query vector of each part of the question."""
    vectors: dict[tuple[str, int, int], Vector] = field(default_factory=dict)
    """The stored vectors of the candidates' sentences, by (source, start, end)."""
    addressed: frozenset[tuple[str, int, int]] = frozenset()
    """The candidates' sentences surely addressed to an assistant: never evidence."""
    suspects: frozenset[tuple[str, int, int]] = frozenset()
    """The candidates' sentences that may be: judged by the model before they are evidence."""

    def similarity(self, part: int | None = None) -> Similarity | None:
        """Cosine similarity of a sentence to one part of the question (None: the closest part)."""
        queries = [q for q in self.queries if q]
        if part is not None and part < len(queries):
            queries = [queries[part]]
        if not queries or not self.vectors:
            return None

        def similarity(passage: Passage, span: Span) -> float:
            vector = self.vectors.get((passage.source, *span))
            return max(cosine(q, vector) for q in queries) if vector else 0.0

        return similarity

    def vector_of(self, source: str, start: int, end: int) -> Vector | None:
        """The stored vector of the sentence holding the span (a piece of a long sentence is
        represented by that sentence)."""
        exact = self.vectors.get((source, start, end))
        if exact is not None:
            return exact
        return next(
            (v for (s, a, b), v in self.vectors.items() if s == source and a <= start and end <= b),
            None,
        )


class Reranker:
    """Hybrid search for candidates, then a rerank of them by their best sentence."""

    def __init__(self, searcher: HybridSearcher, settings: AssistantSettings):
        self.searcher = searcher
        self.settings = settings
        self.addressed = AddressedText(
            searcher.embedder.embed_query, settings.addressed_certain, settings.addressed_suspect
        )

    def __call__(self, question: Question) -> Retrieved:
        s = self.settings
        k = max(5, s.passages)
        started = time.perf_counter()
        result = self.searcher.search(question.text, max(k, s.rerank_candidates), question.language)
        queries: list[Vector] = [result.query_vector]
        if len(question.parts) > 1:
            embed = self.searcher.embedder.embed_query
            queries = [embed(p) for p in question.parts]
        if s.rerank_candidates <= 0 or not result.query_vector:
            vectors = self.vectors_of(result.passages[:k])
            coverage = self.coverage(question, result.passages[:k])
            return Retrieved(result.passages[:k], result.best_dense, result.retrieve_ms,
                             coverage, tuple(queries), vectors, *self.addressed(vectors))  # fmt: skip
        vectors = self.vectors_of(result.passages)
        sure, suspects = self.addressed(vectors)

        def sentences(passage: Passage) -> list[tuple[Span, Vector]]:
            """The passage's sentences that rank it: none surely addressed to an assistant (a
            suspect still counts: most are ordinary sentences, judged only as evidence)."""
            keys = [(passage.source, *sp) for sp in passage.sentences]
            return [(k[1:], v) for k in keys if k not in sure and (v := vectors.get(k))]

        ranked = rerank(
            result.passages,
            queries,
            sentences,
            chunk_weight=s.rerank_chunk_weight,
            lexical_weight=s.rerank_lexical_weight,
            language=question.language,
            other_language_bonus=s.other_language_bonus,
        )[:k]
        best = max((best_sentence(q, p, sentences) for q in queries for p in ranked), default=0)
        elapsed = (time.perf_counter() - started) * 1000
        relevance = max(best, result.best_dense)
        coverage = self.coverage(question, ranked)
        return Retrieved(tuple(ranked), relevance, elapsed, coverage, tuple(queries), vectors,
                         sure, suspects)  # fmt: skip

    def coverage(self, question: Question, passages: Sequence[Passage], first: int = 3) -> float:
        """How much of the question the best of the first passages holds word for word: the
        rarity-weighted share of its words (a sign of relevance the embedding can miss, as
        for a terse question naming someone rare)."""
        terms = set(tokenize(question.text, question.language))
        total = sum(self.searcher.idf(t) for t in terms)
        if not total:
            return 0.0
        held = [
            sum(
                self.searcher.idf(t)
                for t in terms & set(tokenize(f"{p.title} {p.text}", p.language))
            )
            for p in passages[:first]
        ]
        return max(held, default=0.0) / total

    def vectors_of(self, passages: Sequence[Passage]) -> dict[tuple[str, int, int], Vector]:
        """Stored sentence vectors of the passages, keyed by (source, start, end)."""
        keys: dict[tuple[str, int, int], str] = {}
        for passage in passages:
            for span in passage.sentences:
                keys[(passage.source, *span)] = sentence_id(passage.source, passage.doc_hash, span)
        stored = self.searcher.store.sentence_vectors(list(dict.fromkeys(keys.values())))
        return {key: stored[i] for key, i in keys.items() if i in stored}


def best_sentence(query: Vector, passage: Passage, sentences: SentenceVectors) -> float:
    """The highest similarity of the query to any stored sentence of the passage."""
    return max((cosine(query, v) for _, v in sentences(passage)), default=0.0)


def rerank(
    passages: Sequence[Passage],
    queries: Sequence[Vector],
    sentences: SentenceVectors,
    *,
    chunk_weight: float = 0.5,
    lexical_weight: float = 0.05,
    language: str = "",
    other_language_bonus: float = 0.0,
) -> list[Passage]:
    """The passages ordered by best sentence similarity plus a little chunk similarity and BM25.

    A passage in another language than the question's gets `other_language_bonus`: the
    multilingual embedder scores a translation below a same-language paraphrase, and BM25 cannot
    match it at all, so without it the other language's answer ranks under the question's
    language's near misses.

    With several queries (the parts of a compound question) the rankings are interleaved: each
    part's best passage first, then each part's second best, and so on.
    """
    if not passages or not queries:
        return list(passages)
    top_lexical = max((p.lexical for p in passages), default=0.0) or 1.0
    rankings: list[list[tuple[float, int]]] = []
    for query in queries:
        scored = [
            (
                best_sentence(query, p, sentences)
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
