"""The one place that knows Chroma: collections, chunk records, the manifest, and their order.

Three collections per index: the chunks (with embeddings), the sentences (embeddings for evidence
selection) and the manifest (`vectorstore.manifest`: one record per document naming its live
version, plus the `__store__` record). Their names carry a signature of the embedding model (with
the runtime when it is not the in-process one: `vectorstore.remote_embeddings.vector_identity`)
and the chunking, so an index built one way can never be read or extended another way: a change
of either simply means a new index.

Writes happen in an order that keeps readers consistent and makes a crash harmless: new chunks
first, then the manifest switch, then removal of the old chunks. Readers only trust chunks whose
`doc_hash` is the manifest's. An embedded store is also published as whole snapshots
(`vectorstore.snapshots`): ingest writes a private copy, and readers follow the published one.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from vectorstore import manifest, snapshots
from vectorstore.client import close_client, connect
from vectorstore.errors import EmptyIndexError, IndexMismatchError
from vectorstore.indexes import IndexesMixin
from vectorstore.manifest import PAGE as _PAGE
from vectorstore.manifest import STORE_RECORD, Keys, ManifestMixin
from vectorstore.schema import ChunkRecord
from vectorstore.settings import StoreSettings

__all__ = ["STORE_RECORD", "Hit", "Store", "connect", "signature"]


@dataclass(frozen=True)
class Hit:
    """A chunk found by dense search, with its cosine similarity to the query."""

    chunk: ChunkRecord
    similarity: float


def signature(embedding_model: str, chunking: str) -> str:
    """A short digest naming how an index was built."""
    return hashlib.sha256(f"{embedding_model}|{chunking}".encode()).hexdigest()[:10]


class Store(ManifestMixin, IndexesMixin):
    """Chunks, sentences and manifest of one index (one embedding model + one chunking)."""

    def __init__(
        self, client: Any, base: str, embedding_model: str, chunking: str, dimension: int = 0
    ):
        self.client = client
        self.base = base
        self.embedding_model = embedding_model
        self.chunking = chunking
        self.signature = signature(embedding_model, chunking)
        self.chunks_name = f"{base}-{self.signature}"
        self.manifest_name = f"{base}-{self.signature}-manifest"
        self.sentences_name = f"{base}-{self.signature}-sentences"
        self.dimension = dimension
        self._chunks: Any = None
        self._manifest: Any = None
        self._sentences: Any = None
        self._settings: StoreSettings | None = None
        self._snapshot: str | None = None
        self._retired: Any = None

    # -- opening ---------------------------------------------------------------------------
    @classmethod
    def open(
        cls,
        settings: StoreSettings,
        chunking: str,
        *,
        create: bool,
        dimension: int = 0,
        folder: Path | None = None,
    ) -> Store:
        """Open the index for this embedding model and chunking; create it when asked to.

        Without `folder`, an embedded store opens the published snapshot and follows later ones;
        with it, that Chroma folder itself (an ingest's private copy) and nothing else.
        """
        snapshot = None
        if folder is None and not settings.chroma_url:
            snapshot, _ = snapshots.published(settings.path)
            if not create and snapshots.folder_of(settings.path, snapshot) is None:
                raise EmptyIndexError("no documents are indexed yet: run 'assistant ingest' first")
        from vectorstore.remote_embeddings import vector_identity

        store = cls(
            connect(settings, folder), settings.collection, vector_identity(settings), chunking,
            dimension,
        )  # fmt: skip
        store._settings, store._snapshot = settings, snapshot
        store._attach(create)
        return store

    def _attach(self, create: bool) -> None:
        names = self.collection_names()
        parts = (self.chunks_name, self.manifest_name, self.sentences_name)
        if all(name in names for name in parts):
            self._chunks, self._manifest, self._sentences = (
                self.client.get_collection(name, embedding_function=None) for name in parts
            )
            self._check_record()
        elif create:
            meta = {
                "hnsw:space": "cosine",
                "embedding_model": self.embedding_model,
                "chunking": self.chunking,
            }
            self._chunks, self._manifest, self._sentences = (
                self.client.get_or_create_collection(name, metadata=meta, embedding_function=None)
                for name in parts
            )
        else:
            other = self.other_indexes()
            if other:
                raise IndexMismatchError(
                    f"the index was built with another embedding model or chunking ({other[0]}); "
                    f"run 'assistant ingest' to rebuild it for '{self.embedding_model}'"
                )
            raise EmptyIndexError("no documents are indexed yet: run 'assistant ingest' first")

    def _follow(self) -> None:
        """Switch to the newest published snapshot if an ingest published one since we looked."""
        if self._snapshot is None or self._settings is None:
            return
        name, _ = snapshots.published(self._settings.path)
        if name == self._snapshot or snapshots.folder_of(self._settings.path, name) is None:
            return
        previous = self.client
        self.client = connect(self._settings)
        self._snapshot = name
        self._attach(create=False)
        # A search running in another thread may still use the previous client: close the one
        # before it instead.
        close_client(self._retired)
        self._retired = previous

    def close(self) -> None:
        """Release the Chroma client(s); an ingest closes its copy before publishing it."""
        close_client(self._retired)
        close_client(self.client)
        self._retired = None

    def validate(self) -> None:
        """Touch every collection (count, read, nearest-neighbour query); raise if one is broken."""
        for collection in (self._chunks, self._sentences, self._manifest):
            collection.count()
            got = collection.get(limit=1, include=["embeddings"])
            vectors = got.get("embeddings")
            if got["ids"] and vectors is not None and len(vectors):
                collection.query(query_embeddings=[list(vectors[0])], n_results=1)

    def _check_record(self) -> None:
        meta = self._chunks.metadata or {}
        recorded = (meta.get("embedding_model"), meta.get("chunking"))
        if recorded != (self.embedding_model, self.chunking):
            raise IndexMismatchError(
                f"collection {self.chunks_name} records model {recorded[0]} and chunking "
                f"{recorded[1]}, not {self.embedding_model} / {self.chunking}"
            )

    # -- chunks ----------------------------------------------------------------------------
    def add_chunks(
        self, records: Sequence[ChunkRecord], embeddings: Sequence[Sequence[float]]
    ) -> None:
        for i in range(0, len(records), _PAGE):
            page = records[i : i + _PAGE]
            self._chunks.upsert(
                ids=[r.id for r in page],
                embeddings=[list(e) for e in embeddings[i : i + _PAGE]],
                documents=[r.text for r in page],
                metadatas=[r.metadata() for r in page],
            )

    def chunk_vectors(self, ids: Sequence[str]) -> dict[str, list[float]]:
        """Stored embeddings of the given chunk ids (missing ids are left out)."""
        return _vectors(self._chunks, ids)

    def delete_chunks(self, ids: Iterable[str]) -> int:
        return manifest.delete(self._chunks, ids)

    # -- sentences (evidence selection compares the question with each sentence) ---------
    def add_sentences(
        self,
        ids: Sequence[str],
        sources: Sequence[tuple[str, str]],
        embeddings: Sequence[Sequence[float]],
    ) -> None:
        """Store sentence embeddings, each tagged with its (source, doc_hash)."""
        for i in range(0, len(ids), _PAGE):
            self._sentences.upsert(
                ids=list(ids[i : i + _PAGE]),
                embeddings=[list(e) for e in embeddings[i : i + _PAGE]],
                metadatas=[{"source": s, "doc_hash": h} for s, h in sources[i : i + _PAGE]],
            )

    def sentence_vectors(self, ids: Sequence[str]) -> dict[str, list[float]]:
        """Stored embeddings of the given sentence ids (missing ids are left out)."""
        return _vectors(self._sentences, ids)

    def query_sentences(self, embedding: Sequence[float], k: int) -> list[tuple[str, str]]:
        """The k nearest sentences as (sentence id, source), nearest first, any version."""
        total = int(self._sentences.count())
        if total == 0:
            return []
        got = self._sentences.query(
            query_embeddings=[list(embedding)], n_results=min(k, total), include=["metadatas"]
        )
        metadatas = got["metadatas"][0] if got["metadatas"] else []
        return [
            (i, str((m or {}).get("source", "")))
            for i, m in zip(got["ids"][0], metadatas, strict=True)
        ]

    def sentence_keys(self, sources: Sequence[str] | None = None) -> Keys:
        """Every stored sentence id (of all, or of the given sources) with its (source, doc_hash)."""
        return manifest.keys(self._sentences, sources)

    def sentence_ids_of(self, source: str) -> list[str]:
        return list(self.sentence_keys([source]))

    def delete_sentences(self, ids: Iterable[str]) -> int:
        return manifest.delete(self._sentences, ids)

    def chunk_keys(self, sources: Sequence[str] | None = None) -> Keys:
        """Every stored chunk id (of all, or of the given sources) with its (source, doc_hash)."""
        return manifest.keys(self._chunks, sources)

    def all_chunks(self) -> list[ChunkRecord]:
        """Every stored chunk with its text (for the lexical index and the viewer)."""
        out: list[ChunkRecord] = []
        offset = 0
        while True:
            got = self._chunks.get(include=["metadatas", "documents"], limit=_PAGE, offset=offset)
            out.extend(
                ChunkRecord.from_chroma(i, d or "", m)
                for i, d, m in zip(
                    got["ids"], got["documents"] or [], got["metadatas"] or [], strict=True
                )
            )
            if len(got["ids"]) < _PAGE:
                return out
            offset += _PAGE

    def chunk_ids_of(self, source: str) -> list[str]:
        """Ids of every stored chunk of a source, whatever its version."""
        return list(self.chunk_keys([source]))

    def chunks_of(self, source: str) -> list[ChunkRecord]:
        got = self._chunks.get(where={"source": source}, include=["metadatas", "documents"])
        return [
            ChunkRecord.from_chroma(i, d or "", m)
            for i, d, m in zip(
                got["ids"], got["documents"] or [], got["metadatas"] or [], strict=True
            )
        ]

    def count(self) -> int:
        return int(self._chunks.count())

    def query(self, embedding: Sequence[float], k: int) -> list[Hit]:
        """The k nearest chunks by cosine similarity (any version; callers filter by manifest)."""
        total = self.count()
        if total == 0:
            return []
        got = self._chunks.query(
            query_embeddings=[list(embedding)],
            n_results=min(k, total),
            include=["metadatas", "documents", "distances"],
        )
        return [
            Hit(ChunkRecord.from_chroma(i, d or "", m), 1.0 - float(dist))
            for i, d, m, dist in zip(
                got["ids"][0],
                got["documents"][0],
                got["metadatas"][0],
                got["distances"][0],
                strict=True,
            )
        ]


def _vectors(collection: Any, ids: Sequence[str]) -> dict[str, list[float]]:
    if not ids:
        return {}
    got = collection.get(ids=list(ids), include=["embeddings"])
    vectors = got.get("embeddings")
    if vectors is None:
        return {}
    return {i: list(map(float, v)) for i, v in zip(got["ids"], vectors, strict=True)}
