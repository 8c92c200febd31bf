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
from typing import Any

from ingest.chunk import chunk, chunk_id
from ingest.clean import clean
from ingest.errors import DocumentError
from ingest.load import LoadedDocument, SourceFile, discover, file_hash, read_document
from ingest.lock import ingest_lock
from ingest.metadata import describe
from ingest.report import IngestReport
from ingest.settings import IngestSettings
from vectorstore.embeddings import get_embedder
from vectorstore.schema import ChunkRecord, DocumentRecord, Span, sentence_id
from vectorstore.store import Store

Progress = Callable[[int, int, str], None]


@dataclass
class _Pending:
    """A document whose chunks are being embedded."""

    loaded: LoadedDocument
    record: DocumentRecord
    chunks: list[ChunkRecord]
    sentences: list[Span]
    vectors: dict[tuple[str, int], list[float]] = field(default_factory=dict)
    replaces: bool = False

    @property
    def texts(self) -> list[tuple[tuple[str, int], str]]:
        """What to embed: every chunk, and every distinct sentence (for evidence selection)."""
        text = self.loaded.text
        return [(("chunk", i), c.text) for i, c in enumerate(self.chunks)] + [
            (("sentence", i), text[s:e]) for i, (s, e) in enumerate(self.sentences)
        ]


def ingest(
    settings: IngestSettings | None = None,
    paths: list[Path] | None = None,
    progress: Progress | None = None,
    embedder: Any = None,
) -> IngestReport:
    """Sync the documents folder (or the given paths inside it) into the store.

    `embedder` defaults to the model named by the settings; tests pass a small fake.
    """
    settings = settings or IngestSettings()
    started = time.perf_counter()
    with ingest_lock(settings):
        return _sync(settings, paths, progress or (lambda done, total, label: None), started, embedder)


def _sync(
    settings: IngestSettings,
    paths: list[Path] | None,
    progress: Progress,
    started: float,
    embedder: Any,
) -> IngestReport:
    store_settings = settings.store
    embedder = embedder or get_embedder(
        store_settings.embedding_model, store_settings.query_threads, store_settings.embed_threads
    )
    store = Store.open(store_settings, store_settings.chunking, create=True)
    rebuilding = store.other_indexes()
    live = store.documents()
    orphans, sentence_orphans = _orphans(store.chunk_keys(), live), _orphans(store.sentence_keys(), live)
    store.delete_chunks(orphans)
    store.delete_sentences(sentence_orphans)

    files, errors = discover(settings.root, paths)
    scope = _scope(settings.root, paths)
    present = {f.source for f in files}
    deleted = sorted(
        s for s in live if _in_scope(s, scope) and s not in present and not (settings.root / s).exists()
    )
    for source in deleted:
        store.remove_document(source)
        store.delete_chunks(store.chunk_ids_of(source))
        store.delete_sentences(store.sentence_ids_of(source))

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

    embedded = _embed_and_commit(store, embedder, pending, settings, progress)
    changed = bool(deleted or embedded or orphans or sentence_orphans)
    if changed:
        store.bump_generation()
    dropped = store.drop_other_indexes() if rebuilding else []
    committed = {p.record.source for p in pending if p.vectors}
    return IngestReport(
        added=tuple(p.record.source for p in pending if not p.replaces and p.record.source in committed),
        updated=tuple(p.record.source for p in pending if p.replaces and p.record.source in committed),
        unchanged=tuple(unchanged),
        deleted=tuple(deleted),
        errors=tuple(errors),
        chunks_embedded=sum(len(p.chunks) for p in pending if p.record.source in committed),
        sentences_embedded=embedded - sum(len(p.chunks) for p in pending),
        chunks_total=store.count(),
        documents_total=len(store.documents()),
        seconds=time.perf_counter() - started,
        rebuilt_from=tuple(dropped),
        repaired=len(orphans) + len(sentence_orphans),
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
    sentences = sorted({span for piece in pieces for span in piece.sentences})
    return _Pending(loaded=loaded, record=record, chunks=records, sentences=sentences, replaces=replaces)


def _embed_and_commit(
    store: Store,
    embedder: Any,
    pending: list[_Pending],
    settings: IngestSettings,
    progress: Progress,
) -> int:
    """Embed all new texts in batches across documents; commit each document once complete."""
    queue = [(doc, key, text) for doc in pending for key, text in doc.texts]
    total = len(queue)
    step = max(settings.store.embed_batch * 4, 1)
    done = 0
    progress(0, total, "embedding")
    for i in range(0, total, step):
        batch = queue[i : i + step]
        titles = [doc.record.title for doc, _, _ in batch]
        vectors = embedder.embed_passages([t for _, _, t in batch], titles, settings.store.embed_batch)
        for (doc, key, _), vector in zip(batch, vectors, strict=True):
            doc.vectors[key] = vector
            if len(doc.vectors) == len(doc.chunks) + len(doc.sentences):
                _commit(store, doc)
        done += len(batch)
        progress(done, total, "embedding")
    return total


def _commit(store: Store, doc: _Pending) -> None:
    """New version in, manifest switched, old version out: in that order (see module doc)."""
    source, digest = doc.record.source, doc.record.doc_hash
    sentence_ids = [sentence_id(source, digest, span) for span in doc.sentences]
    store.add_sentences(
        sentence_ids,
        [(source, digest)] * len(sentence_ids),
        [doc.vectors[("sentence", i)] for i in range(len(doc.sentences))],
    )
    store.add_chunks(doc.chunks, [doc.vectors[("chunk", i)] for i in range(len(doc.chunks))])
    store.put_document(doc.record)
    keep_chunks, keep_sentences = {c.id for c in doc.chunks}, set(sentence_ids)
    store.delete_chunks(k for k in store.chunk_ids_of(source) if k not in keep_chunks)
    store.delete_sentences(k for k in store.sentence_ids_of(source) if k not in keep_sentences)


def _orphans(keys: dict[str, tuple[str, str]], live: dict[str, DocumentRecord]) -> list[str]:
    """Entries of no live document version: leftovers of an interrupted ingest."""
    return [
        key
        for key, (source, digest) in keys.items()
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
