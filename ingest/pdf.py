"""The article text of a PDF's text layer (pypdfium2), page by page, without running headers.

PDFium gives each page's text as lines in the order they are drawn. Lines are joined back into
paragraphs (a line much shorter than the page's full lines ends one; a word hyphenated across a
line is joined), lines repeated at the top or bottom of several pages (running headers, footers,
page numbers: digits do not count, so 'Page 3' and 'Page 4' are one line) are left out, and the
pages are joined with a blank line, or a space where a sentence runs on to the next page.
`Extracted.pages` holds where each page starts in the text, so a span knows its page.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import datetime
from itertools import pairwise
from typing import Any, NamedTuple

from ingest.errors import DocumentError
from ingest.extracted import Extracted

EDGE_LINES = 2
"""How many lines at the top and at the bottom of a page may be a running header or footer."""
FULL_LINE = 0.8
"""A line shorter than this share of the page's long lines ends its paragraph."""
_ENDS_SENTENCE = ".!?:;\"'”’»)]"
_SOFT_HYPHENS = ("\x02", "\ufffe")
"""What PDFium puts where a word was hyphenated at the end of a line."""
_LIST_ITEM = re.compile(r"^\s*(?:[•▪◦●\-–*]|\d{1,3}[.)])\s")


def pdf_text(data: bytes, source: str) -> Extracted:
    """The text of a PDF's pages. Raises DocumentError (one line) when there is none to read."""
    import pypdfium2 as pdfium

    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise DocumentError(f"{source}: the PDF is password-protected, skipped") from None
        raise DocumentError(f"{source}: not a readable PDF (damaged?), skipped") from None
    try:
        pages = [_page_lines(document[i]) for i in range(len(document))]
        meta = document.get_metadata_dict()
    finally:
        document.close()
    if not any(pages):
        raise DocumentError(f"{source}: no text layer: scanned PDF? (OCR it first), skipped")
    text, starts = _join_pages([_paragraphs(lines) for lines in _without_running_lines(pages)])
    return Extracted(text=text, pages=starts, meta=_metadata(meta))


class Line(NamedTuple):
    """A line of a page: its text, where its first letter sits and how tall it is (points)."""

    text: str
    bottom: float = 0.0
    height: float = 0.0


def _page_lines(page: Any) -> list[Line]:
    textpage = page.get_textpage()
    try:
        raw = textpage.get_text_range()
        aligned = len(raw) == textpage.count_chars()  # else boxes cannot be looked up by index
        lines = []
        for match in re.finditer(r"[^\r\n]*\S[^\r\n]*", raw):
            first = match.start() + len(match.group()) - len(match.group().lstrip())
            box = textpage.get_charbox(first, loose=True) if aligned else (0.0, 0.0, 0.0, 0.0)
            lines.append(Line(match.group().strip(), box[1], box[3] - box[1]))
    finally:
        textpage.close()
    return lines


def _template(line: str) -> str:
    """A line with its digits taken out, so page numbers do not make running lines differ."""
    return re.sub(r"\d+", "#", line.casefold()).strip()


def _without_running_lines(pages: list[list[Line]]) -> list[list[Line]]:
    """Each page without the lines at its edges that recur at the edges of other pages (and
    nowhere else) or hold nothing but a page number."""
    edges: Counter[str] = Counter()
    inside: set[str] = set()
    for lines in pages:
        edges.update({_template(line.text) for line in _edge(lines)})
        inside.update(_template(line.text) for line in lines[EDGE_LINES:-EDGE_LINES])
    needed = 2 if len(pages) == 2 else 3
    running = {t for t, n in edges.items() if n >= needed and t not in inside}
    running |= {t for t in edges if t.strip("# -–—|/.") == "" or t in ("page #", "# / #")}
    return [
        [
            line
            for i, line in enumerate(lines)
            if not (
                (i < EDGE_LINES or i >= len(lines) - EDGE_LINES) and _template(line.text) in running
            )
        ]
        for lines in pages
    ]


def _edge(lines: list[Line]) -> list[Line]:
    return lines[:EDGE_LINES] + lines[max(EDGE_LINES, len(lines) - EDGE_LINES) :]


def _paragraphs(lines: list[Line]) -> list[str]:
    """The page's lines joined into paragraphs: a paragraph ends at a wider gap than the usual
    line spacing, at a change of letter size (a heading), before a list item, and after a line
    much shorter than the page's long lines."""
    if not lines:
        return []
    long = sorted(len(line.text) for line in lines)[int(0.9 * (len(lines) - 1))]
    gaps = sorted(a.bottom - b.bottom for a, b in pairwise(lines) if a.bottom > b.bottom)
    pitch = gaps[len(gaps) // 4] if gaps else 0.0
    paragraphs: list[str] = []
    current = ""
    for line, following in zip(lines, [*lines[1:], None], strict=True):
        current = _join(current, line.text) if current else line.text
        if following is None or _breaks(line, following, pitch, long):
            paragraphs.append(current)
            current = ""
    return paragraphs


def _breaks(line: Line, following: Line, pitch: float, long: int) -> bool:
    """Whether a paragraph ends between two lines."""
    gap = line.bottom - following.bottom
    wider = pitch > 0 and (gap > 1.3 * pitch or gap < 0)
    resized = abs(line.height - following.height) > 0.2 * max(line.height, following.height)
    short = len(line.text) < FULL_LINE * long
    return wider or resized or short or bool(_LIST_ITEM.match(following.text))


def _join(text: str, line: str) -> str:
    """Two lines of one paragraph: a word hyphenated at the line end is put back together."""
    if text.endswith(_SOFT_HYPHENS):
        return text[:-1] + line
    if re.search(r"\w-$", text) and line[:1].islower():
        return text[:-1] + line
    return f"{text} {line}"


def _join_pages(pages: list[list[str]]) -> tuple[str, tuple[int, ...]]:
    """The pages' paragraphs as one text, and the offset where each page starts."""
    text = ""
    starts: list[int] = []
    for paragraphs in pages:
        body = "\n\n".join(paragraphs)
        for mark in _SOFT_HYPHENS:
            body = body.replace(mark, "-")
        if text and body:
            runs_on = text[-1] not in _ENDS_SENTENCE and body[:1].islower()
            text += " " if runs_on else "\n\n"
        starts.append(len(text))
        text += body
    return text, tuple(starts)


def _metadata(meta: dict[str, str]) -> dict[str, str]:
    """Title, author and creation date from the PDF's document information, where set."""
    found = {
        "title": meta.get("Title", "").strip(),
        "byline": meta.get("Author", "").strip(),
        "created": _pdf_date(meta.get("CreationDate", "")),
    }
    return {key: value for key, value in found.items() if value}


def _pdf_date(value: str) -> str:
    """A PDF date ('D:20211018120000Z') as ISO 8601 ('2021-10-18'), or ''."""
    match = re.match(r"D?:?(\d{4})(\d\d)?(\d\d)?", value.strip())
    if not match:
        return ""
    year, month, day = match.groups()
    try:
        datetime(int(year), int(month or 1), int(day or 1))
    except ValueError:
        return ""
    return "-".join(part for part in (year, month, day) if part)
