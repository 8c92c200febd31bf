"""The app in real Chromium: an answer streams in, a [n] click highlights exactly the cited span of
the file, an uploaded article can be asked about after Re-ingest without a restart, and a
document holding Markdown, HTML and links shows them as text and loads nothing from outside."""

from __future__ import annotations

import itertools
import re
import time
from pathlib import Path
from typing import Any

from playwright.sync_api import expect

from ingest.load import SourceFile
from ingest.read import read_document
from ingest.upload import safe_name

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "browser"
App = Any  # tests/browser/conftest.py: App(url, docs, log)

ANSWER_TIMEOUT = 150.0
ARTICLE_NAME = "Halvorsen lighthouse (restored).md"
ARTICLE = """# Halvorsen Lighthouse reopens after restoration

Published 2024-05-14

The Halvorsen Lighthouse on the island of Skarvøy reopened to visitors on 12 May 2024 after a two-year restoration.

The restoration was led by the structural engineer Ingrid Tovesen, who replaced the corroded iron lantern room with a copy cast from the original 1884 drawings.

The project cost 41 million kroner and was paid for by the Skarvøy Heritage Trust.
"""


def shot(page: Any, name: str) -> None:
    page.screenshot(path=str(ARTIFACTS / name))


def ask(page: Any, question: str, streaming_shot: str = "") -> tuple[Any, list[str]]:
    """Send a question; return the finished answer's chat message and the partial texts seen
    while it streamed (each ends with the typing cursor)."""
    box = page.get_by_test_id("stChatInputTextArea")
    expect(box).to_be_enabled()
    messages = page.get_by_test_id("stChatMessage")
    before = messages.count()
    box.fill(question)
    box.press("Enter")
    partials: list[str] = []
    deadline = time.monotonic() + ANSWER_TIMEOUT
    while time.monotonic() < deadline:
        last = messages.last
        if messages.count() >= before + 2 and last.get_by_text("How this answer was made").count():
            if last.get_by_text("Sources").count():  # a found answer: its markers render in JS
                expect(last.locator("button.cite").first).to_be_visible()
            return last, partials
        try:
            text = last.inner_text(timeout=1000)
        except Exception:  # re-rendered while read
            continue
        if text.rstrip().endswith("▌") and text not in partials:
            partials.append(text)
            if len(partials) == 5 and streaming_shot:
                shot(page, streaming_shot)
        time.sleep(0.05)
    shown = [m.inner_text()[:200] for m in messages.all()[before:]]
    raise AssertionError(f"no answer to {question!r} within {ANSWER_TIMEOUT:.0f} s: {shown}")


def check_citation(page: Any, app: App, answer: Any, marker: Any, screenshot: str) -> str:
    """Click a [n] marker; the viewer must highlight exactly file_text[start:end], in view."""
    n = marker.get_attribute("data-n")
    label = answer.get_by_role("button", name=re.compile(rf"^\[{n}\] ")).inner_text()
    marker.click()
    dialog = page.get_by_role("dialog")
    mark = dialog.locator("#cited-span")
    expect(mark).to_be_visible()
    expect(mark).to_be_in_viewport()
    assert mark.get_attribute("data-n") == n
    source = mark.get_attribute("data-source")
    start, end = int(mark.get_attribute("data-start")), int(mark.get_attribute("data-end"))
    file_text = read_document(SourceFile(source, app.docs / source), 10**8).text
    assert start < end and mark.text_content() == file_text[start:end]
    title = dialog.locator(".title").inner_text()
    assert title and title in label and source in label, (title, source, label)
    assert source in dialog.locator(".meta").inner_text()
    shot(page, screenshot)
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    return source


def test_answer_streams_and_a_citation_click_highlights_the_exact_span(page: Any, app: App) -> None:
    expect(page.get_by_role("heading", name="Ask the articles")).to_be_visible()
    loading = page.get_by_text("Loading the models")
    expect(loading).to_be_visible()  # the page is there while the models still load
    expect(page.get_by_text("5 documents")).to_be_visible()
    shot(page, "01-first-paint-while-models-load.png")
    expect(loading).to_be_hidden(timeout=180_000)

    answer, partials = ask(page, "How old is Zalmay Khalilzad?", "02-answer-streaming.png")
    assert len(partials) >= 2, f"the answer did not stream: {partials}"
    assert all(len(a) < len(b) for a, b in itertools.pairwise(partials))
    markers = answer.locator("button.cite")
    assert markers.count() >= 1, (
        f"no citation in: {answer.inner_text()}\n{app.log.read_text()[-2000:]}"
    )
    expect(answer.get_by_text("Sources")).to_be_visible()
    shot(page, "03-answer-with-citations.png")
    source = check_citation(page, app, answer, markers.first, "04-citation-viewer-highlight.png")

    answer.get_by_text("How this answer was made").click()
    panel = answer.get_by_test_id("stExpander")
    expect(panel.get_by_text("Standalone question")).to_be_visible()
    expect(panel.get_by_text("first token")).to_be_visible()
    expect(panel.get_by_test_id("stTable").first).to_contain_text(source)  # passages, scored
    panel.get_by_text("Citation checks").scroll_into_view_if_needed()
    shot(page, "05-how-this-answer-was-made.png")


def test_uploaded_article_is_answerable_after_reingest(page: Any, app: App, tmp_path: Path) -> None:
    name = safe_name(ARTICLE_NAME)
    sidebar = page.get_by_test_id("stSidebar")
    expect(sidebar.get_by_text("Documents (5)")).to_be_visible()
    uploader = sidebar.get_by_test_id("stFileUploaderDropzoneInput")
    draft = ARTICLE.split("The restoration was led")[0].encode()
    uploader.set_input_files(
        files=[{"name": ARTICLE_NAME, "mimeType": "text/markdown", "buffer": draft}]
    )
    expect(sidebar.get_by_text(f"{name}: saved")).to_be_visible()
    expect(sidebar.get_by_text(f"Not indexed yet: {name}")).to_be_visible()
    assert (app.docs / name).read_bytes() == draft

    # The same name again, other bytes: nothing is overwritten until the user says so.
    # Each upload clears the uploader by giving it a new key; until that rerun ends, the
    # old input is still on the page beside the new one.
    expect(uploader).to_have_count(1)
    uploader.set_input_files(
        files=[{"name": ARTICLE_NAME, "mimeType": "text/markdown", "buffer": ARTICLE.encode()}]
    )
    expect(sidebar.get_by_text(f"{name} is already in the folder. Replace it")).to_be_visible()
    assert (app.docs / name).read_bytes() == draft
    sidebar.get_by_role("button", name="Replace").click()
    expect(sidebar.get_by_text(f"{name}: replaced")).to_be_visible()
    assert (app.docs / name).read_bytes() == ARTICLE.encode()
    assert sorted(p.name for p in app.docs.iterdir() if "alvorsen" in p.name) == [name]
    shot(page, "06-upload-saved.png")

    sidebar.get_by_role("button", name="Re-ingest").click()
    report = sidebar.get_by_test_id("stAlertContentSuccess")
    expect(report).to_contain_text("documents: 1 added, 0 updated, 5 unchanged", timeout=180_000)
    # While the page is redrawn, the list drawn before the re-ingest can still stand beside the
    # new one: wait for the one list that stays.
    expect(sidebar.get_by_text("Documents (6)")).to_have_count(1, timeout=30_000)
    expect(sidebar.get_by_text("Documents (6)")).to_be_visible()
    expect(sidebar.get_by_text("Not indexed yet")).to_have_count(0)
    shot(page, "07-reingest-report.png")

    answer, _ = ask(page, "Who led the restoration of the Halvorsen Lighthouse?")
    markers = answer.locator("button.cite")
    into_new = [m for m in markers.all() if name in (m.get_attribute("title") or "")]
    assert into_new, f"no citation into {name}: {answer.inner_text()}"
    shot(page, "08-new-article-answer.png")
    assert check_citation(page, app, answer, into_new[0], "09-new-article-citation.png") == name


HOSTILE_NAME = "harbor [click](http:evil) notice.txt"
HOSTILE = """![logo](http://203.0.113.9/beacon.png) Harbor [Session expired: click here](http://203.0.113.9/x)

The Harbor Town library was designed by the architect Mia Lund and opened in May 2015.

Its reading room seats 300 people. <img src="http://203.0.113.9/pixel.png"> See http://203.0.113.9/more or www.example.com for **more** :red[news] $x^2$.
"""


def test_nothing_from_a_document_loads_anything_from_outside_the_machine(
    page: Any, app: App
) -> None:
    """A document whose title and text hold Markdown images, links, HTML and bare URLs: its title
    in the sidebar, the sources list and the answer's details shows as text, and the page never
    requests anything but the app itself."""
    (app.docs / HOSTILE_NAME).write_text(HOSTILE, encoding="utf-8")
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.reload()
    sidebar = page.get_by_test_id("stSidebar")
    sidebar.get_by_role("button", name="Re-ingest").click()
    report = sidebar.get_by_test_id("stAlertContentSuccess")
    expect(report).to_contain_text("1 added, 0 updated, 6 unchanged", timeout=180_000)
    expect(sidebar.get_by_text("![logo](http:").first).to_be_visible()

    answer, _ = ask(page, "Who designed the Harbor Town library?")
    expect(answer.get_by_role("button", name=re.compile(r"^\[\d\] !\[logo\]"))).to_be_visible()
    answer.get_by_text("How this answer was made").click()
    expect(answer.get_by_test_id("stTable").first).to_contain_text(HOSTILE_NAME)
    shot(page, "10-hostile-document-as-text.png")

    assert page.locator("img[src*='203.0.113'], a[href*='203.0.113']").count() == 0
    assert page.locator("a[href^='http:evil']").count() == 0
    outside = [
        url
        for url in requests
        if not re.match(r"(https?|wss?)://(127\.0\.0\.1|localhost)(:\d+)?/", url)
        and not url.startswith(("data:", "blob:", "about:"))
    ]
    assert requests and outside == [], outside
