"""PDF, Word and Markdown-with-front-matter files (real files made by fpdf2 and python-docx) are
read into the text spans index: pages known, running lines out, metadata kept, and each file
that cannot be read is one line."""

from __future__ import annotations

from pathlib import Path

import pytest
from documents_factory import (
    corrupt_pdf,
    encrypted_pdf,
    one_column_pdf,
    paged_pdf,
    scanned_pdf,
    word_document,
)

from assistant.pipeline.compose import with_sources
from assistant.types import Citation
from ingest import IngestSettings, ingest
from ingest.content import html_to_text
from ingest.errors import DocumentError
from ingest.load import SourceFile
from ingest.read import LoadedDocument, read_document
from ingest.states import INDEXED, REMOVED, SKIPPED, WAITING, document_states
from vectorstore.schema import DocumentRecord

pytestmark = pytest.mark.unit

PAGES = [
    [
        "The harbour council met on Monday evening in the old town hall. After a long debate "
        "it approved a new ferry timetable that starts in May and adds three crossings a day.",
        "Mayor Ana Ruiz said the ferry will run every hour from six in the morning.",
    ],
    ["Critics said the plan costs too much for a town of this size. The opposition leader, "
     "Jonas Berg, asked for a referendum on the timetable before the summer."],
    ["The first new boat, the Seagull, was built in a yard in Esbjerg. It carries 300 "
     "passengers and 40 cars, and it runs on electricity."],
]  # fmt: skip


def _read(path: Path) -> LoadedDocument:
    return read_document(SourceFile(path.name, path), 10_000_000)


def test_pdf_pages_are_known_and_running_headers_and_page_numbers_left_out(tmp_path: Path) -> None:
    loaded = _read(paged_pdf(tmp_path / "report.pdf", "The Harbour Gazette", PAGES, "Ferry"))
    assert loaded.kind == "pdf" and len(loaded.pages) == 3
    assert "Harbour Gazette" not in loaded.text and "Page" not in loaded.text
    record = DocumentRecord("report.pdf", "h", "", "", "en", 1, 1, "binary", 0.0,
                            pages=loaded.pages)  # fmt: skip
    for number, paragraphs in enumerate(PAGES, start=1):
        for paragraph in paragraphs:
            start = loaded.text.index(paragraph)  # whole: wrapped lines joined back
            assert record.page_of(start) == number
    assert loaded.meta["title"] == "Ferry"


def test_a_one_page_pdf_keeps_its_headline_and_paragraphs(tmp_path: Path) -> None:
    loaded = _read(one_column_pdf(tmp_path / "a.pdf", "Ferry plan approved", PAGES[0]))
    assert loaded.text.startswith("Ferry plan approved\n\n")
    assert loaded.text.split("\n\n")[1:] == PAGES[0]
    assert loaded.pages == (0,)


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        (lambda p: encrypted_pdf(p, "secret"), "the PDF is password-protected, skipped"),
        (scanned_pdf, "no text layer: scanned PDF? (OCR it first), skipped"),
        (corrupt_pdf, "not a readable PDF (damaged?), skipped"),
    ],
)
def test_pdfs_that_cannot_be_read_are_one_line(tmp_path: Path, make: object, reason: str) -> None:
    path = make(tmp_path / "x.pdf")  # type: ignore[operator]
    with pytest.raises(DocumentError) as error:
        _read(path)
    assert str(error.value) == f"x.pdf: {reason}"


def test_word_file_keeps_headings_paragraphs_and_table_rows_in_order(tmp_path: Path) -> None:
    path = word_document(
        tmp_path / "plan.docx",
        "Library plan",
        [("Background", ["The library opened in 1961."]), ("Costs", ["It costs a lot."])],
        table=[["Item", "Cost"], ["Building", "31 million"]],
        author="Ostby",
    )
    loaded = _read(path)
    assert loaded.text == (
        "Library plan\n\nBackground\n\nThe library opened in 1961.\n\nCosts\n\nIt costs a lot."
        "\n\nItem | Cost\nBuilding | 31 million"
    )
    assert loaded.meta["title"] == "Library plan" and loaded.meta["byline"] == "Ostby"


def test_word_files_that_cannot_be_read_are_one_line(tmp_path: Path) -> None:
    (tmp_path / "locked.docx").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    (tmp_path / "broken.docx").write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(DocumentError, match=r"^locked.docx: a password-protected or old"):
        _read(tmp_path / "locked.docx")
    with pytest.raises(DocumentError, match=r"^broken.docx: not a readable Word file"):
        _read(tmp_path / "broken.docx")


def test_markdown_front_matter_is_metadata_and_spans_index_the_body(tmp_path: Path) -> None:
    body = "Harbour news\n\nThe council met on Monday.\n"
    path = tmp_path / "news.md"
    path.write_text(
        "---\ntitle: Ferry plan\ndate: 2021-10-18\nsite_name: Gazette\nurl: https://x.test/a\n---\n"
        + body
    )
    loaded = _read(path)
    assert loaded.text == body
    assert loaded.meta == {
        "title": "Ferry plan",
        "date": "2021-10-18",
        "outlet": "Gazette",
        "url": "https://x.test/a",
    }


def test_ingest_keeps_pages_and_metadata_and_citations_carry_them(
    fake_settings: IngestSettings, fake_embedder: object
) -> None:
    root = fake_settings.root
    for old in root.iterdir():
        old.unlink()
    paged_pdf(root / "report.pdf", "The Harbour Gazette", PAGES, "Ferry report")
    report = ingest(fake_settings, embedder=fake_embedder)
    assert report.added == ("report.pdf",), report.errors
    from vectorstore.store import Store

    store = Store.open(fake_settings.store, fake_settings.store.chunking, create=False)
    record = store.documents()["report.pdf"]
    store.close()
    text = _read(root / "report.pdf").text
    start = text.index("The first new boat")
    cited = Citation(1, "report.pdf", record.title, start, start + 10, text[start : start + 10])
    (described,) = with_sources([cited], {"report.pdf": record})
    assert described.page == 3 and described.title == "Ferry report"
    assert described.where().endswith("p. 3")


def test_each_file_has_a_state_with_the_reason_it_was_skipped() -> None:
    record = DocumentRecord("a.pdf", "h", "A", "", "en", 1, 1, "binary", 0.0)
    gone = DocumentRecord("gone.txt", "h", "G", "", "en", 1, 1, "utf-8", 0.0)
    states = document_states(
        ["a.pdf", "b.pdf", "new.txt"],
        ["loop.txt: a symlink loop, skipped"],
        {"a.pdf": record, "gone.txt": gone},
        ["b.pdf: no text layer: scanned PDF? (OCR it first), skipped"],
    )
    by_source = {s.source: (s.state, s.reason) for s in states}
    assert by_source == {
        "a.pdf": (INDEXED, ""),
        "b.pdf": (SKIPPED, "no text layer: scanned PDF? (OCR it first)"),
        "gone.txt": (REMOVED, ""),
        "loop.txt": (SKIPPED, "a symlink loop"),
        "new.txt": (WAITING, ""),
    }


def test_short_html_article_keeps_its_text_without_the_menu() -> None:
    short = "<html><body><nav><a href='/'>Home</a></nav><h1>Harbour news</h1><p>{}</p><p>{}</p>"
    text = html_to_text(short.format("The council met on Monday.", "It approved a timetable."))
    assert "Harbour news\nThe council met on Monday.\nIt approved a timetable.\n" in text
