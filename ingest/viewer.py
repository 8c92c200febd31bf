"""What the source viewer shows: the text a citation points into, for indexed documents only.

The page asks for a citation; the source it names must be a document of the collection (its
manifest), and the file must resolve inside the documents folder. Nothing else is ever read, so
no path sent from a browser can open another file. An .html source is shown as its extracted
article text, which is what the spans index; a PDF as its text layer, with its page breaks.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from pathlib import Path

from ingest.errors import DocumentError
from ingest.load import SourceFile
from ingest.read import read_document
from vectorstore.errors import AssistantError
from vectorstore.schema import DocumentRecord

_MARKERS = re.compile(r"\[(\d+(?:\s*[,;]\s*\d+)*)\]")


class SourceUnavailableError(AssistantError):
    """The cited document cannot be shown (not in the collection, removed, or unreadable)."""


@dataclass(frozen=True)
class SourceText:
    """A document as the viewer shows it. `stale` when the file changed after its last ingest."""

    source: str
    title: str
    date: str
    text: str
    stale: bool = False
    outlet: str = ""
    url: str = ""
    pages: tuple[int, ...] = ()
    """Where each page starts in `text` (PDFs): page i + 1 starts at pages[i]."""


@dataclass(frozen=True)
class Highlight:
    """The text cut in three at a span: `cited == text[start:end]`."""

    before: str
    cited: str
    after: str


def open_source(
    root: Path, documents: Mapping[str, DocumentRecord], source: str, max_bytes: int
) -> SourceText:
    """The text of `source`, if it is a document of the collection and a file inside `root`."""
    record = documents.get(source)
    if record is None:
        raise SourceUnavailableError(f"{source!r} is not a document of the collection")
    base = root.resolve()
    try:
        path = (base / source).resolve()
    except (OSError, ValueError, RuntimeError):  # a NUL, a name not UTF-8, a loop of links
        raise SourceUnavailableError(f"{source!r} cannot be opened") from None
    if not path.is_relative_to(base) or path == base:
        raise SourceUnavailableError(f"{source!r} is outside the documents folder")
    try:
        loaded = read_document(SourceFile(source=source, path=path), max_bytes)
    except DocumentError as exc:
        raise SourceUnavailableError(f"{exc}; press Re-ingest to update the collection") from None
    return SourceText(
        source=source,
        title=record.title,
        date=record.date,
        text=loaded.text,
        stale=loaded.content_hash != record.doc_hash,
        outlet=record.outlet,
        url=record.url,
        pages=loaded.pages,
    )


def highlight(text: str, start: int, end: int) -> Highlight:
    """Cut `text` at the span [start, end). Raises SourceUnavailableError for a span outside it."""
    if not 0 <= start <= end <= len(text):
        raise SourceUnavailableError(
            f"the cited span {start}..{end} is outside the document ({len(text)} characters); "
            "press Re-ingest to update the collection"
        )
    return Highlight(text[:start], text[start:end], text[end:])


def marker_parts(text: str, numbers: Collection[int]) -> list[dict[str, str | int]]:
    """The answer cut into text and citation markers: `[{"text": …}, {"n": 1}, …]`.

    Only numbers in `numbers` become markers; `[1, 2]` gives two. Anything else stays text.
    """
    parts: list[dict[str, str | int]] = []
    position = 0
    for match in _MARKERS.finditer(text):
        cited = _numbers(match.group(1))
        if cited is None or not all(n in numbers for n in cited):
            continue
        if match.start() > position:
            parts.append({"text": text[position : match.start()]})
        parts.extend({"n": n} for n in cited)
        position = match.end()
    if position < len(text):
        parts.append({"text": text[position:]})
    return parts


def _numbers(group: str) -> list[int] | None:
    """The numbers of a marker like `1, 2`; None when one has too many digits to be read."""
    try:
        return [int(n) for n in re.split(r"\s*[,;]\s*", group)]
    except ValueError:
        return None
