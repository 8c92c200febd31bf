"""The ways of getting the text of every page of a PDF: each library's plain per-page
extraction, and a few cheap variants of pdfplumber and pypdf."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any


def pdfium_pages(path: Path) -> list[str]:
    """pypdfium2: `get_textpage().get_text_range()` of every page."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(path))
    try:
        texts = []
        for index in range(len(document)):
            page = document[index]
            textpage = page.get_textpage()
            texts.append(textpage.get_text_range())
            textpage.close()
            page.close()
        return texts
    finally:
        document.close()


def _plumber(
    path: Path, page_text: Callable[[Any], str], laparams: dict[str, Any] | None = None
) -> list[str]:
    """pdfplumber: `page_text(page)` of every page, the file opened with `laparams`."""
    import pdfplumber

    with pdfplumber.open(path, laparams=laparams) as document:
        texts = []
        for page in document.pages:
            texts.append(page_text(page))
            page.close()
        return texts


def plumber_pages(path: Path, **options: Any) -> list[str]:
    """pdfplumber: `page.extract_text(**options)` of every page."""
    return _plumber(path, lambda page: page.extract_text(**options))


def _box_text(page: Any) -> str:
    """The text of pdfminer's horizontal text boxes on one page, in its order."""
    return "\n".join(box["text"] for box in page.objects.get("textboxhorizontal", []))


def plumber_boxes_pages(path: Path) -> list[str]:
    """pdfplumber with pdfminer's layout analysis (LAParams): its text boxes, in its order."""
    return _plumber(path, _box_text, laparams={})


def pypdf_pages(path: Path, **options: Any) -> list[str]:
    """pypdf: `PdfReader(path).pages[i].extract_text(**options)` of every page."""
    from pypdf import PdfReader

    return [page.extract_text(**options) for page in PdfReader(path).pages]


def default_equals_layout_false(path: Path) -> bool:
    """Whether pdfplumber's `extract_text()` is `extract_text(layout=False)` (it should be)."""
    return plumber_pages(path) == plumber_pages(path, layout=False)


@dataclass(frozen=True)
class Variant:
    """One way of getting the text of every page of a PDF."""

    name: str
    library: str
    extract: Callable[[Path], list[str]]
    default: bool


VARIANTS = (
    Variant("pypdfium2 get_text_range()", "pypdfium2", pdfium_pages, True),
    Variant("pdfplumber extract_text()", "pdfplumber", plumber_pages, True),
    Variant(
        "pdfplumber extract_text(x_tolerance=1.5)",
        "pdfplumber",
        partial(plumber_pages, x_tolerance=1.5),
        False,
    ),
    Variant(
        "pdfplumber extract_text(layout=True)",
        "pdfplumber",
        partial(plumber_pages, layout=True),
        False,
    ),
    Variant(
        "pdfplumber extract_text(use_text_flow=True)",
        "pdfplumber",
        partial(plumber_pages, use_text_flow=True),
        False,
    ),
    Variant("pdfplumber laparams text boxes", "pdfplumber", plumber_boxes_pages, False),
    Variant("pypdf extract_text()", "pypdf", pypdf_pages, True),
    Variant(
        'pypdf extract_text(extraction_mode="layout")',
        "pypdf",
        partial(pypdf_pages, extraction_mode="layout"),
        False,
    ),
)
