"""The BM25 side of hybrid search: an in-memory index over chunk texts, built once per generation."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence

from vectorstore.text import tokenize


class LexicalIndex:
    """BM25 (bm25s) over chunk texts. Build it when the store changes, query it many times."""

    def __init__(
        self, ids: Sequence[str], texts: Sequence[str], languages: Sequence[str] | None = None
    ):
        import bm25s

        self.ids = list(ids)
        langs = languages or ["en"] * len(self.ids)
        corpus = [tokenize(t, lang) or ["\u2205"] for t, lang in zip(texts, langs, strict=True)]
        self._documents = len(corpus)
        self._df: Counter[str] = Counter(term for tokens in corpus for term in set(tokens))
        self._bm25 = bm25s.BM25()
        if corpus:
            self._bm25.index(corpus, show_progress=False)
        self._vocab = set(self._df)

    def __len__(self) -> int:
        return len(self.ids)

    def idf(self, term: str) -> float:
        """Inverse document frequency of a (tokenized) term; unseen terms weigh the most."""
        df = self._df.get(term, 0)
        return math.log(1 + (self._documents - df + 0.5) / (df + 0.5))

    def search(self, query: str, k: int, language: str = "en") -> list[tuple[str, float]]:
        """The k best chunk ids for the query with their BM25 scores (only positive scores)."""
        tokens = [t for t in tokenize(query, language) if t in self._vocab]
        if not tokens or not self.ids:
            return []
        k = min(k, len(self.ids))
        results, scores = self._bm25.retrieve([tokens], k=k, show_progress=False)
        return [
            (self.ids[int(i)], float(s))
            for i, s in zip(results[0], scores[0], strict=True)
            if float(s) > 0
        ]
