"""The app follows its documents folder, in real Chromium: a PDF copied into the folder appears as
indexed without pressing anything, a scanned PDF as skipped with its reason, and a question about
the PDF's third page cites it with the highlight on page 3."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest
from conftest import serve
from documents_factory import paged_pdf, scanned_pdf
from playwright.sync_api import expect
from test_chat_in_browser import ask, shot

from ingest.load import SourceFile
from ingest.read import read_document

HEADER = "Norrvik Harbour Board - Annual report 2022"
PAGES = [
    ["Norrvik harbour had a busy year. The board met eleven times and approved a budget of 40 "
     "million kroner for the coming decade."],
    ["Work on the breakwater began in March. Divers from a firm in Bergen inspected the old "
     "stone wall and found it sound enough to keep."],
    ["The new ferry terminal was designed by the architect Mia Lund and will open in May 2024. "
     "It has a waiting hall for 200 passengers."],
]  # fmt: skip
SYNC_TIMEOUT = 180_000


@pytest.fixture(scope="module")
def app(seeded: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """The app over copies of the seeded documents and index, following the folder."""
    base = tmp_path_factory.mktemp("browser-watching")
    yield from serve(seeded[0], base, ASSISTANT_WATCH="1", ASSISTANT_WATCH_QUIET="0.5")


def test_a_pdf_put_in_the_folder_is_indexed_and_cited_on_its_page(page: Any, app: Any) -> None:
    sidebar = page.get_by_test_id("stSidebar")
    expect(sidebar.get_by_text("Documents (5)").first).to_be_visible(timeout=SYNC_TIMEOUT)
    expect(page.get_by_text("Loading the models")).to_be_hidden(timeout=SYNC_TIMEOUT)
    shot(page, "10-sidebar-indexed.png")

    written = time.monotonic()
    paged_pdf(app.docs / "harbour-report.pdf", HEADER, PAGES, title="Harbour report 2022")
    scanned_pdf(app.docs / "scan.pdf")
    syncing = sidebar.get_by_text("syncing")
    try:
        syncing.first.wait_for(timeout=15_000)
        shot(page, "11-sidebar-syncing.png")
    except Exception:  # a fast sync can finish between two refreshes of the sidebar
        pass
    report = sidebar.get_by_text("Harbour report 2022").first
    expect(report).to_be_visible(timeout=SYNC_TIMEOUT)
    seconds = time.monotonic() - written
    expect(
        sidebar.get_by_text("skipped: no text layer: scanned PDF? (OCR it first)")
    ).to_be_visible()
    # While the page is redrawn, the list drawn before the sync can still stand beside the new
    # one: wait for the one list that stays.
    expect(sidebar.get_by_text("Documents (7)")).to_have_count(1, timeout=30_000)
    expect(sidebar.get_by_text("Documents (7)")).to_be_visible()
    sidebar.get_by_text("skipped: no text layer").scroll_into_view_if_needed()
    shot(page, "12-sidebar-pdf-indexed-scan-skipped.png")
    print(f"PDF written → shown as indexed in the sidebar: {seconds:.1f} s")
    # A question sent while the page is redrawn after a sync can be lost with that run: wait
    # until no sync runs (the folder settles after the two files) before asking.
    expect(sidebar.get_by_text("syncing")).to_have_count(0, timeout=SYNC_TIMEOUT)
    page.wait_for_timeout(2_000)

    answer, _ = ask(page, "Who designed the new ferry terminal in Norrvik?")
    markers = [m for m in answer.locator("button.cite").all()
               if "harbour-report.pdf" in (m.get_attribute("title") or "")
               or "Harbour report 2022" in (m.get_attribute("title") or "")]  # fmt: skip
    assert markers, f"no citation of the PDF in: {answer.inner_text()}"
    assert "p. 3" in (markers[0].get_attribute("title") or "")
    markers[0].click()
    dialog = page.get_by_role("dialog")
    mark = dialog.locator("#cited-span")
    expect(mark).to_be_in_viewport()
    assert mark.get_attribute("data-source") == "harbour-report.pdf"
    assert mark.get_attribute("data-page") == "3"
    start, end = int(mark.get_attribute("data-start")), int(mark.get_attribute("data-end"))
    text = read_document(
        SourceFile("harbour-report.pdf", app.docs / "harbour-report.pdf"), 10**8
    ).text
    assert mark.text_content() == text[start:end] and "Mia Lund" in text[start:end]
    expect(dialog.locator(".meta")).to_contain_text("p. 3 of 3")
    expect(dialog.locator(".page")).to_have_count(3)  # where each page starts
    assert HEADER not in dialog.locator(".text").inner_text()
    shot(page, "13-pdf-citation-on-page-3.png")
