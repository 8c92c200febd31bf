"""The PDFs measured: four made on the spot with fpdf2, whose sentences are the ground truth,
and the real PDFs of this machine (pdfTeX manuals), if present."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.pdf_libraries.articles import (
    ALL_ARTICLES,
    LIBRARY_ARTICLE,
    LIBRARY_TITLE,
    RIVER_TITLE,
    RUNNING_HEADER,
)

PAGED_PAGES = 30
REAL_PDFS = {
    "libtasn1.pdf": Path("/usr/share/doc/libtasn1-doc/libtasn1.pdf"),
    "shared-mime-info-spec.pdf": Path("/usr/share/doc/shared-mime-info/shared-mime-info-spec.pdf"),
}


@dataclass(frozen=True)
class Document:
    """A PDF to extract; `truth` holds its sentences (per page when `per_page`), or None."""

    name: str
    path: Path
    truth: tuple[tuple[str, ...], ...] | None = None
    per_page: bool = False
    running_header: str = ""


def sentences(paragraphs: Sequence[str]) -> tuple[str, ...]:
    """The sentences of `paragraphs` (the articles have no abbreviations to trip on)."""
    return tuple(s for p in paragraphs for s in re.split(r"(?<=[.!?])\s+(?=[A-Z])", p))


def wrap(pdf: Any, text: str, width: float) -> list[str]:
    """`text` broken greedily into lines no wider than `width` mm in the current font."""
    lines: list[str] = []
    line = ""
    for word in text.split():
        candidate = f"{line} {word}".strip()
        if line and pdf.get_string_width(candidate) > width:
            lines.append(line)
            candidate = word
        line = candidate
    return [*lines, line] if line else lines


def interleaved_pdf(path: Path, title: str, paragraphs: Sequence[str]) -> Path:
    """One page in two columns whose lines are drawn left 1, right 1, left 2, right 2, ...

    The left column holds the first half of the article's lines, the right column the rest.
    """
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", style="B", size=16)
    pdf.text(10, 20, title)
    pdf.set_font("helvetica", size=11)
    lines: list[str] = []
    for paragraph in paragraphs:
        lines += [*wrap(pdf, paragraph, 88), ""]
    half = (len(lines) + 1) // 2
    left, right = lines[:half], lines[half:]
    for row in range(half):
        y = 35 + row * 5.5
        pdf.text(10, y, left[row])
        if row < len(right):
            pdf.text(112, y, right[row])
    pdf.output(str(path))
    return path


def paged_pages() -> list[list[str]]:
    """30 pages of paragraphs: a sentence unique to the page, then two article paragraphs."""
    pool = ALL_ARTICLES
    pages = []
    for n in range(PAGED_PAGES):
        lead = f"This is part {n + 1} of the spring series about life in Haldrup."
        pages.append([lead, pool[(2 * n) % len(pool)], pool[(2 * n + 1) % len(pool)]])
    return pages


def synthetic_documents(folder: Path) -> list[Document]:
    """The four made-up PDFs with their ground-truth sentences."""
    from tests.documents_factory import one_column_pdf, paged_pdf, two_column_pdf

    pages = paged_pages()
    return [
        Document(
            "one-column",
            one_column_pdf(folder / "one.pdf", LIBRARY_TITLE, LIBRARY_ARTICLE),
            (sentences(LIBRARY_ARTICLE),),
        ),
        Document(
            "two-column",
            two_column_pdf(folder / "two.pdf", RIVER_TITLE, ALL_ARTICLES),
            (sentences(ALL_ARTICLES),),
        ),
        Document(
            "interleaved",
            interleaved_pdf(folder / "interleaved.pdf", LIBRARY_TITLE, LIBRARY_ARTICLE),
            (sentences(LIBRARY_ARTICLE),),
        ),
        Document(
            "paged-30",
            paged_pdf(folder / "paged.pdf", RUNNING_HEADER, pages, title=RIVER_TITLE),
            tuple(sentences(p) for p in pages),
            per_page=True,
            running_header=RUNNING_HEADER,
        ),
    ]


def real_documents() -> list[Document]:
    """The real PDFs of this machine that exist."""
    return [Document(name, path) for name, path in REAL_PDFS.items() if path.exists()]
