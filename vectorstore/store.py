"""The one place that knows Chroma: collections, chunk records, the manifest, and their order.

Two collections per index: the chunks (with embeddings) and the manifest (one record per
document naming its live version, plus one `__store__` record with a generation counter). Their
names carry a signature of the embedding model and the chunking, so an index built one way can
never be read or extended another way: a change of either simply means a new index.

Writes happen in an order that keeps readers consistent and makes a crash harmless: new chunks
first, then the manifest switch, then removal of the old chunks. Readers only trust chunks whose
`doc_hash` is the manifest's, and the next ingest deletes any leftover (`orphans`).
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlparse

from vectorstore.errors import EmptyIndexError, IndexMismatchError, StoreUnavailableError
from vectorstore.schema import ChunkRecord, DocumentRecord
from vectorstore.settings import StoreSettings

STORE_RECORD = "__store__"
_PAGE = 5000


@dataclass(frozen=True)
class Hit:
    """A chunk found by dense search, with its cosine similarity to the query."""

    chunk: ChunkRecord
    similarity: float


def signature(embedding_model: str, chunking: str) -> str:
    """A short digest naming how an index was built."""
    return hashlib.sha256(f"{embedding_model}|{chunking}".encode()).hexdigest()[:10]


def connect(settings: StoreSettings) -> Any:
    """A Chroma client: the server named by settings.chroma_url, else the embedded folder."""
    import chromadb
    from chromadb.config import Settings

    chroma_settings = Settings(anonymized_telemetry=False, allow_reset=False)
    if settings.chroma_url:
        raw = settings.chroma_url.strip()
        url = urlparse(raw if "://" in raw else f"http://{raw}")
        try:
            return chromadb.HttpClient(
                host=url.hostname or "127.0.0.1",
                port=url.port or (443 if url.scheme == "https" else 8000),
                ssl=url.scheme == "https",
                settings=chroma_settings,
            )
        except ValueError:  # chromadb's "Could not connect to a Chroma server"
            raise StoreUnavailableError(
                f"no Chroma server answers at {raw}; start one with "
                "'chroma run --path DIR --host 127.0.0.1 --port 8000' or unset ASSISTANT_CHROMA_URL"
            ) from None
    settings.path.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(settings.path), settings=chroma_settings)


class Store:
    """Chunks and manifest of one index (one embedding model + one chunking)."""

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

    # -- opening ---------------------------------------------------------------------------
    @classmethod
    def open(
        cls, settings: StoreSettings, chunking: str, *, create: bool, dimension: int = 0
    ) -> Store:
        """Open the index for this embedding model and chunking; create it when asked to."""
        store = cls(
            connect(settings), settings.collection, settings.embedding_model, chunking, dimension
        )
        names = store.collection_names()
        parts = (store.chunks_name, store.manifest_name, store.sentences_name)
        if all(name in names for name in parts):
            store._chunks, store._manifest, store._sentences = (
                store.client.get_collection(name, embedding_function=None) for name in parts
            )
            store._check_record()
        elif create:
            meta = {
                "hnsw:space": "cosine",
                "embedding_model": store.embedding_model,
                "chunking": chunking,
            }
            store._chunks, store._manifest, store._sentences = (
                store.client.get_or_create_collection(name, metadata=meta, embedding_function=None)
                for name in parts
            )
        else:
            other = store.other_indexes()
            if other:
                raise IndexMismatchError(
                    f"the index was built with another embedding model or chunking ({other[0]}); "
                    f"run 'assistant ingest' to rebuild it for '{store.embedding_model}'"
                )
            raise EmptyIndexError("no documents are indexed yet: run 'assistant ingest' first")
        return store

    def collection_names(self) -> list[str]:
        return [c if isinstance(c, str) else c.name for c in self.client.list_collections()]

    def other_indexes(self) -> list[str]:
        """Chunk collections of this base name built another way (other model or chunking)."""
        prefix = f"{self.base}-"
        return sorted(
            name
            for name in self.collection_names()
            if name.startswith(prefix)
            and not name.endswith(("-manifest", "-sentences"))
            and name != self.chunks_name
        )

    def drop_other_indexes(self) -> list[str]:
        """Delete indexes built another way; called once the new index is complete."""
        dropped = self.other_indexes()
        for name in dropped:
            for victim in (name, f"{name}-manifest", f"{name}-sentences"):
                if victim in self.collection_names():
                    self.client.delete_collection(victim)
        return dropped

    def _check_record(self) -> None:
        meta = self._chunks.metadata or {}
        recorded = (meta.get("embedding_model"), meta.get("chunking"))
        if recorded != (self.embedding_model, self.chunking):
            raise IndexMismatchError(
                f"collection {self.chunks_name} records model {recorded[0]} and chunking "
                f"{recorded[1]}, not {self.embedding_model} / {self.chunking}"
            )

    # -- manifest --------------------------------------------------------------------------
    def documents(self) -> dict[str, DocumentRecord]:
        """The live version of every document, by source."""
        got = self._manifest.get(include=["metadatas"])
        return {
            source: DocumentRecord.from_chroma(source, meta)
            for source, meta in zip(got["ids"], got["metadatas"] or [], strict=True)
            if source != STORE_RECORD and meta
        }

    def put_document(self, record: DocumentRecord) -> None:
        self._manifest.upsert(
            ids=[record.source], embeddings=[[1.0]], metadatas=[record.metadata()]
        )

    def remove_document(self, source: str) -> None:
        self._manifest.delete(ids=[source])

    def generation(self) -> int:
        """A counter bumped after every ingest that changed something; readers watch it."""
        got = self._manifest.get(ids=[STORE_RECORD], include=["metadatas"])
        metas = got.get("metadatas") or []
        return int(metas[0].get("generation", 0)) if metas and metas[0] else 0

    def bump_generation(self) -> int:
        generation = self.generation() + 1
        self._manifest.upsert(
            ids=[STORE_RECORD],
            embeddings=[[1.0]],
            metadatas=[{"generation": generation, "updated_at": time.time()}],
        )
        return generation

    # -- chunks ----------------------------------------------------------------------------
    def add_chunks(
        self, records: Sequence[ChunkRecord], embeddings: Sequence[Sequence[float]]
    ) -> None:
        if not records:
            return
        self._chunks.upsert(
            ids=[r.id for r in records],
            embeddings=[list(e) for e in embeddings],
            documents=[r.text for r in records],
            metadatas=[r.metadata() for r in records],
        )

    def delete_chunks(self, ids: Iterable[str]) -> int:
        return _delete(self._chunks, ids)

    # -- sentences (evidence selection compares the question with each sentence) ---------
    def add_sentences(
        self,
        ids: Sequence[str],
        sources: Sequence[tuple[str, str]],
        embeddings: Sequence[Sequence[float]],
    ) -> None:
        """Store sentence embeddings, each tagged with its (source, doc_hash)."""
        if not ids:
            return
        self._sentences.upsert(
            ids=list(ids),
            embeddings=[list(e) for e in embeddings],
            metadatas=[{"source": s, "doc_hash": h} for s, h in sources],
        )

    def sentence_vectors(self, ids: Sequence[str]) -> dict[str, list[float]]:
        """Stored embeddings of the given sentence ids (missing ids are left out)."""
        if not ids:
            return {}
        got = self._sentences.get(ids=list(ids), include=["embeddings"])
        vectors = got.get("embeddings")
        if vectors is None:
            return {}
        return {i: list(map(float, v)) for i, v in zip(got["ids"], vectors, strict=True)}

    def sentence_keys(self) -> dict[str, tuple[str, str]]:
        """Every stored sentence id with its (source, doc_hash)."""
        return _keys(self._sentences)

    def sentence_ids_of(self, source: str) -> list[str]:
        return list(self._sentences.get(where={"source": source}, include=[])["ids"])

    def delete_sentences(self, ids: Iterable[str]) -> int:
        return _delete(self._sentences, ids)

    def chunk_keys(self) -> dict[str, tuple[str, str]]:
        """Every stored chunk id with its (source, doc_hash)."""
        return _keys(self._chunks)

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
        return list(self._chunks.get(where={"source": source}, include=[])["ids"])

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


def _keys(collection: Any) -> dict[str, tuple[str, str]]:
    keys: dict[str, tuple[str, str]] = {}
    offset = 0
    while True:
        got = collection.get(include=["metadatas"], limit=_PAGE, offset=offset)
        for item_id, meta in zip(got["ids"], got["metadatas"] or [], strict=True):
            keys[item_id] = (str(meta["source"]), str(meta["doc_hash"]))
        if len(got["ids"]) < _PAGE:
            return keys
        offset += _PAGE


def _delete(collection: Any, ids: Iterable[str]) -> int:
    batch = list(ids)
    for i in range(0, len(batch), _PAGE):
        collection.delete(ids=batch[i : i + _PAGE])
    return len(batch)
