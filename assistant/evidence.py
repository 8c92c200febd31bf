"""Evidence selection: the few sentences of the retrieved passages that can answer the question.

Small models copy and drift; a short list of the right sentences is both faster (short prefill)
and safer (less to copy wrongly) than whole chunks. A sentence scores by the idf-weighted share of
the question's terms it contains, its embedding's similarity to the question's (stored at ingest,
so free here, and what finds paraphrases and the other language), and the rank of its passage. A
sentence that leans on the one before it ("He said…") brings that one along when the budget allows.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from assistant.types import Evidence, Passage
from vectorstore.text import tokenize

Idf = Callable[[str], float]
Similarity = Callable[[Passage, tuple[int, int]], float]

_LEANS_BACK = re.compile(
    r"^[\"“”'‘’(\-–—]*\s*(he|she|it|they|his|her|its|their|this|that|these|those|but|and|so|then|"
    r"han|hun|det|den|de|men|og|der)\b",
    re.IGNORECASE,
)


def select_evidence(
    question: str,
    language: str,
    passages: Sequence[Passage],
    idf: Idf,
    similarity: Similarity | None = None,
    *,
    max_passages: int = 4,
    max_sentences: int = 6,
    max_chars: int = 900,
) -> list[Evidence]:
    """Pick and number the sentences to show the model, in reading order within each source."""
    candidates = _candidates(passages[:max_passages])
    if not candidates:
        return []
    terms = set(tokenize(question, language))
    scored = sorted(
        ((c[0], c[1], c[2], _score(terms, language, c, idf, passages, similarity)) for c in candidates),
        key=lambda c: (-c[3], c[0], c[1][0]),
    )
    chosen: dict[tuple[str, int], tuple[int, tuple[int, int], str, float]] = {}
    used = 0
    for rank, span, text, score in scored:
        if len(chosen) >= max_sentences or used + len(text) > max_chars and chosen:
            break
        source = passages[rank].source
        if (source, span[0]) in chosen:
            continue
        chosen[(source, span[0])] = (rank, span, text, score)
        used += len(text)
        previous = _previous(candidates, rank, span) if _LEANS_BACK.match(text) else None
        if previous and (source, previous[1][0]) not in chosen and used + len(previous[2]) <= max_chars:
            chosen[(source, previous[1][0])] = (previous[0], previous[1], previous[2], score)
            used += len(previous[2])
    ordered = sorted(chosen.values(), key=lambda c: (c[0], c[1][0]))
    return [
        Evidence(
            n=i + 1,
            source=passages[rank].source,
            title=passages[rank].title,
            start=span[0],
            end=span[1],
            text=text,
            score=score,
            language=passages[rank].language,
            passage=rank,
        )
        for i, (rank, span, text, score) in enumerate(ordered)
    ]


def _candidates(passages: Sequence[Passage]) -> list[tuple[int, tuple[int, int], str]]:
    """(passage rank, span in the document, text) for each sentence of each passage."""
    out: list[tuple[int, tuple[int, int], str]] = []
    for rank, passage in enumerate(passages):
        for start, end in passage.sentences or ((passage.start, passage.end),):
            if passage.start <= start and end <= passage.end:
                text = passage.text[start - passage.start : end - passage.start]
                if text.strip():
                    out.append((rank, (start, end), text))
    return out


def _previous(
    candidates: list[tuple[int, tuple[int, int], str]], rank: int, span: tuple[int, int]
) -> tuple[int, tuple[int, int], str] | None:
    before = [c for c in candidates if c[0] == rank and c[1][1] <= span[0]]
    return max(before, key=lambda c: c[1][0]) if before else None


def lexical_overlap(terms: set[str], text: str, language: str, idf: Idf) -> float:
    """The idf-weighted share of the terms that occur in the text (0..1)."""
    words = set(tokenize(text, language)) | set(tokenize(text, "en"))
    total = sum(idf(t) for t in terms) or 1.0
    return sum(idf(t) for t in terms & words) / total


def _score(
    terms: set[str],
    language: str,
    candidate: tuple[int, tuple[int, int], str],
    idf: Idf,
    passages: Sequence[Passage],
    similarity: Similarity | None,
) -> float:
    rank, span, text = candidate
    dense = similarity(passages[rank], span) if similarity else 0.0
    return dense + 0.5 * lexical_overlap(terms, text, language, idf) + 0.1 / (1 + rank)
