"""Saved chats in real Chromium: a question asked, the page reloaded (a new session), the chat is
still there with its cited answer; exported as Markdown, its footnotes quote the cited sentences
exactly as the files hold them. A date range in the sidebar limits the answer to the articles
published in it."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import serve
from playwright.sync_api import expect
from test_chat_in_browser import ask, shot

from ingest.load import SourceFile
from ingest.read import read_document

QUESTION = "Who replaced Zalmay Khalilzad as the US envoy?"
FOOTNOTE = re.compile(r"^\[\^(\d+)\]: “(.+?)” — (.+)$", re.MULTILINE)


@pytest.fixture(scope="module")
def app(seeded: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    yield from serve(seeded[0], tmp_path_factory.mktemp("browser-chats"), ASSISTANT_WATCH="0")


def _collapsed(text: str) -> str:
    return " ".join(text.split())


def test_a_chat_survives_a_reload_and_exports_its_sources(
    page: Any, app: Any, tmp_path: Path
) -> None:
    expect(page.get_by_text("Loading the models")).to_be_hidden(timeout=180_000)
    answer, _ = ask(page, QUESTION)
    cited = answer.locator("button.cite").count()
    assert cited >= 1, answer.inner_text()
    sidebar = page.get_by_test_id("stSidebar")
    expect(sidebar.get_by_role("button", name=QUESTION)).to_be_visible()

    page.reload()
    messages = page.get_by_test_id("stChatMessage")
    expect(messages.first).to_contain_text(QUESTION, timeout=60_000)
    expect(messages.nth(1).get_by_text("Sources")).to_be_visible()
    expect(messages.nth(1).locator("button.cite").first).to_be_visible()
    shot(page, "14-chat-after-reload.png")

    with page.expect_download() as download:
        sidebar.get_by_role("button", name="Export chat (Markdown)").click()
    exported = Path(download.value.path()).read_text("utf-8")
    (tmp_path / "chat.md").write_text(exported, "utf-8")
    assert QUESTION in exported
    notes = FOOTNOTE.findall(exported)
    assert len(notes) >= 1, exported
    for number, sentence, where in notes:
        assert f"[^{number}]" in exported.split(f"[^{number}]:")[0]  # referenced in the text
        source = where.split(", ")[-1] if ".txt" in where else ""
        files = [s for s in app.docs.iterdir() if s.name in where] or list(app.docs.iterdir())
        texts = [_collapsed(read_document(SourceFile(f.name, f), 10**8).text) for f in files]
        assert any(_collapsed(sentence) in text for text in texts), (sentence, source)
    sidebar.get_by_role("button", name=QUESTION).scroll_into_view_if_needed()
    shot(page, "15-chat-list.png")


def test_a_date_range_limits_the_answer_to_the_articles_published_in_it(
    page: Any, app: Any
) -> None:
    expect(page.get_by_text("Loading the models")).to_be_hidden(timeout=180_000)
    sidebar = page.get_by_test_id("stSidebar")
    dates = sidebar.get_by_test_id("stDateInput")
    for end, day in (("start", "20211001"), ("end", "20211031")):  # typed as a user types them
        dates.get_by_role(
            "spinbutton", name=f"year, Only articles published between {end} date"
        ).click()
        page.keyboard.type(day)
    page.keyboard.press("Tab")
    sidebar.get_by_text("Keep articles with no date").click()
    expect(sidebar.get_by_text("1 of 5 articles are searched.")).to_be_visible(timeout=30_000)
    answer, _ = ask(page, "To whom did Khalilzad send his resignation letter?")
    sources = answer.inner_text()  # the source buttons name each cited file
    dated = [f.name for f in app.docs.iterdir() if f.name.startswith("000_")]
    undated = [f.name for f in app.docs.iterdir() if not f.name.startswith("000_")]
    assert answer.locator("button.cite").count() >= 1, answer.inner_text()
    assert dated and any(name in sources for name in dated), sources
    assert not any(name in sources for name in undated), sources
    sidebar.get_by_test_id("stDateInput").scroll_into_view_if_needed()
    shot(page, "16-date-range.png")
