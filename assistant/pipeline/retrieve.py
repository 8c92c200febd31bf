"""Hybrid retrieval: dense chunk, dense sentence and BM25 rankings fused by weighted reciprocal
rank fusion.

A chunk's embedding averages all of its sentences, so a chunk whose one sentence answers the
question, above all in another language than the question's, can miss both the dense and the BM25
top lists; the nearest sentences (embedded one by one at ingest) find it and bring its chunk.

The BM25 index and the id → chunk map are loaded once and kept; when the store's generation
changes (after an ingest) they are updated with the changed documents only, never per query.
Only chunks of each document's live version (per the manifest) are returned, so a re-ingest
running in another process never shows a half-replaced document.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Collection, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

from assistant.settings import AssistantSettings
from assistant.types import Passage
from vectorstore.duplicates import from_json, groups
from vectorstore.embeddings import SentenceTransformerEmbeddings
from vectorstore.lexical import LexicalIndex
from vectorstore.remote_embeddings import embedder_for
from vectorstore.schema import ChunkRecord, DocumentRecord, sentence_id
from vectorstore.store import Store

_FULL_RELOAD = 16
"""Above this many changed documents (and a quarter of all) the searcher reloads everything."""


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
        self.embedder = embedder or embedder_for(s)
        self._store = store
        self._generation = -1
        self._lock = threading.Lock()
        self._chunks: dict[str, ChunkRecord] = {}
        self._by_source: dict[str, list[ChunkRecord]] = {}
        self._owners: dict[str, dict[str, list[str]]] = {}
        self._documents: dict[str, DocumentRecord] = {}
        self._lexical: LexicalIndex | None = None
        self._scope = threading.local()
        self._copies: dict[str, str] = {}

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

    def copies(self) -> dict[str, str]:
        """Documents that are copies of one story (syndicated, republished, updated): source →
        the group's first-published source; a document with no copy is absent."""
        self.refresh()
        return dict(self._copies)

    def idf(self, term: str) -> float:
        """The BM25 inverse document frequency of a (tokenized) term (1 before any index)."""
        lexical = self._lexical
        return lexical.idf(term) if lexical is not None else 1.0

    def languages(self) -> frozenset[str]:
        self.refresh()
        return frozenset(d.language for d in self._documents.values() if d.language)

    def refresh(self) -> bool:
        """Catch up with the store if an ingest changed it (its generation moved). True if it did.

        The first call reads every chunk; later ones read only the chunks of documents whose
        live version changed, and update the BM25 index with just those.
        """
        with self._lock:
            generation = self.store.generation()
            if generation == self._generation and self._lexical is not None:
                return False
            documents = self.store.documents()
            live = {s: d.doc_hash for s, d in documents.items()}
            known = {s: d.doc_hash for s, d in self._documents.items()}
            changed = [s for s, h in live.items() if known.get(s) != h]
            if self._lexical is None or len(changed) > max(_FULL_RELOAD, len(live) // 4):
                self._reload(live)
            else:
                self._catch_up(live, set(known) - set(live) | set(changed), changed)
            self._documents, self._generation = documents, generation
            self._copies = copies_of(documents)
            return True

    def _reload(self, live: dict[str, str]) -> None:
        chunks = {c.id: c for c in self.store.all_chunks() if live.get(c.source) == c.doc_hash}
        ids = list(chunks)
        self._lexical = LexicalIndex(
            ids, [_lexical_text(chunks[i]) for i in ids], [chunks[i].language for i in ids]
        )
        self._chunks = chunks
        self._by_source = {}
        for chunk in chunks.values():
            self._by_source.setdefault(chunk.source, []).append(chunk)
        self._owners = {}

    def _catch_up(self, live: dict[str, str], stale: set[str], changed: list[str]) -> None:
        assert self._lexical is not None
        chunks = {i: c for i, c in self._chunks.items() if c.source not in stale}
        fresh = [c for s in changed for c in self.store.chunks_of(s) if c.doc_hash == live[s]]
        chunks.update((c.id, c) for c in fresh)
        for source in stale:
            self._by_source.pop(source, None)
            self._owners.pop(source, None)
        for chunk in fresh:
            self._by_source.setdefault(chunk.source, []).append(chunk)
        self._lexical.update(
            [i for i, c in self._chunks.items() if c.source in stale],
            [c.id for c in fresh],
            [_lexical_text(c) for c in fresh],
            [c.language for c in fresh],
        )
        self._chunks = chunks

    @contextmanager
    def limited_to(self, sources: Collection[str] | None) -> Iterator[None]:
        """Searches made in this thread inside the block see only these documents (None: all)."""
        previous = getattr(self._scope, "sources", None)
        self._scope.sources = None if sources is None else frozenset(sources)
        try:
            yield
        finally:
            self._scope.sources = previous

    def search(self, query: str, k: int | None = None, language: str = "en") -> SearchResult:
        """The k best passages for the query, best first, with fused scores."""
        started = time.perf_counter()
        self.refresh()
        k = k or self.settings.passages
        chunks, index = self._chunks, self._lexical  # one consistent view, whatever refreshes
        scope = getattr(self._scope, "sources", None)
        if scope is not None:
            chunks = {i: c for i, c in chunks.items() if c.source in scope}
        if not chunks or index is None:
            return SearchResult((), 0.0, (time.perf_counter() - started) * 1000)
        vector = self.embedder.embed_query(query)
        n = self.settings.candidates
        dense = [h for h in self.store.query(vector, n * 2) if h.chunk.id in chunks][:n]
        lexical = [(i, s) for i, s in index.search(query, n, language) if i in chunks]
        nearest = [i for i in self._sentence_ranking(vector, n) if i in chunks]
        fused = self._fuse([h.chunk.id for h in dense], [i for i, _ in lexical], nearest)
        similarity = {h.chunk.id: h.similarity for h in dense}
        ranked = _one_copy(fused, chunks, self._copies)[:k]
        unscored = [i for i, _ in ranked if i not in similarity]
        # Candidates found by BM25 or a sentence alone get their real chunk similarity too:
        # the rerank weighs it, and a missing score would sink them.
        for chunk_id, stored in self.store.chunk_vectors(unscored).items():
            similarity[chunk_id] = cosine(vector, stored)
        bm25 = dict(lexical)
        passages = tuple(
            _passage(chunks[i], score, similarity.get(i, 0.0), bm25.get(i, 0.0))
            for i, score in ranked
        )
        best = max((h.similarity for h in dense), default=0.0)
        return SearchResult(passages, best, (time.perf_counter() - started) * 1000, tuple(vector))

    def _sentence_ranking(self, vector: list[float], n: int) -> list[str]:
        """Live chunks in the order of their nearest sentences, at most n."""
        if self.settings.sentence_weight <= 0:
            return []
        order: dict[str, None] = {}
        for sentence, source in self.store.query_sentences(vector, 2 * n):
            order.update(dict.fromkeys(self._owners_of(source).get(sentence, ())))
            if len(order) >= n:
                break
        return list(order)[:n]

    def _owners_of(self, source: str) -> dict[str, list[str]]:
        """Sentence id → ids of the live chunks of the source that hold it (built once)."""
        owners = self._owners.get(source)
        if owners is None:
            owners = {}
            for chunk in sorted(self._by_source.get(source, ()), key=lambda c: c.start):
                for span in chunk.sentences:
                    key = sentence_id(source, chunk.doc_hash, span)
                    owners.setdefault(key, []).append(chunk.id)
            self._owners[source] = owners
        return owners

    def _fuse(
        self, dense: list[str], lexical: list[str], nearest: list[str]
    ) -> list[tuple[str, float]]:
        """Weighted reciprocal rank fusion of the dense, BM25 and nearest-sentence rankings."""
        s = self.settings
        scores: dict[str, float] = {}
        rankings = (
            (s.dense_weight, dense),
            (s.lexical_weight, lexical),
            (s.sentence_weight, nearest),
        )
        for weight, ranking in rankings:
            for rank, chunk_id in enumerate(ranking):
                scores[chunk_id] = scores.get(chunk_id, 0.0) + weight / (s.rrf_k + rank + 1)
        return sorted(scores.items(), key=lambda item: (-item[1], item[0]))

    def chunk(self, chunk_id: str) -> ChunkRecord | None:
        return self._chunks.get(chunk_id)


def copies_of(documents: dict[str, DocumentRecord]) -> dict[str, str]:
    """Which documents are near-duplicates of which (see `HybridSearcher.copies`)."""
    signatures = {s: from_json(d.signature) for s, d in documents.items() if d.signature}
    return groups(signatures, dates={s: d.date for s, d in documents.items()})


def _one_copy(
    fused: list[tuple[str, float]], chunks: dict[str, ChunkRecord], copies: dict[str, str]
) -> list[tuple[str, float]]:
    """The ranking with chunks of a story's other copies left out: the copy ranked first speaks
    for the story, so the passages are not filled with the same text from several outlets."""
    speaker: dict[str, str] = {}
    kept = []
    for chunk_id, score in fused:
        source = chunks[chunk_id].source
        story = copies.get(source, source)
        if speaker.setdefault(story, source) == source:
            kept.append((chunk_id, score))
    return kept


def cosine(a: Sequence[float], b: Sequence[float]) -> float:
    """Dot product of two unit vectors."""
    return float(sum(x * y for x, y in zip(a, b, strict=True)))


def _lexical_text(chunk: ChunkRecord) -> str:
    return f"{chunk.title}\n{chunk.text}"


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
