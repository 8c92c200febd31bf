"""Citations of stored answers, found again in the documents as they are now.

A stored answer keeps each citation's span, its sentence, and the version (`doc_hash`) of the
document it was cut from. After a re-ingest the document may have changed: `resolve_citation`
highlights the same sentence wherever it now stands, and says so instead of highlighting other
text when the sentence, or the whole document, is gone.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from vectorstore.errors import AssistantError
from vectorstore.schema import DocumentRecord, Span

CURRENT = "current"
"""The document is the one cited: the span is highlighted as stored."""
MOVED = "moved"
"""The document changed but still holds the sentence: it is highlighted where it is now."""
CHANGED = "changed"
"""The document changed and no longer holds the sentence: nothing is highlighted."""
REMOVED = "removed"
"""The document is no longer in the collection."""
UNAVAILABLE = "unavailable"
"""The document is in the collection but its text cannot be read (the note says why)."""


@dataclass(frozen=True)
class ResolvedCitation:
    """Where a stored citation points in the document as it is now.

    `start`/`end` are the span to highlight in `document` (its current text), None when nothing
    is highlighted; `note` is one line for the reader whenever the status is not `current`.
    """

    status: str
    source: str
    start: int | None = None
    end: int | None = None
    note: str = ""
    document: str = ""
    page: int | None = None

    @property
    def highlighted(self) -> bool:
        return self.start is not None and self.end is not None


def resolve_citation(
    citation: Mapping[str, Any],
    documents: Mapping[str, DocumentRecord],
    text_of: Callable[[str], str],
) -> ResolvedCitation:
    """Find a stored citation (`source`, `start`, `end`, `text`, optional `doc_hash`) in the
    collection as it is now. `text_of(source)` gives a document's current text, as the viewer
    shows it; an AssistantError from it makes the citation `unavailable`."""
    source = str(citation.get("source", ""))
    start, end = int(citation.get("start") or 0), int(citation.get("end") or 0)
    sentence = str(citation.get("text") or "")
    made_from = str(citation.get("doc_hash") or "")  # missing in older records: unknown
    record = documents.get(source)
    name = _name(record.title if record else str(citation.get("title") or ""), source)
    if record is None:
        note = f"{name} was removed from the collection since this answer"
        return ResolvedCitation(REMOVED, source, note=note)
    try:
        text = text_of(source)
    except AssistantError as exc:
        return ResolvedCitation(UNAVAILABLE, source, note=" ".join(str(exc).split()))
    same_version = not made_from or made_from == record.doc_hash
    in_range = 0 <= start <= end <= len(text)
    if in_range and (text[start:end] == sentence if sentence else same_version):
        span: Span | None = (start, end)
    else:
        span = _nearest(text, sentence, start)
    if span is None:
        note = f"{name} changed since this answer; the cited sentence is no longer in it"
        return ResolvedCitation(CHANGED, source, note=note, document=text)
    moved = not same_version or span != (start, end)
    return ResolvedCitation(
        MOVED if moved else CURRENT,
        source,
        start=span[0],
        end=span[1],
        note=f"{name} changed since this answer; the cited sentence is highlighted where it "
        "stands now"
        if moved
        else "",
        document=text,
        page=record.page_of(span[0]),
    )


def _nearest(text: str, sentence: str, near: int) -> Span | None:
    """The occurrence of `sentence` in `text` that starts nearest `near`; line breaks and runs
    of spaces may differ. None when it does not occur (or there is no sentence to look for)."""
    words = sentence.split()
    if not words:
        return None
    spans = [(m.start(), m.end()) for m in re.finditer(re.escape(sentence), text)]
    if not spans:
        flexible = r"\s+".join(re.escape(word) for word in words)
        spans = [(m.start(), m.end()) for m in re.finditer(flexible, text)]
    return min(spans, key=lambda span: abs(span[0] - near), default=None)


def _name(title: str, source: str) -> str:
    return f"“{title}”" if title else source
