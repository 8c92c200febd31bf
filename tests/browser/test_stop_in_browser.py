"""Stopping a re-ingest from the app, in real Chromium: the sidebar shows the sync's progress with
its rate and time left, Stop ends it cleanly (the report says how many documents are left), and
the next Re-ingest goes on from there and adds them all."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import serve
from playwright.sync_api import expect
from test_chat_in_browser import shot

INGEST_TIMEOUT = 300_000
SEEDS = Path(__file__).resolve().parents[2] / "seeds"


@pytest.fixture(scope="module")
def app(seeded: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """The app over copies of the seeded index, with three more articles waiting in the folder
    (the shortest seeds told again under other names), committed a document at a time."""
    base = tmp_path_factory.mktemp("browser-stop")
    served = serve(
        seeded[0], base, ASSISTANT_WATCH="0", ASSISTANT_EMBED_BATCH="2", ASSISTANT_COMMIT_TEXTS="1"
    )
    app = next(served)
    for i, seed in enumerate(sorted(SEEDS.iterdir(), key=lambda p: p.stat().st_size)[:3]):
        retold = f"Retold story {i}\n\n" + seed.read_text(encoding="utf-8")
        (app.docs / f"retold-{i}.txt").write_text(retold, encoding="utf-8")
    yield app
    served.close()


def test_stop_ends_a_reingest_cleanly_and_the_next_one_goes_on(page: Any, app: Any) -> None:
    sidebar = page.get_by_test_id("stSidebar")
    expect(sidebar.get_by_text("Not indexed yet")).to_be_visible()
    sidebar.get_by_role("button", name="Re-ingest").click()
    progress = sidebar.get_by_text("syncing: embedding")
    expect(progress).to_contain_text("texts/s", timeout=INGEST_TIMEOUT)
    expect(progress).to_contain_text("left")
    shot(page, "17-reingest-progress.png")
    sidebar.get_by_role("button", name="Stop").click()

    report = sidebar.get_by_test_id("stAlertContentSuccess")
    stopped = report.filter(has_text="left (stopped)")
    expect(stopped).to_be_visible(timeout=INGEST_TIMEOUT)
    expect(stopped).to_contain_text("0 added")
    shot(page, "18-reingest-stopped.png")

    sidebar.get_by_role("button", name="Re-ingest").click()
    done = report.filter(has_text="documents: 3 added")
    expect(done).to_be_visible(timeout=INGEST_TIMEOUT)
    # While the page is redrawn, the report drawn before can stand beside the new one.
    expect(report).to_have_count(1, timeout=30_000)
    sidebar.get_by_text("Ingest report").click()
    expect(sidebar.get_by_text("resumed the ingest that was interrupted")).to_be_visible()
    expect(sidebar.get_by_text("Documents (8)")).to_have_count(1, timeout=30_000)
