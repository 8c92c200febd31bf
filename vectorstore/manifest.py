"""The manifest: which version of each document is live, and the store's own record.

One record per document (id = its source path) names the live `doc_hash`; readers trust only the
chunks and sentences of that version. The `__store__` record holds the generation (bumped by every
ingest that changed something; readers watch it) and the ingest state: "running" while an ingest
writes, "clean" once it finished. Only a store not marked clean can hold entries of no live
version (left by a killed ingest), so only then does the next ingest scan for them.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from typing import Any

from vectorstore.schema import DocumentRecord

STORE_RECORD = "__store__"
RUNNING = "running"
CLEAN = "clean"
PAGE = 5000
"""Ids per Chroma call (its limit is 5461 per batch)."""

Keys = dict[str, tuple[str, str]]
"""Entry id → (source, doc_hash)."""


class ManifestMixin:
    """The manifest part of `Store`: live versions, generation and ingest state."""

    _manifest: Any

    def _follow(self) -> None:
        """Overridden by `Store`: switch to a newly published snapshot."""

    def documents(self) -> dict[str, DocumentRecord]:
        """The live version of every document, by source."""
        got = self._manifest.get(include=["metadatas"])
        return {
            source: DocumentRecord.from_chroma(source, meta)
            for source, meta in zip(got["ids"], got["metadatas"] or [], strict=True)
            if source != STORE_RECORD and meta
        }

    def put_document(self, record: DocumentRecord) -> None:
        self.put_documents([record])

    def put_documents(self, records: Sequence[DocumentRecord]) -> None:
        """Switch several documents to their new versions in one write."""
        for i in range(0, len(records), PAGE):
            page = records[i : i + PAGE]
            self._manifest.upsert(
                ids=[r.source for r in page],
                embeddings=[[1.0]] * len(page),
                metadatas=[r.metadata() for r in page],
            )

    def remove_document(self, source: str) -> None:
        self.remove_documents([source])

    def remove_documents(self, sources: Iterable[str]) -> None:
        delete(self._manifest, sources)

    def generation(self) -> int:
        """A counter bumped after every ingest that changed something; readers watch it.

        An embedded store first follows a newly published snapshot, so a reader that calls this
        before reading always reads one whole, consistent snapshot.
        """
        self._follow()
        return int(self._store_record().get("generation", 0))

    def bump_generation(self) -> int:
        record = self._store_record()
        generation = int(record.get("generation", 0)) + 1
        self._write_store_record(generation, str(record.get("state", "")))
        return generation

    def ingest_state(self) -> str:
        """'running' while an ingest writes, 'clean' after it finished, '' if never recorded."""
        return str(self._store_record().get("state", ""))

    def set_ingest_state(self, state: str) -> None:
        self._write_store_record(int(self._store_record().get("generation", 0)), state)

    def _store_record(self) -> dict[str, Any]:
        got = self._manifest.get(ids=[STORE_RECORD], include=["metadatas"])
        metas = got.get("metadatas") or []
        return dict(metas[0]) if metas and metas[0] else {}

    def _write_store_record(self, generation: int, state: str) -> None:
        self._manifest.upsert(
            ids=[STORE_RECORD],
            embeddings=[[1.0]],
            metadatas=[{"generation": generation, "state": state, "updated_at": time.time()}],
        )


def keys(collection: Any, sources: Sequence[str] | None = None) -> Keys:
    """Every entry id of a collection (or of some sources) with its (source, doc_hash)."""
    found: Keys = {}
    batches = (
        [None] if sources is None else [sources[i : i + 500] for i in range(0, len(sources), 500)]
    )
    for batch in batches:
        where = None if batch is None else {"source": {"$in": list(batch)}}
        offset = 0
        while True:
            got = collection.get(where=where, include=["metadatas"], limit=PAGE, offset=offset)
            for item_id, meta in zip(got["ids"], got["metadatas"] or [], strict=True):
                found[item_id] = (str(meta["source"]), str(meta["doc_hash"]))
            if len(got["ids"]) < PAGE:
                break
            offset += PAGE
    return found


def delete(collection: Any, ids: Iterable[str]) -> int:
    batch = list(ids)
    for i in range(0, len(batch), PAGE):
        collection.delete(ids=batch[i : i + PAGE])
    return len(batch)


def orphans(found: Keys, live: dict[str, DocumentRecord]) -> list[str]:
    """Entries of no live document version: what a killed ingest left behind."""
    return [
        key
        for key, (source, digest) in found.items()
        if source not in live or live[source].doc_hash != digest
    ]


def incomplete(chunk_keys: Keys, live: dict[str, DocumentRecord]) -> list[str]:
    """Live documents whose stored chunks are not exactly the number their record names."""
    counts: dict[str, int] = {}
    for source, digest in chunk_keys.values():
        if source in live and live[source].doc_hash == digest:
            counts[source] = counts.get(source, 0) + 1
    return sorted(s for s, record in live.items() if counts.get(s, 0) != record.chunks)
