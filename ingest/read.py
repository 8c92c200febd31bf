"""Read one article file into the text every span points into, each problem one clear line.

.txt and .md: the file's own text (UTF-8, or the legacy encoding it is really in); a Markdown
file's front matter is metadata, not text. .html: the article text extracted from the markup,
since offsets into tags would highlight nothing a reader can see. .pdf: the text layer, page by
page (`ingest.pdf`). .docx: paragraphs, headings and tables (`ingest.word`).
"""

from __future__ import annotations

import hashlib
import stat
from dataclasses import dataclass, field
from pathlib import Path

from ingest.content import decode, html_article, looks_binary
from ingest.errors import DocumentError
from ingest.extracted import Extracted
from ingest.frontmatter import describe_front_matter, split_front_matter
from ingest.load import SourceFile

_BINARY = {".pdf": "pdf", ".docx": "docx"}
_MARKUP = {".html": "html", ".htm": "html", ".md": "markdown", ".markdown": "markdown"}


@dataclass(frozen=True)
class LoadedDocument:
    """A read document: `text` is what every span's offsets point into."""

    source: str
    text: str
    content_hash: str
    encoding: str
    kind: str
    warnings: tuple[str, ...] = ()
    """Lines about what reading changed, such as invalid bytes replaced."""
    pages: tuple[int, ...] = ()
    """Where each page starts in `text` (paged formats only)."""
    meta: dict[str, str] = field(default_factory=dict)
    """What the file declares about itself (see `Extracted.meta`)."""


def read_document(file: SourceFile, max_bytes: int) -> LoadedDocument:
    """Read, check and extract one file. Raises DocumentError with a one-line reason."""
    data = _read_bytes(file, max_bytes)
    if not data.strip():
        raise DocumentError(f"{file.source}: empty file, skipped")
    suffix = file.path.suffix.lower()
    kind = _BINARY.get(suffix) or _MARKUP.get(suffix, "text")
    encoding, replaced = "binary", 0
    if kind in _BINARY.values():
        extracted = _extract_binary(kind, data, file.source)
    else:
        if looks_binary(data):
            raise DocumentError(f"{file.source}: not a text file (binary content), skipped")
        text, encoding, replaced = decode(data)
        extracted = _extract_text(kind, text, file.source)
    return LoadedDocument(
        source=file.source,
        text=extracted.text,
        content_hash=hashlib.sha256(data).hexdigest(),
        encoding=encoding,
        kind=kind,
        warnings=_replaced_note(file.source, encoding, replaced),
        pages=extracted.pages,
        meta=extracted.meta,
    )


def _read_bytes(file: SourceFile, max_bytes: int) -> bytes:
    try:
        info = file.path.stat()  # before opening: opening a named pipe would block
        if not stat.S_ISREG(info.st_mode):
            raise DocumentError(f"{file.source}: not a regular file, skipped")
        with open(file.path, "rb") as handle:
            data = handle.read(max_bytes + 1)
    except FileNotFoundError:
        raise DocumentError(f"{file.source}: deleted while ingesting, skipped") from None
    except PermissionError:
        raise DocumentError(f"{file.source}: no permission to read it, skipped") from None
    except IsADirectoryError:
        raise DocumentError(f"{file.source}: is a folder, skipped") from None
    except OSError as exc:
        raise DocumentError(f"{file.source}: cannot be read ({exc.strerror}), skipped") from None
    if len(data) > max_bytes:
        size = max(info.st_size, len(data))
        raise DocumentError(
            f"{file.source}: {size / 1e6:.1f} MB is over the {max_bytes / 1e6:.0f} MB limit "
            f"(ASSISTANT_MAX_FILE_MB), skipped"
        )
    return data


def _extract_binary(kind: str, data: bytes, source: str) -> Extracted:
    if kind == "pdf":
        from ingest.pdf import pdf_text

        return pdf_text(data, source)
    from ingest.word import word_text

    return word_text(data, source)


def _extract_text(kind: str, text: str, source: str) -> Extracted:
    if kind == "html":
        extracted = html_article(text)
        if not extracted.text.strip():
            raise DocumentError(f"{source}: no article text found in the HTML, skipped")
        return extracted
    extracted = _front_matter(text) if kind == "markdown" else Extracted(text=text)
    if not extracted.text.strip():
        raise DocumentError(f"{source}: empty file, skipped")
    return extracted


def _front_matter(text: str) -> Extracted:
    """A Markdown file's body, and its front matter (title, date, outlet, byline, url) as
    metadata."""
    meta, body = split_front_matter(text)
    declared = {key: value for key, value in describe_front_matter(meta).items() if value}
    return Extracted(text=text[body:], meta=declared)


def _replaced_note(source: str, encoding: str, replaced: int) -> tuple[str, ...]:
    """The line that says how many bytes decoding replaced (none when it replaced none)."""
    if not replaced:
        return ()
    count = "1 byte is" if replaced == 1 else f"{replaced} bytes are"
    return (f"{source}: {count} not valid {encoding.upper()}, replaced with \ufffd",)


def file_hash(path: Path) -> str:
    """sha256 of a regular file's bytes, the key that decides whether a document changed
    ('' for anything else, such as a named pipe, which reading would block on)."""
    digest = hashlib.sha256()
    if not stat.S_ISREG(path.stat().st_mode):
        return ""
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
