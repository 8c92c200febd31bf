"""What the store holds: chunk records and document (manifest) records, and their metadata keys."""

from __future__ import annotations

import hashlib
import json
from bisect import bisect_right
from dataclasses import dataclass
from typing import Any

Span = tuple[int, int]


@dataclass(frozen=True)
class ChunkRecord:
    """One chunk of one document version. `text == document_text[start:end]`."""

    id: str
    source: str
    doc_hash: str
    start: int
    end: int
    text: str
    title: str
    date: str
    language: str
    sentences: tuple[Span, ...]

    def metadata(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "doc_hash": self.doc_hash,
            "start": self.start,
            "end": self.end,
            "title": self.title,
            "date": self.date,
            "language": self.language,
            "sentences": json.dumps([list(s) for s in self.sentences]),
        }

    @classmethod
    def from_chroma(cls, chunk_id: str, text: str, meta: dict[str, Any]) -> ChunkRecord:
        return cls(
            id=chunk_id,
            source=str(meta["source"]),
            doc_hash=str(meta["doc_hash"]),
            start=int(meta["start"]),
            end=int(meta["end"]),
            text=text,
            title=str(meta.get("title", "")),
            date=str(meta.get("date", "")),
            language=str(meta.get("language", "")),
            sentences=tuple(
                (int(s), int(e)) for s, e in json.loads(str(meta.get("sentences", "[]")))
            ),
        )


@dataclass(frozen=True)
class DocumentRecord:
    """The manifest entry of one document: which version is live, and what it is."""

    source: str
    doc_hash: str
    title: str
    date: str
    language: str
    chunks: int
    chars: int
    encoding: str
    ingested_at: float
    outlet: str = ""
    """Who published it (a site's name, a publisher), when the file says."""
    byline: str = ""
    url: str = ""
    """Where it was fetched from, when it was added by its address or the file names one."""
    pages: tuple[int, ...] = ()
    """Where each page starts in the text (PDFs): page i + 1 starts at pages[i]."""
    signature: str = ""
    """The article's near-duplicate signature (`vectorstore.duplicates`), as JSON."""

    def metadata(self) -> dict[str, Any]:
        return {
            "doc_hash": self.doc_hash,
            "title": self.title,
            "date": self.date,
            "language": self.language,
            "chunks": self.chunks,
            "chars": self.chars,
            "encoding": self.encoding,
            "ingested_at": self.ingested_at,
            "outlet": self.outlet,
            "byline": self.byline,
            "url": self.url,
            "pages": json.dumps(list(self.pages)),
            "signature": self.signature,
        }

    @classmethod
    def from_chroma(cls, source: str, meta: dict[str, Any]) -> DocumentRecord:
        return cls(
            source=source,
            doc_hash=str(meta["doc_hash"]),
            title=str(meta.get("title", "")),
            date=str(meta.get("date", "")),
            language=str(meta.get("language", "")),
            chunks=int(meta.get("chunks", 0)),
            chars=int(meta.get("chars", 0)),
            encoding=str(meta.get("encoding", "utf-8")),
            ingested_at=float(meta.get("ingested_at", 0.0)),
            outlet=str(meta.get("outlet", "")),
            byline=str(meta.get("byline", "")),
            url=str(meta.get("url", "")),
            pages=tuple(int(p) for p in json.loads(str(meta.get("pages", "[]")))),
            signature=str(meta.get("signature", "")),
        )

    def page_of(self, offset: int) -> int | None:
        """The page (from 1) holding `offset`, or None for a document without pages."""
        if not self.pages:
            return None
        return max(1, bisect_right(self.pages, offset))


def sentence_id(source: str, doc_hash: str, span: Span) -> str:
    """A stable id for one sentence of one document version."""
    key = f"{source}\0{doc_hash}\0{span[0]}:{span[1]}"
    return "s" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:31]
