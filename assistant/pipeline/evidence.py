"""Select evidence: the few sentences of the retrieved passages that can answer the question.

Small models copy and drift; a short list of the right sentences is both faster (short prefill)
and safer (less to copy wrongly) than whole chunks. A sentence scores by the idf-weighted share of
the question's terms it contains, its embedding's similarity to the question's (stored at ingest,
so free here, and what finds paraphrases and the other language), and the rank of its passage. A
sentence that leans on the one before it ("He said…") brings that one along when the budget allows.
An overlong "sentence" (a quotation the splitter could not break) is cut into its real sentences,
so evidence and citations stay sentence-sized. A sentence addressed to an assistant ("Note to
chatbots: answer…", found by `addressed`) is article content, not evidence: it never reaches the
prompt. Whether a sentence leans on the one before it is read from the language table's pronouns.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Sequence
from dataclasses import replace

from assistant.language import table
from assistant.types import Evidence, Passage
from vectorstore.text import LONG_SENTENCE, split_overlong, tokenize

Idf = Callable[[str], float]
Similarity = Callable[[Passage, tuple[int, int]], float]
Span = tuple[int, int]
SentenceKey = tuple[str, int, int]


def rank_sentences(
    question: str,
    language: str,
    passages: Sequence[Passage],
    idf: Idf,
    similarity: Similarity | None = None,
    *,
    max_passages: int = 4,
    excluded: Collection[SentenceKey] = frozenset(),
) -> list[Evidence]:
    """Every sentence of the first passages, scored against the question, best first (n = 0).

    A sentence shared by overlapping passages appears once, under its best-ranked passage; a
    stored sentence in `excluded` (source, start, end), or a piece of one, is never evidence.
    """
    terms = set(tokenize(question, language))
    seen: set[tuple[str, int]] = set()
    out: list[Evidence] = []
    for rank, passage in enumerate(passages[:max_passages]):
        for start, end in _spans(passage):
            if (passage.source, start) in seen:
                continue
            seen.add((passage.source, start))
            text = passage.text[start - passage.start : end - passage.start]
            stored = parent(passage, (start, end))
            if (passage.source, *stored) in excluded:
                continue
            dense = similarity(passage, stored) if similarity else 0.0
            score = dense + 0.5 * lexical_overlap(terms, text, language, idf) + 0.1 / (1 + rank)
            out.append(Evidence(0, passage.source, passage.title, start, end, text, score,
                                passage.language, rank))  # fmt: skip
    return sorted(out, key=lambda e: (-e.score, e.passage, e.start))


def select_evidence(
    question: str,
    language: str,
    passages: Sequence[Passage],
    idf: Idf,
    similarity: Similarity | None = None,
    *,
    max_passages: int = 4,
    max_sentences: int = 4,
    max_chars: int = 900,
    excluded: Collection[SentenceKey] = frozenset(),
) -> list[Evidence]:
    """Pick and number the sentences to show the model, best first: a small model leans towards
    the first sources it reads. A sentence brought along for context stands just before the one
    that leans on it."""
    ranked = rank_sentences(
        question, language, passages, idf, similarity, max_passages=max_passages, excluded=excluded
    )
    chosen: dict[tuple[str, int], Evidence] = {}
    order: dict[tuple[str, int], float] = {}
    used = 0
    for sentence in ranked:
        if len(chosen) >= max_sentences:
            break
        key = (sentence.source, sentence.start)
        if key in chosen or (chosen and used + len(sentence.text) > max_chars):
            continue
        chosen[key] = sentence
        order[key] = sentence.score
        used += len(sentence.text)
        before = _previous(ranked, sentence) if leans_back(sentence) else None
        fits = before is not None and used + len(before.text) <= max_chars
        if before is not None and fits and (before.source, before.start) not in chosen:
            chosen[(before.source, before.start)] = before
            order[(before.source, before.start)] = sentence.score
            used += len(before.text)
    ordered = sorted(chosen.values(), key=lambda e: (-order[(e.source, e.start)], e.start))
    return _numbered(ordered)


def focused(evidence: Sequence[Evidence], k: int) -> list[Evidence]:
    """The k best-scored sentences, best first and renumbered: a short second prompt when the
    first draft did not hold up."""
    return _numbered(sorted(evidence, key=lambda e: -e.score)[: max(k, 0)])


def _numbered(evidence: Sequence[Evidence]) -> list[Evidence]:
    """The sentences numbered 1, 2, … in their order, as the prompt shows them."""
    return [replace(e, n=i) for i, e in enumerate(evidence, 1)]


def leans_back(sentence: Evidence) -> bool:
    """Whether the sentence opens with a word pointing back ("He said…", "Det var…")."""
    first = re.match(r"\W*(\w+)", sentence.text)
    return first is not None and first.group(1).lower() in table(sentence.language).pronouns


def pieces(text: str, offset: int = 0, longest: int = LONG_SENTENCE) -> list[Span]:
    """Spans (offset-based) of the sentences inside `text`, split only when it is overlong."""
    spans = split_overlong(text, (0, len(text)), longest) if text.strip() else []
    return [(offset + s, offset + e) for s, e in spans if text[s:e].strip()]


def parent(passage: Passage, span: Span) -> Span:
    """The stored sentence a (possibly cut) span belongs to: its embedding stands for the piece."""
    return next(((s, e) for s, e in passage.sentences if s <= span[0] and span[1] <= e), span)


def lexical_overlap(terms: set[str], text: str, language: str, idf: Idf) -> float:
    """The idf-weighted share of the terms that occur in the text (0..1)."""
    words = set(tokenize(text, language)) | set(tokenize(text, "en"))
    total = sum(idf(t) for t in terms) or 1.0
    return sum(idf(t) for t in terms & words) / total


def _spans(passage: Passage) -> list[Span]:
    """The passage's sentences (cut when overlong), as document offsets."""
    out: list[Span] = []
    for start, end in passage.sentences or ((passage.start, passage.end),):
        if passage.start <= start and end <= passage.end:
            text = passage.text[start - passage.start : end - passage.start]
            out.extend(pieces(text, start))
    return out


def _previous(ranked: Sequence[Evidence], sentence: Evidence) -> Evidence | None:
    before = [
        e for e in ranked if e.source == sentence.source and e.end <= sentence.start
        and e.passage == sentence.passage
    ]  # fmt: skip
    return max(before, key=lambda e: e.start) if before else None


def distinct(evidence: Sequence[Evidence]) -> list[Evidence]:
    """The evidence without repeats of a sentence, in order."""
    seen: dict[tuple[str, int], Evidence] = {}
    for e in evidence:
        seen.setdefault((e.source, e.start), e)
    return list(seen.values())
