"""The text of a Word (.docx) file (python-docx): headings, paragraphs and tables in body order.

Each paragraph and heading becomes a paragraph of the text; a table becomes one line per row,
its cells joined by ' | ' (a cell merged across columns is written once).
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from typing import Any

from ingest.errors import DocumentError
from ingest.extracted import Extracted

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
"""The signature of an OLE file: what a password-protected .docx (or an old .doc) really is."""


def word_text(data: bytes, source: str) -> Extracted:
    """The text of a .docx. Raises DocumentError (one line) when it cannot be read."""
    from docx import Document
    from docx.opc.exceptions import PackageNotFoundError

    if data.startswith(_OLE):
        raise DocumentError(
            f"{source}: a password-protected or old-format (.doc) Word file, skipped"
        )
    try:
        document = Document(io.BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError):
        raise DocumentError(f"{source}: not a readable Word file (damaged?), skipped") from None
    blocks = [block for block in _blocks(document) if block]
    if not blocks:
        raise DocumentError(f"{source}: no text in the Word file, skipped")
    return Extracted(text="\n\n".join(blocks), meta=_metadata(document.core_properties))


def _blocks(document: Any) -> Iterator[str]:
    """Paragraphs and table rows, in the order they appear in the body."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    for child in document.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            yield " ".join(Paragraph(child, document).text.split())
        elif tag == "tbl":
            yield "\n".join(_rows(Table(child, document)))


def _rows(table: Any) -> Iterator[str]:
    for row in table.rows:
        cells: list[str] = []
        seen: set[int] = set()
        for cell in row.cells:
            if id(cell._tc) not in seen:  # a merged cell is the same element in every column
                seen.add(id(cell._tc))
                cells.append(" ".join(cell.text.split()))
        if any(cells):
            yield " | ".join(cells)


def _metadata(properties: Any) -> dict[str, str]:
    found = {
        "title": (properties.title or "").strip(),
        "byline": (properties.author or "").strip(),
        "created": properties.created.date().isoformat() if properties.created else "",
    }
    return {key: value for key, value in found.items() if value}
