"""Which PDF text library should ingest use? pypdfium2, pdfplumber and pypdf, measured.

Run it with `.venv/bin/python -m bench.pdf_libraries` (one process, no models; about a minute).
It prints Markdown tables and writes the raw figures to bench/results/pdf_libraries.json.
It does not touch docs/BENCHMARKS.md; `run()` returns the tables' Markdown under "markdown"
for a benchmark that does (bench/formats.py).

What it measures, for each library's plain per-page text extraction (and a few cheap variants):

- Text quality and reading order, on PDFs made on the spot with fpdf2 from article paragraphs
  whose sentences are the ground truth: (1) a one-column article, (2) a two-column article of
  about three pages (fpdf2 text_columns, the left column drawn first), (3) a two-column page whose
  lines are drawn interleaved (left line 1, right line 1, left line 2, ...) at explicit
  coordinates, so only layout analysis, not the content stream order, gives the reading order,
  and (4) a 30-page PDF with a running header and a 'Page N' footer on every page.
  "Intact" is the share of ground-truth sentences found verbatim after collapsing all whitespace
  to single spaces and joining words hyphenated at a line end; "in order" is the share of all
  sentences that are found (spaces ignored) in the order they were written (the longest
  increasing run of their positions).
- Whether the per-page text keeps the running header and the footer (ingest must then strip it).
- Speed: pages per second, best of three wall-clock runs (open the file, extract every page).
- Two real PDFs of this machine (pdfTeX manuals), if present: speed, and signs of garbling
  (words no other library produced, over-long glued words, words hyphenated at a line end).
- Licence (from the installed package metadata) and installed size, alone and with dependencies.

The modules: `articles` (the ground-truth texts), `documents` (the PDFs), `extract` (the
extraction variants), `measure` (the metrics), `tables` (the Markdown) and this one (the run).
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from bench.common import ForeignLoad, machine, save_json
from bench.pdf_libraries.documents import real_documents, synthetic_documents
from bench.pdf_libraries.extract import default_equals_layout_false
from bench.pdf_libraries.measure import DISTRIBUTIONS, RUNS, measure_document, package_facts
from bench.pdf_libraries.tables import report


def run() -> dict[str, Any]:
    """Make the PDFs, measure every variant on each, print the tables, save the figures.

    Returns the saved figures and, under "markdown", the tables as printed.
    """
    with ForeignLoad() as load, tempfile.TemporaryDirectory(prefix="pdf-libraries-") as folder:
        documents = [*synthetic_documents(Path(folder)), *real_documents()]
        figures = {d.name: measure_document(d) for d in documents}
        same = default_equals_layout_false(documents[1].path)
    packages = {library: package_facts(library) for library in DISTRIBUTIONS}
    markdown = report(figures, packages, load.line())
    print(markdown)
    payload = {
        "machine": machine().__dict__,
        "foreign_load_cores": load.samples,
        "runs": RUNS,
        "pdfplumber_default_is_layout_false": same,
        "packages": packages,
        "documents": figures,
    }
    print(f"\nRaw figures: {save_json('pdf_libraries', payload)}")
    return {**payload, "markdown": markdown}
