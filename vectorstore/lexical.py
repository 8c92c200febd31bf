"""The BM25 side of hybrid search: an in-memory index over chunk texts, updated document by document.

Scores are those of bm25s' default ("lucene": k1 = 1.5, b = 0.75, idf = ln(1 + (N - df + 0.5) /
(df + 0.5)), query terms counted as often as they occur), but computed at query time from postings
rather than precomputed. That is what bm25s cannot do and this index needs: when an ingest changes
a few documents, their chunks are removed and added in milliseconds, with N, df and the average
length kept exact, instead of re-reading and re-indexing the whole collection.
"""

from __future__ import annotations

import math
import threading
from array import array
from collections import Counter
from collections.abc import Iterable, Sequence

import numpy as np

from vectorstore.text import tokenize

K1 = 1.5
B = 0.75
_EMPTY = "\u2205"  # the one token of a chunk with no word: it still counts in N and the lengths


class LexicalIndex:
    """BM25 over chunk texts. Build it once, `update` it as documents change, query it many times."""

    def __init__(
        self,
        ids: Sequence[str] = (),
        texts: Sequence[str] = (),
        languages: Sequence[str] | None = None,
    ):
        self._lock = threading.RLock()
        self._row_of: dict[str, int] = {}  # live chunk id → row
        self._ids: list[str] = []  # row → chunk id
        self._lengths = array("f")  # row → tokens
        self._live = bytearray()  # row → 1 while the chunk is in the index
        self._row_terms: list[array[int]] = []  # row → its distinct term ids (for df on removal)
        self._term_of: dict[str, int] = {}
        self._postings: list[array[int]] = []  # term → rows (grows; dead rows are masked)
        self._freqs: list[array[float]] = []  # term → tf in each of those rows
        self._df: list[int] = []  # term → live rows containing it
        self._arrays: dict[int, tuple[np.ndarray, np.ndarray]] = {}  # term → (rows, tf), cached
        self._rows: tuple[np.ndarray, np.ndarray] | None = None  # (lengths, live mask), cached
        self._total_length = 0.0
        self.update((), ids, texts, languages)

    # -- changes -----------------------------------------------------------------------------
    def update(
        self,
        removed: Iterable[str],
        ids: Sequence[str] = (),
        texts: Sequence[str] = (),
        languages: Sequence[str] | None = None,
    ) -> None:
        """Remove chunks by id, then add (or replace) the given ones; only those are tokenized."""
        langs = languages or ["en"] * len(ids)
        tokens = [tokenize(t, lang) or [_EMPTY] for t, lang in zip(texts, langs, strict=True)]
        with self._lock:
            for chunk_id in [*removed, *ids]:
                self._remove(chunk_id)
            for chunk_id, words in zip(ids, tokens, strict=True):
                self._add(chunk_id, words)
            if len(self._ids) > 2 * len(self._row_of) + 1000:
                self._compact()

    def _add(self, chunk_id: str, words: list[str]) -> None:
        row = len(self._ids)
        counts = Counter(words)
        terms = array("i", (self._term(w) for w in counts))
        for term, tf in zip(terms, counts.values(), strict=True):
            self._postings[term].append(row)
            self._freqs[term].append(tf)
            self._df[term] += 1
            self._arrays.pop(term, None)
        self._row_of[chunk_id] = row
        self._ids.append(chunk_id)
        self._lengths.append(len(words))
        self._live.append(1)
        self._row_terms.append(terms)
        self._total_length += len(words)
        self._rows = None

    def _remove(self, chunk_id: str) -> None:
        row = self._row_of.pop(chunk_id, None)
        if row is None:
            return
        self._live[row] = 0
        self._total_length -= self._lengths[row]
        for term in self._row_terms[row]:
            self._df[term] -= 1
        self._row_terms[row] = array("i")
        self._rows = None

    def _term(self, word: str) -> int:
        term = self._term_of.get(word)
        if term is None:
            term = self._term_of[word] = len(self._postings)
            self._postings.append(array("i"))
            self._freqs.append(array("f"))
            self._df.append(0)
        return term

    def _compact(self) -> None:
        """Drop dead rows once they outnumber the live ones (renumbering the rest)."""
        keep = [r for r, alive in enumerate(self._live) if alive]
        renumber = np.full(len(self._ids), -1, dtype=np.int64)
        renumber[keep] = np.arange(len(keep))
        for term in range(len(self._postings)):
            rows = renumber[np.array(self._postings[term], dtype=np.int64)]
            alive = rows >= 0
            self._postings[term] = array("i", rows[alive].tolist())
            self._freqs[term] = array("f", np.array(self._freqs[term])[alive].tolist())
        self._ids = [self._ids[r] for r in keep]
        self._lengths = array("f", (self._lengths[r] for r in keep))
        self._row_terms = [self._row_terms[r] for r in keep]
        self._live = bytearray(b"\x01" * len(keep))
        self._row_of = {chunk_id: row for row, chunk_id in enumerate(self._ids)}
        self._arrays.clear()
        self._rows = None

    # -- reading -------------------------------------------------------------------------------
    @property
    def ids(self) -> list[str]:
        """The live chunk ids."""
        with self._lock:
            return [self._ids[r] for r in sorted(self._row_of.values())]

    def __len__(self) -> int:
        return len(self._row_of)

    def __contains__(self, chunk_id: object) -> bool:
        return chunk_id in self._row_of

    def idf(self, term: str) -> float:
        """Inverse document frequency of a (tokenized) term; unseen terms weigh the most."""
        term_id = self._term_of.get(term)
        df = self._df[term_id] if term_id is not None else 0
        n = len(self._row_of)
        return math.log(1 + (n - df + 0.5) / (df + 0.5))

    def search(self, query: str, k: int, language: str = "en") -> list[tuple[str, float]]:
        """The k best chunk ids for the query with their BM25 scores (only positive scores)."""
        words = tokenize(query, language)
        with self._lock:
            n = len(self._row_of)
            terms = [self._term_of[w] for w in words if w in self._term_of]
            terms = [t for t in terms if self._df[t] > 0]
            if not terms or not n:
                return []
            lengths, live = self._row_arrays()
            norm = K1 * ((1 - B) + B * lengths / np.float32(self._total_length / n))
            scores = np.zeros(len(self._ids), dtype=np.float32)
            for term in terms:  # as often as the term occurs in the query, like bm25s
                rows, tf = self._posting(term)
                df = self._df[term]
                idf = math.log(1 + (n - df + 0.5) / (df + 0.5))
                scores[rows] += np.float32(idf) * tf / (norm[rows] + tf)
            scores[~live] = 0.0
            k = min(k, n)
            top = np.argpartition(-scores, k - 1)[:k]
            top = top[np.argsort(-scores[top], kind="stable")]
            return [(self._ids[r], float(scores[r])) for r in top.tolist() if scores[r] > 0]

    def _posting(self, term: int) -> tuple[np.ndarray, np.ndarray]:
        cached = self._arrays.get(term)
        if cached is None:  # copies: the arrays keep growing, a view would pin them
            cached = (
                np.array(self._postings[term], dtype=np.int64),
                np.array(self._freqs[term], dtype=np.float32),
            )
            self._arrays[term] = cached
        return cached

    def _row_arrays(self) -> tuple[np.ndarray, np.ndarray]:
        if self._rows is None:
            self._rows = (
                np.array(self._lengths, dtype=np.float32),
                np.array(self._live, dtype=np.bool_),
            )
        return self._rows
