"""What an ingest has to do: compare the files with the manifest by content hash, and prepare
(read, clean, chunk) every new or changed document. Nothing here writes to the store."""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from pathlib import Path

from ingest.chunk import chunk, chunk_id
from ingest.clean import clean
from ingest.errors import DocumentError
from ingest.load import SourceFile, locate, source_of
from ingest.metadata import describe
from ingest.progress import READING, Progress
from ingest.read import file_hash, read_document
from ingest.settings import IngestSettings
from vectorstore.duplicates import signature, to_json
from vectorstore.schema import ChunkRecord, DocumentRecord, Span, sentence_id


@dataclass
class Prepared:
    """A new or changed document, chunked and waiting for its embeddings."""

    record: DocumentRecord
    text: str
    chunks: list[ChunkRecord]
    sentences: list[Span]
    vectors: dict[tuple[str, int], list[float]] = field(default_factory=dict)
    replaces: bool = False
    warnings: tuple[str, ...] = ()
    """Lines about what reading changed (the document is still ingested)."""
    pooled: bool = False
    """Chunk vectors are the mean of their sentences' vectors instead of an encoder pass of
    their own (ASSISTANT_CHUNK_VECTORS=pooled)."""

    @property
    def source(self) -> str:
        return self.record.source

    @property
    def texts(self) -> list[tuple[tuple[str, int], str]]:
        """What to embed: every chunk (unless pooled), and every distinct sentence (for
        evidence selection)."""
        chunks = [] if self.pooled else [(("chunk", i), c.text) for i, c in enumerate(self.chunks)]
        return chunks + [
            (("sentence", i), self.text[s:e]) for i, (s, e) in enumerate(self.sentences)
        ]

    @property
    def complete(self) -> bool:
        return len(self.vectors) == len(self.sentences) + (0 if self.pooled else len(self.chunks))

    def chunk_vector(self, i: int) -> list[float]:
        """The chunk's own vector, or when pooled the unit mean of its sentences' vectors."""
        if not self.pooled:
            return self.vectors[("chunk", i)]
        index = {span: n for n, span in enumerate(self.sentences)}
        rows = [self.vectors[("sentence", index[span])] for span in self.chunks[i].sentences]
        mean = [sum(column) / len(rows) for column in zip(*rows, strict=True)]
        norm = math.sqrt(sum(x * x for x in mean)) or 1.0
        return [x / norm for x in mean]

    def sentence_ids(self) -> list[str]:
        return [sentence_id(self.source, self.record.doc_hash, s) for s in self.sentences]


@dataclass
class Plan:
    """The outcome of comparing the folder with one manifest."""

    unchanged: list[str] = field(default_factory=list)
    prepared: list[Prepared] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)
    """source → the one-line reason it could not be ingested."""


def make_plan(
    files: list[SourceFile],
    live_hashes: dict[str, str],
    settings: IngestSettings,
    progress: Progress,
) -> Plan:
    """Hash every file; read and chunk those whose hash is not the live one."""
    plan = Plan()
    changed: list[SourceFile] = []
    for file in files:
        if live_hashes.get(file.source) == _quick_hash(file.path, settings.max_bytes):
            plan.unchanged.append(file.source)
        else:
            changed.append(file)
    for done, file in enumerate(changed):
        progress(done, len(changed), READING)
        try:
            plan.prepared.append(prepare(file, settings))
        except DocumentError as exc:
            plan.failed[file.source] = str(exc)
    if changed:
        progress(len(changed), len(changed), READING)
    return plan


def _quick_hash(path: Path, max_bytes: int) -> str:
    """The content hash, or '' when the file cannot be hashed cheaply (too big, unreadable):
    such a file is then read properly, which reports the reason."""
    try:
        if path.stat().st_size > max_bytes:
            return ""
        return file_hash(path)
    except OSError:
        return ""


def prepare(file: SourceFile, settings: IngestSettings) -> Prepared:
    """Read, clean and chunk one file. Raises DocumentError with a one-line reason."""
    loaded = read_document(file, settings.max_bytes)
    cleaned = clean(loaded.text)
    if not cleaned.paragraphs:
        raise DocumentError(f"{file.source}: no article text left after cleaning, skipped")
    info = describe(loaded.text, cleaned.paragraphs, Path(file.source).stem, loaded.meta)
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
        outlet=loaded.meta.get("outlet", ""),
        byline=loaded.meta.get("byline", ""),
        url=loaded.meta.get("url", ""),
        pages=loaded.pages,
        signature=to_json(signature(" ".join(loaded.text[a:b] for a, b in cleaned.paragraphs))),
    )
    sentences = sorted({span for piece in pieces for span in piece.sentences})
    return Prepared(
        record=record,
        text=loaded.text,
        chunks=records,
        sentences=sentences,
        warnings=loaded.warnings,
        pooled=store.chunk_vectors == "pooled",
    )


def scope_of(root: Path, paths: list[Path] | None) -> list[str] | None:
    """The sources an ingest of `paths` is about (None: the whole folder)."""
    if not paths:
        return None
    located = [locate(path, root) for path in paths]
    sources = [source_of(path, root) for path in located if path is not None]
    return [source for source in sources if source is not None]


def in_scope(source: str, scope: list[str] | None) -> bool:
    if scope is None:
        return True
    return any(
        s in ("", ".") or source == s or source.startswith(s.rstrip("/") + "/") for s in scope
    )
