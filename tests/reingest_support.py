"""Checks shared by the re-ingest tests: the published index must be exactly what the folder says.

The expected entries are computed from the files with ingest's own reading and chunking (no
embedding), so "no duplicates, no orphans, manifest and store agree" is an exact comparison of id
sets, not a count that could hide a swap.
"""

from __future__ import annotations

from dataclasses import dataclass

from ingest.errors import DocumentError
from ingest.load import discover
from ingest.plan import prepare
from ingest.settings import IngestSettings
from vectorstore.store import Store


@dataclass(frozen=True)
class Expected:
    """What the index should hold for the folder as it is now."""

    hashes: dict[str, str]
    chunk_ids: frozenset[str]
    sentence_ids: frozenset[str]


def expected(settings: IngestSettings) -> Expected:
    files, _ = discover(settings.root)
    hashes: dict[str, str] = {}
    chunks: set[str] = set()
    sentences: set[str] = set()
    for file in files:
        try:
            doc = prepare(file, settings)
        except DocumentError:
            continue
        hashes[doc.source] = doc.record.doc_hash
        chunks.update(c.id for c in doc.chunks)
        sentences.update(doc.sentence_ids())
    return Expected(hashes, frozenset(chunks), frozenset(sentences))


def open_published(settings: IngestSettings) -> Store:
    return Store.open(settings.store, settings.store.chunking, create=False)


def assert_index_matches_folder(settings: IngestSettings) -> Expected:
    """The published index holds exactly the folder's documents: every current version once,
    nothing else (no orphans, no duplicates), and the manifest agrees with the entries."""
    want = expected(settings)
    store = open_published(settings)
    try:
        live = store.documents()
        assert {s: d.doc_hash for s, d in live.items()} == want.hashes
        chunk_keys, sentence_keys = store.chunk_keys(), store.sentence_keys()
        assert set(chunk_keys) == want.chunk_ids
        assert set(sentence_keys) == want.sentence_ids
        assert store.count() == len(want.chunk_ids)
        assert all(live[s].doc_hash == h for s, h in chunk_keys.values())
        assert all(live[s].doc_hash == h for s, h in sentence_keys.values())
        per_source: dict[str, int] = {}
        for source, _ in chunk_keys.values():
            per_source[source] = per_source.get(source, 0) + 1
        assert per_source == {s: d.chunks for s, d in live.items()}
        assert store.ingest_state() == "clean"
    finally:
        store.close()
    return want
