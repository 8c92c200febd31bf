"""Writing an ingest's changes into a store, in the order that makes a kill at any moment harmless.

For every group of documents: new sentences and chunks in, then the manifest switched to the new
versions (one write), then the old versions' entries out. Removed documents: manifest record out,
then their entries. Readers trust only entries of the version the manifest names, and a store not
marked clean is scanned for leftovers by the next ingest (`vectorstore.manifest`).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from typing import Any

from ingest import faults
from ingest.plan import Prepared
from ingest.progress import Progress, embedding_label
from vectorstore.manifest import incomplete, orphans
from vectorstore.store import Store

COMMIT_SECONDS = 10.0
"""Also commit what is ready after this long, so a kill loses little embedding work."""


def repair(store: Store) -> tuple[int, list[str]]:
    """Delete entries of no live version; drop live documents whose chunks are incomplete.

    Returns how many entries were deleted, and the sources dropped (they are ingested again).
    """
    live = store.documents()
    chunk_keys, sentence_keys = store.chunk_keys(), store.sentence_keys()
    broken = incomplete(chunk_keys, live)
    if broken:
        store.remove_documents(broken)
        for source in broken:
            live.pop(source)
    stale_chunks, stale_sentences = orphans(chunk_keys, live), orphans(sentence_keys, live)
    store.delete_chunks(stale_chunks)
    store.delete_sentences(stale_sentences)
    return len(stale_chunks) + len(stale_sentences), broken


def remove(store: Store, sources: Sequence[str]) -> None:
    """Take documents out: manifest first (readers stop trusting them), then their entries."""
    if not sources:
        return
    store.remove_documents(sources)
    faults.reached("deleting")
    store.delete_chunks(store.chunk_keys(list(sources)))
    store.delete_sentences(store.sentence_keys(list(sources)))


def embed_and_commit(
    store: Store,
    embedder: Any,
    pending: list[Prepared],
    batch_size: int,
    commit_texts: int,
    progress: Progress,
    stop: Callable[[], bool] = lambda: False,
    clock: Callable[[], float] = time.monotonic,
) -> list[Prepared]:
    """Embed every new text in batches across documents; commit documents as they complete.

    `stop` is asked before each batch: once it says yes, the documents already embedded are
    committed and no more texts are embedded. Returns the committed documents (all of them,
    unless stopped or the embedder raised).
    """
    queue = [(doc, key, text) for doc in pending for key, text in doc.texts]
    step = max(batch_size * 4, 1)
    ready: list[Prepared] = []
    committed: list[Prepared] = []
    last_commit = clock()
    progress(0, len(queue), embedding_label(0, len(pending)))
    for i in range(0, len(queue), step):
        if stop():
            break
        batch = queue[i : i + step]
        titles = [doc.record.title for doc, _, _ in batch]
        vectors = embedder.embed_passages([t for _, _, t in batch], titles, batch_size)
        faults.reached("embedding")
        for (doc, key, _), vector in zip(batch, vectors, strict=True):
            doc.vectors[key] = vector
            if doc.complete:
                ready.append(doc)
        waiting = sum(len(d.vectors) for d in ready)
        if ready and (waiting >= commit_texts or clock() - last_commit >= COMMIT_SECONDS):
            commit(store, ready)
            committed += ready
            ready, last_commit = [], clock()
        done = len(committed) + len(ready)
        progress(min(i + step, len(queue)), len(queue), embedding_label(done, len(pending)))
    if ready:
        commit(store, ready)
        committed += ready
    return committed


def commit(store: Store, docs: Sequence[Prepared]) -> None:
    """New versions in, manifest switched, old versions out: in that order (see module doc)."""
    sentence_ids = [doc.sentence_ids() for doc in docs]
    store.add_sentences(
        [i for ids in sentence_ids for i in ids],
        [
            (d.source, d.record.doc_hash)
            for d, ids in zip(docs, sentence_ids, strict=True)
            for _ in ids
        ],
        [d.vectors[("sentence", i)] for d in docs for i in range(len(d.sentences))],
    )
    store.add_chunks(
        [c for d in docs for c in d.chunks],
        [d.chunk_vector(i) for d in docs for i in range(len(d.chunks))],
    )
    faults.reached("chunks-written")
    store.put_documents([d.record for d in docs])
    faults.reached("switched")
    # Any other version's entries go, not only those of replaced documents: a resumed ingest
    # may find entries of a version that never went live.
    live = {d.source: d.record.doc_hash for d in docs}
    old_chunks = store.chunk_keys(list(live))
    store.delete_chunks(k for k, (s, h) in old_chunks.items() if live[s] != h)
    old_sentences = store.sentence_keys(list(live))
    store.delete_sentences(k for k, (s, h) in old_sentences.items() if live[s] != h)
    faults.reached("committed")
