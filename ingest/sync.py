"""Ingest as a sync of the documents folder to the store, keyed by each file's content hash.

new → added, changed → old chunks replaced, removed → chunks deleted, unchanged → nothing embedded.
The order of writes (new chunks, then the manifest switch, then old chunks out) means a kill at any
moment leaves the previous version answering, and the next run repairs what was left half done.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ingest.chunk import chunk, chunk_id
from ingest.clean import clean
from ingest.errors import DocumentError
from ingest.load import LoadedDocument, SourceFile, discover, file_hash, read_document
from ingest.lock import ingest_lock
from ingest.metadata import describe
from ingest.report import IngestReport
from ingest.settings import IngestSettings
from vectorstore.embeddings import get_embedder
from vectorstore.schema import ChunkRecord, DocumentRecord
from vectorstore.store import Store

Progress = Callable[[int, int, str], None]


@dataclass
class _Pending:
    """A document whose chunks are being embedded."""

    loaded: LoadedDocument
    record: DocumentRecord
    chunks: list[ChunkRecord]
    vectors: list[list[float]] = field(default_factory=list)
    replaces: bool = False


def ingest(
    settings: IngestSettings | None = None,
    paths: list[Path] | None = None,
    progress: Progress | None = None,
) -> IngestReport:
    """Sync the documents folder (or the given paths inside it) into the store."""
    settings = settings or IngestSettings()
    started = time.perf_counter()
    with ingest_lock(settings):
        return _sync(settings, paths, progress or (lambda done, total, label: None), started)


def _sync(
    settings: IngestSettings, paths: list[Path] | None, progress: Progress, started: float
) -> IngestReport:
    store_settings = settings.store
    embedder = get_embedder(
        store_settings.embedding_model, store_settings.query_threads, store_settings.embed_threads
    )
    store = Store.open(store_settings, store_settings.chunking, create=True)
    rebuilding = store.other_indexes()
    live = store.documents()
    orphans = _orphans(store, live)
    store.delete_chunks(orphans)

    files, errors = discover(settings.root, paths)
    scope = _scope(settings.root, paths)
    present = {f.source for f in files}
    deleted = sorted(
        s for s in live if _in_scope(s, scope) and s not in present and not (settings.root / s).exists()
    )
    for source in deleted:
        store.remove_document(source)
        store.delete_chunks(store.chunk_ids_of(source))

    unchanged: list[str] = []
    pending: list[_Pending] = []
    for file in files:
        try:
            digest = file_hash(file.path)
        except OSError:
            digest = ""
        if digest and file.source in live and live[file.source].doc_hash == digest:
            unchanged.append(file.source)
            continue
        try:
            pending.append(_prepare(file, settings, replaces=file.source in live))
        except DocumentError as exc:
            errors.append(str(exc))

    embedded = _embed_and_commit(store, embedder, pending, settings, progress, errors)
    changed = bool(deleted or embedded or orphans)
    if changed:
        store.bump_generation()
    dropped = store.drop_other_indexes() if rebuilding else []
    committed = {p.record.source for p in pending if p.vectors or not p.chunks}
    return IngestReport(
        added=tuple(p.record.source for p in pending if not p.replaces and p.record.source in committed),
        updated=tuple(p.record.source for p in pending if p.replaces and p.record.source in committed),
        unchanged=tuple(unchanged),
        deleted=tuple(deleted),
        errors=tuple(errors),
        chunks_embedded=embedded,
        chunks_total=store.count(),
        documents_total=len(store.documents()),
        seconds=time.perf_counter() - started,
        rebuilt_from=tuple(dropped),
        repaired=len(orphans),
    )


def _prepare(file: SourceFile, settings: IngestSettings, replaces: bool) -> _Pending:
    loaded = read_document(file, settings.max_bytes)
    cleaned = clean(loaded.text)
    if not cleaned.paragraphs:
        raise DocumentError(f"{file.source}: no article text left after cleaning, skipped")
    info = describe(loaded.text, cleaned.paragraphs, Path(file.source).stem)
    store = settings.store
    pieces = chunk(loaded.text, cleaned, info.language, store.chunk_chars, store.chunk_overlap)
    if not pieces:
        raise DocumentError(f"{file.source}: no sentences found, skipped")
    records = [
        ChunkRecord(
            id=chunk_id(file.source, loaded.content_hash, piece),
            source=file.source,
            doc_hash=loaded.content_hash,
            start=piece.start,
            end=piece.end,
            text=loaded.text[piece.start : piece.end],
            title=info.title,
            date=info.date,
            language=info.language,
            sentences=piece.sentences,
        )
        for piece in pieces
    ]
    record = DocumentRecord(
        source=file.source,
        doc_hash=loaded.content_hash,
        title=info.title,
        date=info.date,
        language=info.language,
        chunks=len(records),
        chars=len(loaded.text),
        encoding=loaded.encoding,
        ingested_at=time.time(),
    )
    return _Pending(loaded=loaded, record=record, chunks=records, replaces=replaces)


def _embed_and_commit(
    store: Store,
    embedder,  # type: ignore[no-untyped-def]
    pending: list[_Pending],
    settings: IngestSettings,
    progress: Progress,
    errors: list[str],
) -> int:
    """Embed all new chunks in batches across documents; commit each document once complete."""
    queue = [(doc, c) for doc in pending for c in doc.chunks]
    total = len(queue)
    step = max(settings.store.embed_batch * 4, 1)
    done = 0
    progress(0, total, "embedding")
    for i in range(0, total, step):
        batch = queue[i : i + step]
        vectors = embedder.embed_passages(
            [c.text for _, c in batch], [c.title for _, c in batch], settings.store.embed_batch
        )
        for (doc, _), vector in zip(batch, vectors, strict=True):
            doc.vectors.append(vector)
            if len(doc.vectors) == len(doc.chunks):
                _commit(store, doc, errors)
        done += len(batch)
        progress(done, total, "embedding")
    return total


def _commit(store: Store, doc: _Pending, errors: list[str]) -> None:
    store.add_chunks(doc.chunks, doc.vectors)
    store.put_document(doc.record)
    keep = {c.id for c in doc.chunks}
    store.delete_chunks(k for k in store.chunk_ids_of(doc.record.source) if k not in keep)


def _orphans(store: Store, live: dict[str, DocumentRecord]) -> list[str]:
    """Chunks of no live document version: leftovers of an interrupted ingest."""
    return [
        key
        for key, (source, digest) in store.chunk_keys().items()
        if source not in live or live[source].doc_hash != digest
    ]


def _scope(root: Path, paths: list[Path] | None) -> list[str] | None:
    if not paths:
        return None
    root = root.resolve()
    scope: list[str] = []
    for path in paths:
        absolute = (path if path.is_absolute() else Path.cwd() / path).absolute()
        try:
            scope.append(absolute.relative_to(root).as_posix())
        except ValueError:
            continue
    return scope


def _in_scope(source: str, scope: list[str] | None) -> bool:
    if scope is None:
        return True
    return any(s in ("", ".") or source == s or source.startswith(s.rstrip("/") + "/") for s in scope)
