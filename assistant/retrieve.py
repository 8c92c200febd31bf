"""Hybrid retrieval: dense (Chroma) and BM25 rankings fused by weighted reciprocal rank fusion.

The BM25 index and the id → chunk map are rebuilt only when the store's generation changes (after
an ingest), never per query. Only chunks of each document's live version (per the manifest) are
returned, so a re-ingest running in another process never shows a half-replaced document.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

from assistant.settings import AssistantSettings
from assistant.types import Passage
from vectorstore.embeddings import SentenceTransformerEmbeddings, get_embedder
from vectorstore.lexical import LexicalIndex
from vectorstore.schema import ChunkRecord, DocumentRecord
from vectorstore.store import Store


@dataclass(frozen=True)
class SearchResult:
    """Ranked passages and what the search cost."""

    passages: tuple[Passage, ...]
    best_dense: float
    retrieve_ms: float
    query_vector: tuple[float, ...] = ()


class HybridSearcher:
    """Dense + BM25 search over the live documents of one index."""

    def __init__(
        self,
        settings: AssistantSettings,
        embedder: SentenceTransformerEmbeddings | None = None,
        store: Store | None = None,
    ):
        self.settings = settings
        s = settings.store
        self.embedder = embedder or get_embedder(
            s.embedding_model, s.query_threads, s.embed_threads
        )
        self._store = store
        self._generation = -1
        self._lock = threading.Lock()
        self._chunks: dict[str, ChunkRecord] = {}
        self._documents: dict[str, DocumentRecord] = {}
        self._lexical: LexicalIndex | None = None

    @property
    def store(self) -> Store:
        if self._store is None:
            self._store = Store.open(
                self.settings.store, self.settings.store.chunking, create=False
            )
        return self._store

    def documents(self) -> dict[str, DocumentRecord]:
        """The live documents, as of the last refresh."""
        self.refresh()
        return dict(self._documents)

    def languages(self) -> frozenset[str]:
        self.refresh()
        return frozenset(d.language for d in self._documents.values() if d.language)

    def refresh(self) -> bool:
        """Reload the manifest and the BM25 index if an ingest changed the store. True if it did."""
        with self._lock:
            generation = self.store.generation()
            if generation == self._generation and self._lexical is not None:
                return False
            documents = self.store.documents()
            live = {s: d.doc_hash for s, d in documents.items()}
            chunks = {c.id: c for c in self.store.all_chunks() if live.get(c.source) == c.doc_hash}
            ids = list(chunks)
            self._lexical = LexicalIndex(
                ids,
                [f"{chunks[i].title}\n{chunks[i].text}" for i in ids],
                [chunks[i].language for i in ids],
            )
            self._chunks, self._documents, self._generation = chunks, documents, generation
            return True

    def search(self, query: str, k: int | None = None, language: str = "en") -> SearchResult:
        """The k best passages for the query, best first, with fused scores."""
        started = time.perf_counter()
        self.refresh()
        k = k or self.settings.passages
        if not self._chunks:
            return SearchResult((), 0.0, (time.perf_counter() - started) * 1000)
        vector = self.embedder.embed_query(query)
        n = self.settings.candidates
        dense = [h for h in self.store.query(vector, n * 2) if h.chunk.id in self._chunks][:n]
        assert self._lexical is not None
        lexical = self._lexical.search(query, n, language)
        fused = self._fuse([h.chunk.id for h in dense], [i for i, _ in lexical])
        similarity = {h.chunk.id: h.similarity for h in dense}
        bm25 = dict(lexical)
        passages = tuple(
            _passage(self._chunks[i], score, similarity.get(i, 0.0), bm25.get(i, 0.0))
            for i, score in fused[:k]
        )
        best = max((h.similarity for h in dense), default=0.0)
        return SearchResult(passages, best, (time.perf_counter() - started) * 1000, tuple(vector))

    def _fuse(self, dense: list[str], lexical: list[str]) -> list[tuple[str, float]]:
        s = self.settings
        scores: dict[str, float] = {}
        for weight, ranking in ((s.dense_weight, dense), (s.lexical_weight, lexical)):
            for rank, chunk_id in enumerate(ranking):
                scores[chunk_id] = scores.get(chunk_id, 0.0) + weight / (s.rrf_k + rank + 1)
        return sorted(scores.items(), key=lambda item: (-item[1], item[0]))

    def chunk(self, chunk_id: str) -> ChunkRecord | None:
        return self._chunks.get(chunk_id)


def _passage(chunk: ChunkRecord, score: float, dense: float, lexical: float) -> Passage:
    return Passage(
        source=chunk.source,
        title=chunk.title,
        start=chunk.start,
        end=chunk.end,
        text=chunk.text,
        score=score,
        date=chunk.date,
        language=chunk.language,
        chunk_id=chunk.id,
        doc_hash=chunk.doc_hash,
        dense=dense,
        lexical=lexical,
        sentences=chunk.sentences,
    )
