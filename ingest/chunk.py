"""Sentence-aware chunks that know where they come from.

A chunk is a run of whole sentences from consecutive kept paragraphs. It records its `start` and
`end` in the original text and the spans of its sentences, so retrieval can cite a chunk and
evidence selection can cite one sentence of it, both as exact spans of the file.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from ingest.clean import CleanedText, Span, is_boilerplate
from vectorstore.text import split_sentences


@dataclass(frozen=True)
class TextChunk:
    """A chunk's place in the original text, with its sentences' spans."""

    start: int
    end: int
    sentences: tuple[Span, ...]


def sentences_of(text: str, cleaned: CleanedText, language: str) -> list[list[Span]]:
    """Sentence spans grouped into runs of adjacent kept paragraphs (a dropped one breaks a run)."""
    runs: list[list[Span]] = []
    previous_end = -1
    for start, end in cleaned.paragraphs:
        gap_dropped = any(previous_end <= ds and de <= start for ds, de in cleaned.dropped)
        if not runs or gap_dropped:
            runs.append([])
        runs[-1].extend(
            (s, e)
            for s, e in split_sentences(text, start, end, language)
            if not is_boilerplate(text[s:e])
        )
        previous_end = end
    return [run for run in runs if run]


def chunk(
    text: str, cleaned: CleanedText, language: str, max_chars: int = 600, overlap: int = 1
) -> list[TextChunk]:
    """Pack whole sentences into chunks of at most `max_chars`, overlapping by whole sentences."""
    chunks: list[TextChunk] = []
    for run in sentences_of(text, cleaned, language):
        sentences = [piece for s, e in run for piece in _split_long(text, s, e, max_chars)]
        first = 0
        while first < len(sentences):
            last = first
            while (
                last + 1 < len(sentences)
                and sentences[last + 1][1] - sentences[first][0] <= max_chars
            ):
                last += 1
            group = tuple(sentences[first : last + 1])
            chunks.append(TextChunk(start=group[0][0], end=group[-1][1], sentences=group))
            if last + 1 >= len(sentences):
                break
            first = max(first + 1, last + 1 - overlap)
    return chunks


def chunk_id(source: str, content_hash: str, piece: TextChunk) -> str:
    """A stable id: the same document bytes and settings always give the same ids."""
    key = f"{source}\0{content_hash}\0{piece.start}:{piece.end}"
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]


def _split_long(text: str, start: int, end: int, limit: int) -> list[Span]:
    """A 'sentence' longer than a chunk (a list, a run-on) is cut at white space."""
    pieces: list[Span] = []
    while end - start > limit:
        cut = text.rfind(" ", start, start + limit)
        if cut <= start:
            cut = start + limit
        pieces.append((start, cut))
        start = cut
        while start < end and text[start].isspace():
            start += 1
    if end > start:
        pieces.append((start, end))
    return pieces
