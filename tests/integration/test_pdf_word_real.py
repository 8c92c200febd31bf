"""PDF and Word files, made on the spot, go through the real pipeline: ingested beside a text
file, asked about with the real embedder and model, and cited with the right span and page.
Running headers and page numbers are not article text; a PDF that cannot be read is one line
and the rest is ingested."""

from __future__ import annotations

from typing import Any

import pytest
from documents_factory import (
    corrupt_pdf,
    encrypted_pdf,
    paged_pdf,
    scanned_pdf,
    two_column_pdf,
    word_document,
)
from own_collection import assistant_over

from assistant import Assistant
from ingest import IngestSettings
from ingest.load import SourceFile
from ingest.read import read_document

HEADER = "Norrvik Harbour Board - Annual report 2022"
REPORT_PAGES = [
    [
        "Norrvik harbour had a busy year. The board met eleven times and approved a budget of "
        "40 million kroner for the coming decade.",
        "The number of cruise ships calling at the harbour rose from 12 to 19, and the fish "
        "auction sold more cod than in any year since 1998.",
    ],
    [
        "Work on the breakwater began in March. Divers from a firm in Bergen inspected the old "
        "stone wall and found it sound enough to keep.",
        "The ferry to Saltholm kept its timetable, although storms cancelled nine crossings in "
        "January and February.",
    ],
    [
        "The new ferry terminal was designed by the architect Mia Lund and will open in May "
        "2024. It has a waiting hall for 200 passengers.",
        "The board thanks the harbour staff for a safe year without serious accidents.",
    ],
]
COLUMNS = [
    "Glassworks reopens in Vedby",
    "The old glassworks in Vedby has reopened as a museum after four years of restoration. "
    "Visitors can watch glassblowers at work every weekday.",
    "The restoration cost 18 million kroner, most of it paid by a local foundation. The town "
    "council added the rest in 2021.",
    "The museum's director, Karin Holm, said the furnaces had been rebuilt by hand from the "
    "original drawings of 1874.",
    "On its first weekend the museum had 3,400 visitors, more than the village has inhabitants. "
    "Tickets cost 90 kroner.",
]


@pytest.fixture(scope="module")
def collection(
    real_assistant: Any, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Assistant, IngestSettings, Any]:
    base = tmp_path_factory.mktemp("formats")
    docs = base / "docs"
    docs.mkdir()
    paged_pdf(docs / "harbour-report.pdf", HEADER, REPORT_PAGES, title="Harbour report 2022")
    two_column_pdf(docs / "glassworks.pdf", COLUMNS[0], COLUMNS[1:] * 3)
    word_document(
        docs / "library.docx",
        "Library plans for Ostby",
        [
            ("Background", ["Ostby's library has been in the old school since 1961."]),
            (
                "The new building",
                [
                    "The new library will be built on the market square by "
                    "the firm Berg & Dahl, and it will have a roof garden."
                ],
            ),
        ],
        table=[["Item", "Cost"], ["Building", "31 million kroner"], ["Books", "2 million kroner"]],
        author="Ostby municipality",
    )
    encrypted_pdf(docs / "locked.pdf", "A secret plan for the harbour.")
    scanned_pdf(docs / "scan.pdf")
    corrupt_pdf(docs / "broken.pdf")
    (docs / "note.txt").write_text("Town note\n\nThe town hall is open on weekdays.\n")
    assistant, report = assistant_over(real_assistant, docs, base)
    ingest_settings = IngestSettings(root=docs, store=assistant.settings.store)
    return assistant, ingest_settings, report


def _text(settings: IngestSettings, source: str) -> str:
    return read_document(SourceFile(source, settings.root / source), settings.max_bytes).text


def test_pdfs_that_cannot_be_read_are_one_line_each_and_the_rest_is_ingested(
    collection: tuple[Assistant, IngestSettings, Any],
) -> None:
    _, _, report = collection
    assert sorted(report.added) == [
        "glassworks.pdf",
        "harbour-report.pdf",
        "library.docx",
        "note.txt",
    ]
    errors = "\n".join(report.errors)
    assert "locked.pdf: the PDF is password-protected, skipped" in errors
    assert "scan.pdf: no text layer: scanned PDF?" in errors
    assert "broken.pdf: not a readable PDF (damaged?), skipped" in errors
    assert all("\n" not in line for line in report.errors)


def test_running_headers_and_page_numbers_are_not_article_text(
    collection: tuple[Assistant, IngestSettings, Any],
) -> None:
    _, settings, _ = collection
    text = _text(settings, "harbour-report.pdf")
    assert HEADER not in text and "Page 2" not in text
    for paragraphs in REPORT_PAGES:
        for paragraph in paragraphs:
            assert paragraph in text  # whole, in reading order, lines joined back


def test_a_question_about_page_three_cites_the_span_on_page_three(
    collection: tuple[Assistant, IngestSettings, Any],
) -> None:
    assistant, settings, _ = collection
    answer = assistant.ask("Who designed the new ferry terminal in Norrvik?")
    assert answer.found and "Lund" in answer.text
    cited = [c for c in answer.citations if c.source == "harbour-report.pdf"]
    assert cited, answer.citations
    text = _text(settings, "harbour-report.pdf")
    for c in cited:
        assert text[c.start : c.end] == c.text
        assert c.page == 3 and c.to_dict()["page"] == 3
        assert c.title == "Harbour report 2022" and "p. 3" in c.where()
    assert any("Mia Lund" in c.text for c in cited)


def test_two_columns_are_read_column_by_column(
    collection: tuple[Assistant, IngestSettings, Any],
) -> None:
    assistant, settings, _ = collection
    text = _text(settings, "glassworks.pdf")
    for paragraph in COLUMNS[1:]:
        assert paragraph in text
    answer = assistant.ask("Who is the director of the glassworks museum in Vedby?")
    assert answer.found and "Holm" in answer.text
    assert all(c.page == 1 for c in answer.citations if c.source == "glassworks.pdf")


def test_a_word_file_is_read_with_its_headings_and_table(
    collection: tuple[Assistant, IngestSettings, Any],
) -> None:
    assistant, settings, _ = collection
    text = _text(settings, "library.docx")
    assert "The new building" in text and "Building | 31 million kroner" in text
    answer = assistant.ask("Which firm will build the new library in Ostby?")
    assert answer.found and "Berg" in answer.text
    cited = [c for c in answer.citations if c.source == "library.docx"]
    assert cited and all(text[c.start : c.end] == c.text and c.page is None for c in cited)
    top = assistant.search("cost of the new library building in Ostby").passages[0]
    assert top.source == "library.docx"


def test_metadata_of_the_file_is_kept(collection: tuple[Assistant, IngestSettings, Any]) -> None:
    assistant, _, _ = collection
    docs = assistant.searcher.documents()
    assert docs["harbour-report.pdf"].title == "Harbour report 2022"
    assert docs["harbour-report.pdf"].pages[0] == 0 and len(docs["harbour-report.pdf"].pages) == 3
    assert docs["library.docx"].byline == "Ostby municipality"
    assert docs["note.txt"].pages == ()
