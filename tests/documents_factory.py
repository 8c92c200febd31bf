"""Real PDF and Word files made on the spot (fpdf2, python-docx), for the tests and benchmarks.

Each maker writes a file and returns its path. The texts are plain Latin-1 so the PDF core fonts
draw them (Danish and German letters included) and no font file is needed.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from fpdf import FPDF


class _Paged(FPDF):
    """A PDF whose every page carries the same running header and a page-number footer."""

    running_header = ""

    def header(self) -> None:
        if self.running_header:
            self.set_font("helvetica", size=8)
            self.cell(0, 6, self.running_header, align="C")
            self.ln(10)

    def footer(self) -> None:
        if self.running_header:
            self.set_y(-15)
            self.set_font("helvetica", size=8)
            self.cell(0, 10, f"Page {self.page_no()}", align="C")


def _new(header: str = "", title: str = "", author: str = "") -> _Paged:
    pdf = _Paged()
    pdf.running_header = header
    if title:
        pdf.set_title(title)
    if author:
        pdf.set_author(author)
    pdf.set_font("helvetica", size=11)
    return pdf


def one_column_pdf(path: Path, title: str, paragraphs: Sequence[str]) -> Path:
    """A one-page (or longer, as the text needs) article: a bold headline, then paragraphs."""
    pdf = _new(title=title)
    pdf.add_page()
    _headline(pdf, title)
    for paragraph in paragraphs:
        pdf.multi_cell(0, 6, paragraph)
        pdf.ln(3)
    pdf.output(str(path))
    return path


def two_column_pdf(path: Path, title: str, paragraphs: Sequence[str]) -> Path:
    """The article set in two columns: the left column is read to its end before the right."""
    pdf = _new(title=title)
    pdf.add_page()
    _headline(pdf, title)
    with pdf.text_columns(ncols=2, gutter=8) as columns:
        for paragraph in paragraphs:
            columns.write(paragraph)
            columns.ln()
            columns.ln()
    pdf.output(str(path))
    return path


def paged_pdf(path: Path, header: str, pages: Sequence[Sequence[str]], title: str = "") -> Path:
    """One page per entry of `pages` (its paragraphs), each with the same running header at the
    top and 'Page N' at the bottom."""
    pdf = _new(header=header, title=title)
    pdf.set_auto_page_break(True, margin=20)
    for paragraphs in pages:
        pdf.add_page()
        for paragraph in paragraphs:
            pdf.multi_cell(0, 6, paragraph)
            pdf.ln(3)
    pdf.output(str(path))
    return path


def encrypted_pdf(path: Path, text: str, password: str = "secret") -> Path:
    """A PDF that cannot be opened without its user password."""
    pdf = _new()
    pdf.set_encryption(owner_password=password + "-owner", user_password=password)
    pdf.add_page()
    pdf.multi_cell(0, 6, text)
    pdf.output(str(path))
    return path


def scanned_pdf(path: Path, pages: int = 1) -> Path:
    """Pages with only drawings on them (what a scan without OCR looks like): no text layer."""
    pdf = _new()
    for _ in range(pages):
        pdf.add_page()
        for row in range(20):
            pdf.rect(20, 20 + row * 12, 170, 6, style="F")
    pdf.output(str(path))
    return path


def corrupt_pdf(path: Path) -> Path:
    """Bytes that start like a PDF and are not one."""
    path.write_bytes(b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\ngarbage")
    return path


def word_document(
    path: Path,
    title: str,
    sections: Sequence[tuple[str, Sequence[str]]],
    table: Sequence[Sequence[str]] = (),
    author: str = "",
) -> Path:
    """A .docx: the title as a level-1 heading, then (heading, paragraphs) sections, then a table
    whose first row is its header."""
    from docx import Document

    document = Document()
    document.core_properties.title = title
    document.core_properties.author = author  # else the template's own ('python-docx', 2013)
    document.core_properties.created = datetime.now(UTC)
    document.add_heading(title, level=1)
    for heading, paragraphs in sections:
        document.add_heading(heading, level=2)
        for paragraph in paragraphs:
            document.add_paragraph(paragraph)
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, value in enumerate(row):
                grid.cell(r, c).text = value
    document.save(str(path))
    return path


def _headline(pdf: FPDF, title: str) -> None:
    pdf.set_font("helvetica", style="B", size=16)
    pdf.multi_cell(0, 9, title)
    pdf.ln(4)
    pdf.set_font("helvetica", size=11)
